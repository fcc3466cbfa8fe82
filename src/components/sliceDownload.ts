/**
 * Downloads of the rows behind the current view, as CSV and as Parquet. Parquet is
 * written in the browser by parquetEncode.ts, loaded when a reader clicks.
 */
import { toCsv } from "../lib/csv.js";
import { lazyLink } from "./lazyLink.js";

export { lazyLink };

/** The rows as Parquet, encoded by a module loaded on demand. */
async function parquetBlob(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): Promise<Blob> {
  const { rowsToParquet } = await import("./parquetEncode.js");
  return new Blob([(await rowsToParquet(rows, columns)) as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" });
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
    lazyLink("Parquet", `${name}.parquet`, () => parquetBlob(rows, cols)),
  );
  return span;
}
