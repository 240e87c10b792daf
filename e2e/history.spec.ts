import { formatUsd } from "../lib/ui/metrics";
import { answerText, FAKE_OLLAMA_MODEL } from "./fake-script";
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

  // "Open in playground" brings the same setup back with each call's answer, ready to continue.
  await page.getByTestId("open-in-playground").click();
  await expect(compare.columns()).toHaveCount(2);
  await expect(compare.column(0)).toHaveAttribute("data-model", "openai:gpt-4o-mini");
  await expect(compare.column(1)).toHaveAttribute("data-model", "demo:instant");
  await expect(compare.output(0)).toContainText("Answer from the fake openai server.");
  await expect(compare.column(0).getByTestId("turn")).toHaveCount(1);
  await expect(page.getByTestId("prompt-input")).toHaveValue("");
});

/** A request's messages as [role, text] pairs, whatever content shape the provider uses. */
function conversationOf(body: Record<string, unknown>): Array<[string, string]> {
  const messages = Array.isArray(body.messages)
    ? (body.messages as Array<{ role: string; content: unknown }>)
    : [];
  return messages.map((message) => [
    message.role,
    typeof message.content === "string"
      ? message.content
      : Array.isArray(message.content)
        ? message.content.map((block: { text?: string }) => block.text ?? "").join("")
        : "",
  ]);
}

test("a two-turn run opened in the playground shows both turns and the next prompt continues each conversation", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  const first = `First turn ${token}`;
  const earlierAnswer = `The recorded first answer ${token}`;
  const second = `Second turn ${token}`;
  const third = `Third turn ${token}`;
  // A second turn as the playground sends it: the first exchange, then the new prompt.
  const started = await page.request.post("/api/runs", {
    data: {
      messages: [
        { role: "user", content: first },
        { role: "assistant", content: earlierAnswer },
        { role: "user", content: second },
      ],
      targets: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
    },
  });
  expect(started.ok()).toBe(true);
  const runId = await findRunId(page, token);
  await recordedRun(page, runId);

  await page.goto(`/runs/${runId}`);
  await page.getByTestId("open-in-playground").click();
  await expect(compare.columns()).toHaveCount(2);
  for (const [index, provider] of (["openai", "anthropic"] as const).entries()) {
    const turns = compare.column(index).getByTestId("turn");
    await expect(turns).toHaveCount(2);
    await expect(turns.nth(0)).toContainText(first);
    await expect(turns.nth(0)).toContainText(earlierAnswer);
    await expect(turns.nth(1)).toContainText(second);
    await expect(compare.output(index)).toContainText(`Answer from the fake ${provider} server.`);
  }
  await expect(page.getByTestId("prompt-input")).toHaveValue("");

  await page.getByTestId("prompt-input").fill(third);
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  await expect(compare.column(0).getByTestId("turn")).toHaveCount(3);

  // Each provider got the whole conversation, with its own second answer and not the other's.
  for (const [provider, other] of [
    ["openai", "anthropic"],
    ["anthropic", "openai"],
  ] as const) {
    const request = (await fakes.entries(provider, token)).find((entry) => entry.prompt === third);
    expect(request, provider).toBeDefined();
    expect(conversationOf(request?.body ?? {})).toEqual([
      ["user", first],
      ["assistant", earlierAnswer],
      ["user", second],
      ["assistant", answerText({ provider, prompt: second })],
      ["user", third],
    ]);
    expect(JSON.stringify(request?.body)).not.toContain(`fake ${other} server`);
  }
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
