/**
 * Explore under another judge (`?judge=`): the responses list, one response read in full,
 * the slice's download and the SQL box's `responses` view carry that judge's labels, VPS
 * and detected language, as withJudge gives them for the rows; without a judge they are
 * the stored ones. Run in Node's DuckDB on a database laid out as the site's
 * (workspace.duckdb attached as `ws`), with the SQL the page sends DuckDB-WASM.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rows } from "../../loaders/duckdb.js";
import { writeWorkspace } from "../../loaders/workspaceFiles.js";
import { withJudge } from "../../src/lib/judges.js";
import { detailSql, downloadSql, judgeResponsesSql, listSql, responsesSource } from "../../src/lib/responseQueries.js";
import { isBaseline, type ResponseRow } from "../../src/lib/workspace.js";
import { threeJudges } from "../helpers/judges.js";

const ws = threeJudges();
const dir = mkdtempSync(join(tmpdir(), "mca-explore-judge-"));
writeWorkspace(ws, dir);
const instance = await DuckDBInstance.create(":memory:");
const conn: DuckDBConnection = await instance.connect();
await conn.run(`ATTACH '${join(dir, "workspace.duckdb")}' AS ws`);
await conn.run(`CREATE TABLE ws.responses AS SELECT * FROM read_parquet('${join(dir, "responses.parquet")}') ORDER BY model, language, item`);
await conn.run(`CREATE TABLE ws.judgements AS SELECT * FROM read_parquet('${join(dir, "judgements.parquet")}') ORDER BY judge, response_id`);
const stored = (await rows(conn, "SELECT column_name FROM duckdb_columns() WHERE database_name = 'ws' AND table_name = 'responses' ORDER BY column_index")).map(
  (r) => String(r.column_name),
);
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

const WHERE = "WHERE language IN ('da', 'en') AND item IN ('f120', 'a124_02', 'e035')";
const key = (r: { response_id?: unknown }) => String(r.response_id);
const scores = (list: readonly Partial<ResponseRow>[]) =>
  new Map(list.map((r) => [key(r), { labels: r.labels ?? null, vps: r.vps ?? null, response_language: r.response_language ?? null }]));

describe("Explore's responses under another judge", () => {
  const judge = "judge-c";
  const swapped = withJudge(ws, judge).workspace.responses;
  const want = scores(swapped.filter((r) => !isBaseline(r.model)));

  it("the SQL box's responses are the judge's: its labels, scores and languages, the responses it did not judge left out", async () => {
    await conn.run(`CREATE OR REPLACE VIEW responses AS ${judgeResponsesSql(judge, stored)}`);
    const judged = await rows(conn, "SELECT response_id, labels, vps, response_language FROM responses WHERE family <> 'Baseline'");
    expect(judged.length).toBe(want.size);
    expect(judged.length).toBeLessThan(ws.responses.filter((r) => !isBaseline(r.model)).length);
    expect(scores(judged as Partial<ResponseRow>[])).toEqual(want);
    const baselines = await rows(conn, "SELECT count(*) AS n FROM responses WHERE family = 'Baseline'");
    expect(Number(baselines[0]!.n)).toBe(swapped.filter((r) => isBaseline(r.model)).length);
  });

  it("the list, a response read in full and the download carry the judge's labels", async () => {
    const source = responsesSource(judge, stored);
    const listed = await rows(conn, listSql(WHERE, ["model", "language", "item", "vps", "labels", "response_language"], 100_000, source));
    const inSlice = swapped.filter((r) => ["da", "en"].includes(r.language) && ["f120", "a124_02", "e035"].includes(r.item));
    expect(listed.length).toBe(inSlice.length);
    expect(listed.length).toBeGreaterThan(50);
    const one = listed.filter((r) => !isBaseline(String(r.model)))[3]!;
    const full = await rows(conn, detailSql(one as { row: number; model: string; language: string; item: string }, source));
    expect(full).toHaveLength(1);
    expect(Object.keys(full[0]!)).toEqual(stored);
    expect(scores(full as Partial<ResponseRow>[]).get(key(full[0]!))).toEqual(want.get(key(full[0]!)));
    expect(full[0]!.vps).toBe(one.vps);
    expect(full[0]!.labels).toBe(one.labels);
    const download = await rows(conn, downloadSql(WHERE, source));
    expect(Object.keys(download[0]!)).toEqual(stored);
    const judged = download.filter((r) => r.family !== "Baseline") as Partial<ResponseRow>[];
    expect(judged.length).toBe(inSlice.filter((r) => !isBaseline(r.model)).length);
    for (const r of judged) expect(scores([r]).get(key(r))).toEqual(want.get(key(r)));
  });

  it("differs from the stored responses, which the primary judge's list still shows", async () => {
    const primary = await rows(conn, downloadSql(WHERE, responsesSource(null, stored)));
    const storedScores = scores(ws.responses.filter((r) => !isBaseline(r.model)));
    const judgedPrimary = primary.filter((r) => r.family !== "Baseline") as Partial<ResponseRow>[];
    for (const r of judgedPrimary) expect(scores([r]).get(key(r))).toEqual(storedScores.get(key(r)));
    expect(judgedPrimary.some((r) => want.has(key(r)) && want.get(key(r))!.labels !== r.labels)).toBe(true);
  });
});
