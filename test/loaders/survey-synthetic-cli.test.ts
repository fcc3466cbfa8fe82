/**
 * `mca synthetic`: synthetic microdata a user can write from the command line, say are
 * synthetic, and feed to `mca ground-truth`; clear errors for bad options.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseCountries, syntheticCommand, SYNTHETIC_HELP } from "../../loaders/cli/synthetic.js";
import { REPO_ROOT } from "../../loaders/paths.js";
import { surveyGroundTruth } from "../../loaders/survey/groundTruth.js";

const dir = mkdtempSync(join(tmpdir(), "mca-synthetic-"));

async function synthetic(...argv: string[]): Promise<string> {
  let out = "";
  await syntheticCommand(argv, (t) => (out += t));
  return out;
}

describe("mca synthetic", () => {
  it("writes gzipped synthetic microdata that ground truth reads, and says it is synthetic", async () => {
    const path = join(dir, "raw", "synthetic.csv.gz");
    const out = await synthetic("--out", path, "--countries", "DK,FR:fr", "--respondents", "40", "--seed", "3");
    expect(out).toMatch(/SYNTHETIC survey microdata \(seed 3, gzipped\), not real survey answers/);
    expect(out).toMatch(/80 respondents in 2 countries \(DK da, FR fr\)/);
    expect(out).toMatch(/npx mca ground-truth --wvs /);
    const bytes = readFileSync(path);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).toString("utf8").split("\n")[0]).toMatch(/^cntry_AN,lnge_iso,gwght,pwght,/);
    const r = await surveyGroundTruth(path, { draws: 5 });
    expect(r.file.respondents).toBe(80);
    expect(r.countries.map((c) => [c.country, c.language])).toEqual([
      ["DK", "da"],
      ["FR", "fr"],
    ]);
  });

  it("writes plain CSV unless the name ends in .gz, the same file for the same seed", async () => {
    const [a, b, c] = ["a.csv", "b.csv", "c.csv"].map((n) => join(dir, n));
    await synthetic("--out", a!, "--countries", "NL", "--respondents", "30", "--seed", "5");
    await synthetic("--out", b!, "--countries", "NL", "--respondents", "30", "--seed", "5");
    await synthetic("--out", c!, "--countries", "NL", "--respondents", "30", "--seed", "6");
    expect(readFileSync(a!, "utf8").startsWith("cntry_AN,")).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(b!))).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(c!))).toBe(false);
  });

  it("takes extra items and the missing share", async () => {
    const path = join(dir, "extra.csv");
    await synthetic("--out", path, "--countries", "DK", "--respondents", "50", "--extra-items", "3", "--missing", "0");
    const [header, ...rows] = readFileSync(path, "utf8").trim().split("\n");
    expect(header!.split(",").length).toBe(4 + 32 + 9 + 3);
    expect(
      rows.every((row) =>
        row
          .split(",")
          .slice(4)
          .every((v) => Number(v) > 0),
      ),
    ).toBe(true);
  });

  it("refuses bad values with the option, the problem and the fix", async () => {
    const out = join(dir, "bad.csv");
    await expect(synthetic()).rejects.toThrow(/--out FILE is required/);
    await expect(synthetic("--out", out, "--respondents", "0")).rejects.toThrow(/--respondents 0: expected a whole number from 1 to/);
    await expect(synthetic("--out", out, "--respondents", "many")).rejects.toThrow(/--respondents many: expected a whole number/);
    await expect(synthetic("--out", out, "--respondents", "2.5")).rejects.toThrow(/--respondents 2\.5: expected a whole number/);
    await expect(synthetic("--out", out, "--extra-items=-1")).rejects.toThrow(/--extra-items -1: expected a whole number from 0/);
    await expect(synthetic("--out", out, "--missing", "1")).rejects.toThrow(/--missing 1: expected a share from 0 up to \(not including\) 1/);
    await expect(synthetic("--out", out, "--countries", "FR")).rejects.toThrow(/FR is not in the demo set .*give its interview language too, e\.g\. FR:fr/);
    await expect(synthetic("--out", out, "--countries", "FR:xx")).rejects.toThrow(/unknown language "xx" for FR/);
    await expect(synthetic("--out", out, "--countries", "DK,dk")).rejects.toThrow(/DK is listed twice/);
    await expect(synthetic("--out", out, "--countries", "Denmark")).rejects.toThrow(/"Denmark" is not a country/);
    await expect(synthetic("--out", dir)).rejects.toThrow(/is a folder; give a file name/);
    expect(existsSync(out)).toBe(false);
  });

  it("does not overwrite a file unless told to", async () => {
    const path = join(dir, "kept.csv");
    writeFileSync(path, "the real file\n");
    await expect(synthetic("--out", path, "--countries", "DK", "--respondents", "10")).rejects.toThrow(/the file exists; pass --force to overwrite it/);
    expect(readFileSync(path, "utf8")).toBe("the real file\n");
    await synthetic("--out", path, "--countries", "DK", "--respondents", "10", "--force");
    expect(readFileSync(path, "utf8").startsWith("cntry_AN,")).toBe(true);
  });

  it("keeps the demo countries' languages and minorities, with the respondents asked for", () => {
    expect(parseCountries("CA,NIR:en", 20)).toEqual([
      { code: "CA", language: "en", minority: { language: "fr", share: 0.25 }, respondents: 20 },
      { code: "NIR", language: "en", respondents: 20 },
    ]);
  });

  it("is a command of mca, with help", async () => {
    expect(await synthetic("--help")).toBe(SYNTHETIC_HELP);
    expect(SYNTHETIC_HELP).toMatch(/SYNTHETIC survey microdata/);
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, "bin", "mca.js"), "synthetic", "--help"], { cwd: REPO_ROOT });
    expect(stdout).toBe(SYNTHETIC_HELP);
    const top = await run(process.execPath, [join(REPO_ROOT, "bin", "mca.js"), "--help"], { cwd: REPO_ROOT });
    expect(top.stdout).toMatch(/\n {2}synthetic +write synthetic survey microdata/);
  }, 60_000);
});
