/**
 * Cultural transfer (the study's `analyze_cross_linguistic_transfer`): prompted in a
 * country's own language, is a model closer to that country than to the US? For every
 * country but the US whose language was a prompt language, a model's alignment with the
 * country minus its alignment with the US, both from the same responses (in the country's
 * language) and on the items the country and the US both have. Above zero: what the model
 * says in that language carries the country's values more than the US's. It is the
 * negative of the "own language" gap on the Whose opinions? page.
 *
 * Unlike the study, both alignments come from the same resampled items (a paired
 * difference), not from two independent draws of 500 rows.
 */
import { median } from "../../descriptive.js";
import type { Cells } from "../../recommended/usbias.js";
import { US } from "../usbias.js";
import { key, restrictedName } from "./grid.js";
import { MEDIAN_MODEL } from "../similarity.js";

export interface TransferPair {
  country: string;
  language: string;
  /** The country's shares on the items the US has, and the US's on the country's. */
  self: string;
  us: string;
  /** Items both have. */
  items: number;
}

/** Countries other than the US with survey data, a prompt language of their own and items in common with the US. */
export function transferPairs(truth: Map<string, Map<string, number>>, own: ReadonlyMap<string, string>, languages: readonly string[]): TransferPair[] {
  const us = truth.get(US);
  if (!us) return [];
  return [...own]
    .filter(([country, language]) => country !== US && truth.has(country) && languages.includes(language))
    .map(([country, language]) => ({
      country,
      language,
      self: restrictedName(truth, country, US),
      us: restrictedName(truth, US, country),
      items: [...truth.get(country)!.keys()].filter((i) => us.has(i)).length,
    }))
    .filter((p) => p.items > 0)
    .sort((a, b) => a.country.localeCompare(b.country));
}

/** Alignment with the country and with the US, their difference per model, and the median model's difference. */
export function transferStatistics(cells: Cells, models: readonly string[], pairs: readonly TransferPair[], out: Map<string, number>): void {
  for (const p of pairs) {
    const diffs = models.map((m) => {
      const self = cells(m, p.self, p.language);
      const us = cells(m, p.us, p.language);
      out.set(key("transfer-own", m, p.country), self);
      out.set(key("transfer-us", m, p.country), us);
      out.set(key("transfer", m, p.country), self - us);
      return self - us;
    });
    out.set(key("transfer", MEDIAN_MODEL, p.country), median(diffs));
  }
}
