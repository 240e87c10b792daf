/**
 * An evaluation before it runs: the request validated, every row's prompt rendered (a variable
 * a row lacks refuses the whole evaluation, naming the variables and rows, before any call),
 * the cells laid out (rows × targets × samples), and what it will cost, estimated.
 */
import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { parseModelString } from "@/lib/models";
import { targetParameterProblems } from "@/lib/models/parameter-limits";
import type { Usage } from "@/lib/models/types";
import { calculateCost, resolvePrice } from "@/lib/pricing";
import type { PriceOverride } from "@/lib/pricing/types";
import { renderTemplate } from "@/lib/prompts/template";
import { runRequestSchema } from "@/lib/runs/run-request";
import { formatZodIssues } from "@/lib/zod-issues";
import { assertionSchema, type PreparedAssertion, prepareAssertions } from "./assertions";
import type { DatasetRow } from "./dataset-import";

export const MAX_SAMPLES = 10;
export const MAX_CONCURRENCY = 64;
/** Output tokens assumed for the estimate when a target sets no `maxTokens`. */
export const ESTIMATED_OUTPUT_TOKENS = 256;
/** Characters per token for the estimate: the usual rule of thumb for English text. */
const CHARACTERS_PER_TOKEN = 4;

export const evaluationRequestSchema = z.strictObject({
  promptId: z.string().min(1),
  version: z.number().int().min(1).optional(),
  datasetId: z.string().min(1),
  targets: runRequestSchema.shape.targets,
  samples: z.number().int().min(1).max(MAX_SAMPLES).default(1),
  assertions: z.array(assertionSchema).max(20).default([]),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
});

export type EvaluationRequest = z.output<typeof evaluationRequestSchema>;

export function parseEvaluationRequest(body: unknown): EvaluationRequest {
  const result = evaluationRequestSchema.safeParse(body);
  if (!result.success) throw new InvalidInputError({ message: formatZodIssues(result.error) });
  for (const [index, target] of result.data.targets.entries()) {
    try {
      parseModelString(target.model);
    } catch (error) {
      throw new InvalidInputError({
        code: "invalid_model",
        message: `targets[${index}].model: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    const problem = targetParameterProblems(target)[0];
    if (problem) {
      const path = problem.field === "model" ? "model" : `params.${problem.field}`;
      throw new InvalidInputError({
        code: "invalid_params",
        message: `targets[${index}].${path}: ${problem.message}`,
      });
    }
  }
  for (const [index, assertion] of result.data.assertions.entries()) {
    if (assertion.type !== "judge") continue;
    try {
      parseModelString(assertion.model);
    } catch (error) {
      throw new InvalidInputError({
        code: "invalid_model",
        message: `assertions[${index}].model: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return result.data;
}

export interface PromptVersionInput {
  system: string | null;
  template: string;
}

export interface PlannedRow {
  index: number;
  prompt: string;
  expected: string | null;
}

export interface CellKey {
  row: number;
  target: number;
  sample: number;
}

export interface EvaluationPlan {
  rows: PlannedRow[];
  cells: CellKey[];
  assertions: PreparedAssertion[];
}

/** Which rows lack which variables, as one message: "country (rows 2, 5); language (row 3)". */
function missingVariablesMessage(missing: Map<string, number[]>): string {
  const parts = [...missing].map(([name, rows]) => {
    const shown = rows.slice(0, 10).join(", ") + (rows.length > 10 ? ", …" : "");
    return `${name} (${rows.length === 1 ? "row" : "rows"} ${shown})`;
  });
  return `the test set lacks template variables: ${parts.join("; ")}`;
}

export class MissingVariablesError extends InvalidInputError {
  override readonly name = "MissingVariablesError";
  readonly missing: Record<string, number[]>;
  constructor(missing: Map<string, number[]>) {
    super({ code: "missing_variables", message: missingVariablesMessage(missing) });
    this.missing = Object.fromEntries(missing);
  }
}

export function planEvaluation(options: {
  request: EvaluationRequest;
  version: PromptVersionInput;
  rows: readonly DatasetRow[];
}): EvaluationPlan {
  const missing = new Map<string, number[]>();
  const rows: PlannedRow[] = [];
  options.rows.forEach((row, index) => {
    const rendered = renderTemplate(options.version.template, row.vars);
    if (!rendered.ok) {
      for (const name of rendered.missing)
        missing.set(name, [...(missing.get(name) ?? []), index + 1]);
      return;
    }
    rows.push({ index, prompt: rendered.text, expected: row.expected });
  });
  if (missing.size > 0) throw new MissingVariablesError(missing);
  const assertions = prepareAssertions(options.request.assertions);
  const cells: CellKey[] = [];
  for (const row of rows) {
    for (let sample = 0; sample < options.request.samples; sample++) {
      for (let target = 0; target < options.request.targets.length; target++) {
        cells.push({ row: row.index, target, sample });
      }
    }
  }
  return { rows, cells, assertions };
}

function estimatedUsage(inputCharacters: number, outputTokens: number): Usage {
  return {
    inputTokens: Math.ceil(inputCharacters / CHARACTERS_PER_TOKEN),
    outputTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite5mTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    raw: null,
  };
}

export interface EvaluationEstimate {
  cells: number;
  /** Target and judge calls at list price; `null` when nothing in it is priced. */
  estimatedCostUsd: number | null;
  /** Models (targets or judges) without a price: their calls are not in the estimate. */
  unpricedTargets: string[];
}

/**
 * What the evaluation will cost: each call's input estimated from its prompt's length, its
 * output from the target's `maxTokens` (or {@link ESTIMATED_OUTPUT_TOKENS}), at today's price.
 * A judge call reads the prompt, the answer and the rubric and writes a short verdict.
 */
export function estimateEvaluation(options: {
  request: EvaluationRequest;
  version: PromptVersionInput;
  plan: EvaluationPlan;
  overrides: readonly PriceOverride[];
  now?: Date;
}): EvaluationEstimate {
  const at = options.now ?? new Date();
  const unpriced = new Set<string>();
  let total = 0;
  let anyPriced = false;
  const costOf = (model: string, usage: Usage): number | null => {
    const { provider, modelId } = parseModelString(model);
    const resolution = resolvePrice({ provider, modelId, at, overrides: options.overrides });
    if (resolution.status === "local") return 0;
    if (resolution.status === "unpriced") {
      unpriced.add(model);
      return null;
    }
    return calculateCost({ usage, price: resolution.price })?.totalUsd ?? null;
  };
  const systemLength = options.version.system?.length ?? 0;
  const rowsByIndex = new Map(options.plan.rows.map((row) => [row.index, row]));
  const judges = options.request.assertions.filter((assertion) => assertion.type === "judge");
  for (const cell of options.plan.cells) {
    const target = options.request.targets[cell.target];
    const row = rowsByIndex.get(cell.row);
    if (!target || !row) continue;
    const outputTokens = target.params?.maxTokens ?? ESTIMATED_OUTPUT_TOKENS;
    const targetCost = costOf(
      target.model,
      estimatedUsage(systemLength + row.prompt.length, outputTokens),
    );
    if (targetCost !== null) {
      total += targetCost;
      anyPriced = true;
    }
    for (const judge of judges) {
      const readCharacters =
        row.prompt.length + judge.rubric.length + outputTokens * CHARACTERS_PER_TOKEN + 400;
      const judgeCost = costOf(judge.model, estimatedUsage(readCharacters, 60));
      if (judgeCost !== null) {
        total += judgeCost;
        anyPriced = true;
      }
    }
  }
  return {
    cells: options.plan.cells.length,
    estimatedCostUsd: anyPriced ? total : null,
    unpricedTargets: [...unpriced],
  };
}
