/**
 * The study's published US-bias table beside ours: per model and prompt language, the
 * published β_BiasUS, the one reproduced here as published (same OLS, our bootstrap), and
 * the recommended gap. The study drew its bootstrap rounds unseeded, so its table is one
 * random draw: reproduced coefficients can only agree within Monte Carlo noise. (The
 * baseline it subtracted is its own draw, shipped in the release, and the reproduction uses
 * that same draw.)
 */
import type { OlsTermEstimate, PublishedOls } from "../publishedOls.js";

/** An estimate with its 95% interval and p. */
export interface IntervalEstimate {
  coef: number;
  se: number;
  ci_low: number;
  ci_high: number;
  p: number;
}

export interface UsBiasComparisonRow {
  model: string;
  /** ISO 639-1. */
  language: string;
  published: IntervalEstimate;
  /** The OLS as published, recomputed (null: the model or language is not in the fit). */
  reproduced: IntervalEstimate | null;
  /** The recommended gap (null: not computed, or not for this cell). */
  recommended: IntervalEstimate | null;
  /** Reproduced minus published coefficient. */
  difference: number;
}

export interface UsBiasAgreement {
  /** Published β_BiasUS terms with a reproduced counterpart. */
  matched: number;
  /** Published terms in total. */
  published: number;
  meanAbsDifference: number;
  maxAbsDifference: number;
  /** Matched cells whose published coefficient lies inside the reproduced 95% interval. */
  insideReproducedCi: number;
  /** Matched cells where both intervals lie on the same side of zero, or both cover it. */
  sameConclusion: number;
  /** Cells where the recommended gap's interval and the published one reach different conclusions. */
  recommendedDiffers: number;
  /** Cells with a recommended gap. */
  recommendedMatched: number;
}

export interface UsBiasPublishedJson {
  table: PublishedOls;
  /** The reproduced fit's size and R², beside the published table's. */
  reproducedFit: { n: number; r2: number } | null;
  comparison: UsBiasComparisonRow[];
  agreement: UsBiasAgreement;
}

const BIAS_TERM = /^us\[T\.True\]:model_name\[T\.(.+)\]:language\[(.+)\]$/;

/** The published β_BiasUS rows (`us[T.True]:model_name[T.m]:language[ℓ]`), by model and language. */
export function publishedBiasTerms(table: PublishedOls): Array<{ model: string; language: string; term: OlsTermEstimate }> {
  return table.terms.flatMap((term) => {
    const m = BIAS_TERM.exec(term.term);
    return m ? [{ model: m[1]!, language: m[2]!, term }] : [];
  });
}

const key = (r: { model: string; language: string }) => `${r.model}\u0000${r.language}`;
const estimate = (e: IntervalEstimate): IntervalEstimate => ({ coef: e.coef, se: e.se, ci_low: e.ci_low, ci_high: e.ci_high, p: e.p });
/** +1 above zero, -1 below, 0 when the interval covers zero. */
const side = (e: IntervalEstimate) => (e.ci_low > 0 ? 1 : e.ci_high < 0 ? -1 : 0);

/** Published, reproduced (as published) and recommended β_BiasUS per model and language, in the published table's order. */
export function usBiasComparison(
  table: PublishedOls,
  reproduced: ReadonlyArray<IntervalEstimate & { model: string; language: string }>,
  recommended: ReadonlyArray<IntervalEstimate & { model: string; language: string }> = [],
): UsBiasComparisonRow[] {
  const ours = new Map(reproduced.map((r) => [key(r), r]));
  const rec = new Map(recommended.map((r) => [key(r), r]));
  return publishedBiasTerms(table).map(({ model, language, term }) => {
    const r = ours.get(key({ model, language }));
    const g = rec.get(key({ model, language }));
    return {
      model,
      language,
      published: { coef: term.coef, se: term.se, ci_low: term.ci_low, ci_high: term.ci_high, p: term.p },
      reproduced: r ? estimate(r) : null,
      recommended: g ? estimate(g) : null,
      difference: r ? r.coef - term.coef : NaN,
    };
  });
}

/** How close the reproduction comes to the published table, and where the recommended analysis differs from it. */
export function usBiasAgreement(rows: readonly UsBiasComparisonRow[]): UsBiasAgreement {
  const matched = rows.filter((r) => r.reproduced && Number.isFinite(r.difference));
  const diffs = matched.map((r) => Math.abs(r.difference));
  const withRec = rows.filter((r) => r.recommended && Number.isFinite(r.recommended.ci_low));
  return {
    matched: matched.length,
    published: rows.length,
    meanAbsDifference: diffs.length ? diffs.reduce((a, b) => a + b, 0) / diffs.length : NaN,
    maxAbsDifference: diffs.length ? Math.max(...diffs) : NaN,
    insideReproducedCi: matched.filter((r) => r.published.coef >= r.reproduced!.ci_low && r.published.coef <= r.reproduced!.ci_high).length,
    sameConclusion: matched.filter((r) => side(r.published) === side(r.reproduced!)).length,
    recommendedDiffers: withRec.filter((r) => side(r.published) !== side(r.recommended!)).length,
    recommendedMatched: withRec.length,
  };
}

/** `mca reproduce --json`'s `usBiasPublished`: the parsed table, the comparison and its summary. */
export function usBiasPublishedJson(
  table: PublishedOls,
  reproduced: ReadonlyArray<IntervalEstimate & { model: string; language: string }>,
  recommended: ReadonlyArray<IntervalEstimate & { model: string; language: string }> = [],
  fit?: { n: number; r2: number },
): UsBiasPublishedJson {
  const comparison = usBiasComparison(table, reproduced, recommended);
  return { table, reproducedFit: fit ? { n: fit.n, r2: fit.r2 } : null, comparison, agreement: usBiasAgreement(comparison) };
}
