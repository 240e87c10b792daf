/**
 * The database made unwritable (`max_page_count` reached: SQLITE_FULL on every write that needs
 * a page). Calls still stream; they wait in the journal; `/api/health` is degraded and the
 * pages' banner says so; once space returns everything is written, once, and the banner goes.
 */
import { existsSync } from "node:fs";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RecordingStatusBanner } from "@/components/recording-status";
import { journalPathFor } from "@/lib/tracing/journal";
import { parseRecorderStatus, recordingBanner } from "@/lib/ui/recording-status";
import {
  finishOf,
  flushRecorder,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";

beforeAll(() => {
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});

afterAll(() => {
  vi.restoreAllMocks();
});

// Registered after the spy's hooks: it starts after the spy and closes before the restore.
const environment = setUpIntegrationEnvironment();

/** What the page shows, given what `/api/health` answers now. */
async function banner(): Promise<string> {
  const response = await fetch(`${environment.app.url}/api/health`);
  expect(response.status).toBe(200);
  const message = recordingBanner(parseRecorderStatus(await response.json()));
  return renderToStaticMarkup(createElement(RecordingStatusBanner, { message }));
}

describe("a full database", () => {
  it("journals calls, shows the banner, and writes everything once space returns", async () => {
    const { getTracer } = await import("@/lib/tracing");
    const writer = getTracer().writerConnection;
    writer.pragma(`max_page_count = ${writer.pragma("page_count", { simple: true })}`);
    expect(await banner()).toBe("");

    // Long prompts: every run needs pages of its own.
    const prompt = "Explain write-ahead logging, slowly. ".repeat(300);
    const runs = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const events = await readEvents(
          await postRun(environment.app, {
            messages: [{ role: "user", content: prompt }],
            targets: [{ model: "demo:instant" }, { model: "demo:fast" }],
          }),
        );
        expect(finishOf(events, 0)?.status).toBe("ok");
        expect(finishOf(events, 1)?.status).toBe("ok");
        const start = events[0];
        if (start?.type !== "run-start") throw new Error("no run-start");
        return start.runId;
      }),
    );
    // The flush after the last finish has been tried and refused.
    while (getTracer().getStats().queuedCalls > 0 || getTracer().getStats().failedAttempts === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(existsSync(journalPathFor(environment.databasePath))).toBe(true);
    const health = (await (await fetch(`${environment.app.url}/api/health`)).json()) as {
      status: string;
      recorder: Record<string, unknown>;
    };
    expect(health).toMatchObject({
      status: "degraded",
      recorder: { state: "behind", failure: "full", pendingCalls: 12, callsLost: 0 },
    });
    expect(await banner()).toContain(
      "recording paused: the database is full — 12 calls waiting, nothing lost",
    );

    writer.pragma("max_page_count = 1073741823");
    await flushRecorder();
    while (getTracer().getHealth().state !== "ok") {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await banner()).toBe("");
    expect(existsSync(journalPathFor(environment.databasePath))).toBe(false);

    const { getDb } = await import("@/lib/db/client");
    const placeholders = runs.map(() => "?").join(",");
    const counts = getDb()
      .sqlite.prepare(
        `SELECT count(*) AS calls, count(DISTINCT id) AS distinctCalls, sum(status = 'ok') AS ok FROM calls WHERE run_id IN (${placeholders})`,
      )
      .get(...runs);
    expect(counts).toEqual({ calls: 12, distinctCalls: 12, ok: 12 });
    const rollup = getDb().sqlite.prepare("SELECT sum(calls) AS calls FROM usage_hourly").get();
    expect(rollup).toEqual({ calls: 12 });
    expect(getTracer().getStats()).toMatchObject({ callsLost: 0, droppedWrites: 0 });
  });
});
