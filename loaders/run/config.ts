/**
 * The run configuration (`mca run --config FILE`): a JSON file checked against a JSON
 * Schema (data/run-config.schema.json documents the same fields), with errors that
 * name the bad field. See docs/pipeline.md.
 */
import AjvModule, { type ErrorObject } from "ajv";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { LANGUAGE_NAMES, languageCode } from "../../src/lib/languages.js";
import { canonicalJson } from "../llm/cache.js";
import type { Price } from "../llm/pricing.js";
import { publicURL, secretFreeURL } from "../llm/urls.js";
import { PERSONA_SCHEMA, personaConfigProblems, type PersonaConfig } from "./personas.js";
import { REPO_ROOT } from "../paths.js";

export interface EndpointConfig {
  model: string;
  baseURL: string;
  apiKeyEnv: string;
}

export interface JudgeConfig extends EndpointConfig {
  /** The judge's name in the judgements table (default: its model). */
  name?: string;
}

export interface ModelConfig {
  id: string;
  family: string;
  baseURL: string;
  apiKeyEnv: string;
  /** The model name the endpoint expects, when it differs from `id` (default: `id`). */
  model?: string;
  displayName?: string;
  size?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
}

export interface RunConfig {
  name: string;
  languages: string[];
  items?: string[];
  promptsPerLanguage: number;
  seed: number | string;
  wvs?: string;
  groundTruth?: string;
  models: ModelConfig[];
  translator: EndpointConfig;
  /** The judge whose labels the analyses use (default: the first of `judges`). */
  judge?: JudgeConfig;
  /** More judges: every response is judged by each, for agreement and the "swap judge" control. */
  judges?: JudgeConfig[];
  budgetUSD: number;
  prices: Record<string, { input: number; output: number }>;
  benchmarks?: string;
  out?: string;
  concurrency?: number;
  timeoutSeconds?: number;
  retries?: number;
  minSummaries?: number;
  cacheDir?: string;
  /** Persona prompts beside the others (loaders/run/personas.ts). */
  personas?: PersonaConfig;
}

/**
 * The name of the environment variable holding a key: upper case, as environment
 * variables are by convention. A key pasted here by mistake (sk-…, gsk_…, hf_…) fails
 * this pattern, and the error never repeats the value.
 */
const API_KEY_ENV = "^[A-Z_][A-Z0-9_]*$";

const endpoint = {
  type: "object",
  required: ["model", "baseURL", "apiKeyEnv"],
  additionalProperties: false,
  properties: {
    model: { type: "string", minLength: 1 },
    baseURL: { type: "string", format: "uri" },
    apiKeyEnv: { type: "string", pattern: API_KEY_ENV },
  },
};

const judgeEndpoint = {
  ...endpoint,
  properties: {
    ...endpoint.properties,
    name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9:._/-]*$", description: "The judge's name in the judgements table (default: its model)" },
  },
};

export const RUN_CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "mca run configuration",
  type: "object",
  additionalProperties: false,
  required: ["name", "languages", "promptsPerLanguage", "seed", "models", "translator", "budgetUSD", "prices"],
  properties: {
    name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$", description: "Run name; the default output folder is data/runs/<name>/" },
    languages: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[a-z]{2}$" }, description: "Prompt languages, ISO 639-1" },
    items: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { type: "string", pattern: "^[a-z][a-z0-9_]*$" },
      description: "Survey item keys (default: the whole catalogue)",
    },
    promptsPerLanguage: { type: "integer", minimum: 1, maximum: 100000 },
    seed: { type: ["integer", "string"] },
    wvs: { type: "string", description: "Path to the joint EVS/WVS CSV (plain or gzipped)" },
    groundTruth: { type: "string", description: '"paper", or a workspace folder whose ground truth to reuse' },
    models: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "family", "baseURL", "apiKeyEnv"],
        additionalProperties: false,
        properties: {
          id: { type: "string", minLength: 1 },
          family: { type: "string", minLength: 1 },
          baseURL: { type: "string", format: "uri" },
          apiKeyEnv: { type: "string", pattern: API_KEY_ENV },
          model: { type: "string", minLength: 1 },
          displayName: { type: "string" },
          size: { type: "number", exclusiveMinimum: 0 },
          temperature: { type: "number", minimum: 0, maximum: 2 },
          topP: { type: "number", exclusiveMinimum: 0, maximum: 1 },
          maxTokens: { type: "integer", minimum: 16, maximum: 32768 },
        },
      },
    },
    translator: endpoint,
    judge: judgeEndpoint,
    judges: { type: "array", minItems: 1, items: judgeEndpoint, description: "Judges besides (or instead of) judge; each labels every response" },
    budgetUSD: { type: "number", minimum: 0 },
    prices: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["input", "output"],
        additionalProperties: false,
        properties: { input: { type: "number", minimum: 0 }, output: { type: "number", minimum: 0 } },
      },
      description: "USD per million input and output tokens, per model id (and the judge's and translator's model)",
    },
    benchmarks: { type: "string", description: "CSV of capability scores: model, benchmark, language, score (0-100)" },
    out: { type: "string" },
    concurrency: { type: "integer", minimum: 1, maximum: 256 },
    timeoutSeconds: { type: "number", exclusiveMinimum: 0 },
    retries: { type: "integer", minimum: 0, maximum: 20 },
    minSummaries: { type: "integer", minimum: 1, maximum: 50 },
    cacheDir: { type: "string" },
    personas: PERSONA_SCHEMA,
  },
} as const;

function fieldPath(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");
  if (error.keyword === "required")
    return path ? `${path}.${(error.params as { missingProperty: string }).missingProperty}` : (error.params as { missingProperty: string }).missingProperty;
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return path ? `${path}.${extra}` : extra;
  }
  return path || "(the file)";
}

function describe(error: ErrorObject, data: unknown): string {
  const at = fieldPath(error);
  const raw = error.instancePath
    .split("/")
    .slice(1)
    .reduce<unknown>((v, k) => (v !== null && typeof v === "object" && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined), data);
  // A key pasted into an address is never echoed: only the address's public part is shown.
  const value = /baseURL$/.test(at) && typeof raw === "string" ? publicURL(raw) : raw;
  if (/apiKeyEnv$/.test(at)) {
    return `${at}: must be the NAME of an environment variable in upper case (e.g. OPENAI_API_KEY) that holds the key, never the key itself; the value given is not shown here. If you pasted a key into the config, remove it and rotate the key`;
  }
  switch (error.keyword) {
    case "required":
      return `${at}: missing (required)`;
    case "additionalProperties":
      return `${at}: unknown field (check the spelling; see docs/pipeline.md)`;
    case "format":
      return `${at}: must be a URL, got ${JSON.stringify(value)}${value !== raw ? " (its user name, password and query string are not shown)" : ""}; write it in full, e.g. "http://localhost:8000/v1"`;
    default:
      return `${at}: ${error.message}${value !== undefined && typeof value !== "object" ? `, got ${JSON.stringify(value)}` : ""}`;
  }
}

export interface LoadedConfig {
  config: RunConfig;
  /** Folder of the config file: relative paths in it are resolved against it. */
  baseDir: string;
  /** SHA-256 of the canonical config (no secrets are in a config). */
  hash: string;
  path: string;
}

/** Checks a parsed config; throws one error listing every problem. */
export function validateConfig(data: unknown, where = "config"): RunConfig {
  // ajv is CommonJS; under Node's ESM interop its class is the default export's default.
  const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat("uri", (s: string) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(s));
  const check = ajv.compile(RUN_CONFIG_SCHEMA);
  const problems: string[] = [];
  if (!check(data)) problems.push(...(check.errors ?? []).map((e: ErrorObject) => describe(e, data)));
  if (problems.length === 0) {
    const c = data as RunConfig;
    if (!c.wvs && !c.groundTruth) problems.push("wvs: missing: give the survey microdata (wvs), or reuse another workspace's ground truth (groundTruth)");
    if (c.wvs && c.groundTruth) problems.push("groundTruth: give either wvs (survey microdata) or groundTruth (reuse a workspace's ground truth), not both");
    const ids = c.models.map((m) => m.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dupes.length) problems.push(`models: the id "${dupes[0]}" appears twice; ids must be unique`);
    if (!c.judge && !c.judges) problems.push("judge: missing: give a judge, or a list of judges");
    const names = judgesOf(c).map((j) => judgeName(j));
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length) problems.push(`judges: the judge "${twice[0]}" appears twice; give each judge a different model or name`);
    for (const id of [...ids, ...judgesOf(c).map((j) => j.model), c.translator.model]) {
      if (!priceOf(c, id))
        problems.push(
          `prices.${id}: missing: the budget cannot be checked without a price for every model, the judge and the translator (use 0 for a free local model)`,
        );
    }
    c.languages.forEach((l, i) => {
      if (!LANGUAGE_NAMES.has(l)) problems.push(unknownLanguage(l, i));
    });
    if (c.personas) problems.push(...personaConfigProblems(c.personas, c.languages));
  }
  if (problems.length) throw new Error(`${where} is not a valid run configuration:\n  - ${[...new Set(problems)].join("\n  - ")}`);
  return data as RunConfig;
}

/** A price by model id: the config's own entry only (never one inherited from Object.prototype, e.g. for an id "constructor"). */
export function priceOf(c: Pick<RunConfig, "prices">, id: string): Price | undefined {
  return Object.hasOwn(c.prices, id) ? c.prices[id] : undefined;
}

/** Country codes and retired codes often written for a language (dk for Danish), with the ISO 639-1 code meant. */
const LANGUAGE_MIX_UPS: Readonly<Record<string, string>> = {
  dk: "da",
  gr: "el",
  cz: "cs",
  jp: "ja",
  cn: "zh",
  ua: "uk",
  us: "en",
  gb: "en",
  vn: "vi",
  rs: "sr",
  il: "he",
  iw: "he",
  in: "id",
  ji: "yi",
  jw: "jv",
  mo: "ro",
  ge: "ka",
  al: "sq",
  by: "be",
  kz: "kk",
  at: "de",
  pk: "ur",
  ir: "fa",
};

function unknownLanguage(code: string, index: number): string {
  const meant = Object.hasOwn(LANGUAGE_MIX_UPS, code) ? LANGUAGE_MIX_UPS[code] : languageCode(code);
  const hint = meant ? `; did you mean "${meant}" (${LANGUAGE_NAMES.get(meant)})?` : "; use a two-letter ISO 639-1 code (e.g. da, nl, pt)";
  return `languages[${index}]: "${code}" is not an ISO 639-1 language code${hint}`;
}

/** The run's judges, primary first: `judge`, then `judges` (the same judge listed in both counts once). */
export function judgesOf(c: Pick<RunConfig, "judge" | "judges">): JudgeConfig[] {
  const all = [...(c.judge ? [c.judge] : []), ...(c.judges ?? [])];
  return all.filter(
    (j, i) => all.findIndex((k) => judgeName(k) === judgeName(j) && k.baseURL === j.baseURL && k.apiKeyEnv === j.apiKeyEnv && k.model === j.model) === i,
  );
}

export function judgeName(j: JudgeConfig): string {
  return j.name ?? j.model;
}

export function loadConfig(path: string): LoadedConfig {
  const full = isAbsolute(path) ? path : resolve(process.cwd(), path);
  if (!existsSync(full)) throw new Error(`${path}: no such config file`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(full, "utf8"));
  } catch (error) {
    throw new Error(`${basename(full)}: not valid JSON (${(error as Error).message})`);
  }
  const config = validateConfig(data, basename(full));
  // The hash is published: it is taken over the config without any secret in an address.
  const hash = createHash("sha256")
    .update(canonicalJson(mapBaseURLs(config, secretFreeURL)))
    .digest("hex");
  return { config, baseDir: dirname(full), path: full, hash };
}

/** The config with every endpoint's baseURL passed through `f`. */
export function mapBaseURLs(c: RunConfig, f: (url: string) => string): RunConfig {
  const map = <T extends { baseURL: string }>(e: T): T => ({ ...e, baseURL: f(e.baseURL) });
  return {
    ...c,
    models: c.models.map(map),
    translator: map(c.translator),
    ...(c.judge ? { judge: map(c.judge) } : {}),
    ...(c.judges ? { judges: c.judges.map(map) } : {}),
  };
}

/** A path from the config: absolute, or relative to the config file's folder. */
export function configPath(loaded: Pick<LoadedConfig, "baseDir">, path: string): string {
  return isAbsolute(path) ? path : resolve(loaded.baseDir, path);
}

/** The endpoint a model is asked at (its `model` name, or its id). */
export function modelEndpoint(m: ModelConfig): EndpointConfig {
  return { model: m.model ?? m.id, baseURL: m.baseURL, apiKeyEnv: m.apiKeyEnv };
}

/** Where the run writes its workspace. */
export function outputDir(loaded: LoadedConfig): string {
  return loaded.config.out ? configPath(loaded, loaded.config.out) : join(REPO_ROOT, "data", "runs", loaded.config.name);
}
