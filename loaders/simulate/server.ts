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

export async function startSimulatedServer(options: SimulatedServerOptions): Promise<SimulatedServer> {
  const { world } = options;
  const attempts = new Map<string, number>();
  const files = new Map<string, { filename: string; content: string; purpose: string }>();
  const batches = new Map<string, { id: string; input_file_id: string; status: string; polls: number; output_file_id?: string; created_at: number; counts: { total: number; completed: number; failed: number } }>();
  const stats: SimulatedServer["stats"] = { requests: 0, chat: 0, byKind: {} };
  let ids = 0;

  /** Answers one chat-completion body (also used for batch lines). Returns [status, body, headers]. */
  async function chat(body: Record<string, unknown>, path: string): Promise<[number, unknown, Record<string, string>]> {
    const key = createHash("sha256").update(JSON.stringify(body)).digest("hex");
    const attempt = attempts.get(key) ?? 0;
    attempts.set(key, attempt + 1);
    const fault = options.fault?.({ path, body, attempt, count: stats.requests });
    if (fault && "status" in fault) return [fault.status, fault.body ?? { error: { message: `simulated HTTP ${fault.status}`, type: "simulated" } }, fault.headers ?? {}];
    if (fault && "delayMs" in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    const model = String(body.model);
    const messages = (body.messages as Array<{ role: string; content: string }>) ?? [];
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    const user = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const tools = (body.tools as Array<{ function?: { name?: string } }>) ?? [];
    const created = 1_700_000_000;
    const base = { id: `chatcmpl-${key.slice(0, 24)}`, object: "chat.completion", created, model };
    const promptTokens = tokens(messages.map((m) => m.content).join("\n"));
    if (tools.some((t) => t.function?.name === JUDGE_TOOL)) {
      stats.byKind.judge = (stats.byKind.judge ?? 0) + 1;
      const start = user.indexOf(RESPONSE_START);
      const end = user.lastIndexOf(RESPONSE_END);
      const text = start >= 0 && end > start ? user.slice(start + RESPONSE_START.length, end).trim() : user;
      const args = fault && "toolArguments" in fault ? fault.toolArguments : JSON.stringify(simulateJudgement(model, text, world));
      return [
        200,
        {
          ...base,
          choices: [{ index: 0, finish_reason: "tool_calls", logprobs: null, message: { role: "assistant", content: null, refusal: null, tool_calls: [{ id: `call_${key.slice(0, 12)}`, type: "function", function: { name: JUDGE_TOOL, arguments: args } }] } }],
          usage: { prompt_tokens: promptTokens, completion_tokens: tokens(args), total_tokens: promptTokens + tokens(args) },
        },
        {},
      ];
    }
    let content: string;
    if (system.startsWith(TRANSLATE_MARKER)) {
      stats.byKind.translate = (stats.byKind.translate ?? 0) + 1;
      const language = /\(([a-z]{2})\)/.exec(system)?.[1] ?? "xx";
      content = simulateTranslation(user, language);
    } else {
      stats.byKind.generate = (stats.byKind.generate ?? 0) + 1;
      content = simulateGeneration(model, user, world, attempt);
    }
    if (fault && "content" in fault) content = fault.content;
    return [
      200,
      {
        ...base,
        choices: [{ index: 0, finish_reason: "stop", logprobs: null, message: { role: "assistant", content, refusal: null } }],
        usage: { prompt_tokens: promptTokens, completion_tokens: tokens(content), total_tokens: promptTokens + tokens(content) },
      },
      {},
    ];
  }

  async function runBatch(batchId: string): Promise<void> {
    const batch = batches.get(batchId)!;
    const input = files.get(batch.input_file_id)!;
    const out: string[] = [];
    for (const line of input.content.split("\n").filter((l) => l.trim())) {
      const request = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> };
      const [status, body] = await chat(request.body, "/v1/batches");
      out.push(JSON.stringify({ id: `batch_req_${++ids}`, custom_id: request.custom_id, response: { status_code: status, request_id: `req_${ids}`, body }, error: null }));
      if (status === 200) batch.counts.completed++;
      else batch.counts.failed++;
    }
    const fileId = `file-${++ids}`;
    files.set(fileId, { filename: `${batchId}_output.jsonl`, content: `${out.join("\n")}\n`, purpose: "batch_output" });
    batch.output_file_id = fileId;
  }

  const batchView = (b: NonNullable<ReturnType<typeof batches.get>>) => ({
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

  const server: Server = createServer(async (req, res) => {
    stats.requests++;
    try {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname.replace(/^\/v1/, "");
      const raw = await readBody(req);
      if (req.method === "POST" && path === "/chat/completions") {
        stats.chat++;
        const [status, body, headers] = await chat(JSON.parse(raw.toString("utf8")), path);
        return send(res, status, body, headers);
      }
      if (req.method === "POST" && path === "/files") {
        const file = multipartFile(raw, req.headers["content-type"] ?? "");
        const id = `file-${++ids}`;
        files.set(id, file);
        return send(res, 200, { id, object: "file", bytes: Buffer.byteLength(file.content), created_at: 1_700_000_000, filename: file.filename, purpose: file.purpose, status: "processed" });
      }
      const fileContent = /^\/files\/([^/]+)\/content$/.exec(path);
      if (req.method === "GET" && fileContent) {
        const file = files.get(fileContent[1]!);
        return file ? send(res, 200, file.content) : send(res, 404, { error: { message: `No such file: ${fileContent[1]}` } });
      }
      if (req.method === "POST" && path === "/batches") {
        const body = JSON.parse(raw.toString("utf8")) as { input_file_id: string };
        if (!files.has(body.input_file_id)) return send(res, 400, { error: { message: `No such file: ${body.input_file_id}` } });
        const id = `batch_${++ids}`;
        const lines = files.get(body.input_file_id)!.content.split("\n").filter((l) => l.trim()).length;
        batches.set(id, { id, input_file_id: body.input_file_id, status: "validating", polls: 0, created_at: 1_700_000_000, counts: { total: lines, completed: 0, failed: 0 } });
        return send(res, 200, batchView(batches.get(id)!));
      }
      const batchGet = /^\/batches\/([^/]+)$/.exec(path);
      if (req.method === "GET" && batchGet) {
        const b = batches.get(batchGet[1]!);
        if (!b) return send(res, 404, { error: { message: `No such batch: ${batchGet[1]}` } });
        b.polls++;
        if (b.status === "validating") b.status = "in_progress";
        else if (b.status === "in_progress") {
          await runBatch(b.id);
          b.status = "completed";
        }
        return send(res, 200, batchView(b));
      }
      if (req.method === "GET" && path === "/models") {
        return send(res, 200, { object: "list", data: Object.keys(world.profiles).map((id) => ({ id, object: "model", created: 0, owned_by: "simulated" })) });
      }
      send(res, 404, { error: { message: `The simulated provider has no ${req.method} ${url.pathname}` } });
    } catch (error) {
      send(res, 500, { error: { message: (error as Error).message } });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
