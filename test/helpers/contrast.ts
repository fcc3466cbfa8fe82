/**
 * The contrast of every chart mark against the page's background, measured in the browser:
 * each data mark's fill and stroke colour (as computed, so currentColor and CSS variables
 * resolve) against the page background, by WCAG's formula. The colour is taken as painted,
 * without the mark's opacity: the charts use opacity for density (a bootstrap cloud of a
 * hundred faint dots reads as one shape), and a colour must stand out by itself, which is
 * what the dark theme's vanishing black marks and the pale yellow lacked. Axes, grids and
 * frames are left out (they carry no data), and so are heatmap cells (Plot's cell mark): they
 * tile the plot, and each is read against its neighbours and the colour legend, not against the
 * page; text drawn on a cell (its value) is measured against that cell. An element counts by the better of its fill and
 * its outline (WCAG asks that the object can be told apart: a choropleth's pale country with a
 * dark outline can); paints in the background's own colour (halos, borders between shapes) and
 * fills that are not colours (a hatch pattern) are left out.
 */
import type { Page } from "playwright-core";

export interface MarkContrast {
  chart: string;
  mark: string;
  color: string;
  contrast: number;
}

/** Plot mark groups (their aria-label) that draw no data. */
const NOT_DATA = /axis|grid|frame|tip|^cell$/;

/**
 * The measuring script, as text: page.evaluate would get a function compiled by esbuild,
 * whose helper for function names (__name) does not exist in the page.
 */
const SCRIPT = String.raw`(notData) => {
    // rgb(), rgba(), or color(srgb r g b [/ a]) with 0-1 channels (what color-mix computes to).
    const parse = (c) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
      const s = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(c);
      return s ? [Number(s[1]) * 255, Number(s[2]) * 255, Number(s[3]) * 255, s[4] === undefined ? 1 : Number(s[4])] : null;
    };
    const lum = ([r, g, b]) => {
      const f = (v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    // The page's background: the body's, else the root's, else the browser's white.
    const bg = [document.body, document.documentElement].map((e) => parse(getComputedStyle(e).backgroundColor)).find((c) => c && c[3] > 0) ?? [255, 255, 255, 1];
    const out = [];
    for (const svg of document.querySelectorAll("#observablehq-main svg[class^='plot-']")) {
      const chart = svg.getAttribute("aria-label") ?? svg.closest("figure")?.querySelector("h2,h3")?.textContent ?? "chart";
      // A heatmap's cells, for the text drawn on them (its values): that text is read against its cell.
      const cells = [...svg.querySelectorAll("g[aria-label='cell'] rect")].map((r) => ({ box: r.getBoundingClientRect(), fill: parse(getComputedStyle(r).fill) }));
      const behind = (el) => {
        if (el.tagName !== "text") return bg;
        const b = el.getBoundingClientRect();
        const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
        const cell = cells.find((c) => c.fill && x >= c.box.left && x <= c.box.right && y >= c.box.top && y <= c.box.bottom);
        return cell ? cell.fill : bg;
      };
      for (const group of svg.querySelectorAll(":scope > g[aria-label]")) {
        const mark = group.getAttribute("aria-label");
        if (new RegExp(notData).test(mark)) continue;
        for (const el of group.querySelectorAll("circle, rect, path, line, text, polygon, polyline")) {
          const style = getComputedStyle(el);
          if (style.visibility === "hidden" || style.display === "none") continue;
          // An element stands out if its fill or its outline does (a choropleth's pale fill has a dark outline).
          // A paint in the background's own colour is a halo or a border between shapes: left out.
          const paints = [
            [style.fill, Number(style.fillOpacity)],
            [style.stroke, parseFloat(style.strokeWidth) > 0 ? Number(style.strokeOpacity) : 0],
          ]
            .filter(([paint, alpha]) => alpha > 0 && paint !== "none")
            .map(([paint]) => [paint, parse(paint)])
            .filter(([, c]) => c && c[3] > 0)
            .map(([paint, c]) => ({ paint, contrast: ratio(c, behind(el)) }))
            .filter((p) => p.contrast > 1.01);
          if (!paints.length) continue;
          const best = paints.reduce((a, b) => (b.contrast > a.contrast ? b : a));
          out.push({ chart, mark, color: best.paint, contrast: best.contrast });
        }
      }
    }
    return out;
  }`;

export async function chartMarkContrasts(page: Page): Promise<MarkContrast[]> {
  return (await page.evaluate(`(${SCRIPT})(${JSON.stringify(NOT_DATA.source)})`)) as MarkContrast[];
}
