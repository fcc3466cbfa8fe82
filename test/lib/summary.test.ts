import { describe, expect, it } from "vitest";
import { summarize } from "../../src/lib/analyses/summary.js";
import { quantile, variance } from "../../src/lib/descriptive.js";

describe("summaries", () => {
  it("gives numpy's linear-interpolation percentiles and ignores NaN rounds", () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 14);
    const s = summarize([1, 2, NaN, 3, 4, 5]);
    expect(s.rounds).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.ci_low).toBeCloseTo(1.1, 14);
    expect(s.ci_high).toBeCloseTo(4.9, 14);
    expect(summarize([NaN]).mean).toBeNaN();
  });

  it("variance is numpy's (divisor n) and, like the quantile and the median, skips NaN", () => {
    expect(variance([1, 2, 3, 4])).toBe(1.25);
    expect(variance([1, NaN, 3])).toBe(1);
    expect(variance([NaN])).toBeNaN();
    expect(variance([])).toBeNaN();
  });
});
