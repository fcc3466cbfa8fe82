/**
 * Screenshots of the built site for docs/screenshots/ (run after `npm run build`):
 *   npx tsx scripts/docs-screenshots.ts
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../loaders/paths.js";
import { launchBrowser } from "../test/helpers/browser.js";
import { serveDir } from "../test/helpers/server.js";

const SHOTS: Array<[name: string, path: string]> = [
  ["overview", "/"],
  ["capability", "/capability"],
  ["alignment", "/alignment?lang=en"],
  ["explore", "/explore?langs=da&families=gemma,openai"],
  ["questions", "/questions?item=f118"],
];

const out = join(REPO_ROOT, "docs", "screenshots");
mkdirSync(out, { recursive: true });
const server = await serveDir(join(REPO_ROOT, "dist"));
const browser = await launchBrowser();
for (const [name, path] of SHOTS) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(server.url + path);
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => [...document.querySelectorAll(".analysis-progress")].every((e) => !e.querySelector("progress")), null, { timeout: 120_000 });
  await page.waitForTimeout(800);
  // Skip the page header: start the shot at the first chart.
  await page.evaluate(() => document.querySelector("svg[aria-label], .card")?.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: join(out, `${name}.png`) });
  await page.close();
  console.log(`docs/screenshots/${name}.png`);
}
await browser.close();
await server.close();
