/**
 * Maps the study's release into the workspace tables (docs/data-sources.md).
 *
 * - Responses (with the study's own draw of the two baselines) come from
 *   latest_results_with_baseline.csv. The release has no prompt texts or response
 *   texts for them, so those columns are null.
 * - Ground truth comes only from the three ground_truth_* files; the
 *   `ground_truth_pro_score` column of the responses file is from an older
 *   computation and is ignored.
 * - Benchmarks are keyed by model id; the file names models by display name (and two
 *   aliases) and languages in English.
 */
import { readFileSync } from "node:fs";
import { languageCode } from "../../src/lib/languages.js";
import { parseOlsSummary, type PublishedOls } from "../../src/lib/publishedOls.js";
import {
  BASELINE_FAMILY,
  FIFTY_BASELINE,
  UNIFORM_BASELINE,
  type BenchmarkRow,
  type GroundTruthRow,
  type ItemRow,
  type ModelRow,
  type PopulationRow,
  type ProvenanceRow,
  type ResponseRow,
  type Workspace,
} from "../../src/lib/workspace.js";
import { numberCell, readCsv } from "../csv.js";
import { paperPersonas } from "./paperPersonas.js";
import { PAPER_BASE_URL, PAPER_COMMIT, PAPER_REPO, RELEASE_FILES, type ResolvedRelease } from "./paperRelease.js";

/** The study's models: id, display name, family and size in billions of parameters. */
export const PAPER_MODELS: readonly ModelRow[] = [
  { model: "OLMo-2-1124-7B-Instruct", display_name: "OLMo-2 7B", family: "olmo", size: 7 },
  { model: "OLMo-2-1124-13B-Instruct", display_name: "OLMo-2 13B", family: "olmo", size: 13 },
  { model: "OLMo-2-0325-32B-Instruct", display_name: "OLMo-2 32B", family: "olmo", size: 32 },
  { model: "gemma-2-2b-it", display_name: "Gemma-2 2B", family: "gemma", size: 2 },
  { model: "gemma-2-9b-it", display_name: "Gemma-2 9B", family: "gemma", size: 9 },
  { model: "gemma-2-27b-it", display_name: "Gemma-2 27B", family: "gemma", size: 27 },
  { model: "gpt-3.5-turbo-0125", display_name: "GPT-3.5 Turbo", family: "openai", size: null },
  { model: "gpt-4-turbo-2024-04-09", display_name: "GPT-4 Turbo", family: "openai", size: null },
  { model: "gpt-4o", display_name: "GPT-4o", family: "openai", size: null },
  { model: UNIFORM_BASELINE, display_name: "Uniform-random baseline", family: BASELINE_FAMILY, size: null },
  { model: FIFTY_BASELINE, display_name: "Fifty-percent baseline", family: BASELINE_FAMILY, size: null },
];

/** Names the benchmark file uses for models, mapped to model ids (display names and two aliases). */
export const BENCHMARK_MODEL_ALIASES: ReadonlyMap<string, string> = new Map([
  ...PAPER_MODELS.map((m) => [m.display_name, m.model] as const),
  ["gpt-4-turbo", "gpt-4-turbo-2024-04-09"],
  ["gpt-4o", "gpt-4o"],
  ["gpt-4o-2024-05-13", "gpt-4o"],
]);

function file(release: ResolvedRelease, name: string): string {
  const path = release.paths.get(name);
  if (!path) throw new Error(`The release is missing ${name}`);
  return path;
}

function responses(release: ResolvedRelease): ResponseRow[] {
  const name = "latest_results_with_baseline.csv";
  const rows = readCsv(file(release, name), ["model_name", "model_family", "language", "response_language", "question_key", "response_pro_score"]);
  return rows.map((r, i) => ({
    model: r.model_name!,
    family: r.model_family!,
    language: r.language!,
    item: r.question_key!.toLowerCase(),
    template_id: null,
    topic_id: null,
    prompt: null,
    response_text: null,
    labels: null,
    response_language: r.response_language!,
    vps: numberCell(r, "response_pro_score", name, i + 2),
  }));
}

function groundTruth(release: ResolvedRelease): GroundTruthRow[] {
  const out: GroundTruthRow[] = [];
  const add = (name: string, level: GroundTruthRow["level"], popColumn: string | null) => {
    const rows = readCsv(file(release, name), [...(popColumn ? [popColumn] : []), "question_key", "pro_score"]);
    rows.forEach((r, i) => {
      const score = numberCell(r, "pro_score", name, i + 2);
      if (score === null) return;
      const population = popColumn === null ? "global" : level === "country" ? r[popColumn]!.toUpperCase() : r[popColumn]!.toLowerCase();
      out.push({ level, population, item: r.question_key!.toLowerCase(), pro_score: score, n: null });
    });
  };
  add("ground_truth_every_country.csv", "country", "cntry_an");
  add("ground_truth_per_language.csv", "language", "lnge_iso");
  add("ground_truth_global.csv", "global", null);
  return out;
}

function benchmarks(release: ResolvedRelease): BenchmarkRow[] {
  const name = "multilingual_benchmarks.csv";
  const rows = readCsv(file(release, name), ["model", "benchmark", "language", "score"]);
  return rows.map((r, i) => {
    const model = BENCHMARK_MODEL_ALIASES.get(r.model!);
    if (!model) throw new Error(`${name}, line ${i + 2}: unknown model "${r.model}" (known: ${[...BENCHMARK_MODEL_ALIASES.keys()].join(", ")})`);
    const language = languageCode(r.language!);
    if (!language) throw new Error(`${name}, line ${i + 2}: unknown language "${r.language}"; use an English name or an ISO 639-1 code`);
    const score = numberCell(r, "score", name, i + 2);
    if (score === null) throw new Error(`${name}, line ${i + 2}: missing score`);
    return { model, benchmark: r.benchmark!, language, score };
  });
}

function items(release: ResolvedRelease, keys: Set<string>): ItemRow[] {
  const stancesFile = "stance_labels.json";
  const stances = JSON.parse(readFileSync(file(release, stancesFile), "utf8")) as Record<string, [string, string]>;
  const promptsFile = "translated_prompts_with_english_no_controversy.csv";
  const names = new Map<string, string>();
  for (const r of readCsv(file(release, promptsFile), ["question_key", "question_name"])) {
    names.set(r.question_key!.toLowerCase(), r.question_name!);
  }
  return [...keys].sort().map((item) => {
    const stance = stances[item];
    if (!stance) throw new Error(`${stancesFile}: no pro/con statements for item "${item}"`);
    return {
      item,
      name: names.get(item) ?? item.toUpperCase(),
      category: item[0]!.toUpperCase(),
      pro_statement: stance[0],
      con_statement: stance[1],
    };
  });
}

function populations(release: ResolvedRelease, gt: readonly GroundTruthRow[]): PopulationRow[] {
  const langFile = "country_languages.csv";
  const consFile = "gt_self_consistency.csv";
  const langOf = new Map(readCsv(file(release, langFile), ["cntry_AN", "lnge_iso"]).map((r) => [r.cntry_AN!.toUpperCase(), r.lnge_iso!]));
  const consRows = readCsv(file(release, consFile), ["cntry_AN", "self_consistency"]);
  const cons = new Map(consRows.map((r, i) => [r.cntry_AN!.toUpperCase(), numberCell(r, "self_consistency", consFile, i + 2)]));
  const out: PopulationRow[] = [{ level: "global", population: "global", language: null, survey_consistency: null }];
  for (const lang of [...new Set(gt.filter((g) => g.level === "language").map((g) => g.population))].sort()) {
    out.push({ level: "language", population: lang, language: lang, survey_consistency: null });
  }
  for (const country of [...new Set(gt.filter((g) => g.level === "country").map((g) => g.population))].sort()) {
    const language = langOf.get(country);
    if (!language) throw new Error(`${langFile}: no dominant language for country "${country}"`);
    out.push({ level: "country", population: country, language, survey_consistency: cons.get(country) ?? null });
  }
  return out;
}

function publishablePath(path: string): string {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) ? `…/${path.split(/[\\/]/).filter(Boolean).slice(-2).join("/")}` : path;
}

/** Builds the workspace from a resolved release. */
export function paperWorkspace(release: ResolvedRelease, builtAt = new Date().toISOString()): Workspace {
  const resp = responses(release);
  const gt = groundTruth(release);
  const provenance: ProvenanceRow[] = [
    { key: "source", value: "paper" },
    { key: "source_label", value: "The study's published release (Rystrøm, Kirk & Hale, 2025)" },
    { key: "repository", value: `https://github.com/${PAPER_REPO}` },
    { key: "commit", value: PAPER_COMMIT },
    {
      key: "origin",
      // A local folder is named as given when relative, else by its last two parts: no machine's absolute path is published.
      value:
        release.origin === "local" ? `local copy (MCA_PAPER_DATA=${publishablePath(release.given ?? release.folder)})` : `downloaded from ${PAPER_BASE_URL}`,
    },
    ...RELEASE_FILES.map((f) => ({ key: `sha256:${f.name}`, value: f.sha256 })),
    // The study's judge (docs/pipeline.md, "Generation and judging"); its labels are not in the release, only the scores.
    { key: "judge", value: "gpt-4.1" },
    { key: "built_at", value: builtAt },
  ];
  return {
    responses: resp,
    ground_truth: gt,
    benchmarks: benchmarks(release),
    models: PAPER_MODELS.map((m) => ({ ...m })),
    items: items(release, new Set(resp.map((r) => r.item))),
    populations: populations(release, gt),
    provenance,
    personas: paperPersonas(file(release, "demographic-gemma-results.csv")),
  };
}

/** The study's published RQ1 table (text), from the release. */
export function publishedRq1Text(release: ResolvedRelease): string {
  return readFileSync(file(release, "published/rq1_mixedlm_interaction.txt"), "utf8");
}

const PUBLISHED_US_BIAS = "published/us_bias_ols_normal.txt";

/** The study's published US-bias table, parsed (errors name the file and the line). */
export function publishedUsBias(release: ResolvedRelease): PublishedOls {
  return parseOlsSummary(readFileSync(file(release, PUBLISHED_US_BIAS), "utf8"), PUBLISHED_US_BIAS);
}
