import type { Usage } from "./types";

/** A finite, non-negative integer, or `null` when the provider did not report one. */
export function tokenCount(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0
    ? Math.round(value)
    : null;
}

export function emptyUsage(raw: unknown = null): Usage {
  return {
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite5mTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    raw,
  };
}

/** Sum of counts where any known part makes the total known; all-null stays null. */
export function sumKnown(...values: Array<number | null>): number | null {
  let total: number | null = null;
  for (const value of values) if (value !== null) total = (total ?? 0) + value;
  return total;
}
