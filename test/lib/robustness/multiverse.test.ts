/**
 * The multiverse: specifications, the shortcuts it takes (shared experiments, the
 * judge-error correction applied afterwards, β_BiasUS from cell means), and how claims
 * are evaluated and summarised, on hand-built outcomes and on the study's release.
 */
import { describe, expect, it } from "vitest";
import { runExperiment } from "../../../src/lib/analyses/experiment.js";
import { excluding, withBaselines } from "../../../src/lib/analyses/reproduce.js";
import { familySlopes, fitRq1, rq1Rows } from "../../../src/lib/analyses/rq1.js";
import { fitUsBias, usBiasFast, usBiasRows, type UsBiasRow } from "../../../src/lib/analyses/usbias.js";
import { createRng } from "../../../src/lib/random.js";
import { claimsFor, evaluate, newCache, runSpec, summarizeClaims, type Claim, type SpecOutcome } from "../../../src/lib/robustness/multiverse.js";
import { describeSpec, REFERENCE, specifications, specQuery, type Specification } from "../../../src/lib/robustness/specs.js";
import { FIFTY_BASELINE, scoredResponses, UNIFORM_BASELINE } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

const ws = paperFixture();

describe("specifications", () => {
  const specs = specifications(ws);

  it("hold the study's analysis first, then at least 200 distinct alternatives", () => {
    expect(specs.length).toBeGreaterThanOrEqual(200);
    expect(specs[0]!.group).toBe("reference");
    expect(specs[0]!.rounds).toBe(100);
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    const keys = specs.map(({ id: _id, group: _group, rounds: _rounds, ...choices }) => JSON.stringify(choices));
    expect(new Set(keys).size).toBe(specs.length);
  });

  it("cover every choice the issue lists", () => {
    const groups = new Set(specs.map((s) => s.group));
    for (const g of ["grid", "leave-model-out", "leave-language-out", "leave-item-out", "seed"]) expect(groups).toContain(g);
    expect(new Set(specs.map((s) => s.metric))).toEqual(new Set(["spearman", "pearson", "mean_alignment"]));
    expect(new Set(specs.map((s) => s.level))).toEqual(new Set(["language", "country", "global"]));
    expect(new Set(specs.map((s) => s.procedure))).toEqual(new Set(["study", "responses", "items"]));
    expect(new Set(specs.map((s) => s.correction))).toEqual(new Set([0.045, 0]));
    expect(new Set(specs.map((s) => s.variant))).toEqual(new Set(["interaction", "normal", "no_consistency"]));
    // One leave-out per model (9), language (4) and asked item with survey ground truth (32 of the 37).
    const truth = new Set(ws.ground_truth.map((g) => g.item));
    const asked = new Set(ws.responses.map((r) => r.item).filter((i) => truth.has(i)));
    expect(asked.size).toBe(32);
    expect(specs.filter((s) => s.group === "leave-model-out")).toHaveLength(9);
    expect(specs.filter((s) => s.group === "leave-language-out")).toHaveLength(4);
    expect(new Set(specs.filter((s) => s.group === "leave-item-out").map((s) => s.exclude.items![0]))).toEqual(asked);
  });

  it("describe themselves and link to the pages with their choices", () => {
    expect(describeSpec({ ...REFERENCE, id: "r", group: "reference", rounds: 100 })).toBe("the study's analysis");
    const spec: Specification = { ...REFERENCE, id: "x", group: "grid", rounds: 30, metric: "pearson", procedure: "items", correction: 0, exclude: { models: ["gpt-4o"] }, seed: 7 };
    expect(describeSpec(spec)).toBe("metric: pearson; bootstrap: resample items as clusters; no judge-error correction; without model gpt-4o; seed 7");
    const q = new URLSearchParams(specQuery(spec));
    expect(Object.fromEntries(q)).toEqual({ rounds: "30", seed: "7", metric: "pearson", procedure: "items", correction: "0", without_models: "gpt-4o" });
  });
});

describe("the multiverse's shortcuts give the same numbers as the full analysis", () => {
  it("β_BiasUS from cell means equals the OLS fit (1e-10)", () => {
    const base = withBaselines(ws, 1).workspace;
    const exp = runExperiment(scoredResponses(base.responses), base.ground_truth, { level: "country", rounds: 12, rng: createRng("3") });
    const rows = usBiasRows(exp, base.populations);
    const slow = fitUsBias(rows).coefficients;
    const fast = usBiasFast(rows);
    expect(fast).toHaveLength(slow.length);
    expect(fast.length).toBeGreaterThan(30);
    const byTerm = new Map(fast.map((c) => [c.term, c]));
    for (const s of slow) {
      const f = byTerm.get(s.term)!;
      expect(f, s.term).toBeDefined();
      for (const k of ["coef", "se", "t", "p", "ci_low", "ci_high"] as const) expect(Math.abs(f[k] - s[k]), `${s.term} ${k}`).toBeLessThan(1e-10);
    }
  });

  it("β_BiasUS ignores NaN alignments and skips cells without data", () => {
    const rows: UsBiasRow[] = [];
    const add = (model: string, us: boolean, ...values: number[]) => values.forEach((alignment, round) => rows.push({ round, model, language: "da", country: us ? "US" : "DK", us, alignment }));
    add(UNIFORM_BASELINE, true, 0.1, 0.2, NaN);
    add(UNIFORM_BASELINE, false, 0.3, 0.5);
    add("m", true, 0.6, 0.8);
    add("m", false, 0.2, 0.2, NaN);
    add("lonely", true, 0.5);
    const [c, ...rest] = usBiasFast(rows);
    expect(rest).toHaveLength(0); // "lonely" has no native-country cell
    // Hand-worked: (0.7 − 0.2) − (0.15 − 0.4) = 0.75; pooled SSE = 0.005 + 0.02 + 0.02 + 0 = 0.045 on 8 − 4 = 4 df.
    expect(c!.coef).toBeCloseTo(0.75, 12);
    expect(c!.se).toBeCloseTo(Math.sqrt((0.045 / 4) * 2), 12);
    expect(c!.ci_low).toBeCloseTo(0.75 - 2.7764451051977987 * c!.se, 10);
  });

  it("the judge-error correction applied afterwards equals the experiment run with it", () => {
    const spec: Specification = { ...REFERENCE, id: "t", group: "grid", rounds: 8, seed: 5, exclude: { items: ["Q1"] } };
    const outcome = runSpec(ws, spec);
    const base = withBaselines(excluding(ws, spec.exclude), spec.seed).workspace;
    const exp = runExperiment(scoredResponses(base.responses), base.ground_truth, {
      level: "language",
      rounds: 8,
      rng: createRng("5", "experiment/language/study"),
      judgeErrorRate: 0.045,
    });
    const languages = [...new Set(scoredResponses(base.responses).map((r) => r.language))].sort();
    const direct = familySlopes(fitRq1(rq1Rows(exp, base.benchmarks, base.populations), "interaction"), languages);
    expect(outcome.error).toBeUndefined();
    expect(outcome.slopes).toHaveLength(direct.length);
    outcome.slopes.forEach((s, i) => {
      expect(s.term).toBe(direct[i]!.term);
      expect(s.slope).toBeCloseTo(direct[i]!.slope, 9);
      expect(s.se).toBeCloseTo(direct[i]!.se, 9);
    });
  });

  it("shares experiments between specifications without changing their results", () => {
    const a: Specification = { ...REFERENCE, id: "a", group: "grid", rounds: 6, correction: 0 };
    const b: Specification = { ...REFERENCE, id: "b", group: "grid", rounds: 6, variant: "normal" };
    const cache = newCache();
    const shared = [runSpec(ws, a, cache), runSpec(ws, b, cache)];
    expect(cache.experiments.size).toBe(2); // one language-level and one country-level experiment
    const alone = [runSpec(ws, a), runSpec(ws, b)];
    expect(shared.map((o) => o.slopes)).toEqual(alone.map((o) => o.slopes));
    expect(shared.map((o) => o.usBias)).toEqual(alone.map((o) => o.usBias));
  });

  it("reports a failing specification as an error instead of throwing", () => {
    const outcome = runSpec(ws, { ...REFERENCE, id: "e", group: "grid", rounds: 4, exclude: { languages: ["da", "en", "nl", "pt"] } });
    expect(outcome.error).toBeTruthy();
  });
});

describe("claims", () => {
  const spec = (id: string): Specification => ({ ...REFERENCE, id, group: "grid", rounds: 1 });
  const slope = (family: string, language: string, value: number, p: number) => ({
    family,
    language,
    term: `multilingual:family[${family}]:language[${language}]`,
    slope: value,
    se: 0.1,
    p,
    ci_low: value - 0.2,
    ci_high: value + 0.2,
    starred: p < 0.05 && value > 0,
  });
  const coef = (term: string, value: number, p: number) => ({ term, coef: value, se: 0.1, stat: value / 0.1, p, ci_low: value - 0.2, ci_high: value + 0.2 });
  const bias = (model: string, language: string, value: number) => ({ model, language, term: `us:${model}:${language}`, coef: value, se: 0.1, t: 0, p: 0.5, ci_low: value - 0.1, ci_high: value + 0.1 });
  const outcome = (id: string, parts: Partial<SpecOutcome>): SpecOutcome => ({ spec: spec(id), slopes: [], consistency: [], usBias: [], ms: 0, ...parts });

  const all: Claim = { id: "slope-all:g", kind: "slope-all", family: "g", text: "" };
  const none: Claim = { id: "slope-none:o", kind: "slope-none", family: "o", text: "" };
  const cons: Claim = { id: "consistency", kind: "consistency", text: "" };
  const us: Claim = { id: "usbias:en", kind: "usbias", language: "en", direction: 1, text: "" };

  it("'every language' holds only when each slope is positive and significant, and plots the weakest", () => {
    const yes = outcome("1", { slopes: [slope("g", "da", 0.5, 0.001), slope("g", "en", 0.3, 0.01)] });
    const no = outcome("2", { slopes: [slope("g", "da", 0.5, 0.001), slope("g", "en", 0.3, 0.2)] });
    expect(evaluate(all, yes)).toMatchObject({ holds: true, estimate: 0.3 });
    expect(evaluate(all, yes).low).toBeCloseTo(0.1, 12);
    expect(evaluate(all, no)).toMatchObject({ holds: false, estimate: 0.3 });
  });

  it("'no language' fails as soon as one slope is positive and significant; a negative significant slope does not count", () => {
    const yes = outcome("1", { slopes: [slope("o", "da", -0.5, 0.001), slope("o", "en", 0.1, 0.3)] });
    const no = outcome("2", { slopes: [slope("o", "da", 0.05, 0.3), slope("o", "en", 0.4, 0.01)] });
    expect(evaluate(none, yes)).toMatchObject({ holds: true, estimate: 0.1 });
    expect(evaluate(none, no)).toMatchObject({ holds: false, estimate: 0.4 });
  });

  it("does not apply (null) when the claim's terms are missing, NaN, or the specification failed", () => {
    expect(evaluate(all, outcome("1", { slopes: [slope("other", "da", 1, 0)] })).holds).toBeNull();
    expect(evaluate(all, outcome("2", { slopes: [slope("g", "da", NaN, NaN)] })).holds).toBeNull();
    expect(evaluate(cons, outcome("3", {})).holds).toBeNull(); // a regression without self-consistency
    expect(evaluate(us, outcome("4", { error: "boom", usBias: [bias("m", "en", 1)] })).holds).toBeNull();
  });

  it("self-consistency must be positive and significant in every language", () => {
    const yes = outcome("1", { consistency: [coef("consistency:language[Danish]", 0.4, 0.001), coef("consistency:language[English]", 0.2, 0.01)] });
    const no = outcome("2", { consistency: [coef("consistency:language[Danish]", 0.4, 0.001), coef("consistency:language[English]", -0.2, 0.01)] });
    expect(evaluate(cons, yes)).toMatchObject({ holds: true, estimate: 0.2 });
    expect(evaluate(cons, no)).toMatchObject({ holds: false, estimate: -0.2 });
  });

  it("US bias: the sign of the median model's coefficient, baselines left out, even counts averaged", () => {
    const pos = outcome("1", { usBias: [bias("a", "en", -0.1), bias("b", "en", 0.3), bias("c", "en", 0.2), bias(FIFTY_BASELINE, "en", -5), bias(UNIFORM_BASELINE, "en", -5)] });
    expect(evaluate(us, pos)).toMatchObject({ holds: true, estimate: 0.2 });
    const tie = outcome("2", { usBias: [bias("a", "en", -0.3), bias("b", "en", 0.1)] });
    expect(evaluate(us, tie).estimate).toBeCloseTo(-0.1, 12);
    expect(evaluate(us, tie).holds).toBe(false);
  });

  it("summaries count only the specifications where a claim applies", () => {
    const results = [
      { claim: "c", spec: "1", holds: true, estimate: 1, low: 0, high: 2 },
      { claim: "c", spec: "2", holds: false, estimate: 1, low: 0, high: 2 },
      { claim: "c", spec: "3", holds: null, estimate: NaN, low: NaN, high: NaN },
      { claim: "c", spec: "4", holds: true, estimate: 1, low: 0, high: 2 },
    ];
    const [s, empty] = summarizeClaims([{ id: "c", kind: "consistency", text: "" }, { id: "d", kind: "consistency", text: "" }], results);
    expect(s).toMatchObject({ applicable: 3, holds: 2 });
    expect(s!.share).toBeCloseTo(2 / 3, 12);
    expect(empty).toMatchObject({ applicable: 0, holds: 0 });
    expect(empty!.share).toBeNaN();
  });

  it("on the study's release, state the study's findings and hold under the study's own analysis", () => {
    const reference = runSpec(ws, { ...REFERENCE, id: "reference-1", group: "reference", rounds: 100 });
    const claims = claimsFor(ws, reference);
    const ids = claims.map((c) => c.id);
    expect(ids).toContain("slope-all:gemma");
    expect(ids).toContain("slope-none:openai");
    expect(ids).toContain("consistency");
    expect(ids.filter((id) => id.startsWith("usbias:"))).toEqual(["usbias:da", "usbias:en", "usbias:nl", "usbias:pt"]);
    // A claim stated from the reference outcome holds under it, unless the family's
    // languages are split (then both the "every" and the "no" claim are stated, and both fail).
    for (const c of claims) {
      const r = evaluate(c, reference);
      const split = ids.includes(`slope-all:${c.family}`) && ids.includes(`slope-none:${c.family}`);
      if (!split) expect(r.holds, c.id).toBe(true);
    }
  });
});
