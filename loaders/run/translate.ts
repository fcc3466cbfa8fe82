/**
 * Translation of the templates and topic phrasings into a language with no committed
 * translation, or into the gaps of a partial one (what a hand-corrected file already
 * holds is kept). Requests go out concurrently, through the cache, with a progress line.
 * A template whose translation loses {topic} is asked again with a reminder; if that
 * fails too it is left empty (""), reported, left out of the run, and tried again by
 * the next run.
 */
import type OpenAI from "openai";
import { cachedChat, describeError, type Endpoint } from "../llm/chat.js";
import type { ResponseCache } from "../llm/cache.js";
import { runPool } from "../llm/pool.js";
import { cost } from "../llm/pricing.js";
import { Progress } from "../llm/progress.js";
import { InvalidAnswerError } from "../llm/retry.js";
import { savePromptSet, type Catalogue, type PromptSet } from "./catalogue.js";
import type { Failure } from "./failures.js";
import type { CacheGuard } from "./guard.js";
import { parseTranslation, translationBody, translationTexts, type TranslationText } from "./stages.js";

export interface TranslateContext {
  cache: ResponseCache;
  clientFor: (e: Endpoint) => OpenAI;
  retry: { retries: number };
  concurrency: number;
  log: (line: string) => void;
  failures: Failure[];
  requests: Record<string, number>;
  /** USD per million tokens of the translator, for the progress line. */
  price?: { input: number; output: number };
  progress?: NodeJS.WriteStream | null;
  /** Where the translation is written for review (default data/). */
  dir?: string;
  /** A simulated run's translations say so, and are never written into data/. */
  simulated?: boolean;
  today?: string;
  /** Stops the run at the first answer the cache cannot keep (see guard.ts). */
  guard?: CacheGuard;
}

/** The prompt set: what the partial translation had, with the new translations in its gaps; the note says how it was made. */
function mergedSet(
  language: string,
  catalogue: Catalogue,
  partial: PromptSet | null,
  results: ReadonlyMap<TranslationText, string>,
  translator: Endpoint,
  ctx: TranslateContext,
): PromptSet {
  const templates = catalogue.english.templates.map((_, i) => partial?.templates[i] || "");
  const topics: Record<string, string[]> = Object.fromEntries(
    catalogue.items.map((item) => [item.item, item.topics.map((_, i) => partial?.topics[item.item]?.[i] || "")]),
  );
  for (const [t, text] of results) {
    if (t.kind === "template") templates[t.index] = text;
    else topics[t.item!]![t.index] = text;
  }
  const gaps = translationTexts(catalogue, partial).length - results.size;
  const by = ctx.simulated
    ? `SIMULATED translation (the simulated provider marks the English text; not a translation) by ${translator.model}`
    : `Machine translation by ${translator.model}`;
  return {
    language,
    note:
      `${by} on ${ctx.today ?? new Date().toISOString().slice(0, 10)}; review and correct by hand.` +
      (gaps ? ` ${gaps} text(s) could not be translated and are left empty (""): the next run tries them again, or translate them by hand.` : ""),
    templates,
    topics,
  };
}

export async function translateLanguage(
  language: string,
  catalogue: Catalogue,
  translator: Endpoint,
  partial: PromptSet | null,
  ctx: TranslateContext,
): Promise<PromptSet> {
  const todo = translationTexts(catalogue, partial);
  ctx.log(
    `translate: ${partial ? `${todo.length} untranslated texts of ${language}` : `no committed translation for ${language}`}; translating with ${translator.model}`,
  );
  const progress = new Progress(`translate ${language}`, todo.length, ctx.progress === undefined ? process.stderr : ctx.progress);
  const results = new Map<TranslationText, string>();

  const ask = async (t: TranslationText, insist: boolean) => {
    const out = await cachedChat({
      client: ctx.clientFor(translator),
      endpoint: translator,
      body: translationBody(language, t.text, insist),
      parse: parseTranslation(t.kind === "template"),
      cache: ctx.cache,
      retry: ctx.retry,
    });
    if (!out.cached) ctx.requests.translate! += out.attempts;
    progress.update({
      inputTokens: out.usage.input,
      outputTokens: out.usage.output,
      costUSD: cost(ctx.price, out.usage.input, out.usage.output),
      cached: out.cached ? 1 : 0,
    });
    return out.value;
  };
  await runPool(todo, ctx.concurrency, async (t) => {
    if (ctx.guard?.stopped) return void progress.update({ done: 1 });
    try {
      try {
        results.set(t, await ask(t, false));
      } catch (error) {
        if (!(error instanceof InvalidAnswerError) || t.kind !== "template") throw error;
        results.set(t, await ask(t, true));
      }
      progress.update({ done: 1 });
    } catch (error) {
      const paid = ctx.guard?.absorb(error, ctx.price);
      if (paid) return void progress.update({ done: 1, failed: 1, inputTokens: paid.input, outputTokens: paid.output, costUSD: paid.costUSD });
      const what = t.kind === "template" ? `template ${t.index + 1}` : `${t.item} phrasing ${t.index + 1}`;
      ctx.failures.push({ stage: "translate", model: translator.model, language, item: what, error: describeError(error), attempts: ctx.retry.retries + 1 });
      progress.update({ done: 1, failed: 1 });
    }
  });
  progress.finish();
  ctx.guard?.throwIfStopped(`the translation into ${language}`);

  const set = mergedSet(language, catalogue, partial, results, translator, ctx);
  const gaps = todo.length - results.size;
  const path = savePromptSet(set, ctx.dir);
  ctx.log(`translate: wrote ${path} for review${gaps ? `; ${gaps} text(s) failed and are left out of this run` : ""}`);
  return set;
}
