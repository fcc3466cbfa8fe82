/**
 * A progress line on stderr: requests done of total (with cached and failed counts),
 * tokens, estimated cost so far and the time left. On a terminal it redraws one line;
 * otherwise it prints a line every few seconds, so CI logs stay readable.
 */

export interface ProgressState {
  label: string;
  total: number;
  done: number;
  cached: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUSD: number;
}

export class Progress {
  private state: ProgressState;
  private started = Date.now();
  private lastPrint = 0;
  private finished = false;

  constructor(
    label: string,
    total: number,
    private readonly stream: NodeJS.WriteStream | null = process.stderr,
  ) {
    this.state = { label, total, done: 0, cached: 0, failed: 0, inputTokens: 0, outputTokens: 0, costUSD: 0 };
  }

  get snapshot(): ProgressState {
    return { ...this.state };
  }

  update(delta: Partial<Omit<ProgressState, "label" | "total">>): void {
    for (const [k, v] of Object.entries(delta)) (this.state as unknown as Record<string, number>)[k]! += v as number;
    this.render(false);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.render(true);
  }

  line(): string {
    const s = this.state;
    const width = 24;
    const fraction = s.total ? s.done / s.total : 1;
    const bar = "█".repeat(Math.round(fraction * width)).padEnd(width, "░");
    const elapsed = (Date.now() - this.started) / 1000;
    const fresh = s.done - s.cached;
    const rate = fresh > 0 ? fresh / elapsed : 0;
    const left = s.total - s.done;
    const eta = left === 0 ? "done" : rate > 0 ? `ETA ${formatSeconds(left / rate)}` : "ETA …";
    return (
      `${s.label} ${bar} ${s.done}/${s.total}` +
      `${s.cached ? ` (${s.cached} cached)` : ""}${s.failed ? ` ${s.failed} failed` : ""}` +
      ` · ${formatTokens(s.inputTokens)} in / ${formatTokens(s.outputTokens)} out tokens · $${s.costUSD.toFixed(2)} · ${eta}`
    );
  }

  private render(final: boolean): void {
    if (!this.stream) return;
    const now = Date.now();
    if (this.stream.isTTY) {
      if (!final && now - this.lastPrint < 100) return;
      this.stream.write(`\r\x1b[2K${this.line()}${final ? "\n" : ""}`);
    } else {
      if (!final && now - this.lastPrint < 5000) return;
      this.stream.write(`${this.line()}\n`);
    }
    this.lastPrint = now;
  }
}

function formatTokens(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
