import { describe, expect, it } from "vitest";
import { rateModels, type Vote } from "./ratings";

function repeat(vote: Vote, times: number): Vote[] {
  return Array.from({ length: times }, () => vote);
}

describe("rateModels", () => {
  it("orders a transitive record: a beats b beats c", () => {
    const votes = [
      ...repeat({ models: ["a", "b"], winner: 0 }, 8),
      ...repeat({ models: ["b", "c"], winner: 0 }, 8),
      ...repeat({ models: ["c", "a"], winner: 1 }, 8),
    ];
    expect(rateModels(votes).map((rating) => rating.model)).toEqual(["a", "b", "c"]);
  });

  it("a winner index counts for the model at that position, whatever the order", () => {
    const votes = repeat({ models: ["loser", "winner"], winner: 1 }, 5);
    const [first, second] = rateModels(votes);
    expect(first?.model).toBe("winner");
    expect(second?.model).toBe("loser");
  });

  it("ties and both-bad give equal ratings around the base", () => {
    const votes = [
      ...repeat({ models: ["x", "y"], winner: "tie" }, 3),
      ...repeat({ models: ["x", "y"], winner: "both-bad" }, 3),
    ];
    const [first, second] = rateModels(votes);
    expect(first?.rating).toBeCloseTo(1000, 6);
    expect(second?.rating).toBeCloseTo(1000, 6);
  });

  it("an undefeated model has a finite rating, and more wins raise it", () => {
    const few = rateModels(repeat({ models: ["a", "b"], winner: 0 }, 2));
    const many = rateModels(repeat({ models: ["a", "b"], winner: 0 }, 20));
    expect(Number.isFinite(few[0]?.rating)).toBe(true);
    expect(many[0]?.rating ?? 0).toBeGreaterThan(few[0]?.rating ?? 0);
  });

  it("the interval holds the rating, narrows with more votes, and is the same every time", () => {
    const mixed = (times: number): Vote[] => [
      ...repeat({ models: ["a", "b"], winner: 0 }, 2 * times),
      ...repeat({ models: ["a", "b"], winner: 1 }, times),
    ];
    const few = rateModels(mixed(2)).find((rating) => rating.model === "a");
    const many = rateModels(mixed(30)).find((rating) => rating.model === "a");
    if (!few || !many) throw new Error("missing rating");
    expect(few.low).toBeLessThanOrEqual(few.rating);
    expect(few.high).toBeGreaterThanOrEqual(few.rating);
    expect(many.high - many.low).toBeLessThan(few.high - few.low);
    expect(rateModels(mixed(2))).toEqual(rateModels(mixed(2)));
  });

  it("a run of three: the winner beats both others, the others draw", () => {
    const ratings = rateModels(repeat({ models: ["a", "b", "c"], winner: 2 }, 6));
    expect(ratings[0]?.model).toBe("c");
    const [, second, third] = ratings;
    expect(second?.rating).toBeCloseTo(third?.rating ?? 0, 6);
  });

  it("counts the votes each model took part in", () => {
    const ratings = rateModels([
      { models: ["a", "b"], winner: 0 },
      { models: ["a", "c"], winner: "tie" },
    ]);
    expect(Object.fromEntries(ratings.map((rating) => [rating.model, rating.votes]))).toEqual({
      a: 2,
      b: 1,
      c: 1,
    });
  });

  it("no votes, no ratings", () => {
    expect(rateModels([])).toEqual([]);
  });
});
