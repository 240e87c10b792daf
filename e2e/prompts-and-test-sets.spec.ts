/**
 * Saved prompts and test sets: save a prompt, make a version, diff them and open one in the
 * playground; import a test set, see a bad file refused with its line, edit rows; and a vote on
 * a blind run's answers changes the leaderboard.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, recordedRun, test, uniqueToken } from "./fixtures";

test("a prompt is saved, versioned, diffed and opened in the playground", async ({ page }) => {
  const name = `capitals ${uniqueToken()}`;
  await page.goto("/prompts");
  await page.getByTestId("prompt-name").fill(name);
  await page.getByTestId("prompt-system").fill("Answer in one word.");
  await page.getByTestId("prompt-template").fill("Capital of {{country}}?");
  await expect(page.getByTestId("prompt-variables")).toHaveText("Variables: country");
  await page.getByTestId("prompt-save").click();
  await expect(page.getByTestId("prompt-title")).toHaveText(name);

  await page
    .getByTestId("prompt-template")
    .fill("What is the capital of {{country}}, in {{language}}?");
  await page.getByTestId("prompt-save").click();
  await expect(page.getByTestId("prompt-version")).toHaveCount(2);
  await expect(page.getByTestId("prompt-version").first()).toContainText("v2");
  await expect(
    page.getByTestId("prompt-diff").locator('[data-diff="added"]').first(),
  ).toBeVisible();

  // A second prompt with the same name is refused, saying why.
  await page.goto("/prompts");
  await page.getByTestId("prompt-name").fill(name);
  await page.getByTestId("prompt-template").fill("x");
  await page.getByTestId("prompt-save").click();
  await expect(page.getByTestId("prompt-error")).toContainText("exists already");

  await page.getByRole("link", { name }).click();
  await page.getByTestId("open-version").first().click();
  await expect(page.getByTestId("prompt-input")).toHaveValue(
    "What is the capital of {{country}}, in {{language}}?",
  );
});

test("a test set is imported, a bad file is refused with its line, and rows are edited", async ({
  page,
}) => {
  const directory = tmpdir();
  const bad = path.join(directory, `bad-${uniqueToken()}.csv`);
  writeFileSync(bad, "city,expected\nParis,France\nRome\n");
  const good = path.join(directory, `cities-${uniqueToken()}.csv`);
  writeFileSync(good, "city,expected\nParis,France\nRome,Italy\n");

  await page.goto("/datasets");
  await page.getByTestId("dataset-file").setInputFiles(bad);
  await page.getByTestId("dataset-upload").click();
  await expect(page.getByTestId("dataset-error")).toContainText("line 3:");

  const name = `cities ${uniqueToken()}`;
  await page.getByTestId("dataset-name").fill(name);
  await page.getByTestId("dataset-file").setInputFiles(good);
  await page.getByTestId("dataset-upload").click();
  await expect(page.getByTestId("dataset-title")).toHaveText(name);
  await expect(page.getByTestId("dataset-row")).toHaveCount(2);

  await page.getByTestId("dataset-add-row").click();
  await page.getByLabel("Row 3 city").fill("Madrid");
  await page.getByLabel("Row 3 expected").fill("Spain");
  await page.getByTestId("dataset-save").click();
  await expect(page.getByTestId("dataset-status")).toHaveText("Saved");
  await page.reload();
  await expect(page.getByTestId("dataset-row")).toHaveCount(3);
  const exported = await page.request.get(
    (await page.getByTestId("dataset-export-csv").getAttribute("href")) ?? "",
  );
  expect(await exported.text()).toBe(
    "city,expected\r\nParis,France\r\nRome,Italy\r\nMadrid,Spain\r\n",
  );
});

test("a vote on a run's answers moves the leaderboard", async ({ page }) => {
  const token = uniqueToken();
  const run = await page.request.post("/api/runs", {
    data: {
      messages: [{ role: "user", content: `vote ${token}` }],
      targets: [{ model: "demo:instant" }, { model: `demo:fast` }],
    },
  });
  const runId = /"runId":"([^"]+)"/.exec(await run.text())?.[1];
  expect(runId).toBeTruthy();
  const before = await page.request.get("/api/leaderboard");
  const votesOf = (board: Array<{ model: string; votes: number }>, model: string) =>
    board.find((entry) => entry.model === model)?.votes ?? 0;
  const beforeBoard = (await before.json()) as Array<{ model: string; votes: number }>;

  // A vote is taken on a run whose answers are all recorded.
  await recordedRun(page, runId as string);
  const vote = await page.request.post("/api/votes", { data: { runId, winner: 1 } });
  expect(vote.status()).toBe(201);
  await page.goto("/leaderboard");
  await expect(
    page.locator(
      '[data-testid="leaderboard-row"][data-model="demo:fast"] [data-testid="leaderboard-votes"]',
    ),
  ).toHaveText(String(votesOf(beforeBoard, "demo:fast") + 1));
});
