/**
 * The PLAYGROUND_TOKEN gate and the cross-origin guard, through `proxy.ts` in front of the
 * real route handlers over HTTP.
 */
import { afterEach, describe, expect, it } from "vitest";
import { reloadServerEnvironment } from "@/lib/env";
import { postRun, readEvents, setUpIntegrationEnvironment } from "@/test/support/runs-integration";

const TOKEN = "a-long-playground-token-0123456789";
const environment = setUpIntegrationEnvironment();

afterEach(() => {
  delete process.env.PLAYGROUND_TOKEN;
  reloadServerEnvironment();
});

const runBody = {
  messages: [{ role: "user", content: "hi" }],
  targets: [{ model: "demo:instant" }],
};

describe("with PLAYGROUND_TOKEN set", () => {
  it("refuses every API route without the token", async () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    reloadServerEnvironment();
    for (const [method, route] of [
      ["GET", "/api/runs"],
      ["GET", "/api/runs/some-id"],
      ["GET", "/api/runs/some-id/events"],
      ["POST", "/api/runs/some-id/cancel"],
      ["GET", "/api/models"],
      ["GET", "/api/health"],
      ["POST", "/api/runs"],
    ] as const) {
      const response = await fetch(`${environment.app.url}${route}`, {
        method,
        ...(method === "POST" ? { body: JSON.stringify(runBody) } : {}),
      });
      expect(response.status, `${method} ${route}`).toBe(401);
      const body = await response.text();
      expect(JSON.parse(body)).toMatchObject({ error: { code: "unauthorized" } });
      expect(body).not.toContain(TOKEN);
    }
  });

  it("accepts the bearer token", async () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    reloadServerEnvironment();
    const response = await postRun(environment.app, runBody, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect((await readEvents(response)).at(-1)?.type).toBe("run-finish");
    const wrong = await fetch(`${environment.app.url}/api/runs`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
  });

  it("logs in through the form: an http-only cookie that then opens the API", async () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    reloadServerEnvironment();
    const failed = await fetch(`${environment.app.url}/login/submit`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: "wrong", next: "/runs" }),
      redirect: "manual",
    });
    expect(failed.status).toBe(303);
    expect(failed.headers.get("location")).toContain("/login?error=1");
    expect(failed.headers.get("set-cookie")).toBeNull();

    const login = await fetch(`${environment.app.url}/login/submit`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: TOKEN, next: "/runs" }),
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/runs");
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(TOKEN);

    const session = cookie.split(";")[0] ?? "";
    const response = await fetch(`${environment.app.url}/api/runs`, {
      headers: { cookie: session },
    });
    expect(response.status).toBe(200);
  });

  it("never redirects a login to another site", async () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    reloadServerEnvironment();
    const login = await fetch(`${environment.app.url}/login/submit`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: TOKEN, next: "//evil.example/" }),
      redirect: "manual",
    });
    expect(login.headers.get("location")).toBe("/");
  });
});

describe("cross-origin requests", () => {
  it("may not start or cancel runs", async () => {
    const before = environment.openai.requests.length;
    const start = await postRun(
      environment.app,
      { ...runBody, targets: [{ model: "openai:gpt-4o-mini" }] },
      {
        headers: { origin: "https://evil.example" },
      },
    );
    expect(start.status).toBe(403);
    expect(await start.json()).toMatchObject({ error: { code: "cross_origin" } });
    expect(environment.openai.requests.length).toBe(before);

    const cancel = await fetch(`${environment.app.url}/api/runs/any/cancel`, {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(cancel.status).toBe(403);
  });

  it("are refused even with a valid token", async () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    reloadServerEnvironment();
    const response = await postRun(environment.app, runBody, {
      headers: { authorization: `Bearer ${TOKEN}`, origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
  });

  it("same-origin browser requests pass", async () => {
    const response = await postRun(environment.app, runBody, {
      headers: { origin: environment.app.url, "sec-fetch-site": "same-origin" },
    });
    expect(response.status).toBe(200);
    await response.text();
  });
});
