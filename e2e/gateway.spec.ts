/**
 * The gateway from a user's side, on the production build: a key made in `/settings/keys`
 * (its secret shown once) is used by the official `openai` client against `/v1`; the call is
 * then found in the calls explorer by its source, key and tag, opened on its own page, seen
 * in `/usage` by key, and replayed on another model in the playground, each column compared
 * with the original.
 */
import OpenAI from "openai";
import { expect, test, uniqueToken } from "./fixtures";

test("a key made in the settings opens /v1; its call is explored, broken down and replayed", async ({
  page,
  baseURL,
}) => {
  const token = uniqueToken();
  const keyName = `e2e-${token}`;
  const tag = `tag-${token}`;

  // Create the key: the secret is shown once, with a copy button.
  await page.goto("/settings/keys");
  await page.getByTestId("key-name").fill(keyName);
  await page.getByTestId("key-daily").fill("5");
  await page.getByTestId("key-create").click();
  const secret = (await page.getByTestId("key-secret").textContent())?.trim() ?? "";
  expect(secret.length).toBeGreaterThan(20);
  await expect(page.getByTestId("key-copy")).toBeVisible();
  const row = page.locator(`[data-testid="key-row"][data-key-name="${keyName}"]`);
  await expect(row).toContainText("of $5.00 today");
  const prefix = (await row.getByTestId("key-prefix").textContent())?.replace("…", "") ?? "";
  expect(prefix.length).toBeGreaterThan(3);
  expect(secret.startsWith(prefix)).toBe(true);
  expect(prefix.length).toBeLessThan(secret.length / 2);

  // Shown once: after a reload the list has its prefix, never the secret.
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByTestId("key-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // An application with the official SDK, from this test.
  const client = new OpenAI({
    apiKey: secret,
    baseURL: `${baseURL}/v1`,
    maxRetries: 0,
    defaultHeaders: { "x-locus-tags": tag, "x-locus-user": "e2e-user" },
  });
  const completion = await client.chat.completions.create({
    model: "openai:gpt-4o-mini",
    messages: [{ role: "user", content: `Gateway question ${token}` }],
  });
  expect(completion.choices[0]?.message.content?.length ?? 0).toBeGreaterThan(0);

  // The explorer: found by source and tag, not among playground calls.
  await page.goto("/calls");
  await page.getByTestId("calls-source").selectOption("gateway");
  await page.getByTestId("calls-tag").fill(tag);
  await page.getByTestId("calls-apply").click();
  await expect(page).toHaveURL(/source=gateway/);
  const rows = page.getByTestId("call-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(keyName);
  await page.getByTestId("calls-source").selectOption("playground");
  await page.getByTestId("calls-apply").click();
  await expect(page.getByTestId("calls-empty")).toBeVisible();
  await page.goto(`/calls?search=${token}`);
  await expect(rows).toHaveCount(1);

  // The call's page.
  await rows.first().getByTestId("call-link").click();
  await expect(page.getByTestId("call-page")).toBeVisible();
  await expect(page.getByTestId("call-model")).toHaveText("openai:gpt-4o-mini");
  await expect(page.getByTestId("call-context")).toContainText(keyName);
  await expect(page.getByTestId("call-context")).toContainText(tag);
  await expect(page.getByTestId("call-context")).toContainText("e2e-user");
  await expect(page.getByTestId("call-request")).toContainText(`Gateway question ${token}`);
  await expect(page.getByTestId("call-output-text")).toHaveText(
    completion.choices[0]?.message.content ?? "",
  );
  await expect(page.getByTestId("call-price-source")).toContainText("openai");
  const callUrl = page.url();

  // /usage by key shows this key's call.
  await page.goto(`/usage?range=today&breakdown=key&tag=${tag}`);
  const breakdown = page.getByTestId("usage-breakdown");
  await expect(breakdown.getByTestId("breakdown-row")).toHaveCount(1);
  await expect(breakdown.getByTestId("breakdown-row")).toContainText(keyName);
  // Another range keeps the breakdown and its filter.
  await page.getByTestId("range-7d").click();
  await expect(page).toHaveURL(/range=7d/);
  expect(new URL(page.url()).searchParams.get("breakdown")).toBe("key");
  expect(new URL(page.url()).searchParams.get("tag")).toBe(tag);
  await expect(breakdown.getByTestId("breakdown-row")).toContainText(keyName);

  // Replay on another model: the same request, each column compared with the original.
  await page.goto(callUrl);
  await page.getByTestId("replay-models").fill("demo:fast");
  await page.getByTestId("replay-open").click();
  await expect(page.getByTestId("replay-banner")).toContainText("openai:gpt-4o-mini");
  await expect(page.getByTestId("prompt-input")).toHaveValue(`Gateway question ${token}`);
  const columns = page.getByTestId("column");
  await expect(columns).toHaveCount(2);
  await page.getByTestId("run-all").click();
  for (const index of [0, 1]) {
    await expect(columns.nth(index)).toHaveAttribute("data-status", "ok");
    await expect(columns.nth(index).getByTestId("replay-cost")).toContainText(" vs ");
    await expect(columns.nth(index).getByTestId("replay-latency")).toContainText(" vs ");
  }
  await expect(columns.nth(1).getByTestId("replay-cost")).toContainText("$0 vs");
});

test("a streamed gateway answer reaches the client as an uncompressed event stream", async ({
  baseURL,
}) => {
  const token = uniqueToken();
  const created = await fetch(`${baseURL}/api/keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `e2e-stream-${token}` }),
  });
  expect(created.status).toBe(201);
  const { key } = (await created.json()) as { key: string };
  // A client asking for gzip, as the SDKs do: compression would hold chunks back, so the
  // stream is sent as is (`no-transform`), like the provider's own.
  const response = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "accept-encoding": "gzip, deflate, br",
    },
    body: JSON.stringify({
      model: "openai:gpt-4o-mini",
      stream: true,
      messages: [{ role: "user", content: `Stream question ${token}` }],
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  expect(response.headers.get("content-encoding")).toBeNull();
  expect(response.headers.get("cache-control")).toContain("no-transform");
  expect(response.headers.get("x-locus-call-id")).toBeTruthy();
  const body = await response.text();
  expect(body).toContain('"object":"chat.completion.chunk"');
  expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
});
