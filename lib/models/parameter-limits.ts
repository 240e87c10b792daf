/**
 * The ranges a target's parameters must be in, checked the same way by `POST /api/runs` (a
 * `400 invalid_params`) and by the compare page (which does not send such a run). Plain data
 * and arithmetic, so the page can import it.
 */
import { DEMO_MODEL_IDS } from "./demo/demo-models";
import { getModelMetadata } from "./metadata";

export interface ParameterProblem {
  /** `model` or the `params` field, as the contract names it. */
  field: "model" | "temperature" | "topP" | "maxTokens";
  message: string;
}

export interface TargetParameters {
  temperature?: number | undefined;
  topP?: number | undefined;
  maxTokens?: number | undefined;
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

/** Splits at the first colon; a malformed string is someone else's error (`invalid_model`). */
function splitModel(model: string): { provider: string; modelId: string } | null {
  const colon = model.indexOf(":");
  if (colon === -1) return null;
  return { provider: model.slice(0, colon), modelId: model.slice(colon + 1) };
}

/** No model we know of writes more; a larger value is a typo, whatever the model. */
export const MAX_TOKENS_CEILING = 1_000_000;

/** The largest `maxTokens` a run may ask of the model: its known output limit, or the ceiling. */
export function maxOutputTokensOf(model: string): { limit: number; known: boolean } {
  const parsed = splitModel(model);
  const known = parsed ? getModelMetadata(parsed.modelId)?.maxOutputTokens : undefined;
  return known === undefined
    ? { limit: MAX_TOKENS_CEILING, known: false }
    : { limit: known, known: true };
}

/** Every problem with one target, in a fixed order; empty when it may be sent. */
export function targetParameterProblems(target: {
  model: string;
  params?: TargetParameters | undefined;
}): ParameterProblem[] {
  const problems: ParameterProblem[] = [];
  const parsed = splitModel(target.model);
  if (parsed?.provider === "demo" && !DEMO_MODEL_IDS.includes(parsed.modelId)) {
    problems.push({
      field: "model",
      message: `demo has no model "${parsed.modelId}"; it has ${DEMO_MODEL_IDS.join(", ")}`,
    });
  }
  const params = target.params ?? {};
  if (params.temperature !== undefined && !inRange(params.temperature, 0, 2)) {
    problems.push({ field: "temperature", message: "temperature must be between 0 and 2" });
  }
  if (params.topP !== undefined && !inRange(params.topP, 0, 1)) {
    problems.push({ field: "topP", message: "topP must be between 0 and 1" });
  }
  if (params.maxTokens !== undefined) {
    const { limit, known } = maxOutputTokensOf(target.model);
    if (!Number.isInteger(params.maxTokens) || params.maxTokens < 1) {
      problems.push({
        field: "maxTokens",
        message: "maxTokens must be a whole number of at least 1",
      });
    } else if (params.maxTokens > limit) {
      problems.push({
        field: "maxTokens",
        message: known
          ? `maxTokens must be at most ${limit}, the output limit of ${target.model}`
          : `maxTokens must be at most ${limit}`,
      });
    }
  }
  return problems;
}
