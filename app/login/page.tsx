/**
 * The login form for a playground protected by `PLAYGROUND_TOKEN`. Posting the token sets an
 * http-only session cookie (see `submit/route.ts`); scripts send a bearer header instead.
 */
import { safeReturnPath } from "@/lib/http/access";

export const metadata = { title: "Log in — Locus Playground" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parameters = await searchParams;
  const next = safeReturnPath(typeof parameters.next === "string" ? parameters.next : null);
  const failed = parameters.error !== undefined;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-4 p-6">
      <h1 className="text-xl font-semibold">Locus Playground</h1>
      <p className="text-sm opacity-80">
        This playground is protected. Enter the value of <code>PLAYGROUND_TOKEN</code>.
      </p>
      <form method="post" action="/login/submit" className="flex flex-col gap-3">
        <input type="hidden" name="next" value={next} />
        <label className="flex flex-col gap-1 text-sm">
          Token
          <input
            data-testid="login-token"
            type="password"
            name="token"
            autoComplete="current-password"
            required
            className="rounded border px-2 py-1"
          />
        </label>
        {failed ? (
          <p role="alert" className="text-sm text-red-600">
            That token is not right.
          </p>
        ) : null}
        <button type="submit" data-testid="login-submit" className="rounded border px-3 py-1">
          Log in
        </button>
      </form>
    </main>
  );
}
