/**
 * A built-in OpenAI-compatible server on 127.0.0.1, for rehearsing a run offline and
 * for free (`mca run --simulate`), for the demo source, and as the fake server the
 * reliability tests talk to through the real openai SDK. It serves chat completions
 * (plain and with tool calls), file uploads and the Batch API. Answers come from
 * behaviour.ts and are deterministic; faults and latency can be injected.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { simulateGeneration, simulateJudgement, simulateTranslation, type SimulationWorld } from "./behaviour.js";

export const JUDGE_TOOL = "record_labels";
export const RESPONSE_START = "<response>";
export const RESPONSE_END = "</response>";
export const TRANSLATE_MARKER = "You translate survey prompts";

/** What a test can make the server do instead of answering normally. */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { delayMs: number }
  | { content: string }
  | { toolArguments: string };

export interface FaultContext {
  path: string;
  body: Record<string, unknown>;
  /** How many times this exact request has been received before. */
  attempt: number;
  /** Requests received so far (all paths). */
  count: number;
}

export interface SimulatedServerOptions {
  world: SimulationWorld;
  latencyMs?: number;
  fault?: (ctx: FaultContext) => Fault | undefined;
  port?: number;
}

export interface SimulatedServer {
  url: string;
  /** Requests served, by path (chat, files, batches). */
  stats: { requests: number; chat: number; byKind: Record<string, number> };
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": typeof body === "string" ? "application/jsonl" : "application/json", ...headers });
  res.end(text);
}

/** The file part of a multipart/form-data upload. */
function multipartFile(body: Buffer, contentType: string): { filename: string; content: string; purpose: string } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType)?.slice(1).find(Boolean);
  if (!boundary) throw new Error("not multipart");
  const parts = body.toString("utf8").split(`--${boundary}`);
  let filename = "upload.jsonl";
  let content = "";
  let purpose = "batch";
  for (const part of parts) {
    const [head, ...rest] = part.split("\r\n\r\n");
    if (!head || rest.length === 0) continue;
    const value = rest.join("\r\n\r\n").replace(/\r\n$/, "");
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name === "file") {
      filename = /filename="([^"]*)"/.exec(head)?.[1] ?? filename;
      content = value;
    } else if (name === "purpose") purpose = value.trim();
  }
  return { filename, content, purpose };
}

const tokens = (text: string) => Math.ceil(text.length / 4);

interface StoredFile {
  filename: string;
  content: string;
  purpose: string;
}

interface Batch {
  id: string;
  input_file_id: string;
  status: string;
  polls: number;
  output_file_id?: string;
  created_at: number;
  counts: { total: number; completed: number; failed: number };
}

type Reply = [status: number, body: unknown, headers: Record<string, string>];

const CREATED = 1_700_000_000;

const completion = (base: Record<string, unknown>, promptTokens: number, output: string, choice: Record<string, unknown>) => ({
  ...base,
  choices: [{ index: 0, logprobs: null, ...choice }],
  usage: { prompt_tokens: promptTokens, completion_tokens: tokens(output), total_tokens: promptTokens + tokens(output) },
});

const batchView = (b: Batch) => ({
  id: b.id,
  object: "batch",
  endpoint: "/v1/chat/completions",
  input_file_id: b.input_file_id,
  completion_window: "24h",
  status: b.status,
  output_file_id: b.output_file_id ?? null,
  error_file_id: null,
  created_at: b.created_at,
  request_counts: b.counts,
});

/** The provider's state (uploaded files, batches, attempts per request) and its answers. */
class Provider {
  readonly stats: SimulatedServer["stats"] = { requests: 0, chat: 0, byKind: {} };
  private readonly attempts = new Map<string, number>();
  private readonly files = new Map<string, StoredFile>();
  private readonly batches = new Map<string, Batch>();
  private ids = 0;

  constructor(private readonly options: SimulatedServerOptions) {}

  private count(kind: string): void {
    this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
  }

  /** Answers one chat-completion body (also used for batch lines). */
  async chat(body: Record<string, unknown>, path: string): Promise<Reply> {
    const key = createHash("sha256").update(JSON.stringify(body)).digest("hex");
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    const fault = this.options.fault?.({ path, body, attempt, count: this.stats.requests });
    if (fault && "status" in fault)
      return [fault.status, fault.body ?? { error: { message: `simulated HTTP ${fault.status}`, type: "simulated" } }, fault.headers ?? {}];
    if (fault && "delayMs" in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    const messages = (body.messages as Array<{ role: string; content: string }>) ?? [];
    const base = { id: `chatcmpl-${key.slice(0, 24)}`, object: "chat.completion", created: CREATED, model: String(body.model) };
    const promptTokens = tokens(messages.map((m) => m.content).join("\n"));
    const tools = (body.tools as Array<{ function?: { name?: string } }>) ?? [];
    if (tools.some((t) => t.function?.name === JUDGE_TOOL)) return [200, this.judgement(base, messages, key, fault, promptTokens), {}];
    return [200, this.text(base, messages, attempt, fault, promptTokens), {}];
  }

  private judgement(
    base: { id: string; model: string },
    messages: Array<{ role: string; content: string }>,
    key: string,
    fault: Fault | undefined,
    promptTokens: number,
  ) {
    this.count("judge");
    const user = lastUser(messages);
    const start = user.indexOf(RESPONSE_START);
    const end = user.lastIndexOf(RESPONSE_END);
    const text = start >= 0 && end > start ? user.slice(start + RESPONSE_START.length, end).trim() : user;
    const args = fault && "toolArguments" in fault ? fault.toolArguments : JSON.stringify(simulateJudgement(base.model, text, this.options.world));
    const call = { id: `call_${key.slice(0, 12)}`, type: "function", function: { name: JUDGE_TOOL, arguments: args } };
    return completion(base, promptTokens, args, {
      finish_reason: "tool_calls",
      message: { role: "assistant", content: null, refusal: null, tool_calls: [call] },
    });
  }

  private text(
    base: { id: string; model: string },
    messages: Array<{ role: string; content: string }>,
    attempt: number,
    fault: Fault | undefined,
    promptTokens: number,
  ) {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    const user = lastUser(messages);
    let content: string;
    if (system.startsWith(TRANSLATE_MARKER)) {
      this.count("translate");
      content = simulateTranslation(user, /\(([a-z]{2})\)/.exec(system)?.[1] ?? "xx");
    } else {
      this.count("generate");
      content = simulateGeneration(base.model, user, this.options.world, attempt);
    }
    if (fault && "content" in fault) content = fault.content;
    return completion(base, promptTokens, content, { finish_reason: "stop", message: { role: "assistant", content, refusal: null } });
  }

  uploadFile(file: StoredFile): Reply {
    const id = `file-${++this.ids}`;
    this.files.set(id, file);
    return [
      200,
      { id, object: "file", bytes: Buffer.byteLength(file.content), created_at: CREATED, filename: file.filename, purpose: file.purpose, status: "processed" },
      {},
    ];
  }

  fileContent(id: string): Reply {
    const file = this.files.get(id);
    return file ? [200, file.content, {}] : [404, { error: { message: `No such file: ${id}` } }, {}];
  }

  createBatch(inputFileId: string): Reply {
    const input = this.files.get(inputFileId);
    if (!input) return [400, { error: { message: `No such file: ${inputFileId}` } }, {}];
    const id = `batch_${++this.ids}`;
    const total = input.content.split("\n").filter((l) => l.trim()).length;
    const batch: Batch = { id, input_file_id: inputFileId, status: "validating", polls: 0, created_at: CREATED, counts: { total, completed: 0, failed: 0 } };
    this.batches.set(id, batch);
    return [200, batchView(batch), {}];
  }

  /** A poll moves a batch on: validating, then in progress, then (having run every line) completed. */
  async pollBatch(id: string): Promise<Reply> {
    const b = this.batches.get(id);
    if (!b) return [404, { error: { message: `No such batch: ${id}` } }, {}];
    b.polls++;
    if (b.status === "validating") b.status = "in_progress";
    else if (b.status === "in_progress") {
      await this.runBatch(b);
      b.status = "completed";
    }
    return [200, batchView(b), {}];
  }

  private async runBatch(batch: Batch): Promise<void> {
    const out: string[] = [];
    for (const line of this.files
      .get(batch.input_file_id)!
      .content.split("\n")
      .filter((l) => l.trim())) {
      const request = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> };
      const [status, body] = await this.chat(request.body, "/v1/batches");
      const n = ++this.ids;
      out.push(
        JSON.stringify({ id: `batch_req_${n}`, custom_id: request.custom_id, response: { status_code: status, request_id: `req_${n}`, body }, error: null }),
      );
      if (status === 200) batch.counts.completed++;
      else batch.counts.failed++;
    }
    const fileId = `file-${++this.ids}`;
    this.files.set(fileId, { filename: `${batch.id}_output.jsonl`, content: `${out.join("\n")}\n`, purpose: "batch_output" });
    batch.output_file_id = fileId;
  }

  models(): Reply {
    return [
      200,
      { object: "list", data: Object.keys(this.options.world.profiles).map((id) => ({ id, object: "model", created: 0, owned_by: "simulated" })) },
      {},
    ];
  }
}

const lastUser = (messages: Array<{ role: string; content: string }>) => [...messages].reverse().find((m) => m.role === "user")?.content ?? "";

/** Routes one request to the provider. */
async function route(provider: Provider, method: string, url: URL, raw: Buffer, contentType: string): Promise<Reply> {
  const path = url.pathname.replace(/^\/v1/, "");
  if (method === "POST" && path === "/chat/completions") {
    provider.stats.chat++;
    return provider.chat(JSON.parse(raw.toString("utf8")), path);
  }
  if (method === "POST" && path === "/files") return provider.uploadFile(multipartFile(raw, contentType));
  const fileContent = /^\/files\/([^/]+)\/content$/.exec(path);
  if (method === "GET" && fileContent) return provider.fileContent(fileContent[1]!);
  if (method === "POST" && path === "/batches") return provider.createBatch((JSON.parse(raw.toString("utf8")) as { input_file_id: string }).input_file_id);
  const batch = /^\/batches\/([^/]+)$/.exec(path);
  if (method === "GET" && batch) return provider.pollBatch(batch[1]!);
  if (method === "GET" && path === "/models") return provider.models();
  return [404, { error: { message: `The simulated provider has no ${method} ${url.pathname}` } }, {}];
}

export async function startSimulatedServer(options: SimulatedServerOptions): Promise<SimulatedServer> {
  const provider = new Provider(options);
  const server: Server = createServer(async (req, res) => {
    provider.stats.requests++;
    try {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const [status, body, headers] = await route(provider, req.method ?? "GET", url, await readBody(req), req.headers["content-type"] ?? "");
      send(res, status, body, headers);
    } catch (error) {
      send(res, 500, { error: { message: (error as Error).message } });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats: provider.stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
