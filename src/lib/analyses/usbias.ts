/**
 * RQ2 (docs/methodology.md, "RQ2"): US-centric bias. Observations are bootstrap round × model ×
 * language × country at the country level, kept when the country's dominant
 * language is the prompt language (native) or the country is the US. The OLS
 * `alignment ~ us * model:language` (treatment coding, the uniform-random baseline
 * as reference model) is saturated over the (us, model, language) cells, so the
 * `us:model:language` coefficient β_BiasUS(m, ℓ) equals m's gap minus the
 * baseline's gap in ℓ, where a gap is mean alignment with the US minus mean
 * alignment with ℓ's non-US native countries. Positive: closer to the US.
 */
import { tQuantile, twoSidedTP } from "../distributions.js";
import { ols, type OlsFit } from "../ols.js";
import { FIFTY_BASELINE, UNIFORM_BASELINE, type PopulationRow } from "../workspace.js";
import type { ExperimentResult } from "./experiment.js";

export const US_BIAS_FORMULA = "alignment ~ us * model:language";
export const US = "US";

export interface UsBiasRow {
  round: number;
  model: string;
  language: string;
  country: string;
  us: boolean;
  alignment: number;
}

export interface UsBiasCoefficient {
  model: string;
  /** ISO 639-1. */
  language: string;
  term: string;
  coef: number;
  se: number;
  t: number;
  p: number;
  ci_low: number;
  ci_high: number;
}

export interface UsBiasResult {
  fit: OlsFit;
  coefficients: UsBiasCoefficient[];
  reference: string;
}

/** Dominant language of each country, from the populations table. */
export function countryLanguages(populations: readonly PopulationRow[]): Map<string, string> {
  return new Map(populations.filter((p) => p.level === "country" && p.language).map((p) => [p.population, p.language!]));
}

/** The RQ2 observations from a country-level experiment. */
export function usBiasRows(
  experiment: ExperimentResult,
  populations: readonly PopulationRow[],
  exclude: readonly string[] = [FIFTY_BASELINE],
): UsBiasRow[] {
  if (experiment.level !== "country") {
    throw new Error(`US-centric bias needs the country-level experiment, got level "${experiment.level}"`);
  }
  const langs = countryLanguages(populations);
  const nA = experiment.alignmentGroups.length;
  const keep = experiment.alignmentGroups
    .map((g, i) => ({ g, i }))
    .filter(({ g }) => !exclude.includes(g.model) && (g.population === US || langs.get(g.population) === g.language));
  const rows: UsBiasRow[] = [];
  for (let round = 0; round < experiment.rounds; round++) {
    for (const { g, i } of keep) {
      rows.push({
        round,
        model: g.model,
        language: g.language,
        country: g.population,
        us: g.population === US,
        alignment: experiment.alignment[round * nA + i]!,
      });
    }
  }
  return rows;
}

/** Fits the US-bias OLS and extracts β_BiasUS per (model, language). */
export function fitUsBias(rows: readonly UsBiasRow[], reference = UNIFORM_BASELINE): UsBiasResult {
  const models = [...new Set(rows.map((r) => r.model))];
  if (!models.includes(reference)) {
    throw new Error(
      `US-centric bias needs the reference model "${reference}" (the uniform-random baseline) in the responses; ` +
        `add the study's baselines to the workspace (see docs/methodology.md)`,
    );
  }
  const usRows = rows.filter((r) => r.us).length;
  if (usRows === 0) throw new Error(`US-centric bias needs ground truth for the US ("${US}") at the country level`);
  const levels = { model: [reference, ...models.filter((m) => m !== reference).sort()], us: ["False", "True"] };
  const fit = ols(
    US_BIAS_FORMULA,
    {
      alignment: Float64Array.from(rows, (r) => r.alignment),
      us: rows.map((r) => (r.us ? "True" : "False")),
      model: rows.map((r) => r.model),
      language: rows.map((r) => r.language),
    },
    { levels },
  );
  const coefficients: UsBiasCoefficient[] = [];
  for (const c of fit.coefficients) {
    const m = /^us\[T\.True\]:model\[T\.(.+)\]:language\[(.+)\]$/.exec(c.term);
    if (!m || Number.isNaN(c.coef)) continue;
    coefficients.push({
      model: m[1]!,
      language: m[2]!,
      term: c.term,
      coef: c.coef,
      se: c.se,
      t: c.stat,
      p: c.p,
      ci_low: c.ci_low,
      ci_high: c.ci_high,
    });
  }
  return { fit, coefficients, reference };
}

/**
 * β_BiasUS without building the design matrix: the model is saturated over the
 * (us, model, language) cells, so each coefficient is a contrast of four cell means
 * and its standard error comes from the pooled within-cell variance, exactly as the
 * OLS fit gives (tested). Used by the multiverse, where it is fitted hundreds of times.
 */
export function usBiasFast(rows: readonly UsBiasRow[], reference = UNIFORM_BASELINE, level = 0.95): UsBiasCoefficient[] {
  const cells = new Map<string, { n: number; s: number; ss: number }>();
  for (const r of rows) {
    if (Number.isNaN(r.alignment)) continue;
    const key = `${r.us ? 1 : 0}\u0000${r.model}\u0000${r.language}`;
    const c = cells.get(key) ?? { n: 0, s: 0, ss: 0 };
    c.n++;
    c.s += r.alignment;
    c.ss += r.alignment * r.alignment;
    cells.set(key, c);
  }
  let sse = 0;
  let n = 0;
  for (const c of cells.values()) {
    sse += c.ss - (c.s * c.s) / c.n;
    n += c.n;
  }
  const df = n - cells.size;
  const s2 = df > 0 ? Math.max(0, sse) / df : NaN;
  const tcrit = df > 0 ? tQuantile(0.5 + level / 2, df) : NaN;
  const cell = (us: boolean, model: string, language: string) => cells.get(`${us ? 1 : 0}\u0000${model}\u0000${language}`);
  const out: UsBiasCoefficient[] = [];
  const models = [...new Set(rows.map((r) => r.model))].filter((m) => m !== reference).sort();
  const languages = [...new Set(rows.map((r) => r.language))].sort();
  for (const language of languages) {
    const ru = cell(true, reference, language);
    const rn = cell(false, reference, language);
    if (!ru || !rn) continue;
    for (const model of models) {
      const mu = cell(true, model, language);
      const mn = cell(false, model, language);
      if (!mu || !mn) continue;
      const coef = mu.s / mu.n - mn.s / mn.n - (ru.s / ru.n - rn.s / rn.n);
      const se = Math.sqrt(s2 * (1 / mu.n + 1 / mn.n + 1 / ru.n + 1 / rn.n));
      const t = coef / se;
      out.push({ model, language, term: `us[T.True]:model[T.${model}]:language[${language}]`, coef, se, t, p: twoSidedTP(t, df), ci_low: coef - tcrit * se, ci_high: coef + tcrit * se });
    }
  }
  return out;
}
