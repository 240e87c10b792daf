import Link from "next/link";
import type { TokenRates } from "@/lib/pricing/types";
import type { PriceRowView } from "@/lib/reports/prepare-prices";

const HEADER = "py-1.5 pr-3 font-medium";
const NUMBER = "py-1.5 pr-3 text-right font-mono tabular-nums";

function perMillion(value: number): string {
  return `$${Number(value.toPrecision(6))}`;
}

/**
 * A rate; a missing cache rate is billed at another one (see lib/pricing/types.ts), so it says
 * which rather than showing a dash that could read as free.
 */
function Rate({ rates, field }: { rates: TokenRates | null; field: keyof TokenRates }) {
  if (rates === null) return <td className={NUMBER}>—</td>;
  const value = rates[field];
  if (value !== null) return <td className={NUMBER}>{perMillion(value)}</td>;
  const fallback =
    field === "cacheWrite5mPerMillion" || field === "cacheWrite1hPerMillion"
      ? rates.cacheWritePerMillion === null
        ? "as input"
        : "as write"
      : "as input";
  return (
    <td className={`${NUMBER} text-muted`} title="No separate rate: billed at this one">
      {fallback}
    </td>
  );
}

function sourceClass(row: PriceRowView): string {
  if (row.sourceKind === "override") return "text-accent";
  if (row.sourceKind === "none") return "text-danger";
  return "text-muted";
}

/** Every model's effective price now, per million tokens, with its source. */
export function PriceList({ prices }: { prices: PriceRowView[] }) {
  return (
    <section className="rounded-md border border-line bg-raised p-3" data-testid="price-list">
      <h2 className="font-semibold">Effective prices</h2>
      <p className="mb-2 text-[11px] text-muted">
        USD per million tokens, as new calls are priced now. An override beats the bundled
        genai-prices data; Ollama and demo models run locally and are free.
      </p>
      <div className="relative overflow-x-auto">
        <table className="w-full border-collapse text-left">
          <thead className="text-[11px] text-muted uppercase tracking-wide">
            <tr className="border-b border-line">
              <th className={HEADER}>Model</th>
              <th className={`${HEADER} text-right`}>Input</th>
              <th className={`${HEADER} text-right`}>Output</th>
              <th className={`${HEADER} text-right`}>Cache read</th>
              <th className={`${HEADER} text-right`}>Cache write</th>
              <th className={`${HEADER} text-right`}>Write 5m</th>
              <th className={`${HEADER} text-right`}>Write 1h</th>
              <th className={HEADER}>Source</th>
              <th className={HEADER}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {prices.map((row) => (
              <tr
                key={row.model}
                className="border-b border-line last:border-0"
                data-testid="price-row"
                data-model={row.model}
                data-source={row.sourceKind}
              >
                <td className="py-1.5 pr-3 font-mono text-[12px]">
                  {row.model}
                  {row.used && row.status === "unpriced" ? (
                    <span className="ml-1.5 rounded border border-danger/50 px-1 text-[10px] text-danger">
                      used, unpriced
                    </span>
                  ) : null}
                </td>
                <Rate rates={row.rates} field="inputPerMillion" />
                <Rate rates={row.rates} field="outputPerMillion" />
                <Rate rates={row.rates} field="cacheReadPerMillion" />
                <Rate rates={row.rates} field="cacheWritePerMillion" />
                <Rate rates={row.rates} field="cacheWrite5mPerMillion" />
                <Rate rates={row.rates} field="cacheWrite1hPerMillion" />
                <td className={`py-1.5 pr-3 text-[12px] ${sourceClass(row)}`}>
                  {row.sourceLabel}
                  {row.tierCount > 0 ? (
                    <span className="text-muted" title="Higher rates above a context threshold">
                      {" "}
                      + {row.tierCount} tier{row.tierCount === 1 ? "" : "s"}
                    </span>
                  ) : null}
                </td>
                <td className="py-1.5 text-right">
                  {row.status === "local" ? null : (
                    <Link
                      href={
                        row.overrideId
                          ? `/settings/prices?edit=${encodeURIComponent(row.overrideId)}#override-form`
                          : `/settings/prices?model=${encodeURIComponent(row.model)}#override-form`
                      }
                      data-testid="price-row-edit"
                      className="whitespace-nowrap text-accent hover:underline"
                    >
                      {row.overrideId
                        ? "Edit override"
                        : row.status === "unpriced"
                          ? "Set price"
                          : "Override"}
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
