/**
 * Workspace folders read through DuckDB: the responses aggregated in SQL equal the same
 * aggregation in TypeScript, the SQL interview-size rule equals `interviewSize`, and the
 * analyses give the same numbers on the folder as on the rows. Errors name the file.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rows } from "../../loaders/duckdb.js";
import { loadSource } from "../../loaders/sources/index.js";
import { readAggregatedWorkspace } from "../../loaders/workspaceDb.js";
import { writeWorkspace } from "../../loaders/workspaceFiles.js";
import { aggregateResponses } from "../../src/lib/aggregate.js";
import { reproduce, reproduceJson } from "../../src/lib/analyses/reproduce.js";
import { INTERVIEW_SIZE_SQL, interviewSize } from "../../src/lib/interviews.js";
import type { ResponseRow, Workspace } from "../../src/lib/workspace.js";
import { paperFixture } from "../helpers/paper.js";

const LABELS = ["pro;con;NULL", "NULL;NULL", "pro;pro;pro;pro;pro;pro;pro;pro;pro;pro", "con", "", null, "pro;NULL;con;con"];

/** The paper workspace with labels on some responses, and every row twice. */
function labelled(): Workspace {
  const ws = paperFixture();
  const responses: ResponseRow[] = ws.responses.flatMap((r, i) => {
    const row = { ...r, labels: LABELS[i % LABELS.length] ?? null };
    return [row, { ...row, prompt: `${r.prompt ?? ""} (again)` }];
  });
  return { ...ws, responses };
}

describe("the interview-size rule", () => {
  it("is the same in SQL as in TypeScript", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    for (const labels of LABELS) {
      const [row] = await rows(conn, `SELECT ${INTERVIEW_SIZE_SQL} AS n FROM (SELECT $1::VARCHAR AS labels)`, [labels]);
      const js = interviewSize({ labels });
      expect(row!.n === null ? null : Number(row!.n), String(labels)).toBe(js.fromLabels ? js.n : null);
    }
    conn.closeSync();
    instance.closeSync();
  });
});

describe("a workspace folder through DuckDB", () => {
  const ws = labelled();
  const dir = mkdtempSync(join(tmpdir(), "mca-wsdb-"));
  writeWorkspace(ws, dir);

  it("aggregates the responses in SQL as aggregateResponses does in TypeScript", async () => {
    const back = await readAggregatedWorkspace(dir);
    const want = aggregateResponses(ws.responses);
    expect(back.responses).toHaveLength(want.length);
    expect(back.responses).toEqual(want);
    expect(back.responses.reduce((n, r) => n + r.count!, 0)).toBe(ws.responses.length);
    expect(back.ground_truth).toEqual(ws.ground_truth.map((g) => ({ n: null, ...g })));
  });

  it("gives the analyses' numbers of the rows themselves", async () => {
    const loaded = await loadSource(dir, {});
    const a = reproduceJson(reproduce(loaded.workspace, { rounds: 5, seed: 2, parts: ["rq1", "usBias", "alignment", "consistency"] }));
    const b = reproduceJson(reproduce(ws, { rounds: 5, seed: 2, parts: ["rq1", "usBias", "alignment", "consistency"] }));
    expect(a).toEqual(b);
  });

  it("names a file that is not Parquet, and a missing column", async () => {
    const bad = mkdtempSync(join(tmpdir(), "mca-wsdb-bad-"));
    writeWorkspace(ws, bad);
    writeFileSync(join(bad, "responses.parquet"), "not parquet at all");
    await expect(readAggregatedWorkspace(bad)).rejects.toThrow(/responses\.parquet: not a readable Parquet file/);
    const noVps = mkdtempSync(join(tmpdir(), "mca-wsdb-novps-"));
    writeWorkspace(ws, noVps);
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    const file = join(noVps, "responses.parquet");
    await conn.run(`COPY (SELECT * EXCLUDE (vps) FROM read_parquet('${file}')) TO '${file}.tmp' (FORMAT parquet)`);
    conn.closeSync();
    instance.closeSync();
    renameSync(`${file}.tmp`, file);
    await expect(readAggregatedWorkspace(noVps)).rejects.toThrow(/responses\.parquet: missing column "vps"/);
  });
});
