/**
 * The analysis worker: runs the statistics core off the page's main thread, so pages
 * stay responsive during bootstraps and refits. It keeps the workspace it was given,
 * the bootstrap experiments it has run and its recent results, so changing a display
 * control never recomputes. The multiverse streams one outcome per specification as
 * it is computed. What it answers is `answer` (answer.ts), which the site's build also
 * runs for each page's default view. Bundled into one script by src/data/analysis-worker.js.ts.
 */
import type { Workspace } from "../workspace.js";
import { answer, type AnswerCache } from "./answer.js";
import type { WorkerRequest, WorkerResponse } from "./protocol.js";

const scope = self as unknown as {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: "message", listener: (event: MessageEvent<WorkerRequest>) => void): void;
};

let workspace: Workspace | null = null;
const cache: AnswerCache = { experiments: new Map(), results: new Map() };

function handle(request: WorkerRequest): void {
  if (request.type === "init") {
    workspace = request.workspace;
    cache.experiments.clear();
    cache.results.clear();
    return;
  }
  if (!workspace) throw new Error("The analysis worker has no workspace yet");
  answer(workspace, request, (message) => scope.postMessage(message), cache);
}

scope.addEventListener("message", (event) => {
  try {
    handle(event.data);
  } catch (error) {
    scope.postMessage({ id: event.data.id, type: "error", message: (error as Error).message });
  }
});
