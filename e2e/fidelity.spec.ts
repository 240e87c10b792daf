/**
 * Calls at full fidelity in the production build: images attached to the prompt reach each
 * provider in its own format, reasoning is shown folded above the answer, the Inspect dialog's
 * curl makes the same request again, and code blocks are highlighted in both themes.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import { TINY_GIF, TINY_PNG } from "../test/support/images";
import { answerText, FAKE_OLLAMA_MODEL } from "./fake-script";
import { expect, findRunId, recordedRun, test, uniqueToken } from "./fixtures";

const run = promisify(execFile);

const PNG_BASE64 = Buffer.from(TINY_PNG).toString("base64");
const PNG_ID = createHash("sha256").update(TINY_PNG).digest("hex");
const GIF_ID = createHash("sha256").update(TINY_GIF).digest("hex");

/**
 * Drops (or pastes) one file into the prompt the way the browser hands it over; says whether
 * the page cancelled the browser's own handling (for a drop, opening the file in the tab).
 */
async function handOver(
  page: Page,
  how: "drop" | "paste",
  file: { name: string; type: string; bytes: Uint8Array },
  dropTarget = "prompt-drop",
): Promise<boolean> {
  return page.evaluate(
    ({ how, name, type, base64, dropTarget }) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      if (how === "drop") {
        const target = document.querySelector(`[data-testid="${dropTarget}"]`);
        target?.dispatchEvent(
          new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
        return !target?.dispatchEvent(
          new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
      return !document.querySelector('[data-testid="prompt-input"]')?.dispatchEvent(
        new ClipboardEvent("paste", {
          clipboardData: transfer,
          bubbles: true,
          cancelable: true,
        }),
      );
    },
    {
      how,
      name: file.name,
      type: file.type,
      base64: Buffer.from(file.bytes).toString("base64"),
      dropTarget,
    },
  );
}

type Json = Record<string, unknown>;

function lastUser(body: Json): Json {
  const messages = (body.messages as Json[]).filter((message) => message.role === "user");
  return messages[messages.length - 1] as Json;
}

test("an attached image is uploaded once and reaches each provider in its own format", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  const prompt = `What is in this picture? ${token}`;
  await compare.open({
    prompt,
    columns: [
      { model: "openai:gpt-4o-mini" },
      { model: "anthropic:claude-haiku-4-5" },
      { model: `ollama:${FAKE_OLLAMA_MODEL}` },
      // Known to take text only: it fails on its own, before any upstream call.
      { model: "openai:o3-mini" },
    ],
  });
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/images") {
      uploads.push(request.headers()["content-type"] ?? "");
    }
  });

  // Refused before any upload, with the file named.
  await page.getByTestId("attach-image-input").setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("not an image"),
  });
  await expect(page.getByTestId("attachment-problem")).toHaveText(
    "notes.txt is text/plain: only PNG, JPEG, WebP and GIF images can be attached.",
  );
  await page.getByTestId("attach-image-input").setInputFiles({
    name: "huge.png",
    mimeType: "image/png",
    buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
  });
  await expect(page.getByTestId("attachment-problem")).toHaveText(
    "huge.png is 5.0 MiB: an image may be at most 5 MiB.",
  );
  expect(uploads).toEqual([]);

  // Picked, dropped and pasted: each becomes a thumbnail; the same bytes attach once.
  await page.getByTestId("attach-image-input").setInputFiles({
    name: "pixel.png",
    mimeType: "image/png",
    buffer: Buffer.from(TINY_PNG),
  });
  await expect(page.getByTestId("attachment")).toHaveCount(1);
  await expect(page.getByTestId("attachment-problem")).toHaveCount(0);
  expect(
    await handOver(page, "drop", { name: "dot.gif", type: "image/gif", bytes: TINY_GIF }),
  ).toBe(true);
  await expect(page.getByTestId("attachment")).toHaveCount(2);
  // An image alone pastes no text into the box.
  expect(
    await handOver(page, "paste", { name: "image.png", type: "image/png", bytes: TINY_PNG }),
  ).toBe(true);
  await expect.poll(() => uploads.length).toBe(3);
  await expect(page.getByTestId("attachment")).toHaveCount(2);
  expect(uploads).toEqual(["image/png", "image/gif", "image/png"]);
  const thumbnail = page.getByTestId("attachment").first().locator("img");
  await expect
    .poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth))
    .toBe(1);

  // Removed from the prompt: only the PNG is sent.
  await page
    .locator(`[data-testid="attachment"][data-image-id="${GIF_ID}"]`)
    .getByTestId("remove-attachment")
    .click();
  await expect(page.getByTestId("attachment")).toHaveCount(1);
  await expect(page.getByTestId("attachment")).toHaveAttribute("data-image-id", PNG_ID);

  // Dropped beside the box, it is attached too, and the browser is kept from opening the file.
  expect(
    await handOver(
      page,
      "drop",
      { name: "dot.gif", type: "image/gif", bytes: TINY_GIF },
      "columns",
    ),
  ).toBe(true);
  await expect(page.getByTestId("attachment")).toHaveCount(2);
  await expect(page.getByTestId("playground")).toBeVisible();
  await page
    .locator(`[data-testid="attachment"][data-image-id="${GIF_ID}"]`)
    .getByTestId("remove-attachment")
    .click();
  await expect(page.getByTestId("attachment")).toHaveCount(1);

  await compare.runAll();
  await compare.expectStatuses(["ok", "ok", "ok", "error"]);
  await expect(compare.column(3).getByTestId("column-error")).toHaveAttribute(
    "data-error-code",
    "unsupported_input",
  );
  await expect(compare.column(3).getByTestId("column-error-headline")).toHaveText(
    "this model does not take this input",
  );

  const [openai] = await fakes.entries("openai", token);
  expect(openai?.model).toBe("gpt-4o-mini");
  expect((await fakes.entries("openai", token)).map((entry) => entry.model)).toEqual([
    "gpt-4o-mini",
  ]);
  expect(lastUser(openai?.body ?? {}).content).toEqual([
    { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
    { type: "text", text: prompt },
  ]);
  const [anthropic] = await fakes.entries("anthropic", token);
  expect(lastUser(anthropic?.body ?? {}).content).toEqual([
    { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
    { type: "text", text: prompt },
  ]);
  const [ollama] = await fakes.entries("ollama", token);
  expect(lastUser(ollama?.body ?? {})).toMatchObject({ content: prompt, images: [PNG_BASE64] });

  // The column's history shows the image with the prompt; so does the recorded run's page.
  const shown = compare.column(0).getByTestId("turn-image");
  await expect(shown).toHaveAttribute("data-image-id", PNG_ID);
  await expect.poll(() => shown.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);

  const runId = await findRunId(page, token);
  await recordedRun(page, runId);
  await page.goto(`/runs/${runId}`);
  const recorded = page.getByTestId("run-prompt-images").getByTestId("turn-image");
  await expect(recorded).toHaveAttribute("data-image-id", PNG_ID);
  await expect
    .poll(() => recorded.evaluate((image: HTMLImageElement) => image.naturalWidth))
    .toBe(1);
  await expect(page.getByTestId("run-prompt")).toHaveText(prompt);
});

test("reasoning streams folded above the answer, with its token count, and opens", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `[reasoning] ${token}`,
    columns: [
      { model: "openai:gpt-4o-mini" },
      { model: "anthropic:claude-haiku-4-5" },
      { model: `ollama:${FAKE_OLLAMA_MODEL}` },
    ],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok", "ok"]);

  // From the recorded reasoning streams (e2e/fake-script.ts, REASONING_FIXTURES).
  const expected = [
    { reasoning: "Six times seven is forty-two.", answer: "42", tokens: "1,150 tokens" },
    {
      reasoning: "The user wants 27 * 453. 27 * 453 = 12231.",
      answer: "27 × 453 = 12,231.",
      tokens: null,
    },
    { reasoning: "Seven times six is 42.", answer: "42", tokens: null },
  ];
  for (const [index, want] of expected.entries()) {
    const output = compare.output(index);
    const reasoning = output.getByTestId("reasoning");
    await expect(output.getByTestId("markdown")).toHaveText(want.answer);
    // Folded: above the answer, its text hidden until opened.
    await expect(reasoning).not.toHaveAttribute("open");
    await expect(reasoning.getByTestId("reasoning-text")).toBeHidden();
    const reasoningBox = await reasoning.boundingBox();
    const answerBox = await output.getByTestId("markdown").boundingBox();
    expect((reasoningBox?.y ?? 0) < (answerBox?.y ?? 0)).toBe(true);
    if (want.tokens)
      await expect(reasoning.getByTestId("reasoning-tokens")).toHaveText(` · ${want.tokens}`);
    await reasoning.locator("summary").click();
    await expect(reasoning.getByTestId("reasoning-text")).toBeVisible();
    await expect(reasoning.getByTestId("reasoning-text")).toHaveText(want.reasoning);
    await reasoning.locator("summary").click();
    await expect(reasoning.getByTestId("reasoning-text")).toBeHidden();
  }

  // Recorded with the call: the run's page shows it folded too.
  const runId = await findRunId(page, token);
  await recordedRun(page, runId);
  await page.goto(`/runs/${runId}`);
  const first = page.getByTestId("run-call").first().getByTestId("reasoning");
  await expect(first).not.toHaveAttribute("open");
  await first.locator("summary").click();
  await expect(first.getByTestId("reasoning-text")).toHaveText(expected[0]?.reasoning ?? "");
});

interface ShellResult {
  stdout: string;
}

/** The streamed text of an OpenAI or Anthropic SSE answer. */
function streamedText(sse: string): string {
  let text = "";
  for (const line of sse.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    const data = JSON.parse(line.slice("data: ".length)) as Json;
    const choice = (data.choices as Json[] | undefined)?.[0];
    const delta = (choice?.delta ?? data.delta) as Json | undefined;
    if (typeof delta?.content === "string") text += delta.content;
    if (typeof delta?.text === "string") text += delta.text;
  }
  return text;
}

test("the Code tab's curl, run against the fake upstream, returns the same answer", async ({
  page,
  compare,
  fakes,
}) => {
  const token = uniqueToken();
  const prompt = `Reproduce me ${token}`;
  await compare.open({
    prompt,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  await page.getByTestId("view-plain").click();

  for (const [index, provider] of (["openai", "anthropic"] as const).entries()) {
    const shownAnswer = await compare.output(index).getByTestId("plain-text").textContent();
    expect(shownAnswer).toBe(answerText({ provider, prompt }));
    await compare.column(index).getByTestId("inspect").click();
    const dialog = page.getByTestId("inspect-dialog");
    await expect(dialog.getByTestId("inspect-cost-parts")).toBeVisible();
    await expect(dialog.getByTestId("inspect-timings")).toBeVisible();
    await dialog.getByTestId("inspect-tab-code").click();
    await dialog.getByTestId("inspect-code-curl").click();
    const code = dialog.locator('[data-testid="inspect-code-text"][data-language="curl"]');
    await expect(code).toContainText("curl");
    const script = (await code.textContent()) ?? "";
    // Keys are variable references, never values.
    expect(script).not.toContain("sk-");
    const { stdout } = (await run("sh", ["-c", script], {
      env: {
        ...process.env,
        OPENAI_API_KEY: "sk-fake-e2e-openai",
        ANTHROPIC_API_KEY: "sk-ant-fake-e2e",
      },
    })) as ShellResult;
    expect(streamedText(stdout)).toBe(shownAnswer);

    // The fake was sent the very request the app sent.
    const entries = await fakes.entries(provider, token);
    expect(entries).toHaveLength(2);
    expect(entries[1]?.body).toEqual(entries[0]?.body);
    await dialog.getByTestId("inspect-close").click();
    await expect(dialog).toHaveCount(0);
  }
});

/** The colour of the code block's first token that reads `text`. */
async function tokenColour(page: Page, text: string): Promise<string> {
  return page
    .getByTestId("code-block")
    .locator(".shiki-token", { hasText: text })
    .first()
    .evaluate((element) => getComputedStyle(element).color);
}

test("code blocks are highlighted, in the light and the dark theme, the copy button clear of the code", async ({
  page,
  compare,
}) => {
  await page.emulateMedia({ colorScheme: "light" });
  const token = uniqueToken();
  await compare.open({ prompt: `[code] ${token}`, columns: [{ model: "openai:gpt-4o-mini" }] });
  await compare.runAll();
  await compare.expectStatuses(["ok"]);
  const block = compare.output(0).getByTestId("code-block");
  await expect(block.getByTestId("code-language")).toHaveText("ts");
  await expect(block.locator("pre")).toHaveAttribute("data-highlighted", "true");
  await expect(block.locator("pre")).toContainText('const label = "double";');

  if (await page.evaluate(() => document.documentElement.classList.contains("dark"))) {
    await page.getByTestId("theme-toggle").click();
  }
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  const lightKeyword = await tokenColour(page, "const");
  const lightString = await tokenColour(page, '"double"');
  // Highlighted: a keyword and a string are coloured differently.
  expect(lightKeyword).not.toBe(lightString);

  await page.getByTestId("theme-toggle").click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  const darkKeyword = await tokenColour(page, "const");
  const darkString = await tokenColour(page, '"double"');
  expect(darkKeyword).not.toBe(darkString);
  expect(darkKeyword).not.toBe(lightKeyword);
  expect(darkString).not.toBe(lightString);

  // The copy button sits in the block's header, above the code, never over it.
  const copy = await block.getByTestId("code-copy").boundingBox();
  const code = await block.locator("pre").boundingBox();
  expect(copy && code && copy.y + copy.height <= code.y).toBe(true);
});
