/**
 * The judges page's data at build time (src/lib/judgesPage.ts). For a workspace folder the
 * judgements are read through DuckDB and counted in SQL: interview summaries by the labels
 * each judge gave them, responses by the languages each judge detected, per prompt
 * language; only the ids, languages and labels are read, never a response's text. So the
 * page's cost grows with those patterns (at most 4^judges per language), not with the
 * responses. The sources read into memory (the study's release, the demo) are counted
 * from their rows. The "swap the judge" analyses run on the aggregated views.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { join } from "node:path";
import { judgeWorkspace, type AnalysisWorkspace } from "../src/lib/analysisWorkspace.js";
import type { Label } from "../src/lib/interviews.js";
import { agreementFromPatterns, judgeAgreement, primaryJudge, type AgreementReport, type DetectionPattern, type RatingPattern } from "../src/lib/judges.js";
import { languageDecisionRows, type JudgesPageData, type JudgeSwap } from "../src/lib/judgesPage.js";
import { JUDGE_SWAP_REQUEST } from "../src/lib/pageRequests.js";
import { isBaseline, totalCount } from "../src/lib/workspace.js";
import { builtAnswers } from "./defaults.js";
import { num, rows } from "./duckdb.js";
import type { LoadedSource } from "./sources/index.js";
import { columnsOf, duckdbReadError, openWorkspaceDb } from "./workspaceDb.js";

/** Each response row (by its place in the file) with the judgements of the given judges, where two or more judged it. */
function judgedSql(judges: readonly string[]): string {
  const names = judges.map((_, i) => `$${i + 3}`).join(", ");
  return (
    `WITH r AS (SELECT file_row_number AS rid, response_id, language FROM read_parquet($1, file_row_number = true) WHERE response_id IS NOT NULL AND response_id <> ''), ` +
    `j AS (SELECT response_id, judge, labels, response_language FROM read_parquet($2) WHERE judge IN (${names})), ` +
    `all_judged AS (SELECT r.rid, r.language, j.judge, j.labels, j.response_language, count(*) OVER (PARTITION BY r.rid) AS judged FROM r JOIN j USING (response_id)), ` +
    `judged AS (SELECT * FROM all_judged WHERE judged >= 2)`
  );
}

/** One column per judge: the value of `column` that judge gave (null where it gave none). */
const perJudge = (judges: readonly string[], column: string) => judges.map((_, i) => `max(${column}) FILTER (WHERE judge = $${i + 3}) AS j${i}`).join(", ");
const judgeCols = (judges: readonly string[]) => judges.map((_, i) => `j${i}`).join(", ");

/** Interview summaries counted by prompt language and each judge's label (the k-th label of each judge's list is one summary). */
async function ratingPatterns(conn: DuckDBConnection, dir: string, judges: readonly string[]): Promise<RatingPattern[]> {
  const sql =
    `${judgedSql(judges)}, units AS (SELECT rid, language, judge, unnest(range(len(l))) AS k, unnest(l) AS label FROM (SELECT *, string_split(labels, ';') AS l FROM judged)) ` +
    `SELECT language, ${judgeCols(judges)}, count(*) AS count FROM (SELECT language, ${perJudge(judges, "label")} FROM units GROUP BY rid, language, k) GROUP BY ALL`;
  const out = await rows(conn, sql, [join(dir, "responses.parquet"), join(dir, "judgements.parquet"), ...judges]);
  return out.map((r) => ({ language: String(r.language), ratings: judges.map((_, i) => (r[`j${i}`] ?? null) as Label | null), count: num(r.count) }));
}

/** Responses counted by prompt language and the language each judge detected. */
async function detectionPatterns(conn: DuckDBConnection, dir: string, judges: readonly string[]): Promise<DetectionPattern[]> {
  const sql = `${judgedSql(judges)} SELECT language, ${judgeCols(judges)}, count(*) AS count FROM (SELECT language, ${perJudge(judges, "response_language")} FROM judged GROUP BY rid, language) GROUP BY ALL`;
  const out = await rows(conn, sql, [join(dir, "responses.parquet"), join(dir, "judgements.parquet"), ...judges]);
  return out.map((r) => ({ language: String(r.language), detected: judges.map((_, i) => (r[`j${i}`] ?? null) as string | null), count: num(r.count) }));
}

/** Whether any response in the folder carries its labels (reads the labels column until the first). */
async function folderLabelled(conn: DuckDBConnection, dir: string): Promise<boolean> {
  const file = join(dir, "responses.parquet");
  if (!(await columnsOf(conn, file)).includes("labels")) return false;
  return (await rows(conn, "SELECT 1 FROM read_parquet($1) WHERE labels IS NOT NULL AND labels <> '' LIMIT 1", [file])).length > 0;
}

/** A folder's agreement, counted in SQL (null with fewer than two judges), and whether its responses carry labels. */
export async function folderAgreement(dir: string, judges: string[]): Promise<{ labelled: boolean; agreement: AgreementReport | null }> {
  const db = await openWorkspaceDb();
  try {
    const labelled = await folderLabelled(db.conn, dir);
    if (judges.length < 2) return { labelled, agreement: null };
    const [ratings, detections] = [await ratingPatterns(db.conn, dir, judges), await detectionPatterns(db.conn, dir, judges)];
    return { labelled, agreement: agreementFromPatterns(judges, ratings, detections) };
  } catch (error) {
    throw duckdbReadError(error, join(dir, "judgements.parquet"));
  } finally {
    db.done();
  }
}

/** Each other judge's analyses for the swap figures, with the responses it kept and left out. */
function judgeSwaps(built: AnalysisWorkspace, others: readonly string[], log: (line: string) => void): Record<string, JudgeSwap> {
  const swaps: Record<string, JudgeSwap> = {};
  for (const judge of others) {
    const ws = judgeWorkspace(built, judge);
    const kept = totalCount(ws.responses.filter((r) => !isBaseline(r.model)));
    swaps[judge] = { kept, dropped: built.views[judge]?.dropped ?? 0, built: builtAnswers(ws, [JUDGE_SWAP_REQUEST], (line) => log(`${judge}: ${line}`)) };
  }
  return swaps;
}

/** The judges page's data for a source, given its analysis workspace (loaders/analysisWorkspace.ts). */
export async function buildJudgesPage(source: LoadedSource, built: AnalysisWorkspace, log: (line: string) => void = () => {}): Promise<JudgesPageData> {
  const judges = built.judges;
  const ws = source.workspace;
  const { labelled, agreement } =
    source.spec.kind === "workspace"
      ? await folderAgreement(source.spec.dir, judges)
      : { labelled: ws.responses.some((r) => r.labels), agreement: judges.length >= 2 ? judgeAgreement(ws, judges) : null };
  const primary = primaryJudge(built.workspace) ?? judges[0];
  const others = judges.filter((j) => j !== primary);
  return {
    judges,
    labelled,
    decisions: languageDecisionRows(built.workspace.responses),
    agreement,
    primary: others.length ? builtAnswers(built.workspace, [JUDGE_SWAP_REQUEST], log) : {},
    swaps: judgeSwaps(built, others, log),
  };
}
