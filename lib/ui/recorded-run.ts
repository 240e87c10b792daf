/**
 * A recorded run (`GET /api/runs/:id`, or the same shape read on the server) seen by the
 * read-only run page: its calls as turns, and the setup that "open in playground" puts in
 * the URL to run it again or against other models.
 */
import type { Turn } from "./playground-state";
import type { CallError, RunUsage, StopReason, ToolCall } from "./run-events";
import {
  type ColumnParameters,
  compactParameters,
  encodeSetup,
  MAX_COLUMNS,
  type Setup,
} from "./setup";

export interface RecordedCallView {
  index: number;
  callId: string;
  model: string;
  status: string;
  output: string;
  toolCalls: ToolCall[];
  stopReason: StopReason | null;
  usage: RunUsage | null;
  costUsd: number | null;
  ttftMs: number | null;
  durationMs: number | null;
  error: CallError | null;
  params?: ColumnParameters | null;
  system?: string | null;
}

export interface RecordedRunView {
  id: string;
  createdAt: string;
  system: string | null;
  messages: unknown[];
  tools?: unknown[] | null;
  responseFormat?: unknown;
  calls: RecordedCallView[];
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

function isUserMessage(message: unknown): message is { role: "user"; content: string } {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { role?: unknown }).role === "user" &&
    typeof (message as { content?: unknown }).content === "string"
  );
}

export function lastUserPrompt(messages: unknown[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (isUserMessage(message)) return message.content;
  }
  return "";
}

export function turnFromCall(options: {
  call: RecordedCallView;
  prompt: string;
  expectsJson: boolean;
  runId: string;
}): Turn {
  const { call } = options;
  return {
    id: call.callId,
    prompt: options.prompt,
    model: call.model,
    expectsJson: options.expectsJson,
    runId: options.runId,
    callIndex: call.index,
    callId: call.callId,
    phase: phaseOf(call.status),
    output: call.output,
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

export function playgroundHref(run: RecordedRunView): string {
  return `/?${encodeSetup(setupFromRun(run))}`;
}
