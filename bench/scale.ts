/**
 * Scale benchmark (`npm run bench -- scale`): the study's release with every response
 * repeated 1×, 10× and 100× (11,152 / 111,520 / 1,115,200 responses, each with a distinct
 * prompt and about 1.2 KB of synthetic response text; bench/scaleWorkspace.ts), and per
 * factor:
 *
 * 1. reproduce: `mca reproduce --rounds 100 --json --source <folder>` as a child process:
 *    wall time and peak RSS (GNU time's maximum resident set size when /usr/bin/time is
 *    there, else the process's own `process.resourceUsage().maxRSS` printed at exit);
 * 2. build: `npm run build` with MCA_SOURCE=<folder>, into this checkout's dist/ (the last
 *    factor's site is what is left there), cold (Framework's cached loader outputs in
 *    src/.observablehq/cache/data are removed first; the npm module cache is kept): wall time and the peak of the summed RSS of its
 *    process group (sampled every 0.5 s from /proc);
 * 3. site, in headless Chromium on that build (skipped when the build failed, so an older
 *    dist/ is never measured):
 *    - first figure on the overview (/) and Explore (/explore): the time from navigation
 *      start (performance.timeOrigin) to the first moment a "figure" of #observablehq-main
 *      has a non-zero layout box (checked on every DOM change and every 50 ms), with an empty cache, normally and with the
 *      CPU slowed 4× (CDP Emulation.setCPUThrottlingRate, rate 4). A figure is
 *      `svg[class^="plot-"]`: the root <svg> of an Observable Plot chart (its legend
 *      swatches are class-less <svg>s and do not count), or `.findings .card.finding`: the
 *      overview has no chart, its figures are the finding cards computed at build time.
 *    - Explore re-slicing: p50/p95 over the 40 filter changes of bench/site.ts;
 *    - the bytes each page transfers on a first load (empty cache, until the network is
 *      idle and the progress bars are gone): as served here (uncompressed, every request
 *      the server answered, workers' included), and gzip-compressed as a host that
 *      compresses would send them; the largest files are listed.
 *
 * Every step has a timeout (reproduce 15 min, build 40 min, a page 3 min); a failure or a
 * timeout is printed in the table, never thrown. Asserts nothing.
 *
 * Options (environment): BENCH_SCALE_FACTORS=1,10,100 (the default), BENCH_SCALE_SEED=1,
 * BENCH_SCALE_STEPS=reproduce,build,site (the default: all three; site without build
 * measures dist/ only if it was built from that factor's workspace).
 * The workspaces are cached in bench/.scale/ (git-ignored; 100× is about 440 MB).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { LOADER_OUTPUT_CACHE, REPO_ROOT } from "../loaders/paths.js";
import { serveDir, type StaticServer } from "../scripts/serve.js";
import { launchBrowser } from "../test/helpers/browser.js";
import { exploreChanges, installRecorder, measure, percentile, settle } from "./site.js";
import { scaledWorkspaceDir, writeScaledWorkspace } from "./scaleWorkspace.js";

const MINUTE = 60_000;
const TIMEOUTS = { reproduce: 15 * MINUTE, build: 40 * MINUTE, page: 3 * MINUTE };
const DIST = join(REPO_ROOT, "dist");
const GNU_TIME = "/usr/bin/time";

/** The first figure of a page (see the header): a Plot chart's root svg, or one of the overview's finding cards. */
export const FIRST_FIGURE_SELECTOR = '#observablehq-main svg[class^="plot-"], #observablehq-main .findings .card.finding';

interface ProcessRun {
  ok: boolean;
  seconds: number;
  /** Peak RSS of the largest single process (GNU time, or the process's own maxRSS), MB. */
  peakMB: number | null;
  /** Peak of the summed RSS of the process group, sampled every 0.5 s, MB. */
  groupPeakMB: number | null;
  /** The largest single process seen by the sampler: its RSS and command line. */
  largestSampled: string | null;
  /** Why it failed: exit code or signal, timeout, and the last lines of stderr. */
  error?: string;
}

interface PageFigures {
  firstFigureMs: number | null;
  firstFigureThrottledMs: number | null;
  servedBytes: number | null;
  gzipBytes: number | null;
  largest: string[];
  errors: string[];
}

interface FactorFigures {
  factor: number;
  responses: number | null;
  workspace?: string;
  reproduce?: ProcessRun;
  build?: ProcessRun;
  overview?: PageFigures;
  explore?: PageFigures;
  reslice?: { p50: number; p95: number; changes: number; error?: string } | { error: string };
}

const mb = (kb: number) => kb / 1024;

interface GroupRss {
  /** Summed RSS (kB) of the group's processes. */
  totalKb: number;
  /** Its largest process: RSS (kB) and command line (the data loader, for a build). */
  largestKb: number;
  largestCommand: string;
}

/** RSS of every process in a process group, from /proc. */
function groupRss(pgid: number): GroupRss {
  const out: GroupRss = { totalKb: 0, largestKb: 0, largestCommand: "" };
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[0] is the state, [1] ppid, [2] pgrp, … [21] rss in pages.
      if (Number(fields[2]) !== pgid) continue;
      const kb = (Number(fields[21]) * 4096) / 1024;
      out.totalKb += kb;
      if (kb > out.largestKb) {
        out.largestKb = kb;
        out.largestCommand = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).slice(-3).join(" ");
      }
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out;
}

function lastLines(text: string, n = 8): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter(
      (l) =>
        l &&
        !/^\s*(Command being timed|User time|System time|Percent of CPU|Elapsed|Average|Maximum resident|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status|Command exited with non-zero status)/.test(
          l.trim(),
        ),
    )
    .slice(-n)
    .join("\n");
}

/**
 * Runs a command in its own process group with a timeout (the whole group is killed at the
 * end of it), sampling the group's RSS; with `gnuTime`, under /usr/bin/time -v.
 */
async function runProcess(command: string, args: string[], options: { env: NodeJS.ProcessEnv; timeoutMs: number; gnuTime: boolean }): Promise<ProcessRun> {
  const useTime = options.gnuTime && existsSync(GNU_TIME);
  const [cmd, argv] = useTime ? [GNU_TIME, ["-v", command, ...args]] : [command, args];
  const started = performance.now();
  const child = spawn(cmd, argv, { cwd: REPO_ROOT, env: options.env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-64_000);
  });
  let groupPeak = 0;
  let largest = { kb: 0, command: "" };
  const sampler = setInterval(() => {
    if (!child.pid) return;
    const rss = groupRss(child.pid);
    groupPeak = Math.max(groupPeak, rss.totalKb);
    if (rss.largestKb > largest.kb) largest = { kb: rss.largestKb, command: rss.largestCommand };
  }, 500);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once("error", (error) => {
      stderr += `\n${error.message}`;
      resolve([null, null]);
    });
    child.once("close", (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) ?? /^mca-bench-maxrss-kb: (\d+)$/m.exec(stderr);
  const killedBy = /Command terminated by signal (\d+)/.exec(stderr);
  const ok = !timedOut && code === 0;
  const run: ProcessRun = {
    ok,
    seconds,
    peakMB: maxRss ? mb(Number(maxRss[1])) : null,
    groupPeakMB: groupPeak ? mb(groupPeak) : null,
    largestSampled: largest.kb ? `${mb(largest.kb).toFixed(0)} MB: ${largest.command}` : null,
  };
  if (!ok) {
    const how = timedOut
      ? `timed out after ${(options.timeoutMs / MINUTE).toFixed(0)} min`
      : killedBy
        ? `killed by signal ${killedBy[1]}`
        : signal
          ? `killed by ${signal}`
          : `exit code ${code}`;
    run.error = `${how}${lastLines(stderr) ? `: ${lastLines(stderr)}` : ""}`;
  }
  return run;
}

/** Makes the node process print its own peak RSS at exit, where GNU time is missing. */
const MAXRSS_IMPORT = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmca-bench-maxrss-kb: "+process.resourceUsage().maxRSS+"\\n"))`;

async function reproduceStep(dir: string, env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  const gnuTime = existsSync(GNU_TIME);
  const args = [...(gnuTime ? [] : ["--import", MAXRSS_IMPORT]), join(REPO_ROOT, "bin", "mca.js"), "reproduce", "--rounds", "100", "--json", "--source", dir];
  return runProcess(process.execPath, args, { env, timeoutMs: TIMEOUTS.reproduce, gnuTime });
}

async function buildStep(dir: string, env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  // A cold build: Framework's cached loader outputs (the findings among them) would otherwise
  // be reused when the same workspace was built last. The offline module cache beside them stays.
  rmSync(LOADER_OUTPUT_CACHE, { recursive: true, force: true });
  const run = await runProcess("npm", ["run", "build"], { env: { ...env, MCA_SOURCE: dir }, timeoutMs: TIMEOUTS.build, gnuTime: true });
  const built = distSource();
  if (run.ok && !built.includes(dir.split("/").pop()!)) {
    run.ok = false;
    run.error = `the build succeeded but dist/ is not of ${dir} (its source: ${built || "none"})`;
  }
  return run;
}

/** What dist/ was built from: its source summary's description (a workspace folder's names the folder). */
function distSource(): string {
  const data = join(DIST, "_file", "data");
  const summary = existsSync(data) ? readdirSync(data).find((f) => /^source\.[0-9a-f]+\.json$/.test(f)) : undefined;
  return summary ? ((JSON.parse(readFileSync(join(data, summary), "utf8")) as { description?: string }).description ?? "") : "";
}

/** Rejects after `ms` with a message naming `what`. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${(ms / MINUTE).toFixed(0)} min`)), ms);
    }),
  ]);
}

/**
 * Installed before any page script: records the first moment a figure has a layout box,
 * checked on every DOM change (a MutationObserver) and every 50 ms (for a box that grows
 * without a DOM change, e.g. when a stylesheet arrives). requestAnimationFrame cannot be
 * used here: a frame callback requested this early, before the document exists, never runs.
 * Source text, not a function: tsx's transform would wrap a function's inner functions in a
 * `__name` helper the page does not have.
 */
const FIRST_FIGURE_PROBE = `(() => {
  const selector = ${JSON.stringify(FIRST_FIGURE_SELECTOR)};
  let observer, interval;
  function check() {
    if (window.__firstFigure !== undefined) return;
    for (const e of document.querySelectorAll(selector)) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        window.__firstFigure = performance.now();
        window.__firstFigureWhat = e.tagName.toLowerCase() + "." + (e.getAttribute("class") || "").split(" ").join(".");
        if (observer) observer.disconnect();
        clearInterval(interval);
        return;
      }
    }
  }
  observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  interval = setInterval(check, 50);
})();`;

/** A first load with an empty cache (a fresh context): ms from navigation start to the first figure. */
async function firstFigure(browser: Browser, url: string, throttle: number, after?: (page: Page) => Promise<void>): Promise<{ ms: number; what: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
    await page.addInitScript({ content: FIRST_FIGURE_PROBE });
    const work = (async () => {
      await page.goto(url, { waitUntil: "commit", timeout: TIMEOUTS.page });
      await page.waitForFunction(() => (window as unknown as { __firstFigure?: number }).__firstFigure !== undefined, null, {
        timeout: TIMEOUTS.page,
        polling: 100,
      });
      const found = await page.evaluate(() => {
        const w = window as unknown as { __firstFigure: number; __firstFigureWhat: string };
        return { ms: w.__firstFigure, what: w.__firstFigureWhat };
      });
      if (after) await after(page);
      return found;
    })();
    return await withTimeout(work, TIMEOUTS.page, `${url}${throttle > 1 ? ` at ${throttle}× CPU` : ""}`);
  } finally {
    await context.close().catch(() => {});
  }
}

export async function pageFigures(browser: Browser, server: StaticServer, path: string, log: (line: string) => void): Promise<PageFigures> {
  const out: PageFigures = { firstFigureMs: null, firstFigureThrottledMs: null, servedBytes: null, gzipBytes: null, largest: [], errors: [] };
  // Normal CPU: the first figure, then (same load) everything the page fetches until it settles.
  try {
    server.bytes.clear();
    const { ms, what } = await firstFigure(browser, `${server.url}${path}`, 1, (page) => settle(page));
    out.firstFigureMs = ms;
    const files = [...server.bytes].map(([file, bytes]) => {
      const local = join(DIST, decodeURIComponent(file));
      const gz = existsSync(local) && statSync(local).isFile() ? gzipSync(readFileSync(local)).length : bytes;
      return { file, bytes, gz };
    });
    out.servedBytes = files.reduce((a, f) => a + f.bytes, 0);
    out.gzipBytes = files.reduce((a, f) => a + f.gz, 0);
    out.largest = files
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 5)
      .map((f) => `${f.file} ${(f.bytes / 1024).toFixed(0)} KB (gzip ${(f.gz / 1024).toFixed(0)} KB)`);
    log(
      `scale:   ${path}: first figure ${ms.toFixed(0)} ms (${what}); ${(out.servedBytes / 1024).toFixed(0)} KB served, ${(out.gzipBytes / 1024).toFixed(0)} KB gzip; largest: ${out.largest.join(", ")}`,
    );
  } catch (error) {
    out.errors.push(`normal: ${(error as Error).message.split("\n")[0]}`);
    log(`scale:   ${path}: FAILED: ${(error as Error).message.split("\n")[0]}`);
  }
  try {
    const { ms } = await firstFigure(browser, `${server.url}${path}`, 4);
    out.firstFigureThrottledMs = ms;
    log(`scale:   ${path}: first figure at 4× CPU ${ms.toFixed(0)} ms`);
  } catch (error) {
    out.errors.push(`4× CPU: ${(error as Error).message.split("\n")[0]}`);
    log(`scale:   ${path} at 4× CPU: FAILED: ${(error as Error).message.split("\n")[0]}`);
  }
  return out;
}

async function resliceFigures(browser: Browser, server: StaticServer): Promise<NonNullable<FactorFigures["reslice"]>> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const deadline = Date.now() + TIMEOUTS.page;
  const times: number[] = [];
  try {
    const page = await context.newPage();
    await withTimeout(
      (async () => {
        await page.goto(`${server.url}/explore`, { timeout: TIMEOUTS.page });
        await settle(page);
        await installRecorder(page);
      })(),
      TIMEOUTS.page,
      "/explore before re-slicing",
    );
    for (const change of exploreChanges()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${TIMEOUTS.page / MINUTE} min`);
      const [, last] = await withTimeout(measure(page, change.run), left, `re-slicing (${change.kind})`);
      times.push(last);
    }
    return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), changes: times.length };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0]!;
    return times.length ? { p50: percentile(times, 0.5), p95: percentile(times, 0.95), changes: times.length, error: message } : { error: message };
  } finally {
    await context.close().catch(() => {});
  }
}

const secs = (s: number) => (s >= 100 ? `${s.toFixed(0)} s` : `${s.toFixed(1)} s`);
const msCell = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;

function runCell(run: ProcessRun | undefined): string {
  if (!run) return "not run";
  return run.ok ? secs(run.seconds) : `FAILED after ${secs(run.seconds)}`;
}

function kbCell(p: PageFigures | undefined): string {
  if (!p || p.servedBytes === null) return "—";
  return `${(p.servedBytes / 1024).toFixed(0)} (gzip ${(p.gzipBytes! / 1024).toFixed(0)})`;
}

export function scaleTable(rows: FactorFigures[]): string {
  const lines = [
    "| factor | responses | reproduce time | reproduce peak MB | build time / status | build peak MB (group) | overview first figure (normal / 4× CPU) | Explore first figure (normal / 4× CPU) | Explore re-slice p50 / p95 | overview KB | Explore KB |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const reslice = r.reslice
      ? "p95" in r.reslice
        ? `${msCell(r.reslice.p50)} / ${msCell(r.reslice.p95)}${r.reslice.changes < 40 ? ` (${r.reslice.changes} of 40)` : ""}`
        : "FAILED"
      : "—";
    lines.push(
      `| ${r.factor}× | ${r.responses?.toLocaleString("en") ?? "—"} | ${runCell(r.reproduce)} | ${r.reproduce?.peakMB ? r.reproduce.peakMB.toFixed(0) : "—"} | ${runCell(r.build)} | ${r.build?.groupPeakMB ? r.build.groupPeakMB.toFixed(0) : "—"} | ` +
        `${r.overview ? `${msCell(r.overview.firstFigureMs)} / ${msCell(r.overview.firstFigureThrottledMs)}` : "—"} | ${r.explore ? `${msCell(r.explore.firstFigureMs)} / ${msCell(r.explore.firstFigureThrottledMs)}` : "—"} | ` +
        `${reslice} | ${kbCell(r.overview)} | ${kbCell(r.explore)} |`,
    );
  }
  const failures = rows.flatMap((r) => [
    ...(r.reproduce?.error ? [`- ${r.factor}× reproduce: ${r.reproduce.error.replace(/\n/g, "\n    ")}`] : []),
    ...(r.build?.error ? [`- ${r.factor}× build: ${r.build.error.replace(/\n/g, "\n    ")}`] : []),
    ...[r.overview, r.explore].flatMap((p, i) => (p?.errors ?? []).map((e) => `- ${r.factor}× ${i ? "/explore" : "/"} ${e}`)),
    ...(r.reslice && "error" in r.reslice && r.reslice.error ? [`- ${r.factor}× re-slicing: ${r.reslice.error}`] : []),
  ]);
  return [...lines, ...(failures.length ? ["", "Failures:", ...failures] : [])].join("\n");
}

export async function runScaleBench(paperData: string, log: (line: string) => void = console.log): Promise<FactorFigures[]> {
  const factors = (process.env.BENCH_SCALE_FACTORS ?? "1,10,100")
    .split(",")
    .map((f) => Number(f.trim()))
    .filter((f) => Number.isInteger(f) && f >= 1);
  const seed = Number(process.env.BENCH_SCALE_SEED ?? 1);
  const steps = new Set((process.env.BENCH_SCALE_STEPS ?? "reproduce,build,site").split(",").map((s) => s.trim()));
  const env: NodeJS.ProcessEnv = { ...process.env, MCA_PAPER_DATA: paperData, OBSERVABLE_TELEMETRY_DISABLE: "true" };
  delete env.MCA_SOURCE;
  log(
    `scale: factors ${factors.join(", ")}, seed ${seed}, steps ${[...steps].join(", ")}; peak RSS from ${existsSync(GNU_TIME) ? "GNU time" : "process.resourceUsage()"}`,
  );
  const rows: FactorFigures[] = [];
  for (const factor of factors) {
    const row: FactorFigures = { factor, responses: null };
    rows.push(row);
    let dir: string;
    try {
      const ws = await writeScaledWorkspace(scaledWorkspaceDir(factor, seed), factor, seed, paperData);
      dir = ws.dir;
      row.responses = ws.responses;
      log(
        `scale: ${factor}×: ${ws.responses.toLocaleString("en")} responses, responses.parquet ${(ws.responsesBytes / 1e6).toFixed(1)} MB (${ws.reused ? "cached" : `written in ${secs(ws.seconds)}`})`,
      );
    } catch (error) {
      log(`scale: ${factor}×: could not write the workspace: ${(error as Error).message}`);
      continue;
    }
    if (steps.has("reproduce")) {
      row.reproduce = await reproduceStep(dir, env);
      log(
        `scale: ${factor}×: reproduce ${runCell(row.reproduce)}, peak ${row.reproduce.peakMB?.toFixed(0) ?? "?"} MB${row.reproduce.error ? `\n  ${row.reproduce.error.replace(/\n/g, "\n  ")}` : ""}`,
      );
    }
    if (steps.has("build")) {
      row.build = await buildStep(dir, env);
      log(
        `scale: ${factor}×: build ${runCell(row.build)}, peak ${row.build.groupPeakMB?.toFixed(0) ?? "?"} MB summed over its processes (largest one ${row.build.peakMB?.toFixed(0) ?? "?"} MB; sampled: ${row.build.largestSampled ?? "?"})` +
          `${row.build.error ? `\n  ${row.build.error.replace(/\n/g, "\n  ")}` : ""}`,
      );
    }
    if (steps.has("site")) {
      // Only a dist/ built from this workspace is measured (without the build step: one built before).
      if (row.build ? !row.build.ok : !distSource().includes(dir.split("/").pop()!)) {
        log(`scale: ${factor}×: site not measured (${row.build ? "the build failed" : `dist/ is not built from ${dir}`})`);
        continue;
      }
      let server: StaticServer | undefined;
      let browser: Browser | undefined;
      try {
        server = await serveDir(DIST);
        browser = await launchBrowser();
        row.overview = await pageFigures(browser, server, "/", log);
        row.explore = await pageFigures(browser, server, "/explore", log);
        row.reslice = await resliceFigures(browser, server);
        log(
          `scale: ${factor}×: re-slicing ${"p95" in row.reslice ? `p50 ${row.reslice.p50.toFixed(0)} ms, p95 ${row.reslice.p95.toFixed(0)} ms over ${row.reslice.changes} changes` : ""}${"error" in row.reslice && row.reslice.error ? ` (${row.reslice.error})` : ""}`,
        );
      } catch (error) {
        log(`scale: ${factor}×: site not measured: ${(error as Error).message.split("\n")[0]}`);
      } finally {
        await browser?.close().catch(() => {});
        await server?.close().catch(() => {});
      }
    }
  }
  log("");
  log(scaleTable(rows));
  return rows;
}
