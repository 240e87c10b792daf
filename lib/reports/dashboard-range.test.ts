import { describe, expect, it } from "vitest";
import { dashboardSearch, exportHref, parseDashboardQuery, presetRange } from "./dashboard-range";

const NOW = new Date("2026-03-01T12:34:56Z");

describe("parseDashboardQuery", () => {
  it("defaults to the last 30 whole UTC days, today included", () => {
    const query = parseDashboardQuery({}, NOW);
    expect(query.error).toBeNull();
    expect(query.range).toMatchObject({
      preset: "30d",
      fromDay: "2026-01-31",
      toDay: "2026-03-01",
      label: "Last 30 days",
    });
    expect(query.range.from.toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(query.range.to.toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });

  it("reads the presets", () => {
    expect(parseDashboardQuery({ range: "today" }, NOW).range).toMatchObject({
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-03-02T00:00:00Z"),
      label: "Today (UTC)",
    });
    expect(parseDashboardQuery({ range: "7d" }, NOW).range.from).toEqual(
      new Date("2026-02-23T00:00:00Z"),
    );
  });

  it("takes a custom range of inclusive days", () => {
    const query = parseDashboardQuery(
      { range: "custom", from: "2026-01-01", to: "2026-01-31" },
      NOW,
    );
    expect(query.error).toBeNull();
    expect(query.range).toMatchObject({
      preset: "custom",
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2026-02-01T00:00:00Z"),
      label: "2026-01-01 to 2026-01-31",
      exact: false,
    });
  });

  it("takes exact instants, for links to a precise window", () => {
    const query = parseDashboardQuery(
      { from: "2026-02-10T14:05:00.250Z", to: "2026-02-10T14:07:30Z" },
      NOW,
    );
    expect(query.error).toBeNull();
    expect(query.range.from.toISOString()).toBe("2026-02-10T14:05:00.250Z");
    expect(query.range.to.toISOString()).toBe("2026-02-10T14:07:30.000Z");
    expect(query.range.exact).toBe(true);
    expect(query.range.fromDay).toBe("2026-02-10");
  });

  it("falls back to the default range and says why when the range is unusable", () => {
    for (const parameters of [
      { range: "custom", from: "2026-01-31", to: "2026-01-01" },
      { range: "custom", from: "2026-02-30", to: "2026-03-01" },
      { range: "custom", from: "yesterday", to: "2026-03-01" },
      { range: "custom", from: "2026-01-01" },
      { range: "forever" },
    ]) {
      const query = parseDashboardQuery(parameters, NOW);
      expect(query.error).not.toBeNull();
      expect(query.range.preset).toBe("30d");
    }
  });

  it("reads the provider and model filters, first value only", () => {
    const query = parseDashboardQuery(
      { provider: ["openai", "anthropic"], model: " openai:gpt-4o-mini " },
      NOW,
    );
    expect(query.provider).toBe("openai");
    expect(query.model).toBe("openai:gpt-4o-mini");
    expect(parseDashboardQuery({ provider: "" }, NOW).provider).toBeNull();
  });
});

describe("dashboardSearch and exportHref", () => {
  it("round-trips a custom range and filters through the query string", () => {
    const query = parseDashboardQuery(
      { range: "custom", from: "2026-01-01", to: "2026-01-31", provider: "openai" },
      NOW,
    );
    const search = dashboardSearch({ range: query.range, provider: "openai", model: null });
    const again = parseDashboardQuery(Object.fromEntries(search), NOW);
    expect(again.range).toEqual(query.range);
    expect(again.provider).toBe("openai");
  });

  it("round-trips exact instants", () => {
    const query = parseDashboardQuery(
      { from: "2026-02-10T14:05:00.250Z", to: "2026-02-10T14:07:30Z" },
      NOW,
    );
    const search = dashboardSearch({ range: query.range, provider: null, model: null });
    expect(parseDashboardQuery(Object.fromEntries(search), NOW).range).toEqual(query.range);
  });

  it("exports exactly the page's calls", () => {
    const href = exportHref({
      range: presetRange("7d", NOW),
      provider: null,
      model: "anthropic:claude-sonnet-4-5",
    });
    const url = new URL(href, "http://127.0.0.1");
    expect(url.pathname).toBe("/api/usage/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: "csv",
      from: "2026-02-23T00:00:00.000Z",
      to: "2026-03-02T00:00:00.000Z",
      model: "anthropic:claude-sonnet-4-5",
    });
  });
});
