/**
 * The experiment on counts equals the experiment on rows.
 *
 * - Shape and order: aggregated rows, shuffled rows and the rows themselves give the same
 *   numbers, round for round (units are canonical).
 * - Repetition: when every response is repeated k times, alignment on the full data does
 *   not change (Spearman's ρ of repeated pairs is the same ρ); self-consistency does, as
 *   repeated responses agree with their copies.
 * - Distribution: a round drawn on counts (a multinomial over units or pairs weighted by
 *   their responses) has the distribution of a round drawn row by row, for the study's
 *   procedure and for resampled responses: over 3,000 rounds each, every group's mean
 *   and standard deviation agree within 4.5 standard errors, and the two samples pass a
 *   two-sample Kolmogorov–Smirnov test at the 0.1% level (seeded, so the test is stable).
 */
import { describe, expect, it } from "vitest";
import { aggregateResponses } from "../../../src/lib/aggregate.js";
import { experimentLayout, roundStatistics, runExperiment, type Procedure } from "../../../src/lib/analyses/experiment.js";
import { allocWeights, type RoundWeights } from "../../../src/lib/analyses/experiment/weights.js";
import { createRng, resampleCounts } from "../../../src/lib/random.js";
import type { GroundTruthRow, ResponseRow } from "../../../src/lib/workspace.js";

function rows(seed: number): { responses: ResponseRow[]; gt: GroundTruthRow[] } {
  const rng = createRng(seed, "counts-fixture");
  const items = ["a01", "b02", "c03", "d04"];
  const responses: ResponseRow[] = [];
  for (const model of ["m1", "m2"]) {
    for (const language of ["da", "en"]) {
      for (let i = 0; i < 14; i++) {
        const vps = [0, 0.2, 0.5, 0.5, 0.8, 1][rng.int(6)]!;
        responses.push({
          model,
          family: `f${model}`,
          language,
          item: items[rng.int(4)]!,
          template_id: null,
          topic_id: null,
          prompt: `p${i}`,
          response_language: language,
          vps,
        });
      }
    }
  }
  const gt: GroundTruthRow[] = items.flatMap((item) => [
    { level: "language" as const, population: "da", item, pro_score: rng.next() },
    { level: "language" as const, population: "en", item, pro_score: item === "a01" ? 0.5 : rng.next() },
  ]);
  return { responses, gt };
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rng = createRng(seed, "shuffle");
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("the experiment does not depend on the shape or order of its rows", () => {
  const { responses, gt } = rows(3);
  for (const procedure of ["study", "responses", "items"] as const) {
    it(`${procedure}: rows, shuffled rows and aggregated rows give the same rounds`, () => {
      const run = (input: ResponseRow[]) => runExperiment(input, gt, { level: "language", rounds: 20, rng: createRng(5, "x"), procedure });
      const a = run(responses);
      const b = run(shuffled(responses, 1));
      const c = run(aggregateResponses(responses));
      expect(aggregateResponses(responses).length).toBeLessThan(responses.length);
      for (const other of [b, c]) {
        expect(Array.from(other.alignment)).toEqual(Array.from(a.alignment));
        expect(Array.from(other.consistency)).toEqual(Array.from(a.consistency));
        expect(other.alignmentGroups).toEqual(a.alignmentGroups);
        expect(other.consistencyGroups).toEqual(a.consistencyGroups);
      }
    });
  }

  it("repeating every response leaves alignment on the full data unchanged, and raises self-consistency", () => {
    const once = runExperiment(responses, gt, { level: "language", rounds: 0, rng: createRng(1) });
    const thrice = runExperiment(
      responses.map((r) => ({ ...r, count: 3 })),
      gt,
      { level: "language", rounds: 0, rng: createRng(1) },
    );
    expect(thrice.alignmentGroups.map((g) => g.n)).toEqual(once.alignmentGroups.map((g) => g.n * 3));
    once.pointAlignment.forEach((v, i) => {
      expect(thrice.pointAlignment[i]).toBeCloseTo(v, 12);
    });
    once.pointConsistency.forEach((v, i) => {
      expect(thrice.pointConsistency[i]!).toBeGreaterThan(v);
    });
  });

  it("rejects counts that are not non-negative integers, naming the row", () => {
    const bad = [{ ...responses[0]!, count: 1.5 }];
    expect(() => runExperiment(bad, gt, { level: "language", rounds: 0, rng: createRng(1) })).toThrow(/count 1.5/);
  });
});

/**
 * A round drawn row by row: the study's (response × population) rows, or the responses,
 * drawn with replacement, as counts per pair or per unit of the layout.
 */
function rowRound(layout: ReturnType<typeof experimentLayout>, procedure: Procedure, rng: ReturnType<typeof createRng>, w: RoundWeights): void {
  const weights = procedure === "study" ? layout.pairWeight : layout.unitCount;
  // Expand every pair or unit into its rows, draw the rows, and count per row.
  const owner: number[] = [];
  weights.forEach((k, i) => {
    for (let c = 0; c < k; c++) owner.push(i);
  });
  const draws = resampleCounts(owner.length, rng);
  w.alignment.fill(0);
  w.drawn.fill(0);
  w.drawnSquares.fill(0);
  w.blockCopies.fill(1);
  const c = layout.consistency;
  owner.forEach((i, row) => {
    const k = draws[row]!;
    if (k === 0) return;
    if (procedure === "study") {
      w.alignment[layout.pairCell[i]!]! += k;
      w.drawn[c.unitCell[layout.pairUnit[i]!]!]! += k;
      w.drawnSquares[c.unitCell[layout.pairUnit[i]!]!]! += k;
    } else {
      layout.pairUnit.forEach((u, p) => {
        if (u === i) w.alignment[layout.pairCell[p]!]! += k;
      });
      w.drawn[c.unitCell[i]!]! += k;
      w.drawnSquares[c.unitCell[i]!]! += k * k;
    }
  });
}

function ksStatistic(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe("a round drawn on counts has the distribution of a round drawn row by row", () => {
  const { responses, gt } = rows(8);
  // Multiplicities 1 to 4: the aggregated rows of a workspace where responses repeat.
  const counted = aggregateResponses(responses).map((r, i) => ({ ...r, count: 1 + (i % 4) }));
  const ROUNDS = 3000;
  for (const procedure of ["study", "responses"] as const) {
    it(`${procedure}: every group's mean, SD and distribution agree`, () => {
      const layout = experimentLayout(counted, gt, "language");
      const exp = runExperiment(counted, gt, { level: "language", rounds: ROUNDS, rng: createRng(11, "counts"), procedure });
      const nA = layout.alignment.groups.length;
      const nC = layout.consistency.groups.length;
      const byRows = { alignment: new Float64Array(ROUNDS * nA), consistency: new Float64Array(ROUNDS * nC) };
      const rng = createRng(12, "rows");
      const w = allocWeights(layout);
      for (let r = 0; r < ROUNDS; r++) {
        rowRound(layout, procedure, rng, w);
        roundStatistics(layout, w, "spearman", 1 - 0.045, byRows, r);
      }
      const compare = (a: Float64Array, b: Float64Array, groups: number, what: string) => {
        for (let g = 0; g < groups; g++) {
          const xs = Array.from({ length: ROUNDS }, (_, r) => a[r * groups + g]!).filter(Number.isFinite);
          const ys = Array.from({ length: ROUNDS }, (_, r) => b[r * groups + g]!).filter(Number.isFinite);
          const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
          const sd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));
          const se = Math.sqrt(sd(xs) ** 2 / xs.length + sd(ys) ** 2 / ys.length);
          expect(Math.abs(mean(xs) - mean(ys)), `${what} ${g}: means`).toBeLessThan(4.5 * se);
          // The SD of a sample SD is about sd / √(2n).
          expect(Math.abs(sd(xs) - sd(ys)), `${what} ${g}: SDs`).toBeLessThan(((4.5 * sd(ys) * Math.sqrt(1 / xs.length + 1 / ys.length)) / Math.SQRT2) * 1.5);
          // Two-sample KS at α = 0.001: D > 1.95 √((n + m) / (n m)).
          expect(ksStatistic(xs, ys), `${what} ${g}: KS`).toBeLessThan(1.95 * Math.sqrt((xs.length + ys.length) / (xs.length * ys.length)));
        }
      };
      compare(exp.alignment, byRows.alignment, nA, "alignment group");
      compare(exp.consistency, byRows.consistency, nC, "consistency group");
    });
  }
});
