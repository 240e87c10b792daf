/**
 * The parts of the Messages API responses we read, checked with zod: the SDK types its
 * results but does not validate them, and a proxy or a new API version may send anything.
 * Loose objects, so fields we do not read never fail a response.
 *
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming
 */
import { z } from "zod";

export const textBlockSchema = z.looseObject({ type: z.literal("text"), text: z.string() });

export const toolUseBlockSchema = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown().optional(),
});

export const thinkingBlockSchema = z.looseObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string().nullish(),
});

export const redactedThinkingBlockSchema = z.looseObject({
  type: z.literal("redacted_thinking"),
  data: z.string(),
});

export const thinkingDeltaSchema = z.looseObject({
  type: z.literal("thinking_delta"),
  thinking: z.string(),
});

export const signatureDeltaSchema = z.looseObject({
  type: z.literal("signature_delta"),
  signature: z.string(),
});

const anyBlockSchema = z.looseObject({ type: z.string() });

export const streamEventSchema = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("message_start"),
    message: z.looseObject({ model: z.string().optional(), usage: z.unknown().optional() }),
  }),
  z.looseObject({
    type: z.literal("content_block_start"),
    index: z.number().int(),
    content_block: anyBlockSchema,
  }),
  z.looseObject({
    type: z.literal("content_block_delta"),
    index: z.number().int(),
    delta: anyBlockSchema,
  }),
  z.looseObject({ type: z.literal("content_block_stop"), index: z.number().int() }),
  z.looseObject({
    type: z.literal("message_delta"),
    delta: z.looseObject({ stop_reason: z.string().nullish() }),
    usage: z.unknown().optional(),
  }),
  z.looseObject({ type: z.literal("message_stop") }),
]);

export type AnthropicStreamEvent = z.infer<typeof streamEventSchema>;

/** Event types we act on; any other (`ping`, future types) is skipped, not an error. */
export const KNOWN_STREAM_EVENT_TYPES: ReadonlySet<string> = new Set(
  streamEventSchema.options.map((option) => option.shape.type.value),
);

export const textDeltaSchema = z.looseObject({ type: z.literal("text_delta"), text: z.string() });

export const inputJsonDeltaSchema = z.looseObject({
  type: z.literal("input_json_delta"),
  partial_json: z.string(),
});

export const messageResponseSchema = z.looseObject({
  content: z.array(anyBlockSchema),
  stop_reason: z.string().nullish(),
  usage: z.unknown().optional(),
});
