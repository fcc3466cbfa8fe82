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
 * against each of them alone. The robustness explorer varies the item sets (common or
 * each country's own) and the baseline subtracted (none, the study's draw, other draws).
 */
import { experimentLayout, runLayoutExperiment, type ExperimentResult, type Procedure } from "../analyses/experiment.js";
import type { Layout } from "../analyses/experiment/layout.js";
import { countryLanguages, US } from "../analyses/usbias.js";
import type { Metric } from "../correlation.js";
import { median } from "../descriptive.js";
import { createRng } from "../random.js";
import { isBaseline, scoredResponses, type Workspace } from "../workspace.js";
import { bootstrapEstimate, Draws, type Estimate } from "./estimate.js";
import { baselineModel, drawsOf, withBaselineDraws, type BaselineChoice } from "./baselineChoice.js";

/** What one prompt language's gap compares: the US and the language's countries, over which items. */
export interface CommonItems {
  /** ISO 639-1. */
  language: string;
  /** The US first, then the language's own countries with ground truth. */
  countries: string[];
  /** The items used (with `common`: those every country has). */
  items: string[];
  /** Items some of the countries lack, left out for this language (none with `all`). */
  leftOut: string[];
}

export type ItemSet = "common" | "all";

export interface GapEstimate extends Estimate {
  model: string;
  language: string;
}

export interface CountryGap extends GapEstimate {
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
  /** The baselines' own gaps (full data), when the workspace has them: what the study subtracted. */
  baselineGap: Array<{ model: string; language: string; gap: number }>;
  /** The baseline subtracted (none in the recommended analysis). */
  baseline: BaselineChoice;
  items: ItemSet;
  replicates: number;
}

function countryItems(ws: Pick<Workspace, "ground_truth">): Map<string, Set<string>> {
  const itemsOf = new Map<string, Set<string>>();
  for (const g of ws.ground_truth) {
    if (g.level !== "country" || !Number.isFinite(g.pro_score)) continue;
    if (!itemsOf.has(g.population)) itemsOf.set(g.population, new Set());
    itemsOf.get(g.population)!.add(g.item);
  }
  return itemsOf;
}

/** Per prompt language, the US and the language's countries, and the items compared (`common`: those all of them have). */
export function comparedItems(ws: Pick<Workspace, "responses" | "ground_truth" | "populations">, set: ItemSet = "common"): CommonItems[] {
  const languageOf = countryLanguages(ws.populations);
  const itemsOf = countryItems(ws);
  const asked = new Set(ws.responses.map((r) => r.item));
  const languages = [...new Set(ws.responses.map((r) => r.language))].sort();
  return languages.flatMap((language) => {
    const own = [...languageOf]
      .filter(([c, l]) => l === language && c !== US && itemsOf.has(c))
      .map(([c]) => c)
      .sort();
    if (own.length === 0 || !itemsOf.has(US)) return [];
    const countries = [US, ...own];
    const any = [...asked].filter((i) => countries.some((c) => itemsOf.get(c)!.has(i))).sort();
    const items = set === "all" ? any : any.filter((i) => countries.every((c) => itemsOf.get(c)!.has(i)));
    return items.length ? [{ language, countries, items, leftOut: any.filter((i) => !items.includes(i)) }] : [];
  });
}

/** Per prompt language, the items with ground truth in the US and every one of the language's countries. */
export function commonItems(ws: Pick<Workspace, "responses" | "ground_truth" | "populations">): CommonItems[] {
  return comparedItems(ws, "common");
}

export interface UsBiasOptions {
  replicates?: number;
  seed?: number | string;
  unit?: Extract<Procedure, "items" | "responses">;
  metric?: Metric;
  /** Items compared (default `common`; `all`: each country's own, as the study). */
  items?: ItemSet;
  /** Baseline subtracted (default none; the robustness explorer's other choices). */
  baseline?: BaselineChoice;
}

/**
 * The layout of a US-bias experiment: each language's items, against the compared
 * countries only. Experiments with other metrics or units on the same data share it.
 */
export function usBiasLayout(ws: Workspace, sets: readonly CommonItems[]): Layout {
  const keep = new Map(sets.map((c) => [c.language, new Set(c.items)]));
  const countries = new Set(sets.flatMap((c) => c.countries));
  const responses = scoredResponses(ws.responses).filter((r) => keep.get(r.language)?.has(r.item));
  return experimentLayout(
    responses,
    ws.ground_truth.filter((g) => g.level === "country" && countries.has(g.population)),
    "country",
  );
}

/** The country-level resampling experiment on each language's items, against the compared countries only. */
export function usBiasExperiment(ws: Workspace, sets: readonly CommonItems[], options: UsBiasOptions = {}, layout = usBiasLayout(ws, sets)): ExperimentResult {
  const unit = options.unit ?? "items";
  return runLayoutExperiment(layout, {
    level: "country",
    rounds: options.replicates ?? 200,
    rng: createRng(String(options.seed ?? 1), `recommended/usbias/${unit}`),
    metric: options.metric,
    procedure: unit,
    judgeErrorRate: 0,
  });
}

/** Alignment of (model, country, prompt language) in one replicate (or the full data). */
export type Cells = (model: string, country: string, language: string) => number;

const groupIndexes = new WeakMap<ExperimentResult, Map<string, number>>();

/** Each alignment group's position, by (model, population, language): built once per experiment. */
function groupIndex(exp: ExperimentResult): Map<string, number> {
  let index = groupIndexes.get(exp);
  if (!index) {
    index = new Map(exp.alignmentGroups.map((g, i) => [`${g.model}\u0000${g.population}\u0000${g.language}`, i]));
    groupIndexes.set(exp, index);
  }
  return index;
}

export function cellsAt(exp: ExperimentResult, replicate: number | "point"): Cells {
  const index = groupIndex(exp);
  const values = replicate === "point" ? exp.pointAlignment : exp.alignment;
  const offset = replicate === "point" ? 0 : replicate * exp.alignmentGroups.length;
  return (model, country, language) => {
    const i = index.get(`${model}\u0000${country}\u0000${language}`);
    return i === undefined ? NaN : values[offset + i]!;
  };
}

/** A model's gap in one language: with the US minus the mean over the language's own countries. */
export function gapOf(cells: Cells, model: string, set: CommonItems): number {
  const own = set.countries
    .slice(1)
    .map((country) => cells(model, country, set.language))
    .filter((v) => Number.isFinite(v));
  return own.length ? cells(model, US, set.language) - own.reduce((a, b) => a + b, 0) / own.length : NaN;
}

/** A statistic on every replicate and on the full data, summarised as a bootstrap estimate per key. */
export function bootstrapped(exp: ExperimentResult, statistic: (cells: Cells) => Map<string, number>): Map<string, Estimate> {
  const point = statistic(cellsAt(exp, "point"));
  const draws = new Draws();
  for (let r = 0; r < exp.rounds; r++) for (const [key, v] of statistic(cellsAt(exp, r))) draws.add(key, v);
  return new Map([...point].map(([key, v]) => [key, bootstrapEstimate(v, draws.of(key))]));
}

/** Every statistic the recommended analysis reports, keyed; `base` is the baseline subtracted, if any. */
function statistics(cells: Cells, models: readonly string[], sets: readonly CommonItems[], base: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of sets) {
    const offset = base === null ? 0 : gapOf(cells, base, c);
    const gaps = models.map((m) => gapOf(cells, m, c) - offset);
    models.forEach((m, i) => {
      out.set(`gap\u0000${m}\u0000${c.language}`, gaps[i]!);
    });
    out.set(`median\u0000${c.language}`, median(gaps));
    for (const country of c.countries.slice(1)) {
      const pair = (m: string) => cells(m, US, c.language) - cells(m, country, c.language);
      const byCountry = models.map((m) => pair(m) - (base === null ? 0 : pair(base)));
      models.forEach((m, i) => {
        out.set(`country\u0000${m}\u0000${c.language}\u0000${country}`, byCountry[i]!);
      });
      out.set(`country-median\u0000${c.language}\u0000${country}`, median(byCountry));
    }
  }
  return out;
}

/** US-centric bias: gaps (recommended: on common items, no baseline subtracted), with bootstrap intervals. */
export function recommendedUsBias(input: Workspace, options: UsBiasOptions = {}): RecommendedUsBias {
  const baseline = options.baseline ?? "none";
  const ws = withBaselineDraws(input, options.seed ?? 1, drawsOf([baseline]));
  const sets = comparedItems(ws, options.items ?? "common");
  const exp = usBiasExperiment(ws, sets, options);
  const all = [...new Set(exp.alignmentGroups.map((g) => g.model))];
  const models = all.filter((m) => !isBaseline(m)).sort();
  const est = bootstrapped(exp, (cells) => statistics(cells, models, sets, baselineModel(baseline)));
  const at = (key: string) => est.get(key)!;
  const point = cellsAt(exp, "point");
  return {
    commonItems: sets,
    gaps: sets.flatMap((c) => models.map((model) => ({ model, language: c.language, ...at(`gap\u0000${model}\u0000${c.language}`) }))),
    median: sets.map((c) => ({ model: "median model", language: c.language, ...at(`median\u0000${c.language}`) })),
    byCountry: sets.flatMap((c) =>
      c.countries
        .slice(1)
        .flatMap((country) =>
          models.map((model) => ({ model, language: c.language, country, ...at(`country\u0000${model}\u0000${c.language}\u0000${country}`) })),
        ),
    ),
    medianByCountry: sets.flatMap((c) =>
      c.countries
        .slice(1)
        .map((country) => ({ model: "median model", language: c.language, country, ...at(`country-median\u0000${c.language}\u0000${country}`) })),
    ),
    baselineGap: sets.flatMap((c) => all.filter(isBaseline).map((model) => ({ model, language: c.language, gap: gapOf(point, model, c) }))),
    baseline,
    items: options.items ?? "common",
    replicates: exp.rounds,
  };
}
