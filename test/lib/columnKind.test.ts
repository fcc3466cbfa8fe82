/** Downloaded columns' types: numbers only for columns of numbers; empty and mixed columns are text. */
import { describe, expect, it } from "vitest";
import { columnKind } from "../../src/lib/columnKind.js";

describe("columnKind", () => {
  const rows = [
    { n: 1, gap: null, text: "a", mixed: 1, empty: null },
    { n: 2.5, gap: 3, text: null, mixed: "x", empty: undefined },
  ];
  it("gives numbers for a column of numbers, nulls allowed", () => {
    expect(columnKind(rows, "n")).toBe("number");
    expect(columnKind(rows, "gap")).toBe("number");
  });
  it("gives text for text, for mixed values, and for a column with no value at all", () => {
    expect(columnKind(rows, "text")).toBe("text");
    expect(columnKind(rows, "mixed")).toBe("text");
    expect(columnKind(rows, "empty")).toBe("text");
    expect(columnKind(rows, "absent")).toBe("text");
    expect(columnKind([], "n")).toBe("text");
  });
});
