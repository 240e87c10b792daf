import { expect, test, uniqueToken } from "./fixtures";

test("four columns fit 1280 px; a fifth scrolls sideways; a column can be maximised", async ({
  page,
  compare,
}) => {
  const columns = Array.from({ length: 4 }, () => ({ model: "demo:instant" }));
  await compare.open({ columns });
  const grid = page.getByTestId("columns");
  const fits = () => grid.evaluate((element) => element.scrollWidth <= element.clientWidth + 1);
  expect(await fits()).toBe(true);
  for (let index = 0; index < 4; index += 1) {
    const box = await compare.column(index).boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(290);
  }
  await page.getByTestId("add-column").click();
  await expect(compare.columns()).toHaveCount(5);
  expect(await fits()).toBe(false);

  await compare.column(4).getByTestId("maximise").click();
  const maximised = await compare.column(4).boundingBox();
  expect(maximised?.width ?? 0).toBeGreaterThan(1000);
  await page.keyboard.press("Escape");
  await expect(compare.column(4).getByTestId("maximise")).toHaveAttribute("aria-pressed", "false");
});

test("add, duplicate, reorder and remove columns", async ({ page, compare }) => {
  await compare.open({
    columns: [
      { model: "demo:chat", params: { temperature: 0.7, seed: 3 } },
      { model: "demo:fast" },
    ],
  });
  await compare.column(0).getByTestId("duplicate").click();
  await expect(compare.columns()).toHaveCount(3);
  await expect(compare.column(1)).toHaveAttribute("data-model", "demo:chat");
  await compare.column(1).getByTestId("column-params-toggle").click();
  await expect(compare.column(1).getByTestId("param-temperature")).toHaveValue("0.7");
  await expect(compare.column(1).getByTestId("param-seed")).toHaveValue("3");

  await compare.column(2).getByTestId("move-left").click();
  await expect(compare.column(1)).toHaveAttribute("data-model", "demo:fast");
  await compare.column(0).getByTestId("remove-column").click();
  await expect(compare.columns()).toHaveCount(2);
  await expect(compare.column(0)).toHaveAttribute("data-model", "demo:fast");
  await page.getByTestId("add-column").click();
  await expect(compare.columns()).toHaveCount(3);
});

test("nothing shifts while columns stream", async ({ page, compare }) => {
  const token = uniqueToken();
  await compare.open({
    prompt: `[slow] steady ${token}`,
    columns: [
      { model: "openai:gpt-4o-mini" },
      { model: "anthropic:claude-haiku-4-5", params: { temperature: 0.5 } },
      { model: "demo:slow" },
    ],
  });
  await page.evaluate(() => {
    const state = window as unknown as { __shifts: number[]; __shiftSources: string[] };
    state.__shifts = [];
    state.__shiftSources = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<
        PerformanceEntry & {
          value: number;
          hadRecentInput: boolean;
          sources: Array<{ node?: Node; previousRect: DOMRect; currentRect: DOMRect }>;
        }
      >) {
        if (entry.hadRecentInput) continue;
        state.__shifts.push(entry.value);
        for (const source of entry.sources) {
          const element = source.node instanceof Element ? source.node : source.node?.parentElement;
          state.__shiftSources.push(
            `${element?.outerHTML.slice(0, 160)} ${JSON.stringify(source.previousRect)} -> ${JSON.stringify(source.currentRect)}`,
          );
        }
      }
    }).observe({ type: "layout-shift" });
  });
  const strip = compare.column(0).getByTestId("metrics");
  await compare.runAll();
  const before = await strip.boundingBox();
  await compare.waitForPartialOutput(2);
  await expect(compare.output(0)).toContainText("openai-20");
  const during = await strip.boundingBox();
  expect(during).toEqual(before);
  const { shifts, sources } = await page.evaluate(() => {
    const state = window as unknown as { __shifts: number[]; __shiftSources: string[] };
    return { shifts: state.__shifts, sources: state.__shiftSources };
  });
  expect(sources).toEqual([]);
  expect(shifts.reduce((sum, value) => sum + value, 0)).toBe(0);
  await page.getByTestId("stop-all").click();
  await compare.expectStatuses(["cancelled", "cancelled", "cancelled"]);
});

test("the theme toggles between light and dark and is remembered", async ({ page, compare }) => {
  await compare.open({ columns: [{ model: "demo:instant" }] });
  const html = page.locator("html");
  const wasDark = (await html.getAttribute("class"))?.includes("dark") ?? false;
  await page.getByTestId("theme-toggle").click();
  await expect(html).toHaveClass(wasDark ? /^(?!.*\bdark\b)/ : /\bdark\b/);
  await page.reload();
  await expect(html).toHaveClass(wasDark ? /^(?!.*\bdark\b)/ : /\bdark\b/);
});
