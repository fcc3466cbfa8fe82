/**
 * Tables the site publishes, written by DuckDB where the source is a workspace folder:
 * the responses (and judgements) are copied file to file, ordered by model, language and
 * item in row groups of 10,000, so that DuckDB-WASM in the page reads only the row
 * groups and columns a slice needs (HTTP range requests), and no row passes through
 * JavaScript here.
 */
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { duckdbReadError, openWorkspaceDb } from "./workspaceDb.js";

const ORDER: Record<"responses" | "judgements", string> = {
  responses: "ORDER BY model, language, item",
  judgements: "ORDER BY judge, response_id",
};

/** Copies a folder's table to stdout as Parquet (an absent judgements file as no output: the caller writes an empty table). */
export async function copyFolderTable(dir: string, table: "responses" | "judgements"): Promise<void> {
  const source = join(dir, `${table}.parquet`);
  const scratch = mkdtempSync(join(tmpdir(), "mca-table-"));
  const target = join(scratch, `${table}.parquet`);
  const db = await openWorkspaceDb();
  try {
    await db.conn.run("SET preserve_insertion_order = false");
    await db.conn.run(
      `COPY (SELECT * FROM read_parquet($1) ${ORDER[table]}) TO '${target.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10000)`,
      [source],
    );
  } catch (error) {
    throw duckdbReadError(error, source);
  } finally {
    db.done();
  }
  try {
    await pipeline(createReadStream(target), process.stdout, { end: false });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
