/**
 * The analysis worker: runs the statistics core off the page's main thread, so pages
 * stay responsive during bootstraps and refits. It keeps the workspace it was given,
 * the bootstrap experiments it has run and its recent results, so changing a display
 * control never recomputes. The multiverse streams one outcome per specification as
 * it is computed. Bundled into one script by src/data/analysis-worker.js.ts.
 */
import type { ExperimentResult } from "../analyses/experiment.js";
import { reproduce, type ReproduceResult } from "../analyses/reproduce.js";
import { robustnessExtras } from "../robustness/extras.js";
import { claimsFor, runMultiverse, studyConclusions } from "../robustness/multiverse.js";
import { specifications } from "../robustness/specs.js";
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

function handle(request: WorkerRequest): void {
  const start = performance.now();
  if (request.type === "init") {
    workspace = request.workspace;
    experiments.clear();
    results.clear();
    return;
  }
  if (!workspace) throw new Error("The analysis worker has no workspace yet");
  const ws = workspace;
  if (request.type === "reproduce") {
    const key = JSON.stringify(request.options);
    let result = results.get(key);
    const cached = result !== undefined;
    if (!result) {
      if (experiments.size > 12) experiments.clear();
      result = reproduce(ws, {
        ...request.options,
        cache: experiments,
        onProgress: (stage, done, total) => scope.postMessage({ id: request.id, type: "progress", stage, done, total }),
      });
      if (results.size >= MAX_RESULTS) results.delete(results.keys().next().value!);
      results.set(key, result);
    }
    scope.postMessage({ id: request.id, type: "result", result, ms: performance.now() - start, cached });
  } else if (request.type === "multiverse") {
    const specs = specifications(ws, request.options);
    // The claims are the study's conclusions: its published analysis at 100 rounds, seed 1.
    const claims = claimsFor(ws, studyConclusions(ws));
    runMultiverse(ws, specs, (outcome, done) =>
      scope.postMessage({ id: request.id, type: "outcome", outcome, claims: done === 1 ? claims : null, done, total: specs.length, ms: performance.now() - start }),
    );
  } else if (request.type === "extras") {
    const extras = robustnessExtras(ws, request.options, (stage, done, total) => scope.postMessage({ id: request.id, type: "progress", stage, done, total }));
    scope.postMessage({ id: request.id, type: "extras", extras, ms: performance.now() - start });
  } else {
    throw new Error(`Unknown request type ${String((request as { type: unknown }).type)}`);
  }
}

scope.addEventListener("message", (event) => {
  try {
    handle(event.data);
  } catch (error) {
    scope.postMessage({ id: event.data.id, type: "error", message: (error as Error).message });
  }
});
