/**
 * Plot.plot, typed as the element the charts return. Plot types its result as an SVG element or
 * an HTML element (a <figure> when the chart has a legend, a title or a caption); pages append
 * either, and the charts promise an HTMLElement, so the cast is made here, once.
 */
import * as Plot from "npm:@observablehq/plot";

export function plot(options: Plot.PlotOptions): HTMLElement {
  return Plot.plot(options) as unknown as HTMLElement;
}
