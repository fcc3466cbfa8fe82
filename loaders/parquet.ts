/**
 * Parquet for workspace tables, in Node: rows → Apache Arrow → parquet-wasm, and
 * back. The site decodes the same files in the browser with parquet-wasm.
 */
import { Bool, Float64, Int32, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import * as parquet from "parquet-wasm";

export type ColumnType = "string" | "float64" | "int32" | "bool";
export type TableSchema = ReadonlyArray<readonly [name: string, type: ColumnType]>;

const ARROW_TYPES: Record<ColumnType, () => DataType> = {
  string: () => new Utf8(),
  float64: () => new Float64(),
  int32: () => new Int32(),
  bool: () => new Bool(),
};

function cell(value: unknown, type: ColumnType, column: string, index: number): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "string":
      return String(value);
    case "float64":
    case "int32": {
      const n = typeof value === "number" ? value : Number(value);
      if (Number.isNaN(n)) return null;
      if (type === "int32" && !Number.isInteger(n)) throw new Error(`Column "${column}", row ${index + 1}: ${value} is not an integer`);
      return n;
    }
    case "bool":
      return Boolean(value);
  }
}

/** Builds an Arrow table with a fixed schema (absent values become nulls). */
export function toArrow(rows: ReadonlyArray<Record<string, unknown>>, schema: TableSchema): Table {
  const columns: Record<string, Vector> = {};
  for (const [name, type] of schema) {
    const values = rows.map((r, i) => cell(r[name], type, name, i));
    columns[name] = vectorFromArray(values, ARROW_TYPES[type]()) as Vector;
  }
  return new Table(columns);
}

/** Encodes rows as Parquet (Snappy-compressed). */
export function writeParquet(rows: ReadonlyArray<Record<string, unknown>>, schema: TableSchema): Uint8Array {
  const ipc = tableToIPC(toArrow(rows, schema), "stream");
  const wasmTable = parquet.Table.fromIPCStream(ipc);
  const props = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.SNAPPY)
    .setCreatedBy("multicultural-alignment-workspace")
    .build();
  return parquet.writeParquet(wasmTable, props);
}

/** Decodes Parquet into plain row objects (bigint → number, nulls kept). */
export function readParquet(bytes: Uint8Array): Array<Record<string, unknown>> {
  const table = tableFromIPC(parquet.readParquet(bytes).intoIPCStream());
  const names = table.schema.fields.map((f) => f.name);
  const out: Array<Record<string, unknown>> = [];
  const cols = names.map((n) => table.getChild(n)!);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    names.forEach((n, k) => {
      const v = cols[k]!.get(i);
      row[n] = typeof v === "bigint" ? Number(v) : v;
    });
    out.push(row);
  }
  return out;
}
