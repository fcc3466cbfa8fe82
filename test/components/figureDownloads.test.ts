/**
 * Every figure's downloads, in jsdom: the control under the figure, its file names from the
 * page's state, the rows it writes as CSV (nested values as JSON, every column), and the
 * pieces of the SVG file that need no layout (the union of boxes, words joined into lines).
 * The files themselves, drawn from a laid-out page, are checked in Chromium
 * (test/e2e/figureDownloads.test.ts).
 */
import { describe, expect, it } from "vitest";
import type * as Downloads from "../../src/components/figureDownloads.js";
import type * as Export from "../../src/components/figureExport.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const { figureDownloads, withRows, fileStem, csvCells, csvColumns, tagged, unionBox, textLines } = await loadComponents<typeof Downloads & typeof Export>(
  exportsOf(["figureDownloads", "figureExport"]),
);

const box = (left: number, top: number, width: number, height: number) => ({ left, top, width, height });

describe("file names", () => {
  it("keep letters, digits, dots, underscores and hyphens; other runs become one hyphen", () => {
    expect(fileStem("alignment-raw-da-country-spearman")).toBe("alignment-raw-da-country-spearman");
    expect(fileStem("judges-confusion-gpt-4o × human:alice")).toBe("judges-confusion-gpt-4o-human-alice");
    expect(fileStem("explore-items-country-Côte d'Ivoire")).toBe("explore-items-country-Co-te-d-Ivoire");
    expect(fileStem("  /../  ")).toBe("figure");
    expect(fileStem(".hidden")).toBe("hidden");
    expect(fileStem("***")).toBe("figure");
  });
});

describe("the CSV's rows", () => {
  it("write a list or an object in a cell as JSON, numbers and text as they are", () => {
    const rows = [{ model: "m1", rho: 0.123456789012345, languages: ["da", "en"], fit: { n: 3 }, missing: null }];
    expect(csvCells(rows)).toEqual([{ model: "m1", rho: 0.123456789012345, languages: '["da","en"]', fit: '{"n":3}', missing: null }]);
  });

  it("take every column of any row, in the order they first appear", () => {
    expect(csvColumns([{ a: 1 }, { b: 2, a: 3 }, {}])).toEqual(["a", "b"]);
    expect(csvColumns([])).toEqual([]);
  });

  it("tag several series into one table, an empty series adding nothing", () => {
    expect(tagged({ published: [{ x: 1 }], recommended: [{ x: 2 }, { x: 3 }], none: [] })).toEqual([
      { series: "published", x: 1 },
      { series: "recommended", x: 2 },
      { series: "recommended", x: 3 },
    ]);
  });
});

describe("the control", () => {
  it("sits under the figure with SVG, PNG and CSV links named from the page's state, and says how many rows the CSV has", () => {
    const chart = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const wrap = figureDownloads(chart, "us-bias-recommended-seed7-rounds50", [{ a: 1 }, { a: 2 }]) as HTMLElement;
    expect(wrap.firstChild).toBe(chart);
    const control = wrap.querySelector(".figure-downloads") as HTMLElement;
    expect(control.textContent).toBe("Download: SVG · PNG · CSV");
    expect(control.dataset.rows).toBe("2");
    const links = [...control.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("download"))).toEqual([
      "us-bias-recommended-seed7-rounds50.svg",
      "us-bias-recommended-seed7-rounds50.png",
      "us-bias-recommended-seed7-rounds50.csv",
    ]);
    expect(links.map((a) => a.getAttribute("aria-label"))).toEqual([
      "Download this figure as SVG",
      "Download this figure as PNG",
      "Download this figure as CSV",
    ]);
    expect(links.every((a) => a.getAttribute("href") === "#")).toBe(true);
  });

  it("offers the rows a chart kept with withRows when the page passes none, and the page's rows over them", () => {
    const chart = withRows(document.createElement("div"), [{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect((figureDownloads(chart, "kept") as HTMLElement).querySelector<HTMLElement>(".figure-downloads")!.dataset.rows).toBe("3");
    const again = withRows(document.createElement("div"), [{ a: 1 }]);
    expect((figureDownloads(again, "passed", []) as HTMLElement).querySelector<HTMLElement>(".figure-downloads")!.dataset.rows).toBe("0");
  });

  it("names the file when it has no rows at all, and says how to give them", () => {
    expect(() => figureDownloads(document.createElement("div"), "orphan")).toThrow(/figureDownloads\("orphan"\): no rows .*withRows/);
  });

  it("leaves an empty state as it is: it is no figure", () => {
    const empty = document.createElement("div");
    empty.className = "empty-state";
    expect(figureDownloads(empty, "none", [])).toBe(empty);
  });

  it("keeps an input chart an input: the wrapper reads its value, and its input events reach the wrapper", () => {
    const chart = Object.assign(document.createElement("div"), { value: { rank: 3 } });
    const wrap = figureDownloads(chart, "curve", []) as HTMLElement & { value: unknown };
    expect(wrap.value).toEqual({ rank: 3 });
    (chart as unknown as { value: unknown }).value = { rank: 5 };
    expect(wrap.value).toEqual({ rank: 5 });
    let heard = 0;
    wrap.addEventListener("input", () => heard++);
    chart.dispatchEvent(new window.Event("input", { bubbles: true }));
    expect(heard).toBe(1);
    expect("value" in (figureDownloads(document.createElement("div"), "plain", []) as object)).toBe(false);
  });
});

describe("the SVG file's layout", () => {
  it("frames every part in one box, padded", () => {
    expect(unionBox([box(10, 20, 100, 50), box(-5, 40, 10, 100)], 8)).toEqual(box(-13, 12, 131, 136));
    expect(unionBox([box(3, 4, 5, 6)])).toEqual(box(3, 4, 5, 6));
    expect(unionBox([])).toEqual(box(0, 0, 0, 0));
  });

  it("joins words at one height into a line and starts a new line where the text wraps", () => {
    const lines = textLines([
      { text: "Left:", box: box(0, 100, 30, 16) },
      { text: "residuals", box: box(34, 101, 60, 16) },
      { text: "of", box: box(0, 118, 12, 16) },
      { text: "models", box: box(16, 118, 40, 16) },
    ]);
    expect(lines).toEqual([
      { text: "Left: residuals", box: box(0, 100, 94, 17) },
      { text: "of models", box: box(0, 118, 56, 16) },
    ]);
    expect(textLines([])).toEqual([]);
  });
});
