import { describe, expect, it } from "vitest";
import type { EvaluationStreamEvent } from "./evaluation-api";
import { type EvaluationRequest, planEvaluation } from "./evaluation-plan";
import {
  type CallRequest,
  type CellResult,
  EvaluationRunner,
  type ExecutedCall,
  type RunnableEvaluation,
} from "./evaluation-runner";

function request(overrides: Partial<EvaluationRequest> = {}): EvaluationRequest {
  return {
    promptId: "p1",
    datasetId: "d1",
    targets: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
    samples: 1,
    assertions: [{ type: "contains", value: "Paris" }],
    ...overrides,
  };
}

function evaluation(body: EvaluationRequest, id = "e1"): RunnableEvaluation {
  const plan = planEvaluation({
    request: body,
    version: { system: "Answer in one word.", template: "Capital of {{country}}?" },
    rows: [
      { vars: { country: "France" }, expected: "Paris" },
      { vars: { country: "Peru" }, expected: "Lima" },
    ],
  });
  return {
    id,
    request: body,
    version: { system: "Answer in one word.", tools: null, responseFormat: null },
    plan,
    cells: plan.cells,
  };
}

function memoryStore() {
  const cells = new Map<string, CellResult>();
  const statuses: string[] = [];
  return {
    cells,
    statuses,
    store: {
      updateCell: (_id: string, cell: CellResult) => {
        cells.set(`${cell.row}.${cell.target}.${cell.sample}`, cell);
      },
      setStatus: (_id: string, status: string) => {
        statuses.push(status);
      },
    },
  };
}

let ids = 0;
function answer(output: string, values: Partial<ExecutedCall> = {}): ExecutedCall {
  ids += 1;
  return {
    callId: `call-${ids}`,
    status: "ok",
    output,
    latencyMs: 100,
    costUsd: 0.001,
    errorMessage: null,
    ...values,
  };
}

/** Answers "Paris" to France, "Cusco" to Peru; the judge (demo:judge) scores 5 for Paris. */
function capitalsExecutor(calls: CallRequest[]) {
  return async (call: CallRequest): Promise<ExecutedCall> => {
    calls.push(call);
    const text = typeof call.messages[0]?.content === "string" ? call.messages[0].content : "";
    if (call.source === "judge") {
      return answer(
        text.includes("<response>\nParis")
          ? '{"score": 5, "reason": "right"}'
          : "score: 3 (wrong city)",
        {
          costUsd: 0.0001,
        },
      );
    }
    return answer(text.includes("France") ? "Paris" : "Cusco");
  };
}

describe("EvaluationRunner", () => {
  it("runs every cell once, checks it, and leaves the evaluation done", async () => {
    const calls: CallRequest[] = [];
    const memory = memoryStore();
    const events: EvaluationStreamEvent[] = [];
    const runner = new EvaluationRunner({ execute: capitalsExecutor(calls), store: memory.store });
    const running = runner.start(evaluation(request()));
    runner.subscribe("e1", (event) => events.push(event));
    await running;

    expect(calls).toHaveLength(4);
    expect(calls.every((call) => call.source === "evaluation")).toBe(true);
    expect(calls[0]?.system).toBe("Answer in one word.");
    expect(calls.map((call) => call.target.model).sort()).toEqual([
      "anthropic:claude-haiku-4-5",
      "anthropic:claude-haiku-4-5",
      "openai:gpt-4o-mini",
      "openai:gpt-4o-mini",
    ]);
    expect(memory.cells.get("0.0.0")).toMatchObject({ status: "ok", passed: true });
    expect(memory.cells.get("1.1.0")).toMatchObject({
      status: "ok",
      passed: false,
      assertions: [{ type: "contains", passed: false }],
    });
    expect(memory.statuses).toEqual(["running", "done"]);
    expect(runner.isRunning("e1")).toBe(false);
    const last = events.filter((event) => event.type === "progress").at(-1);
    expect(last).toMatchObject({ done: 4, total: 4 });
    expect(last?.type === "progress" ? last.costUsd : 0).toBeCloseTo(0.004, 10);
    expect(events.filter((event) => event.type === "cell")).toHaveLength(4);
    expect(events.at(-1)).toEqual({ type: "status", status: "done" });
  });

  it("asks the judge with source judge, and keeps its score, call and verdict", async () => {
    const calls: CallRequest[] = [];
    const memory = memoryStore();
    const runner = new EvaluationRunner({ execute: capitalsExecutor(calls), store: memory.store });
    await runner.start(
      evaluation(
        request({
          targets: [{ model: "openai:gpt-4o-mini" }],
          assertions: [{ type: "judge", model: "demo:judge", rubric: "names the capital" }],
        }),
      ),
    );
    const judged = calls.filter((call) => call.source === "judge");
    expect(judged).toHaveLength(2);
    expect(judged.every((call) => call.target.model === "demo:judge")).toBe(true);
    expect(judged[0]?.messages[0]?.content).toContain("names the capital");
    const france = memory.cells.get("0.0.0");
    expect(france).toMatchObject({ passed: true, judgeScore: 5 });
    expect(france?.judgeCallId).toMatch(/^call-/);
    expect(france?.assertions?.[0]?.detail).toContain("scored 5/5");
    // A plain "score: 3" verdict, below the default pass score of 4.
    expect(memory.cells.get("1.0.0")).toMatchObject({ passed: false, judgeScore: 3 });
  });

  it("fails the cells of a failed call, without asking the judge", async () => {
    const calls: CallRequest[] = [];
    const memory = memoryStore();
    const runner = new EvaluationRunner({
      execute: async (call) => {
        calls.push(call);
        return answer("", { status: "error", errorMessage: "rate limited", costUsd: null });
      },
      store: memory.store,
    });
    await runner.start(
      evaluation(
        request({
          targets: [{ model: "openai:gpt-4o-mini" }],
          assertions: [{ type: "judge", model: "demo:judge", rubric: "r" }],
        }),
      ),
    );
    expect(calls.every((call) => call.source === "evaluation")).toBe(true);
    expect(memory.cells.get("0.0.0")).toMatchObject({
      status: "error",
      passed: false,
      assertions: [{ type: "judge", passed: false, detail: "no answer (call error)" }],
    });
  });

  it("cancel aborts the calls in flight, starts no more, and leaves those cells unchecked", async () => {
    const memory = memoryStore();
    const started: CallRequest[] = [];
    const runner = new EvaluationRunner({
      perProvider: 1,
      execute: (call) =>
        new Promise<ExecutedCall>((resolve) => {
          started.push(call);
          call.signal.addEventListener("abort", () =>
            resolve(answer("Par", { status: "cancelled", costUsd: 0.0005 })),
          );
        }),
      store: memory.store,
    });
    const running = runner.start(evaluation(request()));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // One per provider in flight.
    expect(started).toHaveLength(2);
    expect(runner.cancel("e1")).toBe(true);
    await running;
    expect(started).toHaveLength(2);
    expect(memory.statuses).toEqual(["running", "cancelled"]);
    const cancelled = [...memory.cells.values()];
    expect(cancelled).toHaveLength(2);
    expect(cancelled.every((cell) => cell.status === "cancelled" && cell.passed === null)).toBe(
      true,
    );
    expect(runner.cancel("e1")).toBe(false);
  });

  it("a resume runs only the cells it is given and counts the others as done", async () => {
    const calls: CallRequest[] = [];
    const memory = memoryStore();
    const events: EvaluationStreamEvent[] = [];
    const runner = new EvaluationRunner({ execute: capitalsExecutor(calls), store: memory.store });
    const whole = evaluation(request());
    const remaining = whole.cells.filter((cell) => cell.row === 1);
    const running = runner.start(
      { ...whole, cells: remaining },
      { alreadyDone: 2, alreadySpentUsd: 0.002 },
    );
    runner.subscribe("e1", (event) => events.push(event));
    await running;
    expect(calls).toHaveLength(2);
    expect(calls.every((call) => String(call.messages[0]?.content).includes("Peru"))).toBe(true);
    const last = events.filter((event) => event.type === "progress").at(-1);
    expect(last).toMatchObject({ done: 4, total: 4 });
    expect(last?.type === "progress" ? last.costUsd : 0).toBeCloseTo(0.004, 10);
  });

  it("refuses to start an evaluation that is running already", async () => {
    const runner = new EvaluationRunner({
      execute: capitalsExecutor([]),
      store: memoryStore().store,
    });
    const running = runner.start(evaluation(request()));
    expect(() => runner.start(evaluation(request()))).toThrow(/already running/);
    await running;
  });

  it("bounds judge calls per provider too", async () => {
    let inFlight = 0;
    let peak = 0;
    const runner = new EvaluationRunner({
      perProvider: 2,
      total: 16,
      execute: async (call) => {
        if (call.source !== "judge") return answer("Paris");
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return answer('{"score": 5}');
      },
      store: memoryStore().store,
    });
    const body = request({
      targets: [
        { model: "openai:gpt-4o-mini" },
        { model: "anthropic:claude-haiku-4-5" },
        { model: "ollama:llama3.2" },
      ],
      samples: 3,
      assertions: [{ type: "judge", model: "demo:judge", rubric: "r" }],
    });
    await runner.start(evaluation(body));
    expect(peak).toBe(2);
  });
});
