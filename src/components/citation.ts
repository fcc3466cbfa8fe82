/**
 * "How to cite": the study (with a BibTeX entry), and this site's data version, named by
 * its source's provenance (repository and commit, or pipeline run and configuration
 * hash), the build date and the page's address.
 */
import type { ProvenanceRow } from "../lib/workspace.js";
import type { SourceSummary } from "./sourceSummary.js";

export const STUDY_TEXT =
  "Rystrøm, J. H., Kirk, H. R., & Hale, S. (2025). Multilingual != Multicultural: Evaluating Gaps Between Multilingual Capabilities and Cultural Alignment in LLMs. arXiv:2502.16534.";

export const STUDY_BIBTEX = `@misc{rystrom2025multilingual,
  title         = {Multilingual != Multicultural: Evaluating Gaps Between Multilingual Capabilities and Cultural Alignment in {LLMs}},
  author        = {Rystr{\\o}m, Jonathan H. and Kirk, Hannah Rose and Hale, Scott},
  year          = {2025},
  eprint        = {2502.16534},
  archivePrefix = {arXiv},
  url           = {https://arxiv.org/abs/2502.16534}
}`;

/** What names this data version: "repository @ commit", a run's commit and config hash, or the source id. */
export function dataVersion(provenance: readonly ProvenanceRow[]): { version: string; builtAt: string | null } {
  const p = new Map(provenance.map((r) => [r.key, r.value]));
  const parts: string[] = [];
  if (p.get("repository")) parts.push(`${p.get("repository")}${p.get("commit") ? ` at commit ${p.get("commit")}` : ""}`);
  else if (p.get("commit")) parts.push(`commit ${p.get("commit")}`);
  if (p.get("pipeline_commit")) parts.push(`pipeline${p.get("pipeline_version") ? ` ${p.get("pipeline_version")}` : ""} commit ${p.get("pipeline_commit")}`);
  if (p.get("config_hash")) parts.push(`configuration ${p.get("config_hash")}`);
  if (!parts.length) parts.push(`source ${p.get("source") ?? "unknown"}`);
  // The tables' date: when the build read the study's release, or when the pipeline run finished.
  return { version: parts.join("; "), builtAt: p.get("built_at") ?? p.get("finished_at") ?? p.get("started_at") ?? null };
}

function block(text: string): HTMLElement {
  const pre = document.createElement("pre");
  pre.style.whiteSpace = "pre-wrap";
  pre.style.overflowWrap = "anywhere";
  pre.textContent = text;
  return pre;
}

export function citation(source: SourceSummary, provenance: readonly ProvenanceRow[]): HTMLElement {
  const { version, builtAt } = dataVersion(provenance);
  const built = builtAt && /^\d{4}-\d\d-\d\d/.test(builtAt) ? builtAt.slice(0, 10) : null;
  const site = `${location.origin}${location.pathname.replace(/\/data-methods(\.html)?$/, "/")}`;
  const accessed = new Date().toISOString().slice(0, 10);
  const div = document.createElement("div");
  div.className = "citation";
  const h1 = document.createElement("h3");
  h1.textContent = "The study";
  const h2 = document.createElement("h3");
  h2.textContent = "This site and its data version";
  const note = document.createElement("p");
  note.className = "fit-stats";
  note.textContent =
    "The numbers on this site are recomputed in your browser; cite the data version below with them, so a reader can rebuild the same tables (the provenance table above holds every file's checksum).";
  div.append(
    h1,
    block(STUDY_TEXT),
    block(STUDY_BIBTEX),
    h2,
    note,
    block(
      `Multilingual ≠ Multicultural: a reactive re-analysis workspace. Data: ${source.label}; ${version}; tables of ${built ?? "an unrecorded date"}. ${site} (accessed ${accessed}).`,
    ),
    block(`@misc{mca_workspace_${built ? built.replaceAll("-", "") : "undated"},
  title        = {Multilingual $\\neq$ Multicultural: a reactive re-analysis workspace},
  note         = {Data: ${source.label}; ${version}; tables of ${built ?? "an unrecorded date"}},
  howpublished = {\\url{${site}}},
  urldate      = {${accessed}}
}`),
  );
  return div;
}
