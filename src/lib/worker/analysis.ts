/**
 * The analysis worker: runs the statistics core off the page's main thread, so
 * pages stay responsive during bootstraps and refits. Bundled into one script by
 * src/data/analysis-worker.js.ts.
 */
import { reproduce } from "../analyses/reproduce.js";
import type { WorkerRequest, WorkerResponse } from "./protocol.js";

const scope = self as unknown as {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: "message", listener: (event: MessageEvent<WorkerRequest>) => void): void;
};

scope.addEventListener("message", (event) => {
  const request = event.data;
  const start = performance.now();
  try {
    if (request.type !== "reproduce") throw new Error(`Unknown request type ${String(request.type)}`);
    const result = reproduce(request.workspace, {
      ...request.options,
      onProgress: (stage, done, total) => scope.postMessage({ id: request.id, type: "progress", stage, done, total }),
    });
    scope.postMessage({ id: request.id, type: "result", result, ms: performance.now() - start });
  } catch (error) {
    scope.postMessage({ id: request.id, type: "error", message: (error as Error).message });
  }
});
