/**
 * The streaming routes served beside Next: the same handlers behind the same access check as
 * through `proxy.ts`, over real HTTP, everything else left to Next (here, a stand-in that
 * answers 418 so a test can tell who answered).
 */
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { reloadServerEnvironment } from "@/lib/env";
import { routePath } from "@/lib/http/route-path";
import {
  finishOf,
  type IntegrationEnvironment,
  readEvents,
  startIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { directListener } from "./direct-routes";

const TOKEN = "a-long-playground-token-0123456789";
const LEFT_TO_NEXT = 418;
let environment: IntegrationEnvironment;
let server: Server;
let baseUrl: string;

function serve(
  listener: ReturnType<typeof directListener>,
): Promise<{ server: Server; url: string }> {
  const created = createServer((incoming, outgoing) => {
    if (listener(incoming, outgoing)) return;
    incoming.resume();
    outgoing.writeHead(LEFT_TO_NEXT).end();
  });
  return new Promise((resolve) =>
    created.listen(0, "127.0.0.1", () =>
      resolve({
        server: created,
        url: `http://127.0.0.1:${(created.address() as AddressInfo).port}`,
      }),
    ),
  );
}

function close(target: Server): Promise<void> {
  target.closeAllConnections();
  return new Promise((resolve) => target.close(() => resolve()));
}

beforeAll(async () => {
  // The database, the fakes and the run manager; the harness it also starts is not used.
  environment = await startIntegrationEnvironment();
  ({ server, url: baseUrl } = await serve(directListener()));
});

afterAll(async () => {
  if (server) await close(server);
  await environment?.close();
});

afterEach(() => {
  delete process.env.PLAYGROUND_TOKEN;
  reloadServerEnvironment();
  vi.restoreAllMocks();
});

const runBody = JSON.stringify({
  messages: [{ role: "user", content: "hi" }],
  targets: [{ model: "demo:instant" }, { model: "openai:gpt-4o-mini" }],
});

function startRun(headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/runs`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: runBody,
  });
}

describe("the direct listener", () => {
  it("serves POST /api/runs itself: a run streams from run-start to run-finish", async () => {
    const response = await startRun();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(response);
    expect(events[0]?.type).toBe("run-start");
    expect(finishOf(events, 0)?.status).toBe("ok");
    expect(finishOf(events, 1)?.status).toBe("ok");
    expect(events.at(-1)?.type).toBe("run-finish");
    // The OpenAI column really went through the SDK to the fake.
    expect(environment.openai.requests.length).toBeGreaterThan(0);
  });

  it("serves GET /api/runs/:id/events itself: the run replays", async () => {
    const started = await readEvents(await startRun());
    const runId = started[0]?.type === "run-start" ? started[0].runId : "";
    const response = await fetch(`${baseUrl}/api/runs/${runId}/events`);
    expect(response.status).toBe(200);
    const replayed = await readEvents(response);
    expect(replayed.map((event) => event.type)).toEqual(started.map((event) => event.type));
  });

  it("leaves every other route, method and malformed path to Next", async () => {
    for (const [method, route] of [
      ["GET", "/api/runs"],
      ["PUT", "/api/runs"],
      ["GET", "/api/runs/some-id"],
      ["POST", "/api/runs/some-id/events"],
      ["POST", "/api/runs/some-id/cancel"],
      ["GET", "/api/runs/%E0/events"],
      ["GET", "/api/runs/a/b/events"],
      ["GET", "/"],
    ] as const) {
      const response = await fetch(`${baseUrl}${route}`, { method });
      expect({ method, route, status: response.status }).toEqual({
        method,
        route,
        status: LEFT_TO_NEXT,
      });
    }
  });

  it("asks for the token as proxy.ts does when PLAYGROUND_TOKEN is set", async () => {
    process.env.PLAYGROUND_TOKEN = TOKEN;
    reloadServerEnvironment();
    const refused = await startRun();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const following = await fetch(`${baseUrl}/api/runs/some-id/events`);
    expect(following.status).toBe(401);
    const allowed = await startRun({ authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    await allowed.body?.cancel();
  });

  it("refuses a cross-origin start as proxy.ts does", async () => {
    const response = await startRun({ origin: "http://evil.example" });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "cross_origin",
    );
  });

  it("answers 400 to a garbled Host header on its routes and keeps serving", async () => {
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end(
          "POST /api/runs HTTP/1.1\r\nHost: bad host^\r\nContent-Type: application/json\r\n" +
            "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
        );
      });
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk.toString("utf8");
      });
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
    });
    expect(raw.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
    expect(raw).toContain('"code":"invalid_request"');
    // The server is still there for the next request.
    const after = await startRun();
    expect(after.status).toBe(200);
    expect((await readEvents(after)).at(-1)?.type).toBe("run-finish");
  });

  it("answers 500 when a handler throws, and logs no more than the error's kind", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const throwing = await serve(
      directListener([
        {
          method: "GET",
          path: routePath("/boom"),
          handler: async () => {
            throw new Error("sk-test-SECRET-in-a-message");
          },
        },
      ]),
    );
    try {
      const response = await fetch(`${throwing.url}/boom`);
      expect(response.status).toBe(500);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(logged.mock.calls)).not.toContain("SECRET");
    } finally {
      await close(throwing.server);
    }
  });
});
