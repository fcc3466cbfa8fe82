/**
 * The SQL box: a query against the workspace tables in DuckDB-WASM. DuckDB (about
 * 35 MB of WebAssembly) is created once, on the first run, and every later query runs
 * against that same database (one Web Worker, tables loaded once). The query is in
 * the page's URL (`sql`) once run; a link with one runs it when the page opens.
 */
import * as Inputs from "npm:@observablehq/inputs";
import type { ArrowLike } from "../lib/arrow.js";
import { emptyState } from "./exploreCharts.js";
import { readParam, writeParam } from "./urlState.js";

interface Database {
  query(sql: string): Promise<ArrowLike & Iterable<unknown>>;
}

/** Framework's DuckDBClient (the page passes its built-in one). */
export interface DuckDBClientLike {
  of(sources: Record<string, unknown>): Promise<Database>;
}

export interface SqlBoxOptions {
  DuckDBClient: DuckDBClientLike;
  /** The tables to load, by name; empty tables are left out. */
  tables: Record<string, ArrowLike>;
  defaultSql: string;
}

/** The names of the tables the box loads (those with rows), in the order given. */
export function sqlTableNames(tables: Record<string, ArrowLike>): string[] {
  return Object.entries(tables)
    .filter(([, t]) => t && t.numRows > 0)
    .map(([name]) => name);
}

export function sqlBox({ DuckDBClient, tables, defaultSql }: SqlBoxOptions): HTMLElement {
  const names = sqlTableNames(tables);
  let database: Promise<Database> | null = null;
  let loaded = false;
  let running = 0;

  const root = document.createElement("div");
  root.className = "sql-box";
  const label = document.createElement("label");
  label.textContent = "SQL";
  label.style.display = "block";
  const textarea = document.createElement("textarea");
  textarea.rows = 5;
  textarea.spellcheck = false;
  textarea.style.cssText = "width: 100%; box-sizing: border-box; font-family: var(--monospace, monospace); font-size: 0.85rem;";
  textarea.value = readParam("sql") ?? defaultSql;
  label.append(textarea);
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Load DuckDB and run this query";
  const status = document.createElement("span");
  status.className = "fit-stats sql-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.style.marginLeft = "0.75rem";
  status.textContent = "DuckDB (about 35 MB of WebAssembly) loads in your browser when you run a query.";
  const bar = document.createElement("div");
  bar.append(button, status);
  const output = document.createElement("div");
  output.className = "sql-output";
  root.append(label, bar, output);

  async function run(): Promise<void> {
    const sql = textarea.value;
    writeParam("sql", sql === defaultSql ? null : sql);
    const token = ++running;
    button.disabled = true;
    root.setAttribute("aria-busy", "true");
    output.style.opacity = "0.5";
    status.textContent = loaded ? "Running…" : "Loading DuckDB and the tables… (once per visit)";
    const t0 = performance.now();
    try {
      database ??= DuckDBClient.of(Object.fromEntries(names.map((n) => [n, tables[n]])));
      const db = await database;
      if (!loaded) {
        loaded = true;
        button.textContent = "Run";
        status.textContent = "Running…";
      }
      const t1 = performance.now();
      const data = await db.query(sql);
      if (token !== running) return;
      output.replaceChildren(Inputs.table(data as unknown as unknown[], { rows: 12 }));
      status.textContent = `${data.numRows.toLocaleString("en")} row${data.numRows === 1 ? "" : "s"} in ${((performance.now() - t1) / 1000).toFixed(2)} s${t1 - t0 > 50 ? ` (DuckDB loaded in ${((t1 - t0) / 1000).toFixed(1)} s)` : ""}.`;
    } catch (error) {
      if (token !== running) return;
      // A failed start is forgotten, so the next run tries again; a failed query keeps the database.
      if (!loaded) database = null;
      output.replaceChildren(emptyState(`The query failed: ${error instanceof Error ? error.message : String(error)}`));
      status.textContent = "";
    } finally {
      if (token === running) {
        button.disabled = false;
        root.removeAttribute("aria-busy");
        output.style.opacity = "";
      }
    }
  }

  button.addEventListener("click", () => void run());
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      if (!button.disabled) void run();
    }
  });
  // A link with a query runs it when the page opens.
  if (readParam("sql") !== null) queueMicrotask(() => void run());
  return root;
}
