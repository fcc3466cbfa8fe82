/**
 * What the site's data loaders (src/data/*.ts) call: each writes one file to stdout
 * from the source configured by MCA_SOURCE.
 */
import { parseMixedLmSummary } from "../src/lib/published.js";
import type { OptionalTableName, TableName } from "../src/lib/workspace.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.js";
import { configuredSource } from "./sources/index.js";
import { publishedRq1Text, publishedUsBias } from "./sources/paper.js";
import { resolveRelease } from "./sources/paperRelease.js";
import { tableParquet } from "./workspaceFiles.js";

async function run(task: () => Promise<Uint8Array | string>): Promise<void> {
  try {
    const out = await task();
    process.stdout.write(out);
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}

/** Writes one workspace table as Parquet to stdout (a folder's responses and judgements file to file, through DuckDB). */
export async function writeTable(table: TableName | OptionalTableName): Promise<void> {
  const { spec } = await configuredSource().catch(() => ({ spec: null }));
  if (spec?.kind === "workspace" && (table === "responses" || (table === "judgements" && existsSync(join(spec.dir, "judgements.parquet"))))) {
    return run(async () => {
      const { copyFolderTable } = await import("./siteTables.js");
      console.error(`${table}: copied from ${spec.given} by DuckDB`);
      await copyFolderTable(spec.dir, table);
      return "";
    });
  }
  return run(async () => {
    const { workspace, description } = await configuredSource();
    console.error(`${table}: ${workspace[table]?.length ?? 0} rows from ${description}`);
    return tableParquet(workspace, table);
  });
}

/** The site's version, as package.json gives it (CITATION.cff says the same; a test holds them together). */
function siteVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** Writes the source summary (label, provenance, the study's published RQ1 and US-bias tables for the paper source). */
export function writeSourceSummary(): Promise<void> {
  return run(async () => {
    const { workspace, description, simulated, fallback } = await configuredSource();
    const provenance = Object.fromEntries(workspace.provenance.map((p) => [p.key, p.value]));
    const release = provenance.source === "paper" ? await resolveRelease() : null;
    const published = release ? parseMixedLmSummary(publishedRq1Text(release)) : null;
    return JSON.stringify({
      source: provenance.source ?? "workspace",
      label: provenance.source_label ?? description,
      description,
      simulated,
      fallback: fallback ? fallback.split("\n")[0] : null,
      publishedRq1: published,
      siteVersion: siteVersion(),
      publishedUsBias: release ? publishedUsBias(release) : null,
    });
  });
}

/** Writes the analysis worker: src/lib/worker/analysis.ts bundled into one ES module. */
export function writeAnalysisWorker(): Promise<void> {
  return run(async () => {
    const { build } = await import("esbuild");
    const result = await build({
      entryPoints: [join(REPO_ROOT, "src", "lib", "worker", "analysis.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: ["es2022"],
      minify: true,
      write: false,
      logLevel: "error",
    });
    return result.outputFiles[0]!.text;
  });
}

/** Writes the world topology (Natural Earth 1:110m, from the world-atlas package) for maps. */
export function writeWorldAtlas(): Promise<void> {
  return run(async () => {
    return readFileSync(join(REPO_ROOT, "node_modules", "world-atlas", "countries-110m.json"), "utf8");
  });
}

/** Writes the overview's findings (computed at build time; see loaders/findings.ts). */
export function writeFindings(): Promise<void> {
  return run(async () => {
    const { buildAnalysisWorkspace } = await import("./analysisWorkspace.js");
    const { memoFindings } = await import("./findings.js");
    // On the analysis workspace, as the pages: the multiverse is then the robustness page's own (one computation per build).
    const built = await buildAnalysisWorkspace(await configuredSource());
    return JSON.stringify(memoFindings(built.workspace, (line) => console.error(line)));
  });
}

/** Writes the overview page: its template (src/index.md.template) with the finding cards baked in, so they show at first paint. */
export function writeOverviewPage(): Promise<void> {
  return run(async () => {
    const { buildAnalysisWorkspace } = await import("./analysisWorkspace.js");
    const { memoFindings } = await import("./findings.js");
    const { overviewPage } = await import("./overviewPage.js");
    const built = await buildAnalysisWorkspace(await configuredSource());
    return overviewPage(memoFindings(built.workspace, (line) => console.error(line)).findings);
  });
}

/** The analysis workspace the research pages load (aggregated responses, as column JSON). */
export function writeAnalysisWorkspace(): Promise<void> {
  return run(async () => {
    const { buildAnalysisWorkspace } = await import("./analysisWorkspace.js");
    const { encodeAnalysisWorkspace } = await import("../src/lib/analysisWorkspace.js");
    const built = await buildAnalysisWorkspace(await configuredSource());
    console.error(`workspace.json: ${built.workspace.responses.length} aggregated response rows, ${built.judges.length} judges`);
    return JSON.stringify(encodeAnalysisWorkspace(built));
  });
}

/** One research page's default view (see loaders/defaults.ts), computed on the analysis workspace. */
export function writePageDefaults(page: string): Promise<void> {
  return run(async () => {
    const { buildAnalysisWorkspace } = await import("./analysisWorkspace.js");
    const { pageDefaults } = await import("./defaults.js");
    const built = await buildAnalysisWorkspace(await configuredSource());
    return JSON.stringify(pageDefaults(built.workspace, page, (line) => console.error(`${page}: ${line}`)));
  });
}

/** The judges page's data (loaders/judgesPage.ts): agreement counted in SQL, language decisions and each judge's analyses. */
export function writeJudgesPage(): Promise<void> {
  return run(async () => {
    const { buildAnalysisWorkspace } = await import("./analysisWorkspace.js");
    const { buildJudgesPage } = await import("./judgesPage.js");
    const source = await configuredSource();
    const built = await buildAnalysisWorkspace(source);
    return JSON.stringify(await buildJudgesPage(source, built, (line) => console.error(`judges: ${line}`)));
  });
}
