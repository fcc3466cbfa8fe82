/**
 * The OpenAI Batch API as a way to fill the response cache: uncached requests are
 * written to a JSONL file, uploaded and submitted as one batch per endpoint and stage;
 * the batch id is saved in the run folder before waiting, so polling and download
 * resume after a restart instead of paying twice. Results that pass validation go into
 * the cache; the rest are asked again, one by one, by the normal path.
 */
import type OpenAI from "openai";
import { toFile } from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ResponseCache } from "./cache.js";

export interface BatchRequest {
  /** The cache key doubles as the batch's custom_id. */
  key: string;
  body: Record<string, unknown>;
}

interface BatchState {
  batchId: string;
  inputFileId: string;
  keys: string[];
  submittedAt: string;
  status?: string;
}

function saveState(path: string, state: BatchState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

export interface BatchOptions {
  client: OpenAI;
  cache: ResponseCache;
  /** Where the batch id is kept (in the run folder). */
  statePath: string;
  validate: (key: string, completion: ChatCompletion) => boolean;
  pollMs?: number;
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs the requests as a batch (or resumes the saved one); returns how many entered the cache. */
export async function runBatch(requests: readonly BatchRequest[], options: BatchOptions): Promise<{ cached: number; failed: number; batchId: string | null }> {
  const log = options.log ?? (() => {});
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const todo = requests.filter((r) => !options.cache.has(r.key));
  let state: BatchState | null = existsSync(options.statePath) ? (JSON.parse(readFileSync(options.statePath, "utf8")) as BatchState) : null;
  if (state && state.status === "done") state = null;
  if (!state) {
    if (todo.length === 0) return { cached: 0, failed: 0, batchId: null };
    const lines = todo.map((r) => JSON.stringify({ custom_id: r.key, method: "POST", url: "/v1/chat/completions", body: r.body }));
    const file = await options.client.files.create({ file: await toFile(Buffer.from(`${lines.join("\n")}\n`), "requests.jsonl"), purpose: "batch" });
    const batch = await options.client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    state = { batchId: batch.id, inputFileId: file.id, keys: todo.map((r) => r.key), submittedAt: new Date().toISOString() };
    saveState(options.statePath, state);
    log(`batch ${batch.id}: submitted ${todo.length} requests (id saved in ${options.statePath})`);
  } else {
    log(`batch ${state.batchId}: resuming (submitted ${state.submittedAt})`);
  }
  let batch;
  for (;;) {
    try {
      batch = await options.client.batches.retrieve(state.batchId);
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        // The provider no longer knows the batch (e.g. a restarted simulated server): submit afresh.
        saveState(options.statePath, { ...state, status: "done" });
        log(`batch ${state.batchId}: unknown to the provider; submitting again`);
        return runBatch(requests, options);
      }
      throw error;
    }
    if (["completed", "failed", "expired", "cancelled"].includes(batch.status)) break;
    log(`batch ${state.batchId}: ${batch.status} (${batch.request_counts?.completed ?? 0}/${batch.request_counts?.total ?? "?"})`);
    await sleep(options.pollMs ?? 15_000);
  }
  let cached = 0;
  let failed = 0;
  if (batch.output_file_id) {
    const text = await (await options.client.files.content(batch.output_file_id)).text();
    for (const line of text.split("\n").filter((l) => l.trim())) {
      const entry = JSON.parse(line) as { custom_id: string; response?: { status_code: number; body: ChatCompletion } };
      const completion = entry.response?.body;
      if (entry.response?.status_code === 200 && completion && options.validate(entry.custom_id, completion)) {
        options.cache.set(entry.custom_id, completion);
        cached++;
      } else failed++;
    }
  }
  saveState(options.statePath, { ...state, status: "done" });
  log(`batch ${state.batchId}: ${batch.status}; ${cached} answers cached, ${failed} to ask again one by one`);
  return { cached, failed, batchId: state.batchId };
}
