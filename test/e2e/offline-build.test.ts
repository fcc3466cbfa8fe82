/**
 * The build needs no network: `npm run build` with every fetch and host lookup
 * refused (in this process and in every data loader it starts) succeeds, and nothing
 * tried to reach the network. (On Linux, `unshare -n npm run build` shows the same
 * with the kernel's help; see docs/offline-build.md.)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser } from "../helpers/browser.js";
import { PAPER_DATA } from "../helpers/paths.js";
import { serveDir } from "../helpers/server.js";

function build(env: NodeJS.ProcessEnv, log: string): string {
  rmSync(join(REPO_ROOT, "src", ".observablehq", "cache", "data"), { recursive: true, force: true });
  return execFileSync("npm", ["run", "build"], {
    cwd: REPO_ROOT,
    env: { ...env, NO_NETWORK_LOG: log, NODE_OPTIONS: `--import ${join(REPO_ROOT, "test", "helpers", "no-network.mjs")}` },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

it("with no network and no local release, builds the simulated demo and says so on every page", async () => {
  const log = join(mkdtempSync(join(tmpdir(), "mca-offline-")), "attempts.log");
  const env: NodeJS.ProcessEnv = { ...process.env, MCA_RELEASE_CACHE: mkdtempSync(join(tmpdir(), "mca-no-release-")) };
  delete env.MCA_PAPER_DATA;
  delete env.MCA_SOURCE;
  const { spawnSync } = await import("node:child_process");
  rmSync(join(REPO_ROOT, "src", ".observablehq", "cache", "data"), { recursive: true, force: true });
  const run = spawnSync("npm", ["run", "build"], {
    cwd: REPO_ROOT,
    env: { ...env, NO_NETWORK_LOG: log, NODE_OPTIONS: `--import ${join(REPO_ROOT, "test", "helpers", "no-network.mjs")}` },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout + run.stderr).toContain("SIMULATED DEMO: simulated data, not research results");
  // The build tried the release's download (refused), and nothing else.
  const attempts = readFileSync(log, "utf8");
  expect(attempts).toMatch(/raw\.githubusercontent\.com/);
  const server = await serveDir(join(REPO_ROOT, "dist"));
  const browser = await launchBrowser();
  try {
    for (const path of ["/", "/explore"]) {
      const page = await browser.newPage();
      await page.goto(server.url + path);
      await page.waitForSelector(".source-banner.simulated");
      expect(await page.textContent(".source-banner")).toContain("Simulated data, not research results");
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}, 600_000);

it("builds the study's site with the network refused, from a local copy of the release", () => {
  const log = join(mkdtempSync(join(tmpdir(), "mca-offline-")), "attempts.log");
  // Start from an empty loader cache, so the data loaders run too.
  const output = build({ ...process.env, MCA_PAPER_DATA: PAPER_DATA }, log);
  expect(output).toContain("render /index");
  expect(existsSync(join(REPO_ROOT, "dist", "index.html"))).toBe(true);
  expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
}, 600_000);
