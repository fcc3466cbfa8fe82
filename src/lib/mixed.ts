/**
 * Linear mixed model with one random intercept per group, fitted by REML:
 *
 *   y = Xβ + u[group] + ε,   u ~ N(0, τ²),   ε ~ N(0, σ²).
 *
 * With γ = τ²/σ², each group's covariance is σ²(I + γ11'), whose inverse and
 * determinant are closed-form, so the profiled REML likelihood only needs per-group
 * cross products. γ is found by a bracketed 1-D search (Brent) on log γ, with the
 * boundary γ = 0 checked too.
 *
 * It reproduces statsmodels' MixedLM (the study's tool): the log-likelihood is
 * statsmodels' REML `llf`, and the fixed-effect standard errors come from the
 * inverse of the same observed Hessian over (β, γ) that statsmodels inverts, which is
 * slightly wider than σ²(X'V⁻¹X)⁻¹. Validated against statsmodels and lme4 in
 * test/reference.
 */
import { normalQuantile, twoSidedNormalP } from "./distributions.js";
import { designMatrix, type Design, type DesignOptions, type Frame } from "./formula.js";
import { variance } from "./descriptive.js";
import { cholesky, choleskyInverse, choleskyLogDet, choleskySolve, matrix, multiply, rankDeficient, rowSupports } from "./linalg.js";
import type { Coefficient } from "./ols.js";
import { gridModes } from "./optimize.js";

export interface MixedFit {
  formula: string;
  coefficients: Coefficient[];
  /** Observations used. */
  n: number;
  nGroups: number;
  groupSizes: { min: number; max: number; mean: number };
  /** Random-intercept variance τ² ("Group Var" in statsmodels). */
  groupVar: number;
  /** statsmodels' standard error of the group variance. */
  groupVarSe: number;
  /** Residual variance σ² ("Scale"). */
  scale: number;
  /** REML log-likelihood, on statsmodels' scale (equal to lme4's logLik(REML = TRUE)). */
  llf: number;
  /** Variance of the fixed-effect predictions Xβ (divisor n). */
  fixedVar: number;
  marginalR2: number;
  conditionalR2: number;
  converged: boolean;
  /** True when the variance estimate sits on the boundary τ² = 0. */
  boundary: boolean;
  /**
   * The local maxima of the REML likelihood over the variance ratio, best first (the first
   * is the fit). A second mode within AMBIGUOUS_LOGLIK of the first makes the fit ambiguous:
   * the data barely prefer one model variance over the other.
   */
  modes: Array<{ groupVar: number; scale: number; llf: number }>;
  ambiguous: boolean;
  /** Predicted random intercepts (BLUPs) per group. */
  randomEffects: Array<{ group: string; value: number }>;
  /** How the standard errors were computed: the observed Hessian (as statsmodels) or GLS. */
  seMethod: "hessian" | "gls";
  /**
   * Columns left out because they are zero in every row (an empty combination of levels,
   * e.g. a family with no benchmark score in a language). Their coefficients are NaN; the
   * rest is the fit without them, as lme4 does.
   */
  dropped: string[];
}

export interface MixedOptions extends DesignOptions {
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
}

interface GroupStats {
  name: string;
  n: number;
  xtx: Float64Array;
  s: Float64Array;
  xty: Float64Array;
  t: number;
  yy: number;
  /** Columns where s is not zero: the only ones the group's rank-one term touches. */
  nz?: Int32Array;
}

/** Cross products summed over groups, and each group's non-zero columns (computed once per fit). */
interface Totals {
  xtx: Float64Array;
  xty: Float64Array;
  yy: number;
}

const totalsCache = new WeakMap<GroupStats[], Totals>();

function totalsOf(stats: GroupStats[], p: number): Totals {
  let t = totalsCache.get(stats);
  if (t) return t;
  t = { xtx: new Float64Array(p * p), xty: new Float64Array(p), yy: 0 };
  for (const g of stats) {
    for (let k = 0; k < p * p; k++) t.xtx[k]! += g.xtx[k]!;
    for (let k = 0; k < p; k++) t.xty[k]! += g.xty[k]!;
    t.yy += g.yy;
    g.nz = Int32Array.from(Array.from(g.s.keys()).filter((k) => g.s[k] !== 0));
  }
  totalsCache.set(stats, t);
  return t;
}

function groupStats(design: Design, groups: string[]): GroupStats[] {
  const p = design.X.cols;
  const supports = rowSupports(design.X);
  const byName = new Map<string, GroupStats>();
  const order: GroupStats[] = [];
  for (let i = 0; i < design.X.rows; i++) {
    const name = groups[i]!;
    let g = byName.get(name);
    if (!g) {
      g = { name, n: 0, xtx: new Float64Array(p * p), s: new Float64Array(p), xty: new Float64Array(p), t: 0, yy: 0 };
      byName.set(name, g);
      order.push(g);
    }
    const yi = design.y[i]!;
    const off = i * p;
    const sup = supports[i]!;
    g.n++;
    g.t += yi;
    g.yy += yi * yi;
    for (let a = 0; a < sup.length; a++) {
      const ja = sup[a]!;
      const xa = design.X.data[off + ja]!;
      g.s[ja]! += xa;
      g.xty[ja]! += xa * yi;
      for (let b = 0; b < sup.length; b++) {
        const jb = sup[b]!;
        g.xtx[ja * p + jb]! += xa * design.X.data[off + jb]!;
      }
    }
  }
  return order.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface Profile {
  gamma: number;
  llf: number;
  beta: Float64Array;
  A: Float64Array;
  L: Float64Array;
  qf: number;
}

/**
 * The REML log-likelihood profiled over β and σ² at γ. X'V⁻¹X = Σ X'X − Σ_g c_g s_g s_g'
 * with c_g = γ / (1 + n_g γ): only each group's non-zero columns are touched.
 */
function profile(stats: GroupStats[], p: number, n: number, gamma: number): Profile | null {
  const totals = totalsOf(stats, p);
  const A = Float64Array.from(totals.xtx);
  const b = Float64Array.from(totals.xty);
  let q = totals.yy;
  let logdetV = 0;
  for (const g of stats) {
    const c = gamma / (1 + g.n * gamma);
    logdetV += Math.log1p(g.n * gamma);
    q -= c * g.t * g.t;
    const nz = g.nz!;
    for (let a = 0; a < nz.length; a++) {
      const i = nz[a]!;
      const ci = c * g.s[i]!;
      b[i]! -= ci * g.t;
      for (let e = 0; e < nz.length; e++) A[i * p + nz[e]!]! -= ci * g.s[nz[e]!]!;
    }
  }
  const L = cholesky(A, p);
  if (!L || rankDeficient(L, A, p)) return null;
  const beta = choleskySolve(L, p, b);
  let qf = q;
  for (let i = 0; i < p; i++) qf -= beta[i]! * b[i]!;
  const f = n - p;
  if (!(qf > 0) || f <= 0) return null;
  const llf = -0.5 * logdetV - (f / 2) * Math.log(qf) - 0.5 * choleskyLogDet(L, p) - (f / 2) * Math.log(2 * Math.PI) + (f / 2) * Math.log(f) - f / 2;
  return { gamma, llf, beta, A, L, qf };
}

/** Two modes whose REML log-likelihoods differ by less than this are reported as ambiguous. */
export const AMBIGUOUS_LOGLIK = 2;

interface GammaFit {
  best: Profile;
  converged: boolean;
  boundary: boolean;
  /** Every local maximum of the profile over log γ (and the boundary γ = 0), best first. */
  modes: Profile[];
}

/**
 * The global REML optimum over γ: the profile likelihood is evaluated on a grid of
 * log γ from e^-20 to e^12 in steps of 0.5, every local maximum is refined by Brent's
 * method, and the boundary γ = 0 competes too. The profile can have two modes (a
 * collapsed variance and a large one); the best is kept and the others are reported.
 */
function fitGamma(stats: GroupStats[], p: number, n: number): GammaFit {
  const ll = (logGamma: number) => profile(stats, p, n, Math.exp(logGamma))?.llf ?? -Infinity;
  const zero = profile(stats, p, n, 0);
  const interior = gridModes(ll, -20, 12, 0.5).map((m) => ({ mode: m, fit: profile(stats, p, n, Math.exp(m.x))! }));
  if (interior.length === 0 && !zero) {
    throw new Error(
      "Mixed model: the fixed-effect design is singular (rank deficient); check for empty factor levels " +
        "or combinations, and for columns that are linear combinations of others",
    );
  }
  // A mode at the grid's lower end is the boundary γ = 0 in all but name: the boundary stands in for it.
  const lowerEdge = interior.some((c) => c.mode.atEdge && c.mode.x < 0);
  const candidates = interior.filter((c) => !(c.mode.atEdge && c.mode.x < 0)).map((c) => ({ ...c, boundary: false }));
  if (zero && (lowerEdge || candidates.length === 0)) candidates.push({ mode: { x: -Infinity, fx: zero.llf, atEdge: true }, fit: zero, boundary: true });
  candidates.sort((a, b) => b.fit.llf - a.fit.llf);
  const top = candidates[0]!;
  return { best: top.fit, converged: top.boundary || !top.mode.atEdge, boundary: top.boundary, modes: candidates.map((c) => c.fit) };
}

/**
 * statsmodels' observed Hessian of the profile REML log-likelihood over (β, γ), at
 * the estimate; returns the inverse of its negative, or null if not definite.
 */
function hessianCovariance(stats: GroupStats[], fit: Profile, p: number, n: number): Float64Array | null {
  const f = n - p;
  const { gamma, beta, A, qf } = fit;
  const hessFere = new Float64Array(p);
  const xtax = new Float64Array(p * p);
  const F = new Float64Array(p * p);
  let B = 0;
  let D = 0;
  let reSum = 0;
  for (const g of stats) {
    const k = 1 / (1 + g.n * gamma);
    let R = g.t;
    for (let i = 0; i < p; i++) R -= g.s[i]! * beta[i]!;
    const oneVr = R * k; // 1'V⁻¹r
    const oneV1 = g.n * k; // 1'V⁻¹1
    B += oneVr * oneVr;
    D += 2 * oneV1 * oneVr * oneVr;
    reSum += (oneV1 * oneV1) / 2;
    for (let i = 0; i < p; i++) {
      const wi = g.s[i]! * k; // X'V⁻¹1
      hessFere[i]! += wi * oneVr;
      for (let j = 0; j < p; j++) {
        const wij = wi * g.s[j]! * k;
        xtax[i * p + j]! += wij;
        F[i * p + j]! += 2 * oneV1 * wij;
      }
    }
  }
  const Ainv = choleskyInverse(fit.L, p);
  const QL = new Float64Array(p * p);
  const AF = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < p; k++) {
        s1 += Ainv[i * p + k]! * xtax[k * p + j]!;
        s2 += Ainv[i * p + k]! * F[k * p + j]!;
      }
      QL[i * p + j] = s1;
      AF[i * p + j] = s2;
    }
  }
  let trQQ = 0;
  let trAF = 0;
  for (let i = 0; i < p; i++) {
    trAF += AF[i * p + i]!;
    for (let j = 0; j < p; j++) trQQ += QL[i * p + j]! * QL[j * p + i]!;
  }
  const hessRe = reSum - 0.5 * f * (D / qf - (B * B) / (qf * qf)) + 0.5 * (trQQ - trAF);
  const m = p + 1;
  const negH = new Float64Array(m * m);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) negH[i * m + j] = (f * A[i * p + j]!) / qf;
    const cross = (f * hessFere[i]!) / qf;
    negH[i * m + p] = cross;
    negH[p * m + i] = cross;
  }
  negH[p * m + p] = -hessRe;
  const L = cholesky(negH, m);
  return L ? choleskyInverse(L, m) : null;
}

/** Fits the random-intercept model of a formula on a frame, grouped by a column. */
export function mixedLm(formula: string, frame: Frame, groupColumn: string, options: MixedOptions = {}): MixedFit {
  const groupsAll = frame[groupColumn];
  if (!groupsAll) {
    throw new Error(`Grouping column "${groupColumn}" is not in the data (columns: ${Object.keys(frame).join(", ")})`);
  }
  const design = designMatrix(formula, frame, options);
  const groups = Array.from(design.rows, (i) => String(groupsAll[i]));
  return mixedDesign(design, groups, options.level ?? 0.95, formula);
}

/** Fits the random-intercept model on a prepared design and per-row group labels. */
export function mixedDesign(design: Design, groups: string[], level = 0.95, formula = ""): MixedFit {
  const { X } = design;
  const empty = Array.from({ length: X.cols }, (_, j) => j).filter((j) => {
    for (let i = 0; i < X.rows; i++) if (X.data[i * X.cols + j] !== 0) return false;
    return true;
  });
  if (empty.length === 0) return fitDesign(design, groups, level, formula);
  const keep = Array.from({ length: X.cols }, (_, j) => j).filter((j) => !empty.includes(j));
  const reduced = matrix(X.rows, keep.length);
  for (let i = 0; i < X.rows; i++)
    keep.forEach((j, k) => {
      reduced.data[i * keep.length + k] = X.data[i * X.cols + j]!;
    });
  const fit = fitDesign({ ...design, X: reduced, columnNames: keep.map((j) => design.columnNames[j]!) }, groups, level, formula);
  const byTerm = new Map(fit.coefficients.map((c) => [c.term, c]));
  return {
    ...fit,
    coefficients: design.columnNames.map((term) => byTerm.get(term) ?? { term, coef: NaN, se: NaN, stat: NaN, p: NaN, ci_low: NaN, ci_high: NaN }),
    dropped: empty.map((j) => design.columnNames[j]!),
  };
}

function fitDesign(design: Design, groups: string[], level: number, formula: string): MixedFit {
  const p = design.X.cols;
  const n = design.X.rows;
  if (groups.length !== n) throw new Error(`mixedDesign: ${groups.length} group labels for ${n} rows`);
  if (n <= p) throw new Error(`Mixed model: ${n} observations cannot identify ${p} fixed effects`);
  const stats = groupStats(design, groups);
  const { best, converged, boundary, modes } = fitGamma(stats, p, n);
  const scale = best.qf / (n - p);
  const groupVar = best.gamma * scale;

  let cov = boundary ? null : hessianCovariance(stats, best, p, n);
  let seMethod: MixedFit["seMethod"] = "hessian";
  let groupVarSe = NaN;
  const m = p + 1;
  if (cov) {
    groupVarSe = Math.sqrt(scale * cov[p * m + p]!);
  } else {
    seMethod = "gls";
    const inv = choleskyInverse(best.L, p);
    cov = new Float64Array(m * m);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) cov[i * m + j] = scale * inv[i * p + j]!;
  }
  const zcrit = normalQuantile(0.5 + level / 2);
  const coefficients: Coefficient[] = design.columnNames.map((term, j) => {
    const coef = best.beta[j]!;
    const se = Math.sqrt(cov![j * m + j]!);
    const z = coef / se;
    return { term, coef, se, stat: z, p: twoSidedNormalP(z), ci_low: coef - zcrit * se, ci_high: coef + zcrit * se };
  });
  const fixed = multiply(design.X, best.beta);
  const fixedVar = variance(fixed);
  const denom = fixedVar + groupVar + scale;
  const sizes = stats.map((g) => g.n);
  return {
    formula,
    coefficients,
    n,
    nGroups: stats.length,
    groupSizes: { min: Math.min(...sizes), max: Math.max(...sizes), mean: n / stats.length },
    groupVar,
    groupVarSe,
    scale,
    llf: best.llf,
    fixedVar,
    marginalR2: fixedVar / denom,
    conditionalR2: (fixedVar + groupVar) / denom,
    converged,
    boundary,
    randomEffects: stats.map((g) => {
      let R = g.t;
      for (let i = 0; i < p; i++) R -= g.s[i]! * best.beta[i]!;
      return { group: g.name, value: (best.gamma * R) / (1 + g.n * best.gamma) };
    }),
    seMethod,
    dropped: [],
    modes: modes.map((m) => ({ groupVar: m.gamma * (m.qf / (n - p)), scale: m.qf / (n - p), llf: m.llf })),
    ambiguous: modes.length > 1 && modes[0]!.llf - modes[1]!.llf < AMBIGUOUS_LOGLIK,
  };
}
