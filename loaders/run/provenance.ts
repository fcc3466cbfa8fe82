/**
 * What a run records about itself beyond its counts: the pipeline's version and commit,
 * checksums of the committed inputs it read (items, templates, translations), and its
 * configuration as it may be published: endpoints without credentials or query strings.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ProvenanceRow } from "../../src/lib/workspace.js";
import { REPO_ROOT } from "../paths.js";
import { CATALOGUE_DIR, translationPath } from "./catalogue.js";
import { publicURL } from "../llm/urls.js";
import { mapBaseURLs, type RunConfig } from "./config.js";

export { publicURL };

export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The pipeline's package version, and its git commit when run from a clone (with "+changes" when the tree differs). */
export function pipelineProvenance(): ProvenanceRow[] {
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
  let commit = "unknown (not a git clone)";
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    commit = git("rev-parse", "HEAD");
    if (git("status", "--porcelain", "--", "loaders", "src/lib", "data/items.json", "data/prompts")) commit += "+changes";
  } catch {
    // no git, or not a clone: the version alone
  }
  return [
    { key: "pipeline_version", value: version },
    { key: "pipeline_commit", value: commit },
  ];
}

/** SHA-256 of the catalogue, the templates and each language's translation that the run read. */
export function inputChecksums(languages: readonly string[], translationsDir = CATALOGUE_DIR, simulatedDir: string | null = null): ProvenanceRow[] {
  const rows: ProvenanceRow[] = [
    { key: "sha256:items.json", value: fileSha256(join(CATALOGUE_DIR, "items.json")) },
    { key: "sha256:prompts/templates.json", value: fileSha256(join(CATALOGUE_DIR, "prompts", "templates.json")) },
  ];
  for (const language of languages) {
    if (language === "en") continue;
    const committed = translationPath(language, translationsDir);
    const path = existsSync(committed) ? committed : simulatedDir ? translationPath(language, simulatedDir) : committed;
    if (existsSync(path))
      rows.push({
        key: `sha256:${relative(REPO_ROOT, path).startsWith("..") ? `translations/${language}.json` : relative(REPO_ROOT, path)}`,
        value: fileSha256(path),
      });
  }
  return rows;
}

/** The configuration with every endpoint address made public (keys are never in a config: only the names of their variables). */
export function publicConfig(c: RunConfig): RunConfig {
  return mapBaseURLs(c, publicURL);
}
