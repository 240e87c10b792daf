import { describe, expect, it } from "vitest";
import { decodeToolArguments } from "./tool-arguments";

describe("decodeToolArguments", () => {
  it("keeps an object as it is", () => {
    expect(decodeToolArguments({ city: "Paris" })).toEqual({ city: "Paris" });
  });

  it("parses a JSON object string", () => {
    expect(decodeToolArguments('{"city":"Paris"}')).toEqual({ city: "Paris" });
  });

  it("parses double-encoded JSON (OCI Llama)", () => {
    expect(decodeToolArguments(JSON.stringify('{"city":"Paris"}'))).toEqual({ city: "Paris" });
  });

  it.each([[""], ["   "], ["[1,2]"], ["not json"], [null], [42], [[]]])(
    "gives {} for %j",
    (value) => {
      expect(decodeToolArguments(value)).toEqual({});
    },
  );
});
