/**
 * Plain row objects from an Apache Arrow table (as FileAttachment.parquet() gives),
 * without importing Arrow: bigint cells become numbers.
 */

export interface ArrowLike {
  numRows: number;
  schema: { fields: Array<{ name: string }> };
  getChild(name: string): { get(i: number): unknown } | null;
}

export function rowsOf<T = Record<string, unknown>>(table: ArrowLike): T[] {
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((n) => table.getChild(n)!);
  const out: T[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (let k = 0; k < names.length; k++) {
      const v = cols[k]!.get(i);
      row[names[k]!] = typeof v === "bigint" ? Number(v) : v;
    }
    out.push(row as T);
  }
  return out;
}
