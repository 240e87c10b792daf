import { describe, expect, it } from "vitest";
import type { CallRow } from "./schema";
import { csvField, csvLine, USAGE_CSV_COLUMNS, usageCsvLines } from "./usage-export";

describe("csvField", () => {
  it("leaves plain text and numbers alone and writes unknown values as empty", () => {
    expect(csvField("openai:gpt-4o-mini")).toBe("openai:gpt-4o-mini");
    expect(csvField(0.001409175)).toBe("0.001409175");
    expect(csvField(-0.009228)).toBe("-0.009228");
    expect(csvField(0)).toBe("0");
    expect(csvField(null)).toBe("");
  });

  it("quotes commas, quotes, line breaks and edge spaces, doubling inner quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
    expect(csvField(" padded ")).toBe('" padded "');
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@sum")).toBe("'@sum");
  });

  it("ends every line with CRLF", () => {
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });
});

describe("usageCsvLines", () => {
  it("writes the header, then one row per call in column order", () => {
    const row = {
      id: "call-1",
      runId: "run-1",
      callIndex: 0,
      model: "anthropic:claude-sonnet-4-5",
      provider: "anthropic",
      modelId: "claude-sonnet-4-5",
      params: { temperature: 0.2 },
      system: null,
      status: "error",
      stopReason: "error",
      rawStopReason: null,
      errorKind: "rate_limit",
      errorCode: null,
      errorStatus: 429,
      errorMessage: 'Too many requests, "slow down"',
      errorRetryAfterMs: 1000,
      output: "",
      reasoning: null,
      toolCalls: [],
      request: null,
      unsupported: null,
      startedAt: new Date("2026-01-15T12:00:00Z"),
      firstTokenAt: null,
      finishedAt: new Date("2026-01-15T12:00:01Z"),
      ttftMs: null,
      durationMs: 1000,
      attempts: 1,
      inputTokens: 12_307,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 12_304,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
      usageStatus: "reported",
      rawUsage: null,
      costUsd: 0.046149,
      costInputUsd: 0.000009,
      costCacheReadUsd: 0,
      costCacheWriteUsd: 0.04614,
      costOutputUsd: 0,
      savingsUsd: -0.009228,
      priceSource: "genai-prices@0.1.8:anthropic/claude-sonnet-4-5",
      pricingStatus: "priced",
      source: "playground",
      gatewayKeyId: null,
      keyName: null,
      tags: null,
      endUser: null,
    } satisfies CallRow;
    const [header, line, ...rest] = [...usageCsvLines([row])];
    expect(rest).toEqual([]);
    expect(header).toBe(`${USAGE_CSV_COLUMNS.map((column) => column.header).join(",")}\r\n`);
    const fields = Object.fromEntries(
      USAGE_CSV_COLUMNS.map((column, index) => [column.header, index]),
    );
    const cells = (line ?? "").replace(/\r\n$/, "").split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    const cell = (name: string) => cells[fields[name] ?? -1];
    expect(cells).toHaveLength(USAGE_CSV_COLUMNS.length);
    expect(cell("error_message")).toBe('"Too many requests, ""slow down"""');
    expect(cell("started_at")).toBe("2026-01-15T12:00:00.000Z");
    expect(cell("ttft_ms")).toBe("");
    expect(cell("cache_write_tokens")).toBe("12304");
    expect(cell("reasoning_tokens")).toBe("");
    expect(cell("savings_usd")).toBe("-0.009228");
    expect(cell("params")).toBe('"{""temperature"":0.2}"');
  });
});
