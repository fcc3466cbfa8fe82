/**
 * The `demo` source: synthetic survey microdata and simulated models, sent through the
 * real pipeline (DuckDB ground truth, prompt sampling, generation and judging on the
 * built-in simulated provider) into a workspace. It shows every page working without
 * network or money, and is labelled everywhere as simulated data, not research results.
 *
 * The simulated families are built to have something to find: "alpha" models align
 * better as they grow more capable in a language, "beta" models do not, and models
 * lean towards English speakers' views in languages they handle poorly.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createRng } from "../../src/lib/random.js";
import type { Workspace } from "../../src/lib/workspace.js";
import { REPO_ROOT } from "../paths.js";
import type { ModelProfile } from "../simulate/behaviour.js";
import { writeSyntheticSurvey } from "../survey/synthetic.js";
import { readWorkspace } from "../workspaceFiles.js";
import { validateConfig, type LoadedConfig, type RunConfig } from "../run/config.js";
import { runPipeline } from "../run/pipeline.js";
import { JUDGE_ERROR_RATE } from "../../src/lib/judgeError.js";

export const DEMO_DIR = join(REPO_ROOT, ".cache", "demo");
export const DEMO_LABEL = "Simulated demo: synthetic survey data and simulated models. Simulated data, not research results";

const LANGUAGES = ["da", "nl", "en", "pt"];

/** The simulated models: [id, family, size, fidelity, competence per language]. */
const MODELS: Array<[string, string, number, number, Record<string, number>]> = [
  ["alpha-2b", "alpha", 2, 0.55, { en: 0.75, da: 0.25, nl: 0.35, pt: 0.4 }],
  ["alpha-9b", "alpha", 9, 0.7, { en: 0.85, da: 0.55, nl: 0.6, pt: 0.65 }],
  ["alpha-27b", "alpha", 27, 0.85, { en: 0.95, da: 0.85, nl: 0.85, pt: 0.85 }],
  ["beta-7b", "beta", 7, 0.6, { en: 0.8, da: 0.5, nl: 0.55, pt: 0.6 }],
  ["beta-32b", "beta", 32, 0.6, { en: 0.95, da: 0.8, nl: 0.85, pt: 0.85 }],
];

/** The study's persona sentences (its side experiment), one per demo language. */
const PERSONA_SENTENCES: Record<string, string> = {
  en: "The respondents are from {country}.",
  da: "Respondenterne er fra {country}.",
  nl: "De respondenten komen uit {country}.",
  pt: "Os entrevistados são de {country}.",
};

const SIM_URL = "http://127.0.0.1:1/v1"; // replaced by the simulated provider's address

/**
 * The demo's judges and their error rates (a wrong label is one of the other two, at
 * random): the primary at the study's estimated 4.5%, and two more for the judges page.
 */
export const DEMO_JUDGES: Record<string, number> = { "sim-judge": JUDGE_ERROR_RATE, "sim-judge-2": 0.1, "sim-judge-3": 0.25 };

function demoConfig(wvs: string, benchmarks: string, out: string, cacheDir: string): RunConfig {
  const models = MODELS.map(([id, family, size]) => ({
    id,
    family,
    size,
    displayName: id.replace(/^(\w+)-(\d+)b$/, (_m, f: string, n: string) => `${f[0]!.toUpperCase()}${f.slice(1)} ${n}B (simulated)`),
    baseURL: SIM_URL,
    apiKeyEnv: "MCA_DEMO_KEY",
  }));
  return validateConfig(
    {
      name: "demo",
      languages: LANGUAGES,
      promptsPerLanguage: 48,
      seed: 7,
      wvs,
      models,
      translator: { model: "sim-translator", baseURL: SIM_URL, apiKeyEnv: "MCA_DEMO_KEY" },
      judge: { model: "sim-judge", baseURL: SIM_URL, apiKeyEnv: "MCA_DEMO_KEY" },
      judges: Object.keys(DEMO_JUDGES)
        .slice(1)
        .map((model) => ({ model, baseURL: SIM_URL, apiKeyEnv: "MCA_DEMO_KEY" })),
      budgetUSD: 0,
      prices: Object.fromEntries([...models.map((m) => m.id), "sim-translator", ...Object.keys(DEMO_JUDGES)].map((id) => [id, { input: 0, output: 0 }])),
      benchmarks,
      out,
      cacheDir,
      concurrency: 16,
      retries: 2,
      // The Personas page's data: every prompt again with a congruent and an incongruent country.
      personas: { countries: ["DK", "NL", "PT", "BR", "US", "GB"], sentences: PERSONA_SENTENCES },
    },
    "the demo configuration",
  );
}

/** Benchmark scores that follow the simulated competence, with noise, for RQ1. */
function demoBenchmarks(): string {
  const rng = createRng(7, "demo-benchmarks");
  const lines = ["model,benchmark,language,score"];
  for (const [id, , , , competence] of MODELS) {
    for (const language of LANGUAGES) {
      for (const bench of ["reading", "reasoning", "knowledge"]) {
        const score = Math.max(1, Math.min(99, 100 * competence[language]! + 6 * rng.normal()));
        lines.push(`${id},sim-${bench}-${language},${language},${score.toFixed(1)}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A stamp of everything the demo depends on: the pipeline's code and the catalogue. */
function demoStamp(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(name)) h.update(relative(REPO_ROOT, path)).update(readFileSync(path));
    }
  };
  walk(join(REPO_ROOT, "loaders"));
  walk(join(REPO_ROOT, "data", "prompts"));
  h.update(readFileSync(join(REPO_ROOT, "data", "items.json")));
  h.update(readFileSync(join(REPO_ROOT, "src", "lib", "interviews.ts")));
  return h.digest("hex").slice(0, 16);
}

/** Builds the demo workspace (or reuses the one built from the same code) and reads it. */
export async function demoWorkspace(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<Workspace> {
  const stamp = demoStamp();
  const dir = join(DEMO_DIR, stamp);
  const out = join(dir, "workspace");
  if (!existsSync(join(out, "provenance.parquet"))) {
    mkdirSync(dir, { recursive: true });
    const wvs = join(dir, "synthetic-survey.csv.gz");
    if (!existsSync(wvs)) await writeSyntheticSurvey(wvs, { seed: 7 });
    const benchmarks = join(dir, "benchmarks.csv");
    writeFileSync(benchmarks, demoBenchmarks());
    const config = demoConfig(wvs, benchmarks, out, join(dir, "llm-cache"));
    const loaded: LoadedConfig = { config, baseDir: dir, path: join(dir, "demo-config.json"), hash: stamp };
    writeFileSync(loaded.path, `${JSON.stringify(config, null, 2)}\n`);
    const profiles: Record<string, ModelProfile> = Object.fromEntries(MODELS.map(([id, , , fidelity, competence]) => [id, { fidelity, competence }]));
    log(`demo: building the simulated demo workspace in ${relative(REPO_ROOT, out)}`);
    await runPipeline(loaded, {
      simulate: { profiles, judgeErrors: DEMO_JUDGES },
      log: (l) => log(`demo: ${l}`),
      progress: null,
      now: () => new Date("2026-01-01T00:00:00Z"),
    });
  }
  const ws = readWorkspace(out);
  const provenance = ws.provenance.filter((p) => p.key !== "source" && p.key !== "source_label");
  return { ...ws, provenance: [{ key: "source", value: "demo" }, { key: "source_label", value: DEMO_LABEL }, ...provenance] };
}
