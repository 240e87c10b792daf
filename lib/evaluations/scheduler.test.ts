import { describe, expect, it } from "vitest";
import { estimateRemainingMs, runCells } from "./scheduler";

interface Cell {
  id: number;
  provider: string;
}

function cells(counts: Record<string, number>): Cell[] {
  let id = 0;
  return Object.entries(counts).flatMap(([provider, count]) =>
    Array.from({ length: count }, () => ({ id: id++, provider })),
  );
}

/** An executor whose calls finish only when the test lets them, recording what was in flight. */
function gatedExecutor() {
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  let overallPeak = 0;
  let overall = 0;
  const waiting: Array<() => void> = [];
  const execute = (cell: Cell) =>
    new Promise<void>((resolve) => {
      const now = (inFlight.get(cell.provider) ?? 0) + 1;
      inFlight.set(cell.provider, now);
      peak.set(cell.provider, Math.max(peak.get(cell.provider) ?? 0, now));
      overall += 1;
      overallPeak = Math.max(overallPeak, overall);
      waiting.push(() => {
        inFlight.set(cell.provider, (inFlight.get(cell.provider) ?? 1) - 1);
        overall -= 1;
        resolve();
      });
    });
  const releaseAll = async () => {
    while (waiting.length > 0) {
      for (const release of waiting.splice(0)) release();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { execute, peak, overallPeak: () => overallPeak, waiting, releaseAll };
}

describe("runCells", () => {
  it("keeps each provider within its limit and all providers within the total", async () => {
    const gate = gatedExecutor();
    const running = runCells({
      cells: cells({ openai: 10, anthropic: 10, ollama: 10 }),
      providerOf: (cell) => cell.provider,
      perProvider: 4,
      total: 10,
      execute: gate.execute,
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.waiting.length).toBe(10);
    await gate.releaseAll();
    expect(await running).toEqual({ done: 30, failed: 0, skipped: 0 });
    expect(Math.max(...gate.peak.values())).toBe(4);
    expect(gate.overallPeak()).toBe(10);
  });

  it("a saturated provider does not hold overall slots another provider could use", async () => {
    const gate = gatedExecutor();
    const running = runCells({
      cells: cells({ slow: 20, fast: 2 }),
      providerOf: (cell) => cell.provider,
      perProvider: 2,
      total: 4,
      execute: gate.execute,
    });
    await new Promise((resolve) => setImmediate(resolve));
    // Two of the slow provider's and both of the fast one's, though the slow ones came first.
    expect(gate.peak.get("fast")).toBe(2);
    await gate.releaseAll();
    await running;
  });

  it("a failing cell fails alone", async () => {
    const result = await runCells({
      cells: cells({ a: 5 }),
      providerOf: (cell) => cell.provider,
      perProvider: 2,
      total: 2,
      execute: async (cell) => {
        if (cell.id === 2) throw new Error("boom");
      },
    });
    expect(result).toEqual({ done: 4, failed: 1, skipped: 0 });
  });

  it("cancelling starts no further cell", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const result = await runCells({
      cells: cells({ a: 10 }),
      providerOf: (cell) => cell.provider,
      perProvider: 1,
      total: 1,
      signal: controller.signal,
      execute: async (cell) => {
        started.push(cell.id);
        if (cell.id === 2) controller.abort();
      },
    });
    expect(started).toEqual([0, 1, 2]);
    expect(result).toEqual({ done: 3, failed: 0, skipped: 7 });
  });
});

describe("estimateRemainingMs", () => {
  it("extrapolates the pace so far", () => {
    expect(estimateRemainingMs({ startedAt: 0, now: 10_000, done: 25, total: 100 })).toBe(30_000);
  });
  it("is unknown before the first cell and zero at the end", () => {
    expect(estimateRemainingMs({ startedAt: 0, now: 5, done: 0, total: 10 })).toBeNull();
    expect(estimateRemainingMs({ startedAt: 0, now: 5, done: 10, total: 10 })).toBe(0);
  });
});
