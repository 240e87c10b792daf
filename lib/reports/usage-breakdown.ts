/**
 * The `/usage` page's breakdown by who made the calls: by source, gateway key or tag, with
 * filters on each. The rollups behind the charts carry none of the three, so this part reads
 * `GET /api/usage`'s calls path (lib/db/queries.ts) and says which filters it applies. Pure.
 */
import type { UsageGroup, UsageTotals } from "@/lib/db/queries";
import { formatCount, formatPercent, formatUsd } from "./format";

export type BreakdownGroupBy = "source" | "key" | "tag";

export const BREAKDOWN_SOURCES = ["playground", "evaluation", "judge", "gateway"] as const;

export interface BreakdownFilter {
  source: string | null;
  key: string | null;
  tag: string | null;
}

type Parameters = Record<string, string | string[] | undefined>;

function single(parameters: Parameters, name: string): string | null {
  const value = parameters[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text.slice(0, 200) : null;
}

/** `breakdown`, `source`, `key` and `tag` from the page's query; unknown values are ignored. */
export function parseBreakdownQuery(parameters: Parameters): {
  groupBy: BreakdownGroupBy;
  filter: BreakdownFilter;
} {
  const breakdown = single(parameters, "breakdown");
  const source = single(parameters, "source");
  return {
    groupBy: breakdown === "key" || breakdown === "tag" ? breakdown : "source",
    filter: {
      source: source && (BREAKDOWN_SOURCES as readonly string[]).includes(source) ? source : null,
      key: single(parameters, "key"),
      tag: single(parameters, "tag"),
    },
  };
}

export interface BreakdownRow {
  key: string;
  calls: string;
  cost: string;
  /** Of the breakdown's total cost; tags overlap, so their shares may add up past 100%. */
  share: string;
  unpricedCalls: number;
  /** Narrows the page to this group. */
  filterHref: string;
}

export interface BreakdownView {
  groupBy: BreakdownGroupBy;
  /** The page's query with the breakdown's own parameters: links that change the range keep them. */
  search: string;
  tabs: Array<{ groupBy: BreakdownGroupBy; label: string; href: string; current: boolean }>;
  sources: Array<{ label: string; href: string; current: boolean }>;
  /** The source, key and tag filters in force, each with the link that removes it. */
  active: Array<{ label: string; removeHref: string }>;
  rows: BreakdownRow[];
  /** Calls in no group (no key, no tag): in the totals, so said here. */
  ungrouped: { label: string; calls: string; cost: string } | null;
  totalCalls: string;
  totalCost: string;
}

function hrefWith(search: string, changes: Record<string, string | null>): string {
  const parameters = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) parameters.delete(name);
    else parameters.set(name, value);
  }
  return `/usage?${parameters.toString()}#breakdown`;
}

const TAB_LABELS: Record<BreakdownGroupBy, string> = {
  source: "By source",
  key: "By key",
  tag: "By tag",
};

const UNGROUPED_LABELS: Record<BreakdownGroupBy, string> = {
  source: "",
  key: "No gateway key",
  tag: "Untagged",
};

/** `search` is the page's whole query string, the breakdown's own parameters included. */
export function prepareUsageBreakdown(options: {
  search: string;
  groupBy: BreakdownGroupBy;
  filter: BreakdownFilter;
  totals: UsageTotals;
  groups: readonly UsageGroup[];
  /** Calls in the range and filters that are in no group (tags: computed apart, as they overlap). */
  ungroupedCalls: { calls: number; costUsd: number } | null;
}): BreakdownView {
  const { search, groupBy, filter, totals } = options;
  const filterName = groupBy;
  const rows = options.groups.map((group) => ({
    key: group.key,
    calls: formatCount(group.calls),
    cost: formatUsd(group.costUsd),
    share: totals.costUsd > 0 ? formatPercent(group.costUsd / totals.costUsd) : formatPercent(null),
    unpricedCalls: group.unpricedCalls,
    filterHref: hrefWith(search, { [filterName]: group.key }),
  }));
  const active = (["source", "key", "tag"] as const)
    .filter((name) => filter[name] !== null)
    .map((name) => ({
      label: `${name}: ${filter[name]}`,
      removeHref: hrefWith(search, { [name]: null }),
    }));
  const ungrouped =
    groupBy !== "source" && options.ungroupedCalls && options.ungroupedCalls.calls > 0
      ? {
          label: UNGROUPED_LABELS[groupBy],
          calls: formatCount(options.ungroupedCalls.calls),
          cost: formatUsd(options.ungroupedCalls.costUsd),
        }
      : null;
  return {
    groupBy,
    search,
    tabs: (["source", "key", "tag"] as const).map((tab) => ({
      groupBy: tab,
      label: TAB_LABELS[tab],
      href: hrefWith(search, { breakdown: tab === "source" ? null : tab }),
      current: tab === groupBy,
    })),
    sources: [
      { label: "All sources", href: hrefWith(search, { source: null }), current: !filter.source },
      ...BREAKDOWN_SOURCES.map((source) => ({
        label: source,
        href: hrefWith(search, { source }),
        current: filter.source === source,
      })),
    ],
    active,
    rows,
    ungrouped,
    totalCalls: formatCount(totals.calls),
    totalCost: formatUsd(totals.costUsd),
  };
}

/** Key groups are disjoint, so what no key made is the totals minus the groups. */
export function ungroupedByKey(
  totals: UsageTotals,
  groups: readonly UsageGroup[],
): { calls: number; costUsd: number } {
  const calls = groups.reduce((sum, group) => sum + group.calls, 0);
  const costUsd = groups.reduce((sum, group) => sum + group.costUsd, 0);
  return { calls: totals.calls - calls, costUsd: Math.max(totals.costUsd - costUsd, 0) };
}
