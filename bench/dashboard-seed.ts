/**
 * Fills a database with recorded calls for the dashboard benchmark: deterministic (seeded
 * pseudo-random numbers), spread over the last `days` days, across 20 models of every
 * provider, with the usage shapes each provider really reports (Anthropic cache writes,
 * OpenAI cache reads, Ollama without cache counts), a few errors and unpriced calls, and
 * costs from the real pricing code. Rows go in through the recorder's own batch writer
 * (lib/db/call-writes.ts), ended calls in batches of 10,000, so the rollups are kept exactly
 * as the app keeps them.
 */
import { createCallWriter, type WriteBatch } from "../lib/db/call-writes";
import type { Database } from "../lib/db/client";
import type { ProviderId, Usage } from "../lib/models/types";
import { priceCall } from "../lib/pricing/price-call";
import type { PriceOverride } from "../lib/pricing/types";
import { usageValues } from "../lib/tracing/tracer";

const DAY_MS = 86_400_000;

interface SeedModel {
  model: string;
  /** Median time to first token and output speed. */
  ttftMs: number;
  tokensPerSecond: number;
  cache: "anthropic" | "openai" | "none";
  weight: number;
}

/** Twenty models; `openai:gpt-internal-preview` has no price anywhere (unpriced calls). */
export const SEED_MODELS: readonly SeedModel[] = [
  { model: "openai:gpt-4o-mini", ttftMs: 420, tokensPerSecond: 95, cache: "openai", weight: 10 },
  { model: "openai:gpt-4o", ttftMs: 520, tokensPerSecond: 70, cache: "openai", weight: 6 },
  { model: "openai:gpt-4.1", ttftMs: 600, tokensPerSecond: 65, cache: "openai", weight: 5 },
  { model: "openai:gpt-4.1-mini", ttftMs: 380, tokensPerSecond: 90, cache: "openai", weight: 6 },
  { model: "openai:gpt-4.1-nano", ttftMs: 300, tokensPerSecond: 140, cache: "openai", weight: 4 },
  { model: "openai:o3-mini", ttftMs: 2400, tokensPerSecond: 120, cache: "openai", weight: 3 },
  {
    model: "openai:gpt-internal-preview",
    ttftMs: 700,
    tokensPerSecond: 60,
    cache: "none",
    weight: 1,
  },
  {
    model: "anthropic:claude-sonnet-4-5",
    ttftMs: 900,
    tokensPerSecond: 60,
    cache: "anthropic",
    weight: 9,
  },
  {
    model: "anthropic:claude-haiku-4-5",
    ttftMs: 500,
    tokensPerSecond: 110,
    cache: "anthropic",
    weight: 7,
  },
  {
    model: "anthropic:claude-opus-4-1",
    ttftMs: 1400,
    tokensPerSecond: 35,
    cache: "anthropic",
    weight: 2,
  },
  {
    model: "anthropic:claude-3-5-haiku-latest",
    ttftMs: 450,
    tokensPerSecond: 100,
    cache: "anthropic",
    weight: 2,
  },
  {
    model: "anthropic:claude-3-7-sonnet-latest",
    ttftMs: 950,
    tokensPerSecond: 55,
    cache: "anthropic",
    weight: 2,
  },
  { model: "oci:xai.grok-4", ttftMs: 1100, tokensPerSecond: 50, cache: "openai", weight: 3 },
  {
    model: "oci:xai.grok-4-fast-reasoning",
    ttftMs: 700,
    tokensPerSecond: 150,
    cache: "openai",
    weight: 3,
  },
  {
    model: "oci:google.gemini-2.5-flash",
    ttftMs: 650,
    tokensPerSecond: 160,
    cache: "none",
    weight: 3,
  },
  {
    model: "oci:google.gemini-2.5-pro",
    ttftMs: 1800,
    tokensPerSecond: 80,
    cache: "none",
    weight: 2,
  },
  {
    model: "oci:meta.llama-3.3-70b-instruct",
    ttftMs: 800,
    tokensPerSecond: 45,
    cache: "none",
    weight: 2,
  },
  { model: "ollama:llama3.2:3b", ttftMs: 250, tokensPerSecond: 40, cache: "none", weight: 4 },
  { model: "ollama:qwen2.5:7b", ttftMs: 400, tokensPerSecond: 25, cache: "none", weight: 2 },
  { model: "demo:fast", ttftMs: 150, tokensPerSecond: 200, cache: "none", weight: 4 },
];

/** mulberry32: small, fast and deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A log-normal variate around `median` (sigma in natural-log units). */
function logNormal(next: () => number, median: number, sigma: number): number {
  const u = Math.max(next(), 1e-12);
  const v = next();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * normal);
}

/** Calls per write batch: big enough to be quick, small enough to hold in memory. */
const SEED_BATCH_CALLS = 10_000;

export interface SeedResult {
  calls: number;
  runs: number;
  from: Date;
  to: Date;
}

export function seedDashboardDatabase(options: {
  database: Database;
  calls: number;
  days: number;
  now: Date;
  overrides: readonly PriceOverride[];
  seed?: number;
}): SeedResult {
  const next = random(options.seed ?? 42);
  const toMs = options.now.getTime();
  const fromMs = toMs - options.days * DAY_MS;
  const totalWeight = SEED_MODELS.reduce((sum, model) => sum + model.weight, 0);
  const pickModel = (): SeedModel => {
    let ticket = next() * totalWeight;
    for (const model of SEED_MODELS) {
      ticket -= model.weight;
      if (ticket <= 0) return model;
    }
    return SEED_MODELS[0] as SeedModel;
  };

  const writer = createCallWriter(options.database);
  let batch: WriteBatch = { runs: [], callInserts: [], callUpdates: [] };
  const writeBatch = () => {
    writer.writeBatch(batch);
    batch = { runs: [], callInserts: [], callUpdates: [] };
  };

  let callCount = 0;
  let runCount = 0;
  while (callCount < options.calls) {
    runCount += 1;
    const runId = `bench-run-${runCount.toString().padStart(7, "0")}`;
    // Runs spread evenly over the range; a run's calls start within a few milliseconds.
    const runStart = Math.floor(fromMs + ((toMs - fromMs) * callCount) / options.calls);
    const prompt = `Benchmark prompt ${runCount}`;
    batch.runs.push({
      id: runId,
      createdAt: new Date(runStart),
      system: null,
      messages: [{ role: "user", content: prompt }],
      title: prompt,
      searchText: prompt,
    });
    const size = Math.min(1 + Math.floor(next() * 4), options.calls - callCount);
    for (let index = 0; index < size; index++) {
      callCount += 1;
      const seedModel = pickModel();
      const colon = seedModel.model.indexOf(":");
      const provider = seedModel.model.slice(0, colon) as ProviderId;
      const modelId = seedModel.model.slice(colon + 1);
      const startedAt = runStart + index;
      const roll = next();
      const status = roll < 0.02 ? "error" : roll < 0.025 ? "cancelled" : "ok";

      let usage: Usage | null = null;
      if (status !== "error" || next() < 0.3) {
        const inputTokens = Math.round(logNormal(next, 1_800, 1.1)) + 20;
        let cacheReadTokens: number | null = null;
        let cacheWriteTokens: number | null = null;
        let cacheWrite5mTokens: number | null = null;
        if (seedModel.cache === "openai") {
          cacheReadTokens = next() < 0.35 ? Math.floor(inputTokens * (0.5 + next() * 0.45)) : 0;
        } else if (seedModel.cache === "anthropic") {
          const cacheRoll = next();
          cacheReadTokens = cacheRoll < 0.4 ? Math.floor(inputTokens * 0.8) : 0;
          cacheWriteTokens =
            cacheRoll >= 0.4 && cacheRoll < 0.6 ? Math.floor(inputTokens * 0.8) : 0;
          cacheWrite5mTokens = cacheWriteTokens;
        }
        usage = {
          inputTokens,
          outputTokens: Math.round(logNormal(next, 350, 0.8)) + 1,
          cacheReadTokens,
          cacheWriteTokens,
          cacheWrite5mTokens,
          cacheWrite1hTokens: seedModel.cache === "anthropic" ? 0 : null,
          reasoningTokens: null,
          raw: null,
        };
      }
      const ttftMs =
        status === "error" ? null : Math.round(logNormal(next, seedModel.ttftMs, 0.45));
      const generationMs =
        usage?.outputTokens && ttftMs !== null
          ? Math.round(
              (usage.outputTokens / logNormal(next, seedModel.tokensPerSecond, 0.25)) * 1000,
            )
          : null;
      const durationMs =
        ttftMs !== null && generationMs !== null
          ? ttftMs + generationMs
          : Math.round(logNormal(next, 300, 0.5));
      const pricing = priceCall({
        provider,
        modelId,
        at: new Date(startedAt),
        usage,
        overrides: options.overrides,
      });
      batch.callInserts.push({
        id: `bench-call-${callCount.toString().padStart(7, "0")}`,
        runId,
        callIndex: index,
        model: seedModel.model,
        provider,
        modelId,
        params: {},
        status,
        stopReason: status === "error" ? "error" : "stop",
        errorKind: status === "error" ? "server_error" : null,
        errorMessage: status === "error" ? "the provider failed" : null,
        output: "",
        toolCalls: [],
        startedAt: new Date(startedAt),
        firstTokenAt: ttftMs === null ? null : new Date(startedAt + ttftMs),
        finishedAt: new Date(startedAt + durationMs),
        ttftMs,
        durationMs,
        ...usageValues(usage),
        ...pricing,
      });
    }
    if (batch.callInserts.length >= SEED_BATCH_CALLS) writeBatch();
  }
  writeBatch();
  return { calls: callCount, runs: runCount, from: new Date(fromMs), to: new Date(toMs) };
}
