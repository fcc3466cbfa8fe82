/**
 * Runs the statistics core in a Web Worker and reports progress, as an async
 * generator that a Framework cell can consume: it yields `running` states, then one
 * `done` (or `error`) state. Returning the generator (when the cell is invalidated)
 * terminates the worker.
 */
import { FileAttachment } from "observablehq:stdlib";
import type { ReproduceOptions, ReproduceResult } from "../lib/analyses/reproduce.js";
import type { WorkerRequest, WorkerResponse } from "../lib/worker/protocol.js";
import type { Workspace } from "../lib/workspace.js";

export type AnalysisState =
  | { status: "running"; stage: string; done: number; total: number }
  | { status: "done"; result: ReproduceResult; ms: number }
  | { status: "error"; message: string };

let nextId = 1;

export async function* reproduceInWorker(
  workspace: Workspace,
  options: Omit<ReproduceOptions, "onProgress">,
): AsyncGenerator<AnalysisState> {
  const url = await FileAttachment("../data/analysis-worker.js").url();
  const worker = new Worker(url, { type: "module" });
  const queue: WorkerResponse[] = [];
  let wake: (() => void) | null = null;
  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    queue.push(event.data);
    wake?.();
  };
  worker.onerror = (event) => {
    queue.push({ id: -1, type: "error", message: event.message || "the analysis worker failed to start" });
    wake?.();
  };
  const id = nextId++;
  const request: WorkerRequest = { id, type: "reproduce", workspace, options };
  worker.postMessage(request);
  yield { status: "running", stage: "starting", done: 0, total: 1 };
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = queue.shift()!;
      if (message.type === "progress") {
        yield { status: "running", stage: message.stage, done: message.done, total: message.total };
      } else if (message.type === "result") {
        yield { status: "done", result: message.result, ms: message.ms };
        return;
      } else {
        yield { status: "error", message: message.message };
        return;
      }
    }
  } finally {
    worker.terminate();
  }
}

/** A progress element for a running analysis. */
export function progressView(state: AnalysisState, label = "Computing"): HTMLElement {
  const div = document.createElement("div");
  div.className = "analysis-progress";
  div.setAttribute("role", "status");
  div.setAttribute("aria-live", "polite");
  if (state.status === "running") {
    const progress = document.createElement("progress");
    progress.max = state.total;
    progress.value = state.done;
    div.append(`${label}… `, progress, ` ${state.stage}`);
  } else if (state.status === "error") {
    div.className += " analysis-error";
    div.textContent = `The analysis failed: ${state.message}`;
  } else {
    div.textContent = `Computed in ${(state.ms / 1000).toFixed(1)} s in a Web Worker.`;
  }
  return div;
}
