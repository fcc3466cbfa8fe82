import { describe, expect, it } from "vitest";
import { parseInterviews, valuePolarity } from "../../src/lib/interviews.js";

describe("numbered interview lists", () => {
  it("parses one summary per line, ignoring an introduction", () => {
    const text = "Here are the summaries:\n\n1. A teacher supports it.\n2. A nurse is against it.\n3. A farmer is unsure.";
    expect(parseInterviews(text)).toEqual(["A teacher supports it.", "A nurse is against it.", "A farmer is unsure."]);
  });

  it("parses inline lists, parentheses and bold numbers", () => {
    expect(parseInterviews("1. yes 2. no 3. maybe")).toEqual(["yes", "no", "maybe"]);
    expect(parseInterviews("1) first\n2) second")).toEqual(["first", "second"]);
    expect(parseInterviews("**1.** Borger 1 er for.\n**2.** Borger 2 er imod.")).toEqual(["Borger 1 er for.", "Borger 2 er imod."]);
  });

  it("does not take numbers inside a summary for items", () => {
    expect(parseInterviews("1. She is 2. in line.\n2. He earns 3. 5 times more")).toEqual(["She is 2. in line.", "He earns 3. 5 times more"]);
  });

  it("returns nothing for text that is not a numbered list", () => {
    expect(parseInterviews("I cannot help with that request.")).toEqual([]);
    expect(parseInterviews("2. starts at two\n3. then three")).toEqual([]);
  });
});

describe("value polarity", () => {
  it("is pro / (pro + con), undefined without either", () => {
    expect(valuePolarity(["pro", "pro", "con", "NULL"])).toEqual({ pro: 2, con: 1, vps: 2 / 3 });
    expect(valuePolarity(["NULL", "NULL"]).vps).toBeNull();
    expect(valuePolarity([]).vps).toBeNull();
  });
});
