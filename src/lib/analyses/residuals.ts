/**
 * Residual diagnostics of the study's two regressions, as its assumption check drew them
 * (supplementary/assumption_check.md): residuals against fitted values, a normal QQ plot
 * and residuals by model, with the shape statistics statsmodels prints (skewness,
 * kurtosis, Jarque–Bera, omnibus K²).
 *
 * - RQ1, the mixed model: fitted = Xβ̂ + the model's predicted random intercept (statsmodels'
 *   `fittedvalues`), residual = alignment − fitted, standardized by the residual σ̂.
 * - US bias, the OLS: fitted = Xβ̂ (the cell mean, since the model is saturated), residual =
 *   alignment − fitted, standardized by √(RSS / df) (statsmodels' `resid_pearson`).
 *
 * QQ pairs: the i-th smallest standardized residual (i = 1…n) against the normal quantile
 * at Blom's plotting position (i − 3/8) / (n + 1/4).
 */
import { quantile } from "../descriptive.js";
import { normalQuantile } from "../distributions.js";
import { designMatrix, type Design } from "../formula.js";
import type { MixedFit } from "../mixed.js";
import { normality, type Normality } from "../normality.js";
import type { Coefficient } from "../ols.js";
import { createRng } from "../random.js";
import { RQ1_FORMULAS, rq1Frame, type Rq1Row, type Rq1Variant } from "./rq1.js";
import { US_BIAS_FORMULA, usBiasFrame, type UsBiasResult, type UsBiasRow } from "./usbias.js";

export const PLOTTING_POSITION = "Blom: (i − 3/8) / (n + 1/4)";

export interface ResidualPoint {
  fitted: number;
  residual: number;
  model: string;
  /** ISO 639-1. */
  language: string;
}

export interface QqPair {
  /** Standard normal quantile at the plotting position. */
  theoretical: number;
  /** The standardized residual of that rank. */
  sample: number;
}

/** One model's residuals: count and five-number summary (quartiles as numpy's default). */
export interface ModelSpread {
  model: string;
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface RegressionResiduals {
  regression: "rq1" | "usBias";
  formula: string;
  n: number;
  /** The residual variance the residuals are standardized by. */
  scale: number;
  points: ResidualPoint[];
  qq: QqPair[];
  byModel: ModelSpread[];
  normality: Normality;
  /** Set when the points and QQ pairs are a sample of all n (the site's copy); the rest is of all n. */
  thinned?: { points: number; qq: number };
}

export interface ResidualDiagnostics {
  plottingPosition: string;
  rq1?: RegressionResiduals;
  usBias?: RegressionResiduals;
}

/** Xβ̂ over a design's rows; a coefficient left out of the fit (NaN, an all-zero column) adds nothing. */
export function linearPredictor(design: Design, coefficients: readonly Coefficient[]): Float64Array {
  const { rows, cols, data } = design.X;
  const beta = Float64Array.from(coefficients, (c) => (Number.isNaN(c.coef) ? 0 : c.coef));
  if (beta.length !== cols) throw new Error(`linearPredictor: ${beta.length} coefficients for ${cols} design columns`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j]!;
      if (v !== 0) s += v * beta[j]!;
    }
    out[i] = s;
  }
  return out;
}

/** QQ pairs of values standardized by `scale` (NaN left out), at Blom's plotting position. */
export function qqPairs(residuals: ArrayLike<number>, scale: number): QqPair[] {
  const sd = Math.sqrt(scale);
  const sorted = Array.from(residuals, (r) => r / sd)
    .filter((z) => Number.isFinite(z))
    .sort((a, b) => a - b);
  const n = sorted.length;
  return sorted.map((sample, i) => ({ theoretical: normalQuantile((i + 1 - 3 / 8) / (n + 1 / 4)), sample }));
}

/** Each model's residual spread, in first-seen order. */
export function spreadByModel(points: readonly ResidualPoint[]): ModelSpread[] {
  const groups = new Map<string, number[]>();
  for (const p of points) if (Number.isFinite(p.residual)) (groups.get(p.model) ?? groups.set(p.model, []).get(p.model)!).push(p.residual);
  return [...groups].map(([model, rs]) => ({
    model,
    n: rs.length,
    min: Math.min(...rs),
    q1: quantile(rs, 0.25),
    median: quantile(rs, 0.5),
    q3: quantile(rs, 0.75),
    max: Math.max(...rs),
  }));
}

/** The diagnostics of one fit, from its observed and fitted values and each row's model and language. */
export function diagnose(
  regression: RegressionResiduals["regression"],
  formula: string,
  observed: ArrayLike<number>,
  fitted: ArrayLike<number>,
  labels: ReadonlyArray<{ model: string; language: string }>,
  scale: number,
): RegressionResiduals {
  const points = labels.map((l, i) => ({ fitted: fitted[i]!, residual: observed[i]! - fitted[i]!, model: l.model, language: l.language }));
  const residuals = points.map((p) => p.residual);
  return {
    regression,
    formula,
    n: points.length,
    scale,
    points,
    qq: qqPairs(residuals, scale),
    byModel: spreadByModel(points),
    normality: normality(residuals),
  };
}

/** RQ1's residuals (conditional on each model's predicted intercept) for a fit of `variant` on `rows`. */
export function rq1Residuals(rows: readonly Rq1Row[], fit: MixedFit, variant: Rq1Variant): RegressionResiduals {
  const design = designMatrix(RQ1_FORMULAS[variant], rq1Frame(rows));
  const kept = Array.from(design.rows, (i) => rows[i]!);
  const blup = new Map(fit.randomEffects.map((g) => [g.group, g.value]));
  const fixed = linearPredictor(design, fit.coefficients);
  const fitted = kept.map((r, i) => fixed[i]! + (blup.get(r.model) ?? 0));
  return diagnose("rq1", RQ1_FORMULAS[variant], design.y, fitted, kept, fit.scale);
}

/** The US-bias OLS's residuals, for its fit on `rows`. */
export function usBiasResiduals(rows: readonly UsBiasRow[], bias: UsBiasResult): RegressionResiduals {
  const { frame, levels } = usBiasFrame(rows, bias.reference);
  const design = designMatrix(US_BIAS_FORMULA, frame, { levels });
  const kept = Array.from(design.rows, (i) => rows[i]!);
  return diagnose("usBias", US_BIAS_FORMULA, design.y, linearPredictor(design, bias.fit.coefficients), kept, bias.fit.scale);
}

/** `m` of `n` indices: a seeded sample (sorted) of the points, or every k-th order statistic with both ends. */
function sampleIndices(n: number, m: number, seed: string): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed, "residual-points");
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, m).sort((a, b) => a - b);
}

const evenly = (n: number, m: number) => Array.from({ length: m }, (_, k) => Math.round((k * (n - 1)) / Math.max(1, m - 1)));

/**
 * The diagnostics with at most `maxPoints` points (a seeded random sample) and `maxQq` QQ
 * pairs (evenly spaced in rank, both extremes kept), their numbers to `digits` significant
 * digits when given, for a page to download and draw; the spreads and tests stay those of all n.
 */
export function thinResiduals(r: RegressionResiduals, maxPoints = 1000, maxQq = 400, digits?: number): RegressionResiduals {
  const round = digits ? (x: number) => Number(x.toPrecision(digits)) : (x: number) => x;
  const picked = r.points.length > maxPoints ? sampleIndices(r.points.length, maxPoints, r.regression).map((i) => r.points[i]!) : r.points;
  const pickedQq = r.qq.length > maxQq ? evenly(r.qq.length, maxQq).map((i) => r.qq[i]!) : r.qq;
  if (picked === r.points && pickedQq === r.qq && !digits) return r;
  const points = digits ? picked.map((p) => ({ ...p, fitted: round(p.fitted), residual: round(p.residual) })) : picked;
  const qq = digits ? pickedQq.map((q) => ({ theoretical: round(q.theoretical), sample: round(q.sample) })) : pickedQq;
  return { ...r, points, qq, thinned: { points: points.length, qq: qq.length } };
}
