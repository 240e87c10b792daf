import { afterAll, describe, expect, it } from "vitest";
import { jsonRequest, openRouteDatabase, routeContext } from "@/test/support/route-database";
import { GET as getPrompt } from "./[promptId]/route";
import { POST as postVersion } from "./[promptId]/versions/route";
import { GET as listPrompts, POST as postPrompt } from "./route";

const database = openRouteDatabase("prompts-route");
afterAll(() => database.cleanup());

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe("prompts", () => {
  it("saves a prompt as version 1, adds versions, and returns all of them with their variables", async () => {
    const created = await postPrompt(
      jsonRequest("/api/prompts", {
        name: "capitals",
        system: "Answer in one word.",
        template: "Capital of {{country}}?",
      }),
    );
    expect(created.status).toBe(201);
    const { promptId, version } = await json<{ promptId: string; version: number }>(created);
    expect(version).toBe(1);

    const next = await postVersion(
      jsonRequest(`/api/prompts/${promptId}/versions`, {
        template: "What is the capital of {{ country }}, in {{language}}?",
        responseFormat: { type: "json_object" },
      }),
      routeContext({ promptId }),
    );
    expect(next.status).toBe(201);
    expect(await json(next)).toEqual({ promptId, version: 2 });

    const prompt = await json<{
      latestVersion: number;
      versions: Array<{
        version: number;
        variables: string[];
        system: string | null;
        responseFormat: unknown;
      }>;
    }>(await getPrompt(new Request("http://127.0.0.1/"), routeContext({ promptId })));
    expect(prompt.latestVersion).toBe(2);
    expect(prompt.versions.map((entry) => [entry.version, entry.variables, entry.system])).toEqual([
      [1, ["country"], "Answer in one word."],
      [2, ["country", "language"], null],
    ]);
    expect(prompt.versions[1]?.responseFormat).toEqual({ type: "json_object" });

    const list = await json<{ prompts: Array<{ name: string; latestVersion: number }> }>(
      listPrompts(),
    );
    expect(list.prompts).toEqual([expect.objectContaining({ name: "capitals", latestVersion: 2 })]);
  });

  it("refuses a second prompt with a taken name (409) and bad bodies (400), saving nothing", async () => {
    const duplicate = await postPrompt(
      jsonRequest("/api/prompts", { name: "capitals", template: "x" }),
    );
    expect(duplicate.status).toBe(409);
    expect((await json<{ error: { code: string } }>(duplicate)).error.code).toBe("conflict");

    const empty = await postPrompt(jsonRequest("/api/prompts", { name: "blank", template: "  " }));
    expect(empty.status).toBe(400);
    expect((await json<{ error: { message: string } }>(empty)).error.message).toContain("template");

    const misspelt = await postPrompt(
      jsonRequest("/api/prompts", { name: "typo", template: "x", sytem: "oops" }),
    );
    expect(misspelt.status).toBe(400);
    const list = await json<{ prompts: unknown[] }>(listPrompts());
    expect(list.prompts).toHaveLength(1);
  });

  it("answers 404 for an unknown prompt, when reading or adding a version", async () => {
    const context = routeContext({ promptId: "nope" });
    expect((await getPrompt(new Request("http://127.0.0.1/"), context)).status).toBe(404);
    expect(
      (await postVersion(jsonRequest("/api/prompts/nope/versions", { template: "x" }), context))
        .status,
    ).toBe(404);
  });
});
