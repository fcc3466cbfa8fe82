/** Plain-text tables for the terminal. */

export type Cell = string | number | null | undefined;

function show(value: Cell, digits: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value) && Math.abs(value) >= 1) return String(value);
    return value.toFixed(digits);
  }
  return value;
}

/** Renders rows as aligned columns; numbers right-aligned. */
export function table(headers: string[], rows: Cell[][], digits = 3): string {
  const cells = rows.map((r) => r.map((c) => show(c, digits)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number" || r[i] == null));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(headers), rule, ...cells.map(line)].join("\n");
}

export function pValue(p: number): string {
  return !Number.isFinite(p) ? "NaN" : p < 0.001 ? "<0.001" : p.toFixed(3);
}
