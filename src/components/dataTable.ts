/**
 * The site's result tables: Observable Inputs' table, set up once for reading, not for
 * choosing rows. No row checkboxes (a table of results selects nothing, and 20–30 unlabelled
 * checkboxes would sit in every keyboard user's way); headers in words ("95% CI low", not
 * "ci_low"); every non-integer number with the same three decimals, integers with thousands
 * separators. A page's own `header` and `format` entries win. Explore's responses list (which
 * selects a response) and the SQL box (which shows a query's own column names) are the
 * only other users of Inputs.table (test/components/dataTable.test.ts).
 */
import * as Inputs from "npm:@observablehq/inputs";

/** Headers of the columns the site's tables share, where the column name is not already a word. */
const HEADERS: Readonly<Record<string, string>> = {
  ci_low: "95% CI low",
  ci_high: "95% CI high",
  se: "SE",
  p: "p",
  n: "n",
  rho: "ρ",
  beta_bias_us: "US bias (β)",
};

/** A column's header: the site's word for it, or its name with spaces for underscores. */
export function columnHeader(column: string): string {
  return HEADERS[column] ?? column.replaceAll("_", " ");
}

/** The number format of the site's tables: three decimals, or an integer with separators. */
export function formatNumber(x: unknown): string {
  if (typeof x !== "number") return x === null || x === undefined ? "" : String(x);
  if (Number.isNaN(x)) return "–";
  return Number.isInteger(x) ? x.toLocaleString("en") : x.toFixed(3);
}

export interface DataTableOptions {
  columns?: readonly string[];
  header?: Record<string, string>;
  format?: Record<string, (x: never) => string>;
  rows?: number;
  width?: Record<string, number>;
  layout?: "auto" | "fixed";
  /** The column the rows are sorted by, and whether descending. */
  sort?: string;
  reverse?: boolean;
}

/** A table of result rows, for reading (see the header). */
export function dataTable(data: ReadonlyArray<Record<string, unknown>>, options: DataTableOptions = {}): HTMLElement {
  const columns = options.columns ?? (data.length ? Object.keys(data[0]!) : []);
  const header = Object.fromEntries(columns.map((c) => [c, options.header?.[c] ?? columnHeader(c)]));
  const format = Object.fromEntries(columns.map((c) => [c, options.format?.[c] ?? formatNumber]));
  return Inputs.table(data, { ...options, columns, header, format, select: false }) as unknown as HTMLElement;
}
