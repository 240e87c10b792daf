"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { OverrideView } from "@/lib/reports/prepare-prices";
import { readApiError } from "@/lib/ui/api-error";

const HEADER = "py-1.5 pr-3 font-medium";
const NUMBER = "py-1.5 pr-3 text-right font-mono tabular-nums";

/** A missing cache rate is billed at the input rate (lib/pricing/types.ts), not free. */
function rateText(value: number | null): string {
  return value === null ? "as input" : `$${Number(value.toPrecision(6))}`;
}

/** The override table, with edit links and remove buttons (`DELETE /api/prices?id=`). */
export function OverrideTable({ overrides }: { overrides: OverrideView[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(override: OverrideView) {
    const warning = override.seeded
      ? "\n\nThis is a seeded OCI estimate: once removed, calls of this model are unpriced until you enter a price."
      : "";
    if (
      !window.confirm(
        `Remove the ${override.provider}:${override.modelPattern} override?${warning}`,
      )
    ) {
      return;
    }
    setBusy(override.id);
    setError(null);
    const response = await fetch(`/api/prices?id=${encodeURIComponent(override.id)}`, {
      method: "DELETE",
    }).catch(() => null);
    setBusy(null);
    if (!response?.ok) {
      setError(
        response ? (await readApiError(response)).message : "the server could not be reached",
      );
      return;
    }
    router.refresh();
  }

  return (
    <section
      id="overrides"
      className="scroll-mt-4 rounded-md border border-line bg-raised p-3"
      data-testid="override-table"
    >
      <h2 className="font-semibold">Overrides</h2>
      <p className="mb-2 text-[11px] text-muted">
        Prices entered here win over the bundled data for calls that start from their date on. The
        OCI models have no bundled prices and come with seeded estimates.
      </p>
      {error ? (
        <p role="alert" className="mb-2 text-danger">
          {error}
        </p>
      ) : null}
      {overrides.length === 0 ? (
        <p className="text-muted">No overrides.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full border-collapse text-left">
            <thead className="text-[11px] text-muted uppercase tracking-wide">
              <tr className="border-b border-line">
                <th className={HEADER}>Provider</th>
                <th className={HEADER}>Model</th>
                <th className={`${HEADER} text-right`}>In / out</th>
                <th className={`${HEADER} text-right`}>Cache r / w</th>
                <th className={HEADER}>From</th>
                <th className={HEADER}>Note</th>
                <th className={HEADER}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {overrides.map((override) => (
                <tr
                  key={override.id}
                  className="border-b border-line align-top last:border-0"
                  data-testid="override-row"
                  data-override-id={override.id}
                  data-model={`${override.provider}:${override.modelPattern}`}
                >
                  <td className="py-1.5 pr-3">{override.provider}</td>
                  <td className="py-1.5 pr-3 font-mono text-[12px]">
                    {override.modelPattern}
                    {override.matchSummary ? (
                      <div className="text-[11px] text-muted" title={override.matches.join(", ")}>
                        {override.matchSummary}
                      </div>
                    ) : null}
                  </td>
                  <td className={NUMBER}>
                    {rateText(override.rates.inputPerMillion)} /{" "}
                    {rateText(override.rates.outputPerMillion)}
                  </td>
                  <td className={NUMBER}>
                    {rateText(override.rates.cacheReadPerMillion)} /{" "}
                    {rateText(override.rates.cacheWritePerMillion)}
                  </td>
                  <td className="py-1.5 pr-3 whitespace-nowrap">
                    {override.effectiveFrom ? override.effectiveFrom.slice(0, 10) : "all calls"}
                  </td>
                  <td className="max-w-72 py-1.5 pr-3 text-[12px] text-muted">
                    {override.seeded ? "seeded · " : ""}
                    {override.note}
                  </td>
                  <td className="py-1.5 text-right whitespace-nowrap">
                    <Link
                      href={`/settings/prices?edit=${encodeURIComponent(override.id)}#override-form`}
                      className="text-accent hover:underline"
                      data-testid="override-edit"
                    >
                      Edit
                    </Link>{" "}
                    <button
                      type="button"
                      onClick={() => remove(override)}
                      disabled={busy === override.id}
                      data-testid="override-remove"
                      className="ml-2 text-danger hover:underline disabled:opacity-60"
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
