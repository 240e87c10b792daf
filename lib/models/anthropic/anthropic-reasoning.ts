/**
 * `reasoningEffort` → Claude's thinking controls. Models from Claude 4.6 on (and unknown,
 * newer names) take adaptive thinking steered by `output_config.effort`; the earlier thinking
 * models only take a manual `budget_tokens`, which must be at least 1,024 and below
 * `max_tokens`; models before 3.7 do not think at all.
 */
import type { OutputConfig, ThinkingConfigParam } from "@anthropic-ai/sdk/resources/messages";
import type { ReasoningEffort, UnsupportedParameter } from "../types";

type ThinkingStyle = "adaptive" | "budget" | "none";

const MINIMUM_BUDGET = 1024;
const BUDGET_BY_EFFORT: Record<ReasoningEffort, number> = {
  low: 1024,
  medium: 4096,
  high: 16_384,
};

function undated(modelId: string): string {
  return modelId
    .trim()
    .toLowerCase()
    .replace(/^anthropic[./:]/, "")
    .replace(/-\d{8}$/, "")
    .replace(/-latest$/, "");
}

export function anthropicThinkingStyle(modelId: string): ThinkingStyle {
  const name = undated(modelId);
  if (/^claude-(?:instant|2)/.test(name) || /^claude-3-(?:haiku|sonnet|opus|5-)/.test(name)) {
    return "none";
  }
  if (
    name === "claude-3-7-sonnet" ||
    /^claude-(?:opus|sonnet)-4(?:-[015])?$/.test(name) ||
    name === "claude-haiku-4-5"
  ) {
    return "budget";
  }
  return "adaptive";
}

export function anthropicReasoningControls(options: {
  modelId: string;
  effort: ReasoningEffort | undefined;
  maxTokens: number;
  unsupported: UnsupportedParameter[];
}): { thinking?: ThinkingConfigParam; effort?: OutputConfig["effort"] } {
  const { effort } = options;
  if (!effort) return {};
  const style = anthropicThinkingStyle(options.modelId);
  switch (style) {
    case "none":
      options.unsupported.push({
        parameter: "reasoningEffort",
        reason: "this Claude model has no extended thinking",
      });
      return {};
    case "adaptive":
      // `summarized` so the thinking text is returned to show, not only its signature.
      return { thinking: { type: "adaptive", display: "summarized" }, effort };
    case "budget": {
      const budget = Math.min(BUDGET_BY_EFFORT[effort], options.maxTokens - 1);
      if (budget < MINIMUM_BUDGET) {
        options.unsupported.push({
          parameter: "reasoningEffort",
          reason: `a thinking budget needs maxTokens above ${MINIMUM_BUDGET}`,
        });
        return {};
      }
      return { thinking: { type: "enabled", budget_tokens: budget } };
    }
    default: {
      const exhaustive: never = style;
      throw new TypeError(`unknown thinking style: ${String(exhaustive)}`);
    }
  }
}
