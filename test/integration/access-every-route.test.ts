/**
 * `proxy.ts` is the one gate, for every route there is and every route added later: the routes
 * are found by walking `app/` (every `page.tsx` and `route.ts`), and each is asked, on the real
 * production server with `PLAYGROUND_TOKEN` set, without the token and cross-origin.
 *
 * The exceptions are the public paths, `/login` and `/login/submit` (whoever has no session
 * must be able to get one): reachable without the token, still refused cross-origin; the app's
 * icon (a metadata file, `app/icon.svg`), which the login page shows too and which carries no
 * data; and the
 * gateway, `/v1/*`, which a gateway key opens and nothing else (not the token), answering in
 * its client's wire format. Gateway keys travel in headers, never cookies, so the cross-origin
 * guard has nothing to protect there.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureProductionBuild,
  type ProductionServer,
  root,
  startProductionServer,
} from "@/test/support/production-server";

const TOKEN = "route-gate-test-token-0123456789";
const PUBLIC_PATHS = new Set(["/login", "/login/submit"]);
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const ROUTE_FILE = /^(page|route)\.(tsx|ts|jsx|js)$/;
/** Next's metadata files, each routed as itself (`app/icon.svg` → `/icon.svg`). */
const METADATA_FILE = /^(icon|apple-icon|favicon)\.(svg|png|ico|jpg|jpeg)$/;

interface FoundRoute {
  /** The App Router path, e.g. `/api/runs/[id]/events`. */
  route: string;
  /** A request path for it, dynamic segments filled with a placeholder. */
  path: string;
  kind: "page" | "route" | "metadata";
  /** The HTTP methods a route handler exports; a page answers GET. */
  methods: string[];
}

function walk(directory: string, segments: string[]): FoundRoute[] {
  const found: FoundRoute[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      // `_folder` is private (never routed); `(group)` adds no segment.
      if (entry.name.startsWith("_")) continue;
      const grouped = /^\(.*\)$/.test(entry.name);
      found.push(...walk(full, grouped ? segments : [...segments, entry.name]));
      continue;
    }
    if (METADATA_FILE.test(entry.name)) {
      const route = `/${[...segments, entry.name].join("/")}`;
      found.push({ route, path: route, kind: "metadata", methods: ["GET"] });
      continue;
    }
    const match = ROUTE_FILE.exec(entry.name);
    if (!match) continue;
    const kind = match[1] as "page" | "route";
    const route = `/${segments.join("/")}`;
    const methods =
      kind === "page"
        ? ["GET"]
        : [
            ...readFileSync(full, "utf8").matchAll(
              /export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b/g,
            ),
          ].map((method) => method[1] as string);
    found.push({
      route,
      path: route.replace(/\[[^\]]+\]/g, "placeholder-id"),
      kind,
      methods,
    });
  }
  return found;
}

const routes = walk(path.join(root, "app"), []);
const isGateway = (route: FoundRoute) => route.path === "/v1" || route.path.startsWith("/v1/");
const metadataFiles = routes.filter((route) => route.kind === "metadata");
const gated = routes.filter(
  (route) => !PUBLIC_PATHS.has(route.path) && !isGateway(route) && route.kind !== "metadata",
);
const gatewayRequests = routes
  .filter(isGateway)
  .flatMap((route) =>
    route.methods.map((method) => ({ ...route, method, label: `${method} ${route.route}` })),
  );
const requests = gated.flatMap((route) =>
  route.methods.map((method) => ({ ...route, method, label: `${method} ${route.route}` })),
);

let server: ProductionServer;
let gatewayKey: string;

beforeAll(async () => {
  await ensureProductionBuild();
  server = await startProductionServer({ name: "route-gate", env: { PLAYGROUND_TOKEN: TOKEN } });
  const created = await fetch(`${server.url}/api/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "route-gate" }),
  });
  expect(created.status).toBe(201);
  gatewayKey = ((await created.json()) as { key: string }).key;
}, 600_000);

afterAll(async () => {
  await server?.close();
});

function send(
  route: { path: string; kind: string },
  method: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}${route.path}`, {
    method,
    redirect: "manual",
    headers: {
      ...(route.kind === "page" ? { accept: "text/html" } : {}),
      ...(STATE_CHANGING.has(method) ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(STATE_CHANGING.has(method) ? { body: "{}" } : {}),
  });
}

describe("every route under app/", () => {
  it("is found by the walk exactly as the production build routes it", () => {
    const manifest = JSON.parse(
      readFileSync(path.join(root, ".next", "server", "app-paths-manifest.json"), "utf8"),
    ) as Record<string, string>;
    const built = Object.keys(manifest)
      .filter((entry) => !entry.startsWith("/_")) // Next's own error pages
      .map((entry) => entry.replace(/\/(page|route)$/, "") || "/")
      .sort();
    expect(routes.map((route) => route.route).sort()).toEqual(built);
    // Every route handler exports at least one method the requests below use.
    for (const route of routes) expect(route.methods, route.route).not.toHaveLength(0);
  });

  it.each(requests)("$label is refused without the token", async (route) => {
    const response = await send(route, route.method);
    if (route.kind === "page") {
      expect(response.status).toBe(307);
      const location = new URL(response.headers.get("location") ?? "", server.url);
      expect(location.pathname).toBe("/login");
      expect(location.searchParams.get("next")).toBe(route.path);
    } else {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });

  it.each(requests)("$label is let through with the token", async (route) => {
    const response = await send(route, route.method, { authorization: `Bearer ${TOKEN}` });
    await response.body?.cancel();
    expect(response.status).not.toBe(401);
    expect(response.status).not.toBe(403);
  });

  it.each(gatewayRequests)("$label opens with a gateway key only, not the token", async (route) => {
    const without: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}` }];
    for (const headers of without) {
      const refused = await send(route, route.method, headers);
      expect(refused.status).toBe(401);
      // In the client's own wire format (OpenAI's or Anthropic's), saying what opens it.
      expect(JSON.stringify(await refused.json())).toContain("a valid gateway key is required");
    }
    const opened = await send(route, route.method, { authorization: `Bearer ${gatewayKey}` });
    await opened.body?.cancel();
    expect(opened.status).not.toBe(401);
    expect(opened.status).not.toBe(403);
  });

  it("walks the gateway's routes too", () => {
    expect(gatewayRequests.map((route) => route.label)).toEqual(
      expect.arrayContaining(["POST /v1/chat/completions", "POST /v1/messages", "GET /v1/models"]),
    );
  });

  it.each(
    routes
      // A metadata file is a static GET that changes nothing: the gate does not run for it.
      .filter((route) => !isGateway(route) && route.kind !== "metadata")
      .flatMap((route) => {
        const writes = route.methods.filter((method) => STATE_CHANGING.has(method));
        return (writes.length > 0 ? writes : ["POST"]).map((method) => ({
          ...route,
          method,
          label: `${method} ${route.route}`,
        }));
      }),
  )("$label from another origin is refused, token or not", async (route) => {
    const response = await send(route, route.method, {
      authorization: `Bearer ${TOKEN}`,
      origin: "http://evil.example",
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "cross_origin" } });
  });

  it("leaves the public paths reachable without the token", async () => {
    expect(
      routes.filter((route) => PUBLIC_PATHS.has(route.path)).map((route) => route.path),
    ).toEqual(expect.arrayContaining([...PUBLIC_PATHS]));
    const login = await send({ path: "/login", kind: "page" }, "GET");
    expect(login.status).toBe(200);
    const submitted = await fetch(`${server.url}/login/submit`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "token=wrong&next=%2Fusage",
    });
    // The form's own answer (a wrong token), not the gate's.
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get("location")).toContain("error=1");
  });

  it.each(metadataFiles)("$route (a metadata file) is served without the token", async (route) => {
    const response = await fetch(`${server.url}${route.path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\//);
  });

  it("walks the app's icon", () => {
    expect(metadataFiles.map((route) => route.route)).toContain("/icon.svg");
  });
});
