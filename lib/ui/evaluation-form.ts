/**
 * The form that creates an evaluation: what was typed (text fields, as inputs hold them) turned
 * into the `POST /api/evaluations` body, refused on the page with the field named when a value
 * cannot be sent; and the estimate read back as the lines the confirmation shows.
 */
import * as z from "zod/mini";
import { targetParameterProblems } from "@/lib/models/parameter-limits";
import { formatUsd } from "./metrics";

export const MAX_SAMPLES = 10;

export interface TargetDraft {
  model: string;
  temperature: string;
  topP: string;
  maxTokens: string;
}

export type AssertionDraft =
  | { type: "equals" }
  | { type: "contains"; value: string }
  | { type: "regex"; pattern: string; flags: string }
  | { type: "json-schema"; schema: string }
  | { type: "max-latency-ms"; value: string }
  | { type: "max-cost-usd"; value: string }
  | { type: "judge"; model: string; rubric: string; passScore: string };

export type AssertionType = AssertionDraft["type"];

export const ASSERTION_LABELS: Record<AssertionType, string> = {
  equals: "Equals the expected output",
  contains: "Contains",
  regex: "Matches a regex",
  "json-schema": "JSON valid against a schema",
  "max-latency-ms": "Latency at most (ms)",
  "max-cost-usd": "Cost at most (USD)",
  judge: "LLM judge (score 1–5)",
};

export function newAssertion(type: AssertionType): AssertionDraft {
  switch (type) {
    case "equals":
      return { type };
    case "contains":
    case "max-latency-ms":
    case "max-cost-usd":
      return { type, value: "" };
    case "regex":
      return { type, pattern: "", flags: "" };
    case "json-schema":
      return { type, schema: "" };
    case "judge":
      return { type, model: "", rubric: "", passScore: "4" };
    default: {
      const exhaustive: never = type;
      return exhaustive;
    }
  }
}

export function newTarget(model = "demo:chat"): TargetDraft {
  return { model, temperature: "", topP: "", maxTokens: "" };
}

export interface EvaluationDraft {
  promptId: string;
  /** Empty for the latest version. */
  version: string;
  datasetId: string;
  targets: TargetDraft[];
  samples: string;
  assertions: AssertionDraft[];
  /** Empty for the server's default. */
  concurrency: string;
}

export interface EvaluationBody {
  promptId: string;
  version?: number;
  datasetId: string;
  targets: Array<{
    model: string;
    params?: { temperature?: number; topP?: number; maxTokens?: number };
  }>;
  samples: number;
  assertions: Array<Record<string, unknown> & { type: AssertionType }>;
  concurrency?: number;
}

export type BodyResult = { ok: true; body: EvaluationBody } | { ok: false; message: string };

class DraftError extends Error {}

function numberOf(
  text: string,
  what: string,
  options: { integer?: boolean } = {},
): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
    throw new DraftError(
      `${what}: "${trimmed}" is not ${options.integer ? "a whole number" : "a number"}.`,
    );
  }
  return value;
}

function required(text: string, what: string): string {
  if (text.trim() === "") throw new DraftError(`${what} is required.`);
  return text.trim();
}

const MODEL = /^[a-z][a-z0-9-]*:\S.*$/;

function assertionBody(
  draft: AssertionDraft,
  position: number,
): EvaluationBody["assertions"][number] {
  const what = `Assertion ${position} (${ASSERTION_LABELS[draft.type]})`;
  switch (draft.type) {
    case "equals":
      return { type: "equals" };
    case "contains":
      return { type: "contains", value: required(draft.value, `${what}: the text`) };
    case "regex": {
      const pattern = required(draft.pattern, `${what}: the pattern`);
      try {
        new RegExp(pattern, draft.flags);
      } catch {
        throw new DraftError(`${what}: the pattern or its flags are not a valid regex.`);
      }
      return { type: "regex", pattern, ...(draft.flags ? { flags: draft.flags } : {}) };
    }
    case "json-schema": {
      let schema: unknown;
      try {
        schema = JSON.parse(required(draft.schema, `${what}: the schema`));
      } catch (error) {
        if (error instanceof DraftError) throw error;
        throw new DraftError(`${what}: the schema is not valid JSON.`);
      }
      if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
        throw new DraftError(`${what}: the schema must be a JSON object.`);
      }
      return { type: "json-schema", schema: schema as Record<string, unknown> };
    }
    case "max-latency-ms":
    case "max-cost-usd": {
      const value = numberOf(required(draft.value, `${what}: the limit`), what);
      if (value === undefined || value < 0 || (draft.type === "max-latency-ms" && value === 0)) {
        throw new DraftError(`${what}: the limit must be above 0.`);
      }
      return { type: draft.type, value };
    }
    case "judge": {
      const model = required(draft.model, `${what}: the judge model`);
      if (!MODEL.test(model)) throw new DraftError(`${what}: the model must read provider:model.`);
      const passScore = numberOf(draft.passScore, `${what}: the pass score`, { integer: true });
      if (passScore !== undefined && (passScore < 1 || passScore > 5)) {
        throw new DraftError(`${what}: the pass score must be 1 to 5.`);
      }
      return {
        type: "judge",
        model,
        rubric: required(draft.rubric, `${what}: the rubric`),
        ...(passScore !== undefined ? { passScore } : {}),
      };
    }
    default: {
      const exhaustive: never = draft;
      return exhaustive;
    }
  }
}

export function evaluationBody(draft: EvaluationDraft): BodyResult {
  try {
    const promptId = required(draft.promptId, "A prompt");
    const datasetId = required(draft.datasetId, "A test set");
    const version = numberOf(draft.version, "The version", { integer: true });
    const samples = numberOf(draft.samples, "Samples", { integer: true }) ?? 1;
    if (samples < 1 || samples > MAX_SAMPLES) {
      throw new DraftError(`Samples must be 1 to ${MAX_SAMPLES}.`);
    }
    if (draft.targets.length === 0) throw new DraftError("Add at least one target.");
    const targets = draft.targets.map((target, index) => {
      const what = `Target ${index + 1}`;
      const model = required(target.model, `${what}: the model`);
      if (!MODEL.test(model)) throw new DraftError(`${what}: the model must read provider:model.`);
      const params = {
        temperature: numberOf(target.temperature, `${what}: temperature`),
        topP: numberOf(target.topP, `${what}: topP`),
        maxTokens: numberOf(target.maxTokens, `${what}: maxTokens`, { integer: true }),
      };
      const [problem] = targetParameterProblems({ model, params });
      if (problem) throw new DraftError(`${what} (${model}): ${problem.message}.`);
      const set = Object.fromEntries(
        Object.entries(params).filter(([, value]) => value !== undefined),
      ) as NonNullable<EvaluationBody["targets"][number]["params"]>;
      return { model, ...(Object.keys(set).length > 0 ? { params: set } : {}) };
    });
    const assertions = draft.assertions.map((assertion, index) =>
      assertionBody(assertion, index + 1),
    );
    const concurrency = numberOf(draft.concurrency, "Concurrency", { integer: true });
    if (concurrency !== undefined && concurrency < 1) {
      throw new DraftError("Concurrency must be at least 1.");
    }
    return {
      ok: true,
      body: {
        promptId,
        ...(version !== undefined ? { version } : {}),
        datasetId,
        targets,
        samples,
        assertions,
        ...(concurrency !== undefined ? { concurrency } : {}),
      },
    };
  } catch (error) {
    if (error instanceof DraftError) return { ok: false, message: error.message };
    throw error;
  }
}

export const estimateSchema = z.object({
  cells: z.number(),
  estimatedCostUsd: z.nullable(z.number()),
  unpricedTargets: z.array(z.string()),
});

export type Estimate = z.infer<typeof estimateSchema>;

export interface EstimateLines {
  /** Every call the evaluation makes: the targets' and the judges'. */
  totalCalls: number;
  calls: string;
  cost: string;
  /** The models without a price, named; `null` when all are priced. */
  unpriced: string | null;
  confirm: string;
}

export function estimateLines(
  estimate: Estimate,
  body: Pick<EvaluationBody, "assertions">,
): EstimateLines {
  const judges = body.assertions.filter((assertion) => assertion.type === "judge").length;
  const judgeCalls = estimate.cells * judges;
  const totalCalls = estimate.cells + judgeCalls;
  const count = (value: number) => value.toLocaleString("en-US");
  return {
    totalCalls,
    calls:
      judgeCalls > 0
        ? `${count(totalCalls)} calls: ${count(estimate.cells)} to the targets and ${count(judgeCalls)} to the judge`
        : `${count(totalCalls)} call${totalCalls === 1 ? "" : "s"} to the targets`,
    cost:
      estimate.estimatedCostUsd === null
        ? "Estimated cost: unknown (nothing in it is priced)"
        : `Estimated cost: ≈ ${formatUsd(estimate.estimatedCostUsd)} at list prices`,
    unpriced:
      estimate.unpricedTargets.length === 0
        ? null
        : `Not priced, so not in the estimate: ${estimate.unpricedTargets.join(", ")}`,
    confirm: `Start ${count(totalCalls)} call${totalCalls === 1 ? "" : "s"}`,
  };
}
