/**
 * Raw Messages stream events → our stream events, plus the state a `finish` needs: the
 * assembled usage (cumulative, latest value wins), the stop reason, and whether
 * `message_stop` arrived. Tool inputs arrive as `input_json_delta` fragments and are emitted
 * as one complete tool call when their block stops. Thinking text streams as reasoning
 * deltas; the whole block, signature included, is emitted when it stops so a caller can send
 * it back on the next turn.
 */
import { ProviderError } from "../errors";
import { decodeToolArguments } from "../tool-arguments";
import type { StreamEvent, Usage } from "../types";
import {
  inputJsonDeltaSchema,
  KNOWN_STREAM_EVENT_TYPES,
  redactedThinkingBlockSchema,
  signatureDeltaSchema,
  streamEventSchema,
  textBlockSchema,
  textDeltaSchema,
  thinkingBlockSchema,
  thinkingDeltaSchema,
  toolUseBlockSchema,
} from "./anthropic-wire";
import { convertAnthropicUsage, mergeAnthropicUsage } from "./convert-anthropic-usage";

interface PendingToolUse {
  id: string;
  name: string;
  /** The `input` of `content_block_start`, used when no fragment follows. */
  initialInput: unknown;
  json: string;
}

interface PendingThinking {
  text: string;
  signature: string;
}

export class AnthropicStreamAssembler {
  private rawUsage: Record<string, unknown> | null = null;
  private pendingToolUses = new Map<number, PendingToolUse>();
  private pendingThinking = new Map<number, PendingThinking>();
  rawStopReason: string | null = null;
  /** The model `message_start` names (a dated snapshot of the requested one). */
  responseModel: string | null = null;
  sawMessageStop = false;

  get usage(): Usage | null {
    return convertAnthropicUsage(this.rawUsage);
  }

  /** Translates one event; throws `ProviderError` (invalid_response) for a malformed one. */
  handle(rawEvent: unknown): StreamEvent[] {
    const type = (rawEvent as { type?: unknown } | null)?.type;
    if (typeof type !== "string" || !KNOWN_STREAM_EVENT_TYPES.has(type)) return [];
    const parsed = streamEventSchema.safeParse(rawEvent);
    if (!parsed.success) {
      throw new ProviderError({
        provider: "anthropic",
        kind: "invalid_response",
        detail: `malformed ${type} event`,
        cause: parsed.error,
      });
    }
    const event = parsed.data;
    switch (event.type) {
      case "message_start":
        this.responseModel = event.message.model ?? null;
        this.rawUsage = mergeAnthropicUsage({
          current: this.rawUsage,
          update: event.message.usage,
        });
        return [];
      case "content_block_start": {
        const text = textBlockSchema.safeParse(event.content_block);
        if (text.success)
          return text.data.text ? [{ type: "text-delta", delta: text.data.text }] : [];
        const toolUse = toolUseBlockSchema.safeParse(event.content_block);
        if (toolUse.success) {
          this.pendingToolUses.set(event.index, {
            id: toolUse.data.id,
            name: toolUse.data.name,
            initialInput: toolUse.data.input,
            json: "",
          });
          return [];
        }
        const thinking = thinkingBlockSchema.safeParse(event.content_block);
        if (thinking.success) {
          this.pendingThinking.set(event.index, {
            text: thinking.data.thinking,
            signature: thinking.data.signature ?? "",
          });
          return thinking.data.thinking
            ? [{ type: "reasoning-delta", delta: thinking.data.thinking }]
            : [];
        }
        const redacted = redactedThinkingBlockSchema.safeParse(event.content_block);
        if (redacted.success) {
          return [
            { type: "reasoning-block", block: { type: "redacted", data: redacted.data.data } },
          ];
        }
        return [];
      }
      case "content_block_delta": {
        const text = textDeltaSchema.safeParse(event.delta);
        if (text.success)
          return text.data.text ? [{ type: "text-delta", delta: text.data.text }] : [];
        const inputJson = inputJsonDeltaSchema.safeParse(event.delta);
        const pending = this.pendingToolUses.get(event.index);
        if (inputJson.success && pending) pending.json += inputJson.data.partial_json;
        const thinking = this.pendingThinking.get(event.index);
        if (thinking) {
          const thinkingDelta = thinkingDeltaSchema.safeParse(event.delta);
          if (thinkingDelta.success && thinkingDelta.data.thinking) {
            thinking.text += thinkingDelta.data.thinking;
            return [{ type: "reasoning-delta", delta: thinkingDelta.data.thinking }];
          }
          const signature = signatureDeltaSchema.safeParse(event.delta);
          if (signature.success) thinking.signature += signature.data.signature;
        }
        return [];
      }
      case "content_block_stop": {
        const thinking = this.pendingThinking.get(event.index);
        if (thinking) {
          this.pendingThinking.delete(event.index);
          return [
            {
              type: "reasoning-block",
              block: { type: "thinking", text: thinking.text, signature: thinking.signature },
            },
          ];
        }
        const pending = this.pendingToolUses.get(event.index);
        if (!pending) return [];
        this.pendingToolUses.delete(event.index);
        const input = pending.json.trim() === "" ? pending.initialInput : pending.json;
        return [
          {
            type: "tool-call",
            toolCall: { id: pending.id, name: pending.name, arguments: decodeToolArguments(input) },
          },
        ];
      }
      case "message_delta":
        if (event.delta.stop_reason) this.rawStopReason = event.delta.stop_reason;
        this.rawUsage = mergeAnthropicUsage({ current: this.rawUsage, update: event.usage });
        return [];
      case "message_stop":
        this.sawMessageStop = true;
        return [];
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  }
}
