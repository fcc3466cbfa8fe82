/**
 * A value map: the countries placed by a principal-component analysis of their pro shares on
 * the items every country has and the models answered, and each model × prompt language
 * projected onto it through its per-item mean VPS, centred and scaled with the countries' item
 * means and standard deviations. Uncertainty: a bootstrap over survey items (the map's axes are
 * made of items; the countries are aggregates, so respondents cannot be resampled), each
 * replicate's map turned onto the full-data map by orthogonal Procrustes on the countries.
 *
 * This is not the Inglehart–Welzel cultural map, which rests on ten particular items
 * ({@link INGLEHART_WELZEL_ITEMS}); the result says which of them the workspace has.
 */
import { principalComponents, procrustes2 } from "../pca.js";
import { createRng, resampleIndices } from "../random.js";
import type { GroundTruthRow, PopulationRow, ResponseRow } from "../workspace.js";
import { countryCells } from "./surveyPopulations.js";

/** The ten items of the Inglehart–Welzel map (traditional/secular: F063, Y003, F120, G006, E018; survival/self-expression: Y002, A008, E025, F118, A165). */
export const INGLEHART_WELZEL_ITEMS = ["a008", "a165", "e018", "e025", "f063", "f118", "f120", "g006", "y002", "y003"] as const;

export interface Cloud {
  x: number[];
  y: number[];
}

export interface MapCountry {
  population: string;
  language: string | null;
  x: number;
  y: number;
  cloud: Cloud;
}

export interface MapModel {
  model: string;
  language: string;
  x: number;
  y: number;
  /** The country nearest on the map, and the share of replicates (those that placed the model) in which it stays nearest. */
  nearest: string;
  nearestShare: number;
  /** Map items it has no response to: its point is fitted on the others. */
  missing: string[];
  cloud: Cloud;
}

export interface ValueMapResult {
  /** Why no map could be drawn; null when it was. */
  reason: string | null;
  items: string[];
  /** Items every country has but with the same share everywhere: they cannot be scaled, so they are left out. */
  constant: string[];
  /** Share of the countries' total variance on the first two components. */
  explained: number[];
  loadings: Array<{ item: string; pc1: number; pc2: number }>;
  countries: MapCountry[];
  models: MapModel[];
  /** Model × language cells that answered fewer than half the map items: not projected. */
  unprojected: Array<{ model: string; language: string; missing: string[] }>;
  unit: "items";
  replicates: number;
  /** Replicates whose resampled items gave fewer than two components (left out). */
  degenerate: number;
  seed: string;
  inglehartWelzel: { present: string[]; inMap: string[]; missing: string[] };
}

export interface ValueMapOptions {
  rounds: number;
  seed: string;
}

/** Centred and scaled columns: each column minus its mean over rows, over its sample SD. */
interface Scaling {
  mean: number[];
  sd: number[];
}

function scalingOf(matrix: number[][]): Scaling {
  const n = matrix.length;
  const p = matrix[0]?.length ?? 0;
  const mean = Array.from({ length: p }, (_, j) => matrix.reduce((s, r) => s + r[j]!, 0) / n);
  const sd = Array.from({ length: p }, (_, j) => Math.sqrt(matrix.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / (n - 1)));
  return { mean, sd };
}

const scaled = (row: readonly number[], s: Scaling) => row.map((v, j) => (v - s.mean[j]!) / s.sd[j]!);
/**
 * A row's coordinates on the first two components: the least-squares fit of its scaled values by
 * the loadings, over the items it has (NaN marks one it lacks). With every item this is the plain
 * projection z·L, since the loadings are orthonormal.
 */
function project(z: readonly number[], loadings: number[][]): number[] {
  const [l1, l2] = loadings as [number[], number[]];
  let a = 0;
  let b = 0;
  let c = 0;
  let r1 = 0;
  let r2 = 0;
  for (let j = 0; j < z.length; j++) {
    if (Number.isNaN(z[j]!)) continue;
    a += l1[j]! ** 2;
    b += l1[j]! * l2[j]!;
    c += l2[j]! ** 2;
    r1 += l1[j]! * z[j]!;
    r2 += l2[j]! * z[j]!;
  }
  const det = a * c - b * b;
  if (!(det > 1e-12)) return [NaN, NaN];
  return [(c * r1 - b * r2) / det, (a * r2 - b * r1) / det];
}

/** Per (model, language), the count-weighted mean VPS of each item. */
function itemMeans(scored: readonly ResponseRow[]): Map<string, Map<string, number>> {
  const sums = new Map<string, Map<string, [number, number]>>();
  for (const r of scored) {
    const key = `${r.model}|${r.language}`;
    const byItem = sums.get(key) ?? new Map<string, [number, number]>();
    sums.set(key, byItem);
    const acc = byItem.get(r.item) ?? [0, 0];
    const w = r.count ?? 1;
    byItem.set(r.item, [acc[0] + w * r.vps!, acc[1] + w]);
  }
  return new Map([...sums].map(([k, m]) => [k, new Map([...m].map(([i, [s, w]]) => [i, s / w]))]));
}

function inglehartWelzel(groundTruth: readonly GroundTruthRow[], items: readonly string[]): ValueMapResult["inglehartWelzel"] {
  const surveyed = new Set(groundTruth.filter((g) => g.level === "country").map((g) => g.item));
  const present = INGLEHART_WELZEL_ITEMS.filter((i) => surveyed.has(i));
  return { present, inMap: present.filter((i) => items.includes(i)), missing: INGLEHART_WELZEL_ITEMS.filter((i) => !surveyed.has(i)) };
}

/** The countries × items matrix on the items every country has (and the models answered), constant items left out. */
function countryMatrix(groundTruth: readonly GroundTruthRow[], asked: ReadonlySet<string>) {
  const cells = countryCells(groundTruth, (i) => asked.has(i));
  const countries = [...new Set(cells.map((c) => c.population))].sort();
  const share = new Map(cells.map((c) => [`${c.population}|${c.item}`, c.pro_score]));
  const common = [...new Set(cells.map((c) => c.item))].sort().filter((i) => countries.every((c) => share.has(`${c}|${i}`)));
  const column = (i: string) => countries.map((c) => share.get(`${c}|${i}`)!);
  const constant = common.filter((i) => column(i).every((v, _, all) => v === all[0]));
  const items = countries.length < 2 ? common : common.filter((i) => !constant.includes(i));
  return { countries, items, constant: countries.length < 2 ? [] : constant, matrix: countries.map((c) => items.map((i) => share.get(`${c}|${i}`)!)) };
}

function nearestCountry(point: readonly number[], countries: readonly (readonly number[])[]): number {
  let best = 0;
  for (let k = 1; k < countries.length; k++) {
    if (
      Math.hypot(point[0]! - countries[k]![0]!, point[1]! - countries[k]![1]!) < Math.hypot(point[0]! - countries[best]![0]!, point[1]! - countries[best]![1]!)
    )
      best = k;
  }
  return best;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

interface FittedMap {
  scaling: Scaling;
  loadings: number[][];
  countries: number[][];
  explained: number[];
}

/** The first two principal components of the centred and scaled matrix; null when it has fewer than two. */
function fitMap(matrix: number[][]): FittedMap | null {
  const scaling = scalingOf(matrix);
  const pcs = principalComponents(
    matrix.map((r) => scaled(r, scaling)),
    2,
  );
  if (pcs.singular.length < 2) return null;
  return { scaling, loadings: pcs.loadings, countries: pcs.scores, explained: pcs.explained };
}

/** One replicate: items drawn with replacement, the map refitted and turned onto the full-data countries. */
function replicate(matrix: number[][], modelRows: number[][], full: number[][], draw: Int32Array) {
  const pick = (row: readonly number[]) => Array.from(draw, (j) => row[j]!);
  const fit = fitMap(matrix.map(pick));
  if (!fit) return null;
  const r = procrustes2(fit.countries, full);
  const turn = ([x, y]: number[]) => [x! * r[0] + y! * r[2], x! * r[1] + y! * r[3]];
  return { countries: fit.countries.map(turn), models: modelRows.map((m) => turn(project(scaled(pick(m), fit.scaling), fit.loadings))) };
}

/**
 * The model × language cells with their mean VPS per map item (NaN where they have no response
 * to it), kept when they answered at least half the map items; the others are listed.
 */
function modelCells(scored: readonly ResponseRow[], items: readonly string[]) {
  const cells: Array<{ model: string; language: string; row: number[]; missing: string[] }> = [];
  const unprojected: ValueMapResult["unprojected"] = [];
  for (const [key, means] of itemMeans(scored)) {
    const [model, language] = key.split("|") as [string, string];
    const missing = items.filter((i) => !means.has(i));
    if (items.length - missing.length < Math.max(2, items.length / 2)) unprojected.push({ model, language, missing });
    else cells.push({ model, language, missing, row: items.map((i) => means.get(i) ?? NaN) });
  }
  return { cells, unprojected };
}

function whyNoMap(countries: number, items: number): string | null {
  if (countries < 3) return `A map needs at least three countries with ground truth; the workspace has ${countries}.`;
  if (items < 2)
    return `A map needs at least two items that every country has, that vary between countries and that the models answered; the workspace has ${items}.`;
  return null;
}

const emptyCloud = (): Cloud => ({ x: [], y: [] });

function pushPoint(cloud: Cloud, [x, y]: number[]): void {
  cloud.x.push(round4(x!));
  cloud.y.push(round4(y!));
}

/**
 * The item bootstrap: per replicate, the countries' and the models' points on the replicate's
 * map turned onto the full-data map, and whether each model keeps its nearest country.
 */
function bootstrapClouds(matrix: number[][], rows: number[][], full: FittedMap, nearest: number[], options: ValueMapOptions) {
  const countries = matrix.map(emptyCloud);
  const models = rows.map(emptyCloud);
  const stays = rows.map(() => 0);
  const rng = createRng(options.seed, "value-map/items");
  let degenerate = 0;
  for (let b = 0; b < options.rounds; b++) {
    const rep = replicate(matrix, rows, full.countries, resampleIndices(matrix[0]!.length, rng));
    if (!rep) {
      degenerate++;
      continue;
    }
    for (const [k, p] of rep.countries.entries()) pushPoint(countries[k]!, p);
    rep.models.forEach((p, k) => {
      if (!Number.isFinite(p[0]!)) return;
      pushPoint(models[k]!, p);
      if (nearestCountry(p, rep.countries) === nearest[k]) stays[k]!++;
    });
  }
  return { countries, models, stays, degenerate };
}

/** The value map of the countries, the models projected onto it, and both clouds from an item bootstrap. */
export function valueMap(
  groundTruth: readonly GroundTruthRow[],
  populations: readonly PopulationRow[],
  scored: readonly ResponseRow[],
  options: ValueMapOptions,
): ValueMapResult {
  const { countries, items, constant, matrix } = countryMatrix(groundTruth, new Set(scored.map((r) => r.item)));
  const empty = { explained: [], loadings: [], countries: [], models: [], unprojected: [], degenerate: 0 };
  const base = {
    items,
    constant,
    unit: "items" as const,
    replicates: options.rounds,
    seed: options.seed,
    inglehartWelzel: inglehartWelzel(groundTruth, items),
  };
  const reason = whyNoMap(countries.length, items.length);
  const fit = reason ? null : fitMap(matrix);
  if (!fit) return { ...base, ...empty, reason: reason ?? "The countries' pro shares vary along a single direction: a map needs two." };
  const { cells, unprojected } = modelCells(scored, items);
  const points = cells.map((c) => project(scaled(c.row, fit.scaling), fit.loadings));
  const nearest = points.map((p) => nearestCountry(p, fit.countries));
  const clouds = bootstrapClouds(
    matrix,
    cells.map((c) => c.row),
    fit,
    nearest,
    options,
  );
  const language = new Map(populations.filter((p) => p.level === "country").map((p) => [p.population, p.language]));
  return {
    ...base,
    reason: null,
    explained: fit.explained.slice(0, 2),
    loadings: items.map((item, j) => ({ item, pc1: fit.loadings[0]![j]!, pc2: fit.loadings[1]![j]! })),
    countries: countries.map((population, k) => ({
      population,
      language: language.get(population) ?? null,
      x: fit.countries[k]![0]!,
      y: fit.countries[k]![1]!,
      cloud: clouds.countries[k]!,
    })),
    models: cells.map((c, k) => ({
      model: c.model,
      language: c.language,
      x: points[k]![0]!,
      y: points[k]![1]!,
      nearest: countries[nearest[k]!]!,
      nearestShare: clouds.models[k]!.x.length > 0 ? clouds.stays[k]! / clouds.models[k]!.x.length : NaN,
      missing: c.missing,
      cloud: clouds.models[k]!,
    })),
    unprojected,
    degenerate: clouds.degenerate,
  };
}
