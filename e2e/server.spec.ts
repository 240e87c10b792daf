/**
 * The production server as `npm start` runs it (`scripts/serve.mjs`): the two streaming run
 * routes are served by our listener beside Next, everything else by Next. Next marks what it
 * serves with `Vary: rsc, …`; our listener does not, which is how these tests tell who answered.
 */
import { expect, test, uniqueToken } from "./fixtures";

const runData = (prompt: string) => ({
  messages: [{ role: "user", content: prompt }],
  targets: [{ model: "demo:instant" }, { model: "openai:gpt-4o-mini" }],
});

test("runs are started and followed beside Next's router; the rest goes through Next", async ({
  request,
}) => {
  const started = await request.post("/api/runs", { data: runData(uniqueToken()) });
  expect(started.status()).toBe(200);
  expect(started.headers()["content-type"]).toContain("text/event-stream");
  expect(started.headers().vary).toBeUndefined();
  const body = await started.text();
  expect(body).toContain('"type":"run-finish"');
  const runId = /"runId":"([^"]+)"/.exec(body)?.[1];
  expect(runId).toBeTruthy();

  const followed = await request.get(`/api/runs/${runId}/events`);
  expect(followed.status()).toBe(200);
  expect(followed.headers().vary).toBeUndefined();
  expect(await followed.text()).toContain('"type":"run-finish"');

  // The same run through a route Next serves: one run manager and one database between them.
  const recorded = await request.get(`/api/runs/${runId}`);
  expect(recorded.status()).toBe(200);
  expect(recorded.headers().vary).toContain("rsc");
  await expect
    .poll(async () => {
      const detail = (await (await request.get(`/api/runs/${runId}`)).json()) as {
        calls: Array<{ status: string }>;
      };
      return detail.calls.map((call) => call.status);
    })
    .toEqual(["ok", "ok"]);
  const listed = await request.get("/api/runs");
  expect(listed.headers().vary).toContain("rsc");
});

test("a cross-origin start is refused on the direct route as proxy.ts refuses it", async ({
  request,
}) => {
  const refused = await request.post("/api/runs", {
    data: runData(uniqueToken()),
    headers: { origin: "http://evil.example" },
  });
  expect(refused.status()).toBe(403);
  expect(refused.headers().vary).toBeUndefined();
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("cross_origin");
});
