/**
 * US-centric bias, recommended. For each prompt language, a model's gap is its
 * alignment with the US minus its mean alignment with the language's own (non-US)
 * countries, each a full-data Spearman's ρ over the same items: only the items that
 * have ground truth in the US and in every one of those countries. No baseline is
 * subtracted: a uniform random answerer correlates with no population, so its expected
 * gap is zero, and subtracting one random draw of it (as the study did) only adds that
 * draw's noise. Uncertainty comes from a bootstrap that resamples items as clusters (or
 * whole responses), where each response enters every population once.
 *
 * English is spoken in several countries far apart in the survey; the gap is also given
 * against each of them alone.
 */
import { runExperiment, type ExperimentResult, type Procedure } from "../analyses/experiment.js";
import { countryLanguages, US } from "../analyses/usbias.js";
import type { Metric } from "../correlation.js";
import { createRng } from "../random.js";
import { isBaseline, scoredResponses, type Workspace } from "../workspace.js";
import { bootstrapEstimate, Draws, type Estimate } from "./estimate.js";

export interface CommonItems {
  /** ISO 639-1. */
  language: string;
  /** The US and the language's own countries with ground truth. */
  countries: string[];
  items: string[];
  /** Items some of the countries lack, left out for this language. */
  leftOut: string[];
}

export interface GapEstimate extends Estimate {
  model: string;
  language: string;
}

export interface CountryGap extends Estimate {
  model: string;
  language: string;
  /** The country compared with the US. */
  country: string;
}

export interface RecommendedUsBias {
  commonItems: CommonItems[];
  /** Per model and language: alignment with the US minus with the language's own countries. */
  gaps: GapEstimate[];
  /** The median model's gap per language. */
  median: GapEstimate[];
  /** Per model, language and own country: alignment with the US minus with that country. */
  byCountry: CountryGap[];
  /** The median model's gap against each own country. */
  medianByCountry: CountryGap[];
  /** The study's baseline's own gap (full data), when the workspace has it: what the study subtracted. */
  baselineGap: Array<{ model: string; language: string; gap: number }>;
  replicates: number;
}

/** Per prompt language, the items with ground truth in the US and every one of the language's countries. */
export function commonItems(ws: Pick<Workspace, "responses" | "ground_truth" | "populations">): CommonItems[] {
  const languageOf = countryLanguages(ws.populations);
  const itemsOf = new Map<string, Set<string>>();
  for (const g of ws.ground_truth) {
    if (g.level !== "country" || !Number.isFinite(g.pro_score)) continue;
    if (!itemsOf.has(g.population)) itemsOf.set(g.population, new Set());
    itemsOf.get(g.population)!.add(g.item);
  }
  const asked = new Set(ws.responses.map((r) => r.item));
  const languages = [...new Set(ws.responses.map((r) => r.language))].sort();
  return languages.flatMap((language) => {
    const own = [...languageOf].filter(([c, l]) => l === language && c !== US && itemsOf.has(c)).map(([c]) => c).sort();
    if (own.length === 0 || !itemsOf.has(US)) return [];
    const countries = [US, ...own];
    const any = [...asked].filter((i) => countries.some((c) => itemsOf.get(c)!.has(i))).sort();
    const items = any.filter((i) => countries.every((c) => itemsOf.get(c)!.has(i)));
    return [{ language, countries, items, leftOut: any.filter((i) => !items.includes(i)) }];
  });
}

export interface UsBiasOptions {
  replicates?: number;
  seed?: number | string;
  unit?: Extract<Procedure, "items" | "responses">;
  metric?: Metric;
}

/** The country-level resampling experiment on each language's common items. */
export function commonItemsExperiment(ws: Workspace, common: readonly CommonItems[], options: UsBiasOptions = {}): ExperimentResult {
  const keep = new Map(common.map((c) => [c.language, new Set(c.items)]));
  const responses = scoredResponses(ws.responses).filter((r) => keep.get(r.language)?.has(r.item));
  const unit = options.unit ?? "items";
  return runExperiment(responses, ws.ground_truth, {
    level: "country",
    rounds: options.replicates ?? 200,
    rng: createRng(String(options.seed ?? 1), `recommended/usbias/${unit}`),
    metric: options.metric,
    procedure: unit,
    judgeErrorRate: 0,
  });
}

type Cells = (model: string, country: string, language: string) => number;

function cellsAt(exp: ExperimentResult, values: Float64Array, offset: number): Cells {
  const index = new Map(exp.alignmentGroups.map((g, i) => [`${g.model}\u0000${g.population}\u0000${g.language}`, i]));
  return (model, country, language) => {
    const i = index.get(`${model}\u0000${country}\u0000${language}`);
    return i === undefined ? NaN : values[offset + i]!;
  };
}

function gapOf(cells: Cells, model: string, c: CommonItems): number {
  const own = c.countries.slice(1).map((country) => cells(model, country, c.language)).filter((v) => Number.isFinite(v));
  return own.length ? cells(model, US, c.language) - own.reduce((a, b) => a + b, 0) / own.length : NaN;
}

function median(values: number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Every statistic of one replicate (or of the full data), keyed. */
function statistics(cells: Cells, models: readonly string[], common: readonly CommonItems[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of common) {
    const gaps = models.map((m) => gapOf(cells, m, c));
    models.forEach((m, i) => out.set(`gap\u0000${m}\u0000${c.language}`, gaps[i]!));
    out.set(`median\u0000${c.language}`, median(gaps));
    for (const country of c.countries.slice(1)) {
      const byCountry = models.map((m) => cells(m, US, c.language) - cells(m, country, c.language));
      models.forEach((m, i) => out.set(`country\u0000${m}\u0000${c.language}\u0000${country}`, byCountry[i]!));
      out.set(`country-median\u0000${c.language}\u0000${country}`, median(byCountry));
    }
  }
  return out;
}

/** Recommended US-centric bias: baseline-free gaps on common items, with bootstrap intervals. */
export function recommendedUsBias(ws: Workspace, options: UsBiasOptions = {}): RecommendedUsBias {
  const common = commonItems(ws).filter((c) => c.items.length > 0);
  const exp = commonItemsExperiment(ws, common, options);
  const all = [...new Set(exp.alignmentGroups.map((g) => g.model))];
  const models = all.filter((m) => !isBaseline(m)).sort();
  const point = statistics(cellsAt(exp, exp.pointAlignment, 0), models, common);
  const draws = new Draws();
  for (let r = 0; r < exp.rounds; r++) {
    for (const [key, v] of statistics(cellsAt(exp, exp.alignment, r * exp.alignmentGroups.length), models, common)) draws.add(key, v);
  }
  const estimate = (key: string) => bootstrapEstimate(point.get(key) ?? NaN, draws.of(key));
  const pointCells = cellsAt(exp, exp.pointAlignment, 0);
  return {
    commonItems: common,
    gaps: common.flatMap((c) => models.map((model) => ({ model, language: c.language, ...estimate(`gap\u0000${model}\u0000${c.language}`) }))),
    median: common.map((c) => ({ model: "median model", language: c.language, ...estimate(`median\u0000${c.language}`) })),
    byCountry: common.flatMap((c) =>
      c.countries.slice(1).flatMap((country) => models.map((model) => ({ model, language: c.language, country, ...estimate(`country\u0000${model}\u0000${c.language}\u0000${country}`) }))),
    ),
    medianByCountry: common.flatMap((c) =>
      c.countries.slice(1).map((country) => ({ model: "median model", language: c.language, country, ...estimate(`country-median\u0000${c.language}\u0000${country}`) })),
    ),
    baselineGap: common.flatMap((c) => all.filter(isBaseline).map((model) => ({ model, language: c.language, gap: gapOf(pointCells, model, c) }))),
    replicates: exp.rounds,
  };
}
