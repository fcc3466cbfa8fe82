/** Writes survey ground truth to a folder: aggregates only, never a respondent's row. */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeParquet } from "../parquet.js";
import { SCHEMAS } from "../workspaceFiles.js";
import type { SurveyResult } from "./groundTruth.js";

function atomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writeSurveyResult(result: SurveyResult, dir: string, meta: Record<string, unknown> = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const files = ["ground_truth.parquet", "populations.parquet", "survey_items.parquet", "survey.json"];
  atomic(join(dir, files[0]!), writeParquet(result.groundTruth as unknown as Array<Record<string, unknown>>, SCHEMAS.ground_truth));
  atomic(join(dir, files[1]!), writeParquet(result.populations as unknown as Array<Record<string, unknown>>, SCHEMAS.populations));
  atomic(
    join(dir, files[2]!),
    writeParquet(
      result.items.map((i) => ({ item: i.item, column: i.column, max_code: i.maxCode, rule: i.rule, inverted: i.inverted, valid_n: i.validN })),
      [["item", "string"], ["column", "string"], ["max_code", "int32"], ["rule", "string"], ["inverted", "bool"], ["valid_n", "int32"]],
    ),
  );
  atomic(
    join(dir, files[3]!),
    `${JSON.stringify({ file: result.file, countries: result.countries, items: result.items, dropped: result.dropped, ...meta }, null, 2)}\n`,
  );
  return files.map((f) => join(dir, f));
}
