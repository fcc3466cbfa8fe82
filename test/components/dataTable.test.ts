/** The site's result tables: no selection checkboxes, headers in words, one number format; and no page builds a table any other way. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportsOf, loadComponents } from "../helpers/components.js";
import { REPO_ROOT } from "../../loaders/paths.js";
import type * as DataTable from "../../src/components/dataTable.js";

const { columnHeader, dataTable, formatNumber } = await loadComponents<typeof DataTable>(exportsOf(["dataTable"]));

describe("dataTable", () => {
  it("shows rows with no checkbox to tab through, headers in words and three decimals", () => {
    const table = dataTable([
      { model: "gpt-4o", rho: 0.37512, ci_low: 0.2, n: 1234, note: null },
      { model: "olmo", rho: Number.NaN, ci_low: -0.05, n: 7, note: "x" },
    ]);
    expect(table.querySelectorAll("input")).toHaveLength(0);
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent).filter(Boolean)).toEqual(["model", "ρ", "95% CI low", "n", "note"]);
    const cells = [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent).filter((t) => t !== ""));
    expect(cells[0]).toEqual(["gpt-4o", "0.375", "0.200", "1,234"]);
    // Inputs leaves a NaN's cell empty.
    expect(cells[1]).toEqual(["olmo", "-0.050", "7", "x"]);
  });

  it("lets a page name a header or a format of its own", () => {
    const table = dataTable([{ share: 0.5 }], { header: { share: "share pro" }, format: { share: (x: number) => `${x * 100}%` } });
    expect(table.querySelector("thead th:nth-child(2)")!.textContent).toBe("share pro");
    expect(table.querySelector("tbody td:nth-child(2)")!.textContent).toBe("50%");
  });

  it("words headers and formats numbers the same everywhere", () => {
    expect(columnHeader("bootstrap_mean")).toBe("bootstrap mean");
    expect(columnHeader("ci_high")).toBe("95% CI high");
    expect([formatNumber(0.1), formatNumber(12000), formatNumber(null), formatNumber("a")]).toEqual(["0.100", "12,000", "", "a"]);
  });
});

describe("the pages' tables", () => {
  const ALLOWED = new Set(["src/components/dataTable.ts", "src/components/responsesList.ts", "src/components/sqlBox.ts"]);
  const files = readdirSync(join(REPO_ROOT, "src"), { recursive: true, encoding: "utf8" })
    .filter((f) => !f.startsWith(".observablehq") && /\.(md|md\.template|ts)$/.test(f))
    .map((f) => join("src", f));

  it("are all dataTables, except Explore's responses list and the SQL box", () => {
    const direct = files.filter((f) => !ALLOWED.has(f) && /Inputs\.table\(/.test(readFileSync(join(REPO_ROOT, f), "utf8")));
    expect(direct).toEqual([]);
  });
});
