/**
 * The analysis worker: runs the statistics core off the page's main thread, so pages
 * stay responsive during bootstraps and refits. It keeps the workspace it was given,
 * the bootstrap experiments it has run and its recent results, so changing a display
 * control never recomputes. Bundled into one script by src/data/analysis-worker.js.ts.
 */
import type { ExperimentResult } from "../analyses/experiment.js";
import { reproduce, type ReproduceResult } from "../analyses/reproduce.js";
import type { Workspace } from "../workspace.js";
import type { WorkerRequest, WorkerResponse } from "./protocol.js";

const scope = self as unknown as {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: "message", listener: (event: MessageEvent<WorkerRequest>) => void): void;
};

let workspace: Workspace | null = null;
const experiments = new Map<string, ExperimentResult>();
const results = new Map<string, ReproduceResult>();
const MAX_RESULTS = 24;

scope.addEventListener("message", (event) => {
  const request = event.data;
  const start = performance.now();
  try {
    if (request.type === "init") {
      workspace = request.workspace;
      experiments.clear();
      results.clear();
      return;
    }
    if (request.type !== "reproduce") throw new Error(`Unknown request type ${String((request as { type: unknown }).type)}`);
    if (!workspace) throw new Error("The analysis worker has no workspace yet");
    const key = JSON.stringify(request.options);
    let result = results.get(key);
    const cached = result !== undefined;
    if (!result) {
      if (experiments.size > 12) experiments.clear();
      result = reproduce(workspace, {
        ...request.options,
        cache: experiments,
        onProgress: (stage, done, total) => scope.postMessage({ id: request.id, type: "progress", stage, done, total }),
      });
      if (results.size >= MAX_RESULTS) results.delete(results.keys().next().value!);
      results.set(key, result);
    }
    scope.postMessage({ id: request.id, type: "result", result, ms: performance.now() - start, cached });
  } catch (error) {
    scope.postMessage({ id: request.id, type: "error", message: (error as Error).message });
  }
});
