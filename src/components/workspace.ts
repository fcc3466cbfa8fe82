/**
 * Page-side loading of the workspace. Research pages load the analysis workspace (the
 * responses aggregated, every table as column JSON: src/data/workspace.json.ts) and each
 * page's default view computed at build time (src/data/defaults/). Only the pages that
 * need rows (Judges, Data & methods) decode the Parquet tables with parquet-wasm.
 */
import { FileAttachment } from "observablehq:stdlib";
import { decodeAnalysisWorkspace, judgeWorkspace, type AnalysisWorkspace, type EncodedAnalysisWorkspace } from "../lib/analysisWorkspace.js";
import { rowsOf, type ArrowLike } from "../lib/arrow.js";
import type { PublishedMixedLm } from "../lib/published.js";
import { judgesOf, withJudge } from "../lib/judges.js";
import type { OptionalTableName, TableName, Workspace } from "../lib/workspace.js";

export type SiteTable = TableName | OptionalTableName;

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

/**
 * The analysis workspace: aggregated responses and the small tables. With `?judge=NAME`
 * in the page's URL (the judges page's "swap judge" control), the responses are that
 * judge's; provenance records the swap, and the source banner shows it.
 */
export async function loadWorkspace(options: { judgeParam?: boolean } = {}): Promise<Workspace> {
  return (await loadWorkspaceAndRows(options)).workspace;
}

/** The analysis workspace (as `loadWorkspace`), with the rows of each table the site publishes. */
export async function loadWorkspaceAndRows(options: { judgeParam?: boolean } = {}): Promise<{ workspace: Workspace; tableRows: Record<string, number> }> {
  const analysis = await loadAnalysisWorkspace();
  const judge = options.judgeParam === false ? null : new URLSearchParams(location.search).get("judge");
  return { workspace: judgeWorkspace(analysis, judge), tableRows: analysis.tableRows };
}

/** The analysis workspace as built: the primary judge's workspace, the other judges' views and each published table's rows. */
export async function loadAnalysisWorkspace(): Promise<AnalysisWorkspace> {
  return decodeAnalysisWorkspace((await FileAttachment("../data/workspace.json").json()) as EncodedAnalysisWorkspace);
}

/** The default views of a page, computed when the site was built (keyed by request; see src/lib/pageRequests.ts). */
export async function loadDefaults(page: "alignment" | "consistency" | "capability" | "us-bias" | "robustness"): Promise<Record<string, unknown>> {
  // A swapped judge is another workspace: its views are computed in the page.
  if (new URLSearchParams(location.search).get("judge")) return {};
  const files = {
    alignment: () => FileAttachment("../data/defaults/alignment.json").json(),
    consistency: () => FileAttachment("../data/defaults/consistency.json").json(),
    capability: () => FileAttachment("../data/defaults/capability.json").json(),
    "us-bias": () => FileAttachment("../data/defaults/us-bias.json").json(),
    robustness: () => FileAttachment("../data/defaults/robustness.json").json(),
  };
  return (await files[page]()) as Record<string, unknown>;
}

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

export async function loadSourceSummary(): Promise<SourceSummary> {
  return (await FileAttachment("../data/source.json").json()) as SourceSummary;
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
