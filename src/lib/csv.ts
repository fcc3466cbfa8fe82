/**
 * CSV encoding (RFC 4180): quotes fields holding a comma, quote or line break. Text that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
 * gets a leading apostrophe, so a crafted model name or response cannot become a formula
 * when a download is opened; numbers are written as numbers.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

function field(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  if (typeof value !== "number" && typeof value !== "bigint" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line break) of values. */
export function csvLine(values: readonly unknown[]): string {
  return values.map(field).join(",");
}

export function toCsv(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): string {
  const cols = columns ?? (rows.length ? Object.keys(rows[0]!) : []);
  const lines = [cols.map(field).join(",")];
  for (const row of rows) lines.push(cols.map((c) => field(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
