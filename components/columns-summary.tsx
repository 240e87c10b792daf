"use client";

import { lazy, memo, Suspense, useState } from "react";
import { DEFAULT_SORT, type SummarySort } from "@/lib/ui/columns-summary";
import type { ModelPrices } from "@/lib/ui/model-prices";
import type { Column } from "@/lib/ui/playground-state";
import type { ProviderInfo } from "@/lib/ui/providers";

const ColumnsSummaryTable = lazy(() => import("./columns-summary-table"));

/**
 * Every column in one table, a row each, sortable by any header. Folded by default under a
 * one-line bar above the columns (the table's code loads when it is first opened); opened, it
 * scrolls on its own so sixteen rows stay readable.
 */
function ColumnsSummaryView({
  columns,
  providers,
  prices,
}: {
  columns: Column[];
  providers: ProviderInfo[] | null;
  prices: ModelPrices | null;
}) {
  const [open, setOpen] = useState(false);
  const [sort, setSort] = useState<SummarySort>(DEFAULT_SORT);
  return (
    <section data-testid="columns-summary" className="shrink-0 border-b border-line px-3">
      <button
        type="button"
        data-testid="summary-toggle"
        aria-expanded={open}
        aria-controls="columns-summary-table"
        onClick={() => setOpen((value) => !value)}
        className="py-1 text-[12px] text-muted hover:text-foreground"
      >
        {open ? "▾" : "▸"} Summary of all columns
      </button>
      {open ? (
        <Suspense fallback={<p className="pb-2 text-[12px] text-muted">Loading the summary…</p>}>
          <ColumnsSummaryTable
            columns={columns}
            providers={providers}
            prices={prices}
            sort={sort}
            onSort={setSort}
          />
        </Suspense>
      ) : null}
    </section>
  );
}

export const ColumnsSummary = memo(ColumnsSummaryView);
