/**
 * `reproduce` on the study's release: the JSON contract, determinism, and the
 * acceptance test against the published RQ1 table (20 seeds × 100 rounds).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reproduceCommand } from "../../../loaders/cli/reproduce.js";
import { reproduce, reproduceJson } from "../../../src/lib/analyses/reproduce.js";
import { mixedLm } from "../../../src/lib/mixed.js";
import { parseMixedLmSummary } from "../../../src/lib/published.js";
import { paperFixture } from "../../helpers/paper.js";
import { PAPER_DATA } from "../../helpers/paths.js";

const published = parseMixedLmSummary(readFileSync(join(PAPER_DATA, "published/rq1_mixedlm_interaction.txt"), "utf8"));

describe("the published table", () => {
  it("parses all 16 fixed effects and the fit statistics", () => {
    expect(published.terms).toHaveLength(16);
    expect(published.terms[0]).toEqual({ term: "consistency:language[Danish]", coef: 0.494, se: 0.027, z: 18.062, p: 0, ci_low: 0.44, ci_high: 0.547 });
    expect(published.n).toBe(3600);
    expect(published.groups).toBe(9);
    expect(published.llf).toBeCloseTo(5133.9285, 4);
    expect(published.groupVar).toBe(0.06);
  });
});

describe("reproduce --json", () => {
  const ws = paperFixture();
  const result = reproduceJson(reproduce(ws, { rounds: 10, seed: 3 }));

  it("has the documented keys", () => {
    for (const key of ["rq1", "rq1Fit", "rq1Rows", "rq1Variants", "usBias", "consistency", "alignment", "recommended", "residuals"])
      expect(result).toHaveProperty(key);
    expect(Object.keys(result.rq1Variants!).sort()).toEqual(["interaction", "no_consistency", "normal"]);
    expect(Object.keys(result.rq1![0]!).sort()).toEqual(["ci_high", "ci_low", "coef", "p", "se", "term", "z"]);
    expect(Object.keys(result.rq1Fit!)).toEqual(
      expect.arrayContaining(["n", "groups", "group_var", "residual_scale", "log_likelihood", "marginal_r2", "conditional_r2"]),
    );
  });

  it("prints the stacked RQ1 rows, and refitting them gives the table and its REML log-likelihood", () => {
    expect(result.rq1Rows).toHaveLength(10 * 9 * 4);
    expect(Object.keys(result.rq1Rows![0]!)).toEqual(["model", "family", "language", "round", "alignment", "consistency", "multilingual"]);
    expect(new Set(result.rq1Rows!.map((r) => r.language))).toEqual(new Set(["Danish", "Dutch", "English", "Portuguese"]));
    const rows = result.rq1Rows!;
    const frame = {
      alignment: rows.map((r) => r.alignment),
      consistency: rows.map((r) => r.consistency),
      multilingual: rows.map((r) => r.multilingual),
      family: rows.map((r) => r.family),
      language: rows.map((r) => r.language),
      model: rows.map((r) => r.model),
    };
    const refit = mixedLm(result.rq1Fit!.formula, frame, "model");
    expect(refit.coefficients.map((c) => c.coef)).toEqual(result.rq1!.map((t) => t.coef));
    expect(refit.llf).toBe(result.rq1Fit!.log_likelihood);
    expect(result.rq1Fit!.modes[0]!.log_likelihood).toBe(result.rq1Fit!.log_likelihood);
    expect(typeof result.rq1Fit!.ambiguous).toBe("boolean");
  });

  it("puts the recommended analysis beside it, in rows shaped like the published ones", () => {
    const rec = result.recommended!;
    expect(rec.method).toMatch(/do not shrink as replicates are added/);
    expect(rec.replicates).toBe(10);
    expect(rec.rq1!.map((t) => t.term).filter((t) => t.startsWith("multilingual"))).toEqual(
      result.rq1!.map((t) => t.term).filter((t) => t.startsWith("multilingual")),
    );
    expect(Object.keys(rec.rq1![0]!)).toEqual(["term", "coef", "se", "ci_low", "ci_high", "p"]);
    expect(Object.keys(rec.usBias![0]!)).toEqual(["model", "language", "coef", "se", "ci_low", "ci_high", "p"]);
    expect(rec.usBias).toHaveLength(36);
    expect(rec.usBias!.some((b) => b.model.startsWith("Baseline"))).toBe(false);
    expect(rec.commonItems!.map((c) => c.leftOut)).toEqual([
      ["c001_01", "c002_01"],
      ["c001_01", "c002_01"],
      ["c001_01", "c002_01"],
      ["c001_01", "c002_01"],
    ]);
    expect(rec.usBiasByCountry!.filter((b) => b.language === "en").map((b) => b.country)).toContain("NG");
  });

  it("names RQ1 terms as the published table, in its order", () => {
    expect(result.rq1!.map((t) => t.term)).toEqual(published.terms.map((t) => t.term));
    expect(result.rq1Variants!.normal.rq1[0]!.term).toBe("consistency");
    expect(result.rq1Variants!.no_consistency.rq1).toHaveLength(12);
    expect(result.rq1Fit!.n).toBe(10 * 9 * 4);
    expect(result.rq1Fit!.groups).toBe(9);
  });

  it("uses model ids and ISO language codes", () => {
    const ids = new Set(ws.models.map((m) => m.model));
    for (const row of [...result.usBias!, ...result.consistency!, ...result.alignment!]) {
      expect(ids.has(row.model)).toBe(true);
      expect(row.language).toMatch(/^[a-z]{2}$/);
    }
    expect(result.usBias).toHaveLength(36);
    expect(result.usBias!.some((b) => b.model.startsWith("Baseline"))).toBe(false);
    expect(result.consistency).toHaveLength(36);
    const levels = new Set(result.alignment!.map((a) => a.level));
    expect(levels).toEqual(new Set(["global", "language", "country"]));
    const dk = result.alignment!.find((a) => a.level === "country" && a.population === "DK" && a.model === "gpt-4o" && a.language === "da")!;
    expect(dk.rho).toBeGreaterThan(-1);
    expect(dk.ci_low).toBeLessThanOrEqual(dk.ci_high);
  });

  it("is deterministic: the same seed gives byte-identical output, another seed does not", () => {
    const again = JSON.stringify(reproduceJson(reproduce(ws, { rounds: 10, seed: 3 })));
    expect(again).toBe(JSON.stringify(result));
    expect(JSON.stringify(reproduceJson(reproduce(ws, { rounds: 10, seed: 4 })))).not.toBe(again);
  });

  it("keeps the study's own baseline draw, and draws seeded baselines for a workspace without them", () => {
    expect(result.meta.baselines).toBe("workspace");
    const bare = { ...ws, responses: ws.responses.filter((r) => r.family !== "Baseline"), models: ws.models.filter((m) => m.family !== "Baseline") };
    const r = reproduce(bare, { rounds: 5, seed: 2, parts: ["usBias"] });
    expect(r.meta.baselines).toBe("drawn");
    expect(r.usBias).toHaveLength(36);
    expect(JSON.stringify(reproduce(bare, { rounds: 5, seed: 2, parts: ["usBias"] }).usBias)).toBe(JSON.stringify(r.usBias));
  });

  it("gives the same RQ1 whether or not the other analyses are computed", () => {
    const only = reproduceJson(reproduce(ws, { rounds: 10, seed: 3, parts: ["rq1"] }));
    expect(only.rq1).toEqual(result.rq1);
    expect(only.usBias).toBeUndefined();
  });
});

describe("acceptance: the published RQ1 table lies within the seed-to-seed spread", () => {
  it("20 seeds × 100 rounds of `mca reproduce --json`: every published coefficient within mean ± 3 SD; signs agree where |z| ≥ 2", async () => {
    // Through the command itself (options, source, JSON), in this process.
    process.env.MCA_PAPER_DATA = PAPER_DATA;
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const coefs: Array<Array<{ term: string; coef: number }>> = [];
    for (const seed of seeds) {
      let out = "";
      await reproduceCommand(["--source", "paper", "--rounds", "100", "--seed", String(seed), "--json", "--parts", "rq1"], (t) => (out += t));
      coefs.push(JSON.parse(out).rq1);
    }
    const report: string[] = [];
    for (const [k, pub] of published.terms.entries()) {
      const values = coefs.map((c) => {
        expect(c[k]!.term).toBe(pub.term);
        return c[k]!.coef;
      });
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
      const within = Math.abs(pub.coef - mean) <= 3 * sd;
      const signOk = Math.abs(pub.z) < 2 || Math.sign(mean) === Math.sign(pub.coef);
      report.push(`${pub.term}: published ${pub.coef}, seeds ${mean.toFixed(3)} ± ${sd.toFixed(3)} ${within && signOk ? "ok" : "FAIL"}`);
      expect.soft(within, `${pub.term}: published ${pub.coef} outside ${mean.toFixed(3)} ± 3×${sd.toFixed(3)}`).toBe(true);
      expect.soft(signOk, `${pub.term}: sign of the seed mean ${mean.toFixed(3)} differs from published ${pub.coef}`).toBe(true);
    }
    // Jointly: the published table's squared standardised distance from the seeds' mean, over all 16 terms, against
    // each seed's own distance from the other 19. Were the published draw one more seed, it would be the most extreme
    // of the 21 with probability 1/21.
    const distance = (x: number[], others: number[][]) =>
      x.reduce((sum, v, k) => {
        const col = others.map((o) => o[k]!);
        const m = col.reduce((a, b) => a + b, 0) / col.length;
        const sd = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / (col.length - 1));
        return sum + ((v - m) / sd) ** 2;
      }, 0);
    const vectors = coefs.map((c) => c.map((t) => t.coef));
    const pub = distance(
      published.terms.map((t) => t.coef),
      vectors,
    );
    const seedDistances = vectors.map((v, i) =>
      distance(
        v,
        vectors.filter((_, j) => j !== i),
      ),
    );
    report.push(
      `joint: published ${pub.toFixed(1)}, seeds (each against the others) ${Math.min(...seedDistances).toFixed(1)} to ${Math.max(...seedDistances).toFixed(1)}`,
    );
    console.log(report.join("\n"));
    expect(pub).toBeLessThan(Math.max(...seedDistances));
  }, 300_000);
});

describe("mca reproduce", () => {
  it("prints JSON that parses, from the source given", async () => {
    let out = "";
    process.env.MCA_PAPER_DATA = PAPER_DATA;
    await reproduceCommand(["--source", "paper", "--rounds", "5", "--seed", "2", "--json", "--parts", "rq1"], (t) => (out += t));
    const parsed = JSON.parse(out);
    expect(parsed.rq1).toHaveLength(16);
    expect(parsed.meta.seed).toBe("2");
  });

  it("prints readable tables", async () => {
    let out = "";
    await reproduceCommand(["--rounds", "5", "--parts", "usBias,consistency"], (t) => (out += t));
    expect(out).toContain("RQ2: US-centric bias");
    expect(out).toMatch(/gpt-4o\s+en\s+-?0\.\d{4}/);
  });

  it("explains bad options", async () => {
    await expect(reproduceCommand(["--rounds", "0"], () => {})).rejects.toThrow(/--rounds must be a positive integer, got "0"/);
    await expect(reproduceCommand(["--metric", "kendall"], () => {})).rejects.toThrow(/--metric must be one of spearman, pearson, mean_alignment/);
    await expect(reproduceCommand(["--source", "nowhere"], () => {})).rejects.toThrow(/Unknown source "nowhere"/);
    await expect(reproduceCommand(["--bogus"], () => {})).rejects.toThrow(/bogus/);
  });
});
