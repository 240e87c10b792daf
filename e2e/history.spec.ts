import { formatUsd } from "../lib/ui/metrics";
import { FAKE_OLLAMA_MODEL } from "./fake-script";
import { expect, findRunId, recordedRun, test, uniqueToken } from "./fixtures";

test("the run appears in /runs, read-only in /runs/[id], and its cost on the usage API", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  const from = new Date(Date.now() - 1_000).toISOString();
  await compare.open({
    prompt: `History check ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "demo:instant" }],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  const runId = await findRunId(page, token);
  const run = await recordedRun(page, runId);
  const openaiCall = run.calls.find((call) => call.model === "openai:gpt-4o-mini");
  const cost = openaiCall?.costUsd ?? 0;
  expect(cost).toBeGreaterThan(0);
  await expect(compare.metric(0, "cost")).toHaveText(formatUsd(cost));

  const to = new Date(Date.now() + 60_000).toISOString();
  const usage = await page.request.get(
    `/api/usage?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=model`,
  );
  expect(usage.ok()).toBe(true);
  const report = (await usage.json()) as {
    totals: { costUsd: number; calls: number };
    groups: Array<{ key: string; costUsd: number; calls: number }>;
  };
  const group = report.groups.find((candidate) => candidate.key === "openai:gpt-4o-mini");
  expect(group?.calls).toBe(1);
  expect(group?.costUsd).toBeCloseTo(cost, 12);
  expect(report.totals.costUsd).toBeCloseTo(cost, 12);

  // Newest first, searchable by prompt and by model.
  await page.goto("/runs");
  await expect(page.getByTestId("run-row").first()).toHaveAttribute("data-run-id", runId);
  await page.getByTestId("runs-search").fill(token);
  await page.getByTestId("runs-search-submit").click();
  await expect(page.getByTestId("run-row")).toHaveCount(1);
  await page.goto(`/runs?search=${encodeURIComponent("demo:instant")}`);
  await expect(page.locator(`[data-testid=run-row][data-run-id="${runId}"]`)).toHaveCount(1);

  await page
    .locator(`[data-testid=run-row][data-run-id="${runId}"]`)
    .getByTestId("run-link")
    .click();
  await expect(page.getByTestId("run-page")).toHaveAttribute("data-run-id", runId);
  await expect(page.getByTestId("run-call")).toHaveCount(2);
  await expect(page.getByTestId("run-prompt")).toHaveText(`History check ${token}`);
  await expect(page.getByTestId("run-call").first()).toContainText(
    "Answer from the fake openai server.",
  );

  // "Open in playground" brings the same setup back, ready to run again.
  await page.getByTestId("open-in-playground").click();
  await expect(page.getByTestId("prompt-input")).toHaveValue(`History check ${token}`);
  await expect(compare.columns()).toHaveCount(2);
  await expect(compare.column(0)).toHaveAttribute("data-model", "openai:gpt-4o-mini");
  await expect(compare.column(1)).toHaveAttribute("data-model", "demo:instant");
});

test("a link copied from the URL reproduces the setup", async ({ page, context, compare }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/");
  await expect(compare.columns()).toHaveCount(2);
  // The picker lists every provider, configured or not, with Ollama's models live.
  const picker = compare.column(0).getByTestId("model-select");
  await expect(picker.locator(`option[value="ollama:${FAKE_OLLAMA_MODEL}"]`)).toHaveCount(1);
  await expect(picker.locator("optgroup[label^='Demo']")).toHaveCount(1);

  await page.getByTestId("prompt-input").fill("Explain WAL mode.");
  await page.getByTestId("system-input").fill("Be brief.");
  await picker.selectOption("openai:gpt-4o-mini");
  await compare.column(0).getByTestId("column-params-toggle").click();
  await compare.column(0).getByTestId("param-temperature").fill("0.3");
  await compare.column(0).getByTestId("param-maxTokens").fill("256");
  await compare.column(0).getByTestId("param-prompt-cache").check();
  await compare.column(0).getByTestId("system-override-toggle").check();
  await compare.column(0).getByTestId("system-override").fill("Answer as a pirate.");
  await page.getByTestId("add-column").click();
  await compare.column(2).getByTestId("model-select").selectOption(`ollama:${FAKE_OLLAMA_MODEL}`);
  await compare.column(1).getByTestId("move-right").click();

  await expect(page).toHaveURL(/columns=/);
  await expect.poll(() => new URL(page.url()).searchParams.get("columns")).toContain("pirate");
  await page.getByTestId("copy-link").click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());

  const other = await context.newPage();
  await other.goto(copied);
  const columns = other.getByTestId("column");
  await expect(columns).toHaveCount(3);
  await expect(other.getByTestId("prompt-input")).toHaveValue("Explain WAL mode.");
  await expect(other.getByTestId("system-input")).toHaveValue("Be brief.");
  await expect(columns.nth(0)).toHaveAttribute("data-model", "openai:gpt-4o-mini");
  await expect(columns.nth(1)).toHaveAttribute("data-model", `ollama:${FAKE_OLLAMA_MODEL}`);
  await expect(columns.nth(2)).toHaveAttribute("data-model", "demo:fast");
  await columns.nth(0).getByTestId("column-params-toggle").click();
  await expect(columns.nth(0).getByTestId("param-temperature")).toHaveValue("0.3");
  await expect(columns.nth(0).getByTestId("param-maxTokens")).toHaveValue("256");
  await expect(columns.nth(0).getByTestId("param-prompt-cache")).toBeChecked();
  await expect(columns.nth(0).getByTestId("system-override")).toHaveValue("Answer as a pirate.");
});
