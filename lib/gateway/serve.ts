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
import { getRunManager, UNWATCHED_RUN_RETENTION_MS } from "@/lib/runs";
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

/**
 * The run's events: awaited one by one (`next`) until the response is decided, then handed
 * on as they come (`forward`). The observer runs synchronously inside the run manager.
 */
class RunEvents {
  private readonly buffered: RunEvent[] = [];
  private waiting: ((event: RunEvent) => void) | null = null;
  private sink: ((event: RunEvent) => void) | null = null;

  readonly push = (event: RunEvent): void => {
    if (this.sink) this.sink(event);
    else if (this.waiting) {
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

  /** From now on every event goes to `sink` as it is emitted, the buffered ones first. */
  forward(sink: (event: RunEvent) => void): void {
    this.sink = sink;
    for (const event of this.buffered.splice(0)) sink(event);
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

/**
 * The response body of a streamed call. The first event goes out at once, with the stream's
 * opening frames: it is the client's time to first token. Later events are written as they
 * come, those emitted within one turn of the event loop together (under load one read of the
 * upstream socket carries several chunks): one socket write instead of one per chunk, and no
 * delay when they come one by one.
 */
function relayStream(options: {
  writer: WireStreamWriter;
  first: RunEvent;
  format: WireFormat;
  events: RunEvents;
  onEnd: () => void;
  onCancel: () => void;
}): ReadableStream<Uint8Array> {
  const { writer, format } = options;
  const encoder = new TextEncoder();
  let open = true;
  let scheduled: ReturnType<typeof setImmediate> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let pending = writer.start();
      const flush = () => {
        scheduled = null;
        if (!open || pending === "") return;
        controller.enqueue(encoder.encode(pending));
        pending = "";
      };
      const write = (event: RunEvent, now: boolean) => {
        const gatewayEvent = gatewayEventOf(event);
        if (gatewayEvent === null || !open) return;
        pending +=
          event.type === "call-finish" && event.status !== "ok"
            ? writer.error(failedCallDetails(event, format))
            : writer.write(gatewayEvent);
        if (gatewayEvent.type === "finish") {
          if (scheduled !== null) clearImmediate(scheduled);
          flush();
          open = false;
          controller.close();
          options.onEnd();
        } else if (now) flush();
        else scheduled ??= setImmediate(flush);
      };
      write(options.first, true);
      options.events.forward((event) => write(event, false));
    },
    cancel() {
      open = false;
      if (scheduled !== null) clearImmediate(scheduled);
      options.onCancel();
    },
  });
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

  const events = new RunEvents();
  const startedAt = new Date();
  const run = getRunManager().startRun(prepared.runRequest, {
    context: prepared.context,
    retainMs: UNWATCHED_RUN_RETENTION_MS,
    observer: (event) => {
      if (event.type === "call-finish") {
        getKeySpendLedger().add({ keyId: key.id, startedAt, costUsd: event.costUsd });
      }
      events.push(event);
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
      const event = await events.next();
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
  do first = await events.next();
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
  const stream = relayStream({
    writer,
    first,
    format,
    events,
    onEnd: () => request.signal.removeEventListener("abort", onAbort),
    onCancel: () => run.cancel(),
  });
  // `no-transform` (in SSE_HEADERS) keeps Next's gzip off the stream, as on every other event
  // stream here: a compressor costs server time on each chunk and may hold chunks back.
  return new Response(stream, { headers: { ...SSE_HEADERS, "x-locus-call-id": callId } });
}
