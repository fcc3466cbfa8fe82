/**
 * Shape of a sample against the normal distribution: skewness, kurtosis, the Jarque–Bera
 * test and D'Agostino–Pearson's omnibus K² test, with the definitions statsmodels prints
 * under a regression table (scipy's biased moments, `jarque_bera`, `normaltest`). Both
 * tests compare a statistic with χ² on 2 degrees of freedom, whose upper tail is exp(−x/2).
 * Checked against scipy in test/reference/residuals_reference.py.
 */

export interface Normality {
  n: number;
  /** Sample skewness m3 / m2^1.5 (biased, as scipy's `skew`). */
  skew: number;
  /** Pearson's kurtosis m4 / m2² (3 for a normal distribution; biased, as scipy's `kurtosis(fisher=False)`). */
  kurtosis: number;
  jarqueBera: number;
  jarqueBeraP: number;
  /** D'Agostino–Pearson K² (scipy's `normaltest`, statsmodels' "Omnibus"); NaN below 8 values. */
  omnibus: number;
  omnibusP: number;
}

/** Central moments m2, m3, m4 (divisor n) of the finite values. */
function moments(xs: readonly number[]): { m2: number; m3: number; m4: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** D'Agostino's test of skewness: the z-score of the sample skewness (scipy's `skewtest`). */
function skewZ(skew: number, n: number): number {
  let y = skew * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const w2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(w2));
  const alpha = Math.sqrt(2 / (w2 - 1));
  if (y === 0) y = 1;
  return delta * Math.log(y / alpha + Math.sqrt((y / alpha) ** 2 + 1));
}

/** Anscombe and Glynn's test of kurtosis: the z-score of the sample kurtosis (scipy's `kurtosistest`). */
function kurtosisZ(kurtosis: number, n: number): number {
  const e = (3 * (n - 1)) / (n + 1);
  const varb2 = (24 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const x = (kurtosis - e) / Math.sqrt(varb2);
  const sqrtBeta1 = ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) * Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const a = 6 + (8 / sqrtBeta1) * (2 / sqrtBeta1 + Math.sqrt(1 + 4 / sqrtBeta1 ** 2));
  const term1 = 1 - 2 / (9 * a);
  const denom = 1 + x * Math.sqrt(2 / (a - 4));
  const term2 = denom === 0 ? NaN : Math.sign(denom) * ((1 - 2 / a) / Math.abs(denom)) ** (1 / 3);
  return (term1 - term2) / Math.sqrt(2 / (9 * a));
}

/** Skewness, kurtosis and the two normality tests of the finite values (NaN where too few). */
export function normality(values: ArrayLike<number>): Normality {
  const xs = Array.from(values).filter((v) => Number.isFinite(v));
  const n = xs.length;
  const { m2, m3, m4 } = n > 0 ? moments(xs) : { m2: NaN, m3: NaN, m4: NaN };
  const skew = m2 > 0 ? m3 / m2 ** 1.5 : NaN;
  const kurtosis = m2 > 0 ? m4 / (m2 * m2) : NaN;
  const jarqueBera = (n / 6) * (skew * skew + (kurtosis - 3) ** 2 / 4);
  const omnibus = n >= 8 ? skewZ(skew, n) ** 2 + kurtosisZ(kurtosis, n) ** 2 : NaN;
  return { n, skew, kurtosis, jarqueBera, jarqueBeraP: Math.exp(-jarqueBera / 2), omnibus, omnibusP: Math.exp(-omnibus / 2) };
}
