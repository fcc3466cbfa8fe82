/** Messages between a page and the analysis worker. */
import type { ReproduceOptions, ReproduceResult } from "../analyses/reproduce.js";
import type { Workspace } from "../workspace.js";

export type WorkerRequest = {
  id: number;
  type: "reproduce";
  workspace: Workspace;
  options: Omit<ReproduceOptions, "onProgress">;
};

export type WorkerResponse =
  | { id: number; type: "progress"; stage: string; done: number; total: number }
  | { id: number; type: "result"; result: ReproduceResult; ms: number }
  | { id: number; type: "error"; message: string };
