/**
 * Turns native SSE events into text deltas, whole tool calls, a finish reason and usage.
 *
 * GENERIC streams send text parts and tool-call fragments (`id`/`name` once, `arguments` in
 * pieces) that are joined here; locus parsed each fragment as a whole call. COHERE streams send
 * text pieces, then a final event that repeats the full text with `finishReason` (and whole
 * `toolCalls`); the repeat is not emitted twice. Usage arrives in the `isIncludeUsage` chunk.
 */
import { randomUUID } from "node:crypto";
import { ProviderError } from "../errors";
import { decodeToolArguments, isPlainObject, safeJsonParse } from "../tool-arguments";
import type { ToolCall, Usage } from "../types";
import { convertOciUsage } from "./convert-oci-usage";
import { ociProviderError } from "./oci-error";
import type { OciStreamEvent } from "./oci-native-api";
import type { OciApiFormat } from "./oci-native-request";

/** Unique per call; locus used `call_<name>`, which collides when a tool is called twice. */
export function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

interface ToolCallDraft {
  id: string | null;
  name: string;
  arguments: string;
}

export interface AcceptedEvent {
  textDeltas: string[];
  reasoningDeltas: string[];
  toolCalls: ToolCall[];
  error: ProviderError | null;
}

function isCompleteJsonObject(text: string): boolean {
  return isPlainObject(safeJsonParse(text));
}

function toToolCall(draft: ToolCallDraft): ToolCall {
  return {
    id: draft.id || newToolCallId(),
    name: draft.name || "unknown_tool",
    arguments: decodeToolArguments(draft.arguments),
  };
}

export class OciStreamAccumulator {
  rawFinishReason: string | null = null;
  usage: Usage | null = null;
  private emittedText = "";
  private genericDrafts: ToolCallDraft[] = [];
  private cohereToolCalls: ToolCall[] = [];

  constructor(private readonly apiFormat: OciApiFormat) {}

  accept(event: OciStreamEvent): AcceptedEvent {
    const accepted: AcceptedEvent = {
      textDeltas: [],
      reasoningDeltas: [],
      toolCalls: [],
      error: null,
    };
    if (event.usage) this.usage = convertOciUsage(event.usage);
    if (event.finishReason) this.rawFinishReason = event.finishReason;

    const streamError = this.streamError(event);
    if (streamError) {
      accepted.error = streamError;
      return accepted;
    }

    if (this.apiFormat === "COHERE") this.acceptCohere(event, accepted);
    else this.acceptGeneric(event, accepted);
    return accepted;
  }

  /** Tool calls not yet emitted; call once the stream has ended. */
  drainToolCalls(): ToolCall[] {
    const drafts = this.genericDrafts;
    const cohere = this.cohereToolCalls;
    this.genericDrafts = [];
    this.cohereToolCalls = [];
    return [...drafts.map(toToolCall), ...cohere];
  }

  /** An error reported inside a 200 stream: `errorMessage`, or an OCI `{ code, message }`. */
  private streamError(event: OciStreamEvent): ProviderError | null {
    if (typeof event.message === "string" && event.code) {
      return ociProviderError({ status: null, code: event.code, message: event.message });
    }
    if (event.errorMessage) {
      return new ProviderError({
        provider: "oci",
        kind: "server_error",
        code: event.finishReason ?? null,
        detail: event.errorMessage,
      });
    }
    return null;
  }

  private acceptGeneric(event: OciStreamEvent, accepted: AcceptedEvent): void {
    const message = typeof event.message === "object" ? event.message : null;
    if (message?.reasoningContent) accepted.reasoningDeltas.push(message.reasoningContent);
    const text = (message?.content ?? []).map((part) => part.text ?? "").join("");
    if (text) {
      this.emittedText += text;
      accepted.textDeltas.push(text);
    }
    for (const fragment of message?.toolCalls ?? []) {
      const fragmentArguments =
        typeof fragment.arguments === "string"
          ? fragment.arguments
          : fragment.arguments === undefined || fragment.arguments === null
            ? ""
            : JSON.stringify(fragment.arguments);
      const id = fragment.id || null;
      const name = fragment.name || "";
      const current = this.genericDrafts.at(-1);
      const startsNewCall =
        !current ||
        (id !== null && current.id !== null && id !== current.id) ||
        (id !== null && current.id === null && current.name !== "") ||
        // Whole calls without ids (one per event): a new name after a finished object.
        (id === null &&
          name !== "" &&
          current.name !== "" &&
          isCompleteJsonObject(current.arguments));
      if (startsNewCall || !current) {
        this.genericDrafts.push({ id, name, arguments: fragmentArguments });
        continue;
      }
      current.id ??= id;
      if (name) current.name = name;
      current.arguments += fragmentArguments;
    }
    if (event.finishReason) accepted.toolCalls.push(...this.drainGeneric());
  }

  private drainGeneric(): ToolCall[] {
    const drafts = this.genericDrafts;
    this.genericDrafts = [];
    return drafts.map(toToolCall);
  }

  private acceptCohere(event: OciStreamEvent, accepted: AcceptedEvent): void {
    const text = event.text ?? "";
    const isSummary = Boolean(event.finishReason) || Boolean(event.toolCalls?.length);
    if (text && !isSummary) {
      this.emittedText += text;
      accepted.textDeltas.push(text);
    } else if (text.length > this.emittedText.length && text.startsWith(this.emittedText)) {
      // The summary repeats what was streamed; emit only what the pieces did not already carry.
      const rest = text.slice(this.emittedText.length);
      this.emittedText = text;
      accepted.textDeltas.push(rest);
    }
    if (event.toolCalls?.length) {
      // Cohere sends the whole list each time it sends one; the latest list wins.
      this.cohereToolCalls = event.toolCalls.map((toolCall) => ({
        id: newToolCallId(),
        name: toolCall.name || "unknown_tool",
        arguments: decodeToolArguments(toolCall.parameters),
      }));
    }
  }
}
