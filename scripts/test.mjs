// `npm test`: every check in order — types, lint, unit + integration (Vitest), end-to-end
// (Playwright against the production build) — then one summary line that CI can read.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, "test-results", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const steps = [];
steps.push(["typecheck", run("typecheck", npx, ["tsc", "--noEmit"])]);
steps.push(["lint", run("lint", npx, ["biome", "check", "."])]);

const vitestReport = path.join(reports, "vitest.json");
steps.push([
  "unit and integration",
  run("unit and integration tests (Vitest)", npx, [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${vitestReport}`,
  ]),
]);

const playwrightReport = path.join(reports, "playwright.json");
steps.push([
  "end-to-end",
  run("end-to-end tests (Playwright)", process.execPath, ["scripts/e2e.mjs"], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
  }),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
const vitest = readJson(vitestReport);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
const playwright = readJson(playwrightReport);
if (playwright?.stats) {
  passed += playwright.stats.expected ?? 0;
  failed += (playwright.stats.unexpected ?? 0) + (playwright.stats.flaky ?? 0);
  skipped += playwright.stats.skipped ?? 0;
}
const failedSteps = steps.filter(([, ok]) => !ok).map(([name]) => name);
if (failedSteps.length > 0) console.log(`\nfailed steps: ${failedSteps.join(", ")}`);
if (failedSteps.length > 0 && failed === 0) failed = failedSteps.length;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);
