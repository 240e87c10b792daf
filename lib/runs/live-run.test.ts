import { describe, expect, it } from "vitest";
import { serializeSseEvent, textDeltaFrame } from "@/lib/http/sse";
import { parseSseData } from "@/test/support/sse";
import { LiveRun } from "./live-run";
import type { RunEvent } from "./run-events";

const decoder = new TextDecoder();

/** A run with a listener that keeps every delivered chunk. */
function listenedRun(options: { batchMs?: number } = {}) {
  const run = new LiveRun("run-1", new Date(0), null, [], [], { batchMs: options.batchMs });
  const chunks: string[] = [];
  run.subscribe({ onFrame: (frame) => chunks.push(decoder.decode(frame)), onEnd: () => undefined });
  const events = () => parseSseData(chunks.join("")) as RunEvent[];
  return { run, chunks, events };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const finish = (index: number): RunEvent => ({
  type: "call-finish",
  index,
  status: "ok",
  stopReason: "stop",
  usage: null,
  costUsd: null,
  ttftMs: 1,
  durationMs: 2,
});

describe("LiveRun delivery", () => {
  it("writes the first delta of each call at once, before emit returns", () => {
    const { run, chunks, events } = listenedRun({ batchMs: 60_000 });
    run.emit({ type: "run-start", runId: "run-1", calls: [] });
    run.emit({ type: "text-delta", index: 0, delta: "first" });
    expect(chunks).toHaveLength(1);
    run.emit({ type: "text-delta", index: 0, delta: " second" });
    // A later delta of the same call waits for the batch.
    expect(chunks).toHaveLength(1);
    run.emit({ type: "text-delta", index: 1, delta: "other column" });
    // The first delta of another call does not: it goes out with what was waiting.
    expect(chunks).toHaveLength(2);
    expect(events()).toEqual([
      { type: "run-start", runId: "run-1", calls: [] },
      { type: "text-delta", index: 0, delta: "first" },
      { type: "text-delta", index: 0, delta: " second" },
      { type: "text-delta", index: 1, delta: "other column" },
    ]);
  });

  it("treats a first tool call like a first delta", () => {
    const { run, chunks, events } = listenedRun({ batchMs: 60_000 });
    const toolCall = { id: "call-1", name: "get_weather", arguments: { city: "Oslo" } };
    run.emit({ type: "tool-call", index: 2, toolCall });
    expect(chunks).toHaveLength(1);
    expect(events()).toEqual([{ type: "tool-call", index: 2, toolCall }]);
  });

  it("merges a call's later deltas into one event whose text is their exact concatenation", async () => {
    const { run, chunks, events } = listenedRun({ batchMs: 0 });
    const pieces = ["Hé", "llo", ' "quoted"', "\n", "\u2028", "😀", "", " end"];
    run.emit({ type: "text-delta", index: 0, delta: "start " });
    for (const delta of pieces) run.emit({ type: "text-delta", index: 0, delta });
    await nextTurn();
    expect(chunks).toHaveLength(2);
    expect(events()).toEqual([
      { type: "text-delta", index: 0, delta: "start " },
      { type: "text-delta", index: 0, delta: pieces.join("") },
    ]);
  });

  it("keeps each call's events in order and never merges text across a tool call", async () => {
    const { run, events } = listenedRun({ batchMs: 0 });
    const toolCall = { id: "call-1", name: "lookup", arguments: {} };
    run.emit({ type: "text-delta", index: 0, delta: "a" });
    run.emit({ type: "text-delta", index: 1, delta: "x" });
    run.emit({ type: "text-delta", index: 0, delta: "b" });
    run.emit({ type: "text-delta", index: 1, delta: "y" });
    run.emit({ type: "text-delta", index: 0, delta: "c" });
    run.emit({ type: "tool-call", index: 0, toolCall });
    run.emit({ type: "text-delta", index: 0, delta: "d" });
    run.emit({ type: "text-delta", index: 0, delta: "e" });
    run.emit(finish(0));
    run.emit({ type: "text-delta", index: 1, delta: "z" });
    run.emit(finish(1));
    await nextTurn();
    const of = (index: number) =>
      events().filter((event) => "index" in event && event.index === index);
    expect(of(0)).toEqual([
      { type: "text-delta", index: 0, delta: "a" },
      { type: "text-delta", index: 0, delta: "bc" },
      { type: "tool-call", index: 0, toolCall },
      { type: "text-delta", index: 0, delta: "de" },
      finish(0),
    ]);
    expect(of(1)).toEqual([
      { type: "text-delta", index: 1, delta: "x" },
      { type: "text-delta", index: 1, delta: "yz" },
      finish(1),
    ]);
  });

  it("sends a call's finish on the next turn with the deltas still waiting for the batch", async () => {
    const { run, chunks, events } = listenedRun({ batchMs: 60_000 });
    run.emit({ type: "text-delta", index: 0, delta: "one" });
    run.emit({ type: "text-delta", index: 0, delta: " two" });
    run.emit(finish(0));
    expect(chunks).toHaveLength(1);
    await nextTurn();
    expect(chunks).toHaveLength(2);
    expect(events().slice(1)).toEqual([{ type: "text-delta", index: 0, delta: " two" }, finish(0)]);
  });

  it("gives a late subscriber everything emitted so far, pending deltas included, in order", () => {
    const run = new LiveRun("run-1", new Date(0), null, [], [], { batchMs: 60_000 });
    run.emit({ type: "run-start", runId: "run-1", calls: [] });
    run.emit({ type: "text-delta", index: 0, delta: "a" });
    run.emit({ type: "text-delta", index: 0, delta: "b" });
    run.emit({ type: "text-delta", index: 0, delta: "c" });
    const { backlog, unsubscribe } = run.subscribe({
      onFrame: () => undefined,
      onEnd: () => undefined,
    });
    unsubscribe();
    expect(parseSseData(backlog.map((chunk) => decoder.decode(chunk)).join(""))).toEqual([
      { type: "run-start", runId: "run-1", calls: [] },
      { type: "text-delta", index: 0, delta: "abc" },
    ]);
  });

  it("delivers nothing while nobody listens, and everything, merged, when the run ends", async () => {
    const run = new LiveRun("run-1", new Date(0), null, [], [], { batchMs: 0 });
    run.emit({ type: "run-start", runId: "run-1", calls: [] });
    run.emit({ type: "text-delta", index: 0, delta: "a", ttftMs: 5, elapsedMs: 5 });
    await nextTurn();
    run.emit({ type: "text-delta", index: 0, delta: "b", elapsedMs: 9 });
    run.emit(finish(0));
    await nextTurn();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(run.frames).toHaveLength(0);
    run.end();
    expect(run.frames).toHaveLength(1);
    expect(parseSseData(run.frames.map((chunk) => decoder.decode(chunk)).join(""))).toEqual([
      { type: "run-start", runId: "run-1", calls: [] },
      { type: "text-delta", index: 0, delta: "ab", ttftMs: 5, elapsedMs: 9 },
      finish(0),
    ]);
  });
});

describe("textDeltaFrame", () => {
  it("is byte for byte the generic serialization of a text-delta event", () => {
    for (const delta of [
      "",
      "plain",
      'quote " and \\ slash',
      "line\nbreak\r\t",
      "\u2028\u2029",
      "é😀",
    ]) {
      expect(textDeltaFrame(3, delta)).toBe(
        serializeSseEvent({ type: "text-delta", index: 3, delta }),
      );
      expect(textDeltaFrame(3, delta, { ttftMs: 412, elapsedMs: 412 })).toBe(
        serializeSseEvent({ type: "text-delta", index: 3, delta, ttftMs: 412, elapsedMs: 412 }),
      );
      expect(textDeltaFrame(3, delta, { elapsedMs: 0 })).toBe(
        serializeSseEvent({ type: "text-delta", index: 3, delta, elapsedMs: 0 }),
      );
    }
  });
});

describe("LiveRun server timings", () => {
  it("keeps the first delta's ttftMs and gives a merged delta its last piece's elapsedMs", async () => {
    const { run, events } = listenedRun({ batchMs: 0 });
    run.emit({ type: "text-delta", index: 0, delta: "a", ttftMs: 300, elapsedMs: 300 });
    run.emit({ type: "text-delta", index: 0, delta: "b", elapsedMs: 340 });
    run.emit({ type: "text-delta", index: 0, delta: "c", elapsedMs: 365 });
    run.emit({
      type: "tool-call",
      index: 0,
      toolCall: { id: "t", name: "n", arguments: {} },
      elapsedMs: 380,
    });
    await nextTurn();
    expect(events()).toEqual([
      { type: "text-delta", index: 0, delta: "a", ttftMs: 300, elapsedMs: 300 },
      { type: "text-delta", index: 0, delta: "bc", elapsedMs: 365 },
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "t", name: "n", arguments: {} },
        elapsedMs: 380,
      },
    ]);
  });
});
