/**
 * Who may use the playground: with `PLAYGROUND_TOKEN` set, a request must carry the token
 * (`Authorization: Bearer …`) or the session cookie set by `/login`; and, token or not, a
 * state-changing request must come from the playground's own origin. Used by `proxy.ts`.
 */

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { wireErrorResponse, wireFormatOfPath } from "../gateway/wire/client-error";
import type { Environment } from "../models/provider-definition";
import { errorResponse } from "./errors";

export const SESSION_COOKIE_NAME = "playground_session";

/** Paths reachable without the token: the login page and the form it posts to. */
const PUBLIC_PATHS = new Set(["/login", "/login/submit"]);

const STATE_CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Compares two secrets in time independent of where they differ. Hashing first makes the
 * inputs equal in length, so the length of the expected value does not leak either.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const left = createHash("sha256").update(given).digest();
  const right = createHash("sha256").update(expected).digest();
  return timingSafeEqual(left, right);
}

/**
 * The cookie holds a value derived from the token, not the token itself, so a leaked cookie
 * jar does not reveal a secret that also works as a bearer token elsewhere.
 */
export function sessionCookieValue(token: string): string {
  return createHmac("sha256", token).update("locus-playground session v1").digest("base64url");
}

export function configuredToken(environment: Environment): string | null {
  const token = environment.PLAYGROUND_TOKEN?.trim();
  return token ? token : null;
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return null;
}

export function isAuthorized(request: Request, token: string): boolean {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1] && secretsEqual(match[1].trim(), token)) return true;
  }
  const cookie = readCookie(request.headers.get("cookie"), SESSION_COOKIE_NAME);
  return cookie !== null && secretsEqual(cookie, sessionCookieValue(token));
}

/**
 * A state-changing request is cross-origin when the browser says so (`Sec-Fetch-Site`) or when
 * its `Origin` names another host than the one it was sent to. Requests with neither header
 * (curl, scripts) are not browser-driven and pass.
 */
export function isCrossOriginWrite(request: Request): boolean {
  if (!STATE_CHANGING_METHODS.has(request.method.toUpperCase())) return false;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) or garbage.
    return true;
  }
  const hosts = [request.headers.get("x-forwarded-host"), request.headers.get("host")]
    .filter((value): value is string => value !== null)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim().toLowerCase());
  if (hosts.length === 0) hosts.push(new URL(request.url).host.toLowerCase());
  return !hosts.includes(originHost);
}

function wantsHtml(request: Request): boolean {
  return request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
}

/** Where `/login` may send a person back to: a path on this site, never another origin. */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return "/";
  }
  return value;
}

/** How the gate asks whether a request carries a live gateway key (a database lookup). */
export interface GatewayKeyCheck {
  isValidGatewayKey: (headers: Headers) => boolean;
}

function isGatewayPath(pathname: string): boolean {
  return pathname === "/v1" || pathname.startsWith("/v1/");
}

/**
 * `/v1/*` opens with a gateway key and nothing else — not the playground token, not loopback
 * — and a gateway key opens nothing but `/v1/*`. Keys travel in headers, never cookies, so a
 * browser cannot be made to send one: the cross-origin guard has nothing to protect here.
 */
function checkGatewayAccess(
  request: Request,
  gateway: GatewayKeyCheck | undefined,
): Response | null {
  if (gateway?.isValidGatewayKey(request.headers)) return null;
  return wireErrorResponse({
    format: wireFormatOfPath(new URL(request.url).pathname),
    status: 401,
    code: "invalid_api_key",
    message: "a valid gateway key is required: create one at /settings/keys",
  });
}

/**
 * Returns the response that denies the request, or `null` to let it through.
 */
export function checkAccess(
  request: Request,
  environment: Environment,
  gateway?: GatewayKeyCheck,
): Response | null {
  if (isGatewayPath(new URL(request.url).pathname)) return checkGatewayAccess(request, gateway);
  if (isCrossOriginWrite(request)) {
    return errorResponse({
      status: 403,
      code: "cross_origin",
      message: "cross-origin requests may not change state",
    });
  }
  const token = configuredToken(environment);
  if (token === null) return null;
  const url = new URL(request.url);
  if (PUBLIC_PATHS.has(url.pathname)) return null;
  if (isAuthorized(request, token)) return null;
  if (wantsHtml(request) && !url.pathname.startsWith("/api/")) {
    // Absolute: Next's proxy handling refuses a relative `Location` (`TypeError: Invalid URL`).
    const login = new URL("/login", url);
    login.searchParams.set("next", safeReturnPath(`${url.pathname}${url.search}`));
    return new Response(null, { status: 307, headers: { location: login.href } });
  }
  return errorResponse({
    status: 401,
    code: "unauthorized",
    message:
      "this playground needs its token: send `Authorization: Bearer <PLAYGROUND_TOKEN>` or log in at /login",
    headers: { "www-authenticate": 'Bearer realm="locus-playground"' },
  });
}
