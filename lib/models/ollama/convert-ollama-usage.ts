import type { Usage } from "../types";
import { emptyUsage, tokenCount } from "../usage";

const COUNT_FIELDS = ["prompt_eval_count", "prompt_eval_cached_count", "eval_count"] as const;

/** Nanosecond durations of the final object, and the name each gets in `durationsMs`. */
const DURATION_FIELDS = {
  total_duration: "total",
  load_duration: "load",
  prompt_eval_duration: "promptEval",
  eval_duration: "eval",
} as const;

type DurationName = (typeof DURATION_FIELDS)[keyof typeof DURATION_FIELDS];

/**
 * Usage of the final (`done: true`) object. `prompt_eval_count` is the whole prompt on
 * current servers, cached part included (`prompt_eval_cached_count`, newer servers only);
 * older servers omit it on a cache hit, which stays `null`. There is no cache write and no
 * reasoning count. `raw` keeps the count and duration fields verbatim (nanoseconds) and adds
 * `durationsMs` for display. `null` when the object carries none of them.
 */
export function convertOllamaUsage(final: Record<string, unknown>): Usage | null {
  const raw: Record<string, unknown> = {};
  for (const field of COUNT_FIELDS) if (final[field] !== undefined) raw[field] = final[field];
  const durationsMs: Partial<Record<DurationName, number>> = {};
  for (const [field, name] of Object.entries(DURATION_FIELDS) as Array<
    [keyof typeof DURATION_FIELDS, DurationName]
  >) {
    const value = final[field];
    if (value === undefined) continue;
    raw[field] = value;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
      durationsMs[name] = Math.round(value / 1_000) / 1_000;
    }
  }
  if (Object.keys(raw).length === 0) return null;
  if (Object.keys(durationsMs).length > 0) raw.durationsMs = durationsMs;

  const inputTokens = tokenCount(final.prompt_eval_count);
  const cached = tokenCount(final.prompt_eval_cached_count);
  return {
    ...emptyUsage(raw),
    inputTokens,
    outputTokens: tokenCount(final.eval_count),
    // A cached count above the total would break `cacheRead <= input`; it is not trusted.
    cacheReadTokens:
      cached !== null && inputTokens !== null && cached > inputTokens ? null : cached,
  };
}
