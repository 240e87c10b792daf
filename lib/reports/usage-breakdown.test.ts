import { describe, expect, it } from "vitest";
import type { UsageGroup } from "@/lib/db/queries";
import { emptyUsageTotals } from "@/lib/db/usage-totals";
import { parseBreakdownQuery, prepareUsageBreakdown, ungroupedByKey } from "./usage-breakdown";

function group(key: string, calls: number, costUsd: number): UsageGroup {
  return { ...emptyUsageTotals(), key, calls, costUsd };
}

const noFilter = { source: null, key: null, tag: null };

describe("parseBreakdownQuery", () => {
  it("defaults to by source and ignores unknown values", () => {
    expect(parseBreakdownQuery({})).toEqual({ groupBy: "source", filter: noFilter });
    expect(parseBreakdownQuery({ breakdown: "colour", source: "robot" })).toEqual({
      groupBy: "source",
      filter: noFilter,
    });
  });

  it("reads the grouping and the three filters", () => {
    expect(
      parseBreakdownQuery({ breakdown: "tag", source: "gateway", key: " app ", tag: ["eu", "x"] }),
    ).toEqual({ groupBy: "tag", filter: { source: "gateway", key: "app", tag: "eu" } });
  });
});

describe("prepareUsageBreakdown", () => {
  const totals = { ...emptyUsageTotals(), calls: 5, costUsd: 4 };

  it("shows each group's share and a link narrowing the page to it", () => {
    const view = prepareUsageBreakdown({
      search: "range=7d&breakdown=key",
      groupBy: "key",
      filter: noFilter,
      totals,
      groups: [group("alpha", 3, 3), group("beta", 1, 1)],
      ungroupedCalls: ungroupedByKey(totals, [group("alpha", 3, 3), group("beta", 1, 1)]),
    });
    expect(view.rows.map((row) => [row.key, row.calls, row.share])).toEqual([
      ["alpha", "3", "75%"],
      ["beta", "1", "25%"],
    ]);
    expect(view.rows[0]?.filterHref).toBe("/usage?range=7d&breakdown=key&key=alpha#breakdown");
    expect(view.ungrouped).toMatchObject({ label: "No gateway key", calls: "1" });
    expect(view.tabs.find((tab) => tab.current)?.groupBy).toBe("key");
    expect(view.tabs[0]?.href).toBe("/usage?range=7d#breakdown");
    expect(view.search).toBe("range=7d&breakdown=key");
  });

  it("lists the filters in force with links that remove them, keeping the rest", () => {
    const view = prepareUsageBreakdown({
      search: "range=7d&source=gateway&tag=eu",
      groupBy: "source",
      filter: { source: "gateway", key: null, tag: "eu" },
      totals,
      groups: [group("gateway", 5, 4)],
      ungroupedCalls: null,
    });
    expect(view.active).toEqual([
      { label: "source: gateway", removeHref: "/usage?range=7d&tag=eu#breakdown" },
      { label: "tag: eu", removeHref: "/usage?range=7d&source=gateway#breakdown" },
    ]);
    expect(view.sources.find((chip) => chip.current)?.label).toBe("gateway");
    expect(view.ungrouped).toBeNull();
  });

  it("shows a dash, not 0%, for shares of a range that cost nothing", () => {
    const view = prepareUsageBreakdown({
      search: "",
      groupBy: "tag",
      filter: noFilter,
      totals: { ...emptyUsageTotals(), calls: 2 },
      groups: [group("eu", 2, 0)],
      ungroupedCalls: null,
    });
    expect(view.rows[0]?.share).toBe("—");
  });
});

describe("ungroupedByKey", () => {
  it("is the totals minus the disjoint key groups", () => {
    const totals = { ...emptyUsageTotals(), calls: 10, costUsd: 2 };
    expect(ungroupedByKey(totals, [group("a", 4, 1.5)])).toEqual({ calls: 6, costUsd: 0.5 });
  });
});
