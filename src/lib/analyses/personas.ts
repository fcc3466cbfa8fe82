/**
 * Personas: does telling a model which country its respondents are from move it toward that
 * country, and more or less than asking it in the country's language? Read from the optional
 * personas table (responses to prompts that name a country) beside the same model's
 * responses without a persona.
 *
 * - Alignment is the project's: Spearman's ρ over a group of responses, each response's VPS
 *   against its item's pro share in one country, on the items that country was asked. Every
 *   cell (model, prompt language L, persona country C) has three:
 *   `persona` (the responses with persona C in L, against C), `baseline` (the model's
 *   responses without a persona in L, against C) and `own` (without a persona in C's own
 *   language, against C).
 * - Persona effect (lift) = persona − baseline: what naming the country adds in L.
 *   Language effect = own − baseline: what asking in C's language adds (incongruent cells only;
 *   for a congruent cell the two languages are one). Persona minus language = persona − own.
 * - Per language, each statistic is the unweighted mean over the persona countries of that kind
 *   (congruent or incongruent) that have a finite value; `all` pools every cell the same way.
 *   Congruent minus incongruent compares alignment (and lift) of the two kinds of persona.
 *
 * Uncertainty is the recommended analysis': one estimate per statistic from all responses, and
 * an interval from a bootstrap that resamples the survey items as clusters (every response to a
 * drawn item counts as often as the item was drawn), recomputing every statistic on each replicate.
 * The cost grows with the cells (distinct item and VPS per group), not with the responses.
 */
import { weightedMidranks } from "../correlation.js";
import { createRng, resampleCounts } from "../random.js";
import { bootstrapEstimate, Draws, type Estimate } from "../recommended/estimate.js";
import { countOf, scoredResponses, type GroundTruthRow, type PersonaRow, type Workspace } from "../workspace.js";
import { countryLanguages } from "./usbias.js";

/** The row that pools every language. */
export const ALL_LANGUAGES = "all";

export interface PersonaOptions {
  /** Item-bootstrap replicates (default 200). */
  replicates?: number;
  seed?: number | string;
}

export interface PersonaCell {
  model: string;
  language: string;
  country: string;
  congruent: boolean;
  /** The country's dominant language (null when the populations table has none). */
  own_language: string | null;
  /** Persona responses (with a VPS) on items the country has, and how many items. */
  responses: number;
  items: number;
  persona: Estimate;
  baseline: Estimate;
  own: Estimate;
  lift: Estimate;
  language_effect: Estimate;
  persona_minus_language: Estimate;
}

export interface PersonaSummary {
  model: string;
  /** A prompt language, or `all`. */
  language: string;
  congruent_countries: string[];
  incongruent_countries: string[];
  congruent: Estimate;
  incongruent: Estimate;
  difference: Estimate;
  congruent_lift: Estimate;
  incongruent_lift: Estimate;
  lift_difference: Estimate;
  persona_effect: Estimate;
  language_effect: Estimate;
  persona_minus_language: Estimate;
}

export interface PersonaResult {
  method: string;
  replicates: number;
  models: string[];
  languages: string[];
  /** Items the bootstrap resamples. */
  items: number;
  cells: PersonaCell[];
  summaries: PersonaSummary[];
}

/** Responses set against one country: points of distinct (item, VPS) with counts, and their rank levels. */
interface Series {
  item: Int32Array;
  count: Float64Array;
  xLevel: Int32Array;
  yLevel: Int32Array;
  nx: number;
  ny: number;
}

interface CellPlan {
  model: string;
  language: string;
  country: string;
  congruent: boolean;
  own: string | null;
  responses: number;
  items: number;
}

interface Plan {
  items: string[];
  series: Map<string, Series>;
  cells: CellPlan[];
}

type Answers = ReadonlyArray<{ item: string; vps: number; count: number }>;

/** Distinct sorted values and each value's level. */
function levels(values: readonly number[]): { level: Int32Array; n: number } {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const index = new Map(sorted.map((v, i) => [v, i]));
  return { level: Int32Array.from(values, (v) => index.get(v)!), n: sorted.length };
}

/** The answers on the items the country has, merged by (item, VPS); null when none. */
function seriesOf(answers: Answers, truth: ReadonlyMap<string, number>, itemIndex: ReadonlyMap<string, number>): Series | null {
  const merged = new Map<string, { item: string; vps: number; count: number }>();
  for (const a of answers) {
    if (!truth.has(a.item)) continue;
    const key = `${a.item}\u0000${a.vps}`;
    const m = merged.get(key);
    if (m) m.count += a.count;
    else merged.set(key, { ...a });
  }
  const points = [...merged.values()];
  if (points.length === 0) return null;
  const x = levels(points.map((p) => p.vps));
  const y = levels(points.map((p) => truth.get(p.item)!));
  return {
    item: Int32Array.from(points, (p) => itemIndex.get(p.item)!),
    count: Float64Array.from(points, (p) => p.count),
    xLevel: x.level,
    yLevel: y.level,
    nx: x.n,
    ny: y.n,
  };
}

/** Midranks of each level when point k counts w[k] times (into `lw`, which it overwrites). */
function levelRanks(level: Int32Array, lw: Float64Array, w: Float64Array): Float64Array {
  lw.fill(0);
  for (let k = 0; k < level.length; k++) lw[level[k]!]! += w[k]!;
  return weightedMidranks(lw, lw);
}

/** Spearman's ρ of the series with each item counted `itemWeight[item]` times (null: once); NaN when undefined. */
function seriesRho(s: Series, itemWeight: ArrayLike<number> | null): number {
  const n = s.count.length;
  const w = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    w[k] = s.count[k]! * (itemWeight ? itemWeight[s.item[k]!]! : 1);
    total += w[k]!;
  }
  if (total < 2) return NaN;
  const rx = levelRanks(s.xLevel, new Float64Array(s.nx), w);
  const ry = levelRanks(s.yLevel, new Float64Array(s.ny), w);
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += w[k]! * rx[s.xLevel[k]!]!;
    my += w[k]! * ry[s.yLevel[k]!]!;
  }
  mx /= total;
  my /= total;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < n; k++) {
    const dx = rx[s.xLevel[k]!]! - mx;
    const dy = ry[s.yLevel[k]!]! - my;
    sxx += w[k]! * dx * dx;
    syy += w[k]! * dy * dy;
    sxy += w[k]! * dx * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

function countryTruth(groundTruth: readonly GroundTruthRow[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const g of groundTruth) {
    if (g.level !== "country" || !Number.isFinite(g.pro_score)) continue;
    if (!out.has(g.population)) out.set(g.population, new Map());
    out.get(g.population)!.set(g.item, g.pro_score);
  }
  return out;
}

const answersOf = <T extends { item: string; vps: number | null | undefined; count?: number | null }>(rows: readonly T[]): Answers =>
  rows.filter((r) => typeof r.vps === "number" && Number.isFinite(r.vps)).map((r) => ({ item: r.item, vps: r.vps!, count: countOf(r) }));

/** Groups rows by a key. */
function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const cellKey = (kind: string, model: string, language: string, country: string) => `${kind}|${model}|${language}|${country}`;

/** Every series the statistics read, and the cells, from the persona rows and the model's responses without a persona. */
function planOf(ws: Workspace, personas: readonly PersonaRow[]): Plan {
  const truth = countryTruth(ws.ground_truth);
  const own = countryLanguages(ws.populations);
  const rows = personas.filter((p) => truth.has(p.country));
  const models = new Set(rows.map((p) => p.model));
  const plain = scoredResponses(ws.responses).filter((r) => models.has(r.model));
  const items = [...new Set([...rows, ...plain].map((r) => r.item))].filter((i) => [...truth.values()].some((t) => t.has(i))).sort();
  const itemIndex = new Map(items.map((i, k) => [i, k]));
  const series = new Map<string, Series>();
  const add = (key: string, answers: Answers, country: string) => {
    const s = seriesOf(answers, truth.get(country)!, itemIndex);
    if (s) series.set(key, s);
  };
  const plainBy = groupBy(plain, (r) => `${r.model}|${r.language}`);
  const cells: CellPlan[] = [];
  for (const [key, group] of groupBy(rows, (p) => cellKey("persona", p.model, p.language, p.country))) {
    const { model, language, country, congruent } = group[0]!;
    const answers = answersOf(group);
    add(key, answers, country);
    add(cellKey("baseline", model, language, country), answersOf(plainBy.get(`${model}|${language}`) ?? []), country);
    const ownLanguage = own.get(country) ?? null;
    if (ownLanguage) add(cellKey("own", model, language, country), answersOf(plainBy.get(`${model}|${ownLanguage}`) ?? []), country);
    const covered = answers.filter((a) => truth.get(country)!.has(a.item));
    const responses = covered.reduce((n, a) => n + a.count, 0);
    cells.push({ model, language, country, congruent, own: ownLanguage, responses, items: new Set(covered.map((a) => a.item)).size });
  }
  cells.sort(
    (a, b) =>
      a.model.localeCompare(b.model) || a.language.localeCompare(b.language) || Number(b.congruent) - Number(a.congruent) || a.country.localeCompare(b.country),
  );
  return { items, series, cells };
}

const finiteMean = (xs: readonly number[]): number => {
  const f = xs.filter((x) => Number.isFinite(x));
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
};

const CELL_STATS = ["persona", "baseline", "own", "lift", "language_effect", "persona_minus_language"] as const;
const SUMMARY_STATS = [
  "congruent",
  "incongruent",
  "difference",
  "congruent_lift",
  "incongruent_lift",
  "lift_difference",
  "persona_effect",
  "language_effect",
  "persona_minus_language",
] as const;

/** One cell's statistics from the series' ρ. */
function cellStatistics(c: CellPlan, rho: (key: string) => number): Record<(typeof CELL_STATS)[number], number> {
  const persona = rho(cellKey("persona", c.model, c.language, c.country));
  const baseline = rho(cellKey("baseline", c.model, c.language, c.country));
  const own = rho(cellKey("own", c.model, c.language, c.country));
  const other = !c.congruent && c.own !== c.language;
  return {
    persona,
    baseline,
    own,
    lift: persona - baseline,
    language_effect: other ? own - baseline : NaN,
    persona_minus_language: other ? persona - own : NaN,
  };
}

type CellValues = ReturnType<typeof cellStatistics>;

/** A language's (or every language's) summary from its cells' statistics. */
function summaryStatistics(cells: ReadonlyArray<{ plan: CellPlan; v: CellValues }>): Record<(typeof SUMMARY_STATS)[number], number> {
  const mean = (congruent: boolean, stat: keyof CellValues) => finiteMean(cells.filter((c) => c.plan.congruent === congruent).map((c) => c.v[stat]));
  const congruent = mean(true, "persona");
  const incongruent = mean(false, "persona");
  const congruentLift = mean(true, "lift");
  const incongruentLift = mean(false, "lift");
  return {
    congruent,
    incongruent,
    difference: congruent - incongruent,
    congruent_lift: congruentLift,
    incongruent_lift: incongruentLift,
    lift_difference: congruentLift - incongruentLift,
    persona_effect: incongruentLift,
    language_effect: mean(false, "language_effect"),
    persona_minus_language: mean(false, "persona_minus_language"),
  };
}

/** Summary groups: each (model, language), then each model over every language. */
function summaryGroups(cells: readonly CellPlan[]): Array<{ model: string; language: string; members: number[] }> {
  const out: Array<{ model: string; language: string; members: number[] }> = [];
  for (const [key, members] of groupBy(
    cells.map((c, i) => ({ c, i })),
    ({ c }) => `${c.model}|${c.language}`,
  )) {
    const [model, language] = key.split("|") as [string, string];
    out.push({ model, language, members: members.map((m) => m.i) });
  }
  for (const [model, members] of groupBy(
    cells.map((c, i) => ({ c, i })),
    ({ c }) => c.model,
  )) {
    out.push({ model, language: ALL_LANGUAGES, members: members.map((m) => m.i) });
  }
  return out;
}

/** Every statistic, flattened: `cell:<i>:<stat>` and `summary:<j>:<stat>`. */
function statistics(plan: Plan, groups: ReturnType<typeof summaryGroups>, weights: ArrayLike<number> | null): Map<string, number> {
  const rho = (key: string) => {
    const s = plan.series.get(key);
    return s ? seriesRho(s, weights) : NaN;
  };
  const out = new Map<string, number>();
  const values = plan.cells.map((c) => cellStatistics(c, rho));
  values.forEach((v, i) => {
    for (const stat of CELL_STATS) out.set(`cell:${i}:${stat}`, v[stat]);
  });
  groups.forEach((g, j) => {
    const s = summaryStatistics(g.members.map((i) => ({ plan: plan.cells[i]!, v: values[i]! })));
    for (const stat of SUMMARY_STATS) out.set(`summary:${j}:${stat}`, s[stat]);
  });
  return out;
}

function methodSentence(replicates: number, items: number, seed: string): string {
  return (
    `Every estimate uses all the answers once; its 95% interval is the percentile interval of ${replicates} item-bootstrap ` +
    `replicates (seed ${seed}) that resample the ${items} survey items as clusters (the recommended analysis).`
  );
}

/** The persona analysis (see the module's comment); an empty result when the workspace has no personas table. */
export function personas(ws: Workspace, options: PersonaOptions = {}): PersonaResult {
  const replicates = options.replicates ?? 200;
  const seed = String(options.seed ?? 1);
  const plan = planOf(ws, ws.personas ?? []);
  const groups = summaryGroups(plan.cells);
  const point = statistics(plan, groups, null);
  const draws = new Draws();
  const rng = createRng(seed, "personas");
  const counts = new Int32Array(plan.items.length);
  for (let b = 0; b < replicates && plan.items.length > 0; b++) {
    for (const [key, value] of statistics(plan, groups, resampleCounts(plan.items.length, rng, counts))) draws.add(key, value);
  }
  const estimate = (key: string) => bootstrapEstimate(point.get(key)!, draws.of(key));
  const cells: PersonaCell[] = plan.cells.map((c, i) => ({
    model: c.model,
    language: c.language,
    country: c.country,
    congruent: c.congruent,
    own_language: c.own,
    responses: c.responses,
    items: c.items,
    ...(Object.fromEntries(CELL_STATS.map((s) => [s, estimate(`cell:${i}:${s}`)])) as Record<(typeof CELL_STATS)[number], Estimate>),
  }));
  const summaries: PersonaSummary[] = groups.map((g, j) => ({
    model: g.model,
    language: g.language,
    congruent_countries: g.members.filter((i) => plan.cells[i]!.congruent).map((i) => plan.cells[i]!.country),
    incongruent_countries: g.members.filter((i) => !plan.cells[i]!.congruent).map((i) => plan.cells[i]!.country),
    ...(Object.fromEntries(SUMMARY_STATS.map((s) => [s, estimate(`summary:${j}:${s}`)])) as Record<(typeof SUMMARY_STATS)[number], Estimate>),
  }));
  return {
    method: methodSentence(replicates, plan.items.length, seed),
    replicates,
    models: [...new Set(plan.cells.map((c) => c.model))],
    languages: [...new Set(plan.cells.map((c) => c.language))].sort(),
    items: plan.items.length,
    cells,
    summaries,
  };
}
