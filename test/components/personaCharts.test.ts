/**
 * The Personas components rendered in jsdom from a small result: the per-country chart leaves
 * out undefined estimates and a congruent country's own-language dot, the effects chart draws
 * each language, and the sentences say how sure each claim is (above, below, or covering zero).
 */
import { describe, expect, it } from "vitest";
import type { PersonaCell, PersonaSummary } from "../../src/lib/analyses/personas.js";
import type * as Charts from "../../src/components/personaCharts.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const c = await loadComponents<typeof Charts>(exportsOf(["personaCharts"]));

const est = (coef: number, ci_low = coef - 0.1, ci_high = coef + 0.1) => ({ coef, se: 0.05, ci_low, ci_high, p: 0.01 });
const NONE = est(NaN, NaN, NaN);
const cell = (country: string, congruent: boolean, persona: number): PersonaCell => ({
  model: "m",
  language: "da",
  country,
  congruent,
  own_language: congruent ? "da" : "en",
  responses: 30,
  items: 12,
  persona: Number.isFinite(persona) ? est(persona) : NONE,
  baseline: est(0.6),
  own: est(0.6),
  lift: est(persona - 0.6),
  language_effect: congruent ? NONE : est(0.05),
  persona_minus_language: congruent ? NONE : est(persona - 0.65),
});
const summary = (language: string, difference: ReturnType<typeof est>, persona: ReturnType<typeof est>): PersonaSummary => ({
  model: "m",
  language,
  congruent_countries: ["DK"],
  incongruent_countries: ["US", "KE"],
  congruent: est(0.4),
  incongruent: est(0.3),
  difference,
  congruent_lift: est(-0.2),
  incongruent_lift: persona,
  lift_difference: est(0.05),
  persona_effect: persona,
  language_effect: est(0.03, -0.02, 0.08),
  persona_minus_language: est(-0.3, -0.45, -0.15),
});

describe("personaChart", () => {
  it("draws one row per country, without undefined dots or a congruent country's own-language dot", () => {
    const node = c.personaChart([cell("DK", true, 0.15), cell("US", false, 0.3), cell("KE", false, NaN)], { width: 640 });
    const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]")!;
    expect(svg.getAttribute("aria-description")).toMatch(/for 3 countries/);
    // DK: persona and baseline; US: persona, baseline and own; KE: baseline and own.
    expect(svg.querySelectorAll("circle").length).toBe(7);
  });
});

describe("effectsChart", () => {
  it("draws the persona and the language effect for each language", () => {
    const node = c.effectsChart([summary("da", est(0.1), est(-0.3)), summary("all", est(0.1), est(-0.3))], { width: 640 });
    const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]")!;
    expect(svg.querySelectorAll("circle").length).toBe(4);
    expect([...svg.querySelectorAll("text")].map((t) => t.textContent)).toContain("All languages");
  });
});

describe("personaSentences", () => {
  it("says which side an interval is on, or that it covers zero", () => {
    const [first, second] = c.personaSentences(summary("da", est(0.1, -0.05, 0.25), est(-0.3, -0.5, -0.1)), "M");
    expect(first).toBe(
      "In Danish prompts, M's answers with a congruent persona align with that country at ρ 0.40 [0.30, 0.50], with an incongruent one at 0.30 [0.20, 0.40]: the difference, 0.10 [-0.05, 0.25], is not distinguishable from zero at 95%.",
    );
    expect(second).toMatch(/changes alignment with it by -0\.30 \[-0\.50, -0\.10\] .*\(farther from it\)/);
    expect(second).toMatch(/asking in that country's language instead changes it by 0\.03 \[-0\.02, 0\.08\] \(not distinguishable from zero at 95%\)/);
    expect(second).toMatch(/Persona minus language: -0\.30 \[-0\.45, -0\.15\], the language moves it more\.$/);
    const [above] = c.personaSentences(summary("all", est(0.2, 0.05, 0.3), est(0.1)), "M");
    expect(above).toMatch(/^Over every prompt language, .* is in favour of congruent personas\.$/);
  });

  it("says when an interval cannot be computed", () => {
    const [first] = c.personaSentences(summary("da", est(0.1, NaN, NaN), est(-0.3)), "M");
    expect(first).toMatch(/cannot be told \(too few answers for an interval\)/);
  });
});
