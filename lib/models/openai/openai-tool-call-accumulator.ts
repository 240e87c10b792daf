import { randomUUID } from "node:crypto";
import { decodeToolArguments } from "../tool-arguments";
import type { ToolCall } from "../types";
import type { OpenAIToolCallDelta } from "./openai-api";

interface PartialToolCall {
  id: string;
  name: string;
  /** Concatenated string fragments, or an object when a server sent the arguments whole. */
  arguments: string | Record<string, unknown>;
}

/**
 * Assembles streamed tool-call fragments by their `index` (locus §3.1): id and name are
 * last-non-empty-wins, argument strings concatenate. `drain()` hands out the completed calls
 * once, so a second `finish_reason` or the end of the stream cannot emit them twice.
 */
export class OpenAIToolCallAccumulator {
  private readonly calls = new Map<number, PartialToolCall>();

  add(deltas: OpenAIToolCallDelta[]): void {
    for (const [position, delta] of deltas.entries()) {
      const index = delta.index ?? position;
      const call = this.calls.get(index) ?? { id: "", name: "", arguments: "" };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name = delta.function.name;
      const fragment = delta.function?.arguments;
      if (typeof fragment === "string") {
        call.arguments = typeof call.arguments === "string" ? call.arguments + fragment : fragment;
      } else if (fragment) {
        call.arguments = fragment;
      }
      this.calls.set(index, call);
    }
  }

  get size(): number {
    return this.calls.size;
  }

  /** The calls in index order, arguments decoded (double-encoded JSON included). */
  drain(): ToolCall[] {
    const completed = [...this.calls.entries()]
      .sort(([left], [right]) => left - right)
      .map(([, call]) => ({
        id: call.id || fallbackToolCallId(),
        name: call.name,
        arguments: decodeToolArguments(call.arguments),
      }));
    this.calls.clear();
    return completed;
  }
}

/** A server that omits ids still needs unique ones: tool results are matched to calls by id. */
export function fallbackToolCallId(): string {
  return `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}
