/** `mca synthetic`: seeded synthetic microdata in the joint EVS/WVS file's shape, to rehearse `mca ground-truth`. */
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { languageCode } from "../../src/lib/languages.js";
import { fromRepoRoot, REPO_ROOT } from "../paths.js";
import { ensureFolder, writeReason } from "../survey/files.js";
import { DEMO_COUNTRIES, DISTRACTOR_COLUMNS, STUDY_ITEMS, writeSyntheticSurvey, type SyntheticCountry } from "../survey/synthetic.js";

const DEFAULT_RESPONDENTS = 400;
const MAX_RESPONDENTS = 1_000_000;
const MAX_EXTRA_ITEMS = 5_000;

export const SYNTHETIC_HELP = `Usage: mca synthetic --out FILE [--seed S] [--countries LIST] [--respondents N]
                     [--extra-items N] [--missing SHARE] [--force]

Writes SYNTHETIC survey microdata: a CSV in the joint EVS/WVS file's shape (cntry_AN,
lnge_iso, gwght, pwght and item columns with the study's keys, code ranges and negative
missing codes, plus columns the rules must drop). The answers are drawn at random from a
seed: they are no one's opinions. Use the file to rehearse the pipeline before you have
the real file (which needs registration on the survey's website), never as ground truth:

  npx mca synthetic --out data/raw/synthetic.csv.gz
  npx mca ground-truth --wvs data/raw/synthetic.csv.gz

Options:
  --out FILE           the file to write; gzipped when FILE ends in .gz (required)
  --seed S             seed of the draw (default 1): the same seed gives the same file
  --countries LIST     countries, comma-separated: a code of the demo set
                       (${DEMO_COUNTRIES.map((c) => c.code).join(", ")}), or CODE:LANGUAGE for any
                       other, e.g. DK,NL,FR:fr (default: the demo set)
  --respondents N      respondents per country (default: 300 to 500 per demo country,
                       ${DEFAULT_RESPONDENTS} for others)
  --extra-items N      extra generated item columns, for size tests (default 0)
  --missing SHARE      share of answers that are missing codes, in [0, 1) (default 0.06)
  --force              overwrite FILE if it exists
  -h, --help           show this help
`;

/** A whole number in [min, max] from an option's text, or an error naming the option. */
function wholeNumber(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) {
    throw new Error(`--${option} ${text}: expected a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`);
  }
  return n;
}

function share(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || n >= 1)
    throw new Error(`--missing ${text}: expected a share from 0 up to (not including) 1, e.g. 0.06`);
  return n;
}

/** Countries from `DK,NL,FR:fr`: demo countries by code, others with their interview language. */
export function parseCountries(text: string, respondents?: number): SyntheticCountry[] {
  const countries = text.split(",").map((entry) => {
    const [rawCode = "", language, ...extra] = entry.trim().split(":");
    const code = rawCode.trim().toUpperCase();
    if (!/^[A-Z]{2,3}$/.test(code) || extra.length)
      throw new Error(`--countries: "${entry.trim()}" is not a country; use a code of two or three letters, optionally with a language (FR:fr)`);
    const demo = DEMO_COUNTRIES.find((c) => c.code === code);
    if (language === undefined) {
      if (!demo)
        throw new Error(
          `--countries: ${code} is not in the demo set (${DEMO_COUNTRIES.map((c) => c.code).join(", ")}); give its interview language too, e.g. ${code}:fr`,
        );
      return { ...demo, respondents: respondents ?? demo.respondents };
    }
    const lang = languageCode(language);
    if (!lang) throw new Error(`--countries: unknown language "${language}" for ${code}; use an ISO 639-1 code such as da, nl, en, pt`);
    return { code, language: lang, respondents: respondents ?? DEFAULT_RESPONDENTS };
  });
  const seen = new Set<string>();
  for (const c of countries) {
    if (seen.has(c.code)) throw new Error(`--countries: ${c.code} is listed twice`);
    seen.add(c.code);
  }
  return countries;
}

/**
 * Writes the file beside its target as `*.tmp` and renames it into place: a failure (a full
 * disk, say) removes the temporary file and leaves an existing file as it was.
 */
async function writeAtomically(path: string, given: string, write: (tmp: string) => Promise<number>): Promise<number> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const total = await write(tmp);
    renameSync(tmp, path);
    return total;
  } catch (error) {
    const cause = (error as Error).cause ?? error;
    throw new Error(
      `${path}: could not write the file: ${writeReason(cause)}. Free some space, or choose another --out; nothing was written${existsSync(path) ? ` and ${given} is unchanged` : ""}.`,
      { cause },
    );
  } finally {
    rmSync(tmp, { force: true });
  }
}

export async function syntheticCommand(
  argv: string[],
  write: (text: string) => void = (t) => process.stdout.write(t),
  io: { open?: (path: string) => Writable } = {},
): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      seed: { type: "string" },
      countries: { type: "string" },
      respondents: { type: "string" },
      "extra-items": { type: "string" },
      missing: { type: "string" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return void write(SYNTHETIC_HELP);
  if (!values.out) throw new Error("--out FILE is required: where to write the synthetic CSV (end it in .gz to gzip it)");
  const seed = values.seed ?? "1";
  if (seed.trim() === "") throw new Error("--seed: expected a number or a word, e.g. --seed 7");
  const respondents = values.respondents === undefined ? undefined : wholeNumber("respondents", values.respondents, 1, MAX_RESPONDENTS);
  const countries =
    values.countries === undefined
      ? DEMO_COUNTRIES.map((c) => ({ ...c, respondents: respondents ?? c.respondents }))
      : parseCountries(values.countries, respondents);
  const extraItems = values["extra-items"] === undefined ? 0 : wholeNumber("extra-items", values["extra-items"], 0, MAX_EXTRA_ITEMS);
  const missing = values.missing === undefined ? undefined : share(values.missing);

  const path = fromRepoRoot(values.out);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new Error(`--out ${values.out}: is a folder; give a file name such as ${values.out.replace(/\/$/, "")}/synthetic.csv.gz`);
  if (existsSync(path) && !values.force) throw new Error(`--out ${values.out}: the file exists; pass --force to overwrite it`);
  ensureFolder(dirname(path), "--out", values.out);
  const gzip = path.endsWith(".gz");
  const total = await writeAtomically(path, values.out, (tmp) => writeSyntheticSurvey(tmp, { seed, countries, extraItems, missing, gzip, open: io.open }));
  const shown = path.replace(`${REPO_ROOT}/`, "");
  write(
    `Wrote ${shown}: SYNTHETIC survey microdata (seed ${seed}${gzip ? ", gzipped" : ""}), not real survey answers.\n` +
      `${total.toLocaleString("en")} respondents in ${countries.length} countr${countries.length > 1 ? "ies" : "y"} (${countries.map((c) => `${c.code} ${c.language}`).join(", ")}), ` +
      `${STUDY_ITEMS.length + extraItems} study item columns and ${DISTRACTOR_COLUMNS.length} other columns of the kinds the real file has.\n` +
      `Rehearse with it, never publish it as ground truth: npx mca ground-truth --wvs ${shown}\n`,
  );
}
