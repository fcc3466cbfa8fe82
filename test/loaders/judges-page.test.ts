/**
 * The judges page's data, computed at build time from a workspace folder (agreement
 * counted in SQL, language decisions and the swap analyses from the aggregated views),
 * equals what the page used to compute from the rows in the browser (judgeAgreement,
 * the rows' language decisions, the analyses on withJudge's rows), number for number,
 * after its JSON round trip. On the study's release (one judge, scores only) it says so.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAnalysisWorkspace } from "../../loaders/analysisWorkspace.js";
import { answerOf } from "../../loaders/defaults.js";
import { buildJudgesPage } from "../../loaders/judgesPage.js";
import { loadSource } from "../../loaders/sources/index.js";
import { writeWorkspace } from "../../loaders/workspaceFiles.js";
import { agreementFromPatterns, judgeAgreement, judgesOf, withJudge } from "../../src/lib/judges.js";
import { decodeJudgesPage, languageDecisionRows, type LanguageDecision } from "../../src/lib/judgesPage.js";
import { JUDGE_SWAP_REQUEST, requestKey } from "../../src/lib/pageRequests.js";
import { isBaseline } from "../../src/lib/workspace.js";
import { threeJudges } from "../helpers/judges.js";
import { paperFixture } from "../helpers/paper.js";
import { PAPER_DATA } from "../helpers/paths.js";

const KEY = requestKey(JUDGE_SWAP_REQUEST);
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const sorted = (d: LanguageDecision[]) => [...d].sort((a, b) => `${a.model}\u0000${a.language}`.localeCompare(`${b.model}\u0000${b.language}`));

describe("the judges page's data from a workspace folder with three judges", async () => {
  const ws = threeJudges();
  const dir = mkdtempSync(join(tmpdir(), "mca-judges-page-"));
  writeWorkspace(ws, dir);
  const source = await loadSource(dir, {});
  const built = await buildAnalysisWorkspace(source);
  const page = decodeJudgesPage(JSON.stringify(await buildJudgesPage(source, built)));

  it("has the judges, the primary first, and knows the responses carry labels", () => {
    expect(page.judges).toEqual(judgesOf(ws));
    expect(page.judges).toEqual(["judge-a", "judge-b", "judge-c"]);
    expect(page.labelled).toBe(true);
  });

  it("measures the agreement the rows give, exactly", () => {
    const rows = judgeAgreement(ws);
    expect(rows.units).toBeGreaterThan(10_000);
    expect(rows.byLanguage.length).toBeGreaterThan(1);
    expect(rows.pairs.some((p) => p.languageAgreement < 1)).toBe(true);
    expect(page.agreement).toEqual(rows);
  });

  it("counts the language decisions the rows give", () => {
    const rows = languageDecisionRows(ws.responses);
    expect(rows.some((d) => d.other > 0)).toBe(true);
    expect(sorted(page.decisions)).toEqual(sorted(rows));
  });

  it("gives each judge's swap analyses as the worker gave them on the rows", () => {
    expect(Object.keys(page.primary)).toEqual([KEY]);
    expect(page.primary[KEY]).toEqual(viaJson(answerOf(ws, JUDGE_SWAP_REQUEST)));
    for (const judge of ["judge-b", "judge-c"]) {
      const swapped = withJudge(ws, judge);
      expect(swapped.dropped).toBeGreaterThan(0);
      expect(page.swaps[judge]!.kept).toBe(swapped.kept);
      expect(page.swaps[judge]!.dropped).toBe(swapped.dropped);
      expect(page.swaps[judge]!.built[KEY]).toEqual(viaJson(answerOf(swapped.workspace, JUDGE_SWAP_REQUEST)));
    }
  }, 300_000);

  it("is the same from the rows in memory (the sources read into memory)", async () => {
    const memory = { ...source, spec: { kind: "demo" as const }, workspace: ws };
    const fromRows = decodeJudgesPage(JSON.stringify(await buildJudgesPage(memory, built)));
    expect(fromRows.agreement).toEqual(page.agreement);
    expect(fromRows.labelled).toBe(true);
  });
});

describe("agreement from counted patterns", () => {
  it("names a pattern that does not give one entry per judge", () => {
    expect(() => agreementFromPatterns(["a", "b"], [{ language: "da", ratings: ["pro"], count: 2 }], [])).toThrow(
      /A pattern has 1 entries for 2 judges \(a, b\): give one per judge/,
    );
    expect(() => agreementFromPatterns(["a", "b"], [], [{ language: "da", detected: ["da", "da", null], count: 1 }])).toThrow(
      /A pattern has 3 entries for 2 judges/,
    );
  });
});

describe("the judges page's data on the study's release", async () => {
  const source = await loadSource("paper", { MCA_PAPER_DATA: PAPER_DATA });
  const built = await buildAnalysisWorkspace(source);
  const page = decodeJudgesPage(JSON.stringify(await buildJudgesPage(source, built)));

  it("has one judge, no agreement, no labels and nothing to swap", () => {
    expect(page.judges.length).toBeLessThan(2);
    expect(page.agreement).toBeNull();
    expect(page.labelled).toBe(false);
    expect(page.primary).toEqual({});
    expect(page.swaps).toEqual({});
  });

  it("counts the language decisions of its rows", () => {
    expect(sorted(page.decisions)).toEqual(sorted(languageDecisionRows(paperFixture().responses)));
    expect(page.decisions.reduce((n, d) => n + d.n, 0)).toBe(paperFixture().responses.filter((r) => !isBaseline(r.model)).length);
  });
});
