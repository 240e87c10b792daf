/**
 * Text for dashboard figures. Every formatter takes `null` and says it is missing (a dash),
 * never 0; the component decides what the dash means (unpriced, not reported, no data).
 */
import { formatCompact, formatMilliseconds, formatRate, formatUsd } from "@/lib/ui/metrics";

export { formatCompact, formatMilliseconds, formatRate, formatUsd };

export const MISSING = "—";

/** 0.4213 → "42.1%"; small non-zero shares keep a digit that shows they are not 0. */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  const percent = value * 100;
  if (percent === 0) return "0%";
  if (Math.abs(percent) < 0.1) return percent > 0 ? "<0.1%" : "-<0.1%";
  return `${percent.toFixed(Math.abs(percent) < 10 ? 1 : 0)}%`;
}

/** A count with thousands separators. */
export function formatCount(value: number | null): string {
  if (value === null) return MISSING;
  return value.toLocaleString("en-US");
}

/** A signed dollar amount: savings can be negative when cache writes cost more than reads saved. */
export function formatSignedUsd(value: number | null): string {
  if (value === null) return MISSING;
  return value < 0 ? `-${formatUsd(-value)}` : formatUsd(value);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2026-01-31` → `Jan 31` (UTC days, as the axis is). */
export function formatDay(day: string): string {
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  return `${MONTHS[month - 1] ?? day.slice(5, 7)} ${date}`;
}
