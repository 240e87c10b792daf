/**
 * The compare page's variables panel (a template's `{{variables}}` filled before sending; an
 * empty one blocks Run and is named) and blind mode (models hidden and shuffled into A, B, …
 * until the vote, which reveals them and moves the leaderboard).
 */
import { expect, test, uniqueToken } from "./fixtures";

test("an empty variable blocks Run and is named; filled, the prompt is sent with it", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `Capital of {{country}} in {{language}}? ${token}`,
    columns: [{ model: "demo:instant" }],
  });
  const panel = page.getByTestId("variables-panel");
  await expect(panel.getByTestId("variable-input")).toHaveCount(2);
  await expect(page.getByTestId("run-all")).toBeDisabled();
  await expect(page.getByTestId("run-blocked")).toContainText("{{country}} and {{language}}");

  await page.getByLabel("Variable country").fill("Peru");
  await expect(page.getByTestId("run-blocked")).toContainText("The variable {{language}} is empty");
  await expect(page.getByTestId("run-all")).toBeDisabled();
  // The keyboard shortcut is refused too.
  await page.keyboard.press("Control+Enter");
  await expect(compare.columns().first()).toHaveAttribute("data-status", "idle");

  await page.getByLabel("Variable language").fill("Spanish");
  await expect(page.getByTestId("run-blocked")).toHaveCount(0);
  // The values are part of the link, so a reload keeps them.
  await expect.poll(() => new URL(page.url()).searchParams.toString()).toContain("Spanish");
  await page.reload();
  await expect(page.getByLabel("Variable language")).toHaveValue("Spanish");
  await compare.runAll();
  await compare.expectStatuses(["ok"]);
  await expect(compare.column(0).getByTestId("turn")).toContainText(
    `Capital of Peru in Spanish? ${token}`,
  );
  await expect(compare.output(0)).toContainText(`Capital of Peru in Spanish? ${token}`);
  // Sent: the box is empty for the next prompt.
  await expect(page.getByTestId("prompt-input")).toHaveValue("");
});

test("blind mode hides and shuffles the models until the vote, whose reveal moves the leaderboard", async ({
  page,
  compare,
}) => {
  const board = async () =>
    (await (await page.request.get("/api/leaderboard")).json()) as Array<{
      model: string;
      votes: number;
    }>;
  const votesOf = (entries: Array<{ model: string; votes: number }>, model: string) =>
    entries.find((entry) => entry.model === model)?.votes ?? 0;
  const before = await board();

  await compare.open({
    prompt: `blind ${uniqueToken()}`,
    columns: [{ model: "demo:instant" }, { model: "demo:fast" }],
  });
  await page.getByTestId("blind-toggle").click();
  await expect(page.getByTestId("blind-toggle")).toHaveAttribute("aria-pressed", "true");
  const columns = page.getByTestId("columns");
  await expect(columns).not.toContainText("demo:");
  await expect(compare.column(0)).not.toHaveAttribute("data-model");
  await expect(compare.column(0)).toHaveAttribute("data-blind-letter", "A");
  await expect(compare.column(1)).toHaveAttribute("data-blind-letter", "B");

  await compare.runAll();
  await expect(page.getByTestId("blind-bar")).toHaveAttribute("data-state", "ready");
  // (The demo models name themselves in their answers; the page names no one.)
  for (const index of [0, 1]) {
    await expect(compare.column(index).getByTestId("blind-model")).toHaveText(
      /hidden until you vote/,
    );
    await expect(compare.column(index)).not.toHaveAttribute("data-model");
  }
  await page.getByRole("button", { name: "A is better" }).click();

  const reveal = page.getByTestId("blind-reveal");
  await expect(reveal).toContainText("You chose A.");
  const entryA = reveal.locator('[data-testid="reveal-entry"][data-letter="A"]');
  const entryB = reveal.locator('[data-testid="reveal-entry"][data-letter="B"]');
  const winner = (await entryA.getAttribute("data-model")) ?? "";
  const loser = (await entryB.getAttribute("data-model")) ?? "";
  expect([winner, loser].sort()).toEqual(["demo:fast", "demo:instant"]);
  // The column lettered A is the one the reveal names.
  await expect(compare.column(0).getByTestId("blind-model")).toHaveText(winner);

  await page.goto("/leaderboard");
  for (const model of [winner, loser]) {
    await expect(
      page.locator(
        `[data-testid="leaderboard-row"][data-model="${model}"] [data-testid="leaderboard-votes"]`,
      ),
    ).toHaveText(String(votesOf(before, model) + 1));
  }
});
