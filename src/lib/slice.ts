/**
 * Slices of a workspace: the filters a reader sets (model, family, prompt language,
 * country, item, item category) and the summaries the Explore and Questions pages
 * draw from them. Pure functions, so they are fast enough to run on every input
 * event and testable in Node.
 */
import {
  countOf,
  isBaseline,
  modelOrder,
  type GroundTruthRow,
  type ItemRow,
  type Level,
  type PopulationRow,
  type ResponseRow,
  type Workspace,
} from "./workspace.js";

export interface Slice {
  models: string[];
  families: string[];
  languages: string[];
  /** Countries (survey codes) whose ground truth is shown; empty means all. */
  countries: string[];
  items: string[];
  categories: string[];
}

export const EMPTY_SLICE: Slice = { models: [], families: [], languages: [], countries: [], items: [], categories: [] };

/** The survey's item categories (letter groups). */
export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  A: "Values and priorities",
  B: "Environment",
  C: "Work",
  D: "Family",
  E: "Politics and society",
  F: "Religion and morals",
  G: "National identity",
  H: "Security",
};

export function categoryLabel(code: string): string {
  return CATEGORY_LABELS[code] ? `${code}: ${CATEGORY_LABELS[code]}` : code;
}

const inSet = (values: readonly string[], v: string) => values.length === 0 || values.includes(v);

/** Responses in the slice (an empty filter keeps everything). */
export function sliceResponses(ws: Pick<Workspace, "responses" | "items">, slice: Slice): ResponseRow[] {
  const all = [slice.models, slice.families, slice.languages, slice.items, slice.categories].every((f) => f.length === 0);
  if (all) return ws.responses as ResponseRow[];
  const category = new Map(ws.items.map((i) => [i.item, i.category]));
  return ws.responses.filter(
    (r) =>
      inSet(slice.models, r.model) &&
      inSet(slice.families, r.family) &&
      inSet(slice.languages, r.language) &&
      inSet(slice.items, r.item) &&
      inSet(slice.categories, category.get(r.item) ?? ""),
  );
}

/** The populations a reader compares with, per reference level and prompt language. */
export function referencePopulations(level: Level, language: string, populations: readonly PopulationRow[]): string[] {
  if (level === "global") return ["global"];
  if (level === "language") {
    const langs = new Set(populations.filter((p) => p.level === "language").map((p) => p.population));
    return [language, "en"].filter((l, i, a) => langs.has(l) && a.indexOf(l) === i);
  }
  const countries = populations.filter((p) => p.level === "country");
  const native = countries
    .filter((p) => p.language === language)
    .map((p) => p.population)
    .sort();
  const us = countries.some((p) => p.population === "US") && !native.includes("US") ? ["US"] : [];
  return [...native, ...us];
}

export interface ItemPoint {
  item: string;
  model: string;
  language: string;
  /** Mean VPS of the model's responses to the item in the language. */
  vps: number;
  responses: number;
  /** The item's ground truth in the reference population. */
  groundTruth: number;
}

/**
 * Mean VPS per (item, model, language) in the slice, against each item's ground truth
 * in one population. Responses without a defined VPS, or judged in another language,
 * do not count; items without ground truth in the population are left out.
 */
export function itemPoints(responses: readonly ResponseRow[], groundTruth: readonly GroundTruthRow[], level: Level, population: string): ItemPoint[] {
  const gt = new Map<string, number>();
  for (const g of groundTruth) if (g.level === level && g.population === population) gt.set(g.item, g.pro_score);
  // Nested maps: item → model → language → running sum (no string keys per response).
  const acc = new Map<string, Map<string, Map<string, { s: number; n: number }>>>();
  for (const r of responses) {
    const v = r.vps;
    if (v === null || v === undefined || !Number.isFinite(v) || r.response_language !== r.language || !gt.has(r.item)) continue;
    let byModel = acc.get(r.item);
    if (!byModel) {
      byModel = new Map();
      acc.set(r.item, byModel);
    }
    let byLang = byModel.get(r.model);
    if (!byLang) {
      byLang = new Map();
      byModel.set(r.model, byLang);
    }
    const a = byLang.get(r.language);
    const c = countOf(r);
    if (a) {
      a.s += v * c;
      a.n += c;
    } else byLang.set(r.language, { s: v * c, n: c });
  }
  const out: ItemPoint[] = [];
  for (const [item, byModel] of acc) {
    const groundTruth = gt.get(item)!;
    for (const [model, byLang] of byModel) {
      for (const [language, a] of byLang) out.push({ item, model, language, vps: a.s / a.n, responses: a.n, groundTruth });
    }
  }
  return out;
}

export interface CountryTruth {
  item: string;
  country: string;
  language: string | null;
  pro_score: number;
}

/** Each item's ground truth across the countries (optionally only some countries and items). */
export function countryTruths(
  ws: Pick<Workspace, "ground_truth" | "populations">,
  items: readonly string[],
  countries: readonly string[] = [],
): CountryTruth[] {
  const lang = new Map(ws.populations.filter((p) => p.level === "country").map((p) => [p.population, p.language]));
  return ws.ground_truth
    .filter((g) => g.level === "country" && inSet(items, g.item) && inSet(countries, g.population))
    .map((g) => ({ item: g.item, country: g.population, language: lang.get(g.population) ?? null, pro_score: g.pro_score }));
}

/**
 * The survey side of a slice: each item the sliced responses cover, across the chosen
 * countries (empty means all). A slice with no response has no item, so no row: an
 * empty item list means "no item" here, not "every item".
 */
export function sliceCountryTruths(
  ws: Pick<Workspace, "ground_truth" | "populations">,
  responses: readonly Pick<ResponseRow, "item">[],
  countries: readonly string[] = [],
): CountryTruth[] {
  if (responses.length === 0) return [];
  return countryTruths(ws, [...new Set(responses.map((r) => r.item))], countries);
}

/** Items that have both responses and ground truth, with their names, for selectors. */
export function itemsWithData(ws: Pick<Workspace, "items" | "responses">): ItemRow[] {
  const answered = new Set(ws.responses.map((r) => r.item));
  return ws.items.filter((i) => answered.has(i.item));
}

/** Models that answered (baselines last), for selectors. */
export function answeringModels(ws: Pick<Workspace, "models" | "responses">): string[] {
  const present = new Set(ws.responses.map((r) => r.model));
  const all = modelOrder(ws).filter((m) => present.has(m));
  return [...all.filter((m) => !isBaseline(m)), ...all.filter(isBaseline)];
}

export interface VpsBox {
  model: string;
  language: string;
  n: number;
  q1: number;
  median: number;
  q3: number;
  /** Whiskers: the most extreme values within 1.5 × IQR of the quartiles. */
  low: number;
  high: number;
}

/** Sorted distinct values with the count of each (rows of aggregated tables count `count` times). */
interface CountedValues {
  values: number[];
  /** Cumulative counts: cum[i] = responses with a value ≤ values[i]. */
  cum: number[];
}

/** The k-th smallest response value (0-based) of counted values. */
function orderStatistic(c: CountedValues, k: number): number {
  let lo = 0;
  let hi = c.values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.cum[mid]! > k) hi = mid;
    else lo = mid + 1;
  }
  return c.values[lo]!;
}

/** The p-quantile by linear interpolation between order statistics (as numpy), of n counted values. */
function countedQuantile(c: CountedValues, n: number, p: number): number {
  const h = (n - 1) * p;
  const lo = orderStatistic(c, Math.floor(h));
  return lo + (h - Math.floor(h)) * (orderStatistic(c, Math.ceil(h)) - lo);
}

function countedValues(counts: Map<number, number>): CountedValues {
  const values = [...counts.keys()].sort((a, b) => a - b);
  let total = 0;
  return { values, cum: values.map((v) => (total += counts.get(v)!)) };
}

/** The VPS counts per model and language. */
function vpsCounts(responses: readonly ResponseRow[]): Map<string, Map<string, Map<number, number>>> {
  const groups = new Map<string, Map<string, Map<number, number>>>();
  for (const r of responses) {
    const v = r.vps;
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    let byLang = groups.get(r.model);
    if (!byLang) {
      byLang = new Map();
      groups.set(r.model, byLang);
    }
    let counts = byLang.get(r.language);
    if (!counts) {
      counts = new Map();
      byLang.set(r.language, counts);
    }
    counts.set(v, (counts.get(v) ?? 0) + countOf(r));
  }
  return groups;
}

/** Five-number summaries of VPS per (model, language), quartiles by linear interpolation; aggregated rows count as their responses. */
export function vpsBoxes(responses: readonly ResponseRow[]): VpsBox[] {
  const out: VpsBox[] = [];
  for (const [model, byLang] of vpsCounts(responses)) {
    for (const [language, counts] of byLang) {
      const c = countedValues(counts);
      const n = c.cum[c.cum.length - 1]!;
      const q1 = countedQuantile(c, n, 0.25);
      const q3 = countedQuantile(c, n, 0.75);
      const iqr = q3 - q1;
      const low = c.values.find((v) => v >= q1 - 1.5 * iqr) ?? q1;
      const high = [...c.values].reverse().find((v) => v <= q3 + 1.5 * iqr) ?? q3;
      out.push({ model, language, n, q1, median: countedQuantile(c, n, 0.5), q3, low, high });
    }
  }
  return out;
}
