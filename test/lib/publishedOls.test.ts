/**
 * The published US-bias table: the parser on the study's real file and on damaged copies
 * (errors name the file and the line), and the comparison with the reproduction.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publishedUsBiasOf, reproduceCommand } from "../../loaders/cli/reproduce.js";
import { reproduce, reproduceJson } from "../../src/lib/analyses/reproduce.js";
import { publishedBiasTerms, usBiasAgreement, usBiasComparison } from "../../src/lib/analyses/usBiasPublished.js";
import { parseOlsSummary } from "../../src/lib/publishedOls.js";
import { paperFixture } from "../helpers/paper.js";
import { PAPER_DATA } from "../helpers/paths.js";

const FILE = "published/us_bias_ols_normal.txt";
const text = readFileSync(join(PAPER_DATA, FILE), "utf8");
const lines = text.split("\n");
const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;

describe("parseOlsSummary on the study's US-bias table", () => {
  const table = parseOlsSummary(text, FILE);

  it("reads all 80 coefficient rows, first and last as printed", () => {
    expect(table.terms).toHaveLength(80);
    expect(table.terms[0]).toEqual({ term: "Intercept", coef: 0.0941, se: 0.011, t: 8.234, p: 0, ci_low: 0.072, ci_high: 0.117 });
    expect(table.terms[79]).toEqual({
      term: "us[T.True]:model_name[T.gpt-4o]:language[pt]",
      coef: 0.1063,
      se: 0.02,
      t: 5.368,
      p: 0,
      ci_low: 0.067,
      ci_high: 0.145,
    });
    expect(table.terms.find((t) => t.term === "us[T.True]:model_name[T.OLMo-2-0325-32B-Instruct]:language[nl]")).toMatchObject({
      coef: -0.0013,
      t: -0.057,
      p: 0.955,
    });
  });

  it("reads the header and the residual statistics under the table", () => {
    expect(table).toMatchObject({
      dependent: "metric_value",
      n: 16000,
      r2: 0.685,
      adjR2: 0.684,
      dfResid: 15920,
      dfModel: 79,
      omnibus: 2074.776,
      jarqueBera: 3188.164,
      skew: -0.931,
      kurtosis: 4.145,
      durbinWatson: 1.992,
    });
  });

  it("finds the 36 β_BiasUS terms, 9 models × 4 languages", () => {
    const bias = publishedBiasTerms(table);
    expect(bias).toHaveLength(36);
    expect(new Set(bias.map((b) => b.language))).toEqual(new Set(["da", "en", "nl", "pt"]));
    expect(bias.find((b) => b.model === "gpt-4o" && b.language === "da")!.term.coef).toBe(-0.1382);
  });
});

describe("parseOlsSummary on malformed input", () => {
  const damaged = (from: string, to: string) => text.replace(from, to);

  it("a coefficient row with a field missing names the file and its line", () => {
    const row = "us[T.True]:model_name[T.gpt-4o]:language[da]";
    const bad = damaged("-0.1382      0.023     -6.045", "-0.1382      0.023");
    expect(() => parseOlsSummary(bad, FILE)).toThrow(new RegExp(`^${FILE.replace(/[./]/g, "\\$&")}, line ${lineOf(row)}: expected a coefficient row`));
  });

  it("a value that is not a number names the line", () => {
    const bad = damaged("0.0468      0.016      2.894", "0.0468      abc      2.894");
    expect(() => parseOlsSummary(bad, "x.txt")).toThrow(`x.txt, line ${lineOf("us[T.True]    ")}`);
  });

  it("a repeated term names the line of the second", () => {
    const intercept = lines.find((l) => l.startsWith("Intercept"))!;
    const bad = text.replace(intercept, `${intercept}\n${intercept}`);
    expect(() => parseOlsSummary(bad, FILE)).toThrow(`${FILE}, line ${lineOf("Intercept") + 1}: the term "Intercept" appears twice`);
  });

  it("no coefficient header, no closing rule, an empty block, an empty file", () => {
    expect(() => parseOlsSummary(damaged("P>|t|", "P"), FILE)).toThrow(`${FILE}: no coefficient header`);
    const head = lines.findIndex((l) => l.includes("P>|t|"));
    const cut = lines.slice(0, head + 4).join("\n");
    expect(() => parseOlsSummary(cut, FILE)).toThrow(`${FILE}: the coefficient block that starts at line ${head + 3} never ends`);
    const empty = [...lines.slice(0, head + 2), "=".repeat(40)].join("\n");
    expect(() => parseOlsSummary(empty, FILE)).toThrow(`${FILE}: the coefficient block (lines ${head + 3}–${head + 2}) has no rows`);
    expect(() => parseOlsSummary("", "empty.txt")).toThrow("empty.txt: no coefficient header");
    expect(() => parseOlsSummary(readFileSync(join(PAPER_DATA, "published/rq1_mixedlm_interaction.txt"), "utf8"), "rq1.txt")).toThrow(
      "rq1.txt: no coefficient header",
    );
  });

  it("a missing dashed rule under the header names its line", () => {
    const bad = damaged(`${"-".repeat(130)}\nIntercept`, "Intercept");
    expect(() => parseOlsSummary(bad, FILE)).toThrow(`${FILE}, line ${lineOf("P>|t|") + 1}: expected the dashed rule`);
  });

  it("nan in a row is NaN, a missing footer statistic is null", () => {
    const t = parseOlsSummary(damaged("0.0941      0.011      8.234", "0.0941        nan        nan").replace(/Skew:\s+-0\.931/, ""), FILE);
    expect(t.terms[0]!.se).toBeNaN();
    expect(t.skew).toBeNull();
  });
});

describe("the published table beside the reproduction", () => {
  const table = parseOlsSummary(text, FILE);
  const est = (coef: number, half = 0.02) => ({ coef, se: half / 2, ci_low: coef - half, ci_high: coef + half, p: 0.01 });

  it("matches by model and language; the difference is reproduced minus published; missing cells count as unmatched", () => {
    const rows = usBiasComparison(table, [{ model: "gpt-4o", language: "da", ...est(-0.12) }], [{ model: "gpt-4o", language: "da", ...est(0.01, 0.05) }]);
    expect(rows).toHaveLength(36);
    const gpt = rows.find((r) => r.model === "gpt-4o" && r.language === "da")!;
    expect(gpt.difference).toBeCloseTo(-0.12 - -0.1382, 12);
    const a = usBiasAgreement(rows);
    expect(a).toMatchObject({ matched: 1, published: 36, insideReproducedCi: 1, sameConclusion: 1, recommendedMatched: 1, recommendedDiffers: 1 });
    expect(a.maxAbsDifference).toBeCloseTo(0.0182, 12);
  });

  it("with nothing reproduced: no matches and NaN differences", () => {
    const a = usBiasAgreement(usBiasComparison(table, []));
    expect(a.matched).toBe(0);
    expect(a.meanAbsDifference).toBeNaN();
  });

  it("reproduce keys usBiasPublished only when given the table; the CLI gives it for the paper source", async () => {
    const ws = paperFixture();
    const without = reproduceJson(reproduce(ws, { rounds: 10, seed: 3, parts: ["usBias"] }));
    expect(without).not.toHaveProperty("usBiasPublished");
    let out = "";
    const prev = process.env.MCA_PAPER_DATA;
    process.env.MCA_PAPER_DATA = PAPER_DATA;
    try {
      await reproduceCommand(["--json", "--source", "paper", "--rounds", "20", "--seed", "7", "--parts", "usBias"], (t) => {
        out += t;
      });
    } finally {
      process.env.MCA_PAPER_DATA = prev;
    }
    const json = JSON.parse(out);
    expect(json.usBiasPublished.table.n).toBe(16000);
    expect(json.usBiasPublished.reproducedFit.n).toBe(20 * 160);
    expect(json.usBiasPublished.agreement.matched).toBe(36);
    // At 20 rounds the published table (100 rounds, another draw) is still within a few hundredths.
    expect(json.usBiasPublished.agreement.maxAbsDifference).toBeLessThan(0.1);
  });

  it("the CLI reads the table for the paper source only", async () => {
    const ws = paperFixture();
    const env = { MCA_PAPER_DATA: PAPER_DATA };
    expect((await publishedUsBiasOf(ws, env))?.terms).toHaveLength(80);
    const other = { ...ws, provenance: ws.provenance.map((p) => (p.key === "source" ? { ...p, value: "demo" } : p)) };
    expect(await publishedUsBiasOf(other, env)).toBeUndefined();
    expect(await publishedUsBiasOf({ ...ws, provenance: [] }, env)).toBeUndefined();
  });
});
