/** CSV encoding (RFC 4180): quotes fields holding a comma, quote or line break. */

function field(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): string {
  const cols = columns ?? (rows.length ? Object.keys(rows[0]!) : []);
  const lines = [cols.map(field).join(",")];
  for (const row of rows) lines.push(cols.map((c) => field(row[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}
