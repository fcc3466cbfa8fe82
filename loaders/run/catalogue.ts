/**
 * The item catalogue and prompt templates (committed under data/, in this project's
 * own words), their translations (committed as reviewable JSON, one file per language),
 * LLM translation of a missing language, and seeded sampling of prompts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { languageName } from "../../src/lib/languages.js";
import type { Rng } from "../../src/lib/random.js";
import type { ItemRow } from "../../src/lib/workspace.js";
import { REPO_ROOT } from "../paths.js";

export const CATALOGUE_DIR = join(REPO_ROOT, "data");

export interface CatalogueItem {
  item: string;
  name: string;
  category: string;
  pro: string;
  con: string;
  topics: string[];
}

export interface PromptSet {
  language: string;
  templates: string[];
  topics: Record<string, string[]>;
  note?: string;
}

export interface Catalogue {
  items: CatalogueItem[];
  english: PromptSet;
}

const TOPIC = "{topic}";
const occurrences = (text: string) => text.split(TOPIC).length - 1;

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

export function loadCatalogue(dir = CATALOGUE_DIR): Catalogue {
  const items = readJson<CatalogueItem[]>(join(dir, "items.json"));
  const templates = readJson<{ language: string; templates: string[] }>(join(dir, "prompts", "templates.json"));
  const bad = templates.templates.findIndex((t) => occurrences(t) !== 1);
  if (bad >= 0) throw new Error(`data/prompts/templates.json: template ${bad + 1} must contain {topic} exactly once`);
  return {
    items,
    english: { language: "en", templates: templates.templates, topics: Object.fromEntries(items.map((i) => [i.item, i.topics])) },
  };
}

/**
 * Problems of a translation against the catalogue (empty when it is usable). An empty
 * string stands for a template or phrasing the translator could not produce: it is a
 * gap, left out of runs and translated again by the next run, not a problem.
 */
export function checkPromptSet(set: PromptSet, catalogue: Catalogue): string[] {
  const problems: string[] = [];
  if (set.templates.length !== catalogue.english.templates.length) {
    problems.push(`${set.templates.length} templates, expected ${catalogue.english.templates.length}`);
  }
  set.templates.forEach((t, i) => {
    if (t !== "" && occurrences(t) !== 1) problems.push(`template ${i + 1} must contain {topic} exactly once`);
  });
  for (const item of catalogue.items) {
    const topics = Object.hasOwn(set.topics ?? {}, item.item) ? set.topics[item.item] : undefined;
    if (!topics || topics.length !== item.topics.length) problems.push(`item ${item.item}: expected ${item.topics.length} topic phrasings`);
  }
  return problems;
}

/** How many templates and topic phrasings of a prompt set are still untranslated (""). */
export function promptSetGaps(set: PromptSet): number {
  return set.templates.filter((t) => t === "").length + Object.values(set.topics).reduce((a, ts) => a + ts.filter((t) => t === "").length, 0);
}

export function translationPath(language: string, dir = CATALOGUE_DIR): string {
  return join(dir, "prompts", "translations", `${language}.json`);
}

/** The committed prompt set of a language (English is the catalogue itself), or null. */
export function loadPromptSet(language: string, catalogue: Catalogue, dir = CATALOGUE_DIR): PromptSet | null {
  if (language === "en") return catalogue.english;
  const path = translationPath(language, dir);
  if (!existsSync(path)) return null;
  const set = readJson<PromptSet>(path);
  const problems = checkPromptSet(set, catalogue);
  if (problems.length) {
    throw new Error(`${path} needs fixing before a run can use it:\n  - ${problems.slice(0, 8).join("\n  - ")}`);
  }
  return set;
}

/** Writes a prompt set for review (atomically). */
export function savePromptSet(set: PromptSet, dir = CATALOGUE_DIR): string {
  const path = translationPath(set.language, dir);
  mkdirSync(join(dir, "prompts", "translations"), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(set, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

/** The translator's instructions (the simulated provider recognises the first words). */
export function translatorSystemPrompt(language: string): string {
  return (
    `You translate survey prompts into ${languageName(language)} (${language}). ` +
    `Keep the placeholder {topic} exactly as it is, untranslated, where it belongs in the sentence. ` +
    `Translate any output-format instruction too. Reply with the translation only.`
  );
}

export function keepsTopic(text: string): boolean {
  return occurrences(text) === 1;
}

export interface SampledPrompt {
  id: string;
  language: string;
  item: string;
  template_id: string;
  topic_id: string;
  prompt: string;
  /** A persona prompt's country and whether it speaks the prompt's language (loaders/run/personas.ts). */
  persona?: { country: string; congruent: boolean };
}

/**
 * Seeded prompts per language: items in turn (reshuffled each pass, so items are
 * balanced), a random template and a random topic phrasing for each, without repeating
 * an item's (template, phrasing) pair until all its pairs are used. A prompt that does
 * repeat is a new sample of the model, not a cache hit (see `sampleIndex`).
 */
export function samplePrompts(
  sets: ReadonlyMap<string, PromptSet>,
  items: readonly string[],
  perLanguage: number,
  rng: Rng,
  skipTemplates: ReadonlyMap<string, ReadonlySet<number>> = new Map(),
): SampledPrompt[] {
  const out: SampledPrompt[] = [];
  for (const [language, set] of sets) {
    const lrng = rng.fork(`prompts/${language}`);
    // Own properties only: an item key is never looked up on Object.prototype.
    const topicsOf = (item: string) => (Object.hasOwn(set.topics, item) ? set.topics[item] : undefined);
    const usable = items.filter((i) => topicsOf(i)?.some((t) => t !== ""));
    const templates = set.templates.map((_, i) => i).filter((i) => !skipTemplates.get(language)?.has(i));
    if (usable.length === 0 || templates.length === 0) continue;
    let order: string[] = [];
    const used = new Map<string, Set<string>>();
    for (let k = 0; k < perLanguage; k++) {
      if (order.length === 0) {
        order = [...usable];
        for (let i = order.length - 1; i > 0; i--) {
          const j = lrng.int(i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
      }
      const item = order.pop()!;
      const topics = topicsOf(item)!;
      // Untranslated phrasings ("") are left out; with none, this draws as it always did.
      const phrasings = topics.flatMap((t, i) => (t === "" ? [] : [i]));
      // A (template, phrasing) pair already drawn for this item is drawn again, until
      // every pair has been used: the same prompt twice would be the same request.
      const seen = used.get(item) ?? new Set<string>();
      used.set(item, seen);
      let t: number;
      let p: number;
      do {
        t = templates[lrng.int(templates.length)]!;
        p = phrasings[lrng.int(phrasings.length)]!;
      } while (seen.has(`${t}/${p}`) && seen.size < templates.length * phrasings.length);
      seen.add(`${t}/${p}`);
      out.push({
        id: `${language}-${String(k).padStart(5, "0")}`,
        language,
        item,
        template_id: `t${String(t + 1).padStart(2, "0")}`,
        topic_id: `${item}#${p + 1}`,
        prompt: set.templates[t]!.replace(TOPIC, topics[p]!),
      });
    }
  }
  return out;
}

/** Items as the workspace's items table. */
export function itemRows(catalogue: Catalogue, keys: readonly string[]): ItemRow[] {
  return catalogue.items
    .filter((i) => keys.includes(i.item))
    .map((i) => ({ item: i.item, name: i.name, category: i.category, pro_statement: i.pro, con_statement: i.con }));
}

/**
 * The cache-key extra of each prompt's generation request: the n-th repeat of the same
 * prompt text in a language (n ≥ 1) is its own sample, so it is not answered from the
 * first one's cache entry. The first occurrence has none, so its key is the plain one.
 */
export function sampleIndex(prompts: readonly SampledPrompt[]): Map<string, { sample: number } | undefined> {
  const seen = new Map<string, number>();
  const out = new Map<string, { sample: number } | undefined>();
  for (const p of prompts) {
    const n = seen.get(p.prompt) ?? 0;
    seen.set(p.prompt, n + 1);
    out.set(p.id, n ? { sample: n } : undefined);
  }
  return out;
}
