/**
 * Cost end to end on cache-heavy usage: the fake provider reports usage in its real wire
 * format, and the cost in the stream, in `GET /api/runs/:id` and in the database equals the
 * usage-semantics formula applied to the genai-prices price of the model.
 */
import { calcPrice } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import {
  finishOf,
  flushRecorder,
  modelOf,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import {
  type AnthropicUsageWire,
  anthropicAnswer,
  type OpenAIUsageWire,
  openAIAnswer,
} from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

const environment = setUpIntegrationEnvironment();

/** Per-million prices as genai-prices bundles them (flat prices only, as for these models). */
function bundledPrice(providerId: string, modelId: string): Record<string, number> {
  const result = calcPrice({ input_tokens: 1, output_tokens: 1 }, modelId, { providerId });
  if (!result) throw new Error(`genai-prices has no price for ${providerId}:${modelId}`);
  const flat: Record<string, number> = {};
  for (const [key, value] of Object.entries(result.model_price)) {
    if (typeof value !== "number") throw new Error(`${key} is tiered; pick a flat-priced model`);
    flat[key] = value;
  }
  return flat;
}

async function runOne(model: string): Promise<{ events: RunEvent[]; runId: string }> {
  const events = await readEvents(
    await postRun(environment.app, {
      messages: [{ role: "user", content: "cached prompt" }],
      targets: [{ model }],
    }),
  );
  const start = events[0];
  if (start?.type !== "run-start") throw new Error("no run-start");
  return { events, runId: start.runId };
}

async function recordedCost(runId: string): Promise<number | null> {
  await flushRecorder();
  const run = await (await fetch(`${environment.app.url}/api/runs/${runId}`)).json();
  return run.calls[0].costUsd;
}

function serveAnthropicUsage(usage: AnthropicUsageWire) {
  environment.anthropic.setHandler((request, response) =>
    replay(
      response,
      anthropicAnswer({ model: modelOf(request), pieces: ["cached ", "answer"], usage }),
    ),
  );
}

describe("cost of cache-heavy calls", () => {
  it("Anthropic: cache reads and writes priced at their own rates, input counted once", async () => {
    serveAnthropicUsage({
      input_tokens: 3,
      cache_creation_input_tokens: 12_304,
      cache_read_input_tokens: 50_000,
      // Cumulative: the total is the last value (40), not the sum (75).
      output_tokens: [10, 25, 40],
    });
    const { events, runId } = await runOne("anthropic:claude-haiku-4-5");
    const price = bundledPrice("anthropic", "claude-haiku-4-5");
    const expected =
      (3 * (price.input_mtok ?? Number.NaN) +
        12_304 * (price.cache_write_mtok ?? Number.NaN) +
        50_000 * (price.cache_read_mtok ?? Number.NaN) +
        40 * (price.output_mtok ?? Number.NaN)) /
      1_000_000;
    const finish = finishOf(events, 0);
    expect(finish?.usage).toEqual({
      inputTokens: 62_307,
      outputTokens: 40,
      cacheReadTokens: 50_000,
      cacheWriteTokens: 12_304,
      reasoningTokens: null,
    });
    expect(finish?.costUsd).toBeCloseTo(expected, 12);
    expect(await recordedCost(runId)).toBeCloseTo(expected, 12);
  });

  it("Anthropic: the 1-hour part of a cache write is priced at the 1-hour rate", async () => {
    serveAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 12_000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 8_000 },
      output_tokens: [20],
    });
    const { events, runId } = await runOne("anthropic:claude-haiku-4-5");
    const price = bundledPrice("anthropic", "claude-haiku-4-5");
    const expected =
      (10 * (price.input_mtok ?? Number.NaN) +
        4_000 * (price.cache_write_mtok ?? Number.NaN) +
        8_000 * (price.cache_write_1h_mtok ?? Number.NaN) +
        20 * (price.output_mtok ?? Number.NaN)) /
      1_000_000;
    expect(finishOf(events, 0)?.costUsd).toBeCloseTo(expected, 12);
    expect(await recordedCost(runId)).toBeCloseTo(expected, 12);
  });

  it("OpenAI: cached tokens are a subset of prompt tokens, priced at the cache-read rate", async () => {
    const usage: OpenAIUsageWire = {
      prompt_tokens: 17_903,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 17_817 },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
    environment.openai.setHandler((request, response) =>
      replay(
        response,
        openAIAnswer({ model: modelOf(request), pieces: ["cached ", "answer"], usage }),
      ),
    );
    const { events, runId } = await runOne("openai:gpt-4o-mini");
    const price = bundledPrice("openai", "gpt-4o-mini");
    const expected =
      ((17_903 - 17_817) * (price.input_mtok ?? Number.NaN) +
        17_817 * (price.cache_read_mtok ?? Number.NaN) +
        300 * (price.output_mtok ?? Number.NaN)) /
      1_000_000;
    const finish = finishOf(events, 0);
    expect(finish?.usage).toMatchObject({
      inputTokens: 17_903,
      cacheReadTokens: 17_817,
      outputTokens: 300,
    });
    expect(finish?.costUsd).toBeCloseTo(expected, 12);
    expect(await recordedCost(runId)).toBeCloseTo(expected, 12);
  });

  it("a model with no known price is unpriced (null), and demo is free (0)", async () => {
    environment.openai.setHandler((request, response) =>
      replay(response, openAIAnswer({ model: modelOf(request), pieces: ["x"] })),
    );
    const unpriced = await runOne("openai:my-finetune-nobody-prices");
    expect(finishOf(unpriced.events, 0)?.costUsd).toBeNull();
    expect(await recordedCost(unpriced.runId)).toBeNull();
    const demo = await runOne("demo:instant");
    expect(finishOf(demo.events, 0)?.costUsd).toBe(0);
  });
});
