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

/** The survey behind the ground truth: the joint EVS/WVS 2017–2022 file (the study's `EVS_WVS_Joint_Csv_v5_0.csv`). */
export const SURVEY_DOI = "10.14281/18241.26";
export const SURVEY_TEXT = `EVS/WVS (2024). European Values Study and World Values Survey: Joint EVS/WVS 2017-2022 Dataset (Joint EVS/WVS). JD Systems Institute & WVSA. Dataset Version 5.0.0. doi:${SURVEY_DOI}.`;

/** Who may reuse what: the code, the study's release, and the survey (of which only weighted shares are published here). */
export const LICENCES =
  "This site's code: MIT licence (LICENSE in its repository). The study's release (responses, scores, ground truth): MIT licence, from the study's repository. " +
  "The survey: the EVS/WVS conditions of use (free for non-commercial research, cited as above); its microdata are not redistributed, and this site publishes only weighted shares per population.";

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

function heading(text: string): HTMLElement {
  const h = document.createElement("h3");
  h.textContent = text;
  return h;
}

export function citation(source: SourceSummary, provenance: readonly ProvenanceRow[]): HTMLElement {
  const { version, builtAt } = dataVersion(provenance);
  const built = builtAt && /^\d{4}-\d\d-\d\d/.test(builtAt) ? builtAt.slice(0, 10) : null;
  const site = `${location.origin}${location.pathname.replace(/\/data-methods(\.html)?$/, "/")}`;
  const accessed = new Date().toISOString().slice(0, 10);
  const div = document.createElement("div");
  div.className = "citation";
  const note = document.createElement("p");
  note.className = "fit-stats";
  note.textContent =
    "The numbers on this site are recomputed in your browser; cite the data version below with them, so a reader can rebuild the same tables (the provenance table above holds every file's checksum).";
  const licences = document.createElement("p");
  licences.textContent = LICENCES;
  const release = `version ${source.siteVersion ?? "unknown"}`;
  div.append(
    heading("The study"),
    block(STUDY_TEXT),
    block(STUDY_BIBTEX),
    heading("The survey"),
    block(SURVEY_TEXT),
    heading("This site and its data version"),
    note,
    block(
      `Multilingual ≠ Multicultural: a reactive re-analysis workspace, ${release}. Data: ${source.label}; ${version}; tables of ${built ?? "an unrecorded date"}. ${site} (accessed ${accessed}).`,
    ),
    block(`@misc{mca_workspace_${built ? built.replaceAll("-", "") : "undated"},
  title        = {Multilingual $\\neq$ Multicultural: a reactive re-analysis workspace},
  version      = {${source.siteVersion ?? "unknown"}},
  note         = {Data: ${source.label}; ${version}; tables of ${built ?? "an unrecorded date"}},
  howpublished = {\\url{${site}}},
  urldate      = {${accessed}}
}`),
  );
  div.append(heading("Licences"), licences);
  return div;
}
