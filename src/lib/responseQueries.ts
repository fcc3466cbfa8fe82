/**
 * The SQL Explore sends to DuckDB-WASM for a slice's responses: the list (a few columns,
 * sorted, limited), one response in full (by its row number), and the whole slice for a
 * download. Filters are written as quoted literals (a quote inside a value is doubled),
 * from the reader's selections, which are checked against the workspace's own values.
 * Under another judge (`?judge=`) they read the responses as that judge labelled them.
 */
import type { Slice } from "./slice.js";
import { BASELINE_FAMILY, type ItemRow } from "./workspace.js";

/** The attached database's responses table (see src/components/exploreDb.ts). */
export const RESPONSES_TABLE = "ws.responses";
export const LIST_LIMIT = 500;
/** The order of the list and the downloads (the file's own order). */
const ORDER = "ORDER BY model, language, item, rowid";

export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
export const sqlName = (s: string): string => `"${s.replace(/"/g, '""')}"`;

const inList = (column: string, values: readonly string[]) => `${column} IN (${values.map(sqlString).join(", ")})`;

/** The items a slice keeps (its item and category filters together), or null for every item. */
export function sliceItems(slice: Pick<Slice, "items" | "categories">, items: readonly Pick<ItemRow, "item" | "category">[]): string[] | null {
  if (!slice.categories.length) return slice.items.length ? [...slice.items] : null;
  const inCategory = items.filter((i) => slice.categories.includes(i.category)).map((i) => i.item);
  return slice.items.length ? inCategory.filter((i) => slice.items.includes(i)) : inCategory;
}

/** The WHERE clause of a slice ("" for every response; `FALSE` when its filters leave no item). */
export function sliceWhere(slice: Omit<Slice, "countries">, items: readonly Pick<ItemRow, "item" | "category">[]): string {
  const parts: string[] = [];
  if (slice.models.length) parts.push(inList("model", slice.models));
  if (slice.families.length) parts.push(inList("family", slice.families));
  if (slice.languages.length) parts.push(inList("language", slice.languages));
  const kept = sliceItems(slice, items);
  if (kept) parts.push(kept.length ? inList("item", kept) : "FALSE");
  return parts.length ? `WHERE ${parts.join(" AND ")}` : "";
}

/**
 * The responses as `judge` labelled them, from the attached database (what withJudge gives
 * for rows): that judge's labels, VPS and detected language (the stored one where it gave
 * none) on each response it judged, joined by response_id; responses it did not judge are
 * left out, the baselines (which no judge reads) kept as stored. `columns` are the stored
 * responses table's; with `rowid`, each row keeps its row number in it as `rowid`.
 */
export function judgeResponsesSql(judge: string, columns: readonly string[], options: { rowid?: boolean } = {}): string {
  const hasLabels = columns.includes("labels");
  const replaced = ["j.vps AS vps", "coalesce(j.response_language, r.response_language) AS response_language", ...(hasLabels ? ["j.labels AS labels"] : [])];
  const added = [...(hasLabels ? [] : ["j.labels AS labels"]), ...(options.rowid ? ["r.rowid AS rowid"] : [])].map((c) => `, ${c}`).join("");
  const judged =
    `SELECT r.* REPLACE (${replaced.join(", ")})${added} FROM ${RESPONSES_TABLE} r ` +
    `JOIN ws.judgements j ON j.response_id = r.response_id AND j.judge = ${sqlString(judge)} WHERE r.family <> ${sqlString(BASELINE_FAMILY)}`;
  const baselines = `SELECT *${options.rowid ? ", rowid AS rowid" : ""} FROM ${RESPONSES_TABLE} WHERE family = ${sqlString(BASELINE_FAMILY)}`;
  return `${judged} UNION ALL BY NAME ${baselines}`;
}

/** Where the list, a response and the downloads read: the stored responses, or `judge`'s (see judgeResponsesSql). */
export interface ResponsesSource {
  from: string;
  /** The columns a row read in full leaves out (the row number a judge's responses carry). */
  hidden: string;
}

export function responsesSource(judge: string | null, columns: readonly string[]): ResponsesSource {
  if (!judge) return { from: RESPONSES_TABLE, hidden: "" };
  return { from: `(${judgeResponsesSql(judge, columns, { rowid: true })}) AS responses`, hidden: " EXCLUDE (rowid)" };
}

const STORED: ResponsesSource = { from: RESPONSES_TABLE, hidden: "" };

/** The list: the columns shown (the row number first, as `row`), sorted, at most `limit` rows. */
export function listSql(where: string, columns: readonly string[], limit = LIST_LIMIT, source = STORED): string {
  return `SELECT rowid AS "row", ${columns.map(sqlName).join(", ")} FROM ${source.from} ${where} ${ORDER} LIMIT ${Math.floor(limit)}`;
}

/** One response in full, by its row number (model, language and item let DuckDB skip the other row groups). */
export function detailSql(row: { row: number | bigint; model: string; language: string; item: string }, source = STORED): string {
  const n = BigInt(row.row);
  return `SELECT *${source.hidden} FROM ${source.from} WHERE model = ${sqlString(row.model)} AND language = ${sqlString(row.language)} AND item = ${sqlString(row.item)} AND rowid = ${n}`;
}

/** Every response of the slice, every column, for a download. */
export function downloadSql(where: string, source = STORED): string {
  return `SELECT *${source.hidden} FROM ${source.from} ${where} ${ORDER}`;
}
