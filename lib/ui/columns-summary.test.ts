import { describe, expect, it } from "vitest";
import {
  DEFAULT_SORT,
  nextSort,
  ownMetrics,
  type SummaryInput,
  type SummaryRow,
  sortSummaryRows,
  summaryRows,
} from "./columns-summary";
import { newTurn, type Turn } from "./playground-state";

function turn(overrides: Partial<Turn>): Turn {
  return {
    ...newTurn({ turnId: "t", prompt: "p", expectsJson: false }, "openai:gpt-4o-mini", 1_000),
    ...overrides,
  };
}

function finished(options: {
  ttftMs: number | null;
  durationMs: number | null;
  inputTokens: number;
  cached: number | null;
  outputTokens: number;
  costUsd: number | null;
}): Turn {
  return turn({
    phase: "ok",
    output: "done",
    ttftMs: options.ttftMs,
    durationMs: options.durationMs,
    costUsd: options.costUsd,
    usage: {
      inputTokens: options.inputTokens,
      outputTokens: options.outputTokens,
      cacheReadTokens: options.cached,
      cacheWriteTokens: null,
      reasoningTokens: null,
    },
  });
}

const inputs: SummaryInput[] = [
  {
    columnId: "column-1",
    model: "openai:gpt-4o-mini",
    local: false,
    turn: finished({
      ttftMs: 400,
      durationMs: 1_400,
      inputTokens: 1_204,
      cached: 820,
      outputTokens: 50,
      costUsd: 0.002,
    }),
  },
  { columnId: "column-2", model: "demo:chat", local: true, turn: undefined },
  {
    columnId: "column-3",
    model: "anthropic:claude-haiku-4-5",
    local: false,
    turn: finished({
      ttftMs: 200,
      durationMs: 2_200,
      inputTokens: 30,
      cached: null,
      outputTokens: 100,
      // Usage reported, no price known: unknown, not $0.
      costUsd: null,
    }),
  },
  {
    columnId: "column-4",
    model: "openai:gpt-4o",
    local: false,
    turn: finished({
      ttftMs: 900,
      durationMs: 1_900,
      inputTokens: 500,
      cached: 0,
      outputTokens: 20,
      costUsd: 0.0005,
    }),
  },
];

const order = (rows: SummaryRow[]) => rows.map((row) => row.position);

describe("summaryRows", () => {
  it("gives each column its position, model, status and the latest answer's numbers", () => {
    const rows = summaryRows(inputs);
    expect(rows.map((row) => [row.position, row.model, row.status])).toEqual([
      [1, "openai:gpt-4o-mini", "ok"],
      [2, "demo:chat", "idle"],
      [3, "anthropic:claude-haiku-4-5", "ok"],
      [4, "openai:gpt-4o", "ok"],
    ]);
    expect(rows[0]?.metrics).toMatchObject({
      ttftMs: 400,
      latencyMs: 1_400,
      tokensPerSecond: 50,
      inputTokens: 1_204,
      cachedInputTokens: 820,
      outputTokens: 50,
      costUsd: 0.002,
      costState: "final",
    });
    expect(rows[1]?.metrics).toBeNull();
    expect(rows[2]?.metrics?.costState).toBe("unpriced");
  });

  it("shows a continued column as copied, with no numbers", () => {
    const copied = turn({ phase: "ok", inherited: true, output: "carried" });
    const [row] = summaryRows([
      { columnId: "column-1", model: "demo:fast", local: true, turn: copied },
    ]);
    expect(row?.status).toBe("copied");
    expect(row?.metrics).toBeNull();
    expect(ownMetrics({ turn: copied, local: true })).toBeNull();
  });
});

describe("sortSummaryRows", () => {
  const rows = summaryRows(inputs);

  it("keeps the columns' order by default", () => {
    expect(order(sortSummaryRows(rows, DEFAULT_SORT))).toEqual([1, 2, 3, 4]);
  });

  it("sorts by a number either way, unknowns last in both", () => {
    expect(order(sortSummaryRows(rows, { key: "ttftMs", direction: "ascending" }))).toEqual([
      3, 1, 4, 2,
    ]);
    expect(order(sortSummaryRows(rows, { key: "ttftMs", direction: "descending" }))).toEqual([
      4, 1, 3, 2,
    ]);
    // The unpriced column and the idle one have no cost: both after the priced ones.
    expect(order(sortSummaryRows(rows, { key: "costUsd", direction: "descending" }))).toEqual([
      1, 4, 2, 3,
    ]);
    // No cache reads reported is unknown; zero is a value.
    expect(
      order(sortSummaryRows(rows, { key: "cachedInputTokens", direction: "ascending" })),
    ).toEqual([4, 1, 2, 3]);
  });

  it("sorts models by name and does not change the rows it was given", () => {
    const sorted = sortSummaryRows(rows, { key: "model", direction: "ascending" });
    expect(sorted.map((row) => row.model)).toEqual([
      "anthropic:claude-haiku-4-5",
      "demo:chat",
      "openai:gpt-4o",
      "openai:gpt-4o-mini",
    ]);
    expect(order(rows)).toEqual([1, 2, 3, 4]);
  });

  it("sorts by latency and tokens per second", () => {
    expect(order(sortSummaryRows(rows, { key: "latencyMs", direction: "ascending" }))).toEqual([
      1, 4, 3, 2,
    ]);
    // 50 tok/s, 50 tok/s (100 over 2 s), 20 tok/s: ties keep the columns' order.
    expect(
      order(sortSummaryRows(rows, { key: "tokensPerSecond", direction: "descending" })),
    ).toEqual([1, 3, 4, 2]);
  });
});

describe("nextSort", () => {
  it("flips the same header and starts another ascending", () => {
    const ttft = nextSort(DEFAULT_SORT, "ttftMs");
    expect(ttft).toEqual({ key: "ttftMs", direction: "ascending" });
    expect(nextSort(ttft, "ttftMs")).toEqual({ key: "ttftMs", direction: "descending" });
    expect(nextSort(nextSort(ttft, "ttftMs"), "costUsd")).toEqual({
      key: "costUsd",
      direction: "ascending",
    });
  });
});
