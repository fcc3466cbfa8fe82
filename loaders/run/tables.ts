/**
 * A run's workspace tables in its folder. Every run rewrites or removes every table it
 * owns, so nothing of an earlier run in the same folder is left to be read as this run's:
 * the judgements table is rewritten or removed, the survey folder rewritten or removed.
 * Labels imported into the folder by `mca judges import` (a judge the earlier run did not
 * run) are kept while they label the very same answers: a response's id pins its model,
 * prompt and answer text.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OPTIONAL_TABLES, TABLES, isBaseline, type JudgementRow, type ProvenanceRow, type ResponseRow, type Workspace } from "../../src/lib/workspace.js";
import { readParquet } from "../parquet.js";
import { tableParquet } from "../workspaceFiles.js";

/** A response's stable id: the same model, prompt and answer give the same id in every run; another answer, another id. */
export function responseId(model: string, promptId: string, prompt: string, responseText: string): string {
  return createHash("sha256").update([model, promptId, prompt, responseText].join("\u0000")).digest("hex").slice(0, 16);
}

export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function readTable(dir: string, table: string): Array<Record<string, unknown>> {
  const path = join(dir, `${table}.parquet`);
  if (!existsSync(path)) return [];
  try {
    return readParquet(readFileSync(path));
  } catch {
    return []; // damaged: nothing in it is kept
  }
}

/**
 * Imported labels in the folder that still label answers of this run: rows of judges
 * that neither the earlier run (its provenance) nor this run ran, on response ids this
 * run has. Everything else of the old table is dropped.
 */
export function carriedJudgements(dir: string, runJudges: readonly string[], responseIds: ReadonlySet<string>): { rows: JudgementRow[]; dropped: number } {
  const old = readTable(dir, "judgements") as unknown as JudgementRow[];
  if (old.length === 0) return { rows: [], dropped: 0 };
  const provenance = readTable(dir, "provenance") as unknown as ProvenanceRow[];
  const ran = new Set([
    ...runJudges,
    ...(provenance.find((p) => p.key === "judges")?.value ?? "").split(", "),
    provenance.find((p) => p.key === "judge")?.value ?? "",
  ]);
  const imported = old.filter((j) => !ran.has(j.judge));
  const rows = imported.filter((j) => responseIds.has(j.response_id));
  return { rows, dropped: imported.length - rows.length };
}

/** The judgements table: every judge's rows when there are several, plus carried imported labels (with the primary's rows beside them). */
export function judgementsTable(own: JudgementRow[], carried: JudgementRow[], responses: readonly ResponseRow[], primary: string): JudgementRow[] {
  if (carried.length === 0) return own;
  const base = own.length
    ? own
    : responses
        .filter((r) => !isBaseline(r.model) && r.response_id && r.labels)
        .map((r) => ({ response_id: r.response_id!, judge: primary, labels: r.labels!, response_language: r.response_language, vps: r.vps }));
  return [...base, ...carried];
}

/** Writes every table of the workspace; removes an optional table it does not have, and the survey folder of an earlier microdata run. */
export function writeRunTables(ws: Workspace, dir: string, saveSurvey: ((dir: string) => void) | undefined): void {
  for (const t of TABLES) writeAtomic(join(dir, `${t}.parquet`), tableParquet(ws, t));
  for (const t of OPTIONAL_TABLES) {
    if (ws[t]?.length) writeAtomic(join(dir, `${t}.parquet`), tableParquet(ws, t));
    else rmSync(join(dir, `${t}.parquet`), { force: true });
  }
  rmSync(join(dir, "survey"), { recursive: true, force: true });
  saveSurvey?.(dir);
}
