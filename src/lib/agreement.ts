/**
 * Agreement between raters who put units into nominal categories: Cohen's κ for a pair,
 * Fleiss' κ for several raters, Krippendorff's α (nominal, missing ratings allowed), and
 * what judges with known error rates should agree in theory.
 *
 * Ratings are a raters × units matrix; `null` is a missing rating. Undefined statistics
 * (no pairable units, or chance agreement of 1 because every rating is the same
 * category) are NaN, never an error.
 *
 * Optional weights count each unit (column) as that many identical units, so that units
 * rated alike can be merged and counted (the site's build does so for a million
 * responses). Sums are kept in whole numbers until the last division, so a merged and
 * counted matrix gives exactly the numbers of the units one by one.
 */

export type Ratings = ReadonlyArray<ReadonlyArray<string | null>>;
/** How many units each column of a ratings matrix stands for (whole numbers; default 1 each). */
export type Weights = ReadonlyArray<number>;

const weightOf = (weights: Weights | undefined, u: number): number => (weights ? weights[u]! : 1);

export interface PairAgreement {
  /** Units both raters rated. */
  n: number;
  /** Observed agreement. */
  po: number;
  /** Chance agreement from the two raters' own marginals. */
  pe: number;
  kappa: number;
  /** Counts: rows the first rater's category, columns the second's, in `categories` order. */
  table: number[][];
  categories: string[];
}

/** The sorted categories used anywhere in the ratings. */
export function categoriesOf(ratings: Ratings): string[] {
  const set = new Set<string>();
  for (const rater of ratings) for (const v of rater) if (v !== null) set.add(v);
  return [...set].sort();
}

function checkShape(ratings: Ratings, weights?: Weights): number {
  const units = ratings[0]?.length ?? 0;
  ratings.forEach((r, i) => {
    if (r.length !== units)
      throw new Error(`Rater ${i + 1} has ${r.length} ratings, rater 1 has ${units}: every rater needs one entry per unit (null when missing)`);
  });
  if (weights && weights.length !== units) throw new Error(`${weights.length} weights for ${units} units: give one weight per unit (column), or none`);
  const bad = weights?.findIndex((w) => !Number.isInteger(w) || w < 0) ?? -1;
  if (bad >= 0) throw new Error(`Weight ${weights![bad]} of unit ${bad + 1} is not a whole number ≥ 0: a weight counts identical units`);
  return units;
}

/** Cohen's κ for two raters, on the units both rated. */
export function cohenKappa(
  a: ReadonlyArray<string | null>,
  b: ReadonlyArray<string | null>,
  categories = categoriesOf([a, b]),
  weights?: Weights,
): PairAgreement {
  checkShape([a, b], weights);
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let n = 0;
  for (let u = 0; u < a.length; u++) {
    const x = a[u];
    const y = b[u];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    const i = index.get(x);
    const j = index.get(y);
    if (i === undefined || j === undefined) throw new Error(`Category "${i === undefined ? x : y}" is not among ${categories.join(", ")}`);
    const w = weightOf(weights, u);
    table[i]![j]! += w;
    n += w;
  }
  if (n === 0) return { n, po: NaN, pe: NaN, kappa: NaN, table, categories };
  let agree = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    agree += table[i]![i]!;
    let row = 0;
    let col = 0;
    for (let j = 0; j < k; j++) {
      row += table[i]![j]!;
      col += table[j]![i]!;
    }
    pe += (row / n) * (col / n);
  }
  const po = agree / n;
  return { n, po, pe, kappa: pe >= 1 ? NaN : (po - pe) / (1 - pe), table, categories };
}

/** Fleiss' κ on the units every rater rated (null when there are none, or fewer than two raters). */
export function fleissKappa(ratings: Ratings, categories = categoriesOf(ratings), weights?: Weights): { kappa: number; units: number } | null {
  const units = checkShape(ratings, weights);
  const m = ratings.length;
  if (m < 2) return null;
  const index = new Map(categories.map((c, i) => [c, i]));
  const totals = new Array<number>(categories.length).fill(0);
  // Σ over units of (Σ_c n_c² − m): a whole number, divided by m(m − 1) once at the end.
  let agreeing = 0;
  let complete = 0;
  const counts = new Array<number>(categories.length);
  for (let u = 0; u < units; u++) {
    if (ratings.some((r) => r[u] === null || r[u] === undefined)) continue;
    const w = weightOf(weights, u);
    counts.fill(0);
    for (const r of ratings) counts[index.get(r[u]!)!]!++;
    let s = 0;
    for (let c = 0; c < counts.length; c++) {
      s += counts[c]! * counts[c]!;
      totals[c]! += w * counts[c]!;
    }
    agreeing += w * (s - m);
    complete += w;
  }
  if (complete === 0) return null;
  const pBar = agreeing / (m * (m - 1) * complete);
  const pe = totals.reduce((a, t) => a + (t / (complete * m)) ** 2, 0);
  return { kappa: pe >= 1 ? NaN : (pBar - pe) / (1 - pe), units: complete };
}

/**
 * Krippendorff's α for nominal data, from the coincidence matrix: units with fewer than
 * two ratings are not pairable and are left out; α = 1 − D_o / D_e.
 */
export function krippendorffAlpha(ratings: Ratings, weights?: Weights): { alpha: number; pairable: number } {
  const units = checkShape(ratings, weights);
  const categories = categoriesOf(ratings);
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  // Only the diagonal's sum and the margins of the coincidence matrix are needed for nominal
  // data. The diagonal is Σ_u Σ_c n_uc(n_uc − 1) / (m_u − 1): whole numbers per m_u, divided once.
  const diagonalByM = new Map<number, number>();
  const margin = new Array<number>(k).fill(0);
  const counts = new Array<number>(k);
  let n = 0;
  for (let u = 0; u < units; u++) {
    counts.fill(0);
    let mu = 0;
    for (const r of ratings) {
      const v = r[u];
      if (v === null || v === undefined) continue;
      counts[index.get(v)!]!++;
      mu++;
    }
    if (mu < 2) continue;
    const w = weightOf(weights, u);
    let same = 0;
    for (let c = 0; c < k; c++) {
      same += counts[c]! * (counts[c]! - 1);
      margin[c]! += w * counts[c]!;
    }
    diagonalByM.set(mu, (diagonalByM.get(mu) ?? 0) + w * same);
    n += w * mu;
  }
  if (n < 2) return { alpha: NaN, pairable: n };
  const diagonal = [...diagonalByM].sort((a, b) => a[0] - b[0]).reduce((a, [mu, same]) => a + same / (mu - 1), 0);
  const observed = 1 - diagonal / n;
  const expected = 1 - margin.reduce((a, m) => a + m * (m - 1), 0) / (n * (n - 1));
  return { alpha: expected <= 0 ? NaN : 1 - observed / expected, pairable: n };
}

/** Every pair of raters' Cohen's κ, with the pair's indices. */
export function pairwiseKappas(ratings: Ratings, categories = categoriesOf(ratings)): Array<PairAgreement & { raters: [number, number] }> {
  const out: Array<PairAgreement & { raters: [number, number] }> = [];
  for (let i = 0; i < ratings.length; i++)
    for (let j = i + 1; j < ratings.length; j++) out.push({ ...cohenKappa(ratings[i]!, ratings[j]!, categories), raters: [i, j] });
  return out;
}

/**
 * What two judges should agree in the long run when each labels a unit correctly with
 * probability 1 − e and otherwise picks one of the other categories at random, given how
 * common each true category is. Also gives the large-sample α (Scott's π for two raters).
 */
export function theoreticalAgreement(
  prevalence: Readonly<Record<string, number>>,
  e1: number,
  e2: number,
): { po: number; pe: number; kappa: number; alpha: number; table: number[][]; categories: string[] } {
  const categories = Object.keys(prevalence).sort();
  const total = categories.reduce((a, c) => a + prevalence[c]!, 0);
  const k = categories.length;
  if (k < 2) throw new Error("theoreticalAgreement needs at least two categories");
  const p = (observed: number, truth: number, e: number) => (observed === truth ? 1 - e : e / (k - 1));
  const table = categories.map((_, a) => categories.map((_, b) => categories.reduce((s, c, t) => s + (prevalence[c]! / total) * p(a, t, e1) * p(b, t, e2), 0)));
  let po = 0;
  let pe = 0;
  let pi = 0;
  for (let a = 0; a < k; a++) {
    po += table[a]![a]!;
    const row = table[a]!.reduce((s, v) => s + v, 0);
    const col = table.reduce((s, r) => s + r[a]!, 0);
    pe += row * col;
    pi += ((row + col) / 2) ** 2;
  }
  return { po, pe, kappa: (po - pe) / (1 - pe), alpha: (po - pi) / (1 - pi), table, categories };
}

/** Fleiss' κ in the long run for judges with the given error rates (same model as above). */
export function theoreticalFleiss(prevalence: Readonly<Record<string, number>>, rates: readonly number[]): number {
  const categories = Object.keys(prevalence).sort();
  const total = categories.reduce((a, c) => a + prevalence[c]!, 0);
  const k = categories.length;
  // Mean pairwise agreement over pairs of distinct judges, and the pooled category shares.
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < rates.length; i++) {
    for (let j = i + 1; j < rates.length; j++) {
      agree += theoreticalAgreement(prevalence, rates[i]!, rates[j]!).po;
      pairs++;
    }
  }
  const shares = categories.map(
    (_, a) => rates.reduce((s, e) => s + categories.reduce((t, d, b) => t + (prevalence[d]! / total) * (a === b ? 1 - e : e / (k - 1)), 0), 0) / rates.length,
  );
  const pe = shares.reduce((s, x) => s + x * x, 0);
  const pBar = agree / pairs;
  return (pBar - pe) / (1 - pe);
}
