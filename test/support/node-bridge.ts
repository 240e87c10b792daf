/**
 * Between Node's `http` server and the web `Request`/`Response` our route handlers speak: what
 * Next does for its routes, done for the test harness (`app-server.ts`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { errorResponse } from "@/lib/http/errors";

export function headersOf(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

/** The request's URL, or `null` when its Host header (which a client may garble) makes none. */
export function urlOf(incoming: IncomingMessage): URL | null {
  try {
    return new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "127.0.0.1"}`);
  } catch {
    return null;
  }
}

/** The answer to a request whose Host header makes no URL. */
export function invalidHostResponse(): Response {
  return errorResponse({
    status: 400,
    code: "invalid_request",
    message: "the request's Host header is not a valid host",
  });
}

/**
 * The web request for an incoming one. Its signal aborts when the client hangs up before the
 * response has been sent, as `request.signal` does under Next.
 */
export function webRequestOf(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  options: { url: URL; headers?: Headers },
): Request {
  const method = (incoming.method ?? "GET").toUpperCase();
  const disconnect = new AbortController();
  outgoing.on("close", () => {
    if (!outgoing.writableFinished) disconnect.abort();
  });
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(options.url, {
    method,
    headers: options.headers ?? headersOf(incoming),
    signal: disconnect.signal,
    ...(hasBody
      ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" }
      : {}),
  } as RequestInit);
}

/**
 * Calls a route handler as Next does: a handler that throws answers a bare 500, and the log
 * gets the error's kind only (its message might carry what a log line must not).
 */
export async function handlerResponse<Params>(
  handler: (request: Request, context: { params: Promise<Params> }) => Promise<Response> | Response,
  request: Request,
  params: Params,
): Promise<Response> {
  try {
    return await handler(request, { params: Promise.resolve(params) });
  } catch (error) {
    console.error(
      "locus-playground: route handler threw:",
      error instanceof Error ? error.name : typeof error,
    );
    return new Response("Internal Server Error", { status: 500 });
  }
}

/** Writes a web response to Node's, streaming its body; a client that hangs up cancels it. */
export async function sendWebResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  // Headers go out with the first chunk (Node sends them together); an SSE stream's first
  // chunk is ready at once.
  outgoing.writeHead(response.status, headers);
  if (!response.body) {
    outgoing.end();
    return;
  }
  const reader = response.body.getReader();
  // Like Next: a client that hangs up cancels the body stream (and nothing else).
  outgoing.on("close", () => {
    if (!outgoing.writableFinished) void reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (outgoing.destroyed) break;
      outgoing.write(value);
    }
  } catch {
    // The stream was cancelled because the client left.
  }
  if (!outgoing.destroyed) outgoing.end();
}
