import { describe, expect, it } from "vitest";
import { createSseParser, readSseData } from "./sse-parser";

function collect(chunks: string[], end = true): string[] {
  const frames: string[] = [];
  const parser = createSseParser((data) => frames.push(data));
  for (const chunk of chunks) parser.push(chunk);
  if (end) parser.end();
  return frames;
}

describe("createSseParser", () => {
  it("yields one data payload per frame", () => {
    expect(collect(['data: {"a":1}\n\n', 'data: {"b":2}\n\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("reassembles frames split at any character", () => {
    const text = 'data: {"type":"text-delta","delta":"héllo"}\n\ndata: second\n\n';
    expect(collect([...text])).toEqual(['{"type":"text-delta","delta":"héllo"}', "second"]);
  });

  it("accepts CRLF and CR line endings, including a CRLF split across chunks", () => {
    expect(collect(["data: one\r", "\n\r\ndata: two\r\r"])).toEqual(["one", "two"]);
  });

  it("joins multi-line data and ignores comments, event names and ids", () => {
    expect(collect([": keep-alive\n\nevent: x\nid: 4\ndata: first\ndata: second\n\n"])).toEqual([
      "first\nsecond",
    ]);
  });

  it("drops a frame that was cut off before its blank line", () => {
    expect(collect(["data: complete\n\ndata: cut"])).toEqual(["complete"]);
  });

  it("keeps a value without the optional space after the colon", () => {
    expect(collect(["data:tight\n\n"])).toEqual(["tight"]);
  });
});

describe("readSseData", () => {
  it("decodes UTF-8 split across network chunks", async () => {
    const bytes = new TextEncoder().encode("data: ünïcödé ✓\n\n");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const frames: string[] = [];
    for await (const data of readSseData(body)) frames.push(data);
    expect(frames).toEqual(["ünïcödé ✓"]);
  });

  it("stops when the signal aborts", async () => {
    const encoder = new TextEncoder();
    const controllerBox: { current?: ReadableStreamDefaultController<Uint8Array> } = {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controllerBox.current = controller;
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
