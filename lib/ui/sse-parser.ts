/**
 * Reads a streamed Server-Sent Events response body with `eventsource-parser` (the one SSE
 * parser of the project) and yields each event's data as it arrives.
 */
import { createParser } from "eventsource-parser";

/**
 * Yields each frame's data, incrementally: a frame is yielded as soon as its blank line has
 * arrived. A last frame cut off before its blank line is dropped (a cut connection must not make
 * a half-received frame look complete). Stops quietly when `signal` fires.
 */
export async function* readSseData(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: string[] = [];
  const parser = createParser({ onEvent: (message) => ready.push(message.data) });
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        parser.feed(decoder.decode());
        yield* ready.splice(0);
        return;
      }
      parser.feed(decoder.decode(value, { stream: true }));
      yield* ready.splice(0);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
