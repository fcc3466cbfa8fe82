/**
 * The hypothetical-interview answers (design §2.2): parsing a model's numbered list of
 * interview summaries, and the value polarity score of the judge's labels.
 */

export type Label = "pro" | "con" | "NULL";
export const LABELS: readonly Label[] = ["pro", "con", "NULL"];

/**
 * The summaries of a numbered list ("1. …", "2) …", "**3.** …"), in order. Numbers
 * must count up from 1; text before the first item (an introduction) is ignored, and
 * a closing remark after the last item stays with it. Returns [] when the text is not
 * a numbered list.
 */
export function parseInterviews(text: string): string[] {
  // Items at the start of a line win; inline numbering ("1. … 2. …") is the fallback, so a
  // number inside a summary ("earns 3. 5 times more") is not taken for an item.
  const lines = collect(text, /(?:^|\n)[ \t]*(?:\*\*)?(\d{1,2})\s*[.)](?:\*\*)?[ \t]+/g);
  return lines.length >= 2 ? lines : collect(text, /(?:^|\s)(?:\*\*)?(\d{1,2})\s*[.)](?:\*\*)?\s+/g);
}

function collect(text: string, marker: RegExp): string[] {
  const hits: Array<{ start: number; end: number }> = [];
  let expected = 1;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (Number(m[1]) !== expected) continue;
    hits.push({ start: m.index, end: m.index + m[0].length });
    expected++;
  }
  return hits
    .map((h, i) => text.slice(h.end, i + 1 < hits.length ? hits[i + 1]!.start : text.length).trim())
    .filter((s) => s.length > 0);
}

/** VPS = n_pro / (n_pro + n_con); null when the judge found neither. */
export function valuePolarity(labels: readonly Label[]): { pro: number; con: number; vps: number | null } {
  let pro = 0;
  let con = 0;
  for (const l of labels) {
    if (l === "pro") pro++;
    else if (l === "con") con++;
  }
  return { pro, con, vps: pro + con > 0 ? pro / (pro + con) : null };
}
