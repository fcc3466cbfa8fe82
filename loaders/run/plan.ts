/**
 * The plan of a run, before anything is sent: requests per stage, model and language,
 * how many are already cached, estimated tokens and cost. `--dry-run` prints it, and a
 * run whose estimate exceeds the budget stops here, before its first paid request.
 */
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { ResponseCache } from "../llm/cache.js";
import { requestKey } from "../llm/chat.js";
import { cost, estimateTokens } from "../llm/pricing.js";
import { sampleIndex, type Catalogue, type PromptSet, type SampledPrompt } from "./catalogue.js";
import { judgeName, judgesOf, modelEndpoint, priceOf, type RunConfig } from "./config.js";
import { generationBody, judgeBody, parseGeneration, translationTexts } from "./stages.js";

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

/** Output tokens of a judge's answer (a language code and one label per summary). */
const JUDGE_OUTPUT_TOKENS = 60;
/** The judge's instructions and the two statements, around the response. */
const JUDGE_PROMPT_TOKENS = 250;

/** The estimated cost at the model's own price; NaN (over any budget) when it has none. */
function planned(c: RunConfig, model: string, input: number, output: number): number {
  const price = priceOf(c, model);
  return price ? cost(price, input, output) : NaN;
}

/** Model ids the plan has no price for (a config that bypassed validation): their cost is unknown. */
export function unpriced(c: RunConfig): string[] {
  const ids = [...c.models.map((m) => m.id), ...judgesOf(c).map((j) => j.model), c.translator.model];
  return [...new Set(ids.filter((id) => !priceOf(c, id)))];
}

/** Whether an estimate may be spent: a finite number within the budget (NaN or Infinity never is). */
export function withinBudget(estimate: number, budget: number): boolean {
  return Number.isFinite(estimate) && estimate <= budget;
}

/** The translation rows: one per language still to translate, estimated from the texts it lacks. */
function translationRows(c: RunConfig, catalogue: Catalogue, untranslated: ReadonlyMap<string, PromptSet | null>): PlanRow[] {
  return [...untranslated].map(([language, partial]) => {
    const texts = translationTexts(catalogue, partial).map((t) => t.text);
    const input = texts.reduce((a, t) => a + estimateTokens(t) + 60, 0);
    const output = texts.reduce((a, t) => a + estimateTokens(t) * 2, 0);
    return {
      stage: "translate",
      model: c.translator.model,
      language,
      requests: texts.length,
      cached: 0,
      inputTokens: input,
      outputTokens: output,
      costUSD: planned(c, c.translator.model, input, output),
    };
  });
}

interface PlanContext {
  c: RunConfig;
  cache: ResponseCache;
  minSummaries: number;
  judges: ReturnType<typeof judgesOf>;
  itemSpec: Map<string, Catalogue["items"][number]>;
  samples: ReturnType<typeof sampleIndex>;
}

/** What one model's prompts in one language would cost: its generation row and one row per judge. */
function modelLanguageRows(x: PlanContext, m: RunConfig["models"][number], language: string, ps: readonly SampledPrompt[]): PlanRow[] {
  const endpoint = modelEndpoint(m);
  const maxTokens = m.maxTokens ?? 600;
  let cached = 0;
  let input = 0;
  const judgeCached = new Array<number>(x.judges.length).fill(0);
  const judgeInput = new Array<number>(x.judges.length).fill(0);
  for (const p of ps) {
    const hit = x.cache.get<ChatCompletion>(requestKey(endpoint, generationBody(m, p.prompt), x.samples.get(p.id)));
    let g: { text: string; summaries: string[] } | null = null;
    if (hit) {
      cached++;
      try {
        g = parseGeneration(x.minSummaries)(hit);
      } catch {
        // an invalid cached answer is asked again: counted as a request below
      }
    } else input += estimateTokens(p.prompt);
    x.judges.forEach((judge, j) => {
      if (g && x.cache.has(requestKey(judge, judgeBody(x.itemSpec.get(p.item)!, g.text, g.summaries.length)))) judgeCached[j]!++;
      else judgeInput[j]! += (g ? estimateTokens(g.text) : maxTokens) + JUDGE_PROMPT_TOKENS;
    });
  }
  const fresh = ps.length - cached;
  const generate: PlanRow = {
    stage: "generate",
    model: m.id,
    language,
    requests: ps.length,
    cached,
    inputTokens: input,
    outputTokens: fresh * maxTokens,
    costUSD: planned(x.c, m.id, input, fresh * maxTokens),
  };
  const judged = x.judges.map((judge, j): PlanRow => {
    const out = (ps.length - judgeCached[j]!) * JUDGE_OUTPUT_TOKENS;
    return {
      stage: "judge",
      model: judgeName(judge),
      language,
      requests: ps.length,
      cached: judgeCached[j]!,
      inputTokens: judgeInput[j]!,
      outputTokens: out,
      costUSD: planned(x.c, judge.model, judgeInput[j]!, out),
    };
  });
  return [generate, ...judged];
}

/**
 * The plan. `untranslated` maps each language still to translate to what it lacks (a
 * partial translation keeps what it has); its prompts in `prompts` are sampled from the
 * English templates, which have the same items, templates and phrasings.
 */
export function makePlan(
  c: RunConfig,
  catalogue: Catalogue,
  prompts: readonly SampledPrompt[],
  untranslated: ReadonlyMap<string, PromptSet | null>,
  cache: ResponseCache,
  minSummaries: number,
): PlanRow[] {
  const x: PlanContext = {
    c,
    cache,
    minSummaries,
    judges: judgesOf(c),
    itemSpec: new Map(catalogue.items.map((i) => [i.item, i])),
    samples: sampleIndex(prompts),
  };
  const rows = translationRows(c, catalogue, untranslated);
  for (const m of c.models) {
    for (const language of c.languages)
      rows.push(
        ...modelLanguageRows(
          x,
          m,
          language,
          prompts.filter((p) => p.language === language),
        ),
      );
  }
  return rows;
}

export function planCost(plan: readonly PlanRow[]): number {
  return plan.reduce((a, r) => a + r.costUSD, 0);
}

export function formatPlan(plan: readonly PlanRow[], budget: number): string {
  const lines = [
    "Plan (for requests not yet cached; input tokens are estimated at 4 characters a token, output at each model's maxTokens; retries are not counted):",
  ];
  const w = (s: string | number, n: number) => String(s).padStart(n);
  lines.push(
    `${"stage".padEnd(9)} ${"model".padEnd(28)} ${"lang"} ${w("requests", 8)} ${w("cached", 7)} ${w("in tokens", 10)} ${w("out tokens", 10)} ${w("cost $", 9)}`,
  );
  const usd = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "?");
  for (const r of plan) {
    lines.push(
      `${r.stage.padEnd(9)} ${r.model.slice(0, 28).padEnd(28)} ${r.language.padEnd(4)} ${w(r.requests, 8)} ${w(r.cached, 7)} ${w(r.inputTokens, 10)} ${w(r.outputTokens, 10)} ${w(usd(r.costUSD), 9)}`,
    );
  }
  const total = planCost(plan);
  const requests = plan.reduce((a, r) => a + r.requests - r.cached, 0);
  const over = !Number.isFinite(total) ? " (OVER BUDGET: the cost cannot be estimated, a model has no price)" : total > budget ? " (OVER BUDGET)" : "";
  lines.push(`Total: ${requests} requests to send, estimated $${usd(total)} of a $${budget.toFixed(2)} budget${over}.`);
  return lines.join("\n");
}
