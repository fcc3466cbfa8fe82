/** CSV downloads: RFC 4180 quoting, and no formula a spreadsheet would run. */
import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/lib/csv.js";

describe("toCsv", () => {
  it("neutralises text a spreadsheet would run as a formula, and keeps numbers as numbers", () => {
    const rows = [{ model: '=HYPERLINK("http://x")', text: "+1+1", who: "@SUM(A1)", neg: "-2+3", tab: "\tx", n: -0.5, big: -5n, ok: "gpt-4o" }];
    expect(toCsv(rows)).toBe(`model,text,who,neg,tab,n,big,ok\r\n"'=HYPERLINK(""http://x"")",'+1+1,'@SUM(A1),'-2+3,'\tx,-0.5,-5,gpt-4o\r\n`);
  });

  it("leaves ordinary text, empty cells and non-finite numbers as before", () => {
    expect(toCsv([{ a: "a-b", b: "", c: NaN, d: null }])).toBe("a,b,c,d\r\na-b,,,\r\n");
  });
});

describe("toCsv quoting", () => {
  it("quotes what needs quoting", () => {
    expect(toCsv([{ a: 'x,"y"', b: 1.5, c: null }])).toBe('a,b,c\r\n"x,""y""",1.5,\r\n');
  });
});
