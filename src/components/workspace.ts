/**
 * Page-side loading of the workspace. Research pages load the analysis workspace (the
 * responses aggregated, every table as column JSON: src/data/workspace.json.ts) and each
 * page's default view computed at build time (src/data/defaults/); the judges page its
 * data computed at build time (src/data/judges.json.ts). No page decodes a table's rows:
 * Explore and Data & methods query them with DuckDB-WASM, on demand. The tables' URLs are
 * tables.ts's; the source summary is sourceSummary.ts's, re-exported here for the pages that
 * load both.
 */
import { FileAttachment } from "observablehq:stdlib";
import { decodeAnalysisWorkspace, judgeWorkspace, type AnalysisWorkspace, type EncodedAnalysisWorkspace } from "../lib/analysisWorkspace.js";
import { decodeJudgesPage, type JudgesPageData } from "../lib/judgesPage.js";
import type { Workspace } from "../lib/workspace.js";

export { loadSourceSummary, type SourceSummary } from "./sourceSummary.js";

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
export async function loadDefaults(
  page: "alignment" | "consistency" | "cross-effects" | "capability" | "us-bias" | "survey" | "whose-opinions" | "robustness" | "dispersion",
): Promise<Record<string, unknown>> {
  // A swapped judge is another workspace: its views are computed in the page.
  if (new URLSearchParams(location.search).get("judge")) return {};
  const files = {
    alignment: () => FileAttachment("../data/defaults/alignment.json").json(),
    consistency: () => FileAttachment("../data/defaults/consistency.json").json(),
    "cross-effects": () => FileAttachment("../data/defaults/cross-effects.json").json(),
    capability: () => FileAttachment("../data/defaults/capability.json").json(),
    "us-bias": () => FileAttachment("../data/defaults/us-bias.json").json(),
    "whose-opinions": () => FileAttachment("../data/defaults/whose-opinions.json").json(),
    survey: () => FileAttachment("../data/defaults/survey.json").json(),
    robustness: () => FileAttachment("../data/defaults/robustness.json").json(),
    dispersion: () => FileAttachment("../data/defaults/dispersion.json").json(),
  };
  return (await files[page]()) as Record<string, unknown>;
}

/** The judges page's data, computed when the site was built (agreement, language decisions, each judge's analyses). */
export async function loadJudgesPage(): Promise<JudgesPageData> {
  return decodeJudgesPage(await FileAttachment("../data/judges.json").text());
}
