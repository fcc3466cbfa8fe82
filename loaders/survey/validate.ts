/**
 * Checks of the survey's values once DuckDB holds them: ground truth is computed only from
 * valid weights and codes, and every refusal names the file, the line, the value and the fix.
 *
 * Weights (each of gwght and pwght): a finite number from 0 to MAX_WEIGHT. A respondent whose
 * weight gwght × pwght is 0 counts for nothing; a file, or a country, where every weight is 0
 * is refused, and so is a respondent carrying more than MAX_WEIGHT_SHARE of the weight of a
 * country of DOMINANCE_MIN_RESPONDENTS or more respondents.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { basename } from "node:path";
import type { GroundTruthRow } from "../../src/lib/workspace.js";
import { lineOfRow } from "./preflight.js";
import { num, quote, rows } from "../duckdb.js";

/** The largest value accepted in a weight column; real survey weights stay far below (mostly under 10). */
export const MAX_WEIGHT = 1_000_000;
/** The largest share of a country's total weight one respondent may carry… */
export const MAX_WEIGHT_SHARE = 0.5;
/** …in a country of at least this many respondents (smaller ones are too small to tell). */
export const DOMINANCE_MIN_RESPONDENTS = 20;

const where = async (path: string, row: unknown) => {
  const line = await lineOfRow(path, num(row));
  return line === undefined ? `in data row ${num(row) + 1}` : `on line ${line}`;
};

/** A number as the file would write it: NaN, Infinity, 1e+308, -1. */
const shown = (v: number) => String(v);

/** Country and language codes: present on every row, without control characters (a NUL byte, say). */
export async function checkCodes(conn: DuckDBConnection, path: string): Promise<void> {
  const name = basename(path);
  const needs = { cntry_AN: "a country code (e.g. DK)", lnge_iso: "the interview language's code (e.g. da)" } as const;
  for (const [column, what] of Object.entries(needs)) {
    const text = `CAST(${quote(column)} AS VARCHAR)`;
    const [bad] = await rows(
      conn,
      `SELECT rowid AS r, ${text} AS v FROM survey WHERE ${text} IS NULL OR trim(${text}) = '' OR regexp_matches(${text}, '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]') ORDER BY rowid LIMIT 1`,
    );
    if (!bad) continue;
    const at = await where(path, bad.r);
    const value = bad.v === null ? "" : String(bad.v);
    if (value.trim() === "") throw new Error(`${name}: ${column} is empty ${at}; every respondent needs ${what}: fill it in, or remove that row.`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of this pattern is to find the control character to name it
    const char = /[\u0000-\u001F\u007F]/.exec(value)![0].charCodeAt(0);
    throw new Error(
      `${name}: ${column} has a control character (U+${char.toString(16).toUpperCase().padStart(4, "0")}) ${at}: ${JSON.stringify(value)}. ` +
        `The file may be damaged or not plain text: fix that cell, or export the file again.`,
    );
  }
}

/** The message for one bad weight. */
function badWeight(name: string, column: string, value: number | null, at: string): string {
  const fix = "fix that cell, or export the file again with its weights.";
  if (value === null) return `${name}: the weight column ${column} is empty ${at}; every respondent needs a weight (a number such as 1.25): ${fix}`;
  if (!Number.isFinite(value))
    return `${name}: the weight column ${column} has ${shown(value)} ${at}, which is not a finite number. Weights are numbers such as 1.25: ${fix}`;
  if (value < 0)
    return `${name}: the weight column ${column} has ${shown(value)} ${at}; weights cannot be negative. A respondent who should count for nothing has weight 0: ${fix}`;
  return `${name}: the weight column ${column} has ${shown(value)} ${at}, above the largest weight accepted (${MAX_WEIGHT.toLocaleString("en")}); survey weights are rarely above 10: ${fix}`;
}

/** Every weight is a finite number from 0 to MAX_WEIGHT; the first one that is not is an error with its line. */
export async function checkWeights(conn: DuckDBConnection, path: string): Promise<void> {
  for (const column of ["gwght", "pwght"]) {
    const c = quote(column);
    const [bad] = await rows(
      conn,
      `SELECT rowid AS r, ${c} AS v FROM survey WHERE ${c} IS NULL OR isnan(${c}) OR isinf(${c}) OR ${c} < 0 OR ${c} > $1 ORDER BY rowid LIMIT 1`,
      [MAX_WEIGHT],
    );
    if (bad) throw new Error(badWeight(basename(path), column, bad.v === null ? null : num(bad.v), await where(path, bad.r)));
  }
}

/**
 * Totals of the weights gwght × pwght per country: not all zero (in the file, or in a
 * country), and no respondent carrying more than MAX_WEIGHT_SHARE of a large country's weight.
 */
export async function checkWeightTotals(conn: DuckDBConnection, path: string): Promise<void> {
  const name = basename(path);
  const totals = await rows(
    conn,
    `SELECT CAST(cntry_AN AS VARCHAR) AS country, count(*) AS n, sum(w) AS total, max(w) AS top, arg_max(r, w) AS top_row, min(r) AS first_row ` +
      `FROM (SELECT rowid AS r, cntry_AN, CAST(gwght AS DOUBLE) * CAST(pwght AS DOUBLE) AS w FROM survey) GROUP BY 1 ORDER BY 1`,
  );
  if (totals.every((t) => !(num(t.total) > 0))) {
    throw new Error(
      `${name}: every respondent's weight (gwght × pwght) is 0, so no share can be computed. Check the weight columns, or export the file again with its weights.`,
    );
  }
  for (const t of totals) {
    const country = String(t.country);
    if (!(num(t.total) > 0)) {
      const line = await lineOfRow(path, num(t.first_row));
      throw new Error(
        `${name}: every respondent of ${country} has weight 0 (gwght × pwght; the first on line ${line}), so ${country} would have no ground truth. ` +
          `Fix the weights, or remove ${country}'s rows.`,
      );
    }
    const share = num(t.top) / num(t.total);
    if (num(t.n) >= DOMINANCE_MIN_RESPONDENTS && share > MAX_WEIGHT_SHARE) {
      throw new Error(
        `${name}: the respondent ${await where(path, t.top_row)} carries ${Math.round(share * 1000) / 10}% of ${country}'s weight (gwght × pwght = ${shown(num(t.top))}); ` +
          `one respondent may carry at most ${MAX_WEIGHT_SHARE * 100}% of a country of ${DOMINANCE_MIN_RESPONDENTS} or more respondents. Check that weight: survey weights are rarely above 10.`,
      );
    }
  }
}

/**
 * Ground truth fit to publish: one row per (level, population, item), each a share in [0, 1]
 * over a positive n. Anything else is a bug upstream, and nothing is written.
 */
export function checkCells(groundTruth: readonly GroundTruthRow[]): void {
  const seen = new Set<string>();
  for (const g of groundTruth) {
    const cell = `(${g.level}, ${g.population}, ${g.item})`;
    if (seen.has(cell))
      throw new Error(`The ground truth lists the cell ${cell} twice; nothing was written. Check the survey file for a population or item given twice.`);
    seen.add(cell);
    if (!(g.pro_score >= 0 && g.pro_score <= 1))
      throw new Error(`The ground truth cell ${cell} has the share ${g.pro_score}, not a number from 0 to 1; nothing was written. Check the survey's weights.`);
    if (g.n !== undefined && g.n !== null && !(g.n > 0)) throw new Error(`The ground truth cell ${cell} has n = ${g.n}; nothing was written.`);
  }
}
