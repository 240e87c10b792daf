/**
 * The compare page's state and its reducer: the setup (prompt, columns, parameters) plus each
 * column's own conversation. A column's turns are only ever fed by the call it started, so an
 * answer can never leak into another column's history; "continue from" is the one explicit
 * copy. Events are matched to turns by `(runId, call index)`, which the run assigned.
 */
import type { BlindRound, BlindVerdict } from "./blind";
import { type AttachedImage, type TurnImage, withAttachment } from "./image-attachments";
import type { CallMetricsInput, CallPhase, CostBasis } from "./metrics";
import type { CallError, RunEvent, RunUsage, StopReason, ToolCall } from "./run-events";
import {
  type ColumnParameters,
  type ColumnSetup,
  columnId,
  MAX_COLUMNS,
  type Setup,
} from "./setup";

export interface Turn {
  id: string;
  prompt: string;
  /** Images sent with the prompt (by id); absent when there were none. */
  images?: TurnImage[];
  /** The model that answered; differs from the column's after "continue from this column". */
  model: string;
  /** The run asked for JSON (a schema was set), so the answer is shown as data when it parses. */
  expectsJson: boolean;
  runId: string | null;
  callIndex: number | null;
  callId: string | null;
  phase: CallPhase;
  output: string;
  /** Reasoning text the model streamed; absent in turns saved before reasoning was shown. */
  reasoning?: string;
  toolCalls: ToolCall[];
  usage: RunUsage | null;
  costUsd: number | null;
  /** The server's: from a call's first content event while it streams, then `call-finish`. */
  ttftMs: number | null;
  durationMs: number | null;
  /**
   * Server ms from the answering attempt's start to the latest content event (`elapsedMs`), so
   * tokens/s while streaming is the server's, also after a reload replayed the run at once.
   */
  lastElapsedMs?: number | null;
  /**
   * Copied into this column by "continue from" or "duplicate": the history is carried, but the
   * numbers were another column's, so the column shows none until it runs itself.
   */
  inherited?: boolean;
  stopReason: StopReason | null;
  error: CallError | null;
  /** Client clock, epoch ms. */
  startedAt: number;
  firstDeltaAt: number | null;
  lastDeltaAt: number | null;
  finishedAt: number | null;
  /** Input tokens estimated from the request text, for the cost so far while it streams. */
  inputTokensEstimate?: number | null;
  /** Set while the server waits to retry the call (`call-retry`); cleared by any answer. */
  retry?: TurnRetry | null;
  /** The comparison (one "Run all", "Run again" or resend) this turn was asked in. */
  comparisonId?: string;
  /** Edited and resent: the run that answered this turn's earlier version (still in /runs). */
  branchedFromRunId?: string;
}

export interface TurnRetry {
  /** The attempt that starts after the wait, 1-based, of `maxAttempts`. */
  attempt: number;
  maxAttempts: number;
  /** Client clock, epoch ms: when the wait ends. */
  retryAt: number;
  error: { code: string; message: string };
}

export interface Column extends ColumnSetup {
  turns: Turn[];
}

export type OutputView = "markdown" | "plain";

export interface PlaygroundState {
  system: string;
  prompt: string;
  tools: string;
  schema: string;
  columns: Column[];
  nextColumnNumber: number;
  baselineColumnId: string | null;
  maximisedColumnId: string | null;
  view: OutputView;
  /** Values of the prompt's `{{variables}}`, filled in the variables panel. */
  variables: Record<string, string>;
  /** Blind mode's current round; `null` when the models are shown. */
  blind: BlindRound | null;
  /** Images uploaded for the next prompt; like the prompt, they stay until removed. */
  attachments: AttachedImage[];
}

export interface TurnStart {
  columnId: string;
  turnId: string;
  prompt: string;
  images?: TurnImage[];
  expectsJson: boolean;
  /** Retry: the column's last turn is replaced instead of a new one appended. */
  replaceLast: boolean;
  /**
   * Resent from an earlier turn (run again, edit and resend): only the first `keepTurns`
   * turns stay before the new one. Wins over `replaceLast`.
   */
  keepTurns?: number;
  inputTokensEstimate?: number;
  comparisonId?: string;
  branchedFromRunId?: string;
}

export type PlaygroundAction =
  | { type: "set-prompt"; prompt: string }
  | { type: "set-system"; system: string }
  | { type: "set-tools"; tools: string }
  | { type: "set-schema"; schema: string }
  | { type: "set-variable"; name: string; value: string }
  | { type: "add-attachment"; image: AttachedImage }
  | { type: "remove-attachment"; imageId: string }
  | { type: "set-blind"; blind: BlindRound | null }
  | { type: "start-blind-round"; order: string[] }
  | { type: "blind-voted"; verdict: BlindVerdict }
  | { type: "add-column"; model?: string }
  | { type: "remove-column"; columnId: string }
  | { type: "duplicate-column"; columnId: string }
  | { type: "move-column"; columnId: string; offset: number }
  | { type: "set-model"; columnId: string; model: string }
  | { type: "set-parameters"; columnId: string; params: ColumnParameters }
  | { type: "set-column-system"; columnId: string; system: string | null }
  | {
      type: "begin-turns";
      turns: TurnStart[];
      now: number;
      /** The prompt box's text (and images) were sent: empty it for the next prompt. */
      clearPrompt?: boolean;
    }
  | { type: "attach-run"; runId: string; calls: Array<{ index: number; turnId: string }> }
  | { type: "run-events"; runId: string; events: RunEvent[]; now: number }
  | { type: "replay-reset"; runId: string }
  | { type: "fail-turns"; turnIds: string[]; error: CallError; now: number }
  | { type: "fail-run"; runId: string; error: CallError; now: number }
  | { type: "clear" }
  | { type: "continue-from"; columnId: string }
  | { type: "set-baseline"; columnId: string | null }
  | { type: "set-maximised"; columnId: string | null }
  | { type: "set-view"; view: OutputView }
  | { type: "restore"; state: PlaygroundState }
  | { type: "load-conversation"; columns: Array<{ model: string; turns: Turn[] }> };

export function stateFromSetup(setup: Setup): PlaygroundState {
  return {
    system: setup.system,
    prompt: setup.prompt,
    tools: setup.tools,
    schema: setup.schema,
    columns: setup.columns.map((column) => ({ ...column, turns: [] })),
    nextColumnNumber: setup.columns.length + 1,
    baselineColumnId: null,
    maximisedColumnId: null,
    view: "markdown",
    variables: { ...(setup.variables ?? {}) },
    blind: null,
    attachments: [],
  };
}

export function setupOf(state: PlaygroundState): Setup {
  return {
    system: state.system,
    prompt: state.prompt,
    tools: state.tools,
    schema: state.schema,
    columns: state.columns.map(({ id, model, params, system }) => ({ id, model, params, system })),
    ...(Object.keys(state.variables).length > 0 ? { variables: state.variables } : {}),
  };
}

export function isActive(turn: Turn): boolean {
  return turn.phase === "pending" || turn.phase === "streaming";
}

export function lastTurn(column: Column): Turn | undefined {
  return column.turns[column.turns.length - 1];
}

/**
 * A copy of a turn paid for elsewhere: by "continue from" or "duplicate" (its source is on
 * the page), or restored from a recorded run (paid for by that run). Totals count it once or
 * not at all.
 */
export function isCopiedTurn(turn: Turn): boolean {
  return turn.id.includes("~");
}

/** What the metrics strip needs from a turn; `local` models cost nothing. */
export function turnMetricsInput(options: {
  turn: Turn;
  local: boolean;
  /** The model's current price, for the cost so far; `undefined` until known. */
  costBasis?: CostBasis;
}): CallMetricsInput {
  const { turn, local, costBasis } = options;
  return {
    phase: turn.phase,
    output: turn.output,
    toolCallText:
      turn.toolCalls.length > 0 ? JSON.stringify(turn.toolCalls.map((call) => call.arguments)) : "",
    usage: turn.usage,
    costUsd: turn.costUsd,
    ttftMs: turn.ttftMs,
    durationMs: turn.durationMs,
    elapsedMs: turn.lastElapsedMs ?? null,
    startedAt: turn.startedAt,
    firstDeltaAt: turn.firstDeltaAt,
    lastDeltaAt: turn.lastDeltaAt,
    local,
    ...(costBasis ? { costBasis } : {}),
    inputTokensEstimate: turn.inputTokensEstimate ?? null,
    errorCode: turn.error?.code ?? null,
  };
}

export function isRunning(state: PlaygroundState): boolean {
  return state.columns.some((column) => column.turns.some(isActive));
}

/** Runs with a call still going, for stop-all and for reattaching after a reload. */
export function activeRunIds(state: PlaygroundState): string[] {
  const ids = new Set<string>();
  for (const column of state.columns) {
    for (const turn of column.turns) {
      if (isActive(turn) && turn.runId !== null) ids.add(turn.runId);
    }
  }
  return [...ids];
}

/** A turn about to be sent: nothing known of its answer yet. */
export function newTurn(
  start: Pick<
    TurnStart,
    | "turnId"
    | "prompt"
    | "images"
    | "expectsJson"
    | "inputTokensEstimate"
    | "comparisonId"
    | "branchedFromRunId"
  >,
  model: string,
  now: number,
): Turn {
  return {
    ...(start.comparisonId ? { comparisonId: start.comparisonId } : {}),
    ...(start.branchedFromRunId ? { branchedFromRunId: start.branchedFromRunId } : {}),
    id: start.turnId,
    prompt: start.prompt,
    ...(start.images && start.images.length > 0 ? { images: start.images } : {}),
    model,
    expectsJson: start.expectsJson,
    runId: null,
    callIndex: null,
    callId: null,
    phase: "pending",
    output: "",
    toolCalls: [],
    usage: null,
    costUsd: null,
    ttftMs: null,
    durationMs: null,
    stopReason: null,
    error: null,
    startedAt: now,
    firstDeltaAt: null,
    lastDeltaAt: null,
    finishedAt: null,
    inputTokensEstimate: start.inputTokensEstimate ?? null,
  };
}

function updateColumn(
  state: PlaygroundState,
  id: string,
  update: (column: Column) => Column,
): PlaygroundState {
  return {
    ...state,
    columns: state.columns.map((column) => (column.id === id ? update(column) : column)),
  };
}

/** Applies `update` to every turn that matches; columns without a match keep their identity. */
function updateTurns(
  state: PlaygroundState,
  matches: (turn: Turn) => boolean,
  update: (turn: Turn) => Turn,
): PlaygroundState {
  let changed = false;
  const columns = state.columns.map((column) => {
    if (!column.turns.some(matches)) return column;
    changed = true;
    return { ...column, turns: column.turns.map((turn) => (matches(turn) ? update(turn) : turn)) };
  });
  return changed ? { ...state, columns } : state;
}

/** The server's timings a content event carries; a server that sends none leaves them as they are. */
function contentTimings(
  turn: Turn,
  event: { ttftMs?: number; elapsedMs?: number },
): Pick<Turn, "ttftMs" | "lastElapsedMs"> {
  return {
    ttftMs: turn.ttftMs ?? event.ttftMs ?? null,
    lastElapsedMs: event.elapsedMs ?? turn.lastElapsedMs ?? null,
  };
}

function applyEvent(turn: Turn, event: RunEvent, now: number): Turn {
  switch (event.type) {
    case "run-start": {
      const call = event.calls.find((candidate) => candidate.index === turn.callIndex);
      return call ? { ...turn, callId: call.callId } : turn;
    }
    case "call-retry":
      return {
        ...turn,
        retry: {
          attempt: event.attempt,
          maxAttempts: event.maxAttempts,
          retryAt: now + event.delayMs,
          error: event.error,
        },
      };
    case "text-delta":
      return {
        ...turn,
        retry: null,
        phase: isActive(turn) ? "streaming" : turn.phase,
        output: turn.output + event.delta,
        ...contentTimings(turn, event),
        firstDeltaAt: turn.firstDeltaAt ?? now,
        lastDeltaAt: now,
      };
    case "reasoning-delta":
      return {
        ...turn,
        phase: isActive(turn) ? "streaming" : turn.phase,
        reasoning: (turn.reasoning ?? "") + event.delta,
        ...contentTimings(turn, event),
        firstDeltaAt: turn.firstDeltaAt ?? now,
        lastDeltaAt: now,
      };
    case "tool-call":
      return {
        ...turn,
        retry: null,
        phase: isActive(turn) ? "streaming" : turn.phase,
        toolCalls: [...turn.toolCalls, event.toolCall],
        ...contentTimings(turn, event),
        firstDeltaAt: turn.firstDeltaAt ?? now,
        lastDeltaAt: now,
      };
    case "call-finish":
      return {
        ...turn,
        retry: null,
        phase: event.status,
        usage: event.usage,
        costUsd: event.costUsd,
        ttftMs: event.ttftMs,
        durationMs: event.durationMs,
        stopReason: event.stopReason,
        error: event.error ?? null,
        finishedAt: now,
      };
    case "run-finish":
      return turn;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

function eventIndex(event: RunEvent): number | null {
  switch (event.type) {
    case "text-delta":
    case "reasoning-delta":
    case "tool-call":
    case "call-finish":
    case "call-retry":
      return event.index;
    case "run-start":
    case "run-finish":
      return null;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

function applyRunEvents(
  state: PlaygroundState,
  runId: string,
  events: RunEvent[],
  now: number,
): PlaygroundState {
  const belongs = (turn: Turn) => turn.runId === runId;
  return updateTurns(state, belongs, (turn) => {
    let next = turn;
    for (const event of events) {
      const index = eventIndex(event);
      if (index !== null && index !== next.callIndex) continue;
      next = applyEvent(next, event, now);
    }
    // A run that ended without finishing this call (lost by the server) must not spin forever.
    if (isActive(next) && events.some((event) => event.type === "run-finish")) {
      next = {
        ...next,
        phase: "error",
        error: { code: "interrupted", message: "the run ended without a result for this call" },
        finishedAt: now,
      };
    }
    return next;
  });
}

function copyTurns(turns: Turn[], suffix: string): Turn[] {
  return turns.map((turn) => ({
    ...turn,
    id: `${turn.id}~${suffix}`,
    toolCalls: [...turn.toolCalls],
  }));
}

/**
 * "Continue from" and "duplicate": the conversation without the numbers, which belong to the
 * column that paid for them. Usage and cost stay out too, so no total or view counts them twice.
 */
function inheritTurns(turns: Turn[], suffix: string): Turn[] {
  return copyTurns(turns, suffix).map((turn) => ({
    ...turn,
    inherited: true,
    usage: null,
    costUsd: null,
    ttftMs: null,
    durationMs: null,
    lastElapsedMs: null,
    firstDeltaAt: null,
    lastDeltaAt: null,
    inputTokensEstimate: null,
  }));
}

export function playgroundReducer(
  state: PlaygroundState,
  action: PlaygroundAction,
): PlaygroundState {
  switch (action.type) {
    case "set-prompt":
      return { ...state, prompt: action.prompt };
    case "set-system":
      return { ...state, system: action.system };
    case "set-tools":
      return { ...state, tools: action.tools };
    case "set-schema":
      return { ...state, schema: action.schema };
    case "set-variable":
      return { ...state, variables: { ...state.variables, [action.name]: action.value } };
    case "add-attachment":
      return { ...state, attachments: withAttachment(state.attachments, action.image) };
    case "remove-attachment":
      return {
        ...state,
        attachments: state.attachments.filter((image) => image.imageId !== action.imageId),
      };
    case "set-blind":
      return { ...state, blind: action.blind };
    case "start-blind-round":
      // A round is a fresh conversation, so every column answers in one run and one vote.
      return {
        ...state,
        blind: { order: action.order, verdict: null },
        baselineColumnId: null,
        columns: state.columns.map((column) => ({
          ...column,
          turns: column.turns.filter(isActive),
        })),
      };
    case "blind-voted":
      return state.blind ? { ...state, blind: { ...state.blind, verdict: action.verdict } } : state;
    case "add-column": {
      if (state.columns.length >= MAX_COLUMNS) return state;
      const last = state.columns[state.columns.length - 1];
      const column: Column = {
        id: columnId(state.nextColumnNumber),
        model: action.model ?? last?.model ?? "demo:chat",
        params: {},
        system: null,
        turns: [],
      };
      return {
        ...state,
        columns: [...state.columns, column],
        nextColumnNumber: state.nextColumnNumber + 1,
      };
    }
    case "remove-column": {
      if (state.columns.length <= 1) return state;
      return {
        ...state,
        columns: state.columns.filter((column) => column.id !== action.columnId),
        baselineColumnId:
          state.baselineColumnId === action.columnId ? null : state.baselineColumnId,
        maximisedColumnId:
          state.maximisedColumnId === action.columnId ? null : state.maximisedColumnId,
      };
    }
    case "duplicate-column": {
      if (state.columns.length >= MAX_COLUMNS) return state;
      const position = state.columns.findIndex((column) => column.id === action.columnId);
      const source = state.columns[position];
      if (!source) return state;
      const id = columnId(state.nextColumnNumber);
      // The copy starts with the same setup and the same history, so it can branch from here.
      const copy: Column = {
        ...source,
        id,
        params: { ...source.params },
        turns: inheritTurns(
          source.turns.filter((turn) => !isActive(turn)),
          id,
        ),
      };
      const columns = [...state.columns];
      columns.splice(position + 1, 0, copy);
      return { ...state, columns, nextColumnNumber: state.nextColumnNumber + 1 };
    }
    case "move-column": {
      const from = state.columns.findIndex((column) => column.id === action.columnId);
      const to = from + action.offset;
      if (from === -1 || to < 0 || to >= state.columns.length) return state;
      const columns = [...state.columns];
      const [moved] = columns.splice(from, 1);
      if (!moved) return state;
      columns.splice(to, 0, moved);
      return { ...state, columns };
    }
    case "set-model":
      return updateColumn(state, action.columnId, (column) => ({ ...column, model: action.model }));
    case "set-parameters":
      return updateColumn(state, action.columnId, (column) => ({
        ...column,
        params: action.params,
      }));
    case "set-column-system":
      return updateColumn(state, action.columnId, (column) => ({
        ...column,
        system: action.system,
      }));
    case "begin-turns": {
      const starts = new Map(action.turns.map((start) => [start.columnId, start]));
      return {
        ...state,
        ...(action.clearPrompt ? { prompt: "", attachments: [] } : {}),
        columns: state.columns.map((column) => {
          const start = starts.get(column.id);
          if (!start) return column;
          const kept =
            start.keepTurns !== undefined
              ? column.turns.slice(0, start.keepTurns)
              : start.replaceLast
                ? column.turns.slice(0, -1)
                : column.turns;
          return { ...column, turns: [...kept, newTurn(start, column.model, action.now)] };
        }),
      };
    }
    case "attach-run": {
      const indexByTurn = new Map(action.calls.map((call) => [call.turnId, call.index]));
      return updateTurns(
        state,
        (turn) => indexByTurn.has(turn.id),
        (turn) => ({ ...turn, runId: action.runId, callIndex: indexByTurn.get(turn.id) ?? null }),
      );
    }
    case "run-events":
      return applyRunEvents(state, action.runId, action.events, action.now);
    case "replay-reset":
      // `/events` replays a run from its start; what was shown before the reload is dropped
      // so nothing is counted twice.
      return updateTurns(
        state,
        (turn) => turn.runId === action.runId,
        (turn) => ({
          ...turn,
          phase: "pending",
          output: "",
          toolCalls: [],
          ttftMs: null,
          lastElapsedMs: null,
          firstDeltaAt: null,
          lastDeltaAt: null,
        }),
      );
    case "fail-turns": {
      const ids = new Set(action.turnIds);
      return updateTurns(
        state,
        (turn) => ids.has(turn.id) && isActive(turn),
        (turn) => ({ ...turn, phase: "error", error: action.error, finishedAt: action.now }),
      );
    }
    case "fail-run":
      return updateTurns(
        state,
        (turn) => turn.runId === action.runId && isActive(turn),
        (turn) => ({ ...turn, phase: "error", error: action.error, finishedAt: action.now }),
      );
    case "clear":
      return {
        ...state,
        columns: state.columns.map((column) => ({
          ...column,
          turns: column.turns.filter(isActive),
        })),
      };
    case "continue-from": {
      const source = state.columns.find((column) => column.id === action.columnId);
      if (!source) return state;
      const turns = source.turns.filter((turn) => !isActive(turn));
      return {
        ...state,
        columns: state.columns.map((column) =>
          column.id === source.id ? column : { ...column, turns: inheritTurns(turns, column.id) },
        ),
      };
    }
    case "set-baseline":
      return { ...state, baselineColumnId: action.columnId };
    case "set-maximised":
      return { ...state, maximisedColumnId: action.columnId };
    case "set-view":
      return { ...state, view: action.view };
    case "restore":
      return action.state;
    case "load-conversation": {
      // By position, and only into an empty column still holding the model the link named:
      // a column changed in the meantime is the person's, not the recorded run's.
      let loaded = false;
      const columns = state.columns.map((column, position) => {
        const source = action.columns[position];
        if (!source || source.model !== column.model || column.turns.length > 0) return column;
        loaded = true;
        return { ...column, turns: source.turns };
      });
      // The last prompt is now the last turn; the box is for the next one.
      return loaded ? { ...state, columns, prompt: "", attachments: [] } : state;
    }
    default: {
      const exhaustive: never = action;
      return exhaustive;
    }
  }
}
