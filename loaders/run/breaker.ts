/**
 * Stops sending to an endpoint whose first requests all failed, after their retries: a
 * wrong base URL, model name or key, or a server that is down. Without it, a run against
 * a dead endpoint would wait out every retry of every request. An endpoint that has
 * answered once is never stopped: later failures are the ordinary kind, recorded one by one.
 */
import { describeError, UnsavedAnswerError, type Endpoint } from "../llm/chat.js";
import { publicURL } from "../llm/urls.js";

/** An endpoint's name in messages: its public address (never a user name, password or query) and model. */
export function endpointName(endpoint: Pick<Endpoint, "baseURL" | "model">): string {
  return `${publicURL(endpoint.baseURL)} (${endpoint.model})`;
}

export class EndpointBreaker {
  private readonly state = new Map<string, { ok: number; failed: number; lastError: string }>();

  constructor(readonly threshold = 5) {}

  /** Why a request to this endpoint is not sent, or null when it may be. `name` is what the message calls it (default: the id). */
  refusal(endpoint: string, name = endpoint): string | null {
    const s = this.state.get(endpoint);
    if (!s || s.ok > 0 || s.failed < this.threshold) return null;
    return `not sent: ${name} failed its first ${s.failed} requests (last: ${s.lastError}); check its baseURL, model and key, then run again (finished answers are cached)`;
  }

  record(endpoint: string, outcome: { ok: true } | { ok: false; error: string }): void {
    const s = this.state.get(endpoint) ?? { ok: 0, failed: 0, lastError: "" };
    if (outcome.ok) s.ok++;
    else {
      s.failed++;
      s.lastError = outcome.error;
    }
    this.state.set(endpoint, s);
  }

  /** Sends one request through the breaker: refused at once (an Error saying why) when its endpoint is stopped, its outcome recorded. */
  async send<T>(endpoint: Pick<Endpoint, "baseURL" | "model">, request: () => Promise<T>): Promise<T> {
    const id = `${endpoint.baseURL}\u0000${endpoint.model}`;
    const refused = this.refusal(id, endpointName(endpoint));
    if (refused) throw new Error(refused);
    try {
      const value = await request();
      this.record(id, { ok: true });
      return value;
    } catch (error) {
      // An answer that came back but could not be cached is the endpoint's success.
      this.record(id, error instanceof UnsavedAnswerError ? { ok: true } : { ok: false, error: describeError(error) });
      throw error;
    }
  }
}
