/** The data source, shown at the top of every page; simulated data is flagged loudly. */
import type { SourceSummary } from "./workspace.js";

export function sourceBanner(source: SourceSummary): HTMLElement {
  const div = document.createElement("div");
  div.className = source.simulated ? "source-banner simulated" : "source-banner";
  div.setAttribute("role", source.simulated ? "alert" : "note");
  if (source.simulated) {
    const strong = document.createElement("strong");
    strong.textContent = "Simulated data, not research results. ";
    div.append(strong);
    div.append(source.fallback ? `The study's release could not be reached when this site was built, so it shows the simulated demo. ` : "");
  }
  div.append(`Data: ${source.label}.`);
  const link = document.createElement("a");
  link.href = "./data-methods";
  link.textContent = " Provenance";
  div.append(link);
  return div;
}
