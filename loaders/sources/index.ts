/**
 * Source selection: `MCA_SOURCE=paper|<workspace folder>` (default `paper`), and the
 * `--source` option of `mca reproduce`, which takes the same values.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TABLES, type Workspace } from "../../src/lib/workspace.js";
import { fromRepoRoot } from "../paths.js";
import { readWorkspace } from "../workspaceFiles.js";
import { paperWorkspace } from "./paper.js";
import { PAPER_COMMIT, PAPER_DATA_ENV, resolveRelease, type Fetcher } from "./paperRelease.js";

export const SOURCE_ENV = "MCA_SOURCE";

export type SourceSpec = { kind: "paper" } | { kind: "workspace"; dir: string; given: string };

/** Parses a source name: `paper`, or a workspace folder (absolute or relative to the repository root). */
export function parseSource(value: string | undefined): SourceSpec {
  const text = (value ?? "").trim();
  if (text === "" || text === "paper") return { kind: "paper" };
  const dir = fromRepoRoot(text);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `Unknown source "${text}": it is not "paper" and ${dir} is not a workspace folder. ` +
        `Set ${SOURCE_ENV} (or --source) to "paper" or to a folder holding ${TABLES.map((t) => `${t}.parquet`).join(", ")}.`,
    );
  }
  return { kind: "workspace", dir, given: text };
}

/**
 * A fingerprint of what the source resolves to: it changes whenever the tables
 * could change, so cached loader outputs are never served for another source.
 */
export function sourceFingerprint(spec: SourceSpec, env: NodeJS.ProcessEnv = process.env): string {
  const h = createHash("sha256");
  if (spec.kind === "paper") {
    h.update(`paper\0${PAPER_COMMIT}\0`);
    const local = env[PAPER_DATA_ENV];
    h.update(local ? `local\0${fromRepoRoot(local)}` : "download");
  } else {
    h.update(`workspace\0${spec.dir}\0`);
    for (const t of TABLES) {
      const path = join(spec.dir, `${t}.parquet`);
      h.update(existsSync(path) ? readFileSync(path) : `missing ${t}`);
    }
  }
  return h.digest("hex");
}

export interface LoadedSource {
  spec: SourceSpec;
  workspace: Workspace;
  /** Human-readable description for logs. */
  description: string;
}

/** Loads the workspace of a source. */
export async function loadSource(value: string | undefined, env: NodeJS.ProcessEnv = process.env, fetcher?: Fetcher): Promise<LoadedSource> {
  const spec = parseSource(value);
  if (spec.kind === "paper") {
    const release = await resolveRelease(env, fetcher);
    return {
      spec,
      workspace: paperWorkspace(release),
      description: `paper (commit ${PAPER_COMMIT.slice(0, 7)}, ${release.origin === "local" ? `from ${release.folder}` : `from the download cache ${release.folder}`})`,
    };
  }
  const workspace = readWorkspace(spec.dir);
  const prov = new Map(workspace.provenance.map((p) => [p.key, p.value]));
  if (!prov.has("source")) workspace.provenance.push({ key: "source", value: `workspace:${spec.given}` });
  return { spec, workspace, description: `workspace folder ${spec.dir}` };
}

let memo: Promise<LoadedSource> | undefined;

/** The source named by MCA_SOURCE, loaded once per process (for the site's data loaders). */
export function configuredSource(): Promise<LoadedSource> {
  memo ??= loadSource(process.env[SOURCE_ENV]);
  return memo;
}
