/**
 * Turns the compare page's state into `POST /api/runs` bodies. The contract sends one message
 * list to every target of a run, while each column keeps its own history; so columns are
 * grouped by identical history and each group becomes one run (one run for a first turn or
 * after "continue from this column", one per column once their answers diverge).
 */
import * as z from "zod/mini";
import { type ContentPart, type TurnImage, userContent } from "./image-attachments";
import { estimateTokens } from "./metrics";
import { blockedRunMessage, runBlockers } from "./parameter-check";
import type { Column, PlaygroundState, Turn, TurnStart } from "./playground-state";
import { renderPrompt } from "./prompt-variables";
import { compactParameters } from "./setup";

export type ChatMessage =
  | { role: "user"; content: string | ContentPart[] }
  | {
      role: "assistant";
      content: string | null;
      toolCalls?: Array<{ id: string; name: string; arguments: Record<string, unknown> }>;
    }
  | { role: "tool"; content: string; toolCallId: string; name?: string; isError?: boolean };

export interface RunTargetBody {
  model: string;
  params?: ReturnType<typeof compactParameters>;
  system?: string;
}

export interface RunBody {
  system?: string;
  messages: ChatMessage[];
  targets: RunTargetBody[];
  tools?: Array<{ type: "function"; function: ToolFunction }>;
  responseFormat?: {
    type: "json_schema";
    json_schema: { name: string; schema: Record<string, unknown> };
  };
  /** Added to the contract: the runs of one click share it, so history groups them. */
  comparisonId?: string;
  /** Edit and resend: the run that answered the edited turn's earlier version. */
  branchedFromRunId?: string;
}

/**
 * A column sent again from an earlier point: its first `keepTurns` turns stay as the
 * history, and `prompt` is asked after them (run again, edit and resend).
 */
export interface Resend {
  columnId: string;
  keepTurns: number;
  prompt: string;
  images: TurnImage[];
  branchedFromRunId?: string;
}

/** One request to send, and which column's new turn each target (by position) feeds. */
export interface PlannedRun {
  body: RunBody;
  turnIds: string[];
}

export type RunPlan =
  | { ok: true; runs: PlannedRun[]; starts: TurnStart[] }
  | { ok: false; message: string };

/** The playground never executes tools; the follow-up turn says so instead of inventing a result. */
export const NO_TOOL_RESULT = "The playground does not run tools, so no result is available.";

/**
 * The messages a turn contributes to later turns. A turn that produced nothing (failed before
 * any output) is left out entirely, so user and assistant messages keep alternating.
 */
export function historyMessages(turns: Turn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of turns) {
    if (turn.output === "" && turn.toolCalls.length === 0) continue;
    messages.push({ role: "user", content: userContent(turn.prompt, turn.images ?? []) });
    messages.push({
      role: "assistant",
      content: turn.output === "" ? null : turn.output,
      ...(turn.toolCalls.length > 0 ? { toolCalls: turn.toolCalls } : {}),
    });
    for (const toolCall of turn.toolCalls) {
      messages.push({
        role: "tool",
        content: NO_TOOL_RESULT,
        toolCallId: toolCall.id,
        name: toolCall.name,
        isError: true,
      });
    }
  }
  return messages;
}

const toolFunctionSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(128)),
  description: z.optional(z.string()),
  parameters: z.optional(z.record(z.string(), z.unknown())),
  strict: z.optional(z.boolean()),
});

type ToolFunction = z.infer<typeof toolFunctionSchema>;

/** Accepts contract-style tools and, for convenience, bare `{ name, parameters }` objects. */
const toolSchema = z.union([
  z.object({ type: z.literal("function"), function: toolFunctionSchema }),
  toolFunctionSchema,
]);

export function parseTools(
  text: string,
): { ok: true; tools: RunBody["tools"] } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, tools: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: "Tools are not valid JSON." };
  }
  const result = z.array(toolSchema).safeParse(json);
  if (!result.success) {
    return {
      ok: false,
      message: "Tools must be a JSON array of { name, description, parameters }.",
    };
  }
  if (result.data.length === 0) return { ok: true, tools: undefined };
  return {
    ok: true,
    tools: result.data.map((tool) =>
      "function" in tool ? tool : { type: "function" as const, function: tool },
    ),
  };
}

export function parseSchema(
  text: string,
): { ok: true; responseFormat: RunBody["responseFormat"] } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, responseFormat: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: "The output schema is not valid JSON." };
  }
  const result = z.record(z.string(), z.unknown()).safeParse(json);
  if (!result.success || Array.isArray(json)) {
    return { ok: false, message: "The output schema must be a JSON Schema object." };
  }
  return {
    ok: true,
    responseFormat: { type: "json_schema", json_schema: { name: "response", schema: result.data } },
  };
}

/**
 * What an image adds to the estimate: providers count an image by its size in pixels (OpenAI
 * about 765 tokens for a 1024-pixel image, Anthropic width × height / 750), which the page does
 * not know; the provider's count replaces the estimate when the call ends.
 */
export const IMAGE_TOKENS_ESTIMATE = 800;

/**
 * A rough input-token count of one target's request (system prompt, messages, tools, schema),
 * for the cost so far while it streams; the provider's own count replaces it at the end.
 */
export function estimateInputTokens(options: {
  system: string;
  messages: ChatMessage[];
  tools?: RunBody["tools"];
  responseFormat?: RunBody["responseFormat"];
}): number {
  const parts: string[] = [options.system];
  let images = 0;
  for (const message of options.messages) {
    if (Array.isArray(message.content)) {
      for (const part of message.content) {
        if (part.type === "text") parts.push(part.text);
        else images += 1;
      }
    } else {
      parts.push(message.content ?? "");
    }
    if (message.role === "assistant" && message.toolCalls) {
      parts.push(JSON.stringify(message.toolCalls));
    }
  }
  if (options.tools) parts.push(JSON.stringify(options.tools));
  if (options.responseFormat) parts.push(JSON.stringify(options.responseFormat.json_schema.schema));
  return (
    parts.reduce((sum, part) => sum + estimateTokens(part), 0) + images * IMAGE_TOKENS_ESTIMATE
  );
}

function target(column: Column): RunTargetBody {
  const params = compactParameters(column.params);
  return {
    model: column.model,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(column.system !== null ? { system: column.system } : {}),
  };
}

/**
 * Plans "run all" (every column answers `state.prompt`) or, with `retryColumnId`, a retry of
 * that column's last turn with the history before it.
 */
export function planRuns(options: {
  state: PlaygroundState;
  retryColumnId?: string;
  /** Sends these columns from an earlier point instead of the prompt box to every column. */
  resends?: Resend[];
  /** Sent with every run of the plan, and kept on each new turn. */
  comparisonId?: string;
  createTurnId: () => string;
}): RunPlan {
  const { state, retryColumnId } = options;
  const tools = parseTools(state.tools);
  if (!tools.ok) return tools;
  const schema = parseSchema(state.schema);
  if (!schema.ok) return schema;

  const work: Array<{
    column: Column;
    history: Turn[];
    prompt: string;
    images: TurnImage[];
    replaceLast: boolean;
    keepTurns?: number;
    branchedFromRunId?: string;
  }> = [];
  if (options.resends !== undefined) {
    if (options.resends.length === 0) return { ok: false, message: "There is nothing to send." };
    for (const resend of options.resends) {
      const column = state.columns.find((candidate) => candidate.id === resend.columnId);
      if (!column) continue;
      if (resend.prompt.trim() === "" && resend.images.length === 0) {
        return { ok: false, message: "Write a prompt first." };
      }
      work.push({
        column,
        history: column.turns.slice(0, resend.keepTurns),
        prompt: resend.prompt,
        images: resend.images,
        replaceLast: false,
        keepTurns: resend.keepTurns,
        ...(resend.branchedFromRunId ? { branchedFromRunId: resend.branchedFromRunId } : {}),
      });
    }
  } else if (retryColumnId !== undefined) {
    const column = state.columns.find((candidate) => candidate.id === retryColumnId);
    const last = column?.turns[column.turns.length - 1];
    if (!column || !last)
      return { ok: false, message: "There is nothing to retry in that column." };
    work.push({
      column,
      history: column.turns.slice(0, -1),
      prompt: last.prompt,
      images: last.images ?? [],
      replaceLast: true,
    });
  } else {
    const images = state.attachments.map(({ imageId, name }) => ({ imageId, name }));
    if (state.prompt.trim() === "" && images.length === 0) {
      return { ok: false, message: "Write a prompt first." };
    }
    // The turn keeps the prompt as sent, variables filled, so a follow-up repeats what was asked.
    const rendered = renderPrompt(state.prompt, state.variables);
    if (!rendered.ok) return rendered;
    for (const column of state.columns) {
      work.push({
        column,
        history: column.turns,
        prompt: rendered.text,
        images,
        replaceLast: false,
      });
    }
  }

  // A value out of range is refused, never silently dropped: nothing is sent.
  const sending = new Set(work.map((item) => item.column.id));
  const blocked = blockedRunMessage(
    runBlockers(state.columns).filter((blocker) => sending.has(blocker.columnId)),
  );
  if (blocked !== null) return { ok: false, message: blocked };

  const groups = new Map<string, PlannedRun>();
  const starts: TurnStart[] = [];
  for (const item of work) {
    const messages: ChatMessage[] = [
      ...historyMessages(item.history),
      { role: "user", content: userContent(item.prompt, item.images) },
    ];
    const key = JSON.stringify(messages);
    let run = groups.get(key);
    if (!run) {
      run = {
        body: {
          ...(state.system !== "" ? { system: state.system } : {}),
          messages,
          targets: [],
          ...(tools.tools ? { tools: tools.tools } : {}),
          ...(schema.responseFormat ? { responseFormat: schema.responseFormat } : {}),
          ...(options.comparisonId ? { comparisonId: options.comparisonId } : {}),
          ...(item.branchedFromRunId ? { branchedFromRunId: item.branchedFromRunId } : {}),
        },
        turnIds: [],
      };
      groups.set(key, run);
    }
    const turnId = options.createTurnId();
    run.body.targets.push(target(item.column));
    run.turnIds.push(turnId);
    starts.push({
      columnId: item.column.id,
      turnId,
      prompt: item.prompt,
      ...(item.images.length > 0 ? { images: item.images } : {}),
      expectsJson: schema.responseFormat !== undefined,
      replaceLast: item.replaceLast,
      ...(item.keepTurns !== undefined ? { keepTurns: item.keepTurns } : {}),
      ...(options.comparisonId ? { comparisonId: options.comparisonId } : {}),
      ...(item.branchedFromRunId ? { branchedFromRunId: item.branchedFromRunId } : {}),
      inputTokensEstimate: estimateInputTokens({
        system: item.column.system ?? state.system,
        messages,
        tools: tools.tools,
        responseFormat: schema.responseFormat,
      }),
    });
  }
  return { ok: true, runs: [...groups.values()], starts };
}
