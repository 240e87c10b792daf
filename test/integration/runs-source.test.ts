/**
 * `GET /api/runs` lists the compare page's runs; a gateway call is a run too, listed only when
 * `?source=gateway` asks for it.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTES } from "@/test/support/app-server";
import { postRun, readEvents, setUpIntegrationEnvironment } from "@/test/support/runs-integration";

const environment = setUpIntegrationEnvironment({
  routes: [
    ...DEFAULT_ROUTES,
    { path: "/v1/chat/completions", load: () => import("@/app/v1/chat/completions/route") },
    { path: "/api/keys", load: () => import("@/app/api/keys/route") },
  ],
});

interface Listed {
  runs: Array<{ id: string; title: string; calls: Array<{ model: string }> }>;
}

async function listed(query = ""): Promise<Response> {
  return fetch(`${environment.app.url}/api/runs${query}`);
}

describe("GET /api/runs?source=", () => {
  it("lists playground runs by default and gateway runs only when asked", async () => {
    const played = await postRun(environment.app, {
      messages: [{ role: "user", content: "from the compare page" }],
      targets: [{ model: "openai:gpt-4o-mini" }],
    });
    expect(played.status).toBe(200);
    const start = (await readEvents(played)).find((event) => event.type === "run-start");
    const playedId = start?.type === "run-start" ? start.runId : null;
    expect(playedId).toBeTruthy();

    const keyResponse = await fetch(`${environment.app.url}/api/keys`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "source-test" }),
    });
    expect(keyResponse.status).toBe(201);
    const { key } = (await keyResponse.json()) as { key: string };
    const completion = await fetch(`${environment.app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({
        model: "openai:gpt-4o-mini",
        messages: [{ role: "user", content: "from a gateway client" }],
      }),
    });
    expect(completion.status).toBe(200);
    await completion.json();

    const byDefault = (await (await listed()).json()) as Listed;
    expect(byDefault.runs.map((run) => run.title)).toEqual(["from the compare page"]);
    expect(byDefault.runs[0]?.id).toBe(playedId);

    const playground = (await (await listed("?source=playground")).json()) as Listed;
    expect(playground.runs.map((run) => run.id)).toEqual([playedId]);

    const gateway = (await (await listed("?source=gateway")).json()) as Listed;
    expect(gateway.runs.map((run) => run.title)).toEqual(["from a gateway client"]);
    expect(gateway.runs[0]?.calls.map((call) => call.model)).toEqual(["openai:gpt-4o-mini"]);

    const evaluation = (await (await listed("?source=evaluation")).json()) as Listed;
    expect(evaluation.runs).toEqual([]);
  });

  it("refuses a source it does not know with 400", async () => {
    const response = await listed("?source=everything");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBeTruthy();
    expect(body.error.message).toMatch(/source/);
  });
});
