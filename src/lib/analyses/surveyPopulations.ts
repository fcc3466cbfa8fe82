/**
 * The survey itself, before any model: each country's pro share per item (with the valid
 * answers behind it where the workspace has them), how far the countries spread on each item,
 * and the country-by-country Spearman correlation of pro shares over the items both have.
 * Aggregates only: the ground truth's pro shares, never a respondent's answer.
 */
import { spearman } from "../correlation.js";
import type { GroundTruthRow, PopulationRow, ResponseRow } from "../workspace.js";

/** Which items: those the models were asked (with responses), or every item of the survey's ground truth. */
export type SurveyItems = "asked" | "all";
export const SURVEY_ITEMS: readonly SurveyItems[] = ["asked", "all"];

export interface SurveyCell {
  population: string;
  item: string;
  pro_score: number;
  /** Valid answers behind the share; null where the workspace does not have it (the study's release). */
  n: number | null;
}

export interface SurveyItemSpread {
  item: string;
  /** Countries with a pro share for the item. */
  countries: number;
  min: number;
  max: number;
  /** Sample standard deviation across countries (NaN with fewer than two). */
  sd: number;
}

export interface SurveyCorrelation {
  a: string;
  b: string;
  /** Spearman's ρ over the items both countries have (NaN with fewer than two, or a constant share). */
  rho: number;
  n: number;
}

export interface SurveyResult {
  items: SurveyItems;
  countries: Array<{ population: string; language: string | null; items: number }>;
  /** The items looked at (sorted), and those every country has. */
  itemList: string[];
  commonItems: string[];
  cells: SurveyCell[];
  spread: SurveyItemSpread[];
  /** Every ordered pair of countries, the diagonal included. */
  correlations: SurveyCorrelation[];
}

/** Country-level cells with a finite share, on the chosen items. */
export function countryCells(groundTruth: readonly GroundTruthRow[], keep: (item: string) => boolean): SurveyCell[] {
  return groundTruth
    .filter((g) => g.level === "country" && Number.isFinite(g.pro_score) && keep(g.item))
    .map((g) => ({ population: g.population, item: g.item, pro_score: g.pro_score, n: g.n ?? null }))
    .sort((x, y) => x.population.localeCompare(y.population) || x.item.localeCompare(y.item));
}

function spreadOf(item: string, shares: number[]): SurveyItemSpread {
  const k = shares.length;
  const mean = shares.reduce((s, x) => s + x, 0) / k;
  const sd = k < 2 ? NaN : Math.sqrt(shares.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1));
  return { item, countries: k, min: Math.min(...shares), max: Math.max(...shares), sd };
}

function correlationsOf(countries: string[], itemList: string[], share: Map<string, number>): SurveyCorrelation[] {
  const vector = (c: string) => itemList.map((i) => share.get(`${c}|${i}`) ?? NaN);
  const vectors = new Map(countries.map((c) => [c, vector(c)]));
  return countries.flatMap((a) =>
    countries.map((b) => {
      const x = vectors.get(a)!;
      const y = vectors.get(b)!;
      const n = x.filter((v, i) => !Number.isNaN(v) && !Number.isNaN(y[i]!)).length;
      return { a, b, rho: spearman(x, y), n };
    }),
  );
}

/** The survey's country-level distribution and its correlation matrix. */
export function surveyPopulations(
  groundTruth: readonly GroundTruthRow[],
  populations: readonly PopulationRow[],
  scored: readonly Pick<ResponseRow, "item">[],
  items: SurveyItems = "asked",
): SurveyResult {
  if (!SURVEY_ITEMS.includes(items)) throw new Error(`Survey items must be one of ${SURVEY_ITEMS.join(", ")}, got "${String(items)}"`);
  const asked = new Set(scored.map((r) => r.item));
  const cells = countryCells(groundTruth, items === "all" ? () => true : (i) => asked.has(i));
  const countries = [...new Set(cells.map((c) => c.population))].sort();
  const itemList = [...new Set(cells.map((c) => c.item))].sort();
  const share = new Map(cells.map((c) => [`${c.population}|${c.item}`, c.pro_score]));
  const byItem = new Map<string, number[]>();
  for (const c of cells) byItem.set(c.item, [...(byItem.get(c.item) ?? []), c.pro_score]);
  const language = new Map(populations.filter((p) => p.level === "country").map((p) => [p.population, p.language]));
  return {
    items,
    countries: countries.map((c) => ({ population: c, language: language.get(c) ?? null, items: cells.filter((x) => x.population === c).length })),
    itemList,
    commonItems: itemList.filter((i) => byItem.get(i)!.length === countries.length),
    cells,
    spread: itemList.map((i) => spreadOf(i, byItem.get(i)!)),
    correlations: correlationsOf(countries, itemList, share),
  };
}
