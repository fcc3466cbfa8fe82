/**
 * Agreement statistics against hand-worked and published examples, and against the
 * reference values of test/reference/agreement/ (statsmodels, and an independent R
 * implementation of Krippendorff's α), with ties, missing ratings and undefined cases.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  categoriesOf,
  cohenKappa,
  fleissKappa,
  krippendorffAlpha,
  pairwiseKappas,
  theoreticalAgreement,
  theoreticalFleiss,
  type Ratings,
} from "../../src/lib/agreement.js";
import { REPO_ROOT } from "../../loaders/paths.js";

describe("Cohen's κ", () => {
  it("matches a hand-worked 2 × 2 table", () => {
    // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
    const a = [...Array(25).fill("yes"), ...Array(25).fill("no")];
    const b = [...Array(20).fill("yes"), ...Array(5).fill("no"), ...Array(10).fill("yes"), ...Array(15).fill("no")];
    const r = cohenKappa(a, b);
    expect(r.categories).toEqual(["no", "yes"]);
    expect(r.table).toEqual([
      [15, 10],
      [5, 20],
    ]);
    expect(r.po).toBeCloseTo(0.7, 15);
    expect(r.pe).toBeCloseTo(0.5, 15);
    expect(r.kappa).toBeCloseTo(0.4, 15);
  });

  it("is 1 for perfect agreement, −1 for systematic disagreement on balanced labels, NaN when everything is one category", () => {
    expect(cohenKappa(["a", "b", "c"], ["a", "b", "c"]).kappa).toBe(1);
    expect(cohenKappa(["a", "b", "a", "b"], ["b", "a", "b", "a"]).kappa).toBeCloseTo(-1, 15);
    const flat = cohenKappa(["pro", "pro"], ["pro", "pro"]);
    expect(flat.po).toBe(1);
    expect(flat.kappa).toBeNaN();
  });

  it("uses only the units both raters rated, and nothing at all is NaN", () => {
    const r = cohenKappa(["a", null, "b", "a"], ["a", "b", null, "b"]);
    expect(r.n).toBe(2);
    expect(r.po).toBe(0.5);
    expect(cohenKappa([null], ["a"]).kappa).toBeNaN();
    expect(cohenKappa([], []).n).toBe(0);
  });

  it("names a shape mismatch and an unknown category", () => {
    expect(() => cohenKappa(["a"], ["a", "b"])).toThrow(/Rater 2 has 2 ratings, rater 1 has 1/);
    expect(() => cohenKappa(["a"], ["z"], ["a", "b"])).toThrow(/Category "z" is not among a, b/);
  });
});

describe("Fleiss' κ", () => {
  it("reproduces Fleiss' (1971) worked example: 10 subjects, 14 raters, κ = 0.210", () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    // Any assignment of the counts to raters gives the same κ.
    const raters: string[][] = Array.from({ length: 14 }, () => []);
    for (const row of counts) {
      const labels = row.flatMap((n, c) => Array<string>(n).fill(`c${c + 1}`));
      labels.forEach((l, r) => {
        raters[r]!.push(l);
      });
    }
    const r = fleissKappa(raters)!;
    expect(r.units).toBe(10);
    // P̄ = 0.37802, P̄e = 0.21345: κ = 0.20993.
    expect(r.kappa).toBeCloseTo(0.20993, 5);
  });

  it("uses the units every rater rated; fewer than two raters or no complete unit is null", () => {
    expect(fleissKappa([["a", "b"]])).toBeNull();
    expect(
      fleissKappa([
        ["a", null],
        [null, "b"],
      ]),
    ).toBeNull();
    expect(
      fleissKappa([
        ["a", "b", null],
        ["a", "b", "a"],
      ])!.units,
    ).toBe(2);
    expect(
      fleissKappa([
        ["x", "x"],
        ["x", "x"],
      ])!.kappa,
    ).toBeNaN();
  });
});

describe("Krippendorff's α (nominal)", () => {
  it("reproduces Krippendorff's (2011) example with missing ratings: α = 0.743", () => {
    const k2011 = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
      [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ].map((r) => r.map((v) => (v === null ? null : String(v))));
    const r = krippendorffAlpha(k2011);
    // Unit 12 has one rating and is not pairable: 40 pairable values.
    expect(r.pairable).toBe(40);
    expect(r.alpha).toBeCloseTo(0.743, 3);
  });

  it("is 1 for perfect agreement, NaN without pairable values or variation", () => {
    expect(
      krippendorffAlpha([
        ["a", "b"],
        ["a", "b"],
      ]).alpha,
    ).toBe(1);
    expect(
      krippendorffAlpha([
        ["a", null],
        [null, "b"],
      ]).alpha,
    ).toBeNaN();
    expect(
      krippendorffAlpha([
        ["a", "a"],
        ["a", "a"],
      ]).alpha,
    ).toBeNaN();
  });
});

describe("weights: a column counted as that many identical units", () => {
  // Three raters, units with missing ratings; the weighted matrix is the expanded one merged.
  const merged = [
    ["pro", "con", "pro", null, "NULL"],
    ["pro", "pro", "con", "con", "NULL"],
    ["con", "con", "pro", "con", null],
  ];
  const weights = [3, 1, 4, 2, 5];
  const expanded = merged.map((rater) => rater.flatMap((v, u) => Array<string | null>(weights[u]!).fill(v)));

  it("gives exactly the numbers of the units one by one", () => {
    expect(cohenKappa(merged[0]!, merged[1]!, undefined, weights)).toEqual(cohenKappa(expanded[0]!, expanded[1]!));
    expect(fleissKappa(merged, undefined, weights)).toEqual(fleissKappa(expanded));
    expect(krippendorffAlpha(merged, weights)).toEqual(krippendorffAlpha(expanded));
    expect(krippendorffAlpha(merged, weights).pairable).toBe(3 * 3 + 1 * 3 + 4 * 3 + 2 * 2 + 5 * 2);
  });

  it("names weights that do not fit the units or are not whole numbers", () => {
    expect(() => fleissKappa(merged, undefined, [1, 2])).toThrow(/2 weights for 5 units/);
    expect(() => krippendorffAlpha(merged, [1, 1, 0.5, 1, 1])).toThrow(/Weight 0.5 of unit 3 is not a whole number/);
  });
});

describe("theory for judges with known error rates", () => {
  const prevalence = { pro: 0.5, con: 0.3, NULL: 0.2 };

  it("error-free judges agree perfectly; judges who answer at random agree only by chance", () => {
    expect(theoreticalAgreement(prevalence, 0, 0)).toMatchObject({ po: 1, kappa: 1 });
    // With three categories, e = 2/3 makes every label equally likely whatever the truth.
    const random = theoreticalAgreement(prevalence, 2 / 3, 0.1);
    expect(random.kappa).toBeCloseTo(0, 12);
  });

  it("agreement is (1 − e₁)(1 − e₂) + e₁e₂/2 whatever the prevalence, and the table sums to 1", () => {
    const t = theoreticalAgreement(prevalence, 0.1, 0.3);
    expect(t.po).toBeCloseTo(0.9 * 0.7 + (0.1 * 0.3) / 2, 12);
    expect(t.table.flat().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(theoreticalFleiss(prevalence, [0.1, 0.1])).toBeCloseTo(theoreticalAgreement(prevalence, 0.1, 0.1).alpha, 12);
  });

  it("large simulated samples approach the theory", () => {
    // A deterministic generator: 30,000 units, truth by prevalence, judges flipping at 0.1 and 0.3.
    let s = 12345;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const cats = ["pro", "con", "NULL"];
    const draw = (truth: string, e: number) => (next() < e ? cats.filter((c) => c !== truth)[next() < 0.5 ? 0 : 1]! : truth);
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 30000; i++) {
      const u = next();
      const truth = u < 0.5 ? "pro" : u < 0.8 ? "con" : "NULL";
      a.push(draw(truth, 0.1));
      b.push(draw(truth, 0.3));
    }
    const measured = cohenKappa(a, b);
    const theory = theoreticalAgreement(prevalence, 0.1, 0.3);
    expect(Math.abs(measured.kappa - theory.kappa)).toBeLessThan(0.02);
    expect(Math.abs(krippendorffAlpha([a, b]).alpha - theory.alpha)).toBeLessThan(0.02);
  });
});

const REFERENCE = join(REPO_ROOT, "test", "reference", "agreement");

describe("against statsmodels and R (test/reference/agreement)", () => {
  const datasets = JSON.parse(readFileSync(join(REFERENCE, "datasets.json"), "utf8")).datasets as Record<string, Ratings>;
  const expected = JSON.parse(readFileSync(join(REFERENCE, "expected.json"), "utf8")).datasets as Record<
    string,
    {
      categories: string[];
      pairs: Array<{ raters: [number, number]; n: number; po: number | null; pe: number | null; kappa: number | null; table: number[][] }>;
      fleiss: { kappa: number | null; units: number } | null;
      alpha: number | null;
    }
  >;
  const close = (actual: number, want: number | null, what: string) => {
    if (want === null) expect(actual, what).toBeNaN();
    else expect(Math.abs(actual - want), `${what}: ${actual} vs ${want}`).toBeLessThan(1e-10);
  };

  it("covers every dataset", () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(datasets).sort());
  });

  for (const name of Object.keys(datasets)) {
    it(`${name}: pairwise κ, Fleiss' κ and α within 1e-10`, () => {
      const ratings = datasets[name]!;
      const want = expected[name]!;
      expect(categoriesOf(ratings)).toEqual(want.categories);
      const pairs = pairwiseKappas(ratings, want.categories);
      expect(pairs).toHaveLength(want.pairs.length);
      pairs.forEach((p, i) => {
        const w = want.pairs[i]!;
        expect(p.raters).toEqual(w.raters);
        expect(p.n).toBe(w.n);
        expect(p.table).toEqual(w.table);
        close(p.po, w.po, `${name} ${p.raters} po`);
        close(p.pe, w.pe, `${name} ${p.raters} pe`);
        close(p.kappa, w.kappa, `${name} ${p.raters} κ`);
      });
      const fleiss = fleissKappa(ratings, want.categories);
      if (want.fleiss === null) expect(fleiss).toBeNull();
      else {
        expect(fleiss!.units).toBe(want.fleiss.units);
        close(fleiss!.kappa, want.fleiss.kappa, `${name} Fleiss`);
      }
      close(krippendorffAlpha(ratings).alpha, want.alpha, `${name} α`);
    });
  }
});
