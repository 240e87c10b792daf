/**
 * `/calls/[callId]`: one recorded call — the request as sent, the response, reasoning, usage,
 * cost parts, price source, timings, and who made it — with "Replay on other models" and the
 * code that makes the same request.
 */
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { CallCodePanel } from "@/components/call-code-panel";
import { ReplayButton } from "@/components/calls/replay-button";
import { LocalTime } from "@/components/local-time";
import { getCallDetail } from "@/lib/db/call-queries";
import { redactSecrets } from "@/lib/models/secrets";
import { formatCount } from "@/lib/reports/format";
import { waitForRecording } from "@/lib/tracing";
import { callsHref } from "@/lib/ui/calls-explorer";
import { formatMilliseconds, formatUsd } from "@/lib/ui/metrics";
import { parseReplayedCall } from "@/lib/ui/replay";
import { DEFAULT_MODELS } from "@/lib/ui/setup";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ callId: string }> }) {
  const { callId } = await params;
  return { title: `Call ${callId.slice(0, 8)} — Locus Playground` };
}

function Section({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="rounded-lg border border-line bg-raised p-3" data-testid={testId}>
      <h2 className="mb-2 font-medium">{title}</h2>
      {children}
    </section>
  );
}

function Pre({ text, testId }: { text: string; testId?: string }) {
  return (
    <pre
      className="max-h-[28rem] overflow-auto whitespace-pre-wrap break-words rounded bg-panel p-2 font-mono text-[12px]"
      data-testid={testId}
    >
      {text}
    </pre>
  );
}

function Facts({ rows, testId }: { rows: Array<[string, ReactNode]>; testId?: string }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1" data-testid={testId}>
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted">{label}</dt>
          <dd className="font-mono text-[12px] tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "not reported" : formatCount(value);
}

export default async function CallPage({ params }: { params: Promise<{ callId: string }> }) {
  const { callId } = await params;
  await waitForRecording();
  const call = getCallDetail({ callId }) ?? notFound();
  const replayed = parseReplayedCall(call);
  const messages = call.messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === "string" ? message.content : JSON.stringify(message.content),
  }));
  const suggestion = DEFAULT_MODELS.find((model) => model !== call.model) ?? "demo:chat";

  return (
    <main
      className="mx-auto flex w-full max-w-6xl flex-1 flex-col gap-3 overflow-y-auto px-4 py-4"
      data-testid="call-page"
      data-call-id={call.callId}
    >
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-base font-semibold">
          Call <span className="font-mono text-[13px]">{call.callId}</span>
        </h1>
        <span className="font-mono" data-testid="call-model">
          {call.model}
        </span>
        <span data-testid="call-page-status">{call.status}</span>
        <Link
          href={callsHref({ source: call.source })}
          className="text-accent hover:underline"
          data-testid="call-source"
        >
          {call.source}
        </Link>
        <Link href={`/runs/${call.runId}`} className="text-accent hover:underline">
          its run
        </Link>
      </div>
      {replayed ? <ReplayButton call={replayed} suggestion={suggestion} /> : null}
      <div className="grid gap-3 lg:grid-cols-2">
        <Section title="Who and when" testId="call-context">
          <Facts
            rows={[
              ["Source", call.source],
              ["Key", call.keyName ?? "—"],
              ["Tags", call.tags.length > 0 ? call.tags.join(", ") : "—"],
              ["End user", call.endUser ?? "—"],
              ["Started", <LocalTime key="started" iso={call.startedAt} />],
              ["Time to first token", formatMilliseconds(call.ttftMs)],
              ["Duration", formatMilliseconds(call.durationMs)],
              ["Attempts", String(call.attempts)],
              [
                "Stop reason",
                call.stopReason ? `${call.stopReason} (${call.rawStopReason ?? "—"})` : "—",
              ],
            ]}
          />
        </Section>
        <Section title="Usage and cost" testId="call-cost">
          <Facts
            rows={[
              ["Input tokens", count(call.usage?.inputTokens)],
              ["Cache read tokens", count(call.usage?.cacheReadTokens)],
              ["Cache write tokens", count(call.usage?.cacheWriteTokens)],
              ["Output tokens", count(call.usage?.outputTokens)],
              ["Reasoning tokens", count(call.usage?.reasoningTokens)],
              ["Input cost", formatUsd(call.cost.inputUsd)],
              ["Cache read cost", formatUsd(call.cost.cacheReadUsd)],
              ["Cache write cost", formatUsd(call.cost.cacheWriteUsd)],
              ["Output cost", formatUsd(call.cost.outputUsd)],
              [
                "Total",
                call.costUsd === null ? (call.pricingStatus ?? "—") : formatUsd(call.costUsd),
              ],
              ["Saved by caching", formatUsd(call.cost.savingsUsd)],
              [
                "Price source",
                <span key="price" data-testid="call-price-source">
                  {call.priceSource ?? "—"}
                </span>,
              ],
            ]}
          />
        </Section>
      </div>
      {call.error ? (
        <Section title="Error" testId="call-error">
          <p className="text-danger">
            {call.error.code}
            {call.error.status ? ` (${call.error.status})` : ""}: {call.error.message}
          </p>
        </Section>
      ) : null}
      <Section title="Request" testId="call-request">
        {call.system ? <Pre text={`system: ${call.system}`} /> : null}
        <ul className="mb-2 flex flex-col gap-1">
          {messages.map((message, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages are fixed and ordered.
            <li key={index}>
              <span className="text-[11px] uppercase text-muted">{message.role}</span>
              <Pre text={message.content} />
            </li>
          ))}
        </ul>
        <details>
          <summary className="cursor-pointer text-muted">As sent to the provider</summary>
          <Pre
            text={redactSecrets(JSON.stringify(call.request, null, 2) ?? "null")}
            testId="call-request-body"
          />
        </details>
      </Section>
      {call.reasoning ? (
        <Section title="Reasoning" testId="call-reasoning">
          <Pre text={call.reasoning} />
        </Section>
      ) : null}
      <Section title="Response" testId="call-response">
        <Pre text={call.output || "(no text)"} testId="call-output-text" />
        {call.toolCalls.length > 0 ? (
          <Pre text={JSON.stringify(call.toolCalls, null, 2)} testId="call-tool-calls" />
        ) : null}
      </Section>
      <Section title="Code">
        <CallCodePanel callId={call.callId} />
      </Section>
    </main>
  );
}
