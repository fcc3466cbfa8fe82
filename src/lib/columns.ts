/**
 * Tables as columns in JSON: one array per column instead of one object per row, so the
 * site's analysis workspace is a small file that parses fast in the page, with no
 * Parquet decoder to load.
 */

export interface ColumnTable {
  length: number;
  columns: Record<string, unknown[]>;
}

/** Rows to columns; every column any row has, absent values as null. */
export function toColumns(rows: ReadonlyArray<object>): ColumnTable {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columns: Record<string, unknown[]> = {};
  for (const name of names) columns[name] = rows.map((r) => (r as Record<string, unknown>)[name] ?? null);
  return { length: rows.length, columns };
}

/** Columns back to rows. Throws on a column whose length differs from the table's. */
export function fromColumns<T>(table: ColumnTable, name = "table"): T[] {
  const entries = Object.entries(table.columns);
  for (const [column, values] of entries) {
    if (values.length !== table.length) throw new Error(`${name}: column "${column}" has ${values.length} values for ${table.length} rows`);
  }
  return Array.from({ length: table.length }, (_, i) => Object.fromEntries(entries.map(([column, values]) => [column, values[i]])) as T);
}
