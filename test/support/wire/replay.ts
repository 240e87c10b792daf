/**
 * Replays recorded provider wire exchanges (`test/fixtures/<provider>/<scenario>.<ext>`) from a
 * fake server, frame by frame, with optional pacing. The adapter tests, the run API's
 * integration tests and the e2e fake providers all answer through this file, so a provider's
 * wire format is written down once, in its fixtures, and framed here only.
 *
 * A fixture's body is the response body exactly as the provider sends it: `.sse` (Server-Sent
 * Events), `.ndjson` (one JSON object a line, Ollama) or `.json` (a non-streamed body). An
 * optional `<scenario>.meta.json` beside it gives what the body cannot: `status` (default 200),
 * extra `headers`, and `ending: "drop"` for an exchange whose connection was cut after the body.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createParser } from "eventsource-parser";

const FIXTURES_DIRECTORY = fileURLToPath(new URL("../../fixtures/", import.meta.url));

export type WireFormat = "sse" | "ndjson" | "json";

/** How the exchange ends: the body is complete, the socket is cut, or the server goes quiet. */
export type WireEnding = "end" | "drop" | "hold";

export interface WireFixture {
  /** `<provider>/<scenario>`, or a description for generated exchanges. */
  name: string;
  format: WireFormat;
  status: number;
  headers: Record<string, string>;
  /** The body split where the provider flushes: one SSE event, one NDJSON line, or the whole JSON. */
  frames: string[];
  ending: WireEnding;
}

const CONTENT_TYPES: Record<WireFormat, string> = {
  sse: "text/event-stream",
  ndjson: "application/x-ndjson",
  json: "application/json",
};

const FORMATS: WireFormat[] = ["sse", "ndjson", "json"];

interface FixtureMeta {
  status?: number;
  headers?: Record<string, string>;
  ending?: "end" | "drop";
}

/** Splits a body into the frames a provider writes: each keeps its own terminator. */
function splitFrames(format: WireFormat, body: string): string[] {
  if (format === "json") return [body];
  const pattern =
    format === "sse" ? /[\s\S]*?(?:\r\n\r\n|\n\n|\r\r)|[\s\S]+$/g : /[^\n]*\n|[^\n]+$/g;
  return body.match(pattern) ?? [];
}

/** Loads `test/fixtures/<name>.<sse|ndjson|json>` and its optional `.meta.json`. */
export function loadFixture(name: string): WireFixture {
  const base = path.join(FIXTURES_DIRECTORY, name);
  const format = FORMATS.find((candidate) => existsSync(`${base}.${candidate}`));
  if (!format) throw new Error(`no wire fixture ${name} under ${FIXTURES_DIRECTORY}`);
  const body = readFileSync(`${base}.${format}`, "utf8");
  const metaPath = `${base}.meta.json`;
  const meta = existsSync(metaPath)
    ? (JSON.parse(readFileSync(metaPath, "utf8")) as FixtureMeta)
    : {};
  return {
    name,
    format,
    status: meta.status ?? 200,
    headers: meta.headers ?? {},
    frames: splitFrames(format, body),
    ending: meta.ending ?? "end",
  };
}

// --- framing: the one place that turns provider objects into wire bytes ---------------------

/** One Server-Sent Event. A string is sent verbatim (`[DONE]`, or deliberately broken JSON). */
function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ""}data: ${payload}\n\n`;
}

function ndjsonLine(object: unknown): string {
  return `${typeof object === "string" ? object : JSON.stringify(object)}\n`;
}

export interface WireMessage {
  /** The SSE event name; undefined for NDJSON, JSON, and SSE frames without one. */
  event: string | undefined;
  /** The parsed JSON, or the raw text where it is not JSON (`[DONE]`, a broken frame). */
  data: unknown;
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The frames' payloads, parsed: what a generator takes as its template, or a test inspects. */
export function messagesOf(fixture: WireFixture): WireMessage[] {
  if (fixture.format !== "sse") {
    return fixture.frames
      .filter((frame) => frame.trim() !== "")
      .map((frame) => ({ event: undefined, data: parseOrKeep(frame) }));
  }
  const messages: WireMessage[] = [];
  createParser({
    onEvent: (message) => messages.push({ event: message.event, data: parseOrKeep(message.data) }),
  }).feed(fixture.frames.join(""));
  return messages;
}

/** A fixture built from provider objects (generated answers), framed as `format` frames. */
export function generatedFixture(
  name: string,
  format: Exclude<WireFormat, "json">,
  messages: WireMessage[],
): WireFixture {
  return {
    name,
    format,
    status: 200,
    headers: {},
    frames: messages.map((message) =>
      format === "sse" ? sseFrame(message.data, message.event) : ndjsonLine(message.data),
    ),
    ending: "end",
  };
}

// --- serving ------------------------------------------------------------------------------

export interface ReplayOptions {
  /** Pause after each frame, for pacing tests (time to first token, stop, reload). */
  delayMs?: number;
  /** Serve only the first `frames` frames. */
  frames?: number;
  /** Overrides the fixture's ending; `"hold"` keeps the connection open after the last frame. */
  ending?: WireEnding;
}

const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

function writable(response: ServerResponse): boolean {
  return !response.destroyed && !response.writableEnded;
}

function write(response: ServerResponse, frame: string): Promise<void> {
  return new Promise((resolve) => response.write(frame, () => resolve()));
}

/**
 * Writes the fixture's status, headers and frames to `response`, then ends, cuts or holds the
 * connection. Returns early (without throwing) when the client has gone.
 */
export async function replay(
  response: ServerResponse,
  fixture: WireFixture,
  options: ReplayOptions = {},
): Promise<void> {
  if (!response.headersSent) {
    response.writeHead(fixture.status, {
      "content-type": CONTENT_TYPES[fixture.format],
      ...(fixture.format === "json" ? {} : { "cache-control": "no-cache" }),
      ...fixture.headers,
    });
  }
  const frames = fixture.frames.slice(0, options.frames ?? fixture.frames.length);
  for (const frame of frames) {
    if (!writable(response)) return;
    await write(response, frame);
    if (options.delayMs) await sleep(options.delayMs);
  }
  if (!writable(response)) return;
  const ending = options.ending ?? fixture.ending;
  if (ending === "drop") response.socket?.destroy();
  else if (ending === "end") response.end();
}

/** A fake-server handler that answers every request by replaying one fixture. */
export function replaying(
  fixture: WireFixture | string,
  options: ReplayOptions = {},
): (request: unknown, response: ServerResponse) => Promise<void> {
  const loaded = typeof fixture === "string" ? loadFixture(fixture) : fixture;
  return (_request, response) => replay(response, loaded, options);
}
