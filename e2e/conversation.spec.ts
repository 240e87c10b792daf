import { expect, test, uniqueToken } from "./fixtures";

test("each column keeps its own history; continue-from copies one column into all", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `First turn ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);

  await page.getByTestId("prompt-input").fill(`Second turn ${token}`);
  await page.keyboard.press("Control+Enter");
  await compare.expectStatuses(["ok", "ok"]);
  await expect(compare.column(0).getByTestId("turn")).toHaveCount(2);

  const secondOpenAi = (await fakes.entries("openai", token)).find((entry) =>
    entry.prompt.startsWith("Second"),
  );
  const secondAnthropic = (await fakes.entries("anthropic", token)).find((entry) =>
    entry.prompt.startsWith("Second"),
  );
  const openAiBody = JSON.stringify(secondOpenAi?.body);
  const anthropicBody = JSON.stringify(secondAnthropic?.body);
  expect(openAiBody).toContain("Answer from the fake openai server.");
  expect(openAiBody).not.toContain("fake anthropic server");
  expect(anthropicBody).toContain("Answer from the fake anthropic server.");
  expect(anthropicBody).not.toContain("fake openai server");

  // Continue from the OpenAI column: both columns now carry its conversation.
  await compare.column(0).getByTestId("continue-from").click();
  await expect(compare.column(1).getByTestId("turn-source").first()).toHaveText(
    "answered by openai:gpt-4o-mini",
  );
  await page.getByTestId("prompt-input").fill(`Third turn ${token}`);
  await page.getByTestId("run-all").click();
  await compare.expectStatuses(["ok", "ok"]);
  const thirdAnthropic = (await fakes.entries("anthropic", token)).find((entry) =>
    entry.prompt.startsWith("Third"),
  );
  expect(JSON.stringify(thirdAnthropic?.body)).toContain("Answer from the fake openai server.");
});

test("inspect shows the exact request without keys; diff and retry work per column", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `Inspect ${token}`,
    columns: [
      { model: "openai:gpt-4o-mini", params: { temperature: 0.4, seed: 7 } },
      { model: "anthropic:claude-haiku-4-5", params: { temperature: 0.4 } },
    ],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);

  await compare.column(0).getByTestId("inspect").click();
  const dialog = page.getByTestId("inspect-dialog");
  await expect(dialog.getByTestId("inspect-request-url")).toContainText("/v1/chat/completions");
  const body = JSON.parse(
    (await dialog.getByTestId("inspect-request-body").textContent()) ?? "null",
  ) as {
    model: string;
    temperature: number;
    seed: number;
  };
  expect(body).toMatchObject({ model: "gpt-4o-mini", temperature: 0.4, seed: 7 });
  // The raw usage is the provider's own object, as the fake OpenAI server sent it. The
  // recorder may lag the stream by a moment, so wait for the refetched, settled call.
  const rawUsageBody = dialog.getByTestId("inspect-raw-usage-body");
  await expect(rawUsageBody).toContainText('"prompt_tokens"');
  const rawUsage = JSON.parse((await rawUsageBody.textContent()) ?? "null") as {
    prompt_tokens: number;
    completion_tokens: number;
  };
  expect(rawUsage.prompt_tokens).toBeGreaterThan(0);
  expect(rawUsage.completion_tokens).toBeGreaterThan(0);
  await expect(dialog).not.toContainText("sk-fake");
  await dialog.getByTestId("inspect-close").click();
  await expect(dialog).toHaveCount(0);

  // Anthropic's current API takes no temperature: it was not sent, and the column says so.
  await expect(compare.column(1).getByTestId("unsupported-note")).toContainText("temperature");
  const anthropicRequest = (await fakes.entries("anthropic", token))[0];
  expect(anthropicRequest?.body).not.toHaveProperty("temperature");

  // Diff: pin the first column; the second shows word-level changes against it.
  await compare.column(0).getByTestId("pin-baseline").click();
  const diff = compare.output(1).getByTestId("diff-view");
  await expect(diff.locator("ins").first()).toBeVisible();
  await expect(diff.locator("del").first()).toBeVisible();
  await expect(diff.locator("del").first()).toContainText("openai");
  await page.getByTestId("unpin-baseline").click();
  await expect(compare.output(1).getByTestId("diff-view")).toHaveCount(0);

  // Retry one column: only that column calls its provider again.
  await compare.column(1).getByTestId("retry").click();
  await compare.expectStatuses(["ok", "ok"]);
  await expect.poll(async () => (await fakes.entries("anthropic", token)).length).toBe(2);
  expect(await fakes.entries("openai", token)).toHaveLength(1);
  await expect(compare.column(1).getByTestId("turn")).toHaveCount(1);
});

test("tool calls and JSON-schema answers are shown as structured data", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `[tool] [json] weather ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
  });
  await page.getByText("Tools and output schema").click();
  await page
    .getByTestId("tools-input")
    .fill(
      '[{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]',
    );
  await page
    .getByTestId("schema-input")
    .fill('{"type":"object","properties":{"verdict":{"type":"string"}},"required":["verdict"]}');
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);

  const toolCall = compare.output(0).getByTestId("tool-call");
  await expect(toolCall).toHaveAttribute("data-tool-name", "get_weather");
  const argumentsText = await toolCall
    .getByTestId("tool-call-arguments")
    .locator("pre")
    .textContent();
  expect(JSON.parse(argumentsText ?? "null")).toEqual({ city: "Paris", unit: "celsius" });

  const json = compare.output(1).getByTestId("json-output");
  const jsonText = await json.locator("pre").textContent();
  expect(JSON.parse(jsonText ?? "null")).toEqual({
    provider: "anthropic",
    verdict: "fine",
    score: 7,
  });

  // Both went out with the tools, and the schema as each provider's structured-output form.
  const openAiBody = (await fakes.entries("openai", token))[0]?.body ?? {};
  expect(JSON.stringify(openAiBody.tools)).toContain("get_weather");
  expect(openAiBody).toHaveProperty("response_format");
});

test("a provider that is not configured fails in its own column and says what to set", async ({
  compare,
}) => {
  await compare.open({
    prompt: `Configured? ${uniqueToken()}`,
    columns: [{ model: "oci:cohere.command-a-03-2025" }, { model: "demo:instant" }],
  });
  await expect(compare.column(0).getByTestId("not-configured")).toBeVisible();
  await compare.runAll();
  await compare.expectStatuses(["error", "ok"]);
  const headline = compare.column(0).getByTestId("column-error-headline");
  await expect(headline).toHaveText(/^not configured: set \S+/);
  await expect(compare.output(1)).toContainText("Simulated answer");
});
