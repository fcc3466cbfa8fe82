/** Filesystem locations used by the build-time pipeline. */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** Git-ignored cache of downloaded release files. */
export const DOWNLOAD_CACHE = join(REPO_ROOT, ".cache", "paper-release");

/** Framework's cache of data loader outputs (never the offline module cache beside it). */
export const LOADER_OUTPUT_CACHE = join(REPO_ROOT, "src", ".observablehq", "cache", "data");

/** Framework's cache of page loader outputs (src/index.md.ts writes index.md there). */
export const PAGE_OUTPUT_CACHE = join(REPO_ROOT, "src", ".observablehq", "cache");

/** A path from the environment: absolute, or relative to the repository root. */
export function fromRepoRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}
