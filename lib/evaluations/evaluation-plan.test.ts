import { describe, expect, it } from "vitest";
import type { DatasetRow } from "./dataset-import";
import {
  ESTIMATED_OUTPUT_TOKENS,
  estimateEvaluation,
  MissingVariablesError,
  parseEvaluationRequest,
  planEvaluation,
} from "./evaluation-plan";

const version = { system: null, template: "Capital of {{country}}?" };
const rows = [
  { vars: { country: "France" }, expected: "Paris" },
  { vars: { country: "Italy" }, expected: "Rome" },
];

function request(overrides: Record<string, unknown> = {}) {
  return parseEvaluationRequest({
    promptId: "p",
    datasetId: "d",
    targets: [{ model: "demo:chat" }, { model: "openai:gpt-4o-mini", params: { maxTokens: 100 } }],
    ...overrides,
  });
}

describe("parseEvaluationRequest", () => {
  it("defaults to one sample and no assertions", () => {
    const parsed = request();
    expect(parsed.samples).toBe(1);
    expect(parsed.assertions).toEqual([]);
  });
  it("refuses samples outside 1–10, unknown assertion types and malformed models", () => {
    expect(() => request({ samples: 11 })).toThrow(/samples/);
    expect(() => request({ assertions: [{ type: "sounds-good" }] })).toThrow(/assertions\[0\]/);
    expect(() => request({ targets: [{ model: "nocolon" }] })).toThrow(/targets\[0\]\.model/);
    expect(() => request({ assertions: [{ type: "judge", model: "bogus", rubric: "r" }] })).toThrow(
      /assertions\[0\]\.model/,
    );
  });
});

describe("planEvaluation", () => {
  it("renders every row and lays out rows × samples × targets", () => {
    const plan = planEvaluation({ request: request({ samples: 2 }), version, rows });
    expect(plan.rows).toEqual([
      { index: 0, prompt: "Capital of France?", expected: "Paris" },
      { index: 1, prompt: "Capital of Italy?", expected: "Rome" },
    ]);
    expect(plan.cells).toHaveLength(2 * 2 * 2);
    expect(plan.cells.slice(0, 4)).toEqual([
      { row: 0, target: 0, sample: 0 },
      { row: 0, target: 1, sample: 0 },
      { row: 0, target: 0, sample: 1 },
      { row: 0, target: 1, sample: 1 },
    ]);
  });

  it("refuses before any call when rows lack variables, naming them and the rows", () => {
    const template = { system: null, template: "{{country}} in {{language}}" };
    const gappy: DatasetRow[] = [
      { vars: { country: "France", language: "fr" }, expected: null },
      { vars: { country: "Italy" }, expected: null },
      { vars: { language: "de" }, expected: null },
      { vars: {}, expected: null },
    ];
    let error: unknown;
    try {
      planEvaluation({ request: request(), version: template, rows: gappy });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingVariablesError);
    const missing = error as MissingVariablesError;
    expect(missing.code).toBe("missing_variables");
    expect(missing.missing).toEqual({ language: [2, 4], country: [3, 4] });
    expect(missing.message).toBe(
      "the test set lacks template variables: language (rows 2, 4); country (rows 3, 4)",
    );
  });
});

describe("estimateEvaluation", () => {
  it("counts the cells, prices what has a price, and names what has none", () => {
    const parsed = request({
      targets: [
        { model: "demo:chat" },
        { model: "openai:gpt-4o-mini", params: { maxTokens: 100 } },
        { model: "openai:no-such-model-for-pricing" },
      ],
    });
    const plan = planEvaluation({ request: parsed, version, rows });
    const estimate = estimateEvaluation({ request: parsed, version, plan, overrides: [] });
    expect(estimate.cells).toBe(6);
    expect(estimate.unpricedTargets).toEqual(["openai:no-such-model-for-pricing"]);
    expect(estimate.estimatedCostUsd).toBeGreaterThan(0);

    // More output tokens cost more: the estimate follows the target's maxTokens.
    const longer = request({
      targets: [{ model: "openai:gpt-4o-mini", params: { maxTokens: 1000 } }],
    });
    const shorter = request({
      targets: [{ model: "openai:gpt-4o-mini", params: { maxTokens: 10 } }],
    });
    const costOf = (parsedRequest: ReturnType<typeof request>) =>
      estimateEvaluation({
        request: parsedRequest,
        version,
        plan: planEvaluation({ request: parsedRequest, version, rows }),
        overrides: [],
      }).estimatedCostUsd ?? 0;
    expect(costOf(longer)).toBeGreaterThan(costOf(shorter));
    expect(ESTIMATED_OUTPUT_TOKENS).toBeGreaterThan(0);
  });

  it("is free for local models and unknown when nothing is priced", () => {
    const local = request({ targets: [{ model: "demo:chat" }] });
    expect(
      estimateEvaluation({
        request: local,
        version,
        plan: planEvaluation({ request: local, version, rows }),
        overrides: [],
      }).estimatedCostUsd,
    ).toBe(0);
    const unpriced = request({ targets: [{ model: "openai:no-such-model-for-pricing" }] });
    expect(
      estimateEvaluation({
        request: unpriced,
        version,
        plan: planEvaluation({ request: unpriced, version, rows }),
        overrides: [],
      }).estimatedCostUsd,
    ).toBeNull();
  });

  it("adds the judge's calls", () => {
    const plain = request({ targets: [{ model: "openai:gpt-4o-mini" }] });
    const judged = request({
      targets: [{ model: "openai:gpt-4o-mini" }],
      assertions: [{ type: "judge", model: "openai:gpt-4o-mini", rubric: "Names the capital" }],
    });
    const cost = (parsedRequest: ReturnType<typeof request>) =>
      estimateEvaluation({
        request: parsedRequest,
        version,
        plan: planEvaluation({ request: parsedRequest, version, rows }),
        overrides: [],
      }).estimatedCostUsd ?? 0;
    expect(cost(judged)).toBeGreaterThan(cost(plain));
  });
});
