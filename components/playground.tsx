"use client";

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { blindColumns, shuffled, voteReadiness } from "@/lib/ui/blind";
import {
  editResends,
  latestComparison,
  runAgainResends,
  sharedTurnCounts,
} from "@/lib/ui/history-actions";
import { comparisonTotals, formatMilliseconds, formatUsd } from "@/lib/ui/metrics";
import { costBasisOf } from "@/lib/ui/model-prices";
import { blockedRunMessage, runBlockers } from "@/lib/ui/parameter-check";
import {
  activeRunIds,
  isActive,
  isCopiedTurn,
  isRunning,
  lastTurn,
  type PlaygroundState,
  playgroundReducer,
  setupOf,
  stateFromSetup,
  turnMetricsInput,
} from "@/lib/ui/playground-state";
import { renderPrompt, variableFields } from "@/lib/ui/prompt-variables";
import { isLocalModel } from "@/lib/ui/providers";
import { conversationFromRuns, parseRecordedRun } from "@/lib/ui/recorded-run";
import { compareWithOriginal, parseReplayedCall, type ReplayedCall } from "@/lib/ui/replay";
import { callOf } from "@/lib/ui/run-detail";
import { planRuns } from "@/lib/ui/run-plan";
import { restoreSession, SESSION_STORAGE_KEY, serializeSession } from "@/lib/ui/session";
import { encodeSetup, type Setup } from "@/lib/ui/setup";
import { BlindVoteBar } from "./blind-vote-bar";
import { preloadDiffView, preloadOutputRenderers } from "./call-output";
import { ColumnsSummary } from "./columns-summary";
import { CompareColumn } from "./compare-column";
import { InspectDialog } from "./inspect-dialog";
import { PromptPanel } from "./prompt-panel";
import { useImageAttachments } from "./use-image-attachments";
import { useProviders } from "./use-providers";
import { useRunDetails } from "./use-run-details";
import { useRunStreams } from "./use-run-streams";

const PERSIST_DELAY_MS = 300;

function readSession(): string | null {
  try {
    return sessionStorage.getItem(SESSION_STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeSession(value: string): void {
  try {
    sessionStorage.setItem(SESSION_STORAGE_KEY, value);
  } catch {
    // Storage full or disabled: a reload then starts from the URL's setup alone.
  }
}

let turnCounter = 0;
function createTurnId(): string {
  turnCounter += 1;
  return `turn-${Date.now().toString(36)}-${turnCounter}`;
}

/** The comparison id sent with every run of one click (`POST /api/runs`' `comparisonId`). */
function newComparisonId(): string {
  return crypto.randomUUID();
}

/** Recorded runs' conversations side by side (a whole comparison), or why they are not there. */
async function fetchConversation(
  runIds: string[],
): Promise<ReturnType<typeof conversationFromRuns> | string> {
  try {
    const responses = await Promise.all(
      runIds.map((runId) => fetch(`/api/runs/${encodeURIComponent(runId)}`, { cache: "no-store" })),
    );
    const runs = [];
    for (const response of responses) {
      const run = response.ok ? parseRecordedRun(await response.json()) : null;
      if (!run) {
        return response.status === 404
          ? "That run no longer exists, so only its setup was opened."
          : "The run's conversation could not be loaded; only its setup was opened.";
      }
      runs.push(run);
    }
    return conversationFromRuns(runs);
  } catch {
    return "The run's conversation could not be loaded; only its setup was opened.";
  }
}

/**
 * The compare page: one prompt, 1–16 columns, each streaming its own answer. The setup lives in
 * the URL; the conversation lives in this tab's session storage so a reload reattaches to runs
 * still going instead of losing them. Opened from a recorded run (`conversationRunId`), each
 * column starts with that call's whole conversation, so the next prompt continues it.
 */
export function Playground({
  initialSetup,
  conversationRunId = null,
  conversationRunIds = null,
  replayCallId = null,
}: {
  initialSetup: Setup;
  conversationRunId?: string | null;
  /** Opened from a comparison in /runs: every one of its runs, in the order sent. */
  conversationRunIds?: string[] | null;
  /** Opened by "Replay on other models": each column is compared with this recorded call. */
  replayCallId?: string | null;
}) {
  const [state, dispatch] = useReducer(playgroundReducer, initialSetup, stateFromSetup);
  const columnModels = state.columns.map((column) => column.model);
  const { providers, prices, refresh: refreshProviders } = useProviders(columnModels);
  const { details, load: loadDetail } = useRunDetails();
  const streams = useRunStreams({ dispatch, onRunFinished: (runId) => void loadDetail(runId) });
  const [notice, setNotice] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  // Nothing is saved until the stored conversation has been read, or it would be overwritten.
  const [restored, setRestored] = useState(false);
  const [original, setOriginal] = useState<ReplayedCall | null>(null);

  useEffect(() => {
    if (replayCallId === null) return;
    const controller = new AbortController();
    fetch(`/api/calls/${encodeURIComponent(replayCallId)}`, {
      cache: "no-store",
      signal: controller.signal,
    })
      .then(async (response) => {
        const call = response.ok ? parseReplayedCall(await response.json()) : null;
        if (call) setOriginal(call);
        else setNotice("The call being replayed could not be loaded; its setup is here.");
      })
      .catch(() => {
        if (!controller.signal.aborted) setNotice("The call being replayed could not be loaded.");
      });
    return () => controller.abort();
  }, [replayCallId]);

  const stateRef = useRef(state);
  stateRef.current = state;
  // Cheap to encode; effects below depend on the resulting string, not on the state.
  const setupQuery = encodeSetup(setupOf(state));
  const setupRef = useRef(setupQuery);
  setupRef.current = setupQuery;
  const running = isRunning(state);
  const images = useImageAttachments({
    attachedCount: useCallback(() => stateRef.current.attachments.length, []),
    dispatch,
  });

  // Restore this tab's conversation (and reattach to runs still going) once, after hydration.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a mount-time step by design.
  useEffect(() => {
    preloadOutputRenderers();
    const initial = stateRef.current;
    // "Open in playground" asks for a recorded run's conversations; that wins over whatever
    // this tab held for the same setup.
    const recordedRunIds =
      conversationRunIds && conversationRunIds.length > 0
        ? conversationRunIds
        : conversationRunId !== null
          ? [conversationRunId]
          : null;
    const snapshot =
      recordedRunIds === null
        ? restoreSession({ stored: readSession(), setup: setupRef.current })
        : null;
    if (recordedRunIds !== null) {
      void fetchConversation(recordedRunIds).then((conversation) => {
        if (typeof conversation === "string") {
          setNotice(conversation);
          return;
        }
        const action = { type: "load-conversation" as const, columns: conversation.columns };
        const loaded = playgroundReducer(stateRef.current, action);
        // Unchanged: the columns were edited meanwhile, or this load already happened.
        if (loaded === stateRef.current) return;
        dispatch(action);
        stateRef.current = loaded;
        // A call of that run still streaming goes on streaming here.
        for (const runId of activeRunIds(loaded)) void streams.reattach(runId);
        if (!conversation.exact) {
          setNotice(
            "Parts of this run's messages cannot be shown as turns (for example tool results " +
              "written by hand); the next prompt sends the turns shown here.",
          );
        }
      });
    }
    if (snapshot) {
      dispatch({ type: "restore", state: snapshot });
      const orphans = snapshot.columns
        .flatMap((column) => column.turns)
        .filter((turn) => isActive(turn) && turn.runId === null)
        .map((turn) => turn.id);
      if (orphans.length > 0) {
        dispatch({
          type: "fail-turns",
          turnIds: orphans,
          error: { code: "interrupted", message: "the page was reloaded before the run started" },
          now: Date.now(),
        });
      }
      for (const runId of activeRunIds(snapshot)) void streams.reattach(runId);
    }
    setRestored(true);
    const persistNow = () => {
      // Unmounted before the restored state ever rendered: the stored snapshot is still right.
      if (stateRef.current === initial && snapshot) return;
      writeSession(serializeSession({ state: stateRef.current, setup: setupRef.current }));
    };
    window.addEventListener("pagehide", persistNow);
    return () => {
      window.removeEventListener("pagehide", persistNow);
      persistNow();
      streams.detachAll();
    };
  }, []);

  useEffect(() => {
    if (state.baselineColumnId !== null) preloadDiffView();
  }, [state.baselineColumnId]);

  // The URL always describes the current setup, so copying it reproduces the comparison.
  // Written in a task of its own: the browser's replaceState is slow, and inside the click on
  // Run (which empties the prompt, so changes the setup) it made that click a long task.
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = `${window.location.pathname}?${setupQuery}`;
      if (next !== `${window.location.pathname}${window.location.search}`) {
        window.history.replaceState(window.history.state, "", next);
      }
    }, 0);
    return () => clearTimeout(timer);
  }, [setupQuery]);

  // Runs being attached are saved at once (a reload right after "Run all" must find them);
  // streamed text is saved lazily, since a reattach replays it anyway.
  const runKey = activeRunIds(state).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: saving when the set of runs changes.
  useEffect(() => {
    if (restored)
      writeSession(serializeSession({ state: stateRef.current, setup: setupRef.current }));
  }, [restored, runKey, setupQuery]);
  useEffect(() => {
    if (!restored) return;
    const timer = setTimeout(
      () => writeSession(serializeSession({ state, setup: setupQuery })),
      PERSIST_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [restored, state, setupQuery]);

  const begin = useCallback(
    (plan: Extract<ReturnType<typeof planRuns>, { ok: true }>, clearPrompt = false) => {
      const action = {
        type: "begin-turns" as const,
        turns: plan.starts,
        now: Date.now(),
        clearPrompt,
      };
      dispatch(action);
      // A second Ctrl+Enter before the next render must already see these calls running.
      stateRef.current = playgroundReducer(stateRef.current, action);
      for (const run of plan.runs) void streams.start(run);
    },
    [streams],
  );

  const { isUploading } = images;
  const runAll = useCallback(() => {
    let current = stateRef.current;
    if (isRunning(current)) return;
    if (isUploading()) {
      setNotice("Wait for the images to finish uploading.");
      return;
    }
    if (current.blind) {
      // Check before clearing: a prompt that may not be sent must not wipe the last round.
      const check = planRuns({ state: current, createTurnId });
      if (!check.ok) {
        setNotice(check.message);
        return;
      }
      const action = {
        type: "start-blind-round" as const,
        order: shuffled(current.columns.map((column) => column.id)),
      };
      dispatch(action);
      current = playgroundReducer(current, action);
      stateRef.current = current;
    }
    const plan = planRuns({ state: current, comparisonId: newComparisonId(), createTurnId });
    if (!plan.ok) {
      setNotice(plan.message);
      return;
    }
    setNotice(null);
    // Sent: the box is for the next prompt, so Run all again does not resend it as a new turn.
    begin(plan, true);
  }, [begin, isUploading]);

  /** A retry or a resend from an earlier point, sent as a new comparison. */
  const sendAgain = useCallback(
    (options: { retryColumnId: string } | { resends: ReturnType<typeof runAgainResends> }) => {
      const plan = planRuns({
        state: stateRef.current,
        ...options,
        comparisonId: newComparisonId(),
        createTurnId,
      });
      if (!plan.ok) {
        setNotice(plan.message);
        return;
      }
      setNotice(null);
      begin(plan);
    },
    [begin],
  );
  /** Sends columns again from an earlier point (run again, edit and resend). */
  const resend = useCallback(
    (resends: ReturnType<typeof runAgainResends>) => {
      if (isRunning(stateRef.current)) return;
      sendAgain({ resends });
    },
    [sendAgain],
  );
  const runAgain = useCallback(() => resend(runAgainResends(stateRef.current)), [resend]);
  const editTurn = useCallback(
    (columnId: string, turnIndex: number, prompt: string) =>
      resend(editResends({ state: stateRef.current, columnId, turnIndex, prompt })),
    [resend],
  );

  const toggleBlind = useCallback(() => {
    const current = stateRef.current;
    dispatch({
      type: "set-blind",
      blind: current.blind
        ? null
        : { order: shuffled(current.columns.map((column) => column.id)), verdict: null },
    });
  }, []);

  const retry = useCallback(
    (columnId: string) => sendAgain({ retryColumnId: columnId }),
    [sendAgain],
  );

  const stopAll = useCallback(() => {
    void streams.cancel(activeRunIds(stateRef.current));
  }, [streams]);

  const inspect = useCallback(
    (columnId: string) => {
      const column = stateRef.current.columns.find((candidate) => candidate.id === columnId);
      const turn = column ? lastTurn(column) : undefined;
      if (!turn?.runId) return;
      setInspecting(columnId);
      void loadDetail(turn.runId);
    },
    [loadDetail],
  );

  // Ctrl/Cmd+Enter runs everything from anywhere on the page; Esc stops, then un-maximises.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runAll();
        return;
      }
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (document.querySelector("dialog[open]")) return;
      if (isRunning(stateRef.current)) {
        event.preventDefault();
        stopAll();
      } else if (stateRef.current.maximisedColumnId !== null) {
        dispatch({ type: "set-maximised", columnId: null });
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [runAll, stopAll]);

  const totals = useMemo(
    () =>
      comparisonTotals(
        state.columns.flatMap((column) =>
          column.turns
            // A copied or restored turn was paid for once, elsewhere.
            .filter((turn) => !isCopiedTurn(turn))
            .map((turn) =>
              turnMetricsInput({
                turn,
                local: isLocalModel(turn.model, providers),
                costBasis: costBasisOf(turn.model, prices),
              }),
            ),
        ),
      ),
    [state.columns, providers, prices],
  );

  const variables = useMemo(
    () => variableFields(state.prompt, state.variables),
    [state.prompt, state.variables],
  );
  const blocked = useMemo(() => {
    const parameters = blockedRunMessage(runBlockers(state.columns));
    if (parameters !== null) return parameters;
    if (images.uploading > 0) return "an image is still uploading";
    const rendered = renderPrompt(state.prompt, state.variables);
    return rendered.ok ? null : rendered.message;
  }, [state.columns, state.prompt, state.variables, images.uploading]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the columns matter here.
  const sharedCounts = useMemo(() => sharedTurnCounts(state), [state.columns]);
  const shownColumns = state.blind
    ? blindColumns(state.columns, state.blind)
    : state.columns.map((column) => ({ column, letter: "", revealed: null }));
  const readiness = state.blind ? voteReadiness(state.columns, state.blind) : null;

  const baselineColumn = state.columns.find((column) => column.id === state.baselineColumnId);
  const baselineTurn = baselineColumn ? lastTurn(baselineColumn) : undefined;
  const baselinePosition = baselineColumn ? state.columns.indexOf(baselineColumn) : -1;
  const hasHistory = state.columns.some((column) => column.turns.length > 0);
  // The next prompt continues a conversation once some answer is complete.
  const hasConversation = state.columns.some((column) =>
    column.turns.some(
      (turn) => !isActive(turn) && (turn.output !== "" || turn.toolCalls.length > 0),
    ),
  );

  const inspectedColumn = state.columns.find((column) => column.id === inspecting);
  const inspectedTurn = inspectedColumn ? lastTurn(inspectedColumn) : undefined;
  const inspectedCall = inspectedTurn?.runId
    ? callOf(details[inspectedTurn.runId], inspectedTurn.callIndex)
    : undefined;

  return (
    <main
      className="flex min-h-0 flex-1 flex-col"
      data-testid="playground"
      data-running={running ? "true" : "false"}
    >
      {original ? (
        <p
          className="border-b border-line px-3 py-1 text-[12px] text-muted"
          data-testid="replay-banner"
        >
          Replaying call{" "}
          <a href={`/calls/${original.callId}`} className="text-accent hover:underline">
            {original.callId.slice(0, 8)}
          </a>{" "}
          on {original.model}: {formatUsd(original.costUsd)},{" "}
          {formatMilliseconds(original.durationMs)}. Run all to compare each column with it.
        </p>
      ) : null}
      <PromptPanel
        system={state.system}
        prompt={state.prompt}
        tools={state.tools}
        schema={state.schema}
        running={running}
        hasHistory={hasHistory}
        hasConversation={hasConversation}
        columnCount={state.columns.length}
        view={state.view}
        totals={totals}
        notice={notice}
        blocked={blocked}
        baselineLabel={
          baselineColumn ? `column ${baselinePosition + 1} (${baselineColumn.model})` : null
        }
        variables={variables}
        blind={state.blind !== null}
        attachments={state.attachments}
        uploading={images.uploading}
        attachProblems={images.problems}
        onAttachFiles={images.attach}
        dispatch={dispatch}
        onRunAll={runAll}
        onStopAll={stopAll}
        onRunAgain={!state.blind && latestComparison(state) ? runAgain : null}
        onToggleBlind={toggleBlind}
      />
      {readiness ? (
        <BlindVoteBar
          shown={shownColumns}
          readiness={readiness}
          onVoted={(verdict) => dispatch({ type: "blind-voted", verdict })}
        />
      ) : null}
      {/* Blind mode hides the models, which the table would name. */}
      {state.blind ? null : (
        <ColumnsSummary columns={state.columns} providers={providers} prices={prices} />
      )}
      {state.maximisedColumnId !== null ? (
        <button
          type="button"
          aria-label="Restore the maximised column"
          className="fixed inset-0 z-30 cursor-default bg-black/30"
          onClick={() => dispatch({ type: "set-maximised", columnId: null })}
        />
      ) : null}
      <div
        data-testid="columns"
        className="grid min-h-0 flex-1 auto-cols-[minmax(290px,1fr)] grid-flow-col gap-3 overflow-x-auto p-3 max-sm:auto-cols-[100%] max-sm:snap-x max-sm:snap-mandatory max-sm:*:snap-start"
      >
        {shownColumns.map(({ column, letter, revealed }, position) => {
          const latest = lastTurn(column);
          const isBaseline = column.id === state.baselineColumnId;
          const replay =
            original && latest && latest.phase === "ok" && !isCopiedTurn(latest)
              ? compareWithOriginal(original, latest)
              : null;
          return (
            <CompareColumn
              key={column.id}
              column={column}
              position={position}
              count={state.columns.length}
              providers={providers}
              prices={prices}
              sharedSystem={state.system}
              view={state.view}
              running={running}
              isBaseline={isBaseline}
              diffBaseline={
                !isBaseline && baselineTurn && baselineTurn.output !== ""
                  ? baselineTurn.output
                  : null
              }
              maximised={state.maximisedColumnId === column.id}
              unsupported={
                latest?.runId
                  ? (callOf(details[latest.runId], latest.callIndex)?.unsupported ?? null)
                  : null
              }
              dispatch={dispatch}
              onRetry={retry}
              onEditTurn={state.blind ? undefined : editTurn}
              sharedTurnCounts={sharedCounts?.get(column.id)}
              onInspect={inspect}
              onRefreshProviders={refreshProviders}
              blindLetter={state.blind ? letter : null}
              blindRevealed={revealed}
              replayCost={replay?.cost ?? null}
              replayLatency={replay?.latency ?? null}
            />
          );
        })}
      </div>
      {inspectedColumn && inspectedTurn ? (
        <InspectDialog
          title={`Inspect column ${state.columns.indexOf(inspectedColumn) + 1} · ${inspectedTurn.model}`}
          state={
            inspectedCall
              ? { status: "ready", call: inspectedCall }
              : inspectedTurn.runId && details[inspectedTurn.runId]
                ? { status: "error", message: "This call is not in the recorded run." }
                : { status: "loading" }
          }
          onClose={() => setInspecting(null)}
        />
      ) : null}
    </main>
  );
}

export type { PlaygroundState };
