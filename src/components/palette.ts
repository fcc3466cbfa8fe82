/**
 * Colours for models: one hue per family, lighter for smaller models, so a family
 * reads as a group in every chart. Unknown families get further hues in turn.
 *
 * The site follows the system's light or dark setting (Framework's Air and Near
 * Midnight themes), so every colour here must stand out against both backgrounds:
 * each ramp spans only the middle lightness band where a colour has at least 3:1 WCAG
 * contrast against white and against the Near Midnight page (#1e1e1d), and the steps
 * within a family also turn the hue a little (small → large) so that they differ by
 * more than lightness alone. test/components/palette.test.ts checks the contrast.
 */
import { sortModelRows, type ModelRow } from "../lib/workspace.js";

/** Page backgrounds the colours must contrast with: Air (light) and Near Midnight (dark). */
export const THEME_BACKGROUNDS = {
  light: "#ffffff",
  /** Near Midnight's --theme-background: 4% of #dfdfd6 over #161616. */
  dark: "#1e1e1d",
} as const;

/** Five steps per family, smallest model first (lighter) to largest (darker). */
export const FAMILY_RAMPS: Readonly<Record<string, readonly string[]>> = {
  gemma: ["#219cbc", "#1490c2", "#2582c7", "#3b73ca", "#4f62c9"],
  olmo: ["#7e9b16", "#5f942e", "#3d8d3d", "#05854a", "#007b52"],
  openai: ["#c68200", "#c87000", "#c75f00", "#c54f10", "#bf3e28"],
  Baseline: ["#909090", "#868686", "#7c7c7c", "#747474", "#6b6b6b"],
};
export const EXTRA_RAMPS: readonly (readonly string[])[] = [
  ["#a27edd", "#9475d7", "#856cd2", "#7764cd", "#695cc7"],
  ["#ed636a", "#e3575c", "#da4a4f", "#d23d41", "#c93033"],
  ["#299fa0", "#09959c", "#008a97", "#007f92", "#00758e"],
  ["#dd68a5", "#d35b9f", "#c94f9b", "#bf4498", "#b53795"],
];

/**
 * Colours of prompt (or interview) languages, where a chart colours by language: the study's
 * four first, then further hues for other languages in turn. Each stands out on both themes
 * (Plot's default scheme does not: its yellow has 1.9:1 on white).
 */
export const LANGUAGE_COLORS: Readonly<Record<string, string>> = { Danish: "#d6404e", Dutch: "#d46a00", English: "#2f7fc1", Portuguese: "#2e8b57" };
export const EXTRA_LANGUAGE_COLORS: readonly string[] = ["#8e6fd1", "#c2549d", "#12939a", "#8c6d31"];

/** A Plot colour scale for languages named as given (English names, in the chart's order). */
export function languageColorScale(names: readonly string[]): { domain: string[]; range: string[] } {
  let extra = 0;
  const range = names.map((n) => LANGUAGE_COLORS[n] ?? EXTRA_LANGUAGE_COLORS[extra++ % EXTRA_LANGUAGE_COLORS.length]!);
  return { domain: [...names], range };
}

/** Ten hues for other categories (populations, judges' pairs), each legible on both themes; they repeat past ten. */
export const CATEGORY_COLORS: readonly string[] = [
  "#2f7fc1",
  "#d46a00",
  "#2e8b57",
  "#d6404e",
  "#8e6fd1",
  "#c2549d",
  "#12939a",
  "#8c6d31",
  "#6a8a00",
  "#7a7a7a",
];

/** A Plot colour scale for categories in the chart's order (in place of Plot's default scheme, whose yellow and cyan fade on white). */
export function categoryColorScale(labels: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...labels], range: labels.map((_, i) => CATEGORY_COLORS[i % CATEGORY_COLORS.length]!) };
}

/** A family's own colour (its dashed slope line, its ★): the middle of its ramp. */
export const FAMILY_COLORS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(FAMILY_RAMPS).map(([family, ramp]) => [family, ramp[Math.floor(ramp.length / 2)]!]),
);
/** The colour of a family outside FAMILY_COLORS, and of a model outside the models table. */
export const FALLBACK_COLOR = "#856cd2";

/**
 * Colours of the charts that compare analyses, methods or judges rather than models. Like the
 * model colours, each stands out on both themes (test/components/palette.test.ts); the page's
 * text colour ("currentColor") is the other neutral.
 */
export const COMPARISON_COLORS = {
  /** The study's analysis as published (recommended vs published charts). */
  published: "#7a7a7a",
  /** The recommended analysis. */
  recommended: "#d95f02",
  /** A reference method or expectation drawn beside the others (robustness charts). */
  reference: "#737373",
  /** An alternative method (robustness charts). */
  alternative: "#2171b5",
  /** The study's own resampling, where it misleads (robustness charts). */
  warning: "#da4a4f",
  /** The second judge, beside the primary in the text colour (judges charts). */
  otherJudge: "#e6550d",
} as const;

/** A colour per model id, in the order given. */
export function modelColors(models: readonly ModelRow[]): Map<string, string> {
  const byFamily = new Map<string, ModelRow[]>();
  for (const m of sortModelRows(models)) {
    if (!byFamily.has(m.family)) byFamily.set(m.family, []);
    byFamily.get(m.family)!.push(m);
  }
  const colors = new Map<string, string>();
  let extra = 0;
  for (const [family, members] of byFamily) {
    const ramp = FAMILY_RAMPS[family] ?? EXTRA_RAMPS[extra++ % EXTRA_RAMPS.length]!;
    members.forEach((m, i) => {
      const k = members.length === 1 ? Math.floor(ramp.length / 2) : Math.round((i * (ramp.length - 1)) / (members.length - 1));
      colors.set(m.model, ramp[Math.min(k, ramp.length - 1)]!);
    });
  }
  return colors;
}

export function familyColor(family: string): string {
  return FAMILY_COLORS[family] ?? FALLBACK_COLOR;
}

/**
 * The display names of the models among `present`, in the one model order (family, then
 * size numerically: src/lib/workspace.ts sortModelRows), then any unknown ids alphabetically:
 * the domain of a chart's model axis, so no chart sorts 13B after 32B as text.
 */
export function modelNameDomain(models: readonly ModelRow[], present: Iterable<string>): string[] {
  const ids = new Set(present);
  const known = sortModelRows(models).filter((m) => ids.has(m.model));
  const unknown = [...ids].filter((id) => !known.some((m) => m.model === id)).sort();
  return [...known.map((m) => m.display_name || m.model), ...unknown];
}

/** Display name of a model id (the id itself when the models table lacks it). */
export function displayNames(models: readonly ModelRow[]): Map<string, string> {
  return new Map(models.map((m) => [m.model, m.display_name || m.model]));
}

/**
 * A swatch legend of models in the order given (the models table's order, so grouped
 * by family): an HTML list, so it wraps at any width and a screen reader reads it.
 */
export function modelLegend(models: readonly ModelRow[], colors: Map<string, string>, names: Map<string, string>, label = "Models"): HTMLElement {
  const legend = document.createElement("div");
  legend.className = "model-legend";
  legend.setAttribute("role", "list");
  legend.setAttribute("aria-label", label);
  for (const m of sortModelRows(models)) {
    const item = document.createElement("span");
    item.setAttribute("role", "listitem");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.setAttribute("aria-hidden", "true");
    swatch.style.background = colors.get(m.model) ?? FALLBACK_COLOR;
    item.append(swatch, names.get(m.model) ?? m.model);
    legend.append(item);
  }
  return legend;
}

/** Where each group's panel sits in a grid of small multiples of model bars, and the margins it needs. */
export interface ModelBarLayout {
  cols: number;
  rows: number;
  /** Column and row of each group (e.g. prompt language), in the order given. */
  cell: Map<string, { col: number; row: number }>;
  /** Whether the models' names fit as (rotated) tick labels under every panel; otherwise show a legend. */
  tickLabels: boolean;
  /** Tick label text: the display name, shortened to `maxLabelChars`. */
  tickFormat: (model: string) => string;
  marginTop: number;
  marginBottom: number;
  /** Space above the first row's titles left free for a header (a key). */
  headerSpace: number;
  /** Gap between panel rows (for the tick labels of the row above and the titles of the row below). */
  rowGap: number;
  panelHeight: number;
  height: number;
  /** fy's paddingInner for that gap. */
  fyPaddingInner: number;
}

/**
 * A grid for bar charts with one panel per group and one bar per model: as many panels
 * to a row as keep every bar at least `minBarStep` px wide (so at phone width four
 * languages wrap to two rows of two), with the models' display names as tick labels
 * under each panel where they fit.
 */
export function modelBarLayout(
  groups: readonly string[],
  models: readonly string[],
  names: Map<string, string>,
  options: {
    width: number;
    marginLeft: number;
    marginRight: number;
    panelHeight?: number;
    minBarStep?: number;
    maxLabelChars?: number;
    titleSpace?: number;
    headerSpace?: number;
  },
): ModelBarLayout {
  const { width, marginLeft, marginRight, panelHeight = 220, minBarStep = 13, maxLabelChars = 18, titleSpace = 22, headerSpace = 0 } = options;
  const inner = Math.max(1, width - marginLeft - marginRight);
  const n = Math.max(1, models.length);
  const g = Math.max(1, groups.length);
  // fx's bands are separated by 10% of a step: a panel is 0.9 of inner / (cols - 0.1).
  const barStep = (cols: number) => (0.9 * inner) / (cols - 0.1) / n;
  let cols = g;
  while (cols > 1 && barStep(cols) < minBarStep) cols--;
  const tickLabels = barStep(cols) >= minBarStep - 1;
  const rows = Math.ceil(g / cols);
  const cell = new Map(groups.map((k, i) => [k, { col: i % cols, row: Math.floor(i / cols) }]));
  const short = (s: string) => (s.length > maxLabelChars ? `${s.slice(0, maxLabelChars - 1)}…` : s);
  const tickFormat = (m: string) => short(names.get(m) ?? m);
  // Plot's default 10px sans-serif: about 6px a character on average.
  const longest = Math.max(0, ...models.map((m) => tickFormat(m).length));
  const labelSpace = tickLabels ? Math.ceil(longest * 6) + 14 : 8;
  const rowGap = labelSpace + titleSpace;
  const marginTop = titleSpace + 20 + headerSpace; // the y-axis label, any header (a key), then the first row's titles
  const marginBottom = labelSpace;
  const height = marginTop + marginBottom + rows * panelHeight + (rows - 1) * rowGap;
  return {
    cols,
    rows,
    cell,
    tickLabels,
    tickFormat,
    headerSpace,
    marginTop,
    marginBottom,
    rowGap,
    panelHeight,
    height,
    fyPaddingInner: rows > 1 ? rowGap / (panelHeight + rowGap) : 0,
  };
}
