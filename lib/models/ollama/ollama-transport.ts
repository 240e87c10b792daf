/**
 * One Ollama SDK client per call, wired to a `fetch` that owns the call's lifetime.
 *
 * Why per call: ollama-js passes no AbortSignal for non-streamed requests and `list()`, and
 * its `abort()` stops every stream of a client at once. A client is only a config object, so
 * giving each call its own, with a fetch bound to that call's signal, makes a caller's abort,
 * `close()` and the start timeout close exactly that call's HTTP connection.
 *
 * The fetch also watches the NDJSON body on its way to the SDK. The SDK skips a line that is
 * not JSON (with a console warning) and turns an `{"error": …}` line into a plain `Error`;
 * both would otherwise be invisible or classifiable only by message text. The watcher records
 * what it saw (`fault`) and whether the body ended cleanly (`ended`), so errors are classified
 * by what happened on the wire.
 */
import { Ollama } from "ollama";
import type { ProviderErrorKind } from "../errors";
import { isPlainObject, safeJsonParse } from "../tool-arguments";
import type { OllamaHost } from "./ollama-host";

export interface StreamFault {
  kind: ProviderErrorKind;
  detail: string;
}

export interface StreamInspection {
  /** The first bad thing seen in the body: a malformed line or an `error` line. */
  fault: StreamFault | null;
  /** The body reached its end without a network error. */
  ended: boolean;
}

export interface OllamaCall {
  client: Ollama;
  /** Aborts on the caller's signal, on `close()`, on the start timeout and on `abort()`. */
  signal: AbortSignal;
  readonly timedOut: boolean;
  /** Response headers arrived: a later network error is a dropped stream, not "unreachable". */
  readonly responded: boolean;
  inspection: StreamInspection;
  /** Closes the HTTP connection if it is still open. */
  abort: () => void;
  /** Aborts and detaches from the caller's signal. Call once the call is over. */
  dispose: () => void;
}

export function openOllamaCall(options: {
  host: OllamaHost;
  /** Longest wait for the response to start (headers); `null` waits for ever. */
  timeoutMs: number | null;
  signal?: AbortSignal;
  /** Watch an NDJSON body (streamed chat). */
  inspectBody: boolean;
}): OllamaCall {
  const controller = new AbortController();
  const inspection: StreamInspection = { fault: null, ended: false };
  let timedOut = false;
  let responded = false;

  const onCallerAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener("abort", onCallerAbort, { once: true });

  const callFetch: typeof fetch = async (input, init) => {
    const signal = init?.signal
      ? AbortSignal.any([controller.signal, init.signal])
      : controller.signal;
    const timer =
      options.timeoutMs === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, options.timeoutMs);
    try {
      const response = await fetch(input, { ...init, signal });
      responded = true;
      if (!options.inspectBody || !response.ok || !response.body) return response;
      return new Response(inspectNdjson(response.body, inspection), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      clearTimeout(timer);
    }
  };

  const client = new Ollama({
    host: options.host.url,
    fetch: callFetch,
    ...(options.host.authorization
      ? { headers: { authorization: options.host.authorization } }
      : {}),
  });

  return {
    client,
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    get responded() {
      return responded;
    },
    inspection,
    abort: () => controller.abort(),
    dispose: () => {
      options.signal?.removeEventListener("abort", onCallerAbort);
      controller.abort();
    },
  };
}

/** Stands in for a malformed line so the SDK stops at the same place (it throws on `error`). */
const MALFORMED_LINE_MARKER = `${JSON.stringify({ error: "malformed NDJSON line" })}\n`;

/**
 * Passes an NDJSON body through line by line, recording the first malformed or `error` line
 * and a clean end. Blank lines are dropped (the SDK would warn about them).
 */
export function inspectNdjson(
  body: ReadableStream<Uint8Array>,
  inspection: StreamInspection,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";

  const passLine = (line: string, output: TransformStreamDefaultController<Uint8Array>) => {
    if (line.trim() === "") return;
    const parsed = safeJsonParse(line);
    if (!isPlainObject(parsed)) {
      inspection.fault ??= {
        kind: "invalid_response",
        detail: "Ollama sent a stream line that is not a JSON object",
      };
      output.enqueue(encoder.encode(MALFORMED_LINE_MARKER));
      return;
    }
    if ("error" in parsed) {
      // Ollama reports failures after the 200 status (a crashed runner) as an `error` line.
      inspection.fault ??= {
        kind: "server_error",
        detail: typeof parsed.error === "string" ? parsed.error : JSON.stringify(parsed.error),
      };
    }
    output.enqueue(encoder.encode(`${line}\n`));
  };

  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, output) {
        buffer += decoder.decode(chunk, { stream: true });
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) passLine(line, output);
      },
      flush(output) {
        buffer += decoder.decode();
        passLine(buffer, output);
        buffer = "";
        inspection.ended = true;
      },
    }),
  );
}
