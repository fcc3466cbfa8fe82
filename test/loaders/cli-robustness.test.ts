/** `mca robustness`: the JSON contract and its options, on the simulated demo (small and fast). */
import { describe, expect, it } from "vitest";
import { reproduceCommand } from "../../loaders/cli/reproduce.js";
import { robustnessCommand } from "../../loaders/cli/robustness.js";

describe("mca robustness", () => {
  it("prints {specifications, distinct, claims: [{claim, holds, total}]}, counting identical results once", async () => {
    let out = "";
    await robustnessCommand(["--source", "demo", "--rounds", "6", "--seeds", "2", "--json"], (t) => (out += t));
    const r = JSON.parse(out);
    expect(Object.keys(r)).toEqual(["specifications", "distinct", "rounds", "seed", "claims"]);
    expect(r.rounds).toBe(6);
    expect(r.distinct).toBeGreaterThan(1);
    expect(r.distinct).toBeLessThanOrEqual(r.specifications);
    expect(r.claims.length).toBeGreaterThanOrEqual(5);
    for (const c of r.claims) {
      expect(Object.keys(c)).toEqual(["claim", "id", "holds", "total"]);
      expect(c.holds).toBeGreaterThanOrEqual(0);
      expect(c.holds).toBeLessThanOrEqual(c.total);
      expect(c.total).toBeLessThanOrEqual(r.specifications);
    }
    expect(r.claims.map((c: { id: string }) => c.id)).toContain("consistency");
  }, 120_000);

  it("prints a table of claims", async () => {
    let out = "";
    await robustnessCommand(["--source", "demo", "--rounds", "4", "--seeds", "0"], (t) => (out += t));
    expect(out).toMatch(/specifications \(\d+ distinct results\), 4 replicates each, seed 1/);
    expect(out).toMatch(/Self-consistency predicts alignment in every language\s+\d+\s+\d+\s+\d+%/);
  }, 120_000);

  it("explains bad options", async () => {
    await expect(robustnessCommand(["--rounds", "1"], () => {})).rejects.toThrow(/--rounds must be a whole number of at least 2, got "1"/);
    await expect(robustnessCommand(["--seeds", "x"], () => {})).rejects.toThrow(/--seeds must be a whole number/);
    await expect(robustnessCommand(["--source", "nowhere", "--rounds", "5"], () => {})).rejects.toThrow(/Unknown source "nowhere"/);
  });
});

describe("the recommended analysis on a small workspace", () => {
  it("reports a formula the workspace cannot carry instead of failing (the demo: two models a family)", async () => {
    let out = "";
    await reproduceCommand(["--source", "demo", "--rounds", "5", "--parts", "recommended", "--json"], (t) => (out += t));
    const rec = JSON.parse(out).recommended;
    expect(rec.rq1.length).toBeGreaterThan(0);
    expect(rec.rq1Variants.family_language_intercepts.error).toMatch(/cannot identify/);
    expect(rec.rq1Variants.family_language_intercepts.rq1).toEqual([]);
    expect(rec.usBias.length).toBeGreaterThan(0);
  }, 120_000);
});
