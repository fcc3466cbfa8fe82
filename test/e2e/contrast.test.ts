/**
 * Every chart mark of every page stands out against the page's background in both themes
 * the site follows (light and dark, as the reader's system sets it): WCAG contrast of at
 * least 3:1, the level for graphical objects (test/helpers/contrast.ts says what is measured).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import config from "../../observablehq.config.js";
import { launchBrowser, settled } from "../helpers/browser.js";
import { chartMarkContrasts } from "../helpers/contrast.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

const DIST = join(REPO_ROOT, "dist");
const PAGES = config.pages.map((p: { path: string }) => p.path);

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

describe("chart marks against both themes", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`every page's chart marks have at least 3:1 contrast on the ${scheme} theme`, async () => {
      let measured = 0;
      for (const path of PAGES) {
        const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
        await page.goto(server.url + path);
        await settled(page);
        const marks = await chartMarkContrasts(page);
        measured += marks.length;
        const low = [...new Set(marks.filter((m) => m.contrast < 3).map((m) => `${m.chart} · ${m.mark} · ${m.color} (${m.contrast.toFixed(2)}:1)`))];
        expect(low, `${path} on the ${scheme} theme`).toEqual([]);
        await page.close();
      }
      // The measure found the marks (a selector that matched nothing would pass any page).
      expect(measured).toBeGreaterThan(1000);
    }, 600_000);
  }
});
