/**
 * The date range and filters of `/usage`, read from its query string. Days are UTC days, as
 * in `GET /api/usage`: a preset covers whole days up to the end of today, so its rollup reads
 * never need the partial-day path. A custom range takes inclusive dates (`2026-01-01` to
 * `2026-01-31`) or exact ISO instants (`2026-01-31T14:05:00Z`, used by links that mean a
 * precise window). Pure: the clock is a parameter.
 */

import { DAY_MS } from "@/lib/time";

export type RangePreset = "today" | "7d" | "30d" | "custom";

export const RANGE_PRESETS: ReadonlyArray<{
  preset: Exclude<RangePreset, "custom">;
  label: string;
}> = [
  { preset: "today", label: "Today" },
  { preset: "7d", label: "7 days" },
  { preset: "30d", label: "30 days" },
];

const PRESET_DAYS: Record<Exclude<RangePreset, "custom">, number> = {
  today: 1,
  "7d": 7,
  "30d": 30,
};

export const DEFAULT_PRESET: Exclude<RangePreset, "custom"> = "30d";

/** Longest custom range: ten years of days is already more than any chart can show. */
const MAX_RANGE_DAYS = 3_660;

export interface DashboardRange {
  preset: RangePreset;
  /** Inclusive start and exclusive end. */
  from: Date;
  to: Date;
  /** For date inputs: the first and the last day the range touches (inclusive, UTC). */
  fromDay: string;
  toDay: string;
  /** What the page calls it: "Last 30 days", "2026-01-01 to 2026-01-31". */
  label: string;
  /** True when `from` and `to` were given as instants rather than days. */
  exact: boolean;
}

export interface DashboardQuery {
  range: DashboardRange;
  provider: string | null;
  model: string | null;
  /** Why the asked-for range was not used (the default range is shown instead). */
  error: string | null;
}

export type SearchParameters = Record<string, string | string[] | undefined>;

function single(parameters: SearchParameters, name: string): string | null {
  const value = parameters[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text.slice(0, 300) : null;
}

function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A `YYYY-MM-DD` that names a real day (not `2026-02-30`), as epoch ms of its UTC midnight. */
function parseDay(value: string): number | null {
  if (!DATE_PATTERN.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && dayString(ms) === value ? ms : null;
}

function parseInstant(value: string): number | null {
  if (!INSTANT_PATTERN.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export function presetRange(preset: Exclude<RangePreset, "custom">, now: Date): DashboardRange {
  const days = PRESET_DAYS[preset];
  const to = startOfDay(now.getTime()) + DAY_MS;
  const from = to - days * DAY_MS;
  return {
    preset,
    from: new Date(from),
    to: new Date(to),
    fromDay: dayString(from),
    toDay: dayString(to - DAY_MS),
    label: preset === "today" ? "Today (UTC)" : `Last ${days} days`,
    exact: false,
  };
}

function formatInstant(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

function customRange(fromText: string, toText: string): DashboardRange | string {
  const fromDay = parseDay(fromText);
  const toDay = parseDay(toText);
  if (fromDay !== null && toDay !== null) {
    if (toDay < fromDay) return "the range ends before it starts";
    if ((toDay - fromDay) / DAY_MS + 1 > MAX_RANGE_DAYS) return "the range is too long";
    return {
      preset: "custom",
      from: new Date(fromDay),
      to: new Date(toDay + DAY_MS),
      fromDay: fromText,
      toDay: toText,
      label: fromText === toText ? fromText : `${fromText} to ${toText}`,
      exact: false,
    };
  }
  const fromMs = fromDay ?? parseInstant(fromText);
  const toMs = parseInstant(toText) ?? (toDay === null ? null : toDay + DAY_MS);
  if (fromMs === null || toMs === null) return "dates must look like 2026-01-31";
  if (!(toMs > fromMs)) return "the range ends before it starts";
  if ((toMs - fromMs) / DAY_MS > MAX_RANGE_DAYS) return "the range is too long";
  return {
    preset: "custom",
    from: new Date(fromMs),
    to: new Date(toMs),
    fromDay: dayString(fromMs),
    toDay: dayString(toMs - 1),
    label: `${formatInstant(fromMs)} to ${formatInstant(toMs)} UTC`,
    exact: true,
  };
}

export function parseDashboardQuery(parameters: SearchParameters, now: Date): DashboardQuery {
  const provider = single(parameters, "provider");
  const model = single(parameters, "model");
  const rangeName = single(parameters, "range");
  const fromText = single(parameters, "from");
  const toText = single(parameters, "to");

  let error: string | null = null;
  let range: DashboardRange | null = null;
  if (rangeName === "today" || rangeName === "7d" || rangeName === "30d") {
    range = presetRange(rangeName, now);
  } else if (rangeName === "custom" || fromText !== null || toText !== null) {
    if (fromText === null || toText === null) {
      error = "a custom range needs both a start and an end date";
    } else {
      const custom = customRange(fromText, toText);
      if (typeof custom === "string") error = custom;
      else range = custom;
    }
  } else if (rangeName !== null) {
    error = `unknown range “${rangeName}”`;
  }
  return {
    range: range ?? presetRange(DEFAULT_PRESET, now),
    provider,
    model,
    error,
  };
}

/** The query string that reproduces a range and filters (for links and the CSV export). */
export function dashboardSearch(options: {
  range: DashboardRange;
  provider: string | null;
  model: string | null;
}): URLSearchParams {
  const search = new URLSearchParams();
  const { range } = options;
  if (range.preset === "custom") {
    search.set("range", "custom");
    search.set("from", range.exact ? range.from.toISOString() : range.fromDay);
    search.set("to", range.exact ? range.to.toISOString() : range.toDay);
  } else {
    search.set("range", range.preset);
  }
  if (options.provider) search.set("provider", options.provider);
  if (options.model) search.set("model", options.model);
  return search;
}

/** `GET /api/usage/export` for exactly the calls the page is showing. */
export function exportHref(options: {
  range: DashboardRange;
  provider: string | null;
  model: string | null;
}): string {
  const search = new URLSearchParams({
    format: "csv",
    from: options.range.from.toISOString(),
    to: options.range.to.toISOString(),
  });
  if (options.provider) search.set("provider", options.provider);
  if (options.model) search.set("model", options.model);
  return `/api/usage/export?${search.toString()}`;
}
