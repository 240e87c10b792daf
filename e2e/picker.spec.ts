/**
 * Issue 14, item 7: the model picker names the provider with every model and marks the demo's
 * models as simulated; Ollama with nothing listening on its port reads "not running at <host>",
 * which is not the same as a running Ollama with no models pulled. The Ollama fake is switched
 * per test through the fakes' `POST /__ollama-tags` (`e2e/fake-providers.ts`).
 */
import type { OllamaTagsMode } from "./fake-providers";
import { FAKE_OLLAMA_MODEL } from "./fake-script";
import { expect, test } from "./fixtures";

function fakePort(variable: string): string {
  const port = process.env[variable];
  if (!port) throw new Error(`${variable} is not set: run through playwright.config.ts`);
  return port;
}

/** Where the app's OLLAMA_HOST points (the Ollama fake), as the picker should name it. */
const OLLAMA_HOST = `http://127.0.0.1:${fakePort("FAKE_OLLAMA_PORT")}`;

/** Through the OpenAI fake: while Ollama is "down" its own port does not answer. */
async function setOllamaTags(tags: OllamaTagsMode): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${fakePort("FAKE_OPENAI_PORT")}/__ollama-tags`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tags }),
  });
  expect(response.status).toBe(200);
}

test.afterEach(async () => {
  await setOllamaTags("listed");
});

test("every model in the picker names its provider; demo models say they are simulated", async ({
  compare,
}) => {
  await compare.open({ columns: [{ model: "demo:chat" }] });
  const picker = compare.column(0).getByTestId("model-select");
  // The closed select shows only the chosen option: it carries the provider and "simulated".
  await expect
    .poll(() => picker.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text))
    .toBe("demo:chat (simulated)");
  await expect(picker.locator(`option[value="ollama:${FAKE_OLLAMA_MODEL}"]`)).toHaveCount(1);

  const options = await picker.evaluate((select: HTMLSelectElement) =>
    Array.from(select.options)
      .filter((option) => !option.disabled && option.value !== "__custom__")
      .map((option) => ({ value: option.value, text: option.text })),
  );
  const providers = new Set(options.map((option) => option.value.split(":")[0]));
  for (const provider of ["openai", "anthropic", "ollama", "demo"]) {
    expect(providers, `the picker lists ${provider} models`).toContain(provider);
  }
  for (const { value, text } of options) {
    const provider = value.slice(0, value.indexOf(":"));
    expect(text.startsWith(`${provider}:`), `"${text}" names its provider`).toBe(true);
    if (provider === "demo") expect(text).toBe(`${value} (simulated)`);
    else expect(text).toBe(value);
  }
  await expect(picker.locator("optgroup[label^='Demo']")).toHaveAttribute("label", /simulated/);

  // A model chosen from another provider is shown with its provider too.
  await picker.selectOption("openai:gpt-4o-mini");
  await expect(compare.column(0)).toHaveAttribute("data-model", "openai:gpt-4o-mini");
  expect(
    await picker.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text),
  ).toBe("openai:gpt-4o-mini");
});

test("Ollama with nothing listening on its port reads 'not running at <host>'", async ({
  page,
  compare,
}) => {
  await setOllamaTags("down");
  // Nothing answers there now: the fake's port refuses connections.
  await expect(fetch(`${OLLAMA_HOST}/api/tags`)).rejects.toThrow();

  await compare.open({ columns: [{ model: "demo:chat" }] });
  const group = compare.column(0).getByTestId("model-select").locator("optgroup[label^='Ollama']");
  await expect(group).toHaveAttribute("label", `Ollama (local) — not running at ${OLLAMA_HOST}`);
  await expect(group.locator("option")).toHaveCount(1);
  await expect(group.locator("option")).toBeDisabled();
  await expect(group.locator("option")).toHaveText(`not running at ${OLLAMA_HOST}`);

  const listing = await page.request.get("/api/models");
  const body = (await listing.json()) as {
    providers: Array<{ id: string; models: string[]; modelsError: string | null }>;
  };
  const ollama = body.providers.find((provider) => provider.id === "ollama");
  expect(ollama?.models).toEqual([]);
  expect(ollama?.modelsError).toBe(`not running at ${OLLAMA_HOST}`);
});

test("a running Ollama with no models pulled says so, not 'not running'", async ({ compare }) => {
  await setOllamaTags("empty");
  const tags = await fetch(`${OLLAMA_HOST}/api/tags`);
  expect(await tags.json()).toEqual({ models: [] });

  await compare.open({ columns: [{ model: "demo:chat" }] });
  const group = compare.column(0).getByTestId("model-select").locator("optgroup[label^='Ollama']");
  await expect(group).toHaveAttribute(
    "label",
    "Ollama (local) — no models pulled (ollama pull <model>)",
  );
  await expect(group).not.toHaveAttribute("label", /not running/);
  await expect(group.locator("option")).toHaveText("no models pulled (ollama pull <model>)");

  // Switched back, the pulled model is listed again on the next load.
  await setOllamaTags("listed");
  await compare.page.reload();
  await expect(group).toHaveAttribute("label", "Ollama (local)");
  await expect(group.locator(`option[value="ollama:${FAKE_OLLAMA_MODEL}"]`)).toHaveText(
    `ollama:${FAKE_OLLAMA_MODEL}`,
  );
});
