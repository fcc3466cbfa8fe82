/**
 * `mca run`: prompts, then generation, then judging, into a workspace (design §2.2, §3).
 *
 * Safe with money and time: every answer goes through a durable content-addressed
 * cache, so a rerun (or a run resumed after a crash) asks nothing twice; the plan and
 * its cost estimate come first and the run refuses to start over budget; requests are
 * bounded in number, retried with backoff and timed out; answers are validated and
 * failures recorded, never cached. API keys are read from the environment and kept
 * in memory only.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type OpenAI from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { BASELINE_MODELS, drawBaselines } from "../../src/lib/baselines.js";
import { valuePolarity, type Label } from "../../src/lib/interviews.js";
import { languageCode } from "../../src/lib/languages.js";
import { createRng, hashString } from "../../src/lib/random.js";
import {
  TABLES,
  validateWorkspace,
  type BenchmarkRow,
  type GroundTruthRow,
  type JudgementRow,
  type ModelRow,
  type PopulationRow,
  type ProvenanceRow,
  type ResponseRow,
  type Workspace,
} from "../../src/lib/workspace.js";
import { numberCell, readCsv } from "../csv.js";
import { runBatch, type BatchRequest } from "../llm/batch.js";
import { ResponseCache } from "../llm/cache.js";
import { cachedChat, describeError, makeClient, requestKey, type Endpoint } from "../llm/chat.js";
import { runPool } from "../llm/pool.js";
import { cost, estimateTokens } from "../llm/pricing.js";
import { Progress } from "../llm/progress.js";
import { readParquet } from "../parquet.js";
import { REPO_ROOT } from "../paths.js";
import { startSimulatedServer, type SimulatedServerOptions } from "../simulate/server.js";
import type { ModelProfile, SimulationWorld } from "../simulate/behaviour.js";
import { paperWorkspace } from "../sources/paper.js";
import { resolveRelease } from "../sources/paperRelease.js";
import { surveyGroundTruth } from "../survey/groundTruth.js";
import { writeSurveyResult } from "../survey/write.js";
import { tableParquet } from "../workspaceFiles.js";
import { itemRows, loadCatalogue, loadPromptSet, samplePrompts, savePromptSet, type Catalogue, type PromptSet, type SampledPrompt } from "./catalogue.js";
import { configPath, judgeName, judgesOf, outputDir, type LoadedConfig, type ModelConfig, type RunConfig } from "./config.js";
import { generationBody, judgeBody, parseGeneration, parseJudgement, parseTranslation, translationBody } from "./stages.js";

export interface RunOptions {
  dryRun?: boolean;
  batch?: boolean;
  /** Run against the built-in simulated provider (offline, free). Profiles override the defaults per model id. */
  simulate?: boolean | { profiles?: Record<string, ModelProfile>; judgeErrors?: Record<string, number>; server?: Partial<SimulatedServerOptions> };
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  progress?: NodeJS.WriteStream | null;
  /** Where translations are read and written (default data/; tests use a temporary folder). */
  catalogueDir?: string;
  /** Fixed timestamps, for reproducible test output. */
  now?: () => Date;
  batchPollMs?: number;
}

export interface PlanRow {
  stage: "translate" | "generate" | "judge";
  model: string;
  language: string;
  requests: number;
  cached: number;
  inputTokens: number;
  outputTokens: number;
  costUSD: number;
}

export interface RunResult {
  outDir: string;
  plan: PlanRow[];
  estimateUSD: number;
  workspace?: Workspace;
  failures: Failure[];
  /** Requests sent to an endpoint (not answered from the cache), by stage. */
  requests: Record<string, number>;
}

export interface Failure {
  stage: string;
  model: string;
  /** The judge, for a judging failure. */
  judge?: string;
  language: string;
  item?: string;
  prompt_id?: string;
  error: string;
  attempts: number;
}

interface GroundTruthInput {
  ground_truth: GroundTruthRow[];
  populations: PopulationRow[];
  description: string;
  provenance: ProvenanceRow[];
}

async function groundTruthFor(loaded: LoadedConfig, outDir: string, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<GroundTruthInput> {
  const c = loaded.config;
  if (c.wvs) {
    const path = configPath(loaded, c.wvs);
    log(`ground truth: reading ${path} with DuckDB`);
    const survey = await surveyGroundTruth(path, { languages: c.languages, seed: c.seed });
    writeSurveyResult(survey, join(outDir, "survey"), { languages: c.languages, seed: String(c.seed) });
    return {
      ground_truth: survey.groundTruth,
      populations: survey.populations,
      description: `survey microdata ${survey.file.name} (${survey.file.respondents} respondents)`,
      provenance: [
        { key: "survey_file", value: survey.file.name },
        { key: "sha256:survey", value: survey.file.sha256 },
        { key: "survey_items", value: String(survey.items.length) },
      ],
    };
  }
  if (c.groundTruth === "paper") {
    const ws = paperWorkspace(await resolveRelease(env));
    return { ground_truth: ws.ground_truth, populations: ws.populations, description: "the study's published ground truth", provenance: [{ key: "ground_truth_source", value: "paper" }] };
  }
  const dir = configPath(loaded, c.groundTruth!);
  const read = (t: string) => {
    const path = join(dir, `${t}.parquet`);
    if (!existsSync(path)) throw new Error(`groundTruth: ${path} is missing; point groundTruth at a workspace folder (or "paper")`);
    return readParquet(readFileSync(path));
  };
  return {
    ground_truth: read("ground_truth") as unknown as GroundTruthRow[],
    populations: read("populations") as unknown as PopulationRow[],
    description: `ground truth of the workspace ${dir}`,
    provenance: [{ key: "ground_truth_source", value: dir }],
  };
}

function readBenchmarks(loaded: LoadedConfig, models: readonly string[]): BenchmarkRow[] {
  if (!loaded.config.benchmarks) return [];
  const path = configPath(loaded, loaded.config.benchmarks);
  const name = path.split("/").pop()!;
  return readCsv(path, ["model", "benchmark", "language", "score"]).map((r, i) => {
    if (!models.includes(r.model!)) throw new Error(`${name}, line ${i + 2}: model "${r.model}" is not one of the run's models (${models.join(", ")})`);
    const language = languageCode(r.language!);
    if (!language) throw new Error(`${name}, line ${i + 2}: unknown language "${r.language}"`);
    const score = numberCell(r, "score", name, i + 2);
    if (score === null || score < 0 || score > 100) throw new Error(`${name}, line ${i + 2}: score must be on a 0-100 scale, got "${r.score}"`);
    return { model: r.model!, benchmark: r.benchmark!, language, score };
  });
}

/** A default simulated profile per model id: stable, varied. */
function defaultProfile(id: string): ModelProfile {
  const rng = createRng(hashString(id), "profile");
  return { fidelity: 0.3 + 0.6 * rng.next(), defaultCompetence: 0.4 + 0.55 * rng.next(), competence: { en: 0.95 } };
}

function worldFor(gt: GroundTruthInput, sets: ReadonlyMap<string, PromptSet>, c: RunConfig, sim: Exclude<RunOptions["simulate"], boolean | undefined>): SimulationWorld {
  const truths: SimulationWorld["truths"] = {};
  for (const g of gt.ground_truth) {
    if (g.level !== "language") continue;
    (truths[g.item] ??= {})[g.population] = g.pro_score;
  }
  const topics = new Map<string, [string, string]>();
  for (const [language, set] of sets) for (const [item, phrases] of Object.entries(set.topics)) for (const p of phrases) topics.set(p, [item, language]);
  const profiles = Object.fromEntries(c.models.map((m) => [m.model ?? m.id, sim.profiles?.[m.id] ?? defaultProfile(m.id)]));
  return { truths, topics, profiles, judgeErrors: sim.judgeErrors };
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const endpointOf = (m: ModelConfig): Endpoint => ({ model: m.model ?? m.id, baseURL: m.baseURL, apiKeyEnv: m.apiKeyEnv });

/** A response's stable id: the same model and prompt give the same id in every run. */
export function responseId(model: string, promptId: string): string {
  return createHash("sha256").update(`${model}\u0000${promptId}`).digest("hex").slice(0, 16);
}

/**
 * A simulated run's config: endpoints are marked, so its answers are cached apart from
 * the real endpoints' (a real run never gets a simulated answer from the cache).
 */
function simulatedConfig(c: RunConfig): RunConfig {
  const mark = (url: string) => `simulated+${url}`;
  return {
    ...c,
    models: c.models.map((m) => ({ ...m, baseURL: mark(m.baseURL) })),
    ...(c.judge ? { judge: { ...c.judge, baseURL: mark(c.judge.baseURL) } } : {}),
    ...(c.judges ? { judges: c.judges.map((j) => ({ ...j, baseURL: mark(j.baseURL) })) } : {}),
    translator: { ...c.translator, baseURL: mark(c.translator.baseURL) },
  };
}

export async function runPipeline(loaded: LoadedConfig, options: RunOptions = {}): Promise<RunResult> {
  const c = options.simulate ? simulatedConfig(loaded.config) : loaded.config;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  // A simulated run without an explicit output folder never writes over a real run's.
  const outDir = options.simulate && !loaded.config.out ? `${outputDir(loaded)}-simulated` : outputDir(loaded);
  const cache = new ResponseCache(c.cacheDir ? configPath(loaded, c.cacheDir) : join(REPO_ROOT, "data", "cache", "llm"));
  const retry = { retries: c.retries ?? 4 };
  const minSummaries = c.minSummaries ?? 3;
  const timeoutMs = (c.timeoutSeconds ?? 120) * 1000;
  const concurrency = c.concurrency ?? 8;
  const failures: Failure[] = [];
  const requests: Record<string, number> = { translate: 0, generate: 0, judge: 0 };

  // Inputs: catalogue, items, ground truth.
  const catalogue: Catalogue = loadCatalogue();
  const known = new Set(catalogue.items.map((i) => i.item));
  const items = c.items ?? catalogue.items.map((i) => i.item);
  const unknown = items.filter((i) => !known.has(i));
  if (unknown.length) throw new Error(`items: unknown item key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (the catalogue in data/items.json has ${[...known].join(", ")})`);
  if (!options.dryRun) mkdirSync(outDir, { recursive: true });
  const gt = await groundTruthFor(loaded, options.dryRun ? join(outDir, ".dry-run") : outDir, log, env);
  log(`ground truth: ${gt.description}: ${gt.ground_truth.length} rows`);

  // Prompt sets: committed translations, or translations still to make.
  const sets = new Map<string, PromptSet>();
  const missing: string[] = [];
  for (const language of c.languages) {
    const set = loadPromptSet(language, catalogue, options.catalogueDir);
    if (set) sets.set(language, set);
    else missing.push(language);
  }

  // Endpoints (the simulated provider replaces every base URL and key).
  const simulate = options.simulate ? (options.simulate === true ? {} : options.simulate) : null;
  const clients = new Map<string, OpenAI>();
  let server: Awaited<ReturnType<typeof startSimulatedServer>> | null = null;
  const clientFor = (e: Endpoint): OpenAI => {
    const endpoint = server ? { ...e, baseURL: server.url } : e;
    const id = `${endpoint.baseURL}\u0000${endpoint.apiKeyEnv}`;
    if (!clients.has(id)) clients.set(id, makeClient(endpoint, { timeoutMs, env, ...(server ? { apiKey: "simulated" } : {}) }));
    return clients.get(id)!;
  };

  try {
    if (missing.length && !options.dryRun) {
      if (simulate) server ??= await startSimulatedServer({ world: worldFor(gt, sets, c, simulate), ...simulate.server });
      for (const language of missing) sets.set(language, await translateLanguage(language, catalogue, c.translator, { cache, clientFor, retry, log, failures, requests, dir: options.catalogueDir }));
    }
    // Templates a translation could not keep {topic} in are left out (and reported).
    const skip = new Map([...sets].map(([language, set]) => [language, new Set(set.templates.flatMap((t, i) => (t === "" ? [i] : [])))]));
    const prompts = samplePrompts(sets, items, c.promptsPerLanguage, createRng(String(c.seed), "prompts"), skip);

    // The plan: requests per model and language, what is cached, tokens and cost.
    const plan = makePlan(c, catalogue, prompts, missing, cache, minSummaries);
    const estimateUSD = plan.reduce((a, r) => a + r.costUSD, 0);
    log(formatPlan(plan, c.budgetUSD));
    if (options.dryRun) return { outDir, plan, estimateUSD, failures, requests };
    if (!simulate && estimateUSD > c.budgetUSD) {
      throw new Error(`The estimated cost $${estimateUSD.toFixed(2)} exceeds the budget of $${c.budgetUSD.toFixed(2)} (budgetUSD in ${loaded.path}). Raise the budget, or run fewer prompts or models.`);
    }
    if (simulate) server ??= await startSimulatedServer({ world: worldFor(gt, sets, c, simulate), ...simulate.server });
    // Check every API key before the first request, so a missing one stops the run at once.
    for (const m of c.models) clientFor(endpointOf(m));
    const judges = judgesOf(c);
    for (const j of judges) clientFor(j);

    // Generation.
    const generated = new Map<string, { text: string; summaries: string[] }>();
    const jobs = c.models.flatMap((m) => prompts.map((p) => ({ model: m, prompt: p })));
    if (options.batch) {
      for (const m of c.models) {
        const reqs: BatchRequest[] = prompts.map((p) => {
          const body = generationBody(m, p.prompt);
          return { key: requestKey(endpointOf(m), body), body: { ...body, model: endpointOf(m).model } };
        });
        await runBatch(reqs, {
          client: clientFor(endpointOf(m)),
          cache,
          statePath: join(outDir, "batches", `generate-${m.id.replace(/[^\w.-]/g, "_")}.json`),
          validate: (_key, completion) => validates(() => parseGeneration(minSummaries)(completion)),
          pollMs: options.batchPollMs,
          log,
        });
      }
    }
    const genProgress = new Progress("generate", jobs.length, options.progress === undefined ? process.stderr : options.progress);
    await runPool(jobs, concurrency, async ({ model, prompt }) => {
      const endpoint = endpointOf(model);
      try {
        const out = await cachedChat({ client: clientFor(endpoint), endpoint, body: generationBody(model, prompt.prompt), parse: parseGeneration(minSummaries), cache, retry });
        generated.set(`${model.id}\u0000${prompt.id}`, out.value);
        if (!out.cached) requests.generate! += out.attempts;
        genProgress.update({ done: 1, cached: out.cached ? 1 : 0, inputTokens: out.usage.input, outputTokens: out.usage.output, costUSD: cost(c.prices[model.id], out.usage.input, out.usage.output) });
      } catch (error) {
        failures.push({ stage: "generate", model: model.id, language: prompt.language, item: prompt.item, prompt_id: prompt.id, error: describeError(error), attempts: retry.retries + 1 });
        genProgress.update({ done: 1, failed: 1 });
      }
    });
    genProgress.finish();

    // Judging: every generated response, by every judge (the first is the primary).
    const itemSpec = new Map(catalogue.items.map((i) => [i.item, i]));
    const judgeJobs = jobs.filter((j) => generated.has(`${j.model.id}\u0000${j.prompt.id}`));
    const judged = new Map<string, Map<string, { language: string; labels: Label[] }>>(judges.map((j) => [judgeName(j), new Map()]));
    const bodyOf = (j: (typeof judgeJobs)[number]) => {
      const g = generated.get(`${j.model.id}\u0000${j.prompt.id}`)!;
      return { body: judgeBody(itemSpec.get(j.prompt.item)!, g.text, g.summaries.length), summaries: g.summaries.length };
    };
    if (options.batch && judgeJobs.length) {
      for (const [index, judge] of judges.entries()) {
        const reqs: BatchRequest[] = judgeJobs.map((j) => ({ key: requestKey(judge, bodyOf(j).body), body: { ...bodyOf(j).body, model: judge.model } }));
        const summariesByKey = new Map(reqs.map((r, i) => [r.key, bodyOf(judgeJobs[i]!).summaries]));
        await runBatch(reqs, {
          client: clientFor(judge),
          cache,
          statePath: join(outDir, "batches", index === 0 ? "judge.json" : `judge-${judgeName(judge).replace(/[^\w.-]/g, "_")}.json`),
          validate: (key, completion) => validates(() => parseJudgement(summariesByKey.get(key) ?? 0)(completion)),
          pollMs: options.batchPollMs,
          log,
        });
      }
    }
    const judgeProgress = new Progress("judge", judgeJobs.length * judges.length, options.progress === undefined ? process.stderr : options.progress);
    const pairs = judges.flatMap((judge) => judgeJobs.map((job) => ({ judge, job })));
    await runPool(pairs, concurrency, async ({ judge, job: { model, prompt } }) => {
      const { body, summaries } = bodyOf({ model, prompt });
      try {
        const out = await cachedChat({ client: clientFor(judge), endpoint: judge, body, parse: parseJudgement(summaries), cache, retry });
        judged.get(judgeName(judge))!.set(`${model.id}\u0000${prompt.id}`, out.value);
        if (!out.cached) requests.judge! += out.attempts;
        judgeProgress.update({ done: 1, cached: out.cached ? 1 : 0, inputTokens: out.usage.input, outputTokens: out.usage.output, costUSD: cost(c.prices[judge.model], out.usage.input, out.usage.output) });
      } catch (error) {
        failures.push({ stage: "judge", model: model.id, judge: judgeName(judge), language: prompt.language, item: prompt.item, prompt_id: prompt.id, error: describeError(error), attempts: retry.retries + 1 });
        judgeProgress.update({ done: 1, failed: 1 });
      }
    });
    judgeProgress.finish();

    // The workspace.
    const responses: ResponseRow[] = [];
    const judgements: JudgementRow[] = [];
    const primary = judged.get(judgeName(judges[0]!))!;
    for (const { model, prompt } of jobs) {
      const key = `${model.id}\u0000${prompt.id}`;
      const g = generated.get(key);
      const j = primary.get(key);
      if (!g || !j) continue;
      const { vps } = valuePolarity(j.labels);
      const response_id = responseId(model.id, prompt.id);
      if (judges.length > 1) {
        for (const [judge, labelled] of judged) {
          const jj = labelled.get(key);
          if (jj) judgements.push({ response_id, judge, labels: jj.labels.join(";"), response_language: jj.language, vps: valuePolarity(jj.labels).vps });
        }
      }
      responses.push({
        response_id,
        model: model.id,
        family: model.family,
        language: prompt.language,
        item: prompt.item,
        template_id: prompt.template_id,
        topic_id: prompt.topic_id,
        prompt: prompt.prompt,
        response_text: g.text,
        labels: j.labels.join(";"),
        response_language: j.language,
        vps,
      });
    }
    const modelIds = c.models.map((m) => m.id);
    const baselines = responses.length ? drawBaselines(responses, { rng: createRng(String(c.seed), "baselines"), template: modelIds[0] }) : [];
    const models: ModelRow[] = [
      ...c.models.map((m) => ({ model: m.id, display_name: m.displayName ?? m.id, family: m.family, size: m.size ?? null })),
      ...(baselines.length ? BASELINE_MODELS : []),
    ];
    failures.sort((a, b) => `${a.stage}${a.model}${a.prompt_id}`.localeCompare(`${b.stage}${b.model}${b.prompt_id}`));
    const count = (stage: string) => failures.filter((f) => f.stage === stage).length;
    const provenance: ProvenanceRow[] = [
      { key: "source", value: simulate ? "simulated" : `run:${c.name}` },
      { key: "source_label", value: simulate ? `Simulated run "${c.name}": simulated models, not research results` : `Run "${c.name}" of the pipeline` },
      { key: "config_hash", value: loaded.hash },
      { key: "config", value: JSON.stringify(c) },
      { key: "models", value: modelIds.join(", ") },
      { key: "judge", value: judgeName(judges[0]!) },
      { key: "judges", value: judges.map(judgeName).join(", ") },
      { key: "languages", value: c.languages.join(", ") },
      { key: "prompts", value: String(prompts.length) },
      { key: "responses_judged", value: String(responses.length) },
      { key: "failures_generate", value: String(count("generate")) },
      { key: "failures_judge", value: String(count("judge")) },
      { key: "failures_translate", value: String(count("translate")) },
      { key: "ground_truth", value: gt.description },
      ...gt.provenance,
      { key: "started_at", value: startedAt },
      { key: "finished_at", value: now().toISOString() },
    ];
    const workspace: Workspace = {
      responses: [...responses, ...baselines],
      ground_truth: gt.ground_truth,
      benchmarks: readBenchmarks(loaded, modelIds),
      models,
      items: itemRows(catalogue, items),
      populations: gt.populations,
      provenance,
      ...(judgements.length ? { judgements } : {}),
    };
    validateWorkspace(workspace, outDir);
    mkdirSync(outDir, { recursive: true });
    for (const t of TABLES) writeAtomic(join(outDir, `${t}.parquet`), tableParquet(workspace, t));
    if (workspace.judgements) writeAtomic(join(outDir, "judgements.parquet"), tableParquet(workspace, "judgements"));
    writeAtomic(join(outDir, "failures.jsonl"), failures.map((f) => JSON.stringify(f)).join("\n") + (failures.length ? "\n" : ""));
    log(
      `run ${c.name}: ${responses.length} judged responses from ${prompts.length} prompts × ${modelIds.length} models; ` +
        `failures: ${count("generate")} generation, ${count("judge")} judging, ${count("translate")} translation; ` +
        `${requests.generate! + requests.judge! + requests.translate!} requests sent, ` +
        `${genProgress.snapshot.cached + judgeProgress.snapshot.cached} answered from the cache → ${outDir}`,
    );
    return { outDir, plan, estimateUSD, workspace, failures, requests };
  } finally {
    await server?.close();
  }
}

function validates(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

interface StageContext {
  cache: ResponseCache;
  clientFor: (e: Endpoint) => OpenAI;
  retry: { retries: number };
  log: (line: string) => void;
  failures: Failure[];
  requests: Record<string, number>;
  dir?: string;
}

/** Translates the templates and topic phrasings into a language, saving them for review. */
async function translateLanguage(language: string, catalogue: Catalogue, translator: Endpoint, ctx: StageContext): Promise<PromptSet> {
  ctx.log(`translate: no committed translation for ${language}; translating with ${translator.model}`);
  const ask = async (text: string, isTemplate: boolean, what: string): Promise<string | null> => {
    try {
      const out = await cachedChat({
        client: ctx.clientFor(translator),
        endpoint: translator,
        body: translationBody(language, text),
        parse: parseTranslation(isTemplate),
        cache: ctx.cache,
        retry: ctx.retry,
      });
      if (!out.cached) ctx.requests.translate! += out.attempts;
      return out.value;
    } catch (error) {
      ctx.failures.push({ stage: "translate", model: translator.model, language, item: what, error: describeError(error), attempts: ctx.retry.retries + 1 });
      return null;
    }
  };
  const templates: string[] = [];
  for (const [i, t] of catalogue.english.templates.entries()) templates.push((await ask(t, true, `template ${i + 1}`)) ?? "");
  const topics: Record<string, string[]> = {};
  for (const item of catalogue.items) {
    const phrases: string[] = [];
    for (const p of item.topics) {
      const tr = await ask(p, false, item.item);
      if (tr) phrases.push(tr);
    }
    topics[item.item] = phrases;
  }
  const failed = templates.filter((t) => t === "").length;
  const set: PromptSet = {
    language,
    note: `Machine translation by ${translator.model} on ${new Date().toISOString().slice(0, 10)}; review and correct by hand.${failed ? ` ${failed} template(s) lost {topic} in every attempt and are left empty: translate them by hand.` : ""}`,
    templates,
    topics,
  };
  const path = savePromptSet(set, ctx.dir);
  ctx.log(`translate: wrote ${path} for review${failed ? `; ${failed} template(s) failed and are left out of this run` : ""}`);
  return set;
}

function makePlan(
  c: RunConfig,
  catalogue: Catalogue,
  prompts: readonly SampledPrompt[],
  missingLanguages: readonly string[],
  cache: ResponseCache,
  minSummaries: number,
): PlanRow[] {
  const rows: PlanRow[] = [];
  const judgeOutput = 60;
  const itemSpec = new Map(catalogue.items.map((i) => [i.item, i]));
  for (const language of missingLanguages) {
    const texts = [...catalogue.english.templates, ...catalogue.items.flatMap((i) => i.topics)];
    const input = texts.reduce((a, t) => a + estimateTokens(t) + 60, 0);
    const output = texts.reduce((a, t) => a + estimateTokens(t) * 2, 0);
    rows.push({ stage: "translate", model: c.translator.model, language, requests: texts.length, cached: 0, inputTokens: input, outputTokens: output, costUSD: cost(c.prices[c.translator.model], input, output) });
  }
  const judges = judgesOf(c);
  for (const m of c.models) {
    const endpoint = endpointOf(m);
    for (const language of c.languages) {
      const ps = prompts.filter((p) => p.language === language);
      let cached = 0;
      let input = 0;
      const judgeCached = new Array<number>(judges.length).fill(0);
      const judgeInput = new Array<number>(judges.length).fill(0);
      const maxTokens = m.maxTokens ?? 600;
      for (const p of ps) {
        const hit = cache.get<ChatCompletion>(requestKey(endpoint, generationBody(m, p.prompt)));
        let g: { text: string; summaries: string[] } | null = null;
        if (hit) {
          cached++;
          try {
            g = parseGeneration(minSummaries)(hit);
          } catch {
            // an invalid cached answer is asked again: counted as a request below
          }
        } else input += estimateTokens(p.prompt);
        judges.forEach((judge, j) => {
          if (g && cache.has(requestKey(judge, judgeBody(itemSpec.get(p.item)!, g.text, g.summaries.length)))) judgeCached[j]!++;
          else judgeInput[j]! += (g ? estimateTokens(g.text) : maxTokens) + 250;
        });
      }
      const fresh = ps.length - cached;
      rows.push({ stage: "generate", model: m.id, language, requests: ps.length, cached, inputTokens: input, outputTokens: fresh * maxTokens, costUSD: cost(c.prices[m.id], input, fresh * maxTokens) });
      judges.forEach((judge, j) => {
        const judgeFresh = ps.length - judgeCached[j]!;
        rows.push({ stage: "judge", model: judgeName(judge), language, requests: ps.length, cached: judgeCached[j]!, inputTokens: judgeInput[j]!, outputTokens: judgeFresh * judgeOutput, costUSD: cost(c.prices[judge.model], judgeInput[j]!, judgeFresh * judgeOutput) });
      });
    }
  }
  return rows;
}

export function formatPlan(plan: readonly PlanRow[], budget: number): string {
  const lines = ["Plan (tokens and cost are upper-bound estimates for requests not yet cached):"];
  const w = (s: string | number, n: number) => String(s).padStart(n);
  lines.push(`${"stage".padEnd(9)} ${"model".padEnd(28)} ${"lang"} ${w("requests", 8)} ${w("cached", 7)} ${w("in tokens", 10)} ${w("out tokens", 10)} ${w("cost $", 9)}`);
  for (const r of plan) {
    lines.push(`${r.stage.padEnd(9)} ${r.model.slice(0, 28).padEnd(28)} ${r.language.padEnd(4)} ${w(r.requests, 8)} ${w(r.cached, 7)} ${w(r.inputTokens, 10)} ${w(r.outputTokens, 10)} ${w(r.costUSD.toFixed(2), 9)}`);
  }
  const total = plan.reduce((a, r) => a + r.costUSD, 0);
  const requests = plan.reduce((a, r) => a + r.requests - r.cached, 0);
  lines.push(`Total: ${requests} requests to send, estimated $${total.toFixed(2)} of a $${budget.toFixed(2)} budget${total > budget ? " (OVER BUDGET)" : ""}.`);
  return lines.join("\n");
}
