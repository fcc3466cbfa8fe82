/**
 * The seeded random source, baselines, ranks and correlations on hand-worked
 * examples, summaries, and the rule that the statistics core uses no Node API.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { summarize } from "../../src/lib/analyses/summary.js";
import { drawBaselines } from "../../src/lib/baselines.js";
import { averageRanks, meanAlignment, pearson, spearman, weightedMidranks } from "../../src/lib/correlation.js";
import { toCsv } from "../../src/lib/csv.js";
import { median, quantile, variance } from "../../src/lib/descriptive.js";
import { createRng, resampleCounts, resampleIndices } from "../../src/lib/random.js";
import type { ResponseRow } from "../../src/lib/workspace.js";

describe("seeded random source", () => {
  it("repeats exactly for a seed and stream, and differs across them", () => {
    const a = Array.from({ length: 5 }, createRng(42).next);
    const rngA = createRng(42);
    expect(Array.from({ length: 5 }, () => rngA.next())).toEqual(a);
    const rngB = createRng(43);
    expect(Array.from({ length: 5 }, () => rngB.next())).not.toEqual(a);
    const s1 = createRng(42, "one").next();
    const s2 = createRng(42, "two").next();
    expect(s1).not.toBe(s2);
    expect(createRng(42).fork("x").next()).toBe(createRng("42", "x").next());
  });

  it("draws uniform doubles and integers, and standard normals", () => {
    const rng = createRng("moments");
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let z1 = 0;
    let z2 = 0;
    const bins = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
      bins[rng.int(10)]++;
      const z = rng.normal();
      z1 += z;
      z2 += z * z;
    }
    // Monte Carlo tolerances: > 5 standard errors.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - 1 / 3)).toBeLessThan(0.003);
    for (const b of bins) expect(Math.abs(b / n - 0.1)).toBeLessThan(5 * Math.sqrt(0.09 / n));
    expect(Math.abs(z1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(z2 / n - 1)).toBeLessThan(0.02);
  });

  it("resamples with replacement: counts sum to n and match the indices drawn", () => {
    const counts = resampleCounts(1000, createRng(7));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    const idx = resampleIndices(1000, createRng(7));
    const again = new Int32Array(1000);
    for (const i of idx) again[i]!++;
    expect(Array.from(again)).toEqual(Array.from(counts));
    // About 1 − 1/e of the rows appear in a resample.
    const present = Array.from(counts).filter((c) => c > 0).length / 1000;
    expect(Math.abs(present - (1 - Math.exp(-1)))).toBeLessThan(0.05);
  });

  it("refuses a bad seed or range", () => {
    expect(() => createRng(NaN)).toThrow(/Seed/);
    expect(() => createRng(1).int(0)).toThrow(/positive integer/);
  });
});

describe("baselines", () => {
  const rows: ResponseRow[] = Array.from({ length: 4000 }, (_, i) => ({
    model: i < 3000 ? "first" : "second",
    family: "f",
    language: "da",
    item: "x",
    template_id: null,
    topic_id: null,
    prompt: null,
    response_language: "da",
    vps: 0.3,
  }));

  it("copy the first model's rows, with seeded draws", () => {
    const b = drawBaselines(rows, { rng: createRng(5) });
    const uniform = b.filter((r) => r.model === "Baseline_uniform_random").map((r) => r.vps!);
    const fifty = b.filter((r) => r.model === "Baseline_fifty_percent").map((r) => r.vps!);
    expect(uniform).toHaveLength(3000);
    expect(fifty).toHaveLength(3000);
    expect(b.every((r) => r.family === "Baseline")).toBe(true);
    expect(uniform.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(Math.abs(uniform.reduce((a, c) => a + c, 0) / 3000 - 0.5)).toBeLessThan(0.03);
    const m = fifty.reduce((a, c) => a + c, 0) / 3000;
    const sd = Math.sqrt(fifty.reduce((a, c) => a + (c - m) ** 2, 0) / 2999);
    expect(Math.abs(m - 0.5)).toBeLessThan(0.002);
    expect(Math.abs(sd - 0.01)).toBeLessThan(0.001);
    expect(drawBaselines(rows, { rng: createRng(5) })).toEqual(b);
    expect(drawBaselines(rows, { rng: createRng(6) })).not.toEqual(b);
  });

  it("can copy another model, and names an unknown one", () => {
    expect(drawBaselines(rows, { rng: createRng(1), template: "second" })).toHaveLength(2000);
    expect(() => drawBaselines(rows, { rng: createRng(1), template: "third" })).toThrow(/"third" has no responses/);
  });
});

describe("ranks and correlations, worked by hand", () => {
  it("averages tied ranks", () => {
    expect(Array.from(averageRanks([10, 20, 20, 30, 20]))).toEqual([1, 3, 3, 5, 3]);
    expect(Array.from(averageRanks([0.5, NaN, 0.5]))).toEqual([1.5, NaN, 1.5]);
    // Weighted: levels with weights 1, 3, 1 span ranks 1 | 2–4 | 5.
    expect(Array.from(weightedMidranks([1, 3, 1]))).toEqual([1, 3, 5]);
  });

  it("computes Spearman with ties as Pearson on average ranks", () => {
    // x ranks [1, 2.5, 2.5, 4], y ranks [1, 2, 3, 4]: r = 4.5 / sqrt(4.5 × 5)
    expect(spearman([1, 2, 2, 3], [10, 20, 30, 40])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 14);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 14);
    expect(meanAlignment([0.2, 0.8], [0.4, 0.5])).toBeCloseTo(1 - (0.2 + 0.3) / 2, 14);
  });

  it("returns NaN for empty, single or constant input, and drops NaN pairs", () => {
    expect(spearman([], [])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(meanAlignment([], [])).toBeNaN();
    expect(spearman([1, NaN, 3, 2], [1, 5, 3, 2])).toBeCloseTo(1, 14);
    expect(() => pearson([1, 2], [1])).toThrow(/equal length/);
  });
});

describe("summaries", () => {
  it("gives numpy's linear-interpolation percentiles and ignores NaN rounds", () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 14);
    const s = summarize([1, 2, NaN, 3, 4, 5]);
    expect(s.rounds).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.ci_low).toBeCloseTo(1.1, 14);
    expect(s.ci_high).toBeCloseTo(4.9, 14);
    expect(summarize([NaN]).mean).toBeNaN();
  });

  it("variance is numpy's (divisor n) and, like the quantile and the median, skips NaN", () => {
    expect(variance([1, 2, 3, 4])).toBe(1.25);
    expect(variance([1, NaN, 3])).toBe(1);
    expect(variance([NaN])).toBeNaN();
    expect(variance([])).toBeNaN();
  });
});

describe("CSV", () => {
  it("quotes what needs quoting", () => {
    expect(toCsv([{ a: 'x,"y"', b: 1.5, c: null }])).toBe('a,b,c\r\n"x,""y""",1.5,\r\n');
  });
});

/** The module specifiers of every static import or export, side-effect import and dynamic import in a source text. */
function specifiers(text: string): string[] {
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

/** The Node built-ins a source imports: `node:` specifiers and bare names of built-in modules (fs, path, …). */
function nodeImports(text: string): string[] {
  const builtins = new Set(builtinModules);
  return specifiers(text).filter((s) => s.startsWith("node:") || builtins.has(s) || builtins.has(s.split("/")[0]!));
}

describe("the statistics core runs in the browser", () => {
  it("the check finds every form of a Node import", () => {
    expect(nodeImports(`import {readFileSync} from "node:fs";`)).toEqual(["node:fs"]);
    expect(nodeImports(`import { join } from 'path';\nexport * from "fs/promises";`)).toEqual(["path", "fs/promises"]);
    expect(nodeImports(`import "node:crypto"; const m = await import("node:os");`)).toEqual(["node:crypto", "node:os"]);
    expect(nodeImports(`import {x} from "./random.js"; import * as Plot from "npm:@observablehq/plot";`)).toEqual([]);
  });

  it("imports no Node API", () => {
    const dir = join(REPO_ROOT, "src", "lib");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      expect(nodeImports(text), f).toEqual([]);
      expect(text, f).not.toMatch(/\b(process\.|require\(|Buffer\.)/);
      expect(text, f).not.toMatch(/from\s+["']npm:/);
    }
  });
});

describe("median", () => {
  it("takes the mean of the middle two for an even count, and skips NaN", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5, 1])).toBe(3);
    expect(median([])).toBeNaN();
  });
});
