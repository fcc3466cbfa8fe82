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
import type { Frame } from "../formula.js";
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
export function usBiasRows(experiment: ExperimentResult, populations: readonly PopulationRow[], exclude: readonly string[] = [FIFTY_BASELINE]): UsBiasRow[] {
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

/** The US-bias OLS's frame and level order (the reference model first), as the fit and its residuals read them. */
export function usBiasFrame(rows: readonly UsBiasRow[], reference = UNIFORM_BASELINE): { frame: Frame; levels: Record<string, string[]> } {
  const models = [...new Set(rows.map((r) => r.model))];
  return {
    frame: {
      alignment: Float64Array.from(rows, (r) => r.alignment),
      us: rows.map((r) => (r.us ? "True" : "False")),
      model: rows.map((r) => r.model),
      language: rows.map((r) => r.language),
    },
    levels: { model: [reference, ...models.filter((m) => m !== reference).sort()], us: ["False", "True"] },
  };
}

/** Fits the US-bias OLS and extracts β_BiasUS per (model, language). */
export function fitUsBias(rows: readonly UsBiasRow[], reference = UNIFORM_BASELINE): UsBiasResult {
  if (!rows.some((r) => r.model === reference)) {
    throw new Error(
      `US-centric bias needs the reference model "${reference}" (the uniform-random baseline) in the responses; ` +
        `add the study's baselines to the workspace (see docs/methodology.md)`,
    );
  }
  const usRows = rows.filter((r) => r.us).length;
  if (usRows === 0) throw new Error(`US-centric bias needs ground truth for the US ("${US}") at the country level`);
  const { frame, levels } = usBiasFrame(rows, reference);
  const fit = ols(US_BIAS_FORMULA, frame, { levels });
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
