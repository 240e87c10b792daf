/**
 * Issue 14, item 4: every column's numbers — latency and input tokens with the cached share,
 * the summary table of all columns, live figures from the server's timings after a reload,
 * and "continue from" carrying no numbers that are not the column's own.
 */
import type { Page } from "@playwright/test";
import { formatMilliseconds, formatTokens } from "../lib/ui/metrics";
import { fakeAnswer } from "./fake-script";
import { expect, findRunId, test, uniqueToken } from "./fixtures";

interface TimedCall {
  index: number;
  status: string;
  ttftMs: number | null;
  durationMs: number | null;
  usage: { inputTokens: number | null; cacheReadTokens: number | null } | null;
}

/** The recorded run once every call has ended, with the timings the server recorded. */
async function endedRun(page: Page, runId: string): Promise<TimedCall[]> {
  let calls: TimedCall[] = [];
  await expect
    .poll(async () => {
      const response = await page.request.get(`/api/runs/${runId}`);
      calls = ((await response.json()) as { calls: TimedCall[] }).calls;
      return calls.every((call) => call.status !== "running");
    })
    .toBe(true);
  return calls;
}

/** "412 ms" or "1.20 s" as milliseconds; `null` for a dash. */
function milliseconds(text: string): number | null {
  const match = /^([\d.]+) (ms|s)$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
}

test("a column shows its latency and its input tokens with the cached share", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  const prompt = `Numbers please ${token}`;
  await compare.open({
    prompt,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
  });
  // Nothing known yet: dashes, not zeros.
  await expect(compare.metric(0, "latency")).toHaveText("—");
  await expect(compare.metric(0, "input-tokens")).toHaveText("—");
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);

  // Exactly what each fake server reported (OpenAI's prompt_tokens with cached_tokens,
  // Anthropic's input plus its cache reads and writes).
  const openai = fakeAnswer({ provider: "openai", prompt }).usage;
  const anthropic = fakeAnswer({ provider: "anthropic", prompt }).usage;
  await expect(compare.metric(0, "input-tokens")).toHaveText(
    `${formatTokens(openai.inputTokens)} (${openai.cacheReadTokens})`,
  );
  await expect(compare.metric(1, "input-tokens")).toHaveText(
    `${formatTokens(anthropic.inputTokens)} (${anthropic.cacheReadTokens})`,
  );
  await expect(compare.metric(0, "input-tokens").locator("xpath=../..")).toHaveAttribute(
    "title",
    /6 of them read from the cache/,
  );

  const calls = await endedRun(page, await findRunId(page, token));
  for (const call of calls) {
    expect(call.usage?.inputTokens).toBe(20 + prompt.split(" ").length);
    await expect(compare.metric(call.index, "latency")).toHaveText(
      formatMilliseconds(call.durationMs),
    );
    await expect(compare.metric(call.index, "ttft")).toHaveText(formatMilliseconds(call.ttftMs));
  }
});

test("the summary table lists every column and sorts by a header, unknowns last", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  const prompt = `Summary ${token}`;
  const models = [
    "openai:gpt-4o-mini",
    "demo:fast",
    "anthropic:claude-haiku-4-5",
    "ollama:fake-llama:1b",
    // Not configured in these tests: never sent, so it has no timings at all.
    "oci:cohere.command-a-03-2025",
  ];
  await compare.open({ prompt, columns: models.map((model) => ({ model })) });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok", "ok", "ok", "error"]);

  await expect(page.getByTestId("summary-table")).toHaveCount(0);
  await page.getByTestId("summary-toggle").click();
  const table = page.getByTestId("summary-table");
  const rows = table.getByTestId("summary-row");
  await expect(rows).toHaveCount(5);
  const column = (key: string) => rows.getByTestId(`summary-${key}`).allTextContents();
  expect(await column("model")).toEqual(models);
  expect(await column("status")).toEqual(["done", "done", "done", "done", "error"]);
  // The same figures as the columns' own strips.
  const openai = fakeAnswer({ provider: "openai", prompt }).usage;
  expect((await column("inputTokens"))[0]).toBe(formatTokens(openai.inputTokens));
  expect((await column("cachedInputTokens"))[0]).toBe(String(openai.cacheReadTokens));
  for (const [index, ttft] of (await column("ttftMs")).entries()) {
    await expect(compare.metric(index, "ttft")).toHaveText(ttft);
  }

  const header = (key: string) =>
    table.locator("th").filter({ has: page.getByTestId(`summary-sort-${key}`) });
  await page.getByTestId("summary-sort-model").click();
  await expect(header("model")).toHaveAttribute("aria-sort", "ascending");
  await expect(header("position")).toHaveAttribute("aria-sort", "none");
  expect(await column("model")).toEqual([...models].sort());

  await page.getByTestId("summary-sort-ttftMs").click();
  await expect(header("ttftMs")).toHaveAttribute("aria-sort", "ascending");
  const ascending = (await column("ttftMs")).map(milliseconds);
  expect(ascending.at(-1)).toBeNull();
  const known = ascending.slice(0, -1) as number[];
  expect(known.every((value) => value !== null)).toBe(true);
  expect(known).toEqual([...known].sort((a, b) => a - b));
  expect((await column("model")).at(-1)).toBe("oci:cohere.command-a-03-2025");

  await page.getByTestId("summary-sort-ttftMs").click();
  await expect(header("ttftMs")).toHaveAttribute("aria-sort", "descending");
  const descending = (await column("ttftMs")).map(milliseconds);
  // The unknown stays last whichever the direction.
  expect(descending.at(-1)).toBeNull();
  expect(descending.slice(0, -1)).toEqual([...known].reverse());

  // Folding the table and opening it again keeps its order.
  await page.getByTestId("summary-toggle").click();
  await expect(table).toHaveCount(0);
  await page.getByTestId("summary-toggle").click();
  await expect(header("ttftMs")).toHaveAttribute("aria-sort", "descending");

  // Cost: the priced and free columns by amount, the one without usage last.
  await page.getByTestId("summary-sort-costUsd").click();
  expect((await column("costUsd")).at(-1)).toBe("not sent");
  expect((await column("model")).slice(0, 2).sort()).toEqual(["demo:fast", "ollama:fake-llama:1b"]);
});

test("after a reload mid-run the live TTFT is the server's, not the time since reattaching", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `[slow] reload numbers ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "demo:slow" }],
  });
  await compare.runAll();
  await compare.waitForPartialOutput(1);
  const runId = await findRunId(page, token);
  await page.reload();
  await compare.waitForPartialOutput(1);
  // Still streaming: the figures come from the replayed events, not from call-finish.
  await expect(compare.column(0)).toHaveAttribute("data-status", "streaming");
  const liveTtft = (await compare.metric(0, "ttft").textContent()) ?? "";
  const liveRate = (await compare.metric(0, "tps").textContent()) ?? "";
  await expect(compare.column(0)).toHaveAttribute("data-status", "streaming");
  expect(liveRate).toMatch(/^\d/);

  await page.getByTestId("stop-all").click();
  await compare.expectStatuses(["cancelled", "cancelled"]);
  const [call] = await endedRun(page, runId);
  expect(call?.ttftMs).not.toBeNull();
  expect(liveTtft).toBe(formatMilliseconds(call?.ttftMs ?? null));
  await expect(compare.metric(0, "ttft")).toHaveText(liveTtft);
});

test("continue-from carries the history but leaves the other columns' numbers empty", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `Continue numbers ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  const sourceTtft = await compare.metric(0, "ttft").textContent();
  const sourceCost = await compare.metric(0, "cost").textContent();
  expect(milliseconds(sourceTtft ?? "")).not.toBeNull();

  await compare.column(0).getByTestId("continue-from").click();
  await expect(compare.column(1).getByTestId("turn-source").first()).toHaveText(
    "answered by openai:gpt-4o-mini",
  );
  for (const name of ["ttft", "latency", "tps", "input-tokens", "output-tokens", "cost"]) {
    await expect(compare.metric(1, name)).toHaveText("—");
  }
  await expect(compare.metric(1, "cache-read")).toHaveText("—");
  // The source keeps its own.
  await expect(compare.metric(0, "ttft")).toHaveText(sourceTtft ?? "");
  await expect(compare.metric(0, "cost")).toHaveText(sourceCost ?? "");

  await page.getByTestId("summary-toggle").click();
  const second = page.getByTestId("summary-row").nth(1);
  await expect(second.getByTestId("summary-status")).toHaveText("copied");
  await expect(second.getByTestId("summary-ttftMs")).toHaveText("—");
  await expect(second.getByTestId("summary-costUsd")).toHaveText("—");

  // Its own run brings its own numbers.
  await page.getByTestId("prompt-input").fill(`Next turn ${token}`);
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  await expect(compare.metric(1, "ttft")).not.toHaveText("—");
  await expect(second.getByTestId("summary-status")).toHaveText("done");
});
