/**
 * Stops sending to an endpoint whose first requests all failed, after their retries: a
 * wrong base URL, model name or key, or a server that is down. Without it, a run against
 * a dead endpoint would wait out every retry of every request. An endpoint that has
 * answered once is never stopped: later failures are the ordinary kind, recorded one by one.
 */
import { describeError, type Endpoint } from "../llm/chat.js";

export class EndpointBreaker {
  private readonly state = new Map<string, { ok: number; failed: number; lastError: string }>();

  constructor(readonly threshold = 5) {}

  /** Why a request to this endpoint is not sent, or null when it may be. */
  refusal(endpoint: string): string | null {
    const s = this.state.get(endpoint);
    if (!s || s.ok > 0 || s.failed < this.threshold) return null;
    return `not sent: ${endpoint} failed its first ${s.failed} requests (last: ${s.lastError}); check its baseURL, model and key, then run again (finished answers are cached)`;
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
    const id = `${endpoint.baseURL} (${endpoint.model})`;
    const refused = this.refusal(id);
    if (refused) throw new Error(refused);
    try {
      const value = await request();
      this.record(id, { ok: true });
      return value;
    } catch (error) {
      this.record(id, { ok: false, error: describeError(error) });
      throw error;
    }
  }
}
