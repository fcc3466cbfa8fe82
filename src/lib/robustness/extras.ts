/** Everything the robustness page shows besides the multiverse, in one call. */
import type { Workspace } from "../workspace.js";
import { ceilings, clusterRq1, clusterUsBias, intervalWidths, selfPairInflation, type CeilingRow, type ClusterInference, type Inflation, type WidthPoint } from "./inference.js";

export interface ExtrasOptions {
  replicates?: number;
  seed?: number | string;
  /** Rounds at which to compare interval widths (default 25, 50, 100, 200). */
  widthRounds?: readonly number[];
  inflationRounds?: number;
}

export interface RobustnessExtras {
  rq1: ClusterInference;
  usBias: ClusterInference;
  widths: WidthPoint[];
  inflation: Inflation[];
  ceilings: CeilingRow[];
}

export function robustnessExtras(ws: Workspace, options: ExtrasOptions = {}, progress?: (stage: string, done: number, total: number) => void): RobustnessExtras {
  const seed = options.seed ?? 1;
  const step = (stage: string, done: number) => progress?.(stage, done, 5);
  const rq1 = clusterRq1(ws, { replicates: options.replicates ?? 200, seed });
  step("RQ1 cluster bootstrap", 1);
  const usBias = clusterUsBias(ws, { replicates: options.replicates ?? 200, seed });
  step("US-bias cluster bootstrap", 2);
  const widths = intervalWidths(ws, options.widthRounds ?? [25, 50, 100, 200], { seed });
  step("interval widths", 3);
  const inflation = selfPairInflation(ws, { rounds: options.inflationRounds ?? 100, seed });
  step("self-pair inflation", 4);
  const ceilingRows = ceilings(ws, seed);
  step("ceilings", 5);
  return { rq1, usBias, widths, inflation, ceilings: ceilingRows };
}
