/**
 * Where a chart's labels go and how long they may be: margins sized to the labels (no DOM
 * needed, so a chart can be laid out before it is drawn), cut labels, facet labels turned when
 * they do not fit, and an accessible name for a legend.
 */

/** Rough width in pixels of a label in Plot's default 10px sans-serif (about 6px a character; no DOM needed). */
export function labelWidth(text: string, px = 6): number {
  return Math.ceil(text.length * px);
}

/** A label cut to at most `chars` characters, with an ellipsis when cut. */
export function truncate(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;
}

/**
 * The left margin for row labels: the longest label's width plus the tick, but never
 * more than `share` of the chart, so a phone-width chart keeps room to plot.
 */
export function rowLabelMargin(labels: readonly string[], width: number, share = 0.45): number {
  const widest = Math.max(0, ...labels.map((l) => labelWidth(l)));
  return Math.max(40, Math.min(widest + 14, Math.round(width * share)));
}

/** Characters of a row label that fit in a left margin (the tick and padding take about 12px; 5.6px a character fits DejaVu Sans, wider than most). */
export function charsFor(margin: number): number {
  return Math.max(4, Math.floor((margin - 12) / 5.6));
}

/**
 * Placement of facet (fy) labels on the right: upright when they fit in a margin
 * beside a plot area of at least 200px, else turned 90° so they need only a narrow strip.
 */
export function facetLabelLayout(labels: readonly string[], width: number, marginLeft: number): { marginRight: number; tickRotate: number } {
  const upright = Math.max(0, ...labels.map((l) => labelWidth(l))) + 12;
  return width - marginLeft - upright >= 200 ? { marginRight: upright, tickRotate: 0 } : { marginRight: 22, tickRotate: 90 };
}

/** Give a legend that Plot drew (a ramp svg or a swatches div) an accessible name. */
export function labelLegend<T extends Element>(legend: T, label: string): T {
  legend.setAttribute("role", "img");
  legend.setAttribute("aria-label", label);
  return legend;
}
