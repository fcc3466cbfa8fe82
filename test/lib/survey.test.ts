/** The survey's rules (src/lib/survey.ts), worked by hand. */
import { describe, expect, it } from "vitest";
import type { Rng } from "../../src/lib/random.js";
import { drawShares, isPro, itemAnswers, pairsPearson, proRule, proRuleSql, proRuleText, splitHalves } from "../../src/lib/survey.js";

/** A generator whose int(n) always returns the same end of the range, so a shuffle can be followed by hand. */
const fixedRng = (end: "first" | "last"): Rng => ({ int: (n: number) => (end === "first" ? 0 : n - 1) }) as Rng;

describe("the pro rule", () => {
  it("is code 1 on a 3-point scale, above 5 on a 10-point scale, the lower half otherwise", () => {
    const pros = (maxCode: number, inverted = false) => Array.from({ length: maxCode }, (_, i) => i + 1).filter((c) => isPro(proRule(maxCode, inverted), c));
    expect(pros(3)).toEqual([1]);
    expect(pros(10)).toEqual([6, 7, 8, 9, 10]);
    expect(pros(4)).toEqual([1, 2]);
    expect(pros(5)).toEqual([1, 2]);
    expect(pros(11)).toEqual([1, 2, 3, 4, 5]);
    expect(pros(2)).toEqual([1]);
    expect(pros(4, true)).toEqual([3, 4]);
  });

  it("reads the same in SQL and in words", () => {
    expect(proRuleSql(proRule(10, false), '"E035"')).toBe('"E035" > 5');
    expect(proRuleSql(proRule(10, true), '"E035"')).toBe('NOT ("E035" > 5)');
    expect(proRuleSql(proRule(4, false), "c")).toBe("c <= 2");
    expect(proRuleText(proRule(3, false))).toBe("code = 1");
    expect(proRuleText(proRule(10, true))).toBe("not (code > 5), inverted");
  });
});

describe("the survey's self-consistency, by hand", () => {
  it("splits respondents into halves: shuffle, then alternate", () => {
    // int(n) = 0 swaps each position with the first: [0,1,2,3] → [3,1,2,0] → [2,1,3,0] → [1,2,3,0];
    // alternating over that order puts rows 1 and 3 in half 0, rows 2 and 0 in half 1.
    expect([...splitHalves(4, fixedRng("first"))]).toEqual([1, 0, 1, 0]);
  });

  it("keeps valid answers (code > 0) and sums each half's weight and pro weight", () => {
    // Largest code 4: pro is code ≤ 2. Rows 1 (code −1) and 4 (code 0) are not valid answers.
    const a = itemAnswers(proRule(4, false), [1, -1, 3, 2, 0], [1, 2, 3, 4, 5], Uint8Array.from([0, 1, 0, 1, 1]));
    expect(a.valid).toEqual([0, 2, 3]);
    expect(a.pro).toEqual([true, false, true]);
    // Half 0: rows 0 (w 1, pro) and 2 (w 3); half 1: row 3 (w 4, pro).
    expect(a.halves).toEqual([
      { w: 4, p: 1 },
      { w: 4, p: 4 },
    ]);
  });

  it("draws without replacement, each draw continuing the last one's shuffle", () => {
    const answers = { valid: [0, 2, 3], pro: [true, false, true] };
    const w = [1, 2, 3, 4];
    // int(n) = 0 never swaps: both draws take rows 0 (w 1, pro) and 2 (w 3): 1/4.
    expect([...drawShares(fixedRng("first"), answers, w, 2, 2)]).toEqual([0.25, 0.25]);
    // int(n) = n − 1: draw 1 takes rows 3 (w 4, pro) and 0 (w 1, pro): 5/5; draw 2, from the
    // order that left, rows 2 (w 3) and 3 (w 4, pro): 4/7.
    expect([...drawShares(fixedRng("last"), answers, w, 2, 2)]).toEqual([1, 4 / 7]);
  });

  it("correlates draws over all pairs of the same item, self-pairs included", () => {
    // Draws that differ only between items: r = 1; only within items: r = 0.
    expect(pairsPearson([Float64Array.of(0, 0), Float64Array.of(1, 1)])).toBe(1);
    expect(pairsPearson([Float64Array.of(0, 1), Float64Array.of(0, 1)])).toBe(0);
    // μ = 3/4. Item 1: Σ(x − μ) = −1/2, Σ(x − μ)² = 5/8; item 2: 1/2 and 1/8.
    // r = (1/4 + 1/4) / (2 · 5/8 + 2 · 1/8) = 1/3.
    expect(pairsPearson([Float64Array.of(0, 1), Float64Array.of(1, 1)])).toBeCloseTo(1 / 3, 15);
    // A draw with no weight (NaN) is skipped; no finite draw at all gives NaN.
    expect(pairsPearson([Float64Array.of(0, NaN, 0), Float64Array.of(1, 1)])).toBe(1);
    expect(pairsPearson([Float64Array.of(NaN)])).toBeNaN();
  });
});
