/**
 * RQ1's capability slopes: the `multilingual:family:language` coefficients with 95%
 * intervals, per prompt language and family.
 */
import * as Plot from "npm:@observablehq/plot";
import type { FamilySlope } from "../lib/analyses/rq1.js";
import { languageName } from "../lib/languages.js";
import { familyColor } from "./palette.js";
import { chartWidth } from "./width.js";

export function slopeChart(slopes: readonly FamilySlope[], options: { width?: number } = {}): SVGSVGElement | HTMLElement {
  const rows = slopes.map((s) => ({ ...s, languageName: languageName(s.language) }));
  const families = [...new Set(rows.map((r) => r.family))];
  const starred = rows.filter((r) => r.starred);
  return Plot.plot({
    width: chartWidth(options.width),
    height: Math.max(180, new Set(rows.map((r) => r.language)).size * (families.length * 18 + 24) + 40),
    marginLeft: 70,
    marginRight: 90,
    ariaLabel: "Capability slopes by prompt language and model family",
    ariaDescription:
      `Coefficients of multilingual capability on cultural alignment with 95% intervals for ${families.length} families in ` +
      `${new Set(rows.map((r) => r.language)).size} languages. Positive and significant: ` +
      (starred.map((s) => `${s.family} in ${s.languageName} (${s.slope.toFixed(2)})`).join(", ") || "none") +
      ".",
    fy: { label: null },
    y: { domain: families, label: null },
    x: { label: "β capability (alignment per unit of capability) →", grid: true },
    color: { domain: families, range: families.map(familyColor) },
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(rows, { fy: "languageName", y: "family", x1: "ci_low", x2: "ci_high", stroke: "family", strokeWidth: 2 }),
      Plot.dot(rows, {
        fy: "languageName",
        y: "family",
        x: "slope",
        fill: (d: FamilySlope) => (d.starred ? familyColor(d.family) : "var(--theme-background)"),
        stroke: "family",
        r: 4,
        title: (d: (typeof rows)[number]) => `${d.family}, ${d.languageName}: ${d.slope.toFixed(3)} [${d.ci_low.toFixed(3)}, ${d.ci_high.toFixed(3)}], p = ${d.p.toPrecision(2)}`,
      }),
    ],
  });
}
