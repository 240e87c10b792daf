import type { Locator } from "@playwright/test";
import { formatUsd } from "../lib/ui/metrics";
import {
  answerText,
  FAKE_OLLAMA_MODEL,
  type FakeProvider,
  fakeAnswer,
  XSS_PAYLOAD,
} from "./fake-script";
import { expect, findRunId, recordedRun, test, uniqueToken } from "./fixtures";

const THREE_COLUMNS = [
  { model: "openai:gpt-4o-mini" },
  { model: "anthropic:claude-haiku-4-5" },
  { model: `ollama:${FAKE_OLLAMA_MODEL}` },
];
const PROVIDERS: FakeProvider[] = ["openai", "anthropic", "ollama"];

/** A count the provider did not report is shown as a dash, never as a made-up 0. */
function countText(value: number | null): string {
  return value === null ? "—" : String(value);
}

test("three columns stream in parallel and show exactly what the fake servers sent", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  const prompt = `Compare these ${token}`;
  await compare.open({ prompt, columns: THREE_COLUMNS });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok", "ok"]);

  // Parallel: every upstream request started before any of them ended.
  const entries = await Promise.all(PROVIDERS.map((provider) => fakes.entries(provider, token)));
  const calls = entries.map((list) => {
    expect(list).toHaveLength(1);
    return list[0] as NonNullable<(typeof list)[number]>;
  });
  const lastStart = Math.max(...calls.map((call) => call.startedAt));
  const firstEnd = Math.min(...calls.map((call) => call.endedAt ?? Number.POSITIVE_INFINITY));
  expect(lastStart).toBeLessThan(firstEnd);

  const runId = await findRunId(page, token);
  const run = await recordedRun(page, runId);

  await page.getByTestId("view-plain").click();
  for (const [index, provider] of PROVIDERS.entries()) {
    const expected = fakeAnswer({ provider, prompt });
    expect(await compare.output(index).getByTestId("plain-text").textContent()).toBe(
      answerText({ provider, prompt }),
    );
    await expect(compare.metric(index, "output-tokens")).toHaveText(
      String(expected.usage.outputTokens),
    );
    await expect(compare.metric(index, "output-tokens")).toHaveAttribute("data-estimated", "false");
    await expect(compare.metric(index, "cache-read")).toHaveText(
      countText(expected.usage.cacheReadTokens),
    );
    await expect(compare.metric(index, "cache-write")).toHaveText(
      countText(expected.usage.cacheWriteTokens),
    );
    await expect(compare.metric(index, "ttft")).toHaveText(/^\d+(\.\d+)? m?s$/);
    await expect(compare.metric(index, "tps")).not.toHaveText("");
    const recorded = run.calls.find((call) => call.index === index);
    expect(recorded?.usage?.outputTokens).toBe(expected.usage.outputTokens);
    if (provider === "ollama") {
      await expect(compare.metric(index, "cost")).toHaveText("free");
    } else {
      expect(recorded?.costUsd ?? 0).toBeGreaterThan(0);
      await expect(compare.metric(index, "cost")).toHaveText(formatUsd(recorded?.costUsd ?? null));
      await expect(compare.metric(index, "cost")).toHaveAttribute("data-state", "final");
    }
  }
  const total = run.calls.reduce((sum, call) => sum + (call.costUsd ?? 0), 0);
  await expect(page.getByTestId("totals-cost")).toHaveText(formatUsd(total));
  await expect(page.getByTestId("totals-state")).toHaveText("final");

  // Markdown view: the GFM table is a real table.
  await page.getByTestId("view-markdown").click();
  await expect(compare.output(0).locator("table td").first()).toHaveText("openai");
});

test("while a column streams its cost so far is estimated, then the recorded cost replaces it", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  const prompt = `[slow] cost so far ${token}`;
  await compare.open({
    prompt,
    columns: [
      { model: "openai:gpt-4o-mini" },
      // Not in the price data: unpriced from the start, never shown as $0.
      { model: "openai:fake-unpriced-model" },
      { model: `ollama:${FAKE_OLLAMA_MODEL}` },
    ],
  });
  await compare.runAll();
  await compare.waitForPartialOutput(3);
  await expect(compare.column(0)).toHaveAttribute("data-status", "streaming");
  await expect(compare.metric(0, "cost")).toHaveAttribute("data-state", "estimate");
  await expect(compare.metric(0, "cost")).toHaveText(/^≈ \$0\.\d+$/);
  await expect(compare.metric(1, "cost")).toHaveAttribute("data-state", "unpriced");
  await expect(compare.metric(1, "cost")).toHaveText("unpriced");
  await expect(compare.metric(2, "cost")).toHaveText("free");
  await expect(page.getByTestId("totals-cost")).toHaveAttribute("data-estimated", "true");
  await expect(page.getByTestId("totals-cost")).toHaveText(/^≈ \$/);

  await compare.expectStatuses(["ok", "ok", "ok"], { timeout: 30_000 });
  const run = await recordedRun(page, await findRunId(page, token));
  const [priced, unpriced, local] = [0, 1, 2].map((index) =>
    run.calls.find((call) => call.index === index),
  );
  expect(priced?.costUsd ?? 0).toBeGreaterThan(0);
  await expect(compare.metric(0, "cost")).toHaveText(formatUsd(priced?.costUsd ?? null));
  await expect(compare.metric(0, "cost")).toHaveAttribute("data-state", "final");
  expect(unpriced?.costUsd).toBeNull();
  await expect(compare.metric(1, "cost")).toHaveText("unpriced");
  expect(local?.costUsd).toBe(0);
  await expect(compare.metric(2, "cost")).toHaveText("free");
  await expect(page.getByTestId("totals-cost")).toHaveText(formatUsd(priced?.costUsd ?? null));
  await expect(page.getByTestId("totals-cost")).toHaveAttribute("data-estimated", "false");
});

test("stop all during a run: every column ends cancelled and keeps its partial output", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  const prompt = `[slow] stop me ${token}`;
  await compare.open({ prompt, columns: THREE_COLUMNS });
  await compare.runAll();
  await compare.waitForPartialOutput(3);
  await page.keyboard.press("Escape");
  await compare.expectStatuses(["cancelled", "cancelled", "cancelled"]);
  for (const [index, provider] of PROVIDERS.entries()) {
    const text = await compare.output(index).textContent();
    expect(text).toContain(`${provider}-1`);
    expect(text).not.toContain(`${provider}-60`);
    await expect(compare.column(index).getByTestId("cancelled-note")).toBeVisible();
  }
  // The upstream requests were aborted, not left running.
  for (const provider of PROVIDERS) {
    await expect
      .poll(async () => (await fakes.entries(provider, token)).every((entry) => entry.aborted))
      .toBe(true);
  }
});

test("one column's server answers 500 while the others finish normally", async ({ compare }) => {
  const token = uniqueToken();
  const prompt = `[fail-500:anthropic] ${token}`;
  await compare.open({ prompt, columns: THREE_COLUMNS });
  await compare.runAll();
  await compare.expectStatuses(["ok", "error", "ok"], { timeout: 30_000 });
  const error = compare.column(1).getByTestId("column-error");
  await expect(error).toHaveAttribute("data-error-code", "server_error");
  await expect(error.getByTestId("column-error-headline")).toHaveText("provider server error");
  await expect(compare.output(0)).toContainText("Answer from the fake openai server.");
  await expect(compare.output(2)).toContainText("Answer from the fake ollama server.");
  await expect(compare.column(0).getByTestId("column-error")).toHaveCount(0);
});

test("a reload in the middle of a run reattaches, and every column completes", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  const prompt = `[slow] reload me ${token}`;
  await compare.open({ prompt, columns: THREE_COLUMNS });
  await compare.runAll();
  await compare.waitForPartialOutput(3);
  await page.reload();
  await expect(compare.columns()).toHaveCount(3);
  await compare.expectStatuses(["ok", "ok", "ok"], { timeout: 30_000 });
  await page.getByTestId("view-plain").click();
  for (const [index, provider] of PROVIDERS.entries()) {
    expect(await compare.output(index).getByTestId("plain-text").textContent()).toBe(
      answerText({ provider, prompt }),
    );
    await expect(compare.metric(index, "output-tokens")).toHaveText(
      String(fakeAnswer({ provider, prompt }).usage.outputTokens),
    );
    // The reload did not start the calls again.
    expect(await fakes.entries(provider, token)).toHaveLength(1);
  }
});

/** How far the column's scroller is from its bottom, and how much it overflows. */
async function scrollPosition(body: Locator): Promise<{ fromBottom: number; overflow: number }> {
  return body.evaluate((element) => ({
    fromBottom: element.scrollHeight - element.scrollTop - element.clientHeight,
    overflow: element.scrollHeight - element.clientHeight,
  }));
}

test("a column follows its streaming answer until the reader scrolls up, and again once they scroll back down", async ({
  compare,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `[tall] follow ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }],
  });
  await compare.runAll();
  const body = compare.column(0).getByTestId("column-body");
  const output = compare.output(0);

  await expect.poll(async () => (await scrollPosition(body)).overflow).toBeGreaterThan(40);
  await expect.poll(async () => (await scrollPosition(body)).fromBottom).toBeLessThan(4);

  // Scrolled up: more text arrives and the reader's place stays where it was.
  await body.evaluate((element) => {
    element.scrollTop = 0;
  });
  const lengthWhenScrolledUp = ((await output.textContent()) ?? "").length;
  await expect
    .poll(async () => ((await output.textContent()) ?? "").length)
    .toBeGreaterThan(lengthWhenScrolledUp + 20);
  expect(await body.evaluate((element) => element.scrollTop)).toBe(0);

  // Back at the bottom: following resumes with the next text.
  await body.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  const overflowAtBottom = (await scrollPosition(body)).overflow;
  await expect
    .poll(async () => (await scrollPosition(body)).overflow)
    .toBeGreaterThan(overflowAtBottom + 20);
  await expect.poll(async () => (await scrollPosition(body)).fromBottom).toBeLessThan(4);
  await compare.expectStatuses(["ok"], { timeout: 30_000 });
  expect((await scrollPosition(body)).fromBottom).toBeLessThan(4);
});

test("HTML in a model's answer is shown as inert text", async ({ page, compare }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const token = uniqueToken();
  await compare.open({
    prompt: `[xss] ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  for (const view of ["markdown", "plain"] as const) {
    await page.getByTestId(`view-${view}`).click();
    for (const index of [0, 1]) {
      const output = compare.output(index);
      await expect(output).toContainText('<img src=x onerror="window.__xss=1">');
      await expect(output).toContainText("<script>window.__xss=2</script>");
      await expect(output.locator("img")).toHaveCount(0);
      await expect(output.locator("script")).toHaveCount(0);
    }
  }
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(XSS_PAYLOAD).toContain("<script>");
});
