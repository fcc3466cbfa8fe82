/** The message a page or a chart shows in place of a result when nothing is left to show. */

/** A clear message for a filter that leaves nothing. */
export function emptyState(message: string): HTMLElement {
  const div = document.createElement("div");
  div.className = "empty-state";
  div.setAttribute("role", "status");
  div.textContent = message;
  return div;
}
