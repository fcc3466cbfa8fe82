/**
 * Parquet for workspace tables, in Node: rows → Apache Arrow → parquet-wasm, and
 * back. The site decodes the same files in the browser with parquet-wasm.
 */
import { Bool, Float64, Int32, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import { readFileSync, statSync } from "node:fs";
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
  const props = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).setCreatedBy("multicultural-alignment-workspace").build();
  return parquet.writeParquet(wasmTable, props);
}

/**
 * Whether an error of the WebAssembly reader means it ran out of memory: a RangeError (memory
 * that could not grow, or a buffer that could not be allocated) or a trap ("unreachable", how
 * the reader aborts when an allocation fails).
 */
export function isOutOfMemory(error: unknown): boolean {
  const message = (error as Error)?.message ?? "";
  if (error instanceof RangeError) return true;
  if (error instanceof WebAssembly.RuntimeError) return /unreachable|out of memory|memory access out of bounds/i.test(message);
  return /out of memory|memory allocation of \d+ bytes failed|Maximum memory size|Array buffer allocation failed/i.test(message);
}

/** The error for a Parquet file (or bytes) that could not be read: out of memory, or damaged, naming it either way. */
export function parquetReadError(error: unknown, file: string, bytes: number): Error {
  const message = (error as Error)?.message ?? String(error);
  if (isOutOfMemory(error)) {
    const trap =
      error instanceof WebAssembly.RuntimeError
        ? ` (a WebAssembly trap, "${message}", which is how it stops when memory runs out; a small file that does this may instead be damaged: write it again)`
        : ` (${message})`;
    return new Error(
      `${file} (${bytes} bytes) does not fit in the memory of the Parquet reader (WebAssembly, at most 4 GiB)${trap}. ` +
        `This is a limit of the reader, not a sign the file is damaged. Split the workspace into smaller ones (fewer models or languages each), ` +
        `or write it without columns you do not need (such as response_text), then read it again.`,
      { cause: error },
    );
  }
  return new Error(
    `${file}: not a readable Parquet file (damaged, cut short or not Parquet: ${message.split("\n")[0]}). ` +
      `Write it again (rerun the command that made it) or restore it from a copy.`,
    { cause: error },
  );
}

/** Decodes Parquet into plain row objects (bigint → number, nulls kept). `file` names the source in errors. */
export function readParquet(bytes: Uint8Array, file = "Parquet data"): Array<Record<string, unknown>> {
  let table: Table;
  try {
    table = tableFromIPC(parquet.readParquet(bytes).intoIPCStream());
  } catch (error) {
    throw parquetReadError(error, file, bytes.length);
  }
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

/** Reads a Parquet file into row objects; errors name the file, and say whether it is damaged or too large for memory. */
export function readParquetFile(path: string): Array<Record<string, unknown>> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`${path}: no such file`, { cause: error });
    if (code === "ERR_FS_FILE_TOO_LARGE" || isOutOfMemory(error)) throw parquetReadError(new RangeError((error as Error).message), path, statSync(path).size);
    throw new Error(`${path}: could not read the file (${(error as Error).message})`, { cause: error });
  }
  return readParquet(bytes, path);
}
