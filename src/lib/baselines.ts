/**
 * The study's baselines (docs/methodology.md, "Baselines"): `Baseline_uniform_random` gives each response
 * a VPS ~ U(0, 1); `Baseline_fifty_percent` a VPS ~ Normal(0.5, 0.01) clipped to
 * [0, 1]. Both copy the rows of one model's responses (the study used the first model
 * of its table), one draw per response, in the canonical order of aggregated rows: a row
 * standing for k responses becomes k rows, as k responses would. Draws come from the given generator, so they are
 * seeded.
 */
import { aggregateResponses } from "./aggregate.js";
import type { Rng } from "./random.js";
import { BASELINE_FAMILY, FIFTY_BASELINE, UNIFORM_BASELINE, countOf, isBaseline, type ModelRow, type ResponseRow } from "./workspace.js";

export interface BaselineOptions {
  rng: Rng;
  /** The model whose rows the baselines copy (default: the first non-baseline model). */
  template?: string;
}

export function drawBaselines(responses: readonly ResponseRow[], options: BaselineOptions): ResponseRow[] {
  const models = [...new Set(responses.map((r) => r.model))].filter((m) => !isBaseline(m));
  const template = options.template ?? models[0];
  if (template === undefined) throw new Error("Cannot draw baselines: there are no model responses");
  // In the canonical order of aggregated rows, so that rows and aggregated rows give the same draws.
  const rows = aggregateResponses(responses.filter((r) => r.model === template)).flatMap((r) => Array.from({ length: countOf(r) }, () => r));
  if (rows.length === 0) throw new Error(`Cannot draw baselines: model "${template}" has no responses (models: ${models.join(", ")})`);
  const uniform = options.rng.fork("baseline/uniform_random");
  const fifty = options.rng.fork("baseline/fifty_percent");
  const copy = (r: ResponseRow, model: string, vps: number): ResponseRow => ({
    ...r,
    model,
    family: BASELINE_FAMILY,
    response_text: null,
    labels: null,
    // Not a response of its own: the judgements table never refers to a baseline.
    response_id: null,
    vps,
    count: null,
    interview_size: null,
  });
  return [
    ...rows.map((r) => copy(r, UNIFORM_BASELINE, uniform.next())),
    ...rows.map((r) => copy(r, FIFTY_BASELINE, Math.min(1, Math.max(0, 0.5 + 0.01 * fifty.normal())))),
  ];
}

export const BASELINE_MODELS: readonly ModelRow[] = [
  { model: UNIFORM_BASELINE, display_name: "Uniform-random baseline", family: BASELINE_FAMILY, size: null },
  { model: FIFTY_BASELINE, display_name: "Fifty-percent baseline", family: BASELINE_FAMILY, size: null },
];
