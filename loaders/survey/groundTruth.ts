/**
 * Survey ground truth from the joint EVS/WVS microdata (docs/pipeline.md, "Survey ground truth"), computed in
 * DuckDB: the file is read and aggregated by DuckDB's CSV reader and SQL, never parsed
 * row by row in JavaScript. Only aggregates leave this module: weighted pro shares per
 * country, interview language and overall, each item's largest code and rule, and the
 * survey's own self-consistency per country.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { spearman } from "../../src/lib/correlation.js";
import { createRng, hashString } from "../../src/lib/random.js";
import { drawShares, itemAnswers, pairsPearson, proRule, proRuleSql, proRuleText, splitHalves } from "../../src/lib/survey.js";
import type { GroundTruthRow, PopulationRow } from "../../src/lib/workspace.js";
import { preflight, readError } from "./preflight.js";
import { num, quote, rows } from "../duckdb.js";
import { checkCells, checkCodes, checkWeights, checkWeightTotals } from "./validate.js";

export const REQUIRED_COLUMNS = ["cntry_AN", "lnge_iso", "gwght", "pwght"] as const;
/** Columns that describe the respondent, not an item. */
export const METADATA_COLUMNS = new Set<string>(REQUIRED_COLUMNS);
/** Items the study judged too hard to score (E233A and E233B are other columns and stay). */
export const EXCLUDED_ITEMS = new Set(["E224", "E225", "E226", "E227", "E228", "E229", "E230", "E231", "E232", "E233", "E234", "F025", "F034", "E028", "B008"]);
/**
 * The Inglehart–Welzel map's items outside the B–H item columns (happiness, trust, national pride,
 * the post-materialist and autonomy indices), kept as extra ground-truth items so that a workspace
 * built from the full file has all ten of the map (E018, E025, F063, F118 and F120 are items anyway).
 */
export const INGLEHART_WELZEL_COLUMNS = new Set(["A008", "A165", "G006", "Y002", "Y003"]);
/** The autonomy index runs from −2 to 2, its missing codes below −2: shifted by 3 to 1..5, so that codes ≤ 0 are missing as in every other item. */
const AUTONOMY_INDEX = "Y003";
const AUTONOMY_SHIFT = 3;

/** Items whose pro side is the low end of the scale, inverted (E035: income equality). */
export const INVERTED_ITEMS = new Set(["E035"]);

/** Draws per (country, item) and respondents per draw of the survey's self-consistency (docs/pipeline.md). */
const DRAWS = 100;
const DRAW_SIZE = 10;

export interface SurveyItem {
  /** Workspace key (lower case). */
  item: string;
  /** Column in the file. */
  column: string;
  maxCode: number;
  /** The pro rule in words, e.g. "code > 5". */
  rule: string;
  inverted: boolean;
  /** Valid answers (code > 0) in the whole file. */
  validN: number;
}

export interface SurveyOptions {
  /** Studied languages (ISO 639-1). Countries whose dominant language is one of them are studied; default: all. */
  languages?: readonly string[];
  /** Seed of the self-consistency draws. */
  seed?: number | string;
  /** Self-consistency: draws per (country, item) and respondents per draw (defaults 100 and 10). */
  draws?: number;
  drawSize?: number;
  /**
   * The fewest valid answers a country's or a language's (population, item) cell needs to be
   * published (default 10). A share over fewer respondents all but gives away their answers,
   * and is too noisy to be ground truth anyway. The global level is never this small.
   */
  minGroupSize?: number;
}

/** Default of `SurveyOptions.minGroupSize`. */
export const MIN_GROUP_SIZE = 10;

export interface SurveyResult {
  groundTruth: GroundTruthRow[];
  populations: PopulationRow[];
  items: SurveyItem[];
  dropped: Array<{ column: string; reason: string }>;
  countries: Array<{ country: string; language: string; respondents: number; studied: boolean }>;
  file: { name: string; sha256: string; bytes: number; respondents: number };
  /**
   * The survey's self-consistency: draws per (country, item) and respondents per draw, and
   * the (country, item) cells it leaves out because they have fewer valid answers (n) than a
   * draw takes without replacement. Cells without any valid answer have no ground truth and
   * are not listed.
   */
  consistency: { draws: number; drawSize: number; skipped: Array<{ country: string; item: string; n: number }> };
  /** Cells left out of the ground truth because fewer than `minGroupSize` respondents answered. */
  suppressed: { minGroupSize: number; cells: Array<{ level: string; population: string; item: string; n: number }> };
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (d) => h.update(d))
      .on("end", () => resolve(h.digest("hex")))
      .on("error", reject);
  });
}

/** Compares by code point: the same order on every machine, whatever its locale. */
export const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const WEIGHT_COLUMNS = new Set(["gwght", "pwght"]);
const NUMERIC_TYPE = /INT|DOUBLE|FLOAT|DECIMAL/;
/** The reader's options, the same for every read of the file. */
const READ_CSV = "read_csv($1, header = true, compression = 'auto')";

/**
 * The error for a cell that is not a number: the file, the column, the value and its line,
 * and how to fix it. Weights get a hint on decimal commas, codes one on value labels.
 */
function notNumeric(name: string, column: string, value: string, line?: number, original = ""): string {
  const cell = value.trim() === "" ? "a blank cell (only spaces)" : `"${value}"`;
  const where = line ? ` on line ${line}` : "";
  if (WEIGHT_COLUMNS.has(column)) {
    const decimalComma = /\d,\d/.test(value) || /"-?\d*,\d+"/.test(original);
    return (
      `${name}: the weight column ${column} has ${cell}${where}, which is not a number. Weights are numbers with a decimal point (e.g. 1.25)` +
      (decimalComma
        ? `; this file writes decimals with commas (1,25): export it again with "." as the decimal separator.`
        : `: fix that cell, or export the file again.`)
    );
  }
  if (value.trim() === "") return `${name}: ${column} has ${cell}${where}; leave a missing answer empty or give it a negative code.`;
  return `${name}: ${column} has the non-numeric code ${cell}${where}; survey codes must be numbers (missing answers are negative codes, not text). Fix that cell, or export the file again with numeric codes instead of value labels.`;
}

/** The error DuckDB's reader gives for a cell it cannot convert (large files, typed from a sample), as our error. */
function conversionError(name: string, message: string): Error | null {
  const value = /Could not convert string "(.*?)" to '?\w+'?/s.exec(message)?.[1];
  if (value === undefined) return null;
  const column = /converting column "([^"]+)"/i.exec(message)?.[1] ?? /Column "?([\w.]+)"?/i.exec(message)?.[1] ?? "an item column";
  const line = /Line:\s*(\d+)/i.exec(message)?.[1];
  const original = /Original Line:\s*(.*)/.exec(message)?.[1];
  return new Error(notNumeric(name, column, value, line ? Number(line) : undefined, original));
}

/**
 * The first cell of a text column that is not a number, with its line as DuckDB's reader
 * counts it: the file is read again with the column typed as a number, and the rejected
 * cells are kept in a table.
 */
async function firstNonNumeric(conn: DuckDBConnection, path: string, column: string): Promise<{ value: string; line?: number } | null> {
  const c = `CAST(${quote(column)} AS VARCHAR)`;
  const bad = await rows(conn, `SELECT ${c} AS v FROM survey WHERE ${quote(column)} IS NOT NULL AND TRY_CAST(${c} AS DOUBLE) IS NULL ORDER BY rowid LIMIT 1`);
  if (bad.length === 0) return null;
  const rejected = `regexp_extract(error_message, 'string "(.*)" to', 1)`;
  try {
    // The column's name is a header name checked by preflight (no control characters), quoted as a string key.
    const key = `'${column.replace(/'/g, "''")}'`;
    await conn.run(
      `SELECT count(${quote(column)}) FROM read_csv($1, header = true, compression = 'auto', types = {${key}: 'DOUBLE'}, ` +
        `store_rejects = true, rejects_table = '__rejects', rejects_scan = '__rejects_scan')`,
      [path],
    );
    const [first] = await rows(
      conn,
      `SELECT line, ${rejected} AS v FROM __rejects WHERE column_name = $1 AND TRY_CAST(${rejected} AS DOUBLE) IS NULL ORDER BY line LIMIT 1`,
      [column],
    );
    if (first) return { value: String(first.v), line: num(first.line) };
  } catch {
    // No line then: the value alone still names the problem.
  } finally {
    await conn.run("DROP TABLE IF EXISTS __rejects; DROP TABLE IF EXISTS __rejects_scan");
  }
  return { value: String(bad[0]!.v) };
}

/**
 * Makes a column the reader typed as text numeric. A column of blank cells only holds no
 * value (false); a cell that is not a number is an error naming the file, column and line.
 */
async function numericColumn(conn: DuckDBConnection, path: string, column: string): Promise<boolean> {
  const text = `CAST(${quote(column)} AS VARCHAR)`;
  const [filled] = await rows(conn, `SELECT count(*) AS n FROM survey WHERE trim(${text}) <> ''`);
  if (num(filled!.n) === 0) return false;
  const bad = await firstNonNumeric(conn, path, column);
  if (bad) throw new Error(notNumeric(basename(path), column, bad.value, bad.line));
  await conn.run(`ALTER TABLE survey ALTER ${quote(column)} TYPE DOUBLE USING TRY_CAST(${text} AS DOUBLE)`);
  return true;
}

/** Loads the file into a DuckDB table, with errors that name the file and the problem. */
async function loadSurvey(conn: DuckDBConnection, path: string): Promise<string[]> {
  const name = basename(path);
  await preflight(path);
  try {
    await conn.run(`CREATE TABLE survey AS SELECT * FROM ${READ_CSV}`, [path]);
  } catch (error) {
    const message = (error as Error).message;
    throw (
      conversionError(name, message) ??
      readError(name, message) ??
      new Error(`${name}: could not read the file as CSV (${message.split("\n")[0]}). Check that it is the joint EVS/WVS CSV export.`)
    );
  }
  const columns = (await rows(conn, "DESCRIBE survey")).map((r) => String(r.column_name));
  const count = num((await rows(conn, "SELECT count(*) AS n FROM survey"))[0]!.n);
  if (count === 0) throw new Error(`${name}: the file has a header but no respondents; it may have been cut short: download or export it again.`);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) {
    if (columns.length === 1) {
      const sep = /cntry_AN(\W+)lnge_iso/.exec(columns[0]!)?.[1] ?? /[^\w]/.exec(columns[0]!)?.[0];
      throw new Error(
        `${name}: only one column was found ("${columns[0]!.slice(0, 60)}"): the delimiter ${sep ? `"${sep}" ` : ""}is not one the reader recognises. ` +
          `Save the file as CSV separated by commas (semicolons, tabs and pipes are also recognised).`,
      );
    }
    throw new Error(
      `${name}: missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (found ${columns.length} columns: ${columns.slice(0, 8).join(", ")}${columns.length > 8 ? ", …" : ""})`,
    );
  }
  return columns;
}

/** Makes the weight columns numeric and checks every weight and code; errors name the line. */
async function checkValues(conn: DuckDBConnection, path: string, types: Map<string, string>): Promise<void> {
  for (const c of WEIGHT_COLUMNS) {
    if (NUMERIC_TYPE.test(types.get(c)!)) continue;
    if (!(await numericColumn(conn, path, c)))
      throw new Error(`${basename(path)}: the weight column ${c} is empty; every respondent needs a weight (a number such as 1.25).`);
  }
  await checkCodes(conn, path);
  await checkWeights(conn, path);
  await checkWeightTotals(conn, path);
}

/**
 * The items (docs/pipeline.md, "Survey ground truth"): columns starting with B, C, D, E, F or H, minus metadata,
 * wave-specific and excluded columns, kept when their largest code lies in 2..11. A column
 * with no value at all is an item with no valid answer. Dropped columns come with the reason.
 */
async function selectItems(
  conn: DuckDBConnection,
  path: string,
  columns: string[],
  types: Map<string, string>,
): Promise<{ items: SurveyItem[]; dropped: SurveyResult["dropped"] }> {
  const dropped: SurveyResult["dropped"] = [];
  const candidates: string[] = [];
  for (const c of columns) {
    if (!(/^[BCDEFH]/.test(c) || INGLEHART_WELZEL_COLUMNS.has(c)) || METADATA_COLUMNS.has(c)) continue;
    if (/(EVS5|WVS7)$/.test(c)) dropped.push({ column: c, reason: "wave-specific (ends in EVS5 or WVS7)" });
    else if (EXCLUDED_ITEMS.has(c)) dropped.push({ column: c, reason: "judged too hard to score by the study" });
    else if (NUMERIC_TYPE.test(types.get(c)!) || (await numericColumn(conn, path, c))) candidates.push(c);
    else dropped.push({ column: c, reason: "no valid answer (every cell is empty)" });
  }
  const maxima = candidates.length ? (await rows(conn, `SELECT ${candidates.map((c, i) => `max(${quote(c)}) AS m${i}`).join(", ")} FROM survey`))[0]! : {};
  const items: SurveyItem[] = [];
  for (const [i, c] of candidates.entries()) {
    const m = num(maxima[`m${i}`]);
    if (!(m >= 2 && m <= 11) || !Number.isInteger(m)) {
      dropped.push({ column: c, reason: !Number.isFinite(m) || m <= 0 ? "no valid answer (every code is missing)" : `largest code ${m} is outside 2..11` });
      continue;
    }
    const inverted = INVERTED_ITEMS.has(c);
    const rule = proRuleText(proRule(m, inverted));
    items.push({ item: c.toLowerCase(), column: c, maxCode: m, rule: c === AUTONOMY_INDEX ? `${rule} after +${AUTONOMY_SHIFT}` : rule, inverted, validN: 0 });
  }
  return { items, dropped };
}

/** Shifts the autonomy index (Y003, −2..2) to 1..5, leaving its missing codes (below −2) negative. */
async function shiftAutonomyIndex(conn: DuckDBConnection, path: string, columns: readonly string[], types: Map<string, string>): Promise<void> {
  if (!columns.includes(AUTONOMY_INDEX)) return;
  if (!NUMERIC_TYPE.test(types.get(AUTONOMY_INDEX)!) && !(await numericColumn(conn, path, AUTONOMY_INDEX))) return;
  const c = quote(AUTONOMY_INDEX);
  await conn.run(`UPDATE survey SET ${c} = ${c} + ${AUTONOMY_SHIFT} WHERE ${c} >= -2`);
}

/** Each country's dominant interview language, by the sum of design weights, and whether it is studied. */
async function countriesOf(conn: DuckDBConnection, options: SurveyOptions): Promise<SurveyResult["countries"]> {
  const langRows = await rows(
    conn,
    `SELECT CAST(cntry_AN AS VARCHAR) AS country, CAST(lnge_iso AS VARCHAR) AS language, sum(CAST(gwght AS DOUBLE)) AS w, count(*) AS n FROM survey GROUP BY ALL ORDER BY ALL`,
  );
  const byCountry = new Map<string, { language: string; w: number; respondents: number }>();
  for (const r of langRows.sort((a, b) => byCode(String(a.language), String(b.language)))) {
    const country = String(r.country);
    const cur = byCountry.get(country);
    const w = num(r.w);
    const respondents = (cur?.respondents ?? 0) + num(r.n);
    if (!cur || w > cur.w) byCountry.set(country, { language: String(r.language), w, respondents });
    else cur.respondents = respondents;
  }
  const studied = options.languages ? new Set(options.languages) : null;
  return [...byCountry]
    .sort((a, b) => byCode(a[0], b[0]))
    .map(([country, v]) => ({ country, language: v.language, respondents: v.respondents, studied: country === "US" || !studied || studied.has(v.language) }));
}

/**
 * Weighted pro shares per country, per interview language and over everyone, one scan per
 * level; cells with fewer than `minGroupSize` valid answers are left out and listed.
 */
async function weightedShares(
  conn: DuckDBConnection,
  items: SurveyItem[],
  keep: { country: (c: string) => boolean; language: (l: string) => boolean },
  minGroupSize: number,
): Promise<{ groundTruth: GroundTruthRow[]; suppressed: SurveyResult["suppressed"]["cells"] }> {
  const aggregates = items
    .map((it, i) => {
      const c = quote(it.column);
      const pro = proRuleSql(proRule(it.maxCode, it.inverted), c);
      return `sum(CASE WHEN ${c} > 0 THEN __w END) AS d${i}, sum(CASE WHEN ${c} > 0 AND ${pro} THEN __w END) AS p${i}, count(CASE WHEN ${c} > 0 AND __w > 0 THEN 1 END) AS n${i}`;
    })
    .join(", ");
  const byLevel = async (group: string | null) =>
    items.length
      ? rows(
          conn,
          `SELECT ${group ? `CAST(${quote(group)} AS VARCHAR) AS population, ` : "'global' AS population, "}${aggregates} FROM weighted WHERE __w > 0 ${group ? "GROUP BY 1 ORDER BY population" : ""}`,
        )
      : [];
  const groundTruth: GroundTruthRow[] = [];
  const suppressed: SurveyResult["suppressed"]["cells"] = [];
  const collect = (level: GroundTruthRow["level"], result: Array<Record<string, unknown>>, keepPopulation: (population: string) => boolean) => {
    for (const r of result) {
      const population = String(r.population);
      if (!keepPopulation(population)) continue;
      items.forEach((it, i) => {
        const d = num(r[`d${i}`]);
        const n = num(r[`n${i}`]);
        if (!(d > 0)) return;
        if (n < minGroupSize) {
          suppressed.push({ level, population, item: it.item, n });
          return;
        }
        groundTruth.push({ level, population, item: it.item, pro_score: (num(r[`p${i}`]) || 0) / d, n });
        if (level === "global") it.validN = n;
      });
    }
  };
  collect("country", await byLevel("cntry_AN"), keep.country);
  collect("language", await byLevel("lnge_iso"), keep.language);
  collect("global", await byLevel(null), () => true);
  return { groundTruth, suppressed };
}

/** The populations table: everyone, each interview language with ground truth, each studied country with its self-consistency. */
function populationRows(groundTruth: GroundTruthRow[], countries: SurveyResult["countries"], consistency: Map<string, CountryConsistency>): PopulationRow[] {
  return [
    { level: "global", population: "global", language: null, survey_consistency: null },
    ...[...new Set(groundTruth.filter((g) => g.level === "language").map((g) => g.population))]
      .sort()
      .map((l) => ({ level: "language" as const, population: l, language: l, survey_consistency: null })),
    ...countries
      .filter((c) => c.studied)
      .map((c) => ({
        level: "country" as const,
        population: c.country,
        language: c.language,
        survey_consistency: consistency.get(c.country)?.consistency ?? null,
        survey_split_half: consistency.get(c.country)?.splitHalf ?? null,
      })),
  ];
}

export async function surveyGroundTruth(path: string, options: SurveyOptions = {}): Promise<SurveyResult> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const columns = await loadSurvey(conn, path);
    const types = async () => new Map((await rows(conn, "DESCRIBE survey")).map((r) => [String(r.column_name), String(r.column_type)]));
    await checkValues(conn, path, await types());
    await shiftAutonomyIndex(conn, path, columns, await types());
    const { items, dropped } = await selectItems(conn, path, columns, await types());

    // Deterministic from here on: one thread sums in the file's row order, so the same file
    // gives the same floating-point sums, and results come back sorted.
    await conn.run("SET threads = 1");
    await conn.run(`CREATE VIEW weighted AS SELECT *, rowid AS __row, CAST(gwght AS DOUBLE) * CAST(pwght AS DOUBLE) AS __w FROM survey`);
    const countries = await countriesOf(conn, options);
    const studiedCountries = new Set(countries.filter((c) => c.studied).map((c) => c.country));
    const keepLanguage = (l: string) => !options.languages || options.languages.includes(l) || l === "en";
    const minGroupSize = options.minGroupSize ?? MIN_GROUP_SIZE;
    const { groundTruth, suppressed } = await weightedShares(conn, items, { country: (c) => studiedCountries.has(c), language: keepLanguage }, minGroupSize);
    checkCells(groundTruth);

    // The survey's own self-consistency per studied country (docs/pipeline.md), and its split-half ceiling.
    const consistency = new Map<string, CountryConsistency>();
    for (const country of studiedCountries) consistency.set(country, await countryConsistency(conn, country, items, options));
    const skipped = [...consistency].flatMap(([country, c]) => c.skipped.map((s) => ({ country, ...s })));
    return {
      groundTruth,
      populations: populationRows(groundTruth, countries, consistency),
      items,
      dropped,
      countries,
      file: { name: basename(path), sha256: await sha256File(path), bytes: statSync(path).size, respondents: countries.reduce((a, c) => a + c.respondents, 0) },
      consistency: { draws: options.draws ?? DRAWS, drawSize: options.drawSize ?? DRAW_SIZE, skipped },
      suppressed: { minGroupSize, cells: suppressed },
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

interface CountryConsistency {
  consistency: number;
  splitHalf: number;
  /** Items with some valid answers, but fewer than a draw takes. */
  skipped: Array<{ item: string; n: number }>;
}

/**
 * Self-consistency of one country: draw `drawSize` respondents per item without
 * replacement, `draws` times; Pearson's r of the draws' weighted pro shares over all
 * pairs of draws of the same item, a draw with itself included. The country's answers
 * are fetched by column from DuckDB for the draws and discarded. An item with fewer valid
 * answers than a draw takes cannot be drawn without replacement: it is left out of the
 * country's r and listed in `skipped` (with its valid n). The country code is a parameter
 * of the query, never part of its text.
 */
async function countryConsistency(conn: DuckDBConnection, country: string, items: SurveyItem[], options: SurveyOptions): Promise<CountryConsistency> {
  const draws = options.draws ?? DRAWS;
  const size = options.drawSize ?? DRAW_SIZE;
  const skipped: CountryConsistency["skipped"] = [];
  if (items.length === 0) return { consistency: NaN, splitHalf: NaN, skipped };
  const reader = await conn.runAndReadAll(
    `SELECT __w, ${items.map((it) => quote(it.column)).join(", ")} FROM weighted WHERE CAST(cntry_AN AS VARCHAR) = $1 AND __w > 0 ORDER BY __row`,
    [country],
  );
  const cols = reader.getColumnsJS();
  if (!cols[0] || cols[0].length === 0) return { consistency: NaN, splitHalf: NaN, skipped };
  const w = (cols[0] as unknown[]).map(num);
  const rng = createRng(String(options.seed ?? 1), `survey-consistency/${country}`);
  const half = splitHalves(w.length, rng.fork("split-half"));
  const shareA: number[] = [];
  const shareB: number[] = [];
  const perItem: Float64Array[] = [];
  items.forEach((it, k) => {
    const answers = itemAnswers(proRule(it.maxCode, it.inverted), (cols[k + 1] as unknown[]).map(num), w, half);
    const { valid, halves } = answers;
    if (halves[0]!.w > 0 && halves[1]!.w > 0) {
      shareA.push(halves[0]!.p / halves[0]!.w);
      shareB.push(halves[1]!.p / halves[1]!.w);
    }
    if (valid.length < size) {
      if (valid.length > 0) skipped.push({ item: it.item, n: valid.length });
      return;
    }
    perItem.push(drawShares(rng.fork(`${it.column}/${hashString(it.column)}`), answers, w, draws, size));
  });
  return { consistency: pairsPearson(perItem), splitHalf: spearman(shareA, shareB), skipped };
}
