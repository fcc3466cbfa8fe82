import { describe, expect, it } from "vitest";
import { averageRanks, meanAlignment, pearson, spearman, weightedMidranks } from "../../src/lib/correlation.js";

describe("ranks and correlations, worked by hand", () => {
  it("averages tied ranks", () => {
    expect(Array.from(averageRanks([10, 20, 20, 30, 20]))).toEqual([1, 3, 3, 5, 3]);
    expect(Array.from(averageRanks([0.5, NaN, 0.5]))).toEqual([1.5, NaN, 1.5]);
    // Weighted: levels with weights 1, 3, 1 span ranks 1 | 2–4 | 5.
    expect(Array.from(weightedMidranks([1, 3, 1]))).toEqual([1, 3, 5]);
  });

  it("computes Spearman with ties as Pearson on average ranks", () => {
    // x ranks [1, 2.5, 2.5, 4], y ranks [1, 2, 3, 4]: r = 4.5 / sqrt(4.5 × 5)
    expect(spearman([1, 2, 2, 3], [10, 20, 30, 40])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 14);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 14);
    expect(meanAlignment([0.2, 0.8], [0.4, 0.5])).toBeCloseTo(1 - (0.2 + 0.3) / 2, 14);
  });

  it("returns NaN for empty, single or constant input, and drops NaN pairs", () => {
    expect(spearman([], [])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(meanAlignment([], [])).toBeNaN();
    expect(spearman([1, NaN, 3, 2], [1, 5, 3, 2])).toBeCloseTo(1, 14);
    expect(() => pearson([1, 2], [1])).toThrow(/equal length/);
  });
});
