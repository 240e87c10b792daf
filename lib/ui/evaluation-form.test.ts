import { describe, expect, it } from "vitest";
import {
  type EvaluationDraft,
  estimateLines,
  evaluationBody,
  newAssertion,
  newTarget,
} from "./evaluation-form";

function draft(extra: Partial<EvaluationDraft> = {}): EvaluationDraft {
  return {
    promptId: "p1",
    version: "",
    datasetId: "d1",
    targets: [newTarget("demo:chat")],
    samples: "1",
    assertions: [],
    concurrency: "",
    ...extra,
  };
}

describe("evaluationBody", () => {
  it("builds the contract's body, leaving unset values out", () => {
    const result = evaluationBody(
      draft({
        version: "2",
        samples: "3",
        targets: [
          { model: "openai:gpt-4o-mini", temperature: "0.2", topP: "", maxTokens: "200" },
          newTarget("demo:fast"),
        ],
        assertions: [
          newAssertion("equals"),
          { type: "contains", value: "Paris" },
          { type: "regex", pattern: "^P", flags: "i" },
          { type: "json-schema", schema: '{"type":"object"}' },
          { type: "max-latency-ms", value: "2000" },
          { type: "max-cost-usd", value: "0.01" },
          { type: "judge", model: "demo:chat", rubric: "Is it right?", passScore: "4" },
        ],
      }),
    );
    expect(result).toEqual({
      ok: true,
      body: {
        promptId: "p1",
        version: 2,
        datasetId: "d1",
        targets: [
          { model: "openai:gpt-4o-mini", params: { temperature: 0.2, maxTokens: 200 } },
          { model: "demo:fast" },
        ],
        samples: 3,
        assertions: [
          { type: "equals" },
          { type: "contains", value: "Paris" },
          { type: "regex", pattern: "^P", flags: "i" },
          { type: "json-schema", schema: { type: "object" } },
          { type: "max-latency-ms", value: 2000 },
          { type: "max-cost-usd", value: 0.01 },
          { type: "judge", model: "demo:chat", rubric: "Is it right?", passScore: 4 },
        ],
      },
    });
  });

  it("refuses what cannot be sent, naming the field", () => {
    const cases: Array<[Partial<EvaluationDraft>, string]> = [
      [{ promptId: "" }, "A prompt is required."],
      [{ samples: "11" }, "Samples must be 1 to 10."],
      [{ samples: "1.5" }, 'Samples: "1.5" is not a whole number.'],
      [{ targets: [] }, "Add at least one target."],
      [{ targets: [newTarget("gpt-4o")] }, "Target 1: the model must read provider:model."],
      [
        { targets: [{ ...newTarget("demo:chat"), temperature: "3" }] },
        "Target 1 (demo:chat): temperature must be between 0 and 2.",
      ],
      [
        { assertions: [{ type: "regex", pattern: "(", flags: "" }] },
        "Assertion 1 (Matches a regex): the pattern or its flags are not a valid regex.",
      ],
      [
        { assertions: [{ type: "json-schema", schema: "[1]" }] },
        "Assertion 1 (JSON valid against a schema): the schema must be a JSON object.",
      ],
      [
        { assertions: [{ type: "judge", model: "demo:chat", rubric: "", passScore: "4" }] },
        "Assertion 1 (LLM judge (score 1–5)): the rubric is required.",
      ],
      [
        { assertions: [{ type: "judge", model: "demo:chat", rubric: "r", passScore: "6" }] },
        "Assertion 1 (LLM judge (score 1–5)): the pass score must be 1 to 5.",
      ],
    ];
    for (const [change, message] of cases) {
      expect(evaluationBody(draft(change))).toEqual({ ok: false, message });
    }
  });
});

describe("estimateLines", () => {
  it("counts the judge's calls too and names the unpriced models", () => {
    const lines = estimateLines(
      { cells: 12, estimatedCostUsd: 0.0123, unpricedTargets: ["openai:mystery"] },
      { assertions: [{ type: "judge" }, { type: "equals" }] },
    );
    expect(lines).toEqual({
      totalCalls: 24,
      calls: "24 calls: 12 to the targets and 12 to the judge",
      cost: "Estimated cost: ≈ $0.0123 at list prices",
      unpriced: "Not priced, so not in the estimate: openai:mystery",
      confirm: "Start 24 calls",
    });
  });

  it("says the cost is unknown when nothing is priced", () => {
    const lines = estimateLines(
      { cells: 1, estimatedCostUsd: null, unpricedTargets: [] },
      { assertions: [] },
    );
    expect([lines.calls, lines.cost, lines.unpriced, lines.confirm]).toEqual([
      "1 call to the targets",
      "Estimated cost: unknown (nothing in it is priced)",
      null,
      "Start 1 call",
    ]);
  });
});
