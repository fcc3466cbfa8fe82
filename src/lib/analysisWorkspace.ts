/**
 * The workspace the site's research pages analyse: every table but the responses as it
 * is, the responses aggregated (src/lib/aggregate.ts), and, where several judges labelled
 * the run, the aggregated responses as each other judge labelled them, so that a page
 * can swap the judge without the rows. Written at build time as column JSON.
 */
import { fromColumns, toColumns, type ColumnTable } from "./columns.js";
import { TABLES, type PersonaRow, type ResponseRow, type TableName, type Workspace } from "./workspace.js";

export interface JudgeView {
  /** The aggregated responses as this judge labelled them. */
  responses: ResponseRow[];
  /** Model responses the judge did not label (left out when the page swaps to it). */
  dropped: number;
}

export interface AnalysisWorkspace {
  workspace: Workspace;
  /** Every judge of the run, the primary one first (empty with one judge). */
  judges: string[];
  /** The other judges' views. */
  views: Record<string, JudgeView>;
  /** Rows of each table the site publishes (responses: one per response, not per aggregated row; judgements where present). */
  tableRows: Record<string, number>;
}

export interface EncodedAnalysisWorkspace {
  /** The seven tables, and the optional personas table where the source has one. */
  tables: Record<TableName, ColumnTable> & { personas?: ColumnTable };
  judges: string[];
  views: Record<string, { responses: ColumnTable; dropped: number }>;
  tableRows: Record<string, number>;
}

export function encodeAnalysisWorkspace(a: AnalysisWorkspace): EncodedAnalysisWorkspace {
  const tables: EncodedAnalysisWorkspace["tables"] = Object.fromEntries(TABLES.map((t) => [t, toColumns(a.workspace[t])])) as Record<TableName, ColumnTable>;
  if (a.workspace.personas?.length) tables.personas = toColumns(a.workspace.personas);
  const views = Object.fromEntries(Object.entries(a.views).map(([judge, v]) => [judge, { responses: toColumns(v.responses), dropped: v.dropped }]));
  return { tables, judges: a.judges, views, tableRows: a.tableRows };
}

export function decodeAnalysisWorkspace(e: EncodedAnalysisWorkspace): AnalysisWorkspace {
  const workspace = Object.fromEntries(TABLES.map((t) => [t, fromColumns(e.tables[t], t)])) as unknown as Workspace;
  if (e.tables.personas) workspace.personas = fromColumns<PersonaRow>(e.tables.personas, "personas");
  const views = Object.fromEntries(
    Object.entries(e.views).map(([judge, v]) => [judge, { responses: fromColumns<ResponseRow>(v.responses, `${judge}'s responses`), dropped: v.dropped }]),
  );
  return { workspace, judges: e.judges, views, tableRows: e.tableRows };
}

/** The workspace as `judge` labelled it (the primary judge's when `judge` is the first or unknown), with provenance saying so. */
export function judgeWorkspace(a: AnalysisWorkspace, judge: string | null): Workspace {
  if (!judge || judge === a.judges[0]) return a.workspace;
  const view = a.views[judge];
  const ws = a.workspace;
  if (!view) {
    const value = `judge=${judge} is not a judge of this workspace${a.judges.length ? ` (its judges: ${a.judges.join(", ")})` : ""}; the primary judge's labels are shown`;
    return { ...ws, provenance: [...ws.provenance, { key: "judge_param_error", value }] };
  }
  const provenance = [
    ...ws.provenance.filter((p) => p.key !== "judge"),
    { key: "judge", value: judge },
    { key: "judge_swapped_from", value: a.judges[0] ?? "unknown" },
    { key: "judge_swap_dropped", value: String(view.dropped) },
  ];
  return { ...ws, responses: view.responses, provenance };
}
