/**
 * Writes survey ground truth to a folder: aggregates only, never a respondent's row. Rows
 * are written in one canonical order, so the same result gives byte-identical files.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeParquet } from "../parquet.js";
import { SCHEMAS } from "../workspaceFiles.js";
import { byCode, type SurveyResult } from "./groundTruth.js";

function atomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

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
    groundTruth: sortedBy(result.groundTruth, rank(GROUND_TRUTH_LEVELS), (g) => g.population, (g) => g.item),
    populations: sortedBy(result.populations, rank(POPULATION_LEVELS), (p) => p.population),
    items: sortedBy(result.items, (i) => i.item),
    dropped: sortedBy(result.dropped, (d) => d.column),
    countries: sortedBy(result.countries, (c) => c.country),
    consistency: { ...result.consistency, skipped: sortedBy(result.consistency.skipped, (s) => s.country, (s) => s.item) },
    suppressed: { ...result.suppressed, cells: sortedBy(result.suppressed.cells, rank(GROUND_TRUTH_LEVELS), (c) => c.population, (c) => c.item) },
  };
}

/**
 * Writes ground_truth.parquet, populations.parquet, survey_items.parquet and survey.json.
 * `meta` goes into survey.json: keep it free of times and paths to keep the files reproducible.
 */
export function writeSurveyResult(result: SurveyResult, dir: string, meta: Record<string, unknown> = {}): string[] {
  const r = canonicalSurveyResult(result);
  mkdirSync(dir, { recursive: true });
  const files = ["ground_truth.parquet", "populations.parquet", "survey_items.parquet", "survey.json"];
  atomic(join(dir, files[0]!), writeParquet(r.groundTruth as unknown as Array<Record<string, unknown>>, SCHEMAS.ground_truth));
  atomic(join(dir, files[1]!), writeParquet(r.populations as unknown as Array<Record<string, unknown>>, SCHEMAS.populations));
  atomic(
    join(dir, files[2]!),
    writeParquet(
      r.items.map((i) => ({ item: i.item, column: i.column, max_code: i.maxCode, rule: i.rule, inverted: i.inverted, valid_n: i.validN })),
      [["item", "string"], ["column", "string"], ["max_code", "int32"], ["rule", "string"], ["inverted", "bool"], ["valid_n", "int32"]],
    ),
  );
  atomic(
    join(dir, files[3]!),
    `${JSON.stringify({ file: r.file, countries: r.countries, items: r.items, dropped: r.dropped, consistency: r.consistency, ...meta }, null, 2)}\n`,
  );
  return files.map((f) => join(dir, f));
}
