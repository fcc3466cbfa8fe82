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

async function csvBlob(database: SharedDatabase, sql: string): Promise<Blob> {
  const parts: string[] = [];
  for (const batch of await batches(database, sql)) {
    const names = batch.schema.fields.map((f) => f.name);
    if (!parts.length) parts.push(`${csvLine(names)}\r\n`);
    const columns = names.map((_, i) => batch.getChildAt(i)!);
    const lines: string[] = [];
    for (let j = 0; j < batch.numRows; j++) lines.push(csvLine(columns.map((c) => c.get(j))));
    parts.push(`${lines.join("\r\n")}\r\n`);
  }
  return new Blob(parts, { type: "text/csv" });
}

async function parquetBlob(database: SharedDatabase, sql: string): Promise<Blob> {
  const { arrowToParquet } = await import("./parquetEncode.js");
  return new Blob([(await arrowToParquet(await batches(database, sql))) as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" });
}

/** "CSV · Parquet" links to a query's result, saved as `name`.csv and `name`.parquet. */
export function queryDownloads(
  database: SharedDatabase,
  sql: string,
  name: string,
  formats: ReadonlyArray<"csv" | "parquet"> = ["csv", "parquet"],
): DocumentFragment {
  const out = document.createDocumentFragment();
  formats.forEach((format, i) => {
    if (i) out.append(" · ");
    out.append(
      format === "csv"
        ? lazyLink("CSV", `${name}.csv`, () => csvBlob(database, sql))
        : lazyLink("Parquet", `${name}.parquet`, () => parquetBlob(database, sql)),
    );
  });
  return out;
}
