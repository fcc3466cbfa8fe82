/**
 * One pro rule: the SQL that computes the ground truth (loaders/survey/groundTruth.ts) and the
 * JavaScript that computes the survey's self-consistency both render src/lib/survey.ts's
 * ProRule. Here DuckDB evaluates the SQL for every code of every scale, and it must agree with
 * isPro, so a change to one and not the other fails.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { isPro, proRule, proRuleSql } from "../../src/lib/survey.js";

describe("the pro rule in SQL and in JavaScript", () => {
  it("agree on every code of every scale, inverted or not", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      for (let maxCode = 2; maxCode <= 11; maxCode++) {
        for (const inverted of [false, true]) {
          const rule = proRule(maxCode, inverted);
          const codes = Array.from({ length: maxCode }, (_, i) => i + 1);
          const reader = await conn.runAndReadAll(
            `SELECT c, ${proRuleSql(rule, "c")} AS pro FROM (VALUES ${codes.map((c) => `(${c})`).join(", ")}) t(c) ORDER BY c`,
          );
          const sql = reader.getRowObjectsJS().map((r) => r.pro);
          expect(sql, `largest code ${maxCode}${inverted ? ", inverted" : ""}`).toEqual(codes.map((c) => isPro(rule, c)));
        }
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
