/**
 * The type a downloaded column is written with: numbers only where the column holds numbers
 * and nothing else. A column with no value at all (every row null, as a slice's empty text
 * column can be) is text: typed as numbers, it could not be joined with the same column of
 * a source that has text in it.
 */
export type ColumnKind = "number" | "text";

export function columnKind(rows: ReadonlyArray<Record<string, unknown>>, column: string): ColumnKind {
  let numbers = 0;
  for (const row of rows) {
    const v = row[column];
    if (v === null || v === undefined) continue;
    if (typeof v !== "number") return "text";
    numbers++;
  }
  return numbers > 0 ? "number" : "text";
}
