/**
 * The demo provider: a deterministic, clearly labelled simulated model that needs no key.
 * It streams with realistic pacing and reports usage, so a first run shows the whole product.
 */
import { z } from "zod";
import { parseCallOptions, parseModelOptions } from "../call-options";
import { collectStream } from "../collect-stream";
import { contentText } from "../content";
import { abortedError } from "../errors";
import type {
  CallOptions,
  LanguageModel,
  Message,
  ModelResponse,
  StreamEvent,
  ToolCall,
  UnsupportedParameter,
} from "../types";
import { emptyUsage } from "../usage";
import { DEMO_MODEL_IDS, DEMO_PACING } from "./demo-models";

const demoOptionsSchema = z.strictObject({
  /** Delay before the first token. */
  ttftMs: z.number().min(0).max(60_000).optional(),
  /** Output pace. `0` streams as fast as possible. */
  tokensPerSecond: z.number().min(0).max(100_000).optional(),
});

export type DemoModelOptions = z.infer<typeof demoOptionsSchema>;

/** Library callers may name any demo model (it gets `chat` pacing); runs refuse unknown ones. */
const PACING = DEMO_PACING;

export { DEMO_MODEL_IDS };

/** Rough token estimate (about four characters a token), good enough for a simulation. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** FNV-1a: the same prompt always picks the same simulated answer. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

const OPENINGS = [
  "Here is a simulated answer.",
  "This is the demo model speaking.",
  "A simulated reply, generated locally.",
];

function lastUserText(messages: Message[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role === "user") return contentText(message.content);
  }
  return "";
}

export function demoAnswer(modelId: string, messages: Message[]): string {
  const prompt = lastUserText(messages);
  const seed = hash(`${modelId}\n${prompt}`);
  const opening = OPENINGS[seed % OPENINGS.length] ?? OPENINGS[0];
  const quoted = prompt.length > 160 ? `${prompt.slice(0, 157)}...` : prompt;
  return [
    `**Simulated answer** from \`demo:${modelId}\` — no model was called and nothing was billed.`,
    "",
    `${opening} You asked:`,
    "",
    `> ${quoted.replace(/\n/g, " ")}`,
    "",
    "A real model would answer here. Configure a provider (see the README) to compare real models side by side; this column shows how streaming, timings, token counts and cost look.",
    "",
    `- turn: ${messages.filter((message) => message.role === "user").length}`,
    `- fingerprint: ${seed.toString(16)}`,
  ].join("\n");
}

function jsonAnswer(options: CallOptions): string {
  const format = options.responseFormat;
  if (format?.type !== "json_schema") return JSON.stringify({ answer: "simulated" });
  const properties = (format.json_schema.schema?.properties ?? {}) as Record<
    string,
    { type?: string }
  >;
  const value: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    value[name] =
      property.type === "number" || property.type === "integer"
        ? 0
        : property.type === "boolean"
          ? false
          : property.type === "array"
            ? []
            : "simulated";
  }
  return JSON.stringify(value);
}

/** Splits into word-sized pieces that keep their whitespace, so the deltas rejoin exactly. */
function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (milliseconds <= 0) return Promise.resolve(!signal?.aborted);
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export class DemoModel implements LanguageModel {
  readonly provider = "demo" as const;
  readonly supportsStructuredOutput = true;
  private readonly pacing: { ttftMs: number; tokensPerSecond: number };

  constructor(
    readonly modelId: string,
    options?: unknown,
  ) {
    const parsed = parseModelOptions("demo", demoOptionsSchema, options);
    const base = PACING[modelId] ?? PACING.chat ?? { ttftMs: 300, tokensPerSecond: 60 };
    this.pacing = {
      ttftMs: parsed.ttftMs ?? base.ttftMs,
      tokensPerSecond: parsed.tokensPerSecond ?? base.tokensPerSecond,
    };
  }

  async *stream(messages: Message[], callOptions?: CallOptions): AsyncGenerator<StreamEvent> {
    const options = parseCallOptions(callOptions);
    const { signal, ...sent } = options;
    const unsupported: UnsupportedParameter[] = [];
    if (options.seed !== undefined) {
      unsupported.push({ parameter: "seed", reason: "the demo model is already deterministic" });
    }
    yield {
      type: "stream-start",
      request: { url: `demo://${this.modelId}`, body: { model: this.modelId, messages, ...sent } },
      unsupported,
    };
    const inputText = messages.map((message) => message.content ?? "").join("\n");
    const inputTokens = estimateTokens(inputText);
    const wantsTool = options.tools?.[0] && messages.at(-1)?.role === "user";
    const answer =
      options.responseFormat?.type === "json_schema" ||
      options.responseFormat?.type === "json_object"
        ? jsonAnswer(options)
        : demoAnswer(this.modelId, messages);
    let pieces = wantsTool ? [] : tokenize(answer);
    let stopReason: "stop" | "length" | "tool-calls" = wantsTool ? "tool-calls" : "stop";
    if (options.maxTokens !== undefined && pieces.length > options.maxTokens) {
      pieces = pieces.slice(0, options.maxTokens);
      stopReason = "length";
    }
    const usage = (outputTokens: number) => ({
      ...emptyUsage({ simulated: true, input_tokens: inputTokens, output_tokens: outputTokens }),
      inputTokens,
      outputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });

    if (!(await sleep(this.pacing.ttftMs, signal))) {
      yield {
        type: "finish",
        stopReason: "error",
        rawStopReason: null,
        usage: usage(0),
        error: abortedError("demo"),
      };
      return;
    }
    const interval = this.pacing.tokensPerSecond > 0 ? 1000 / this.pacing.tokensPerSecond : 0;
    let emitted = "";
    for (const [index, piece] of pieces.entries()) {
      if (index > 0 && !(await sleep(interval, signal))) {
        yield {
          type: "finish",
          stopReason: "error",
          rawStopReason: null,
          usage: usage(index),
          error: abortedError("demo"),
        };
        return;
      }
      const stop = options.stop?.find((sequence) => (emitted + piece).includes(sequence));
      if (stop) {
        const cut = (emitted + piece).indexOf(stop);
        const tail = (emitted + piece).slice(emitted.length, cut);
        if (tail) yield { type: "text-delta", delta: tail };
        yield {
          type: "finish",
          stopReason: "stop",
          rawStopReason: "stop_sequence",
          usage: usage(index + 1),
        };
        return;
      }
      emitted += piece;
      yield { type: "text-delta", delta: piece };
    }
    if (wantsTool && options.tools?.[0]) {
      const toolCall: ToolCall = {
        id: `call_demo_${hash(inputText).toString(16)}`,
        name: options.tools[0].function.name,
        arguments: {},
      };
      yield { type: "tool-call", toolCall };
    }
    yield {
      type: "finish",
      stopReason,
      rawStopReason:
        stopReason === "tool-calls"
          ? "tool_use"
          : stopReason === "length"
            ? "max_tokens"
            : "end_turn",
      usage: usage(wantsTool ? 8 : pieces.length),
    };
  }

  complete(messages: Message[], options?: CallOptions): Promise<ModelResponse> {
    return collectStream(this.stream(messages, options));
  }

  async close(): Promise<void> {}
}
