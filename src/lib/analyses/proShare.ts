/**
 * How often does each model take the pro side, beside how often each surveyed country does?
 * The template analysis of docs/adding-a-page.md: small, complete, and a real question (the
 * value map finds the models nearer 50% than any country).
 *
 * A model's pro share in a prompt language is the mean over items of its mean value polarity
 * score (VPS) on the item, responses weighted by their count; a country's is the mean over
 * the same items of its survey pro share. Items are the unit of uncertainty: each replicate
 * resamples the items once for every model and country alike (the recommended inference:
 * the full-data estimate, with percentile intervals that do not narrow as replicates grow).
 */
import { createRng, resampleCounts } from "../random.js";
import { bootstrapEstimate, type Estimate } from "../recommended/estimate.js";
import { countOf, type GroundTruthRow, type ResponseRow } from "../workspace.js";

export interface ProShareRow extends Pick<Estimate, "se" | "ci_low" | "ci_high"> {
  /** A model × prompt language, or a country (`language` null). */
  kind: "model" | "country";
  name: string;
  language: string | null;
  /** The mean pro share over the items (0–1). */
  share: number;
  /** Items with a value in this row (of the items looked at). */
  items: number;
}

export interface ProShareResult {
  /** The items looked at: those with a scored response and a country-level pro share, sorted. */
  items: string[];
  replicates: number;
  rows: ProShareRow[];
}

/** A row's value on each item (NaN where it has none), in the order of `items`. */
type Profile = { kind: ProShareRow["kind"]; name: string; language: string | null; values: Float64Array };

/** The count-weighted mean VPS per item of each model × language. */
function modelProfiles(scored: readonly ResponseRow[], index: Map<string, number>): Profile[] {
  const sums = new Map<string, { model: string; language: string; sum: Float64Array; n: Float64Array }>();
  for (const r of scored) {
    const i = index.get(r.item);
    if (i === undefined || r.vps === null) continue;
    const key = `${r.model}\u0000${r.language}`;
    if (!sums.has(key)) sums.set(key, { model: r.model, language: r.language, sum: new Float64Array(index.size), n: new Float64Array(index.size) });
    const cell = sums.get(key)!;
    cell.sum[i]! += countOf(r) * r.vps;
    cell.n[i]! += countOf(r);
  }
  return [...sums.values()].map((c) => ({
    kind: "model",
    name: c.model,
    language: c.language,
    values: c.sum.map((s, i) => (c.n[i]! > 0 ? s / c.n[i]! : NaN)),
  }));
}

/** Each country's pro share per item. */
function countryProfiles(groundTruth: readonly GroundTruthRow[], index: Map<string, number>): Profile[] {
  const byCountry = new Map<string, Float64Array>();
  for (const g of groundTruth) {
    const i = index.get(g.item);
    if (g.level !== "country" || i === undefined || !Number.isFinite(g.pro_score)) continue;
    if (!byCountry.has(g.population)) byCountry.set(g.population, new Float64Array(index.size).fill(NaN));
    byCountry.get(g.population)![i] = g.pro_score;
  }
  return [...byCountry].map(([name, values]) => ({ kind: "country", name, language: null, values }));
}

/** The weighted mean of a profile's defined values (weights: how often each item was drawn). */
function weightedMean(values: Float64Array, weights: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!) || weights[i] === 0) continue;
    sum += weights[i]! * values[i]!;
    n += weights[i]!;
  }
  return n > 0 ? sum / n : NaN;
}

export function proShare(
  scored: readonly ResponseRow[],
  groundTruth: readonly GroundTruthRow[],
  options: { replicates: number; seed: number | string },
): ProShareResult {
  const surveyed = new Set(groundTruth.filter((g) => g.level === "country" && Number.isFinite(g.pro_score)).map((g) => g.item));
  const items = [...new Set(scored.filter((r) => r.vps !== null).map((r) => r.item))].filter((i) => surveyed.has(i)).sort();
  const index = new Map(items.map((item, i) => [item, i]));
  const profiles = [...modelProfiles(scored, index), ...countryProfiles(groundTruth, index)];
  const ones = new Float64Array(items.length).fill(1);
  const draws = profiles.map(() => [] as number[]);
  const rng = createRng(String(options.seed), "pro-share");
  for (let b = 0; b < options.replicates; b++) {
    const weights = resampleCounts(items.length, rng);
    for (const [k, p] of profiles.entries()) draws[k]!.push(weightedMean(p.values, weights));
  }
  const rows = profiles.map((p, k): ProShareRow => {
    const { coef, se, ci_low, ci_high } = bootstrapEstimate(weightedMean(p.values, ones), draws[k]!);
    return { kind: p.kind, name: p.name, language: p.language, share: coef, se, ci_low, ci_high, items: p.values.filter((v) => !Number.isNaN(v)).length };
  });
  return { items, replicates: options.replicates, rows };
}
