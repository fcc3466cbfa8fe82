/**
 * Every model and family colour must be legible on both themes the site follows:
 * WCAG contrast of at least 3:1 (the level for graphical objects) against the Air
 * (white) and the Near Midnight (dark) page backgrounds. Also the grid of small
 * multiples that the US-bias and self-consistency charts share.
 */
import { describe, expect, it } from "vitest";
import {
  CATEGORY_COLORS,
  COMPARISON_COLORS,
  EXTRA_LANGUAGE_COLORS,
  EXTRA_RAMPS,
  LANGUAGE_COLORS,
  languageColorScale,
  FALLBACK_COLOR,
  FAMILY_COLORS,
  FAMILY_RAMPS,
  THEME_BACKGROUNDS,
  modelBarLayout,
  modelColors,
} from "../../src/components/palette.js";
import type { ModelRow } from "../../src/lib/workspace.js";

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(m[1]!.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Backgrounds to test: the themes' own, and the darker ends of Near Midnight and GitHub-dark for margin. */
const BACKGROUNDS = { ...THEME_BACKGROUNDS, nearMidnightB: "#161616", githubDark: "#161b22" };

const PAPER_MODELS: ModelRow[] = [
  ...["OLMo-2 7B", "OLMo-2 13B", "OLMo-2 32B"].map((n) => ({ model: n, display_name: n, family: "olmo" })),
  ...["Gemma-2 2B", "Gemma-2 9B", "Gemma-2 27B"].map((n) => ({ model: n, display_name: n, family: "gemma" })),
  ...["GPT-3.5 Turbo", "GPT-4 Turbo", "GPT-4o"].map((n) => ({ model: n, display_name: n, family: "openai" })),
  ...["uniform", "fifty"].map((n) => ({ model: n, display_name: n, family: "Baseline" })),
];

const allColors: [string, string][] = [
  ...Object.entries(FAMILY_RAMPS).flatMap(([f, ramp]) => ramp.map((c, i): [string, string] => [`${f}[${i}]`, c])),
  ...EXTRA_RAMPS.flatMap((ramp, k) => ramp.map((c, i): [string, string] => [`extra${k}[${i}]`, c])),
  ...Object.entries(FAMILY_COLORS).map(([f, c]): [string, string] => [`family ${f}`, c]),
  ["fallback", FALLBACK_COLOR],
  ...Object.entries(COMPARISON_COLORS).map(([k, c]): [string, string] => [`comparison ${k}`, c]),
  ...Object.entries(LANGUAGE_COLORS).map(([k, c]): [string, string] => [`language ${k}`, c]),
  ...EXTRA_LANGUAGE_COLORS.map((c, i): [string, string] => [`extra language ${i}`, c]),
  ...CATEGORY_COLORS.map((c, i): [string, string] => [`category ${i}`, c]),
  ...[...modelColors(PAPER_MODELS)].map(([m, c]): [string, string] => [`model ${m}`, c]),
];

describe("language colours", () => {
  it("give the study's languages their own colours and others the extra hues in turn, all distinct", () => {
    const scale = languageColorScale(["Danish", "Hindi", "English", "Swahili"]);
    expect(scale.domain).toEqual(["Danish", "Hindi", "English", "Swahili"]);
    expect(scale.range).toEqual([LANGUAGE_COLORS.Danish, EXTRA_LANGUAGE_COLORS[0], LANGUAGE_COLORS.English, EXTRA_LANGUAGE_COLORS[1]]);
    const all = [...Object.values(LANGUAGE_COLORS), ...EXTRA_LANGUAGE_COLORS];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("model palette contrast", () => {
  it("the contrast function is WCAG's", () => {
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    // The old ramp ends fail: this test can fail.
    expect(contrast("#08306b", THEME_BACKGROUNDS.dark)).toBeLessThan(3);
    expect(contrast("#9ecae1", THEME_BACKGROUNDS.light)).toBeLessThan(3);
  });

  for (const [bgName, bg] of Object.entries(BACKGROUNDS)) {
    it(`every colour has at least 3:1 contrast against the ${bgName} background (${bg})`, () => {
      const failing = allColors.filter(([, c]) => contrast(c, bg) < 3).map(([n, c]) => `${n} ${c}: ${contrast(c, bg).toFixed(2)}:1`);
      expect(failing).toEqual([]);
    });
  }

  it("models within a family get distinct colours, lighter for smaller models", () => {
    const colors = modelColors(PAPER_MODELS);
    for (const family of ["olmo", "gemma", "openai"]) {
      const members = PAPER_MODELS.filter((m) => m.family === family).map((m) => colors.get(m.model)!);
      expect(new Set(members).size).toBe(members.length);
      const lums = members.map(luminance);
      for (let i = 1; i < lums.length; i++) expect(lums[i]!).toBeLessThan(lums[i - 1]!);
    }
  });

  it("families get different colours", () => {
    const colors = Object.values(FAMILY_COLORS);
    expect(new Set(colors).size).toBe(colors.length);
  });
});

describe("model bar layout", () => {
  const languages = ["Danish", "Dutch", "English", "Portuguese"];
  const models = PAPER_MODELS.slice(0, 9).map((m) => m.model);
  const names = new Map(models.map((m) => [m, m]));
  it("puts every language in one row on a wide page, with the models' names as tick labels", () => {
    const l = modelBarLayout(languages, models, names, { width: 900, marginLeft: 44, marginRight: 4, minBarStep: 12 });
    expect([l.cols, l.rows, l.tickLabels]).toEqual([4, 1, true]);
  });
  it("wraps to two rows of two at phone width and keeps the names", () => {
    const l = modelBarLayout(languages, models, names, { width: 311, marginLeft: 44, marginRight: 4, minBarStep: 12 });
    expect([l.cols, l.rows, l.tickLabels]).toEqual([2, 2, true]);
    expect(l.cell.get("English")).toEqual({ col: 0, row: 1 });
    // fy's band for a row is the panel height, the gap between rows holds labels and titles.
    const step = l.panelHeight + l.rowGap;
    expect(step * (1 - l.fyPaddingInner)).toBeCloseTo(l.panelHeight, 6);
    expect(l.height).toBe(l.marginTop + l.marginBottom + 2 * l.panelHeight + l.rowGap);
  });
  it("falls back to a legend when even one panel a row leaves bars too narrow for names", () => {
    const many = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const l = modelBarLayout(languages, many, names, { width: 320, marginLeft: 44, marginRight: 4, minBarStep: 12 });
    expect([l.cols, l.tickLabels]).toEqual([1, false]);
  });
});
