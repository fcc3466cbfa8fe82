/**
 * Specifications: one reasonable way to analyse the study's data, each judged with the
 * recommended, round-independent inference. The reference is the recommended analysis;
 * the grid crosses the choices that can change a result (the judge-error correction
 * cannot: it rescales self-consistency, so no interval moves across zero). RQ1's choices
 * and RQ2's are crossed separately, because neither changes the other's results; leave-
 * one-out and seed variations around the reference inform both. Every specification runs
 * the same number of bootstrap replicates. See docs/robustness.md.
 */
import type { Exclusions } from "../analyses/context.js";
import type { Metric } from "../correlation.js";
import type { ResamplingUnit } from "../recommended/index.js";
import type { CellFormula } from "../recommended/rq1.js";
import type { ItemSet } from "../recommended/usbias.js";
import type { BaselineChoice } from "../recommended/baselineChoice.js";
import { isBaseline, type Level, type Workspace } from "../workspace.js";

export type SpecGroup = "reference" | "rq1-grid" | "rq2-grid" | "leave-model-out" | "leave-language-out" | "leave-item-out" | "seed";
/** Which research question's claims a specification informs. */
export type Scope = "rq1" | "rq2" | "both";

export interface Choices {
  metric: Metric;
  /** RQ1's reference population. */
  level: Level;
  unit: ResamplingUnit;
  formula: CellFormula;
  items: ItemSet;
  baseline: BaselineChoice;
}

export interface Specification extends Choices {
  id: string;
  group: SpecGroup;
  scope: Scope;
  exclude: Exclusions;
  seed: number;
  rounds: number;
}

export interface Choice<K extends keyof Choices> {
  key: K;
  /** The choice's name in a specification's description ("metric: Pearson's r"). */
  label: string;
  /** The label of the control that sets it on the site's pages. */
  control: string;
  /** The URL parameter the site's pages read. */
  param: string;
  scope: Exclude<Scope, "both"> | "both";
  /** Every value, with its label. */
  values: Record<string, string>;
  /** The recommended analysis' value: the reference every specification varies from, and each control's default. */
  reference: Choices[K];
}

/** Every choice a specification can change: one table that the grid, descriptions and links map over. */
export const CHOICES: { [K in keyof Choices]: Choice<K> } = {
  metric: {
    key: "metric",
    control: "Alignment metric",
    reference: "spearman",
    label: "metric",
    param: "metric",
    scope: "both",
    values: { spearman: "Spearman's ρ", pearson: "Pearson's r", mean_alignment: "mean alignment" },
  },
  level: {
    key: "level",
    control: "RQ1 compares with",
    reference: "language",
    label: "RQ1 reference",
    param: "rq1level",
    scope: "rq1",
    values: { language: "the language's speakers (the study's)", country: "the language's countries", global: "everyone surveyed" },
  },
  unit: {
    key: "unit",
    control: "Recommended: resample",
    reference: "items",
    label: "resampling",
    param: "unit",
    scope: "both",
    values: { items: "items as clusters", responses: "whole responses" },
  },
  formula: {
    key: "formula",
    control: "Recommended regression",
    reference: "language_intercepts",
    label: "RQ1 regression",
    param: "rq1formula",
    scope: "rq1",
    values: {
      language_intercepts: "intercept per language",
      family_language_intercepts: "intercept per family × language",
      no_intercept: "no intercepts (the study's formula on one estimate per cell)",
    },
  },
  items: {
    key: "items",
    control: "Recommended: US-bias items",
    reference: "common",
    label: "US-bias items",
    param: "items",
    scope: "rq2",
    values: { common: "items every compared country has", all: "each country's own items (the study's)" },
  },
  baseline: {
    key: "baseline",
    control: "Recommended: baseline subtracted",
    reference: "none",
    label: "baseline subtracted",
    param: "baseline",
    scope: "rq2",
    values: { none: "none", study: "the study's draw", "draw-2": "another draw (2)", "draw-3": "another draw (3)", "draw-4": "another draw (4)" },
  },
};

export const CHOICE_KEYS = Object.keys(CHOICES) as Array<keyof Choices>;

/** The recommended analysis: every choice at its reference value (from CHOICES), all data, seed 1. */
export const REFERENCE: Choices & { exclude: Exclusions; seed: number } = {
  ...(Object.fromEntries(CHOICE_KEYS.map((k) => [k, CHOICES[k].reference])) as unknown as Choices),
  exclude: {},
  seed: 1,
};

export interface MultiverseOptions {
  /** Bootstrap replicates of every specification (default 100). */
  rounds?: number;
  /** Extra seeds of the reference (default 20). */
  seeds?: number;
  /** The reference's seed (default 1); the extra seeds follow it. */
  seed?: number;
  /** Values of each choice to cross (default: all of CHOICES). */
  values?: { [K in keyof Choices]?: ReadonlyArray<Choices[K]> };
  leaveOut?: { models?: boolean; languages?: boolean; items?: boolean };
}

function valuesOf<K extends keyof Choices>(key: K, options: MultiverseOptions): Array<Choices[K]> {
  const given = options.values?.[key] as ReadonlyArray<Choices[K]> | undefined;
  return [...(given ?? (Object.keys(CHOICES[key].values) as Array<Choices[K]>))];
}

/** Every combination of the choices of one scope, the others at the reference. */
function grid(scope: "rq1" | "rq2", options: MultiverseOptions): Choices[] {
  let out: Choices[] = [{ ...REFERENCE }];
  for (const key of CHOICE_KEYS.filter((k) => CHOICES[k].scope === scope || CHOICES[k].scope === "both")) {
    out = out.flatMap((c) => valuesOf(key, options).map((v) => ({ ...c, [key]: v })));
  }
  return out.filter((c) => CHOICE_KEYS.some((k) => c[k] !== REFERENCE[k]));
}

/** The list of specifications for a workspace. */
export function specifications(ws: Pick<Workspace, "responses" | "ground_truth">, options: MultiverseOptions = {}): Specification[] {
  const rounds = options.rounds ?? 100;
  const seed = options.seed ?? REFERENCE.seed;
  const specs: Specification[] = [];
  const add = (group: SpecGroup, scope: Scope, spec: Choices & { exclude?: Exclusions; seed?: number }) =>
    specs.push({ ...REFERENCE, seed, ...spec, id: `${group}-${specs.filter((s) => s.group === group).length + 1}`, group, scope, rounds });
  add("reference", "both", { ...REFERENCE, seed });
  // A combination that changes only choices both questions share (metric, unit) is one specification for both.
  const atReference = (c: Choices, scope: "rq1" | "rq2") => CHOICE_KEYS.filter((k) => CHOICES[k].scope === scope).every((k) => c[k] === REFERENCE[k]);
  for (const c of grid("rq1", options)) add("rq1-grid", atReference(c, "rq1") ? "both" : "rq1", { ...c, seed });
  for (const c of grid("rq2", options)) if (!atReference(c, "rq2")) add("rq2-grid", "rq2", { ...c, seed });
  const leave = options.leaveOut ?? { models: true, languages: true, items: true };
  const models = [...new Set(ws.responses.map((r) => r.model))].filter((m) => !isBaseline(m)).sort();
  const languages = [...new Set(ws.responses.map((r) => r.language))].sort();
  const withTruth = new Set(ws.ground_truth.map((g) => g.item));
  const items = [...new Set(ws.responses.map((r) => r.item))].filter((i) => withTruth.has(i)).sort();
  const around = { ...REFERENCE, seed };
  if (leave.models) for (const m of models) add("leave-model-out", "both", { ...around, exclude: { models: [m] } });
  if (leave.languages) for (const l of languages) add("leave-language-out", "both", { ...around, exclude: { languages: [l] } });
  if (leave.items) for (const i of items) add("leave-item-out", "both", { ...around, exclude: { items: [i] } });
  for (let k = 1; k <= (options.seeds ?? 20); k++) add("seed", "both", { ...around, seed: seed + k });
  return specs;
}

/** In words, what a specification changes from the recommended analysis. */
export function describeSpec(spec: Specification): string {
  const parts = CHOICE_KEYS.filter((k) => spec[k] !== REFERENCE[k]).map((k) => `${CHOICES[k].label}: ${CHOICES[k].values[spec[k]] ?? spec[k]}`);
  if (spec.exclude.models?.length) parts.push(`without model ${spec.exclude.models.join(", ")}`);
  if (spec.exclude.languages?.length) parts.push(`without language ${spec.exclude.languages.join(", ")}`);
  if (spec.exclude.items?.length) parts.push(`without item ${spec.exclude.items.join(", ")}`);
  if (spec.seed !== REFERENCE.seed) parts.push(`seed ${spec.seed}`);
  return parts.length ? parts.join("; ") : "the recommended analysis";
}

/** URL query that opens the site's pages with a specification's choices. */
export function specQuery(spec: Specification): string {
  const q = new URLSearchParams();
  q.set("analysis", "recommended");
  q.set("rounds", String(spec.rounds));
  if (spec.seed !== REFERENCE.seed) q.set("seed", String(spec.seed));
  for (const k of CHOICE_KEYS) if (spec[k] !== REFERENCE[k]) q.set(CHOICES[k].param, String(spec[k]));
  if (spec.exclude.models?.length) q.set("without_models", spec.exclude.models.join(","));
  if (spec.exclude.languages?.length) q.set("without_languages", spec.exclude.languages.join(","));
  if (spec.exclude.items?.length) q.set("without_items", spec.exclude.items.join(","));
  return q.toString();
}

/** The specification a URL query describes (the inverse of specQuery; unknown values fall back to the reference). */
export function specFromQuery(query: string, rounds = 100): Specification {
  const q = new URLSearchParams(query);
  const spec: Specification = {
    ...REFERENCE,
    id: "from-url",
    group: "reference",
    scope: "both",
    rounds: Number(q.get("rounds")) || rounds,
    seed: Number(q.get("seed")) || REFERENCE.seed,
    exclude: {},
  };
  for (const k of CHOICE_KEYS) {
    const v = q.get(CHOICES[k].param);
    if (v !== null && v in CHOICES[k].values) (spec as unknown as Record<string, string>)[k] = v;
  }
  const list = (name: string) => q.get(name)?.split(",").filter(Boolean);
  const exclude: Exclusions = { models: list("without_models"), languages: list("without_languages"), items: list("without_items") };
  for (const [k, v] of Object.entries(exclude)) if (v?.length) (spec.exclude as Record<string, string[]>)[k] = v;
  return spec;
}
