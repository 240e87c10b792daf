import { describe, expect, it } from "vitest";
import { callFilterValues, callsHref, dayToInstant } from "./calls-explorer";

describe("callFilterValues", () => {
  it("keeps the known, non-empty filters", () => {
    expect(
      callFilterValues({
        source: "gateway",
        key: " app ",
        tag: "",
        colour: "red",
        model: ["a:b", "c:d"],
      }),
    ).toEqual({ source: "gateway", key: "app", model: "a:b" });
  });
});

describe("callsHref", () => {
  it("changes one filter, keeps the others and restarts paging", () => {
    const values = { source: "gateway", tag: "eu" };
    expect(callsHref(values, { key: "app" })).toBe("/calls?source=gateway&key=app&tag=eu");
    expect(callsHref(values, { source: null })).toBe("/calls?tag=eu");
    expect(callsHref({}, {})).toBe("/calls");
    expect(callsHref(values, { cursor: "abc" })).toBe("/calls?source=gateway&tag=eu&cursor=abc");
  });
});

describe("dayToInstant", () => {
  it("makes an inclusive end day the next day's start", () => {
    expect(dayToInstant("2026-01-31", true)).toBe("2026-02-01");
    expect(dayToInstant("2026-01-31", false)).toBe("2026-01-31");
    expect(dayToInstant(undefined, true)).toBeUndefined();
  });
});
