/**
 * Screenshots of the built site for docs/screenshots/ (run after `npm run build`):
 *   npx tsx scripts/docs-screenshots.ts [DIST [NAME…]]
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../loaders/paths.js";
import { launchBrowser, settled } from "../test/helpers/browser.js";
import { serveDir } from "./serve.js";

/** [file name, page, colour scheme, viewport width]: every page, and a dark and a phone view. */
const only = process.argv.slice(3);
const SHOTS_ALL: Array<[name: string, path: string, scheme: "light" | "dark", width: number]> = [
  ["overview", "/", "light", 1280],
  ["survey", "/survey", "light", 1280],
  ["alignment", "/alignment?lang=en", "light", 1280],
  ["consistency", "/consistency", "light", 1280],
  ["cross-effects", "/cross-effects", "light", 1280],
  ["capability", "/capability", "light", 1280],
  ["us-bias", "/us-bias", "light", 1280],
  ["whose-opinions", "/whose-opinions", "light", 1280],
  ["dispersion", "/dispersion", "light", 1280],
  ["personas", "/personas", "light", 1280],
  ["unpublished", "/unpublished", "light", 1280],
  ["pro-share", "/pro-share", "light", 1280],
  ["robustness", "/robustness", "light", 1280],
  ["judges", "/judges", "light", 1280],
  ["explore", "/explore?langs=da&families=gemma,openai", "light", 1280],
  ["questions", "/questions?item=f118", "light", 1280],
  ["data-methods", "/data-methods", "light", 1280],
  ["capability-dark", "/capability", "dark", 1280],
  ["whose-opinions-dark", "/whose-opinions", "dark", 1280],
  ["survey-dark", "/survey", "dark", 1280],
  ["personas-dark", "/personas", "dark", 1280],
  ["overview-phone", "/", "light", 390],
  ["us-bias-phone", "/us-bias", "light", 390],
  ["capability-phone", "/capability", "light", 390],
  ["pro-share-phone", "/pro-share", "light", 390],
  ["dispersion-phone-dark", "/dispersion", "dark", 390],
  ["explore-phone-dark", "/explore?langs=nl", "dark", 390],
];
const SHOTS = only.length ? SHOTS_ALL.filter(([name]) => only.includes(name)) : SHOTS_ALL;

const out = join(REPO_ROOT, "docs", "screenshots");
mkdirSync(out, { recursive: true });
const server = await serveDir(join(REPO_ROOT, process.argv[2] ?? "dist"));
const browser = await launchBrowser();
for (const [name, path, scheme, width] of SHOTS) {
  const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 1000 }, colorScheme: scheme });
  console.log(`${name}: ${path}`);
  await page.goto(server.url + path);
  // Every computation finished (or the page has none), as the browser tests wait for it.
  await settled(page);
  await page.waitForTimeout(800);
  // Skip the page header: start the shot at the first chart.
  await page.evaluate(() => document.querySelector("svg[aria-label], .card")?.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: join(out, `${name}.png`) });
  await page.close();
  console.log(`docs/screenshots/${name}.png`);
}
await browser.close();
await server.close();
