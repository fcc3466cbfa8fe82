/**
 * `npm run build`'s last step: Framework's build into a fresh folder beside the output,
 * swapped in only when it succeeds, so a failed build never empties the site that was
 * there (Framework clears its output folder before it builds). The output is dist/, or
 * MCA_OUTPUT (the tests build a second site elsewhere). Every page is then finished
 * (scripts/finishHtml.ts: its language, a zoomable viewport, a skip link).
 */
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../loaders/paths.js";
import { finishSite } from "./finishHtml.js";

/** Runs `build(into)` on a fresh folder and swaps it in for `target` only when it succeeds. */
export function buildAtomically(target: string, build: (into: string) => void): void {
  const next = `${target}.next-${process.pid}`;
  const previous = `${target}.previous-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  try {
    build(next);
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(target)) renameSync(target, previous);
  renameSync(next, target);
  rmSync(previous, { recursive: true, force: true });
}

function observableBuild(into: string): void {
  const bin = join(REPO_ROOT, "node_modules", ".bin", "observable");
  const run = spawnSync(bin, ["build"], { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, MCA_OUTPUT: into, OBSERVABLE_TELEMETRY_DISABLE: "true" } });
  if (run.status !== 0) throw new Error(`the build failed (exit ${run.status ?? run.signal}); the previous site, if any, is left as it was`);
  finishSite(into);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = resolve(REPO_ROOT, process.env.MCA_OUTPUT ?? "dist");
  try {
    buildAtomically(target, observableBuild);
  } catch (error) {
    console.error(`build: ${(error as Error).message}`);
    process.exit(1);
  }
}
