/** Plain-text tables for the terminal, and the one helper that makes data safe to print there. */

export type Cell = string | number | null | undefined;

/**
 * C0 and C1 control characters (but newline and tab), DEL, and the invisible characters
 * that reorder or hide text (bidirectional overrides and isolates, zero-width marks).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of this pattern is to find control and bidi characters, to escape them
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Text from data (a workspace, a config, a server's answer) as the terminal may show it:
 * every control character written out as an escape (ESC as \x1b), so an escape sequence
 * in a model's family or a judge's name is printed, never obeyed.
 */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** The same error, its message made safe to print (the error keeps its class and code). */
export function sanitizeError<T>(error: T): T {
  if (error instanceof Error) error.message = sanitize(error.message);
  return error;
}

function show(value: Cell, digits: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value) && Math.abs(value) >= 1) return String(value);
    return value.toFixed(digits);
  }
  return value;
}

/** Renders rows as aligned columns; numbers right-aligned; control characters in text shown as escapes. */
export function table(headers: string[], rows: Cell[][], digits = 3): string {
  headers = headers.map(sanitize);
  const cells = rows.map((r) => r.map((c) => sanitize(show(c, digits))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number" || r[i] == null));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(headers), rule, ...cells.map(line)].join("\n");
}

export function pValue(p: number): string {
  return !Number.isFinite(p) ? "NaN" : p < 0.001 ? "<0.001" : p.toFixed(3);
}
