/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream rules that matter here):
 * bytes arrive in arbitrary chunks, frames end at a blank line, `data:` lines of one frame are
 * joined with `\n`, comment lines (`:`) and other fields are ignored, CRLF and CR are accepted.
 */
export interface SseParser {
  /** Feeds decoded text; calls `onData` once per complete frame that carried data. */
  push: (text: string) => void;
  /** Ends the stream. A last frame without its blank line is dropped, as the spec says. */
  end: () => void;
}

export function createSseParser(onData: (data: string) => void): SseParser {
  let buffer = "";
  let dataLines: string[] = [];

  const dispatch = () => {
    if (dataLines.length > 0) onData(dataLines.join("\n"));
    dataLines = [];
  };

  const processLine = (line: string) => {
    if (line === "") {
      dispatch();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") dataLines.push(value);
  };

  return {
    push(text) {
      buffer += text;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A lone CR at the very end may be the first half of a CRLF still in flight.
        if (match[0] === "\r" && match.index === buffer.length - 1) break;
        processLine(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
    end() {
      if (buffer !== "") processLine(buffer.replace(/\r$/, ""));
      buffer = "";
      // A cut connection must not make a half-received frame look complete.
      dataLines = [];
    },
  };
}

/**
 * Reads an SSE response body and yields each frame's data. Stops quietly when `signal` fires.
 */
export async function* readSseData(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: string[] = [];
  const parser = createSseParser((data) => ready.push(data));
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        parser.push(decoder.decode());
        parser.end();
        yield* ready.splice(0);
        return;
      }
      parser.push(decoder.decode(value, { stream: true }));
      yield* ready.splice(0);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
