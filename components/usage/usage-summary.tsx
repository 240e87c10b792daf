import Link from "next/link";
import type { ReactNode } from "react";
import { formatCount, formatSignedUsd, formatUsd, MISSING } from "@/lib/reports/format";
import type { TotalsView, UnpricedBanner } from "@/lib/reports/prepare-dashboard";

function Figure({
  label,
  testId,
  value,
  title,
  children,
  note,
}: {
  label: string;
  testId: string;
  /** The exact number behind the text, for tests and copy; empty when missing. */
  value: number | null;
  title?: string;
  children: ReactNode;
  note?: ReactNode;
}) {
  return (
    <div className="min-w-0 rounded-md border border-line bg-raised px-3 py-2" title={title}>
      <div className="truncate text-[11px] text-muted uppercase tracking-wide">{label}</div>
      <div
        className="truncate font-mono text-base tabular-nums"
        data-testid={`total-${testId}`}
        data-value={value === null ? "" : String(value)}
      >
        {children}
      </div>
      {note ? <div className="truncate text-[11px] text-muted">{note}</div> : null}
    </div>
  );
}

/** The range's totals. A cost that leaves out unpriced calls says so under it. */
export function UsageTotals({ totals }: { totals: TotalsView }) {
  const partial = totals.unpricedCalls > 0 && totals.costUsd !== null;
  return (
    <section
      aria-label="Totals"
      className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5"
      data-testid="usage-totals"
    >
      <Figure
        label="Calls"
        testId="calls"
        value={totals.calls}
        note={
          totals.usageMissingCalls > 0
            ? `${formatCount(totals.usageMissingCalls)} without reported usage`
            : undefined
        }
      >
        {formatCount(totals.calls)}
      </Figure>
      <Figure
        label="Cost"
        testId="cost"
        value={totals.costUsd}
        title={
          totals.costUsd === null
            ? "No call in this range has a price"
            : partial
              ? "Sum over priced calls; unpriced calls are not included"
              : "Sum over every call in the range"
        }
        note={partial ? `+ ${formatCount(totals.unpricedCalls)} unpriced` : undefined}
      >
        {totals.costUsd === null ? "unpriced" : formatUsd(totals.costUsd)}
      </Figure>
      <Figure
        label="Saved by caching"
        testId="savings"
        value={totals.savingsUsd}
        title="What the same calls would have cost with no cache, minus what they cost, after the cache-write premium"
      >
        {totals.savingsUsd === null ? MISSING : formatSignedUsd(totals.savingsUsd)}
      </Figure>
      <Figure label="Errors" testId="errors" value={totals.errorCalls}>
        {formatCount(totals.errorCalls)}
      </Figure>
      <Figure
        label="Unpriced calls"
        testId="unpriced"
        value={totals.unpricedCalls}
        title="Calls that reported usage for a model with no known price"
      >
        {formatCount(totals.unpricedCalls)}
      </Figure>
      <Figure
        label="Calls without usage"
        testId="usage-missing"
        value={totals.usageMissingCalls}
        title="Calls that ended before their provider reported usage (failed first, not sent, cancelled early): nothing to price, not a price problem"
      >
        {formatCount(totals.usageMissingCalls)}
      </Figure>
      <Figure
        label="Input tokens"
        testId="input-tokens"
        value={totals.inputTokens}
        title="All input tokens, cache reads and writes included"
      >
        {formatCount(totals.inputTokens)}
      </Figure>
      <Figure label="Output tokens" testId="output-tokens" value={totals.outputTokens}>
        {formatCount(totals.outputTokens)}
      </Figure>
      <Figure label="Cache-read tokens" testId="cache-read-tokens" value={totals.cacheReadTokens}>
        {formatCount(totals.cacheReadTokens)}
      </Figure>
      <Figure
        label="Cache-write tokens"
        testId="cache-write-tokens"
        value={totals.cacheWriteTokens}
      >
        {formatCount(totals.cacheWriteTokens)}
      </Figure>
      <Figure
        label="Reasoning tokens"
        testId="reasoning-tokens"
        value={totals.reasoningTokens}
        title="Part of the output tokens, where the provider reports it"
      >
        {formatCount(totals.reasoningTokens)}
      </Figure>
    </section>
  );
}

export function pricesHref(model: string): string {
  return `/settings/prices?model=${encodeURIComponent(model)}#override-form`;
}

/** Shown whenever calls in the range have no cost: unknown, never $0. */
export function UnpricedUsageBanner({ banner }: { banner: UnpricedBanner }) {
  const withoutPrice = banner.models.filter((entry) => !entry.hasPrice);
  const withoutUsage = banner.models.filter((entry) => entry.hasPrice);
  return (
    <div
      role="status"
      data-testid="unpriced-banner"
      className="rounded-md border border-danger/40 bg-danger-surface px-3 py-2"
    >
      <p>
        <strong className="font-semibold">
          {formatCount(banner.calls)} {banner.calls === 1 ? "call has" : "calls have"} no cost
        </strong>
        , so the costs here leave {banner.calls === 1 ? "it" : "them"} out.
      </p>
      {withoutPrice.length > 0 ? (
        <UnpricedModelList
          label="No price is known; set one for:"
          entries={withoutPrice}
          linkToPrices
        />
      ) : null}
      {withoutUsage.length > 0 ? (
        <UnpricedModelList
          label="Priced, but the provider reported no usage (e.g. the call failed first):"
          entries={withoutUsage}
          linkToPrices={false}
        />
      ) : null}
    </div>
  );
}

function UnpricedModelList({
  label,
  entries,
  linkToPrices,
}: {
  label: string;
  entries: UnpricedBanner["models"];
  linkToPrices: boolean;
}) {
  const chip = "rounded border border-line bg-raised px-1.5 font-mono text-[12px]";
  return (
    <div className="mt-1">
      <p className="text-[12px]">{label}</p>
      <ul className="mt-1 flex flex-wrap gap-1.5">
        {entries.map((entry) => (
          <li key={entry.model}>
            {linkToPrices ? (
              <Link
                href={pricesHref(entry.model)}
                data-testid="unpriced-model"
                className={`${chip} hover:underline`}
              >
                {entry.model}
              </Link>
            ) : (
              <span data-testid="usage-missing-model" className={chip}>
                {entry.model}
              </span>
            )}{" "}
            <span className="text-[11px] text-muted">{formatCount(entry.calls)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
