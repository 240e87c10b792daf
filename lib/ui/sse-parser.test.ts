import { describe, expect, it } from "vitest";
import { readSseData } from "./sse-parser";

function streamOf(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      }
      controller.close();
    },
  });
}

async function collect(chunks: Array<string | Uint8Array>): Promise<string[]> {
  const frames: string[] = [];
  for await (const data of readSseData(streamOf(chunks))) frames.push(data);
  return frames;
}

describe("readSseData", () => {
  it("yields one data payload per frame", async () => {
    expect(await collect(['data: {"a":1}\n\n', 'data: {"b":2}\n\n'])).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
  });

  it("reassembles frames split at any character", async () => {
    const text = 'data: {"type":"text-delta","delta":"héllo"}\n\ndata: second\n\n';
    expect(await collect([...text])).toEqual(['{"type":"text-delta","delta":"héllo"}', "second"]);
  });

  it("accepts CRLF and CR line endings, including a CRLF split across chunks", async () => {
    expect(await collect(["data: one\r", "\n\r\ndata: two\r\r"])).toEqual(["one", "two"]);
  });

  it("joins multi-line data and ignores comments, event names and ids", async () => {
    expect(
      await collect([": keep-alive\n\nevent: x\nid: 4\ndata: first\ndata: second\n\n"]),
    ).toEqual(["first\nsecond"]);
  });

  it("drops a frame that was cut off before its blank line", async () => {
    expect(await collect(["data: complete\n\ndata: cut"])).toEqual(["complete"]);
  });

  it("keeps a value without the optional space after the colon", async () => {
    expect(await collect(["data:tight\n\n"])).toEqual(["tight"]);
  });

  it("decodes UTF-8 split across network chunks", async () => {
    const bytes = new TextEncoder().encode("data: ünïcödé ✓\n\n");
    expect(await collect([...bytes].map((byte) => new Uint8Array([byte])))).toEqual(["ünïcödé ✓"]);
  });

  it("yields a frame before the rest of the body has arrived", async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("data: first\n\n"));
      },
    });
    const frames = readSseData(body);
    // The stream is never closed: only incremental parsing can produce this frame.
    await expect(frames.next()).resolves.toEqual({ done: false, value: "first" });
    await frames.return(undefined);
  });

  it("stops when the signal aborts", async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("data: first\n\n"));
      },
    });
    const abort = new AbortController();
    const frames: string[] = [];
    for await (const data of readSseData(body, abort.signal)) {
      frames.push(data);
      abort.abort();
    }
    expect(frames).toEqual(["first"]);
  });
});
