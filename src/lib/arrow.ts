/** The shape of an Apache Arrow table (as DuckDB-WASM's queries give), without importing Arrow. */

export interface ArrowLike {
  numRows: number;
  schema: { fields: Array<{ name: string }> };
  getChild(name: string): { get(i: number): unknown } | null;
}
