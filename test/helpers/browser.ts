/**
 * Headless Chromium from Debian (/usr/bin/chromium), driven by playwright-core.
 * No browser is ever downloaded; install it with `apt-get install -y chromium`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { serveDir, type StaticServer } from "./server.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** A page of the served site, opened at `url`, with its console errors and uncaught exceptions collected. */
export async function openWatched(
  browser: Browser,
  url: string,
  options: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number } } = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1200, height: 900 }, colorScheme: options.colorScheme ?? "light" });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

/**
 * Waits until a page has finished computing: no progress bar, and every chart drawn. With
 * `computes`, the page must show at least one computation's status (a research page), so that
 * a status not yet on screen is never taken for the end.
 */
export async function settled(page: Page, options: { computes?: boolean } = {}): Promise<void> {
  await page.waitForLoadState("networkidle");
  // Done means every computation has reported its end ("Computed…" or a failure). A page
  // whose status has not appeared yet is not done: one with no computation at all counts
  // as settled after a few seconds.
  await page.waitForFunction(
    (computes) => {
      if (document.querySelector(".observablehq--loading")) return false;
      const statuses = [...document.querySelectorAll(".analysis-progress")];
      if (statuses.length === 0) return !computes && performance.now() > 4000;
      return statuses.every((e) => !e.querySelector("progress") && /Computed|failed|specifications, computed/.test(e.textContent ?? ""));
    },
    options.computes ?? false,
    { timeout: 150_000 },
  );
}

/** Where browser tests keep their screenshots (test-results/, not committed). */
export const SHOTS = join(REPO_ROOT, "test-results", "screenshots");

/**
 * The built site (dist/) served, with one Chromium, for a browser-test file: registers its own
 * beforeAll and afterAll, and opens pages as `openWatched` does. Fails at once without a build.
 */
export function builtSite(): { open: (path: string, options?: Parameters<typeof openWatched>[2]) => Promise<{ page: Page; errors: string[] }> } {
  const dist = join(REPO_ROOT, "dist");
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(join(dist, "index.html"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
    mkdirSync(SHOTS, { recursive: true });
    server = await serveDir(dist);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { open: (path, options) => openWatched(browser!, server!.url + path, options) };
}
