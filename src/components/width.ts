/**
 * A chart's width from the page's `width` (Framework's reactive container width). That
 * width is 0 for a moment while the page lays out (a full-page screenshot, a collapsing
 * sidebar), and a plot narrower than its margins would draw negative widths: a chart is
 * never drawn narrower than `min`, and a missing or zero width falls back to `fallback`.
 */
export function chartWidth(width: number | undefined, fallback = 640, min = 320): number {
  return typeof width === "number" && Number.isFinite(width) && width > 0 ? Math.max(min, width) : fallback;
}
