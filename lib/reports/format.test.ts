import { describe, expect, it } from "vitest";
import { formatCount, formatDay, formatPercent, formatSignedUsd, MISSING } from "./format";

describe("dashboard formatters", () => {
  it("show a missing value as a dash, never as 0", () => {
    expect(formatPercent(null)).toBe(MISSING);
    expect(formatCount(null)).toBe(MISSING);
    expect(formatSignedUsd(null)).toBe(MISSING);
  });

  it("format shares, keeping tiny non-zero ones visibly non-zero", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.4213)).toBe("42%");
    expect(formatPercent(0.0421)).toBe("4.2%");
    expect(formatPercent(0.0004)).toBe("<0.1%");
    expect(formatPercent(Number.NaN)).toBe(MISSING);
  });

  it("sign negative savings", () => {
    expect(formatSignedUsd(-0.0123)).toBe("-$0.0123");
    expect(formatSignedUsd(2.5)).toBe("$2.50");
  });

  it("name UTC days briefly", () => {
    expect(formatDay("2026-01-31")).toBe("Jan 31");
    expect(formatDay("2026-12-01")).toBe("Dec 1");
  });

  it("separate thousands", () => {
    expect(formatCount(1_234_567)).toBe("1,234,567");
  });
});
