/**
 * Survey ground truth (docs/pipeline.md) on small files worked out by hand, the survey's
 * self-consistency, clear errors for bad files, byte-identical outputs, and the synthetic
 * generator.
 */
import { gzipSync } from "node:zlib";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { groundTruthCommand, skippedNote } from "../../loaders/cli/groundTruth.js";
import { surveyGroundTruth, type SurveyResult } from "../../loaders/survey/groundTruth.js";
import { proRule, proRuleText } from "../../src/lib/survey.js";
import { valueMap } from "../../src/lib/analyses/valueMap.js";
import { writeSurveyResult } from "../../loaders/survey/write.js";
import { writeSyntheticSurvey, STUDY_ITEMS } from "../../loaders/survey/synthetic.js";

const dir = mkdtempSync(join(tmpdir(), "mca-survey-"));
function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// w = gwght × pwght. Largest codes: F120 10 (pro: > 5), C001_01 3 (pro: = 1), D059 4 (pro: ≤ 2),
// E035 10 inverted (pro: ≤ 5). E225 is excluded, F120EVS5 wave-specific, A008 (an Inglehart–Welzel
// item) has a largest code of 1, E999 of 20, and B001 no valid answer: all dropped.
const HAND = [
  "cntry_AN,lnge_iso,gwght,pwght,F120,C001_01,D059,E035,E225,F120EVS5,A008,E999,B001",
  "DK,da,1,1,6,1,1,2,3,1,1,20,-1", // w 1
  "DK,da,2,1,5,2,4,9,4,1,1,1,-2", //  w 2
  "DK,en,1,1,-1,3,2,1,1,1,1,1,-1", // w 1
  "NL,nl,1,2,10,1,3,10,2,1,1,1,-5", // w 2
  "NL,nl,0.5,2,1,-2,-4,5,1,1,1,1,-3", // w 1
].join("\n");

describe("ground truth, worked by hand", async () => {
  // Groups this small are left out by default (minGroupSize 10); the hand-worked file keeps them.
  const result = await surveyGroundTruth(file("hand.csv", HAND), { draws: 20, drawSize: 1, minGroupSize: 1 });
  const gt = (level: string, population: string, item: string) =>
    result.groundTruth.find((g) => g.level === level && g.population === population && g.item === item);

  it("keeps the right items with the right rules", () => {
    expect(result.items.map((i) => [i.item, i.maxCode, i.rule])).toEqual([
      ["f120", 10, "code > 5"],
      ["c001_01", 3, "code = 1"],
      ["d059", 4, "code ≤ 2"],
      ["e035", 10, "not (code > 5), inverted"],
    ]);
    expect(result.dropped.map((d) => d.column).sort()).toEqual(["A008", "B001", "E225", "E999", "F120EVS5"]);
  });

  it("computes weighted pro shares per country", () => {
    expect(gt("country", "DK", "f120")!.pro_score).toBeCloseTo(1 / 3, 12); // 6 (w1) pro, 5 (w2) not, −1 missing
    expect(gt("country", "DK", "c001_01")!.pro_score).toBeCloseTo(1 / 4, 12);
    expect(gt("country", "DK", "d059")!.pro_score).toBeCloseTo(2 / 4, 12);
    expect(gt("country", "DK", "e035")!.pro_score).toBeCloseTo(2 / 4, 12); // inverted: 2 and 1 are pro
    expect(gt("country", "NL", "f120")!.pro_score).toBeCloseTo(2 / 3, 12);
    expect(gt("country", "NL", "c001_01")!.pro_score).toBe(1); // the other answer is missing (−2)
    expect(gt("country", "NL", "d059")!.pro_score).toBe(0);
    expect(gt("country", "NL", "e035")!.pro_score).toBeCloseTo(1 / 3, 12);
    expect(gt("country", "DK", "f120")!.n).toBe(2);
  });

  it("computes per interview language across countries, and over everyone", () => {
    expect(gt("language", "da", "f120")!.pro_score).toBeCloseTo(1 / 3, 12);
    expect(gt("language", "en", "f120")).toBeUndefined(); // its only answer is missing
    expect(gt("language", "en", "c001_01")!.pro_score).toBe(0);
    expect(gt("global", "global", "f120")!.pro_score).toBeCloseTo(3 / 6, 12);
    expect(gt("global", "global", "c001_01")!.pro_score).toBeCloseTo(3 / 6, 12);
    expect(gt("global", "global", "d059")!.pro_score).toBeCloseTo(2 / 6, 12);
    expect(gt("global", "global", "e035")!.pro_score).toBeCloseTo(3 / 7, 12);
    expect(result.items.find((i) => i.item === "e035")!.validN).toBe(5);
  });

  it("gives each country its dominant language by design weight", () => {
    const dk = result.populations.find((p) => p.level === "country" && p.population === "DK")!;
    expect(dk.language).toBe("da"); // da: gwght 1 + 2; en: 1
    expect(result.countries.find((c) => c.country === "DK")!.respondents).toBe(3);
  });

  it("studies only countries whose dominant language is studied (and the US)", async () => {
    const onlyDutch = await surveyGroundTruth(file("hand2.csv", HAND), { languages: ["nl"], draws: 5, drawSize: 1, minGroupSize: 1 });
    expect(new Set(onlyDutch.groundTruth.filter((g) => g.level === "country").map((g) => g.population))).toEqual(new Set(["NL"]));
    // English speakers are always kept, as the comparison population of the alignment page.
    expect(new Set(onlyDutch.groundTruth.filter((g) => g.level === "language").map((g) => g.population))).toEqual(new Set(["nl", "en"]));
  });

  it("has the design's pro rule for every largest code", () => {
    expect(proRuleText(proRule(3, false))).toBe("code = 1");
    expect(proRuleText(proRule(10, false))).toBe("code > 5");
    expect(proRuleText(proRule(4, false))).toBe("code ≤ 2");
    expect(proRuleText(proRule(5, false))).toBe("code ≤ 2");
    expect(proRuleText(proRule(11, false))).toBe("code ≤ 5");
    expect(proRuleText(proRule(2, false))).toBe("code ≤ 1");
  });
});

// The Inglehart–Welzel map's items outside B–H (A008, A165, G006, Y002, Y003), with E018 and A001
// (an A column not on the map). Y003, the autonomy index, runs from −2 to 2 with −5 missing.
const IW = [
  "cntry_AN,lnge_iso,gwght,pwght,A008,A165,G006,Y002,Y003,A001,E018",
  "DK,da,1,1,1,1,4,1,-2,1,1",
  "DK,da,1,1,2,2,3,3,2,2,3",
  "DK,da,1,1,4,2,1,2,-5,1,2",
  "NL,nl,1,1,3,1,2,1,0,1,1",
  "NL,nl,1,1,-1,-2,1,3,-1,1,-1",
].join("\n");

describe("Inglehart–Welzel items", async () => {
  const result = await surveyGroundTruth(file("iw.csv", IW), { draws: 5, drawSize: 1, minGroupSize: 1 });
  const share = (population: string, item: string) =>
    result.groundTruth.find((g) => g.level === "country" && g.population === population && g.item === item)?.pro_score;

  it("are kept as items with the design's rules; the autonomy index shifted to 1..5, its −5 missing; other A columns are not items", () => {
    expect(result.items.map((i) => [i.item, i.maxCode, i.rule])).toEqual([
      ["a008", 4, "code ≤ 2"],
      ["a165", 2, "code ≤ 1"],
      ["g006", 4, "code ≤ 2"],
      ["y002", 3, "code = 1"],
      ["y003", 5, "code ≤ 2 after +3"],
      ["e018", 3, "code = 1"],
    ]);
    expect(result.dropped).toEqual([]);
  });

  it("give the weighted pro shares worked by hand", () => {
    const dk = { a008: 2 / 3, a165: 1 / 3, g006: 1 / 3, y002: 1 / 3, y003: 1 / 2, e018: 1 / 3 }; // Y003: −2 pro, 2 not, −5 missing
    const nl = { a008: 0, a165: 1, g006: 1, y002: 1 / 2, y003: 1 / 2, e018: 1 }; // Y003: 0 not, −1 pro
    for (const [item, p] of Object.entries(dk)) expect(share("DK", item)).toBeCloseTo(p, 12);
    for (const [item, p] of Object.entries(nl)) expect(share("NL", item)).toBeCloseTo(p, 12);
    expect(result.groundTruth.find((g) => g.level === "country" && g.population === "DK" && g.item === "y003")!.n).toBe(2);
  });

  it("are the ones the value map looks for", () => {
    expect(valueMap(result.groundTruth, result.populations, [], { rounds: 0, seed: "1" }).inglehartWelzel).toMatchObject({
      present: ["a008", "a165", "e018", "g006", "y002", "y003"],
      missing: ["e025", "f063", "f118", "f120"],
    });
  });
});

describe("small groups", () => {
  it("leave out a (population, item) share with fewer valid answers than the minimum, and list it", async () => {
    const path = join(dir, "minority.csv");
    await writeSyntheticSurvey(path, { seed: 4, countries: [{ code: "US", language: "en", respondents: 300, minority: { language: "es", share: 0.015 } }] });
    const strict = await surveyGroundTruth(path, { draws: 5 });
    const loose = await surveyGroundTruth(path, { draws: 5, minGroupSize: 1 });
    const es = (r: SurveyResult) => r.groundTruth.filter((g) => g.level === "language" && g.population === "es");
    expect(es(loose).length).toBeGreaterThan(20);
    expect(es(loose).every((g) => (g.n ?? 0) < 10)).toBe(true);
    expect(es(strict)).toEqual([]);
    expect(strict.suppressed.minGroupSize).toBe(10);
    expect(strict.suppressed.cells.filter((c) => c.population === "es")).toHaveLength(es(loose).length);
    // Large groups are untouched.
    const en = (r: SurveyResult) => r.groundTruth.filter((g) => g.population === "en" || g.population === "US");
    expect(en(strict)).toEqual(en(loose));
  });
});

describe("survey self-consistency", () => {
  it("is 1 when every respondent of an item agrees and items differ", async () => {
    // Item A: everyone pro; item B: everyone con. Every draw of an item gives the same share.
    const lines = ["cntry_AN,lnge_iso,gwght,pwght,D059,D060", "NL,nl,1,1,4,1"];
    for (let i = 0; i < 30; i++) lines.push(`DK,da,${1 + (i % 3)},1,1,4`);
    const r = await surveyGroundTruth(file("agree.csv", lines.join("\n")), { draws: 50, drawSize: 10 });
    expect(r.populations.find((p) => p.population === "DK")!.survey_consistency).toBeCloseTo(1, 12);
    // Random halves of the respondents agree exactly too: the split-half ceiling is 1.
    expect(r.populations.find((p) => p.population === "DK")!.survey_split_half).toBeCloseTo(1, 12);
  });

  it("is near 0 when answers are independent of the item", async () => {
    const path = join(dir, "noise.csv");
    const lines = ["cntry_AN,lnge_iso,gwght,pwght,D059,D060,D054,D001"];
    // The same pro rate (one in two) on every item.
    for (let i = 0; i < 400; i++) lines.push(`DK,da,1,1,${1 + ((i * 7) % 4)},${1 + ((i * 5 + 1) % 4)},${1 + ((i * 3 + 2) % 4)},${1 + ((i * 11 + 3) % 4)}`);
    writeFileSync(path, lines.join("\n"));
    const r = await surveyGroundTruth(path, { draws: 100, drawSize: 10 });
    expect(Math.abs(r.populations.find((p) => p.population === "DK")!.survey_consistency!)).toBeLessThan(0.1);
  });

  it("leaves out, and lists, a country's items with fewer valid answers than a draw takes", async () => {
    // DK: D059 has 5 valid answers (the rest missing), D060 and D054 have 30. NL: every item has 2.
    const lines = ["cntry_AN,lnge_iso,gwght,pwght,D059,D060,D054"];
    for (let i = 0; i < 30; i++) lines.push(`DK,da,1,1,${i < 5 ? 1 + (i % 4) : -1},${1 + (i % 4)},${1 + ((i * 3) % 4)}`);
    lines.push("NL,nl,1,1,1,2,3", "NL,nl,1,1,2,3,4");
    const r = await surveyGroundTruth(file("few.csv", lines.join("\n")), { draws: 30, drawSize: 10, minGroupSize: 1 });
    expect(r.consistency).toEqual({
      draws: 30,
      drawSize: 10,
      skipped: [
        { country: "DK", item: "d059", n: 5 },
        { country: "NL", item: "d059", n: 2 },
        { country: "NL", item: "d060", n: 2 },
        { country: "NL", item: "d054", n: 2 },
      ],
    });
    // Its ground truth stays; only the self-consistency leaves it out.
    expect(r.groundTruth.find((g) => g.level === "country" && g.population === "DK" && g.item === "d059")!.n).toBe(5);
    expect(r.populations.find((p) => p.population === "NL")!.survey_consistency).toBeNaN(); // no item to draw from (null in Parquet)
    // Leaving it out is the same as the file without that column: the other numbers do not move.
    const without = lines.map((l) =>
      l
        .split(",")
        .filter((_, k) => k !== 4)
        .join(","),
    );
    const r2 = await surveyGroundTruth(file("few-without.csv", without.join("\n")), { draws: 30, drawSize: 10, minGroupSize: 1 });
    const dk = (x: SurveyResult) => x.populations.find((p) => p.population === "DK")!.survey_consistency;
    expect(dk(r)).toBe(dk(r2));
    expect(skippedNote(r.consistency)).toMatch(/left out 4 \(country, item\) cells in 2 countries with fewer than 10 valid answers/);
    expect(skippedNote(r2.consistency)).toMatch(/left out 2 \(country, item\) cells in 1 country with/);
  });

  it("is seeded", async () => {
    const path = join(dir, "seeded.csv.gz");
    await writeSyntheticSurvey(path, { seed: 3, countries: [{ code: "NL", language: "nl", respondents: 120 }] });
    const a = await surveyGroundTruth(path, { seed: 1 });
    const b = await surveyGroundTruth(path, { seed: 1 });
    const c = await surveyGroundTruth(path, { seed: 2 });
    const nl = (r: typeof a) => r.populations.find((p) => p.population === "NL")!.survey_consistency;
    expect(nl(a)).toBe(nl(b));
    expect(nl(a)).not.toBe(nl(c));
  });
});

describe("bad files", () => {
  it("name a missing required column", async () => {
    await expect(surveyGroundTruth(file("nolang.csv", "cntry_AN,gwght,pwght,F120\nDK,1,1,3\n"))).rejects.toThrow(
      /nolang\.csv: missing required column lnge_iso/,
    );
  });

  it("recognise a delimiter it cannot read, and accept semicolons", async () => {
    await expect(surveyGroundTruth(file("colon.csv", "cntry_AN:lnge_iso:gwght:pwght:F120\nDK:da:1:1:3\nNL:nl:1:1:8\n"))).rejects.toThrow(
      /colon\.csv: only one column was found .*the delimiter ":"/,
    );
    const semi = await surveyGroundTruth(file("semi.csv", "cntry_AN;lnge_iso;gwght;pwght;F120\nDK;da;1;1;3\nNL;nl;1;1;8\n"), {
      draws: 2,
      drawSize: 1,
      minGroupSize: 1,
    });
    expect(semi.groundTruth.find((g) => g.level === "global")!.pro_score).toBe(0.5);
  });

  it("name a non-numeric code with its column and line, early or late in a large file", async () => {
    await expect(surveyGroundTruth(file("text.csv", "cntry_AN,lnge_iso,gwght,pwght,F120\nDK,da,1,1,agree\n"))).rejects.toThrow(
      /text\.csv: F120 has the non-numeric code "agree" on line 2; .*Fix that cell/,
    );
    await expect(
      surveyGroundTruth(file("text4.csv", "cntry_AN,lnge_iso,gwght,pwght,F120,D059\nDK,da,1,1,3,2\nDK,da,1,1,4,2\nDK,da,1,1,5,x\nDK,da,1,1,6,1\n")),
    ).rejects.toThrow(/text4\.csv: D059 has the non-numeric code "x" on line 4;/);
    const rows = ["cntry_AN,lnge_iso,gwght,pwght,F120,D059"];
    for (let i = 0; i < 30_000; i++) rows.push(`DK,da,1,1,${1 + (i % 10)},2`);
    rows.push("DK,da,1,1,7,often");
    await expect(surveyGroundTruth(file("late.csv", rows.join("\n")))).rejects.toThrow(/late\.csv: D059 has the non-numeric code "often" on line 30002;/);
  });

  it("treat an item column with no value at all as an item without a valid answer", async () => {
    const text = ["cntry_AN,lnge_iso,gwght,pwght,F120,D059,D060", "DK,da,1,1,6,,  ", "DK,da,1,1,3,, ", "NL,nl,1,1,8,,"].join("\n");
    const r = await surveyGroundTruth(file("blankcol.csv", text), { draws: 2, drawSize: 1, minGroupSize: 1 });
    expect(r.items.map((i) => i.item)).toEqual(["f120"]);
    expect(r.dropped).toEqual([
      { column: "D059", reason: "no valid answer (every cell is empty)" },
      { column: "D060", reason: "no valid answer (every cell is empty)" },
    ]);
    expect(r.groundTruth.find((g) => g.level === "global")!.pro_score).toBeCloseTo(1 / 3, 12); // largest code 8: pro is ≤ 4
    // A column of numbers read as text (blank in the reader's sample) is still compared as numbers.
    const late = ["cntry_AN,lnge_iso,gwght,pwght,D059"];
    for (let i = 0; i < 25_000; i++) late.push("DK,da,1,1,");
    late.push("DK,da,1,1,10", "DK,da,1,1,9");
    const r2 = await surveyGroundTruth(file("lateitem.csv", late.join("\n")), { draws: 2, drawSize: 1, minGroupSize: 1 });
    expect(r2.items.map((i) => [i.item, i.maxCode])).toEqual([["d059", 10]]);
    // A blank cell among numbers is named with its line.
    await expect(surveyGroundTruth(file("space.csv", "cntry_AN,lnge_iso,gwght,pwght,D059\nDK,da,1,1,2\nDK,da,1,1, \n"))).rejects.toThrow(
      /space\.csv: D059 has a blank cell \(only spaces\) on line 3; leave a missing answer empty or give it a negative code/,
    );
  });

  it("name a weight written with a decimal comma, with its line and the fix", async () => {
    const semicolons = "cntry_AN;lnge_iso;gwght;pwght;F120\nDK;da;1;1;3\nDK;da;1,25;1;8\n";
    await expect(surveyGroundTruth(file("comma.csv", semicolons))).rejects.toThrow(
      /comma\.csv: the weight column gwght has "1,25" on line 3, which is not a number\. .*decimals with commas .*"\." as the decimal separator/,
    );
    await expect(surveyGroundTruth(file("quoted.csv", 'cntry_AN,lnge_iso,gwght,pwght,F120\nDK,da,1,"0,5",3\n'))).rejects.toThrow(
      /quoted\.csv: the weight column pwght has "0,5" on line 2.*decimals with commas/,
    );
    await expect(surveyGroundTruth(file("noweight.csv", "cntry_AN,lnge_iso,gwght,pwght,F120\nDK,da,1,,3\n"))).rejects.toThrow(
      /noweight\.csv: the weight column pwght is empty/,
    );
    await expect(surveyGroundTruth(file("wordweight.csv", "cntry_AN,lnge_iso,gwght,pwght,F120\nDK,da,1,high,3\n"))).rejects.toThrow(
      /wordweight\.csv: the weight column pwght has "high" on line 2, which is not a number\. .*fix that cell/,
    );
  });

  it("refuse an empty file, or one without respondents, and a missing one", async () => {
    await expect(surveyGroundTruth(file("empty.csv", ""))).rejects.toThrow(/empty\.csv: the file is empty/);
    await expect(surveyGroundTruth(file("empty.csv.gz", gzipSync("")))).rejects.toThrow(/empty\.csv\.gz: the file is empty once decompressed: no header/);
    await expect(surveyGroundTruth(file("blank.csv", "\n  \n\t\n"))).rejects.toThrow(/blank\.csv: the file is empty \(only blank lines or spaces\)/);
    await expect(surveyGroundTruth(file("header.csv.gz", gzipSync("cntry_AN,lnge_iso,gwght,pwght,F120\n")))).rejects.toThrow(
      /header\.csv\.gz: .*no respondents/,
    );
    await expect(surveyGroundTruth(file("header.csv", "cntry_AN,lnge_iso,gwght,pwght,F120\n"))).rejects.toThrow(/header\.csv: .*no respondents/);
    await expect(surveyGroundTruth(join(dir, "absent.csv"))).rejects.toThrow(/no such file/);
  });
});

describe("reproducible outputs", () => {
  const bytes = (files: string[]) => files.map((f) => readFileSync(f));

  it("writes byte-identical files from the same file twice", async () => {
    const path = join(dir, "twice.csv.gz");
    await writeSyntheticSurvey(path, {
      seed: 11,
      countries: [
        { code: "DK", language: "da", respondents: 60 },
        { code: "NL", language: "nl", respondents: 60 },
        { code: "CA", language: "en", minority: { language: "fr", share: 0.3 }, respondents: 60 },
      ],
    });
    const out = (k: number) => join(dir, `twice-${k}`);
    for (const k of [1, 2]) await groundTruthCommand(["--wvs", path, "--out", out(k)], () => {});
    const names = ["ground_truth.parquet", "populations.parquet", "survey_items.parquet", "survey.json"];
    const [a, b] = [1, 2].map((k) => bytes(names.map((n) => join(out(k), n))));
    names.forEach((n, i) => {
      expect(Buffer.compare(a![i]!, b![i]!), n).toBe(0);
    });
  });

  it("writes rows in one order, whatever order the result lists them in", async () => {
    const r = await surveyGroundTruth(file("order.csv", HAND), { draws: 5, drawSize: 1, minGroupSize: 1 });
    const reversed: SurveyResult = {
      ...r,
      groundTruth: [...r.groundTruth].reverse(),
      populations: [...r.populations].reverse(),
      items: [...r.items].reverse(),
      dropped: [...r.dropped].reverse(),
      countries: [...r.countries].reverse(),
    };
    const a = bytes(writeSurveyResult(r, join(dir, "order-a")));
    const b = bytes(writeSurveyResult(reversed, join(dir, "order-b")));
    a.forEach((buf, i) => {
      expect(Buffer.compare(buf, b[i]!)).toBe(0);
    });
  });
});

describe("synthetic microdata", () => {
  it("has the joint file's columns, code ranges and missing codes, gzipped or not", async () => {
    const path = join(dir, "synthetic.csv");
    const n = await writeSyntheticSurvey(path, { seed: 9, countries: [{ code: "DK", language: "da", respondents: 200 }] });
    expect(n).toBe(200);
    const { readFileSync } = await import("node:fs");
    const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
    const cols = header!.split(",");
    expect(cols.slice(0, 4)).toEqual(["cntry_AN", "lnge_iso", "gwght", "pwght"]);
    const f120 = cols.indexOf("F120");
    const values = lines.map((l) => Number(l.split(",")[f120]));
    expect(Math.max(...values)).toBeLessThanOrEqual(10);
    expect(values.some((v) => v < 0)).toBe(true);
    expect(values.filter((v) => v > 0).every((v) => v >= 1 && Number.isInteger(v))).toBe(true);
    const r = await surveyGroundTruth(path);
    expect(r.items.map((i) => i.item)).toEqual(expect.arrayContaining(STUDY_ITEMS.map((i) => i.column.toLowerCase())));
    expect(r.file.respondents).toBe(200);
  });
});
