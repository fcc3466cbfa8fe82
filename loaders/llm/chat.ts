/**
 * One cached, retried, validated chat-completion request through the openai SDK,
 * against any OpenAI-compatible endpoint (the OpenAI API, vLLM, Ollama, llama.cpp).
 * A request answered before is served from the cache and costs nothing; an answer that
 * fails validation is retried like a server error and never cached.
 */
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { cacheKey, type ResponseCache } from "./cache.js";
import { describeError, withRetries, type RetryOptions } from "./retry.js";
import { redactText, secretFreeURL } from "./urls.js";

/**
 * The SDK's logger (active with OPENAI_LOG=info or debug): the SDK's own lines name the
 * full request URL, so every line is written with each address made public.
 */
function publicLogger(): NonNullable<ConstructorParameters<typeof OpenAI>[0]>["logger"] {
  const line =
    (level: string) =>
    (...args: unknown[]) =>
      void process.stderr.write(`openai ${level}: ${redactText(args.map((a) => (typeof a === "string" ? a : (JSON.stringify(a) ?? String(a)))).join(" "))}\n`);
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}

export interface Endpoint {
  model: string;
  baseURL: string;
  apiKeyEnv: string;
}

/** The SDK client of an endpoint; the key is read from the environment and kept only in memory. */
export function makeClient(endpoint: Endpoint, options: { timeoutMs: number; apiKey?: string; env?: NodeJS.ProcessEnv }): OpenAI {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? (Object.hasOwn(env, endpoint.apiKeyEnv) ? env[endpoint.apiKeyEnv] : undefined);
  if (!apiKey) {
    throw new Error(
      `No API key for model "${endpoint.model}": the environment variable ${endpoint.apiKeyEnv} is not set. ` +
        `Export it (for a local server that needs none, any value will do), or rehearse with --simulate.`,
    );
  }
  return new OpenAI({ apiKey, baseURL: endpoint.baseURL, timeout: options.timeoutMs, maxRetries: 0, logger: publicLogger() });
}

export interface ChatCall<T> {
  client: OpenAI;
  endpoint: Endpoint;
  body: Omit<ChatCompletionCreateParamsNonStreaming, "model">;
  /** Turns the raw completion into a value, or throws InvalidAnswerError. */
  parse: (completion: ChatCompletion) => T;
  cache: ResponseCache;
  retry: RetryOptions;
  /** Extra cache-key material (e.g. the stage), never secrets. */
  keyExtra?: Record<string, unknown>;
}

export interface ChatOutcome<T> {
  value: T;
  cached: boolean;
  usage: { input: number; output: number };
  attempts: number;
}

/** The cache key of a request: model, endpoint (without any secret in its address), messages and parameters. */
export function requestKey(endpoint: Endpoint, body: ChatCall<unknown>["body"], extra?: Record<string, unknown>): string {
  return cacheKey({ model: endpoint.model, baseURL: secretFreeURL(endpoint.baseURL), body, ...extra });
}

/**
 * An answer that came back (and was paid for) but could not be cached. It carries the
 * answer's tokens, so they are counted, and the cache's error, so the run can stop
 * sending at once instead of paying for answers it cannot keep.
 */
export class UnsavedAnswerError extends Error {
  constructor(
    readonly failure: Error,
    readonly usage: { input: number; output: number },
    readonly attempts: number,
  ) {
    super(failure.message);
    this.name = "UnsavedAnswerError";
  }
}

export async function cachedChat<T>(call: ChatCall<T>): Promise<ChatOutcome<T>> {
  const key = requestKey(call.endpoint, call.body, call.keyExtra);
  const hit = call.cache.get<ChatCompletion>(key);
  if (hit) {
    try {
      return { value: call.parse(hit), cached: true, usage: { input: 0, output: 0 }, attempts: 0 };
    } catch {
      // The cached answer no longer passes validation (e.g. stricter parsing): ask again.
    }
  }
  let attempts = 0;
  const completion = await withRetries(async () => {
    attempts++;
    const c = await call.client.chat.completions.create({ ...call.body, model: call.endpoint.model, stream: false });
    call.parse(c); // validate before accepting (throws InvalidAnswerError to retry)
    return c;
  }, call.retry);
  const usage = { input: completion.usage?.prompt_tokens ?? 0, output: completion.usage?.completion_tokens ?? 0 };
  try {
    call.cache.set(key, completion);
  } catch (error) {
    throw new UnsavedAnswerError(error as Error, usage, attempts);
  }
  return { value: call.parse(completion), cached: false, usage, attempts };
}

export { describeError };
