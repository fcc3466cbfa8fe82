/**
 * Alignment relative to a baseline (the study's `analyze_relative_performance`): a model's
 * alignment with a country, prompted in the country's language, minus a baseline
 * answerer's alignment with the same country in the same language (the uniform-random
 * baseline, the study's reference, and the fifty-percent one). The baselines are the
 * source's own draw when it has one (the study's release does), else drawn with the seed.
 *
 * Unlike the study, model and baseline are scored on the same resampled items (a paired
 * difference), so the interval holds the baseline draw's own noise on those items.
 */
import { median } from "../../descriptive.js";
import type { Cells } from "../../recommended/usbias.js";
import { key } from "./grid.js";
import { MEDIAN_MODEL } from "../similarity.js";

export interface BaselinePair {
  country: string;
  language: string;
}

/** Every country with survey data whose language was a prompt language. */
export function baselinePairs(own: ReadonlyMap<string, string>, languages: readonly string[], countries: ReadonlySet<string>): BaselinePair[] {
  return [...own]
    .filter(([country, language]) => countries.has(country) && languages.includes(language))
    .map(([country, language]) => ({ country, language }))
    .sort((a, b) => a.language.localeCompare(b.language) || a.country.localeCompare(b.country));
}

/** Each baseline's alignment, and each model's (and the median model's) alignment minus it. */
export function baselineStatistics(
  cells: Cells,
  models: readonly string[],
  baselines: readonly string[],
  pairs: readonly BaselinePair[],
  out: Map<string, number>,
): void {
  for (const { country, language } of pairs) {
    for (const b of baselines) {
      const base = cells(b, country, language);
      out.set(key("baseline-rho", b, country), base);
      const diffs = models.map((m) => cells(m, country, language) - base);
      models.forEach((m, i) => {
        out.set(key("above", m, country, b), diffs[i]!);
      });
      out.set(key("above", MEDIAN_MODEL, country, b), median(diffs));
    }
  }
}
