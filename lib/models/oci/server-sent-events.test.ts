import { describe, expect, it } from "vitest";
import { readServerSentEvents } from "./server-sent-events";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<string[]> {
  const events: string[] = [];
  for await (const data of readServerSentEvents(streamOf(chunks))) events.push(data);
  return events;
}

describe("readServerSentEvents", () => {
  it("joins events split across chunks, with LF or CRLF, and ignores other fields", async () => {
    expect(
      await collect([
        ": comment\nevent: x\nda",
        'ta: {"a":1}\n\ndata: {"b":',
        "2}\r",
        "\n\r\ndata: line one\ndata: line two\n\n",
      ]),
    ).toEqual(['{"a":1}', '{"b":2}', "line one\nline two"]);
  });

  it("stops at [DONE] and keeps a last event that lacks its blank line", async () => {
    expect(await collect(["data: 1\n\ndata: [DONE]\n\ndata: 2\n\n"])).toEqual(["1"]);
    expect(await collect(["data: 1\n\ndata: 2"])).toEqual(["1", "2"]);
  });
});
