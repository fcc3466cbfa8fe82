/**
 * Writes survey ground truth to a folder: aggregates only, never a respondent's row. Rows
 * are written in one canonical order, so the same result gives byte-identical files.
 */
import { mkdirSync } from "node:fs";
import { writeParquet } from "../parquet.js";
import { SCHEMAS } from "../workspaceFiles.js";
import { replaceFiles } from "./files.js";
import { byCode, type SurveyResult } from "./groundTruth.js";
import { checkCells } from "./validate.js";

/** Levels in the order the tables have always listed them. */
const GROUND_TRUTH_LEVELS = ["country", "language", "global"];
const POPULATION_LEVELS = ["global", "language", "country"];

/** Sorts by the given string keys in turn, by code point (the same order on every machine). */
function sortedBy<T>(rows: readonly T[], ...keys: Array<(row: T) => string>): T[] {
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const order = byCode(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  });
}

const rank = (levels: string[]) => (row: { level: string }) => String(levels.indexOf(row.level) + 1).padStart(2, "0");

/** The result with every list in its canonical order: by level, population and item; by column; by country. */
export function canonicalSurveyResult(result: SurveyResult): SurveyResult {
  return {
    ...result,
    groundTruth: sortedBy(
      result.groundTruth,
      rank(GROUND_TRUTH_LEVELS),
      (g) => g.population,
      (g) => g.item,
    ),
    populations: sortedBy(result.populations, rank(POPULATION_LEVELS), (p) => p.population),
    items: sortedBy(result.items, (i) => i.item),
    dropped: sortedBy(result.dropped, (d) => d.column),
    countries: sortedBy(result.countries, (c) => c.country),
    consistency: {
      ...result.consistency,
      skipped: sortedBy(
        result.consistency.skipped,
        (s) => s.country,
        (s) => s.item,
      ),
    },
    suppressed: {
      ...result.suppressed,
      cells: sortedBy(
        result.suppressed.cells,
        rank(GROUND_TRUTH_LEVELS),
        (c) => c.population,
        (c) => c.item,
      ),
    },
  };
}

/**
 * Writes ground_truth.parquet, populations.parquet, survey_items.parquet and survey.json, all
 * four or none: the cells are checked first (one row per cell, shares in [0, 1]), then every
 * file is written beside its target and renamed into place.
 * `meta` goes into survey.json: keep it free of times and paths to keep the files reproducible.
 */
export function writeSurveyResult(result: SurveyResult, dir: string, meta: Record<string, unknown> = {}): string[] {
  const r = canonicalSurveyResult(result);
  checkCells(r.groundTruth);
  const items = r.items.map((i) => ({ item: i.item, column: i.column, max_code: i.maxCode, rule: i.rule, inverted: i.inverted, valid_n: i.validN }));
  const files = [
    ["ground_truth.parquet", writeParquet(r.groundTruth as unknown as Array<Record<string, unknown>>, SCHEMAS.ground_truth)],
    ["populations.parquet", writeParquet(r.populations as unknown as Array<Record<string, unknown>>, SCHEMAS.populations)],
    [
      "survey_items.parquet",
      writeParquet(items, [
        ["item", "string"],
        ["column", "string"],
        ["max_code", "int32"],
        ["rule", "string"],
        ["inverted", "bool"],
        ["valid_n", "int32"],
      ]),
    ],
    [
      "survey.json",
      `${JSON.stringify({ file: r.file, countries: r.countries, items: r.items, dropped: r.dropped, consistency: r.consistency, ...meta }, null, 2)}\n`,
    ],
  ] as const;
  mkdirSync(dir, { recursive: true });
  return replaceFiles(dir, files);
}
