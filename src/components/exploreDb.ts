/**
 * The page's one DuckDB-WASM (Explore's responses list and the SQL box share it): the
 * workspace database file (src/data/workspace.duckdb) is registered by URL and attached
 * read-only as `ws`, each table gets a view of its name, and then DuckDB is locked down
 * (sqlBox's LOCKDOWN). DuckDB reads the attached file with HTTP range requests, only the
 * blocks a query needs, so no table is downloaded whole. Nothing here runs before the
 * reader asks for the list or runs a query. Under another judge, `responses` is that
 * judge's (judgeResponsesSql); the stored table stays readable as `ws.responses`.
 */
import { lockedDatabase, type AsyncDuckDBLike, type ConnectionLike, type DuckDBClientLike, type SharedDatabase } from "./sqlBox.js";
import { judgeResponsesSql, sqlName } from "../lib/responseQueries.js";

/** DuckDB-WASM's DuckDBDataProtocol.HTTP. */
const HTTP = 4;
const FILE = "workspace.duckdb";

export interface WorkspaceDatabaseOptions {
  /** The database file's URL (FileAttachment(...).url()). */
  url: string | Promise<string>;
  /** The tables to offer as views (those with rows). */
  tables: readonly string[];
  /** Framework's DuckDBClient (the page's builtin); DuckDB's WebAssembly and worker load on its first `of`. */
  DuckDBClient: () => Promise<DuckDBClientLike>;
  /** The judge whose labels `responses` shows (null: the primary judge's, as stored). */
  judge?: string | null;
}

/** The stored responses table's columns. */
export async function responseColumns(connection: ConnectionLike): Promise<string[]> {
  const result = await connection.query(
    "SELECT column_name FROM duckdb_columns() WHERE database_name = 'ws' AND table_name = 'responses' ORDER BY column_index",
  );
  // DuckDB-WASM gives Arrow rows (plain objects through toJSON).
  return [...result].map((r) => String(((r as { toJSON?(): Record<string, unknown> }).toJSON?.() ?? (r as Record<string, unknown>)).column_name));
}

/** A table's view: the stored table, or for `responses` under another judge that judge's responses. */
async function viewSql(connection: ConnectionLike, table: string, judge: string | null | undefined): Promise<string> {
  if (table === "responses" && judge) return judgeResponsesSql(judge, await responseColumns(connection));
  return `SELECT * FROM ws.${sqlName(table)}`;
}

export function workspaceDatabase({ url, tables, DuckDBClient, judge }: WorkspaceDatabaseOptions): SharedDatabase {
  return lockedDatabase(
    async () => (await (await DuckDBClient()).of({}))._db,
    async (db: AsyncDuckDBLike, connection) => {
      const href = new URL(await url, location.href).href;
      await db.registerFileURL?.(FILE, href, HTTP, false);
      // DuckDB looks for a write-ahead log beside the file: an empty one, rather than a request that fails.
      await db.registerFileBuffer?.(`${FILE}.wal`, new Uint8Array(0));
      await connection.query(`ATTACH '${FILE}' AS ws (READ_ONLY)`);
      for (const t of tables) await connection.query(`CREATE VIEW ${sqlName(t)} AS ${await viewSql(connection, t, judge)}`);
    },
  );
}

/** Runs one query on a connection of its own. */
export async function queryDb(database: SharedDatabase, sql: string): Promise<Iterable<Record<string, unknown>> & { numRows: number }> {
  const db = await database.open();
  const connection = await db.connect();
  try {
    return (await connection.query(sql)) as unknown as Iterable<Record<string, unknown>> & { numRows: number };
  } finally {
    await connection.close();
  }
}
