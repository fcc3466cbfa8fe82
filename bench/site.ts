/**
 * Browser benchmarks of the built site (dist/) in headless Chromium:
 *
 * 1. Re-slicing latency on the Explore page: the time from changing a filter (model,
 *    country, language, item) to the last DOM change of the charts and tables that
 *    follow it (observed with a MutationObserver, then one animation frame for the
 *    paint), over 40 changes; p50 and p95.
 * 2. Controls that rerun a bootstrap or a refit (Alignment: rounds and metric;
 *    Capability: regression variant): time to the first update (the progress bar) and
 *    to the final one (the redrawn chart).
 * 3. Transfer size of each page, loaded with an empty cache.
 * 4. The robustness page's multiverse: every specification of the workspace evaluated in
 *    the page's Web Worker (target: 200 or more in ≤ 60 s), then the item-cluster
 *    bootstrap and the other robustness figures; two loads.
 *
 * Run with `npm run bench` after `npm run build`. Prints its figures; asserts nothing.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { REPO_ROOT } from "../loaders/paths.js";
import { launchBrowser } from "../test/helpers/browser.js";
import { serveDir } from "../scripts/serve.js";

const DIST = join(REPO_ROOT, "dist");
const PAGES = ["/", "/alignment", "/consistency", "/capability", "/us-bias", "/robustness", "/judges", "/explore", "/questions", "/data-methods"];

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  return s[Math.floor(h)]! + (h - Math.floor(h)) * (s[Math.ceil(h)]! - s[Math.floor(h)]!);
}

export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => [...document.querySelectorAll(".analysis-progress")].every((e) => !e.querySelector("progress")), null, {
    timeout: 120_000,
  });
  await page.waitForTimeout(500);
}

/** Installs a mutation recorder on the page's main content. */
export async function installRecorder(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __first: number; __last: number };
    w.__first = 0;
    w.__last = 0;
    new MutationObserver(() => {
      const t = performance.now();
      if (!w.__first) w.__first = t;
      w.__last = t;
    }).observe(document.querySelector("#observablehq-main") ?? document.body, { childList: true, subtree: true, characterData: true });
  });
}

/** Runs `change` in the page and returns [first, last] DOM update times after it, in ms. */
export async function measure(page: Page, change: () => void, done?: () => boolean): Promise<[number, number]> {
  const t0 = await page.evaluate((source) => {
    const w = window as unknown as { __first: number; __last: number };
    w.__first = 0;
    w.__last = 0;
    const t = performance.now();
    new Function(source)();
    return t;
  }, `(${change.toString()})()`);
  const doneSource = done ? `(${done.toString()})()` : "true";
  // Wait until the update has finished (done() holds) and the DOM has been quiet for 250 ms.
  await page.waitForFunction(
    ([src]) => {
      const w = window as unknown as { __first: number; __last: number };
      return w.__last > 0 && new Function(`return ${src}`)() && performance.now() - w.__last > 250;
    },
    [doneSource],
    { timeout: 180_000, polling: 20 },
  );
  const [first, last] = await page.evaluate(
    () =>
      new Promise<[number, number]>((resolve) => {
        const w = window as unknown as { __first: number; __last: number };
        const f = w.__first;
        const l = w.__last;
        requestAnimationFrame(() => resolve([f, l]));
      }),
  );
  return [first - t0, last - t0];
}

/** Sets a <select multiple> (by its label text) to the given option values and fires input. */
export function selectChange(label: string, values: string[]): () => void {
  return new Function(`
    const label = [...document.querySelectorAll("form label")].find((l) => l.textContent.trim() === ${JSON.stringify(label)});
    if (!label) throw new Error("no control labelled " + ${JSON.stringify(label)} + " on the page");
    const select = label.parentElement.querySelector("select");
    const want = new Set(${JSON.stringify(values)});
    for (const o of select.options) o.selected = want.has(o.textContent) || want.has(o.value);
    select.dispatchEvent(new Event("input", {bubbles: true}));
  `) as () => void;
}

export function checkboxToggle(text: string): () => void {
  return new Function(`
    const input = [...document.querySelectorAll("input[type=checkbox]")].find((i) => i.parentElement.textContent.trim() === ${JSON.stringify(text)});
    input.checked = !input.checked;
    input.dispatchEvent(new Event("input", {bubbles: true}));
  `) as () => void;
}

/** The 40 filter changes on Explore (model, country, language, item, ten rounds), for the re-slicing figures. */
export function exploreChanges(): Array<{ kind: string; run: () => void }> {
  const models = ["GPT-4o", "Gemma-2 27B", "OLMo-2 13B", "GPT-3.5 Turbo", "Gemma-2 2B"];
  const items = ["Justifiable: Abortion (f120)", "Justifiable: Divorce (f121)", "Importance of democracy (e235)", "Income equality (e035)"];
  const countries = ["Denmark", "Netherlands", "Brazil", "United States", "Nigeria"];
  const languages = ["Danish", "English", "Dutch", "Portuguese"];
  const changes: Array<{ kind: string; run: () => void }> = [];
  for (let i = 0; i < 10; i++) {
    changes.push({ kind: "model", run: selectChange("Models", i % 5 === 4 ? [] : [models[i % 5]!]) });
    changes.push({
      kind: "country",
      run: selectChange("Countries (survey chart and its download)", i % 5 === 4 ? [] : [countries[i % 5]!, countries[(i + 1) % 5]!]),
    });
    changes.push({ kind: "language", run: checkboxToggle(languages[i % 4]!) });
    changes.push({ kind: "item", run: selectChange("Items", i % 4 === 3 ? [] : [items[i % 4]!]) });
  }
  return changes;
}

export async function runSiteBench(log: (line: string) => void = console.log): Promise<void> {
  if (!existsSync(join(DIST, "index.html"))) {
    log("site: skipped, dist/ is missing (run `npm run build` first)");
    return;
  }
  // The figures depend on the data the site was built from: say which.
  const summary = readdirSync(join(DIST, "_file", "data")).find((f) => /^source\.[0-9a-f]+\.json$/.test(f));
  const source = summary ? (JSON.parse(readFileSync(join(DIST, "_file", "data", summary), "utf8")) as { source: string; description?: string }) : null;
  log(
    `site: dist/ was built from ${source ? `the ${source.source} source (${source.description ?? ""})` : "an unknown source"}; the study's figures need MCA_PAPER_DATA=../shared/paper-data npm run build`,
  );
  const server = await serveDir(DIST);
  const browser = await launchBrowser();
  try {
    // 1. Re-slicing on Explore.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/explore`);
    await settle(page);
    await installRecorder(page);
    const changes = exploreChanges();
    const byKind = new Map<string, number[]>();
    const all: number[] = [];
    for (const c of changes) {
      const [, last] = await measure(page, c.run);
      all.push(last);
      if (!byKind.has(c.kind)) byKind.set(c.kind, []);
      byKind.get(c.kind)!.push(last);
    }
    log(
      `site: re-slicing on /explore, ${all.length} filter changes: p50 ${percentile(all, 0.5).toFixed(0)} ms, ` +
        `p95 ${percentile(all, 0.95).toFixed(0)} ms (target p95 ≤ 100 ms: ${percentile(all, 0.95) <= 100 ? "met" : "NOT MET"})`,
    );
    log(`  by filter: ${[...byKind].map(([k, v]) => `${k} p50 ${percentile(v, 0.5).toFixed(0)} / p95 ${percentile(v, 0.95).toFixed(0)} ms`).join("; ")}`);
    await page.close();

    // 2. Controls that rerun a bootstrap or a refit.
    const heavy: Array<{ path: string; name: string; run: () => void }> = [
      {
        path: "/alignment",
        name: "Alignment: bootstrap rounds 100 → 200",
        run: new Function(
          `const r = [...document.querySelectorAll("input[type=range]")][0]; r.value = 200; r.dispatchEvent(new Event("input", {bubbles: true}));`,
        ) as () => void,
      },
      { path: "/alignment", name: "Alignment: metric → Pearson", run: selectChange("Metric", ["pearson"]) },
      {
        path: "/capability",
        name: "Capability: regression variant → normal",
        run: new Function(
          `const r = [...document.querySelectorAll("input[type=radio]")].find((i) => i.value === "1" || i.parentElement.textContent.includes("One consistency slope")); r.checked = true; r.dispatchEvent(new Event("input", {bubbles: true}));`,
        ) as () => void,
      },
    ];
    for (const h of heavy) {
      const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await p.goto(`${server.url}${h.path}`);
      await settle(p);
      await installRecorder(p);
      const [first, last] = await measure(p, h.run, () => [...document.querySelectorAll(".analysis-progress")].every((e) => !e.querySelector("progress")));
      log(`site: ${h.name}: first update ${first.toFixed(0)} ms, final ${last.toFixed(0)} ms`);
      await p.close();
    }

    // 3. Transfer size per page, empty cache.
    const sizes: string[] = [];
    for (const path of PAGES) {
      const context = await browser.newContext();
      const p = await context.newPage();
      server.bytes.clear();
      await p.goto(`${server.url}${path}`);
      await settle(p);
      const total = [...server.bytes.values()].reduce((a, b) => a + b, 0);
      // What a host that compresses (gzip) would send.
      let gz = 0;
      for (const file of server.bytes.keys()) {
        const local = join(DIST, decodeURIComponent(file));
        gz += existsSync(local) && statSync(local).isFile() ? gzipSync(readFileSync(local)).length : 0;
      }
      sizes.push(`${path} ${(total / 1e6).toFixed(2)} MB (gzip ${(gz / 1e6).toFixed(2)} MB)`);
      await context.close();
    }
    log(`site: transfer per page, empty cache, as served here (uncompressed): ${sizes.join(", ")}`);

    // 4. The multiverse on the robustness page.
    for (let run = 1; run <= 2; run++) {
      const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const t0 = Date.now();
      await p.goto(`${server.url}/robustness`);
      const status = () => document.querySelector(".analysis-progress")?.textContent ?? "";
      await p.waitForFunction((src) => /\d+ specifications in [\d.]+ s/.test(new Function(`return ${src}`)()), `(${status.toString()})()`, {
        timeout: 300_000,
        polling: 100,
      });
      const wall = Date.now() - t0;
      const text = await p.evaluate(status);
      const [, count, seconds] = /(\d+) specifications in ([\d.]+) s/.exec(text)!;
      await p.waitForFunction(() => [...document.querySelectorAll(".analysis-progress")].some((e) => /^Computed in/.test(e.textContent ?? "")), null, {
        timeout: 300_000,
        polling: 100,
      });
      const extras = Date.now() - t0 - wall;
      log(
        `site: robustness multiverse, load ${run}: ${count} specifications in ${seconds} s in the Web Worker ` +
          `(${(wall / 1000).toFixed(1)} s from navigation, at the page's defaults: 50 replicates, 20 extra seeds); the published analysis under 21 seeds and the other figures ${(extras / 1000).toFixed(1)} s more`,
      );
      await p.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
