/**
 * Personas (src/lib/analyses/personas.ts): a workspace worked by hand (ties, a null VPS, a
 * country with one item, an item no country has, a language without plain answers), the
 * study's release against scipy (test/reference/personas_reference.py), the item bootstrap
 * under other seeds and replicates and against duplicated items, the table's checks, and the
 * `personas` key of `mca reproduce --json`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reproduceCommand } from "../../../loaders/cli/reproduce.js";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { paperPersonas } from "../../../loaders/sources/paperPersonas.js";
import { aggregatePersonas } from "../../../src/lib/aggregate.js";
import { ALL_LANGUAGES, personas, type PersonaResult } from "../../../src/lib/analyses/personas.js";
import { reproduce, reproduceJson } from "../../../src/lib/analyses/reproduce.js";
import { spearman } from "../../../src/lib/correlation.js";
import { checkPersonas, validateWorkspace, type PersonaRow, type ResponseRow, type Workspace } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";
import { PAPER_DATA } from "../../helpers/paths.js";

const TRUTH: Record<string, Record<string, number>> = {
  DK: { a: 0.1, b: 0.4, c: 0.3, d: 0.9 },
  US: { a: 0.8, b: 0.2, c: 0.5, d: 0.6 },
  KE: { a: 0.5 },
};

const response = (language: string, item: string, vps: number | null): ResponseRow => ({
  model: "m",
  family: "f",
  language,
  item,
  template_id: null,
  topic_id: null,
  prompt: null,
  response_language: language,
  vps,
});

const persona = (language: string, country: string, congruent: boolean, item: string, vps: number | null, count = 1): PersonaRow => ({
  model: "m",
  language,
  item,
  country,
  congruent,
  vps,
  interview_size: null,
  count,
});

/** Model m in Danish and English without a persona; personas DK (congruent) and US, KE (incongruent) in Danish. */
function handWorkspace(): Workspace {
  const plain: Array<[string, string, number | null]> = [
    ["da", "a", 0.2],
    ["da", "b", 0.5],
    ["da", "c", 0.5],
    ["da", "d", 0.8],
    ["da", "e", 0.3],
    ["en", "a", 0.9],
    ["en", "b", 0.1],
    ["en", "c", 0.6],
    ["en", "d", 0.4],
  ];
  return {
    responses: plain.map(([l, i, v]) => response(l, i, v)),
    ground_truth: Object.entries(TRUTH).flatMap(([population, items]) =>
      Object.entries(items).map(([item, pro_score]) => ({ level: "country" as const, population, item, pro_score })),
    ),
    benchmarks: [],
    models: [{ model: "m", display_name: "M", family: "f" }],
    items: [],
    populations: [
      { level: "country", population: "DK", language: "da" },
      { level: "country", population: "US", language: "en" },
      { level: "country", population: "KE", language: "en" },
    ],
    provenance: [],
    personas: [
      persona("da", "DK", true, "a", 0.1),
      persona("da", "DK", true, "b", 0.6, 2),
      persona("da", "DK", true, "c", 0.6),
      persona("da", "DK", true, "d", 0.7),
      persona("da", "DK", true, "e", 0.9),
      persona("da", "DK", true, "d", null),
      persona("da", "US", false, "a", 0.7),
      persona("da", "US", false, "b", 0.5),
      persona("da", "US", false, "c", 0.2),
      persona("da", "US", false, "d", 0.4),
      persona("da", "KE", false, "a", 0.3),
      persona("da", "KE", false, "a", 0.6),
    ],
  };
}

/** Spearman on the expanded points (one per response), by the library's plain Spearman. */
const rhoOf = (points: Array<[string, number, number?]>, country: string) => {
  const kept = points.filter(([i]) => i in TRUTH[country]!).flatMap(([i, v, n = 1]) => Array.from({ length: n }, () => [v, TRUTH[country]![i]!] as const));
  return spearman(
    kept.map((p) => p[0]),
    kept.map((p) => p[1]),
  );
};

const cell = (r: PersonaResult, language: string, country: string) => r.cells.find((c) => c.language === language && c.country === country)!;
const summary = (r: PersonaResult, language: string) => r.summaries.find((s) => s.language === language)!;

describe("personas on a workspace worked by hand", () => {
  const r = personas(handWorkspace(), { replicates: 50, seed: 3 });
  const dk = rhoOf(
    [
      ["a", 0.1],
      ["b", 0.6, 2],
      ["c", 0.6],
      ["d", 0.7],
    ],
    "DK",
  );
  const plainDa: Array<[string, number]> = [
    ["a", 0.2],
    ["b", 0.5],
    ["c", 0.5],
    ["d", 0.8],
  ];
  const plainEn: Array<[string, number]> = [
    ["a", 0.9],
    ["b", 0.1],
    ["c", 0.6],
    ["d", 0.4],
  ];

  it("computes each cell's three alignments from the answers on the country's items (ties, counts, a null VPS and item e left out)", () => {
    // DK persona: VPS 0.1, 0.6 ×3 (tied), 0.7 against DK 0.1, 0.4, 0.4, 0.3, 0.9; scipy's spearmanr gives 0.9176629354822471.
    expect(dk).toBeCloseTo(0.9176629354822471, 12);
    expect(cell(r, "da", "DK").persona.coef).toBeCloseTo(dk, 12);
    expect(cell(r, "da", "DK").responses).toBe(5);
    expect(cell(r, "da", "DK").items).toBe(4);
    expect(cell(r, "da", "DK").baseline.coef).toBeCloseTo(rhoOf(plainDa, "DK"), 12);
    const us = cell(r, "da", "US");
    expect(us.persona.coef).toBeCloseTo(
      rhoOf(
        [
          ["a", 0.7],
          ["b", 0.5],
          ["c", 0.2],
          ["d", 0.4],
        ],
        "US",
      ),
      12,
    );
    expect(us.baseline.coef).toBeCloseTo(rhoOf(plainDa, "US"), 12);
    expect(us.own.coef).toBeCloseTo(rhoOf(plainEn, "US"), 12);
    expect(us.lift.coef).toBeCloseTo(us.persona.coef - us.baseline.coef, 12);
    expect(us.language_effect.coef).toBeCloseTo(us.own.coef - us.baseline.coef, 12);
    expect(us.persona_minus_language.coef).toBeCloseTo(us.persona.coef - us.own.coef, 12);
  });

  it("gives NaN where a country has one item, and leaves it out of the means", () => {
    expect(cell(r, "da", "KE").persona.coef).toBeNaN();
    expect(cell(r, "da", "KE").persona.ci_low).toBeNaN();
    const da = summary(r, "da");
    expect(da.incongruent.coef).toBeCloseTo(cell(r, "da", "US").persona.coef, 12);
    expect(da.congruent.coef).toBeCloseTo(dk, 12);
    expect(da.difference.coef).toBeCloseTo(dk - cell(r, "da", "US").persona.coef, 12);
    expect(da.persona_effect.coef).toBeCloseTo(cell(r, "da", "US").lift.coef, 12);
    expect(da.language_effect.coef).toBeCloseTo(cell(r, "da", "US").language_effect.coef, 12);
    expect(da.congruent_countries).toEqual(["DK"]);
    expect(da.incongruent_countries).toEqual(["KE", "US"]);
    expect(summary(r, ALL_LANGUAGES).difference.coef).toBeCloseTo(da.difference.coef, 12);
  });

  it("has no language effect for a congruent persona (the two languages are one)", () => {
    expect(cell(r, "da", "DK").language_effect.coef).toBeNaN();
    expect(cell(r, "da", "DK").own.coef).toBeCloseTo(cell(r, "da", "DK").baseline.coef, 12);
  });

  it("gives the same answer on aggregated rows as on one row per response", () => {
    const ws = handWorkspace();
    const expanded = ws.personas!.flatMap((p) => Array.from({ length: p.count ?? 1 }, () => ({ ...p, count: 1 })));
    const a = personas({ ...ws, personas: expanded }, { replicates: 20, seed: 1 });
    const b = personas({ ...ws, personas: aggregatePersonas(expanded) }, { replicates: 20, seed: 1 });
    expect(b).toEqual(a);
  });

  it("is empty without a personas table", () => {
    const { personas: _, ...ws } = handWorkspace();
    const empty = personas(ws as Workspace);
    expect(empty.cells).toEqual([]);
    expect(empty.summaries).toEqual([]);
  });
});

describe("the item bootstrap", () => {
  it("is seeded, and a different seed gives different intervals around the same estimates", () => {
    const a = personas(handWorkspace(), { replicates: 40, seed: 1 });
    expect(personas(handWorkspace(), { replicates: 40, seed: 1 })).toEqual(a);
    const b = personas(handWorkspace(), { replicates: 40, seed: 2 });
    expect(b.cells.map((c) => c.persona.coef)).toEqual(a.cells.map((c) => c.persona.coef));
    expect(b.cells.map((c) => c.persona.se)).not.toEqual(a.cells.map((c) => c.persona.se));
  });

  it("holds each finite estimate inside its own interval on the study's release, at 100 and 300 replicates", () => {
    for (const replicates of [100, 300]) {
      const r = personas(paperFixture(), { replicates, seed: 5 });
      for (const s of r.summaries) {
        for (const e of [s.congruent, s.incongruent, s.persona_effect, s.language_effect]) {
          expect(e.ci_low).toBeLessThanOrEqual(e.coef + 0.05);
          expect(e.ci_high).toBeGreaterThanOrEqual(e.coef - 0.05);
        }
      }
    }
  });

  it("does not narrow as replicates grow (Monte Carlo noise only)", () => {
    const width = (n: number) => {
      const s = summary(personas(paperFixture(), { replicates: n, seed: 7 }), ALL_LANGUAGES).persona_effect;
      return s.ci_high - s.ci_low;
    };
    const [w50, w300] = [width(50), width(300)];
    expect(w300).toBeGreaterThan(0.6 * w50);
    expect(w300).toBeLessThan(1.6 * w50);
  });
});

interface Reference {
  persona_responses: number;
  cells: Array<Record<string, number | string | boolean | null>>;
  summaries: Array<Record<string, number | string | null>>;
}

describe("on the study's release, against scipy (test/reference/personas_reference.py)", () => {
  const ref = JSON.parse(readFileSync(join(REPO_ROOT, "test/reference/expected/personas.json"), "utf8")) as Reference;
  const r = personas(paperFixture(), { replicates: 10, seed: 1 });
  const num = (x: number | string | boolean | null | undefined) => (x === null || x === undefined ? NaN : Number(x));

  it("reads every persona response of the release", () => {
    const rows = paperPersonas(join(PAPER_DATA, "demographic-gemma-results.csv"));
    expect(rows.reduce((n, p) => n + (p.count ?? 1), 0)).toBe(ref.persona_responses);
    expect(ref.persona_responses).toBe(2242);
    expect(checkPersonas(rows)).toEqual([]);
  });

  it("matches every cell to 1e-12", () => {
    expect(r.cells).toHaveLength(ref.cells.length);
    for (const c of ref.cells) {
      const ours = cell(r, c.language as string, c.country as string);
      expect(ours.congruent).toBe(c.congruent);
      expect(ours.responses).toBe(c.responses);
      for (const k of ["persona", "baseline", "own", "lift", "language_effect", "persona_minus_language"] as const) {
        const want = num(c[k]);
        if (Number.isNaN(want)) expect(ours[k].coef).toBeNaN();
        else expect(ours[k].coef).toBeCloseTo(want, 12);
      }
    }
  });

  it("matches every language's means to 1e-12", () => {
    for (const s of ref.summaries) {
      const ours = summary(r, s.language as string);
      for (const k of ["congruent", "incongruent", "difference", "lift_difference", "persona_effect", "language_effect", "persona_minus_language"] as const) {
        const want = num(k === "persona_effect" ? s.incongruent_lift : s[k]);
        if (Number.isNaN(want)) expect(ours[k].coef).toBeNaN();
        else expect(ours[k].coef).toBeCloseTo(want, 12);
      }
    }
  });
});

describe("the personas table's checks", () => {
  it("names a missing column, a bad country, a bad flag and a bad VPS, with the fix", () => {
    const { congruent: _, ...noFlag } = persona("da", "DK", true, "a", 0.5);
    expect(checkPersonas([noFlag as PersonaRow])).toEqual([expect.stringContaining('missing column "congruent"')]);
    const bad = [
      persona("da", "Denmark", true, "a", 0.5),
      { ...persona("da", "DK", true, "a", 0.5), congruent: "yes" as unknown as boolean },
      persona("da", "DK", true, "A", 1.5),
    ];
    const problems = checkPersonas(bad);
    expect(problems[0]).toContain('country "Denmark" must be the survey\'s upper-case code (e.g. "DK")');
    expect(problems[1]).toContain('congruent "yes" must be true or false');
    expect(problems[2]).toContain('item key "A" must be lower case');
    expect(problems[3]).toContain("vps 1.5 must be a number in [0, 1] or null");
    expect(() => validateWorkspace({ ...handWorkspace(), personas: bad }, "ws")).toThrow(/ws\/personas: row 1/);
  });
});

describe("mca reproduce", () => {
  it("prints a personas table per model and language in text mode", async () => {
    const lines: string[] = [];
    await reproduceCommand(["--source", "paper", "--parts", "personas", "--rounds", "10"], (t) => lines.push(t));
    const text = lines.join("");
    expect(text).toMatch(/Personas \(recommended inference\): .*10 item-bootstrap replicates \(seed 1\)/);
    expect(text).toMatch(/gemma-2-27b-it\s+all\s+0\.371\s+0\.268\s+0\.103/);
  });
});

describe("mca reproduce --json", () => {
  it("has the personas key, the part's own result", () => {
    const json = reproduceJson(reproduce(handWorkspace(), { parts: ["personas"], rounds: 30, seed: 2 }));
    expect(json.personas).toEqual(personas(handWorkspace(), { replicates: 30, seed: 2 }));
  });
});
