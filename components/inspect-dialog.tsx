"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import type { CallDetail } from "@/lib/ui/run-detail";
import { CallCodePanel } from "./call-code-panel";
import { CopyButton } from "./copy-button";

function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 0.01 ? 6 : 4)}`;
}

function tokenCount(usage: CallDetail["usage"], name: string): number | null {
  const value = usage?.[name];
  return typeof value === "number" ? value : null;
}

function tokens(value: number | null): string {
  return value === null ? "—" : value.toLocaleString("en-US");
}

/** The cost parts (usage-semantics.md): what each kind of token cost, and the tokens behind it. */
function CostParts({ call }: { call: CallDetail }) {
  const usage = call.usage;
  const input = tokenCount(usage, "inputTokens");
  const cacheRead = tokenCount(usage, "cacheReadTokens");
  const cacheWrite = tokenCount(usage, "cacheWriteTokens");
  const uncached =
    input === null ? null : Math.max(0, input - (cacheRead ?? 0) - (cacheWrite ?? 0));
  const rows: Array<[string, string, string]> = [
    ["Uncached input", tokens(uncached), usd(call.cost?.inputUsd)],
    ["Cache read", tokens(cacheRead), usd(call.cost?.cacheReadUsd)],
    [
      "Cache write (5m / 1h)",
      `${tokens(tokenCount(usage, "cacheWrite5mTokens"))} / ${tokens(tokenCount(usage, "cacheWrite1hTokens"))} of ${tokens(cacheWrite)}`,
      usd(call.cost?.cacheWriteUsd),
    ],
    ["Output", tokens(tokenCount(usage, "outputTokens")), usd(call.cost?.outputUsd)],
    ["Total", "", call.pricingStatus === "unpriced" ? "unpriced" : usd(call.costUsd)],
    ["Saved by caching", "", usd(call.cost?.savingsUsd)],
  ];
  return (
    <>
      <table data-testid="inspect-cost-parts" className="w-full text-[12px]">
        <tbody>
          {rows.map(([label, count, cost]) => (
            <tr key={label} className="border-b border-line last:border-0">
              <th scope="row" className="py-0.5 pr-2 text-left font-normal text-muted">
                {label}
              </th>
              <td className="py-0.5 pr-2 text-right font-mono">{count}</td>
              <td className="py-0.5 text-right font-mono">{cost}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {call.priceSource ? (
        <p className="text-[11px] text-muted">Price: {call.priceSource}</p>
      ) : null}
    </>
  );
}

function Timings({ call }: { call: CallDetail }) {
  const rows: Array<[string, string]> = [
    ["Time to first token", call.ttftMs == null ? "—" : `${call.ttftMs} ms`],
    ["Duration", call.durationMs == null ? "—" : `${call.durationMs} ms`],
    ["Started", call.startedAt ?? "—"],
    ["First token", call.firstTokenAt ?? "—"],
    ["Finished", call.finishedAt ?? "—"],
  ];
  return (
    <table data-testid="inspect-timings" className="w-full text-[12px]">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label} className="border-b border-line last:border-0">
            <th scope="row" className="py-0.5 pr-2 text-left font-normal text-muted">
              {label}
            </th>
            <td className="py-0.5 text-right font-mono">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
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
    <section data-testid={testId} className="space-y-1.5">
      <h3 className="text-[11px] font-semibold uppercase tracking-wide text-muted">{title}</h3>
      {children}
    </section>
  );
}

function JsonPre({ value, testId }: { value: unknown; testId: string }) {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return (
    <div className="relative">
      <pre
        data-testid={testId}
        className="max-h-80 overflow-auto rounded-md border border-line bg-code p-2 font-mono text-[12px] leading-relaxed"
      >
        {text}
      </pre>
      <CopyButton text={text} className="absolute top-1.5 right-1.5" testId={`${testId}-copy`} />
    </div>
  );
}

/**
 * What one column actually sent and got back: the request body as the provider received it
 * (credentials are never recorded, so none can show), the parameters that were not sent and
 * why, and the provider's usage verbatim next to the normalized counts.
 */
export function InspectDialog({
  title,
  state,
  onClose,
}: {
  title: string;
  state:
    | { status: "loading" }
    | { status: "error"; message: string }
    | { status: "ready"; call: CallDetail };
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [tab, setTab] = useState<"details" | "code">("details");
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  return (
    <dialog
      ref={dialog}
      data-testid="inspect-dialog"
      aria-label={title}
      onClose={onClose}
      onCancel={(event) => {
        // Esc closes the dialog only; it must not also stop the runs.
        event.stopPropagation();
      }}
      className="m-auto w-[min(56rem,calc(100vw-2rem))] rounded-lg border border-line bg-background p-0 text-foreground shadow-2xl backdrop:bg-black/40"
    >
      <div className="flex items-center gap-2 border-b border-line px-4 py-2.5">
        <h2 className="font-semibold">{title}</h2>
        <button
          type="button"
          data-testid="inspect-close"
          onClick={() => dialog.current?.close()}
          className="ml-auto rounded px-2 py-1 text-muted hover:bg-panel hover:text-foreground"
        >
          Close
        </button>
      </div>
      <div className="max-h-[75vh] space-y-4 overflow-y-auto p-4">
        {state.status === "loading" ? (
          <p className="text-muted">Loading the recorded call…</p>
        ) : null}
        {state.status === "error" ? (
          <p role="alert" className="text-danger">
            {state.message}
          </p>
        ) : null}
        {state.status === "ready" ? (
          <div role="tablist" aria-label="Inspect" className="flex gap-1 border-b border-line">
            {(["details", "code"] as const).map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={tab === name}
                data-testid={`inspect-tab-${name}`}
                onClick={() => setTab(name)}
                className={`-mb-px border-b-2 px-2 py-1 text-[12px] ${
                  tab === name
                    ? "border-foreground font-medium text-foreground"
                    : "border-transparent text-muted hover:text-foreground"
                }`}
              >
                {name === "details" ? "Details" : "Code"}
              </button>
            ))}
          </div>
        ) : null}
        {state.status === "ready" && tab === "code" ? (
          <CallCodePanel callId={state.call.callId} />
        ) : null}
        {state.status === "ready" && tab === "details" ? (
          <>
            <p className="text-[12px] text-muted">
              {state.call.model} · call {state.call.callId} · {state.call.status}
              {state.call.rawStopReason ? ` · stop reason ${state.call.rawStopReason}` : ""}
            </p>
            <Section title="Cost" testId="inspect-cost">
              <CostParts call={state.call} />
            </Section>
            <Section title="Timings" testId="inspect-timing">
              <Timings call={state.call} />
            </Section>
            <Section title="Request sent to the provider" testId="inspect-request">
              {state.call.request ? (
                <>
                  <p className="font-mono text-[12px]" data-testid="inspect-request-url">
                    POST {state.call.request.url}
                  </p>
                  <JsonPre value={state.call.request.body} testId="inspect-request-body" />
                  <p className="text-[11px] text-muted">
                    Headers and API keys are never recorded, so none are shown.
                  </p>
                </>
              ) : (
                <p className="text-muted">
                  Not recorded (the call failed before a request was made).
                </p>
              )}
            </Section>
            <Section title="Parameters not sent" testId="inspect-unsupported">
              {state.call.unsupported && state.call.unsupported.length > 0 ? (
                <ul className="list-disc space-y-0.5 pl-5">
                  {state.call.unsupported.map((item) => (
                    <li key={item.parameter}>
                      <span className="font-mono">{item.parameter}</span> — {item.reason}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-muted">None: every parameter set was sent.</p>
              )}
            </Section>
            <Section title="Usage" testId="inspect-usage">
              <JsonPre value={state.call.usage ?? null} testId="inspect-usage-normalized" />
            </Section>
            <Section title="Raw usage returned by the provider" testId="inspect-raw-usage">
              {state.call.rawUsage !== undefined ? (
                <JsonPre value={state.call.rawUsage} testId="inspect-raw-usage-body" />
              ) : (
                <p className="text-muted">The server did not include the raw usage.</p>
              )}
            </Section>
          </>
        ) : null}
      </div>
    </dialog>
  );
}
