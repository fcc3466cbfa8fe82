/**
 * Survey ground truth (design §2.1) on small files worked out by hand, the survey's
 * self-consistency, clear errors for bad files, and the synthetic generator.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { proRule, surveyGroundTruth } from "../../loaders/survey/groundTruth.js";
import { writeSyntheticSurvey, STUDY_ITEMS } from "../../loaders/survey/synthetic.js";

const dir = mkdtempSync(join(tmpdir(), "mca-survey-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// w = gwght × pwght. Largest codes: F120 10 (pro: > 5), C001_01 3 (pro: = 1), D059 4 (pro: ≤ 2),
// E035 10 inverted (pro: ≤ 5). E225 is excluded, F120EVS5 wave-specific, A008 not an item,
// E999 has a largest code of 20 and B001 no valid answer: all dropped.
const HAND = [
  "cntry_AN,lnge_iso,gwght,pwght,F120,C001_01,D059,E035,E225,F120EVS5,A008,E999,B001",
  "DK,da,1,1,6,1,1,2,3,1,1,20,-1", // w 1
  "DK,da,2,1,5,2,4,9,4,1,1,1,-2", //  w 2
  "DK,en,1,1,-1,3,2,1,1,1,1,1,-1", // w 1
  "NL,nl,1,2,10,1,3,10,2,1,1,1,-5", // w 2
  "NL,nl,0.5,2,1,-2,-4,5,1,1,1,1,-3", // w 1
].join("\n");

describe("ground truth, worked by hand", async () => {
  const result = await surveyGroundTruth(file("hand.csv", HAND), { draws: 20, drawSize: 1 });
  const gt = (level: string, population: string, item: string) =>
    result.groundTruth.find((g) => g.level === level && g.population === population && g.item === item);

  it("keeps the right items with the right rules", () => {
    expect(result.items.map((i) => [i.item, i.maxCode, i.rule])).toEqual([
      ["f120", 10, "code > 5"],
      ["c001_01", 3, "code = 1"],
      ["d059", 4, "code ≤ 2"],
      ["e035", 10, "not (code > 5), inverted"],
    ]);
    expect(result.dropped.map((d) => d.column).sort()).toEqual(["B001", "E225", "E999", "F120EVS5"]);
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
    const onlyDutch = await surveyGroundTruth(file("hand2.csv", HAND), { languages: ["nl"], draws: 5, drawSize: 1 });
    expect(new Set(onlyDutch.groundTruth.filter((g) => g.level === "country").map((g) => g.population))).toEqual(new Set(["NL"]));
    // English speakers are always kept, as the comparison population of the alignment page.
    expect(new Set(onlyDutch.groundTruth.filter((g) => g.level === "language").map((g) => g.population))).toEqual(new Set(["nl", "en"]));
  });

  it("has the design's pro rule for every largest code", () => {
    expect(proRule(3, false).text).toBe("code = 1");
    expect(proRule(10, false).text).toBe("code > 5");
    expect(proRule(4, false).text).toBe("code ≤ 2");
    expect(proRule(5, false).text).toBe("code ≤ 2");
    expect(proRule(11, false).text).toBe("code ≤ 5");
    expect(proRule(2, false).text).toBe("code ≤ 1");
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
    await expect(surveyGroundTruth(file("nolang.csv", "cntry_AN,gwght,pwght,F120\nDK,1,1,3\n"))).rejects.toThrow(/nolang\.csv: missing required column lnge_iso/);
  });

  it("recognise a delimiter it cannot read, and accept semicolons", async () => {
    await expect(surveyGroundTruth(file("colon.csv", "cntry_AN:lnge_iso:gwght:pwght:F120\nDK:da:1:1:3\nNL:nl:1:1:8\n"))).rejects.toThrow(
      /colon\.csv: only one column was found .*the delimiter ":"/,
    );
    const semi = await surveyGroundTruth(file("semi.csv", "cntry_AN;lnge_iso;gwght;pwght;F120\nDK;da;1;1;3\nNL;nl;1;1;8\n"), { draws: 2, drawSize: 1 });
    expect(semi.groundTruth.find((g) => g.level === "global")!.pro_score).toBe(0.5);
  });

  it("name a non-numeric code, early or late in a large file", async () => {
    await expect(surveyGroundTruth(file("text.csv", "cntry_AN,lnge_iso,gwght,pwght,F120\nDK,da,1,1,agree\n"))).rejects.toThrow(/text\.csv: F120 has the non-numeric code "agree"/);
    const rows = ["cntry_AN,lnge_iso,gwght,pwght,F120,D059"];
    for (let i = 0; i < 30_000; i++) rows.push(`DK,da,1,1,${1 + (i % 10)},2`);
    rows.push("DK,da,1,1,7,often");
    await expect(surveyGroundTruth(file("late.csv", rows.join("\n")))).rejects.toThrow(/late\.csv: .*non-numeric code "often"/);
  });

  it("refuse an empty file, or one without respondents, and a missing one", async () => {
    await expect(surveyGroundTruth(file("empty.csv", ""))).rejects.toThrow(/empty\.csv: the file is empty/);
    await expect(surveyGroundTruth(file("header.csv", "cntry_AN,lnge_iso,gwght,pwght,F120\n"))).rejects.toThrow(/header\.csv: .*no respondents/);
    await expect(surveyGroundTruth(join(dir, "absent.csv"))).rejects.toThrow(/no such file/);
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
