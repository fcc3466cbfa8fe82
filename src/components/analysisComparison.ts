/**
 * The study's analysis ("as published") beside the recommended one, in plain words:
 * what differs for one estimate, and sentences generated from the numbers saying where
 * the two analyses agree and where they disagree (capability slopes, US-centric bias).
 * Pure: no DOM, no Plot, so the wording is unit-tested on hand-built inputs.
 *
 * "Significant" means, for both analyses, that the 95% interval excludes zero: the
 * study's Wald interval (equivalent to its p < 0.05) and the recommended bootstrap's
 * percentile interval.
 */
import { parseSlopeTerm } from "../lib/analyses/rq1.js";
import { listing } from "../lib/findings.js";
import { countryName } from "../lib/countries.js";
import { languageCode, languageName } from "../lib/languages.js";

export interface Interval {
  coef: number;
  ci_low: number;
  ci_high: number;
}

/** A capability slope (the `multilingual:family[f]:language[L]` coefficient) with its interval. */
export interface SlopeEstimate extends Interval {
  family: string;
  /** ISO 639-1. */
  language: string;
}

/** +1 when the interval lies above zero, -1 below, 0 when it covers zero (or is undefined). */
export function intervalSign(e: Interval): 1 | -1 | 0 {
  return e.ci_low > 0 ? 1 : e.ci_high < 0 ? -1 : 0;
}

export interface Verdict {
  text: string;
  /** Whether the two analyses reach the same conclusion (undefined: nothing to compare with). */
  agree?: boolean;
}

/** What differs for one estimate between the published and the recommended analysis. */
export function verdict(published: Interval | undefined, recommended: Interval): Verdict {
  if (!published) return { text: "not in the published analysis" };
  const sp = intervalSign(published);
  const sr = intervalSign(recommended);
  const flips = Math.sign(published.coef) !== Math.sign(recommended.coef);
  if (sp !== 0 && sr === sp) return { text: "significant in both", agree: true };
  if (sp !== 0 && sr === -sp) return { text: "significant in both, opposite signs", agree: false };
  if (sp !== 0) return { text: `${flips ? "sign flips" : "same sign"}, no longer significant`, agree: false };
  if (sr !== 0) return { text: `${flips ? "sign flips" : "same sign"}, significant only under the recommended analysis`, agree: false };
  return { text: flips ? "sign flips, not significant in either" : "not significant in either", agree: true };
}

/** Rows of the recommended analysis' table: each estimate labelled, with what differs from its published counterpart. */
export function compared<T extends Interval & { se: number; p: number }>(
  rows: readonly T[],
  publishedOf: (row: T) => Interval | undefined,
  label: (row: T) => string,
) {
  return rows.map((r) => {
    const v = verdict(publishedOf(r), r);
    return { label: label(r), coef: r.coef, se: r.se, ci_low: r.ci_low, ci_high: r.ci_high, p: r.p, verdict: v.text, agree: v.agree };
  });
}

/** The capability slopes among regression terms (terms name languages in English). */
export function slopesFromTerms(terms: ReadonlyArray<Interval & { term: string }>): SlopeEstimate[] {
  return terms.flatMap((t) => {
    const m = parseSlopeTerm(t.term);
    return m ? [{ family: m.family, language: languageCode(m.language) ?? m.language, coef: t.coef, ci_low: t.ci_low, ci_high: t.ci_high }] : [];
  });
}

/** "a", "a and b", "a, b and c" (or with "or"). */
export function joinWords(words: readonly string[], last = "and"): string {
  return listing(words, "", last);
}

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const numberWord = (n: number) => NUMBER_WORDS[n] ?? String(n);

/** A family's languages in words: "all four languages" when they are every language it has, else "Danish and Dutch". */
function languageList(languages: readonly string[], all: readonly string[]): string {
  if (languages.length === all.length && all.length > 1) return `all ${numberWord(all.length)} languages`;
  return joinWords(languages.map(languageName).sort());
}

/**
 * Slopes grouped by family, `all` holding every slope (to say "all four"): "gemma in all four
 * languages" for one family, "gemma (all four languages) and olmo (Danish)" for several.
 */
export function slopePlaces(slopes: readonly SlopeEstimate[], all: readonly SlopeEstimate[]): string {
  const families = [...new Set(slopes.map((s) => s.family))];
  const own = (f: string, list: readonly SlopeEstimate[]) => list.filter((s) => s.family === f).map((s) => s.language);
  const lists = families.map((f) => [f, languageList(own(f, slopes), own(f, all))] as const);
  return lists.length === 1 ? `${lists[0]![0]} in ${lists[0]![1]}` : joinWords(lists.map(([f, l]) => `${f} (${l})`));
}

const key = (s: { family: string; language: string }) => `${s.family}\u0000${s.language}`;

/** Where the published slopes are positive (and negative) and significant. */
function publishedSentence(published: readonly SlopeEstimate[]): string {
  const pos = published.filter((s) => intervalSign(s) > 0);
  const neg = published.filter((s) => intervalSign(s) < 0);
  const none = [...new Set(published.map((s) => s.family))].filter((f) => !pos.some((s) => s.family === f));
  const head = pos.length
    ? `As published, capability predicts alignment (a positive slope, p < 0.05) for ${slopePlaces(pos, published)}${none.length ? `, and for no ${joinWords(none, "or")} slope` : ""}.`
    : "As published, no capability slope is positive with p < 0.05.";
  return neg.length ? `${head} It is negative and significant for ${slopePlaces(neg, published)}.` : head;
}

/** Where the recommended slopes' intervals exclude zero. */
function recommendedSentence(recommended: readonly SlopeEstimate[]): string {
  const sig = recommended.filter((s) => intervalSign(s) !== 0);
  const none = [...new Set(recommended.map((s) => s.family))].filter((f) => !sig.some((s) => s.family === f));
  if (!sig.length) return `Under the recommended analysis, no ${joinWords(none, "or")} slope's 95% interval excludes zero.`;
  const parts = ([1, -1] as const).flatMap((d) => {
    const own = sig.filter((s) => intervalSign(s) === d);
    return own.length ? [`${d > 0 ? "above" : "below"} zero for ${slopePlaces(own, recommended)}`] : [];
  });
  return `Under the recommended analysis, the 95% interval lies ${parts.join(" and ")}${none.length ? `; no ${joinWords(none, "or")} slope's interval excludes zero` : ""}.`;
}

/** How many slopes each verdict covers, disagreements first. */
function agreementSentence(published: readonly SlopeEstimate[], recommended: readonly SlopeEstimate[]): string {
  const pub = new Map(published.map((s) => [key(s), s]));
  const compared = recommended.filter((s) => pub.has(key(s))).map((s) => ({ slope: s, v: verdict(pub.get(key(s)), s) }));
  const differ = compared.filter((c) => !c.v.agree);
  const same = compared.filter((c) => c.v.agree);
  if (!differ.length) return `The two analyses agree on all ${compared.length} slopes.`;
  const groups = [...new Set(differ.map((c) => c.v.text))].map(
    (text) =>
      `${text}: ${slopePlaces(
        differ.filter((c) => c.v.text === text).map((c) => c.slope),
        compared.map((c) => c.slope),
      )}`,
  );
  const agreeOn = same.length ? ` They agree on the other ${same.length}${same.every((c) => !intervalSign(c.slope)) ? " (significant in neither)" : ""}.` : "";
  return `The two analyses disagree on ${differ.length} of the ${compared.length} slopes — ${groups.join("; ")}.${agreeOn}`;
}

/** How many recommended slopes change sign when one model is left out. */
export function leaveOneOutSentence(
  recommended: readonly SlopeEstimate[],
  leaveOut: ReadonlyArray<{ slopes: ReadonlyArray<{ family: string; language: string; slope: number }> }>,
): string {
  if (!leaveOut.length) return "";
  const changes = recommended.filter((s) => leaveOut.some((l) => l.slopes.some((o) => key(o) === key(s) && Math.sign(o.slope) !== Math.sign(s.coef))));
  return `Leaving out one model at a time changes the sign of ${changes.length} of the ${recommended.length} recommended slopes.`;
}

/** The capability findings of both analyses in plain words: one sentence each, then where they disagree. */
export function capabilitySummary(published: readonly SlopeEstimate[], recommended: readonly SlopeEstimate[]): string[] {
  if (!published.length || !recommended.length) return [];
  return [publishedSentence(published), recommendedSentence(recommended), agreementSentence(published, recommended)];
}

/** A US-bias estimate (β_BiasUS as published, the gap as recommended) of one model in one language. */
export interface GapEstimate extends Interval {
  model: string;
  language: string;
}

const DIRECTION: Record<1 | -1 | 0, string> = { 1: "closer to the US", [-1]: "further from the US", 0: "in no consistent direction" };
const REC_DIRECTION: Record<1 | -1 | 0, string> = { ...DIRECTION, 0: "the interval covers zero" };
const f2 = (x: number) => (Math.abs(x) < 0.005 ? "0.00" : x.toFixed(2)).replace("-", "−");
const withInterval = (e: Interval) => `${f2(e.coef)} [${f2(e.ci_low)}, ${f2(e.ci_high)}]`;

/** As published, a language's direction: that of most models' intervals, else none. */
export function publishedDirection(rows: readonly Interval[]): 1 | -1 | 0 {
  const above = rows.filter((r) => intervalSign(r) > 0).length;
  const below = rows.filter((r) => intervalSign(r) < 0).length;
  return above > rows.length / 2 ? 1 : below > rows.length / 2 ? -1 : 0;
}

/** US-centric bias per language, both analyses, and where they disagree. `medians`: the recommended median model's gap per language. */
export function usBiasSummary(published: readonly GapEstimate[], medians: readonly (Interval & { language: string })[]): string[] {
  const languages = medians.map((m) => m.language).filter((l) => published.some((p) => p.language === l));
  if (!languages.length) return [];
  const pubDir = new Map(languages.map((l) => [l, publishedDirection(published.filter((p) => p.language === l))]));
  const recOf = new Map(medians.map((m) => [m.language, m]));
  const counts = (l: string) => {
    const own = published.filter((p) => p.language === l);
    const d = pubDir.get(l)!;
    return d === 0
      ? `${own.filter((r) => intervalSign(r) > 0).length} of ${own.length} above zero, ${own.filter((r) => intervalSign(r) < 0).length} below`
      : `${own.filter((r) => intervalSign(r) === d).length} of ${own.length} models' intervals ${d > 0 ? "above" : "below"} zero`;
  };
  const first = `As published (β_BiasUS), models answer ${joinWords(languages.map((l) => `${DIRECTION[pubDir.get(l)!]} in ${languageName(l)} (${counts(l)})`))}.`;
  const covers = languages.filter((l) => intervalSign(recOf.get(l)!) === 0);
  const signed = ([1, -1] as const).flatMap((d) => {
    const own = languages.filter((l) => intervalSign(recOf.get(l)!) === d);
    return own.length ? [`${DIRECTION[d]} in ${joinWords(own.map(languageName))}`] : [];
  });
  const second =
    `Under the recommended analysis, the median model's gap (US minus own countries) is ${joinWords(languages.map((l) => `${withInterval(recOf.get(l)!)} in ${languageName(l)}`))}: ` +
    `${signed.length ? `the median model answers ${joinWords(signed)}` : "no interval excludes zero"}${signed.length && covers.length ? `; in ${joinWords(covers.map(languageName))} the interval covers zero` : ""}.`;
  const differ = languages.filter((l) => pubDir.get(l) !== intervalSign(recOf.get(l)!));
  const same = languages.filter((l) => !differ.includes(l));
  const third = differ.length
    ? `The analyses disagree on ${joinWords(differ.map((l) => `${languageName(l)} (as published: ${DIRECTION[pubDir.get(l)!]}; recommended: ${REC_DIRECTION[intervalSign(recOf.get(l)!)]})`))}${same.length ? ` and agree on ${joinWords(same.map(languageName))}` : ""}.`
    : `The two analyses agree on every language.`;
  return [first, second, third];
}

export interface CountryGap extends Interval {
  language: string;
  country: string;
}

/** Which of a language's countries its US bias comes from: the median model's gap against each alone. */
export function countrySentence(language: string, medianByCountry: readonly CountryGap[]): string {
  const rows = medianByCountry.filter((r) => r.language === language).sort((a, b) => b.coef - a.coef);
  if (rows.length < 2) return "";
  const name = (r: CountryGap) => countryName(r.country);
  const above = rows.filter((r) => intervalSign(r) > 0);
  const rest = rows.filter((r) => intervalSign(r) <= 0);
  const lang = languageName(language);
  const range = (list: readonly CountryGap[]) => `${f2(Math.min(...list.map((r) => r.coef)))} to ${f2(Math.max(...list.map((r) => r.coef)))}`;
  if (!above.length) return `Against each ${lang}-speaking country alone, the median model's gap (${range(rows)}) has no interval above zero.`;
  if (!rest.length)
    return `The median model is closer to the US than to every ${lang}-speaking country alone: ${joinWords(rows.map(name))} (gaps ${range(rows)}).`;
  const mid = rest.map((r) => r.coef).sort((a, b) => a - b);
  const median = mid.length % 2 ? mid[(mid.length - 1) / 2]! : (mid[mid.length / 2 - 1]! + mid[mid.length / 2]!) / 2;
  const below = rest.filter((r) => intervalSign(r) < 0);
  return (
    `${lang} US bias comes from ${joinWords(above.map(name))} (median model's gap ${range(above)}): against ${joinWords(rest.map(name))} the median model's gap is ${f2(median)} (${range(rest)}), ` +
    (below.length ? `below zero for ${joinWords(below.map(name))}.` : "and no interval excludes zero.")
  );
}

/** Which items the gaps leave out, per language, for lacking ground truth in some compared country. */
export function leftOutSentence(
  sets: ReadonlyArray<{ language: string; leftOut: readonly string[] }>,
  items: "common" | "all",
  itemName: (item: string) => string = (i) => i,
): string {
  if (items === "all")
    return "Each country is compared on all of its own items, as the study did, so the US and a language's countries are compared on different items.";
  const label = (i: string) => (itemName(i) && itemName(i) !== i ? `${i} (${itemName(i)})` : i);
  const lists = new Map(sets.map((s) => [s.language, [...s.leftOut].sort()]));
  const distinct = [...new Set([...lists.values()].map((l) => l.join(",")))];
  if (distinct.length === 1) {
    const list = [...lists.values()][0]!;
    return list.length
      ? `${list.length === 1 ? "One item is" : `${numberWord(list.length)[0]!.toUpperCase()}${numberWord(list.length).slice(1)} items are`} left out in every language because some compared country has no survey answer for ${list.length === 1 ? "it" : "them"}: ${joinWords(list.map(label))}.`
      : "No item is left out: every compared country has ground truth for every item.";
  }
  return `Items left out because some compared country has no survey answer for them: ${[...lists].map(([l, list]) => `${languageName(l)}: ${list.length ? list.map(label).join(", ") : "none"}`).join("; ")}.`;
}

/** The study's baseline gap per language (what it subtracted), and what this view subtracts. */
export function baselineSentence(
  baselineGap: ReadonlyArray<{ model: string; language: string; gap: number }>,
  study: string,
  subtracted: string | null,
): string {
  const own = baselineGap.filter((b) => b.model === study);
  const head = own.length
    ? `The study subtracted the gap of its uniform-random baseline, a single random draw: on these items it is ${joinWords(own.map((b) => `${f2(b.gap)} in ${languageName(b.language)}`))}. A random answerer's expected gap is zero, so subtracting one draw only adds that draw's noise.`
    : "This workspace has no uniform-random baseline.";
  return `${head} ${subtracted ? `This view subtracts ${subtracted}.` : "The recommended analysis subtracts nothing."}`;
}

/** Warnings about the fits: few rounds, a published REML likelihood with two modes, an ambiguous recommended fit. */
export function fitWarnings(
  rounds: number,
  fit: { group_var?: number; ambiguous?: boolean; modes?: ReadonlyArray<{ group_var: number; log_likelihood: number }> } | undefined,
  recommended?: { ambiguous: boolean; failed: number; replicates: number; error?: string },
): string[] {
  const out: string[] = [];
  if (recommended?.error) {
    out.push(`The recommended formula cannot be fitted on this workspace (${recommended.error}); choose another recommended regression.`);
    return out;
  }
  if (rounds < 50) {
    out.push(
      `With ${rounds} bootstrap rounds, the published fit is not comparable with the study's: below 50 rounds the REML estimate of its model variance ` +
        `collapses to near zero for some seeds, which changes every slope${fit?.group_var === undefined ? "" : ` (here it is ${fit.group_var.toPrecision(2)})`}. ` +
        "The recommended point estimates do not depend on the rounds; their intervals only get noisier.",
    );
  }
  if (fit?.ambiguous && fit.modes && fit.modes.length > 1) {
    const [a, b] = fit.modes;
    const mode = (m: { group_var: number; log_likelihood: number }) =>
      `model variance ${m.group_var.toPrecision(2)} (log-likelihood ${m.log_likelihood.toFixed(1)})`;
    out.push(
      `The published model's REML likelihood has two modes within 2 log-likelihood units: ${mode(a!)} and ${mode(b!)}. ` +
        "The fit shown takes the higher one, but its slopes and standard errors differ under the other, so the published fit is unreliable here.",
    );
  }
  if (recommended?.ambiguous)
    out.push(
      "The recommended model's REML likelihood also has a second mode within 2 log-likelihood units: its point estimates are less certain than they look.",
    );
  if (recommended?.failed)
    out.push(
      `${recommended.failed} of the recommended analysis' ${recommended.replicates} bootstrap replicates could not be refitted and are left out of its intervals.`,
    );
  return out;
}
