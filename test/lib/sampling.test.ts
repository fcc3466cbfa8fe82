/**
 * src/lib/sampling.ts against exact distributions (test/reference/sampling_reference.py
 * → test/reference/expected/sampling.json: scipy 1.10.1 pmfs, and exact enumerations).
 *
 * Goodness of fit: a fixed seed, N draws, a chi-square test on the exact pmf with
 * categories pooled (tails included) until each expects at least 5 draws, and again
 * on ~20 pooled categories of about equal probability; each must have p > 1e-4
 * (P_MIN). Means, variances and covariances must be within 5 standard errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { logGamma } from "../../src/lib/distributions.js";
import { createRng } from "../../src/lib/random.js";
import { BINOMIAL_INVERSION_MAX_MEAN, binomial, collisionSquares, multinomialCounts } from "../../src/lib/sampling.js";

interface Window {
  lo: number;
  hi: number;
  pmf: number[];
  below: number;
  above: number;
}
interface BinomialCase extends Window {
  name: string;
  n: number;
  p: number;
  mean: number;
  variance: number;
}
interface Reference {
  binomial: BinomialCase[];
  multinomial: { name: string; total: number; weights: number[]; cells: (Window & { p: number })[] }[];
  row_equivalence: { weights: number[]; total: number; outcomes: { counts: number[]; prob: number }[] };
  collisions: { k: number; m: number; mean: number; values: number[]; probs: number[] }[];
  chi2_sf: { x: number; df: number; sf: number }[];
}

const REF: Reference = JSON.parse(readFileSync(join(REPO_ROOT, "test", "reference", "expected", "sampling.json"), "utf8"));
const P_MIN = 1e-4;
const Z_MAX = 5;

/** Upper regularized incomplete gamma Q(a, x): series for x < a + 1, else a continued fraction (Lentz). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const prefix = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let i = 1; i < 100000 && term > sum * 1e-17; i++) {
      term *= x / (a + i);
      sum += term;
    }
    return 1 - sum * prefix;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    h *= d * c;
    if (Math.abs(d * c - 1) < 1e-16) break;
  }
  return prefix * h;
}

const chiSquareSf = (x: number, df: number) => gammaQ(df / 2, x / 2);

/**
 * Pearson's chi-square of observed against expected counts over ordered categories,
 * pooling neighbours from the left until each pooled category expects ≥ minExpected
 * (a short remainder joins the last category). Returns the statistic, df and p-value.
 */
function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>, minExpected = 5) {
  const pooledO: number[] = [];
  const pooledE: number[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < expected.length; i++) {
    o += observed[i]!;
    e += expected[i]!;
    if (e >= minExpected) {
      pooledO.push(o);
      pooledE.push(e);
      o = e = 0;
    }
  }
  if (pooledE.length === 0) return { stat: 0, df: 0, p: 1 };
  pooledO[pooledO.length - 1]! += o;
  pooledE[pooledE.length - 1]! += e;
  let stat = 0;
  pooledE.forEach((ei, i) => {
    stat += (pooledO[i]! - ei) ** 2 / ei;
  });
  const df = pooledE.length - 1;
  return { stat, df, p: df > 0 ? chiSquareSf(stat, df) : 1 };
}

/**
 * Two-sample chi-square test of homogeneity for samples of equal size: Σ (a − b)² / (a + b)
 * over categories pooled from the left until each holds ≥ 10 draws of both together.
 */
function homogeneity(a: ArrayLike<number>, b: ArrayLike<number>) {
  let stat = 0;
  let categories = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i]!;
    sb += b[i]!;
    if (sa + sb >= 10 || (i === a.length - 1 && sa + sb > 0)) {
      stat += (sa - sb) ** 2 / (sa + sb);
      categories++;
      sa = sb = 0;
    }
  }
  const df = categories - 1;
  return { stat, df, p: chiSquareSf(stat, df) };
}

/** Observed and expected counts over [below lo, lo … hi, above hi] for N draws. */
function windowCategories(w: Window, draws: ArrayLike<number>) {
  const observed = new Float64Array(w.pmf.length + 2);
  for (let i = 0; i < draws.length; i++) {
    const x = draws[i]!;
    observed[x < w.lo ? 0 : x > w.hi ? w.pmf.length + 1 : x - w.lo + 1]!++;
  }
  const n = draws.length;
  const expected = Float64Array.from([w.below, ...w.pmf, w.above], (q) => q * n);
  return { observed, expected };
}

/** Both chi-square tests of draws against a pmf window: fine (≥ 5 expected) and ~20 categories. */
function expectFits(w: Window, draws: ArrayLike<number>, what: string) {
  const { observed, expected } = windowCategories(w, draws);
  const fine = chiSquare(observed, expected);
  const coarse = chiSquare(observed, expected, draws.length / 20);
  expect(fine.p, `${what}: fine chi-square ${fine.stat.toFixed(1)} on ${fine.df} df`).toBeGreaterThan(P_MIN);
  expect(coarse.p, `${what}: coarse chi-square ${coarse.stat.toFixed(1)} on ${coarse.df} df`).toBeGreaterThan(P_MIN);
}

function moments(xs: ArrayLike<number>) {
  let mean = 0;
  for (let i = 0; i < xs.length; i++) mean += xs[i]!;
  mean /= xs.length;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) m2 += (xs[i]! - mean) ** 2;
  return { mean, variance: m2 / (xs.length - 1) };
}

function expectWithin(estimate: number, exact: number, se: number, what: string) {
  expect(Math.abs(estimate - exact), `${what}: ${estimate} vs ${exact} (SE ${se})`).toBeLessThanOrEqual(Z_MAX * se + 1e-12);
}

const reference = (name: string) => REF.binomial.find((c) => c.name === name)!;

describe("the test's chi-square p-value", () => {
  it("matches scipy.stats.chi2.sf to 1e-7 relative", () => {
    for (const { x, df, sf } of REF.chi2_sf) {
      expect(Math.abs(chiSquareSf(x, df) / sf - 1), `chi2.sf(${x}, ${df})`).toBeLessThan(1e-7);
    }
  });
});

describe("binomial", () => {
  const N = 200_000;
  // Which algorithm each case exercises (n·min(p, 1−p) against the switch).
  const regimes: Record<string, "inversion" | "btrd"> = {
    small_mean: "inversion",
    tiny_p: "inversion",
    high_p: "inversion",
    below_switch: "inversion",
    below_switch_half: "inversion",
    moderate: "btrd",
    large: "btrd",
    cells: "btrd",
    high_p_large: "btrd",
    above_switch: "btrd",
    at_switch_half: "btrd",
    half: "btrd",
  };
  for (const [name, regime] of Object.entries(regimes)) {
    const c = reference(name);
    it(`${name}: Binomial(${c.n}, ${c.p}) (${regime}) fits the exact pmf, mean and variance`, () => {
      expect(c.n * Math.min(c.p, 1 - c.p) < BINOMIAL_INVERSION_MAX_MEAN).toBe(regime === "inversion");
      const rng = createRng(20240611, `binomial/${name}`);
      const draws = new Float64Array(N);
      for (let i = 0; i < N; i++) draws[i] = binomial(c.n, c.p, rng);
      expect(draws.every((x) => Number.isInteger(x) && x >= 0 && x <= c.n)).toBe(true);
      expectFits(c, draws, name);
      const { mean, variance } = moments(draws);
      const mu4 = c.variance * (1 + 3 * c.p * (1 - c.p) * (c.n - 2)); // central 4th moment
      expectWithin(mean, c.mean, Math.sqrt(c.variance / N), `${name} mean`);
      expectWithin(variance, c.variance, Math.sqrt((mu4 - c.variance ** 2) / N), `${name} variance`);
    });
  }

  it("degenerate cases: p = 0, p = 1, n = 0", () => {
    const rng = createRng(1, "degenerate");
    for (let i = 0; i < 100; i++) {
      expect(binomial(10, 0, rng)).toBe(0);
      expect(binomial(10, 1, rng)).toBe(10);
      expect(binomial(0, 0.3, rng)).toBe(0);
      expect(binomial(0, 1, rng)).toBe(0);
    }
  });

  it("huge n (1e9 and 1e12, p = ½ and 1e-7) gives integers in range, near the mean, quickly", () => {
    const rng = createRng(7, "huge");
    const start = performance.now();
    for (const [n, p] of [
      [1e9, 0.5],
      [1e12, 0.5],
      [1e9, 1e-7],
      [2 ** 31 + 11, 0.3],
    ] as const) {
      const sd = Math.sqrt(n * p * (1 - p));
      for (let i = 0; i < 1000; i++) {
        const x = binomial(n, p, rng);
        expect(Number.isInteger(x) && x >= 0 && x <= n).toBe(true);
        expect(Math.abs(x - n * p)).toBeLessThan(8 * sd);
      }
    }
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it("is deterministic per seed", () => {
    const seq = (seed: string) => {
      const rng = createRng(seed);
      return [5, 30, 1e6, 1e9].flatMap((n) => [binomial(n, 0.3, rng), binomial(n, 1e-6, rng), binomial(n, 0.8, rng)]);
    };
    expect(seq("a")).toEqual(seq("a"));
    expect(seq("a")).not.toEqual(seq("b"));
  });

  it("rejects bad n and p, naming the value", () => {
    const rng = createRng(1);
    expect(() => binomial(-1, 0.5, rng)).toThrow(/n must be a non-negative integer, got -1/);
    expect(() => binomial(2.5, 0.5, rng)).toThrow(/got 2.5/);
    expect(() => binomial(NaN, 0.5, rng)).toThrow(/n .*got NaN/);
    expect(() => binomial(Infinity, 0.5, rng)).toThrow(/n .*got Infinity/);
    expect(() => binomial(10, -0.1, rng)).toThrow(/p must be a probability in \[0, 1\], got -0.1/);
    expect(() => binomial(10, 1.5, rng)).toThrow(/got 1.5/);
    expect(() => binomial(10, NaN, rng)).toThrow(/p .*got NaN/);
  });
});

/** N draws of multinomialCounts, as one Float64Array per cell, reusing one output array. */
function multinomialDraws(total: number, weights: number[], N: number, seed: string) {
  const rng = createRng(20240611, seed);
  const perCell = weights.map(() => new Float64Array(N));
  const out = new Int32Array(weights.length);
  let sumsOk = true;
  let zerosOk = true;
  for (let i = 0; i < N; i++) {
    const counts = multinomialCounts(total, weights, rng, out);
    let sum = 0;
    counts.forEach((k, j) => {
      sum += k;
      perCell[j]![i] = k;
      if (weights[j] === 0 && k !== 0) zerosOk = false;
    });
    if (sum !== total || counts !== out) sumsOk = false;
  }
  return { perCell, sumsOk, zerosOk };
}

/** Covariance estimate with exact means, and its standard error. */
function covariance(x: Float64Array, y: Float64Array, meanX: number, meanY: number) {
  const products = x.map((xi, i) => (xi - meanX) * (y[i]! - meanY));
  const { mean, variance } = moments(products);
  return { cov: mean, se: Math.sqrt(variance / x.length) };
}

describe("multinomialCounts", () => {
  const sizes: Record<string, number> = { small_total: 200_000, large_total: 20_000, fractional_weights: 100_000 };
  for (const c of REF.multinomial) {
    it(`${c.name}: total ${c.total}, weights ${c.weights.join(",")}: sums, zero cells, binomial marginals, covariance`, () => {
      const N = sizes[c.name]!;
      const { perCell, sumsOk, zerosOk } = multinomialDraws(c.total, c.weights, N, `multinomial/${c.name}`);
      expect(sumsOk, "every draw sums to total, in the reused array").toBe(true);
      expect(zerosOk, "zero-weight cells are always 0").toBe(true);
      c.cells.forEach((cell, j) => {
        if (cell.p === 0) return;
        expectFits(cell, perCell[j]!, `${c.name} cell ${j}`);
        const variance = c.total * cell.p * (1 - cell.p);
        expectWithin(moments(perCell[j]!).mean, c.total * cell.p, Math.sqrt(variance / N), `${c.name} cell ${j} mean`);
      });
      const [i, j] = [0, c.weights.length - 1];
      const pi = c.cells[i]!.p;
      const pj = c.cells[j]!.p;
      const { cov, se } = covariance(perCell[i]!, perCell[j]!, c.total * pi, c.total * pj);
      expectWithin(cov, -c.total * pi * pj, se, `${c.name} cov(cell ${i}, cell ${j})`);
    });
  }

  it("has the distribution of the row bootstrap (total = Σm = 7 rows in cells of 1, 2, 4)", () => {
    const { weights, total, outcomes } = REF.row_equivalence;
    const index = new Map(outcomes.map((o, i) => [o.counts.join(","), i]));
    const rowCell = weights.flatMap((m, j) => Array<number>(m).fill(j));
    const N = 200_000;
    const byCells = new Float64Array(outcomes.length);
    const byRows = new Float64Array(outcomes.length);
    const rng = createRng(20240611, "row-equivalence");
    const rowCounts = new Int32Array(weights.length);
    for (let i = 0; i < N; i++) {
      byCells[index.get(multinomialCounts(total, weights, rng).join(","))!]!++;
      rowCounts.fill(0);
      for (let r = 0; r < total; r++) rowCounts[rowCell[rng.int(total)]!]!++;
      byRows[index.get(rowCounts.join(","))!]!++;
    }
    const expected = outcomes.map((o) => o.prob * N);
    for (const [what, observed] of [
      ["cells", byCells],
      ["rows", byRows],
    ] as const) {
      const { p, stat, df } = chiSquare(observed, expected);
      expect(p, `${what} vs exact multinomial: chi-square ${stat.toFixed(1)} on ${df} df`).toBeGreaterThan(P_MIN);
    }
    const { p, stat, df } = homogeneity(byCells, byRows);
    expect(p, `cells vs rows: chi-square ${stat.toFixed(1)} on ${df} df`).toBeGreaterThan(P_MIN);
  });

  it("edge cases: total 0, one cell, all-zero weights with total 0, 1e6 cells, total 1e8", () => {
    const rng = createRng(3, "edges");
    expect([...multinomialCounts(0, [1, 2, 3], rng)]).toEqual([0, 0, 0]);
    expect([...multinomialCounts(0, [0, 0], rng)]).toEqual([0, 0]);
    expect([...multinomialCounts(0, [], rng)]).toEqual([]);
    expect([...multinomialCounts(17, [2.5], rng)]).toEqual([17]);
    expect([...multinomialCounts(17, [0, 4, 0], rng)]).toEqual([0, 17, 0]);
    const many = multinomialCounts(1_000_000, new Float64Array(1_000_000).fill(1), rng);
    expect(many.reduce((a, b) => a + b, 0)).toBe(1_000_000);
    const big = multinomialCounts(1e8, [1, 2, 3], rng, new Float64Array(3));
    expect(big).toBeInstanceOf(Float64Array);
    expect(big[0]! + big[1]! + big[2]!).toBe(1e8);
    expect(Math.abs(big[2]! - 5e7)).toBeLessThan(8 * Math.sqrt(1e8 * 0.25));
  });

  it("reuses out when its length matches, else allocates the same type", () => {
    const rng = createRng(4);
    const out = new Int32Array(3);
    expect(multinomialCounts(10, [1, 1, 1], rng, out)).toBe(out);
    const f64 = new Float64Array(2);
    const other = multinomialCounts(10, [1, 1, 1], rng, f64);
    expect(other).not.toBe(f64);
    expect(other).toBeInstanceOf(Float64Array);
    expect(multinomialCounts(10, [1, 1, 1], rng, new Int32Array(5))).toBeInstanceOf(Int32Array);
    expect(multinomialCounts(3e9, [1, 1], rng)).toBeInstanceOf(Float64Array);
    expect(() => multinomialCounts(3e9, [1, 1], rng, new Int32Array(2))).toThrow(/Float64Array/);
  });

  it("is deterministic per seed", () => {
    const weights = Array.from({ length: 50 }, (_, i) => (i * 7) % 5);
    const draw = (seed: string) => [...multinomialCounts(12_345, weights, createRng(seed))];
    expect(draw("x")).toEqual(draw("x"));
    expect(draw("x")).not.toEqual(draw("y"));
  });

  it("rejects bad totals and weights, naming the value and index", () => {
    const rng = createRng(1);
    expect(() => multinomialCounts(-3, [1], rng)).toThrow(/total must be a non-negative integer, got -3/);
    expect(() => multinomialCounts(1.5, [1], rng)).toThrow(/got 1.5/);
    expect(() => multinomialCounts(5, [1, 2, -1, 3], rng)).toThrow(/weights\[2\] .*got -1/);
    expect(() => multinomialCounts(5, [1, NaN], rng)).toThrow(/weights\[1\] .*got NaN/);
    expect(() => multinomialCounts(5, [Infinity, 1], rng)).toThrow(/weights\[0\] .*got Infinity/);
    expect(() => multinomialCounts(5, [0, 0, 0], rng)).toThrow(/total 5 .*all zero/);
    expect(() => multinomialCounts(5, [], rng)).toThrow(/total 5 .*0 cells/);
  });
});

describe("collisionSquares", () => {
  it("has the exact mean and variance (within 5 SE) for (5, 100), (100, 100), (1000, 10), (3, 1), (10000, 20001)", () => {
    // Σc² = k + 2·(colliding pairs); the C(k, 2) pair indicators are pairwise independent
    // Bernoulli(1/m), so the mean is k + k(k−1)/m and the variance 4·C(k, 2)·(1/m)(1 − 1/m).
    const rng = createRng(20240611, "collisions/moments");
    for (const [k, m, N] of [
      [5, 100, 20_000],
      [100, 100, 20_000],
      [1000, 10, 20_000],
      [3, 1, 100],
      [10_000, 20_001, 1_000],
    ] as const) {
      const draws = Float64Array.from({ length: N }, () => collisionSquares(k, m, rng));
      const { mean, variance } = moments(draws);
      const pairs = (k * (k - 1)) / 2;
      const m4 = draws.reduce((acc, x) => acc + (x - mean) ** 4, 0) / N;
      expectWithin(mean, k + (2 * pairs) / m, Math.sqrt(variance / N), `k=${k}, m=${m} mean`);
      expectWithin(variance, 4 * pairs * (1 / m) * (1 - 1 / m), Math.sqrt((m4 - variance ** 2) / N), `k=${k}, m=${m} variance`);
    }
  });

  for (const c of REF.collisions) {
    it(`k = ${c.k}, m = ${c.m} (${c.k <= c.m ? "throwing balls" : "binomials over bins"}): exact distribution`, () => {
      const rng = createRng(20240611, `collisions/${c.k}/${c.m}`);
      const N = 100_000;
      const observed = new Float64Array(c.values.length);
      const impossible: number[] = [];
      for (let i = 0; i < N; i++) {
        const value = collisionSquares(c.k, c.m, rng);
        const at = c.values.indexOf(value);
        if (at < 0) impossible.push(value);
        else observed[at]!++;
      }
      expect(impossible, "values outside the support").toEqual([]);
      const { p, stat, df } = chiSquare(
        observed,
        c.probs.map((q) => q * N),
      );
      expect(p, `chi-square ${stat.toFixed(1)} on ${df} df`).toBeGreaterThan(P_MIN);
    });
  }

  it("special cases, determinism and bad input", () => {
    const rng = createRng(5);
    expect(collisionSquares(7, 1, rng)).toBe(49);
    expect(collisionSquares(0, 10, rng)).toBe(0);
    expect(collisionSquares(1, 10, rng)).toBe(1);
    const seq = (seed: string) => {
      const r = createRng(seed);
      return [collisionSquares(50, 1000, r), collisionSquares(5000, 30, r), collisionSquares(40, 40, r)];
    };
    expect(seq("s")).toEqual(seq("s"));
    expect(() => collisionSquares(-1, 3, rng)).toThrow(/k must be a non-negative integer, got -1/);
    expect(() => collisionSquares(3, 0, rng)).toThrow(/m must be a positive integer, got 0/);
    expect(() => collisionSquares(3, 2.5, rng)).toThrow(/got 2.5/);
  });
});
