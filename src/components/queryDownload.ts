/**
 * Downloads of a query's result, run through the page's DuckDB when the reader clicks:
 * CSV (written from Arrow batches, with the formula guard of src/lib/csv.ts) or Parquet.
 * No table is held in the page as row objects.
 */
import type * as Arrow from "npm:apache-arrow";
import { csvLine } from "../lib/csv.js";
import { lazyLink } from "./lazyLink.js";
import type { SharedDatabase } from "./sqlBox.js";

async function batches(database: SharedDatabase, sql: string): Promise<Arrow.RecordBatch[]> {
  const db = await database.open();
  const connection = await db.connect();
  try {
    const out: Arrow.RecordBatch[] = [];
    for await (const batch of await connection.send(sql)) out.push(batch);
    return out;
  } finally {
    await connection.close();
  }
}

function csvBlob(batches: readonly Arrow.RecordBatch[]): Blob {
  const parts: string[] = [];
  for (const batch of batches) {
    const names = batch.schema.fields.map((f) => f.name);
    if (!parts.length) parts.push(`${csvLine(names)}\r\n`);
    const columns = names.map((_, i) => batch.getChildAt(i)!);
    const lines: string[] = [];
    for (let j = 0; j < batch.numRows; j++) lines.push(csvLine(columns.map((c) => c.get(j))));
    parts.push(`${lines.join("\r\n")}\r\n`);
  }
  return new Blob(parts, { type: "text/csv" });
}

async function parquetBlob(batches: Arrow.RecordBatch[]): Promise<Blob> {
  const { arrowToParquet } = await import("./parquetEncode.js");
  return new Blob([(await arrowToParquet(batches)) as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" });
}

type Format = "csv" | "parquet";

/** "CSV · Parquet" links, each writing the batches `get` gives when clicked, saved as `name`.csv and `name`.parquet. */
function downloadLinks(get: () => Promise<Arrow.RecordBatch[]>, name: string, formats: readonly Format[]): DocumentFragment {
  const out = document.createDocumentFragment();
  formats.forEach((format, i) => {
    if (i) out.append(" · ");
    out.append(
      format === "csv"
        ? lazyLink("CSV", `${name}.csv`, async () => csvBlob(await get()))
        : lazyLink("Parquet", `${name}.parquet`, async () => parquetBlob(await get())),
    );
  });
  return out;
}

/** "CSV · Parquet" links to a query's result, run when clicked. */
export function queryDownloads(database: SharedDatabase, sql: string, name: string, formats: readonly Format[] = ["csv", "parquet"]): DocumentFragment {
  return downloadLinks(() => batches(database, sql), name, formats);
}

/** "CSV · Parquet" links to a result already in the page (the SQL box's), with its column types as DuckDB gave them. */
export function resultDownloads(result: { batches: Arrow.RecordBatch[] }, name: string): DocumentFragment {
  return downloadLinks(async () => result.batches, name, ["csv", "parquet"]);
}
