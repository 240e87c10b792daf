/**
 * The streaming routes, served beside Next rather than through its router.
 *
 * Next's request pipeline takes ~4 ms on this project's machine before a route handler
 * runs, ~1.75 ms of it invoking `proxy.ts` (README, Benchmarks). That is twice the whole
 * time-to-first-token budget of a run, and at 64 concurrent runs it queues. So the production
 * server (`scripts/serve.mjs`) hands the two routes that stream a run — starting one, and
 * following one — to the same route handlers directly, after the same access check `proxy.ts`
 * makes; everything else, these paths' other methods included, goes to Next.
 *
 * `instrumentation.ts` registers the listener on `globalThis` once Next has loaded our code, so
 * the handlers are Next's own compiled modules, sharing the run manager, recorder and database
 * with the routes Next serves. Until then (and under `next dev`) Next serves these routes too.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { GET as followRun } from "@/app/api/runs/[id]/events/route";
import { POST as startRun } from "@/app/api/runs/route";
import { getServerEnvironment } from "@/lib/env";
import { checkAccess } from "@/lib/http/access";
import {
  handlerResponse,
  invalidHostResponse,
  sendWebResponse,
  urlOf,
  webRequestOf,
} from "@/lib/http/node-bridge";
import { type RoutePath, routePath } from "@/lib/http/route-path";

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

interface DirectRoute {
  method: "GET" | "POST";
  path: RoutePath;
  handler: Handler;
}

export const DIRECT_ROUTES: readonly DirectRoute[] = [
  { method: "POST", path: routePath("/api/runs"), handler: startRun },
  {
    method: "GET",
    path: routePath("/api/runs/[id]/events"),
    handler: followRun as Handler,
  },
];

/** Serves the request when it is one of ours and returns true; false leaves it to Next. */
export type DirectListener = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/**
 * The path of an origin-form request target (`/api/runs?x=1` → `/api/runs`). Every request
 * passes here, so it reads the target as sent, without building a URL from the Host header,
 * which a client may have garbled.
 */
function pathnameOf(target: string | undefined): string {
  const path = target ?? "/";
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

export function directListener(routes: readonly DirectRoute[] = DIRECT_ROUTES): DirectListener {
  return (incoming, outgoing) => {
    const method = (incoming.method ?? "GET").toUpperCase();
    const pathname = pathnameOf(incoming.url);
    for (const route of routes) {
      if (route.method !== method) continue;
      const params = route.path.match(pathname);
      if (params === null) continue;
      void respond({ route, params, incoming, outgoing });
      return true;
    }
    return false;
  };
}

/** What the route answers: refused as `proxy.ts` would refuse it, or the handler's response. */
async function answer(
  route: DirectRoute,
  params: Record<string, string>,
  request: Request,
): Promise<{ response: Response; handled: boolean }> {
  const refused = checkAccess(request, getServerEnvironment());
  if (refused) return { response: refused, handled: false };
  return { response: await handlerResponse(route.handler, request, params), handled: true };
}

async function respond(options: {
  route: DirectRoute;
  params: Record<string, string>;
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}): Promise<void> {
  const { route, params, incoming, outgoing } = options;
  const url = urlOf(incoming);
  const { response, handled } = url
    ? await answer(route, params, webRequestOf(incoming, outgoing, { url }))
    : { response: invalidHostResponse(), handled: false };
  // A body nobody will read is drained, so the connection can serve the next request.
  if (!handled) incoming.resume();
  await sendWebResponse(response, outgoing).catch(() => outgoing.destroy());
}

const REGISTRY_KEY = "__locusPlaygroundDirectRoutes";

/** Called from `instrumentation.ts`; the production server looks the listener up per request. */
export function registerDirectRoutes(): void {
  (globalThis as Record<string, unknown>)[REGISTRY_KEY] = directListener();
}
