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
import { basename, join, relative } from "node:path";
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
import { runBatch, type BatchOutcome, type BatchRequest } from "../llm/batch.js";
import { ResponseCache } from "../llm/cache.js";
import { cachedChat, describeError, makeClient, requestKey, type Endpoint } from "../llm/chat.js";
import { runPool } from "../llm/pool.js";
import { cost, type Price } from "../llm/pricing.js";
import { Progress } from "../llm/progress.js";
import { readParquet } from "../parquet.js";
import { REPO_ROOT } from "../paths.js";
import { startSimulatedServer, type SimulatedServerOptions } from "../simulate/server.js";
import type { ModelProfile, SimulationWorld } from "../simulate/behaviour.js";
import { paperWorkspace } from "../sources/paper.js";
import { resolveRelease } from "../sources/paperRelease.js";
import { skippedNote, suppressedNote } from "../survey/notes.js";
import { surveyGroundTruth } from "../survey/groundTruth.js";
import { writeSurveyResult } from "../survey/write.js";
import { tableParquet } from "../workspaceFiles.js";
import { EndpointBreaker } from "./breaker.js";
import { itemRows, loadCatalogue, loadPromptSet, promptSetGaps, sampleIndex, samplePrompts, type Catalogue, type PromptSet } from "./catalogue.js";
import { configPath, judgeName, judgesOf, modelEndpoint, outputDir, type LoadedConfig, type RunConfig } from "./config.js";
import { failuresJsonl, sortFailures, summariseFailures, type Failure } from "./failures.js";
import { formatPlan, makePlan, planCost, type PlanRow } from "./plan.js";
import { fileSha256, inputChecksums, pipelineProvenance, publicConfig } from "./provenance.js";
import { generationBody, judgeBody, parseGeneration, parseJudgement } from "./stages.js";
import { translateLanguage } from "./translate.js";

export type { Failure } from "./failures.js";
export type { PlanRow } from "./plan.js";

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


export interface RunResult {
  outDir: string;
  plan: PlanRow[];
  estimateUSD: number;
  workspace?: Workspace;
  failures: Failure[];
  /** Requests sent to an endpoint (not answered from the cache), by stage. */
  requests: Record<string, number>;
}


interface GroundTruthInput {
  ground_truth: GroundTruthRow[];
  populations: PopulationRow[];
  description: string;
  provenance: ProvenanceRow[];
}

/** The run's ground truth; `outDir` null (a dry run) writes nothing. */
async function groundTruthFor(loaded: LoadedConfig, outDir: string | null, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<GroundTruthInput> {
  const c = loaded.config;
  if (c.wvs) {
    const path = configPath(loaded, c.wvs);
    log(`ground truth: reading ${path} with DuckDB`);
    const survey = await surveyGroundTruth(path, { languages: c.languages, seed: c.seed });
    for (const note of [skippedNote(survey.consistency), suppressedNote(survey.suppressed)]) if (note) log(`ground truth: ${note.trim()}`);
    if (outDir) writeSurveyResult(survey, join(outDir, "survey"), { languages: c.languages, seed: String(c.seed) });
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
    const release = await resolveRelease(env).catch((error: Error) => {
      throw new Error(`groundTruth "paper" needs the study's release. ${error.message.replace(/,? or choose another source \(MCA_SOURCE[^)]*\)\.?$/, ".")} Or give the survey microdata (wvs), or another workspace's folder, as the ground truth.`);
    });
    const ws = paperWorkspace(release);
    const commit = ws.provenance.find((r) => r.key === "commit")?.value ?? "";
    const sums = ws.provenance.filter((r) => /^sha256:ground_truth/.test(r.key));
    return { ground_truth: ws.ground_truth, populations: ws.populations, description: "the study's published ground truth", provenance: [{ key: "ground_truth_source", value: `paper (commit ${commit})` }, ...sums] };
  }
  const dir = configPath(loaded, c.groundTruth!);
  const read = (t: string) => {
    const path = join(dir, `${t}.parquet`);
    if (!existsSync(path)) throw new Error(`groundTruth: ${path} is missing; point groundTruth at a workspace folder (or "paper")`);
    return readParquet(readFileSync(path));
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
  const progressStream = options.progress === undefined ? process.stderr : options.progress;
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
  const usage = { inputTokens: 0, outputTokens: 0, costUSD: 0 };

  // Inputs, all checked before anything is sent: catalogue, items, benchmarks, ground truth.
  const catalogue: Catalogue = loadCatalogue();
  const known = new Set(catalogue.items.map((i) => i.item));
  const items = c.items ?? catalogue.items.map((i) => i.item);
  const unknown = items.filter((i) => !known.has(i));
  if (unknown.length) throw new Error(`items: unknown item key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (the catalogue in data/items.json has ${[...known].join(", ")})`);
  const modelIds = c.models.map((m) => m.id);
  const benchmarks = readBenchmarks(loaded, modelIds);
  const gt = await groundTruthFor(loaded, options.dryRun ? null : outDir, log, env);
  log(`ground truth: ${gt.description}: ${gt.ground_truth.length} rows`);

  // Prompt sets: committed translations (a simulated run's own come from its folder,
  // never from data/), and the languages still to translate, whole or in part.
  const simulatedTranslations = options.simulate ? join(outDir, "simulated-translations") : null;
  const sets = new Map<string, PromptSet>();
  const untranslated = new Map<string, PromptSet | null>();
  for (const language of c.languages) {
    const set = loadPromptSet(language, catalogue, options.catalogueDir) ?? (simulatedTranslations ? loadPromptSet(language, catalogue, simulatedTranslations) : null);
    if (set && promptSetGaps(set) === 0) sets.set(language, set);
    else untranslated.set(language, set);
  }
  const sample = (available: ReadonlyMap<string, PromptSet>) => {
    const ordered = new Map(c.languages.flatMap((l) => (available.has(l) ? [[l, available.get(l)!] as const] : [])));
    // Templates a translation could not keep {topic} in are left out (and reported).
    const skip = new Map([...ordered].map(([language, set]) => [language, new Set(set.templates.flatMap((t, i) => (t === "" ? [i] : [])))]));
    return samplePrompts(ordered, items, c.promptsPerLanguage, createRng(String(c.seed), "prompts"), skip);
  };

  // The plan, and the budget, before the first request. A language still to translate
  // is planned with the English templates: the same items, templates and phrasings.
  const planned = new Map([...sets, ...[...untranslated.keys()].map((l) => [l, { ...catalogue.english, language: l }] as const)]);
  let prompts = sample(planned);
  const plan = makePlan(c, catalogue, prompts, untranslated, cache, minSummaries);
  const estimateUSD = planCost(plan);
  log(formatPlan(plan, c.budgetUSD));
  if (options.dryRun) return { outDir, plan, estimateUSD, failures, requests };
  const overBudget = (estimate: number, when: string) =>
    new Error(`The estimated cost $${estimate.toFixed(2)} exceeds the budget of $${c.budgetUSD.toFixed(2)} (budgetUSD in ${loaded.path})${when}. Raise the budget, or run fewer prompts or models.`);
  if (!options.simulate && estimateUSD > c.budgetUSD) throw overBudget(estimateUSD, "; nothing was sent");
  mkdirSync(outDir, { recursive: true });

  // Endpoints (the simulated provider replaces every base URL and key). Every key is
  // checked before the first request, so a missing one stops the run at once.
  const simulate = options.simulate ? (options.simulate === true ? {} : options.simulate) : null;
  const clients = new Map<string, OpenAI>();
  let server: Awaited<ReturnType<typeof startSimulatedServer>> | null = null;
  const world = simulate ? worldFor(gt, sets, c, simulate) : null;
  const clientFor = (e: Endpoint): OpenAI => {
    const endpoint = server ? { ...e, baseURL: server.url } : e;
    const id = `${endpoint.baseURL}\u0000${endpoint.apiKeyEnv}`;
    if (!clients.has(id)) clients.set(id, makeClient(endpoint, { timeoutMs, env, ...(server ? { apiKey: "simulated" } : {}) }));
    return clients.get(id)!;
  };
  const judges = judgesOf(c);
  const breaker = new EndpointBreaker();
  let genProgress: Progress | null = null;
  let judgeProgress: Progress | null = null;

  try {
    if (simulate) server = await startSimulatedServer({ world: world!, ...simulate.server });
    for (const endpoint of [...c.models.map(modelEndpoint), ...judges, ...(untranslated.size ? [c.translator] : [])]) clientFor(endpoint);

    // Translation of what is missing, then the prompts from the real translations.
    if (untranslated.size) {
      for (const [language, partial] of untranslated) {
        const set = await translateLanguage(language, catalogue, c.translator, partial, {
          cache, clientFor, retry, concurrency, log, failures, requests, price: c.prices[c.translator.model], progress: progressStream,
          dir: simulatedTranslations ?? options.catalogueDir, simulated: Boolean(simulate),
        });
        sets.set(language, set);
        if (world) for (const [item, phrases] of Object.entries(set.topics)) for (const p of phrases) if (p) world.topics.set(p, [item, language]);
      }
      prompts = sample(sets);
      const after = planCost(makePlan(c, catalogue, prompts, new Map(), cache, minSummaries));
      if (!simulate && after > c.budgetUSD) throw overBudget(after, " with the new translations (they are saved and cached; only translation was paid for)");
    }

    // Generation. A repeated prompt is a new sample: its cache key says which.
    const generated = new Map<string, { text: string; summaries: string[] }>();
    const jobs = c.models.flatMap((m) => prompts.map((p) => ({ model: m, prompt: p })));
    const samples = sampleIndex(prompts);
    const genBatch = { answers: 0, inputTokens: 0, outputTokens: 0, costUSD: 0 };
    if (options.batch) {
      for (const m of c.models) {
        const endpoint = modelEndpoint(m);
        const reqs: BatchRequest[] = prompts.map((p) => {
          const body = generationBody(m, p.prompt);
          return { key: requestKey(endpoint, body, samples.get(p.id)), body: { ...body, model: endpoint.model } };
        });
        const b = await runBatch(reqs, {
          client: clientFor(endpoint),
          cache,
          statePath: join(outDir, "batches", `generate-${m.id.replace(/[^\w.-]/g, "_")}.json`),
          validate: (_key, completion) => validates(() => parseGeneration(minSummaries)(completion)),
          pollMs: options.batchPollMs,
          retry,
          log,
        });
        addBatch(genBatch, b, c.prices[m.id]);
        requests.generate! += b.sent;
      }
    }
    genProgress = new Progress("generate", jobs.length, progressStream);
    genProgress.update({ inputTokens: genBatch.inputTokens, outputTokens: genBatch.outputTokens, costUSD: genBatch.costUSD });
    await runPool(jobs, concurrency, async ({ model, prompt }) => {
      const endpoint = modelEndpoint(model);
      try {
        const out = await breaker.send(endpoint, () =>
          cachedChat({ client: clientFor(endpoint), endpoint, body: generationBody(model, prompt.prompt), keyExtra: samples.get(prompt.id), parse: parseGeneration(minSummaries), cache, retry }),
        );
        generated.set(`${model.id}\u0000${prompt.id}`, out.value);
        if (!out.cached) requests.generate! += out.attempts;
        genProgress!.update({ done: 1, cached: out.cached ? 1 : 0, inputTokens: out.usage.input, outputTokens: out.usage.output, costUSD: cost(c.prices[model.id], out.usage.input, out.usage.output) });
      } catch (error) {
        failures.push({ stage: "generate", model: model.id, language: prompt.language, item: prompt.item, prompt_id: prompt.id, error: describeError(error), attempts: retry.retries + 1 });
        genProgress!.update({ done: 1, failed: 1 });
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
    const judgeBatch = { answers: 0, inputTokens: 0, outputTokens: 0, costUSD: 0 };
    if (options.batch && judgeJobs.length) {
      for (const [index, judge] of judges.entries()) {
        const reqs: BatchRequest[] = judgeJobs.map((j) => ({ key: requestKey(judge, bodyOf(j).body), body: { ...bodyOf(j).body, model: judge.model } }));
        const summariesByKey = new Map(reqs.map((r, i) => [r.key, bodyOf(judgeJobs[i]!).summaries]));
        const b = await runBatch(reqs, {
          client: clientFor(judge),
          cache,
          statePath: join(outDir, "batches", index === 0 ? "judge.json" : `judge-${judgeName(judge).replace(/[^\w.-]/g, "_")}.json`),
          validate: (key, completion) => validates(() => parseJudgement(summariesByKey.get(key) ?? 0)(completion)),
          pollMs: options.batchPollMs,
          retry,
          log,
        });
        addBatch(judgeBatch, b, c.prices[judge.model]);
        requests.judge! += b.sent;
      }
    }
    judgeProgress = new Progress("judge", judgeJobs.length * judges.length, progressStream);
    judgeProgress.update({ inputTokens: judgeBatch.inputTokens, outputTokens: judgeBatch.outputTokens, costUSD: judgeBatch.costUSD });
    const pairs = judges.flatMap((judge) => judgeJobs.map((job) => ({ judge, job })));
    await runPool(pairs, concurrency, async ({ judge, job: { model, prompt } }) => {
      const { body, summaries } = bodyOf({ model, prompt });
      try {
        const out = await breaker.send(judge, () => cachedChat({ client: clientFor(judge), endpoint: judge, body, parse: parseJudgement(summaries), cache, retry }));
        judged.get(judgeName(judge))!.set(`${model.id}\u0000${prompt.id}`, out.value);
        if (!out.cached) requests.judge! += out.attempts;
        judgeProgress!.update({ done: 1, cached: out.cached ? 1 : 0, inputTokens: out.usage.input, outputTokens: out.usage.output, costUSD: cost(c.prices[judge.model], out.usage.input, out.usage.output) });
      } catch (error) {
        failures.push({ stage: "judge", model: model.id, judge: judgeName(judge), language: prompt.language, item: prompt.item, prompt_id: prompt.id, error: describeError(error), attempts: retry.retries + 1 });
        judgeProgress!.update({ done: 1, failed: 1 });
      }
    });
    judgeProgress.finish();

    // The failures are written first, so they are there to read even when nothing can be assembled.
    sortFailures(failures);
    writeAtomic(join(outDir, "failures.jsonl"), failuresJsonl(failures));
    if (failures.length) log(`failures (${failures.length}, listed in ${join(outDir, "failures.jsonl")}):\n  ${summariseFailures(failures).join("\n  ")}`);

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
    if (responses.length === 0) {
      throw new Error(
        `No response was both generated and judged, so there is no workspace to write. ` +
          `The most common reasons (all ${failures.length} failures are in ${join(outDir, "failures.jsonl")}):\n  ${summariseFailures(failures).join("\n  ")}`,
      );
    }
    // The baselines copy the rows of the config's first model (design §2.3), or of the
    // first model that has responses when it has none.
    const template = modelIds.find((id) => responses.some((r) => r.model === id))!;
    if (template !== modelIds[0]) log(`baselines: the first model, ${modelIds[0]}, has no judged responses; the baselines are drawn on ${template}'s rows instead`);
    const baselines = drawBaselines(responses, { rng: createRng(String(c.seed), "baselines"), template });
    const models: ModelRow[] = [...c.models.map((m) => ({ model: m.id, display_name: m.displayName ?? m.id, family: m.family, size: m.size ?? null })), ...BASELINE_MODELS];
    const count = (stage: string) => failures.filter((f) => f.stage === stage).length;
    for (const p of [genProgress, judgeProgress]) {
      const s = p.snapshot;
      usage.inputTokens += s.inputTokens;
      usage.outputTokens += s.outputTokens;
      usage.costUSD += s.costUSD;
    }
    const provenance: ProvenanceRow[] = [
      { key: "source", value: simulate ? "simulated" : `run:${c.name}` },
      { key: "source_label", value: simulate ? `Simulated run "${c.name}": simulated models, not research results` : `Run "${c.name}" of the pipeline` },
      ...pipelineProvenance(),
      { key: "config_hash", value: loaded.hash },
      { key: "config", value: JSON.stringify(publicConfig(c)) },
      { key: "models", value: modelIds.join(", ") },
      { key: "judge", value: judgeName(judges[0]!) },
      { key: "judges", value: judges.map(judgeName).join(", ") },
      { key: "languages", value: c.languages.join(", ") },
      ...inputChecksums(c.languages, options.catalogueDir, simulatedTranslations),
      { key: "prompts", value: String(prompts.length) },
      { key: "responses_judged", value: String(responses.length) },
      { key: "baselines_drawn_on", value: template },
      { key: "failures_generate", value: String(count("generate")) },
      { key: "failures_judge", value: String(count("judge")) },
      { key: "failures_translate", value: String(count("translate")) },
      { key: "requests_sent", value: String(requests.generate! + requests.judge! + requests.translate!) },
      { key: "tokens", value: `${usage.inputTokens} in, ${usage.outputTokens} out (generation and judging, requests sent by this invocation)` },
      { key: "ground_truth", value: gt.description },
      ...gt.provenance,
      { key: "started_at", value: startedAt },
      { key: "finished_at", value: now().toISOString() },
    ];
    const workspace: Workspace = {
      responses: [...responses, ...baselines],
      ground_truth: gt.ground_truth,
      benchmarks,
      models,
      items: itemRows(catalogue, items),
      populations: gt.populations,
      provenance,
      ...(judgements.length ? { judgements } : {}),
    };
    validateWorkspace(workspace, outDir);
    for (const t of TABLES) writeAtomic(join(outDir, `${t}.parquet`), tableParquet(workspace, t));
    if (workspace.judgements) writeAtomic(join(outDir, "judgements.parquet"), tableParquet(workspace, "judgements"));
    log(
      `run ${c.name}: ${responses.length} judged responses from ${prompts.length} prompts × ${modelIds.length} models; ` +
        `failures: ${count("generate")} generation, ${count("judge")} judging, ${count("translate")} translation; ` +
        `${requests.generate! + requests.judge! + requests.translate!} requests sent, ` +
        `${genProgress.snapshot.cached + judgeProgress.snapshot.cached - genBatch.answers - judgeBatch.answers} answered from the cache` +
        `${options.batch ? `, ${genBatch.answers + judgeBatch.answers} through batches` : ""} → ${outDir}`,
    );
    return { outDir, plan, estimateUSD, workspace, failures, requests };
  } finally {
    genProgress?.finish();
    judgeProgress?.finish();
    await server?.close();
  }
}

/** Adds a batch's answers, tokens and cost (at list prices: the Batch API's discount is not assumed, so the budget errs high). */
function addBatch(total: { answers: number; inputTokens: number; outputTokens: number; costUSD: number }, b: BatchOutcome, price: Price | undefined): void {
  total.answers += b.cached;
  total.inputTokens += b.usage.input;
  total.outputTokens += b.usage.output;
  total.costUSD += cost(price, b.usage.input, b.usage.output);
}

function validates(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

