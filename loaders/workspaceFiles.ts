/**
 * A workspace on disk: one Parquet file per table (docs/data-sources.md), named after the
 * table, in one folder.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OPTIONAL_TABLES, TABLES, validateWorkspace, type OptionalTableName, type TableName, type Workspace } from "../src/lib/workspace.js";
import { readParquetFile, writeParquet, type TableSchema } from "./parquet.js";

export const SCHEMAS: Record<TableName | OptionalTableName, TableSchema> = {
  responses: [
    ["model", "string"],
    ["family", "string"],
    ["language", "string"],
    ["item", "string"],
    ["template_id", "string"],
    ["topic_id", "string"],
    ["prompt", "string"],
    ["response_text", "string"],
    ["labels", "string"],
    ["response_language", "string"],
    ["vps", "float64"],
    ["response_id", "string"],
  ],
  ground_truth: [
    ["level", "string"],
    ["population", "string"],
    ["item", "string"],
    ["pro_score", "float64"],
    ["n", "float64"],
  ],
  benchmarks: [
    ["model", "string"],
    ["benchmark", "string"],
    ["language", "string"],
    ["score", "float64"],
  ],
  models: [
    ["model", "string"],
    ["display_name", "string"],
    ["family", "string"],
    ["size", "float64"],
  ],
  items: [
    ["item", "string"],
    ["name", "string"],
    ["category", "string"],
    ["pro_statement", "string"],
    ["con_statement", "string"],
  ],
  populations: [
    ["level", "string"],
    ["population", "string"],
    ["language", "string"],
    ["survey_consistency", "float64"],
    ["survey_split_half", "float64"],
  ],
  provenance: [
    ["key", "string"],
    ["value", "string"],
  ],
  judgements: [
    ["response_id", "string"],
    ["judge", "string"],
    ["labels", "string"],
    ["response_language", "string"],
    ["vps", "float64"],
  ],
  personas: [
    ["model", "string"],
    ["language", "string"],
    ["item", "string"],
    ["country", "string"],
    ["congruent", "bool"],
    ["vps", "float64"],
    ["interview_size", "int32"],
    ["count", "int32"],
  ],
};

/** Encodes one table of a workspace as Parquet (an absent optional table as an empty one). */
export function tableParquet(ws: Workspace, table: TableName | OptionalTableName): Uint8Array {
  return writeParquet((ws[table] ?? []) as unknown as Array<Record<string, unknown>>, SCHEMAS[table]);
}

/** Writes a file atomically: a crash or a bad input never leaves half a file. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new Error(`${path}: could not write the file (${(error as Error).message}); the previous file, if any, is unchanged.`, { cause: error });
  }
}

/** Writes every table into a folder (atomically per file); optional tables only when present. */
export function writeWorkspace(ws: Workspace, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const table of TABLES) writeFileAtomic(join(dir, `${table}.parquet`), tableParquet(ws, table));
  for (const table of OPTIONAL_TABLES) if (ws[table]?.length) writeFileAtomic(join(dir, `${table}.parquet`), tableParquet(ws, table));
}

/** Throws when the folder or one of its table files is missing, naming them. */
export function checkWorkspaceFolder(dir: string): void {
  if (!existsSync(dir)) throw new Error(`Workspace folder ${dir} does not exist`);
  const missing = TABLES.filter((t) => !existsSync(join(dir, `${t}.parquet`)));
  if (missing.length) {
    throw new Error(
      `Workspace folder ${dir} is missing ${missing.map((t) => `${t}.parquet`).join(", ")}. ` +
        `A workspace holds one Parquet file per table: ${TABLES.map((t) => `${t}.parquet`).join(", ")}.`,
    );
  }
}

/** Reads a workspace folder; errors name a missing file or a bad column. */
export function readWorkspace(dir: string): Workspace {
  checkWorkspaceFolder(dir);
  // Errors name the file, and tell a damaged file from one too large for the reader's memory.
  const ws = {} as Record<TableName, unknown>;
  for (const table of TABLES) ws[table] = readParquetFile(join(dir, `${table}.parquet`));
  for (const table of OPTIONAL_TABLES) {
    const path = join(dir, `${table}.parquet`);
    if (existsSync(path)) ws[table as TableName] = readParquetFile(path);
  }
  validateWorkspace(ws as unknown as Workspace, dir);
  return ws as unknown as Workspace;
}
