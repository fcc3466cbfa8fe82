/**
 * Builds the site's analysis workspace (src/lib/analysisWorkspace.ts) from the configured
 * source: aggregated in DuckDB for a workspace folder, in TypeScript for the sources that
 * are read into memory (the study's release, the demo), with every other judge's view.
 */
import { aggregateResponses } from "../src/lib/aggregate.js";
import type { AnalysisWorkspace, JudgeView } from "../src/lib/analysisWorkspace.js";
import { judgesOf, primaryJudge, withJudge } from "../src/lib/judges.js";
import { BASELINE_FAMILY, TABLES, totalCount, type Workspace } from "../src/lib/workspace.js";
import type { LoadedSource } from "./sources/index.js";
import { folderJudgementRows, folderJudges, openWorkspaceDb, readJudgeResponses } from "./workspaceDb.js";

const modelResponses = (ws: Pick<Workspace, "responses">) => totalCount(ws.responses.filter((r) => r.family !== BASELINE_FAMILY));

/** Judges in order: the primary first, then by name. */
function ordered(judges: string[], primary: string | null): string[] {
  return primary && judges.includes(primary) ? [primary, ...judges.filter((j) => j !== primary)] : judges;
}

async function folderViews(dir: string, ws: Workspace): Promise<{ judges: string[]; views: Record<string, JudgeView>; judgementRows: number }> {
  const db = await openWorkspaceDb();
  try {
    const judges = ordered(await folderJudges(db.conn, dir), primaryJudge(ws));
    const judgementRows = await folderJudgementRows(db.conn, dir);
    const views: Record<string, JudgeView> = {};
    for (const judge of judges.slice(1)) {
      const responses = await readJudgeResponses(db.conn, dir, judge);
      views[judge] = { responses, dropped: modelResponses(ws) - modelResponses({ responses }) };
    }
    return { judges, views, judgementRows };
  } finally {
    db.done();
  }
}

function memoryViews(ws: Workspace): { judges: string[]; views: Record<string, JudgeView>; judgementRows: number } {
  const judges = judgesOf(ws);
  const views: Record<string, JudgeView> = {};
  for (const judge of judges.slice(1)) {
    const swapped = withJudge(ws, judge);
    views[judge] = { responses: aggregateResponses(swapped.workspace.responses), dropped: swapped.dropped };
  }
  return { judges, views, judgementRows: ws.judgements?.length ?? 0 };
}

export async function buildAnalysisWorkspace(source: LoadedSource): Promise<AnalysisWorkspace> {
  const ws = source.workspace;
  const { judges, views, judgementRows } = source.spec.kind === "workspace" ? await folderViews(source.spec.dir, ws) : memoryViews(ws);
  const { judgements: _, ...tables } = ws;
  const tableRows: Record<string, number> = Object.fromEntries(TABLES.map((t) => [t, t === "responses" ? totalCount(ws.responses) : ws[t].length]));
  if (judgementRows > 0) tableRows.judgements = judgementRows;
  if (ws.personas?.length) tableRows.personas = totalCount(ws.personas);
  return { workspace: { ...tables, responses: aggregateResponses(ws.responses) }, judges, views, tableRows };
}
