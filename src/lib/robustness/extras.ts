/** Everything the robustness page shows besides the multiverse, in one call. */
import type { Workspace } from "../workspace.js";
import { ceilings, type CeilingRow } from "./ceiling.js";
import { intervalWidths, publishedSeedSlopes, selfPairInflation, type Inflation, type SeedSlopes, type WidthPoint } from "./inference.js";

export interface ExtrasOptions {
  seed?: number | string;
  /** Rounds at which to compare interval widths (default 25, 50, 100, 200). */
  widthRounds?: readonly number[];
  inflationRounds?: number;
  /** Seeds of the published analysis at 100 rounds (default 1 to 21). */
  seeds?: readonly number[];
}

export interface RobustnessExtras {
  widths: WidthPoint[];
  inflation: Inflation[];
  ceilings: CeilingRow[];
  seeds: SeedSlopes[];
}

export function robustnessExtras(
  ws: Workspace,
  options: ExtrasOptions = {},
  progress?: (stage: string, done: number, total: number) => void,
): RobustnessExtras {
  const seed = options.seed ?? 1;
  const step = (stage: string, done: number) => progress?.(stage, done, 4);
  const seeds = publishedSeedSlopes(ws, options.seeds ?? Array.from({ length: 21 }, (_, i) => i + 1));
  step("the published analysis under 21 seeds", 1);
  const widths = intervalWidths(ws, options.widthRounds ?? [25, 50, 100, 200], { seed });
  step("interval widths", 2);
  const inflation = selfPairInflation(ws, { rounds: options.inflationRounds ?? 100, seed });
  step("self-pair inflation", 3);
  const ceilingRows = ceilings(ws, { seed });
  step("ceilings", 4);
  return { widths, inflation, ceilings: ceilingRows, seeds };
}
