/**
 * Answers already paid for, when the cache cannot keep them. The first answer that
 * comes back but cannot be cached (a full disk, a folder made read-only) stops the run
 * from sending anything more; requests already in flight finish and their tokens are
 * counted like any other's; then the run stops with the cause, the fix, and what was
 * paid for answers it could not keep.
 */
import { UnsavedAnswerError } from "../llm/chat.js";
import { cost, type Price } from "../llm/pricing.js";

export class CacheGuard {
  private reason: Error | null = null;
  private readonly unsaved = { answers: 0, input: 0, output: 0, costUSD: 0 };

  /** Whether the run has stopped sending. */
  get stopped(): boolean {
    return this.reason !== null;
  }

  /**
   * Handles a request's error: an answer the cache could not keep stops the run, and its
   * tokens are returned so the caller counts them. Any other error gives null.
   */
  absorb(error: unknown, price: Price | undefined): { input: number; output: number; costUSD: number; attempts: number } | null {
    if (!(error instanceof UnsavedAnswerError)) return null;
    this.reason ??= error.failure;
    const usd = cost(price, error.usage.input, error.usage.output);
    this.unsaved.answers++;
    this.unsaved.input += error.usage.input;
    this.unsaved.output += error.usage.output;
    this.unsaved.costUSD += usd;
    return { input: error.usage.input, output: error.usage.output, costUSD: usd, attempts: error.attempts };
  }

  /** After a stage: throws when the run stopped, saying why, what it paid for in vain, and the fix. */
  throwIfStopped(stage: string): void {
    if (!this.reason) return;
    const u = this.unsaved;
    throw new Error(
      `The run stopped during ${stage}: ${this.reason.message}. Nothing more was sent after the first answer that could not be cached; ` +
        `${u.answers} answer(s) came back but could not be kept (${u.input} in / ${u.output} out tokens, about $${u.costUSD.toFixed(2)}), ` +
        `and will be asked again by the next run; every answer cached before is kept.`,
    );
  }
}
