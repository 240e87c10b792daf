/**
 * Runs an evaluation's cells with bounded concurrency: at most `perProvider` calls in flight to
 * any one provider (rate limits are per provider, and one slow provider must not hold the
 * others back) and at most `total` overall. A cell waits for its provider's slot before it
 * takes an overall slot, so cells queued behind a saturated provider never hold slots that
 * another provider could use. Retries (and `retry-after`) belong to the call executor, not here.
 */
import pLimit, { type LimitFunction } from "p-limit";

export const DEFAULT_PROVIDER_CONCURRENCY = 4;

export interface ScheduleOptions<Cell> {
  cells: readonly Cell[];
  providerOf: (cell: Cell) => string;
  perProvider: number;
  total: number;
  /** Runs one cell. A rejection fails only that cell; the executor records what happened. */
  execute: (cell: Cell, signal: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  onCellDone?: (cell: Cell, outcome: "done" | "failed") => void;
}

export interface ScheduleResult {
  done: number;
  failed: number;
  /** Cells never started because the evaluation was cancelled. */
  skipped: number;
}

export async function runCells<Cell>(options: ScheduleOptions<Cell>): Promise<ScheduleResult> {
  const overall = pLimit(Math.max(1, options.total));
  const byProvider = new Map<string, LimitFunction>();
  const signal = options.signal ?? new AbortController().signal;
  const result: ScheduleResult = { done: 0, failed: 0, skipped: 0 };

  const limiterOf = (provider: string): LimitFunction => {
    let limit = byProvider.get(provider);
    if (!limit) {
      limit = pLimit(Math.max(1, options.perProvider));
      byProvider.set(provider, limit);
    }
    return limit;
  };

  await Promise.all(
    options.cells.map((cell) =>
      limiterOf(options.providerOf(cell))(() =>
        overall(async () => {
          if (signal.aborted) {
            result.skipped += 1;
            return;
          }
          try {
            await options.execute(cell, signal);
            result.done += 1;
            options.onCellDone?.(cell, "done");
          } catch {
            result.failed += 1;
            options.onCellDone?.(cell, "failed");
          }
        }),
      ),
    ),
  );
  return result;
}

/** Time left, from the pace so far; `null` until a cell has finished. */
export function estimateRemainingMs(options: {
  startedAt: number;
  now: number;
  done: number;
  total: number;
}): number | null {
  if (options.done <= 0) return null;
  const remaining = Math.max(0, options.total - options.done);
  return ((options.now - options.startedAt) / options.done) * remaining;
}
