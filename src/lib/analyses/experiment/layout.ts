/**
 * The layout of one level's experiment: which counts each statistic reads.
 *
 * - A *pair* is a (unit, population) row of the study's joined table: a response unit
 *   with its item's pro share in one reference population. At level `none` each unit is
 *   one pair with no population. A pair stands for as many table rows as its unit has
 *   responses.
 * - Alignment reads, per (model, population, language) group, counts of *alignment
 *   cells*: distinct (VPS, pro share) combinations.
 * - Self-consistency reads, per (model, language) group, *blocks* (the group's responses
 *   to one item), each holding *consistency cells*: the block's distinct VPS values.
 */
import type { GroundTruthRow, Level } from "../../workspace.js";
import type { AlignmentGroup, ConsistencyGroup } from "../experiment.js";
import { idsOf, levelsOf, type ResponseUnit } from "./units.js";

export interface AlignmentLayout {
  groups: AlignmentGroup[];
  /** Cells of group g: groupCellStart[g] … groupCellStart[g + 1] − 1. */
  groupCellStart: Int32Array;
  /** Per cell: the index of its VPS in groupVps[g], and of its pro share in groupTruth[g]. */
  cellVps: Int32Array;
  cellTruth: Int32Array;
  groupVps: Float64Array[];
  groupTruth: Float64Array[];
}

export interface ConsistencyLayout {
  groups: ConsistencyGroup[];
  /** Blocks of group g: groupBlockStart[g] … groupBlockStart[g + 1] − 1. */
  groupBlockStart: Int32Array;
  /** Per block: its item's index, and its cells blockCellStart[b] … blockCellStart[b + 1] − 1. */
  blockItem: Int32Array;
  blockCellStart: Int32Array;
  /** Per cell: the index of its VPS among groupLevels[g]. */
  cellLevel: Int32Array;
  groupLevels: Float64Array[];
  /** Per unit: its consistency cell. */
  unitCell: Int32Array;
}

export interface Layout {
  units: readonly ResponseUnit[];
  /** Per unit: responses, and the index of its item among `items`. */
  unitCount: Float64Array;
  unitItem: Int32Array;
  items: string[];
  totalResponses: number;
  /** Per pair: its unit, its population (index into `populations`, −1 at level none), its weight and alignment cell. */
  pairUnit: Int32Array;
  pairPopulation: Int32Array;
  pairWeight: Float64Array;
  pairCell: Int32Array;
  populations: string[];
  totalPairs: number;
  alignment: AlignmentLayout;
  consistency: ConsistencyLayout;
}

/** Per item, the finite pro shares of the level, populations in name order. */
export function truthByItem(groundTruth: readonly GroundTruthRow[], level: Level): Map<string, Array<{ population: string; score: number }>> {
  const byItem = new Map<string, Array<{ population: string; score: number }>>();
  for (const g of groundTruth) {
    if (g.level !== level || !Number.isFinite(g.pro_score)) continue;
    if (!byItem.has(g.item)) byItem.set(g.item, []);
    byItem.get(g.item)!.push({ population: g.population, score: g.pro_score });
  }
  for (const list of byItem.values()) list.sort((a, b) => (a.population < b.population ? -1 : a.population > b.population ? 1 : 0));
  return byItem;
}

interface Pairs {
  unit: number[];
  population: number[];
  truth: number[];
  populations: string[];
}

function pairsOf(units: readonly ResponseUnit[], truth: Map<string, Array<{ population: string; score: number }>> | null): Pairs {
  const pops = idsOf<string>();
  const pairs: Pairs = { unit: [], population: [], truth: [], populations: pops.keys };
  units.forEach((u, i) => {
    if (truth === null) {
      pairs.unit.push(i);
      pairs.population.push(-1);
      pairs.truth.push(NaN);
      return;
    }
    for (const t of truth.get(u.item)!) {
      pairs.unit.push(i);
      pairs.population.push(pops.id(t.population));
      pairs.truth.push(t.score);
    }
  });
  return pairs;
}

/** The alignment groups and cells of the pairs; fills `pairCell`. */
function alignmentLayout(units: readonly ResponseUnit[], pairs: Pairs, pairCell: Int32Array): AlignmentLayout {
  const groupIds = idsOf<string>();
  const members: number[][] = [];
  const groups: AlignmentGroup[] = [];
  pairs.unit.forEach((unit, p) => {
    if (pairs.population[p] === -1) return;
    const u = units[unit]!;
    const population = pairs.populations[pairs.population[p]!]!;
    const g = groupIds.id(`${u.model}\u0000${population}\u0000${u.language}`);
    if (g === groups.length) {
      groups.push({ model: u.model, family: u.family, population, language: u.language, n: 0 });
      members.push([]);
    }
    groups[g]!.n += u.count;
    members[g]!.push(p);
  });
  const groupCellStart = new Int32Array(groups.length + 1);
  const cellVps: number[] = [];
  const cellTruth: number[] = [];
  const groupVps: Float64Array[] = [];
  const groupTruth: Float64Array[] = [];
  members.forEach((ps, g) => {
    const xs = levelsOf(ps.map((p) => units[pairs.unit[p]!]!.vps));
    const ys = levelsOf(ps.map((p) => pairs.truth[p]!));
    groupVps.push(xs.sorted);
    groupTruth.push(ys.sorted);
    groupCellStart[g] = cellVps.length;
    const cells = idsOf<number>();
    for (const p of ps) {
      const x = xs.index.get(units[pairs.unit[p]!]!.vps)!;
      const y = ys.index.get(pairs.truth[p]!)!;
      const c = cells.id(x * ys.sorted.length + y);
      if (c === cellVps.length - groupCellStart[g]!) {
        cellVps.push(x);
        cellTruth.push(y);
      }
      pairCell[p] = groupCellStart[g]! + c;
    }
  });
  groupCellStart[groups.length] = cellVps.length;
  return { groups, groupCellStart, cellVps: Int32Array.from(cellVps), cellTruth: Int32Array.from(cellTruth), groupVps, groupTruth };
}

/** The self-consistency groups, blocks and cells of the units. */
function consistencyLayout(units: readonly ResponseUnit[], unitItem: Int32Array): ConsistencyLayout {
  const groupIds = idsOf<string>();
  const groups: ConsistencyGroup[] = [];
  const members: number[][] = [];
  units.forEach((u, i) => {
    const g = groupIds.id(`${u.model}\u0000${u.language}`);
    if (g === groups.length) {
      groups.push({ model: u.model, family: u.family, language: u.language, n: 0, pairs: 0 });
      members.push([]);
    }
    groups[g]!.n += u.count;
    members[g]!.push(i);
  });
  const unitCell = new Int32Array(units.length);
  const groupBlockStart = new Int32Array(groups.length + 1);
  const blockItem: number[] = [];
  const blockCellStart: number[] = [];
  const cellLevel: number[] = [];
  const groupLevels: Float64Array[] = [];
  members.forEach((us, g) => {
    const levels = levelsOf(us.map((i) => units[i]!.vps));
    groupLevels.push(levels.sorted);
    groupBlockStart[g] = blockItem.length;
    const byItem = new Map<number, number[]>();
    for (const i of us) byItem.set(unitItem[i]!, [...(byItem.get(unitItem[i]!) ?? []), i]);
    for (const [item, block] of [...byItem].sort((a, b) => a[0] - b[0])) {
      blockItem.push(item);
      blockCellStart.push(cellLevel.length);
      const responses = block.reduce((s, i) => s + units[i]!.count, 0);
      groups[g]!.pairs += responses * (responses - 1);
      const cells = idsOf<number>();
      const first = cellLevel.length;
      for (const i of block) {
        const level = levels.index.get(units[i]!.vps)!;
        const c = cells.id(level);
        if (c === cellLevel.length - first) cellLevel.push(level);
        unitCell[i] = first + c;
      }
    }
  });
  groupBlockStart[groups.length] = blockItem.length;
  blockCellStart.push(cellLevel.length);
  return {
    groups,
    groupBlockStart,
    blockItem: Int32Array.from(blockItem),
    blockCellStart: Int32Array.from(blockCellStart),
    cellLevel: Int32Array.from(cellLevel),
    groupLevels,
    unitCell,
  };
}

/**
 * The layout of a level's experiment over response units: for a reference level, the
 * units whose item has ground truth there; for `none`, every unit.
 */
export function buildLayout(allUnits: readonly ResponseUnit[], groundTruth: readonly GroundTruthRow[], level: Level | "none"): Layout {
  const truth = level === "none" ? null : truthByItem(groundTruth, level);
  const units = truth === null ? allUnits : allUnits.filter((u) => truth.has(u.item));
  const items = [...new Set(units.map((u) => u.item))].sort();
  const itemIndex = new Map(items.map((item, i) => [item, i]));
  const unitItem = Int32Array.from(units, (u) => itemIndex.get(u.item)!);
  const unitCount = Float64Array.from(units, (u) => u.count);
  const pairs = pairsOf(units, truth);
  const pairUnit = Int32Array.from(pairs.unit);
  const pairWeight = Float64Array.from(pairUnit, (u) => unitCount[u]!);
  const pairCell = new Int32Array(pairUnit.length);
  const alignment = alignmentLayout(units, pairs, pairCell);
  return {
    units,
    unitCount,
    unitItem,
    items,
    totalResponses: unitCount.reduce((s, c) => s + c, 0),
    pairUnit,
    pairPopulation: Int32Array.from(pairs.population),
    pairWeight,
    pairCell,
    populations: pairs.populations,
    totalPairs: pairWeight.reduce((s, c) => s + c, 0),
    alignment,
    consistency: consistencyLayout(units, unitItem),
  };
}
