/**
 * Server-Sent Events framing: one `data: {json}\n\n` frame per event. `JSON.stringify` never
 * emits a raw newline, so every event is exactly one `data:` line.
 */

const encoder = new TextEncoder();

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  // Tells nginx-style reverse proxies not to buffer the stream.
  "x-accel-buffering": "no",
};

/** The frame of one event as text, for callers that join several frames before encoding. */
export function serializeSseEvent(event: unknown): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/**
 * The frame of `{ type: "text-delta", index, delta, ttftMs?, elapsedMs? }`, byte for byte what
 * `serializeSseEvent` gives, without building the object: it is the one event sent per streamed
 * chunk.
 */
export function textDeltaFrame(
  index: number,
  delta: string,
  timings: { ttftMs?: number; elapsedMs?: number } = {},
): string {
  const ttft = timings.ttftMs !== undefined ? `,"ttftMs":${timings.ttftMs}` : "";
  const elapsed = timings.elapsedMs !== undefined ? `,"elapsedMs":${timings.elapsedMs}` : "";
  return `data: {"type":"text-delta","index":${index},"delta":${JSON.stringify(delta)}${ttft}${elapsed}}\n\n`;
}

export function encodeSseText(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Encodes one event; callers encode once and hand the same bytes to every listener. */
export function encodeSseEvent(event: unknown): Uint8Array {
  return encoder.encode(serializeSseEvent(event));
}

/** A comment frame: ignored by EventSource parsers, keeps idle connections open. */
export const SSE_HEARTBEAT: Uint8Array = encoder.encode(": keep-alive\n\n");

export function sseResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
