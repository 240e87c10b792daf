// Builds the production app when its build directory (`.next`, or the one next.config.mjs
// names) is missing or older than the source. Shared by `npm start` (scripts/start.ts),
// `scripts/e2e.mjs`, the Playwright web server command, the tests and benches that need a build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import nextConfig from "../next.config.mjs";

const root = path.resolve(import.meta.dirname, "..");
const buildIdFile = path.join(root, nextConfig.distDir ?? ".next", "BUILD_ID");
const SOURCE_ENTRIES = [
  "app",
  "components",
  "lib",
  "public",
  "drizzle",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];

function newestModification(entry) {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry)) {
    // Tests do not change the build.
    if (/\.test\.tsx?$/.test(child)) continue;
    newest = Math.max(newest, newestModification(path.join(entry, child)));
  }
  return newest;
}

export function buildIsCurrent() {
  if (!existsSync(buildIdFile)) return false;
  const builtAt = statSync(buildIdFile).mtimeMs;
  return SOURCE_ENTRIES.every((entry) => newestModification(path.join(root, entry)) <= builtAt);
}

/**
 * Returns false when the build failed. `E2E_SKIP_BUILD=1` uses whatever build exists (CI that
 * built in an earlier step, or a tree others are still editing).
 */
export function buildIfNeeded() {
  if (process.env.E2E_SKIP_BUILD === "1" && existsSync(buildIdFile)) {
    return true;
  }
  if (buildIsCurrent()) return true;
  console.log("locus-playground: building the production app (first start or changed source)…");
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return result.status === 0;
}
