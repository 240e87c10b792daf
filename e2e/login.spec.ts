/**
 * A playground behind `PLAYGROUND_TOKEN`, as a team deployment runs it (the second app server
 * of `playwright.config.ts`): a person is sent to log in, comes back where they were going,
 * uses the playground, and logs out.
 */
import { expect, test, uniqueToken } from "./fixtures";

const TOKEN = process.env.E2E_PLAYGROUND_TOKEN ?? "";
const PORT = process.env.E2E_TOKEN_APP_PORT;

test.use({ baseURL: `http://127.0.0.1:${PORT}` });

test("open /usage, log in, land back on /usage, run a comparison, log out", async ({
  page,
  compare,
}) => {
  expect(TOKEN, "run through playwright.config.ts").not.toBe("");
  await page.goto("/usage");
  await expect(page).toHaveURL(/\/login\?next=%2Fusage$/);

  await page.getByTestId("login-token").fill(`${TOKEN}-wrong`);
  await page.getByTestId("login-submit").click();
  await expect(page.getByText("That token is not right.")).toBeVisible();
  await expect(page).toHaveURL(/\/login\?error=1&next=%2Fusage$/);

  await page.getByTestId("login-token").fill(TOKEN);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(page.getByTestId("nav-usage")).toHaveAttribute("aria-current", "page");

  const prompt = `Behind the token ${uniqueToken()}`;
  await compare.open({ prompt, columns: [{ model: "demo:instant" }] });
  await compare.runAll();
  await compare.expectStatuses(["ok"]);
  await expect(compare.output(0)).toContainText("Simulated answer");

  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId("logout")).toHaveCount(0);
  // The session is gone for pages and for the API alike.
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/login\?next=%2Fruns$/);
  expect((await page.request.get("/api/runs")).status()).toBe(401);
});
