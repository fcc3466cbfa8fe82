import { describe, expect, it } from "vitest";
import { median } from "../../src/lib/descriptive.js";

describe("median", () => {
  it("takes the mean of the middle two for an even count, and skips NaN", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5, 1])).toBe(3);
    expect(median([])).toBeNaN();
  });
});
