import { describe, expect, it } from "vitest";
import type { Environment } from "../models/provider-definition";
import {
  checkAccess,
  isCrossOriginWrite,
  SESSION_COOKIE_NAME,
  safeReturnPath,
  secretsEqual,
  sessionCookieValue,
} from "./access";

const TOKEN = "playground-token-0123456789";
const withToken: Environment = { NODE_ENV: "test", PLAYGROUND_TOKEN: TOKEN };
const noToken: Environment = { NODE_ENV: "test" };

function request(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return new Request(`http://127.0.0.1:3000${path}`, {
    ...init,
    headers: { host: "127.0.0.1:3000", ...init.headers },
  });
}

describe("token gate", () => {
  it("lets everything through when no token is configured", () => {
    expect(checkAccess(request("/api/runs"), noToken)).toBeNull();
    expect(checkAccess(request("/"), noToken)).toBeNull();
  });

  it("answers an API request without the token with 401 JSON", async () => {
    const denied = checkAccess(request("/api/runs"), withToken);
    expect(denied?.status).toBe(401);
    expect(await denied?.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("redirects a page request to /login, keeping where it was going", () => {
    const denied = checkAccess(
      request("/runs/abc?x=1", { headers: { accept: "text/html" } }),
      withToken,
    );
    expect(denied?.status).toBe(307);
    expect(denied?.headers.get("location")).toBe(
      `http://127.0.0.1:3000/login?next=${encodeURIComponent("/runs/abc?x=1")}`,
    );
  });

  it("never sends a person back to another origin after login", () => {
    const denied = checkAccess(
      request("//evil.example/x", { headers: { accept: "text/html" } }),
      withToken,
    );
    const location = new URL(denied?.headers.get("location") ?? "");
    expect(location.origin).toBe("http://127.0.0.1:3000");
    expect(location.searchParams.get("next")).toBe("/");
  });

  it("accepts the bearer token and the session cookie, and nothing close to them", () => {
    const bearer = request("/api/runs", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(checkAccess(bearer, withToken)).toBeNull();
    const cookie = request("/api/runs", {
      headers: { cookie: `other=1; ${SESSION_COOKIE_NAME}=${sessionCookieValue(TOKEN)}` },
    });
    expect(checkAccess(cookie, withToken)).toBeNull();
    const wrong = request("/api/runs", { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(checkAccess(wrong, withToken)?.status).toBe(401);
    // The token itself is not a valid cookie: the cookie is derived from it.
    const raw = request("/api/runs", { headers: { cookie: `${SESSION_COOKIE_NAME}=${TOKEN}` } });
    expect(checkAccess(raw, withToken)?.status).toBe(401);
  });

  it("leaves the login page and its form reachable", () => {
    expect(checkAccess(request("/login"), withToken)).toBeNull();
    expect(checkAccess(request("/login/submit", { method: "POST" }), withToken)).toBeNull();
  });

  it("compares secrets exactly", () => {
    expect(secretsEqual(TOKEN, TOKEN)).toBe(true);
    expect(secretsEqual(`${TOKEN} `, TOKEN)).toBe(false);
    expect(secretsEqual("", TOKEN)).toBe(false);
  });
});

describe("cross-origin guard", () => {
  it("rejects a POST whose Origin is another site", async () => {
    const denied = checkAccess(
      request("/api/runs", { method: "POST", headers: { origin: "https://evil.example" } }),
      noToken,
    );
    expect(denied?.status).toBe(403);
    expect(await denied?.json()).toMatchObject({ error: { code: "cross_origin" } });
  });

  it("rejects Sec-Fetch-Site cross-site and same-site, and Origin null", () => {
    const cases: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
    ];
    for (const headers of cases) {
      expect(isCrossOriginWrite(request("/api/runs/x/cancel", { method: "POST", headers }))).toBe(
        true,
      );
    }
  });

  it("allows same-origin browser requests and header-less scripts", () => {
    const sameOrigin = request("/api/runs", {
      method: "POST",
      headers: { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" },
    });
    expect(isCrossOriginWrite(sameOrigin)).toBe(false);
    expect(isCrossOriginWrite(request("/api/runs", { method: "POST" }))).toBe(false);
  });

  it("does not apply to reads", () => {
    const read = request("/api/runs", { headers: { origin: "https://evil.example" } });
    expect(isCrossOriginWrite(read)).toBe(false);
  });

  it("is checked before the token, so a stolen cookie cannot ride a cross-site form", () => {
    const denied = checkAccess(
      request("/api/runs", {
        method: "POST",
        headers: {
          origin: "https://evil.example",
          cookie: `${SESSION_COOKIE_NAME}=${sessionCookieValue(TOKEN)}`,
        },
      }),
      withToken,
    );
    expect(denied?.status).toBe(403);
  });
});

describe("safeReturnPath", () => {
  it("keeps local paths and drops everything that could leave the site", () => {
    expect(safeReturnPath("/runs/1?x=2")).toBe("/runs/1?x=2");
    expect(safeReturnPath("//evil.example/")).toBe("/");
    expect(safeReturnPath("https://evil.example/")).toBe("/");
    expect(safeReturnPath("/\\evil.example")).toBe("/");
    expect(safeReturnPath(null)).toBe("/");
  });
});
