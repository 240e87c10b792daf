/**
 * Page objects and helpers shared by the specs, injected through `test.extend`.
 */
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { type ColumnParameters, encodeSetup } from "../lib/ui/setup";
import type { FakeLogEntry } from "./fake-providers";
import type { FakeProvider } from "./fake-script";

export { expect };

export function uniqueToken(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

function fakeUrl(provider: FakeProvider): string {
  const variable = {
    openai: "FAKE_OPENAI_PORT",
    anthropic: "FAKE_ANTHROPIC_PORT",
    ollama: "FAKE_OLLAMA_PORT",
  }[provider];
  const port = process.env[variable];
  if (!port) throw new Error(`${variable} is not set: run through playwright.config.ts`);
  return `http://127.0.0.1:${port}`;
}

/** What the fake servers were asked, filtered to one test's prompts. */
export class FakeProviderLog {
  async entries(provider: FakeProvider, token: string): Promise<FakeLogEntry[]> {
    const response = await fetch(`${fakeUrl(provider)}/__log`);
    const entries = (await response.json()) as FakeLogEntry[];
    return entries.filter((entry) => entry.prompt.includes(token));
  }
}

export interface ColumnSpec {
  model: string;
  params?: ColumnParameters;
  system?: string;
}

export class ComparePage {
  constructor(readonly page: Page) {}

  async open(options: { prompt?: string; system?: string; columns: ColumnSpec[] }): Promise<void> {
    const query = encodeSetup({
      prompt: options.prompt ?? "",
      system: options.system ?? "",
      tools: "",
      schema: "",
      columns: options.columns.map((column, index) => ({
        id: `column-${index + 1}`,
        model: column.model,
        params: column.params ?? {},
        system: column.system ?? null,
      })),
    });
    await this.page.goto(`/?${query}`);
    await expect(this.columns()).toHaveCount(options.columns.length);
  }

  columns(): Locator {
    return this.page.getByTestId("column");
  }

  column(index: number): Locator {
    return this.columns().nth(index);
  }

  /** The latest answer of a column. */
  output(index: number): Locator {
    return this.column(index).getByTestId("column-output");
  }

  metric(index: number, name: string): Locator {
    return this.column(index).getByTestId(`metrics-${name}`);
  }

  async runAll(): Promise<void> {
    await this.page.getByTestId("run-all").click();
  }

  async expectStatuses(statuses: string[], options: { timeout?: number } = {}): Promise<void> {
    for (const [index, status] of statuses.entries()) {
      await expect(this.column(index)).toHaveAttribute("data-status", status, options);
    }
  }

  /** Waits until every column shows some streamed text (the run is mid-way). */
  async waitForPartialOutput(count: number): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      await expect(this.output(index)).toContainText(/-\d+/);
    }
  }
}

/** The run a prompt token belongs to, through the public API. */
export async function findRunId(page: Page, token: string): Promise<string> {
  let runId: string | undefined;
  await expect
    .poll(async () => {
      const response = await page.request.get(`/api/runs?search=${encodeURIComponent(token)}`);
      const body = (await response.json()) as { runs: Array<{ id: string }> };
      runId = body.runs[0]?.id;
      return runId;
    })
    .toBeTruthy();
  return runId as string;
}

export interface RecordedCall {
  index: number;
  model: string;
  status: string;
  output: string;
  costUsd: number | null;
  usage: { outputTokens: number | null } | null;
}

/** The recorded run once every call has finished and been written. */
export async function recordedRun(page: Page, runId: string): Promise<{ calls: RecordedCall[] }> {
  let run: { calls: RecordedCall[] } | undefined;
  await expect
    .poll(async () => {
      const response = await page.request.get(`/api/runs/${runId}`);
      run = (await response.json()) as { calls: RecordedCall[] };
      return run.calls.every((call) => call.status !== "running");
    })
    .toBe(true);
  return run as { calls: RecordedCall[] };
}

export const test = base.extend<{ compare: ComparePage; fakes: FakeProviderLog }>({
  compare: async ({ page }, use) => {
    await use(new ComparePage(page));
  },
  fakes: async ({ page: _page }, use) => {
    await use(new FakeProviderLog());
  },
});
