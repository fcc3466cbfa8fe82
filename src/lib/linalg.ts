/**
 * Small dense linear algebra on row-major Float64Arrays: what OLS and the mixed
 * model need (cross products, Cholesky and its rank check, solves, inverses). Sizes here are tens to a
 * few hundred columns, so clarity beats blocking.
 */

/** A row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) throw new Error(`matrix: expected ${rows * cols} values, got ${data.length}`);
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Indices of the non-zero entries of each row, to skip zeros in cross products. */
export function rowSupports(X: Matrix): Int32Array[] {
  const out: Int32Array[] = [];
  const buf = new Int32Array(X.cols);
  for (let i = 0; i < X.rows; i++) {
    let k = 0;
    const off = i * X.cols;
    for (let j = 0; j < X.cols; j++) if (X.data[off + j] !== 0) buf[k++] = j;
    out.push(buf.slice(0, k));
  }
  return out;
}

/**
 * Weighted cross products X'WX (p×p) and X'Wy (p) over the given rows, using each
 * row's non-zero support. Weights default to 1.
 */
export function crossProducts(
  X: Matrix,
  y: ArrayLike<number>,
  supports: Int32Array[],
  rows?: ArrayLike<number>,
  weights?: ArrayLike<number>,
): { xtx: Float64Array; xty: Float64Array } {
  const p = X.cols;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const n = rows ? rows.length : X.rows;
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r]! : r;
    const w = weights ? weights[r]! : 1;
    if (w === 0) continue;
    const off = i * p;
    const s = supports[i]!;
    const yi = y[i]!;
    for (let a = 0; a < s.length; a++) {
      const ja = s[a]!;
      const xa = X.data[off + ja]! * w;
      xty[ja]! += xa * yi;
      for (let b = a; b < s.length; b++) {
        const jb = s[b]!;
        xtx[ja * p + jb]! += xa * X.data[off + jb]!;
      }
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[a * p + b] = xtx[b * p + a]!;
  return { xtx, xty };
}

/** Lower Cholesky factor of a symmetric positive definite p×p matrix, or null. */
export function cholesky(A: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j]!;
    for (let k = 0; k < j; k++) d -= L[j * p + k]! ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j]!;
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!;
      L[i * p + j] = s / ljj;
    }
  }
  return L;
}

/**
 * Relative Cholesky pivot below which a cross-product matrix (X'X, or X'V⁻¹X in the
 * mixed model) is treated as rank deficient. L[j][j]² / A[j][j] is 1 − R² (uncentred)
 * of column j regressed on the columns before it, so 1e-10 refuses a column that the
 * others reproduce to 10 digits. The plain `d > 0` test of `cholesky` is not enough:
 * for exactly collinear columns rounding leaves a pivot of about 1e-16 × A[j][j], and
 * the solve then returns arbitrary coefficients with standard errors of ~1e6 (e.g.
 * `y ~ a * b` with an empty cell in the reference level of `a`; test/reference).
 */
export const RANK_TOLERANCE = 1e-10;

/** Whether a Cholesky factor L of A (p×p) has a pivot below RANK_TOLERANCE relative to A's diagonal. */
export function rankDeficient(L: Float64Array, A: Float64Array, p: number, tol = RANK_TOLERANCE): boolean {
  for (let j = 0; j < p; j++) if (L[j * p + j]! ** 2 <= tol * A[j * p + j]!) return true;
  return false;
}

/** Solves (L L') x = b for x. */
export function choleskySolve(L: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * p + k]! * z[k]!;
    z[i] = s / L[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * x[k]!;
    x[i] = s / L[i * p + i]!;
  }
  return x;
}

/** (L L')⁻¹ as a full symmetric matrix. */
export function choleskyInverse(L: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(L, p, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i]!;
  }
  return inv;
}

/** log det(L L') from a Cholesky factor. */
export function choleskyLogDet(L: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) s += Math.log(L[i * p + i]!);
  return 2 * s;
}

/** y = X b for the rows of X. */
export function multiply(X: Matrix, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    const off = i * X.cols;
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[off + j]!;
      if (v !== 0) s += v * b[j]!;
    }
    out[i] = s;
  }
  return out;
}
