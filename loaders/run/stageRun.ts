/**
 * Generation and judging of a run: one request per (model, prompt), then one per
 * (judge, response), each through the breaker (a dead endpoint is not asked again), the
 * cache (nothing is asked twice) and the guard (the first answer the cache cannot keep
 * stops the sending; its tokens are counted). With --batch, the uncached requests go
 * through the Batch API first and the rest one by one.
 */
import type OpenAI from "openai";
import type { Label } from "../../src/lib/interviews.js";
import { runBatch, type BatchOutcome, type BatchRequest } from "../llm/batch.js";
import type { ResponseCache } from "../llm/cache.js";
import { cachedChat, describeError, requestKey, type Endpoint } from "../llm/chat.js";
import { runPool } from "../llm/pool.js";
import { cost, type Price } from "../llm/pricing.js";
import { Progress, type ProgressState } from "../llm/progress.js";
import type { EndpointBreaker } from "./breaker.js";
import { sampleIndex, type Catalogue, type SampledPrompt } from "./catalogue.js";
import { judgeName, judgesOf, modelEndpoint, priceOf, type JudgeConfig, type ModelConfig, type RunConfig } from "./config.js";
import type { Failure } from "./failures.js";
import type { CacheGuard } from "./guard.js";
import { generationBody, judgeBody, parseGeneration, parseJudgement } from "./stages.js";
import { join } from "node:path";

/** What generation and judging need of the run. */
export interface StageContext {
  c: RunConfig;
  outDir: string;
  log: (line: string) => void;
  cache: ResponseCache;
  retry: { retries: number };
  minSummaries: number;
  concurrency: number;
  failures: Failure[];
  /** Records a failure (its error without any secret). */
  fail: (f: Failure) => void;
  requests: Record<string, number>;
  breaker: EndpointBreaker;
  guard: CacheGuard;
  progress: NodeJS.WriteStream | null;
  batch: boolean;
  batchPollMs?: number;
  clientFor: (e: Endpoint) => OpenAI;
}

export interface Generated {
  text: string;
  summaries: string[];
}

export interface BatchTotals {
  answers: number;
  inputTokens: number;
  outputTokens: number;
  costUSD: number;
}

export interface Job {
  model: ModelConfig;
  prompt: SampledPrompt;
}

export interface Generation {
  jobs: Job[];
  /** By `jobKey`. */
  generated: Map<string, Generated>;
  progress: ProgressState;
  batch: BatchTotals;
}

export interface Judging {
  judges: JudgeConfig[];
  /** By judge name, then `jobKey`. */
  judged: Map<string, Map<string, { language: string; labels: Label[] }>>;
  progress: ProgressState;
  batch: BatchTotals;
}

export const jobKey = (j: Job): string => `${j.model.id}\u0000${j.prompt.id}`;

const noBatch = (): BatchTotals => ({ answers: 0, inputTokens: 0, outputTokens: 0, costUSD: 0 });

/** Adds a batch's answers, tokens and cost (at list prices: the Batch API's discount is not assumed, so the budget errs high). */
function addBatch(total: BatchTotals, b: BatchOutcome, price: Price | undefined): void {
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

/** A failed request: an answer the cache could not keep counts its tokens (and stops the run); any other failure is recorded. */
function recordError(ctx: StageContext, progress: Progress, error: unknown, price: Price | undefined, failure: Omit<Failure, "error" | "attempts">): void {
  const paid = ctx.guard.absorb(error, price);
  if (paid) {
    ctx.requests[failure.stage] = (ctx.requests[failure.stage] ?? 0) + paid.attempts;
    return void progress.update({ done: 1, failed: 1, inputTokens: paid.input, outputTokens: paid.output, costUSD: paid.costUSD });
  }
  ctx.fail({ ...failure, error: describeError(error), attempts: ctx.retry.retries + 1 });
  progress.update({ done: 1, failed: 1 });
}

/** One answered request in the progress: done, cached or not, and what it cost. */
function recordDone(progress: Progress, out: { cached: boolean; usage: { input: number; output: number } }, price: Price | undefined): void {
  progress.update({
    done: 1,
    cached: out.cached ? 1 : 0,
    inputTokens: out.usage.input,
    outputTokens: out.usage.output,
    costUSD: cost(price, out.usage.input, out.usage.output),
  });
}

async function generateBatches(ctx: StageContext, prompts: readonly SampledPrompt[], samples: ReturnType<typeof sampleIndex>): Promise<BatchTotals> {
  const totals = noBatch();
  for (const m of ctx.c.models) {
    const endpoint = modelEndpoint(m);
    const reqs: BatchRequest[] = prompts.map((p) => {
      const body = generationBody(m, p.prompt);
      return { key: requestKey(endpoint, body, samples.get(p.id)), body: { ...body, model: endpoint.model } };
    });
    const b = await runBatch(reqs, {
      client: ctx.clientFor(endpoint),
      cache: ctx.cache,
      statePath: join(ctx.outDir, "batches", `generate-${m.id.replace(/[^\w.-]/g, "_")}.json`),
      validate: (_key, completion) => validates(() => parseGeneration(ctx.minSummaries)(completion)),
      pollMs: ctx.batchPollMs,
      retry: ctx.retry,
      log: ctx.log,
    });
    addBatch(totals, b, priceOf(ctx.c, m.id));
    ctx.requests.generate! += b.sent;
  }
  return totals;
}

/** Generation: every model on every prompt. A repeated prompt is a new sample: its cache key says which. */
export async function generateAll(ctx: StageContext, prompts: readonly SampledPrompt[]): Promise<Generation> {
  const jobs = ctx.c.models.flatMap((model) => prompts.map((prompt) => ({ model, prompt })));
  const samples = sampleIndex(prompts);
  const batch = ctx.batch ? await generateBatches(ctx, prompts, samples) : noBatch();
  const progress = new Progress("generate", jobs.length, ctx.progress);
  progress.update({ inputTokens: batch.inputTokens, outputTokens: batch.outputTokens, costUSD: batch.costUSD });
  const generated = new Map<string, Generated>();
  await runPool(jobs, ctx.concurrency, async (job) => {
    if (ctx.guard.stopped) return void progress.update({ done: 1 });
    const endpoint = modelEndpoint(job.model);
    const price = priceOf(ctx.c, job.model.id);
    try {
      const body = generationBody(job.model, job.prompt.prompt);
      const out = await ctx.breaker.send(endpoint, () =>
        cachedChat({
          client: ctx.clientFor(endpoint),
          endpoint,
          body,
          keyExtra: samples.get(job.prompt.id),
          parse: parseGeneration(ctx.minSummaries),
          cache: ctx.cache,
          retry: ctx.retry,
        }),
      );
      generated.set(jobKey(job), out.value);
      if (!out.cached) ctx.requests.generate! += out.attempts;
      recordDone(progress, out, price);
    } catch (error) {
      recordError(ctx, progress, error, price, {
        stage: "generate",
        model: job.model.id,
        language: job.prompt.language,
        item: job.prompt.item,
        prompt_id: job.prompt.id,
      });
    }
  });
  progress.finish();
  ctx.guard.throwIfStopped("generation");
  return { jobs, generated, progress: progress.snapshot, batch };
}

async function judgeBatches(
  ctx: StageContext,
  judges: readonly JudgeConfig[],
  jobs: readonly Job[],
  bodyOf: (j: Job) => { body: ReturnType<typeof judgeBody>; summaries: number },
): Promise<BatchTotals> {
  const totals = noBatch();
  if (jobs.length === 0) return totals;
  for (const [index, judge] of judges.entries()) {
    const reqs: BatchRequest[] = jobs.map((j) => ({ key: requestKey(judge, bodyOf(j).body), body: { ...bodyOf(j).body, model: judge.model } }));
    const summariesByKey = new Map(reqs.map((r, i) => [r.key, bodyOf(jobs[i]!).summaries]));
    const b = await runBatch(reqs, {
      client: ctx.clientFor(judge),
      cache: ctx.cache,
      statePath: join(ctx.outDir, "batches", index === 0 ? "judge.json" : `judge-${judgeName(judge).replace(/[^\w.-]/g, "_")}.json`),
      validate: (key, completion) => validates(() => parseJudgement(summariesByKey.get(key) ?? 0)(completion)),
      pollMs: ctx.batchPollMs,
      retry: ctx.retry,
      log: ctx.log,
    });
    addBatch(totals, b, priceOf(ctx.c, judge.model));
    ctx.requests.judge! += b.sent;
  }
  return totals;
}

/** Judging: every generated response, by every judge (the first is the primary). */
export async function judgeAll(ctx: StageContext, catalogue: Catalogue, gen: Generation): Promise<Judging> {
  const judges = judgesOf(ctx.c);
  const itemSpec = new Map(catalogue.items.map((i) => [i.item, i]));
  const jobs = gen.jobs.filter((j) => gen.generated.has(jobKey(j)));
  const bodyOf = (j: Job) => {
    const g = gen.generated.get(jobKey(j))!;
    return { body: judgeBody(itemSpec.get(j.prompt.item)!, g.text, g.summaries.length), summaries: g.summaries.length };
  };
  const batch = ctx.batch ? await judgeBatches(ctx, judges, jobs, bodyOf) : noBatch();
  const progress = new Progress("judge", jobs.length * judges.length, ctx.progress);
  progress.update({ inputTokens: batch.inputTokens, outputTokens: batch.outputTokens, costUSD: batch.costUSD });
  const judged: Judging["judged"] = new Map(judges.map((j) => [judgeName(j), new Map()]));
  const pairs = judges.flatMap((judge) => jobs.map((job) => ({ judge, job })));
  await runPool(pairs, ctx.concurrency, async ({ judge, job }) => {
    if (ctx.guard.stopped) return void progress.update({ done: 1 });
    const { body, summaries } = bodyOf(job);
    const price = priceOf(ctx.c, judge.model);
    try {
      const out = await ctx.breaker.send(judge, () =>
        cachedChat({ client: ctx.clientFor(judge), endpoint: judge, body, parse: parseJudgement(summaries), cache: ctx.cache, retry: ctx.retry }),
      );
      judged.get(judgeName(judge))!.set(jobKey(job), out.value);
      if (!out.cached) ctx.requests.judge! += out.attempts;
      recordDone(progress, out, price);
    } catch (error) {
      recordError(ctx, progress, error, price, {
        stage: "judge",
        model: job.model.id,
        judge: judgeName(judge),
        language: job.prompt.language,
        item: job.prompt.item,
        prompt_id: job.prompt.id,
      });
    }
  });
  progress.finish();
  ctx.guard.throwIfStopped("judging");
  return { judges, judged, progress: progress.snapshot, batch };
}
