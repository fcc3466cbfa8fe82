/**
 * The overview's findings: for each of the study's three conclusions, what the published
 * analysis says, what the recommended analysis says, and how often the conclusion holds
 * across the multiverse, each in one plain sentence built from the numbers, never
 * written by hand. Whether the two analyses agree is decided here too.
 */
import { parseSlopeTerm, type FamilySlope } from "./analyses/rq1.js";
import type { Rq1Term } from "./analyses/reproduce.js";
import { countryName } from "./countries.js";
import { languageName } from "./languages.js";
import { intervalSign, type Estimate } from "./recommended/estimate.js";
import type { RecommendedResult } from "./recommended/index.js";
import type { SeedSlopes } from "./robustness/inference.js";
import { median } from "./descriptive.js";

export interface ClaimShare {
  id: string;
  text: string;
  holds: number;
  /** Distinct results where the claim applies. */
  total: number;
}

export interface MultiverseSummary {
  specifications: number;
  distinct: number;
  rounds: number;
  claims: ClaimShare[];
}

export interface FindingsInput {
  rounds: number;
  seed: string | number;
  /** The published analysis at these rounds and seed. */
  slopes: FamilySlope[];
  consistency: Rq1Term[];
  usBias: Array<{ model: string; language: string; coef: number }>;
  recommended: RecommendedResult;
  multiverse?: MultiverseSummary | null;
  /** The published analysis under other seeds at the study's 100 rounds. */
  seeds?: SeedSlopes[] | null;
}

export interface Finding {
  id: "capability" | "consistency" | "us-bias";
  /** The page that shows it in full. */
  page: string;
  question: string;
  /** The answer in one plain sentence, from the recommended analysis. */
  headline: string;
  published: string;
  recommended: string;
  robustness: string;
  /** Whether the recommended analysis supports the published conclusion. */
  agree: boolean;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const interval = (e: Estimate) => `${f2(e.coef)} [${f2(e.ci_low)}, ${f2(e.ci_high)}]`;
/** "A", "A and B", "A, B and C". */
export function listing(words: readonly string[], none = "none", last = "and"): string {
  if (words.length === 0) return none;
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} ${last} ${words.at(-1)}`;
}
const languages = (codes: string[]) => listing(codes.map(languageName));

function familyPattern(slopes: FamilySlope[], positive: (s: FamilySlope) => boolean): string {
  const families = [...new Set(slopes.map((s) => s.family))].sort();
  return families
    .map((f) => {
      const own = slopes.filter((s) => s.family === f);
      const k = own.filter(positive).length;
      return `${f} ${k === own.length ? "in every language" : k === 0 ? "in no language" : `in ${k} of ${own.length} languages`}`;
    })
    .join("; ");
}

function claimLine(multiverse: MultiverseSummary | null | undefined, ids: (id: string) => boolean): string {
  if (!multiverse) return "The multiverse was not computed for this build.";
  const own = multiverse.claims.filter((c) => ids(c.id));
  if (own.length === 0) return "No claim of the multiverse applies.";
  return `${own.map((c) => `“${c.text}” holds in ${c.holds} of ${c.total} distinct results`).join("; ")}.`;
}

/**
 * How many published slopes keep their verdict in every seed at 100 rounds: the same sign and
 * the same significance (p < 0.05). A slope missing under some seed counts as changing.
 */
export function seedStability(seeds: readonly SeedSlopes[]): { stable: number; total: number; changing: string[] } {
  const verdicts = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const s of seeds) {
    for (const slope of s.slopes) {
      if (!verdicts.has(slope.term)) verdicts.set(slope.term, new Set());
      verdicts.get(slope.term)!.add(`${Math.sign(slope.slope)}|${slope.p < 0.05}`);
      counts.set(slope.term, (counts.get(slope.term) ?? 0) + 1);
    }
  }
  const changing = [...verdicts].filter(([term, v]) => v.size > 1 || counts.get(term) !== seeds.length).map(([term]) => term);
  return { stable: verdicts.size - changing.length, total: verdicts.size, changing };
}

/** Whether each family's slopes are positive in every, some or no language alike in both analyses. */
function samePattern(published: readonly FamilySlope[], recommendedAbove: Set<string>): boolean {
  const kind = (k: number, n: number) => (k === 0 ? "none" : k === n ? "all" : "some");
  return [...new Set(published.map((s) => s.family))].every((f) => {
    const own = published.filter((s) => s.family === f);
    return kind(own.filter((s) => s.starred).length, own.length) === kind(own.filter((s) => recommendedAbove.has(slopeName(s.term))).length, own.length);
  });
}

const slopeName = (term: string) => {
  const m = parseSlopeTerm(term);
  return m ? `${m.family} ${m.language}` : term;
};

function capability(input: FindingsInput): Finding {
  const rec = input.recommended.rq1?.language_intercepts;
  const recSlopes = (rec?.terms ?? []).filter((t) => t.term.startsWith("multilingual"));
  const above = recSlopes.filter((t) => intervalSign(t) > 0).map((t) => slopeName(t.term));
  const seeds = input.seeds?.length ? seedStability(input.seeds) : null;
  const published =
    `Capability predicts alignment (positive, p < 0.05) for ${familyPattern(input.slopes, (s) => s.starred)} (seed ${input.seed}, ${input.rounds} rounds).` +
    (seeds
      ? ` Across ${input.seeds!.length} seeds at the study's 100 rounds, ${seeds.stable} of ${seeds.total} slopes keep their sign and significance in every seed.`
      : "");
  const recommended = rec?.error
    ? `The recommended regression cannot be fitted on this workspace: ${rec.error}.`
    : rec
      ? `${above.length} of ${recSlopes.length} family × language slopes have a 95% interval above zero${above.length ? ` (${above.join(", ")})` : ""} (one estimate per model and language, an intercept per language, ${input.recommended.replicates} item-bootstrap replicates).`
      : "Not computed: this source has no benchmark scores.";
  return {
    id: "capability",
    page: "./capability",
    question: "Do models that speak a language better hold its speakers' values more closely?",
    headline:
      !rec || rec.error
        ? `Capability could not be related to alignment: ${rec?.error ? "the recommended regression cannot be fitted on this workspace" : "this source has no benchmark scores"}.`
        : above.length === 0
          ? "No clear link: a model that speaks a language better does not clearly hold its speakers' values more closely."
          : `Only in ${above.length} of ${recSlopes.length} family × language pairs does speaking a language better go with holding its speakers' values.`,
    published,
    recommended,
    robustness: claimLine(input.multiverse, (id) => id.startsWith("slope-")),
    agree: rec && !rec.error ? samePattern(input.slopes, new Set(above)) : false,
  };
}

function consistency(input: FindingsInput): Finding {
  const pub = input.consistency.filter((t) => t.term.startsWith("consistency"));
  const pubYes = pub.filter((t) => t.coef > 0 && t.p < 0.05).length;
  const rec = (input.recommended.rq1?.language_intercepts?.terms ?? []).filter((t) => t.term.startsWith("consistency"));
  const recYes = rec.filter((t) => intervalSign(t) > 0);
  const name = (t: { term: string }) => t.term.replace(/^consistency:language\[(.+)\]$/, "$1");
  return {
    id: "consistency",
    page: "./capability",
    question: "Do models that agree with themselves align better?",
    headline:
      recYes.length === rec.length && rec.length > 0
        ? "Yes: in every language, models that agree with themselves align better."
        : recYes.length === 0
          ? "Not clearly: in no language does self-consistency clearly predict alignment."
          : `In ${listing(recYes.map(name))} only: there, models that agree with themselves align better.`,
    published: `Self-consistency predicts alignment (positive, p < 0.05) in ${pubYes} of ${pub.length} languages.`,
    recommended: `Its 95% interval lies above zero in ${recYes.length} of ${rec.length} languages${recYes.length ? ` (${listing(recYes.map(name))})` : ""}.`,
    robustness: claimLine(input.multiverse, (id) => id === "consistency"),
    agree: rec.length > 0 && (recYes.length === rec.length) === (pubYes === pub.length),
  };
}

function medianSigns(usBias: FindingsInput["usBias"]): Map<string, number> {
  const out = new Map<string, number>();
  for (const language of [...new Set(usBias.map((b) => b.language))].sort()) {
    out.set(language, Math.sign(median(usBias.filter((b) => b.language === language).map((b) => b.coef))));
  }
  return out;
}

function usBias(input: FindingsInput): Finding {
  const pub = medianSigns(input.usBias);
  const closer = [...pub].filter(([, s]) => s > 0).map(([l]) => l);
  const rec = input.recommended.usBias;
  const medians = rec?.median ?? [];
  const recCloser = medians.filter((m) => intervalSign(m) > 0).map((m) => m.language);
  const english = (rec?.medianByCountry ?? []).filter((m) => m.language === "en").sort((a, b) => b.coef - a.coef);
  const drivers = english.filter((m) => intervalSign(m) > 0);
  const others = english.filter((m) => intervalSign(m) <= 0);
  const byCountry = english.length
    ? ` In English, the gap ${drivers.length ? `comes from ${listing(drivers.map((m) => `${countryName(m.country)} (${f2(m.coef)})`))}` : "is clear against no single country"}` +
      (others.length
        ? `; against ${listing(others.map((m) => countryName(m.country)))} it is ${f2(Math.min(...others.map((m) => m.coef)))} to ${f2(Math.max(...others.map((m) => m.coef)))}, intervals covering zero.`
        : ".")
    : "";
  return {
    id: "us-bias",
    page: "./us-bias",
    question: "Do models answer closer to the United States than to the people who speak the prompt language?",
    headline: !rec
      ? "Not computed."
      : recCloser.length === 0
        ? "No clear lean towards the US in any prompt language."
        : `Closer to the US in ${languages(recCloser)} only${recCloser.includes("en") && drivers.length ? `, and in English because of ${listing(drivers.map((m) => countryName(m.country)))}` : ""}.`,
    published: `The median model is closer to the US than the random baseline is in ${languages(closer)}, and closer to the language's own countries in ${languages([...pub.keys()].filter((l) => !closer.includes(l)))}.`,
    recommended: rec
      ? `On common items, with no baseline draw subtracted, the median model's gap (US minus the language's own countries) is ${medians.map((m) => `${languageName(m.language)} ${interval(m)}`).join("; ")}: clearly closer to the US in ${languages(recCloser)}.${byCountry}`
      : "Not computed.",
    robustness: claimLine(input.multiverse, (id) => id.startsWith("usbias:")),
    agree: recCloser.length === closer.length && recCloser.every((l) => closer.includes(l)),
  };
}

/** The overview's three findings. */
export function findings(input: FindingsInput): Finding[] {
  const out = [usBias(input)];
  if (input.slopes.length) out.unshift(capability(input), consistency(input));
  return out;
}
