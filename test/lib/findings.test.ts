/** The overview's findings: sentences built from the numbers, and whether the analyses agree, on hand-built inputs. */
import { describe, expect, it } from "vitest";
import type { FamilySlope } from "../../src/lib/analyses/rq1.js";
import { findings, listing, seedStability, type FindingsInput } from "../../src/lib/findings.js";
import type { RecommendedResult } from "../../src/lib/recommended/index.js";

const slope = (family: string, language: string, starred: boolean): FamilySlope => ({
  family,
  language,
  term: `multilingual:family[${family}]:language[${{ da: "Danish", en: "English" }[language]}]`,
  slope: starred ? 0.5 : 0.1,
  se: 0.1,
  p: starred ? 0.001 : 0.4,
  ci_low: 0,
  ci_high: 1,
  starred,
});
const est = (coef: number, lo: number, hi: number) => ({ coef, se: 0.1, ci_low: lo, ci_high: hi, p: 0.5 });
const term = (name: string, lo: number, hi: number) => ({ term: name, ...est((lo + hi) / 2, lo, hi) });

function input(over: Partial<FindingsInput> = {}, rec: Partial<RecommendedResult> = {}): FindingsInput {
  const recommended = {
    method: "",
    unit: "items",
    replicates: 100,
    rq1: {
      language_intercepts: {
        variant: "language_intercepts",
        formula: "",
        n: 4,
        replicates: 100,
        failed: 0,
        ambiguous: false,
        terms: [
          term("consistency:language[Danish]", 0.1, 0.9),
          term("consistency:language[English]", -0.1, 0.9),
          term("multilingual:family[g]:language[Danish]", -0.2, 0.4),
          term("multilingual:family[g]:language[English]", 0.05, 0.4),
        ],
      },
    },
    usBias: {
      median: [
        { model: "median model", language: "da", ...est(-0.05, -0.1, 0.02) },
        { model: "median model", language: "en", ...est(0.12, 0.03, 0.2) },
      ],
      medianByCountry: [
        { model: "median model", language: "en", country: "NG", ...est(0.37, 0.2, 0.6) },
        { model: "median model", language: "en", country: "GB", ...est(0.02, -0.07, 0.08) },
        { model: "median model", language: "en", country: "CA", ...est(-0.01, -0.08, 0.09) },
      ],
      gaps: [],
      byCountry: [],
      baselineGap: [],
      commonItems: [],
      baseline: "none",
      items: "common",
      replicates: 100,
    },
    ...rec,
  } as RecommendedResult;
  return {
    rounds: 100,
    seed: 1,
    slopes: [slope("g", "da", true), slope("g", "en", true)],
    consistency: [
      { term: "consistency:language[Danish]", coef: 0.5, se: 0.1, z: 5, p: 0.001, ci_low: 0.3, ci_high: 0.7 },
      { term: "consistency:language[English]", coef: 0.5, se: 0.1, z: 5, p: 0.001, ci_low: 0.3, ci_high: 0.7 },
    ],
    usBias: [
      { model: "a", language: "da", coef: -0.1 },
      { model: "b", language: "da", coef: 0.05 },
      { model: "c", language: "da", coef: -0.02 },
      { model: "a", language: "en", coef: 0.2 },
      { model: "b", language: "en", coef: 0.1 },
    ],
    recommended,
    multiverse: {
      specifications: 10,
      distinct: 8,
      rounds: 50,
      claims: [{ id: "slope-all:g", text: "g: capability predicts alignment in every language", holds: 2, total: 8 }],
    },
    seeds: [
      { seed: 1, slopes: [slope("g", "da", true), slope("g", "en", true)] },
      { seed: 2, slopes: [slope("g", "da", false), slope("g", "en", true)] },
    ],
    ...over,
  };
}

describe("findings", () => {
  const [capability, consistency, usBias] = findings(input());

  it("say what the published analysis finds, and how stable it is across seeds", () => {
    expect(capability!.published).toBe(
      "Capability predicts alignment (positive, p < 0.05) for g in every language (seed 1, 100 rounds). Across 2 seeds at the study's 100 rounds, 1 of 2 slopes keep their sign and significance in every seed.",
    );
    expect(consistency!.published).toBe("Self-consistency predicts alignment (positive, p < 0.05) in 2 of 2 languages.");
  });

  it("say what the recommended analysis finds, and where the two disagree", () => {
    expect(capability!.recommended).toContain("1 of 2 family × language slopes have a 95% interval above zero (g English)");
    expect(capability!.headline).toBe("Only in 1 of 2 family × language pairs does speaking a language better go with holding its speakers' values.");
    // Published: g in every language; recommended: in one of two. Not the same conclusion.
    expect(capability!.agree).toBe(false);
    expect(consistency!.recommended).toBe("Its 95% interval lies above zero in 1 of 2 languages (Danish).");
    expect(consistency!.headline).toBe("In Danish only: there, models that agree with themselves align better.");
    expect(consistency!.agree).toBe(false);
  });

  it("name the countries behind English US bias, and the rest's range", () => {
    expect(usBias!.published).toBe(
      "The median model is closer to the US than the random baseline is in English, and closer to the language's own countries in Danish.",
    );
    expect(usBias!.recommended).toContain("Danish -0.05 [-0.10, 0.02]; English 0.12 [0.03, 0.20]: clearly closer to the US in English.");
    expect(usBias!.recommended).toContain(
      "In English, the gap comes from Nigeria (0.37); against United Kingdom and Canada it is -0.01 to 0.02, intervals covering zero.",
    );
    expect(usBias!.headline).toBe("Closer to the US in English only, and in English because of Nigeria.");
    expect(usBias!.agree).toBe(true);
  });

  it("carry the multiverse's shares with its distinct count, or say it is missing", () => {
    expect(capability!.robustness).toBe("“g: capability predicts alignment in every language” holds in 2 of 8 distinct results.");
    expect(findings(input({ multiverse: null }))[0]!.robustness).toBe("The multiverse was not computed for this build.");
  });

  it("agree when every family's slopes fall the same way (every, some or no language) in both", () => {
    const both = input();
    both.recommended.rq1!.language_intercepts!.terms = both.recommended.rq1!.language_intercepts!.terms.map((t) => ({ ...t, ci_low: 0.01 }));
    expect(findings(both)[0]!.agree).toBe(true);
  });

  it("disagree when no recommended slope is clearly positive but the published ones are", () => {
    const none = input({}, {});
    none.recommended.rq1!.language_intercepts!.terms = none.recommended.rq1!.language_intercepts!.terms.map((t) => ({ ...t, ci_low: -1 }));
    const [c] = findings(none);
    expect(c!.agree).toBe(false);
    expect(c!.headline).toMatch(/^No clear link/);
  });

  it("leave out RQ1 without benchmark scores", () => {
    expect(findings(input({ slopes: [] })).map((f) => f.id)).toEqual(["us-bias"]);
  });
});

describe("helpers", () => {
  it("list words in plain English", () => {
    expect(listing([])).toBe("none");
    expect(listing(["a"])).toBe("a");
    expect(listing(["a", "b"])).toBe("a and b");
    expect(listing(["a", "b", "c"])).toBe("a, b and c");
  });

  it("count the slopes whose verdict no seed changes", () => {
    expect(seedStability(input().seeds!)).toEqual({ stable: 1, total: 2, changing: ["multilingual:family[g]:language[Danish]"] });
  });
});
