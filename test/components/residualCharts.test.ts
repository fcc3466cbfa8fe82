/**
 * The residual panels and the published US-bias comparison, rendered in jsdom: the three
 * panels and their filters, the sentences from the numbers (on the study's data, 10 rounds,
 * seed 3, and on hand-made shapes), the empty states, and the comparison's table and caveat.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportsOf, loadComponents } from "../helpers/components.js";
import type * as Residuals from "../../src/components/residualCharts.js";
import type * as Published from "../../src/components/publishedUsBias.js";
import { reproduce } from "../../src/lib/analyses/reproduce.js";
import { diagnose } from "../../src/lib/analyses/residuals.js";
import { thinResiduals } from "../../src/lib/analyses/residuals.js";
import { parseOlsSummary } from "../../src/lib/publishedOls.js";
import { paperFixture } from "../helpers/paper.js";
import { PAPER_DATA } from "../helpers/paths.js";

const c = await loadComponents<typeof Residuals & typeof Published>(exportsOf(["residualCharts", "publishedUsBias"]));
const ws = paperFixture();
const result = reproduce(ws, { rounds: 10, seed: 3, parts: ["usBias", "recommended", "residuals"] });
const d = thinResiduals(result.residuals!.usBias!, 300, 100);
const names = new Map(ws.models.map((m) => [m.model, m.display_name]));

describe("residualPanels", () => {
  it("draws the scatter, the QQ plot and the per-model spread, and says what they show", () => {
    const node = c.residualPanels(d, { models: ws.models, width: 900 });
    const labels = [...node.querySelectorAll("svg[aria-label]")].map((s) => s.getAttribute("aria-label"));
    expect(labels).toEqual(["Residuals against fitted values, US-bias regression", "Normal QQ plot of the standardized residuals", "Residuals by model"]);
    expect(node.querySelectorAll("svg")[0]!.querySelectorAll("circle")).toHaveLength(300);
    expect(node.textContent).toContain("from a random sample of 300 of the 1,600");
    expect(node.textContent).toContain("100 evenly spaced order statistics");
    expect(node.textContent).toMatch(/The 1,600 residuals are skewed: a longer tail of residuals far below the fitted value, with heavier tails/);
  });

  it("draws only the ticked models' and languages' points; the QQ plot stays whole", () => {
    const node = c.residualPanels(d, { models: ws.models, width: 500, shownModels: ["gpt-4o"], shownLanguages: ["da"] });
    const n = d.points.filter((p) => p.model === "gpt-4o" && p.language === "da").length;
    expect(node.querySelectorAll("svg")[0]!.querySelectorAll("circle")).toHaveLength(n);
    expect(node.querySelectorAll("svg")[1]!.querySelectorAll("circle")).toHaveLength(100);
    expect(node.querySelector('[aria-label="Residuals by model"]')!.textContent).toContain("GPT-4o");
    expect(node.querySelector('[aria-label="Residuals by model"]')!.textContent).not.toContain("Gemma");
  });

  it("an empty regression is an empty state", () => {
    expect(c.residualPanels(undefined, { models: ws.models }).textContent).toMatch(/No residuals/);
    expect(c.residualPanels(diagnose("rq1", "y ~ x", [], [], [], 1), { models: ws.models }).textContent).toMatch(/No residuals/);
  });
});

describe("residualSentence", () => {
  const shaped = (values: number[]) =>
    diagnose(
      "rq1",
      "y ~ x",
      values,
      values.map(() => 0),
      values.map((_, i) => ({ model: i % 2 ? "a" : "b", language: "da" })),
      1,
    );

  it("a symmetric, light-tailed sample", () => {
    const s = c.residualSentence(shaped([-2, -1, 0, 1, 2, -2, -1, 0, 1, 2]));
    expect(s).toMatch(/nearly symmetric, with lighter tails/);
    expect(s).toMatch(/overstate the evidence/);
  });

  it("a right-skewed sample whose spread differs by model", () => {
    const s = c.residualSentence(shaped([0, 0.1, 0, 0.1, 0, 0.2, 0, 5, 0, 0.3, 0, 0.1]));
    expect(s).toMatch(/longer tail of residuals far above/);
    expect(s).toMatch(/variance is not constant/);
  });

  it("too few residuals", () => {
    expect(c.residualSentence(shaped([1, 2]))).toBe("Too few residuals (2) to describe their shape.");
  });
});

describe("publishedUsBiasSection", () => {
  const table = parseOlsSummary(readFileSync(join(PAPER_DATA, "published/us_bias_ols_normal.txt"), "utf8"), "published/us_bias_ols_normal.txt");
  const gaps = result.details.recommended!.usBias!.gaps;

  it("sets published, reproduced and recommended side by side, for the ticked cells", () => {
    const node = c.publishedUsBiasSection(table, result.usBias!, gaps, { names, keep: (r) => r.language === "da", atStudySettings: false, sourceLabel: "x" });
    expect(node.querySelectorAll("tbody tr")).toHaveLength(9);
    expect(node.textContent).toContain("GPT-4o, Danish");
    expect(node.textContent).toMatch(/over 9 of the 9 published cells shown/);
    expect(node.textContent).toMatch(/These settings are not the study's/);
  });

  it("at the study's settings, the differences are Monte Carlo noise; without a table or cells, an empty state", () => {
    const node = c.publishedUsBiasSection(table, result.usBias!, [], { names, keep: () => true, atStudySettings: true, sourceLabel: "x" });
    expect(node.textContent).toMatch(/Monte Carlo noise/);
    expect(node.textContent).not.toMatch(/recommended gap reaches/);
    expect(c.publishedUsBiasSection(null, [], [], { names, keep: () => true, atStudySettings: true, sourceLabel: "the simulated demo" }).textContent).toMatch(
      /This source \(the simulated demo\) is not the study's release/,
    );
    expect(c.publishedUsBiasSection(table, result.usBias!, gaps, { names, keep: () => false, atStudySettings: true, sourceLabel: "x" }).textContent).toMatch(
      /Nothing to compare/,
    );
  });
});
