/**
 * Conditioning-language cross-effects: the within-minus-between consistency gap from
 * counts, against a hand-worked example and against pairs listed one by one in Python
 * (test/reference/cross_effects_reference.py → expected/cross_effects.json), and the
 * study's published figure reproduced from its data.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossBlocks } from "../../../src/lib/analyses/crossEffects/blocks.js";
import { modelGap } from "../../../src/lib/analyses/crossEffects/gap.js";
import { crossEffects, type CrossEffects } from "../../../src/lib/analyses/crossEffects/index.js";
import { itemPairs, symmetricPearson } from "../../../src/lib/analyses/crossEffects/moments.js";
import type { ResponseRow } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

const REF = JSON.parse(readFileSync(join(__dirname, "../../reference/expected/cross_effects.json"), "utf8"));

function row(model: string, language: string, item: string, vps: number | null): ResponseRow {
  return { model, family: "f", language, item, template_id: null, topic_id: null, prompt: null, response_language: language, vps };
}

/** null in the reference JSON is NaN. */
const num = (x: number | null) => (x === null ? NaN : x);

function expectClose(actual: number, expected: number | null, tol: number) {
  if (expected === null) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

describe("the gap from counts, by hand", () => {
  // One item: Danish answers 1 and 0, an English answer 1 (a tie with the Danish 1).
  // With self-pairs, within = (1,1) (1,0) (0,1) (0,0) and English (1,1): mean 0.6,
  // Σ(x−0.6)(y−0.6) = 0.2, Σ(x−0.6)² = 1.2, r = 1/6. Without: (1,0) (0,1), r = −1.
  // Between: (1,1) (0,1) and back: mean 0.75, Sxy = −0.25, Sxx = 0.75, r = −1/3.
  const rows = [row("m", "da", "q", 1), row("m", "da", "q", 0), row("m", "en", "q", 1)];
  const [model] = crossBlocks(rows).models;

  it("with self-pairs: within 1/6, between −1/3, gap 1/2", () => {
    const g = modelGap(model!, true, 0);
    expect(g.within).toBeCloseTo(1 / 6, 14);
    expect(g.between).toBeCloseTo(-1 / 3, 14);
    expect(g.gap).toBeCloseTo(0.5, 14);
  });

  it("without self-pairs: within −1, gap −2/3; the judge-error rate divides all three", () => {
    expect(modelGap(model!, false, 0).gap).toBeCloseTo(-2 / 3, 14);
    const g = modelGap(model!, false, 0.2);
    expect(g.within).toBeCloseTo(-1 / 0.8, 14);
    expect(g.gap).toBeCloseTo(-2 / 3 / 0.8, 14);
  });

  it("an item answered once makes no pair without self-pairs; fewer than two pairs is NaN", () => {
    const one = itemPairs([{ n: 1, s: 0.5, q: 0.25 }], false);
    expect(one.within.pairs).toBe(0);
    expect(one.between.pairs).toBe(0);
    expect(symmetricPearson(one.within)).toBeNaN();
    expect(itemPairs([{ n: 1, s: 0.5, q: 0.25 }], true).within.pairs).toBe(1);
  });

  it("a model with one language has no between pairs: its gap is NaN, not 0", () => {
    const [m] = crossBlocks([row("m", "da", "q", 1), row("m", "da", "q", 0), row("m", "da", "r", 1)]).models;
    expect(modelGap(m!, false, 0).between).toBeNaN();
    expect(modelGap(m!, false, 0).gap).toBeNaN();
  });

  it("aggregated rows (counts) give the numbers of the rows they stand for; baselines and NaN VPS are left out", () => {
    const expanded = [row("m", "da", "q", 1), row("m", "da", "q", 1), row("m", "da", "q", 0), row("m", "en", "q", 1), row("m", "en", "q", 0.5)];
    const aggregated = [
      { ...row("m", "da", "q", 1), count: 2 },
      row("m", "da", "q", 0),
      row("m", "en", "q", 1),
      row("m", "en", "q", 0.5),
      row("m", "en", "q", null),
    ];
    const withBaseline = [...aggregated, row("Baseline_uniform_random", "da", "q", 0.3)];
    const a = modelGap(crossBlocks(expanded).models[0]!, false, 0);
    const b = crossBlocks(withBaseline);
    expect(b.models.map((m) => m.model)).toEqual(["m"]);
    expect(modelGap(b.models[0]!, false, 0)).toEqual(a);
  });
});

describe("against pairs listed in Python", () => {
  it("the tiny data set (ties, a NaN VPS, an item answered once, a model with one language)", () => {
    const data = crossBlocks(
      REF.tiny.rows.map((r: { model: string; language: string; item: string; vps: number | null }) => row(r.model, r.language, r.item, r.vps)),
    );
    for (const m of data.models) {
      for (const [key, self] of [
        ["self", true],
        ["noself", false],
      ] as const) {
        const g = modelGap(m, self, REF.judge_error_rate);
        const e = REF.tiny.gaps[m.model][key];
        for (const k of ["within", "between", "gap"] as const) expectClose(g[k], e[k], 1e-12);
      }
    }
  });
});

describe("the study's release", () => {
  const ws = paperFixture();
  const seed1: CrossEffects = crossEffects(ws, { rounds: 100, replicates: 200, seed: 1 });
  const byModel = new Map(seed1.gaps.map((g) => [g.model, g]));

  it("full data, with and without self-pairs: Python's pair-by-pair values to 1e-12", () => {
    expect(seed1.gaps.length).toBe(9);
    for (const g of seed1.gaps) {
      const e = REF.full_data[g.model];
      for (const k of ["within", "between", "gap"] as const) {
        expectClose(g.withSelfPairs[k], e.self[k], 1e-12);
        expectClose(g.recommended[k], e.noself[k], 1e-12);
      }
    }
  });

  it("removing self-pairs roughly halves the gap: gpt-4-turbo 0.051 → 0.010, OLMo-2 32B 0.074 → 0.027", () => {
    const turbo = byModel.get("gpt-4-turbo-2024-04-09")!;
    const olmo = byModel.get("OLMo-2-0325-32B-Instruct")!;
    expect(turbo.withSelfPairs.gap).toBeCloseTo(0.0514, 4);
    expect(turbo.recommended.gap).toBeCloseTo(0.0098, 4);
    expect(olmo.withSelfPairs.gap).toBeCloseTo(0.0745, 4);
    expect(olmo.recommended.gap).toBeCloseTo(0.0269, 4);
    for (const g of seed1.gaps) expect(g.recommended.gap).toBeLessThan(0.75 * g.withSelfPairs.gap);
  });

  // The bars of the study's figure (plots/cross_effects.png at the pinned commit), read off
  // the image to ±0.003; the tolerance adds the Monte Carlo error of a mean of 100 rounds.
  const FIGURE: Record<string, number> = {
    "gpt-3.5-turbo-0125": 0.127,
    "gpt-4-turbo-2024-04-09": 0.051,
    "gpt-4o": 0.087,
    "gemma-2-2b-it": 0.136,
    "gemma-2-9b-it": 0.1,
    "gemma-2-27b-it": 0.094,
    "OLMo-2-1124-7B-Instruct": 0.146,
    "OLMo-2-1124-13B-Instruct": 0.17,
    "OLMo-2-0325-32B-Instruct": 0.075,
  };

  it("as published: the study's figure, every bar within 0.005", () => {
    for (const [model, bar] of Object.entries(FIGURE)) expect(Math.abs(byModel.get(model)!.published.gap - bar)).toBeLessThanOrEqual(0.005);
  });

  it("as published: the bootstrap mean agrees with Python's bootstrap (another generator) within 4 Monte Carlo SEs, at seed 1 and at seed 7 with 40 rounds", () => {
    const other = crossEffects(ws, { rounds: 40, replicates: 20, seed: 7 });
    for (const run of [seed1, other]) {
      for (const g of run.gaps) {
        const py = REF.published[g.model];
        const sd = (g.published.ci_high - g.published.ci_low) / 3.92;
        const tol = 4 * Math.sqrt(py.sd ** 2 / py.rounds + sd ** 2 / run.rounds);
        expect(Math.abs(g.published.gap - py.mean)).toBeLessThanOrEqual(tol);
        expect(g.published.rounds).toBe(run.rounds);
      }
    }
    expect(other.gaps[0]!.published.gap).not.toBe(seed1.gaps[0]!.published.gap);
  });

  it("recommended: the item bootstrap's SE is within 25% of Python's (2,000 replicates); its interval holds the estimate", () => {
    for (const g of seed1.gaps) {
      expect(Math.abs(g.recommended.se / REF.items[g.model].sd - 1)).toBeLessThan(0.25);
      expect(g.recommended.ci_low).toBeLessThan(g.recommended.gap);
      expect(g.recommended.ci_high).toBeGreaterThan(g.recommended.gap);
    }
  });

  it("the matrix: every (model, language, country) cell is scipy's Spearman ρ; home marks the country's own language", () => {
    expect(seed1.matrix.length).toBe(REF.matrix.length);
    const cells = new Map(seed1.matrix.map((c) => [`${c.model}|${c.language}|${c.country}`, c]));
    for (const e of REF.matrix) {
      const c = cells.get(`${e.model}|${e.language}|${e.country}`)!;
      expectClose(c.coef, num(e.rho), 1e-12);
      expect(c.n).toBe(e.n);
    }
    expect(cells.get("gpt-4o|da|DK")!.home).toBe(true);
    expect(cells.get("gpt-4o|en|DK")!.home).toBe(false);
    expect(cells.get("gpt-4o|en|NG")!.home).toBe(true);
  });

  it("the home-language advantage is the mean over a language's countries of home minus the other languages", () => {
    const cell = (m: string, l: string, c: string) => seed1.matrix.find((x) => x.model === m && x.language === l && x.country === c)!.coef;
    const m = "gpt-4o";
    const pt = ["BR", "PT"].map((c) => cell(m, "pt", c) - (cell(m, "da", c) + cell(m, "en", c) + cell(m, "nl", c)) / 3);
    const home = seed1.home.find((h) => h.model === m && h.language === "pt")!;
    expect(home.coef).toBeCloseTo((pt[0]! + pt[1]!) / 2, 12);
    const perLanguage = seed1.home.filter((h) => h.model === m && h.language !== "all").map((h) => h.coef);
    expect(perLanguage.length).toBe(4);
    expect(seed1.home.find((h) => h.model === m && h.language === "all")!.coef).toBeCloseTo(perLanguage.reduce((a, b) => a + b, 0) / 4, 12);
  });

  it("the same seed gives the same numbers; bad settings are refused with the value named", () => {
    const again = crossEffects(ws, { rounds: 100, replicates: 200, seed: 1 });
    expect(again.gaps).toEqual(seed1.gaps);
    expect(() => crossEffects(ws, { rounds: 2.5 })).toThrow(/rounds must be a non-negative integer, got 2.5/);
    expect(() => crossEffects(ws, { judgeErrorRate: 1 })).toThrow(/judgeErrorRate must be in \[0, 1\), got 1/);
  });
});
