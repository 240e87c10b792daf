import { describe, expect, it } from "vitest";
import { nextHealthPollMs, parseRecorderStatus, recordingBanner } from "./recording-status";

const ok = { state: "ok", pendingCalls: 0, failure: null, callsLost: 0 } as const;

describe("recording banner", () => {
  it("says nothing while the record is up to date", () => {
    expect(recordingBanner(ok)).toBeNull();
    expect(recordingBanner(null)).toBeNull();
  });

  it("says why recording is paused, how much waits, and that nothing is lost", () => {
    expect(
      recordingBanner({ state: "behind", pendingCalls: 12, failure: "locked", callsLost: 0 }),
    ).toBe("recording paused: the database is locked — 12 calls waiting, nothing lost");
    expect(recordingBanner({ state: "behind", pendingCalls: 1, failure: null, callsLost: 0 })).toBe(
      "recording is catching up — 1 call waiting, nothing lost",
    );
  });

  it("keeps saying so when calls were lost, even once caught up", () => {
    expect(recordingBanner({ ...ok, callsLost: 3 })).toMatch(/^recording lost 3 calls/);
    expect(
      recordingBanner({ state: "behind", pendingCalls: 4, failure: "full", callsLost: 2 }),
    ).toBe("recording paused: the database is full — 4 calls waiting, 2 calls lost");
  });

  it("reads the recorder from a health answer and ignores anything else", () => {
    expect(parseRecorderStatus({ status: "ok", recorder: { ...ok, journalBytes: 0 } })).toEqual(ok);
    expect(parseRecorderStatus({ error: { code: "unauthorized" } })).toBeNull();
  });

  it("asks again sooner while behind", () => {
    expect(nextHealthPollMs({ ...ok, state: "behind" })).toBeLessThan(nextHealthPollMs(ok));
  });
});
