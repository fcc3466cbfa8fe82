/**
 * Explore's responses list, loaded on demand: a button starts the page's DuckDB (shared
 * with the SQL box) and lists the slice's responses from the workspace database, a few
 * columns, sorted, the first LIST_LIMIT; clicking a row loads that one response's prompt
 * and text by a second query. The slice's downloads run through DuckDB too, all of its
 * rows with their text, batch by batch. Once the reader has listed one slice, later
 * slices list themselves. Under another judge, the list, a response and the downloads
 * carry that judge's labels, VPS and detected language (responsesSource).
 */
import * as Inputs from "npm:@observablehq/inputs";
import { detailSql, downloadSql, LIST_LIMIT, listSql, responsesSource, type ResponsesSource } from "../lib/responseQueries.js";
import type { ResponseRow } from "../lib/workspace.js";
import { queryDb, responseColumns } from "./exploreDb.js";
import { languageName } from "../lib/languages.js";
import { queryDownloads } from "./queryDownload.js";
import { readParam, writeParam } from "./urlState.js";
import { emptyState } from "./emptyState.js";
import { responseDetail } from "./exploreControls.js";
import type { SharedDatabase } from "./sqlBox.js";

/** The columns the list may show, in order (never the prompt or the response text). */
const SHOWN = ["model", "language", "item", "vps", "labels", "response_language"];
let listedOnce = false;

export interface ResponsesListOptions {
  database: SharedDatabase;
  /** The slice's WHERE clause (sliceWhere) and its number of responses. */
  where: string;
  total: number;
  names: Map<string, string>;
  itemNames: Map<string, string>;
  /** The judge whose labels to show (null: the primary judge's, as stored). */
  judge?: string | null;
}

type Row = Record<string, unknown>;
const plain = (rows: Iterable<unknown>): Row[] => [...rows].map((r) => ({ ...(r as { toJSON(): Row }).toJSON() }));

/** The columns shown (a judge's responses always have labels), and where the rows are read. */
async function readPlan(database: SharedDatabase, judge: string | null): Promise<{ columns: string[]; source: ResponsesSource }> {
  const db = await database.open();
  const connection = await db.connect();
  try {
    const stored = await responseColumns(connection);
    const have = new Set([...stored, ...(judge ? ["labels"] : [])]);
    return { columns: SHOWN.filter((c) => have.has(c)), source: responsesSource(judge, stored) };
  } finally {
    await connection.close();
  }
}

export function responsesList(o: ResponsesListOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "responses-list";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "List the responses of this slice";
  const status = document.createElement("span");
  status.className = "fit-stats responses-status";
  status.setAttribute("role", "status");
  status.style.marginLeft = "0.75rem";
  const body = document.createElement("div");
  const detail = document.createElement("div");
  let source: ResponsesSource | undefined;
  root.append(button, status, body, detail);
  button.addEventListener("click", () => void list());
  // A link to a response (?response=ROW) lists the slice at once, to show it.
  if (listedOnce || readParam("response") !== null) queueMicrotask(() => void list());
  return root;

  async function list(): Promise<void> {
    button.disabled = true;
    root.setAttribute("aria-busy", "true");
    status.textContent = "Loading DuckDB and listing…";
    try {
      const plan = await readPlan(o.database, o.judge ?? null);
      source = plan.source;
      const columns = plan.columns;
      const rows = plain(await queryDb(o.database, listSql(o.where, columns, LIST_LIMIT, source)));
      listedOnce = true;
      button.remove();
      status.textContent =
        rows.length < o.total
          ? `Showing the first ${rows.length.toLocaleString("en")} of ${o.total.toLocaleString("en")} responses (sorted by model, language and item). Click a row to read it.`
          : `All ${rows.length.toLocaleString("en")} responses. Click a row to read it.`;
      body.replaceChildren(table(rows, columns), downloads());
      detail.replaceChildren(responseDetail(null, o.names, o.itemNames));
    } catch (error) {
      button.disabled = false;
      status.textContent = "";
      body.replaceChildren(
        emptyState(`The responses could not be listed: ${error instanceof Error ? error.message : String(error)}. Click the button to try again.`),
      );
    } finally {
      root.removeAttribute("aria-busy");
    }
  }

  function table(rows: Row[], columns: string[]): HTMLElement {
    const t = Inputs.table(rows, {
      columns,
      format: {
        model: (m: string) => o.names.get(m) ?? m,
        language: (l: string) => languageName(l),
        item: (i: string) => `${o.itemNames.get(i) ?? i} (${i})`,
        vps: (x: number | null) => (x == null ? "–" : x.toFixed(2)),
      },
      width: { item: 280 },
      rows: 12,
      multiple: false,
      required: false,
    } as never) as unknown as HTMLElement & { value: Row | null };
    // The selected response is in the URL (?response=ROW), so a link opens it.
    t.addEventListener("input", () => {
      writeParam("response", t.value ? String(t.value.row) : null);
      void show(t.value);
    });
    const linked = rows.find((r) => String(r.row) === readParam("response"));
    if (linked) {
      t.value = linked;
      void show(linked);
    }
    // Each row's radio is named (Tab reaches it, Space selects it), also as rows are added on scroll.
    const name = (input: HTMLInputElement) => {
      const r = rows[Number(input.value)] as { model: string; language: string; item: string } | undefined;
      if (r)
        input.setAttribute(
          "aria-label",
          `Read this response: ${o.names.get(r.model) ?? r.model}, ${languageName(r.language)}, ${o.itemNames.get(r.item) ?? r.item}`,
        );
    };
    const nameAll = () => {
      for (const input of t.querySelectorAll<HTMLInputElement>("tbody input")) name(input);
    };
    nameAll();
    new MutationObserver(nameAll).observe(t.querySelector("tbody")!, { childList: true });
    // A click anywhere on a row selects it (the table's own radio is small).
    t.addEventListener("click", (event) => {
      const tr = (event.target as Element).closest("tbody tr");
      const input = tr?.querySelector("input");
      if (input && event.target !== input) input.click();
    });
    return t;
  }

  async function show(row: Row | null): Promise<void> {
    if (!row) return void detail.replaceChildren(responseDetail(null, o.names, o.itemNames));
    detail.setAttribute("aria-busy", "true");
    try {
      const [full] = plain(await queryDb(o.database, detailSql(row as { row: number; model: string; language: string; item: string }, source)));
      detail.replaceChildren(responseDetail((full ?? row) as unknown as ResponseRow, o.names, o.itemNames));
    } catch (error) {
      detail.replaceChildren(
        emptyState(`This response could not be loaded: ${error instanceof Error ? error.message : String(error)}. Select it again to retry.`),
      );
    } finally {
      detail.removeAttribute("aria-busy");
    }
  }

  function downloads(): HTMLElement {
    const span = document.createElement("p");
    span.className = "slice-download";
    span.append(
      `Download the slice's ${o.total.toLocaleString("en")} responses, with their text: `,
      queryDownloads(o.database, downloadSql(o.where, source), "responses-slice"),
    );
    return span;
  }
}
