/**
 * `/runs/[id]`: one past run, read-only, as the playground showed it, with "open in playground"
 * to continue each call's conversation, or to run it again or against other models.
 */
import Link from "next/link";
import { notFound } from "next/navigation";
import { CallOutput } from "@/components/call-output";
import { ImageThumbnails } from "@/components/image-thumbnails";
import { LocalTime } from "@/components/local-time";
import { MetricsStrip } from "@/components/metrics-strip";
import { runPromptOf } from "@/lib/db/run-prompt";
import { getRunDetail, listRunsPage, type RunDetail } from "@/lib/runs/run-queries";
import { describeCallError } from "@/lib/ui/call-error";
import { readUserContent, type TurnImage } from "@/lib/ui/image-attachments";
import { callMetrics, formatUsd } from "@/lib/ui/metrics";
import { turnMetricsInput } from "@/lib/ui/playground-state";
import { isLocalModel } from "@/lib/ui/providers";
import {
  lastUserMessage,
  parseRecordedRun,
  playgroundHref,
  type RecordedRunView,
  turnFromCall,
} from "@/lib/ui/recorded-run";
import { COMPARISON_PARAM } from "@/lib/ui/run-history";
import { MAX_COLUMNS } from "@/lib/ui/setup";

export const dynamic = "force-dynamic";

function load(id: string): RunDetail {
  return getRunDetail({ runId: id }) ?? notFound();
}

/** The same reading of a run as the playground's, so the page shows what "open" loads. */
function asView(run: RunDetail): RecordedRunView {
  const view = parseRecordedRun(run);
  if (!view) throw new Error("a recorded run did not have the shape of GET /api/runs/:id");
  return view;
}

function roleLabel(message: unknown): { role: string; content: string; images: TurnImage[] } {
  const value = message as { role?: unknown; content?: unknown };
  const role = typeof value.role === "string" ? value.role : "message";
  const user = role === "user" ? readUserContent(value.content) : null;
  if (user) return { role, content: user.text, images: user.images };
  return {
    role,
    content:
      typeof value.content === "string" ? value.content : JSON.stringify(value.content ?? null),
    images: [],
  };
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return { title: `Run ${id.slice(0, 8)} — Locus Playground` };
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const run = asView(load(id));
  const { text: prompt, images } = lastUserMessage(run.messages);
  const earlier = run.messages.slice(0, -1);
  const expectsJson = run.responseFormat !== null && run.responseFormat !== undefined;
  const calls = [...run.calls].sort((left, right) => left.index - right.index);
  const totalCost = calls.reduce((sum, call) => sum + (call.costUsd ?? 0), 0);
  const { turn } = runPromptOf(run.messages);
  const comparisonRuns = run.comparisonId
    ? listRunsPage({ comparisonId: run.comparisonId, limit: MAX_COLUMNS }).runs.length
    : 1;

  return (
    <main className="flex min-h-0 flex-1 flex-col" data-testid="run-page" data-run-id={run.id}>
      <div className="shrink-0 space-y-2 border-b border-line px-4 py-3">
        <div className="flex flex-wrap items-center gap-3">
          <Link href="/runs" className="text-muted hover:text-foreground">
            ← Runs
          </Link>
          <h1 className="text-base font-semibold">
            Run
            {turn > 1 ? (
              <span className="ml-1.5 font-normal text-muted" data-testid="run-turn">
                · turn {turn}
              </span>
            ) : null}
          </h1>
          {comparisonRuns > 1 && run.comparisonId ? (
            <Link
              href={`/?${COMPARISON_PARAM}=${encodeURIComponent(run.comparisonId)}`}
              data-testid="open-comparison"
              className="text-accent hover:underline"
            >
              Open the whole comparison ({comparisonRuns} runs)
            </Link>
          ) : null}
          {run.branchedFromRunId ? (
            <Link
              href={`/runs/${encodeURIComponent(run.branchedFromRunId)}`}
              data-testid="run-branched-from"
              className="text-muted hover:underline"
            >
              edited from an earlier run
            </Link>
          ) : null}
          <span className="text-muted">
            <LocalTime iso={run.createdAt} /> · {calls.length} calls · total{" "}
            <span className="font-mono" data-testid="run-total-cost">
              {formatUsd(totalCost)}
            </span>
          </span>
          <Link
            href={playgroundHref(run)}
            data-testid="open-in-playground"
            className="ml-auto inline-flex h-8 items-center rounded-md bg-accent px-3 font-medium text-accent-foreground hover:opacity-90"
          >
            Open in playground
          </Link>
        </div>
        {run.system ? (
          <p className="text-[12px] text-muted">
            <span className="font-medium text-foreground">System:</span> {run.system}
          </p>
        ) : null}
        {earlier.length > 0 ? (
          <details className="text-[12px]">
            <summary className="cursor-pointer text-muted">
              {earlier.length} earlier message{earlier.length > 1 ? "s" : ""} in this conversation
              (each column continues it in the playground)
            </summary>
            <ol className="mt-1 space-y-1">
              {earlier.map((message, position) => {
                const { role, content, images: shown } = roleLabel(message);
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a recorded conversation never changes.
                  <li key={position} className="whitespace-pre-wrap rounded bg-panel px-2 py-1">
                    <span className="font-medium">{role}:</span> {content}
                    <ImageThumbnails images={shown} testId="run-message-images" />
                  </li>
                );
              })}
            </ol>
          </details>
        ) : null}
        <p
          className="whitespace-pre-wrap rounded-md border border-line bg-raised px-2 py-1.5"
          data-testid="run-prompt"
        >
          {prompt}
        </p>
        <ImageThumbnails images={images} testId="run-prompt-images" />
      </div>
      <div className="grid min-h-0 flex-1 auto-cols-[minmax(290px,1fr)] grid-flow-col gap-3 overflow-x-auto p-3 max-sm:auto-cols-[100%] max-sm:snap-x max-sm:snap-mandatory max-sm:*:snap-start">
        {calls.map((call) => {
          const turn = turnFromCall({ call, prompt, images, expectsJson, runId: run.id });
          const local = isLocalModel(call.model, null);
          const errorText = turn.error ? describeCallError({ error: turn.error }) : null;
          return (
            <section
              key={call.callId}
              data-testid="run-call"
              data-status={call.status}
              aria-label={`Call ${call.index + 1}: ${call.model}`}
              className="flex h-full min-h-0 flex-col overflow-hidden rounded-lg border border-line"
            >
              <header className="flex items-center gap-2 px-2 py-1.5">
                <span className="rounded bg-panel px-1 font-mono text-[11px] text-muted">
                  {call.index + 1}
                </span>
                <span className="truncate font-mono text-[12px]">{call.model}</span>
                <span className="ml-auto text-[11px] text-muted">{call.status}</span>
              </header>
              <MetricsStrip
                metrics={callMetrics(turnMetricsInput({ turn, local }))}
                local={local}
              />
              <div className="min-h-0 flex-1 overflow-y-auto px-3 py-2">
                <CallOutput turn={turn} view="markdown" diffBaseline={null} />
                {errorText && turn.phase === "error" ? (
                  <div
                    role="alert"
                    className="mt-2 rounded-md border border-danger/40 bg-danger-surface px-2 py-1.5 text-danger"
                  >
                    <p className="font-medium">{errorText.headline}</p>
                    <p className="text-[12px]">{errorText.detail}</p>
                  </div>
                ) : null}
              </div>
            </section>
          );
        })}
      </div>
    </main>
  );
}
