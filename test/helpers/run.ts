/**
 * The run configs and options the pipeline's tests start from: two models, a translator
 * and a judge on the simulated provider, English, four items, six prompts, a $5 budget.
 * Each test file passes what it varies (ground truth or survey, concurrency, timeouts).
 */
import { join } from "node:path";
import { validateConfig, type LoadedConfig, type RunConfig } from "../../loaders/run/config.js";
import type { RunOptions } from "../../loaders/run/pipeline.js";
import { loadCatalogue } from "../../loaders/run/catalogue.js";
import type { SimulationWorld } from "../../loaders/simulate/behaviour.js";

export const TEST_ITEMS = ["f120", "f121", "e035", "d059"];

/** A simulated world that answers every catalogue item's topics in English, without refusals or drift. */
export function simulatedWorld(): SimulationWorld {
  const topics = new Map<string, [string, string]>();
  for (const item of loadCatalogue().items) for (const t of item.topics) topics.set(t, [item.item, "en"]);
  return { truths: {}, topics, profiles: {}, refusal: 0, englishDrift: 0 };
}

/** A validated run config named `name` under `root` (out and cache folders of its own), every endpoint at `baseURL`; `extra` overrides any field. */
export function testRunConfig(root: string, name: string, baseURL: string, extra: Partial<RunConfig>): LoadedConfig {
  const c = validateConfig({
    name,
    languages: ["en"],
    items: TEST_ITEMS,
    promptsPerLanguage: 6,
    seed: 3,
    models: [
      { id: "model-a", family: "fa", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
      { id: "model-b", family: "fb", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
    ],
    translator: { model: "translator", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
    judge: { model: "judge", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
    budgetUSD: 5,
    prices: { "model-a": { input: 1, output: 2 }, "model-b": { input: 1, output: 2 }, translator: { input: 0, output: 0 }, judge: { input: 1, output: 1 } },
    out: join(root, "runs", name),
    cacheDir: join(root, "cache", name),
    ...extra,
  });
  return { config: c, baseDir: root, path: join(root, `${name}.json`), hash: `hash-${name}` };
}

/** Run options with `env`, no log or progress, and a fixed clock. */
export const testRunOptions = (env: NodeJS.ProcessEnv, extra: RunOptions = {}): RunOptions => ({
  env,
  log: () => {},
  progress: null,
  now: () => new Date("2026-01-01T00:00:00Z"),
  ...extra,
});
