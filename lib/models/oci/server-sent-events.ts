/**
 * Reads an OCI GenAI event stream with `eventsource-parser` (the project's one SSE parser):
 * yields each event's `data`, stops at `[DONE]`.
 */
import { createParser } from "eventsource-parser";

export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: string[] = [];
  const parser = createParser({ onEvent: (message) => ready.push(message.data) });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        // locus keeps a last event that lacks its blank line: supply the line ends it lacks.
        parser.feed(`${decoder.decode()}\n\n`);
      } else {
        parser.feed(decoder.decode(value, { stream: true }));
      }
      for (const payload of ready.splice(0)) {
        if (payload.trim() === "[DONE]") return;
        yield payload;
      }
      if (done) return;
    }
  } finally {
    // Stopping early (abort, consumer gone, [DONE]) closes the connection instead of draining it.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
