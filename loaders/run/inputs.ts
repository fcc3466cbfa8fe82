/**
 * A run's inputs besides the catalogue, read and checked before the plan, so a bad file
 * never surfaces after the spending: the ground truth (survey microdata, the study's, or
 * another workspace's, each checked like a workspace table) and the benchmarks CSV.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { languageCode } from "../../src/lib/languages.js";
import { checkTable, type BenchmarkRow, type GroundTruthRow, type PopulationRow, type ProvenanceRow } from "../../src/lib/workspace.js";
import { numberCell, readCsv } from "../csv.js";
import { readParquet } from "../parquet.js";
import { REPO_ROOT } from "../paths.js";
import { paperWorkspace } from "../sources/paper.js";
import { resolveRelease } from "../sources/paperRelease.js";
import { skippedNote, suppressedNote } from "../survey/notes.js";
import { surveyGroundTruth } from "../survey/groundTruth.js";
import { writeSurveyResult } from "../survey/write.js";
import { configPath, type LoadedConfig } from "./config.js";
import { fileSha256 } from "./provenance.js";

export interface GroundTruthInput {
  ground_truth: GroundTruthRow[];
  populations: PopulationRow[];
  description: string;
  provenance: ProvenanceRow[];
  /** Writes the survey's own files into the run folder (a microdata run only). */
  save?: (dir: string) => void;
}

/** The run's ground truth, checked; nothing is written (a microdata run's files are written by `save`, with the workspace). */
export async function groundTruthFor(loaded: LoadedConfig, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<GroundTruthInput> {
  const c = loaded.config;
  const gt = c.wvs ? await fromSurvey(loaded, log) : c.groundTruth === "paper" ? await fromPaper(env) : fromWorkspace(loaded);
  const where = c.wvs ? `the ground truth computed from ${c.wvs}` : c.groundTruth === "paper" ? "the study's ground truth" : configPath(loaded, c.groundTruth!);
  const problems = [
    ...checkTable("ground_truth", gt.ground_truth as unknown as Array<Record<string, unknown>>, `${where}/ground_truth.parquet`),
    ...checkTable("populations", gt.populations as unknown as Array<Record<string, unknown>>, `${where}/populations.parquet`),
  ];
  if (gt.ground_truth.length === 0) problems.push(`${where}/ground_truth.parquet: no rows`);
  if (problems.length) {
    throw new Error(
      `groundTruth: the ground truth is not usable (checked before the plan; nothing was sent):\n  - ${problems.join("\n  - ")}\nFix the table, or point groundTruth at another workspace folder (or "paper").`,
    );
  }
  return gt;
}

async function fromSurvey(loaded: LoadedConfig, log: (line: string) => void): Promise<GroundTruthInput> {
  const c = loaded.config;
  const path = configPath(loaded, c.wvs!);
  log(`ground truth: reading ${path} with DuckDB`);
  const survey = await surveyGroundTruth(path, { languages: c.languages, seed: c.seed });
  for (const note of [skippedNote(survey.consistency), suppressedNote(survey.suppressed)]) if (note) log(`ground truth: ${note.trim()}`);
  return {
    ground_truth: survey.groundTruth,
    populations: survey.populations,
    description: `survey microdata ${survey.file.name} (${survey.file.respondents} respondents)`,
    provenance: [
      { key: "survey_file", value: survey.file.name },
      { key: "sha256:survey", value: survey.file.sha256 },
      { key: "survey_items", value: String(survey.items.length) },
    ],
    save: (dir) => writeSurveyResult(survey, join(dir, "survey"), { languages: c.languages, seed: String(c.seed) }),
  };
}

async function fromPaper(env: NodeJS.ProcessEnv): Promise<GroundTruthInput> {
  const release = await resolveRelease(env).catch((error: Error) => {
    throw new Error(
      `groundTruth "paper" needs the study's release. ${error.message.replace(/,? or choose another source \(MCA_SOURCE[^)]*\)\.?$/, ".")} Or give the survey microdata (wvs), or another workspace's folder, as the ground truth.`,
    );
  });
  const ws = paperWorkspace(release);
  const commit = ws.provenance.find((r) => r.key === "commit")?.value ?? "";
  const sums = ws.provenance.filter((r) => /^sha256:ground_truth/.test(r.key));
  return {
    ground_truth: ws.ground_truth,
    populations: ws.populations,
    description: "the study's published ground truth",
    provenance: [{ key: "ground_truth_source", value: `paper (commit ${commit})` }, ...sums],
  };
}

function fromWorkspace(loaded: LoadedConfig): GroundTruthInput {
  const dir = configPath(loaded, loaded.config.groundTruth!);
  const read = (t: string) => {
    const path = join(dir, `${t}.parquet`);
    if (!existsSync(path)) throw new Error(`groundTruth: ${path} is missing; point groundTruth at a workspace folder (or "paper")`);
    try {
      return readParquet(readFileSync(path));
    } catch (error) {
      throw new Error(
        `groundTruth: ${path} cannot be read as Parquet (${(error as Error).message}); point groundTruth at a workspace folder made by mca (or "paper")`,
      );
    }
  };
  const name = relative(REPO_ROOT, dir).startsWith("..") ? basename(dir) : relative(REPO_ROOT, dir);
  return {
    ground_truth: read("ground_truth") as unknown as GroundTruthRow[],
    populations: read("populations") as unknown as PopulationRow[],
    description: `ground truth of the workspace ${name}`,
    provenance: [
      { key: "ground_truth_source", value: name },
      { key: "sha256:ground_truth.parquet", value: fileSha256(join(dir, "ground_truth.parquet")) },
      { key: "sha256:populations.parquet", value: fileSha256(join(dir, "populations.parquet")) },
    ],
  };
}

/** The benchmarks CSV, checked: every model one of the run's, languages known, scores on 0-100. */
export function readBenchmarks(loaded: LoadedConfig, models: readonly string[]): BenchmarkRow[] {
  if (!loaded.config.benchmarks) return [];
  const path = configPath(loaded, loaded.config.benchmarks);
  const fix = `fix the path in ${loaded.path} (a relative path is read from the config file's folder), or remove benchmarks to run without RQ1`;
  if (!existsSync(path)) throw new Error(`benchmarks: ${path} does not exist; ${fix}`);
  if (!statSync(path).isFile()) throw new Error(`benchmarks: ${path} is a folder, not a CSV file; ${fix}`);
  const name = basename(path);
  return readCsv(path, ["model", "benchmark", "language", "score"]).map((r, i) => {
    if (!models.includes(r.model!)) throw new Error(`${name}, line ${i + 2}: model "${r.model}" is not one of the run's models (${models.join(", ")})`);
    const language = languageCode(r.language!);
    if (!language) throw new Error(`${name}, line ${i + 2}: unknown language "${r.language}"`);
    const score = numberCell(r, "score", name, i + 2);
    if (score === null || score < 0 || score > 100) throw new Error(`${name}, line ${i + 2}: score must be on a 0-100 scale, got "${r.score}"`);
    return { model: r.model!, benchmark: r.benchmark!, language, score };
  });
}
