/**
 * `/settings/keys`: gateway keys (create, shown once; list with prefix, budgets and spend;
 * revoke) and the model aliases clients may send. Everything goes through `/api/keys` and
 * `/api/aliases`, so the page holds no secret but the one it was just given.
 */
import { KeysSettings } from "@/components/keys/keys-settings";

export const dynamic = "force-dynamic";
export const metadata = { title: "Gateway keys — Locus Playground" };

export default function KeysPage() {
  return (
    <main
      className="mx-auto flex w-full max-w-7xl flex-1 flex-col gap-3 overflow-y-auto px-4 py-4"
      data-testid="keys-page"
    >
      <h1 className="text-base font-semibold">Gateway keys</h1>
      <p className="text-muted">
        Applications call <code>/v1/chat/completions</code> (OpenAI SDK) or{" "}
        <code>/v1/messages</code> (Anthropic SDK) on this server with one of these keys; their calls
        are recorded like every other, under <a href="/calls?source=gateway">Calls</a>.
      </p>
      <KeysSettings />
    </main>
  );
}
