/**
 * The ceiling of alignment: the expected Spearman ρ of a perfect model whose every
 * response is an interview of n_r real respondents of the country, over the pairs the
 * model's alignment uses. Exact cases, an enumeration of every binomial outcome, the
 * rank shortcut against correlation.ts, undefined cases, seeds, and the study's release.
 */
import { describe, expect, it } from "vitest";
import { runExperiment } from "../../../src/lib/analyses/experiment.js";
import { withBaselines } from "../../../src/lib/analyses/context.js";
import { spearman } from "../../../src/lib/correlation.js";
import { createRng } from "../../../src/lib/random.js";
import { interviewSize } from "../../../src/lib/interviews.js";
import { binomial, binomialCdf, ceilings, simulatedCeiling, type CeilingPair } from "../../../src/lib/robustness/ceiling.js";
import { isBaseline, scoredResponses, type GroundTruthRow, type ResponseRow, type Workspace } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

/** Every outcome of the pairs' binomials: the exact mean and variance of ρ over outcomes where it is defined. */
function enumerate(pairs: readonly CeilingPair[]): { mean: number; variance: number } {
  const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
  let weight = 0;
  let s1 = 0;
  let s2 = 0;
  const k = new Array<number>(pairs.length).fill(0);
  const visit = (i: number, prob: number) => {
    if (i === pairs.length) {
      const rho = spearman(
        k.map((kk, j) => kk / pairs[j]!.n),
        pairs.map((x) => x.p),
      );
      if (!Number.isNaN(rho)) {
        weight += prob;
        s1 += prob * rho;
        s2 += prob * rho * rho;
      }
      return;
    }
    const { n, p } = pairs[i]!;
    for (k[i] = 0; k[i]! <= n; k[i]!++) visit(i + 1, prob * choose(n, k[i]!) * p ** k[i]! * (1 - p) ** (n - k[i]!));
  };
  visit(0, 1);
  const mean = s1 / weight;
  return { mean, variance: s2 / weight - mean * mean };
}

describe("the binomial sampler", () => {
  it("has the binomial CDF, without underflow for large n and p near 1", () => {
    const cdf = binomialCdf(3, 0.25);
    expect(Array.from(cdf)).toEqual([27 / 64, 54 / 64, 63 / 64, 1].map((x, i) => (i === 3 ? 1 : expect.closeTo(x, 14))));
    const mirrored = binomialCdf(3, 0.75);
    expect(mirrored[0]).toBeCloseTo(1 / 64, 14);
    expect(mirrored[2]).toBeCloseTo(37 / 64, 14);
    const big = binomialCdf(500, 0.999);
    expect(big[499]).toBeCloseTo(1 - 0.999 ** 500, 10);
    expect(Array.from(binomialCdf(4, 0))).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(binomialCdf(4, 1))).toEqual([0, 0, 0, 0, 1]);
  });

  it("draws with the binomial's mean and variance, by table and by Bernoulli sums", () => {
    const rng = createRng(1, "binomial");
    for (const [n, p] of [
      [10, 0.3],
      [2000, 0.7],
    ] as const) {
      const xs = Array.from({ length: 20000 }, () => binomial(n, p, rng));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
      expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / xs.length));
      expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.95);
      expect(variance / (n * p * (1 - p))).toBeLessThan(1.05);
    }
    expect(binomial(10, 0, rng)).toBe(0);
    expect(binomial(10, 1, rng)).toBe(10);
  });
});

describe("the simulated ceiling of given pairs", () => {
  it("is exactly 1 when every interview is so large that the VPS keeps the order of distinct pᵢ", () => {
    const pairs = [0, 0.2, 0.4, 0.6, 0.8, 1].map((p) => ({ n: 2000, p }));
    expect(simulatedCeiling(pairs, createRng(1), 50)).toEqual({ mean: 1, se: 0, draws: 50 });
  });

  it("is exactly 1 with one-person interviews on two items with p = 0 and p = 1", () => {
    const pairs = [
      { n: 1, p: 0 },
      { n: 1, p: 1 },
    ];
    expect(simulatedCeiling(pairs, createRng(1), 100)).toEqual({ mean: 1, se: 0, draws: 100 });
  });

  it("matches the exact expectation over every binomial outcome, ties in pᵢ and in the VPS included", () => {
    // Two responses to one item (p = 0.5) tie in the truth; small interviews tie in the VPS.
    const pairs = [
      { n: 2, p: 0.2 },
      { n: 2, p: 0.5 },
      { n: 3, p: 0.5 },
      { n: 1, p: 0.8 },
      { n: 4, p: 0.9 },
    ];
    const exact = enumerate(pairs);
    const draws = 20000;
    const sim = simulatedCeiling(pairs, createRng(7, "enumeration"), draws);
    expect(exact.mean).toBeGreaterThan(0.3);
    expect(exact.mean).toBeLessThan(0.9);
    expect(Math.abs(sim.mean - exact.mean)).toBeLessThan(4 * sim.se);
    // Its Monte Carlo error is that of the mean of `draws` independent ρ (constant draws left out).
    expect(sim.se / Math.sqrt(exact.variance / sim.draws)).toBeGreaterThan(0.95);
    expect(sim.se / Math.sqrt(exact.variance / sim.draws)).toBeLessThan(1.05);
  });

  it("each draw's ρ is Spearman's ρ with average ties (correlation.ts) of the drawn VPS", () => {
    const pairs = [3, 7, 10, 10, 10, 5, 1].map((n, i) => ({ n, p: [0.1, 0.5, 0.5, 0.3, 0.9, 0.5, 0.6][i]! }));
    const a = createRng(3, "by ranks");
    const b = createRng(3, "by ranks");
    for (let d = 0; d < 50; d++) {
      const rho = simulatedCeiling(pairs, a, 1).mean;
      const vps = pairs.map((x) => binomial(x.n, x.p, b) / x.n);
      const expected = spearman(
        vps,
        pairs.map((x) => x.p),
      );
      if (Number.isNaN(expected)) expect(rho).toBeNaN();
      else expect(rho).toBeCloseTo(expected, 12);
    }
  });

  it("leaves out pairs whose ground truth is NaN or whose interview has no pro or con label", () => {
    const pairs = [
      { n: 10, p: 0.2 },
      { n: 10, p: 0.6 },
      { n: 4, p: 0.7 },
    ];
    const withGaps = [...pairs.slice(0, 2), { n: 10, p: NaN }, { n: 0, p: 0.4 }, pairs[2]!];
    expect(simulatedCeiling(withGaps, createRng(5), 100)).toEqual(simulatedCeiling(pairs, createRng(5), 100));
  });

  it("is NaN, not an error, without two pairs or without variation in the truth", () => {
    expect(simulatedCeiling([], createRng(1), 10)).toEqual({ mean: NaN, se: NaN, draws: 0 });
    expect(simulatedCeiling([{ n: 10, p: 0.4 }], createRng(1), 10).mean).toBeNaN();
    expect(
      simulatedCeiling(
        [
          { n: 10, p: 0.4 },
          { n: 10, p: 0.4 },
        ],
        createRng(1),
        10,
      ).mean,
    ).toBeNaN();
  });
});

describe("interview sizes", () => {
  it("count the pro and con labels, or without labels take the largest count up to 10 that the VPS fits", () => {
    expect(interviewSize({ labels: "pro;con;NULL;pro" })).toEqual({ n: 3, fromLabels: true });
    expect(interviewSize({ labels: "NULL;NULL" })).toEqual({ n: 0, fromLabels: true });
    expect(interviewSize({ labels: null })).toEqual({ n: 10, fromLabels: false });
    expect(interviewSize({})).toEqual({ n: 10, fromLabels: false });
    expect(interviewSize({ labels: null, vps: 6 / 7 })).toEqual({ n: 7, fromLabels: false });
    expect(interviewSize({ labels: null, vps: 0.5 })).toEqual({ n: 10, fromLabels: false });
    expect(interviewSize({ labels: null, vps: 2 / 9 })).toEqual({ n: 9, fromLabels: false });
    expect(interviewSize({ labels: null, vps: 1 / 3 })).toEqual({ n: 9, fromLabels: false });
    // A VPS no count up to 10 gives (an unlabelled baseline's uniform draw): the 10 interviews asked for.
    expect(interviewSize({ labels: null, vps: 0.123456 })).toEqual({ n: 10, fromLabels: false });
  });
});

/** A hand-built workspace: Denmark (da), the US and Britain (en). */
function tiny(
  responses: Array<Partial<ResponseRow> & Pick<ResponseRow, "model" | "language" | "item" | "vps">>,
  truth: Array<[string, string, number]>,
): Workspace {
  const rows: ResponseRow[] = responses.map((r) => ({ family: "f", template_id: null, topic_id: null, prompt: null, response_language: r.language, ...r }));
  const models = [...new Set(rows.map((r) => r.model))].map((model) => ({ model, display_name: model, family: "f" }));
  const ground_truth: GroundTruthRow[] = truth.map(([population, item, pro_score]) => ({ level: "country", population, item, pro_score }));
  const populations = [
    ["DK", "da"],
    ["US", "en"],
    ["GB", "en"],
  ].map(([population, language]) => ({ level: "country" as const, population: population!, language: language! }));
  return { responses: rows, ground_truth, benchmarks: [], models, items: [], populations, provenance: [] };
}

describe("ceilings of a workspace", () => {
  const truth: Array<[string, string, number]> = [
    ["DK", "a", 0],
    ["DK", "b", 1],
    ["US", "a", 0.4],
    ["US", "b", 0.6],
    ["GB", "a", 0.1],
    ["GB", "b", NaN],
  ];
  const ws = tiny(
    [
      { model: "m", language: "da", item: "a", vps: 0.1, labels: "con;NULL;pro;con" },
      { model: "m", language: "da", item: "b", vps: 1, labels: "pro" },
      { model: "m", language: "en", item: "a", vps: 0.3 },
      { model: "m", language: "en", item: "b", vps: 0.8 },
      { model: "m", language: "en", item: "c", vps: 0.5 },
      // Another language than prompted: not scored, as for alignment.
      { model: "m", language: "en", item: "a", vps: 0.9, response_language: "de" },
      // A model whose only responses are to an item without ground truth.
      { model: "n", language: "da", item: "c", vps: 0.5, labels: "pro;con" },
    ],
    truth,
  );
  const rows = ceilings(ws, { seed: 1, draws: 400 });
  const row = (model: string, language: string) => rows.find((r) => r.model === model && r.language === language)!;

  it("uses the same pairs as the alignment, with the countries of the prompt language", () => {
    const da = row("m", "da");
    // p = 0 and p = 1 give VPS 0 and 1 whatever the interview size: the ceiling is exactly 1.
    expect(da).toMatchObject({ alignment: 1, ceiling: 1, ceilingSe: 0, share: 1, interviewSize: "labels", items: 2 });
    expect(da.countries).toEqual([{ country: "DK", alignment: 1, ceiling: 1, ceilingSe: 0, responses: 2 }]);
    const en = row("m", "en");
    // Britain's item b has no ground truth: one pair there, so no ρ; the US alone has two.
    expect(en.countries.map((c) => [c.country, c.responses])).toEqual([
      ["US", 2],
      ["GB", 1],
    ]);
    expect(en.countries.find((c) => c.country === "GB")!.ceiling).toBeNaN();
    // Two pairs: ρ is ±1 (or undefined when the two VPS tie); the US ceiling is the mean over draws.
    expect(en).toMatchObject({ alignment: 1, interviewSize: "from VPS", items: 2 });
    expect(en.ceiling).toBe(en.countries.find((c) => c.country === "US")!.ceiling);
    expect(en.share).toBe(en.alignment / en.ceiling);
  });

  it("has the ceiling of two items exactly: P(VPS order right) − P(wrong), given no tie", () => {
    // US: n = 10 with p = 0.4 and 0.6. ρ = sign(VPS_b − VPS_a) when they differ.
    const pmf = (p: number) => {
      const cdf = binomialCdf(10, p);
      return Array.from(cdf, (c, k) => c - (k ? cdf[k - 1]! : 0));
    };
    const a = pmf(0.4);
    const b = pmf(0.6);
    let up = 0;
    let down = 0;
    for (let i = 0; i <= 10; i++)
      for (let j = 0; j <= 10; j++) {
        if (j > i) up += a[i]! * b[j]!;
        else if (j < i) down += a[i]! * b[j]!;
      }
    const us = row("m", "en").countries.find((c) => c.country === "US")!;
    expect(us.ceilingSe).toBeGreaterThan(0);
    expect(Math.abs(us.ceiling - (up - down) / (up + down))).toBeLessThan(4 * us.ceilingSe);
  });

  it("gives NaN rather than an error for a model without responses on items with ground truth", () => {
    expect(row("n", "da")).toMatchObject({ alignment: NaN, ceiling: NaN, ceilingSe: NaN, share: NaN, items: 0, countries: [] });
  });

  it("includes the baselines, whose responses have no labels", () => {
    expect(
      rows
        .filter((r) => isBaseline(r.model))
        .map((r) => [r.model, r.language, r.interviewSize])
        .sort(),
    ).toEqual([
      ["Baseline_fifty_percent", "da", "from VPS"],
      ["Baseline_fifty_percent", "en", "from VPS"],
      ["Baseline_uniform_random", "da", "from VPS"],
      ["Baseline_uniform_random", "en", "from VPS"],
    ]);
  });

  it("says when some responses had labels and others not", () => {
    const mixed = tiny(
      [
        { model: "m", language: "en", item: "a", vps: 0.3, labels: "pro;con;con" },
        { model: "m", language: "en", item: "b", vps: 0.8 },
      ],
      truth,
    );
    expect(ceilings(mixed).find((r) => r.model === "m")!.interviewSize).toBe("mixed");
  });
});

describe("ceilings on the study's release", () => {
  const ws = paperFixture();
  const rows = ceilings(ws, { seed: 1 });
  const models = rows.filter((r) => !isBaseline(r.model));

  it("has one row per model (baselines included) and prompt language, assuming ten respondents per interview", () => {
    // 9 models and the two baselines, in 4 languages.
    expect(rows).toHaveLength(44);
    expect(rows.every((r) => r.interviewSize === "from VPS")).toBe(true);
    for (const r of rows) {
      expect(r.share).toBe(r.alignment / r.ceiling);
      expect(r.ceiling).toBeCloseTo(r.countries.reduce((s, c) => s + c.ceiling, 0) / r.countries.length, 12);
      expect(r.ceilingSe).toBeGreaterThan(0);
      expect(r.ceilingSe).toBeLessThan(0.003);
    }
  });

  it("takes the alignment of each country from the study's computation", () => {
    const full = withBaselines(ws, 1).workspace;
    const exp = runExperiment(scoredResponses(full.responses), full.ground_truth, { level: "country", rounds: 0, rng: createRng(1) });
    const i = exp.alignmentGroups.findIndex((g) => g.model === "gpt-4o" && g.language === "da" && g.population === "DK");
    const da = rows.find((r) => r.model === "gpt-4o" && r.language === "da")!;
    expect(da.countries.map((c) => c.country)).toEqual(["DK"]);
    expect(da.alignment).toBe(exp.pointAlignment[i]);
    expect(da.countries[0]!.responses).toBe(exp.alignmentGroups[i]!.n);
    // English prompts average over every English-speaking country with ground truth.
    const en = rows.find((r) => r.model === "gpt-4o" && r.language === "en")!;
    const english = ws.populations.filter((p) => p.level === "country" && p.language === "en").map((p) => p.population);
    expect(en.countries.map((c) => c.country).sort()).toEqual(english.sort());
  });

  it("puts Denmark's ceiling for the Danish prompts near 0.92, above the survey's self-consistency", () => {
    const dk = ws.populations.find((p) => p.population === "DK")!.survey_consistency!;
    expect(dk).toBeCloseTo(0.76, 2);
    for (const r of models.filter((r) => r.language === "da")) {
      expect(r.ceiling).toBeGreaterThan(0.88);
      expect(r.ceiling).toBeLessThan(0.95);
      expect(r.ceiling).toBeGreaterThan(dk);
    }
  });

  it("no model exceeds its ceiling by more than the Monte Carlo error", () => {
    for (const r of rows) expect(r.alignment).toBeLessThan(r.ceiling + 4 * r.ceilingSe);
    expect(Math.max(...models.map((r) => r.share))).toBeLessThan(0.9);
  });

  it("is the same for the same seed and differs, within its error, for another", () => {
    const again = ceilings(ws, { seed: 1 });
    expect(again).toEqual(rows);
    const other = ceilings(ws, { seed: 2 });
    // The seed draws the baselines' responses too; the models' alignments do not depend on it.
    const real = (xs: typeof rows) => xs.filter((r) => !isBaseline(r.model)).map((r) => r.alignment);
    expect(real(other)).toEqual(real(rows));
    expect(other.map((r) => r.ceiling)).not.toEqual(rows.map((r) => r.ceiling));
    other.forEach((r, i) => {
      expect(Math.abs(r.ceiling - rows[i]!.ceiling)).toBeLessThan(5 * Math.hypot(r.ceilingSe, rows[i]!.ceilingSe));
    });
  });
});
