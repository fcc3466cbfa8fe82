/**
 * Figure downloads in headless Chromium on the built site (the paper source): on every page of
 * the navigation, every chart sits in a figure with "Download: SVG · PNG · CSV"; the files of a
 * few figures are what they claim to be (a standalone SVG with the figure's marks and no CSS
 * left to resolve, a PNG at twice its size, a CSV with a row per drawn row); in dark mode the
 * SVG's text has the dark theme's colour; and the demo's SIMULATED mark stays in the file.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../observablehq.config.js";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser, openWatched, settled } from "../helpers/browser.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

const DIST = join(REPO_ROOT, "dist");
const PAGES: string[] = config.pages.map((p: { path: string }) => p.path);
/** Pages whose default view draws at least one figure on the study's data. */
const WITH_FIGURES = [
  "/survey",
  "/alignment",
  "/consistency",
  "/cross-effects",
  "/capability",
  "/us-bias",
  "/whose-opinions",
  "/robustness",
  "/explore",
  "/questions",
];

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  server = await serveDir(DIST);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The file a download link gives when clicked (or, with `key`, when reached by keyboard and pressed). */
async function download(page: Page, link: Locator, key?: string): Promise<Buffer> {
  const event = page.waitForEvent("download");
  if (key) {
    await link.focus();
    await page.keyboard.press(key);
  } else await link.click();
  return readFileSync((await (await event).path())!);
}

/** The n-th figure's wrapper and its three links. */
function figureAt(page: Page, n: number) {
  const wrap = page.locator(".figure-with-downloads").nth(n);
  const link = (text: string) => wrap.locator(".figure-downloads a", { hasText: text });
  return { wrap, svg: link("SVG"), png: link("PNG"), csv: link("CSV") };
}

/** Elements per tag in the figure's charts on the page, and in the downloaded file. */
const TAGS = ["circle", "line", "path", "text"];
async function marks(wrap: Locator, file?: string): Promise<Record<string, number>> {
  return wrap.evaluate(
    (el, [tags, text]) => {
      const root = text ? new DOMParser().parseFromString(text, "image/svg+xml") : el.firstElementChild!;
      return Object.fromEntries((tags as string[]).map((t) => [t, root.querySelectorAll(t).length + Number(!text && (root as Element).matches(t))]));
    },
    [TAGS, file ?? ""] as const,
  );
}

/** What the file says about itself, parsed by the browser. */
async function parsed(page: Page, text: string) {
  return page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const root = doc.documentElement;
    const firstText = [...doc.querySelectorAll("svg svg text")].find((t) => (t.textContent ?? "").trim());
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      tag: root.tagName,
      xmlns: root.getAttribute("xmlns"),
      width: Number(root.getAttribute("width")),
      height: Number(root.getAttribute("height")),
      viewBox: root.getAttribute("viewBox"),
      background: doc.querySelector("svg > rect")?.getAttribute("fill") ?? null,
      // The fill a text is drawn in: its own, or the nearest ancestor's (the file writes only what is not inherited).
      textFill: (() => {
        for (let e: Element | null = firstText ?? null; e; e = e.parentElement) {
          const fill = (e.getAttribute("style") ?? "").match(/(?:^|;)fill:([^;]+)/)?.[1];
          if (fill) return fill;
        }
        return null;
      })(),
    };
  }, text);
}

/** The theme's text and background colours, as the page computes them. */
const theme = (page: Page) =>
  page.evaluate(() => ({
    color: getComputedStyle(document.body).color,
    background: [document.body, document.documentElement].map((e) => getComputedStyle(e).backgroundColor).find((c) => !/rgba\(.*, 0\)/.test(c)) ?? "",
  }));

describe("figure downloads", () => {
  it("every figure on every page of the navigation has the SVG, PNG and CSV links", async () => {
    for (const path of PAGES) {
      const { page, errors } = await openWatched(browser, server.url + path);
      await settled(page);
      const report = await page.evaluate(() => {
        const charts = [...document.querySelectorAll("#observablehq-main svg[class^='plot-']")];
        const wrappers = [...document.querySelectorAll(".figure-with-downloads")];
        return {
          charts: charts.length,
          bare: charts.filter((c) => !c.closest(".figure-with-downloads")).map((c) => c.getAttribute("aria-label") ?? c.outerHTML.slice(0, 80)),
          figures: wrappers.length,
          controls: wrappers.map((w) => [...w.querySelectorAll(":scope > .figure-downloads a")].map((a) => a.textContent).join(" ")),
        };
      });
      expect(report.bare, `${path}: charts without downloads`).toEqual([]);
      expect(new Set(report.controls), path).toEqual(report.figures ? new Set(["SVG PNG CSV"]) : new Set());
      if (WITH_FIGURES.includes(path)) expect(report.figures, path).toBeGreaterThan(0);
      expect(errors, path).toEqual([]);
      await page.close();
    }
  });

  it("the alignment figure downloads as a standalone SVG with its marks, a PNG at twice its size and a CSV of its rows", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/alignment`);
    await settled(page);
    const fig = figureAt(page, 0);
    const svgText = (await download(page, fig.svg)).toString("utf8");
    const svg = await parsed(page, svgText);
    expect(svg.error).toBeNull();
    expect(svg).toMatchObject({ tag: "svg", xmlns: "http://www.w3.org/2000/svg" });
    expect(svg.width).toBeGreaterThan(200);
    expect(svg.viewBox?.split(" ").slice(2).map(Number)).toEqual([svg.width, svg.height]);
    expect(svgText).not.toMatch(/var\(--|currentcolor/i);
    const onPage = await marks(fig.wrap);
    const inFile = await marks(fig.wrap, svgText);
    for (const tag of ["circle", "line", "path"]) expect(inFile[tag], tag).toBe(onPage[tag]);
    expect(inFile.text).toBeGreaterThanOrEqual(onPage.text!);
    expect(onPage.circle! + onPage.line! + onPage.path!).toBeGreaterThan(0);

    const png = await download(page, fig.png);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * svg.width, 2 * svg.height]);

    // Reached by keyboard: Tab order holds the link, and Enter downloads.
    const csv = (await download(page, fig.csv, "Enter")).toString("utf8");
    const lines = csv.trimEnd().split("\r\n");
    const rows = Number(await fig.wrap.locator(".figure-downloads").getAttribute("data-rows"));
    expect(rows).toBeGreaterThan(0);
    expect(lines).toHaveLength(rows + 1);
    expect(lines[0]).toMatch(/^model,family,language,level,population,rho,ci_low,ci_high/);
    // Full precision: some estimate has more than the three decimals the table shows.
    expect(lines.slice(1).some((l) => /\d\.\d{6,}/.test(l))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a figure of several charts and an HTML legend (capability) keeps every chart and the legend's swatches and names in the SVG", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/capability`);
    await settled(page, { computes: true });
    const fig = figureAt(page, 0);
    const names = await fig.wrap.locator(".model-legend [role=listitem]").evaluateAll((items) => items.map((i) => i.textContent ?? ""));
    const svgText = (await download(page, fig.svg)).toString("utf8");
    expect((await parsed(page, svgText)).error).toBeNull();
    const charts = await fig.wrap.evaluate(
      (el) => el.querySelectorAll(".chart-grid > svg, .chart-grid > figure svg[class^='plot-']:not([class$='-ramp'])").length,
    );
    expect((svgText.match(/<svg /g) ?? []).length - 1).toBeGreaterThanOrEqual(charts);
    expect(names.length).toBeGreaterThan(1);
    const escaped = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    for (const name of names) expect(svgText, name).toContain(`>${escaped(name)}</text>`);
    const swatches = await fig.wrap.locator(".model-legend .swatch").count();
    expect((svgText.match(/<rect [^>]*rx=/g) ?? []).length).toBe(swatches);
    const csv = (await download(page, fig.csv)).toString("utf8").trimEnd().split("\r\n");
    expect(csv).toHaveLength(Number(await fig.wrap.locator(".figure-downloads").getAttribute("data-rows")) + 1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the world map (a ramp legend and about 170 country shapes) gives a PNG twice the SVG's size", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/questions`);
    await settled(page);
    const fig = figureAt(page, 0);
    expect(await fig.wrap.locator("svg[class^='plot-'] path").count()).toBeGreaterThan(100);
    const svg = await parsed(page, (await download(page, fig.svg)).toString("utf8"));
    const png = await download(page, fig.png);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * svg.width, 2 * svg.height]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("in dark mode, the SVG's text and background are the dark theme's", async () => {
    const colours: Record<string, { text: string | null; background: string | null; theme: { color: string; background: string } }> = {};
    for (const scheme of ["light", "dark"] as const) {
      const { page, errors } = await openWatched(browser, `${server.url}/consistency`, { colorScheme: scheme });
      await settled(page);
      const svg = await parsed(page, (await download(page, figureAt(page, 0).svg)).toString("utf8"));
      colours[scheme] = { text: svg.textFill, background: svg.background, theme: await theme(page) };
      expect(errors).toEqual([]);
      await page.close();
    }
    for (const scheme of ["light", "dark"]) {
      expect(colours[scheme]!.text, scheme).toBe(colours[scheme]!.theme.color);
      expect(colours[scheme]!.background, scheme).toBe(colours[scheme]!.theme.background);
    }
    expect(colours.dark!.text).not.toBe(colours.light!.text);
  });

  it("on simulated data the downloaded figure carries the SIMULATED mark, and on real data it does not", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/alignment`);
    await settled(page);
    const fig = figureAt(page, 0);
    expect((await download(page, fig.svg)).toString("utf8")).not.toContain("SIMULATED");
    // The demo's banner sets this attribute (sourceBanner.ts); the paper build has none, so set it as the demo does.
    await page.evaluate(() => (document.documentElement.dataset.simulated = "true"));
    const marked = (await download(page, fig.svg)).toString("utf8");
    expect(marked).toMatch(/<pattern id="mca-simulated"[\s\S]*>SIMULATED<\/text>/);
    expect(marked).toMatch(/<rect class="mca-watermark" [^>]*fill="url\(#mca-simulated\)"/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
