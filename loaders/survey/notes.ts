/** What the ground truth left out, and why, in words: for `mca ground-truth` and `mca run`. */
import type { SurveyResult } from "./groundTruth.js";

/** Says how many small cells were left out of the ground truth, and why. */
export function suppressedNote({ minGroupSize, cells }: SurveyResult["suppressed"]): string {
  if (cells.length === 0) return "";
  const populations = new Set(cells.map((c) => `${c.level}:${c.population}`)).size;
  return (
    `\n${cells.length} (population, item) cell${cells.length > 1 ? "s" : ""} of ${populations} population${populations > 1 ? "s" : ""} had fewer than ${minGroupSize} valid answers ` +
    `and ${cells.length > 1 ? "are" : "is"} left out of the ground truth (a share of so few respondents all but gives away their answers). ` +
    `survey.json lists them under suppressed; --min-group changes the threshold.\n`
  );
}

/** Says how many (country, item) cells the self-consistency left out, and why. */
export function skippedNote({ drawSize, skipped }: SurveyResult["consistency"]): string {
  if (skipped.length === 0) return "";
  const countries = new Set(skipped.map((s) => s.country)).size;
  return (
    `\nSelf-consistency left out ${skipped.length} (country, item) cell${skipped.length > 1 ? "s" : ""} in ${countries} countr${countries > 1 ? "ies" : "y"} ` +
    `with fewer than ${drawSize} valid answers: ${drawSize} respondents cannot be drawn from them without replacement. ` +
    `Their ground truth is kept; survey.json lists them under consistency.skipped.\n`
  );
}
