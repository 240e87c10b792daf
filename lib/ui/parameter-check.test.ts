import { describe, expect, it } from "vitest";
import { blockedRunMessage, runBlockers } from "./parameter-check";

const columns = [
  { id: "column-1", model: "demo:chat", params: {} },
  { id: "column-2", model: "demo:fast", params: { temperature: 5 } },
  { id: "column-3", model: "openai:gpt-4o-mini", params: { maxTokens: 20_000 } },
];

describe("runBlockers", () => {
  it("names the column (1-based) and the field of every problem", () => {
    expect(
      runBlockers(columns).map(({ columnNumber, field }) => ({ columnNumber, field })),
    ).toEqual([
      { columnNumber: 2, field: "temperature" },
      { columnNumber: 3, field: "maxTokens" },
    ]);
  });

  it("finds nothing when every column is in range", () => {
    expect(runBlockers([columns[0] as (typeof columns)[number]])).toEqual([]);
  });
});

describe("blockedRunMessage", () => {
  it("is null when nothing blocks", () => {
    expect(blockedRunMessage([])).toBeNull();
  });

  it("says which column and field, and how many more", () => {
    expect(blockedRunMessage(runBlockers(columns))).toBe(
      "Column 2 (demo:fast): temperature must be between 0 and 2. 1 more problem to fix before running.",
    );
  });
});
