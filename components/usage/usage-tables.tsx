import Link from "next/link";
import type { ReactNode } from "react";
import { LocalTime } from "@/components/local-time";
import {
  formatCompact,
  formatCount,
  formatMilliseconds,
  formatPercent,
  formatRate,
  formatSignedUsd,
  formatUsd,
  MISSING,
} from "@/lib/reports/format";
import type { ModelView, ProviderView, TopRunView } from "@/lib/reports/prepare-dashboard";
import { pricesHref } from "./usage-summary";

const HEADER = "py-1.5 pr-3 font-medium";
const NUMBER = "py-1.5 pr-3 text-right font-mono tabular-nums";

function Missing({ reason }: { reason: string }) {
  return (
    <span title={reason} className="text-muted">
      {MISSING}
    </span>
  );
}

/** Cost of a group: "local" when free by nature, "unpriced" when nothing had a price. */
function CostCell({
  costUsd,
  unpricedCalls,
  local,
  model,
}: {
  costUsd: number | null;
  unpricedCalls: number;
  local: boolean;
  model?: string;
}) {
  let content: ReactNode;
  if (costUsd === null) {
    content = model ? (
      <Link href={pricesHref(model)} className="text-danger hover:underline">
        unpriced
      </Link>
    ) : (
      <span className="text-danger">unpriced</span>
    );
  } else if (local && costUsd === 0) {
    content = <span className="text-muted">local</span>;
  } else {
    content = formatUsd(costUsd);
  }
  return (
    <td className={NUMBER} data-testid="cost-cell" data-value={costUsd ?? ""}>
      {content}
      {costUsd !== null && unpricedCalls > 0 ? (
        <div className="text-[11px] text-danger">+{formatCount(unpricedCalls)} unpriced</div>
      ) : null}
    </td>
  );
}

function Section({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <section className="min-w-0 rounded-md border border-line bg-raised p-3" data-testid={testId}>
      <h2 className="mb-2 font-semibold">{title}</h2>
      <div className="overflow-x-auto">{children}</div>
    </section>
  );
}

export function CostByModelTable({ models }: { models: ModelView[] }) {
  return (
    <Section title="Cost by model" testId="cost-by-model">
      {models.length === 0 ? (
        <p className="text-muted">No calls in this range.</p>
      ) : (
        <table className="w-full border-collapse text-left">
          <thead className="text-[11px] text-muted uppercase tracking-wide">
            <tr className="border-b border-line">
              <th className={HEADER}>Model</th>
              <th className={`${HEADER} text-right`}>Calls</th>
              <th className={`${HEADER} text-right`}>Input</th>
              <th className={`${HEADER} text-right`}>Output</th>
              <th className={`${HEADER} text-right`} title="Cache-read ÷ input tokens">
                Cache hits
              </th>
              <th className={`${HEADER} text-right`}>Cost</th>
              <th className={`${HEADER} text-right`} title="Net of the cache-write premium">
                Saved
              </th>
              <th className={`${HEADER} text-right`} title="Time to first token, p50 / p95">
                TTFT p50 / p95
              </th>
              <th className={`${HEADER} text-right`} title="Median output tokens per second">
                tok/s
              </th>
              <th className={`${HEADER} text-right`}>Errors</th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <tr
                key={model.model}
                className="border-b border-line last:border-0"
                data-testid="model-row"
                data-model={model.model}
              >
                <td className="py-1.5 pr-3 font-mono text-[12px]">{model.model}</td>
                <td className={NUMBER}>{formatCount(model.calls)}</td>
                <td className={NUMBER} title={formatCount(model.inputTokens)}>
                  {formatCompact(model.inputTokens)}
                </td>
                <td className={NUMBER} title={formatCount(model.outputTokens)}>
                  {formatCompact(model.outputTokens)}
                </td>
                <td className={NUMBER}>
                  {model.cacheHitRatio === null ? (
                    <Missing reason="This provider reported no cache counts" />
                  ) : (
                    formatPercent(model.cacheHitRatio)
                  )}
                </td>
                <CostCell
                  costUsd={model.costUsd}
                  unpricedCalls={model.unpricedCalls}
                  local={model.local}
                  model={model.model}
                />
                <td className={NUMBER}>
                  {model.savingsUsd === null ? (
                    <Missing reason="No price, so no savings can be computed" />
                  ) : (
                    formatSignedUsd(model.savingsUsd)
                  )}
                </td>
                <td className={NUMBER}>
                  {model.ttftP50Ms === null ? (
                    <Missing reason="No call reported a first token" />
                  ) : (
                    `${formatMilliseconds(model.ttftP50Ms)} / ${formatMilliseconds(model.ttftP95Ms)}`
                  )}
                </td>
                <td className={NUMBER}>
                  {model.tokensPerSecond === null ? (
                    <Missing reason="No finished call with output and timings" />
                  ) : (
                    formatRate(model.tokensPerSecond)
                  )}
                </td>
                <td className={NUMBER} title={`${formatCount(model.errorCalls)} errors`}>
                  {formatPercent(model.errorRate)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export function CostByProviderTable({ providers }: { providers: ProviderView[] }) {
  return (
    <Section title="Cost by provider" testId="cost-by-provider">
      {providers.length === 0 ? (
        <p className="text-muted">No calls in this range.</p>
      ) : (
        <table className="w-full border-collapse text-left">
          <thead className="text-[11px] text-muted uppercase tracking-wide">
            <tr className="border-b border-line">
              <th className={HEADER}>Provider</th>
              <th className={`${HEADER} text-right`}>Models</th>
              <th className={`${HEADER} text-right`}>Calls</th>
              <th className={`${HEADER} text-right`}>Tokens in / out</th>
              <th className={`${HEADER} text-right`}>Cost</th>
              <th className={`${HEADER} text-right`}>Saved</th>
              <th className={`${HEADER} text-right`}>Errors</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((provider) => (
              <tr
                key={provider.provider}
                className="border-b border-line last:border-0"
                data-testid="provider-row"
                data-provider={provider.provider}
              >
                <td className="py-1.5 pr-3">{provider.provider}</td>
                <td className={NUMBER}>{provider.models}</td>
                <td className={NUMBER}>{formatCount(provider.calls)}</td>
                <td className={NUMBER}>
                  {formatCompact(provider.inputTokens)} / {formatCompact(provider.outputTokens)}
                </td>
                <CostCell
                  costUsd={provider.costUsd}
                  unpricedCalls={provider.unpricedCalls}
                  local={provider.local}
                />
                <td className={NUMBER}>
                  {provider.savingsUsd === null ? (
                    <Missing reason="No price, so no savings can be computed" />
                  ) : (
                    formatSignedUsd(provider.savingsUsd)
                  )}
                </td>
                <td className={NUMBER}>{formatCount(provider.errorCalls)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export function TopRunsTable({ runs, filtered }: { runs: TopRunView[]; filtered: boolean }) {
  return (
    <Section title="Most expensive runs" testId="top-runs">
      {filtered ? (
        <p className="mb-1 text-[11px] text-muted">
          Runs with a call on the selected models, ranked by the whole run&apos;s cost.
        </p>
      ) : null}
      {runs.length === 0 ? (
        <p className="text-muted">No runs in this range.</p>
      ) : (
        <table className="w-full border-collapse text-left">
          <thead className="text-[11px] text-muted uppercase tracking-wide">
            <tr className="border-b border-line">
              <th className={`${HEADER} w-40`}>Started</th>
              <th className={HEADER}>Prompt</th>
              <th className={HEADER}>Models</th>
              <th className={`${HEADER} text-right`}>Cost</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr
                key={run.runId}
                className="border-b border-line align-top last:border-0"
                data-testid="top-run"
                data-run-id={run.runId}
              >
                <td className="py-1.5 pr-3 text-muted">
                  <LocalTime iso={run.startedAt} />
                </td>
                <td className="py-1.5 pr-3">
                  <Link
                    href={run.href}
                    className="line-clamp-2 hover:underline"
                    data-testid="top-run-link"
                  >
                    {run.title}
                  </Link>
                </td>
                <td className="py-1.5 pr-3">
                  <span className="font-mono text-[11px] text-muted">{run.models.join(", ")}</span>
                </td>
                <CostCell costUsd={run.costUsd} unpricedCalls={run.unpricedCalls} local={false} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
