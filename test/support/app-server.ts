/**
 * Serves the app's route handlers over real HTTP on 127.0.0.1, behind the real `proxy.ts`, so
 * integration tests drive them the way a browser or script does (status codes, streaming
 * bodies, client disconnects) without a Next build; what needs Next itself uses
 * `production-server.ts`. Routing mirrors the App Router's
 * `[param]` folders; a handler gets `{ params: Promise<…> }` like in Next 16.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import {
  handlerResponse,
  headersOf,
  invalidHostResponse,
  sendWebResponse,
  urlOf,
  webRequestOf,
} from "./node-bridge";
import { type RoutePath, routePath } from "./route-path";

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

/** The route handlers of the runs, models, health, usage and login surface. */
export const DEFAULT_ROUTES: AppRoute[] = [
  { path: "/api/runs", load: () => import("@/app/api/runs/route") },
  { path: "/api/runs/[id]", load: () => import("@/app/api/runs/[id]/route") },
  { path: "/api/runs/[id]/events", load: () => import("@/app/api/runs/[id]/events/route") },
  { path: "/api/runs/[id]/cancel", load: () => import("@/app/api/runs/[id]/cancel/route") },
  { path: "/api/models", load: () => import("@/app/api/models/route") },
  { path: "/api/health", load: () => import("@/app/api/health/route") },
  { path: "/api/usage", load: () => import("@/app/api/usage/route") },
  { path: "/api/images", load: () => import("@/app/api/images/route") },
  { path: "/api/images/[imageId]", load: () => import("@/app/api/images/[imageId]/route") },
  { path: "/api/calls", load: () => import("@/app/api/calls/route") },
  { path: "/api/calls/[callId]", load: () => import("@/app/api/calls/[callId]/route") },
  {
    path: "/api/calls/[callId]/code",
    load: () => import("@/app/api/calls/[callId]/code/route"),
  },
  { path: "/login/submit", load: () => import("@/app/login/submit/route") },
];

/** The prompts, test sets and evaluations routes, for the evaluation tests and benchmark. */
export const EVALUATION_ROUTES: AppRoute[] = [
  { path: "/api/prompts", load: () => import("@/app/api/prompts/route") },
  { path: "/api/datasets", load: () => import("@/app/api/datasets/route") },
  { path: "/api/evaluations", load: () => import("@/app/api/evaluations/route") },
  {
    path: "/api/evaluations/estimate",
    load: () => import("@/app/api/evaluations/estimate/route"),
  },
  {
    path: "/api/evaluations/[evaluationId]",
    load: () => import("@/app/api/evaluations/[evaluationId]/route"),
  },
  {
    path: "/api/evaluations/[evaluationId]/events",
    load: () => import("@/app/api/evaluations/[evaluationId]/events/route"),
  },
  {
    path: "/api/evaluations/[evaluationId]/cancel",
    load: () => import("@/app/api/evaluations/[evaluationId]/cancel/route"),
  },
  {
    path: "/api/evaluations/[evaluationId]/resume",
    load: () => import("@/app/api/evaluations/[evaluationId]/resume/route"),
  },
  {
    path: "/api/evaluations/[evaluationId]/export",
    load: () => import("@/app/api/evaluations/[evaluationId]/export/route"),
  },
];

interface CompiledRoute {
  path: RoutePath;
  load: () => Promise<RouteModule>;
}

/**
 * Loads a route module once. Node caches `import()` too, but every call still goes through
 * the loader's resolve hooks (a worker round trip under tsx).
 */
function once(load: () => Promise<RouteModule>): () => Promise<RouteModule> {
  let loaded: Promise<RouteModule> | null = null;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

function matchRoute(
  routes: CompiledRoute[],
  pathname: string,
): { route: CompiledRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = route.path.match(pathname);
    if (params) return { route, params };
  }
  return null;
}

export interface AppServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close: () => Promise<void>;
}

export async function startAppServer(
  options: { routes?: AppRoute[]; useProxy?: boolean } = {},
): Promise<AppServer> {
  const routes: CompiledRoute[] = (options.routes ?? DEFAULT_ROUTES).map((route) => ({
    path: routePath(route.path),
    load: once(route.load),
  }));
  const useProxy = options.useProxy ?? true;
  const proxyModule = useProxy ? await import("@/proxy") : null;

  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const url = urlOf(incoming);
      if (!url) {
        incoming.resume();
        await sendWebResponse(invalidHostResponse(), outgoing);
        return;
      }
      const method = (incoming.method ?? "GET").toUpperCase();
      const headers = headersOf(incoming);
      if (proxyModule) {
        const verdict = proxyModule.proxy(new NextRequest(url, { method, headers }));
        if (verdict.headers.get("x-middleware-next") !== "1") {
          incoming.resume();
          await sendWebResponse(verdict, outgoing);
          return;
        }
      }
      const found = matchRoute(routes, url.pathname);
      const handler = found ? (await found.route.load())[method as HttpMethod] : undefined;
      if (!found || !handler) {
        incoming.resume();
        await sendWebResponse(
          Response.json(
            { error: { code: "not_found", message: "no such route" } },
            { status: found ? 405 : 404 },
          ),
          outgoing,
        );
        return;
      }
      const request = webRequestOf(incoming, outgoing, { url, headers });
      await sendWebResponse(
        await handlerResponse(handler as never, request, found.params),
        outgoing,
      );
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
