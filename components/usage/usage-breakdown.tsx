import Link from "next/link";
import type { BreakdownView } from "@/lib/reports/usage-breakdown";

const HEADER = "py-1.5 pr-3 font-medium";
const NUMBER = "py-1.5 pr-3 text-right font-mono tabular-nums";
const CHIP = "rounded-md border px-2 py-0.5";

/**
 * Spend by source, gateway key or tag, with source, key and tag filters. Those filters apply
 * to this table only: the charts above are drawn from rollups that do not carry them.
 */
export function UsageBreakdown({ view }: { view: BreakdownView }) {
  return (
    <section
      id="breakdown"
      className="rounded-lg border border-line bg-raised p-3"
      data-testid="usage-breakdown"
      data-group-by={view.groupBy}
    >
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h2 className="font-medium">Who made the calls</h2>
        <nav aria-label="Breakdown" className="flex gap-1">
          {view.tabs.map((tab) => (
            <Link
              key={tab.groupBy}
              href={tab.href}
              data-testid={`breakdown-${tab.groupBy}`}
              aria-current={tab.current ? "true" : undefined}
              className={`${CHIP} ${tab.current ? "border-accent font-medium" : "border-line text-muted hover:text-foreground"}`}
            >
              {tab.label}
            </Link>
          ))}
        </nav>
        <nav aria-label="Source filter" className="flex flex-wrap gap-1">
          {view.sources.map((chip) => (
            <Link
              key={chip.label}
              href={chip.href}
              data-testid={`breakdown-source-${chip.label.replaceAll(" ", "-")}`}
              aria-current={chip.current ? "true" : undefined}
              className={`${CHIP} text-[12px] ${chip.current ? "border-accent font-medium" : "border-line text-muted hover:text-foreground"}`}
            >
              {chip.label}
            </Link>
          ))}
        </nav>
        {view.active.map((filter) => (
          <Link
            key={filter.label}
            href={filter.removeHref}
            data-testid="breakdown-active-filter"
            title="Remove this filter"
            className={`${CHIP} border-accent text-[12px]`}
          >
            {filter.label} ✕
          </Link>
        ))}
        <span className="ml-auto text-muted" data-testid="breakdown-totals">
          {view.totalCalls} calls · {view.totalCost}
        </span>
      </div>
      {view.rows.length === 0 && !view.ungrouped ? (
        <p className="py-2 text-muted" data-testid="breakdown-empty">
          No calls here{view.groupBy === "source" ? "" : ` with a ${view.groupBy}`}.
        </p>
      ) : (
        <table className="w-full text-left">
          <thead className="text-[11px] text-muted">
            <tr>
              <th className={HEADER}>{view.groupBy}</th>
              <th className={`${HEADER} text-right`}>Calls</th>
              <th className={`${HEADER} text-right`}>Cost</th>
              <th className={`${HEADER} text-right`}>Share</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <tr key={row.key} className="border-t border-line" data-testid="breakdown-row">
                <td className="py-1.5 pr-3 font-mono text-[12px]">
                  <Link href={row.filterHref} className="hover:underline">
                    {row.key}
                  </Link>
                </td>
                <td className={NUMBER}>{row.calls}</td>
                <td className={NUMBER}>
                  {row.cost}
                  {row.unpricedCalls > 0 ? (
                    <span className="text-muted" title="calls without a price are not in the cost">
                      {" "}
                      +{row.unpricedCalls} unpriced
                    </span>
                  ) : null}
                </td>
                <td className={NUMBER}>{row.share}</td>
              </tr>
            ))}
            {view.ungrouped ? (
              <tr className="border-t border-line text-muted" data-testid="breakdown-ungrouped">
                <td className="py-1.5 pr-3">{view.ungrouped.label}</td>
                <td className={NUMBER}>{view.ungrouped.calls}</td>
                <td className={NUMBER}>{view.ungrouped.cost}</td>
                <td className={NUMBER} />
              </tr>
            ) : null}
          </tbody>
        </table>
      )}
    </section>
  );
}
