import { describe, expect, it } from "vitest";
import { calculateCost } from "@/lib/pricing/calculate-cost";
import type { Price } from "@/lib/pricing/types";
import { GPT_4O_MINI_RATES } from "@/test/support/test-rates";
import {
  type CallMetricsInput,
  callMetrics,
  comparisonTotals,
  estimateTokens,
  formatCompact,
  formatInputTokens,
  formatMilliseconds,
  formatUsd,
} from "./metrics";

function input(overrides: Partial<CallMetricsInput>): CallMetricsInput {
  return {
    phase: "streaming",
    output: "",
    toolCallText: "",
    usage: null,
    costUsd: null,
    ttftMs: null,
    durationMs: null,
    startedAt: 1_000,
    firstDeltaAt: null,
    lastDeltaAt: null,
    local: false,
    ...overrides,
  };
}

const usage = {
  inputTokens: 120,
  outputTokens: 50,
  cacheReadTokens: 100,
  cacheWriteTokens: 0,
  reasoningTokens: null,
};

describe("formatInputTokens", () => {
  it("puts the cached share in brackets, leaves out an unreported one, dashes unknown input", () => {
    expect(formatInputTokens(1_204, 820)).toBe("1,204 (820)");
    expect(formatInputTokens(1_204, 0)).toBe("1,204 (0)");
    expect(formatInputTokens(1_204, null)).toBe("1,204");
    expect(formatInputTokens(null, null)).toBe("—");
  });
});

describe("callMetrics", () => {
  it("estimates output tokens while streaming and marks them as estimated", () => {
    const metrics = callMetrics(
      input({ output: "x".repeat(40), firstDeltaAt: 1_300, lastDeltaAt: 2_300 }),
    );
    expect(metrics.outputTokens).toBe(10);
    expect(metrics.outputTokensEstimated).toBe(true);
    expect(metrics.ttftMs).toBe(300);
    expect(metrics.tokensPerSecond).toBe(10);
    expect(metrics.costState).toBe("pending");
    expect(metrics.costUsd).toBeNull();
  });

  it("switches to the provider's usage and the server's timings when the call finishes", () => {
    const metrics = callMetrics(
      input({
        phase: "ok",
        output: "x".repeat(40),
        usage,
        costUsd: 0.0012,
        ttftMs: 400,
        durationMs: 2_400,
        firstDeltaAt: 1_300,
        lastDeltaAt: 2_300,
      }),
    );
    expect(metrics.outputTokens).toBe(50);
    expect(metrics.outputTokensEstimated).toBe(false);
    expect(metrics.ttftMs).toBe(400);
    expect(metrics.tokensPerSecond).toBe(25);
    expect(metrics.cacheReadTokens).toBe(100);
    expect(metrics.costUsd).toBe(0.0012);
    expect(metrics.costState).toBe("final");
  });

  it("measures a streaming call on the server's clock when the events carry its timings", () => {
    // A reload replayed the run: every delta arrived at the same client instant.
    const metrics = callMetrics(
      input({
        output: "x".repeat(80),
        ttftMs: 917,
        elapsedMs: 1_917,
        startedAt: 1_000,
        firstDeltaAt: 2_740,
        lastDeltaAt: 2_740,
      }),
    );
    expect(metrics.ttftMs).toBe(917);
    expect(metrics.tokensPerSecond).toBe(20);
    // Latency is the whole call's: unknown until it ends.
    expect(metrics.latencyMs).toBeNull();
  });

  it("shows latency and input tokens with the cached share once the call ends", () => {
    const metrics = callMetrics(
      input({ phase: "ok", usage, costUsd: 0.001, ttftMs: 400, durationMs: 2_400 }),
    );
    expect(metrics.latencyMs).toBe(2_400);
    expect(metrics.inputTokens).toBe(120);
    expect(metrics.cachedInputTokens).toBe(100);
    const unknown = callMetrics(input({ phase: "error", errorCode: "not_configured" }));
    expect([unknown.latencyMs, unknown.inputTokens, unknown.cachedInputTokens]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it("reports an unpriced call as such, and a local one as free", () => {
    expect(callMetrics(input({ phase: "ok", usage })).costState).toBe("unpriced");
    const local = callMetrics(input({ phase: "ok", usage, local: true }));
    expect(local.costState).toBe("final");
    expect(local.costUsd).toBe(0);
  });

  it("gives no speed when all tokens arrived at once", () => {
    const metrics = callMetrics(input({ output: "abcd", firstDeltaAt: 1_200, lastDeltaAt: 1_200 }));
    expect(metrics.tokensPerSecond).toBeNull();
  });

  it("counts tool-call arguments into the estimate", () => {
    expect(callMetrics(input({ toolCallText: "x".repeat(8) })).outputTokens).toBe(2);
  });
});

/** gpt-4o-mini's shape: $0.15 in, $0.60 out, cache reads at half price; a tier above 1000. */
const price: Price = {
  rates: GPT_4O_MINI_RATES,
  tiers: [
    {
      aboveInputTokens: 1_000,
      rates: {
        inputPerMillion: 0.3,
        outputPerMillion: 1.2,
        cacheReadPerMillion: null,
        cacheWritePerMillion: null,
        cacheWrite5mPerMillion: null,
        cacheWrite1hPerMillion: null,
      },
    },
  ],
};

describe("cost so far", () => {
  it("estimates a running call from the estimated input and the output streamed so far", () => {
    const metrics = callMetrics(
      input({
        output: "x".repeat(400),
        inputTokensEstimate: 200,
        costBasis: { status: "priced", price },
      }),
    );
    expect(metrics.costState).toBe("estimate");
    // 200 input tokens at $0.15/M plus 100 estimated output tokens at $0.60/M.
    expect(metrics.costUsd).toBeCloseTo((200 * 0.15 + 100 * 0.6) / 1_000_000, 15);
  });

  it("applies the tier the estimated input falls in, as the server's formula does", () => {
    const metrics = callMetrics(
      input({
        output: "x".repeat(40),
        inputTokensEstimate: 2_000,
        costBasis: { status: "priced", price },
      }),
    );
    expect(metrics.costUsd).toBeCloseTo((2_000 * 0.3 + 10 * 1.2) / 1_000_000, 15);
  });

  it("prefers reported input and cache counts over the estimate", () => {
    const reported = { ...usage, outputTokens: null };
    const metrics = callMetrics(
      input({
        output: "x".repeat(40),
        usage: reported,
        inputTokensEstimate: 9_999,
        costBasis: { status: "priced", price },
      }),
    );
    const expected = calculateCost({
      price,
      usage: {
        inputTokens: 120,
        outputTokens: 10,
        cacheReadTokens: 100,
        cacheWriteTokens: 0,
        cacheWrite5mTokens: null,
        cacheWrite1hTokens: null,
        reasoningTokens: null,
        raw: null,
      },
    });
    expect(metrics.costUsd).toBe(expected?.totalUsd);
  });

  it("is replaced by the recorded cost when the call finishes", () => {
    const running = input({
      output: "x".repeat(40),
      inputTokensEstimate: 20,
      costBasis: { status: "priced", price },
    });
    expect(callMetrics(running).costState).toBe("estimate");
    const finished = callMetrics({ ...running, phase: "ok", usage, costUsd: 0.0042 });
    expect(finished).toMatchObject({ costState: "final", costUsd: 0.0042 });
  });

  it("says unpriced at once for a model without a price, never $0", () => {
    const metrics = callMetrics(input({ output: "abcd", costBasis: { status: "unpriced" } }));
    expect(metrics.costState).toBe("unpriced");
    expect(metrics.costUsd).toBeNull();
  });

  it("is $0 for a local model, and waits ('pending') while the price is unknown", () => {
    expect(callMetrics(input({ output: "abcd", costBasis: { status: "local" } }))).toMatchObject({
      costState: "estimate",
      costUsd: 0,
    });
    expect(callMetrics(input({ output: "abcd", local: true }))).toMatchObject({
      costState: "estimate",
      costUsd: 0,
    });
    expect(callMetrics(input({ output: "abcd" }))).toMatchObject({
      costState: "pending",
      costUsd: null,
    });
  });

  it("follows the price list over the local flag (an override can price a local model)", () => {
    const metrics = callMetrics(
      input({ output: "x".repeat(40), local: true, costBasis: { status: "priced", price } }),
    );
    expect(metrics.costState).toBe("estimate");
    expect(metrics.costUsd).toBeGreaterThan(0);
  });
});

describe("a call that ended without usage", () => {
  it("is no-usage, not unpriced, when it failed before the provider answered", () => {
    const metrics = callMetrics(input({ phase: "error", errorCode: "rate_limit" }));
    expect(metrics).toMatchObject({
      costState: "no-usage",
      noUsageReason: "failed",
      costUsd: null,
    });
  });

  it("says not sent for a provider that is not configured", () => {
    expect(callMetrics(input({ phase: "error", errorCode: "not_configured" })).noUsageReason).toBe(
      "not-sent",
    );
  });

  it("says cancelled for a call stopped before usage arrived", () => {
    expect(callMetrics(input({ phase: "cancelled", output: "abc" }))).toMatchObject({
      costState: "no-usage",
      noUsageReason: "cancelled",
    });
  });

  it("is still unpriced when usage was reported and no price is known", () => {
    expect(callMetrics(input({ phase: "error", usage, errorCode: "server_error" }))).toMatchObject({
      costState: "unpriced",
      noUsageReason: null,
    });
  });

  it("is counted apart from unpriced calls in the totals", () => {
    const totals = comparisonTotals([
      input({ phase: "error", errorCode: "not_configured" }),
      input({ phase: "error", errorCode: "connection" }),
      input({ phase: "ok", usage, costUsd: null }),
      input({ phase: "ok", usage, costUsd: 0.25 }),
    ]);
    expect(totals).toMatchObject({ unpricedCalls: 1, usageMissingCalls: 2, costUsd: 0.25 });
  });
});

describe("comparisonTotals", () => {
  it("adds running calls' cost so far and marks the total as estimated", () => {
    const totals = comparisonTotals([
      input({ phase: "ok", usage, costUsd: 0.5 }),
      input({
        output: "x".repeat(400),
        inputTokensEstimate: 200,
        costBasis: { status: "priced", price },
      }),
      input({ output: "abcd", costBasis: { status: "unpriced" } }),
    ]);
    expect(totals.costUsd).toBeCloseTo(0.5 + (200 * 0.15 + 100 * 0.6) / 1_000_000, 15);
    expect(totals.costEstimated).toBe(true);
    expect(totals.unpricedCalls).toBe(1);
    expect(totals.state).toBe("so-far");
  });

  it("is not an estimate when only free local calls are still running", () => {
    const totals = comparisonTotals([
      input({ phase: "ok", usage, costUsd: 0.5, costBasis: { status: "priced", price } }),
      input({ output: "abcd", local: true }),
    ]);
    expect(totals.costEstimated).toBe(false);
    expect(totals.costUsd).toBe(0.5);
  });

  it("sums finished costs and says 'so far' while a call still runs", () => {
    const totals = comparisonTotals([
      input({ phase: "ok", usage, costUsd: 0.5 }),
      input({ phase: "ok", usage, costUsd: null }),
      input({ phase: "streaming", output: "x".repeat(8) }),
    ]);
    expect(totals.costUsd).toBe(0.5);
    expect(totals.unpricedCalls).toBe(1);
    expect(totals.running).toBe(1);
    expect(totals.state).toBe("so-far");
    expect(totals.outputTokens).toBe(102);
    expect(totals.inputTokens).toBe(240);
  });

  it("is final when everything finished, empty with no calls", () => {
    expect(comparisonTotals([input({ phase: "cancelled" })]).state).toBe("final");
    expect(comparisonTotals([]).state).toBe("empty");
  });
});

describe("formatting", () => {
  it("formats tokens, durations and dollars for a dense strip", () => {
    expect(estimateTokens("")).toBe(0);
    expect(formatMilliseconds(412)).toBe("412 ms");
    expect(formatMilliseconds(1_830)).toBe("1.83 s");
    expect(formatUsd(0.0001636)).toBe("$0.000164");
    expect(formatUsd(0.0123)).toBe("$0.0123");
    expect(formatUsd(1.2345)).toBe("$1.23");
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(null)).toBe("—");
    expect(formatCompact(950)).toBe("950");
    expect(formatCompact(12_345)).toBe("12.3k");
    expect(formatCompact(2_000)).toBe("2k");
    expect(formatCompact(456_789)).toBe("457k");
    expect(formatCompact(1_234_567)).toBe("1.2M");
    expect(formatCompact(null)).toBe("—");
  });
});
