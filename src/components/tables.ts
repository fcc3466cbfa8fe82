/**
 * The URLs of the published Parquet tables, for downloads. No page decodes them: Explore and
 * Data & methods query rows with DuckDB-WASM, and Framework would preload Apache Arrow and
 * parquet-wasm (about 240 KB of JavaScript) on every page that can reach a `.parquet()`
 * call, so none is made.
 */
import { FileAttachment } from "observablehq:stdlib";
import type { OptionalTableName, TableName } from "../lib/workspace.js";

export type SiteTable = TableName | OptionalTableName;

/** The URL of a table's Parquet file (for downloads). */
export function tableUrl(table: SiteTable): Promise<string> {
  const files: Record<SiteTable, () => Promise<string>> = {
    responses: () => FileAttachment("../data/responses.parquet").url(),
    ground_truth: () => FileAttachment("../data/ground_truth.parquet").url(),
    benchmarks: () => FileAttachment("../data/benchmarks.parquet").url(),
    models: () => FileAttachment("../data/models.parquet").url(),
    items: () => FileAttachment("../data/items.parquet").url(),
    populations: () => FileAttachment("../data/populations.parquet").url(),
    provenance: () => FileAttachment("../data/provenance.parquet").url(),
    judgements: () => FileAttachment("../data/judgements.parquet").url(),
    personas: () => FileAttachment("../data/personas.parquet").url(),
  };
  return files[table]();
}
