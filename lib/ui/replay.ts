/**
 * "Replay on other models": a recorded call (`GET /api/calls/:callId`) as the playground setup
 * that sends the same request, and each replayed column's cost and latency against the original.
 */
import * as z from "zod/mini";
import { formatMilliseconds, formatUsd } from "./metrics";
import { lastUserPrompt } from "./recorded-run";
import { compactParameters, DEFAULT_MODELS, encodeSetup, MAX_COLUMNS, type Setup } from "./setup";

/** The playground's URL parameter naming the call its columns are compared against. */
export const REPLAY_PARAM = "replay";

const CALL_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function replayCallIdOf(value: string | string[] | undefined | null): string | null {
  const id = Array.isArray(value) ? value[0] : value;
  return id && CALL_ID_PATTERN.test(id) ? id : null;
}

const replayedCallSchema = z.object({
  callId: z.string(),
  model: z.string(),
  system: z.nullable(z.string()),
  params: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  messages: z.array(z.unknown()),
  tools: z.optional(z.nullable(z.array(z.unknown()))),
  responseFormat: z.optional(z.unknown()),
  costUsd: z.nullable(z.number()),
  ttftMs: z.nullable(z.number()),
  durationMs: z.nullable(z.number()),
});

export type ReplayedCall = z.infer<typeof replayedCallSchema>;

export function parseReplayedCall(json: unknown): ReplayedCall | null {
  const result = replayedCallSchema.safeParse(json);
  return result.success ? result.data : null;
}

function schemaOf(responseFormat: unknown): string {
  if (typeof responseFormat !== "object" || responseFormat === null) return "";
  const format = responseFormat as { type?: unknown; json_schema?: { schema?: unknown } };
  if (format.type !== "json_schema" || format.json_schema?.schema === undefined) return "";
  return JSON.stringify(format.json_schema.schema, null, 2);
}

/**
 * The same request on the original model and on `others` (by default a demo model, so there is
 * something to compare before any is picked). Only a single-prompt request is replayed exactly;
 * `exact` is false when the call carried earlier turns, which the playground's prompt cannot hold.
 */
export function replaySetup(
  call: ReplayedCall,
  others: readonly string[] = [],
): { setup: Setup; exact: boolean } {
  const extra =
    others.length > 0 ? others : DEFAULT_MODELS.filter((model) => model !== call.model).slice(0, 1);
  const models = [call.model, ...extra.filter((model) => model !== call.model)].slice(
    0,
    MAX_COLUMNS,
  );
  const params = compactParameters((call.params ?? {}) as Parameters<typeof compactParameters>[0]);
  const exact =
    call.messages.length === 1 &&
    typeof (call.messages[0] as { content?: unknown } | undefined)?.content === "string";
  return {
    setup: {
      system: call.system ?? "",
      prompt: lastUserPrompt(call.messages),
      columns: models.map((model, index) => ({
        id: `column-${index + 1}`,
        model,
        params,
        system: null,
      })),
      tools: call.tools && call.tools.length > 0 ? JSON.stringify(call.tools, null, 2) : "",
      schema: schemaOf(call.responseFormat),
    },
    exact,
  };
}

export function replayHref(call: ReplayedCall, others: readonly string[] = []): string {
  const { setup } = replaySetup(call, others);
  return `/?${encodeSetup(setup)}&${REPLAY_PARAM}=${encodeURIComponent(call.callId)}`;
}

export interface ReplayComparison {
  /** "$0.0012 vs $0.0030 (0.40×)", or why there is no figure. */
  cost: string;
  /** "1.2 s vs 2.0 s (−800 ms)". */
  latency: string;
  /** Cheaper and faster than the original, for colouring. */
  cheaper: boolean | null;
  faster: boolean | null;
}

function signedMilliseconds(value: number): string {
  const text = formatMilliseconds(Math.abs(value));
  return value < 0 ? `−${text}` : `+${text}`;
}

/** One finished replay column against the original call. */
export function compareWithOriginal(
  original: Pick<ReplayedCall, "costUsd" | "durationMs">,
  replayed: { costUsd: number | null; durationMs: number | null },
): ReplayComparison {
  let cost: string;
  let cheaper: boolean | null = null;
  if (replayed.costUsd === null || original.costUsd === null) {
    cost = `${formatUsd(replayed.costUsd)} vs ${formatUsd(original.costUsd)} (not comparable: unpriced)`;
  } else {
    cheaper = replayed.costUsd < original.costUsd;
    const ratio =
      original.costUsd > 0 ? ` (${(replayed.costUsd / original.costUsd).toFixed(2)}×)` : "";
    cost = `${formatUsd(replayed.costUsd)} vs ${formatUsd(original.costUsd)}${ratio}`;
  }
  let latency: string;
  let faster: boolean | null = null;
  if (replayed.durationMs === null || original.durationMs === null) {
    latency = `${formatMilliseconds(replayed.durationMs)} vs ${formatMilliseconds(original.durationMs)}`;
  } else {
    faster = replayed.durationMs < original.durationMs;
    latency = `${formatMilliseconds(replayed.durationMs)} vs ${formatMilliseconds(original.durationMs)} (${signedMilliseconds(replayed.durationMs - original.durationMs)})`;
  }
  return { cost, latency, cheaper, faster };
}
