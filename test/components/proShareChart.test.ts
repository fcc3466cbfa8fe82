/**
 * The template page's chart in jsdom: a dot and an interval per model × language, the band of
 * the countries' shares named in its description, and no band (but a chart) without countries.
 */
import { describe, expect, it } from "vitest";
import type { ProShareRow } from "../../src/lib/analyses/proShare.js";
import type * as Chart from "../../src/components/proShareChart.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const c = await loadComponents<typeof Chart>(exportsOf(["proShareChart"]));

const row = (kind: ProShareRow["kind"], name: string, language: string | null, share: number): ProShareRow => ({
  kind,
  name,
  language,
  share,
  se: 0.05,
  ci_low: share - 0.1,
  ci_high: share + 0.1,
  items: 10,
});
const ROWS = [
  row("model", "m1", "da", 0.6),
  row("model", "m1", "en", 0.5),
  row("model", "m2", "da", 0.4),
  row("country", "DK", null, 0.3),
  row("country", "NG", null, 0.45),
];
const svgOf = (node: Element) => (node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]")!);

describe("proShareChart", () => {
  it("draws a dot per model × language, titled with its share and interval", () => {
    const svg = svgOf(c.proShareChart(ROWS, { names: new Map([["m1", "Model one"]]), width: 640 }));
    expect(svg.getAttribute("aria-label")).toBe("Mean pro share by model and prompt language");
    const titles = [...svg.querySelectorAll("circle title")].map((t) => t.textContent);
    expect(titles).toHaveLength(3);
    expect(titles).toContain("Model one, Danish: 60.0% pro [50.0, 70.0], 10 items");
    expect(svg.getAttribute("aria-description")).toMatch(/lowest surveyed country \(Denmark, 0\.30\) to the highest \(Nigeria, 0\.45\)/);
  });

  it("places each dot at its share on the axis, and the band between the lowest and the highest country", () => {
    const svg = svgOf(c.proShareChart(ROWS, { names: new Map(), width: 640 }));
    // The x axis runs from 0% to 100%: read its pixel range from the 0 and 100 ticks.
    const tick = (label: string) => {
      const g = [...svg.querySelectorAll("g[aria-label='x-axis tick label'] text")].find((t) => t.textContent === label)!;
      return Number(/translate\(([-\d.]+)/.exec(g.getAttribute("transform") ?? "")![1]);
    };
    const [x0, x100] = [tick("0"), tick("100")];
    const at = (share: number) => x0 + share * (x100 - x0);
    const cx = [...svg.querySelectorAll("circle")].map((d) => Number(d.getAttribute("cx"))).sort((a, b) => a - b);
    expect(cx.map((x) => Math.round(x))).toEqual([0.4, 0.5, 0.6].map((s) => Math.round(at(s))));
    const band = svg.querySelector("g[aria-label='rect'] rect")!;
    expect(Number(band.getAttribute("x"))).toBeCloseTo(at(0.3), 0);
    expect(Number(band.getAttribute("width"))).toBeCloseTo(at(0.45) - at(0.3), 0);
  });

  it("draws the models without a band when no country has data", () => {
    const svg = svgOf(
      c.proShareChart(
        ROWS.filter((r) => r.kind === "model"),
        { names: new Map(), width: 400 },
      ),
    );
    expect(svg.querySelectorAll("circle").length).toBe(3);
    expect(svg.getAttribute("aria-description")).toMatch(/no country has data/);
  });
});
