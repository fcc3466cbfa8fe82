/** Messages between a page and the analysis worker. */
import type { ReproduceOptions, ReproduceResult } from "../analyses/reproduce.js";
import type { ExtrasOptions, RobustnessExtras } from "../robustness/extras.js";
import type { Claim, SpecOutcome } from "../robustness/multiverse.js";
import type { MultiverseOptions } from "../robustness/specs.js";
import type { Workspace } from "../workspace.js";

/** Options a page may send (everything but callbacks and caches). */
export type AnalysisOptions = Omit<ReproduceOptions, "onProgress" | "cache">;

export type WorkerRequest =
  | { id: number; type: "init"; workspace: Workspace }
  | { id: number; type: "reproduce"; options: AnalysisOptions }
  | { id: number; type: "multiverse"; options: MultiverseOptions }
  | { id: number; type: "extras"; options: ExtrasOptions };

export type WorkerResponse =
  | { id: number; type: "progress"; stage: string; done: number; total: number }
  | { id: number; type: "result"; result: ReproduceResult; ms: number; cached: boolean }
  | { id: number; type: "outcome"; outcome: SpecOutcome; claims: Claim[] | null; done: number; total: number; ms: number }
  | { id: number; type: "extras"; extras: RobustnessExtras; ms: number }
  | { id: number; type: "error"; message: string };
