"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { RANGE_PRESETS } from "@/lib/reports/dashboard-range";
import type { UsageDashboardView } from "@/lib/reports/prepare-dashboard";

function hrefWith(search: string, changes: Record<string, string | null>): string {
  const parameters = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) parameters.delete(name);
    else parameters.set(name, value);
  }
  return `/usage?${parameters.toString()}`;
}

/**
 * Range presets, a custom date range, and provider/model filters. Everything lives in the URL,
 * so a view can be linked and reloaded; a change navigates and the server renders the figures.
 */
export function UsageFilters({
  view,
}: {
  /** Only what the controls need: the whole view would be sent to the browser twice. */
  view: Pick<UsageDashboardView, "range" | "filters" | "search" | "exportHref">;
}) {
  const router = useRouter();
  const [fromDay, setFromDay] = useState(view.range.fromDay);
  const [toDay, setToDay] = useState(view.range.toDay);
  const presetSearch = (preset: string) =>
    hrefWith(view.search, { range: preset, from: null, to: null });
  const providerModels = view.filters.models.filter(
    (entry) => view.filters.provider === null || entry.provider === view.filters.provider,
  );

  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="usage-filters">
      <nav aria-label="Date range" className="flex items-center gap-1">
        {RANGE_PRESETS.map(({ preset, label }) => {
          const current = view.range.preset === preset;
          return (
            <Link
              key={preset}
              href={presetSearch(preset)}
              data-testid={`range-${preset}`}
              aria-current={current ? "true" : undefined}
              className={`h-8 rounded-md border px-2.5 leading-8 ${current ? "border-accent bg-raised font-medium" : "border-line text-muted hover:text-foreground"}`}
            >
              {label}
            </Link>
          );
        })}
      </nav>
      <form
        className="flex items-end gap-1.5"
        onSubmit={(event) => {
          event.preventDefault();
          router.push(hrefWith(view.search, { range: "custom", from: fromDay, to: toDay }));
        }}
      >
        <label className="flex flex-col text-[11px] text-muted">
          From
          <input
            type="date"
            value={fromDay}
            required
            data-testid="range-from"
            onChange={(event) => setFromDay(event.target.value)}
            className="h-8 rounded-md border border-line bg-raised px-1.5 text-[13px] text-foreground"
          />
        </label>
        <label className="flex flex-col text-[11px] text-muted">
          To
          <input
            type="date"
            value={toDay}
            required
            data-testid="range-to"
            onChange={(event) => setToDay(event.target.value)}
            className="h-8 rounded-md border border-line bg-raised px-1.5 text-[13px] text-foreground"
          />
        </label>
        <button
          type="submit"
          data-testid="range-apply"
          aria-current={view.range.preset === "custom" ? "true" : undefined}
          className={`h-8 rounded-md border px-2.5 ${view.range.preset === "custom" ? "border-accent bg-raised font-medium" : "border-line hover:bg-panel"}`}
        >
          Custom
        </button>
      </form>
      <label className="flex flex-col text-[11px] text-muted">
        Provider
        <select
          value={view.filters.provider ?? ""}
          data-testid="filter-provider"
          onChange={(event) =>
            router.push(
              hrefWith(view.search, { provider: event.target.value || null, model: null }),
            )
          }
          className="h-8 rounded-md border border-line bg-raised px-1.5 text-[13px] text-foreground"
        >
          <option value="">All providers</option>
          {view.filters.providers.map((provider) => (
            <option key={provider} value={provider}>
              {provider}
            </option>
          ))}
          {view.filters.provider && !view.filters.providers.includes(view.filters.provider) ? (
            <option value={view.filters.provider}>{view.filters.provider}</option>
          ) : null}
        </select>
      </label>
      <label className="flex flex-col text-[11px] text-muted">
        Model
        <select
          value={view.filters.model ?? ""}
          data-testid="filter-model"
          onChange={(event) =>
            router.push(hrefWith(view.search, { model: event.target.value || null }))
          }
          className="h-8 max-w-72 rounded-md border border-line bg-raised px-1.5 font-mono text-[12px] text-foreground"
        >
          <option value="">All models</option>
          {providerModels.map((entry) => (
            <option key={entry.model} value={entry.model}>
              {entry.model}
            </option>
          ))}
          {view.filters.model &&
          !providerModels.some((entry) => entry.model === view.filters.model) ? (
            <option value={view.filters.model}>{view.filters.model}</option>
          ) : null}
        </select>
      </label>
      <a
        href={view.exportHref}
        download
        data-testid="usage-export"
        className="ml-auto h-8 rounded-md border border-line bg-raised px-2.5 leading-8 hover:bg-panel"
      >
        Export CSV
      </a>
    </div>
  );
}
