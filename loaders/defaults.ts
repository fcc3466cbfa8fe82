/**
 * Each research page's default view, computed at build time by the worker's own code
 * (`answer`, src/lib/worker/answer.ts) on the site's analysis workspace, so that the page
 * shows its figures the moment it opens. Keyed by the request, as the page builds it.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ReproduceResult } from "../src/lib/analyses/reproduce.js";
import { defaultRequests, requestKey, type PageRequest } from "../src/lib/pageRequests.js";
import type { RobustnessExtras } from "../src/lib/robustness/extras.js";
import type { Claim, SpecOutcome } from "../src/lib/robustness/multiverse.js";
import { answer } from "../src/lib/worker/answer.js";
import type { WorkerResponse } from "../src/lib/worker/protocol.js";
import type { Workspace } from "../src/lib/workspace.js";
import { REPO_ROOT } from "./paths.js";
import { writeFileAtomic } from "./workspaceFiles.js";

/**
 * Answers shared between the build's data loaders (the overview's findings and the
 * robustness page run the same multiverse), beside the cached loader outputs, which
 * `npm run loader-cache` clears whenever the source or the code changes. Keyed by the
 * request and the workspace's tables (not its provenance, which no answer reads).
 */
export const MEMO_DIR = join(REPO_ROOT, "src", ".observablehq", "cache", "data", ".memo");

export type DefaultAnswer =
  | { type: "reproduce"; result: ReproduceResult }
  | { type: "multiverse"; outcomes: SpecOutcome[]; claims: Claim[] }
  | { type: "extras"; extras: RobustnessExtras };

/** The answer to one request, as the worker would give it (its final message, or the multiverse's outcomes). */
export function answerOf(ws: Workspace, request: PageRequest, log: (line: string) => void = () => {}): DefaultAnswer {
  const messages: WorkerResponse[] = [];
  answer(ws, { ...request, id: 1 } as never, (m) => {
    if (m.type === "progress") log(`${request.type}: ${m.stage} (${m.done}/${m.total})`);
    else messages.push(m);
  });
  const last = messages[messages.length - 1];
  if (!last) throw new Error(`No answer to ${requestKey(request)}`);
  if (last.type === "error") throw new Error(last.message);
  if (last.type === "result") return { type: "reproduce", result: last.result };
  if (last.type === "extras") return { type: "extras", extras: last.extras };
  const outcomes = messages.flatMap((m) => (m.type === "outcome" ? [m.outcome] : []));
  const claims = messages.flatMap((m) => (m.type === "outcome" && m.claims ? m.claims : []));
  return { type: "multiverse", outcomes, claims };
}

/** A key for a workspace's tables (not its provenance, which records when each loader read the source and changes no result). */
export function workspaceKey(ws: Workspace): string {
  const { provenance: _, ...tables } = ws;
  return createHash("sha256").update(JSON.stringify(tables)).digest("hex");
}

/** `compute()`, computed once per build for a name and key (see MEMO_DIR) and read back as JSON after that. */
export function memoized<T>(name: string, key: string, compute: () => T, log: (line: string) => void = () => {}, dir = MEMO_DIR): T {
  const file = join(dir, `${name}-${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  if (existsSync(file)) {
    log(`${name}: computed earlier in this build`);
    return JSON.parse(readFileSync(file, "utf8")) as T;
  }
  const value = compute();
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, JSON.stringify(value));
  return value;
}

/** `answerOf`, computed once per build for a request and workspace (see MEMO_DIR). */
export function memoAnswer(ws: Workspace, request: PageRequest, log: (line: string) => void = () => {}, dir = MEMO_DIR): DefaultAnswer {
  return memoized(request.type, `${requestKey(request)}\n${workspaceKey(ws)}`, () => answerOf(ws, request, log), log, dir);
}

/**
 * The answers to some requests on one workspace, keyed by `requestKey`. A request that
 * fails is left out and logged: the page asks the worker instead, and shows the same
 * error where the reader sees it.
 */
export function builtAnswers(ws: Workspace, requests: readonly PageRequest[], log: (line: string) => void = () => {}): Record<string, DefaultAnswer> {
  const out: Record<string, DefaultAnswer> = {};
  for (const request of requests) {
    try {
      out[requestKey(request)] = memoAnswer(ws, request, log);
    } catch (error) {
      log(`${request.type}: not computed at build time: ${(error as Error).message}`);
    }
  }
  return out;
}

/** A page's default answers, keyed by `requestKey`. */
export function pageDefaults(ws: Workspace, page: string, log: (line: string) => void = () => {}): Record<string, DefaultAnswer> {
  const requests = defaultRequests(ws.benchmarks.length > 0)[page];
  if (!requests) throw new Error(`No default requests for page "${page}" (pages: ${Object.keys(defaultRequests(true)).join(", ")})`);
  return builtAnswers(ws, requests, log);
}
