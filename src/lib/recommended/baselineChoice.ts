/**
 * The baseline a US-bias gap subtracts: none (recommended: a random answerer's expected
 * gap is zero), the study's own draw of the uniform-random baseline, or a further seeded
 * draw, which shows how much the study's single draw moved its results.
 */
import { drawBaselines } from "../baselines.js";
import { createRng } from "../random.js";
import { BASELINE_FAMILY, drawnBaselineName, UNIFORM_BASELINE, type Workspace } from "../workspace.js";

export type BaselineChoice = "none" | "study" | `draw-${number}`;

/** The model whose gap a choice subtracts, or null for none. */
export function baselineModel(choice: BaselineChoice): string | null {
  return choice === "none" ? null : choice === "study" ? UNIFORM_BASELINE : drawnBaselineName(Number(choice.slice("draw-".length)));
}

/** The draws a set of choices needs. */
export function drawsOf(choices: readonly BaselineChoice[]): number[] {
  return [...new Set(choices.filter((b) => b.startsWith("draw-")).map((b) => Number(b.slice("draw-".length))))].sort((a, b) => a - b);
}

/** The workspace with further seeded draws of the uniform baseline, each copying the study's baseline rows. */
export function withBaselineDraws(ws: Workspace, seed: number | string, draws: readonly number[]): Workspace {
  if (draws.length === 0) return ws;
  const template = ws.responses.some((r) => r.model === UNIFORM_BASELINE) ? UNIFORM_BASELINE : undefined;
  const extra = draws.flatMap((d) =>
    drawBaselines(ws.responses, { rng: createRng(String(seed), `baseline-draw/${d}`), template })
      .filter((r) => r.model === UNIFORM_BASELINE)
      .map((r) => ({ ...r, model: drawnBaselineName(d), family: BASELINE_FAMILY })),
  );
  return { ...ws, responses: [...ws.responses, ...extra] };
}
