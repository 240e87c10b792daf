/**
 * Evaluations in the app: create one from the form (estimate, confirm), watch it finish, read
 * the grid and the per-target summary, export it, compare two evaluations of the same test set
 * (a regressed row marked), and cancel then resume a slow one from its page.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { expect, test, uniqueToken } from "./fixtures";

async function json<T>(response: Awaited<ReturnType<APIRequestContext["post"]>>): Promise<T> {
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as T;
}

/** A prompt with two versions (v2 drops the word the assertion looks for) and a test set. */
async function setUp(page: Page) {
  const token = uniqueToken();
  const { promptId } = await json<{ promptId: string }>(
    await page.request.post("/api/prompts", {
      data: { name: `echo ${token}`, template: `Echo {{word}} ZEBRA ${token}` },
    }),
  );
  await json(
    await page.request.post(`/api/prompts/${promptId}/versions`, {
      data: { template: `Echo {{word}} ${token}` },
    }),
  );
  const { datasetId } = await json<{ datasetId: string }>(
    await page.request.post("/api/datasets", {
      data: {
        name: `words ${token}`,
        rows: [{ vars: { word: "ZEBRA" }, expected: "ZEBRA" }, { vars: { word: "cat" } }],
      },
    }),
  );
  return { promptId, datasetId };
}

async function waitUntilDone(page: Page, evaluationId: string): Promise<void> {
  await expect
    .poll(async () => {
      const response = await page.request.get(`/api/evaluations/${evaluationId}?limit=1`);
      return ((await response.json()) as { status: string }).status;
    })
    .toBe("done");
}

test("an evaluation is created from the form, read in the grid, exported and compared", async ({
  page,
}) => {
  const { promptId, datasetId } = await setUp(page);
  await page.goto(`/evaluations/new?promptId=${promptId}&datasetId=${datasetId}`);
  await page.getByTestId("eval-version").selectOption("1");
  await page.getByLabel("Target 1 model").fill("demo:instant");
  await page.getByLabel("Target 2 model").fill("demo:fast");
  await page.getByTestId("eval-assertion-type").selectOption("contains");
  await page.getByTestId("eval-add-assertion").click();
  await page.getByLabel("Assertion 1 text").fill("ZEBRA");

  await page.getByTestId("eval-estimate").click();
  await expect(page.getByTestId("eval-estimate-calls")).toHaveText("4 calls to the targets");
  await expect(page.getByTestId("eval-estimate-cost")).toContainText("$0");
  // A change after the estimate asks for a new one before anything starts.
  await page.getByTestId("eval-samples").fill("2");
  await expect(page.getByTestId("eval-estimate-box")).toHaveCount(0);
  await page.getByTestId("eval-samples").fill("1");
  await page.getByTestId("eval-estimate").click();
  await page.getByTestId("eval-confirm").click();

  await expect(page.getByTestId("eval-progress")).toHaveAttribute("data-status", "done");
  const firstId = new URL(page.url()).pathname.split("/").pop() as string;
  expect(firstId).not.toBe("new");
  await expect(page.getByTestId("eval-progress-label")).toHaveText("4 of 4 cells");
  await expect(page.getByTestId("eval-grid-row")).toHaveCount(2);
  await expect(page.locator('[data-testid="eval-cell"][data-verdict="pass"]')).toHaveCount(4);
  for (const model of ["demo:instant", "demo:fast"]) {
    const row = page.locator(`[data-testid="eval-summary-row"][data-model="${model}"]`);
    await expect(row.getByTestId("eval-pass-rate")).toHaveText("100%");
    await expect(row.getByTestId("eval-errors")).toHaveText("0");
  }
  await expect(page.getByTestId("eval-chart-cost")).toBeVisible();

  const csv = await page.request.get(
    (await page.getByTestId("eval-export-csv").getAttribute("href")) ?? "",
  );
  const records = parse(await csv.text()) as string[][];
  expect(records[0]?.slice(0, 6)).toEqual(["row", "target", "model", "sample", "status", "passed"]);
  expect(records.slice(1).map((record) => [record[2], record[5]])).toEqual([
    ["demo:instant", "pass"],
    ["demo:fast", "pass"],
    ["demo:instant", "pass"],
    ["demo:fast", "pass"],
  ]);

  // The second evaluation runs version 2, where the row without ZEBRA now fails.
  const second = await json<{ evaluationId: string }>(
    await page.request.post("/api/evaluations", {
      data: {
        promptId,
        version: 2,
        datasetId,
        targets: [{ model: "demo:instant" }, { model: "demo:fast" }],
        samples: 1,
        assertions: [{ type: "contains", value: "ZEBRA" }],
      },
    }),
  );
  await waitUntilDone(page, second.evaluationId);
  await page.goto(`/evaluations/${second.evaluationId}`);
  const failing = page.locator(
    '[data-testid="eval-grid-row"][data-row="1"] [data-testid="eval-cell"][data-target="0"]',
  );
  await expect(failing).toHaveAttribute("data-verdict", "fail");
  await expect(failing).toContainText("contains");
  await failing.click();
  await expect(page.getByTestId("eval-cell-detail")).toContainText("✗ contains");
  await page.keyboard.press("Escape");

  await page.getByTestId("eval-compare-select").selectOption(firstId);
  await page.getByTestId("eval-compare-link").click();
  await expect(page.getByTestId("eval-regressed-count")).toHaveText("1");
  await expect(page.getByTestId("eval-improved-count")).toHaveText("0");
  await expect(page.locator('[data-testid="eval-compare-row"][data-row="1"]')).toHaveAttribute(
    "data-change",
    "regressed",
  );
  await expect(page.locator('[data-testid="eval-compare-row"][data-row="0"]')).toHaveAttribute(
    "data-change",
    "unchanged",
  );

  // The list shows both.
  await page.goto("/evaluations");
  await expect(page.locator(`a[href="/evaluations/${firstId}"]`)).toBeVisible();
  await expect(page.locator(`a[href="/evaluations/${second.evaluationId}"]`)).toBeVisible();
});

test("a running evaluation shows its progress, is cancelled, and resumes from its page", async ({
  page,
}) => {
  const { promptId, datasetId } = await setUp(page);
  const created = await json<{ evaluationId: string }>(
    await page.request.post("/api/evaluations", {
      data: {
        promptId,
        datasetId,
        targets: [{ model: "demo:slow" }],
        samples: 3,
        assertions: [{ type: "contains", value: "ZEBRA" }],
        concurrency: 1,
      },
    }),
  );
  await page.goto(`/evaluations/${created.evaluationId}`);
  await expect(page.getByTestId("eval-progress")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("eval-progress-label")).toContainText("of 6 cells");
  await page.getByTestId("eval-cancel").click();
  await expect(page.getByTestId("eval-progress")).toHaveAttribute("data-status", "cancelled");
  await expect(page.getByTestId("eval-resume")).toBeVisible();

  await page.getByTestId("eval-resume").click();
  await expect(page.getByTestId("eval-progress")).toHaveAttribute("data-status", "running");
  // Leave nothing running for the next spec.
  await page.getByTestId("eval-cancel").click();
  await expect(page.getByTestId("eval-progress")).toHaveAttribute("data-status", "cancelled");
});

test("the grid draws only the rows in view and follows the scroll", async ({ page }) => {
  const token = uniqueToken();
  const { promptId } = await json<{ promptId: string }>(
    await page.request.post("/api/prompts", {
      data: { name: `many ${token}`, template: `Row {{n}} ${token}` },
    }),
  );
  const { datasetId } = await json<{ datasetId: string }>(
    await page.request.post("/api/datasets", {
      data: {
        name: `many ${token}`,
        rows: Array.from({ length: 400 }, (_, index) => ({ vars: { n: String(index + 1) } })),
      },
    }),
  );
  const created = await json<{ evaluationId: string }>(
    await page.request.post("/api/evaluations", {
      data: {
        promptId,
        datasetId,
        targets: [{ model: "demo:instant" }, { model: "demo:instant" }],
        samples: 1,
        assertions: [{ type: "contains", value: "Row" }],
        concurrency: 32,
      },
    }),
  );
  await waitUntilDone(page, created.evaluationId);
  await page.goto(`/evaluations/${created.evaluationId}`);
  const grid = page.getByTestId("eval-grid");
  await expect(grid).toHaveAttribute("data-rows", "400");
  await expect(page.locator('[data-testid="eval-grid-row"][data-row="0"]')).toBeVisible();
  const drawn = await page.getByTestId("eval-grid-row").count();
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(40);
  await expect(page.locator('[data-testid="eval-grid-row"][data-row="399"]')).toHaveCount(0);

  await grid.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  await expect(page.locator('[data-testid="eval-grid-row"][data-row="399"]')).toBeVisible();
  await expect(page.locator('[data-testid="eval-grid-row"][data-row="0"]')).toHaveCount(0);
  expect(await page.getByTestId("eval-grid-row").count()).toBeLessThan(40);
});
