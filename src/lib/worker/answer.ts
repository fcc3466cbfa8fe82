/**
 * What the analysis worker answers to a request, as a pure function of the workspace:
 * the worker runs it in the page, and the site's build runs it for each page's default
 * request, so the figures a page shows at first paint are the worker's own numbers.
 */
import type { ExperimentResult } from "../analyses/experiment.js";
import { reproduce, type ReproduceResult } from "../analyses/reproduce.js";
import { thinResiduals, type RegressionResiduals } from "../analyses/residuals.js";
import { robustnessExtras } from "../robustness/extras.js";
import { claimsFor, runMultiverse, studyConclusions } from "../robustness/multiverse.js";
import { specifications } from "../robustness/specs.js";
import type { Workspace } from "../workspace.js";
import type { WorkerRequest, WorkerResponse } from "./protocol.js";

type Request = Exclude<WorkerRequest, { type: "init" }>;

/**
 * The result a page receives: without the stacked RQ1 rows (one per round, model and
 * language: the CLI prints them; no page draws them, and they would triple what a page
 * downloads), and with the residual diagnostics' points and QQ pairs thinned to what a
 * chart can show, to 5 significant digits (their spreads and tests stay those of every residual).
 */
export function forPage(result: ReproduceResult): ReproduceResult {
  const { rq1Rows: _rows, residuals, ...rest } = result;
  const { rq1Rows: _detailRows, ...details } = result.details;
  if (!residuals) return { ...rest, details };
  const thin = (r: RegressionResiduals | undefined) => (r ? thinResiduals(r, 1000, 400, 5) : undefined);
  return { ...rest, residuals: { ...residuals, rq1: thin(residuals.rq1), usBias: thin(residuals.usBias) }, details };
}

/** Caches a worker keeps between requests. */
export interface AnswerCache {
  experiments: Map<string, ExperimentResult>;
  results: Map<string, ReproduceResult>;
}

const MAX_RESULTS = 24;

function reproduceFor(
  ws: Workspace,
  request: Extract<Request, { type: "reproduce" }>,
  cache: AnswerCache,
  post: (m: WorkerResponse) => void,
): { result: ReproduceResult; cached: boolean } {
  const key = JSON.stringify(request.options);
  const hit = cache.results.get(key);
  if (hit) return { result: hit, cached: true };
  if (cache.experiments.size > 12) cache.experiments.clear();
  const result = forPage(
    reproduce(ws, {
      ...request.options,
      cache: cache.experiments,
      onProgress: (stage, done, total) => post({ id: request.id, type: "progress", stage, done, total }),
    }),
  );
  if (cache.results.size >= MAX_RESULTS) cache.results.delete(cache.results.keys().next().value!);
  cache.results.set(key, result);
  return { result, cached: false };
}

/** Answers one request, posting progress and the final message through `post`. */
export function answer(
  ws: Workspace,
  request: Request,
  post: (m: WorkerResponse) => void,
  cache: AnswerCache = { experiments: new Map(), results: new Map() },
): void {
  const start = performance.now();
  if (request.type === "reproduce") {
    const { result, cached } = reproduceFor(ws, request, cache, post);
    post({ id: request.id, type: "result", result, ms: performance.now() - start, cached });
  } else if (request.type === "multiverse") {
    const specs = specifications(ws, request.options);
    // The claims are the study's conclusions: its published analysis at 100 rounds, seed 1.
    const claims = claimsFor(ws, studyConclusions(ws));
    runMultiverse(ws, specs, (outcome, done) =>
      post({ id: request.id, type: "outcome", outcome, claims: done === 1 ? claims : null, done, total: specs.length, ms: performance.now() - start }),
    );
  } else if (request.type === "extras") {
    const extras = robustnessExtras(ws, request.options, (stage, done, total) => post({ id: request.id, type: "progress", stage, done, total }));
    post({ id: request.id, type: "extras", extras, ms: performance.now() - start });
  } else {
    throw new Error(`Unknown request type ${String((request as { type: unknown }).type)}`);
  }
}
