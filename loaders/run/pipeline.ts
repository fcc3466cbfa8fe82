/**
 * `mca run`: prompts, then generation, then judging, into a workspace (docs/pipeline.md, docs/data-sources.md).
 *
 * Safe with money and time: every answer goes through a durable content-addressed
 * cache, so a rerun (or a run resumed after a crash) asks nothing twice; the inputs, the
 * plan and its cost estimate come first and the run refuses to start over budget (or
 * when the cost cannot be estimated); the run folder is locked; requests are bounded in
 * number, retried with backoff and timed out; answers are validated and failures
 * recorded, never cached; the first answer the cache cannot keep stops the sending. API
 * keys are read from the environment and kept in memory only, and any secret in an
 * endpoint's address is left out of every message, log, table and cache key.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type OpenAI from "openai";
import { createRng, hashString } from "../../src/lib/random.js";
import type { Workspace } from "../../src/lib/workspace.js";
import { ResponseCache, type WriteFile } from "../llm/cache.js";
import { makeClient, type Endpoint } from "../llm/chat.js";
import { redactText, urlSecrets } from "../llm/urls.js";
import { REPO_ROOT } from "../paths.js";
import { startSimulatedServer, type SimulatedServerOptions } from "../simulate/server.js";
import type { ModelProfile, SimulationWorld } from "../simulate/behaviour.js";
import { EndpointBreaker } from "./breaker.js";
import { loadCatalogue, loadPromptSet, promptSetGaps, samplePrompts, type Catalogue, type PromptSet, type SampledPrompt } from "./catalogue.js";
import { configPath, judgesOf, modelEndpoint, outputDir, priceOf, type LoadedConfig, type RunConfig } from "./config.js";
import { failuresJsonl, sortFailures, summariseFailures, type Failure } from "./failures.js";
import { checkWritableFolder, lockRunFolder } from "./folder.js";
import { CacheGuard } from "./guard.js";
import { groundTruthFor, readBenchmarks, type GroundTruthInput } from "./inputs.js";
import { formatPlan, makePlan, planCost, unpriced, withinBudget, type PlanRow } from "./plan.js";
import { generateAll, judgeAll, type StageContext } from "./stageRun.js";
import { assembleWorkspace, logSummary } from "./assemble.js";
import { writeAtomic, writeRunTables } from "./tables.js";
import { personaPrompts } from "./personas.js";
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
  /** How the cache writes a file (tests inject a failing one to stand for a full disk). */
  writeCacheFile?: WriteFile;
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

/** What every stage of one run shares. */
export interface RunContext extends StageContext {
  loaded: LoadedConfig;
  options: RunOptions;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  startedAt: string;
  outDir: string;
  timeoutMs: number;
  secrets: string[];
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

function runContext(loaded: LoadedConfig, options: RunOptions): RunContext {
  const c = options.simulate ? simulatedConfig(loaded.config) : loaded.config;
  const secrets = urlSecrets([...c.models, ...judgesOf(c), c.translator].map((e) => e.baseURL));
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const failures: Failure[] = [];
  return {
    loaded,
    options,
    c,
    secrets,
    log: (line) => write(redactText(line, secrets)),
    env: options.env ?? process.env,
    now,
    startedAt: now().toISOString(),
    // A simulated run without an explicit output folder never writes over a real run's.
    outDir: options.simulate && !loaded.config.out ? `${outputDir(loaded)}-simulated` : outputDir(loaded),
    cache: new ResponseCache(c.cacheDir ? configPath(loaded, c.cacheDir) : join(REPO_ROOT, "data", "cache", "llm"), { writeFile: options.writeCacheFile }),
    retry: { retries: c.retries ?? 4 },
    minSummaries: c.minSummaries ?? 3,
    timeoutMs: (c.timeoutSeconds ?? 120) * 1000,
    concurrency: c.concurrency ?? 8,
    failures,
    fail: (f) => failures.push({ ...f, error: redactText(f.error, secrets) }),
    requests: { translate: 0, generate: 0, judge: 0 },
    breaker: new EndpointBreaker(),
    guard: new CacheGuard(),
    progress: options.progress === undefined ? process.stderr : options.progress,
    batch: Boolean(options.batch),
    batchPollMs: options.batchPollMs,
    clientFor: () => {
      throw new Error("no endpoint is connected yet");
    },
  };
}

export async function runPipeline(loaded: LoadedConfig, options: RunOptions = {}): Promise<RunResult> {
  const ctx = runContext(loaded, options);
  try {
    return await run(ctx);
  } catch (error) {
    // Whatever stops the run is reported without a secret of an endpoint's address.
    if (error instanceof Error) error.message = redactText(error.message, ctx.secrets);
    throw error;
  }
}

interface Inputs {
  catalogue: Catalogue;
  items: string[];
  benchmarks: ReturnType<typeof readBenchmarks>;
  gt: GroundTruthInput;
  sets: Map<string, PromptSet>;
  untranslated: Map<string, PromptSet | null>;
  simulatedTranslations: string | null;
}

/** Inputs, all checked before anything is sent or planned: catalogue, items, benchmarks, ground truth, prompt sets. */
async function readInputs(ctx: RunContext): Promise<Inputs> {
  const { c, options } = ctx;
  const catalogue = loadCatalogue();
  const known = new Set(catalogue.items.map((i) => i.item));
  const items = c.items ?? catalogue.items.map((i) => i.item);
  const unknown = items.filter((i) => !known.has(i));
  if (unknown.length)
    throw new Error(
      `items: unknown item key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (the catalogue in data/items.json has ${[...known].join(", ")})`,
    );
  const benchmarks = readBenchmarks(
    ctx.loaded,
    c.models.map((m) => m.id),
  );
  const gt = await groundTruthFor(ctx.loaded, ctx.log, ctx.env);
  ctx.log(`ground truth: ${gt.description}: ${gt.ground_truth.length} rows`);
  // Prompt sets: committed translations (a simulated run's own come from its folder,
  // never from data/), and the languages still to translate, whole or in part.
  const simulatedTranslations = options.simulate ? join(ctx.outDir, "simulated-translations") : null;
  const sets = new Map<string, PromptSet>();
  const untranslated = new Map<string, PromptSet | null>();
  for (const language of c.languages) {
    const set =
      loadPromptSet(language, catalogue, options.catalogueDir) ?? (simulatedTranslations ? loadPromptSet(language, catalogue, simulatedTranslations) : null);
    if (set && promptSetGaps(set) === 0) sets.set(language, set);
    else untranslated.set(language, set);
  }
  return { catalogue, items, benchmarks, gt, sets, untranslated, simulatedTranslations };
}

/** The run's prompts from the available prompt sets; templates a translation could not keep {topic} in are left out (and reported). */
function sampleFrom(ctx: RunContext, inputs: Inputs, available: ReadonlyMap<string, PromptSet>): SampledPrompt[] {
  const { c } = ctx;
  const ordered = new Map(c.languages.flatMap((l) => (available.has(l) ? [[l, available.get(l)!] as const] : [])));
  const skip = new Map([...ordered].map(([language, set]) => [language, new Set(set.templates.flatMap((t, i) => (t === "" ? [i] : [])))]));
  const prompts = samplePrompts(ordered, inputs.items, c.promptsPerLanguage, createRng(String(c.seed), "prompts"), skip);
  if (!c.personas) return prompts;
  return [...prompts, ...personaPrompts(prompts, c.personas, inputs.gt.populations, createRng(String(c.seed), "personas"))];
}

/** Refuses an estimate over the budget, or one that is not a number (a model without a price). */
function checkBudget(ctx: RunContext, estimate: number, when: string): void {
  const { c, loaded } = ctx;
  if (ctx.options.simulate || withinBudget(estimate, c.budgetUSD)) return;
  const missing = unpriced(c);
  if (missing.length || !Number.isFinite(estimate)) {
    throw new Error(
      `The cost cannot be estimated${missing.length ? `: there is no price for ${missing.join(", ")} in prices (${loaded.path})` : ""}, so the budget of $${c.budgetUSD.toFixed(2)} cannot be checked${when}. ` +
        `Add a price for every model, judge and translator (0 for a free local model).`,
    );
  }
  throw new Error(
    `The estimated cost $${estimate.toFixed(2)} exceeds the budget of $${c.budgetUSD.toFixed(2)} (budgetUSD in ${loaded.path})${when}. Raise the budget, or run fewer prompts or models.`,
  );
}

async function run(ctx: RunContext): Promise<RunResult> {
  const inputs = await readInputs(ctx);
  // The plan, and the budget, before the first request. A language still to translate
  // is planned with the English templates: the same items, templates and phrasings.
  const { catalogue, sets, untranslated } = inputs;
  const planned = new Map([...sets, ...[...untranslated.keys()].map((l) => [l, { ...catalogue.english, language: l }] as const)]);
  let prompts = sampleFrom(ctx, inputs, planned);
  const plan = makePlan(ctx.c, catalogue, prompts, untranslated, ctx.cache, ctx.minSummaries);
  const estimateUSD = planCost(plan);
  ctx.log(formatPlan(plan, ctx.c.budgetUSD));
  checkWritableFolder(ctx.outDir, "out");
  checkWritableFolder(ctx.cache.dir, "cacheDir");
  if (ctx.options.dryRun) return { outDir: ctx.outDir, plan, estimateUSD, failures: ctx.failures, requests: ctx.requests };
  checkBudget(ctx, estimateUSD, "; nothing was sent");
  const release = openRunFolder(ctx);
  const server = await connect(ctx, inputs);
  try {
    if (untranslated.size) {
      await translateMissing(ctx, inputs, server.world);
      prompts = sampleFrom(ctx, inputs, sets);
      checkBudget(
        ctx,
        planCost(makePlan(ctx.c, catalogue, prompts, new Map(), ctx.cache, ctx.minSummaries)),
        " with the new translations (they are saved and cached; only translation was paid for)",
      );
    }
    const generation = await generateAll(ctx, prompts);
    const judging = await judgeAll(ctx, catalogue, generation);
    writeFailures(ctx);
    const workspace = assembleWorkspace(ctx, inputs, prompts, generation, judging);
    writeRunTables(workspace, ctx.outDir, inputs.gt.save);
    logSummary(ctx, prompts, generation, judging);
    return { outDir: ctx.outDir, plan, estimateUSD, workspace, failures: ctx.failures, requests: ctx.requests };
  } finally {
    await server.close();
    release();
  }
}

/** The run folder, before the first request: created, locked, and the cache checked by writing to it. */
function openRunFolder(ctx: RunContext): () => void {
  mkdirSync(ctx.outDir, { recursive: true });
  const release = lockRunFolder(ctx.outDir, ctx.log);
  try {
    ctx.cache.probe();
  } catch (error) {
    release();
    throw new Error(`cacheDir: ${(error as Error).message}`);
  }
  return release;
}

/** A default simulated profile per model id: stable, varied. */
function defaultProfile(id: string): ModelProfile {
  const rng = createRng(hashString(id), "profile");
  return { fidelity: 0.3 + 0.6 * rng.next(), defaultCompetence: 0.4 + 0.55 * rng.next(), competence: { en: 0.95 } };
}

function worldFor(ctx: RunContext, inputs: Inputs, sim: Exclude<RunOptions["simulate"], boolean | undefined>): SimulationWorld {
  // Objects without a prototype: an item or population read from a file ("__proto__") is only ever a key.
  const truths: SimulationWorld["truths"] = Object.create(null);
  for (const g of inputs.gt.ground_truth) {
    if (g.level !== "language") continue;
    const byPopulation = truths[g.item] ?? (Object.create(null) as Record<string, number>);
    truths[g.item] = byPopulation;
    byPopulation[g.population] = g.pro_score;
  }
  const topics = new Map<string, [string, string]>();
  for (const [language, set] of inputs.sets) for (const [item, phrases] of Object.entries(set.topics)) for (const p of phrases) topics.set(p, [item, language]);
  const profile = (id: string) => (sim.profiles && Object.hasOwn(sim.profiles, id) ? sim.profiles[id]! : defaultProfile(id));
  const profiles = Object.fromEntries(ctx.c.models.map((m) => [m.model ?? m.id, profile(m.id)]));
  return { truths, topics, profiles, judgeErrors: sim.judgeErrors };
}

/**
 * Endpoints (the simulated provider replaces every base URL and key). Every key is
 * checked before the first request, so a missing one stops the run at once.
 */
async function connect(ctx: RunContext, inputs: Inputs): Promise<{ world: SimulationWorld | null; close: () => Promise<void> }> {
  const sim = ctx.options.simulate ? (ctx.options.simulate === true ? {} : ctx.options.simulate) : null;
  const world = sim ? worldFor(ctx, inputs, sim) : null;
  const server = sim ? await startSimulatedServer({ world: world!, ...sim.server }) : null;
  const clients = new Map<string, OpenAI>();
  ctx.clientFor = (e: Endpoint): OpenAI => {
    const endpoint = server ? { ...e, baseURL: server.url } : e;
    const id = `${endpoint.baseURL}\u0000${endpoint.apiKeyEnv}`;
    if (!clients.has(id)) clients.set(id, makeClient(endpoint, { timeoutMs: ctx.timeoutMs, env: ctx.env, ...(server ? { apiKey: "simulated" } : {}) }));
    return clients.get(id)!;
  };
  try {
    for (const endpoint of [...ctx.c.models.map(modelEndpoint), ...judgesOf(ctx.c), ...(inputs.untranslated.size ? [ctx.c.translator] : [])])
      ctx.clientFor(endpoint);
  } catch (error) {
    await server?.close();
    throw error;
  }
  return { world, close: async () => void (await server?.close()) };
}

/** Translation of what is missing; the simulated world learns the new phrasings. */
async function translateMissing(ctx: RunContext, inputs: Inputs, world: SimulationWorld | null): Promise<void> {
  const { c } = ctx;
  for (const [language, partial] of inputs.untranslated) {
    const set = await translateLanguage(language, inputs.catalogue, c.translator, partial, {
      cache: ctx.cache,
      clientFor: ctx.clientFor,
      retry: ctx.retry,
      concurrency: ctx.concurrency,
      log: ctx.log,
      failures: ctx.failures,
      requests: ctx.requests,
      price: priceOf(c, c.translator.model),
      progress: ctx.progress,
      dir: inputs.simulatedTranslations ?? ctx.options.catalogueDir,
      simulated: Boolean(ctx.options.simulate),
      guard: ctx.guard,
    });
    inputs.sets.set(language, set);
    if (world) for (const [item, phrases] of Object.entries(set.topics)) for (const p of phrases) if (p) world.topics.set(p, [item, language]);
  }
}

/** The failures are written first, so they are there to read even when nothing can be assembled. */
function writeFailures(ctx: RunContext): void {
  sortFailures(ctx.failures);
  writeAtomic(join(ctx.outDir, "failures.jsonl"), failuresJsonl(ctx.failures));
  if (ctx.failures.length)
    ctx.log(`failures (${ctx.failures.length}, listed in ${join(ctx.outDir, "failures.jsonl")}):\n  ${summariseFailures(ctx.failures).join("\n  ")}`);
}
