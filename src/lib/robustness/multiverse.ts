/**
 * The multiverse: the study's conclusions as claims, each judged under every
 * specification by one criterion: it holds when the specification's bootstrap interval
 * (items or responses resampled, one estimate per cell) lies wholly on the claimed side
 * of zero. Nothing depends on the number of rounds beyond Monte Carlo noise, so a
 * claim's share does not drift as rounds grow. Specifications share work: bootstrap
 * experiments are computed once per (level, metric, unit, seed, exclusions).
 */
import type { ExperimentResult } from "../analyses/experiment.js";
import { reproduce } from "../analyses/reproduce.js";
import { excluding, withBaselines } from "../analyses/context.js";
import { parseSlopeTerm, type FamilySlope } from "../analyses/rq1.js";
import type { UsBiasCoefficient } from "../analyses/usbias.js";
import { languageCode, languageName } from "../languages.js";
import { intervalSign, type Estimate } from "../recommended/estimate.js";
import { rq1Experiment } from "../recommended/index.js";
import { recommendedRq1 } from "../recommended/rq1.js";
import { bootstrapped, comparedItems, gapOf, usBiasExperiment, usBiasLayout, type CommonItems } from "../recommended/usbias.js";
import type { Layout } from "../analyses/experiment/layout.js";
import { median } from "../descriptive.js";
import { BASELINE_FAMILY, isBaseline, type Workspace } from "../workspace.js";
import { baselineModel, drawsOf, withBaselineDraws } from "../recommended/baselineChoice.js";
import type { Specification } from "./specs.js";

export type ClaimKind = "slope-all" | "slope-none" | "consistency" | "usbias";

export interface Claim {
  id: string;
  kind: ClaimKind;
  text: string;
  family?: string;
  language?: string;
  /** For US bias: the direction the study found (+1: closer to the US). */
  direction?: 1 | -1;
}

export interface Interval {
  estimate: number;
  ci_low: number;
  ci_high: number;
}

export interface SpecOutcome {
  spec: Specification;
  /** Capability slopes per family and language (RQ1 specifications). */
  slopes: Array<Interval & { family: string; language: string; term: string }>;
  /** Self-consistency terms (RQ1 specifications). */
  consistency: Array<Interval & { term: string }>;
  /** The median model's US-bias gap per prompt language (RQ2 specifications). */
  usBias: Array<Interval & { language: string }>;
  error?: string;
  ms: number;
}

export interface ClaimResult {
  claim: string;
  spec: string;
  /** null when the claim does not apply (another scope, or a failed specification). */
  holds: boolean | null;
  estimate: number;
  low: number;
  high: number;
}

export interface ComputeCache {
  experiments: Map<string, ExperimentResult>;
  /** US-bias layouts, shared by the experiments of every metric and unit on the same data. */
  layouts: Map<string, Layout>;
}

export function newCache(): ComputeCache {
  return { experiments: new Map(), layouts: new Map() };
}

const interval = (e: Estimate): Interval => ({ estimate: e.coef, ci_low: e.ci_low, ci_high: e.ci_high });

function cached<T>(store: Map<string, T>, key: unknown, make: () => T): T {
  const k = JSON.stringify(key);
  let value = store.get(k);
  if (value === undefined) {
    value = make();
    store.set(k, value);
  }
  return value;
}

function rq1Outcome(ws: Workspace, spec: Specification, cache: ComputeCache): Pick<SpecOutcome, "slopes" | "consistency"> {
  const exp = cached(cache.experiments, ["rq1", spec.level, spec.metric, spec.unit, spec.seed, spec.rounds, spec.exclude], () =>
    rq1Experiment(ws, { seed: spec.seed, metric: spec.metric, rq1Level: spec.level }, spec.unit, spec.rounds),
  );
  const fit = recommendedRq1(exp, ws, spec.formula);
  if (fit.error) throw new Error(fit.error);
  const slopes = fit.terms.flatMap((t) => {
    const m = parseSlopeTerm(t.term);
    return m ? [{ family: m.family, language: languageCode(m.language) ?? m.language, term: t.term, ...interval(t) }] : [];
  });
  return {
    slopes,
    consistency: fit.terms.filter((t) => t.term.startsWith("consistency")).map((t) => ({ term: t.term, ...interval(t) })),
  };
}

function rq2Outcome(ws: Workspace, spec: Specification, cache: ComputeCache, draws: readonly number[]): Pick<SpecOutcome, "usBias"> {
  const sets: CommonItems[] = comparedItems(ws, spec.items);
  const data = [spec.items, spec.seed, spec.exclude, draws];
  const layout = () => cached(cache.layouts, data, () => usBiasLayout(withBaselineDraws(ws, spec.seed, draws), sets));
  const exp = cached(cache.experiments, ["rq2", ...data, spec.metric, spec.unit, spec.rounds], () =>
    usBiasExperiment(ws, sets, { replicates: spec.rounds, seed: spec.seed, unit: spec.unit, metric: spec.metric }, layout()),
  );
  const models = [...new Set(exp.alignmentGroups.map((g) => g.model))].filter((m) => !isBaseline(m));
  const base = baselineModel(spec.baseline);
  const est = bootstrapped(exp, (cells) => {
    const out = new Map<string, number>();
    for (const set of sets) {
      const offset = base === null ? 0 : gapOf(cells, base, set);
      out.set(set.language, median(models.map((m) => gapOf(cells, m, set) - offset)));
    }
    return out;
  });
  return { usBias: [...est].map(([language, e]) => ({ language, ...interval(e) })) };
}

/** The baseline draws a list of specifications needs. */
export function baselineDraws(specs: readonly Specification[]): number[] {
  return drawsOf(specs.map((s) => s.baseline));
}

/** The data a US-bias experiment runs on, whatever its metric or unit. */
const dataKey = (spec: Specification) => JSON.stringify([spec.items, spec.seed, spec.exclude]);

/**
 * Per specification, the baseline draws its US-bias experiment carries: those of every
 * specification on the same data, so that they share one experiment, and none where no
 * specification on that data subtracts a draw (every draw adds a row per response).
 */
export function sharedDraws(specs: readonly Specification[]): Array<readonly number[]> {
  const byData = new Map<string, Specification[]>();
  for (const spec of specs) byData.set(dataKey(spec), [...(byData.get(dataKey(spec)) ?? []), spec]);
  const draws = new Map([...byData].map(([key, own]) => [key, baselineDraws(own)]));
  return specs.map((spec) => draws.get(dataKey(spec))!);
}

/** Computes what the claims need under one specification. */
export function runSpec(
  input: Workspace,
  spec: Specification,
  cache: ComputeCache = newCache(),
  draws: readonly number[] = baselineDraws([spec]),
): SpecOutcome {
  const started = performance.now();
  const outcome: SpecOutcome = { spec, slopes: [], consistency: [], usBias: [], ms: 0 };
  try {
    const ws = withBaselines(excluding(input, spec.exclude), spec.seed).workspace;
    if (spec.scope !== "rq2" && ws.benchmarks.length > 0) Object.assign(outcome, rq1Outcome(ws, spec, cache));
    if (spec.scope !== "rq1") Object.assign(outcome, rq2Outcome(ws, spec, cache, draws));
  } catch (error) {
    outcome.error = (error as Error).message;
  }
  outcome.ms = performance.now() - started;
  return outcome;
}

/** What the study's analysis concludes (the published procedure at its 100 rounds, seed 1): the claims' source. */
export interface Conclusions {
  slopes: FamilySlope[];
  usBias: Array<Pick<UsBiasCoefficient, "model" | "language" | "coef">>;
}

export function studyConclusions(ws: Workspace): Conclusions {
  const parts = ws.benchmarks.length > 0 ? (["rq1", "usBias"] as const) : (["usBias"] as const);
  const r = reproduce(ws, { rounds: 100, seed: 1, parts });
  return { slopes: r.details.slopes ?? [], usBias: (r.usBias ?? []).filter((b) => !isBaseline(b.model)) };
}

/** The study's conclusions as claims: a family's slopes as the study's analysis finds them, and the direction of each language's US bias. */
export function claimsFor(ws: Workspace, study: Conclusions): Claim[] {
  const families = [
    ...new Set(ws.models.filter((m) => m.family !== BASELINE_FAMILY && ws.benchmarks.some((b) => b.model === m.model)).map((m) => m.family)),
  ].sort();
  const claims: Claim[] = [];
  for (const family of families) {
    const own = study.slopes.filter((s) => s.family === family);
    const starred = own.filter((s) => s.starred).length;
    // Each family's claim as the study's analysis states it; a split family gets both.
    if (starred > 0) claims.push({ id: `slope-all:${family}`, kind: "slope-all", family, text: `${family}: capability predicts alignment in every language` });
    if (starred < own.length || own.length === 0)
      claims.push({ id: `slope-none:${family}`, kind: "slope-none", family, text: `${family}: capability predicts alignment in no language` });
  }
  if (families.length) claims.push({ id: "consistency", kind: "consistency", text: "Self-consistency predicts alignment in every language" });
  for (const language of [...new Set(study.usBias.map((b) => b.language))].sort()) {
    const direction = median(study.usBias.filter((b) => b.language === language).map((b) => b.coef)) >= 0 ? 1 : -1;
    claims.push({
      id: `usbias:${language}`,
      kind: "usbias",
      language,
      direction,
      text: `${languageName(language)} prompts: the median model is closer to ${direction > 0 ? "the US" : "the language's own countries"}`,
    });
  }
  return claims;
}

const lowest = <T extends Interval>(xs: T[]) => xs.reduce((a, b) => (b.ci_low < a.ci_low ? b : a));
const highest = <T extends Interval>(xs: T[]) => xs.reduce((a, b) => (b.ci_low > a.ci_low ? b : a));

/**
 * Whether a claim holds under one outcome: every interval it speaks of lies wholly on the
 * claimed side of zero ("in no language": no slope's interval lies wholly above zero).
 * The estimate shown is the deciding one: the weakest slope, or the strongest for "no language".
 */
export function evaluate(claim: Claim, outcome: SpecOutcome): ClaimResult {
  const base = { claim: claim.id, spec: outcome.spec.id };
  const none = { ...base, holds: null, estimate: NaN, low: NaN, high: NaN };
  const result = (holds: boolean, i: Interval) => ({ ...base, holds, estimate: i.estimate, low: i.ci_low, high: i.ci_high });
  if (outcome.error) return none;
  if (claim.kind === "slope-all" || claim.kind === "slope-none") {
    const own = outcome.slopes.filter((s) => s.family === claim.family && Number.isFinite(s.estimate));
    if (own.length === 0) return none;
    if (claim.kind === "slope-all")
      return result(
        own.every((s) => intervalSign(s) > 0),
        lowest(own),
      );
    return result(
      own.every((s) => intervalSign(s) <= 0),
      highest(own),
    );
  }
  if (claim.kind === "consistency") {
    const terms = outcome.consistency.filter((c) => Number.isFinite(c.estimate));
    return terms.length
      ? result(
          terms.every((t) => intervalSign(t) > 0),
          lowest(terms),
        )
      : none;
  }
  const gap = outcome.usBias.find((b) => b.language === claim.language);
  return gap && Number.isFinite(gap.estimate) ? result(intervalSign(gap) === claim.direction, gap) : none;
}

export interface ClaimSummary {
  claim: Claim;
  /** Specifications where the claim applies. */
  specifications: number;
  /** Distinct results among them: specifications with identical results count once. */
  applicable: number;
  /** Distinct results in which the claim holds. */
  holds: number;
  share: number;
}

const signature = (r: ClaimResult) => `${r.holds}|${r.estimate.toPrecision(10)}|${r.low.toPrecision(10)}|${r.high.toPrecision(10)}`;

/** How often each claim holds, counting identical results once. */
export function summarizeClaims(claims: readonly Claim[], results: readonly ClaimResult[]): ClaimSummary[] {
  return claims.map((claim) => {
    const own = results.filter((r) => r.claim === claim.id && r.holds !== null);
    const distinct = new Map(own.map((r) => [signature(r), r]));
    const holds = [...distinct.values()].filter((r) => r.holds).length;
    return { claim, specifications: own.length, applicable: distinct.size, holds, share: distinct.size ? holds / distinct.size : NaN };
  });
}

/** The number of distinct results: specifications whose every claim result equals another's count once. */
export function distinctResults(claims: readonly Claim[], outcomes: readonly SpecOutcome[]): number {
  return new Set(outcomes.filter((o) => !o.error).map((o) => claims.map((c) => signature(evaluate(c, o))).join("\n"))).size;
}

/** Runs every specification, in order, sharing experiments; `onOutcome` sees each as it finishes. */
export function runMultiverse(ws: Workspace, specs: readonly Specification[], onOutcome?: (o: SpecOutcome, done: number) => void): SpecOutcome[] {
  const cache = newCache();
  const draws = sharedDraws(specs);
  return specs.map((spec, i) => {
    const outcome = runSpec(ws, spec, cache, draws[i]);
    // Experiments of one exclusion (or seed) are not needed by the next specification.
    if (spec.group.startsWith("leave") || spec.group === "seed") {
      cache.experiments.clear();
      cache.layouts.clear();
    }
    onOutcome?.(outcome, i + 1);
    return outcome;
  });
}
