/**
 * Issue 14, item 2: a 429 with `retry-after` is retried by the server, visibly: the column
 * counts down "rate limited — retrying in N s (attempt 2 of 3)", then shows the answer.
 */
import { answerText } from "./fake-script";
import { expect, findRunId, test, uniqueToken } from "./fixtures";

test("a 429 with retry-after shows a countdown, then the answer", async ({ page, compare }) => {
  const token = uniqueToken();
  const prompt = `[429-then-ok:3] ${token}`;
  await compare.open({
    prompt,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "demo:fast" }],
  });
  await compare.runAll();

  const note = compare.column(0).getByTestId("retry-note");
  await expect(note).toHaveText(/^rate limited — retrying in [23] s \(attempt 2 of 3\)$/);
  // The countdown moves while the column waits.
  await expect(note).toHaveText("rate limited — retrying in 1 s (attempt 2 of 3)", {
    timeout: 5_000,
  });
  // The other column is not held up by this one.
  await expect(compare.column(1)).toHaveAttribute("data-status", "ok");

  await compare.expectStatuses(["ok", "ok"]);
  await expect(note).toHaveCount(0);
  await page.getByTestId("view-plain").click();
  expect(await compare.output(0).getByTestId("plain-text").textContent()).toBe(
    answerText({ provider: "openai", prompt }),
  );

  const runId = await findRunId(page, token);
  await expect
    .poll(async () => {
      const response = await page.request.get(`/api/runs/${runId}`);
      const run = (await response.json()) as { calls: Array<{ attempts?: number }> };
      return run.calls[0]?.attempts;
    })
    .toBe(2);
});
