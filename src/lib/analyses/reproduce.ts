/**
 * Recomputes the study's analyses from a workspace: the bootstrap experiment at the
 * three reference levels, RQ1 in its three variants (plus the capability figure's
 * clouds), RQ2 US-centric bias, the self-consistency figure, the alignment table and
 * the analyses registered in registry.ts (cross-effects, the survey, the value map, whose
 * opinions, …). Seeded and deterministic: every analysis draws from its own named stream of the
 * seed, so computing a subset gives the same numbers as computing everything.
 */
import type { Metric } from "../correlation.js";
import type { MixedFit } from "../mixed.js";
import type { TermEstimate } from "../published.js";
import { languageName } from "../languages.js";
import { createRng } from "../random.js";
import { modelOrder, totalCount, type Level, type Workspace } from "../workspace.js";
import { byLevel, contextOf, excluding, withBaselines, type Context, type Exclusions } from "./context.js";
import { adjustedAlignmentEntries, type AdjustedEntry } from "./adjustedAlignment.js";
import { alignmentEntries, type AlignmentEntry } from "./alignment.js";
import { consistencyFigure, type ConsistencyFigure } from "./consistency.js";
import { JUDGE_ERROR_RATE, type ExperimentResult, type Procedure } from "./experiment.js";
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
import { ANALYSES, REGISTERED_PARTS, type RegisteredPart, type RegisteredResults } from "./registry.js";
import type { SurveyItems } from "./surveyPopulations.js";
import type { UsBiasCoefficient } from "./usbias.js";
import { rq1Residuals, usBiasResiduals, PLOTTING_POSITION, type ResidualDiagnostics } from "./residuals.js";
import { usBiasPublishedJson, type UsBiasPublishedJson } from "./usBiasPublished.js";
import type { PublishedOls } from "../publishedOls.js";
import { recommended, type RecommendedOptions, type RecommendedResult, type ResamplingUnit } from "../recommended/index.js";
import { recommendedJson, type RecommendedJson } from "../recommended/json.js";

/** The study's core analyses, run here because they share fits and details; the others are registered (registry.ts). */
const CORE_PARTS = ["rq1", "usBias", "consistency", "alignment", "alignmentAdjusted", "capabilityFigure", "recommended", "residuals"] as const;
type CorePart = (typeof CORE_PARTS)[number];
export type Part = CorePart | RegisteredPart;
export const PARTS: readonly Part[] = [...CORE_PARTS, ...REGISTERED_PARTS];

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

export interface ReproduceResult extends RegisteredResults {
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
  /** The recommended analysis: round-independent inference, correctly specified regressions. */
  recommended?: RecommendedJson;
  /** The published US-bias table beside the reproduction (only when the source is the study's release). */
  usBiasPublished?: UsBiasPublishedJson;
  /** Residual diagnostics of the regressions as published (RQ1's mixed model, the US-bias OLS). */
  residuals?: ResidualDiagnostics;
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
    ["residuals", (c, r) => residualsPart(c, r, parts)],
  ];
  for (const [part, run] of others) {
    if (!parts.has(part)) continue;
    run(c, result);
    progress(part);
  }
  for (const part of REGISTERED_PARTS) {
    if (!parts.has(part)) continue;
    (result as unknown as Record<string, unknown>)[part] = ANALYSES[part].run(c);
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
