/**
 * The threshold filter (the study's `--threshold`): the headline alignment (a model's
 * responses in a language against the pro shares of that language's speakers) on the
 * extreme items only, those whose pro share is at most t or at least 1 − t. t = 0.5 keeps
 * every item; the study's threshold θ (|share − 0.5| > θ) is t = 0.5 − θ. Each t is a
 * population of its own in one experiment, so every t is scored on the same resampled
 * items and the shift from all items is a paired difference.
 */
import { median } from "../../descriptive.js";
import type { Cells } from "../../recommended/usbias.js";
import type { GroundTruthRow } from "../../workspace.js";
import { key } from "./grid.js";
import { MEDIAN_MODEL } from "../similarity.js";

/** The thresholds computed, from every item (0.5) to the most extreme tenth on either side. */
export const THRESHOLDS: readonly number[] = [0.5, 0.4, 0.3, 0.2, 0.1];

export const isExtreme = (share: number, t: number) => share <= t || share >= 1 - t;

const named = (language: string, t: number) => `${language}\u0001${t}`;

/** The language-level rows of every threshold, each t's population named `language\u0001t`. */
export function thresholdRows(groundTruth: readonly GroundTruthRow[], thresholds: readonly number[]): GroundTruthRow[] {
  const rows = groundTruth.filter((g) => g.level === "language" && Number.isFinite(g.pro_score));
  return thresholds.flatMap((t) => rows.filter((g) => isExtreme(g.pro_score, t)).map((g) => ({ ...g, population: named(g.population, t) })));
}

/** Alignment per model, language and t, its shift from t = 0.5 (every item), and the median model's of both. */
export function thresholdStatistics(
  cells: Cells,
  models: readonly string[],
  languages: readonly string[],
  thresholds: readonly number[],
  out: Map<string, number>,
): void {
  for (const language of languages) {
    const all = models.map((m) => cells(m, named(language, 0.5), language));
    for (const t of thresholds) {
      const rhos = models.map((m) => cells(m, named(language, t), language));
      const shifts = rhos.map((r, i) => r - all[i]!);
      models.forEach((m, i) => {
        out.set(key("t-rho", m, language, String(t)), rhos[i]!);
        out.set(key("t-shift", m, language, String(t)), shifts[i]!);
      });
      out.set(key("t-rho", MEDIAN_MODEL, language, String(t)), median(rhos));
      out.set(key("t-shift", MEDIAN_MODEL, language, String(t)), median(shifts));
    }
  }
}
