/** Download links for workspace tables: the Parquet file as built, and CSV made in the page. */
import { toCsv } from "../lib/csv.js";
import { OPTIONAL_TABLES, TABLES, type Workspace } from "../lib/workspace.js";
import { lazyLink } from "./sliceDownload.js";
import { tableUrl, type SiteTable } from "./workspace.js";

function link(text: string, href: string, filename: string): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.textContent = text;
  return a;
}

/** Every table this workspace has: the seven required ones, then the optional ones that hold rows (judgements). */
export function workspaceTables(workspace: Workspace): SiteTable[] {
  return [...TABLES, ...OPTIONAL_TABLES.filter((name) => (workspace[name]?.length ?? 0) > 0)];
}

export async function downloadTable(workspace: Workspace): Promise<HTMLElement> {
  const table = document.createElement("table");
  const head = document.createElement("tr");
  for (const h of ["Table", "Rows", "Download"]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  table.append(head);
  for (const name of workspaceTables(workspace)) {
    const tr = document.createElement("tr");
    const rows = (workspace[name] ?? []) as unknown as Array<Record<string, unknown>>;
    const td = (content: string | Node) => {
      const el = document.createElement("td");
      el.append(content);
      return el;
    };
    const links = document.createElement("span");
    links.append(
      link("Parquet", await tableUrl(name), `${name}.parquet`),
      " · ",
      lazyLink("CSV", `${name}.csv`, () => new Blob([toCsv(rows)], { type: "text/csv" })),
    );
    tr.append(td(name), td(rows.length.toLocaleString("en")), td(links));
    table.append(tr);
  }
  return table;
}
