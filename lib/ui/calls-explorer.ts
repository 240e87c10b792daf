/**
 * The `/calls` explorer's pure parts: its filters as they live in the URL (the same names as
 * `GET /api/calls`), and links that change one filter while keeping the others.
 */

export const CALL_FILTER_NAMES = [
  "source",
  "model",
  "provider",
  "status",
  "key",
  "tag",
  "from",
  "to",
  "search",
] as const;

export type CallFilterName = (typeof CALL_FILTER_NAMES)[number];
export type CallFilterValues = Partial<Record<CallFilterName, string>>;

type Parameters = Record<string, string | string[] | undefined>;

/** The filters present (trimmed, non-empty), ignoring anything else in the query. */
export function callFilterValues(parameters: Parameters): CallFilterValues {
  const values: CallFilterValues = {};
  for (const name of CALL_FILTER_NAMES) {
    const raw = parameters[name];
    const text = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (text) values[name] = text.slice(0, 500);
  }
  return values;
}

/** `/calls?…` with `changes` applied (`null` removes a filter); paging always restarts. */
export function callsHref(
  values: CallFilterValues,
  changes: Partial<Record<CallFilterName | "cursor", string | null>> = {},
): string {
  const search = new URLSearchParams();
  const merged: Partial<Record<string, string | null>> = { ...values, ...changes };
  for (const name of [...CALL_FILTER_NAMES, "cursor"]) {
    const value = merged[name];
    if (value) search.set(name, value);
  }
  const query = search.toString();
  return query ? `/calls?${query}` : "/calls";
}

/** `2026-01-31` or an ISO instant as the API wants it; a date input's day is a UTC day. */
export function dayToInstant(day: string | undefined, endOfDay: boolean): string | undefined {
  if (!day) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  if (!endOfDay) return day;
  const next = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(next.getTime())) return day;
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
