/**
 * Ordinary least squares on a formula, with the coefficient table statsmodels
 * reports (coefficient, SE, t, two-sided p, 95% CI) and R². Frequency weights
 * (a bootstrap's resample counts) are supported without copying rows.
 */
import { tQuantile, twoSidedTP } from "./distributions.js";
import { designMatrix, type Design, type DesignOptions, type Frame } from "./formula.js";
import { cholesky, choleskyInverse, choleskySolve, crossProducts, rankDeficient, rowSupports } from "./linalg.js";

export interface Coefficient {
  term: string;
  coef: number;
  se: number;
  /** t for OLS, z for the mixed model. */
  stat: number;
  p: number;
  ci_low: number;
  ci_high: number;
}

export interface OlsFit {
  formula: string;
  coefficients: Coefficient[];
  n: number;
  dfResid: number;
  rss: number;
  /** Residual variance estimate, RSS / dfResid. */
  scale: number;
  r2: number;
  adjR2: number;
  /** Columns with no non-zero value in the data: reported with NaN and left out of the fit. */
  dropped: string[];
}

export interface OlsOptions extends DesignOptions {
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
}

/** Solves the normal equations of a design, optionally with frequency weights per row. */
export function solveDesign(
  design: Design,
  weights?: ArrayLike<number>,
  supports = rowSupports(design.X),
): { beta: Float64Array; xtxInv: Float64Array | null; active: number[]; n: number } {
  const p = design.X.cols;
  const { xtx, xty } = crossProducts(design.X, design.y, supports, undefined, weights);
  const active: number[] = [];
  for (let j = 0; j < p; j++) if (xtx[j * p + j]! > 0) active.push(j);
  const q = active.length;
  const A = new Float64Array(q * q);
  const b = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    b[a] = xty[active[a]!]!;
    for (let c = 0; c < q; c++) A[a * q + c] = xtx[active[a]! * p + active[c]!]!;
  }
  const L = cholesky(A, q);
  if (!L || rankDeficient(L, A, q)) {
    throw new Error(
      `The design of "${formulaText(design)}" is rank deficient: some columns are linear combinations of others ` +
        `(check for a factor level that only occurs together with another).`,
    );
  }
  const sol = choleskySolve(L, q, b);
  const beta = new Float64Array(p).fill(NaN);
  active.forEach((j, k) => {
    beta[j] = sol[k]!;
  });
  let n = 0;
  if (weights) for (let i = 0; i < design.X.rows; i++) n += weights[i]!;
  else n = design.X.rows;
  return { beta, xtxInv: choleskyInverse(L, q), active, n };
}

function formulaText(design: Design): string {
  const f = design.formula;
  const terms = f.terms.map((t) => t.join(":"));
  return `${f.response} ~ ${f.intercept ? "" : "0 + "}${terms.join(" + ")}`;
}

/** Fits OLS of a formula on a frame. */
export function ols(formula: string, frame: Frame, options: OlsOptions = {}): OlsFit {
  return olsDesign(designMatrix(formula, frame, options), options.level ?? 0.95, formula);
}

/**
 * Whether the columns span the constant vector (an intercept, or e.g. a full set of
 * indicators); statsmodels then reports R² against the centred total sum of squares.
 */
function spansConstant(design: Design, active: number[], xtxInv: Float64Array): boolean {
  const p = design.X.cols;
  const q = active.length;
  const xt1 = new Float64Array(q);
  for (let i = 0; i < design.X.rows; i++) for (let k = 0; k < q; k++) xt1[k]! += design.X.data[i * p + active[k]!]!;
  const b = new Float64Array(q);
  for (let a = 0; a < q; a++) for (let c = 0; c < q; c++) b[a]! += xtxInv[a * q + c]! * xt1[c]!;
  let rss = 0;
  for (let i = 0; i < design.X.rows; i++) {
    let fit = 0;
    for (let k = 0; k < q; k++) fit += design.X.data[i * p + active[k]!]! * b[k]!;
    rss += (1 - fit) ** 2;
  }
  return rss <= 1e-10 * Math.max(1, design.X.rows);
}

/** Fits OLS on a prepared design. */
export function olsDesign(design: Design, level = 0.95, formula = formulaText(design)): OlsFit {
  const { beta, xtxInv, active, n } = solveDesign(design);
  const p = design.X.cols;
  const X = design.X.data;
  const constant = design.formula.intercept || spansConstant(design, active, xtxInv!);
  let ySum = 0;
  for (let i = 0; i < design.X.rows; i++) ySum += design.y[i]!;
  const center = constant ? ySum / Math.max(1, design.X.rows) : 0;
  let rss = 0;
  let tss = 0;
  for (let i = 0; i < design.X.rows; i++) {
    let fit = 0;
    for (const j of active) {
      const v = X[i * p + j]!;
      if (v !== 0) fit += v * beta[j]!;
    }
    rss += (design.y[i]! - fit) ** 2;
    tss += (design.y[i]! - center) ** 2;
  }
  const dfResid = n - active.length;
  const scale = dfResid > 0 ? rss / dfResid : NaN;
  const tcrit = dfResid > 0 ? tQuantile(0.5 + level / 2, dfResid) : NaN;
  const coefficients: Coefficient[] = design.columnNames.map((term, j) => {
    const k = active.indexOf(j);
    if (k < 0) return { term, coef: NaN, se: NaN, stat: NaN, p: NaN, ci_low: NaN, ci_high: NaN };
    const se = Math.sqrt(scale * xtxInv![k * active.length + k]!);
    const coef = beta[j]!;
    const stat = coef / se;
    return { term, coef, se, stat, p: twoSidedTP(stat, dfResid), ci_low: coef - tcrit * se, ci_high: coef + tcrit * se };
  });
  const r2 = tss > 0 ? 1 - rss / tss : NaN;
  const adjR2 = 1 - ((n - (constant ? 1 : 0)) / dfResid) * (1 - r2);
  return {
    formula,
    coefficients,
    n,
    dfResid,
    rss,
    scale,
    r2,
    adjR2,
    dropped: design.columnNames.filter((_, j) => !active.includes(j)),
  };
}
