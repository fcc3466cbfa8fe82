/**
 * The bootstrap experiment of design §2.3: per round, alignment per (model,
 * population, language) and self-consistency per (model, language).
 *
 * Alignment pairs each response's VPS with its item's ground truth in a reference
 * population; self-consistency pairs responses of one model and language to the same
 * item. Both are computed from weighted counts of distinct values, never by listing
 * pairs: a resample is a vector of multiplicities, and Spearman's ρ with averaged
 * ties follows from the weighted ranks of the distinct values.
 *
 * Procedures:
 * - `study` (the reference study's): build the table of (response × population) rows
 *   for the level and resample that whole table. Any two distinct rows of the
 *   resample make a self-consistency pair, so copies of one response (drawn twice, or
 *   present under several populations) pair with each other as perfect agreement.
 * - `responses`: resample responses; self-consistency pairs distinct responses only
 *   (copies of one response never pair), each response counted once.
 * - `items`: resample items as clusters; each drawn copy of an item brings all its
 *   responses, and pairs form within one copy.
 */
import { correlationFromMoments, weightedMidranks, type Metric } from "../correlation.js";
import { resampleCounts, type Rng } from "../random.js";
import type { GroundTruthRow, Level, ResponseRow } from "../workspace.js";

export type Procedure = "study" | "responses" | "items";
export const PROCEDURES: readonly Procedure[] = ["study", "responses", "items"];

/** The study's judge labelling error rate; self-consistency is divided by (1 − rate). */
export const JUDGE_ERROR_RATE = 0.045;

export interface ExperimentOptions {
  /** Reference level, or `none` for self-consistency only (every response once, no ground truth join). */
  level: Level | "none";
  rounds: number;
  rng: Rng;
  metric?: Metric;
  procedure?: Procedure;
  judgeErrorRate?: number;
}

export interface AlignmentGroup {
  model: string;
  family: string;
  population: string;
  language: string;
  /** Responses in the group on the full data. */
  n: number;
}

export interface ConsistencyGroup {
  model: string;
  family: string;
  language: string;
  /** Responses in the group (each counted once). */
  n: number;
  /** Ordered pairs of distinct responses to the same item, on the full data. */
  pairs: number;
}

export interface ExperimentResult {
  level: Level | "none";
  rounds: number;
  metric: Metric;
  procedure: Procedure;
  judgeErrorRate: number;
  alignmentGroups: AlignmentGroup[];
  consistencyGroups: ConsistencyGroup[];
  /** rounds × alignmentGroups.length, round-major. */
  alignment: Float64Array;
  /** rounds × consistencyGroups.length, round-major. */
  consistency: Float64Array;
  /** The statistics on the full data (each response once). */
  pointAlignment: Float64Array;
  pointConsistency: Float64Array;
}

/** Sorted distinct values and the index of each input value among them. */
function levelsOf(values: number[]): { sorted: Float64Array; index: Map<number, number> } {
  const sorted = Float64Array.from(new Set(values)).sort();
  return { sorted, index: new Map(Array.from(sorted, (v, i) => [v, i])) };
}

/** Precomputed layout of one level's joined table. */
export interface Layout {
  nResp: number;
  nRows: number;
  nItems: number;
  rowResp: Int32Array;
  respItem: Int32Array;
  // alignment cells: distinct (vps, pro_score) per group
  groups: AlignmentGroup[];
  rowCell: Int32Array;
  groupCellStart: Int32Array;
  cellX: Int32Array;
  cellY: Int32Array;
  groupX: Float64Array[];
  groupY: Float64Array[];
  // consistency cells: (group, item, vps level)
  cgroups: ConsistencyGroup[];
  respCcell: Int32Array;
  cgroupCitemStart: Int32Array;
  citemCcellStart: Int32Array;
  citemItem: Int32Array;
  ccellLevel: Int32Array;
  cgroupLevels: Float64Array[];
}

/** Builds the layout of (response × population) rows for a level. */
export function buildLayout(responses: readonly ResponseRow[], groundTruth: readonly GroundTruthRow[], level: Level | "none"): Layout {
  const gtByItem = new Map<string, Array<{ population: string; score: number }>>();
  if (level !== "none") {
    for (const g of groundTruth) {
      if (g.level !== level || !Number.isFinite(g.pro_score)) continue;
      if (!gtByItem.has(g.item)) gtByItem.set(g.item, []);
      gtByItem.get(g.item)!.push({ population: g.population, score: g.pro_score });
    }
  }
  // Responses that enter the table: with ground truth at this level (any, for `none`).
  const resp = responses.filter((r) => r.vps !== null && Number.isFinite(r.vps) && (level === "none" || gtByItem.has(r.item)));
  const itemIds = new Map<string, number>();
  const respItem = new Int32Array(resp.length);
  resp.forEach((r, i) => {
    if (!itemIds.has(r.item)) itemIds.set(r.item, itemIds.size);
    respItem[i] = itemIds.get(r.item)!;
  });

  // Rows, and their alignment group: (model, population, language) as small integers.
  const ids = <K>() => {
    const map = new Map<K, number>();
    return (k: K) => {
      let v = map.get(k);
      if (v === undefined) map.set(k, (v = map.size));
      return v;
    };
  };
  const modelId = ids<string>();
  const languageId = ids<string>();
  const popId = ids<string>();
  const respModel = Int32Array.from(resp, (r) => modelId(r.model));
  const respLanguage = Int32Array.from(resp, (r) => languageId(r.language));
  const popIds = new Map<string, number>();
  const rowRespList: number[] = [];
  const rowPopList: number[] = [];
  const rowGt: number[] = [];
  const popNames: string[] = [];
  const popIndex = (name: string) => {
    let v = popIds.get(name);
    if (v === undefined) {
      v = popId(name);
      popIds.set(name, v);
      popNames[v] = name;
    }
    return v;
  };
  resp.forEach((r, i) => {
    if (level === "none") return;
    for (const g of gtByItem.get(r.item)!) {
      rowRespList.push(i);
      rowPopList.push(popIndex(g.population));
      rowGt.push(g.score);
    }
  });
  if (level === "none") resp.forEach((_, i) => (rowRespList.push(i), rowPopList.push(-1), rowGt.push(NaN)));
  const nRows = rowRespList.length;
  const rowResp = Int32Array.from(rowRespList);

  // Alignment groups and their cells.
  const nLang = Math.max(1, new Set(respLanguage).size);
  const nPop = Math.max(1, popNames.length);
  const groupIndex = new Map<number, number>();
  const groups: AlignmentGroup[] = [];
  const groupRows: number[][] = [];
  if (level !== "none") {
    for (let row = 0; row < nRows; row++) {
      const i = rowResp[row]!;
      const key = (respModel[i]! * nPop + rowPopList[row]!) * nLang + respLanguage[i]!;
      let g = groupIndex.get(key);
      if (g === undefined) {
        const r = resp[i]!;
        g = groups.length;
        groupIndex.set(key, g);
        groups.push({ model: r.model, family: r.family, population: popNames[rowPopList[row]!]!, language: r.language, n: 0 });
        groupRows.push([]);
      }
      groups[g]!.n++;
      groupRows[g]!.push(row);
    }
  }
  const rowCell = new Int32Array(nRows);
  const groupCellStart = new Int32Array(groups.length + 1);
  const cellXs: number[] = [];
  const cellYs: number[] = [];
  const groupX: Float64Array[] = [];
  const groupY: Float64Array[] = [];
  groups.forEach((_, g) => {
    const rows = groupRows[g]!;
    const xs = levelsOf(rows.map((row) => resp[rowResp[row]!]!.vps!));
    const ys = levelsOf(rows.map((row) => rowGt[row]!));
    groupX.push(xs.sorted);
    groupY.push(ys.sorted);
    const cells = new Map<number, number>();
    groupCellStart[g] = cellXs.length;
    for (const row of rows) {
      const xi = xs.index.get(resp[rowResp[row]!]!.vps!)!;
      const yi = ys.index.get(rowGt[row]!)!;
      const key = xi * ys.sorted.length + yi;
      let c = cells.get(key);
      if (c === undefined) {
        c = cellXs.length;
        cells.set(key, c);
        cellXs.push(xi);
        cellYs.push(yi);
      }
      rowCell[row] = c;
    }
  });
  groupCellStart[groups.length] = cellXs.length;

  // Consistency groups: (model, language) → items → vps levels.
  const cgroupIndex = new Map<number, number>();
  const cgroups: ConsistencyGroup[] = [];
  const cgroupResp: number[][] = [];
  resp.forEach((r, i) => {
    const key = respModel[i]! * nLang + respLanguage[i]!;
    let g = cgroupIndex.get(key);
    if (g === undefined) {
      g = cgroups.length;
      cgroupIndex.set(key, g);
      cgroups.push({ model: r.model, family: r.family, language: r.language, n: 0, pairs: 0 });
      cgroupResp.push([]);
    }
    cgroups[g]!.n++;
    cgroupResp[g]!.push(i);
  });
  const respCcell = new Int32Array(resp.length);
  const cgroupCitemStart = new Int32Array(cgroups.length + 1);
  const citemCcellStartList: number[] = [];
  const citemItemList: number[] = [];
  const ccellLevelList: number[] = [];
  const cgroupLevels: Float64Array[] = [];
  cgroups.forEach((cg, g) => {
    const members = cgroupResp[g]!;
    const lv = levelsOf(members.map((i) => resp[i]!.vps!));
    cgroupLevels.push(lv.sorted);
    cgroupCitemStart[g] = citemItemList.length;
    const byItem = new Map<number, number[]>();
    for (const i of members) {
      const it = respItem[i]!;
      if (!byItem.has(it)) byItem.set(it, []);
      byItem.get(it)!.push(i);
    }
    for (const [it, rs] of [...byItem].sort((a, b) => a[0] - b[0])) {
      citemItemList.push(it);
      citemCcellStartList.push(ccellLevelList.length);
      cg.pairs += rs.length * (rs.length - 1);
      const cells = new Map<number, number>();
      for (const i of rs) {
        const level = lv.index.get(resp[i]!.vps!)!;
        let c = cells.get(level);
        if (c === undefined) {
          c = ccellLevelList.length;
          cells.set(level, c);
          ccellLevelList.push(level);
        }
        respCcell[i] = c;
      }
    }
  });
  cgroupCitemStart[cgroups.length] = citemItemList.length;
  citemCcellStartList.push(ccellLevelList.length);

  return {
    nResp: resp.length,
    nRows,
    nItems: itemIds.size,
    rowResp,
    respItem,
    groups,
    rowCell,
    groupCellStart,
    cellX: Int32Array.from(cellXs),
    cellY: Int32Array.from(cellYs),
    groupX,
    groupY,
    cgroups,
    respCcell,
    cgroupCitemStart,
    citemCcellStart: Int32Array.from(citemCcellStartList),
    citemItem: Int32Array.from(citemItemList),
    ccellLevel: Int32Array.from(ccellLevelList),
    cgroupLevels,
  };
}

/** Weights of one round: per alignment cell, and per consistency cell (C, S) and item copy (m). */
interface RoundWeights {
  cellW: Float64Array;
  C: Float64Array;
  S: Float64Array;
  M: Float64Array;
}

function allocWeights(layout: Layout): RoundWeights {
  return {
    cellW: new Float64Array(layout.cellX.length),
    C: new Float64Array(layout.ccellLevel.length),
    S: new Float64Array(layout.ccellLevel.length),
    M: new Float64Array(layout.citemItem.length),
  };
}

function fillPointWeights(layout: Layout, w: RoundWeights): void {
  w.cellW.fill(0);
  w.C.fill(0);
  for (let row = 0; row < layout.nRows; row++) w.cellW[layout.rowCell[row]!]!++;
  for (let r = 0; r < layout.nResp; r++) w.C[layout.respCcell[r]!]!++;
  w.S.set(w.C);
  w.M.fill(1);
}

function fillRoundWeights(layout: Layout, w: RoundWeights, procedure: Procedure, rng: Rng, scratch: { counts?: Int32Array }): void {
  w.cellW.fill(0);
  w.C.fill(0);
  w.S.fill(0);
  if (procedure === "study") {
    const counts = (scratch.counts = resampleCounts(layout.nRows, rng, scratch.counts));
    for (let row = 0; row < layout.nRows; row++) {
      const k = counts[row]!;
      if (k === 0) continue;
      w.cellW[layout.rowCell[row]!]! += k;
      w.C[layout.respCcell[layout.rowResp[row]!]!]! += k;
    }
    w.S.set(w.C);
    w.M.fill(1);
  } else if (procedure === "responses") {
    const counts = (scratch.counts = resampleCounts(layout.nResp, rng, scratch.counts));
    for (let row = 0; row < layout.nRows; row++) w.cellW[layout.rowCell[row]!]! += counts[layout.rowResp[row]!]!;
    for (let r = 0; r < layout.nResp; r++) {
      const k = counts[r]!;
      if (k === 0) continue;
      const c = layout.respCcell[r]!;
      w.C[c]! += k;
      w.S[c]! += k * k;
    }
    w.M.fill(1);
  } else {
    const counts = (scratch.counts = resampleCounts(layout.nItems, rng, scratch.counts));
    for (let row = 0; row < layout.nRows; row++) {
      w.cellW[layout.rowCell[row]!]! += counts[layout.respItem[layout.rowResp[row]!]!]!;
    }
    for (let r = 0; r < layout.nResp; r++) w.C[layout.respCcell[r]!]!++;
    w.S.set(w.C);
    for (let i = 0; i < layout.citemItem.length; i++) w.M[i] = counts[layout.citemItem[i]!]!;
  }
}

/** Alignment of one group from cell weights. */
function groupAlignment(layout: Layout, g: number, cellW: Float64Array, metric: Metric, xw: Float64Array, yw: Float64Array): number {
  const start = layout.groupCellStart[g]!;
  const end = layout.groupCellStart[g + 1]!;
  const xs = layout.groupX[g]!;
  const ys = layout.groupY[g]!;
  let N = 0;
  if (metric === "mean_alignment") {
    let s = 0;
    for (let c = start; c < end; c++) {
      const w = cellW[c]!;
      if (w === 0) continue;
      N += w;
      s += w * Math.abs(xs[layout.cellX[c]!]! - ys[layout.cellY[c]!]!);
    }
    return N > 0 ? 1 - s / N : NaN;
  }
  xw.fill(0, 0, xs.length);
  yw.fill(0, 0, ys.length);
  for (let c = start; c < end; c++) {
    const w = cellW[c]!;
    if (w === 0) continue;
    N += w;
    xw[layout.cellX[c]!]! += w;
    yw[layout.cellY[c]!]! += w;
  }
  if (N < 2) return NaN;
  let xv: ArrayLike<number>;
  let yv: ArrayLike<number>;
  let mx: number;
  let my: number;
  if (metric === "spearman") {
    xv = weightedMidranks(xw.subarray(0, xs.length));
    yv = weightedMidranks(yw.subarray(0, ys.length));
    mx = my = (N + 1) / 2;
  } else {
    xv = xs;
    yv = ys;
    mx = 0;
    my = 0;
    for (let k = 0; k < xs.length; k++) mx += xw[k]! * xs[k]!;
    for (let k = 0; k < ys.length; k++) my += yw[k]! * ys[k]!;
    mx /= N;
    my /= N;
  }
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < xs.length; k++) sxx += xw[k]! * (xv[k]! - mx) ** 2;
  for (let k = 0; k < ys.length; k++) syy += yw[k]! * (yv[k]! - my) ** 2;
  for (let c = start; c < end; c++) {
    const w = cellW[c]!;
    if (w !== 0) sxy += w * (xv[layout.cellX[c]!]! - mx) * (yv[layout.cellY[c]!]! - my);
  }
  return correlationFromMoments(sxx, syy, sxy);
}

/** Self-consistency (Spearman over pairs, before the judge-error correction) of one group. */
function groupConsistency(layout: Layout, g: number, w: RoundWeights, margins: Float64Array): number {
  const levels = layout.cgroupLevels[g]!.length;
  const M = margins.subarray(0, levels).fill(0);
  const i0 = layout.cgroupCitemStart[g]!;
  const i1 = layout.cgroupCitemStart[g + 1]!;
  for (let it = i0; it < i1; it++) {
    const m = w.M[it]!;
    if (m === 0) continue;
    const c0 = layout.citemCcellStart[it]!;
    const c1 = layout.citemCcellStart[it + 1]!;
    let n = 0;
    for (let c = c0; c < c1; c++) n += w.C[c]!;
    for (let c = c0; c < c1; c++) M[layout.ccellLevel[c]!]! += m * (w.C[c]! * n - w.S[c]!);
  }
  const ranks = weightedMidranks(M);
  let T = 0;
  let sumR2 = 0;
  for (let v = 0; v < levels; v++) {
    T += M[v]!;
    sumR2 += M[v]! * ranks[v]! * ranks[v]!;
  }
  if (T < 2) return NaN;
  const rbar = (T + 1) / 2;
  let cross = 0;
  for (let it = i0; it < i1; it++) {
    const m = w.M[it]!;
    if (m === 0) continue;
    let a = 0;
    let b = 0;
    for (let c = layout.citemCcellStart[it]!; c < layout.citemCcellStart[it + 1]!; c++) {
      const r = ranks[layout.ccellLevel[c]!]!;
      a += w.C[c]! * r;
      b += w.S[c]! * r * r;
    }
    cross += m * (a * a - b);
  }
  const variance = sumR2 - T * rbar * rbar;
  return correlationFromMoments(variance, variance, cross - T * rbar * rbar);
}

function computeRound(
  layout: Layout,
  w: RoundWeights,
  metric: Metric,
  correction: number,
  alignOut: Float64Array,
  consOut: Float64Array,
  offsetA: number,
  offsetC: number,
): void {
  let maxX = 1;
  let maxY = 1;
  for (let g = 0; g < layout.groups.length; g++) {
    maxX = Math.max(maxX, layout.groupX[g]!.length);
    maxY = Math.max(maxY, layout.groupY[g]!.length);
  }
  const xw = new Float64Array(maxX);
  const yw = new Float64Array(maxY);
  for (let g = 0; g < layout.groups.length; g++) {
    alignOut[offsetA + g] = groupAlignment(layout, g, w.cellW, metric, xw, yw);
  }
  let maxLevels = 1;
  for (const lv of layout.cgroupLevels) maxLevels = Math.max(maxLevels, lv.length);
  const margins = new Float64Array(maxLevels);
  for (let g = 0; g < layout.cgroups.length; g++) {
    consOut[offsetC + g] = groupConsistency(layout, g, w, margins) / correction;
  }
}

/** Runs the bootstrap experiment at one level. */
export function runExperiment(
  responses: readonly ResponseRow[],
  groundTruth: readonly GroundTruthRow[],
  options: ExperimentOptions,
  layout = buildLayout(responses, groundTruth, options.level),
): ExperimentResult {
  const metric = options.metric ?? "spearman";
  const procedure = options.procedure ?? "study";
  const rate = options.judgeErrorRate ?? JUDGE_ERROR_RATE;
  if (!(rate >= 0 && rate < 1)) throw new Error(`judgeErrorRate must be in [0, 1), got ${rate}`);
  if (!Number.isInteger(options.rounds) || options.rounds < 0) {
    throw new Error(`rounds must be a non-negative integer, got ${options.rounds}`);
  }
  const correction = 1 - rate;
  const nA = layout.groups.length;
  const nC = layout.cgroups.length;
  const w = allocWeights(layout);
  const pointAlignment = new Float64Array(nA);
  const pointConsistency = new Float64Array(nC);
  fillPointWeights(layout, w);
  computeRound(layout, w, metric, correction, pointAlignment, pointConsistency, 0, 0);

  const alignment = new Float64Array(options.rounds * nA);
  const consistency = new Float64Array(options.rounds * nC);
  const scratch: { counts?: Int32Array } = {};
  for (let round = 0; round < options.rounds; round++) {
    fillRoundWeights(layout, w, procedure, options.rng, scratch);
    computeRound(layout, w, metric, correction, alignment, consistency, round * nA, round * nC);
  }
  return {
    level: options.level,
    rounds: options.rounds,
    metric,
    procedure,
    judgeErrorRate: rate,
    alignmentGroups: layout.groups,
    consistencyGroups: layout.cgroups,
    alignment,
    consistency,
    pointAlignment,
    pointConsistency,
  };
}

/** Values of one group across rounds. */
export function roundValues(values: Float64Array, groups: number, group: number, rounds: number): Float64Array {
  const out = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) out[r] = values[r * groups + group]!;
  return out;
}
