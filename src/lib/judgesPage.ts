/**
 * What the judges page shows, computed when the site is built (loaders/judgesPage.ts), so
 * that the page paints its figures from a few kilobytes of JSON, never from the response
 * rows: the judge's language decisions per model and language, the agreement between
 * judges, and each judge's analyses for the "swap the judge" figures.
 */
import type { AgreementGroup, AgreementReport, PairReport } from "./judges.js";
import { countOf, isBaseline, type ResponseRow } from "./workspace.js";

/** One model's responses in one prompt language: how many, and how many the judge found in another language. */
export interface LanguageDecision {
  model: string;
  language: string;
  n: number;
  other: number;
}

/** One judge's labels in the analyses: its built answers (keyed by request, as a page's defaults), what it kept and left out. */
export interface JudgeSwap {
  kept: number;
  dropped: number;
  built: Record<string, unknown>;
}

export interface JudgesPageData {
  /** The judges, the primary first (one or none: agreement cannot be measured). */
  judges: string[];
  /** Whether any response carries its labels (the study's release has scores only). */
  labelled: boolean;
  decisions: LanguageDecision[];
  /** The agreement of the judges (null with fewer than two). */
  agreement: AgreementReport | null;
  /** The primary judge's answers to the swap request. */
  primary: Record<string, unknown>;
  /** Each other judge's. */
  swaps: Record<string, JudgeSwap>;
}

/** The model responses per model and prompt language, and those detected in another language, from rows or aggregated rows. */
export function languageDecisionRows(responses: readonly ResponseRow[]): LanguageDecision[] {
  const groups = new Map<string, LanguageDecision>();
  for (const r of responses) {
    if (isBaseline(r.model)) continue;
    const key = `${r.model}\u0000${r.language}`;
    const g = groups.get(key) ?? { model: r.model, language: r.language, n: 0, other: 0 };
    const n = countOf(r);
    g.n += n;
    if (r.response_language !== r.language) g.other += n;
    groups.set(key, g);
  }
  return [...groups.values()];
}

// JSON has no NaN: an undefined statistic travels as null and comes back as NaN.
const num = (x: number | null): number => x ?? NaN;

function pairBack(p: PairReport): PairReport {
  return { ...p, po: num(p.po), pe: num(p.pe), kappa: num(p.kappa), languageAgreement: num(p.languageAgreement) };
}

function groupBack<T extends AgreementGroup>(g: T): T {
  return {
    ...g,
    pairs: g.pairs.map(pairBack),
    fleiss: g.fleiss && { ...g.fleiss, kappa: num(g.fleiss.kappa) },
    alpha: { ...g.alpha, alpha: num(g.alpha.alpha) },
  };
}

/** The page's data as built, parsed from its JSON, with the undefined statistics NaN again. */
export function decodeJudgesPage(json: string): JudgesPageData {
  const data = JSON.parse(json) as JudgesPageData;
  const a = data.agreement;
  return { ...data, agreement: a && { ...groupBack(a), byLanguage: a.byLanguage.map(groupBack) } };
}
