/**
 * A tiny HTTP server on 127.0.0.1 for tests that speak a provider's wire format. It records
 * every request (exact body bytes and headers) and notices when a client hangs up early,
 * so tests can assert both what we sent and that an abort closed the upstream connection.
 * Provider answers come from recorded fixtures, through `wire/replay.ts`.
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

export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
