"use client";

import { type Dispatch, memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { describeCallError } from "@/lib/ui/call-error";
import { ownMetrics } from "@/lib/ui/columns-summary";
import { costBasisOf, type ModelPrices } from "@/lib/ui/model-prices";
import { columnProblems } from "@/lib/ui/parameter-check";
import {
  type Column,
  isActive,
  lastTurn,
  type OutputView,
  type PlaygroundAction,
  type Turn,
  type TurnRetry,
} from "@/lib/ui/playground-state";
import { findProvider, isLocalModel, type ProviderInfo } from "@/lib/ui/providers";
import { retryNote } from "@/lib/ui/retry-note";
import type { UnsupportedParameter } from "@/lib/ui/run-detail";
import { CallOutput } from "./call-output";
import { ColumnParametersPanel } from "./column-parameters";
import { CopyButton } from "./copy-button";
import { Icon, type IconName } from "./icons";
import { ImageThumbnails } from "./image-thumbnails";
import { MetricsStrip } from "./metrics-strip";
import { ModelPicker } from "./model-picker";
import { TurnPrompt } from "./turn-prompt";

const PHASE_LABELS: Record<Turn["phase"], string> = {
  pending: "waiting",
  streaming: "streaming",
  ok: "done",
  error: "error",
  cancelled: "cancelled",
};

const PHASE_STYLES: Record<Turn["phase"], string> = {
  pending: "text-muted",
  streaming: "text-accent",
  ok: "text-muted",
  error: "text-danger",
  cancelled: "text-muted",
};

function ToolButton({
  icon,
  label,
  testId,
  onClick,
  disabled,
  pressed,
}: {
  icon: IconName;
  label: string;
  testId: string;
  onClick: () => void;
  disabled?: boolean;
  pressed?: boolean;
}) {
  return (
    <button
      type="button"
      data-testid={testId}
      aria-label={label}
      title={label}
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
      className="inline-flex size-7 shrink-0 items-center justify-center rounded text-muted hover:bg-raised hover:text-foreground disabled:opacity-35 disabled:hover:bg-transparent aria-pressed:bg-raised aria-pressed:text-accent"
    >
      <Icon name={icon} />
    </button>
  );
}

function ErrorNote({ turn, providers }: { turn: Turn; providers: ProviderInfo[] | null }) {
  if (turn.phase !== "error" || !turn.error) return null;
  const text = describeCallError({
    error: turn.error,
    missingConfiguration: findProvider(turn.model, providers)?.configuration.missing,
  });
  return (
    <div
      role="alert"
      data-testid="column-error"
      data-error-code={turn.error.code}
      className="mt-2 rounded-md border border-danger/40 bg-danger-surface px-2 py-1.5 text-danger"
    >
      <p className="font-medium" data-testid="column-error-headline">
        {text.headline}
      </p>
      <p className="mt-0.5 break-words text-[12px] opacity-90">{text.detail}</p>
    </div>
  );
}

/** Ticks once a second while the call waits, so the countdown moves. */
function RetryNote({ retry }: { retry: TurnRetry }) {
  const [now, setNow] = useState(() => Date.now());
  // A new wait (the next call-retry) restarts the clock at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restarts when the retry changes.
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [retry]);
  return (
    <p
      role="status"
      data-testid="retry-note"
      data-attempt={retry.attempt}
      data-max-attempts={retry.maxAttempts}
      className="mt-2 rounded-md border border-line bg-panel px-2 py-1.5 text-[12px]"
      title={retry.error.message}
    >
      {retryNote(retry, now)}
    </p>
  );
}

function TurnView({
  turn,
  column,
  view,
  diffBaseline,
  providers,
  latest,
  hideModel,
  editable,
  sharedCount,
  onResend,
}: {
  turn: Turn;
  column: Column;
  view: OutputView;
  diffBaseline: string | null;
  providers: ProviderInfo[] | null;
  latest: boolean;
  hideModel: boolean;
  editable: boolean;
  sharedCount: number;
  onResend: ((prompt: string) => void) | null;
}) {
  return (
    <article data-testid="turn" data-latest={latest ? "true" : "false"} className="py-2">
      <TurnPrompt turn={turn} editable={editable} sharedCount={sharedCount} onResend={onResend} />
      {turn.images ? <ImageThumbnails images={turn.images} /> : null}
      {turn.model !== column.model && !hideModel ? (
        <p className="mb-1 text-[11px] text-muted" data-testid="turn-source">
          answered by {turn.model}
        </p>
      ) : null}
      <div data-testid={latest ? "column-output" : "turn-output"}>
        <CallOutput turn={turn} view={view} diffBaseline={latest ? diffBaseline : null} />
      </div>
      {turn.phase === "cancelled" ? (
        <p className="mt-1 text-[11px] text-muted" data-testid="cancelled-note">
          Stopped — the partial answer is kept.
        </p>
      ) : null}
      {turn.phase === "ok" && turn.stopReason === "length" ? (
        <p className="mt-1 text-[11px] text-muted">Cut off at the max-token limit.</p>
      ) : null}
      {turn.retry && isActive(turn) ? <RetryNote retry={turn.retry} /> : null}
      {hideModel ? (
        turn.phase === "error" ? (
          <p role="alert" data-testid="column-error" className="mt-2 text-danger">
            This answer failed; its reason is shown after the vote.
          </p>
        ) : null
      ) : (
        <ErrorNote turn={turn} providers={providers} />
      )}
    </article>
  );
}

export interface CompareColumnProps {
  column: Column;
  position: number;
  count: number;
  providers: ProviderInfo[] | null;
  /** Current prices, for a running column's cost so far. */
  prices: ModelPrices | null;
  sharedSystem: string;
  view: OutputView;
  /** Any column is running: history-changing actions wait. */
  running: boolean;
  isBaseline: boolean;
  /** The baseline's latest answer when this column is diffed against it. */
  diffBaseline: string | null;
  maximised: boolean;
  unsupported: UnsupportedParameter[] | null;
  dispatch: Dispatch<PlaygroundAction>;
  onRetry: (columnId: string) => void;
  /** Edit a turn's prompt and resend from it (absent in blind mode). */
  onEditTurn?: (columnId: string, turnIndex: number, prompt: string) => void;
  /** How many columns share each of this column's turns (edit resends them all). */
  sharedTurnCounts?: number[];
  onInspect: (columnId: string) => void;
  onRefreshProviders: () => void;
  /**
   * Blind mode: the column is shown as its letter, its model (and whatever would give it away:
   * parameters, metrics, per-column actions) hidden until `revealed` names it after the vote.
   */
  blindLetter?: string | null;
  /** The model the vote revealed for this blind column; `null` while hidden. */
  blindRevealed?: string | null;
  /** Opened as a replay: this column's cost and latency against the original call. */
  replayCost?: string | null;
  replayLatency?: string | null;
}

function CompareColumnView(props: CompareColumnProps) {
  const { column, position, count, providers, dispatch, running, maximised, onEditTurn } = props;
  const [showParameters, setShowParameters] = useState(false);
  const latest = lastTurn(column);
  const local = isLocalModel(latest?.model ?? column.model, providers);
  // A history carried over by "continue from" has no numbers of this column's own.
  const metrics = ownMetrics({
    turn: latest,
    local,
    costBasis: costBasisOf(latest?.model ?? column.model, props.prices),
  });
  const provider = findProvider(column.model, providers);
  const columnActive = latest !== undefined && isActive(latest);
  // Primitive props, so the memoised column is not re-rendered for a new object each time.
  const blind = props.blindLetter
    ? { letter: props.blindLetter, revealed: props.blindRevealed ?? null }
    : null;
  const hidden = blind !== null && blind.revealed === null;
  const label = blind ? `Answer ${blind.letter}` : `Column ${position + 1}`;

  // Follow the stream while the reader is at the bottom; leave them be once they scroll up.
  // Scrolled in the next frame, whose layout reads the new height anyway: read at once, it
  // would lay the whole page out inside the update (the click on Run, every batch of text).
  const scroller = useRef<HTMLDivElement>(null);
  const pinnedToBottom = useRef(true);
  const lastScrollTop = useRef(0);
  const outputLength = latest ? latest.output.length + latest.toolCalls.length : 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the latest answer grows.
  useEffect(() => {
    const element = scroller.current;
    if (!element || !pinnedToBottom.current) return;
    // Asked again in the frame: the reader may have scrolled up since.
    const frame = requestAnimationFrame(() => {
      if (pinnedToBottom.current) element.scrollTop = element.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [outputLength, column.turns.length]);

  const setModel = useCallback(
    (model: string) => dispatch({ type: "set-model", columnId: column.id, model }),
    [dispatch, column.id],
  );

  const parameterCount = Object.values(column.params).filter((value) => value !== undefined).length;
  const problems = useMemo(
    () => columnProblems({ model: column.model, params: column.params }),
    [column.model, column.params],
  );

  return (
    <section
      data-testid="column"
      data-column-id={column.id}
      data-model={hidden ? undefined : column.model}
      data-blind-letter={blind?.letter}
      data-status={latest?.phase ?? "idle"}
      aria-label={hidden ? label : `${label}: ${column.model}`}
      // Each column is its own layout and paint island, and one scrolled out of view is not
      // rendered at all: sixteen growing answers would otherwise re-lay the whole page out.
      className={`column-island flex min-h-0 flex-col overflow-hidden rounded-lg border bg-background ${
        props.isBaseline ? "border-accent" : "border-line"
      } ${maximised ? "fixed inset-x-4 top-14 bottom-4 z-40 shadow-2xl" : "h-full"}`}
    >
      <header className="flex shrink-0 items-center gap-1 px-1.5 py-1.5">
        <span
          className="inline-flex h-5 min-w-5 items-center justify-center rounded bg-panel px-1 font-mono text-[11px] text-muted"
          title={label}
        >
          {blind ? blind.letter : position + 1}
        </span>
        {blind ? (
          <span
            data-testid="blind-model"
            className="min-w-0 flex-1 truncate px-1 text-[12px] font-medium"
          >
            {blind.revealed ?? `Model ${blind.letter} · hidden until you vote`}
          </span>
        ) : null}
        {blind ? null : (
          <ModelPicker
            model={column.model}
            providers={providers}
            label={`${label} model`}
            onOpen={props.onRefreshProviders}
            onChange={setModel}
          />
        )}
        {blind ? null : (
          <ToolButton
            icon="sliders"
            label={showParameters ? "Hide parameters" : "Parameters"}
            testId="column-params-toggle"
            pressed={showParameters}
            onClick={() => setShowParameters((shown) => !shown)}
          />
        )}
        <ToolButton
          icon={maximised ? "minimise" : "maximise"}
          label={maximised ? "Restore column" : "Maximise column"}
          testId="maximise"
          pressed={maximised}
          onClick={() =>
            dispatch({ type: "set-maximised", columnId: maximised ? null : column.id })
          }
        />
        {blind ? null : (
          <ToolButton
            icon="x"
            label="Remove column"
            testId="remove-column"
            disabled={count <= 1 || columnActive}
            onClick={() => dispatch({ type: "remove-column", columnId: column.id })}
          />
        )}
      </header>
      <div className="flex h-5 shrink-0 items-center gap-2 px-2 text-[11px]">
        <span
          data-testid="status-badge"
          className={`w-16 shrink-0 font-medium ${latest ? PHASE_STYLES[latest.phase] : "text-muted"}`}
        >
          {latest ? PHASE_LABELS[latest.phase] : "idle"}
        </span>
        <span className="min-w-0 truncate text-muted">
          {hidden ? null : problems.length > 0 ? (
            <span
              className="text-danger"
              data-testid="column-problem"
              title={problems.map((problem) => problem.message).join("\n")}
            >
              {problems[0]?.message}
            </span>
          ) : provider && !provider.configuration.configured ? (
            <span
              className="text-danger"
              data-testid="not-configured"
              title={provider.configuration.hint ?? undefined}
            >
              not configured
              {provider.configuration.missing.length > 0
                ? `: set ${provider.configuration.missing.join(" or ")}`
                : ""}
            </span>
          ) : props.unsupported && props.unsupported.length > 0 ? (
            // Shown in this fixed line, not a new one: a note arriving must not move the answer.
            <span
              data-testid="unsupported-note"
              title={props.unsupported
                .map((item) => `${item.parameter}: ${item.reason}`)
                .join("\n")}
            >
              not sent: {props.unsupported.map((item) => item.parameter).join(", ")}
            </span>
          ) : parameterCount > 0 || column.system !== null ? (
            <span>
              {parameterCount > 0
                ? `${parameterCount} parameter${parameterCount > 1 ? "s" : ""} set`
                : ""}
              {parameterCount > 0 && column.system !== null ? " · " : ""}
              {column.system !== null ? "own system prompt" : ""}
            </span>
          ) : null}
        </span>
        {props.isBaseline ? (
          <span className="ml-auto shrink-0 font-medium text-accent">baseline</span>
        ) : null}
      </div>
      {showParameters && !blind ? (
        <ColumnParametersPanel
          key={column.id}
          params={column.params}
          problems={problems}
          system={column.system}
          sharedSystem={props.sharedSystem}
          onParameters={(params) =>
            dispatch({ type: "set-parameters", columnId: column.id, params })
          }
          onSystem={(system) =>
            dispatch({ type: "set-column-system", columnId: column.id, system })
          }
        />
      ) : null}
      {hidden ? null : <MetricsStrip metrics={metrics} local={local} />}
      {!hidden && props.replayCost ? (
        <p
          className="border-b border-line px-3 py-1 text-[11px] text-muted"
          data-testid="replay-comparison"
        >
          vs original: <span data-testid="replay-cost">{props.replayCost}</span> ·{" "}
          <span data-testid="replay-latency">{props.replayLatency}</span>
        </p>
      ) : null}
      <div
        ref={scroller}
        data-testid="column-body"
        onScroll={(event) => {
          // Only the reader scrolling up lets go: text that arrived after the last follow
          // puts the bottom further away without anyone having scrolled.
          const element = event.currentTarget;
          if (element.scrollHeight - element.scrollTop - element.clientHeight < 24) {
            pinnedToBottom.current = true;
          } else if (element.scrollTop < lastScrollTop.current) {
            pinnedToBottom.current = false;
          }
          lastScrollTop.current = element.scrollTop;
        }}
        className="min-h-0 flex-1 divide-y divide-line overflow-y-auto px-3"
      >
        {column.turns.length === 0 ? (
          <p className="py-6 text-center text-muted">No answer yet.</p>
        ) : (
          column.turns.map((turn, turnIndex) => (
            <TurnView
              key={turn.id}
              turn={turn}
              column={column}
              view={props.view}
              diffBaseline={props.diffBaseline}
              providers={providers}
              latest={turn === latest}
              hideModel={hidden}
              editable={!running}
              sharedCount={props.sharedTurnCounts?.[turnIndex] ?? 1}
              onResend={
                onEditTurn ? (prompt: string) => onEditTurn(column.id, turnIndex, prompt) : null
              }
            />
          ))
        )}
      </div>
      <footer className="flex shrink-0 items-center gap-0.5 border-t border-line px-1 py-1">
        {blind ? null : (
          <>
            <ToolButton
              icon="retry"
              label="Retry this column"
              testId="retry"
              disabled={!latest || columnActive}
              onClick={() => props.onRetry(column.id)}
            />
            <ToolButton
              icon="inspect"
              label="Inspect request and usage"
              testId="inspect"
              disabled={!latest || latest.runId === null}
              onClick={() => props.onInspect(column.id)}
            />
            <ToolButton
              icon="pin"
              label={props.isBaseline ? "Unpin baseline" : "Pin as diff baseline"}
              testId="pin-baseline"
              pressed={props.isBaseline}
              onClick={() =>
                dispatch({ type: "set-baseline", columnId: props.isBaseline ? null : column.id })
              }
            />
            <ToolButton
              icon="branch"
              label="Continue from this column (copy its conversation into all columns)"
              testId="continue-from"
              disabled={running || column.turns.length === 0 || count <= 1}
              onClick={() => dispatch({ type: "continue-from", columnId: column.id })}
            />
            <span className="mx-0.5 h-4 w-px bg-line" />
            <ToolButton
              icon="left"
              label="Move left"
              testId="move-left"
              disabled={position === 0}
              onClick={() => dispatch({ type: "move-column", columnId: column.id, offset: -1 })}
            />
            <ToolButton
              icon="right"
              label="Move right"
              testId="move-right"
              disabled={position === count - 1}
              onClick={() => dispatch({ type: "move-column", columnId: column.id, offset: 1 })}
            />
            <ToolButton
              icon="duplicate"
              label="Duplicate column"
              testId="duplicate"
              disabled={count >= 16}
              onClick={() => dispatch({ type: "duplicate-column", columnId: column.id })}
            />
          </>
        )}
        <div className="ml-auto">
          {latest && latest.output !== "" ? (
            <CopyButton text={latest.output} label="Copy" testId="copy-output" />
          ) : null}
        </div>
      </footer>
    </section>
  );
}

export const CompareColumn = memo(CompareColumnView);
