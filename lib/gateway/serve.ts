/**
 * One gateway request, end to end: the key, the wire body, the policy, then the call — through
 * the run manager, the same path (retries, recording, pricing) as a column of the compare
 * page — and the answer re-framed in the client's wire format as the events arrive.
 *
 * A stream's headers wait for the call's first event: a call that fails before answering (an
 * upstream 429, say) then gets a real error status and `retry-after`, as from the provider
 * itself, instead of a 200 stream carrying an error.
 */
import "server-only";
import type { GatewayKeyRow } from "@/lib/db/schema";
import { HttpError } from "@/lib/http/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { SSE_HEADERS } from "@/lib/http/sse";
import { getRunManager } from "@/lib/runs";
import type { RunEvent } from "@/lib/runs/run-events";
import type { RunRequest } from "@/lib/runs/run-request";
import {
  assertModelAllowed,
  assertWithinBudget,
  GatewayRefusal,
  gatewayTags,
  gatewayUser,
  getKeySpendLedger,
  resolveGatewayModel,
} from "./gateway-policy";
import { authenticateGatewayRequest } from "./keys";
import { upstreamStatus } from "./upstream-status";
import { parseAnthropicMessagesRequest } from "./wire/anthropic-request";
import { AnthropicEventWriter, anthropicMessage } from "./wire/anthropic-response";
import { type WireFormat, wireErrorResponse } from "./wire/client-error";
import {
  type GatewayAnswerInfo,
  type GatewayCall,
  type GatewayEvent,
  GatewayInputError,
  type WireStreamWriter,
} from "./wire/gateway-call";
import { parseOpenAIChatRequest } from "./wire/openai-request";
import { OpenAIChunkWriter, openAICompletion } from "./wire/openai-response";

type CallFinishEvent = Extract<RunEvent, { type: "call-finish" }>;

/** The run's events as an async queue; the observer runs synchronously inside the run manager. */
class EventQueue {
  private readonly buffered: RunEvent[] = [];
  private waiting: ((event: RunEvent) => void) | null = null;

  readonly push = (event: RunEvent): void => {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(event);
    } else this.buffered.push(event);
  };

  next(): Promise<RunEvent> {
    const event = this.buffered.shift();
    if (event) return Promise.resolve(event);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

/** The events a response writer understands; `null` for run bookkeeping (and retries). */
function gatewayEventOf(event: RunEvent): GatewayEvent | null {
  switch (event.type) {
    case "text-delta":
      return { type: "text-delta", delta: event.delta };
    case "tool-call":
      return { type: "tool-call", toolCall: event.toolCall };
    case "call-finish":
      return { type: "finish", stopReason: event.stopReason, usage: event.usage };
    default:
      // `run-start`, `run-finish` and any event added later say nothing a wire format shows.
      return null;
  }
}

function refusalResponse(format: WireFormat, error: unknown): Response {
  if (error instanceof GatewayRefusal) {
    return wireErrorResponse({
      format,
      status: error.status,
      code: error.code,
      message: error.message,
    });
  }
  if (error instanceof GatewayInputError) {
    return wireErrorResponse({ format, status: 400, code: error.code, message: error.message });
  }
  if (error instanceof HttpError) {
    return wireErrorResponse({
      format,
      status: error.status,
      code: error.code,
      message: error.message,
    });
  }
  throw error;
}

function failedCallDetails(finish: CallFinishEvent, format: WireFormat) {
  const code = finish.error?.code ?? "unknown";
  const status = finish.status === "cancelled" ? 499 : upstreamStatus(code, format);
  const headers: Record<string, string> = {};
  if (finish.error?.retryAfterMs !== undefined) {
    headers["retry-after"] = String(Math.max(1, Math.ceil(finish.error.retryAfterMs / 1000)));
  }
  return { status, code, message: finish.error?.message ?? "the call failed", headers };
}

function parseFor(format: WireFormat, body: unknown): GatewayCall {
  return format === "anthropic"
    ? parseAnthropicMessagesRequest(body)
    : parseOpenAIChatRequest(body);
}

function prepare(request: Request, key: GatewayKeyRow, call: GatewayCall) {
  const model = resolveGatewayModel(call.model);
  assertModelAllowed(key, call.model, model);
  assertWithinBudget(key);
  const runRequest: RunRequest = {
    ...(call.system !== undefined ? { system: call.system } : {}),
    messages: call.messages,
    targets: [{ model, params: call.params }],
    ...(call.tools ? { tools: call.tools } : {}),
    ...(call.responseFormat ? { responseFormat: call.responseFormat } : {}),
  };
  const tags = gatewayTags(request.headers, call.tags);
  return {
    runRequest,
    context: {
      source: "gateway" as const,
      gatewayKeyId: key.id,
      keyName: key.name,
      tags: tags.length > 0 ? tags : null,
      endUser: gatewayUser(request.headers, call.user),
    },
  };
}

export async function serveGatewayRequest(request: Request, format: WireFormat): Promise<Response> {
  // The gate (`proxy.ts`) refused bad keys already; this lookup is for the key's identity,
  // and refuses a key revoked between the two.
  const key = authenticateGatewayRequest(request.headers);
  if (!key) {
    return wireErrorResponse({
      format,
      status: 401,
      code: "invalid_api_key",
      message: "a valid gateway key is required",
    });
  }
  let call: GatewayCall;
  let prepared: ReturnType<typeof prepare>;
  try {
    call = parseFor(format, await readJsonBody(request));
    prepared = prepare(request, key, call);
  } catch (error) {
    return refusalResponse(format, error);
  }

  const queue = new EventQueue();
  const startedAt = new Date();
  const run = getRunManager().startRun(prepared.runRequest, {
    context: prepared.context,
    observer: (event) => {
      if (event.type === "call-finish") {
        getKeySpendLedger().add({ keyId: key.id, startedAt, costUsd: event.costUsd });
      }
      queue.push(event);
    },
  });
  const callId = run.calls[0]?.callId ?? run.id;
  // A client that goes away stops the upstream call, as closing an SDK stream would.
  const onAbort = () => run.cancel();
  request.signal.addEventListener("abort", onAbort, { once: true });
  const info: GatewayAnswerInfo = { callId, model: call.model, createdAt: run.createdAt };
  const headers = { "x-locus-call-id": callId, "cache-control": "no-store" };

  if (!call.stream) {
    let text = "";
    const toolCalls: GatewayEvent[] = [];
    for (;;) {
      const event = await queue.next();
      if (event.type === "text-delta") text += event.delta;
      else if (event.type === "tool-call")
        toolCalls.push({ type: "tool-call", toolCall: event.toolCall });
      else if (event.type === "call-finish") {
        request.signal.removeEventListener("abort", onAbort);
        if (event.status !== "ok") {
          const failed = failedCallDetails(event, format);
          return wireErrorResponse({
            format,
            ...failed,
            headers: { ...headers, ...failed.headers },
          });
        }
        const result = {
          text,
          toolCalls: toolCalls.flatMap((item) =>
            item.type === "tool-call" ? [item.toolCall] : [],
          ),
          stopReason: event.stopReason,
          usage: event.usage,
        };
        const body =
          format === "anthropic" ? anthropicMessage(info, result) : openAICompletion(info, result);
        return Response.json(body, { headers });
      }
    }
  }

  let first: RunEvent;
  do first = await queue.next();
  while (gatewayEventOf(first) === null);
  if (first.type === "call-finish" && first.status !== "ok") {
    request.signal.removeEventListener("abort", onAbort);
    const failed = failedCallDetails(first, format);
    return wireErrorResponse({ format, ...failed, headers: { ...headers, ...failed.headers } });
  }

  const writer: WireStreamWriter =
    format === "anthropic"
      ? new AnthropicEventWriter(info)
      : new OpenAIChunkWriter(info, call.includeUsage);
  const encoder = new TextEncoder();
  let pendingFirst: RunEvent | null = first;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(writer.start()));
    },
    async pull(controller) {
      const event = pendingFirst ?? (await queue.next());
      pendingFirst = null;
      const gatewayEvent = gatewayEventOf(event);
      if (gatewayEvent === null) return;
      if (event.type === "call-finish" && event.status !== "ok") {
        controller.enqueue(encoder.encode(writer.error(failedCallDetails(event, format))));
      } else {
        controller.enqueue(encoder.encode(writer.write(gatewayEvent)));
      }
      if (gatewayEvent.type === "finish") {
        request.signal.removeEventListener("abort", onAbort);
        controller.close();
      }
    },
    cancel() {
      run.cancel();
    },
  });
  // `no-transform` (in SSE_HEADERS) keeps Next's gzip off the stream, as on every other event
  // stream here: a compressor costs server time on each chunk and may hold chunks back.
  return new Response(stream, { headers: { ...SSE_HEADERS, "x-locus-call-id": callId } });
}
