/**
 * SSE reading for tests, on `eventsource-parser` (the project's one SSE parser): whole bodies
 * (run API answers, recorded fixtures) and bodies followed as they stream.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

/** Every event of a complete SSE body, with its event name; a frame cut before its blank line is dropped. */
export function parseSseMessages(text: string): EventSourceMessage[] {
  const messages: EventSourceMessage[] = [];
  createParser({ onEvent: (message) => messages.push(message) }).feed(text);
  return messages;
}

/** The JSON of each `data:` payload of a complete SSE body. */
export function parseSseData(text: string): unknown[] {
  return parseSseMessages(text).map((message) => JSON.parse(message.data) as unknown);
}

/**
 * Calls `onData` with the JSON of each event as it arrives; stops (and releases the
 * connection) when `onData` returns `"stop"`.
 */
export async function followSseData(
  body: ReadableStream<Uint8Array>,
  onData: (data: unknown) => unknown,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: unknown[] = [];
  const parser = createParser({
    onEvent: (message) => ready.push(JSON.parse(message.data) as unknown),
  });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    parser.feed(decoder.decode(value, { stream: true }));
    for (const data of ready.splice(0)) {
      if (onData(data) === "stop") {
        await reader.cancel();
        return;
      }
    }
  }
}
