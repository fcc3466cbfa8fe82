/**
 * What every research page starts from, loaded together: the source summary, the analysis
 * workspace (with `?judge=` honoured), each published table's rows, the source banner and,
 * for the analysis pages, the default views computed when the site was built. A page with
 * analyses then starts its worker lazily with `createAnalysis(workspace, built)`
 * (analysis.ts), kept out of this module so that pages without analyses do not preload it.
 */
import type { Workspace } from "../lib/workspace.js";
import { sourceBanner } from "./sourceBanner.js";
import { loadDefaults, loadSourceSummary, loadWorkspaceAndRows, type SourceSummary } from "./workspace.js";

export interface ResearchPage {
  source: SourceSummary;
  workspace: Workspace;
  /** Rows of each table the site publishes. */
  tableRows: Record<string, number>;
  /** The page's default views, computed at build time ({} without `defaults`, or with a swapped judge). */
  built: Record<string, unknown>;
  /** The banner that says where the data come from (for `display`). */
  banner: HTMLElement;
}

/** Loads a research page's data at once, in parallel; `defaults` is the page's file of build-time views (`FileAttachment("data/defaults/<page>.json")`). */
export async function researchPage(defaults?: Parameters<typeof loadDefaults>[0]): Promise<ResearchPage> {
  const [source, { workspace, tableRows }, built] = await Promise.all([loadSourceSummary(), loadWorkspaceAndRows(), defaults ? loadDefaults(defaults) : {}]);
  collapseControlsOnPhone();
  return { source, workspace, tableRows, built, banner: sourceBanner(source, workspace) };
}

/**
 * A page's settings (`<details class="phone-closed" open>`) start closed on a phone, so the
 * first chart shows in the first screen; on a wider screen they stay open beside the story.
 */
function collapseControlsOnPhone(): void {
  if (!window.matchMedia("(max-width: 640px)").matches) return;
  for (const d of document.querySelectorAll<HTMLDetailsElement>("details.phone-closed")) d.open = false;
}
