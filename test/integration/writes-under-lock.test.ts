/**
 * Every write a request waits for, under a write lock held by another process: each answers
 * `503 database_unavailable` (with `retry-after`) while the lock is held, saves nothing, and
 * works once it is let go. Before, each froze the server for SQLite's 5-second busy timeout
 * and then failed with a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, DEFAULT_ROUTES, startAppServer } from "@/test/support/app-server";
import { type LockHolder, startLockHolder } from "@/test/support/lock-holder";
import { setUpIntegrationEnvironment } from "@/test/support/runs-integration";

let app: AppServer;
let holder: LockHolder;

const environment = setUpIntegrationEnvironment();

beforeAll(async () => {
  app = await startAppServer({
    routes: [
      ...DEFAULT_ROUTES,
      { path: "/api/keys", load: () => import("@/app/api/keys/route") },
      { path: "/api/keys/[keyId]", load: () => import("@/app/api/keys/[keyId]/route") },
      { path: "/api/aliases", load: () => import("@/app/api/aliases/route") },
      { path: "/api/prompts", load: () => import("@/app/api/prompts/route") },
      { path: "/api/datasets", load: () => import("@/app/api/datasets/route") },
      { path: "/api/prices", load: () => import("@/app/api/prices/route") },
    ],
  });
  holder = startLockHolder(environment.databasePath);
});

afterAll(async () => {
  await holder?.close();
  await app?.close();
});

function send(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const WRITES: Array<{ name: string; method: string; path: string; body: unknown }> = [
  { name: "a new gateway key", method: "POST", path: "/api/keys", body: { name: "locked-key" } },
  {
    name: "an alias",
    method: "POST",
    path: "/api/aliases",
    body: { alias: "locked", model: "demo:fast" },
  },
  {
    name: "a prompt",
    method: "POST",
    path: "/api/prompts",
    body: { name: "locked prompt", template: "Say {{word}}" },
  },
  {
    name: "a test set",
    method: "POST",
    path: "/api/datasets",
    body: { name: "locked set", rows: [{ vars: { word: "hi" } }] },
  },
  {
    name: "a price override",
    method: "PUT",
    path: "/api/prices",
    body: {
      provider: "openai",
      modelPattern: "locked-model",
      inputPerMillion: 1,
      outputPerMillion: 2,
    },
  },
];

async function listed(path: string): Promise<string> {
  const response = await fetch(`${app.url}${path}`);
  expect(response.status).toBe(200);
  return response.text();
}

describe("writes under another process's write lock", () => {
  it("are refused with 503 database_unavailable, save nothing, and work once it is free", async () => {
    await holder.lock();
    try {
      for (const write of WRITES) {
        const response = await send(write.method, write.path, write.body);
        expect({ write: write.name, status: response.status }).toEqual({
          write: write.name,
          status: 503,
        });
        expect(response.headers.get("retry-after")).toBe("1");
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("database_unavailable");
        expect(body.error.message).toMatch(/locked by another process/);
      }
      // Reads go on under the lock (WAL readers never wait), and show nothing was saved.
      expect(await listed("/api/keys")).not.toContain("locked-key");
      expect(await listed("/api/prompts")).not.toContain("locked prompt");
      expect(await listed("/api/datasets")).not.toContain("locked set");
      expect(await listed("/api/prices")).not.toContain("locked-model");
    } finally {
      await holder.release();
    }
    for (const write of WRITES) {
      const response = await send(write.method, write.path, write.body);
      expect({ write: write.name, ok: response.ok }).toEqual({ write: write.name, ok: true });
    }
    expect(await listed("/api/keys")).toContain("locked-key");
  });
});
