/**
 * `POST /login/submit`: checks the token (form field `token`, or JSON `{ token }`) in constant
 * time and sets the http-only session cookie. The cookie holds a value derived from the token.
 */
import { getServerEnvironment } from "@/lib/env";
import {
  configuredToken,
  SESSION_COOKIE_NAME,
  safeReturnPath,
  secretsEqual,
  sessionCookieValue,
} from "@/lib/http/access";
import { errorResponse } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readBodyText } from "@/lib/http/read-json";

const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

async function readCredentials(request: Request): Promise<{ token: string; next: string }> {
  let text: string;
  try {
    text = await readBodyText(request, { limitBytes: 16 * 1024 });
  } catch {
    return { token: "", next: "/" };
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.includes("application/json")) {
    try {
      const value = JSON.parse(text) as { token?: unknown; next?: unknown };
      return {
        token: typeof value.token === "string" ? value.token : "",
        next: typeof value.next === "string" ? value.next : "/",
      };
    } catch {
      return { token: "", next: "/" };
    }
  }
  const form = new URLSearchParams(text);
  return { token: form.get("token") ?? "", next: form.get("next") ?? "/" };
}

function redirect(location: string, cookie?: string): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  if (cookie) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

export async function POST(request: Request): Promise<Response> {
  const token = configuredToken(getServerEnvironment());
  const wantsJson = (request.headers.get("content-type") ?? "").includes("application/json");
  const { token: given, next } = await readCredentials(request);
  if (token === null) return redirect(safeReturnPath(next));
  if (!secretsEqual(given.trim(), token)) {
    if (wantsJson) {
      return errorResponse({ status: 401, code: "unauthorized", message: "wrong token" });
    }
    return redirect(`/login?error=1&next=${encodeURIComponent(safeReturnPath(next))}`);
  }
  const secure =
    new URL(request.url).protocol === "https:" ||
    request.headers.get("x-forwarded-proto") === "https";
  const cookie = [
    `${SESSION_COOKIE_NAME}=${sessionCookieValue(token)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${SESSION_MAX_AGE_SECONDS}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
  if (wantsJson) {
    return Response.json(
      { ok: true },
      { headers: { "set-cookie": cookie, "cache-control": "no-store" } },
    );
  }
  return redirect(safeReturnPath(next), cookie);
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
