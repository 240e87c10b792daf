import { cookies } from "next/headers";
import { getServerEnvironment } from "@/lib/env";
import {
  configuredToken,
  SESSION_COOKIE_NAME,
  secretsEqual,
  sessionCookieValue,
} from "@/lib/http/access";

/** Only a browser holding a valid session has one to end (not the login page's visitor). */
export async function LogoutButton() {
  // Read first, unconditionally: the token is set where the server runs, not where it was
  // built, so no page may be prerendered without this button's decision.
  const jar = await cookies();
  const token = configuredToken(getServerEnvironment());
  const session = jar.get(SESSION_COOKIE_NAME)?.value;
  if (token === null || !session || !secretsEqual(session, sessionCookieValue(token))) return null;
  return (
    <form method="post" action="/logout">
      <button
        type="submit"
        data-testid="logout"
        className="rounded px-2 py-1 text-muted hover:bg-raised hover:text-foreground"
      >
        Log out
      </button>
    </form>
  );
}
