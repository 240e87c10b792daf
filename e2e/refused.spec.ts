/**
 * Issue 14, item 1: a value out of range is refused, not dropped. The page blocks Run all and
 * names the column and field; the API answers such a run (and a wrong method) with JSON.
 */
import { expect, test, uniqueToken } from "./fixtures";

test("an out-of-range temperature blocks Run all, naming the column and field", async ({
  page,
  compare,
}) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `Refused ${token}`,
    columns: [{ model: "demo:chat" }, { model: "demo:fast" }],
  });
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/runs") {
      posts.push(request.url());
    }
  });

  await compare.column(1).getByTestId("column-params-toggle").click();
  await compare.column(1).getByTestId("param-temperature").fill("5");

  await expect(page.getByTestId("run-blocked")).toContainText(
    "Column 2 (demo:fast): temperature must be between 0 and 2",
  );
  await expect(compare.column(1).getByTestId("param-temperature-problem")).toBeVisible();
  await expect(compare.column(1).getByTestId("param-temperature")).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(page.getByTestId("run-all")).toBeDisabled();
  // The shortcut is refused as well, with the same sentence.
  await page.keyboard.press("Control+Enter");
  await expect(compare.column(0)).toHaveAttribute("data-status", "idle");
  expect(posts).toEqual([]);

  await compare.column(1).getByTestId("param-temperature").fill("0.5");
  await expect(page.getByTestId("run-blocked")).toHaveCount(0);
  await compare.runAll();
  await compare.expectStatuses(["ok", "ok"]);
  expect(posts).toHaveLength(1);
});

test("the API refuses out-of-range values and wrong methods with JSON errors", async ({ page }) => {
  const refused = await page.request.post("/api/runs", {
    data: {
      messages: [{ role: "user", content: "hi" }],
      targets: [{ model: "demo:chat" }, { model: "demo:fast", params: { maxTokens: -3 } }],
    },
  });
  expect(refused.status()).toBe(400);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("invalid_params");
  expect(body.error.message).toContain("targets[1].params.maxTokens");

  const unknownDemo = await page.request.post("/api/runs", {
    data: { messages: [{ role: "user", content: "hi" }], targets: [{ model: "demo:nonexistent" }] },
  });
  expect(unknownDemo.status()).toBe(400);
  expect(((await unknownDemo.json()) as typeof body).error.code).toBe("invalid_params");

  for (const [method, path] of [
    ["DELETE", "/api/runs"],
    ["POST", "/api/usage"],
    ["PATCH", "/api/models"],
  ] as const) {
    const response = await page.request.fetch(path, { method });
    expect(response.status(), `${method} ${path}`).toBe(405);
    const error = (await response.json()) as typeof body;
    expect(error.error.code).toBe("method_not_allowed");
  }
});
