/**
 * Residual diagnostics (src/lib/analyses/residuals.ts, src/lib/normality.ts) against
 * statsmodels and scipy: test/reference/residuals_reference.py → expected/residuals.json,
 * on fixtures at settings other than the defaults (US bias: 20 rounds, seed 7; RQ1: 20
 * rounds seed 2, interaction, and 50 rounds seed 1, normal).
 *
 * Tolerances (absolute unless said): US-bias OLS fitted values and residuals 1e-10 (a
 * saturated OLS: cell means), scale 1e-10 relative; RQ1 fitted values and residuals 1e-6
 * (statsmodels' tight fit and ours agree to ~3e-7 in the coefficients and 2e-6 relative in
 * the model variance, which moves the predicted intercepts), scale 1e-6 relative; shape
 * statistics 1e-8 relative (1e-5 for RQ1, which inherits the fit's tolerance); QQ normal
 * quantiles 1e-9 (scipy's ppf), QQ samples as the residuals they standardize.
 */
import { csvParse } from "d3-dsv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { reproduce } from "../../../src/lib/analyses/reproduce.js";
import { diagnose, rq1Residuals, thinResiduals, usBiasResiduals } from "../../../src/lib/analyses/residuals.js";
import { fitRq1, type Rq1Row, type Rq1Variant } from "../../../src/lib/analyses/rq1.js";
import { fitUsBias, type UsBiasRow } from "../../../src/lib/analyses/usbias.js";
import { languageCode } from "../../../src/lib/languages.js";
import { normality } from "../../../src/lib/normality.js";
import { paperFixture } from "../../helpers/paper.js";

const REF = join(REPO_ROOT, "test", "reference");
const expected = JSON.parse(readFileSync(join(REF, "expected", "residuals.json"), "utf8"));
const csv = (name: string) => csvParse(readFileSync(join(REF, "fixtures", name), "utf8"));
const num = (x: number | null) => (x === null ? NaN : x);

function near(a: number, b: number, tol: number, what: string) {
  if (Number.isNaN(b)) expect(a, what).toBeNaN();
  else expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

function usBiasFixture(): UsBiasRow[] {
  return csv(expected.usbias.fixture).map((r) => ({
    round: Number(r.round),
    model: r.model!,
    language: r.language!,
    country: r.country!,
    us: r.us === "True",
    alignment: Number(r.alignment),
  }));
}

function rq1Fixture(name: string): Rq1Row[] {
  return csv(name).map((r) => ({
    round: Number(r.round),
    model: r.model!,
    family: r.family!,
    language: languageCode(r.language!)!,
    alignment: Number(r.alignment),
    consistency: Number(r.consistency),
    capability: Number(r.multilingual),
  }));
}

type Shape = {
  n: number;
  skew: number | null;
  kurtosis: number | null;
  jarque_bera: number | null;
  jarque_bera_p: number | null;
  omnibus: number | null;
  omnibus_p: number | null;
};

function expectShape(got: ReturnType<typeof normality>, want: Shape, tol: number, what: string) {
  expect(got.n, what).toBe(want.n);
  near(got.skew, num(want.skew), tol, `${what} skew`);
  near(got.kurtosis, num(want.kurtosis), tol, `${what} kurtosis`);
  near(got.jarqueBera, num(want.jarque_bera), tol, `${what} JB`);
  near(got.omnibus, num(want.omnibus), tol, `${what} omnibus`);
  // p-values relative to themselves: they reach 1e-210 here.
  for (const [a, b] of [
    [got.jarqueBeraP, num(want.jarque_bera_p)],
    [got.omnibusP, num(want.omnibus_p)],
  ] as const) {
    if (Number.isNaN(b)) expect(a).toBeNaN();
    else expect(Math.abs(a - b), `${what} p: ${a} vs ${b}`).toBeLessThanOrEqual(Math.max(1e-300, 1e-5 * b + 1e-12));
  }
}

describe("US-bias OLS residuals against statsmodels (20 rounds, seed 7)", () => {
  const rows = usBiasFixture();
  const bias = fitUsBias(rows);
  const d = usBiasResiduals(rows, bias);
  const want = expected.usbias;

  it("has statsmodels' fitted values, residuals and scale, row by row", () => {
    expect(d.n).toBe(want.n);
    near(d.scale, want.scale, 1e-10, "scale");
    d.points.forEach((p, i) => {
      near(p.fitted, want.fitted[i], 1e-10, `fitted ${i}`);
      near(p.residual, want.resid[i], 1e-10, `resid ${i}`);
      expect([p.model, p.language]).toEqual([rows[i]!.model, rows[i]!.language]);
    });
  });

  it("has scipy's skewness, kurtosis, Jarque–Bera and omnibus K² (as statsmodels' summary prints them)", () => {
    expectShape(d.normality, want.shape, 1e-8, "us bias");
  });

  it("pairs the sorted standardized residuals with normal quantiles at Blom's positions", () => {
    expect(d.qq).toHaveLength(want.n);
    d.qq.forEach((q, i) => {
      near(q.theoretical, want.qq.theoretical[i], 1e-9, `theoretical ${i}`);
      near(q.sample, want.qq.sample[i], 1e-9, `sample ${i}`);
    });
  });

  it("summarizes each model's residuals over all its rows", () => {
    const base = d.byModel.find((m) => m.model === "Baseline_uniform_random")!;
    const mine = d.points.filter((p) => p.model === "Baseline_uniform_random").map((p) => p.residual);
    expect(base.n).toBe(mine.length);
    expect(base.min).toBe(Math.min(...mine));
    expect(base.max).toBe(Math.max(...mine));
    expect(base.q1).toBeLessThanOrEqual(base.median);
    expect(base.median).toBeLessThanOrEqual(base.q3);
  });

  it("drops a row whose alignment is NaN and keeps every other row's labels in place", () => {
    const holed = rows.map((r, i) => (i === 5 ? { ...r, alignment: NaN } : r));
    const h = usBiasResiduals(holed, fitUsBias(holed));
    expect(h.n).toBe(rows.length - 1);
    expect(h.points[5]).toMatchObject({ model: rows[6]!.model, language: rows[6]!.language });
    expect(h.points.every((p) => Number.isFinite(p.residual))).toBe(true);
  });
});

describe("RQ1 mixed-model residuals against statsmodels' tight REML fit", () => {
  for (const ref of expected.rq1 as Array<{
    fixture: string;
    variant: Rq1Variant;
    n: number;
    scale: number;
    fitted: number[];
    resid: number[];
    shape: Shape;
    qq: { theoretical: number[]; sample: number[] };
  }>) {
    it(`${ref.fixture}, ${ref.variant}: fitted = Xβ̂ + the model's BLUP, residuals, QQ and shape`, () => {
      const rows = rq1Fixture(ref.fixture);
      const d = rq1Residuals(rows, fitRq1(rows, ref.variant), ref.variant);
      expect(d.n).toBe(ref.n);
      near(d.scale, ref.scale, 1e-6, "scale");
      d.points.forEach((p, i) => {
        near(p.fitted, ref.fitted[i]!, 1e-6, `fitted ${i}`);
        near(p.residual, ref.resid[i]!, 1e-6, `resid ${i}`);
      });
      d.qq.forEach((q, i) => {
        near(q.theoretical, ref.qq.theoretical[i]!, 1e-9, `theoretical ${i}`);
        near(q.sample, ref.qq.sample[i]!, 1e-5, `sample ${i}`);
      });
      expectShape(d.normality, ref.shape, 1e-5, ref.fixture);
    });
  }
});

describe("normality against scipy", () => {
  for (const [name, c] of Object.entries(expected.normality as Record<string, Shape & { values: Array<number | null> }>)) {
    it(name, () => expectShape(normality(c.values.map(num)), c, 1e-9, name));
  }
});

describe("edge cases", () => {
  it("no rows: no points, no QQ pairs, NaN statistics", () => {
    const d = diagnose("usBias", "y ~ x", [], [], [], 1);
    expect([d.n, d.points, d.qq, d.byModel]).toEqual([0, [], [], []]);
    expect(d.normality.skew).toBeNaN();
    expect(d.normality.jarqueBera).toBeNaN();
  });

  it("thins the points to a seeded sample and the QQ pairs to evenly spaced ranks with both ends; the statistics stay whole", () => {
    const rows = usBiasFixture();
    const d = usBiasResiduals(rows, fitUsBias(rows));
    const t = thinResiduals(d, 500, 50);
    expect(t.points).toHaveLength(500);
    expect(t.qq).toHaveLength(50);
    expect(t.qq[0]).toEqual(d.qq[0]);
    expect(t.qq[49]).toEqual(d.qq[d.qq.length - 1]);
    expect(t.thinned).toEqual({ points: 500, qq: 50 });
    expect(new Set(t.points.map((p) => p.model)).size).toBe(new Set(d.points.map((p) => p.model)).size);
    expect([t.n, t.normality, t.byModel]).toEqual([d.n, d.normality, d.byModel]);
    expect(thinResiduals(d, 500, 50)).toEqual(t);
    expect(thinResiduals(d, 1e6, 1e6)).toBe(d);
    const rounded = thinResiduals(d, 500, 50, 5);
    expect(rounded.qq[0]!.sample).toBe(Number(d.qq[0]!.sample.toPrecision(5)));
    expect(rounded.points.map((p) => p.model)).toEqual(t.points.map((p) => p.model));
  });
});

describe("the residuals part of reproduce", () => {
  const ws = paperFixture();

  it("fits the US-bias residuals on the rows of the settings asked for (20 rounds, seed 7 = the fixture)", () => {
    const r = reproduce(ws, { rounds: 20, seed: 7, parts: ["usBias", "residuals"] });
    expect(r.residuals!.rq1).toBeUndefined();
    const d = r.residuals!.usBias!;
    expect(d.n).toBe(expected.usbias.n);
    d.points.forEach((p, i) => {
      near(p.residual, expected.usbias.resid[i], 1e-10, `resid ${i}`);
    });
  });

  it("follows the capability figure's variant, and alone gives both regressions", () => {
    const normal = reproduce(ws, { rounds: 10, seed: 3, parts: ["capabilityFigure", "residuals"], variant: "normal", adjustRounds: 2 });
    expect(normal.residuals!.rq1!.formula).toBe("alignment ~ 0 + consistency + multilingual:family:language");
    expect(normal.residuals!.usBias).toBeUndefined();
    const both = reproduce(ws, { rounds: 10, seed: 3, parts: ["residuals"] });
    expect(both.residuals!.rq1!.n).toBe(10 * 9 * 4);
    expect(both.residuals!.usBias!.n).toBe(10 * 160);
    expect(both.residuals!.plottingPosition).toMatch(/3\/8/);
  });
});
