import { describe, expect, it } from "vitest";
import { OpenAIChunkWriter } from "./openai-response";

const info = {
  callId: "call_1",
  model: 'openai:gpt-4o-mini "quoted"',
  createdAt: new Date("2026-12-06T10:00:00.500Z"),
};

/** The text chunk as the generic serialization of OpenAI's object gives it. */
function genericTextChunk(delta: string, includeUsage: boolean): string {
  const chunk = {
    id: "chatcmpl-call_1",
    object: "chat.completion.chunk",
    created: 1796551200,
    model: info.model,
    choices: [{ index: 0, delta: { content: delta }, logprobs: null, finish_reason: null }],
    ...(includeUsage ? { usage: null } : {}),
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

describe("OpenAIChunkWriter", () => {
  it("writes a text chunk byte for byte as the generic serialization of its object", () => {
    for (const includeUsage of [false, true]) {
      const writer = new OpenAIChunkWriter(info, includeUsage);
      for (const delta of [
        "plain",
        "",
        'quotes " and \\ backslash',
        "line\nbreak\ttab",
        "é 漢字 🙂",
        "\u2028\u0000",
      ]) {
        expect(writer.write({ type: "text-delta", delta })).toBe(
          genericTextChunk(delta, includeUsage),
        );
      }
    }
  });
});
