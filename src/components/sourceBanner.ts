/** The data source, shown at the top of every page. */
import type { SourceSummary } from "./workspace.js";

export function sourceBanner(source: SourceSummary): HTMLElement {
  const div = document.createElement("div");
  div.className = "source-banner";
  div.setAttribute("role", "note");
  div.textContent = `Data: ${source.label}.`;
  const link = document.createElement("a");
  link.href = "./data-methods";
  link.textContent = " Provenance";
  div.append(link);
  return div;
}
