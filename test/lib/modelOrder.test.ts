/** The one model order (family, then size numerically, then the table's order), and what uses it. */
import { describe, expect, it } from "vitest";
import { answeringModels } from "../../src/lib/slice.js";
import { modelOrder, sortModelRows, UNIFORM_BASELINE, type ModelRow, type ResponseRow } from "../../src/lib/workspace.js";

const row = (model: string, family: string, size: number | null | undefined, display_name = model): ModelRow => ({ model, display_name, family, size });

// A models table in the order a text sort gives (13B, 32B, 7B; 27B, 2B, 9B).
const TEXT_ORDER: ModelRow[] = [
  row("olmo-13b", "olmo", 13, "OLMo-2 13B"),
  row("gemma-27b", "gemma", 27, "Gemma-2 27B"),
  row("olmo-32b", "olmo", 32, "OLMo-2 32B"),
  row("gemma-2b", "gemma", 2, "Gemma-2 2B"),
  row("olmo-7b", "olmo", 7, "OLMo-2 7B"),
  row("gemma-9b", "gemma", 9, "Gemma-2 9B"),
];

describe("sortModelRows", () => {
  it("keeps the families in the table's order of first appearance and sorts each by size as a number", () => {
    expect(sortModelRows(TEXT_ORDER).map((m) => m.display_name)).toEqual(["OLMo-2 7B", "OLMo-2 13B", "OLMo-2 32B", "Gemma-2 2B", "Gemma-2 9B", "Gemma-2 27B"]);
  });

  it("puts unknown sizes (null, missing, NaN) after known ones, and keeps the table's order among equal or unknown sizes", () => {
    const models = [
      row("gpt-3.5", "openai", null, "GPT-3.5 Turbo"),
      row("gpt-4-turbo", "openai", Number.NaN, "GPT-4 Turbo"),
      row("b-7b", "openai", 7),
      row("gpt-4o", "openai", undefined, "GPT-4o"),
      row("a-7b", "openai", 7),
      row("gpt-small", "openai", 1, "GPT small"),
    ];
    const copy = [...models];
    expect(sortModelRows(models).map((m) => m.model)).toEqual(["gpt-small", "b-7b", "a-7b", "gpt-3.5", "gpt-4-turbo", "gpt-4o"]);
    expect(models).toEqual(copy);
    expect(sortModelRows([])).toEqual([]);
  });

  it("orders modelOrder and the pages' model pickers (answeringModels, baselines last) the same way", () => {
    const responses = [...TEXT_ORDER.map((m) => m.model), UNIFORM_BASELINE, "stray-model"].map((model) => ({ model }) as ResponseRow);
    const ws = { models: [...TEXT_ORDER, row(UNIFORM_BASELINE, "Baseline", null, "Uniform-random baseline")], responses };
    const sorted = ["olmo-7b", "olmo-13b", "olmo-32b", "gemma-2b", "gemma-9b", "gemma-27b"];
    expect(modelOrder(ws)).toEqual([...sorted, UNIFORM_BASELINE, "stray-model"]);
    expect(answeringModels(ws)).toEqual([...sorted, "stray-model", UNIFORM_BASELINE]);
  });
});
