import { describe, expect, it } from "vitest";
import { judgeMessages, parseJudgeVerdict } from "./judge";

describe("parseJudgeVerdict", () => {
  it("reads the JSON the judge was asked for", () => {
    expect(parseJudgeVerdict('{"score": 4, "reason": "Mostly right. "}')).toEqual({
      score: 4,
      reason: "Mostly right.",
    });
  });

  it("finds the JSON inside a fence or after prose", () => {
    expect(
      parseJudgeVerdict('Here is my verdict:\n```json\n{"score":"2","reason":"off"}\n```'),
    ).toEqual({ score: 2, reason: "off" });
  });

  it("falls back to a plain 'Score: N'", () => {
    expect(parseJudgeVerdict("Score: 5 — excellent")).toEqual({ score: 5, reason: "" });
  });

  it("refuses scores outside 1–5, fractions, and answers without a score", () => {
    expect(parseJudgeVerdict('{"score": 7}')).toBeNull();
    expect(parseJudgeVerdict('{"score": 3.5}')).toBeNull();
    expect(parseJudgeVerdict("I liked it.")).toBeNull();
    expect(parseJudgeVerdict("score: 0")).toBeNull();
  });
});

describe("judgeMessages", () => {
  it("gives the judge the rubric, the prompt, the expected answer when known, and the response", () => {
    const [message] = judgeMessages({
      rubric: "Names the capital",
      prompt: "Capital of France?",
      output: "Paris",
      expected: "Paris",
    });
    expect(message?.role).toBe("user");
    const content = String(message?.content);
    expect(content.indexOf("<rubric>")).toBeLessThan(content.indexOf("<prompt>"));
    expect(content).toContain("<expected>\nParis\n</expected>");
    expect(content).toContain("<response>\nParis\n</response>");
  });

  it("leaves the expected section out when the row has none", () => {
    const [message] = judgeMessages({ rubric: "r", prompt: "p", output: "o", expected: null });
    expect(String(message?.content)).not.toContain("<expected>");
  });
});
