/**
 * The plain-words comparison of the published and the recommended analysis, on
 * hand-built inputs: what differs for one estimate, and the sentences the Capability
 * and US-bias pages show.
 */
import { describe, expect, it } from "vitest";
import {
  baselineSentence,
  capabilitySummary,
  compared,
  countrySentence,
  fitWarnings,
  joinWords,
  leaveOneOutSentence,
  leftOutSentence,
  publishedDirection,
  slopePlaces,
  slopesFromTerms,
  usBiasSummary,
  verdict,
  type SlopeEstimate,
} from "../../src/components/analysisComparison.js";

const est = (coef: number, ci_low: number, ci_high: number) => ({ coef, ci_low, ci_high });
const LANGS = ["da", "en", "nl", "pt"];
/** One slope per family and language: `values[family][i]` for LANGS[i], each [coef, low, high]. */
function slopes(values: Record<string, Array<[number, number, number]>>): SlopeEstimate[] {
  return Object.entries(values).flatMap(([family, list]) => list.map(([c, l, h], i) => ({ family, language: LANGS[i]!, ...est(c, l, h) })));
}
const sig = (c: number): [number, number, number] => [c, c - Math.abs(c) / 2, c + Math.abs(c) / 2];
const wide = (c: number): [number, number, number] => [c, c - 1, c + 1];

describe("verdict", () => {
  it("names what differs for each combination of sign and significance", () => {
    expect(verdict(est(1, 0.5, 1.5), est(0.8, 0.2, 1.4))).toEqual({ text: "significant in both", agree: true });
    expect(verdict(est(1, 0.5, 1.5), est(-0.8, -1.4, -0.2))).toEqual({ text: "significant in both, opposite signs", agree: false });
    expect(verdict(est(1, 0.5, 1.5), est(0.3, -0.2, 0.8))).toEqual({ text: "same sign, no longer significant", agree: false });
    expect(verdict(est(1, 0.5, 1.5), est(-0.3, -0.8, 0.2))).toEqual({ text: "sign flips, no longer significant", agree: false });
    expect(verdict(est(0.1, -0.1, 0.3), est(0.5, 0.1, 0.9))).toEqual({ text: "same sign, significant only under the recommended analysis", agree: false });
    expect(verdict(est(-0.1, -0.3, 0.1), est(0.5, 0.1, 0.9))).toEqual({ text: "sign flips, significant only under the recommended analysis", agree: false });
    expect(verdict(est(0.1, -0.1, 0.3), est(0.2, -0.1, 0.5))).toEqual({ text: "not significant in either", agree: true });
    expect(verdict(est(0.1, -0.1, 0.3), est(-0.2, -0.5, 0.1))).toEqual({ text: "sign flips, not significant in either", agree: true });
    expect(verdict(undefined, est(0.2, 0.1, 0.3))).toEqual({ text: "not in the published analysis" });
  });

  it("treats an undefined interval as covering zero", () => {
    expect(verdict(est(1, 0.5, 1.5), est(0.3, NaN, NaN)).text).toBe("same sign, no longer significant");
  });

  it("labels the rows of the recommended table", () => {
    const rows = compared(
      [
        { term: "a", se: 0.1, p: 0.3, ...est(0.2, -0.1, 0.5) },
        { term: "b", se: 0.1, p: 0.01, ...est(0.2, 0.1, 0.3) },
      ],
      (r) => (r.term === "a" ? est(1, 0.5, 1.5) : undefined),
      (r) => r.term,
    );
    expect(rows).toEqual([
      { label: "a", coef: 0.2, se: 0.1, ci_low: -0.1, ci_high: 0.5, p: 0.3, verdict: "same sign, no longer significant", agree: false },
      { label: "b", coef: 0.2, se: 0.1, ci_low: 0.1, ci_high: 0.3, p: 0.01, verdict: "not in the published analysis", agree: undefined },
    ]);
  });
});

describe("words", () => {
  it("joins lists and groups slopes by family", () => {
    expect(joinWords([])).toBe("");
    expect(joinWords(["a"])).toBe("a");
    expect(joinWords(["a", "b", "c"], "or")).toBe("a, b or c");
    const all = slopes({ gemma: [sig(1), sig(1), sig(1), sig(1)], olmo: [sig(1), sig(1), wide(0), wide(0)] });
    expect(
      slopePlaces(
        all.filter((s) => s.family === "gemma"),
        all,
      ),
    ).toBe("gemma in all four languages");
    expect(
      slopePlaces(
        all.filter((s) => s.ci_low > 0),
        all,
      ),
    ).toBe("gemma (all four languages) and olmo (Danish and English)");
  });

  it("reads capability slopes from term names, languages as codes", () => {
    const terms = [
      { term: "consistency:language[Danish]", ...est(0.5, 0.4, 0.6) },
      { term: "multilingual:family[gemma]:language[Portuguese]", ...est(0.6, 0.4, 0.8) },
    ];
    expect(slopesFromTerms(terms)).toEqual([{ family: "gemma", language: "pt", ...est(0.6, 0.4, 0.8) }]);
  });
});

describe("capabilitySummary", () => {
  it("says where the analyses disagree: every gemma slope loses its significance", () => {
    const published = slopes({ gemma: [sig(1), sig(1), sig(0.6), sig(0.6)], openai: [wide(0.1), sig(-0.2), wide(0.1), sig(-0.3)] });
    const recommended = slopes({ gemma: [wide(0.1), wide(0.5), wide(0.1), wide(-0.4)], openai: [wide(0), wide(0.1), wide(0.4), wide(-0.3)] });
    const [pub, rec, agree] = capabilitySummary(published, recommended);
    expect(pub).toBe(
      "As published, capability predicts alignment (a positive slope, p < 0.05) for gemma in all four languages, and for no openai slope. It is negative and significant for openai in English and Portuguese.",
    );
    expect(rec).toBe("Under the recommended analysis, no gemma or openai slope's 95% interval excludes zero.");
    expect(agree).toBe(
      "The two analyses disagree on 6 of the 8 slopes — same sign, no longer significant: gemma (Danish, Dutch and English) and openai (Portuguese); " +
        "sign flips, no longer significant: gemma (Portuguese) and openai (English). They agree on the other 2 (significant in neither).",
    );
  });

  it("names slopes significant only under the recommended analysis, and agreement", () => {
    const published = slopes({ olmo: [wide(0.1), sig(0.3), wide(0), wide(0)] });
    const recommended = slopes({ olmo: [sig(0.4), sig(0.3), wide(0), sig(-0.5)] });
    const [pub, rec, agree] = capabilitySummary(published, recommended);
    expect(pub).toBe("As published, capability predicts alignment (a positive slope, p < 0.05) for olmo in English.");
    expect(rec).toBe("Under the recommended analysis, the 95% interval lies above zero for olmo in Danish and English and below zero for olmo in Portuguese.");
    expect(agree).toMatch(
      /^The two analyses disagree on 2 of the 4 slopes — same sign, significant only under the recommended analysis: olmo in Danish; sign flips, significant only under the recommended analysis: olmo in Portuguese\. They agree on the other 2\.$/,
    );
    expect(capabilitySummary(published, published)[2]).toBe("The two analyses agree on all 4 slopes.");
    expect(capabilitySummary([], recommended)).toEqual([]);
  });

  it("counts the slopes whose sign changes when one model is left out", () => {
    const recommended = slopes({ gemma: [sig(0.5), sig(-0.2)] });
    const leaveOut = [
      {
        slopes: [
          { family: "gemma", language: "da", slope: 0.4 },
          { family: "gemma", language: "en", slope: 0.1 },
        ],
      },
      {
        slopes: [
          { family: "gemma", language: "da", slope: 0.6 },
          { family: "gemma", language: "en", slope: -0.3 },
        ],
      },
    ];
    expect(leaveOneOutSentence(recommended, leaveOut)).toBe("Leaving out one model at a time changes the sign of 1 of the 2 recommended slopes.");
    expect(leaveOneOutSentence(recommended, [])).toBe("");
  });
});

describe("usBiasSummary", () => {
  const gap = (model: string, language: string, [c, l, h]: [number, number, number]) => ({ model, language, ...est(c, l, h) });
  const published = [
    ...["a", "b", "c"].map((m) => gap(m, "en", sig(0.1))),
    ...["a", "b", "c"].map((m) => gap(m, "pt", sig(0.12))),
    gap("a", "da", sig(-0.1)),
    gap("b", "da", sig(-0.1)),
    gap("c", "da", wide(0)),
  ];
  const medians = [
    { language: "da", ...est(-0.05, -0.15, 0.03) },
    { language: "en", ...est(0.12, 0.04, 0.24) },
    { language: "pt", ...est(0.07, -0.03, 0.17) },
  ];

  it("compares the published majority with the recommended median, language by language", () => {
    expect(publishedDirection(published.filter((p) => p.language === "da"))).toBe(-1);
    const [pub, rec, differ] = usBiasSummary(published, medians);
    expect(pub).toBe(
      "As published (β_BiasUS), models answer further from the US in Danish (2 of 3 models' intervals below zero), closer to the US in English (3 of 3 models' intervals above zero) and closer to the US in Portuguese (3 of 3 models' intervals above zero).",
    );
    expect(rec).toBe(
      "Under the recommended analysis, the median model's gap (US minus own countries) is −0.05 [−0.15, 0.03] in Danish, 0.12 [0.04, 0.24] in English and 0.07 [−0.03, 0.17] in Portuguese: the median model answers closer to the US in English; in Danish and Portuguese the interval covers zero.",
    );
    expect(differ).toBe(
      "The analyses disagree on Danish (as published: further from the US; recommended: the interval covers zero) and Portuguese (as published: closer to the US; recommended: the interval covers zero) and agree on English.",
    );
    expect(
      usBiasSummary(
        published.filter((p) => p.language === "en"),
        medians.filter((m) => m.language === "en"),
      )[2],
    ).toBe("The two analyses agree on every language.");
  });

  it("says which countries English US bias comes from", () => {
    const country = (c: string, [v, l, h]: [number, number, number]) => ({ language: "en", country: c, ...est(v, l, h) });
    const rows = [
      country("NG", sig(0.37)),
      country("KE", sig(0.31)),
      country("SG", sig(0.21)),
      country("GB", wide(0.02)),
      country("CA", wide(-0.01)),
      country("AU", wide(0.03)),
      country("NZ", wide(0.04)),
      country("NIR", wide(0.02)),
    ];
    expect(countrySentence("en", rows)).toBe(
      "English US bias comes from Nigeria, Kenya and Singapore (median model's gap 0.21 to 0.37): against New Zealand, Australia, United Kingdom, Northern Ireland and Canada the median model's gap is 0.02 (−0.01 to 0.04), and no interval excludes zero.",
    );
    expect(countrySentence("en", rows.slice(3))).toBe(
      "Against each English-speaking country alone, the median model's gap (−0.01 to 0.04) has no interval above zero.",
    );
    expect(countrySentence("en", rows.slice(0, 3))).toBe(
      "The median model is closer to the US than to every English-speaking country alone: Nigeria, Kenya and Singapore (gaps 0.21 to 0.37).",
    );
    expect(countrySentence("da", [country("DK", sig(0.1))])).toBe("");
  });

  it("names the items left out and the baseline's own gap", () => {
    const sets = ["da", "en"].map((language) => ({ language, leftOut: ["c002_01", "c001_01"] }));
    const names = new Map([["c001_01", "Jobs scarce: men first"]]);
    expect(leftOutSentence(sets, "common", (i) => names.get(i) ?? i)).toBe(
      "Two items are left out in every language because some compared country has no survey answer for them: c001_01 (Jobs scarce: men first) and c002_01.",
    );
    expect(
      leftOutSentence(
        [
          { language: "da", leftOut: ["x"] },
          { language: "en", leftOut: [] },
        ],
        "common",
      ),
    ).toBe("Items left out because some compared country has no survey answer for them: Danish: x; English: none.");
    expect(leftOutSentence(sets, "all")).toMatch(/^Each country is compared on all of its own items/);
    const gaps = [
      { model: "uniform", language: "da", gap: 0.033 },
      { model: "fifty", language: "da", gap: -0.2 },
      { model: "uniform", language: "pt", gap: -0.046 },
    ];
    expect(baselineSentence(gaps, "uniform", null)).toBe(
      "The study subtracted the gap of its uniform-random baseline, a single random draw: on these items it is 0.03 in Danish and −0.05 in Portuguese. A random answerer's expected gap is zero, so subtracting one draw only adds that draw's noise. The recommended analysis subtracts nothing.",
    );
    expect(baselineSentence([], "uniform", "the gap of another draw")).toBe(
      "This workspace has no uniform-random baseline. This view subtracts the gap of another draw.",
    );
  });
});

describe("fitWarnings", () => {
  it("flags fewer than 50 rounds and a REML likelihood with two modes", () => {
    expect(fitWarnings(100, { ambiguous: false, modes: [{ group_var: 0.06, log_likelihood: 5195.8 }] })).toEqual([]);
    const few = fitWarnings(20, {
      group_var: 0.00068,
      ambiguous: true,
      modes: [
        { group_var: 0.00068, log_likelihood: 998.34 },
        { group_var: 0.023, log_likelihood: 997.74 },
      ],
    });
    expect(few).toHaveLength(2);
    expect(few[0]).toMatch(/^With 20 bootstrap rounds, the published fit is not comparable with the study's: below 50 rounds/);
    expect(few[0]).toContain("(here it is 0.00068)");
    expect(few[1]).toContain(
      "two modes within 2 log-likelihood units: model variance 0.00068 (log-likelihood 998.3) and model variance 0.023 (log-likelihood 997.7)",
    );
    expect(fitWarnings(40, undefined)).toHaveLength(1);
    expect(fitWarnings(100, undefined, { ambiguous: true, failed: 3, replicates: 100 })).toEqual([
      expect.stringContaining("recommended model's REML likelihood also has a second mode"),
      "3 of the recommended analysis' 100 bootstrap replicates could not be refitted and are left out of its intervals.",
    ]);
  });
});
