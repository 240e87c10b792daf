import { describe, expect, it } from "vitest";
import { KeySpendLedger } from "./key-spend";

const DAY = new Date("2026-12-03T00:00:00Z");
const MONTH = new Date("2026-12-01T00:00:00Z");

function ledgerReading(recorded: Record<string, number>, refreshMs = 60_000) {
  const reads: string[] = [];
  let now = Date.parse("2026-12-03T10:00:00Z");
  const ledger = new KeySpendLedger({
    read: ({ keyId, since }) => {
      reads.push(`${keyId}@${since.toISOString()}`);
      return recorded[`${keyId}@${since.toISOString()}`] ?? 0;
    },
    refreshMs,
    now: () => now,
  });
  return {
    ledger,
    reads,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("KeySpendLedger", () => {
  it("reads each window of a key once, then answers from memory", () => {
    const { ledger, reads } = ledgerReading({ [`k1@${DAY.toISOString()}`]: 0.5 });
    expect(ledger.spent("k1", DAY)).toBe(0.5);
    expect(ledger.spent("k1", DAY)).toBe(0.5);
    expect(ledger.spent("k1", MONTH)).toBe(0);
    expect(ledger.spent("k2", DAY)).toBe(0);
    expect(reads).toEqual([
      `k1@${DAY.toISOString()}`,
      `k1@${MONTH.toISOString()}`,
      `k2@${DAY.toISOString()}`,
    ]);
  });

  it("adds an ended call's cost to the windows it started in, and only the key's", () => {
    const { ledger } = ledgerReading({ [`k1@${MONTH.toISOString()}`]: 2 });
    ledger.spent("k1", DAY);
    ledger.spent("k1", MONTH);
    ledger.spent("k2", DAY);
    ledger.add({ keyId: "k1", startedAt: new Date("2026-12-03T09:59:00Z"), costUsd: 0.25 });
    // Started yesterday (a long call ending today): this month's, not today's.
    ledger.add({ keyId: "k1", startedAt: new Date("2026-12-02T23:59:00Z"), costUsd: 1 });
    ledger.add({ keyId: "k1", startedAt: new Date("2026-12-03T09:59:30Z"), costUsd: null });
    expect(ledger.spent("k1", DAY)).toBe(0.25);
    expect(ledger.spent("k1", MONTH)).toBe(3.25);
    expect(ledger.spent("k2", DAY)).toBe(0);
  });

  it("a cost for a window not read yet is left to the read, so it is never counted twice", () => {
    const recorded = { [`k1@${DAY.toISOString()}`]: 0 };
    const { ledger } = ledgerReading(recorded);
    ledger.add({ keyId: "k1", startedAt: new Date("2026-12-03T09:00:00Z"), costUsd: 0.1 });
    recorded[`k1@${DAY.toISOString()}`] = 0.1; // the recorder wrote it
    expect(ledger.spent("k1", DAY)).toBe(0.1);
  });

  it("reads a window again once it is older than refreshMs, and after clear()", () => {
    const recorded = { [`k1@${DAY.toISOString()}`]: 1 };
    const { ledger, reads, advance } = ledgerReading(recorded, 1_000);
    expect(ledger.spent("k1", DAY)).toBe(1);
    recorded[`k1@${DAY.toISOString()}`] = 4; // re-priced, or written by another process
    advance(999);
    expect(ledger.spent("k1", DAY)).toBe(1);
    advance(1);
    expect(ledger.spent("k1", DAY)).toBe(4);
    recorded[`k1@${DAY.toISOString()}`] = 5;
    ledger.clear();
    expect(ledger.spent("k1", DAY)).toBe(5);
    expect(reads).toHaveLength(3);
  });
});
