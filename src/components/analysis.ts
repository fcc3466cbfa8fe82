/**
 * The page side of the analysis worker. `createAnalysis(workspace)` starts one worker
 * per page and sends it the workspace once; `run(options)` is an async generator that
 * a Framework cell can consume: it yields `running` states with progress, then one
 * `done` (or `error`) state. Starting a run while another is still computing restarts
 * the worker, so a stale bootstrap never delays a fresh one.
 */
import { FileAttachment } from "observablehq:stdlib";
import type { ReproduceResult } from "../lib/analyses/reproduce.js";
import type { AnalysisOptions, WorkerRequest, WorkerResponse } from "../lib/worker/protocol.js";
import type { Workspace } from "../lib/workspace.js";

export type AnalysisState =
  | { status: "running"; stage: string; done: number; total: number }
  | { status: "done"; result: ReproduceResult; ms: number; cached: boolean }
  | { status: "error"; message: string };

export interface Analysis {
  run(options: AnalysisOptions): AsyncGenerator<AnalysisState>;
}

export function createAnalysis(workspace: Workspace): Analysis {
  let worker: Worker | null = null;
  /** Requests sent to the current worker and not answered yet. */
  const pending = new Set<number>();
  let nextId = 1;
  const listeners = new Map<number, (message: WorkerResponse) => void>();
  const urlPromise = FileAttachment("../data/analysis-worker.js").url();

  async function ensureWorker(): Promise<Worker> {
    if (worker && pending.size === 0) return worker;
    worker?.terminate();
    for (const [id, listener] of listeners) listener({ id, type: "error", message: "superseded" });
    listeners.clear();
    pending.clear();
    const w = new Worker(await urlPromise, { type: "module" });
    w.onmessage = (event: MessageEvent<WorkerResponse>) => {
      if (event.data.type !== "progress") pending.delete(event.data.id);
      listeners.get(event.data.id)?.(event.data);
    };
    w.onerror = (event) => {
      for (const [id, listener] of listeners) listener({ id, type: "error", message: event.message || "the analysis worker failed" });
    };
    const init: WorkerRequest = { id: 0, type: "init", workspace };
    w.postMessage(init);
    worker = w;
    return w;
  }

  return {
    async *run(options) {
      yield { status: "running", stage: "starting", done: 0, total: 1 };
      const w = await ensureWorker();
      const id = nextId++;
      const queue: WorkerResponse[] = [];
      let wake: (() => void) | null = null;
      listeners.set(id, (message) => {
        queue.push(message);
        wake?.();
      });
      pending.add(id);
      const request: WorkerRequest = { id, type: "reproduce", options };
      w.postMessage(request);
      try {
        for (;;) {
          if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          const message = queue.shift()!;
          if (message.type === "progress") {
            yield { status: "running", stage: message.stage, done: message.done, total: message.total };
          } else if (message.type === "result") {
            yield { status: "done", result: message.result, ms: message.ms, cached: message.cached };
            return;
          } else {
            if (message.message !== "superseded") yield { status: "error", message: message.message };
            return;
          }
        }
      } finally {
        listeners.delete(id);
      }
    },
  };
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
    div.textContent = state.cached ? "Computed earlier in this session." : `Computed in ${(state.ms / 1000).toFixed(1)} s in a Web Worker.`;
  }
  return div;
}
