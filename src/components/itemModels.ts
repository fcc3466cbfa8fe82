/**
 * One item: each model's mean VPS per prompt language (dots sized by answers), with
 * the survey's share among that language's speakers as a vertical line.
 */
import * as Plot from "npm:@observablehq/plot";
import { languageName } from "../lib/languages.js";
import type { ItemPoint } from "../lib/slice.js";
import { sortModelRows, type ModelRow } from "../lib/workspace.js";
import { charsFor, facetLabelLayout, rowLabelMargin, truncate } from "./chartLabels.js";
import { displayNames, FALLBACK_COLOR, modelColors } from "./palette.js";
import { chartWidth } from "./width.js";

export function itemModels(
  points: readonly ItemPoint[],
  speakers: ReadonlyArray<{ language: string; pro_score: number }>,
  options: { models: readonly ModelRow[]; width?: number },
): SVGSVGElement | HTMLElement {
  const names = displayNames(options.models);
  const colors = modelColors(options.models);
  const modelIds = sortModelRows(options.models)
    .map((m) => m.model)
    .filter((m) => points.some((p) => p.model === m));
  const rows = points.map((p) => ({ ...p, name: names.get(p.model) ?? p.model, languageName: languageName(p.language) }));
  const lines = speakers.map((s) => ({ ...s, languageName: languageName(s.language) }));
  const width = chartWidth(options.width, 400);
  const modelNames = modelIds.map((m) => names.get(m) ?? m);
  // Model names on the left and language names on the right, each in a margin sized to
  // its labels (language names turn 90° where upright ones would squeeze the plot).
  const marginLeft = rowLabelMargin(modelNames, width);
  const facets = facetLabelLayout([...new Set(rows.map((r) => r.languageName))], width, marginLeft);
  const chars = charsFor(marginLeft);
  return Plot.plot({
    width,
    height: Math.max(200, new Set(rows.map((r) => r.language)).size * (modelIds.length * 14 + 30) + 40),
    marginLeft,
    marginRight: facets.marginRight,
    ariaLabel: "Model answers to this item by prompt language",
    ariaDescription:
      `Mean value polarity score of each model's answers, per prompt language, against the survey's share among that language's speakers (` +
      lines.map((l) => `${l.languageName} ${l.pro_score.toFixed(2)}`).join(", ") +
      ").",
    fy: { label: null, tickRotate: facets.tickRotate },
    y: { domain: modelNames, label: null, tickFormat: (n: string) => truncate(n, chars) },
    x: { domain: [0, 1], label: "Mean VPS →", grid: true },
    color: { domain: modelIds.map((m) => names.get(m) ?? m), range: modelIds.map((m) => colors.get(m) ?? FALLBACK_COLOR) },
    marks: [
      Plot.ruleX(lines, { x: "pro_score", fy: "languageName", stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.dot(rows, {
        x: "vps",
        y: "name",
        fy: "languageName",
        fill: "name",
        r: (p: ItemPoint) => Math.sqrt(p.responses) + 1.5,
        title: (p: (typeof rows)[number]) => `${p.name}, ${p.languageName}: ${p.vps.toFixed(2)} over ${p.responses} answers`,
      }),
    ],
  });
}
