/**
 * The analysis choices a specification of the multiverse can change, as controls bound
 * to the URL, so the robustness page can open a page with exactly those choices:
 * metric, RQ1's reference population, bootstrap procedure, judge-error correction and
 * the models, languages and items left out; and for the recommended analysis its
 * resampling unit (`unit`), and US bias's items and baseline (`items`, `baseline`).
 */
import * as Inputs from "npm:@observablehq/inputs";
import type { Procedure } from "../lib/analyses/experiment.js";
import type { Metric } from "../lib/correlation.js";
import type { ResamplingUnit } from "../lib/recommended/index.js";
import type { BaselineChoice } from "../lib/recommended/baselineChoice.js";
import type { ItemSet } from "../lib/recommended/usbias.js";
import { JUDGE_ERROR_RATE } from "../lib/judgeError.js";
import { languageName } from "../lib/languages.js";
import type { Choices } from "../lib/pageRequests.js";
import { CHOICES, type Choices as SpecChoices } from "../lib/robustness/specs.js";
import { answeringModels } from "../lib/slice.js";
import { isBaseline, type Level, type Workspace } from "../lib/workspace.js";
import { displayNames } from "./palette.js";
import { listOf, oneOf, urlParam, type Codec } from "./urlState.js";

/** The choices, as the pages' request builders take them (src/lib/pageRequests.ts). */
export type AnalysisChoices = Choices;

export interface ChoiceControls {
  /** RQ1's reference population. */
  rq1Level?: boolean;
  /** The recommended analysis' resampling unit. */
  unit?: boolean;
  /** US bias's items and baseline (recommended analysis). */
  usBias?: boolean;
}

const PROCEDURES: Record<Procedure, string> = { study: "the study's", responses: "responses, no self-pairs", items: "items as clusters" };

const rate: Codec<string> = { parse: (t) => (/^0(\.\d+)?$/.test(t) ? t : undefined), format: (v) => v };

/** The control of one of the specification's choices, from the table of choices: its label, values, default and URL parameter. */
export function choiceInput(key: keyof SpecChoices): HTMLElement & { value: unknown } {
  const c = CHOICES[key];
  const values = Object.keys(c.values);
  return urlParam(Inputs.select(values, { label: c.control, format: (v: string) => c.values[v] ?? v, value: c.reference }), c.param, oneOf(values));
}

/** The controls of `options`' choices, each bound to its URL parameter. */
function recommendedInputs(options: ChoiceControls): Record<string, HTMLElement & { value: unknown }> {
  const inputs: Record<string, HTMLElement & { value: unknown }> = {};
  if (options.unit) inputs.unit = choiceInput("unit");
  if (options.usBias) {
    inputs.items = choiceInput("items");
    inputs.baseline = choiceInput("baseline");
  }
  return inputs;
}

/** An item's name with its code, as the other pages' item pickers show it ("Justifiable: abortion (f120)"). */
function itemLabel(ws: Workspace, item: string): string {
  const name = ws.items.find((i) => i.item === item)?.name;
  return name ? `${name} (${item})` : item;
}

/** A select as wide as the page, its label above it on a phone (style.css `form.wide-select`), so long options are not cut. */
export function wide<T extends HTMLElement>(input: T): T {
  input.classList.add("wide-select");
  return input;
}

export function analysisChoices(ws: Workspace, options: ChoiceControls = {}): HTMLElement & { value: Record<string, unknown> } {
  const models = answeringModels(ws).filter((m) => !isBaseline(m));
  const names = displayNames(ws.models);
  const languages = [...new Set(ws.responses.map((r) => r.language))].sort();
  const items = [...new Set(ws.responses.map((r) => r.item))].sort();
  const inputs: Record<string, HTMLElement & { value: unknown }> = {
    metric: choiceInput("metric"),
    procedure: urlParam(
      Inputs.select(Object.keys(PROCEDURES), { label: "Bootstrap", format: (p: Procedure) => PROCEDURES[p], value: "study" }),
      "procedure",
      oneOf(Object.keys(PROCEDURES)),
    ),
    correction: urlParam(
      Inputs.select([String(JUDGE_ERROR_RATE), "0"], {
        label: "Judge-error correction",
        format: (r: string) => (r === "0" ? "none" : `divide by 1 − ${r}`),
        value: String(JUDGE_ERROR_RATE),
      }),
      "correction",
      rate,
    ),
    without_models: urlParam(
      Inputs.select(models, { label: "Leave out models", multiple: 4, format: (m: string) => names.get(m) ?? m, value: [] }),
      "without_models",
      listOf(models),
    ),
    without_languages: urlParam(
      Inputs.checkbox(languages, { label: "Leave out languages", format: (l: string) => languageName(l), value: [] }),
      "without_languages",
      listOf(languages),
    ),
    without_items: urlParam(
      wide(Inputs.select(items, { label: "Leave out items", multiple: 4, format: (i: string) => itemLabel(ws, i), value: [] })),
      "without_items",
      listOf(items),
    ),
  };
  if (options.rq1Level) {
    inputs.rq1Level = choiceInput("level");
  }
  Object.assign(inputs, recommendedInputs(options));
  return Inputs.form(inputs);
}

/** The choices from the form's value. */
export function choicesOf(v: Record<string, unknown>): AnalysisChoices {
  return {
    metric: v.metric as Metric,
    rq1Level: (v.rq1Level as Level | undefined) ?? CHOICES.level.reference,
    procedure: v.procedure as Procedure,
    correction: Number(v.correction),
    exclude: { models: v.without_models as string[], languages: v.without_languages as string[], items: v.without_items as string[] },
    unit: (v.unit as ResamplingUnit | undefined) ?? CHOICES.unit.reference,
    items: (v.items as ItemSet | undefined) ?? CHOICES.items.reference,
    baseline: (v.baseline as BaselineChoice | undefined) ?? CHOICES.baseline.reference,
  };
}
