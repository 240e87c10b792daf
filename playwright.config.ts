/**
 * End-to-end tests: the production build against local fake providers (OpenAI, Anthropic and
 * Ollama wire formats, `e2e/fake-providers.ts`) and the demo provider, with a throwaway
 * database. `npm run test:e2e` (scripts/e2e.mjs) builds, starts the fakes and runs this; run
 * alone (`npx playwright test`) the config starts the fakes itself.
 *
 * Two app servers run the same build: one open, one behind `PLAYGROUND_TOKEN` (the login flow).
 * Ports and the databases are chosen once, in the runner process, and handed to the workers
 * through the environment (workers evaluate this file again and must agree on them).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "./test/support/chromium";

function freePorts(count: number): number[] {
  const script = `const net=require("node:net");const ports=[];const servers=[];for(let i=0;i<${count};i++){const s=net.createServer();servers.push(s);s.listen(0,"127.0.0.1",()=>{ports.push(s.address().port);if(ports.length===${count}){process.stdout.write(JSON.stringify(ports));for(const x of servers)x.close();}});}`;
  return JSON.parse(
    execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }),
  ) as number[];
}

const PORT_VARIABLES = [
  "E2E_APP_PORT",
  "E2E_TOKEN_APP_PORT",
  "FAKE_OPENAI_PORT",
  "FAKE_ANTHROPIC_PORT",
  "FAKE_OLLAMA_PORT",
];
const missing = PORT_VARIABLES.filter((name) => !process.env[name]);
if (missing.length > 0) {
  const ports = freePorts(missing.length);
  missing.forEach((name, index) => {
    process.env[name] = String(ports[index]);
  });
}
if (!process.env.E2E_DATABASE_URL) {
  const directory = mkdtempSync(path.join(tmpdir(), "locus-e2e-"));
  process.env.E2E_DATABASE_URL = `file:${path.join(directory, "playground.db")}`;
  process.env.E2E_TOKEN_DATABASE_URL = `file:${path.join(directory, "protected.db")}`;
}
// A throwaway test value, the same in every worker: `e2e/login.spec.ts` logs in with it.
process.env.E2E_PLAYGROUND_TOKEN ??= "e2e-playground-token-0123456789";

const appPort = Number(process.env.E2E_APP_PORT);
const fakeUrl = (name: string) => `http://127.0.0.1:${process.env[name]}`;
const FAKE_URLS = {
  openai: fakeUrl("FAKE_OPENAI_PORT"),
  anthropic: fakeUrl("FAKE_ANTHROPIC_PORT"),
  ollama: fakeUrl("FAKE_OLLAMA_PORT"),
};
const baseURL = `http://127.0.0.1:${appPort}`;

const fakesServer = {
  command: "node node_modules/tsx/dist/cli.mjs e2e/fake-providers.ts",
  url: `${FAKE_URLS.openai}/__health`,
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: "ignore" as const,
  stderr: "pipe" as const,
};

const appServer = {
  command: "node e2e/serve-app.mjs",
  url: `${baseURL}/api/health`,
  reuseExistingServer: false,
  // A first `next build` on two cores takes minutes.
  timeout: 600_000,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  env: {
    PORT: String(appPort),
    HOSTNAME: "127.0.0.1",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
    OPENAI_API_KEY: "sk-fake-e2e-openai",
    OPENAI_BASE_URL: `${FAKE_URLS.openai}/v1`,
    ANTHROPIC_API_KEY: "sk-ant-fake-e2e",
    ANTHROPIC_BASE_URL: FAKE_URLS.anthropic,
    OLLAMA_HOST: FAKE_URLS.ollama,
    // Nothing may reach a real provider, and no login gate in tests.
    OCI_CONFIG_FILE: "/nonexistent/locus-e2e-oci-config",
    OCI_AUTH_TYPE: "",
    PLAYGROUND_TOKEN: "",
  },
};

/** The same build behind `PLAYGROUND_TOKEN`, with its own database, for the login flow. */
const tokenAppPort = Number(process.env.E2E_TOKEN_APP_PORT);
const protectedAppServer = {
  ...appServer,
  url: `http://127.0.0.1:${tokenAppPort}/login`,
  env: {
    ...appServer.env,
    PORT: String(tokenAppPort),
    DATABASE_URL: process.env.E2E_TOKEN_DATABASE_URL ?? "",
    PLAYGROUND_TOKEN: process.env.E2E_PLAYGROUND_TOKEN ?? "",
  },
};

export default defineConfig({
  testDir: "./e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results/e2e",
  // One app, one set of fakes and one database: tests run one at a time, each independent.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  // Started one after another, so only the first builds when the build is stale.
  webServer:
    process.env.E2E_FAKES_EXTERNAL === "1"
      ? [appServer, protectedAppServer]
      : [fakesServer, appServer, protectedAppServer],
});
