/**
 * Usage statuses (DESIGN.md, "HTTP API, second wave"): in `GET /api/usage`, `unpricedCalls`
 * counts only ended calls that reported usage for a model with no price; a call that failed
 * before its provider reported usage is `usageMissingCalls`, whatever its model's price.
 */
import { describe, expect, it } from "vitest";
import { GET as getUsage } from "@/app/api/usage/route";
import {
  finishOf,
  flushRecorder,
  modelOf,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { failureFrom, openAIAnswer } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

const environment = setUpIntegrationEnvironment({
  openai: (request, response) => {
    const model = modelOf(request);
    // A 400 is not retried: the call fails at once, before any usage.
    if (model === "gpt-4o-mini") return replay(response, failureFrom("openai/error-400", "bad"));
    return replay(response, openAIAnswer({ model, pieces: ["a", "b"] }));
  },
});

interface Totals {
  calls: number;
  unpricedCalls: number;
  usageMissingCalls: number;
  errorCalls: number;
}

describe("usage statuses", () => {
  it("counts a failed call of a priced model as usage missing, not unpriced", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const events = await readEvents(
      await postRun(environment.app, {
        messages: [{ role: "user", content: "statuses" }],
        targets: [{ model: "openai:gpt-4o-mini" }, { model: "openai:my-finetune-nobody-prices" }],
      }),
    );
    expect(finishOf(events, 0)).toMatchObject({ status: "error", usage: null, costUsd: null });
    expect(finishOf(events, 1)).toMatchObject({ status: "ok", costUsd: null });
    await flushRecorder();

    const to = new Date(Date.now() + 60_000).toISOString();
    const response = await getUsage(
      new Request(
        `http://127.0.0.1/api/usage?${new URLSearchParams({ from, to, groupBy: "model" })}`,
      ),
    );
    const body = (await response.json()) as {
      totals: Totals;
      groups: Array<Totals & { key: string }>;
    };
    expect(body.totals).toMatchObject({
      calls: 2,
      unpricedCalls: 1,
      usageMissingCalls: 1,
      errorCalls: 1,
    });
    const byKey = Object.fromEntries(body.groups.map((group) => [group.key, group]));
    expect(byKey["openai:gpt-4o-mini"]).toMatchObject({ unpricedCalls: 0, usageMissingCalls: 1 });
    expect(byKey["openai:my-finetune-nobody-prices"]).toMatchObject({
      unpricedCalls: 1,
      usageMissingCalls: 0,
    });
  });
});
