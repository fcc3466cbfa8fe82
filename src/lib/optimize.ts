/**
 * One-dimensional maximisation: Brent's method (golden-section steps with parabolic
 * interpolation) on a bracket, and a grid search that refines every local maximum of
 * the grid, so a function with several modes is not left on the wrong one.
 */

/** Maximises `fn` on [a, b] by Brent's method; `fn` should be unimodal on the bracket. */
export function brentMax(fn: (x: number) => number, a: number, b: number, tol = 1e-10): { x: number; fx: number } {
  const golden = 0.3819660112501051;
  let x = a + golden * (b - a);
  let [w, v] = [x, x];
  let fx = -fn(x);
  let [fw, fv] = [fx, fx];
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < 500; iter++) {
    const m = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + 1e-12;
    const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) break;
    const step = parabolicStep(x, w, v, fx, fw, fv, e, a, b, tol1);
    if (step === null) {
      e = x >= m ? a - x : b - x;
      d = golden * e;
    } else {
      e = d;
      d = step;
      const u = x + d;
      if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = -fn(u);
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      [v, fv, w, fw, x, fx] = [w, fw, x, fx, u, fu];
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) [v, fv, w, fw] = [w, fw, u, fu];
      else if (fu <= fv || v === x || v === w) [v, fv] = [u, fu];
    }
  }
  return { x, fx: -fx };
}

/** The parabolic step through (x, w, v), or null when it is not acceptable (then a golden step is taken). */
function parabolicStep(x: number, w: number, v: number, fx: number, fw: number, fv: number, e: number, a: number, b: number, tol1: number): number | null {
  if (Math.abs(e) <= tol1) return null;
  const r = (x - w) * (fx - fv);
  let q = (x - v) * (fx - fw);
  let p = (x - v) * q - (x - w) * r;
  q = 2 * (q - r);
  if (q > 0) p = -p;
  q = Math.abs(q);
  if (Math.abs(p) >= Math.abs(0.5 * q * e) || p <= q * (a - x) || p >= q * (b - x)) return null;
  return p / q;
}

export interface Mode {
  x: number;
  fx: number;
  /** True when the maximum is at an end of the grid (the function may still rise beyond it). */
  atEdge: boolean;
}

/**
 * Every local maximum of `fn` over an evenly spaced grid, each refined by Brent's method
 * inside its neighbouring grid points, best first. Non-finite values count as -Infinity.
 */
export function gridModes(fn: (x: number) => number, from: number, to: number, step: number): Mode[] {
  const xs: number[] = [];
  for (let x = from; x <= to + step / 2; x += step) xs.push(x);
  const fs = xs.map((x) => {
    const f = fn(x);
    return Number.isFinite(f) ? f : -Infinity;
  });
  const modes: Mode[] = [];
  for (let i = 0; i < xs.length; i++) {
    const left = i === 0 ? -Infinity : fs[i - 1]!;
    const right = i === xs.length - 1 ? -Infinity : fs[i + 1]!;
    if (fs[i] === -Infinity || fs[i]! < left || fs[i]! < right || (fs[i] === left && i > 0)) continue;
    const atEdge = i === 0 || i === xs.length - 1;
    const refined = atEdge ? { x: xs[i]!, fx: fs[i]! } : brentMax(fn, xs[i - 1]!, xs[i + 1]!, 1e-12);
    modes.push(refined.fx >= fs[i]! ? { ...refined, atEdge } : { x: xs[i]!, fx: fs[i]!, atEdge });
  }
  return modes.sort((a, b) => b.fx - a.fx);
}
