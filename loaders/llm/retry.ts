/**
 * Retries with exponential backoff and jitter that honour the server's Retry-After
 * (seconds or an HTTP date) and retry-after-ms headers. Retries rate limits (429),
 * server errors (5xx), timeouts and lost connections; fails at once on a request the
 * server will never accept (400, 401, 403, 404, 422).
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { redactText } from "./urls.js";

export interface RetryOptions {
  retries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** An answer that arrived but cannot be used (not a numbered list, invalid judge JSON). */
export class InvalidAnswerError extends Error {
  constructor(
    message: string,
    readonly content?: string,
  ) {
    super(message);
    this.name = "InvalidAnswerError";
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function header(error: APIError, name: string): string | null {
  const h = error.headers as unknown;
  if (!h) return null;
  if (typeof (h as Headers).get === "function") return (h as Headers).get(name);
  return ((h as Record<string, string>)[name] ?? null) as string | null;
}

/** The delay the server asked for, in ms, if any. */
export function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof APIError)) return null;
  const ms = header(error, "retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = header(error, "retry-after");
  if (!after) return null;
  if (/^\d+(\.\d+)?$/.test(after.trim())) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof InvalidAnswerError) return true;
  if (error instanceof APIConnectionTimeoutError || error instanceof APIConnectionError) return true;
  if (error instanceof APIError) {
    const s = error.status ?? 0;
    return s === 408 || s === 409 || s === 429 || s >= 500;
  }
  return false;
}

/** A short reason for a failure; an address quoted in it (by the SDK or the network) loses its user name, password and query. */
export function describeError(error: unknown): string {
  if (error instanceof APIConnectionTimeoutError) return "timeout";
  if (error instanceof APIError && error.status) return `HTTP ${error.status}`;
  if (error instanceof APIConnectionError) return "connection error";
  return redactText((error as Error)?.message ?? String(error));
}

export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 60_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.retries || !isRetryable(error)) throw error;
      const asked = retryAfterMs(error);
      const backoff = Math.min(max, base * 2 ** attempt) * (0.5 + Math.random() / 2);
      const delayMs = asked !== null ? Math.min(max, asked) : backoff;
      options.onRetry?.({ attempt: attempt + 1, delayMs, reason: describeError(error) });
      await sleep(delayMs);
    }
  }
}
