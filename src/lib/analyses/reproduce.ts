/**
 * Recomputes the study's analyses from a workspace: the bootstrap experiment at the
 * three reference levels, RQ1 in its three variants (plus the capability figure's
 * clouds), RQ2 US-centric bias, the self-consistency figure, the alignment table and
 * "whose opinions" (alignment per prompt language and country, src/lib/analyses/similarity.ts).
 * Seeded and deterministic: every analysis draws from its own named stream of the
 * seed, so computing a subset gives the same numbers as computing everything.
 */
import type { Metric } from "../correlation.js";
import type { MixedFit } from "../mixed.js";
import type { TermEstimate } from "../published.js";
import { BASELINE_MODELS, drawBaselines } from "../baselines.js";
import { languageName } from "../languages.js";
import { createRng } from "../random.js";
import { modelOrder, scoredResponses, totalCount, UNIFORM_BASELINE, type Level, type ResponseRow, type Workspace } from "../workspace.js";
import { adjustedAlignmentEntries, type AdjustedEntry } from "./adjustedAlignment.js";
import { alignmentEntries, type AlignmentEntry } from "./alignment.js";
import { consistencyFigure, type ConsistencyFigure } from "./consistency.js";
import { crossEffects, type CrossEffects } from "./crossEffects/index.js";
import { JUDGE_ERROR_RATE, runExperiment, type ExperimentResult, type Procedure } from "./experiment.js";
import {
  adjustedAlignment,
  familySlopes,
  fitRq1,
  rq1Rows,
  RQ1_FORMULAS,
  RQ1_VARIANTS,
  type AdjustedPoint,
  type FamilySlope,
  type Rq1Row,
  type Rq1Variant,
} from "./rq1.js";
import { similarity, type SimilarityResult } from "./similarity.js";
import { dispersion, type DispersionResult } from "./dispersion.js";
import { surveyPopulations, type SurveyItems, type SurveyResult } from "./surveyPopulations.js";
import { valueMap, type ValueMapResult } from "./valueMap.js";
import { fitUsBias, usBiasRows, type UsBiasCoefficient, type UsBiasResult, type UsBiasRow } from "./usbias.js";
import { rq1Residuals, usBiasResiduals, PLOTTING_POSITION, type ResidualDiagnostics } from "./residuals.js";
import { usBiasPublishedJson, type UsBiasPublishedJson } from "./usBiasPublished.js";
import type { PublishedOls } from "../publishedOls.js";
import { recommended, type RecommendedOptions, type RecommendedResult, type ResamplingUnit } from "../recommended/index.js";
import { recommendedJson, type RecommendedJson } from "../recommended/json.js";

export type Part =
  | "rq1"
  | "usBias"
  | "consistency"
  | "alignment"
  | "alignmentAdjusted"
  | "crossEffects"
  | "capabilityFigure"
  | "recommended"
  | "residuals"
  | "survey"
  | "valueMap"
  | "similarity"
  | "dispersion";
export const PARTS: readonly Part[] = [
  "rq1",
  "usBias",
  "consistency",
  "alignment",
  "alignmentAdjusted",
  "crossEffects",
  "capabilityFigure",
  "recommended",
  "residuals",
  "survey",
  "valueMap",
  "similarity",
  "dispersion",
];

export interface ReproduceOptions {
  rounds?: number;
  seed?: number | string;
  metric?: Metric;
  procedure?: Procedure;
  judgeErrorRate?: number;
  /** What to compute (default: everything). */
  parts?: readonly Part[];
  /** Rounds of the adjusted-alignment refits for the capability figure (default 100). */
  adjustRounds?: number;
  /** The RQ1 variant behind the capability figure (default `interaction`, the published one). */
  variant?: Rq1Variant;
  /** Reference levels of the alignment table and of dispersion (default all three). */
  levels?: readonly Level[];
  /** Experiments already computed, keyed by their settings (reused across calls, e.g. in a worker). */
  cache?: Map<string, ExperimentResult>;
  /** RQ1's reference population: the language's speakers (the study's), its countries, or everyone. */
  rq1Level?: Level;
  /** Models, prompt languages and items to leave out of every analysis. */
  exclude?: Exclusions;
  /** The resampling unit of the recommended analysis and of `similarity` (default items); their replicates are `rounds`. */
  unit?: ResamplingUnit;
  /** The recommended analysis' other choices (formulas fitted, US-bias items and baseline), for the robustness explorer's links. */
  recommended?: Pick<RecommendedOptions, "formulas" | "items" | "baseline" | "parts">;
  /** The study's published US-bias table (the paper source only): `usBiasPublished` compares it with the reproduction. */
  publishedUsBias?: PublishedOls;
  /** The survey part's items: those the models answered (default) or every item of the ground truth. */
  surveyItems?: SurveyItems;
  /** Called as each stage finishes. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** A fixed-effect row of the RQ1 table, in the published table's columns. */
export type Rq1Term = TermEstimate;

export interface Rq1FitSummary {
  formula: string;
  n: number;
  groups: number;
  group_var: number;
  group_var_se: number;
  residual_scale: number;
  log_likelihood: number;
  marginal_r2: number;
  conditional_r2: number;
  converged: boolean;
  /** A second local maximum of the REML likelihood lies within 2 log-likelihood units of the fit's. */
  ambiguous: boolean;
  /** Every local maximum of the REML likelihood over the model variance, best first. */
  modes: Array<{ group_var: number; log_likelihood: number }>;
}

/** One RQ1 observation as `mca reproduce --json` prints it: enough to refit the model elsewhere. */
export interface Rq1JsonRow {
  model: string;
  family: string;
  /** The language's English name, as in the term names (Danish, …). */
  language: string;
  round: number;
  alignment: number;
  consistency: number;
  /** Capability: mean benchmark score / 100. */
  multilingual: number;
}

export interface ReproduceResult {
  meta: {
    rounds: number;
    seed: string;
    metric: Metric;
    procedure: Procedure;
    judge_error_rate: number;
    responses: number;
    models: string[];
    languages: string[];
    /** Where the baselines came from: the workspace, or drawn with the seed (the workspace had none). */
    baselines: "workspace" | "drawn";
  };
  rq1?: Rq1Term[];
  rq1Fit?: Rq1FitSummary;
  /** The stacked observations RQ1 was fitted on. */
  rq1Rows?: Rq1JsonRow[];
  rq1Variants?: Record<Rq1Variant, { rq1: Rq1Term[]; rq1Fit: Rq1FitSummary }>;
  usBias?: Array<Pick<UsBiasCoefficient, "model" | "language" | "coef" | "se" | "ci_low" | "ci_high" | "p">>;
  consistency?: Array<{ model: string; language: string; mean: number; ci_low: number; ci_high: number }>;
  alignment?: Array<Pick<AlignmentEntry, "model" | "language" | "level" | "population" | "rho" | "ci_low" | "ci_high" | "n">>;
  /** Alignment adjusted for self-consistency, per population (the capability figure's adjustment, one fit per population). */
  alignmentAdjusted?: Array<Pick<AdjustedEntry, "model" | "language" | "level" | "population" | "adjusted" | "ci_low" | "ci_high" | "slope" | "rho" | "n">>;
  /** Conditioning-language cross-effects: the within-minus-between consistency gap, as published and recommended, and alignment per language × country. */
  crossEffects?: CrossEffects;
  /** The recommended analysis: round-independent inference, correctly specified regressions. */
  recommended?: RecommendedJson;
  /** The published US-bias table beside the reproduction (only when the source is the study's release). */
  usBiasPublished?: UsBiasPublishedJson;
  /** Residual diagnostics of the regressions as published (RQ1's mixed model, the US-bias OLS). */
  residuals?: ResidualDiagnostics;
  /** The survey's countries before any model: pro shares per item, their spread, the country-by-country Spearman matrix. */
  survey?: SurveyResult;
  /** Countries by a PCA of their pro shares, models projected onto it, clouds from an item bootstrap of `rounds` replicates. */
  valueMap?: ValueMapResult;
  /** Whose opinions: alignment per prompt language and country, nearest countries, US gaps on survey similarity (recommended inference). */
  similarity?: SimilarityResult;
  /** Dispersion: each model's within-item variance of VPS against a ten-person sample's binomial variance, per level in `levels` (item bootstrap). */
  dispersion?: DispersionResult;
  /** Not part of the CLI's JSON: richer objects for the site. */
  details: {
    rq1Rows?: Rq1Row[];
    rq1Fits?: Partial<Record<Rq1Variant, MixedFit>>;
    slopes?: FamilySlope[];
    adjusted?: AdjustedPoint[];
    consistencyFigure?: ConsistencyFigure;
    alignment?: AlignmentEntry[];
    alignmentAdjusted?: AdjustedEntry[];
    usBiasFit?: { r2: number; n: number; dfResid: number };
    recommended?: RecommendedResult;
  };
}

export function rq1Terms(fit: MixedFit): Rq1Term[] {
  return fit.coefficients.map((c) => ({ term: c.term, coef: c.coef, se: c.se, z: c.stat, p: c.p, ci_low: c.ci_low, ci_high: c.ci_high }));
}

export function rq1FitSummary(fit: MixedFit): Rq1FitSummary {
  return {
    formula: fit.formula,
    n: fit.n,
    groups: fit.nGroups,
    group_var: fit.groupVar,
    group_var_se: fit.groupVarSe,
    residual_scale: fit.scale,
    log_likelihood: fit.llf,
    marginal_r2: fit.marginalR2,
    conditional_r2: fit.conditionalR2,
    converged: fit.converged,
    ambiguous: fit.ambiguous,
    modes: fit.modes.map((m) => ({ group_var: m.groupVar, log_likelihood: m.llf })),
  };
}

/** Runs the experiment of one level with the seed's stream for that level. */
export function experimentAt(ws: Workspace, level: Level, options: ReproduceOptions = {}): ExperimentResult {
  const seed = String(options.seed ?? 1);
  const procedure = options.procedure ?? "study";
  return runExperiment(scoredResponses(ws.responses), ws.ground_truth, {
    level,
    rounds: options.rounds ?? 100,
    rng: createRng(seed, `experiment/${level}/${procedure}`),
    metric: options.metric ?? "spearman",
    procedure,
    judgeErrorRate: options.judgeErrorRate,
  });
}

/**
 * The workspace with the study's baselines: unchanged when it has them (the paper source
 * carries the study's own draw), else with both drawn from the seed on the first model's rows.
 */
export function withBaselines(ws: Workspace, seed: number | string): { workspace: Workspace; drawn: boolean } {
  if (ws.responses.some((r) => r.model === UNIFORM_BASELINE)) return { workspace: ws, drawn: false };
  const template = ws.models.find((m) => ws.responses.some((r) => r.model === m.model))?.model;
  const baselines = drawBaselines(ws.responses, { rng: createRng(String(seed), "baselines"), template });
  return {
    workspace: {
      ...ws,
      responses: [...ws.responses, ...baselines],
      models: [...ws.models, ...BASELINE_MODELS.filter((b) => !ws.models.some((m) => m.model === b.model))],
    },
    drawn: true,
  };
}

export interface Exclusions {
  models?: readonly string[];
  languages?: readonly string[];
  items?: readonly string[];
}

/** The workspace without some models, prompt languages or items (for leave-one-out analyses). */
export function excluding(ws: Workspace, exclude: Exclusions | undefined): Workspace {
  const m = new Set(exclude?.models ?? []);
  const l = new Set(exclude?.languages ?? []);
  const i = new Set(exclude?.items ?? []);
  if (m.size + l.size + i.size === 0) return ws;
  return {
    ...ws,
    responses: ws.responses.filter((r) => !m.has(r.model) && !l.has(r.language) && !i.has(r.item)),
    benchmarks: ws.benchmarks.filter((b) => !m.has(b.model) && !l.has(b.language)),
    ground_truth: ws.ground_truth.filter((g) => !i.has(g.item)),
  };
}

/** What every part of `reproduce` reads: the workspace with its baselines, the settings, the model order and the shared experiments. */
interface Context {
  ws: Workspace;
  options: ReproduceOptions;
  rounds: number;
  seed: string;
  metric: Metric;
  procedure: Procedure;
  scored: ResponseRow[];
  languages: string[];
  byModel: (a: { model: string }, b: { model: string }) => number;
  experiment: (level: Level) => ExperimentResult;
  /** The US-bias OLS on the country-level experiment, fitted once per call. */
  usBias: () => { rows: UsBiasRow[]; bias: UsBiasResult };
}

function contextOf(ws: Workspace, drawn: boolean, options: ReproduceOptions): Context {
  const rounds = options.rounds ?? 100;
  const seed = String(options.seed ?? 1);
  const metric = options.metric ?? "spearman";
  const procedure = options.procedure ?? "study";
  const rank = new Map(modelOrder(ws).map((m, i) => [m, i]));
  const scored = scoredResponses(ws.responses);
  const experiments = options.cache ?? new Map<string, ExperimentResult>();
  const experiment = (level: Level) => {
    const key = JSON.stringify([level, rounds, seed, metric, procedure, options.judgeErrorRate ?? null, drawn, options.exclude ?? null]);
    if (!experiments.has(key)) experiments.set(key, experimentAt(ws, level, { ...options, rounds, seed, metric, procedure }));
    return experiments.get(key)!;
  };
  let usBias: { rows: UsBiasRow[]; bias: UsBiasResult } | undefined;
  return {
    ws,
    options,
    rounds,
    seed,
    metric,
    procedure,
    scored,
    languages: [...new Set(scored.map((r) => r.language))].sort(),
    byModel: (a, b) => (rank.get(a.model) ?? 1e9) - (rank.get(b.model) ?? 1e9),
    experiment,
    usBias: () => {
      if (!usBias) {
        const rows = usBiasRows(experiment("country"), ws.populations);
        usBias = { rows, bias: fitUsBias(rows) };
      }
      return usBias;
    },
  };
}

function metaOf(c: Context, drawn: boolean): ReproduceResult["meta"] {
  return {
    rounds: c.rounds,
    seed: c.seed,
    metric: c.metric,
    procedure: c.procedure,
    judge_error_rate: c.options.judgeErrorRate ?? JUDGE_ERROR_RATE,
    responses: totalCount(c.scored),
    models: modelOrder(c.ws).filter((m) => c.scored.some((r) => r.model === m)),
    languages: c.languages,
    baselines: drawn ? "drawn" : "workspace",
  };
}

/** RQ1: the mixed models of every variant (or only the figure's), and the capability figure's adjusted alignment. */
function rq1Part(c: Context, parts: ReadonlySet<Part>, result: ReproduceResult, progress: (stage: string) => void): void {
  const rows = rq1Rows(c.experiment(c.options.rq1Level ?? "language"), c.ws.benchmarks, c.ws.populations);
  result.details.rq1Rows = rows;
  const variant = c.options.variant ?? "interaction";
  const fits: Partial<Record<Rq1Variant, MixedFit>> = {};
  for (const v of parts.has("rq1") ? RQ1_VARIANTS : [variant]) fits[v] = fitRq1(rows, v);
  result.details.rq1Fits = fits;
  result.details.slopes = familySlopes(fits[variant]!, c.languages);
  if (parts.has("rq1")) {
    const main = fits.interaction ?? fits[variant]!;
    result.rq1 = rq1Terms(main);
    result.rq1Fit = rq1FitSummary(main);
    result.rq1Rows = rows.map((r) => ({
      model: r.model,
      family: r.family,
      language: languageName(r.language),
      round: r.round,
      alignment: r.alignment,
      consistency: r.consistency,
      multilingual: r.capability,
    }));
    result.rq1Variants = Object.fromEntries(
      RQ1_VARIANTS.map((v) => [v, { rq1: rq1Terms(fits[v]!), rq1Fit: rq1FitSummary(fits[v]!) }]),
    ) as ReproduceResult["rq1Variants"];
    progress("rq1");
  }
  if (parts.has("capabilityFigure")) {
    result.details.adjusted = adjustedAlignment(rows, createRng(c.seed, "adjusted-alignment"), c.options.adjustRounds ?? 100, variant);
    progress("capabilityFigure");
  }
}

function usBiasPart(c: Context, result: ReproduceResult): void {
  const { bias } = c.usBias();
  result.usBias = bias.coefficients
    .sort((a, b) => c.byModel(a, b) || a.language.localeCompare(b.language))
    .map(({ model, language, coef, se, ci_low, ci_high, p }) => ({ model, language, coef, se, ci_low, ci_high, p }));
  result.details.usBiasFit = { r2: bias.fit.r2, n: bias.fit.n, dfResid: bias.fit.dfResid };
}

/**
 * Residuals of the regressions fitted in this call (RQ1 with the figure's variant, US bias);
 * asked with neither, of both (RQ1 only when the workspace has benchmark scores).
 */
function residualsPart(c: Context, result: ReproduceResult, parts: ReadonlySet<Part>): void {
  const neither = !wantsRq1(parts) && !parts.has("usBias");
  const out: ResidualDiagnostics = { plottingPosition: PLOTTING_POSITION };
  const variant = c.options.variant ?? "interaction";
  const fit = result.details.rq1Fits?.[variant];
  if (fit && result.details.rq1Rows) out.rq1 = rq1Residuals(result.details.rq1Rows, fit, variant);
  if (parts.has("usBias") || neither) {
    const { rows, bias } = c.usBias();
    out.usBias = usBiasResiduals(rows, bias);
  }
  result.residuals = out;
}

const wantsRq1 = (parts: ReadonlySet<Part>) => parts.has("rq1") || parts.has("capabilityFigure");

function recommendedPart(c: Context, result: ReproduceResult): void {
  const { options } = c;
  const rec = recommended(c.ws, {
    ...options.recommended,
    replicates: c.rounds,
    seed: c.seed,
    unit: options.unit,
    metric: c.metric,
    rq1Level: options.rq1Level,
    judgeErrorRate: options.judgeErrorRate,
  });
  rec.usBias?.gaps.sort((a, b) => c.byModel(a, b) || a.language.localeCompare(b.language));
  result.details.recommended = rec;
  result.recommended = recommendedJson(rec);
}

function similarityPart(c: Context, result: ReproduceResult): void {
  result.similarity = similarity(c.ws, { replicates: c.rounds, seed: c.seed, unit: c.options.unit, metric: c.metric });
}

function consistencyPart(c: Context, result: ReproduceResult): void {
  const fig = consistencyFigure(c.scored, c.ws.populations, {
    rounds: c.rounds,
    rng: createRng(c.seed, `consistency-figure/${c.procedure}`),
    procedure: c.procedure,
    judgeErrorRate: c.options.judgeErrorRate,
  });
  fig.bars.sort((a, b) => c.byModel(a, b) || a.language.localeCompare(b.language));
  result.details.consistencyFigure = fig;
  result.consistency = fig.bars.map(({ model, language, mean, ci_low, ci_high }) => ({ model, language, mean, ci_low, ci_high }));
}

function surveyPart(c: Context, result: ReproduceResult): void {
  result.survey = surveyPopulations(c.ws.ground_truth, c.ws.populations, c.scored, c.options.surveyItems);
}

function valueMapPart(c: Context, result: ReproduceResult): void {
  const map = valueMap(c.ws.ground_truth, c.ws.populations, c.scored, { rounds: c.rounds, seed: c.seed });
  map.models.sort((a, b) => c.byModel(a, b) || a.language.localeCompare(b.language));
  result.valueMap = map;
}

function dispersionPart(c: Context, result: ReproduceResult): void {
  const out = dispersion(c.scored, c.ws.ground_truth, c.ws.populations, { levels: c.options.levels, replicates: c.rounds, seed: c.seed });
  byLevel(c, out.cells);
  byLevel(
    c,
    out.items.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)),
  );
  result.dispersion = out;
}

const LEVEL_RANK: Record<Level, number> = { global: 0, language: 1, country: 2 };

function byLevel<T extends { level: Level; model: string; language: string; population: string }>(c: Context, entries: T[]): T[] {
  return entries.sort(
    (a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || c.byModel(a, b) || a.language.localeCompare(b.language) || a.population.localeCompare(b.population),
  );
}

function alignmentPart(c: Context, result: ReproduceResult): void {
  const levels = c.options.levels ?? (["global", "language", "country"] as const);
  const entries = byLevel(
    c,
    levels.flatMap((level) => alignmentEntries(c.experiment(level))),
  );
  result.details.alignment = entries;
  result.alignment = entries.map(({ model, language, level, population, rho, ci_low, ci_high, n }) => ({
    model,
    language,
    level,
    population,
    rho,
    ci_low,
    ci_high,
    n,
  }));
}

function alignmentAdjustedPart(c: Context, result: ReproduceResult): void {
  const levels = c.options.levels ?? (["global", "language", "country"] as const);
  const entries = byLevel(
    c,
    levels.flatMap((level) => adjustedAlignmentEntries(c.experiment(level))),
  );
  result.details.alignmentAdjusted = entries;
  result.alignmentAdjusted = entries.map(({ model, language, level, population, adjusted, ci_low, ci_high, slope, rho, n }) => ({
    model,
    language,
    level,
    population,
    adjusted,
    ci_low,
    ci_high,
    slope,
    rho,
    n,
  }));
}

function crossEffectsPart(c: Context, result: ReproduceResult): void {
  result.crossEffects = crossEffects(c.ws, {
    rounds: c.rounds,
    replicates: c.rounds,
    seed: c.seed,
    judgeErrorRate: c.options.judgeErrorRate,
    metric: c.metric,
  });
}

export function reproduce(input: Workspace, options: ReproduceOptions = {}): ReproduceResult {
  const { workspace: ws, drawn } = withBaselines(excluding(input, options.exclude), String(options.seed ?? 1));
  const c = contextOf(ws, drawn, options);
  const parts = new Set(options.parts ?? PARTS);
  const stages = parts.size + 1;
  let done = 0;
  const progress = (stage: string) => options.onProgress?.(stage, ++done, stages);
  const result: ReproduceResult = { meta: metaOf(c, drawn), details: {} };
  const residualRq1 = parts.has("residuals") && !parts.has("usBias") && ws.benchmarks.length > 0;
  if (wantsRq1(parts) || residualRq1) rq1Part(c, parts, result, progress);
  const others: Array<[Part, (c: Context, result: ReproduceResult) => void]> = [
    ["usBias", usBiasPart],
    ["recommended", recommendedPart],
    ["consistency", consistencyPart],
    ["alignment", alignmentPart],
    ["alignmentAdjusted", alignmentAdjustedPart],
    ["crossEffects", crossEffectsPart],
    ["residuals", (c, r) => residualsPart(c, r, parts)],
    ["survey", surveyPart],
    ["valueMap", valueMapPart],
    ["similarity", similarityPart],
    ["dispersion", dispersionPart],
  ];
  for (const [part, run] of others) {
    if (!parts.has(part)) continue;
    run(c, result);
    progress(part);
  }
  if (options.publishedUsBias && result.usBias) {
    result.usBiasPublished = usBiasPublishedJson(
      options.publishedUsBias,
      result.usBias,
      result.details.recommended?.usBias?.gaps ?? [],
      result.details.usBiasFit,
    );
  }
  progress("done");
  return result;
}

/** The CLI's JSON object: the documented keys, no internal details. */
export function reproduceJson(result: ReproduceResult): Omit<ReproduceResult, "details"> {
  const { details: _details, ...rest } = result;
  return rest;
}

export { RQ1_FORMULAS };
