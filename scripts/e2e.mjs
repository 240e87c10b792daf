// `npm run test:e2e`: build the production app if needed, start the fake providers, then run
// Playwright (which serves the build against them). Extra arguments go to `playwright test`.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfNeeded } from "./build-if-needed.mjs";

const root = path.resolve(import.meta.dirname, "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";

if (!buildIfNeeded()) {
  console.error("e2e: next build failed");
  process.exit(1);
}

const fakes = spawn(
  process.execPath,
  [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "e2e/fake-providers.ts"],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: process.env },
);

const urls = await new Promise((resolve, reject) => {
  let output = "";
  const timer = setTimeout(() => reject(new Error("the fake providers did not start")), 30_000);
  fakes.stdout.on("data", (chunk) => {
    output += chunk.toString();
    const match = /FAKE_PROVIDERS_READY (\{.*\})/.exec(output);
    if (match) {
      clearTimeout(timer);
      resolve(JSON.parse(match[1]));
    }
  });
  fakes.on("exit", (code) => reject(new Error(`the fake providers exited (${code})`)));
}).catch((error) => {
  console.error(`e2e: ${error.message}`);
  fakes.kill("SIGTERM");
  process.exit(1);
});

const portOf = (url) => new URL(url).port;
const playwright = spawn(
  process.execPath,
  [
    path.join(root, "node_modules", "@playwright", "test", "cli.js"),
    "test",
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      E2E_FAKES_EXTERNAL: "1",
      FAKE_OPENAI_PORT: portOf(urls.openai),
      FAKE_ANTHROPIC_PORT: portOf(urls.anthropic),
      FAKE_OLLAMA_PORT: portOf(urls.ollama),
    },
  },
);

const stop = (signal) => playwright.kill(signal);
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

playwright.on("exit", (code) => {
  fakes.kill("SIGTERM");
  process.exit(code ?? 1);
});
