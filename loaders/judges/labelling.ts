/**
 * Human labels as one more judge: a blind labelling set (JSONL) for annotators, and the
 * import of their labels into a workspace's judgements table.
 *
 * The set is blind: it carries an opaque response id, the prompt language, the item's
 * two statements and the response's interview summaries, never the model or any judge's
 * labels. An import is checked in full before anything is written, and the table is
 * replaced atomically, so a bad file never loses the judgements already there.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseInterviews, valuePolarity, type Label } from "../../src/lib/interviews.js";
import { judgesOf, primaryJudge } from "../../src/lib/judges.js";
import { createRng } from "../../src/lib/random.js";
import { checkJudgements, isBaseline, type JudgementRow, type ResponseRow, type Workspace } from "../../src/lib/workspace.js";
import { readWorkspace, tableParquet, writeFileAtomic } from "../workspaceFiles.js";

export interface LabellingUnit {
  id: string;
  language: string;
  pro_statement: string;
  con_statement: string;
  response_text: string;
  summaries: string[];
  /** For the annotator to fill: one of pro, con, NULL per summary, in order. */
  labels: Label[];
}

export const ANNOTATOR_INSTRUCTIONS = `# Labelling instructions

Each line of the labelling file is one response of a language model that was asked to
summarise interviews about a topic. For every numbered summary, in order, decide whether
the interviewee's opinion matches the PRO statement ("pro"), the CON statement ("con"),
or neither or is unclear ("NULL"), and write the labels into the line's "labels" array
(as many labels as there are summaries). Leave "labels" empty to skip a response.

You are not told which model wrote a response, nor how any other judge labelled it.
Do not change the "id" field. Import the file with:

    mca judges import --workspace DIR --labels FILE --judge human:YOUR_NAME
`;

function labellable(ws: Workspace): ResponseRow[] {
  const rows = ws.responses.filter((r) => !isBaseline(r.model) && r.response_id && r.response_text);
  if (rows.length === 0) {
    throw new Error(
      "this workspace has no response texts with response ids (the study's release publishes scores only); " +
        "a labelling set needs a workspace made by `mca run`",
    );
  }
  return rows;
}

/** A blind, seeded sample of `perLanguage` responses per prompt language, shuffled. */
export function labellingSet(ws: Workspace, options: { perLanguage?: number; seed?: number | string; languages?: readonly string[] } = {}): LabellingUnit[] {
  const rows = labellable(ws);
  const items = new Map(ws.items.map((i) => [i.item, i]));
  const rng = createRng(String(options.seed ?? 1), "labelling-set");
  const languages = options.languages ?? [...new Set(rows.map((r) => r.language))].sort();
  const unknown = languages.filter((l) => !rows.some((r) => r.language === l));
  if (unknown.length)
    throw new Error(`no responses in language ${unknown.join(", ")} (the workspace has ${[...new Set(rows.map((r) => r.language))].sort().join(", ")})`);
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  const picked = languages.flatMap((language) => shuffle(rows.filter((r) => r.language === language)).slice(0, options.perLanguage ?? 50));
  return shuffle(picked).map((r) => {
    const item = items.get(r.item);
    return {
      id: r.response_id!,
      language: r.language,
      pro_statement: item?.pro_statement ?? "",
      con_statement: item?.con_statement ?? "",
      response_text: r.response_text!,
      summaries: parseInterviews(r.response_text!),
      labels: [],
    };
  });
}

export interface ImportResult {
  judge: string;
  imported: number;
  skipped: number;
  judgements: number;
}

const LABEL_OF: Record<string, Label> = { pro: "pro", con: "con", null: "NULL" };

/** Checks a labelled JSONL file against the workspace and returns the new judge's rows. */
export function parseLabels(ws: Workspace, text: string, judge: string, file = "labels"): { rows: JudgementRow[]; skipped: number } {
  const byId = new Map(labellable(ws).map((r) => [r.response_id!, r]));
  const problems: string[] = [];
  const problem = (msg: string) => {
    if (problems.length < 10) problems.push(msg);
  };
  const rows: JudgementRow[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const at = `${file}, line ${i + 1}`;
    let unit: { id?: unknown; labels?: unknown; response_language?: unknown };
    try {
      unit = JSON.parse(line);
    } catch {
      problem(`${at}: not valid JSON`);
      return;
    }
    if (typeof unit.id !== "string") {
      problem(`${at}: missing "id" (keep the id each line came with)`);
      return;
    }
    const response = byId.get(unit.id);
    if (!response) {
      problem(`${at}: id "${unit.id}" is not a response of this workspace (was the file exported from another one?)`);
      return;
    }
    if (seen.has(unit.id)) {
      problem(`${at}: id "${unit.id}" appears twice`);
      return;
    }
    seen.add(unit.id);
    if (!Array.isArray(unit.labels)) {
      problem(`${at}: "labels" must be an array of pro, con or NULL`);
      return;
    }
    if (unit.labels.length === 0) {
      skipped++;
      return;
    }
    const summaries = parseInterviews(response.response_text!).length;
    if (unit.labels.length !== summaries) {
      problem(`${at}: ${unit.labels.length} labels for ${summaries} summaries; give one label per summary, in order`);
      return;
    }
    const labels: Label[] = [];
    for (const [k, l] of unit.labels.entries()) {
      const label = typeof l === "string" && Object.hasOwn(LABEL_OF, l.toLowerCase()) ? LABEL_OF[l.toLowerCase()] : undefined;
      if (!label) {
        problem(`${at}: label ${k + 1} is ${JSON.stringify(l)}; use pro, con or NULL`);
        return;
      }
      labels.push(label);
    }
    const language = typeof unit.response_language === "string" && /^[a-z]{2}$/.test(unit.response_language) ? unit.response_language : null;
    rows.push({ response_id: unit.id, judge, labels: labels.join(";"), response_language: language, vps: valuePolarity(labels).vps });
  });
  if (problems.length) throw new Error(`${file} was not imported (nothing was written):\n  - ${problems.join("\n  - ")}`);
  if (rows.length === 0) throw new Error(`${file} has no labelled responses (every "labels" array is empty); nothing was imported`);
  return { rows, skipped };
}

/** The judgements a workspace has, with the primary judge's rows made from the responses table when it has none. */
export function baseJudgements(ws: Workspace): JudgementRow[] {
  if (ws.judgements?.length) return ws.judgements;
  const primary = primaryJudge(ws) ?? "judge";
  return ws.responses
    .filter((r) => !isBaseline(r.model) && r.response_id && r.labels)
    .map((r) => ({ response_id: r.response_id!, judge: primary, labels: r.labels!, response_language: r.response_language, vps: r.vps }));
}

/** Imports labelled JSONL into the workspace folder as the judge `judge`. */
export function importLabels(dir: string, text: string, judge: string, options: { replace?: boolean; file?: string } = {}): ImportResult {
  if (!/^[A-Za-z0-9][A-Za-z0-9:._/-]*$/.test(judge)) throw new Error(`--judge "${judge}": use letters, digits and : . _ / - (for example human:alice)`);
  if (!existsSync(dir)) throw new Error(`workspace folder ${dir} does not exist`);
  const ws = readWorkspace(dir);
  const existing = baseJudgements(ws);
  const known = judgesOf({ provenance: ws.provenance, judgements: existing });
  if (known.includes(judge) && !options.replace)
    throw new Error(`the workspace already has judgements by "${judge}"; choose another --judge name, or pass --replace to overwrite them`);
  if (judge === primaryJudge(ws))
    throw new Error(`"${judge}" is the workspace's primary judge, whose labels the responses table holds; import under another name`);
  const { rows, skipped } = parseLabels(ws, text, judge, options.file);
  const judgements = [...existing.filter((j) => j.judge !== judge), ...rows];
  const problems = checkJudgements(judgements, ws.responses, `${dir}/judgements`);
  if (problems.length) throw new Error(`the judgements would not be valid (nothing was written):\n  - ${problems.join("\n  - ")}`);
  writeFileAtomic(join(dir, "judgements.parquet"), tableParquet({ ...ws, judgements }, "judgements"));
  return { judge, imported: rows.length, skipped, judgements: judgements.length };
}
