/**
 * Small dense linear algebra on row-major Float64Arrays: what OLS and the mixed
 * model need (cross products, Cholesky, solves, inverses). Sizes here are tens to a
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

/** Population variance (divisor n), as numpy's var. */
export function variance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i]!;
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i]! - m) ** 2;
  return s / n;
}

/** Quantile with linear interpolation between order statistics (numpy's default). NaNs ignored. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Array.from(values).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The median of the finite values, the mean of the middle two for an even count (NaN when none). */
export function median(values: ArrayLike<number>): number {
  const s = Array.from(values).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Mean ignoring NaN (NaN when nothing is left). */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : NaN;
}
