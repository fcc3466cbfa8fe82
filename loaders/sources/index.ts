/**
 * Source selection: `MCA_SOURCE=paper|demo|<workspace folder>`, and the `--source`
 * option of `mca reproduce`, which takes the same values.
 *
 * An explicit choice that fails is an error (so is MCA_PAPER_DATA set to a bad folder).
 * With nothing set, the study's release is tried through the download cache or a
 * download; if it cannot be reached, the simulated demo is built instead, and said so
 * loudly: in the build log and in a banner on every page.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { TABLES, type Workspace } from "../../src/lib/workspace.js";
import { fromRepoRoot, REPO_ROOT } from "../paths.js";
import { readAggregatedWorkspace } from "../workspaceDb.js";
import { DEMO_LABEL, demoWorkspace } from "./demo.js";
import { paperWorkspace } from "./paper.js";
import { PAPER_COMMIT, PAPER_DATA_ENV, resolveRelease, RELEASE_FILES, type Fetcher } from "./paperRelease.js";

export const SOURCE_ENV = "MCA_SOURCE";

export type SourceSpec = { kind: "auto" } | { kind: "paper" } | { kind: "demo" } | { kind: "workspace"; dir: string; given: string };

/** Parses a source name: nothing (auto), `paper`, `demo`, or a workspace folder (absolute or relative to the repository root). */
export function parseSource(value: string | undefined, bases: readonly string[] = [REPO_ROOT]): SourceSpec {
  const text = (value ?? "").trim();
  if (text === "") return { kind: "auto" };
  if (text === "paper") return { kind: "paper" };
  if (text === "demo") return { kind: "demo" };
  // A relative folder is looked for in each base in turn (the command line: the current folder, then the repository).
  const candidates = isAbsolute(text) ? [text] : bases.map((b) => resolve(b, text));
  const dir = candidates.find((d) => existsSync(d) && statSync(d).isDirectory()) ?? candidates[0]!;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `Unknown source "${text}": it is not "paper" or "demo", and ${[...new Set(candidates)].join(" or ")} is not a workspace folder. ` +
        `Set ${SOURCE_ENV} (or --source) to paper, demo, or a folder holding ${TABLES.map((t) => `${t}.parquet`).join(", ")}.`,
    );
  }
  return { kind: "workspace", dir, given: text };
}

/** Where the build records what an unset source resolved to, so every data loader agrees. */
export const AUTO_DECISION = join(REPO_ROOT, ".cache", "source-decision.json");

export interface AutoDecision {
  kind: "paper" | "demo";
  reason?: string;
}

/**
 * A fingerprint of what the source resolves to: it changes whenever the tables could
 * change, so cached loader outputs are never served for another source.
 */
export function sourceFingerprint(spec: SourceSpec, env: NodeJS.ProcessEnv = process.env, auto?: AutoDecision): string {
  const h = createHash("sha256");
  if (spec.kind === "paper" || (spec.kind === "auto" && auto?.kind !== "demo")) {
    h.update(`paper\0${PAPER_COMMIT}\0`);
    const local = env[PAPER_DATA_ENV];
    h.update(local ? `local\0${fromRepoRoot(local)}` : "download");
  } else if (spec.kind === "demo" || spec.kind === "auto") {
    h.update(`demo\0${spec.kind}`);
  } else {
    h.update(`workspace\0${spec.dir}\0`);
    for (const t of TABLES) {
      const path = join(spec.dir, `${t}.parquet`);
      h.update(existsSync(path) ? readFileSync(path) : `missing ${t}`);
    }
    // Optional tables (judgements.parquet, …) count too: changing one must not serve the old one.
    for (const f of readdirSync(spec.dir)
      .filter((f) => f.endsWith(".parquet") && !TABLES.some((t) => `${t}.parquet` === f))
      .sort()) {
      h.update(`\0${f}\0`);
      h.update(readFileSync(join(spec.dir, f)));
    }
  }
  return h.digest("hex");
}

export interface LoadedSource {
  spec: SourceSpec;
  workspace: Workspace;
  /** Human-readable description for logs. */
  description: string;
  /** True for simulated data (the demo, or a simulated run). */
  simulated: boolean;
  /** Why an unset source fell back to the demo. */
  fallback?: string;
}

function loudWarning(reason: string): void {
  const bar = "!".repeat(78);
  process.stderr.write(
    `\n${bar}\n!! The study's release could not be read or downloaded, so this build shows the\n` +
      `!! SIMULATED DEMO: simulated data, not research results.\n!! ${reason.split("\n")[0]!.slice(0, 300)}\n` +
      `!! Set ${PAPER_DATA_ENV} to a local copy of the release, or ${SOURCE_ENV}=demo to choose the demo on purpose.\n${bar}\n\n`,
  );
}

/** Tries the release for an unset source; returns the decision (and records it in `record`, if given). */
export async function decideAuto(env: NodeJS.ProcessEnv = process.env, fetcher?: Fetcher, record?: string): Promise<AutoDecision> {
  let decision: AutoDecision;
  try {
    await resolveRelease(env, fetcher);
    decision = { kind: "paper" };
  } catch (error) {
    if (env[PAPER_DATA_ENV]) throw error; // an explicit local copy that fails is an error, never a fallback
    decision = { kind: "demo", reason: (error as Error).message };
  }
  if (record) {
    mkdirSync(dirname(record), { recursive: true });
    writeFileSync(record, `${JSON.stringify({ ...decision, at: new Date().toISOString() })}\n`);
  }
  return decision;
}

/**
 * Loads the workspace of a source. For an unset source, `decisionFile` (used by the
 * site's build) holds the decision the build step made, so every data loader agrees.
 */
export async function loadSource(
  value: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  fetcher?: Fetcher,
  decisionFile?: string,
  bases?: readonly string[],
): Promise<LoadedSource> {
  const spec = parseSource(value, bases);
  if (spec.kind === "paper" || spec.kind === "auto") {
    let decision: AutoDecision = { kind: "paper" };
    if (spec.kind === "auto") {
      const recorded = decisionFile && existsSync(decisionFile) ? (JSON.parse(readFileSync(decisionFile, "utf8")) as AutoDecision & { at: string }) : null;
      const fresh = recorded && Date.now() - Date.parse(recorded.at) < 10 * 60_000;
      decision = fresh ? recorded : await decideAuto(env, fetcher, decisionFile);
    }
    if (decision.kind === "paper") {
      const release = await resolveRelease(env, fetcher);
      return {
        spec,
        workspace: paperWorkspace(release),
        description: `paper (commit ${PAPER_COMMIT.slice(0, 7)}, ${release.origin === "local" ? `from ${release.given && !isAbsolute(release.given) ? release.given : shownPath(release.folder)}` : `from the download cache ${shownPath(release.folder)}`})`,
        simulated: false,
      };
    }
    loudWarning(decision.reason ?? "no reason recorded");
    const workspace = await demoWorkspace();
    workspace.provenance.push({ key: "fallback", value: `The study's release could not be reached (${(decision.reason ?? "").split("\n")[0]})` });
    return { spec, workspace, description: "the simulated demo (fallback)", simulated: true, fallback: decision.reason };
  }
  if (spec.kind === "demo") {
    return { spec, workspace: await demoWorkspace(), description: "the simulated demo", simulated: true };
  }
  // Responses aggregated in DuckDB: memory for the cells, not the rows (the site reads the rows from the folder itself).
  const workspace = await readAggregatedWorkspace(spec.dir);
  const prov = new Map(workspace.provenance.map((p) => [p.key, p.value]));
  if (!prov.has("source")) workspace.provenance.push({ key: "source", value: `workspace:${spec.given}` });
  return {
    spec,
    workspace,
    description: `workspace folder ${shownPath(spec.dir)}`,
    simulated: prov.get("source") === "simulated" || prov.get("source") === "demo",
  };
}

/** A local path as it may be published: relative to the repository when inside it, else its last two parts. */
function shownPath(path: string): string {
  const rel = relative(REPO_ROOT, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path.split(sep).slice(-2).join("/");
}

let memo: Promise<LoadedSource> | undefined;

/** The source named by MCA_SOURCE, loaded once per process (for the site's data loaders). */
export function configuredSource(): Promise<LoadedSource> {
  memo ??= loadSource(process.env[SOURCE_ENV], process.env, undefined, AUTO_DECISION);
  return memo;
}

export { DEMO_LABEL, RELEASE_FILES };
