/**
 * The page's one DuckDB-WASM (Explore's responses list and the SQL box share it): the
 * workspace database file (src/data/workspace.duckdb) is registered by URL and attached
 * read-only as `ws`, each table gets a view of its name, and then DuckDB is locked down
 * (sqlBox's LOCKDOWN). DuckDB reads the attached file with HTTP range requests, only the
 * blocks a query needs, so no table is downloaded whole. Nothing here runs before the
 * reader asks for the list or runs a query.
 */
import { lockedDatabase, type AsyncDuckDBLike, type DuckDBClientLike, type SharedDatabase } from "./sqlBox.js";
import { sqlName } from "../lib/responseQueries.js";

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
}

export function workspaceDatabase({ url, tables, DuckDBClient }: WorkspaceDatabaseOptions): SharedDatabase {
  return lockedDatabase(
    async () => (await (await DuckDBClient()).of({}))._db,
    async (db: AsyncDuckDBLike, connection) => {
      const href = new URL(await url, location.href).href;
      await db.registerFileURL?.(FILE, href, HTTP, false);
      // DuckDB looks for a write-ahead log beside the file: an empty one, rather than a request that fails.
      await db.registerFileBuffer?.(`${FILE}.wal`, new Uint8Array(0));
      await connection.query(`ATTACH '${FILE}' AS ws (READ_ONLY)`);
      for (const t of tables) await connection.query(`CREATE VIEW ${sqlName(t)} AS SELECT * FROM ws.${sqlName(t)}`);
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
