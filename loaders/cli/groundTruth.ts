/** `mca ground-truth`: survey microdata → ground truth at three levels (aggregates only). */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { languageCode } from "../../src/lib/languages.js";
import { fromRepoRoot, REPO_ROOT } from "../paths.js";
import { surveyGroundTruth } from "../survey/groundTruth.js";
import { skippedNote, suppressedNote } from "../survey/notes.js";
import { checkFolder, ensureFolder } from "../survey/files.js";
import { writeSurveyResult } from "../survey/write.js";
import { table } from "./format.js";

export const GROUND_TRUTH_HELP = `Usage: mca ground-truth --wvs FILE [--out DIR] [--languages da,nl,en,pt] [--seed S]

Turns the joint EVS/WVS microdata (CSV, plain or gzipped; e.g. EVS_WVS_Joint_Csv_v5_0.csv)
into ground truth: each item's weighted share of respondents on its pro side per country,
per interview language and over everyone, with each item's largest code, rule and valid n,
and the survey's own self-consistency per country. Only aggregates are written, and the
same file and seed give byte-identical output files.

Options:
  --wvs FILE         the microdata file (required)
  --out DIR          output folder (default data/ground-truth/<file name>/): ground_truth.parquet,
                     populations.parquet, survey_items.parquet, survey.json
  --languages LIST   studied languages (ISO 639-1): countries whose dominant interview language
                     is one of them are kept, plus the US (default: every language)
  --seed S           seed of the self-consistency draws (default 1)
  --min-group N      the fewest valid answers a country's or language's item needs to be
                     published (default 10): smaller shares all but give away the answers
  -h, --help         show this help

No file yet? Rehearse with synthetic microdata (not real answers):
  npx mca synthetic --out data/raw/synthetic.csv.gz
  npx mca ground-truth --wvs data/raw/synthetic.csv.gz
`;

/**
 * The output folder: --out, or data/ground-truth/<the file's name without .csv/.gz/.zip>. A
 * name with nothing left (a file called .csv) is refused: it would write into data/ground-truth itself.
 */
function outputFolder(wvs: string, path: string, out: string | undefined): string {
  if (out) return fromRepoRoot(out);
  const stem = basename(path).replace(/\.(csv|gz|zip)+$/g, "");
  if (stem === "" || /^\.+$/.test(stem)) {
    throw new Error(
      `--wvs ${wvs}: the file's name leaves no name for the output folder; pass --out DIR (e.g. --out data/ground-truth/survey), or rename the file.`,
    );
  }
  return join(REPO_ROOT, "data", "ground-truth", stem);
}

export async function groundTruthCommand(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      wvs: { type: "string" },
      out: { type: "string" },
      languages: { type: "string" },
      seed: { type: "string" },
      "min-group": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return void write(GROUND_TRUTH_HELP);
  if (!values.wvs) throw new Error("--wvs FILE is required: the joint EVS/WVS CSV file");
  const path = fromRepoRoot(values.wvs);
  if (!existsSync(path))
    throw new Error(`--wvs ${values.wvs}: no such file. Pass the joint EVS/WVS CSV, or rehearse with synthetic microdata: mca synthetic --out ${values.wvs}`);
  const languages = values.languages?.split(",").map((l) => {
    const code = languageCode(l);
    if (!code) throw new Error(`--languages: unknown language "${l}"; use ISO 639-1 codes such as da, nl, en, pt`);
    return code;
  });
  const out = outputFolder(values.wvs, path, values.out);
  const shownOut = values.out ?? out.replace(`${REPO_ROOT}/`, "");
  checkFolder(out, "--out", shownOut);
  const started = performance.now();
  const minGroupSize = values["min-group"] === undefined ? undefined : Number(values["min-group"]);
  if (minGroupSize !== undefined && !(Number.isInteger(minGroupSize) && minGroupSize >= 1))
    throw new Error(`--min-group must be a positive integer, got "${values["min-group"]}"`);
  const result = await surveyGroundTruth(path, { languages, seed: values.seed ?? 1, minGroupSize });
  ensureFolder(out, "--out", shownOut);
  const files = writeSurveyResult(result, out, { languages: languages ?? "all", seed: values.seed ?? "1" });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  write(
    `${result.file.respondents.toLocaleString("en")} respondents, ${result.items.length} items kept, ${result.dropped.length} columns dropped, in ${seconds} s\n\n`,
  );
  write(
    `${table(
      ["country", "language", "respondents", "studied", "self-consistency"],
      result.countries.map((c) => [
        c.country,
        c.language,
        c.respondents,
        c.studied ? "yes" : "no",
        result.populations.find((p) => p.level === "country" && p.population === c.country)?.survey_consistency ?? null,
      ]),
    )}\n${skippedNote(result.consistency)}${suppressedNote(result.suppressed)}\nWrote ${files.map((f) => f.replace(`${REPO_ROOT}/`, "")).join(", ")}\n`,
  );
}

export { skippedNote, suppressedNote };
