/**
 * `POST /logout`: ends the browser's session by clearing the cookie `/login/submit` set, then
 * sends the person to the login page. POST only, so a prefetch or an image tag cannot log
 * anyone out; behind `proxy.ts` like every route, so another site cannot either.
 */
import { SESSION_COOKIE_NAME } from "@/lib/http/access";
import { otherMethods } from "@/lib/http/methods";

export function POST(): Response {
  const cleared = `${SESSION_COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  return new Response(null, {
    status: 303,
    headers: { location: "/login", "set-cookie": cleared, "cache-control": "no-store" },
  });
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
