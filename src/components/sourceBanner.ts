/** The data source, shown at the top of every page; simulated data is flagged loudly. */
import type { Workspace } from "../lib/workspace.js";
import type { SourceSummary } from "./sourceSummary.js";

/** The banner; given the page's workspace, it also says when another judge's labels are in use. */
export function sourceBanner(source: SourceSummary, workspace?: Pick<Workspace, "provenance">): HTMLElement {
  const div = document.createElement("div");
  div.className = source.simulated ? "source-banner simulated" : "source-banner";
  div.setAttribute("role", source.simulated ? "alert" : "note");
  if (source.simulated) {
    const strong = document.createElement("strong");
    strong.textContent = "Simulated data, not research results. ";
    div.append(strong);
    div.append(
      "Every number and chart on this page comes from simulated answers: it shows how the site works, and says nothing about the study's models or findings. ",
    );
    div.append(source.fallback ? `The study's release could not be reached when this site was built, so it shows the simulated demo. ` : "");
    // Every chart carries the mark too (a watermark, style.css), so a screenshot cannot pass for a result.
    document.documentElement.dataset.simulated = "true";
  }
  div.append(`Data: ${source.label}.`);
  const link = document.createElement("a");
  link.href = "./data-methods";
  link.textContent = " Provenance";
  div.append(link);
  const prov = new Map((workspace?.provenance ?? []).map((p) => [p.key, p.value]));
  const from = prov.get("judge_swapped_from");
  const problem = prov.get("judge_param_error");
  if (from || problem) {
    const note = document.createElement("div");
    note.className = "judge-swap";
    const dropped = Number(prov.get("judge_swap_dropped") ?? 0);
    note.textContent = problem
      ? problem
      : `Labels by judge ${prov.get("judge")} instead of ${from}${dropped ? `; ${dropped} responses it did not label are left out` : ""}. `;
    if (!problem) {
      const back = document.createElement("a");
      const params = new URLSearchParams(location.search);
      params.delete("judge");
      back.href = `${location.pathname}${params.size ? `?${params}` : ""}`;
      back.textContent = `Back to ${from}'s labels`;
      note.append(back);
    }
    div.append(note);
  }
  return div;
}
