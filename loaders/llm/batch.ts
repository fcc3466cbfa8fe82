/**
 * The OpenAI Batch API as a way to fill the response cache: uncached requests are
 * written to a JSONL file, uploaded and submitted as one batch per endpoint and stage;
 * the batch id is saved in the run folder before waiting, so polling and download
 * resume after a restart instead of paying twice. Results that pass validation go into
 * the cache; the rest are asked again, one by one, by the normal path. The outcome says
 * how many requests the batch held and the tokens its results used, so the caller can
 * count them and their cost; the same figures are kept in the state file.
 */
import type OpenAI from "openai";
import { toFile } from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ResponseCache } from "./cache.js";
import { withRetries, type RetryOptions } from "./retry.js";

export interface BatchRequest {
  /** The cache key doubles as the batch's custom_id. */
  key: string;
  body: Record<string, unknown>;
}

/** Tokens, as the chat path counts them: prompt (input) and completion (output). */
export interface BatchUsage {
  input: number;
  output: number;
}

/** What runBatch did. */
export interface BatchOutcome {
  /** The batch whose results were collected, or null when every request was cached already. */
  batchId: string | null;
  /** Requests the batch held: submitted by this call, or by an earlier run this call resumed. 0 when no batch ran. */
  sent: number;
  /** Whether the batch was submitted by an earlier run and only polled and downloaded here. */
  resumed: boolean;
  /** Answers that passed validation and entered the cache. */
  cached: number;
  /** Requests of the batch left for the one-by-one path (an error, an invalid answer, or no result at all). */
  failed: number;
  /** Tokens summed over every result line that reports usage, valid or not (all of them are billed). */
  usage: BatchUsage;
  /** The provider's final status of the batch (completed, failed, expired, cancelled), or null when no batch ran. */
  status: string | null;
}

interface BatchState {
  batchId: string;
  inputFileId: string;
  keys: string[];
  submittedAt: string;
  /** "done" once the results are in the cache; a done state is not resumed. */
  status?: string;
  /** Recorded when done, so the run folder says what the batch cost. */
  outcome?: { status: string; cached: number; failed: number; usage: BatchUsage; finishedAt: string };
}

function saveState(path: string, state: BatchState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

/** What is wrong with a parsed state file, or null when it is a batch state. */
function stateProblem(state: unknown): string | null {
  const s = state as Partial<BatchState> | null;
  if (typeof s !== "object" || s === null || Array.isArray(s)) return "it is not a JSON object";
  if (typeof s.batchId !== "string" || s.batchId === "") return "it has no batchId";
  if (typeof s.inputFileId !== "string") return "it has no inputFileId";
  if (!Array.isArray(s.keys) || !s.keys.every((k) => typeof k === "string")) return "its keys are not a list of request keys";
  if (typeof s.submittedAt !== "string") return "it has no submittedAt";
  return null;
}

function loadState(path: string): BatchState | null {
  if (!existsSync(path)) return null;
  // Never guess: a lost batch id would mean paying for the batch twice.
  const fix = "if no batch of this run is pending at the provider (check its dashboard), remove it to submit a new batch; otherwise restore the file";
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`The batch state file ${path} cannot be read (${(error as Error).message}); ${fix}.`);
  }
  const problem = stateProblem(state);
  if (problem) throw new Error(`The batch state file ${path} is not a batch state: ${problem} (expected batchId, inputFileId, keys and submittedAt); ${fix}.`);
  return state as BatchState;
}

export interface BatchOptions {
  client: OpenAI;
  cache: ResponseCache;
  /** Where the batch id is kept (in the run folder). */
  statePath: string;
  validate: (key: string, completion: ChatCompletion) => boolean;
  /** The longest wait between two polls (default 15 s). */
  pollMs?: number;
  /** The first wait between polls (default 1 s, at most pollMs); it doubles up to pollMs, so a small batch finishes quickly and a long one is polled rarely. */
  firstPollMs?: number;
  /** Retries for polling and downloading (never for submitting, which could pay twice); default none. */
  retry?: RetryOptions;
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_POLL_MS = 15_000;
export const DEFAULT_FIRST_POLL_MS = 1_000;

/** The wait before poll number `poll + 1` (0-based): firstMs doubling up to maxMs. */
export function pollDelayMs(poll: number, maxMs: number = DEFAULT_POLL_MS, firstMs: number = DEFAULT_FIRST_POLL_MS): number {
  return Math.min(maxMs, Math.min(firstMs, maxMs) * 2 ** poll);
}

const TERMINAL = ["completed", "failed", "expired", "cancelled"];

const noBatch = (): BatchOutcome => ({ batchId: null, sent: 0, resumed: false, cached: 0, failed: 0, usage: { input: 0, output: 0 }, status: null });

/** Uploads the requests and submits them as one batch; saves its id before returning. */
async function submit(todo: readonly BatchRequest[], options: BatchOptions): Promise<BatchState> {
  const lines = todo.map((r) => JSON.stringify({ custom_id: r.key, method: "POST", url: "/v1/chat/completions", body: r.body }));
  const file = await options.client.files.create({ file: await toFile(Buffer.from(`${lines.join("\n")}\n`), "requests.jsonl"), purpose: "batch" });
  const batch = await options.client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
  const state = { batchId: batch.id, inputFileId: file.id, keys: todo.map((r) => r.key), submittedAt: new Date().toISOString() };
  saveState(options.statePath, state);
  return state;
}

/** Stores one result; a cache that cannot be written stops the batch, which stays resumable (its results stay at the provider). */
function cacheResult(options: BatchOptions, key: string, completion: ChatCompletion): void {
  try {
    options.cache.set(key, completion);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}. The batch's results stay at the provider and ${options.statePath} keeps its id: ` +
        `run again once the cache can be written, and they are downloaded without paying again.`,
    );
  }
}

/** Reads the output file into the cache: answers that pass validation are stored, all usage is summed. */
function collect(text: string, keys: readonly string[], options: BatchOptions): { cached: number; failed: number; usage: BatchUsage } {
  const stored = new Set<string>();
  const usage = { input: 0, output: 0 };
  for (const line of text.split("\n").filter((l) => l.trim())) {
    const entry = JSON.parse(line) as { custom_id: string; response?: { status_code: number; body?: ChatCompletion } };
    const completion = entry.response?.body;
    usage.input += completion?.usage?.prompt_tokens ?? 0;
    usage.output += completion?.usage?.completion_tokens ?? 0;
    if (entry.response?.status_code === 200 && completion && options.validate(entry.custom_id, completion)) {
      cacheResult(options, entry.custom_id, completion);
      stored.add(entry.custom_id);
    }
  }
  return { cached: stored.size, failed: keys.filter((k) => !stored.has(k)).length, usage };
}

/** Runs the requests as a batch (or resumes the saved one); says what entered the cache and what it used. */
export async function runBatch(requests: readonly BatchRequest[], options: BatchOptions): Promise<BatchOutcome> {
  const log = options.log ?? (() => {});
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retried = <T>(fn: () => Promise<T>): Promise<T> => (options.retry ? withRetries(fn, options.retry) : fn());
  const saved = loadState(options.statePath);
  const resumed = saved !== null && saved.status !== "done";
  let state: BatchState;
  if (resumed) {
    state = saved;
    log(`batch ${state.batchId}: resuming (submitted ${state.submittedAt})`);
  } else {
    const todo = requests.filter((r) => !options.cache.has(r.key));
    if (todo.length === 0) return noBatch();
    state = await submit(todo, options);
    log(`batch ${state.batchId}: submitted ${todo.length} requests (id saved in ${options.statePath})`);
  }
  let batch: OpenAI.Batches.Batch;
  for (let poll = 0; ; poll++) {
    try {
      batch = await retried(() => options.client.batches.retrieve(state.batchId));
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        // The provider no longer knows the batch (e.g. a restarted simulated server): submit afresh.
        saveState(options.statePath, { ...state, status: "done" });
        log(`batch ${state.batchId}: unknown to the provider; submitting again`);
        return runBatch(requests, options);
      }
      throw error;
    }
    if (TERMINAL.includes(batch.status)) break;
    log(`batch ${state.batchId}: ${batch.status} (${batch.request_counts?.completed ?? 0}/${batch.request_counts?.total ?? "?"})`);
    await sleep(pollDelayMs(poll, options.pollMs, options.firstPollMs));
  }
  const outputFileId = batch.output_file_id;
  const text = outputFileId ? await retried(async () => (await options.client.files.content(outputFileId)).text()) : "";
  const { cached, failed, usage } = collect(text, state.keys, options);
  saveState(options.statePath, { ...state, status: "done", outcome: { status: batch.status, cached, failed, usage, finishedAt: new Date().toISOString() } });
  log(`batch ${state.batchId}: ${batch.status}; ${cached} answers cached, ${failed} to ask again one by one; ${usage.input} in / ${usage.output} out tokens`);
  return { batchId: state.batchId, sent: state.keys.length, resumed, cached, failed, usage, status: batch.status };
}
