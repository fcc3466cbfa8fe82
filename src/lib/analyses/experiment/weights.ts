/**
 * The counts one round hands to the statistics. For the full data every response counts
 * once; a bootstrap round draws the study's rows, the responses or the items with
 * replacement. Each draw is a multinomial over units or pairs weighted by how many
 * responses they stand for, which is exactly the distribution of drawing the rows or
 * responses themselves (test/lib/analyses/experiment-counts.test.ts), at a cost that
 * grows with units, not responses.
 */
import { resampleCounts, type Rng } from "../../random.js";
import { collisionSquares, multinomialCounts } from "../../sampling.js";
import type { Layout } from "./layout.js";

export type Procedure = "study" | "responses" | "items";

export interface RoundWeights {
  /** Per alignment cell: the round's (response, population) rows in the cell. */
  alignment: Float64Array;
  /** Per consistency cell: the round's copies of the cell's responses. */
  drawn: Float64Array;
  /** Per consistency cell: Σ copies² over its responses (a response's pairs with its own copies, taken out where copies must not pair). */
  drawnSquares: Float64Array;
  /** Per block: how many times the round drew its item (1 unless items are resampled). */
  blockCopies: Float64Array;
}

/** Scratch space reused across rounds. */
export interface RoundScratch {
  pairs?: Float64Array;
  units?: Float64Array;
  items?: Int32Array;
}

export function allocWeights(layout: Layout): RoundWeights {
  const cells = layout.consistency.cellLevel.length;
  return {
    alignment: new Float64Array(layout.alignment.cellVps.length),
    drawn: new Float64Array(cells),
    drawnSquares: new Float64Array(cells),
    blockCopies: new Float64Array(layout.consistency.blockItem.length),
  };
}

/** The full data: every response once. */
export function fillPointWeights(layout: Layout, w: RoundWeights): void {
  applyPairCounts(layout, w, layout.pairWeight);
  w.drawn.fill(0);
  addUnitCounts(layout, w, layout.unitCount);
  w.drawnSquares.set(w.drawn);
}

/**
 * The study's rows drawn `counts[p]` times per pair (any two drawn copies pair for
 * self-consistency, as in the study). Exported so that a test can hand it the counts of
 * a row-by-row resample.
 */
export function applyPairCounts(layout: Layout, w: RoundWeights, counts: ArrayLike<number>): void {
  w.alignment.fill(0);
  w.drawn.fill(0);
  const withCells = w.alignment.length > 0;
  for (let p = 0; p < layout.pairUnit.length; p++) {
    const k = counts[p]!;
    if (k === 0) continue;
    if (withCells) w.alignment[layout.pairCell[p]!]! += k;
    w.drawn[layout.consistency.unitCell[layout.pairUnit[p]!]!]! += k;
  }
  w.drawnSquares.set(w.drawn);
  w.blockCopies.fill(1);
}

function addUnitCounts(layout: Layout, w: RoundWeights, counts: ArrayLike<number>): void {
  for (let u = 0; u < counts.length; u++) w.drawn[layout.consistency.unitCell[u]!]! += counts[u]!;
}

/** Alignment cells weighted per pair by `factor(pair)`. */
function fillAlignment(layout: Layout, w: RoundWeights, factor: (p: number) => number): void {
  w.alignment.fill(0);
  if (w.alignment.length === 0) return;
  for (let p = 0; p < layout.pairUnit.length; p++) w.alignment[layout.pairCell[p]!]! += factor(p);
}

/** One bootstrap round of a procedure. */
export function fillRoundWeights(layout: Layout, w: RoundWeights, procedure: Procedure, rng: Rng, scratch: RoundScratch): void {
  if (procedure === "study") {
    scratch.pairs ??= new Float64Array(layout.pairWeight.length);
    applyPairCounts(layout, w, multinomialCounts(layout.totalPairs, layout.pairWeight, rng, scratch.pairs));
  } else if (procedure === "responses") {
    fillResponsesRound(layout, w, rng, scratch);
  } else {
    scratch.items = resampleCounts(layout.items.length, rng, scratch.items);
    const draws = scratch.items;
    fillAlignment(layout, w, (p) => draws[layout.unitItem[layout.pairUnit[p]!]!]! * layout.pairWeight[p]!);
    w.drawn.fill(0);
    addUnitCounts(layout, w, layout.unitCount);
    w.drawnSquares.set(w.drawn);
    for (let b = 0; b < w.blockCopies.length; b++) w.blockCopies[b] = draws[layout.consistency.blockItem[b]!]!;
  }
}

/** Responses drawn with replacement; copies of one response never pair with each other. */
function fillResponsesRound(layout: Layout, w: RoundWeights, rng: Rng, scratch: RoundScratch): void {
  scratch.units ??= new Float64Array(layout.unitCount.length);
  const draws = multinomialCounts(layout.totalResponses, layout.unitCount, rng, scratch.units);
  fillAlignment(layout, w, (p) => draws[layout.pairUnit[p]!]!);
  w.drawn.fill(0);
  w.drawnSquares.fill(0);
  addUnitCounts(layout, w, draws);
  for (let u = 0; u < draws.length; u++) {
    const k = draws[u]!;
    if (k > 0) w.drawnSquares[layout.consistency.unitCell[u]!]! += collisionSquares(k, layout.unitCount[u]!, rng);
  }
  w.blockCopies.fill(1);
}
