/**
 * What every analysis of `reproduce` reads: the workspace (without the left-out models,
 * languages and items, with the study's baselines), the settings, the model order and the
 * bootstrap experiments shared between analyses. The registered analyses
 * (src/lib/analyses/registry.ts) are functions of this context.
 */
import { BASELINE_MODELS, drawBaselines } from "../baselines.js";
import type { Metric } from "../correlation.js";
import { createRng } from "../random.js";
import { modelOrder, scoredResponses, UNIFORM_BASELINE, type Level, type ResponseRow, type Workspace } from "../workspace.js";
import { runExperiment, type ExperimentResult, type Procedure } from "./experiment.js";
import type { ReproduceOptions } from "./reproduce.js";
import { fitUsBias, usBiasRows, type UsBiasResult, type UsBiasRow } from "./usbias.js";

/** Runs the experiment of one level with the seed's stream for that level. */
export function experimentAt(ws: Workspace, level: Level, options: ReproduceOptions = {}): ExperimentResult {
  const seed = String(options.seed ?? 1);
  const procedure = options.procedure ?? "study";
  return runExperiment(scoredResponses(ws.responses), ws.ground_truth, {
    level,
    rounds: options.rounds ?? 100,
    rng: createRng(seed, `experiment/${level}/${procedure}`),
    metric: options.metric ?? "spearman",
    procedure,
    judgeErrorRate: options.judgeErrorRate,
  });
}

/**
 * The workspace with the study's baselines: unchanged when it has them (the paper source
 * carries the study's own draw), else with both drawn from the seed on the first model's rows.
 */
export function withBaselines(ws: Workspace, seed: number | string): { workspace: Workspace; drawn: boolean } {
  if (ws.responses.some((r) => r.model === UNIFORM_BASELINE)) return { workspace: ws, drawn: false };
  const template = ws.models.find((m) => ws.responses.some((r) => r.model === m.model))?.model;
  const baselines = drawBaselines(ws.responses, { rng: createRng(String(seed), "baselines"), template });
  return {
    workspace: {
      ...ws,
      responses: [...ws.responses, ...baselines],
      models: [...ws.models, ...BASELINE_MODELS.filter((b) => !ws.models.some((m) => m.model === b.model))],
    },
    drawn: true,
  };
}

export interface Exclusions {
  models?: readonly string[];
  languages?: readonly string[];
  items?: readonly string[];
}

/** The workspace without some models, prompt languages or items (for leave-one-out analyses). */
export function excluding(ws: Workspace, exclude: Exclusions | undefined): Workspace {
  const m = new Set(exclude?.models ?? []);
  const l = new Set(exclude?.languages ?? []);
  const i = new Set(exclude?.items ?? []);
  if (m.size + l.size + i.size === 0) return ws;
  return {
    ...ws,
    responses: ws.responses.filter((r) => !m.has(r.model) && !l.has(r.language) && !i.has(r.item)),
    benchmarks: ws.benchmarks.filter((b) => !m.has(b.model) && !l.has(b.language)),
    ground_truth: ws.ground_truth.filter((g) => !i.has(g.item)),
  };
}

/** The context of one `reproduce` call. */
export interface Context {
  ws: Workspace;
  options: ReproduceOptions;
  rounds: number;
  seed: string;
  metric: Metric;
  procedure: Procedure;
  scored: ResponseRow[];
  languages: string[];
  byModel: (a: { model: string }, b: { model: string }) => number;
  experiment: (level: Level) => ExperimentResult;
  /** The US-bias OLS on the country-level experiment, fitted once per call. */
  usBias: () => { rows: UsBiasRow[]; bias: UsBiasResult };
}

export function contextOf(ws: Workspace, drawn: boolean, options: ReproduceOptions): Context {
  const rounds = options.rounds ?? 100;
  const seed = String(options.seed ?? 1);
  const metric = options.metric ?? "spearman";
  const procedure = options.procedure ?? "study";
  const rank = new Map(modelOrder(ws).map((m, i) => [m, i]));
  const scored = scoredResponses(ws.responses);
  const experiments = options.cache ?? new Map<string, ExperimentResult>();
  const experiment = (level: Level) => {
    const key = JSON.stringify([level, rounds, seed, metric, procedure, options.judgeErrorRate ?? null, drawn, options.exclude ?? null]);
    if (!experiments.has(key)) experiments.set(key, experimentAt(ws, level, { ...options, rounds, seed, metric, procedure }));
    return experiments.get(key)!;
  };
  let usBias: { rows: UsBiasRow[]; bias: UsBiasResult } | undefined;
  return {
    ws,
    options,
    rounds,
    seed,
    metric,
    procedure,
    scored,
    languages: [...new Set(scored.map((r) => r.language))].sort(),
    byModel: (a, b) => (rank.get(a.model) ?? 1e9) - (rank.get(b.model) ?? 1e9),
    experiment,
    usBias: () => {
      if (!usBias) {
        const rows = usBiasRows(experiment("country"), ws.populations);
        usBias = { rows, bias: fitUsBias(rows) };
      }
      return usBias;
    },
  };
}

const LEVEL_RANK: Record<Level, number> = { global: 0, language: 1, country: 2 };

/** Entries sorted by level (global, language, country), model order, language and population. */
export function byLevel<T extends { level: Level; model: string; language: string; population: string }>(c: Context, entries: T[]): T[] {
  return entries.sort(
    (a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || c.byModel(a, b) || a.language.localeCompare(b.language) || a.population.localeCompare(b.population),
  );
}
