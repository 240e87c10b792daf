import { describe, expect, it } from "vitest";
import { collectStream } from "../collect-stream";
import { InvalidOptionsError } from "../errors";
import type { Message, StreamEvent } from "../types";
import { DemoModel, demoAnswer } from "./demo-model";

const messages: Message[] = [{ role: "user", content: "Explain WAL mode in one paragraph." }];

async function events(model: DemoModel, options = {}): Promise<StreamEvent[]> {
  const result: StreamEvent[] = [];
  for await (const event of model.stream(messages, options)) result.push(event);
  return result;
}

describe("DemoModel", () => {
  const instant = () => new DemoModel("chat", { ttftMs: 0, tokensPerSecond: 0 });

  it("streams a labelled simulated answer that rejoins to the full text", async () => {
    const all = await events(instant());
    expect(all[0]?.type).toBe("stream-start");
    const text = all
      .flatMap((event) => (event.type === "text-delta" ? [event.delta] : []))
      .join("");
    expect(text).toBe(demoAnswer("chat", messages));
    expect(text).toContain("Simulated answer");
    expect(text).toContain("Explain WAL mode");
  });

  it("is deterministic for the same model and prompt", () => {
    expect(demoAnswer("chat", messages)).toBe(demoAnswer("chat", messages));
    expect(demoAnswer("chat", messages)).not.toBe(demoAnswer("fast", messages));
  });

  it("ends with a finish carrying usage whose output count matches the streamed pieces", async () => {
    const all = await events(instant());
    const deltas = all.filter((event) => event.type === "text-delta").length;
    const finish = all.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type !== "finish") return;
    expect(finish.stopReason).toBe("stop");
    expect(finish.usage?.outputTokens).toBe(deltas);
    expect(finish.usage?.inputTokens).toBeGreaterThan(0);
    expect(finish.usage?.cacheReadTokens).toBe(0);
  });

  it("stops at maxTokens with a length stop reason", async () => {
    const response = await collectStream(instant().stream(messages, { maxTokens: 5 }));
    expect(response.stopReason).toBe("length");
    expect(response.usage?.outputTokens).toBe(5);
  });

  it("honours stop sequences", async () => {
    const response = await collectStream(instant().stream(messages, { stop: ["You asked"] }));
    expect(response.text).not.toContain("You asked");
    expect(response.rawStopReason).toBe("stop_sequence");
  });

  it("calls the first tool when tools are offered on a user turn", async () => {
    const response = await instant().complete(messages, {
      tools: [{ type: "function", function: { name: "get_weather" } }],
    });
    expect(response.stopReason).toBe("tool-calls");
    expect(response.toolCalls.map((call) => call.name)).toEqual(["get_weather"]);
  });

  it("answers JSON matching the schema's property types for json_schema output", async () => {
    const response = await instant().complete(messages, {
      responseFormat: {
        type: "json_schema",
        json_schema: {
          name: "answer",
          schema: {
            type: "object",
            properties: { title: { type: "string" }, n: { type: "integer" } },
          },
        },
      },
    });
    expect(JSON.parse(response.text ?? "")).toEqual({ title: "simulated", n: 0 });
  });

  it("ends with an aborted error when the signal fires mid-stream", async () => {
    const controller = new AbortController();
    const model = new DemoModel("chat", { ttftMs: 0, tokensPerSecond: 1000 });
    const seen: StreamEvent[] = [];
    for await (const event of model.stream(messages, { signal: controller.signal })) {
      seen.push(event);
      if (seen.filter((item) => item.type === "text-delta").length === 3) controller.abort();
    }
    const finish = seen.at(-1);
    expect(finish?.type === "finish" && finish.error?.kind).toBe("aborted");
    expect(seen.filter((item) => item.type === "text-delta")).toHaveLength(3);
  });

  it("rejects unknown call options instead of dropping them", async () => {
    await expect(events(instant(), { temprature: 1 })).rejects.toThrow(InvalidOptionsError);
  });
});
