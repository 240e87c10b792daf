/**
 * Issue 14, item 5: history that reads right. Each comparison in /runs is titled by the prompt
 * it sent, with its turn; the runs one click makes are one comparison; the prompt box empties
 * once sent; "Run again" repeats a comparison as a new one; an earlier turn can be edited and
 * resent, and the turns it replaces stay reachable in /runs.
 */
import type { Page } from "@playwright/test";
import { type ComparePage, expect, test, uniqueToken } from "./fixtures";

const COLUMNS = [{ model: "demo:instant" }, { model: "demo:fast" }];

interface ListedRun {
  id: string;
  prompt: string;
  turn: number;
  comparisonId: string;
  branchedFromRunId: string | null;
  runningCalls: number;
}

/** The runs whose messages carry `token`, once none of them is still running. */
async function listedRuns(page: Page, token: string, count: number): Promise<ListedRun[]> {
  let runs: ListedRun[] = [];
  await expect
    .poll(async () => {
      const response = await page.request.get(`/api/runs?search=${encodeURIComponent(token)}`);
      runs = ((await response.json()) as { runs: ListedRun[] }).runs;
      return runs.length === count && runs.every((run) => run.runningCalls === 0);
    })
    .toBe(true);
  return runs;
}

async function twoTurns(page: Page, compare: ComparePage, token: string) {
  await compare.open({ prompt: `Write a haiku ${token}`, columns: COLUMNS });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  // Sent: the box is empty, so Run all again would not resend it as a new turn.
  await expect(page.getByTestId("prompt-input")).toHaveValue("");
  await page.getByTestId("prompt-input").fill(`Now a limerick ${token}`);
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  await expect(page.getByTestId("prompt-input")).toHaveValue("");
  for (const index of [0, 1]) {
    await expect(compare.column(index).getByTestId("turn")).toHaveCount(2);
  }
}

test("a two-turn conversation over two columns is two comparisons in /runs, each titled by its own prompt", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await twoTurns(page, compare, token);
  // Turn 1 was one run (same history); turn 2 one run per column (the answers differed).
  const runs = await listedRuns(page, token, 3);
  expect(new Set(runs.map((run) => run.comparisonId)).size).toBe(2);

  await page.goto(`/runs?search=${encodeURIComponent(token)}`);
  const rows = page.getByTestId("comparison-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByTestId("comparison-prompt")).toContainText(
    `Now a limerick ${token}`,
  );
  await expect(rows.nth(0).getByTestId("comparison-prompt")).not.toContainText("Write a haiku");
  await expect(rows.nth(0).getByTestId("comparison-turn")).toHaveText("turn 2");
  await expect(rows.nth(0).getByTestId("run-row")).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("demo:instant");
  await expect(rows.nth(0)).toContainText("demo:fast");
  await expect(rows.nth(1).getByTestId("comparison-prompt")).toContainText(
    `Write a haiku ${token}`,
  );
  await expect(rows.nth(1).getByTestId("comparison-turn")).toHaveCount(0);
  await expect(rows.nth(1).getByTestId("run-row")).toHaveCount(1);

  // Opening the comparison restores all its columns, each with its own conversation.
  await rows.nth(0).getByTestId("comparison-open").click();
  await expect(compare.columns()).toHaveCount(2);
  await expect(compare.column(0)).toHaveAttribute("data-model", "demo:instant");
  await expect(compare.column(1)).toHaveAttribute("data-model", "demo:fast");
  for (const index of [0, 1]) {
    const turns = compare.column(index).getByTestId("turn");
    await expect(turns).toHaveCount(2);
    await expect(turns.nth(1)).toContainText(`Now a limerick ${token}`);
  }
  await expect(compare.output(0)).toContainText("instant");
  await expect(compare.output(1)).toContainText("fast");
});

test("Run again repeats the comparison with the same prompt as a new comparison", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await compare.open({ prompt: `Name a colour ${token}`, columns: COLUMNS });
  await expect(page.getByTestId("run-again")).toBeDisabled();
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  await expect(page.getByTestId("prompt-input")).toHaveValue("");
  await page.getByTestId("run-again").click();
  await compare.expectStatuses(["ok", "ok"]);
  // A new sample of the same turn, not a new turn.
  for (const index of [0, 1]) {
    const turns = compare.column(index).getByTestId("turn");
    await expect(turns).toHaveCount(1);
    await expect(turns.nth(0)).toContainText(`Name a colour ${token}`);
  }

  const runs = await listedRuns(page, token, 2);
  expect(runs.map((run) => run.prompt)).toEqual([
    `Name a colour ${token}`,
    `Name a colour ${token}`,
  ]);
  expect(runs.map((run) => run.turn)).toEqual([1, 1]);
  expect(new Set(runs.map((run) => run.comparisonId)).size).toBe(2);

  await page.goto(`/runs?search=${encodeURIComponent(token)}`);
  const rows = page.getByTestId("comparison-row");
  await expect(rows).toHaveCount(2);
  for (const index of [0, 1]) {
    await expect(rows.nth(index).getByTestId("comparison-prompt")).toContainText(
      `Name a colour ${token}`,
    );
    await expect(rows.nth(index)).toContainText("demo:instant");
    await expect(rows.nth(index)).toContainText("demo:fast");
  }
});

test("editing turn 1 and resending branches: the old turn-2 runs stay reachable in /runs", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await twoTurns(page, compare, token);
  const before = await listedRuns(page, token, 3);
  const turnOneRun = before.find((run) => run.turn === 1);
  const turnTwoRuns = before.filter((run) => run.turn === 2);
  expect(turnTwoRuns).toHaveLength(2);

  const firstTurn = compare.column(0).getByTestId("turn").nth(0);
  await firstTurn.getByTestId("turn-edit-open").click();
  const editor = firstTurn.getByTestId("turn-edit");
  await expect(editor).toContainText("2 columns");
  await editor.getByTestId("turn-edit-input").fill(`Write a sonnet ${token}`);
  await editor.getByTestId("turn-resend").click();
  await compare.expectStatuses(["ok", "ok"]);
  // Both columns shared turn 1: both now hold the edited turn alone.
  for (const index of [0, 1]) {
    const turns = compare.column(index).getByTestId("turn");
    await expect(turns).toHaveCount(1);
    await expect(turns.nth(0)).toContainText(`Write a sonnet ${token}`);
    await expect(turns.nth(0).getByTestId("turn-branch-link")).toHaveAttribute(
      "href",
      `/runs/${turnOneRun?.id}`,
    );
  }

  const after = await listedRuns(page, token, 4);
  const edited = after.find((run) => run.prompt === `Write a sonnet ${token}`);
  expect(edited).toMatchObject({ turn: 1, branchedFromRunId: turnOneRun?.id });

  await page.goto(`/runs?search=${encodeURIComponent(token)}`);
  const rows = page.getByTestId("comparison-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByTestId("comparison-prompt")).toContainText(
    `Write a sonnet ${token}`,
  );
  await expect(rows.nth(0).getByTestId("comparison-branched-from")).toHaveAttribute(
    "href",
    `/runs/${turnOneRun?.id}`,
  );
  const old = rows.filter({ hasText: `Now a limerick ${token}` });
  await expect(old).toHaveCount(1);
  await expect(old.getByTestId("comparison-turn")).toHaveText("turn 2");
  // The old branch opens, read-only and in the playground.
  await old.getByTestId("run-link").first().click();
  await expect(page.getByTestId("run-prompt")).toHaveText(`Now a limerick ${token}`);
  // Its page says which turn it was and opens the whole comparison (the two columns' runs).
  await expect(page.getByTestId("run-turn")).toContainText("turn 2");
  await expect(page.getByTestId("open-comparison")).toContainText("2 runs");
  // The edited run's page links to the run it replaced.
  await page.goto(`/runs/${edited?.id}`);
  await expect(page.getByTestId("run-branched-from")).toHaveAttribute(
    "href",
    `/runs/${turnOneRun?.id}`,
  );
  await page.goto(`/runs?search=${encodeURIComponent(token)}`);
  await rows
    .filter({ hasText: `Now a limerick ${token}` })
    .getByTestId("comparison-open")
    .click();
  for (const index of [0, 1]) {
    await expect(compare.column(index).getByTestId("turn")).toHaveCount(2);
    await expect(compare.column(index).getByTestId("turn").nth(0)).toContainText(
      `Write a haiku ${token}`,
    );
  }
});
