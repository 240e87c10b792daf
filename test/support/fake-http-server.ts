/**
 * A tiny HTTP server on 127.0.0.1 for tests that speak a provider's wire format. It records
 * every request (exact body bytes and headers) and notices when a client hangs up early,
 * so tests can assert both what we sent and that an abort closed the upstream connection.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path plus query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => unknown;
}

export type FakeHandler = (
  request: RecordedRequest,
  response: ServerResponse,
) => void | Promise<void>;

export interface FakeServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  requests: RecordedRequest[];
  /** Responses whose client closed the connection before the response ended. */
  readonly clientAborts: number;
  /** Resolves when the next (or an already seen) client abort happens. */
  waitForClientAbort: (timeoutMs?: number) => Promise<void>;
  setHandler: (handler: FakeHandler) => void;
  close: () => Promise<void>;
}

export async function startFakeServer(initialHandler: FakeHandler): Promise<FakeServer> {
  let handler = initialHandler;
  const requests: RecordedRequest[] = [];
  let clientAborts = 0;
  let abortWaiters: Array<() => void> = [];

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const text = body.toString("utf8");
      const recorded: RecordedRequest = {
        method: incoming.method ?? "GET",
        url: incoming.url ?? "/",
        headers: incoming.headers,
        body,
        text,
        json: () => JSON.parse(text),
      };
      requests.push(recorded);
      response.on("close", () => {
        if (!response.writableFinished) {
          clientAborts += 1;
          const waiters = abortWaiters;
          abortWaiters = [];
          for (const resolve of waiters) resolve();
        }
      });
      Promise.resolve(handler(recorded, response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(599);
        response.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get clientAborts() {
      return clientAborts;
    },
    waitForClientAbort: (timeoutMs = 5_000) =>
      clientAborts > 0
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error("client never closed the connection")),
              timeoutMs,
            );
            abortWaiters.push(() => {
              clearTimeout(timer);
              resolve();
            });
          }),
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** True while the client is still connected and the response can be written. */
function writable(response: ServerResponse): boolean {
  return !response.destroyed && !response.writableEnded;
}

export interface SseFrame {
  event?: string;
  data: unknown;
}

/**
 * Streams Server-Sent Events. A string frame is sent as a raw `data:` payload (so `[DONE]` or
 * deliberately malformed JSON go out verbatim); objects are JSON-encoded.
 */
export async function writeSse(
  response: ServerResponse,
  frames: Array<SseFrame | string>,
  options: { delayMs?: number; end?: boolean; status?: number } = {},
): Promise<void> {
  if (!response.headersSent) {
    response.writeHead(options.status ?? 200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
  }
  for (const frame of frames) {
    if (!writable(response)) return;
    if (typeof frame === "string") {
      response.write(`data: ${frame}\n\n`);
    } else {
      const data = typeof frame.data === "string" ? frame.data : JSON.stringify(frame.data);
      response.write(`${frame.event ? `event: ${frame.event}\n` : ""}data: ${data}\n\n`);
    }
    if (options.delayMs) await sleep(options.delayMs);
  }
  if (options.end !== false && writable(response)) response.end();
}

/** Streams newline-delimited JSON (Ollama). */
export async function writeNdjson(
  response: ServerResponse,
  objects: unknown[],
  options: { delayMs?: number; end?: boolean } = {},
): Promise<void> {
  if (!response.headersSent) {
    response.writeHead(200, { "content-type": "application/x-ndjson" });
  }
  for (const object of objects) {
    if (!writable(response)) return;
    response.write(`${typeof object === "string" ? object : JSON.stringify(object)}\n`);
    if (options.delayMs) await sleep(options.delayMs);
  }
  if (options.end !== false && writable(response)) response.end();
}

export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** Drops the TCP connection without finishing the response (a mid-stream network failure). */
export function dropConnection(response: ServerResponse): void {
  response.socket?.destroy();
}
