/**
 * Keeps Framework's cached data-loader outputs in step with the configured source.
 *
 * Framework treats a cached loader output as fresh whenever it is newer than the
 * loader file itself; it knows nothing of MCA_SOURCE, MCA_PAPER_DATA or the
 * pipeline code under loaders/. This script computes a fingerprint of all of those
 * and, when it differs from the one recorded with the cached outputs, deletes the
 * outputs (src/.observablehq/cache/data/ only; the offline module cache in
 * src/.observablehq/cache/_npm/ beside it is left alone). Runs before every build.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LOADER_OUTPUT_CACHE, PAGE_OUTPUT_CACHE, REPO_ROOT } from "../loaders/paths.js";
import { AUTO_DECISION, decideAuto, parseSource, SOURCE_ENV, sourceFingerprint, type AutoDecision } from "../loaders/sources/index.js";
import { resolveRelease } from "../loaders/sources/paperRelease.js";

function codeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && /\.(ts|js|json)$/.test(f))
    .sort();
}

/** Fingerprint of the source and of the code that turns it into tables. */
export function loaderFingerprint(env: NodeJS.ProcessEnv = process.env, auto?: AutoDecision): string {
  const h = createHash("sha256");
  h.update(sourceFingerprint(parseSource(env[SOURCE_ENV]), env, auto));
  for (const file of [...codeFiles(join(REPO_ROOT, "loaders")), ...codeFiles(join(REPO_ROOT, "src", "lib")), ...codeFiles(join(REPO_ROOT, "src", "data"))]) {
    h.update(relative(REPO_ROOT, file));
    h.update(readFileSync(file));
  }
  return h.digest("hex");
}

/** The page loaders (files named *.md.ts under src) and what they write a page from: their templates and the components. */
function pageFiles(): string[] {
  const src = join(REPO_ROOT, "src");
  const pages = readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((f) => !f.startsWith(".observablehq") && /\.md\.(ts|template)$/.test(f))
    .map((f) => join(src, f))
    .sort();
  return [...pages, ...codeFiles(join(src, "components"))];
}

/**
 * Clears Framework's cached outputs of the page loaders (src/index.md.ts: the overview, with
 * its finding cards baked in) when their data, code or templates changed. Framework itself
 * only compares a cached page with its loader's own file. Returns whether it cleared them.
 */
export function syncPageCache(env: NodeJS.ProcessEnv = process.env, auto?: AutoDecision, cacheDir = PAGE_OUTPUT_CACHE): boolean {
  const h = createHash("sha256").update(loaderFingerprint(env, auto));
  const loaders = pageFiles();
  for (const file of loaders) h.update(relative(REPO_ROOT, file)).update(readFileSync(file));
  const stamp = join(cacheDir, ".pages-fingerprint");
  const want = h.digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return false;
  for (const loader of loaders.filter((f) => f.endsWith(".md.ts"))) {
    rmSync(join(cacheDir, relative(join(REPO_ROOT, "src"), loader).slice(0, -".ts".length)), { force: true });
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(stamp, want);
  return true;
}

/**
 * Clears the cached loader outputs when the fingerprint changed; returns whether it did.
 * Only `cacheDir` (the loader outputs) is touched.
 */
export function syncLoaderCache(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = console.log,
  cacheDir = LOADER_OUTPUT_CACHE,
  auto?: AutoDecision,
): boolean {
  const stamp = join(cacheDir, ".source-fingerprint");
  const want = loaderFingerprint(env, auto);
  const have = existsSync(stamp) ? readFileSync(stamp, "utf8") : "";
  if (have === want) return false;
  if (existsSync(cacheDir)) {
    rmSync(cacheDir, { recursive: true, force: true });
    log(`loader-cache: the source or the pipeline changed; cleared ${relative(REPO_ROOT, cacheDir) || cacheDir}`);
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(stamp, want);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    // With no source set, decide now (release reachable, or the demo) and record it for the loaders.
    const kind = parseSource(process.env[SOURCE_ENV]).kind;
    const auto = kind === "auto" ? await decideAuto(process.env, undefined, AUTO_DECISION) : undefined;
    // An explicit paper source is checked before the build, so its error is the build's last word
    // (not buried in a data loader's output under Framework's own message).
    if (kind === "paper") await resolveRelease(process.env);
    if (auto?.kind === "demo") console.log("loader-cache: the study's release is unreachable; building the simulated demo");
    syncLoaderCache(process.env, console.log, LOADER_OUTPUT_CACHE, auto);
    syncPageCache(process.env, auto);
  } catch (error) {
    console.error(`loader-cache: ${(error as Error).message}`);
    process.exit(1);
  }
}
