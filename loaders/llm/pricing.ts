/** Token estimates and costs from the run's price table (USD per million tokens). */

export interface Price {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

/** A rough token count of text: about four characters per token for these languages. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function cost(price: Price | undefined, inputTokens: number, outputTokens: number): number {
  if (!price) return 0;
  return (inputTokens * price.input + outputTokens * price.output) / 1e6;
}
