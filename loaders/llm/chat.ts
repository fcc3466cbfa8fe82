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

export interface Endpoint {
  model: string;
  baseURL: string;
  apiKeyEnv: string;
}

/** The SDK client of an endpoint; the key is read from the environment and kept only in memory. */
export function makeClient(endpoint: Endpoint, options: { timeoutMs: number; apiKey?: string; env?: NodeJS.ProcessEnv }): OpenAI {
  const apiKey = options.apiKey ?? (options.env ?? process.env)[endpoint.apiKeyEnv];
  if (!apiKey) {
    throw new Error(
      `No API key for model "${endpoint.model}": the environment variable ${endpoint.apiKeyEnv} is not set. ` +
        `Export it (for a local server that needs none, any value will do), or rehearse with --simulate.`,
    );
  }
  return new OpenAI({ apiKey, baseURL: endpoint.baseURL, timeout: options.timeoutMs, maxRetries: 0 });
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

/** The cache key of a request: model, endpoint, messages and parameters. */
export function requestKey(endpoint: Endpoint, body: ChatCall<unknown>["body"], extra?: Record<string, unknown>): string {
  return cacheKey({ model: endpoint.model, baseURL: endpoint.baseURL, body, ...extra });
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
  call.cache.set(key, completion);
  return {
    value: call.parse(completion),
    cached: false,
    usage: { input: completion.usage?.prompt_tokens ?? 0, output: completion.usage?.completion_tokens ?? 0 },
    attempts,
  };
}

export { describeError };
