/**
 * A workspace folder read through DuckDB: the small tables whole, the responses
 * aggregated in SQL to what the analyses read (src/lib/aggregate.ts), so that reading
 * a million responses costs memory for the cells, not for the rows and their text. Only
 * the columns the aggregation needs are read from responses.parquet.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { AGGREGATE_COLUMNS, aggregatePersonas, compareAggregated } from "../src/lib/aggregate.js";
import { INTERVIEW_SIZE_SQL } from "../src/lib/interviews.js";
import {
  BASELINE_FAMILY,
  checkPersonas,
  REQUIRED_COLUMNS,
  TABLES,
  validateWorkspace,
  type PersonaRow,
  type ResponseRow,
  type TableName,
  type Workspace,
} from "../src/lib/workspace.js";
import { quote, rows } from "./duckdb.js";
import { checkWorkspaceFolder } from "./workspaceFiles.js";

/** The error for a file DuckDB could not read: out of memory, or not Parquet, naming the file either way. */
export function duckdbReadError(error: unknown, file: string): Error {
  const message = ((error as Error)?.message ?? String(error)).split("\n")[0]!;
  const bytes = existsSync(file) ? statSync(file).size : 0;
  if (/out of memory|could not allocate|memory limit/i.test(message)) {
    return new Error(
      `${file} (${bytes} bytes) does not fit in the memory DuckDB may use (${message}). The responses are aggregated in SQL, so this ` +
        `happens only when the cells themselves are too many: raise DuckDB's limit with MCA_DUCKDB_MEMORY (e.g. 8GB), or split the workspace ` +
        `into smaller ones (fewer models or languages each).`,
      { cause: error },
    );
  }
  return new Error(
    `${file}: not a readable Parquet file (damaged, cut short or not Parquet: ${message}). Write it again (rerun the command that made it) or restore it from a copy.`,
    {
      cause: error,
    },
  );
}

/** A DuckDB connection for reading a workspace; closed by `done`. */
export async function openWorkspaceDb(): Promise<{ conn: DuckDBConnection; done(): void }> {
  const instance = await DuckDBInstance.create(":memory:", { memory_limit: process.env.MCA_DUCKDB_MEMORY ?? "4GB" });
  const conn = await instance.connect();
  return {
    conn,
    done() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** The column names of a Parquet file. */
export async function columnsOf(conn: DuckDBConnection, file: string): Promise<string[]> {
  try {
    return (await rows(conn, "SELECT name FROM parquet_schema($1) WHERE name <> 'schema' AND num_children IS NULL", [file])).map((r) => String(r.name));
  } catch (error) {
    throw duckdbReadError(error, file);
  }
}

/** Plain JS values: bigint → number, everything else as DuckDB gives it. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) if (typeof v === "bigint") row[k] = Number(v);
  return row;
}

/** One table read whole (for the small tables). */
export async function readTable(conn: DuckDBConnection, file: string): Promise<Array<Record<string, unknown>>> {
  try {
    return (await rows(conn, "SELECT * FROM read_parquet($1)", [file])).map(plain);
  } catch (error) {
    throw duckdbReadError(error, file);
  }
}

/** The responses aggregated in SQL, in the canonical order; only the columns the aggregation needs are read. */
export async function readAggregatedResponses(conn: DuckDBConnection, file: string): Promise<ResponseRow[]> {
  const columns = await columnsOf(conn, file);
  const missing = REQUIRED_COLUMNS.responses.filter((c) => !columns.includes(c));
  if (missing.length) throw new Error(`${file}: missing column ${missing.map((c) => `"${c}"`).join(", ")} (found: ${columns.join(", ")})`);
  const size = columns.includes("interview_size") ? "interview_size" : columns.includes("labels") ? INTERVIEW_SIZE_SQL : "NULL";
  const count = columns.includes("count") ? "sum(count)" : "count(*)";
  const keys = AGGREGATE_COLUMNS.filter((c) => c !== "count" && c !== "interview_size").map(quote);
  const sql = `SELECT ${keys.join(", ")}, CAST(${size} AS INTEGER) AS interview_size, CAST(${count} AS BIGINT) AS count FROM read_parquet($1) GROUP BY ALL`;
  try {
    const out = (await rows(conn, sql, [file])).map((r) => ({ ...plain(r), template_id: null, topic_id: null, prompt: null }) as unknown as ResponseRow);
    return out.sort(compareAggregated);
  } catch (error) {
    throw duckdbReadError(error, file);
  }
}

/** A folder's personas rows, checked as read (a missing column shows before aggregation hides it), then aggregated. */
function checkedPersonas(raw: PersonaRow[], file: string): PersonaRow[] {
  const problems = checkPersonas(raw, file);
  if (problems.length) throw new Error(`Invalid workspace:\n  - ${problems.join("\n  - ")}`);
  return aggregatePersonas(raw);
}

/**
 * Reads a workspace folder with its responses aggregated. Errors name a missing file, a
 * missing column, or a file that is damaged or does not fit in memory.
 */
export async function readAggregatedWorkspace(dir: string): Promise<Workspace> {
  checkWorkspaceFolder(dir);
  const db = await openWorkspaceDb();
  try {
    const ws = {} as Record<TableName | "personas", unknown>;
    for (const table of TABLES) {
      const file = join(dir, `${table}.parquet`);
      ws[table] = table === "responses" ? await readAggregatedResponses(db.conn, file) : await readTable(db.conn, file);
    }
    // The optional personas table is small (one prompt template's responses): read whole, then aggregated.
    const personas = join(dir, "personas.parquet");
    if (existsSync(personas)) ws.personas = checkedPersonas((await readTable(db.conn, personas)) as unknown as PersonaRow[], personas);
    validateWorkspace(ws as unknown as Workspace, dir);
    return ws as unknown as Workspace;
  } finally {
    db.done();
  }
}

/**
 * The responses as another judge labelled them, aggregated (what `withJudge` gives for
 * rows): that judge's VPS, labels and detected language; responses the judge did not
 * label are left out, the baselines (which no judge reads) kept as they are.
 */
export async function readJudgeResponses(conn: DuckDBConnection, dir: string, judge: string): Promise<ResponseRow[]> {
  const responses = join(dir, "responses.parquet");
  const judgements = join(dir, "judgements.parquet");
  const size = INTERVIEW_SIZE_SQL.replace(/labels/g, "j.labels");
  const sql =
    `SELECT r.model, r.family, r.language, r.item, coalesce(j.response_language, r.response_language) AS response_language, j.vps, ` +
    `CAST(${size} AS INTEGER) AS interview_size, CAST(count(*) AS BIGINT) AS count ` +
    `FROM read_parquet($1) r JOIN read_parquet($2) j ON j.response_id = r.response_id AND j.judge = $3 WHERE r.family <> $4 GROUP BY ALL`;
  try {
    const judged = await rows(conn, sql, [responses, judgements, judge, BASELINE_FAMILY]);
    const baselines = (await readAggregatedResponses(conn, responses)).filter((r) => r.family === BASELINE_FAMILY);
    const out = judged.map((r) => ({ ...plain(r), template_id: null, topic_id: null, prompt: null }) as unknown as ResponseRow);
    return [...out, ...baselines].sort(compareAggregated);
  } catch (error) {
    throw duckdbReadError(error, judgements);
  }
}

/** The judges of a folder's judgements table (none without one). */
export async function folderJudges(conn: DuckDBConnection, dir: string): Promise<string[]> {
  const file = join(dir, "judgements.parquet");
  if (!existsSync(file)) return [];
  try {
    return (await rows(conn, "SELECT DISTINCT judge FROM read_parquet($1) ORDER BY judge", [file])).map((r) => String(r.judge));
  } catch (error) {
    throw duckdbReadError(error, file);
  }
}

/** Rows of a folder's judgements table (0 without one). */
export async function folderJudgementRows(conn: DuckDBConnection, dir: string): Promise<number> {
  const file = join(dir, "judgements.parquet");
  if (!existsSync(file)) return 0;
  try {
    return Number((await rows(conn, "SELECT count(*) AS n FROM read_parquet($1)", [file]))[0]!.n);
  } catch (error) {
    throw duckdbReadError(error, file);
  }
}
