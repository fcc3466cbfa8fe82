/**
 * Cell bootstrap against row bootstrap: the time of one `multinomialCounts` draw over
 * 93,000 cells, against the row approach for the same total: `resampleCounts` (draw
 * `total` uniform row indices with `rng.int(total)` and count them per row) followed
 * by summing the row counts per cell. Prints its figures (median and range over the
 * repetitions); nothing here asserts a time.
 */
import { createRng, resampleCounts, type Rng } from "../src/lib/random.js";
import { multinomialCounts } from "../src/lib/sampling.js";

interface Case {
  cells: number;
  weight: number;
}

/** The row approach: counts per row by `resampleCounts`, then summed per cell (rows sorted by cell). */
function rowCounts(weight: number, rng: Rng, perRow: Int32Array, out: Int32Array): Int32Array {
  resampleCounts(perRow.length, rng, perRow);
  for (let j = 0, row = 0; j < out.length; j++) {
    let sum = 0;
    for (let end = row + weight; row < end; row++) sum += perRow[row]!;
    out[j] = sum;
  }
  return out;
}

function timeMs(reps: number, draw: () => void): number[] {
  draw(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    draw();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

const describeTimes = (t: number[]) => `${t[Math.floor(t.length / 2)]!.toFixed(2)} ms (${t[0]!.toFixed(2)}–${t[t.length - 1]!.toFixed(2)})`;

/** Prints the time per draw of both approaches for each case. */
export function runSamplingBench(reps = 20): void {
  const cases: Case[] = [
    { cells: 93_000, weight: 1 },
    { cells: 93_000, weight: 100 },
  ];
  for (const { cells, weight } of cases) {
    const total = cells * weight;
    const weights = new Float64Array(cells).fill(weight);
    const perRow = new Int32Array(total);
    const out = new Int32Array(cells);
    const rng = createRng(1, `bench/${cells}/${weight}`);
    const cellTimes = timeMs(reps, () => multinomialCounts(total, weights, rng, out));
    const rowTimes = timeMs(reps, () => rowCounts(weight, rng, perRow, out));
    const label = `sampling: ${cells} cells × weight ${weight} (total ${total})`;
    console.log(`${label}: multinomialCounts ${describeTimes(cellTimes)}; rows ${describeTimes(rowTimes)} per draw`);
  }
}
