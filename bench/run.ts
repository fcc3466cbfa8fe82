/**
 * Benchmarks (`npm run bench`). Prints its figures; nothing here asserts a time.
 *
 * 1. reproduce: the whole `mca reproduce --rounds 100` computation in Node (the
 *    bootstrap at three levels, both regressions with RQ1's three variants and the
 *    capability figure's 100 OLS refits, US-centric bias, self-consistency figure,
 *    alignment table), timed in-process over several repetitions.
 * 2. cli: the `mca reproduce --rounds 100 --json` command end to end, as a user runs
 *    it (process start, TypeScript loading, reading the release, printing JSON).
 * 2b. robustness (bench/robustness.ts): the multiverse in Node at 50 and 200 replicates,
 *    with each claim's share at both.
 * 2c. sampling (bench/sampling.ts): one bootstrap round's draws as multinomial counts over
 *    93,000 cells, against drawing the rows, at 1 and 100 responses per cell.
 * 3. pipeline (bench/pipeline.ts): survey ground truth at the joint file's size,
 *    generation throughput against a fake server, and a cached rerun.
 * 4. site (bench/site.ts): re-slicing latency, recompute controls and transfer size of
 *    the built site in headless Chromium.
 *
 * 5. scale (bench/scale.ts): the release with every response repeated 1×, 10×, 100× (with
 *    ~1.2 KB of synthetic text each): reproduce's time and peak memory, the build, and the
 *    overview's and Explore's first figure, re-slicing and transfer at each size. It takes
 *    well over 10 minutes (a build per factor, several minutes each; 100× alone writes a
 *    440 MB workspace), so it runs only when named: `npm run bench -- scale`, with
 *    BENCH_SCALE_FACTORS=1,10 to choose the factors. It rebuilds dist/ from the scaled
 *    workspaces: rebuild (`npm run build`) before the site part or the e2e tests.
 *
 * `npm run bench -- site` (or any of reproduce, cli, robustness, pipeline, site, scale,
 * comma-separated) runs only those parts; with no part named, all but scale run. The
 * study's release is read from MCA_PAPER_DATA, or ../shared/paper-data.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "../loaders/paths.js";
import { paperWorkspace } from "../loaders/sources/paper.js";
import { localRelease } from "../loaders/sources/paperRelease.js";
import { reproduce, reproduceJson } from "../src/lib/analyses/reproduce.js";

const paperData = resolve(REPO_ROOT, process.env.MCA_PAPER_DATA ?? "../shared/paper-data");
if (!existsSync(paperData)) {
  console.error(`bench: the study's release is not at ${paperData}; set MCA_PAPER_DATA`);
  process.exit(1);
}
const repetitions = Number(process.env.BENCH_REPS ?? 5);
const PARTS = ["reproduce", "cli", "robustness", "sampling", "pipeline", "site", "scale"] as const;
/** Parts that run only when named (they take too long for a default run). */
const ONLY_WHEN_NAMED: ReadonlySet<string> = new Set(["scale"]);
const asked = process.argv
  .slice(2)
  .flatMap((a) => a.split(","))
  .filter(Boolean);
const unknown = asked.filter((a) => !(PARTS as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`bench: unknown part ${unknown.join(", ")}; the parts are ${PARTS.join(", ")}`);
  process.exit(2);
}
const run = (part: (typeof PARTS)[number]) => (asked.length === 0 ? !ONLY_WHEN_NAMED.has(part) : asked.includes(part));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`);

let t = performance.now();
if (run("reproduce")) {
  const ws = paperWorkspace(localRelease(paperData));
  const loadMs = performance.now() - t;
  console.log(`load: reading and mapping the release: ${loadMs.toFixed(0)} ms`);

  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    t = performance.now();
    const result = reproduce(ws, { rounds: 100, seed: i + 1 });
    JSON.stringify(reproduceJson(result));
    times.push(performance.now() - t);
  }
  console.log(
    `reproduce --rounds 100 (in-process, ${repetitions} seeds): median ${(median(times) / 1000).toFixed(2)} s ` +
      `[${times.map((x) => (x / 1000).toFixed(2)).join(", ")}] (target ≤ 5 s; the reference Python implementation takes 66 s)`,
  );

  const stages: Record<string, number> = {};
  for (const part of ["rq1", "capabilityFigure", "usBias", "consistency", "alignment"] as const) {
    t = performance.now();
    reproduce(ws, { rounds: 100, seed: 1, parts: [part] });
    stages[part] = performance.now() - t;
  }
  console.log(
    `  by part (each alone, sharing nothing): ${Object.entries(stages)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
      .join(", ")}`,
  );
}

const cli: number[] = [];
for (let i = 0; run("cli") && i < 3; i++) {
  t = performance.now();
  execFileSync(process.execPath, [join(REPO_ROOT, "bin", "mca.js"), "reproduce", "--rounds", "100", "--json"], {
    env: { ...process.env, MCA_PAPER_DATA: paperData },
    stdio: ["ignore", "ignore", "inherit"],
  });
  cli.push(performance.now() - t);
}
if (run("cli"))
  console.log(
    `cli: mca reproduce --rounds 100 --json, end to end: median ${(median(cli) / 1000).toFixed(2)} s [${cli.map((x) => (x / 1000).toFixed(2)).join(", ")}]`,
  );

// 2b. The multiverse in Node, and its claims' shares at 50 and 200 replicates.
if (run("robustness")) {
  const { runRobustnessBench } = await import("./robustness.js");
  runRobustnessBench(paperWorkspace(localRelease(paperData)));
}

// 2c. The bootstrap's draws: multinomial counts over cells against drawing the rows.
if (run("sampling")) {
  const { runSamplingBench } = await import("./sampling.js");
  runSamplingBench();
}

// 3. The pipeline: ground truth at the joint file's size, generation throughput, cached rerun.
if (run("pipeline")) {
  const { runPipelineBench } = await import("./pipeline.js");
  await runPipelineBench();
}

// 4. The site in Chromium (needs dist/ and /usr/bin/chromium).
if (run("site")) {
  const { runSiteBench } = await import("./site.js");
  await runSiteBench().catch((error: Error) => console.log(`site: not run: ${error.message}`));
}

// 5. Scale: 1×, 10×, 100× the responses (only when named; rebuilds dist/).
if (run("scale")) {
  const { runScaleBench } = await import("./scale.js");
  await runScaleBench(paperData);
}
