/**
 * The page side of the analysis worker. `createAnalysis(workspace)` starts one worker
 * per page and sends it the workspace once. Its methods are async generators that a
 * Framework cell can consume: they yield `running` states (with progress, and for the
 * multiverse the outcomes so far), then one `done` (or `error`) state. Starting a
 * computation while another is still running restarts the worker, so a stale
 * bootstrap never delays a fresh one.
 */
import { FileAttachment } from "observablehq:stdlib";
import type { ReproduceResult } from "../lib/analyses/reproduce.js";
import type { ExtrasOptions, RobustnessExtras } from "../lib/robustness/extras.js";
import type { Claim, SpecOutcome } from "../lib/robustness/multiverse.js";
import type { MultiverseOptions } from "../lib/robustness/specs.js";
import { requestKey, type PageRequest } from "../lib/pageRequests.js";
import type { AnalysisOptions, WorkerRequest, WorkerResponse } from "../lib/worker/protocol.js";
import type { Workspace } from "../lib/workspace.js";

export type AnalysisState =
  | { status: "running"; stage: string; done: number; total: number }
  | { status: "done"; result: ReproduceResult; ms: number; cached: boolean; built?: boolean }
  | { status: "error"; message: string };

export type MultiverseState =
  | { status: "running" | "done"; outcomes: SpecOutcome[]; claims: Claim[]; done: number; total: number; ms: number; built?: boolean }
  | { status: "error"; message: string; outcomes: SpecOutcome[]; claims: Claim[] };

export type ExtrasState =
  | { status: "running"; stage: string; done: number; total: number }
  | { status: "done"; extras: RobustnessExtras; ms: number; built?: boolean }
  | { status: "error"; message: string };

export interface Analysis {
  run(options: AnalysisOptions): AsyncGenerator<AnalysisState>;
  multiverse(options: MultiverseOptions): AsyncGenerator<MultiverseState>;
  extras(options: ExtrasOptions): AsyncGenerator<ExtrasState>;
  /** Stops the worker; computations in flight end without a result. A later call starts a new worker. */
  close(): void;
}

type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

const isFinal = (m: WorkerResponse) => m.type === "result" || m.type === "extras" || m.type === "error" || (m.type === "outcome" && m.done === m.total);

/** A default view computed at build time (see loaders/defaults.ts). */
type Built =
  | { type: "reproduce"; result: ReproduceResult }
  | { type: "multiverse"; outcomes: SpecOutcome[]; claims: Claim[] }
  | { type: "extras"; extras: RobustnessExtras };

/**
 * The analysis of a page. `built` holds the page's default views, computed when the site
 * was built: a request equal to one of them is answered at once, without a worker; any
 * other starts the worker (once) and computes in it.
 */
export function createAnalysis(workspace: Workspace, built: Record<string, unknown> = {}): Analysis {
  const builtAnswer = (request: PageRequest) => built[requestKey(request)] as Built | undefined;
  let worker: Worker | null = null;
  const pending = new Set<number>();
  let nextId = 1;
  const listeners = new Map<number, (message: WorkerResponse) => void>();
  const urlPromise = FileAttachment("../data/analysis-worker.js").url();

  function stop(): void {
    worker?.terminate();
    worker = null;
    for (const [id, listener] of listeners) listener({ id, type: "error", message: "superseded" });
    listeners.clear();
    pending.clear();
  }

  async function ensureWorker(): Promise<Worker> {
    if (worker && pending.size === 0) return worker;
    stop();
    const w = new Worker(await urlPromise, { type: "module" });
    w.onmessage = (event: MessageEvent<WorkerResponse>) => {
      if (isFinal(event.data)) pending.delete(event.data.id);
      listeners.get(event.data.id)?.(event.data);
    };
    w.onerror = (event) => {
      for (const [id, listener] of listeners) listener({ id, type: "error", message: event.message || "the analysis worker failed" });
    };
    w.postMessage({ id: 0, type: "init", workspace } satisfies WorkerRequest);
    worker = w;
    return w;
  }

  /** Sends a request and yields every message for it until the final one. */
  async function* request(body: Body): AsyncGenerator<WorkerResponse> {
    const w = await ensureWorker();
    const id = nextId++;
    const queue: WorkerResponse[] = [];
    let wake: (() => void) | null = null;
    listeners.set(id, (message) => {
      queue.push(message);
      wake?.();
    });
    pending.add(id);
    w.postMessage({ ...body, id } as WorkerRequest);
    try {
      for (;;) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const message = queue.shift()!;
        if (message.type === "error" && message.message === "superseded") return;
        yield message;
        if (isFinal(message)) return;
      }
    } finally {
      listeners.delete(id);
    }
  }

  return {
    close: stop,
    async *run(options) {
      const ready = builtAnswer({ type: "reproduce", options });
      if (ready?.type === "reproduce") return yield { status: "done", result: ready.result, ms: 0, cached: true, built: true };
      yield { status: "running", stage: "starting", done: 0, total: 1 };
      for await (const m of request({ type: "reproduce", options })) {
        if (m.type === "progress") yield { status: "running", stage: m.stage, done: m.done, total: m.total };
        else if (m.type === "result") yield { status: "done", result: m.result, ms: m.ms, cached: m.cached };
        else if (m.type === "error") yield { status: "error", message: m.message };
      }
    },
    async *multiverse(options) {
      const ready = builtAnswer({ type: "multiverse", options });
      if (ready?.type === "multiverse")
        return yield {
          status: "done",
          outcomes: ready.outcomes,
          claims: ready.claims,
          done: ready.outcomes.length,
          total: ready.outcomes.length,
          ms: 0,
          built: true,
        };
      const outcomes: SpecOutcome[] = [];
      let claims: Claim[] = [];
      yield { status: "running", outcomes, claims, done: 0, total: 1, ms: 0 };
      for await (const m of request({ type: "multiverse", options })) {
        if (m.type === "outcome") {
          outcomes.push(m.outcome);
          if (m.claims) claims = m.claims;
          yield { status: m.done === m.total ? "done" : "running", outcomes: [...outcomes], claims, done: m.done, total: m.total, ms: m.ms };
        } else if (m.type === "error") yield { status: "error", message: m.message, outcomes, claims };
      }
    },
    async *extras(options) {
      const ready = builtAnswer({ type: "extras", options });
      if (ready?.type === "extras") return yield { status: "done", extras: ready.extras, ms: 0, built: true };
      yield { status: "running", stage: "starting", done: 0, total: 5 };
      for await (const m of request({ type: "extras", options })) {
        if (m.type === "progress") yield { status: "running", stage: m.stage, done: m.done, total: m.total };
        else if (m.type === "extras") yield { status: "done", extras: m.extras, ms: m.ms };
        else if (m.type === "error") yield { status: "error", message: m.message };
      }
    },
  };
}

/** A progress element for a running computation. */
export function progressView(state: AnalysisState | ExtrasState, label = "Computing"): HTMLElement {
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
  } else if (state.built) {
    div.textContent = "Computed when the site was built, with these settings; change a setting to recompute in your browser.";
  } else if ("cached" in state && state.cached) {
    div.textContent = "Computed earlier in this session.";
  } else {
    div.textContent = `Computed in ${(state.ms / 1000).toFixed(1)} s in a Web Worker.`;
  }
  return div;
}
