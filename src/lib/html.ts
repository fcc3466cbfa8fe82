/** Escaping text for HTML that is written as markup (the overview's baked cards, the pages' citation tags). */
// "$" too: in the page's Markdown, where the loader writes the cards, "${" would start an expression.
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", $: "&#36;" };

/** Text made safe for HTML content, quoted attribute values and a Framework page's Markdown. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'$]/g, (c) => ESCAPES[c]!);
}
