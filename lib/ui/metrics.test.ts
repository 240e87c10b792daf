import { describe, expect, it } from "vitest";
import {
  type CallMetricsInput,
  callMetrics,
  comparisonTotals,
  estimateTokens,
  formatCompact,
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

describe("comparisonTotals", () => {
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
