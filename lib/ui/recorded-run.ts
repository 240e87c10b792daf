/**
 * A recorded run (`GET /api/runs/:id`, or the same shape read on the server) as the read-only
 * run page and "open in playground" see it: its calls as turns, the setup that goes in the
 * URL, and each call's whole conversation for the playground to continue. One zod/mini
 * parser serves both the page (from the query) and the playground (from the API's JSON).
 */
import * as z from "zod/mini";
import { readUserContent, type TurnImage, userContent } from "./image-attachments";
import { newTurn, type Turn } from "./playground-state";
import {
  callErrorSchema,
  stopReasonSchema,
  type ToolCall,
  toolCallSchema,
  usageSchema,
} from "./run-events";
import { historyMessages } from "./run-plan";
import { compactParameters, encodeSetup, MAX_COLUMNS, type Setup } from "./setup";

/** Lenient: ranges are checked where the setup is decoded from the link, not here. */
const recordedParametersSchema = z.object({
  temperature: z.optional(z.number()),
  topP: z.optional(z.number()),
  maxTokens: z.optional(z.number()),
  seed: z.optional(z.number()),
  stop: z.optional(z.array(z.string())),
  promptCache: z.optional(z.union([z.boolean(), z.enum(["5m", "1h"])])),
  reasoningEffort: z.optional(z.enum(["low", "medium", "high"])),
});

const recordedCallSchema = z.object({
  index: z.number(),
  callId: z.string(),
  model: z.string(),
  status: z.string(),
  output: z.string(),
  reasoning: z.optional(z.nullable(z.string())),
  toolCalls: z.array(toolCallSchema),
  stopReason: z.nullable(stopReasonSchema),
  usage: z.nullable(usageSchema),
  costUsd: z.nullable(z.number()),
  ttftMs: z.nullable(z.number()),
  durationMs: z.nullable(z.number()),
  error: z.nullable(callErrorSchema),
  params: z.optional(z.nullable(recordedParametersSchema)),
  system: z.optional(z.nullable(z.string())),
});

const recordedRunSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  system: z.nullable(z.string()),
  messages: z.array(z.unknown()),
  tools: z.optional(z.nullable(z.array(z.unknown()))),
  responseFormat: z.optional(z.unknown()),
  comparisonId: z.optional(z.string()),
  branchedFromRunId: z.optional(z.nullable(z.string())),
  calls: z.array(recordedCallSchema),
});

export type RecordedCallView = z.infer<typeof recordedCallSchema>;
export type RecordedRunView = z.infer<typeof recordedRunSchema>;

/**
 * Keeps only what the views show: the server's extra detail (raw usage, the exact request,
 * the provider's error code) never reaches the page's client components this way.
 */
export function parseRecordedRun(json: unknown): RecordedRunView | null {
  const result = recordedRunSchema.safeParse(json);
  return result.success ? result.data : null;
}

function phaseOf(status: string): Turn["phase"] {
  switch (status) {
    case "ok":
    case "error":
    case "cancelled":
      return status;
    case "running":
      return "streaming";
    default:
      // `interrupted` and anything newer: the call did not finish properly.
      return "error";
  }
}

/** A user message's text and images, or `null` for any other message. */
function userMessageOf(message: unknown): { text: string; images: TurnImage[] } | null {
  if (typeof message !== "object" || message === null) return null;
  const value = message as { role?: unknown; content?: unknown };
  return value.role === "user" ? readUserContent(value.content) : null;
}

/** The last user message: the prompt the run answered, with the images it carried. */
export function lastUserMessage(messages: unknown[]): { text: string; images: TurnImage[] } {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const user = userMessageOf(messages[index]);
    if (user) return user;
  }
  return { text: "", images: [] };
}

export function lastUserPrompt(messages: unknown[]): string {
  return lastUserMessage(messages).text;
}

export function turnFromCall(options: {
  call: RecordedCallView;
  prompt: string;
  images?: TurnImage[];
  expectsJson: boolean;
  runId: string;
}): Turn {
  const { call } = options;
  return {
    id: call.callId,
    prompt: options.prompt,
    ...(options.images && options.images.length > 0 ? { images: options.images } : {}),
    model: call.model,
    expectsJson: options.expectsJson,
    runId: options.runId,
    callIndex: call.index,
    callId: call.callId,
    phase: phaseOf(call.status),
    output: call.output,
    ...(call.reasoning ? { reasoning: call.reasoning } : {}),
    toolCalls: call.toolCalls,
    usage: call.usage,
    costUsd: call.costUsd,
    ttftMs: call.ttftMs,
    durationMs: call.durationMs,
    stopReason: call.stopReason,
    error:
      call.error ??
      (phaseOf(call.status) === "error" && call.status !== "error"
        ? { code: "interrupted", message: "the call did not finish" }
        : null),
    startedAt: 0,
    firstDeltaAt: null,
    lastDeltaAt: null,
    finishedAt: null,
  };
}

function schemaOf(responseFormat: unknown): string {
  if (typeof responseFormat !== "object" || responseFormat === null) return "";
  const format = responseFormat as { type?: unknown; json_schema?: { schema?: unknown } };
  if (format.type !== "json_schema" || format.json_schema?.schema === undefined) return "";
  return JSON.stringify(format.json_schema.schema, null, 2);
}

/** The setup that reproduces a recorded run in the playground (its latest prompt). */
export function setupFromRun(run: RecordedRunView): Setup {
  const calls = [...run.calls]
    .sort((left, right) => left.index - right.index)
    .slice(0, MAX_COLUMNS);
  const shared = run.system ?? "";
  return {
    system: shared,
    prompt: lastUserPrompt(run.messages),
    columns: calls.map((call, position) => ({
      id: `column-${position + 1}`,
      model: call.model,
      params: compactParameters(call.params ?? {}),
      // A call whose system prompt differs from the run's had its own override.
      system:
        call.system !== undefined && call.system !== null && call.system !== shared
          ? call.system
          : null,
    })),
    tools: run.tools && run.tools.length > 0 ? JSON.stringify(run.tools, null, 2) : "",
    schema: schemaOf(run.responseFormat),
  };
}

/** The playground's URL parameter naming the run whose conversations it should load. */
export const CONVERSATION_PARAM = "conversation";

const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The run id of a `conversation` parameter, or `null` when absent or not an id. */
export function conversationRunIdOf(value: string | string[] | undefined | null): string | null {
  const id = Array.isArray(value) ? value[0] : value;
  return id && RUN_ID_PATTERN.test(id) ? id : null;
}

/**
 * The setup stays in the URL as any link's does; the conversations are fetched by run id
 * (`GET /api/runs/:id`) instead of riding along, since they can be far longer than a URL.
 */
export function playgroundHref(run: RecordedRunView): string {
  return `/?${encodeSetup(setupFromRun(run))}&${CONVERSATION_PARAM}=${encodeURIComponent(run.id)}`;
}

const assistantMessageSchema = z.object({
  role: z.literal("assistant"),
  content: z.nullable(z.string()),
  toolCalls: z.optional(z.array(toolCallSchema)),
});

interface RecordedExchange {
  prompt: string;
  images: TurnImage[];
  output: string;
  toolCalls: ToolCall[];
}

/** The run's messages as exchanges (a prompt and its answer) and the final, unanswered prompt. */
function exchangesOf(messages: unknown[]): {
  earlier: RecordedExchange[];
  prompt: string;
  images: TurnImage[];
} {
  const earlier: RecordedExchange[] = [];
  let open: RecordedExchange | null = null;
  for (const message of messages) {
    const user = userMessageOf(message);
    if (user) {
      if (open) earlier.push(open);
      open = { prompt: user.text, images: user.images, output: "", toolCalls: [] };
      continue;
    }
    const assistant = assistantMessageSchema.safeParse(message);
    if (assistant.success && open) {
      earlier.push({
        ...open,
        output: assistant.data.content ?? "",
        toolCalls: assistant.data.toolCalls ?? [],
      });
      open = null;
    }
    // Tool results are rebuilt from the tool calls when the conversation is sent again.
  }
  return { earlier, prompt: open?.prompt ?? "", images: open?.images ?? [] };
}

/** JSON with object keys sorted, so two messages compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner).sort(([left], [right]) =>
            left < right ? -1 : left > right ? 1 : 0,
          ),
        )
      : inner,
  );
}

export interface RecordedConversation {
  /** By column position, as `setupFromRun` orders the calls. */
  columns: Array<{ model: string; turns: Turn[] }>;
  /**
   * `false` when sending the restored turns again would not reproduce the run's messages
   * exactly (a hand-written API conversation: two user messages in a row, tool results other
   * than the playground's), so the page can say so.
   */
  exact: boolean;
}

/**
 * Each call's whole conversation: the exchanges the run sent (every call of a run received
 * the same messages, so no answer crosses columns) followed by the call's own answer. Turn
 * ids carry `~`: the cost of these turns belongs to the recorded runs, not to the page's total.
 */
export function conversationFromRun(run: RecordedRunView): RecordedConversation {
  const { earlier, prompt, images } = exchangesOf(run.messages);
  const expectsJson = run.responseFormat !== null && run.responseFormat !== undefined;
  const calls = [...run.calls]
    .sort((left, right) => left.index - right.index)
    .slice(0, MAX_COLUMNS);
  const columns = calls.map((call) => ({
    model: call.model,
    turns: [
      ...earlier.map(
        (exchange, position): Turn => ({
          ...newTurn(
            {
              turnId: `${run.id}~${call.callId}~${position}`,
              prompt: exchange.prompt,
              images: exchange.images,
              expectsJson,
            },
            call.model,
            0,
          ),
          phase: "ok",
          output: exchange.output,
          toolCalls: exchange.toolCalls,
        }),
      ),
      {
        ...turnFromCall({ call, prompt, images, expectsJson, runId: run.id }),
        id: `${call.callId}~run`,
        // "Run again" repeats the comparison this run was part of.
        comparisonId: run.comparisonId ?? run.id,
      },
    ],
  }));
  const sample = columns[0]?.turns.slice(0, -1) ?? [];
  const resent = [
    ...historyMessages(sample),
    { role: "user", content: userContent(prompt, images) },
  ];
  return { columns, exact: canonicalJson(resent) === canonicalJson(run.messages) };
}

/**
 * The setup that reopens a whole comparison: every run's columns, in the order the runs were
 * sent (a run's own calls in order), at most the page's sixteen.
 */
export function setupFromRuns(runs: RecordedRunView[]): Setup {
  const setups = runs.map(setupFromRun);
  const first = setups[0];
  if (!first) {
    return { system: "", prompt: "", columns: [], tools: "", schema: "" };
  }
  const columns = setups
    .flatMap((setup) => setup.columns)
    .slice(0, MAX_COLUMNS)
    .map((column, position) => ({ ...column, id: `column-${position + 1}` }));
  return { ...first, columns };
}

/** Every run's conversations side by side, as `setupFromRuns` orders the columns. */
export function conversationFromRuns(runs: RecordedRunView[]): RecordedConversation {
  const conversations = runs.map(conversationFromRun);
  return {
    columns: conversations.flatMap((conversation) => conversation.columns).slice(0, MAX_COLUMNS),
    exact: conversations.every((conversation) => conversation.exact),
  };
}
