/**
 * The hypothetical-interview answers (docs/methodology.md, "Inputs"; docs/pipeline.md, "Generation and judging"): parsing a model's numbered list of
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
  return hits.map((h, i) => text.slice(h.end, i + 1 < hits.length ? hits[i + 1]!.start : text.length).trim()).filter((s) => s.length > 0);
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

/** Interviews per response when the source has no labels (the prompts ask for ten). */
export const ASSUMED_INTERVIEW_SIZE = 10;

/**
 * A response's interview size: its pro and con labels (an aggregated row carries the count); without labels, the largest count up
 * to 10 whose fractions include its VPS (10 when none does, e.g. an unlabelled baseline draw).
 */
export function interviewSize(r: { labels?: string | null; vps?: number | null; interview_size?: number | null }): { n: number; fromLabels: boolean } {
  if (typeof r.interview_size === "number") return { n: r.interview_size, fromLabels: true };
  if (typeof r.labels !== "string" || r.labels === "") {
    const v = r.vps;
    if (typeof v !== "number" || !Number.isFinite(v)) return { n: ASSUMED_INTERVIEW_SIZE, fromLabels: false };
    for (let n = ASSUMED_INTERVIEW_SIZE; n >= 1; n--) if (Math.abs(v * n - Math.round(v * n)) < 1e-9) return { n, fromLabels: false };
    return { n: ASSUMED_INTERVIEW_SIZE, fromLabels: false };
  }
  const n = r.labels.split(";").filter((l) => l === "pro" || l === "con").length;
  return { n, fromLabels: true };
}

/**
 * `interviewSize`'s rule for labels, in SQL over a `labels` column: the number of pro and
 * con labels, NULL without labels (the row then has no size of its own). DuckDB runs it
 * when it aggregates a workspace's responses; a test holds it to the function above.
 */
export const INTERVIEW_SIZE_SQL =
  "CASE WHEN labels IS NULL OR labels = '' THEN NULL ELSE len(list_filter(string_split(labels, ';'), x -> x IN ('pro', 'con'))) END";
