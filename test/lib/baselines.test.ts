import { describe, expect, it } from "vitest";
import { drawBaselines } from "../../src/lib/baselines.js";
import { createRng } from "../../src/lib/random.js";
import type { ResponseRow } from "../../src/lib/workspace.js";

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
