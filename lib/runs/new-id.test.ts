import { describe, expect, it } from "vitest";
import { newId } from "./new-id";

describe("newId", () => {
  it("makes UUIDv7 ids that are never repeated and sort as text in the order they were made", () => {
    const ids = Array.from({ length: 5_000 }, () => newId());
    expect(
      ids.every((id) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id),
      ),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
