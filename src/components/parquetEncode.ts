/**
 * Parquet bytes written in the browser: rows or an Arrow table → parquet-wasm. A module of
 * its own, imported only when a reader asks for a Parquet download, so that no page loads
 * Apache Arrow or parquet-wasm before then.
 */
import * as Arrow from "npm:apache-arrow";
import { columnKind } from "../lib/columnKind.js";
import initParquet, { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "npm:parquet-wasm";

const wasmUrl = import.meta.resolve("npm:parquet-wasm/esm/parquet_wasm_bg.wasm");

/** Encodes rows as Parquet bytes (columns of numbers as float64, everything else, empty columns included, as text: columnKind). */
export async function rowsToParquet(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): Promise<Uint8Array> {
  await initParquet(wasmUrl);
  const vectors: Record<string, Arrow.Vector> = {};
  for (const c of columns) {
    const numeric = columnKind(rows, c) === "number";
    const values = rows.map((r) => (r[c] === undefined || r[c] === null ? null : numeric ? Number(r[c]) : String(r[c])));
    vectors[c] = Arrow.vectorFromArray(values, numeric ? new Arrow.Float64() : new Arrow.Utf8()) as Arrow.Vector;
  }
  const table = new Arrow.Table(vectors);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  return writeParquet(WasmTable.fromIPCStream(Arrow.tableToIPC(table, "stream")), props);
}

/** Encodes Arrow record batches (a DuckDB result) as Parquet bytes, with no row passing through JavaScript objects. */
export async function arrowToParquet(batches: Arrow.RecordBatch[]): Promise<Uint8Array> {
  await initParquet(wasmUrl);
  const table = new Arrow.Table(batches);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  return writeParquet(WasmTable.fromIPCStream(Arrow.tableToIPC(table, "stream")), props);
}
