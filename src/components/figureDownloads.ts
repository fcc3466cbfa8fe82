/**
 * Every figure's downloads: "Download: SVG · PNG · CSV" under the figure, each file made only
 * when its link is clicked. SVG and PNG are the figure as drawn, in the page's theme
 * (figureExport.ts); CSV is the rows the figure draws, every number at full precision.
 */
import { toCsv } from "../lib/csv.js";
import { figureSvg, svgToPng, themeBackground } from "./figureExport.js";
import { lazyLink } from "./lazyLink.js";

/**
 * A file name's stem from a page's state: runs of characters other than letters, digits, dot,
 * underscore and hyphen become one hyphen; no leading dot or hyphen, no trailing hyphen.
 */
export function fileStem(name: string): string {
  const stem = name
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "");
  return stem || "figure";
}

/** The rows as CSV cells: a list or an object in a cell is written as JSON, everything else as it is. */
export function csvCells(rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v !== null && typeof v === "object" ? JSON.stringify(v) : v])));
}

/** Every column of any row, in the order they first appear. */
export function csvColumns(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))];
}

/** Several series of rows as one table, each row led by a `series` column naming its series. */
export function tagged(series: Record<string, ReadonlyArray<object>>): Array<Record<string, unknown>> {
  return Object.entries(series).flatMap(([name, rows]) => rows.map((r) => ({ series: name, ...r })));
}

/** The figure's accessible name, for the SVG file's title. */
function figureTitle(figure: Element): string {
  const named = figure.matches("[aria-label]") ? figure : figure.querySelector("svg[aria-label]");
  return named?.getAttribute("aria-label") ?? "";
}

/** The rows a chart draws, kept with the chart it returns, for a chart that derives them from what it was given. */
const drawnRows = new WeakMap<Element, ReadonlyArray<Record<string, unknown>>>();

/** Keeps the rows a chart draws with it, so that figureDownloads can offer them without the page passing them. */
export function withRows<T extends Element>(chart: T, rows: ReadonlyArray<object>): T {
  drawnRows.set(chart, rows as ReadonlyArray<Record<string, unknown>>);
  return chart;
}

/**
 * The figure with "Download: SVG · PNG · CSV" under it, in one wrapper. `rows` are the rows it
 * draws (by default those the chart kept with withRows); `name` the files' name, from the
 * page's state. An empty state is no figure and is returned as it is. A figure that is an
 * input (a chart whose value is the pointed point) stays one: the wrapper reads its value,
 * and its input events reach the wrapper.
 */
export function figureDownloads(figure: HTMLElement | SVGElement, name: string, rows?: ReadonlyArray<object>): HTMLElement | SVGElement {
  if (figure.classList.contains("empty-state")) return figure;
  const data = (rows ?? drawnRows.get(figure)) as ReadonlyArray<Record<string, unknown>> | undefined;
  if (!data) throw new Error(`figureDownloads("${name}"): no rows for the CSV; pass the rows the figure draws, or keep them with the chart by withRows.`);
  const stem = fileStem(name);
  const wrap = document.createElement("div");
  wrap.className = "figure-with-downloads";
  const links = document.createElement("div");
  links.className = "figure-downloads";
  links.dataset.rows = String(data.length);
  const svgFile = () => figureSvg(figure, figureTitle(figure));
  links.append(
    "Download: ",
    lazyLink("SVG", `${stem}.svg`, () => new Blob([svgFile().svg], { type: "image/svg+xml" })),
    " · ",
    lazyLink("PNG", `${stem}.png`, () => svgToPng(svgFile(), themeBackground())),
    " · ",
    lazyLink("CSV", `${stem}.csv`, () => new Blob([toCsv(csvCells(data), csvColumns(data))], { type: "text/csv" })),
  );
  for (const a of links.querySelectorAll("a")) a.setAttribute("aria-label", `Download this figure as ${a.textContent}`);
  wrap.append(figure, links);
  if ("value" in figure) Object.defineProperty(wrap, "value", { get: () => (figure as unknown as { value: unknown }).value });
  return wrap;
}
