/**
 * The workspace as one DuckDB database file, for DuckDB-WASM in the page (Explore's
 * responses list and the SQL box). DuckDB-WASM 1.29 reads Parquet only through its
 * parquet extension, which it fetches from DuckDB's extension server at run time (the
 * site makes no request outside itself, and builds offline); its own database format is
 * built in. The page attaches this file by URL (HTTP range requests: only the blocks a
 * query needs) before DuckDB is locked down, and queries it after.
 *
 * The responses are ordered by model, language and item, so a slice's filters skip most
 * row groups (zone maps). The file is written in storage version 1.0, which DuckDB-WASM's
 * DuckDB 1.1 reads.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { OPTIONAL_TABLES, TABLES } from "../src/lib/workspace.js";
import { configuredSource } from "./sources/index.js";
import { duckdbReadError, openWorkspaceDb } from "./workspaceDb.js";
import { tableParquet } from "./workspaceFiles.js";

export const SITE_TABLES = [...TABLES, ...OPTIONAL_TABLES] as const;
const ORDER: Partial<Record<(typeof SITE_TABLES)[number], string>> = {
  responses: "ORDER BY model, language, item",
  judgements: "ORDER BY judge, response_id",
};
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Writes the database to `target`: a folder's tables file to file, another source's from its rows. */
export async function writeWorkspaceDuckDb(target: string): Promise<void> {
  const { spec, workspace } = await configuredSource();
  const scratch = mkdtempSync(join(tmpdir(), "mca-duckdb-"));
  const db = await openWorkspaceDb();
  try {
    await db.conn.run(`ATTACH ${sqlString(target)} AS site (STORAGE_VERSION 'v1.0.0')`);
    await db.conn.run("SET preserve_insertion_order = true");
    for (const table of SITE_TABLES) {
      let file = spec.kind === "workspace" ? join(spec.dir, `${table}.parquet`) : "";
      if (!file || !existsSync(file)) {
        file = join(scratch, `${table}.parquet`);
        writeFileSync(file, tableParquet(workspace, table));
      }
      try {
        await db.conn.run(`CREATE TABLE site.${table} AS SELECT * FROM read_parquet(${sqlString(file)}) ${ORDER[table] ?? ""}`);
      } catch (error) {
        throw duckdbReadError(error, file);
      }
    }
    await db.conn.run("DETACH site");
  } finally {
    db.done();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the database to stdout (the data loader src/data/workspace.duckdb.ts). */
export async function writeWorkspaceDuckDbToStdout(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "mca-duckdb-out-"));
  const target = join(scratch, "workspace.duckdb");
  try {
    await writeWorkspaceDuckDb(target);
    await pipeline(createReadStream(target), process.stdout, { end: false });
  } catch (error) {
    console.error(`\nworkspace.duckdb: ${(error as Error).message}\n`);
    process.exit(1);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
