/**
 * A minimal Server-Sent Events reader: yields each event's `data` (multi-line data joined with
 * `\n`), stops at `[DONE]`. Comments, `event:`, `id:` and `retry:` lines are ignored.
 */

function dataOf(line: string): string {
  return line.slice(line.startsWith("data: ") ? 6 : 5);
}

export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A lone `\r` at the end may be the first half of `\r\n`: wait for the next chunk.
        if (match[0] === "\r" && match.index === buffer.length - 1 && !done) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line.startsWith("data:")) {
          data.push(dataOf(line));
          continue;
        }
        if (line !== "" || data.length === 0) continue;
        const payload = data.join("\n");
        data = [];
        if (payload.trim() === "[DONE]") return;
        yield payload;
      }
      if (done) break;
    }
    // A last event without its blank line still counts.
    if (buffer.startsWith("data:")) data.push(dataOf(buffer));
    const payload = data.join("\n");
    if (data.length > 0 && payload.trim() !== "[DONE]") yield payload;
  } finally {
    // Stopping early (abort, consumer gone, [DONE]) closes the connection instead of draining it.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
