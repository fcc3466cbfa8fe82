/**
 * Seeded synthetic microdata in the joint EVS/WVS file's shape: the same required
 * columns (cntry_AN, lnge_iso, gwght, pwght), item columns named and coded like the
 * real ones (scales 1..3, 1..4, 1..5, 1..10), the real file's negative missing codes,
 * columns the rules must drop, and minority interview languages. Countries differ in
 * their answers, so ground truth varies by population. Used by tests, the demo and the
 * benchmarks; the real file needs registration on the survey's website.
 */
import { createWriteStream } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { createRng, type Rng } from "../../src/lib/random.js";
import { writeReason } from "./files.js";

/** Missing codes of the joint file: don't know, no answer, not asked, not applicable, missing. */
export const MISSING_CODES = [-1, -2, -3, -4, -5];

export interface SyntheticCountry {
  code: string;
  language: string;
  /** A second interview language used by some respondents. */
  minority?: { language: string; share: number };
  respondents: number;
}

export interface SyntheticItem {
  column: string;
  maxCode: number;
}

/** Items with the study's keys and realistic scales. */
export const STUDY_ITEMS: readonly SyntheticItem[] = [
  ["C001_01", 3],
  ["C002_01", 3],
  ["D026_03", 5],
  ["D054", 4],
  ["D059", 4],
  ["D060", 4],
  ["E035", 10],
  ["E069_02", 4],
  ["E069_04", 4],
  ["E069_05", 4],
  ["E069_08", 4],
  ["E069_13", 4],
  ["E069_20", 4],
  ["E116", 4],
  ["E117", 4],
  ["E233B", 10],
  ["E235", 10],
  ["E236", 10],
  ["E265_01", 4],
  ["E290", 10],
  ["F028", 8],
  ["F114A", 10],
  ["F115", 10],
  ["F116", 10],
  ["F117", 10],
  ["F118", 10],
  ["F120", 10],
  ["F121", 10],
  ["F132", 10],
  ["F144_02", 10],
  ["H010", 4],
  ["H011", 4],
].map(([column, maxCode]) => ({ column: column as string, maxCode: maxCode as number }));

/** Columns present in the real file that the rules must drop or ignore. */
export const DISTRACTOR_COLUMNS: readonly SyntheticItem[] = [
  { column: "E028", maxCode: 3 }, // excluded by the study
  { column: "E225", maxCode: 10 }, // excluded by the study
  { column: "F025", maxCode: 9 }, // excluded by the study
  { column: "E069_01_EVS5", maxCode: 4 }, // wave-specific
  { column: "A008", maxCode: 4 }, // not a study item letter, but kept as an Inglehart–Welzel map item (docs/pipeline.md)
  { column: "X001", maxCode: 2 }, // respondent sex: not an item
  { column: "F034", maxCode: 3 }, // excluded by the study
  { column: "E179WVS7", maxCode: 30 }, // wave-specific
  { column: "D001_B", maxCode: 4 },
];

export const DEMO_COUNTRIES: readonly SyntheticCountry[] = [
  { code: "DK", language: "da", respondents: 400 },
  { code: "NL", language: "nl", respondents: 400 },
  { code: "PT", language: "pt", respondents: 300 },
  { code: "BR", language: "pt", respondents: 400 },
  { code: "US", language: "en", minority: { language: "es", share: 0.1 }, respondents: 500 },
  { code: "GB", language: "en", respondents: 400 },
  { code: "NZ", language: "en", respondents: 300 },
  { code: "CA", language: "en", minority: { language: "fr", share: 0.25 }, respondents: 400 },
];

export interface SyntheticOptions {
  seed: number | string;
  countries?: readonly SyntheticCountry[];
  items?: readonly SyntheticItem[];
  /** Extra generated item columns (for size benchmarks): named like B9xx_nn with scales 1..4 to 1..10. */
  extraItems?: number;
  /** Share of answers that are missing codes (default 0.06). */
  missing?: number;
  /** gzip the output (default: by file extension .gz). */
  gzip?: boolean;
  /** Opens the file for writing (default: fs.createWriteStream); tests inject a full disk here. */
  open?: (path: string) => Writable;
}

export function syntheticColumns(options: Pick<SyntheticOptions, "items" | "extraItems">): SyntheticItem[] {
  const scales = [4, 5, 10, 3, 7];
  const extra = Array.from({ length: options.extraItems ?? 0 }, (_, i) => ({
    column: `${"BCDEFH"[i % 6]}9${String(Math.floor(i / 6)).padStart(2, "0")}_${String(i % 97).padStart(2, "0")}`,
    maxCode: scales[i % scales.length]!,
  }));
  return [...(options.items ?? [...STUDY_ITEMS, ...DISTRACTOR_COLUMNS]), ...extra];
}

/** A country's tendency towards the low codes of an item, in (0, 1). */
function tendency(rng: Rng): number {
  return Math.min(0.95, Math.max(0.05, 0.5 + 0.22 * rng.normal()));
}

/** The CSV text in chunks of about 1 MiB: the header, then each country's respondents; `count.total` counts them. */
function* syntheticChunks(options: SyntheticOptions, count: { total: number }): Generator<string> {
  const rng = createRng(String(options.seed), "synthetic-survey");
  const columns = syntheticColumns(options);
  const missing = options.missing ?? 0.06;
  yield `${["cntry_AN", "lnge_iso", "gwght", "pwght", ...columns.map((c) => c.column)].join(",")}\n`;
  for (const country of options.countries ?? DEMO_COUNTRIES) {
    const crng = rng.fork(`country/${country.code}`);
    const lean = columns.map(() => tendency(crng));
    const pwght = (0.4 + 1.2 * crng.next()).toFixed(4);
    let chunk = "";
    for (let r = 0; r < country.respondents; r++) {
      const language = country.minority && crng.next() < country.minority.share ? country.minority.language : country.language;
      const gwght = (0.5 + crng.next()).toFixed(4);
      const cells: Array<string | number> = [country.code, language, gwght, pwght];
      const person = 0.12 * crng.normal();
      for (let k = 0; k < columns.length; k++) {
        const { maxCode } = columns[k]!;
        if (crng.next() < missing) {
          cells.push(MISSING_CODES[crng.int(MISSING_CODES.length)]!);
          continue;
        }
        // A latent position in [0, 1) mapped onto 1..maxCode; low codes are likelier where lean is high.
        const p = Math.min(0.999, Math.max(0, 1 - lean[k]! + person + 0.28 * crng.normal()));
        cells.push(1 + Math.min(maxCode - 1, Math.floor(p * maxCode)));
      }
      chunk += `${cells.join(",")}\n`;
      count.total++;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
}

/**
 * Writes a synthetic joint-file CSV to `path` and returns the number of respondents.
 * Streams rows, so files of the real file's size (about 150,000 × 500) fit in memory. A
 * failed write (a full disk, say) rejects with the file and the cause, and every stream is
 * closed; removing the partial file is the caller's (see `mca synthetic`).
 */
export async function writeSyntheticSurvey(path: string, options: SyntheticOptions): Promise<number> {
  const count = { total: 0 };
  const gzip = options.gzip ?? path.endsWith(".gz");
  try {
    const file = (options.open ?? createWriteStream)(path);
    const source = Readable.from(syntheticChunks(options, count), { objectMode: false });
    await (gzip ? pipeline(source, createGzip(), file) : pipeline(source, file));
  } catch (error) {
    throw new Error(`${path}: could not write the file: ${writeReason(error)}.`, { cause: error });
  }
  return count.total;
}
