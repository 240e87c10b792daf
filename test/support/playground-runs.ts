/**
 * Drives the playground's reducer through a planned send the way the page does: begins the
 * plan's turns, attaches each run, and finishes every call with an answer of its own.
 */
import { type PlaygroundState, playgroundReducer } from "@/lib/ui/playground-state";
import type { RunPlan } from "@/lib/ui/run-plan";

/**
 * Turns begin at `now` and their calls finish (`ok`, `stop`) at `now + 1`; `runId` names the
 * plan's runs by their place in it, `answer` gives each turn's text.
 */
export function answerPlan(
  state: PlaygroundState,
  plan: RunPlan,
  options: {
    now: number;
    clearPrompt?: boolean;
    runId: (runIndex: number) => string;
    answer: (turnId: string) => string;
  },
): PlaygroundState {
  if (!plan.ok) throw new Error(plan.message);
  let next = playgroundReducer(state, {
    type: "begin-turns",
    turns: plan.starts,
    now: options.now,
    ...(options.clearPrompt === undefined ? {} : { clearPrompt: options.clearPrompt }),
  });
  plan.runs.forEach((run, runIndex) => {
    const runId = options.runId(runIndex);
    next = playgroundReducer(next, {
      type: "attach-run",
      runId,
      calls: run.turnIds.map((turnId, index) => ({ index, turnId })),
    });
    next = playgroundReducer(next, {
      type: "run-events",
      runId,
      now: options.now + 1,
      events: run.turnIds.flatMap((turnId, index) => [
        { type: "text-delta" as const, index, delta: options.answer(turnId) },
        {
          type: "call-finish" as const,
          index,
          status: "ok" as const,
          stopReason: "stop" as const,
          usage: null,
          costUsd: null,
          ttftMs: 1,
          durationMs: 2,
        },
      ]),
    });
  });
  return next;
}
