/**
 * Page-side loading of the workspace tables: Parquet files written by the data
 * loaders in src/data/, decoded in the browser with parquet-wasm.
 */
import { FileAttachment } from "observablehq:stdlib";
import { rowsOf, type ArrowLike } from "../lib/arrow.js";
import type { PublishedMixedLm } from "../lib/published.js";
import type { TableName, Workspace } from "../lib/workspace.js";

export interface SourceSummary {
  source: string;
  label: string;
  description: string;
  /** Simulated data (the demo or a simulated run): every page says so. */
  simulated?: boolean;
  /** Why an unset source fell back to the demo. */
  fallback?: string | null;
  publishedRq1: PublishedMixedLm | null;
}

/** The Arrow tables, for DuckDB-WASM and downloads. */
export async function loadTables(): Promise<Record<TableName, ArrowLike>> {
  const [responses, ground_truth, benchmarks, models, items, populations, provenance] = await Promise.all([
    FileAttachment("../data/responses.parquet").parquet(),
    FileAttachment("../data/ground_truth.parquet").parquet(),
    FileAttachment("../data/benchmarks.parquet").parquet(),
    FileAttachment("../data/models.parquet").parquet(),
    FileAttachment("../data/items.parquet").parquet(),
    FileAttachment("../data/populations.parquet").parquet(),
    FileAttachment("../data/provenance.parquet").parquet(),
  ]);
  return { responses, ground_truth, benchmarks, models, items, populations, provenance };
}

/** The workspace as plain rows. */
export function toWorkspace(tables: Record<TableName, ArrowLike>): Workspace {
  return {
    responses: rowsOf(tables.responses),
    ground_truth: rowsOf(tables.ground_truth),
    benchmarks: rowsOf(tables.benchmarks),
    models: rowsOf(tables.models),
    items: rowsOf(tables.items),
    populations: rowsOf(tables.populations),
    provenance: rowsOf(tables.provenance),
  };
}

export async function loadSourceSummary(): Promise<SourceSummary> {
  return (await FileAttachment("../data/source.json").json()) as SourceSummary;
}

/** The URL of a table's Parquet file (for downloads). */
export function tableUrl(table: TableName): Promise<string> {
  const files: Record<TableName, () => Promise<string>> = {
    responses: () => FileAttachment("../data/responses.parquet").url(),
    ground_truth: () => FileAttachment("../data/ground_truth.parquet").url(),
    benchmarks: () => FileAttachment("../data/benchmarks.parquet").url(),
    models: () => FileAttachment("../data/models.parquet").url(),
    items: () => FileAttachment("../data/items.parquet").url(),
    populations: () => FileAttachment("../data/populations.parquet").url(),
    provenance: () => FileAttachment("../data/provenance.parquet").url(),
  };
  return files[table]();
}
