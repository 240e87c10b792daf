/**
 * Every `route.ts` under `app/` answers every method it does not serve with the API's JSON
 * `405`, never Next's empty one. The routes are found on disk, so a new route is checked too.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HTTP_METHODS } from "@/lib/http/methods";

const appDirectory = path.resolve(import.meta.dirname, "../../app");

function routeFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

const routes = routeFiles(appDirectory).map((file) => path.relative(appDirectory, file));

type Handler = ((request: Request, context: unknown) => Response | Promise<Response>) & {
  methodNotAllowed?: true;
};

describe("wrong methods", () => {
  it("finds the routes", () => {
    expect(routes).toContain("api/runs/route.ts");
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  it.each(routes)("%s answers every method it lacks with a JSON 405", async (route) => {
    const module = (await import(path.join(appDirectory, route))) as Record<string, unknown>;
    const handlers = HTTP_METHODS.map((method) => ({
      method,
      handler: module[method] as Handler | undefined,
    }));
    for (const { method, handler } of handlers) {
      expect(typeof handler, `${route} exports ${method}`).toBe("function");
    }
    const served = handlers.filter(({ handler }) => !handler?.methodNotAllowed);
    const allow = served.map(({ method }) => method).join(", ");
    for (const { method, handler } of handlers) {
      if (!handler?.methodNotAllowed) continue;
      const response = await handler(new Request(`http://127.0.0.1/${route}`, { method }), {
        params: Promise.resolve({}),
      });
      expect(response.status, `${method} ${route}`).toBe(405);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("allow")).toBe(allow);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("method_not_allowed");
      expect(body.error.message).toContain(allow);
    }
    expect(served.length, `${route} serves some method`).toBeGreaterThan(0);
  });
});
