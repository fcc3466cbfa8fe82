/**
 * Page-side loading of the published Parquet tables, decoded with parquet-wasm into Arrow
 * tables: for the pages that need rows (Judges) and for downloads. A module of its own:
 * Framework preloads Apache Arrow and parquet-wasm (about 240 KB of JavaScript) on every
 * page that can reach a `.parquet()` call, even through a dynamic import, so the modules
 * that load the analysis workspace (workspace.ts) must not make one.
 */
import { FileAttachment } from "observablehq:stdlib";
import { rowsOf, type ArrowLike } from "../lib/arrow.js";
import { judgesOf, withJudge } from "../lib/judges.js";
import type { OptionalTableName, TableName, Workspace } from "../lib/workspace.js";

export type SiteTable = TableName | OptionalTableName;

/** The Arrow tables, for DuckDB-WASM and downloads. */
export async function loadTables(): Promise<Record<SiteTable, ArrowLike>> {
  const [responses, ground_truth, benchmarks, models, items, populations, provenance, judgements] = await Promise.all([
    FileAttachment("../data/responses.parquet").parquet(),
    FileAttachment("../data/ground_truth.parquet").parquet(),
    FileAttachment("../data/benchmarks.parquet").parquet(),
    FileAttachment("../data/models.parquet").parquet(),
    FileAttachment("../data/items.parquet").parquet(),
    FileAttachment("../data/populations.parquet").parquet(),
    FileAttachment("../data/provenance.parquet").parquet(),
    FileAttachment("../data/judgements.parquet").parquet(),
  ]);
  return { responses, ground_truth, benchmarks, models, items, populations, provenance, judgements };
}

/**
 * The workspace as plain rows. With `?judge=NAME` in the page's URL (the judges page's
 * "swap judge" control), the responses carry that judge's labels, and every analysis on
 * the page uses them; provenance records the swap, and the source banner shows it.
 */
export function toWorkspace(tables: Record<SiteTable, ArrowLike>, options: { judgeParam?: boolean } = {}): Workspace {
  const ws: Workspace = {
    responses: rowsOf(tables.responses),
    ground_truth: rowsOf(tables.ground_truth),
    benchmarks: rowsOf(tables.benchmarks),
    models: rowsOf(tables.models),
    items: rowsOf(tables.items),
    populations: rowsOf(tables.populations),
    provenance: rowsOf(tables.provenance),
    judgements: rowsOf(tables.judgements),
  };
  const judge = options.judgeParam === false ? null : new URLSearchParams(location.search).get("judge");
  if (!judge) return ws;
  if (!judgesOf(ws).includes(judge)) {
    const known = judgesOf(ws);
    return { ...ws, provenance: [...ws.provenance, { key: "judge_param_error", value: `judge=${judge} is not a judge of this workspace${known.length ? ` (its judges: ${known.join(", ")})` : ""}; the primary judge's labels are shown` }] };
  }
  const swapped = withJudge(ws, judge);
  return { ...swapped.workspace, provenance: [...swapped.workspace.provenance, { key: "judge_swap_dropped", value: String(swapped.dropped) }] };
}

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
  };
  return files[table]();
}
