/**
 * Blind mode on the compare page: the columns are shown shuffled and named "A, B, …" with their
 * models hidden until the person votes (one better, a tie, or both bad); the vote goes to
 * `POST /api/votes`, whose answer reveals who was who. Each Run all in blind mode is a new round:
 * a fresh conversation (one run, so one vote covers every answer) in a new order.
 */
import { isActive, type Turn } from "./playground-state";

export type BlindWinner = number | "tie" | "both-bad";

export interface BlindVerdict {
  runId: string;
  /** The winning call index, or a tie, or both bad. */
  winner: BlindWinner;
  /** The run's models by call index, as the server recorded them with the vote. */
  models: string[];
}

export interface BlindRound {
  /** Column ids in the order shown; the letters follow this order. */
  order: string[];
  verdict: BlindVerdict | null;
}

interface ColumnLike {
  id: string;
  model: string;
  turns: Turn[];
}

/** Fisher–Yates; `random` is injectable so tests can fix the order. */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const here = copy[index] as T;
    copy[index] = copy[other] as T;
    copy[other] = here;
  }
  return copy;
}

export function blindLetter(position: number): string {
  return String.fromCharCode(65 + position);
}

export interface BlindColumn<C extends ColumnLike> {
  column: C;
  letter: string;
  /** The model, once the vote has revealed it; `null` while hidden. */
  revealed: string | null;
}

/**
 * The columns in the round's order with their letters. A column the order does not know (added
 * since the round began) comes last, so nothing disappears.
 */
export function blindColumns<C extends ColumnLike>(
  columns: readonly C[],
  round: BlindRound,
): BlindColumn<C>[] {
  const position = new Map(round.order.map((id, index) => [id, index]));
  const ordered = [...columns].sort(
    (left, right) =>
      (position.get(left.id) ?? Number.MAX_SAFE_INTEGER) -
      (position.get(right.id) ?? Number.MAX_SAFE_INTEGER),
  );
  return ordered.map((column, index) => ({
    column,
    letter: blindLetter(index),
    revealed: revealedModel(column, round.verdict),
  }));
}

function revealedModel(column: ColumnLike, verdict: BlindVerdict | null): string | null {
  if (!verdict) return null;
  const turn = column.turns[column.turns.length - 1];
  if (!turn || turn.runId !== verdict.runId || turn.callIndex === null) return null;
  return verdict.models[turn.callIndex] ?? turn.model;
}

export type VoteReadiness =
  | { state: "idle"; message: string }
  | { state: "waiting" }
  | { state: "ready"; runId: string; callIndexByColumn: Map<string, number> }
  | { state: "voted"; verdict: BlindVerdict };

/** Whether the round can be voted on: every column answered the same run and none is running. */
export function voteReadiness(columns: readonly ColumnLike[], round: BlindRound): VoteReadiness {
  if (round.verdict) return { state: "voted", verdict: round.verdict };
  if (columns.length < 2) {
    return { state: "idle", message: "Blind mode needs at least two columns." };
  }
  const latest = columns.map((column) => column.turns[column.turns.length - 1]);
  if (latest.some((turn) => turn === undefined)) {
    return {
      state: "idle",
      message: "Write a prompt and Run all: the answers come back as A, B, …",
    };
  }
  const turns = latest as Turn[];
  if (turns.some((turn) => isActive(turn))) return { state: "waiting" };
  const runId = turns[0]?.runId ?? null;
  if (runId === null || turns.some((turn) => turn.runId !== runId || turn.callIndex === null)) {
    return { state: "idle", message: "These answers are not one round: Run all to start one." };
  }
  return {
    state: "ready",
    runId,
    callIndexByColumn: new Map(
      columns.map((column, index) => [column.id, turns[index]?.callIndex ?? 0]),
    ),
  };
}

export interface RevealEntry {
  letter: string;
  model: string;
  won: boolean;
}

/** Who was who, in the letters' order, and the sentence that says what was chosen. */
export function revealOf<C extends ColumnLike>(
  shown: readonly BlindColumn<C>[],
  verdict: BlindVerdict,
): { entries: RevealEntry[]; choice: string } {
  const entries = shown.map((item) => {
    const turn = item.column.turns[item.column.turns.length - 1];
    return {
      letter: item.letter,
      model: item.revealed ?? item.column.model,
      won: typeof verdict.winner === "number" && turn?.callIndex === verdict.winner,
    };
  });
  const winner = entries.find((entry) => entry.won);
  const choice =
    verdict.winner === "tie"
      ? "You called it a tie."
      : verdict.winner === "both-bad"
        ? "You found them all bad."
        : winner
          ? `You chose ${winner.letter}.`
          : "You chose an answer.";
  return { entries, choice };
}
