/**
 * The study's unpublished analyses (scripts/analyse_hypotheses.py in its repository, never
 * reported in the paper): monocultural alignment, cultural transfer, alignment relative to
 * a baseline, and the headline alignment on extreme items only. Each is ported without the
 * study's defects (see each module) and uses the recommended inference: one full-data
 * estimate per cell, 95% intervals from a bootstrap that resamples survey items as clusters.
 */
import type { Metric } from "../../correlation.js";
import { createRng } from "../../random.js";
import { bootstrapEstimate, type Estimate } from "../../recommended/estimate.js";
import type { ResamplingUnit } from "../../recommended/index.js";
import { bootstrapped, type Cells } from "../../recommended/usbias.js";
import { isBaseline, scoredResponses, FIFTY_BASELINE, UNIFORM_BASELINE, type Workspace } from "../../workspace.js";
import { experimentLayout, runLayoutExperiment, type ExperimentResult } from "../experiment.js";
import { countryLanguages } from "../usbias.js";
import { baselinePairs, baselineStatistics, type BaselinePair } from "./baseline.js";
import { key, restrictedRows, truthAt } from "./grid.js";
import { MEDIAN_MODEL } from "../similarity.js";
import { monoculturalPairs, monoculturalStatistics, type MonoculturalPair } from "./monocultural.js";
import { isExtreme, THRESHOLDS, thresholdRows, thresholdStatistics } from "./threshold.js";
import { transferPairs, transferStatistics, type TransferPair } from "./transfer.js";

export interface UnpublishedOptions {
  /** Bootstrap replicates (default 200). */
  replicates?: number;
  seed?: number | string;
  unit?: ResamplingUnit;
  metric?: Metric;
}

export interface MonoculturalEntry extends Estimate {
  /** A model, or `median model` (the median of the models' differences). */
  model: string;
  country: string;
  language: string;
  /** Alignment with the country prompted in its language, and in English (full data; NaN for the median model). */
  native: number;
  english: number;
}

export interface TransferEntry extends Estimate {
  model: string;
  country: string;
  language: string;
  items: number;
  /** Alignment with the country and with the US, on the items both have (full data; NaN for the median model). */
  own: number;
  us: number;
}

export interface BaselineEntry extends Estimate {
  model: string;
  country: string;
  language: string;
  baseline: string;
}

export interface ThresholdEntry {
  model: string;
  language: string;
  t: number;
  rho: Estimate;
  /** ρ at t minus ρ on every item, on the same resampled items. */
  shift: Estimate;
}

export interface UnpublishedResult {
  method: string;
  unit: ResamplingUnit;
  replicates: number;
  models: string[];
  baselines: string[];
  monocultural: MonoculturalEntry[];
  transfer: TransferEntry[];
  aboveBaseline: BaselineEntry[];
  /** Each baseline's own alignment per country, in the country's language. */
  baselineAlignment: Array<Estimate & { baseline: string; country: string; language: string }>;
  threshold: {
    thresholds: number[];
    /** Items kept per language and t, of those the language's speakers have. */
    items: Array<{ language: string; t: number; items: number; of: number }>;
    entries: ThresholdEntry[];
  };
}

interface Plan {
  models: string[];
  baselines: string[];
  languages: string[];
  mono: MonoculturalPair[];
  transfer: TransferPair[];
  base: BaselinePair[];
}

function planOf(ws: Workspace): Plan & { extra: ReturnType<typeof restrictedRows> } {
  const responses = scoredResponses(ws.responses);
  const languages = [...new Set(responses.map((r) => r.language))].sort();
  const present = new Set(responses.map((r) => r.model));
  const truth = truthAt(ws.ground_truth, "country");
  const own = countryLanguages(ws.populations);
  const countries = new Set(truth.keys());
  const transfer = transferPairs(truth, own, languages);
  return {
    models: [...present].filter((m) => !isBaseline(m)).sort(),
    baselines: [UNIFORM_BASELINE, FIFTY_BASELINE].filter((b) => present.has(b)),
    languages,
    mono: monoculturalPairs(own, languages, countries),
    transfer,
    base: baselinePairs(own, languages, countries),
    extra: transfer.flatMap((p) => [...restrictedRows(truth, p.country, "US"), ...restrictedRows(truth, "US", p.country)]),
  };
}

function experimentOn(
  ws: Workspace,
  rows: Workspace["ground_truth"],
  level: "country" | "language",
  options: UnpublishedOptions,
  stream: string,
): ExperimentResult {
  const unit = options.unit ?? "items";
  return runLayoutExperiment(experimentLayout(scoredResponses(ws.responses), rows, level), {
    level,
    rounds: options.replicates ?? 200,
    rng: createRng(String(options.seed ?? 1), `unpublished/${stream}/${unit}`),
    metric: options.metric,
    procedure: unit,
    judgeErrorRate: 0,
  });
}

type At = (k: string) => Estimate;

function countryResults(
  plan: Plan,
  at: At,
  point: Map<string, number>,
): Pick<UnpublishedResult, "monocultural" | "transfer" | "aboveBaseline" | "baselineAlignment"> {
  const all = [...plan.models, MEDIAN_MODEL];
  const full = (k: string) => point.get(k) ?? NaN;
  return {
    monocultural: plan.mono.flatMap((p) =>
      all.map((model) => ({
        model,
        ...p,
        native: full(key("mono-native", model, p.country)),
        english: full(key("mono-english", model, p.country)),
        ...at(key("mono", model, p.country)),
      })),
    ),
    transfer: plan.transfer.flatMap((p) =>
      all.map((model) => ({
        model,
        country: p.country,
        language: p.language,
        items: p.items,
        own: full(key("transfer-own", model, p.country)),
        us: full(key("transfer-us", model, p.country)),
        ...at(key("transfer", model, p.country)),
      })),
    ),
    aboveBaseline: plan.base.flatMap((p) =>
      plan.baselines.flatMap((baseline) => all.map((model) => ({ model, ...p, baseline, ...at(key("above", model, p.country, baseline)) }))),
    ),
    baselineAlignment: plan.base.flatMap((p) => plan.baselines.map((baseline) => ({ baseline, ...p, ...at(key("baseline-rho", baseline, p.country)) }))),
  };
}

function thresholdResult(ws: Workspace, plan: Plan, options: UnpublishedOptions): UnpublishedResult["threshold"] {
  const exp = experimentOn(ws, thresholdRows(ws.ground_truth, THRESHOLDS), "language", options, "threshold");
  const est = bootstrapped(exp, (cells) => {
    const out = new Map<string, number>();
    thresholdStatistics(cells, plan.models, plan.languages, THRESHOLDS, out);
    return out;
  });
  const at: At = (k) => est.get(k) ?? bootstrapEstimate(NaN, []);
  const truth = truthAt(ws.ground_truth, "language");
  const asked = new Set(scoredResponses(ws.responses).map((r) => r.item));
  const shares = (language: string) => [...(truth.get(language) ?? new Map<string, number>())].filter(([item]) => asked.has(item)).map(([, s]) => s);
  return {
    thresholds: [...THRESHOLDS],
    items: plan.languages.flatMap((language) =>
      THRESHOLDS.map((t) => ({ language, t, items: shares(language).filter((s) => isExtreme(s, t)).length, of: shares(language).length })),
    ),
    entries: [...plan.models, MEDIAN_MODEL].flatMap((model) =>
      plan.languages.flatMap((language) =>
        THRESHOLDS.map((t) => ({
          model,
          language,
          t,
          rho: at(key("t-rho", model, language, String(t))),
          shift: at(key("t-shift", model, language, String(t))),
        })),
      ),
    ),
  };
}

function methodSentence(unit: ResamplingUnit, replicates: number): string {
  return (
    "Alignment: Spearman's ρ over a model's responses in a prompt language (judged in that language), each response's VPS against its item's pro share in the population. " +
    "Every difference is taken on the same data and, in each replicate, on the same resampled items; the median model's is the median of the models' differences. " +
    `95% intervals from ${replicates} bootstrap replicates resampling ${unit === "items" ? "items as clusters" : "whole responses"} (the recommended inference).`
  );
}

/** The four unpublished analyses on one workspace (with its baselines), seeded. */
export function unpublished(ws: Workspace, options: UnpublishedOptions = {}): UnpublishedResult {
  const unit = options.unit ?? "items";
  const plan = planOf(ws);
  const rows = [...ws.ground_truth.filter((g) => g.level === "country"), ...plan.extra];
  const exp = experimentOn(ws, rows, "country", options, "country");
  const statistic = (cells: Cells) => {
    const out = new Map<string, number>();
    monoculturalStatistics(cells, plan.models, plan.mono, out);
    transferStatistics(cells, plan.models, plan.transfer, out);
    baselineStatistics(cells, plan.models, plan.baselines, plan.base, out);
    return out;
  };
  const est = bootstrapped(exp, statistic);
  const at: At = (k) => est.get(k) ?? bootstrapEstimate(NaN, []);
  const point = new Map([...est].map(([k, e]) => [k, e.coef]));
  return {
    method: methodSentence(unit, exp.rounds),
    unit,
    replicates: exp.rounds,
    models: plan.models,
    baselines: plan.baselines,
    ...countryResults(plan, at, point),
    threshold: thresholdResult(ws, plan, options),
  };
}
