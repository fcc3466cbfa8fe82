/**
 * Download links for workspace tables: the Parquet file as built, and CSV. The small
 * tables' CSV is made from the rows the page holds; the responses and judgements are
 * written by the page's DuckDB from the workspace database, only when clicked.
 */
import { toCsv } from "../lib/csv.js";
import { sqlName } from "../lib/responseQueries.js";
import { OPTIONAL_TABLES, TABLES, type Workspace } from "../lib/workspace.js";
import { lazyLink } from "./lazyLink.js";
import { queryDownloads } from "./queryDownload.js";
import type { SharedDatabase } from "./sqlBox.js";
import { tableUrl, type SiteTable } from "./tables.js";

function link(text: string, href: string, filename: string): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.textContent = text;
  return a;
}

/** Every table this workspace publishes: the seven required ones, then the optional ones that hold rows (judgements). */
export function workspaceTables(tableRows: Record<string, number>): SiteTable[] {
  return [...TABLES, ...OPTIONAL_TABLES.filter((name) => (tableRows[name] ?? 0) > 0)];
}

/** Tables whose rows the page does not hold (the responses are aggregated; judgements are not loaded). */
const ROW_TABLES = new Set<SiteTable>(["responses", "judgements"]);

function csvLink(name: SiteTable, workspace: Workspace, database: SharedDatabase): Node {
  if (ROW_TABLES.has(name)) return queryDownloads(database, `SELECT * FROM ws.${sqlName(name)}`, name, ["csv"]);
  const rows = (workspace[name as keyof Workspace] ?? []) as unknown as Array<Record<string, unknown>>;
  return lazyLink("CSV", `${name}.csv`, () => new Blob([toCsv(rows)], { type: "text/csv" }));
}

export async function downloadTable(workspace: Workspace, tableRows: Record<string, number>, database: SharedDatabase): Promise<HTMLElement> {
  const table = document.createElement("table");
  const head = document.createElement("tr");
  for (const h of ["Table", "Rows", "Download"]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  table.append(head);
  for (const name of workspaceTables(tableRows)) {
    const tr = document.createElement("tr");
    const td = (content: string | Node) => {
      const el = document.createElement("td");
      el.append(content);
      return el;
    };
    const links = document.createElement("span");
    links.append(link("Parquet", await tableUrl(name), `${name}.parquet`), " · ", csvLink(name, workspace, database));
    tr.append(td(name), td((tableRows[name] ?? 0).toLocaleString("en")), td(links));
    table.append(tr);
  }
  return table;
}
