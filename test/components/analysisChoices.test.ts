/**
 * The pages' analysis choices come from the one table of choices (src/lib/robustness/specs.ts):
 * a link the robustness page writes for any specification (specQuery) opens the pages' controls
 * on exactly that specification's choices, and no page binds a choice's URL parameter under a
 * name of its own, so renaming a parameter in the table cannot leave a page reading the old one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as Choices from "../../src/components/analysisChoices.js";
import { CHOICE_KEYS, CHOICES, specFromQuery, specifications, specQuery } from "../../src/lib/robustness/specs.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const { analysisChoices, choicesOf } = await loadComponents<typeof Choices>(exportsOf(["analysisChoices"]));

// A small workspace: two models, two languages, two items.
const ws = {
  models: [
    { model: "m1", display_name: "Model 1" },
    { model: "m2", display_name: "Model 2" },
  ],
  responses: ["m1", "m2"].flatMap((model) => ["da", "en"].flatMap((language) => ["i1", "i2"].map((item) => ({ model, language, item })))),
  ground_truth: [{ item: "i1" }, { item: "i2" }],
  items: [{ item: "i1", name: "Justifiable: abortion" }],
} as never;

describe("the items to leave out", () => {
  it("are listed by name with their code, as the other pages' item pickers show them, the code alone without a name", () => {
    history.replaceState(null, "", "/capability");
    const form = analysisChoices(ws, {}) as HTMLElement;
    const select = form.querySelector("form.wide-select select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Justifiable: abortion (i1)", "i2"]);
  });
});

/** The choices the pages' controls show when opened at `query`. */
function controlsAt(query: string) {
  history.replaceState(null, "", `/capability?${query}`);
  return choicesOf(analysisChoices(ws, { rq1Level: true, unit: true, usBias: true }).value);
}

describe("the table of choices", () => {
  const specs = specifications(ws, { rounds: 30, seeds: 2 });

  it("round-trips every specification through its URL query", () => {
    for (const spec of specs) {
      const back = specFromQuery(specQuery(spec));
      for (const k of CHOICE_KEYS) expect(back[k], `${spec.id} ${k}`).toBe(spec[k]);
      expect([back.seed, back.rounds], spec.id).toEqual([spec.seed, spec.rounds]);
      expect(back.exclude, spec.id).toEqual(spec.exclude);
    }
  });

  it("opens the pages' controls on the specification's choices", () => {
    for (const spec of specs) {
      const c = controlsAt(specQuery(spec));
      expect({ metric: c.metric, level: c.rq1Level, unit: c.unit, items: c.items, baseline: c.baseline }, spec.id).toEqual({
        metric: spec.metric,
        level: spec.level,
        unit: spec.unit,
        items: spec.items,
        baseline: spec.baseline,
      });
      expect(c.exclude, spec.id).toEqual({
        models: spec.exclude.models ?? [],
        languages: spec.exclude.languages ?? [],
        items: spec.exclude.items ?? [],
      });
    }
  });

  it("gives each control its reference value when the URL names none", () => {
    const c = controlsAt("");
    expect([c.metric, c.rq1Level, c.unit, c.items, c.baseline]).toEqual(
      ["metric", "level", "unit", "items", "baseline"].map((k) => CHOICES[k as "metric"].reference),
    );
  });
});

describe("the pages read the choices' URL parameters from the table", () => {
  const files = [
    ...readdirSync("src")
      .filter((f) => /\.md(\.template)?$/.test(f))
      .map((f) => join("src", f)),
    ...readdirSync("src/components").map((f) => join("src/components", f)),
  ];
  const text = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  /** URL parameters bound by a literal name: `urlParam(input, "name", codec)`. */
  const literalParams = (source: string) => [...source.matchAll(/"(\w+)",\s*(?:oneOf|listOf|integer|text|list|rate)\b/g)].map((m) => m[1]!);

  // Controls bound under a literal name (in the order of their files) that a choice's parameter also has, each with what it is.
  const LITERALS: Array<{ file: string; param: string; choice?: keyof typeof CHOICES; why: string }> = [
    { file: "src/alignment.md", param: "metric", choice: "metric", why: "the same choice, with the page's longer labels" },
    { file: "src/components/sliceControls.ts", param: "items", why: "Explore's item filter, another page's parameter (not the US-bias item set)" },
    { file: "src/cross-effects.md", param: "metric", choice: "metric", why: "the same choice, with the page's longer labels" },
  ];

  it("binds every choice through the table (choiceInput), on some page", () => {
    const bound = new Set(
      [...text.values()].flatMap((source) => [...source.matchAll(/choiceInput\("(\w+)"\)/g)].map((m) => m[1]!)).filter((k) => k in CHOICES),
    );
    expect([...bound].sort()).toEqual([...CHOICE_KEYS].sort());
  });

  it("binds no choice's parameter under a literal name, except the listed ones", () => {
    const params = new Set(CHOICE_KEYS.map((k) => CHOICES[k].param));
    const found = [...text].flatMap(([file, source]) =>
      literalParams(source)
        .filter((p) => params.has(p))
        .map((param) => ({ file, param })),
    );
    expect(found.sort((a, b) => a.file.localeCompare(b.file))).toEqual(LITERALS.map(({ file, param }) => ({ file, param })));
    for (const l of LITERALS) if (l.choice) expect(CHOICES[l.choice].param, l.file).toBe(l.param);
  });
});
