/**
 * The multiverse: the study's conclusions as testable claims, evaluated under every
 * specification. Specifications share work: bootstrap experiments are computed once
 * per (level, metric, procedure, seed, exclusions) with raw self-consistency, and the
 * judge-error correction is applied afterwards (it only rescales consistency); the
 * US-bias coefficients are computed once per country-level experiment.
 */
import { createRng } from "../random.js";
import { buildLayout, runExperiment, type ExperimentResult, type Layout } from "../analyses/experiment.js";
import { excluding, withBaselines } from "../analyses/reproduce.js";
import { familySlopes, fitRq1, rq1Rows, type FamilySlope } from "../analyses/rq1.js";
import { usBiasFast, usBiasRows, type UsBiasCoefficient } from "../analyses/usbias.js";
import { languageName } from "../languages.js";
import type { Coefficient } from "../ols.js";
import { BASELINE_FAMILY, isBaseline, scoredResponses, type Level, type Workspace } from "../workspace.js";
import type { Specification } from "./specs.js";

export type ClaimKind = "slope-all" | "slope-none" | "consistency" | "usbias";

export interface Claim {
  id: string;
  kind: ClaimKind;
  text: string;
  family?: string;
  language?: string;
  /** For US bias: the direction the study's analysis finds (+1: closer to the US). */
  direction?: 1 | -1;
}

export interface SpecOutcome {
  spec: Specification;
  slopes: FamilySlope[];
  consistency: Coefficient[];
  usBias: UsBiasCoefficient[];
  error?: string;
  ms: number;
}

export interface ClaimResult {
  claim: string;
  spec: string;
  /** null when the claim does not apply (e.g. consistency in a regression without it). */
  holds: boolean | null;
  estimate: number;
  low: number;
  high: number;
}

export interface ComputeCache {
  layouts: Map<string, Layout>;
  experiments: Map<string, ExperimentResult>;
  usBias: Map<string, UsBiasCoefficient[]>;
}

export function newCache(): ComputeCache {
  return { layouts: new Map(), experiments: new Map(), usBias: new Map() };
}

function experimentFor(ws: Workspace, spec: Specification, level: Level, cache: ComputeCache): ExperimentResult {
  const key = JSON.stringify([level, spec.metric, spec.procedure, spec.seed, spec.rounds, spec.exclude]);
  let exp = cache.experiments.get(key);
  if (!exp) {
    // The layout depends only on the data and the level: shared by metrics, procedures and seeds.
    const layoutKey = JSON.stringify([level, spec.exclude]);
    const responses = scoredResponses(ws.responses);
    let layout = cache.layouts.get(layoutKey);
    if (!layout) cache.layouts.set(layoutKey, (layout = buildLayout(responses, ws.ground_truth, level)));
    exp = runExperiment(
      responses,
      ws.ground_truth,
      {
        level,
        rounds: spec.rounds,
        rng: createRng(String(spec.seed), `experiment/${level}/${spec.procedure}`),
        metric: spec.metric,
        procedure: spec.procedure,
        judgeErrorRate: 0,
      },
      layout,
    );
    cache.experiments.set(key, exp);
  }
  return exp;
}

/** The experiment with self-consistency corrected for a judge error rate. */
function corrected(exp: ExperimentResult, rate: number): ExperimentResult {
  if (rate === 0) return exp;
  const k = 1 - rate;
  return { ...exp, consistency: exp.consistency.map((v) => v / k), pointConsistency: exp.pointConsistency.map((v) => v / k), judgeErrorRate: rate };
}

/** Computes what the claims need under one specification. */
export function runSpec(input: Workspace, spec: Specification, cache: ComputeCache = newCache()): SpecOutcome {
  const started = performance.now();
  const outcome: SpecOutcome = { spec, slopes: [], consistency: [], usBias: [], ms: 0 };
  try {
    const ws = withBaselines(excluding(input, spec.exclude), spec.seed).workspace;
    const languages = [...new Set(scoredResponses(ws.responses).map((r) => r.language))].sort();
    const rows = rq1Rows(corrected(experimentFor(ws, spec, spec.level, cache), spec.correction), ws.benchmarks, ws.populations);
    const fit = fitRq1(rows, spec.variant);
    outcome.slopes = familySlopes(fit, languages);
    outcome.consistency = fit.coefficients.filter((c) => c.term.startsWith("consistency"));
    const usKey = JSON.stringify([spec.metric, spec.procedure, spec.seed, spec.rounds, spec.exclude]);
    let bias = cache.usBias.get(usKey);
    if (!bias) {
      bias = usBiasFast(usBiasRows(experimentFor(ws, spec, "country", cache), ws.populations));
      cache.usBias.set(usKey, bias);
    }
    outcome.usBias = bias;
  } catch (error) {
    outcome.error = (error as Error).message;
  }
  outcome.ms = performance.now() - started;
  return outcome;
}

/** The study's conclusions as claims, with directions taken from the reference outcome. */
export function claimsFor(ws: Workspace, reference: SpecOutcome): Claim[] {
  const families = [...new Set(ws.models.filter((m) => m.family !== BASELINE_FAMILY && ws.benchmarks.some((b) => b.model === m.model)).map((m) => m.family))].sort();
  const claims: Claim[] = [];
  for (const family of families) {
    const own = reference.slopes.filter((s) => s.family === family);
    const starred = own.filter((s) => s.starred).length;
    // State each family's claim the way the study's analysis comes out; a split family gets both.
    if (starred > 0) claims.push({ id: `slope-all:${family}`, kind: "slope-all", family, text: `${family}: capability predicts alignment in every language (positive, p < 0.05)` });
    if (starred < own.length || own.length === 0) claims.push({ id: `slope-none:${family}`, kind: "slope-none", family, text: `${family}: capability predicts alignment in no language` });
  }
  claims.push({ id: "consistency", kind: "consistency", text: "Self-consistency predicts alignment (positive, p < 0.05, in every language)" });
  const languages = [...new Set(reference.usBias.map((b) => b.language))].sort();
  for (const language of languages) {
    const median = medianOf(reference.usBias.filter((b) => b.language === language).map((b) => b.coef));
    const direction = median >= 0 ? 1 : -1;
    claims.push({
      id: `usbias:${language}`,
      kind: "usbias",
      language,
      direction,
      text: `${languageName(language)} prompts: the median model answers closer to ${direction > 0 ? "the US" : `the language's own countries`} than the baseline does`,
    });
  }
  return claims;
}

function medianOf(values: number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Whether a claim holds under one outcome, with the estimate a specification curve plots. */
export function evaluate(claim: Claim, outcome: SpecOutcome): ClaimResult {
  const base = { claim: claim.id, spec: outcome.spec.id };
  const none = { ...base, holds: null, estimate: NaN, low: NaN, high: NaN };
  if (outcome.error) return none;
  if (claim.kind === "slope-all" || claim.kind === "slope-none") {
    const own = outcome.slopes.filter((s) => s.family === claim.family && Number.isFinite(s.slope));
    if (own.length === 0) return none;
    // The weakest language for "every", the strongest for "none".
    const pick = claim.kind === "slope-all" ? own.reduce((a, b) => (b.ci_low < a.ci_low ? b : a)) : own.reduce((a, b) => (b.ci_low > a.ci_low ? b : a));
    const holds = claim.kind === "slope-all" ? own.every((s) => s.starred) : own.every((s) => !s.starred);
    return { ...base, holds, estimate: pick.slope, low: pick.ci_low, high: pick.ci_high };
  }
  if (claim.kind === "consistency") {
    const terms = outcome.consistency.filter((c) => Number.isFinite(c.coef));
    if (terms.length === 0) return none;
    const weakest = terms.reduce((a, b) => (b.ci_low < a.ci_low ? b : a));
    return { ...base, holds: terms.every((t) => t.coef > 0 && t.p < 0.05), estimate: weakest.coef, low: weakest.ci_low, high: weakest.ci_high };
  }
  const own = outcome.usBias.filter((b) => b.language === claim.language && !isBaseline(b.model));
  if (own.length === 0) return none;
  const sorted = [...own].sort((a, b) => a.coef - b.coef);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const median = medianOf(own.map((b) => b.coef));
  return { ...base, holds: Math.sign(median) === claim.direction, estimate: median, low: mid.ci_low, high: mid.ci_high };
}

export interface ClaimSummary {
  claim: Claim;
  /** Specifications where the claim applies. */
  applicable: number;
  holds: number;
  share: number;
}

export function summarizeClaims(claims: readonly Claim[], results: readonly ClaimResult[]): ClaimSummary[] {
  return claims.map((claim) => {
    const own = results.filter((r) => r.claim === claim.id && r.holds !== null);
    const holds = own.filter((r) => r.holds).length;
    return { claim, applicable: own.length, holds, share: own.length ? holds / own.length : NaN };
  });
}
