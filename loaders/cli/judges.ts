/** `mca judges`: agreement of a workspace's judges, and human labels in and out. */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { judgeAgreement } from "../../src/lib/judges.js";
import { ANNOTATOR_INSTRUCTIONS, baseJudgements, importLabels, labellingSet } from "../judges/labelling.js";
import { readWorkspace, writeFileAtomic } from "../workspaceFiles.js";
import { sanitize, sanitizeError } from "./format.js";

export const JUDGES_HELP = `Usage: mca judges <agreement|export|import> --workspace DIR [options]

  agreement   print how well the workspace's judges agree: Cohen's κ per pair,
              Fleiss' κ and Krippendorff's α, overall and per prompt language
  export      write a blind labelling set for human annotators (JSONL, one response
              per line: an opaque id, the language, the item's statements and the
              summaries; no model, no judge labels), with instructions beside it
  import      read the annotators' labels back as one more judge

Options:
  --workspace DIR      a workspace folder made by \`mca run\`
  --out FILE           export: where to write the JSONL (instructions go to FILE.md)
  --per-language N     export: responses per prompt language (default 50)
  --seed S             export: the sample's seed (default 1)
  --labels FILE        import: the labelled JSONL
  --judge NAME         import: the annotator's judge name, e.g. human:alice
  --replace            import: overwrite that judge's earlier labels
  -h, --help           show this help
`;

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");

/** `mca judges`: what it prints from a workspace or a labels file (judge names, ids, languages) goes through sanitize. */
export async function judgesCommand(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  try {
    await judges(argv, (text) => write(sanitize(text)));
  } catch (error) {
    throw sanitizeError(error);
  }
}

async function judges(argv: string[], write: (text: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: "string" },
      out: { type: "string" },
      "per-language": { type: "string" },
      seed: { type: "string" },
      labels: { type: "string" },
      judge: { type: "string" },
      replace: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  const [action] = positionals;
  if (values.help || !action) return void write(JUDGES_HELP);
  if (!["agreement", "export", "import"].includes(action))
    throw new Error(`unknown action "${action}"; use agreement, export or import (see mca judges --help)`);
  if (!values.workspace) throw new Error("--workspace DIR is required");
  const dir = values.workspace;
  if (action === "import") {
    if (!values.labels) throw new Error("--labels FILE is required");
    if (!values.judge) throw new Error("--judge NAME is required (for example human:alice)");
    let text: string;
    try {
      text = readFileSync(values.labels, "utf8");
    } catch {
      throw new Error(`${values.labels}: no such file`);
    }
    const r = importLabels(dir, text, values.judge, { replace: values.replace, file: values.labels });
    return void write(
      `Imported ${r.imported} labelled responses as judge "${r.judge}" (${r.skipped} left unlabelled); ${dir}/judgements.parquet has ${r.judgements} judgements.\n`,
    );
  }
  const ws = readWorkspace(dir);
  if (action === "export") {
    if (!values.out) throw new Error("--out FILE is required");
    const perLanguage = values["per-language"] === undefined ? 50 : Number(values["per-language"]);
    if (!Number.isInteger(perLanguage) || perLanguage < 1) throw new Error(`--per-language must be a positive integer, got "${values["per-language"]}"`);
    const units = labellingSet(ws, { perLanguage, seed: values.seed ?? 1 });
    writeFileAtomic(values.out, `${units.map((u) => JSON.stringify(u)).join("\n")}\n`);
    writeFileSync(`${values.out}.md`, ANNOTATOR_INSTRUCTIONS);
    return void write(`Wrote ${units.length} responses to ${values.out} (instructions: ${values.out}.md).\n`);
  }
  const report = judgeAgreement({ ...ws, judgements: baseJudgements(ws) });
  if (report.judges.length < 2)
    return void write(
      `The workspace has one judge (${report.judges[0] ?? "unknown"}): nothing to compare. Judge with several (\`judges\` in the run config) or import human labels.\n`,
    );
  const lines = [`Judges: ${report.judges.join(", ")}; ${report.units} interview summaries labelled by two or more.`];
  lines.push(
    `Fleiss' κ ${f3(report.fleiss?.kappa ?? NaN)} (${report.fleiss?.units ?? 0} summaries labelled by all); Krippendorff's α ${f3(report.alpha.alpha)}.`,
  );
  for (const p of report.pairs)
    lines.push(
      `  ${p.a} × ${p.b}: κ ${f3(p.kappa)}, agreement ${f3(p.po)} on ${p.n} summaries; same detected language on ${f3(p.languageAgreement)} of ${p.languageN} responses`,
    );
  for (const l of report.byLanguage) lines.push(`  ${l.language}: α ${f3(l.alpha.alpha)}, Fleiss' κ ${f3(l.fleiss?.kappa ?? NaN)}, ${l.units} summaries`);
  write(`${lines.join("\n")}\n`);
}
