/**
 * Alignment adjusted for self-consistency: the closed form against statsmodels' OLS
 * `y ~ 0 + x1:lang + lang:model` (test/reference/statsmodels_reference.py on
 * fixtures/ols_adjust.csv), a hand-worked example with NaN rounds, ties and an empty
 * cell, and on the study's release the capability figure's own OLS.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adjustedAlignmentEntries, pooledSlope } from "../../../src/lib/analyses/adjustedAlignment.js";
import type { ExperimentResult } from "../../../src/lib/analyses/experiment.js";
import { reproduce } from "../../../src/lib/analyses/reproduce.js";
import { experimentAt, withBaselines } from "../../../src/lib/analyses/context.js";
import { ADJUSTED_FORMULAS, rq1Frame, rq1Rows } from "../../../src/lib/analyses/rq1.js";
import { designMatrix } from "../../../src/lib/formula.js";
import { languageName } from "../../../src/lib/languages.js";
import { solveDesign } from "../../../src/lib/ols.js";
import { paperFixture } from "../../helpers/paper.js";

const REFERENCE = join(__dirname, "../../reference");

/** An experiment whose cells are (model, language) with one population "P"; rounds beyond a cell's rows are NaN. */
function experimentOf(cells: Array<{ model: string; language: string; rows: Array<[number, number]> }>): ExperimentResult {
  const rounds = Math.max(...cells.map((c) => c.rows.length));
  const n = cells.length;
  const alignment = new Float64Array(rounds * n).fill(NaN);
  const consistency = new Float64Array(rounds * n).fill(NaN);
  cells.forEach((c, g) => {
    c.rows.forEach(([a, x], r) => {
      alignment[r * n + g] = a;
      consistency[r * n + g] = x;
    });
  });
  return {
    level: "country",
    rounds,
    metric: "spearman",
    procedure: "study",
    judgeErrorRate: 0,
    alignmentGroups: cells.map((c) => ({ model: c.model, family: "f", population: "P", language: c.language, n: c.rows.length })),
    consistencyGroups: cells.map((c) => ({ model: c.model, family: "f", language: c.language, n: c.rows.length, pairs: 0 })),
    alignment,
    consistency,
    pointAlignment: new Float64Array(n).fill(0.5),
    pointConsistency: new Float64Array(n).fill(0.5),
  };
}

describe("the pooled within-cell slope, by hand", () => {
  it("centres each cell on its own means", () => {
    // Cell 1: c = 0, 1, 2 with a = 1, 2, 3 (slope 1). Cell 2: c = 10, 12 with a = 0, 0 (flat).
    // Σ(c − c̄)(a − ā) = 2 + 0; Σ(c − c̄)² = 2 + 2: pooled slope 0.5 (not the 0.1… of a line through all five points).
    expect(
      pooledSlope([
        [
          [1, 0],
          [2, 1],
          [3, 2],
        ],
        [
          [0, 10],
          [0, 12],
        ],
      ]),
    ).toBeCloseTo(0.5, 14);
  });

  it("ties in consistency and empty cells add nothing; no variation at all gives NaN", () => {
    expect(
      pooledSlope([
        [
          [1, 0.3],
          [2, 0.3],
        ],
        [],
        [
          [1, 0],
          [3, 1],
        ],
      ]),
    ).toBeCloseTo(2, 14);
    expect(
      pooledSlope([
        [
          [1, 0.3],
          [2, 0.3],
        ],
        [],
      ]),
    ).toBeNaN();
    expect(pooledSlope([])).toBeNaN();
  });
});

describe("against statsmodels", () => {
  const ref = JSON.parse(readFileSync(join(REFERENCE, "expected/statsmodels_ols_adjust.json"), "utf8"));
  const lines = readFileSync(join(REFERENCE, "fixtures/ols_adjust.csv"), "utf8").trim().split("\n").slice(1);
  // The fixture's baseline is renamed, so that its rounds enter the slope as in statsmodels' fit.
  const rows = lines
    .map((l) => l.split(","))
    .map(([y, x1, lang, model]) => ({ y: Number(y), x1: Number(x1), lang: lang!, model: model!.replace("Baseline_", "b_") }));
  const keys = [...new Set(rows.map((r) => `${r.model}|${r.lang}`))];
  const exp = experimentOf(
    keys.map((k) => {
      const [model, language] = k.split("|") as [string, string];
      return { model, language, rows: rows.filter((r) => r.model === model && r.lang === language).map((r) => [r.y, r.x1] as [number, number]) };
    }),
  );
  const entries = adjustedAlignmentEntries(exp);
  const coef = (name: string) => ref.coef[ref.exog_names.indexOf(name)];

  it("every cell's adjusted alignment is its lang:model coefficient, every slope its x1:lang coefficient, to 1e-10", () => {
    expect(entries.length).toBe(20);
    for (const e of entries) {
      const model = e.model.replace("b_", "Baseline_");
      expect(Math.abs(e.adjusted - coef(`lang[${e.language}]:model[${model}]`))).toBeLessThan(1e-10);
      expect(Math.abs(e.slope - coef(`x1:lang[${e.language}]`))).toBeLessThan(1e-10);
    }
  });

  it("a baseline is adjusted with the real models' slope, never moving it", () => {
    const withBaseline = experimentOf(
      keys.map((k) => {
        const [model, language] = k.split("|") as [string, string];
        const own = rows.filter((r) => r.model === model && r.lang === language).map((r) => [r.y, r.x1] as [number, number]);
        return { model: model.replace("b_", "Baseline_"), language, rows: own };
      }),
    );
    const real = keys.filter((k) => !k.startsWith("b_"));
    const without = experimentOf(
      real.map((k) => {
        const [model, language] = k.split("|") as [string, string];
        return { model, language, rows: rows.filter((r) => r.model === model && r.lang === language).map((r) => [r.y, r.x1] as [number, number]) };
      }),
    );
    const slopes = (x: ExperimentResult) => new Map(adjustedAlignmentEntries(x).map((e) => [e.language, e.slope]));
    expect(slopes(withBaseline)).toEqual(slopes(without));
  });
});

describe("NaN rounds and cells without variation", () => {
  it("drops the rounds where alignment or consistency is NaN, as the OLS drops incomplete rows", () => {
    // Language da: m1 rounds (a, c) = (0.5, 0.2), (0.7, 0.4), (NaN, 0.9), (0.6, NaN) → two complete rounds, slope 1.
    // m2 rounds (0.1, 0.5), (0.1, 0.5): constant, no information on the slope; adjusted = 0.1 − 1 × 0.5 = −0.4.
    const exp = experimentOf([
      {
        model: "m1",
        language: "da",
        rows: [
          [0.5, 0.2],
          [0.7, 0.4],
          [NaN, 0.9],
          [0.6, NaN],
        ],
      },
      {
        model: "m2",
        language: "da",
        rows: [
          [0.1, 0.5],
          [0.1, 0.5],
        ],
      },
      {
        model: "m3",
        language: "en",
        rows: [
          [0.3, 0.5],
          [0.4, 0.5],
        ],
      },
    ]);
    const [m1, m2, m3] = adjustedAlignmentEntries(exp);
    expect(m1!.slope).toBeCloseTo(1, 14);
    expect(m1!.adjusted).toBeCloseTo((0.5 - 0.2 + (0.7 - 0.4)) / 2, 14);
    expect(m2!.adjusted).toBeCloseTo(-0.4, 14);
    // English has one cell whose consistency never varies: no slope, no adjustment.
    expect(m3!.slope).toBeNaN();
    expect(m3!.adjusted).toBeNaN();
    expect(m3!.rho).toBe(0.5);
  });

  it("refuses an experiment without a reference level", () => {
    expect(() => adjustedAlignmentEntries({ ...experimentOf([{ model: "m", language: "da", rows: [[0, 0]] }]), level: "none" })).toThrow(/reference level/);
  });
});

describe("the study's release", () => {
  const ws = withBaselines(paperFixture(), 1).workspace;

  it("at the language level, each language's own speakers get the capability figure's OLS coefficients (seed 7, 30 rounds)", () => {
    const exp = experimentAt(ws, "language", { rounds: 30, seed: 7 });
    const entries = adjustedAlignmentEntries(exp);
    expect(entries.length).toBe(exp.alignmentGroups.length);
    const rows = rq1Rows(exp, ws.benchmarks, ws.populations);
    const design = designMatrix(ADJUSTED_FORMULAS.interaction, rq1Frame(rows));
    const beta = solveDesign(design).beta;
    let checked = 0;
    design.columnNames.forEach((name, j) => {
      const m = /^language\[(.+)\]:model\[(.+)\]$/.exec(name);
      if (!m) return;
      const e = entries.find((x) => languageName(x.language) === m[1] && x.model === m[2] && x.population === x.language)!;
      expect(Math.abs(e.adjusted - beta[j]!)).toBeLessThan(1e-10);
      checked++;
    });
    expect(checked).toBe(36);
  });

  it("at the country and global levels, every population's entries are that population's OLS fit (seed 2, 25 rounds)", () => {
    for (const level of ["country", "global"] as const) {
      const exp = experimentAt(ws, level, { rounds: 25, seed: 2 });
      const entries = adjustedAlignmentEntries(exp).filter((e) => !e.model.startsWith("Baseline"));
      const nA = exp.alignmentGroups.length;
      const nC = exp.consistencyGroups.length;
      const cIndex = new Map(exp.consistencyGroups.map((g, i) => [`${g.model}|${g.language}`, i]));
      for (const population of new Set(entries.map((e) => e.population))) {
        const frame = { alignment: [] as number[], consistency: [] as number[], language: [] as string[], model: [] as string[] };
        exp.alignmentGroups.forEach((g, i) => {
          if (g.population !== population || g.model.startsWith("Baseline")) return;
          for (let r = 0; r < exp.rounds; r++) {
            frame.alignment.push(exp.alignment[r * nA + i]!);
            frame.consistency.push(exp.consistency[r * nC + cIndex.get(`${g.model}|${g.language}`)!]!);
            frame.language.push(g.language);
            frame.model.push(g.model);
          }
        });
        const design = designMatrix(ADJUSTED_FORMULAS.interaction, {
          alignment: Float64Array.from(frame.alignment),
          consistency: Float64Array.from(frame.consistency),
          language: frame.language,
          model: frame.model,
        });
        const beta = solveDesign(design).beta;
        for (const e of entries.filter((x) => x.population === population)) {
          const j = design.columnNames.indexOf(`language[${e.language}]:model[${e.model}]`);
          expect(Math.abs(e.adjusted - beta[j]!)).toBeLessThan(1e-10);
          expect(Math.abs(e.slope - beta[design.columnNames.indexOf(`consistency:language[${e.language}]`)]!)).toBeLessThan(1e-10);
        }
      }
    }
  });

  it("reproduce prints alignmentAdjusted at each level asked for, beside the raw alignment", () => {
    const r = reproduce(paperFixture(), { rounds: 20, seed: 3, parts: ["alignment", "alignmentAdjusted"], levels: ["global", "country"] });
    expect(new Set(r.alignmentAdjusted!.map((e) => e.level))).toEqual(new Set(["global", "country"]));
    expect(r.alignmentAdjusted!.length).toBe(r.alignment!.length);
    r.alignmentAdjusted!.forEach((e, i) => {
      const raw = r.alignment![i]!;
      expect([e.model, e.language, e.population, e.rho]).toEqual([raw.model, raw.language, raw.population, raw.rho]);
    });
    const slopes = r.alignmentAdjusted!.map((e) => e.slope).filter(Number.isFinite);
    expect(slopes.length).toBeGreaterThan(0.9 * r.alignmentAdjusted!.length);
    for (const e of r.alignmentAdjusted!.filter((x) => Number.isFinite(x.adjusted))) {
      expect(e.ci_low).toBeLessThanOrEqual(e.adjusted);
      expect(e.ci_high).toBeGreaterThanOrEqual(e.adjusted);
    }
  });
});
