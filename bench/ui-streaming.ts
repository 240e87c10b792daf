/**
 * `npm run bench:ui-streaming`: how smoothly the compare page renders 16 columns that each stream
 * a 2,500-token Markdown answer (headings, lists, code blocks, a table) at 150 tokens/s. Headless
 * Chromium (Debian's) on the production build, against a local fake OpenAI server. Prints:
 * - the share of the run's wall time the main thread spent in long tasks (> 50 ms, the browser's
 *   own Long Tasks API), goal ≤ 5%;
 * - the longest task, goal ≤ 50 ms;
 * - the lag from the last token sent to the last column showing it, goal ≤ 100 ms.
 * A baseline pass first streams the same answers into the same page shown as plain text, so
 * the figures of both show what the Markdown renderer adds and what the page and the browser
 * cost without it. The last line is the Markdown pass's long-task share. `BENCH_COLUMNS` and
 * `BENCH_TOKENS` change the load; `BENCH_PROFILE=<file>` writes a CPU profile of the Markdown
 * pass and `BENCH_TRACE=<file>` a Chromium trace of it (layout, paint, hit tests).
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "@/test/support/chromium";
import { startProductionServer } from "@/test/support/production-server";
import type { OutputView } from "../lib/ui/playground-state";
import { encodeSetup } from "../lib/ui/setup";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";

const COLUMNS = Number(process.env.BENCH_COLUMNS ?? 16);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 2500);
const TOKENS_PER_SECOND = 150;
const FRAME_MS = 20;
const END_MARKER = "ENDOFANSWER";

/** A long Markdown answer, cut into pieces of about four characters, as tokens are. */
function answerTokens(count: number): string[] {
  const sections: string[] = [];
  for (let section = 1; sections.join("").length < count * 4; section++) {
    sections.push(
      `## Section ${section}: write-ahead logging\n\n`,
      "SQLite's **WAL mode** appends changes to a separate log, so readers keep reading the ",
      "database file while a writer appends; a *checkpoint* later copies pages back. ",
      `See [the docs](https://sqlite.org/wal.html) and \`PRAGMA journal_mode\` (${section}).\n\n`,
      "- readers never block writers\n- one writer at a time\n- checkpoints run in the background\n\n",
      "```ts\n",
      `const db = new Database("app-${section}.db");\n`,
      'db.pragma("journal_mode = WAL");\n',
      'for (const row of db.prepare("select * from calls").iterate()) {\n  console.log(row);\n}\n',
      "```\n\n",
      "| mode | readers | writers |\n|---|---|---|\n| WAL | many | one |\n| rollback | blocked | one |\n\n",
      "```python\nimport sqlite3\nconn = sqlite3.connect('app.db')\nconn.execute('pragma journal_mode=wal')\n```\n\n",
    );
  }
  const text = sections.join("");
  const tokens: string[] = [];
  for (let offset = 0; offset < text.length && tokens.length < count - 1; offset += 4) {
    tokens.push(text.slice(offset, offset + 4));
  }
  tokens.push(` ${END_MARKER}`);
  return tokens;
}

function chunk(content: string | null, finish: string | null): string {
  return `data: ${JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 0,
    model: "gpt-4o-mini",
    choices: [
      {
        index: 0,
        delta: content === null ? {} : { content },
        finish_reason: finish,
        logprobs: null,
      },
    ],
  })}\n\n`;
}

interface FakeUpstream {
  url: string;
  /** `Date.now()` when the last stream sent its last token. */
  lastTokenAt: () => number;
  /** Forgets the last token, before the next pass. */
  reset: () => void;
  close: () => Promise<void>;
}

async function startFakeUpstream(tokens: readonly string[]): Promise<FakeUpstream> {
  let lastTokenAt = 0;
  const perFrame = Math.max(1, Math.round((TOKENS_PER_SECOND * FRAME_MS) / 1000));
  const stream = (response: ServerResponse) => {
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    response.write(chunk("", null));
    let position = 0;
    const timer = setInterval(() => {
      const piece = tokens.slice(position, position + perFrame).join("");
      position += perFrame;
      response.write(chunk(piece, null));
      if (position >= tokens.length) {
        clearInterval(timer);
        lastTokenAt = Math.max(lastTokenAt, Date.now());
        response.write(chunk(null, "stop"));
        const usage = {
          prompt_tokens: 20,
          completion_tokens: tokens.length,
          total_tokens: tokens.length + 20,
        };
        response.write(
          `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 0, model: "gpt-4o-mini", choices: [], usage })}\n\n`,
        );
        response.end("data: [DONE]\n\n");
      }
    }, FRAME_MS);
    response.on("close", () => clearInterval(timer));
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.method === "POST" && request.url?.endsWith("/chat/completions")) stream(response);
      else response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    lastTokenAt: () => lastTokenAt,
    reset: () => {
      lastTokenAt = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Installed before the page's own scripts: collects long tasks and when each column ends. */
function observePage(marker: string): void {
  const state = {
    longTasks: [] as { start: number; duration: number }[],
    seen: new Map<Element, number>(),
  };
  (window as unknown as { __bench: typeof state }).__bench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      state.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: "longtask", buffered: true });
  // Checked every 16 ms, only for the columns still streaming, and only in the answer's last
  // block, where the marker arrives: reading every column's whole text this often took a
  // quarter of the main thread and was measured with the page.
  setInterval(() => {
    for (const output of document.querySelectorAll('[data-testid="column-output"]')) {
      if (state.seen.has(output)) continue;
      const last =
        output.querySelector('[data-testid="markdown"], [data-testid="plain-text"]')
          ?.lastElementChild ?? output;
      if (last.textContent?.includes(marker)) state.seen.set(output, Date.now());
    }
  }, 16);
}

interface PassResult {
  longestMs: number;
  lagMs: number;
  sharePercent: number;
  wallMs: number;
  tasks: number[][];
}

/**
 * One run of every column, in a fresh browser context (nothing kept from an earlier pass),
 * with the answers shown in `view`.
 */
async function measurePass(options: {
  browser: Browser;
  serverUrl: string;
  upstream: FakeUpstream;
  tokens: readonly string[];
  view: OutputView;
  /** Writes the `BENCH_PROFILE` and `BENCH_TRACE` files of this pass. */
  tracing: boolean;
}): Promise<PassResult> {
  const { browser, upstream, tokens } = options;
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(observePage, END_MARKER);
    const query = encodeSetup({
      prompt: "Explain WAL mode at length.",
      system: "",
      tools: "",
      schema: "",
      columns: Array.from({ length: COLUMNS }, (_, index) => ({
        id: `column-${index + 1}`,
        model: "openai:gpt-4o-mini",
        params: {},
        system: null,
      })),
    });
    await page.goto(`${options.serverUrl}/?${query}`);
    await page
      .getByTestId("column")
      .nth(COLUMNS - 1)
      .waitFor();
    await page.getByTestId(`view-${options.view}`).click();
    // Load the lazily loaded renderer and highlighter before the clock starts.
    await page.waitForTimeout(500);
    const profiler =
      options.tracing && process.env.BENCH_PROFILE ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send("Profiler.enable");
      await profiler.send("Profiler.start");
    }
    if (options.tracing && process.env.BENCH_TRACE) {
      await browser.startTracing(page, {
        path: process.env.BENCH_TRACE,
        categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "v8"],
      });
    }
    upstream.reset();
    const startedAt = await page.evaluate(() => performance.now());
    await page.getByTestId("run-all").click();
    const streamSeconds = tokens.length / TOKENS_PER_SECOND;
    await page
      .waitForFunction(
        (count) =>
          (window as unknown as { __bench: { seen: Map<Element, number> } }).__bench.seen.size >=
          count,
        COLUMNS,
        { timeout: (streamSeconds + 60) * 1000, polling: 100 },
      )
      .catch(async (error: unknown) => {
        const statuses = await page.evaluate(() =>
          [...document.querySelectorAll('[data-testid="column"]')].map(
            (column) => `${column.getAttribute("data-status")}:${column.textContent?.length}`,
          ),
        );
        throw new Error(`not every column finished (${statuses.join(", ")})`, { cause: error });
      });
    const result = await page.evaluate((since) => {
      const state = (
        window as unknown as {
          __bench: { longTasks: { start: number; duration: number }[]; seen: Map<Element, number> };
        }
      ).__bench;
      const tasks = state.longTasks.filter((task) => task.start >= since);
      return {
        wallMs: performance.now() - since,
        longTaskMs: tasks.reduce((sum, task) => sum + task.duration, 0),
        longestMs: tasks.reduce((longest, task) => Math.max(longest, task.duration), 0),
        lastSeenAt: Math.max(...state.seen.values()),
        tasks: tasks.map((task) => [Math.round(task.start - since), Math.round(task.duration)]),
      };
    }, startedAt);
    if (profiler) {
      const { profile } = await profiler.send("Profiler.stop");
      const { writeFileSync } = await import("node:fs");
      writeFileSync(process.env.BENCH_PROFILE ?? "ui.cpuprofile", JSON.stringify(profile));
    }
    if (options.tracing && process.env.BENCH_TRACE) await browser.stopTracing();
    return {
      longestMs: result.longestMs,
      lagMs: result.lastSeenAt - upstream.lastTokenAt(),
      sharePercent: (100 * result.longTaskMs) / result.wallMs,
      wallMs: result.wallMs,
      tasks: result.tasks,
    };
  } finally {
    await context.close();
  }
}

function summarise(result: PassResult): string {
  return `longest task ${result.longestMs.toFixed(0)} ms, lag ${result.lagMs.toFixed(0)} ms, long tasks ${result.sharePercent.toFixed(1)}%`;
}

async function main(): Promise<void> {
  if (!buildIfNeeded()) throw new Error("next build failed");
  const tokens = answerTokens(TOKENS);
  const upstream = await startFakeUpstream(tokens);
  const server = await startProductionServer({
    name: "ui-streaming",
    env: { OPENAI_API_KEY: "sk-bench-fake", OPENAI_BASE_URL: upstream.url },
  });
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    const pass = (view: OutputView) =>
      measurePass({
        browser,
        serverUrl: server.url,
        upstream,
        tokens,
        view,
        tracing: view === "markdown",
      });
    // The baseline: the same page and streams with the answers shown as plain text, so what
    // the Markdown renderer costs is the difference, and what both pay is the page's and the
    // browser's.
    const plain = await pass("plain");
    const markdown = await pass("markdown");
    if (process.env.BENCH_VERBOSE) {
      console.log("plain text long tasks [start ms, duration ms]:", JSON.stringify(plain.tasks));
      console.log("Markdown long tasks [start ms, duration ms]:", JSON.stringify(markdown.tasks));
    }
    console.log(`columns: ${COLUMNS} × ${tokens.length} tokens at ${TOKENS_PER_SECOND} tokens/s`);
    console.log(`run wall time: ${(markdown.wallMs / 1000).toFixed(1)} s`);
    console.log(`baseline, plain text: ${summarise(plain)}`);
    console.log(`Markdown: ${summarise(markdown)}`);
    console.log(`longest task: ${markdown.longestMs.toFixed(0)} ms (goal ≤ 50 ms)`);
    console.log(`lag after the last token: ${markdown.lagMs.toFixed(0)} ms (goal ≤ 100 ms)`);
    console.log(`long tasks: ${markdown.sharePercent.toFixed(1)}% of wall time (goal ≤ 5%)`);
  } finally {
    await browser.close();
    server.close();
    await upstream.close();
  }
}

await main();
