/**
 * The Capability and US-bias pages' views of a result: rows kept by the shown languages,
 * models and families, the baseline in words, the study's settings, and the leave-one-out
 * refits only under the formula they were fitted with.
 */
import { describe, expect, it } from "vitest";
import type { ReproduceResult } from "../../src/lib/analyses/reproduce.js";
import { DEFAULT_CHOICES } from "../../src/lib/pageRequests.js";
import type * as Views from "../../src/components/pageViews.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const v = await loadComponents<typeof Views>(exportsOf(["pageViews"]));

const est = { coef: 0.1, se: 0.05, ci_low: 0, ci_high: 0.2, p: 0.04 };
const result = {
  usBias: [
    { model: "a", language: "en", ...est },
    { model: "b", language: "da", ...est },
  ],
  details: {
    slopes: [{ family: "gemma" }, { family: "olmo" }],
    adjusted: [{ family: "olmo" }],
    recommended: {
      usBias: {
        gaps: [{ model: "a", language: "da", ...est }],
        median: [{ language: "da" }, { language: "en" }],
        medianByCountry: [{ language: "en" }, { language: "da" }],
      },
      leaveOneModelOut: [{ model: "a" }],
    },
  },
} as unknown as ReproduceResult;

describe("usBiasView", () => {
  it("keeps the shown languages and models, and says what the gaps subtract", () => {
    const view = v.usBiasView(result, { languages: ["da"], models: ["a", "b"], choices: DEFAULT_CHOICES, rounds: 100 });
    expect(view.rows.map((r) => r.model)).toEqual(["b"]);
    expect(view.gaps.map((g) => g.model)).toEqual(["a"]);
    expect(view.medians).toEqual([{ language: "da" }]);
    expect(view.english).toEqual([]);
    expect(view.atStudySettings).toBe(true);
    const other = v.usBiasView(result, { languages: ["en"], models: ["a"], choices: { ...DEFAULT_CHOICES, baseline: "study" }, rounds: 50 });
    expect(other.english).toEqual([{ language: "en" }]);
    expect(other.subtracted).toBe("the gap of the study's uniform-random baseline");
    expect(other.atStudySettings).toBe(false);
    expect(v.usBiasView(null, { languages: ["en"], models: [], choices: { ...DEFAULT_CHOICES, baseline: "none" }, rounds: 100 })).toMatchObject({
      rows: [],
      gaps: [],
      subtracted: null,
    });
  });
});

describe("capabilityView", () => {
  it("keeps the shown families, and the leave-one-out refits only under their formula", () => {
    const view = v.capabilityView(result, { families: ["olmo"], variant: "interaction", formula: "language_intercepts" });
    expect(view.slopes).toEqual([{ family: "olmo" }]);
    expect(view.points).toEqual([{ family: "olmo" }]);
    expect(view.leaveOut).toEqual([{ model: "a" }]);
    expect(view.shownTerm({ term: "capability:family[gemma]" })).toBe(false);
    expect(view.shownTerm({ term: "capability:family[olmo]" })).toBe(true);
    expect(view.shownTerm({ term: "consistency" })).toBe(true);
    expect(v.capabilityView(result, { families: ["olmo"], variant: "interaction", formula: "no_intercept" }).leaveOut).toEqual([]);
  });
});
