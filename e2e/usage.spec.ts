/**
 * The usage dashboard against real recorded calls: a comparison against the fake providers,
 * then `/usage` over exactly the window of that run (so other specs' calls never count),
 * its CSV export, and a price override that reaches new calls at once and old calls after
 * an explicit re-price. The override is removed (and the calls re-priced back) at the end.
 */
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { FAKE_OLLAMA_MODEL } from "./fake-script";
import { expect, findRunId, recordedRun, test, uniqueToken } from "./fixtures";

/** Used by no other spec, so its override cannot change another spec's costs. */
const OVERRIDE_MODEL = "openai:gpt-4.1-mini";
const COLUMNS = [
  { model: OVERRIDE_MODEL },
  { model: "anthropic:claude-haiku-4-5" },
  { model: `ollama:${FAKE_OLLAMA_MODEL}` },
];
const OVERRIDE = { input: 100, cacheRead: 50, output: 200 };

interface ApiCall {
  model: string;
  status: string;
  usage: {
    inputTokens: number | null;
    outputTokens: number | null;
    cacheReadTokens: number | null;
    cacheWriteTokens: number | null;
  } | null;
  costUsd: number | null;
  cost: { savingsUsd: number | null };
  pricingStatus: string | null;
  priceSource: string | null;
}

async function runCalls(page: Page, runId: string): Promise<ApiCall[]> {
  await recordedRun(page, runId);
  const response = await page.request.get(`/api/runs/${runId}`);
  return ((await response.json()) as { calls: ApiCall[] }).calls;
}

async function compareOnce(
  page: Page,
  compare: {
    open: (options: { prompt: string; columns: Array<{ model: string }> }) => Promise<void>;
    runAll: () => Promise<void>;
    expectStatuses: (statuses: string[]) => Promise<void>;
  },
  columns: Array<{ model: string }>,
): Promise<{ runId: string; calls: ApiCall[] }> {
  const token = uniqueToken();
  await compare.open({ prompt: `Usage report ${token}`, columns });
  await compare.runAll();
  await compare.expectStatuses(columns.map(() => "ok"));
  const runId = await findRunId(page, token);
  return { runId, calls: await runCalls(page, runId) };
}

function sum(calls: ApiCall[], value: (call: ApiCall) => number | null | undefined): number {
  return calls.reduce((total, call) => total + (value(call) ?? 0), 0);
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ",") {
      record.push(field);
      field = "";
    } else if (character === "\n" || (character === "\r" && text[index + 1] === "\n")) {
      if (character === "\r") index++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else {
      field += character;
    }
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return rows.map((row) =>
    Object.fromEntries(header.map((name, index) => [name, row[index] ?? ""])),
  );
}

async function totalValue(page: Page, name: string): Promise<number | null> {
  const value = await page.getByTestId(`total-${name}`).getAttribute("data-value");
  return value === null || value === "" ? null : Number(value);
}

function windowHref(from: Date, to: Date): string {
  return `/usage?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
}

function overrideCost(usage: NonNullable<ApiCall["usage"]>): number {
  const input = usage.inputTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  return (
    ((input - cacheRead) * OVERRIDE.input +
      cacheRead * OVERRIDE.cacheRead +
      (usage.outputTokens ?? 0) * OVERRIDE.output) /
    1_000_000
  );
}

test("usage totals, the CSV export and re-pricing agree with the recorded calls", async ({
  page,
  compare,
}) => {
  test.setTimeout(120_000);
  page.on("dialog", (dialog) => dialog.accept());

  // 1. A comparison, and the dashboard over exactly its window.
  const from = new Date(Date.now() - 1_000);
  const first = await compareOnce(page, compare, COLUMNS);
  const to = new Date(Date.now() + 1_000);
  expect(first.calls).toHaveLength(3);
  const priced = first.calls.filter((call) => call.pricingStatus === "priced");
  expect(priced).toHaveLength(2);

  await page.goto(windowHref(from, to));
  await expect(page.getByTestId("usage-page")).toBeVisible();
  expect(await totalValue(page, "calls")).toBe(3);
  expect(await totalValue(page, "input-tokens")).toBe(
    sum(first.calls, (call) => call.usage?.inputTokens),
  );
  expect(await totalValue(page, "output-tokens")).toBe(
    sum(first.calls, (call) => call.usage?.outputTokens),
  );
  expect(await totalValue(page, "cache-read-tokens")).toBe(
    sum(first.calls, (call) => call.usage?.cacheReadTokens),
  );
  expect(await totalValue(page, "cache-write-tokens")).toBe(
    sum(first.calls, (call) => call.usage?.cacheWriteTokens),
  );
  const expectedCost = sum(first.calls, (call) => call.costUsd);
  expect(expectedCost).toBeGreaterThan(0);
  expect(await totalValue(page, "cost")).toBeCloseTo(expectedCost, 12);
  expect(await totalValue(page, "savings")).toBeCloseTo(
    sum(first.calls, (call) => call.cost.savingsUsd),
    12,
  );
  expect(await totalValue(page, "errors")).toBe(0);
  expect(await totalValue(page, "unpriced")).toBe(0);
  await expect(page.getByTestId("unpriced-banner")).toHaveCount(0);
  await expect(page.getByTestId("model-row")).toHaveCount(3);
  const modelCost = await page
    .locator(`[data-testid=model-row][data-model="${OVERRIDE_MODEL}"] [data-testid=cost-cell]`)
    .getAttribute("data-value");
  expect(Number(modelCost)).toBeCloseTo(first.calls[0]?.costUsd ?? Number.NaN, 12);
  // The charts load in their own chunk, after the figures.
  await expect(page.getByTestId("chart-cost-per-day")).toBeVisible();

  // The most expensive runs link to the run.
  await page.getByTestId("top-run").first().getByTestId("top-run-link").click();
  await expect(page).toHaveURL(new RegExp(`/runs/${first.runId}$`));
  await page.goBack();

  // A provider filter narrows every figure.
  await page.goto(`${windowHref(from, to)}&provider=anthropic`);
  expect(await totalValue(page, "calls")).toBe(1);
  expect(await totalValue(page, "cost")).toBeCloseTo(first.calls[1]?.costUsd ?? Number.NaN, 12);

  // 2. The CSV of the same window parses to the same totals.
  await page.goto(windowHref(from, to));
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("usage-export").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^usage-.*\.csv$/);
  const rows = parseCsv(readFileSync(await download.path(), "utf8"));
  expect(rows).toHaveLength(3);
  const csvSum = (column: string) =>
    rows.reduce((total, row) => total + (row[column] === "" ? 0 : Number(row[column])), 0);
  expect(csvSum("input_tokens")).toBe(await totalValue(page, "input-tokens"));
  expect(csvSum("output_tokens")).toBe(await totalValue(page, "output-tokens"));
  expect(csvSum("cache_read_tokens")).toBe(await totalValue(page, "cache-read-tokens"));
  expect(csvSum("cost_usd")).toBeCloseTo((await totalValue(page, "cost")) ?? Number.NaN, 12);
  expect(csvSum("savings_usd")).toBeCloseTo((await totalValue(page, "savings")) ?? Number.NaN, 12);
  expect(rows.map((row) => row.status)).toEqual(["ok", "ok", "ok"]);
  // Ollama reports no cache counts: an empty field, not 0.
  expect(rows.find((row) => row.provider === "ollama")?.cache_read_tokens).toBe("");

  // 3. A price override, entered in the prices page, prices new calls at once…
  await page.goto(`/settings/prices?model=${encodeURIComponent(OVERRIDE_MODEL)}`);
  await page.getByTestId("override-inputPerMillion").fill(String(OVERRIDE.input));
  await page.getByTestId("override-outputPerMillion").fill(String(OVERRIDE.output));
  await page.getByTestId("override-cacheReadPerMillion").fill(String(OVERRIDE.cacheRead));
  await page.getByTestId("override-cacheWritePerMillion").fill("");
  await page.getByTestId("override-save").click();
  const overrideRow = page.locator(`[data-testid=override-row][data-model="${OVERRIDE_MODEL}"]`);
  await expect(overrideRow).toHaveCount(1);
  await expect(
    page.locator(`[data-testid=price-row][data-model="${OVERRIDE_MODEL}"]`),
  ).toHaveAttribute("data-source", "override");

  const second = await compareOnce(page, compare, [{ model: OVERRIDE_MODEL }]);
  const newCall = second.calls[0] as ApiCall;
  expect(newCall.priceSource).toMatch(/^override:/);
  expect(newCall.costUsd).toBeCloseTo(
    overrideCost(newCall.usage as NonNullable<ApiCall["usage"]>),
    12,
  );

  // …while the recorded call keeps its cost until re-priced.
  const before = (await runCalls(page, first.runId))[0] as ApiCall;
  expect(before.costUsd).toBe(first.calls[0]?.costUsd);

  // 4. Re-price: a preview first, then the action, with before and after totals.
  await page.goto("/settings/prices");
  await page.getByTestId("reprice-model").selectOption(OVERRIDE_MODEL);
  await page.getByTestId("reprice-preview").click();
  const result = page.getByTestId("reprice-result");
  await expect(result).toHaveAttribute("data-dry-run", "true");
  await expect(result).toHaveAttribute("data-changed-calls", "1");
  expect(((await runCalls(page, first.runId))[0] as ApiCall).costUsd).toBe(before.costUsd);
  await page.getByTestId("reprice-apply").click();
  await expect(result).toHaveAttribute("data-dry-run", "false");
  await expect(result).toHaveAttribute("data-changed-calls", "1");
  const costRow = result.getByTestId("reprice-row").first();
  const repricedOld = overrideCost(before.usage as NonNullable<ApiCall["usage"]>);
  expect(Number(await costRow.getByTestId("reprice-after").getAttribute("data-value"))).toBeCloseTo(
    Number(await costRow.getByTestId("reprice-before").getAttribute("data-value")) -
      (before.costUsd ?? 0) +
      repricedOld,
    12,
  );

  const after = (await runCalls(page, first.runId))[0] as ApiCall;
  expect(after.priceSource).toMatch(/^override:/);
  expect(after.costUsd).toBeCloseTo(repricedOld, 12);

  // The dashboard follows: the old window's cost now includes the re-priced call.
  await page.goto(windowHref(from, to));
  expect(await totalValue(page, "cost")).toBeCloseTo(
    repricedOld + sum(first.calls.slice(1), (call) => call.costUsd),
    12,
  );

  // 5. Clean up: remove the override and return the calls to the bundled price.
  await page.goto("/settings/prices");
  await overrideRow.getByTestId("override-remove").click();
  await expect(overrideRow).toHaveCount(0);
  const restore = await page.request.post("/api/prices/reprice", {
    data: {
      from: from.toISOString(),
      to: new Date(Date.now() + 1_000).toISOString(),
      model: OVERRIDE_MODEL,
    },
  });
  expect(restore.ok()).toBe(true);
  expect(((await runCalls(page, first.runId))[0] as ApiCall).costUsd).toBeCloseTo(
    first.calls[0]?.costUsd ?? Number.NaN,
    12,
  );
});

test("a range without calls shows zeros and no charts, and a bad range says so", async ({
  page,
}) => {
  await page.goto("/usage?from=2001-01-01&to=2001-01-31");
  await expect(page.getByTestId("usage-range-label")).toHaveText("2001-01-01 to 2001-01-31");
  expect(await totalValue(page, "calls")).toBe(0);
  await expect(page.getByTestId("usage-empty")).toBeVisible();
  await expect(page.getByTestId("usage-charts")).toHaveCount(0);

  await page.goto("/usage?range=custom&from=2001-02-10&to=2001-02-01");
  await expect(page.getByTestId("usage-range-error")).toContainText("ends before it starts");
  await expect(page.getByTestId("range-30d")).toHaveAttribute("aria-current", "true");
});
