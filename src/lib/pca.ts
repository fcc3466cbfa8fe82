/**
 * Principal components of a small matrix (rows = observations, columns = variables, already
 * centred and scaled by the caller), through the eigenvectors of its Gram matrix found by
 * cyclic Jacobi rotations. The matrices this serves have a few dozen rows, so the Gram matrix
 * is small and Jacobi is exact to rounding.
 *
 * Sign rule: a component's sign is arbitrary, so each is turned so that its loading of largest
 * absolute value is positive (the first such variable on a tie within 1e-12). Checked against
 * numpy's SVD with the same rule (test/reference/pca_reference.py).
 */

export interface Components {
  /** Singular values, largest first (only those above 1e-7 of the largest: below, the Gram matrix's rounding). */
  singular: number[];
  /** Share of the total sum of squares each component carries. */
  explained: number[];
  /** Loadings: `loadings[k][j]`, component k's weight on variable j (unit length per component). */
  loadings: number[][];
  /** Scores: `scores[i][k]`, row i's coordinate on component k (= row · loadings[k]). */
  scores: number[][];
}

/** Eigenvalues and eigenvectors (columns of `vectors`, n×n row-major) of a symmetric n×n matrix. */
function jacobiEigen(input: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: v };
}

/** One Jacobi rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]!;
  if (apq === 0) return;
  const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p]!;
    const akq = a[k * n + q]!;
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k]!;
    const aqk = a[q * n + k]!;
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p]!;
    const vkq = v[k * n + q]!;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

/** Turns a loading vector (and its scores) so that its largest absolute loading is positive. */
function fixSign(loading: number[], scores: number[]): void {
  let best = 0;
  for (let j = 1; j < loading.length; j++) if (Math.abs(loading[j]!) > Math.abs(loading[best]!) * (1 + 1e-12)) best = j;
  if (loading[best]! >= 0) return;
  for (let j = 0; j < loading.length; j++) loading[j] = -loading[j]!;
  for (let i = 0; i < scores.length; i++) scores[i] = -scores[i]!;
}

/** The principal components of `rows` (each row one observation), at most `keep` of them. */
export function principalComponents(rows: readonly (readonly number[])[], keep = Infinity): Components {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = i; k < n; k++) gram[i * n + k] = gram[k * n + i] = dot(rows[i]!, rows[k]!);
  const { values, vectors } = jacobiEigen(gram, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[y]! - values[x]!);
  const total = order.reduce((s, i) => s + Math.max(values[i]!, 0), 0);
  const largest = Math.sqrt(Math.max(values[order[0] ?? 0] ?? 0, 0));
  const out: Components = { singular: [], explained: [], loadings: [], scores: [] };
  const scoreColumns: number[][] = [];
  for (const e of order) {
    const s = Math.sqrt(Math.max(values[e]!, 0));
    if (!(s > 1e-7 * largest) || out.singular.length >= keep) break;
    const u = Array.from({ length: n }, (_, i) => vectors[i * n + e]!);
    const loading = Array.from({ length: p }, (_, j) => u.reduce((acc, ui, i) => acc + ui * rows[i]![j]!, 0) / s);
    const score = u.map((ui) => ui * s);
    fixSign(loading, score);
    out.singular.push(s);
    out.explained.push((s * s) / total);
    out.loadings.push(loading);
    scoreColumns.push(score);
  }
  out.scores = Array.from({ length: n }, (_, i) => scoreColumns.map((c) => c[i]!));
  return out;
}

function dot(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j]! * y[j]!;
  return s;
}

/**
 * The rotation (or reflection) R, 2×2 orthogonal, that best turns the points `from` onto
 * `to` (orthogonal Procrustes: minimises ‖from·R − to‖, no scaling or shift), row-major.
 */
export function procrustes2(from: readonly (readonly number[])[], to: readonly (readonly number[])[]): [number, number, number, number] {
  // M = fromᵀ·to; R = U·Wᵀ from the SVD of M, found through the polar decomposition of a 2×2 matrix.
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < from.length; i++) {
    a += from[i]![0]! * to[i]![0]!;
    b += from[i]![0]! * to[i]![1]!;
    c += from[i]![1]! * to[i]![0]!;
    d += from[i]![1]! * to[i]![1]!;
  }
  // The best proper rotation and the best reflection; keep the one whose trace(Rᵀ M) is larger.
  const rot = Math.hypot(a + d, c - b);
  const ref = Math.hypot(a - d, b + c);
  if (rot === 0 && ref === 0) return [1, 0, 0, 1];
  if (rot >= ref) return [(a + d) / rot, (b - c) / rot, (c - b) / rot, (a + d) / rot];
  return [(a - d) / ref, (b + c) / ref, (b + c) / ref, (d - a) / ref];
}
