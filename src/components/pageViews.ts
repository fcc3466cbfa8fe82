/**
 * What the Capability and US-bias pages show of a result, given their controls: the rows of
 * the shown languages, models and families, taken out of the pages so that each page reads
 * as its story. Pure functions of the result and the controls' values.
 */
import type { ReproduceResult } from "../lib/analyses/reproduce.js";
import type { Rq1Variant } from "../lib/analyses/rq1.js";
import type { Choices } from "../lib/pageRequests.js";
import type { CellFormula } from "../lib/recommended/rq1.js";
import { CHOICES } from "../lib/robustness/specs.js";
import { slopesFromTerms } from "./analysisComparison.js";

/** The US-bias page's rows: as published, the recommended gaps, medians and English by country, in the shown languages and models. */
export function usBiasView(
  result: ReproduceResult | null,
  shown: { languages: readonly string[]; models: readonly string[]; choices: Choices; rounds: number },
) {
  const inLangs = (b: { language: string }) => shown.languages.includes(b.language);
  const rec = result?.details.recommended?.usBias;
  const { baseline } = shown.choices;
  return {
    inLangs,
    rec,
    rows: (result?.usBias ?? []).filter((b) => inLangs(b) && shown.models.includes(b.model)),
    gaps: (rec?.gaps ?? []).filter((g) => inLangs(g) && shown.models.includes(g.model)),
    medians: (rec?.median ?? []).filter(inLangs),
    english: (rec?.medianByCountry ?? []).filter((g) => g.language === "en" && shown.languages.includes("en")),
    /** What the recommended gaps subtract, in words (null: nothing). */
    subtracted:
      baseline === "none"
        ? null
        : baseline === "study"
          ? "the gap of the study's uniform-random baseline"
          : `the gap of ${CHOICES.baseline.values[baseline] ?? baseline} of the uniform-random baseline`,
    /** Whether the settings are the study's, where the published table can be compared number for number. */
    atStudySettings:
      shown.rounds === 100 &&
      shown.choices.metric === "spearman" &&
      shown.choices.procedure === "study" &&
      Object.values(shown.choices.exclude).every((l) => (l?.length ?? 0) === 0),
  };
}

/** The Capability page's rows: slopes, clouds, fits and the recommended formula's terms, in the shown families. */
export function capabilityView(result: ReproduceResult | null, shown: { families: readonly string[]; variant: Rq1Variant; formula: CellFormula }) {
  const inFamilies = (s: { family: string }) => shown.families.includes(s.family);
  const rec = result?.details.recommended?.rq1?.[shown.formula];
  return {
    rec,
    shownTerm: (t: { term: string }) => !/family\[/.test(t.term) || shown.families.some((f) => t.term.includes(`family[${f}]`)),
    slopes: (result?.details.slopes ?? []).filter(inFamilies),
    points: (result?.details.adjusted ?? []).filter(inFamilies),
    fit: result?.rq1Variants?.[shown.variant],
    published: result?.rq1 ? slopesFromTerms(result.rq1).filter(inFamilies) : [],
    recommended: rec ? slopesFromTerms(rec.terms).filter(inFamilies) : [],
    // The leave-one-model-out refits use the recommended formula (an intercept per language).
    leaveOut: shown.formula === "language_intercepts" ? (result?.details.recommended?.leaveOneModelOut ?? []) : [],
  };
}
