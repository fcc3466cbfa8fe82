/**
 * Downloads of the rows behind the current view, as CSV and as Parquet. Parquet is
 * written in the browser: rows → Apache Arrow → parquet-wasm (the modules the site
 * already uses to read its tables).
 */
import * as Arrow from "npm:apache-arrow";
import initParquet, { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "npm:parquet-wasm";
import { toCsv } from "../lib/csv.js";
import { lazyLink } from "./lazyLink.js";

export { lazyLink };

const wasmUrl = import.meta.resolve("npm:parquet-wasm/esm/parquet_wasm_bg.wasm");

/** Encodes rows as Parquet bytes (numbers as float64, everything else as text). */
export async function rowsToParquet(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): Promise<Uint8Array> {
  await initParquet(wasmUrl);
  const vectors: Record<string, Arrow.Vector> = {};
  for (const c of columns) {
    const numeric = rows.length > 0 && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === "number");
    const values = rows.map((r) => (r[c] === undefined || r[c] === null ? null : numeric ? Number(r[c]) : String(r[c])));
    vectors[c] = Arrow.vectorFromArray(values, numeric ? new Arrow.Float64() : new Arrow.Utf8()) as Arrow.Vector;
  }
  const table = new Arrow.Table(vectors);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  return writeParquet(WasmTable.fromIPCStream(Arrow.tableToIPC(table, "stream")), props);
}

/** Encodes an Arrow table (a DuckDB result) as Parquet bytes, with no row passing through JavaScript objects. */
export async function arrowToParquet(table: Arrow.Table): Promise<Uint8Array> {
  await initParquet(wasmUrl);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  return writeParquet(WasmTable.fromIPCStream(Arrow.tableToIPC(table, "stream")), props);
}

/** "Download: CSV · Parquet" for rows, named `<name>.csv` and `<name>.parquet`. */
export function sliceDownload(rows: ReadonlyArray<Record<string, unknown>>, name: string, columns?: readonly string[]): HTMLElement {
  const cols = columns ?? (rows.length ? Object.keys(rows[0]!) : []);
  const span = document.createElement("span");
  span.className = "slice-download";
  span.append(
    `Download these ${rows.length.toLocaleString("en")} rows: `,
    lazyLink("CSV", `${name}.csv`, () => new Blob([toCsv(rows, cols)], { type: "text/csv" })),
    " · ",
    lazyLink("Parquet", `${name}.parquet`, async () => new Blob([(await rowsToParquet(rows, cols)) as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" })),
  );
  return span;
}
