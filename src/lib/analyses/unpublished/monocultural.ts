/**
 * Monocultural alignment (the study's `analyze_monocultural_alignment`): for a country whose
 * language is a prompt language other than English, a model's alignment with the country
 * when prompted in that language minus when prompted in English, both on the country's own
 * items. Above zero: the native language brings the model closer to the country.
 *
 * Unlike the study, both alignments are computed on the same resampled items (a paired
 * difference) from responses judged in the prompt's language, and the estimate is the
 * full-data one, not the mean of rounds of 500 resampled rows.
 */
import { median } from "../../descriptive.js";
import type { Cells } from "../../recommended/usbias.js";
import { ENGLISH, key } from "./grid.js";
import { MEDIAN_MODEL } from "../similarity.js";

export interface MonoculturalPair {
  country: string;
  /** The country's language (a prompt language, not English). */
  language: string;
}

/** Countries with survey data whose language was a prompt language besides English, when English was one too. */
export function monoculturalPairs(own: ReadonlyMap<string, string>, languages: readonly string[], countries: ReadonlySet<string>): MonoculturalPair[] {
  if (!languages.includes(ENGLISH)) return [];
  return [...own]
    .filter(([country, language]) => language !== ENGLISH && languages.includes(language) && countries.has(country))
    .map(([country, language]) => ({ country, language }))
    .sort((a, b) => a.country.localeCompare(b.country));
}

/** Native and English alignment and their difference per model and pair, and the median model's difference. */
export function monoculturalStatistics(cells: Cells, models: readonly string[], pairs: readonly MonoculturalPair[], out: Map<string, number>): void {
  for (const { country, language } of pairs) {
    const diffs = models.map((m) => {
      const native = cells(m, country, language);
      const english = cells(m, country, ENGLISH);
      out.set(key("mono-native", m, country), native);
      out.set(key("mono-english", m, country), english);
      out.set(key("mono", m, country), native - english);
      return native - english;
    });
    out.set(key("mono", MEDIAN_MODEL, country), median(diffs));
  }
}
