/** CSV reading with errors that name the file and the missing column. */
import { csvParse } from "d3-dsv";
import { readFileSync } from "node:fs";
import { basename } from "node:path";

export type CsvRow = Record<string, string>;

/** Parses CSV text; checks that every required column is present. */
export function parseCsv(text: string, file: string, required: readonly string[] = []): CsvRow[] {
  const rows = csvParse(text.replace(/^\uFEFF/, ""));
  const columns = rows.columns;
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length) {
    throw new Error(
      `${file}: missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} ` +
        `(found: ${columns.join(", ")}). Is this the right file?`,
    );
  }
  return rows as unknown as CsvRow[];
}

export function readCsv(path: string, required: readonly string[] = []): CsvRow[] {
  return parseCsv(readFileSync(path, "utf8"), basename(path), required);
}

/** A numeric cell: empty means null; anything else that is not a number is an error. */
export function numberCell(row: CsvRow, column: string, file: string, line: number): number | null {
  const text = (row[column] ?? "").trim();
  if (text === "" || text.toLowerCase() === "nan" || text.toLowerCase() === "null") return null;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new Error(`${file}, line ${line}: column "${column}" should be a number, got ${JSON.stringify(text)}`);
  }
  return value;
}
