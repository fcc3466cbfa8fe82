/** The recommended analysis as `mca reproduce --json` prints it: rows shaped like the published tables'. */
import type { RecommendedResult, ResamplingUnit } from "./index.js";
import type { CellFormula } from "./rq1.js";
import type { CommonItems } from "./usbias.js";

interface Row {
  coef: number;
  se: number;
  ci_low: number;
  ci_high: number;
  p: number;
}

export interface RecommendedJson {
  method: string;
  unit: ResamplingUnit;
  replicates: number;
  /** RQ1 with an intercept per language: `term, coef, se, ci_low, ci_high, p`. */
  rq1?: Array<Row & { term: string }>;
  rq1Formula?: string;
  rq1Variants?: Partial<Record<CellFormula, { formula: string; rq1: Array<Row & { term: string }>; failed: number; error?: string }>>;
  leaveOneModelOut?: Array<{ model: string; slopes: Array<{ family: string; language: string; slope: number }> }>;
  /** US-centric bias per model and language: `model, language, coef, se, ci_low, ci_high, p`. */
  usBias?: Array<Row & { model: string; language: string }>;
  usBiasMedian?: Array<Row & { language: string }>;
  /** Against each of the language's countries alone (English: nine countries). */
  usBiasByCountry?: Array<Row & { model: string; language: string; country: string }>;
  commonItems?: CommonItems[];
}

const row = <T extends Row>(e: T): Row => ({ coef: e.coef, se: e.se, ci_low: e.ci_low, ci_high: e.ci_high, p: e.p });

export function recommendedJson(r: RecommendedResult): RecommendedJson {
  const out: RecommendedJson = { method: r.method, unit: r.unit, replicates: r.replicates };
  if (r.rq1) {
    const main = r.rq1.language_intercepts ?? Object.values(r.rq1)[0]!;
    out.rq1 = main.terms.map((t) => ({ term: t.term, ...row(t) }));
    out.rq1Formula = main.formula;
    out.rq1Variants = Object.fromEntries(
      Object.entries(r.rq1).map(([v, fit]) => [
        v,
        { formula: fit!.formula, rq1: fit!.terms.map((t) => ({ term: t.term, ...row(t) })), failed: fit!.failed, ...(fit!.error ? { error: fit!.error } : {}) },
      ]),
    );
    out.leaveOneModelOut = r.leaveOneModelOut?.map(({ model, slopes }) => ({ model, slopes }));
  }
  if (r.usBias) {
    out.usBias = r.usBias.gaps.map((g) => ({ model: g.model, language: g.language, ...row(g) }));
    out.usBiasMedian = r.usBias.median.map((g) => ({ language: g.language, ...row(g) }));
    out.usBiasByCountry = r.usBias.byCountry.map((g) => ({ model: g.model, language: g.language, country: g.country, ...row(g) }));
    out.commonItems = r.usBias.commonItems;
  }
  return out;
}
