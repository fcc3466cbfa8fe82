import { describe, expect, it } from "vitest";
import { createRng, resampleCounts, resampleIndices } from "../../src/lib/random.js";

describe("seeded random source", () => {
  it("repeats exactly for a seed and stream, and differs across them", () => {
    const a = Array.from({ length: 5 }, createRng(42).next);
    const rngA = createRng(42);
    expect(Array.from({ length: 5 }, () => rngA.next())).toEqual(a);
    const rngB = createRng(43);
    expect(Array.from({ length: 5 }, () => rngB.next())).not.toEqual(a);
    const s1 = createRng(42, "one").next();
    const s2 = createRng(42, "two").next();
    expect(s1).not.toBe(s2);
    expect(createRng(42).fork("x").next()).toBe(createRng("42", "x").next());
  });

  it("draws uniform doubles and integers, and standard normals", () => {
    const rng = createRng("moments");
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let z1 = 0;
    let z2 = 0;
    const bins = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
      bins[rng.int(10)]++;
      const z = rng.normal();
      z1 += z;
      z2 += z * z;
    }
    // Monte Carlo tolerances: > 5 standard errors.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - 1 / 3)).toBeLessThan(0.003);
    for (const b of bins) expect(Math.abs(b / n - 0.1)).toBeLessThan(5 * Math.sqrt(0.09 / n));
    expect(Math.abs(z1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(z2 / n - 1)).toBeLessThan(0.02);
  });

  it("resamples with replacement: counts sum to n and match the indices drawn", () => {
    const counts = resampleCounts(1000, createRng(7));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    const idx = resampleIndices(1000, createRng(7));
    const again = new Int32Array(1000);
    for (const i of idx) again[i]!++;
    expect(Array.from(again)).toEqual(Array.from(counts));
    // About 1 − 1/e of the rows appear in a resample.
    const present = Array.from(counts).filter((c) => c > 0).length / 1000;
    expect(Math.abs(present - (1 - Math.exp(-1)))).toBeLessThan(0.05);
  });

  it("refuses a bad seed or range", () => {
    expect(() => createRng(NaN)).toThrow(/Seed/);
    expect(() => createRng(1).int(0)).toThrow(/positive integer/);
  });
});
