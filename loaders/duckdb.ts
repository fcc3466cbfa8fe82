/**
 * The SQL helpers the loaders share (survey microdata, workspace folders). Values from the file (country codes, paths)
 * travel as parameters, never inside SQL text; identifiers are the fixed required columns or
 * header names that passed `checkHeader` (printable, no control characters), quoted.
 */
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";

/** A quoted SQL identifier. Only for names without control characters (see `checkHeader`). */
export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Runs a query, with values as parameters ($1, $2, …), and returns its rows as plain objects. */
export async function rows(conn: DuckDBConnection, sql: string, values?: DuckDBValue[]): Promise<Array<Record<string, unknown>>> {
  const reader = await conn.runAndReadAll(sql, values);
  return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
}

/** A DuckDB value as a number (bigint → number, null → NaN). */
export const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : v === null || v === undefined ? NaN : Number(v));
