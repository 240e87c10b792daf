/**
 * "Run again" and "edit and resend", as resends for `planRuns`. The model is LMArena's and
 * ChatGPT's: a column's history is one line of turns; editing turn N and resending keeps the
 * turns before it, asks the edited prompt, and drops the later turns from the column. Those
 * turns are not lost: their runs stay recorded (`/runs`) and open again, and the new runs say
 * which run they branched from.
 */
import type { Column, PlaygroundState, Turn } from "./playground-state";
import { isActive } from "./playground-state";
import { historyMessages, type Resend } from "./run-plan";

/** The comparison a turn was asked in: its id, or (turns from before ids) its run. */
export function comparisonKeyOf(turn: Turn): string | null {
  return turn.comparisonId ?? turn.runId;
}

/**
 * The comparison "Run again" repeats: the one the most recent last turn belongs to, with the
 * columns whose last turn is in it. `null` while anything runs or nothing has been asked.
 */
export function latestComparison(
  state: PlaygroundState,
): { comparisonKey: string; columnIds: string[] } | null {
  let latest: Turn | null = null;
  for (const column of state.columns) {
    const last = column.turns[column.turns.length - 1];
    if (!last) continue;
    if (isActive(last)) return null;
    if (comparisonKeyOf(last) === null) continue;
    if (latest === null || last.startedAt > latest.startedAt) latest = last;
  }
  const key = latest ? comparisonKeyOf(latest) : null;
  if (key === null) return null;
  const columnIds = state.columns
    .filter((column) => {
      const last = column.turns[column.turns.length - 1];
      return last !== undefined && comparisonKeyOf(last) === key;
    })
    .map((column) => column.id);
  return { comparisonKey: key, columnIds };
}

/** Run again: each column of the latest comparison asks its last prompt again, same history. */
export function runAgainResends(state: PlaygroundState): Resend[] {
  const latest = latestComparison(state);
  if (!latest) return [];
  return state.columns.flatMap((column) => {
    const last = column.turns[column.turns.length - 1];
    if (!last || !latest.columnIds.includes(column.id)) return [];
    return [
      {
        columnId: column.id,
        keepTurns: column.turns.length - 1,
        prompt: last.prompt,
        images: last.images ?? [],
      },
    ];
  });
}

function historyKey(turns: Turn[]): string {
  return JSON.stringify(historyMessages(turns));
}

/**
 * The columns that share a column's turn `turnIndex`: the same history before it and the same
 * prompt at it (every column shares turn 1 of one "Run all"; once answers differ, a later
 * turn is the column's own). The source column comes first.
 */
export function columnsSharingTurn(
  state: PlaygroundState,
  columnId: string,
  turnIndex: number,
): Column[] {
  const source = state.columns.find((column) => column.id === columnId);
  const turn = source?.turns[turnIndex];
  if (!source || !turn) return [];
  const before = historyKey(source.turns.slice(0, turnIndex));
  const images = JSON.stringify(turn.images ?? []);
  const sharing = state.columns.filter((column) => {
    if (column.id === source.id) return false;
    const other = column.turns[turnIndex];
    return (
      other !== undefined &&
      other.prompt === turn.prompt &&
      JSON.stringify(other.images ?? []) === images &&
      historyKey(column.turns.slice(0, turnIndex)) === before
    );
  });
  return [source, ...sharing];
}

/**
 * Edit and resend: every column sharing turn `turnIndex` keeps the turns before it and asks
 * `prompt` (the turn's images kept); the new runs branch from the run that answered it.
 */
export function editResends(options: {
  state: PlaygroundState;
  columnId: string;
  turnIndex: number;
  prompt: string;
}): Resend[] {
  const { state, turnIndex } = options;
  if (state.columns.some((column) => column.turns.some(isActive))) return [];
  return columnsSharingTurn(state, options.columnId, turnIndex).flatMap((column) => {
    const turn = column.turns[turnIndex];
    if (!turn) return [];
    const branchedFrom = turn.runId ?? turn.branchedFromRunId;
    return [
      {
        columnId: column.id,
        keepTurns: turnIndex,
        prompt: options.prompt,
        images: turn.images ?? [],
        ...(branchedFrom ? { branchedFromRunId: branchedFrom } : {}),
      },
    ];
  });
}

/**
 * For each column, how many columns share each of its turns (what "edit" would resend), or
 * `null` while something runs (nothing can be edited then; not worth computing per frame).
 */
export function sharedTurnCounts(state: PlaygroundState): Map<string, number[]> | null {
  if (state.columns.some((column) => column.turns.some(isActive))) return null;
  return new Map(
    state.columns.map((column) => [
      column.id,
      column.turns.map((_turn, index) => columnsSharingTurn(state, column.id, index).length),
    ]),
  );
}
