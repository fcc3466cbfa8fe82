/**
 * `mca ground-truth` on bad input (security/robustness issue, items 5 and 7): weights that are
 * not finite, negative, empty, absurdly large, all zero or dominated by one respondent are
 * refused with the file, the line, the value and the fix; ragged, truncated, damaged, Latin-1
 * and UTF-16 files get a message that says so; a NUL byte in a country code never reaches SQL;
 * no cell is published twice; and a failure never leaves half an output behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { groundTruthCommand } from "../../loaders/cli/groundTruth.js";
import { surveyGroundTruth, type SurveyResult } from "../../loaders/survey/groundTruth.js";
import { writeSurveyResult } from "../../loaders/survey/write.js";

const dir = mkdtempSync(join(tmpdir(), "mca-survey-bad-"));
function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEADER = "cntry_AN,lnge_iso,gwght,pwght,F120,D059";
/** 30 respondents (DK on lines 2..16, NL on lines 17..31), weight 1, with `gwght` of line `line` replaced. */
function survey(gwght = "1", line = 5, rows = 30): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(`${i < rows / 2 ? "DK,da" : "NL,nl"},${i + 2 === line ? gwght : "1"},1,${1 + (i % 10)},${1 + (i % 4)}`);
  return `${lines.join("\n")}\n`;
}
const OPTIONS = { draws: 2, drawSize: 1, minGroupSize: 1 };
const run = (name: string, text: string | Uint8Array) => surveyGroundTruth(file(name, text), OPTIONS);

describe("bad weights", () => {
  it("refuse a NaN weight with its line, instead of dropping every cell of that respondent", async () => {
    await expect(run("nanw.csv", survey("NaN"))).rejects.toThrow(
      /nanw\.csv: the weight column gwght has NaN on line 5, which is not a finite number\. .*fix that cell/,
    );
  });

  it("refuse an infinite weight with its line", async () => {
    await expect(run("infw.csv", survey("inf"))).rejects.toThrow(
      /infw\.csv: the weight column gwght has (inf|Infinity) on line 5, which is not a finite number/,
    );
    await expect(run("ninfw.csv", survey("-Infinity", 9))).rejects.toThrow(
      /ninfw\.csv: the weight column gwght has -(inf|Infinity) on line 9, which is not a finite number/,
    );
  });

  it("refuse a weight above the largest accepted (1,000,000), with its line", async () => {
    await expect(run("bigw.csv", survey("1e308"))).rejects.toThrow(
      /bigw\.csv: the weight column gwght has 1e\+308 on line 5, above the largest weight accepted \(1,000,000\)/,
    );
    await expect(run("bigp.csv", survey().replace("\nNL,nl,1,1,", "\nNL,nl,1,2000000,"))).rejects.toThrow(
      /bigp\.csv: the weight column pwght has 2000000 on line 17, above the largest/,
    );
  });

  it("refuse a negative weight and an empty weight cell, with the line", async () => {
    await expect(run("negw.csv", survey("-1", 7))).rejects.toThrow(
      /negw\.csv: the weight column gwght has -1 on line 7; weights cannot be negative\. .*fix that cell/,
    );
    await expect(run("emptyw.csv", survey("", 6))).rejects.toThrow(/emptyw\.csv: the weight column gwght is empty on line 6; every respondent needs a weight/);
  });

  it("count lines as the file has them: blank lines and quoted line breaks included", async () => {
    const text = [
      '"cntry_AN","lnge_iso","gwght","pwght","F120","X001"',
      'DK,da,1,1,3,"two',
      'lines"',
      "",
      "DK,da,1,1,4,plain",
      "",
      "DK,da,-2,1,5,plain",
      "DK,da,1,1,6,plain",
    ].join("\n");
    // Line 1 the header, 2–3 one respondent, 4 blank, 5 one respondent, 6 blank, 7 the weight −2.
    await expect(run("blanklines.csv", text)).rejects.toThrow(/blanklines\.csv: the weight column gwght has -2 on line 7;/);
  });

  it("refuse a file whose weights are all zero, and a country whose weights are all zero", async () => {
    await expect(run("zerow.csv", survey().replace(/,1,1,(\d+),(\d+)\n/g, ",0,1,$1,$2\n"))).rejects.toThrow(
      /zerow\.csv: every respondent's weight \(gwght × pwght\) is 0/,
    );
    const nl = survey().replace(/NL,nl,1,1,/g, "NL,nl,1,0,");
    await expect(run("zeronl.csv", nl)).rejects.toThrow(
      /zeronl\.csv: every respondent of NL has weight 0 \(gwght × pwght; the first on line 17\).*Fix the weights, or remove NL's rows/,
    );
    // Some zero weights are fine: those respondents simply count for nothing.
    const some = await run("somezero.csv", survey("0", 4));
    expect(some.groundTruth.find((g) => g.level === "country" && g.population === "DK")!.n).toBe(14);
  });

  it("refuse one respondent carrying more than half of a country's weight", async () => {
    // 30 respondents in DK: 29 of weight 1, one of 1000.
    await expect(run("dominant.csv", survey("1000", 5, 60))).rejects.toThrow(
      /dominant\.csv: the respondent on line 5 carries 97\.2% of DK's weight \(gwght × pwght = 1000\); one respondent may carry at most 50% of a country of 20 or more respondents\. Check that weight/,
    );
    // In a tiny country no such rule applies: two respondents can carry any share.
    const tiny = await run("tiny.csv", `${HEADER}\nDK,da,9,1,3,2\nDK,da,1,1,8,1\n`);
    expect(tiny.file.respondents).toBe(2);
  });
});

describe("bad codes and duplicates", () => {
  it("keep a NUL byte in a country code out of SQL, and name its line", async () => {
    const text = survey().replace("\nDK,da,1,1,2,2\n", "\nD\u0000K,da,1,1,2,2\n");
    const error = await run("nul.csv", text).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/nul\.csv: cntry_AN has a control character \(U\+0000\) on line 3: "D\\u0000K"\. .*damaged/);
    expect((error as Error).message).not.toMatch(/SELECT|Parser Error|LINE 1/);
    // Header names become (quoted) SQL identifiers: one with a NUL byte is refused before any SQL.
    const header = (await run("nulheader.csv", survey().replace("D059", "D0\u000059")).catch((e: Error) => e)) as Error;
    expect(header.message).toMatch(/nulheader\.csv: the header \(line 1\) has a control character \(U\+0000\); .*export it again/);
  });

  it("pass a quote in a country code as a value, not as SQL", async () => {
    const r = await run("quote.csv", survey().replace(/NL,nl/g, "N'L,nl"));
    expect(r.countries.map((c) => c.country)).toEqual(["DK", "N'L"]);
    expect(r.populations.find((p) => p.population === "N'L")!.survey_consistency).not.toBeNull();
  });

  it("refuse an empty country code with its line", async () => {
    await expect(run("nocountry.csv", survey().replace("\nDK,da,1,1,4,4\n", "\n,da,1,1,4,4\n"))).rejects.toThrow(
      /nocountry\.csv: cntry_AN is empty on line 5; every respondent needs a country code/,
    );
  });

  it("refuse a column named twice, or two columns giving the same item", async () => {
    await expect(run("dupcol.csv", survey().replace(HEADER, `${HEADER.replace("D059", "F120")}`))).rejects.toThrow(
      /dupcol\.csv: the header \(line 1\) names the column F120 twice \(columns 5 and 6\); rename or remove one/,
    );
    // DuckDB takes names that differ only in case for one, and would rename the second into a phantom item.
    await expect(run("dupitem.csv", survey().replace(HEADER, `${HEADER.replace("D059", "f120")}`))).rejects.toThrow(
      /dupitem\.csv: the header \(line 1\) names the columns F120 and f120, which differ only in case .*\(columns 5 and 6\); rename or remove one/,
    );
  });

  it("never publish a (level, population, item) cell twice, nor a share that is not a number", async () => {
    const r = await run("cells.csv", survey());
    const out = join(dir, "cells-out");
    const twice: SurveyResult = { ...r, groundTruth: [...r.groundTruth, r.groundTruth[0]!] };
    expect(() => writeSurveyResult(twice, out)).toThrow(/ground truth lists the cell \(country, DK, f120\) twice/);
    const bad: SurveyResult = { ...r, groundTruth: r.groundTruth.map((g, i) => (i === 1 ? { ...g, pro_score: NaN } : g)) };
    expect(() => writeSurveyResult(bad, out)).toThrow(/ground truth cell \(country, DK, d059\) has the share NaN/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("damaged files", () => {
  it("name a ragged row with its line and field counts", async () => {
    const text = `${HEADER}\nDK,da,1,1,3,2\nDK,da,1,1,3\nDK,da,1,1,3,2\n`;
    const error = (await run("ragged.csv", text).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/ragged\.csv: line 3 has 5 fields where the header \(line 1\) has 6\. .*export the file again/);
    expect(error.message).not.toMatch(/delimiter|no respondents/);
  });

  it("say a file is cut short, small or large", async () => {
    const small = (await run("cut.csv", `${HEADER}\nDK,da,1,1,3,2\nDK,da,1,1,3,2\nDK,d`).catch((e: Error) => e)) as Error;
    expect(small.message).toMatch(/cut\.csv: line 4 has 2 fields where the header \(line 1\) has 6\. The file may be cut short/);
    expect(small.message).not.toMatch(/delimiter/);
    const big = survey("1", 5, 120_000);
    await expect(run("cutbig.csv", `${big}DK,da,1`)).rejects.toThrow(
      /cutbig\.csv: line 120002 has 3 fields where the header \(line 1\) has 6\. The file may be cut short/,
    );
  });

  it("say a .gz file is damaged or cut short, wherever it stops", async () => {
    const gz = gzipSync(survey());
    await expect(run("cut.csv.gz", gz.subarray(0, 60))).rejects.toThrow(
      /cut\.csv\.gz: the gzip file is damaged or cut short \(unexpected end of file\)\. Download or compress it again/,
    );
    const big = gzipSync(survey("1", 5, 60_000));
    await expect(run("half.csv.gz", big.subarray(0, Math.floor(big.length / 2)))).rejects.toThrow(/half\.csv\.gz: the gzip file is damaged or cut short/);
    await expect(run("tail.csv.gz", big.subarray(0, big.length - 4))).rejects.toThrow(/tail\.csv\.gz: the gzip file is damaged or cut short/);
  });

  it("ask for UTF-8 when a file is Latin-1, naming the line, early or late", async () => {
    const latin1 = Buffer.from(`${HEADER}\nDK,da,1,1,3,2\nFR,fr,1,1,3,2\nDK,dé,1,1,2,2\n`, "latin1");
    await expect(run("latin1.csv", latin1)).rejects.toThrow(
      /latin1\.csv: line 4 is not UTF-8 text \(byte 0xE9, "é" in Latin-1\)\. Convert the file to UTF-8, e\.g\. iconv -f latin1 -t utf-8 latin1\.csv > latin1-utf8\.csv/,
    );
    const late = Buffer.concat([Buffer.from(survey("1", 5, 120_000)), Buffer.from("DK,dé,1,1,2,2\n", "latin1")]);
    await expect(run("latin1late.csv", late)).rejects.toThrow(/latin1late\.csv: line 120002 is not UTF-8 text.*iconv -f latin1 -t utf-8/);
  });

  it("ask for UTF-8 when a file is UTF-16, with or without a byte-order mark", async () => {
    const le = Buffer.from(survey(), "utf16le");
    const be = Buffer.from(survey(), "utf16le").swap16();
    for (const [name, bytes] of [
      ["utf16le.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ["utf16be.csv", Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ["utf16nobom.csv", le],
    ] as const) {
      const from = name === "utf16nobom.csv" ? "utf-16le" : "utf-16"; // without a mark, iconv must be told the byte order
      await expect(run(name, bytes)).rejects.toThrow(
        new RegExp(
          `${name.replace(".", "\\.")}: the file is UTF-16 text, not UTF-8\\. Convert it, e\\.g\\. iconv -f ${from} -t utf-8 ${name.replace(".", "\\.")} > `,
        ),
      );
    }
    await expect(run("utf16.csv.gz", gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), le])))).rejects.toThrow(/utf16\.csv\.gz: the file is UTF-16 text/);
  });
});

describe("outputs", () => {
  it("refuse to name the output folder after a file called .csv", async () => {
    const sub = join(dir, "dotcsv");
    mkdirSync(sub);
    // Empty on purpose: if the folder check came after reading, this would fail for another reason.
    writeFileSync(join(sub, ".csv"), "");
    await expect(groundTruthCommand(["--wvs", join(sub, ".csv")], () => {})).rejects.toThrow(
      /--wvs .*\.csv: the file's name leaves no name for the output folder; pass --out DIR/,
    );
  });

  it("name an output folder that cannot be made, and leave nothing behind", async () => {
    const path = file("ok.csv", survey());
    const blocker = file("blocker", "a file, not a folder\n");
    await expect(groundTruthCommand(["--wvs", path, "--out", join(blocker, "gt")], () => {})).rejects.toThrow(
      /--out .*blocker\/gt: .*blocker is a file, not a folder; choose another --out/,
    );
  });

  it("replace all four files or none: a failure keeps the previous output", async () => {
    const r = await run("allornone.csv", survey());
    const out = join(dir, "allornone");
    writeSurveyResult(r, out);
    const before = readFileSync(join(out, "ground_truth.parquet"));
    const changed: SurveyResult = { ...r, groundTruth: r.groundTruth.map((g) => ({ ...g, pro_score: 0.5 })) };
    // survey.json can't be replaced (a folder stands in its way): nothing may change.
    const json = join(out, "survey.json");
    writeFileSync(join(dir, "moved.json"), readFileSync(json));
    rmSync(json);
    mkdirSync(join(json, "x"), { recursive: true });
    expect(() => writeSurveyResult(changed, out)).toThrow(/allornone\/survey\.json: could not write .*nothing in .*allornone was changed/);
    expect(readFileSync(join(out, "ground_truth.parquet")).equals(before)).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
