/**
 * Serves the app's route handlers over real HTTP on 127.0.0.1, behind the real `proxy.ts`, so
 * integration tests and benchmarks drive them the way a browser or script does (status codes,
 * streaming bodies, client disconnects) without a Next build. Routing mirrors the App Router's
 * `[param]` folders; a handler gets `{ params: Promise<…> }` like in Next 16.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";

/**
 * Each route declares its own params type; `never` accepts all of them, and the harness
 * supplies `{ params }` built from the path exactly as Next does.
 */
type RouteHandler = (request: Request, context: never) => Response | Promise<Response>;
type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

export interface AppRoute {
  /** The App Router path, e.g. `/api/runs/[id]/events`. */
  path: string;
  load: () => Promise<RouteModule>;
}

/** The route handlers of the runs, models, health and login surface. */
export const DEFAULT_ROUTES: AppRoute[] = [
  { path: "/api/runs", load: () => import("@/app/api/runs/route") },
  { path: "/api/runs/[id]", load: () => import("@/app/api/runs/[id]/route") },
  { path: "/api/runs/[id]/events", load: () => import("@/app/api/runs/[id]/events/route") },
  { path: "/api/runs/[id]/cancel", load: () => import("@/app/api/runs/[id]/cancel/route") },
  { path: "/api/models", load: () => import("@/app/api/models/route") },
  { path: "/api/health", load: () => import("@/app/api/health/route") },
  { path: "/login/submit", load: () => import("@/app/login/submit/route") },
];

interface CompiledRoute {
  pattern: RegExp;
  names: string[];
  load: () => Promise<RouteModule>;
}

/**
 * Loads a route module once. Node caches `import()` too, but every call still goes through
 * the loader's resolve hooks (a worker round trip under tsx), which a benchmark would count.
 */
function once(load: () => Promise<RouteModule>): () => Promise<RouteModule> {
  let loaded: Promise<RouteModule> | null = null;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

function compile(route: AppRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const match = /^\[([^\]]+)\]$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(match[1]);
      return "([^/]+)";
    })
    .join("/");
  return { pattern: new RegExp(`^${source}/?$`), names, load: once(route.load) };
}

function toHeaders(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

async function sendResponse(response: Response, outgoing: ServerResponse): Promise<void> {
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

export interface AppServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close: () => Promise<void>;
}

export async function startAppServer(
  options: { routes?: AppRoute[]; useProxy?: boolean } = {},
): Promise<AppServer> {
  const routes = (options.routes ?? DEFAULT_ROUTES).map(compile);
  const useProxy = options.useProxy ?? true;
  const proxyModule = useProxy ? await import("@/proxy") : null;

  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "127.0.0.1"}`);
      const method = (incoming.method ?? "GET").toUpperCase();
      const headers = toHeaders(incoming);
      if (proxyModule) {
        const verdict = proxyModule.proxy(new NextRequest(url, { method, headers }));
        if (verdict.headers.get("x-middleware-next") !== "1") {
          incoming.resume();
          await sendResponse(verdict, outgoing);
          return;
        }
      }
      const route = routes.find((candidate) => candidate.pattern.test(url.pathname));
      const match = route?.pattern.exec(url.pathname);
      const handler = route ? (await route.load())[method as HttpMethod] : undefined;
      if (!route || !match || !handler) {
        incoming.resume();
        await sendResponse(
          Response.json(
            { error: { code: "not_found", message: "no such route" } },
            { status: route ? 405 : 404 },
          ),
          outgoing,
        );
        return;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? "");
      });
      const disconnect = new AbortController();
      outgoing.on("close", () => {
        if (!outgoing.writableFinished) disconnect.abort();
      });
      const hasBody = method !== "GET" && method !== "HEAD";
      const request = new Request(url, {
        method,
        headers,
        signal: disconnect.signal,
        ...(hasBody
          ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" }
          : {}),
      } as RequestInit);
      let response: Response;
      try {
        response = await handler(request, { params: Promise.resolve(params) } as never);
      } catch (error) {
        // What Next does with a handler that throws: a bare 500.
        console.error("app-server: route handler threw", error);
        response = new Response("Internal Server Error", { status: 500 });
      }
      await sendResponse(response, outgoing);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
