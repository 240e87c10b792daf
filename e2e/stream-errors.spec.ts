/**
 * Issue 14, item 6: an error event inside an OpenAI-compatible stream, with a status in its
 * body, is classified from that status (rate limited), not shown as an unknown failure.
 */
import { expect, test, uniqueToken } from "./fixtures";

test("an error event inside a stream gets the kind its status names", async ({ compare }) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `[stream-error-429] ${token}`,
    columns: [{ model: "openai:gpt-4o-mini" }, { model: "demo:fast" }],
  });
  await compare.runAll();
  await compare.expectStatuses(["error", "ok"]);
  const error = compare.column(0).getByTestId("column-error");
  await expect(error).toHaveAttribute("data-error-code", "rate_limit");
  await expect(compare.column(0).getByTestId("column-error-headline")).toContainText(
    "rate limited",
  );
  // The text that arrived before the error stays.
  await expect(compare.output(0)).toContainText("partial");
});
