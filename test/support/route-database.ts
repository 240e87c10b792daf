/**
 * A throwaway database for route handler tests: points `DATABASE_URL` at a temporary file and
 * reloads the server environment, so `getDb()` opens (and migrates) it on first use.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { closeDatabase, getDb } from "@/lib/db/client";
import { reloadServerEnvironment } from "@/lib/env";

export function openRouteDatabase(name: string): { cleanup: () => void } {
  const directory = mkdtempSync(path.join(tmpdir(), `locus-${name}-`));
  process.env.DATABASE_URL = `file:${path.join(directory, "playground.db")}`;
  reloadServerEnvironment();
  return {
    cleanup: () => {
      closeDatabase(getDb());
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export function jsonRequest(url: string, body: unknown, method = "POST"): Request {
  return new Request(`http://127.0.0.1${url}`, {
    method,
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function routeContext<T extends Record<string, string>>(params: T): { params: Promise<T> } {
  return { params: Promise.resolve(params) };
}
