/**
 * Issue 14, item 3: a call that was never sent (OCI is not configured in these tests) is
 * "not sent" in its column and "without usage" in the totals and on /usage — never unpriced.
 */
import { parse } from "csv-parse/sync";
import { expect, findRunId, recordedRun, test, uniqueToken } from "./fixtures";

const OCI_MODEL = "oci:cohere.command-a-03-2025";

test("a call never sent is counted without usage, not as unpriced", async ({ page, compare }) => {
  const token = uniqueToken();
  const from = new Date(Date.now() - 1_000);
  await compare.open({
    prompt: `Statuses ${token}`,
    columns: [{ model: "demo:fast" }, { model: OCI_MODEL }],
  });
  await compare.runAll();
  await compare.expectStatuses(["ok", "error"]);

  await expect(compare.metric(1, "cost")).toHaveAttribute("data-state", "no-usage");
  await expect(compare.metric(1, "cost")).toHaveText("not sent");
  await expect(page.getByTestId("totals-no-usage")).toHaveText("1");
  await expect(page.getByTestId("totals-no-usage")).toBeVisible();
  await expect(page.getByTestId("totals-unpriced")).toBeHidden();

  const run = await recordedRun(page, await findRunId(page, token));
  expect(run.calls.map((call) => call.status)).toEqual(["ok", "error"]);
  const to = new Date(Date.now() + 1_000);

  const usage = await page.request.get(
    `/api/usage?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=model&model=${OCI_MODEL}`,
  );
  const body = (await usage.json()) as {
    totals: { calls: number; unpricedCalls: number; usageMissingCalls: number };
  };
  // Filtered to this model: the window may hold the previous spec's last calls too.
  expect(body.totals).toMatchObject({ calls: 1, unpricedCalls: 0, usageMissingCalls: 1 });

  await page.goto(
    `/usage?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&model=${encodeURIComponent(OCI_MODEL)}`,
  );
  await expect(page.getByTestId("total-unpriced")).toHaveAttribute("data-value", "0");
  await expect(page.getByTestId("total-usage-missing")).toHaveAttribute("data-value", "1");
  await expect(page.getByTestId("unpriced-banner")).toHaveCount(0);

  const csv = await page.request.get(
    `/api/usage/export?format=csv&from=${from.toISOString()}&to=${to.toISOString()}&model=${OCI_MODEL}`,
  );
  const rows = parse(await csv.text(), { columns: true }) as Array<Record<string, string>>;
  expect(rows.map((row) => [row.model, row.pricing_status, row.usage_status])).toEqual([
    [OCI_MODEL, "usage_missing", "missing"],
  ]);
});
