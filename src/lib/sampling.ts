/**
 * Exact, seeded binomial and multinomial samplers, for a bootstrap that resamples
 * cells with multiplicities instead of rows: one draw of `multinomialCounts` over
 * cells weighted by their row counts has the distribution of the per-cell counts of
 * an ordinary row bootstrap, at O(cells) instead of O(rows) cost.
 *
 * Pure TypeScript (no `node:` imports): it runs in the browser and in Node. Every
 * function takes an `Rng` (src/lib/random.ts), so a seed fixes the output.
 */
import type { Rng } from "./random.js";

/**
 * Binomial draws whose mean n·min(p, 1−p) is below this use inversion (expected cost
 * proportional to the mean); the others use BTRD (constant expected cost). BTRD needs
 * a mean of at least 10.
 */
export const BINOMIAL_INVERSION_MAX_MEAN = 14;

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * One exact draw from Binomial(n, p): n a non-negative integer (up to 2^53), p in
 * [0, 1]. Inversion for small means, Hörmann's BTRD otherwise; no approximation.
 */
export function binomial(n: number, p: number, rng: Rng): number {
  checkCount(n, "n");
  if (!(p >= 0 && p <= 1)) throw new Error(`p must be a probability in [0, 1], got ${p}`);
  return drawBinomial(n, p, rng);
}

/** Binomial(n, p) for already-checked arguments; p > ½ by symmetry. */
function drawBinomial(n: number, p: number, rng: Rng): number {
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  // For p in (½, 1), 1 − p is exact (Sterbenz), so the symmetry costs no accuracy.
  if (p > 0.5) return n - drawLowerHalf(n, 1 - p, rng);
  return drawLowerHalf(n, p, rng);
}

function drawLowerHalf(n: number, p: number, rng: Rng): number {
  return n * p < BINOMIAL_INVERSION_MAX_MEAN ? inversion(n, p, rng) : btrd(n, p, rng);
}

/**
 * Inversion by sequential search (Kachitvichyanukul & Schmeiser's BINV): walk up the
 * pmf from P(0) = (1−p)^n with P(x)/P(x−1) = (n+1−x)/x · p/q until the uniform is
 * used up. P(0) is exp(n·log1p(−p)), which neither underflows nor loses accuracy when
 * n is large and p small. If rounding leaves the uniform unspent past the support (or
 * the pmf underflows), the draw is repeated; that has probability ~1e-16.
 */
function inversion(n: number, p: number, rng: Rng): number {
  const s = p / (1 - p);
  const a = (n + 1) * s;
  const p0 = Math.exp(n * Math.log1p(-p));
  for (;;) {
    let u = rng.next();
    let f = p0;
    let x = 0;
    while (u >= f) {
      u -= f;
      x++;
      f *= a / x - s;
      if (!(f > 0) || x > n) break;
    }
    if (u < f && x <= n) return x;
  }
}

/**
 * BTRD: transformed rejection with decomposition, from W. Hörmann (1993), "The
 * generation of binomial random variates", Journal of Statistical Computation and
 * Simulation 46, 101–110 (steps 1–3.4 of Algorithm BTRD, with its constants). Exact
 * for p ≤ ½ and n·p ≥ 10. A uniform point (U, V) on [−½, ½] × [0, 1] is mapped to
 * k = ⌊(2a/(½−|U|) + b)·U + c⌋; most points fall in a box that is accepted at once.
 */
function btrd(n: number, p: number, rng: Rng): number {
  const spq = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const urvr = 0.86 * vr;
  for (;;) {
    let v = rng.next();
    let u: number;
    if (v <= urvr) {
      // Step 1: immediate acceptance inside the box |U| ≤ 0.43, V ≤ v_r.
      u = v / vr - 0.43;
      return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
    }
    if (v >= vr) {
      u = rng.next() - 0.5;
    } else {
      // Step 2: V in (u_r·v_r, v_r) gives U in the two side strips 0.43 < |U| ≤ ½.
      u = v / vr - 0.93;
      u = (u < 0 ? -0.5 : 0.5) - u;
      v = rng.next() * vr;
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (!(k >= 0 && k <= n)) continue;
    if (btrdAccept(n, p, k, (v * alpha) / (a / (us * us) + b))) return k;
  }
}

/**
 * Steps 3.1–3.4 of BTRD: accept k if v ≤ f(k)/f(m), m the mode. Near the mode the
 * ratio is a product of pmf ratios; farther out a squeeze on log(f(k)/f(m)) decides
 * most cases, and the rest compare with the exact log ratio.
 */
function btrdAccept(n: number, p: number, k: number, v: number): boolean {
  const m = Math.floor((n + 1) * p);
  const r = p / (1 - p);
  const nr = (n + 1) * r;
  const km = Math.abs(k - m);
  if (km <= 15) {
    let f = 1;
    if (m < k) for (let i = m + 1; i <= k; i++) f *= nr / i - r;
    else for (let i = k + 1; i <= m; i++) v *= nr / i - r;
    return v <= f;
  }
  const lv = Math.log(v);
  const npq = n * p * (1 - p);
  // The squeeze t ± rho brackets the log ratio only for km < npq/2 − 1 (the range
  // BTPE uses it in, Kachitvichyanukul & Schmeiser 1988); beyond it, e.g. far in the
  // left tail when p is small, the lower bound fails, so go straight to the exact ratio.
  if (km < npq / 2 - 1) {
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
    const t = (-km * km) / (2 * npq);
    if (lv < t - rho) return true;
    if (lv > t + rho) return false;
  }
  return lv <= logRatioToMode(n, p, m, k);
}

/**
 * log(f(k)/f(m)) for the Binomial(n, p) pmf f: Hörmann's steps 3.3–3.4 (Stirling's
 * formula with the correction fc), rearranged so that nothing of order n·log(n)
 * cancels: with L = log(p(n−m+1)/(q(m+1))), it is (k−m)·L − (k+½)·log1p((k−m)/(m+1))
 * − (n−k+½)·log1p((m−k)/(n−m+1)) + fc(m) + fc(n−m) − fc(k) − fc(n−k).
 */
function logRatioToMode(n: number, p: number, m: number, k: number): number {
  const d = k - m;
  const L = Math.log((p * (n - m + 1)) / ((1 - p) * (m + 1)));
  return (
    d * L -
    (k + 0.5) * Math.log1p(d / (m + 1)) -
    (n - k + 0.5) * Math.log1p(-d / (n - m + 1)) +
    stirlingCorrection(m) +
    stirlingCorrection(n - m) -
    stirlingCorrection(k) -
    stirlingCorrection(n - k)
  );
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const FC_TABLE = (() => {
  // fc(k) = log k! − [(k+½)·log(k+1) − (k+1) + ½·log 2π], exactly for small k.
  const table = new Float64Array(30);
  let logFactorial = 0;
  for (let k = 0; k < table.length; k++) {
    if (k > 0) logFactorial += Math.log(k);
    table[k] = logFactorial - ((k + 0.5) * Math.log(k + 1) - (k + 1) + HALF_LOG_2PI);
  }
  return table;
})();

/** fc(k): the table below 30, else Stirling's series to 1/(k+1)^5 (error < 1e-13). */
function stirlingCorrection(k: number): number {
  if (k < FC_TABLE.length) return FC_TABLE[k]!;
  const inv = 1 / (k + 1);
  const inv2 = inv * inv;
  return (1 / 12 - (1 / 360 - inv2 / 1260) * inv2) * inv;
}

let suffixScratch = new Float64Array(0);

/**
 * Suffix sums Σ_{i≥j} w_i of the weights, in a reused buffer, after checking that
 * every weight is a non-negative finite number. The conditional probability of cell j
 * is w_j / suffix[j], so it is 1 exactly at the last positive weight: no drift.
 */
function suffixSums(weights: ArrayLike<number>): Float64Array {
  const cells = weights.length;
  if (suffixScratch.length < cells) suffixScratch = new Float64Array(Math.max(cells, 2 * suffixScratch.length));
  const suffix = suffixScratch;
  let sum = 0;
  for (let j = cells - 1; j >= 0; j--) {
    const w = weights[j]!;
    if (!(w >= 0 && w < Infinity)) throw new Error(`weights[${j}] must be a non-negative finite number, got ${w}`);
    sum += w;
    suffix[j] = sum;
  }
  if (sum === Infinity) throw new Error("the weights' sum overflows to Infinity");
  return suffix;
}

function outputArray<T extends Int32Array | Float64Array>(cells: number, total: number, out?: T): T {
  if (out instanceof Int32Array && total > 0x7fffffff) {
    throw new Error(`total ${total} does not fit an Int32Array; pass a Float64Array as out`);
  }
  if (out && out.length === cells) return out;
  if (out instanceof Float64Array) return new Float64Array(cells) as T;
  if (total > 0x7fffffff) return new Float64Array(cells) as T;
  return new Int32Array(cells) as T;
}

/**
 * One draw of Multinomial(total, weights / Σweights): the count of each cell, by
 * conditional binomials k_j ~ Binomial(remaining total, w_j / Σ_{i≥j} w_i). Zero
 * weights get 0; the last positive weight gets the remainder. `out` is reused when its
 * length matches (else a new array of its type is made; an Int32Array by default, a
 * Float64Array when total exceeds 2^31 − 1). Cost O(cells), no allocation per cell.
 */
export function multinomialCounts(total: number, weights: ArrayLike<number>, rng: Rng): Int32Array;
export function multinomialCounts<T extends Int32Array | Float64Array>(total: number, weights: ArrayLike<number>, rng: Rng, out: T): T;
export function multinomialCounts<T extends Int32Array | Float64Array>(total: number, weights: ArrayLike<number>, rng: Rng, out?: T): T {
  checkCount(total, "total");
  const cells = weights.length;
  const suffix = suffixSums(weights);
  if (total > 0 && !(cells > 0 && suffix[0]! > 0)) {
    throw new Error(`total ${total} cannot be spread over ${cells} cells whose weights are all zero`);
  }
  const counts = outputArray(cells, total, out);
  let remaining = total;
  let j = 0;
  for (; j < cells && remaining > 0; j++) {
    const w = weights[j]!;
    const k = w === 0 ? 0 : drawBinomial(remaining, w / suffix[j]!, rng);
    counts[j] = k;
    remaining -= k;
  }
  counts.fill(0, j);
  return counts;
}

/** At most this many balls are thrown at once (the buffer holding them stays small). */
const MAX_THROWN = 4096;
const ballScratch = new Float64Array(MAX_THROWN);

/** Bins up to which balls are counted in a table rather than sorted. */
const MAX_COUNTED_BINS = 1 << 16;
const binCounts = new Int32Array(MAX_COUNTED_BINS);

/**
 * Σ count² of k ≤ MAX_THROWN balls thrown at m ≤ MAX_COUNTED_BINS bins, counting each bin
 * in a table: a ball landing in a bin that holds c adds 2c + 1. O(k), no sort.
 */
function collisionsByCounting(k: number, m: number, rng: Rng): number {
  const balls = ballScratch.subarray(0, k);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const bin = rng.int(m);
    balls[i] = bin;
    sum += 2 * binCounts[bin]! + 1;
    binCounts[bin]!++;
  }
  for (let i = 0; i < k; i++) binCounts[balls[i]!] = 0;
  return sum;
}

/** Σ count² of k ≤ MAX_THROWN balls thrown at m bins, by throwing them: sort the bins, sum run². */
function collisionsByThrowing(k: number, m: number, rng: Rng): number {
  const balls = ballScratch.subarray(0, k);
  for (let i = 0; i < k; i++) balls[i] = rng.int(m);
  balls.sort();
  let sum = 0;
  let run = 1;
  for (let i = 1; i < k; i++) {
    if (balls[i] === balls[i - 1]) {
      run++;
    } else {
      sum += run * run;
      run = 1;
    }
  }
  return sum + run * run;
}

/** Σ count² of k balls in m bins, bin by bin: c_i ~ Binomial(remaining, 1/remaining bins). */
function collisionsByBins(k: number, m: number, rng: Rng): number {
  let remaining = k;
  let sum = 0;
  for (let bins = m; bins > 1 && remaining > 0; bins--) {
    const c = drawBinomial(remaining, 1 / bins, rng);
    sum += c * c;
    remaining -= c;
  }
  return sum + remaining * remaining;
}

/**
 * For k balls thrown independently and uniformly at m bins, one exact draw of
 * Σ_bins count² (its mean is k + k(k−1)/m). Expected cost O(min(k, m)): balls are
 * thrown and counted in a table when k ≤ 4m and both are small (the common case: a unit
 * drawn about as often as it has responses), thrown and sorted when k ≤ m (more than 4096
 * are first split between halves of the bins), and bins are filled by conditional
 * binomials when k > m.
 */
export function collisionSquares(k: number, m: number, rng: Rng): number {
  checkCount(k, "k");
  if (!Number.isSafeInteger(m) || m < 1) throw new Error(`m must be a positive integer, got ${m}`);
  return drawCollisions(k, m, rng);
}

/**
 * Σ count² for checked k and m. With more than MAX_THROWN balls and at least as many
 * bins, the bins are split into two halves: the number of balls in the first is
 * Binomial(k, m₁/m), and given it the balls in each half are uniform over its bins, so
 * each half is drawn on its own and the sum stays exact.
 */
function drawCollisions(k: number, m: number, rng: Rng): number {
  if (k <= 1) return k;
  if (m === 1) return k * k;
  // Counting thrown balls costs O(k); filling bins by binomials O(m): throw unless k ≫ m.
  if (k <= MAX_THROWN && m <= MAX_COUNTED_BINS && k <= 4 * m) return collisionsByCounting(k, m, rng);
  if (k > m) return collisionsByBins(k, m, rng);
  if (k <= MAX_THROWN) return collisionsByThrowing(k, m, rng);
  const m1 = Math.floor(m / 2);
  const k1 = drawBinomial(k, m1 / m, rng);
  return drawCollisions(k1, m1, rng) + drawCollisions(k - k1, m - m1, rng);
}
