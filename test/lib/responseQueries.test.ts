import { describe, expect, it } from "vitest";
import { detailSql, downloadSql, listSql, sliceItems, sliceWhere, sqlString } from "../../src/lib/responseQueries.js";
import { EMPTY_SLICE } from "../../src/lib/slice.js";

const items = [
  { item: "a1", category: "A" },
  { item: "a2", category: "A" },
  { item: "b1", category: "B" },
];
const slice = (s: Partial<typeof EMPTY_SLICE>) => ({ ...EMPTY_SLICE, ...s });

describe("the SQL of a slice's responses", () => {
  it("an empty slice has no WHERE clause", () => {
    expect(sliceWhere(slice({}), items)).toBe("");
  });

  it("filters by model, family, language and the items of the item and category filters", () => {
    expect(sliceWhere(slice({ models: ["gpt-4o"], languages: ["da", "nl"], categories: ["A"], items: ["a2", "b1"] }), items)).toBe(
      "WHERE model IN ('gpt-4o') AND language IN ('da', 'nl') AND item IN ('a2')",
    );
    expect(sliceItems(slice({ categories: ["A"] }), items)).toEqual(["a1", "a2"]);
    expect(sliceItems(slice({}), items)).toBeNull();
  });

  it("a slice whose item filters leave nothing selects nothing", () => {
    expect(sliceWhere(slice({ categories: ["A"], items: ["b1"] }), items)).toBe("WHERE FALSE");
  });

  it("quotes values, doubling a quote inside one", () => {
    expect(sqlString("o'neil")).toBe("'o''neil'");
    expect(sliceWhere(slice({ families: ["x') OR 1=1 --"] }), items)).toBe("WHERE family IN ('x'') OR 1=1 --')");
  });

  it("lists the columns shown with the row number, sorted and limited; reads one row by its number", () => {
    expect(listSql("WHERE FALSE", ["model", "vps"], 500)).toBe(
      'SELECT rowid AS "row", "model", "vps" FROM ws.responses WHERE FALSE ORDER BY model, language, item, rowid LIMIT 500',
    );
    expect(detailSql({ row: 42, model: "m", language: "da", item: "a1" })).toBe(
      "SELECT * FROM ws.responses WHERE model = 'm' AND language = 'da' AND item = 'a1' AND rowid = 42",
    );
    expect(() => detailSql({ row: 1.5, model: "m", language: "da", item: "a1" })).toThrow();
    expect(downloadSql("")).toBe("SELECT * FROM ws.responses  ORDER BY model, language, item, rowid");
  });
});
