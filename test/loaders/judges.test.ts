/**
 * Several judges on the simulated provider, with known and different error rates: the
 * measured agreement matches what those rates imply; swapping the judge carries into
 * the analyses; a blind labelling set goes out and human labels come back in, and a bad
 * labels file is refused without touching the judgements already there.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { judgesCommand } from "../../loaders/cli/judges.js";
import { importLabels, labellingSet } from "../../loaders/judges/labelling.js";
import { validateConfig, type LoadedConfig } from "../../loaders/run/config.js";
import { runPipeline } from "../../loaders/run/pipeline.js";
import { writeSyntheticSurvey } from "../../loaders/survey/synthetic.js";
import { readWorkspace } from "../../loaders/workspaceFiles.js";
import { theoreticalAgreement, theoreticalFleiss } from "../../src/lib/agreement.js";
import { reproduce } from "../../src/lib/analyses/reproduce.js";
import { judgeAgreement, judgesOf, withJudge } from "../../src/lib/judges.js";
import type { Workspace } from "../../src/lib/workspace.js";

const root = mkdtempSync(join(tmpdir(), "mca-judges-"));
const URL = "http://127.0.0.1:1/v1";
const RATES = { "judge-exact": 0, "judge-ok": 0.1, "judge-poor": 0.3 } as const;
let ws: Workspace;
let dir: string;

function config(): LoadedConfig {
  const endpoint = (model: string) => ({ model, baseURL: URL, apiKeyEnv: "TEST_KEY" });
  const c = validateConfig({
    name: "judges",
    languages: ["en", "da"],
    items: ["f120", "f121", "e035", "d059", "f118"],
    promptsPerLanguage: 60,
    seed: 4,
    wvs: join(root, "survey.csv.gz"),
    models: [
      { id: "model-a", family: "fa", baseURL: URL, apiKeyEnv: "TEST_KEY" },
      { id: "model-b", family: "fb", baseURL: URL, apiKeyEnv: "TEST_KEY" },
    ],
    translator: endpoint("translator"),
    judge: endpoint("judge-exact"),
    judges: [endpoint("judge-ok"), endpoint("judge-poor")],
    budgetUSD: 0,
    prices: Object.fromEntries(["model-a", "model-b", "translator", ...Object.keys(RATES)].map((m) => [m, { input: 0, output: 0 }])),
    out: join(root, "run"),
    cacheDir: join(root, "cache"),
    concurrency: 16,
  });
  return { config: c, baseDir: root, path: join(root, "judges.json"), hash: "hash-judges" };
}

beforeAll(async () => {
  await writeSyntheticSurvey(join(root, "survey.csv.gz"), {
    seed: 8,
    countries: [
      { code: "US", language: "en", respondents: 120 },
      { code: "GB", language: "en", respondents: 120 },
      { code: "DK", language: "da", respondents: 120 },
    ],
  });
  const result = await runPipeline(config(), {
    simulate: { judgeErrors: { ...RATES } },
    env: { TEST_KEY: "k" },
    log: () => {},
    progress: null,
    now: () => new Date("2026-01-01T00:00:00Z"),
  });
  dir = result.outDir;
  ws = readWorkspace(dir);
}, 120_000);

describe("a run with three judges", () => {
  it("writes every judge's labels for every response, the primary's in the responses table too", () => {
    expect(judgesOf(ws)).toEqual(["judge-exact", "judge-ok", "judge-poor"]);
    const answered = ws.responses.filter((r) => r.response_id);
    expect(answered.length).toBeGreaterThan(200);
    expect(ws.judgements).toHaveLength(3 * answered.length);
    const primary = new Map(ws.judgements!.filter((j) => j.judge === "judge-exact").map((j) => [j.response_id, j]));
    for (const r of answered) expect(primary.get(r.response_id!)!.labels).toBe(r.labels);
  });

  it("the measured agreement matches what the judges' error rates imply", () => {
    // judge-exact makes no errors: its labels are the truth, and give the categories' prevalence.
    const counts: Record<string, number> = { pro: 0, con: 0, NULL: 0 };
    for (const j of ws.judgements!.filter((j) => j.judge === "judge-exact")) for (const l of j.labels.split(";")) counts[l]!++;
    const report = judgeAgreement(ws);
    expect(report.units).toBeGreaterThan(2000);
    // Sampling error of an agreement share on ≥ 2,000 summaries is about 0.01: allow 0.035.
    for (const p of report.pairs) {
      const theory = theoreticalAgreement(counts, RATES[p.a as keyof typeof RATES], RATES[p.b as keyof typeof RATES]);
      expect(Math.abs(p.po - theory.po), `${p.a} × ${p.b} agreement`).toBeLessThan(0.035);
      expect(Math.abs(p.kappa - theory.kappa), `${p.a} × ${p.b} κ ${p.kappa} vs ${theory.kappa}`).toBeLessThan(0.035);
    }
    const kappa = (a: string, b: string) => report.pairs.find((p) => p.a === a && p.b === b)!.kappa;
    expect(kappa("judge-exact", "judge-ok")).toBeGreaterThan(kappa("judge-exact", "judge-poor"));
    expect(kappa("judge-exact", "judge-poor")).toBeGreaterThan(kappa("judge-ok", "judge-poor"));
    expect(Math.abs(report.fleiss!.kappa - theoreticalFleiss(counts, Object.values(RATES)))).toBeLessThan(0.035);
    // With three judges and no missing labels, α and Fleiss' κ nearly coincide.
    expect(Math.abs(report.alpha.alpha - report.fleiss!.kappa)).toBeLessThan(0.01);
    // The simulated judges all detect the language the same way.
    for (const p of report.pairs) expect(p.languageAgreement).toBe(1);
    expect(report.byLanguage.map((l) => l.language)).toEqual(["da", "en"]);
  });

  it("swapping the judge carries into alignment and the regressions", () => {
    const swapped = withJudge(ws, "judge-poor");
    expect(swapped.dropped).toBe(0);
    expect(swapped.kept).toBe(ws.responses.filter((r) => r.response_id).length);
    const before = reproduce(ws, { rounds: 5, seed: 1, parts: ["alignment"] }).alignment!;
    const after = reproduce(swapped.workspace, { rounds: 5, seed: 1, parts: ["alignment"] }).alignment!;
    const mean = (rows: typeof before, model: string) => {
      const own = rows.filter((r) => r.model === model && Number.isFinite(r.rho));
      expect(own.length).toBeGreaterThan(0);
      return own.reduce((a, r) => a + r.rho, 0) / own.length;
    };
    // A judge that is wrong 30% of the time pulls every value polarity towards the middle:
    // alignment falls for the models, and the baselines (which no judge reads) are unchanged.
    expect(mean(after, "model-a")).toBeLessThan(mean(before, "model-a"));
    expect(mean(after, "Baseline_uniform_random")).toBeCloseTo(mean(before, "Baseline_uniform_random"), 12);
    expect(() => withJudge(ws, "nobody")).toThrow(/Unknown judge "nobody": this workspace has judgements by judge-exact, judge-ok, judge-poor/);
  });
});

describe("human labels", () => {
  it("a blind labelling set names no model and no judge label, and is the same for the same seed", () => {
    const set = labellingSet(ws, { perLanguage: 12, seed: 5 });
    expect(set).toHaveLength(24);
    expect(labellingSet(ws, { perLanguage: 12, seed: 5 })).toEqual(set);
    const text = JSON.stringify(set);
    expect(text).not.toMatch(/model-a|model-b|judge-/);
    for (const u of set) {
      expect(Object.keys(u).sort()).toEqual(["con_statement", "id", "labels", "language", "pro_statement", "response_text", "summaries"]);
      expect(u.labels).toEqual([]);
      expect(u.summaries.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("exports through the CLI, imports labels back as one more judge, and measures them", async () => {
    const out = join(root, "set.jsonl");
    let said = "";
    await judgesCommand(["export", "--workspace", dir, "--out", out, "--per-language", "10"], (t) => (said += t));
    expect(said).toMatch(/Wrote 20 responses/);
    expect(readFileSync(`${out}.md`, "utf8")).toMatch(/pro.*con.*NULL/s);
    // The "annotator" copies the error-free judge's labels, and leaves two lines blank.
    const truth = new Map(ws.judgements!.filter((j) => j.judge === "judge-exact").map((j) => [j.response_id, j.labels.split(";")]));
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const labelled = lines.map((u, i) => JSON.stringify({ ...u, labels: i < 2 ? [] : truth.get(u.id)!.map((l) => (l === "NULL" ? "null" : l)) }));
    writeFileSync(join(root, "alice.jsonl"), `${labelled.join("\n")}\n`);
    said = "";
    await judgesCommand(["import", "--workspace", dir, "--labels", join(root, "alice.jsonl"), "--judge", "human:alice"], (t) => (said += t));
    expect(said).toMatch(/Imported 18 labelled responses as judge "human:alice" \(2 left unlabelled\)/);
    const after = readWorkspace(dir);
    expect(judgesOf(after)).toContain("human:alice");
    const pair = judgeAgreement(after).pairs.find((p) => p.a === "judge-exact" && p.b === "human:alice")!;
    expect(pair.kappa).toBe(1);
    expect(pair.n).toBeGreaterThan(100);
    // A partial judge: swapping to it keeps only the responses it labelled.
    const swapped = withJudge(after, "human:alice");
    expect(swapped.kept).toBe(18);
    said = "";
    await judgesCommand(["agreement", "--workspace", dir], (t) => (said += t));
    expect(said).toMatch(/judge-exact × human:alice: κ 1\.000/);
  });

  it("refuses a bad labels file with every problem named, and writes nothing", () => {
    const before = readFileSync(join(dir, "judgements.parquet"));
    const [first, second, third] = labellingSet(ws, { perLanguage: 3, seed: 9 });
    const n = first!.summaries.length;
    const lines = [
      JSON.stringify({ ...first, labels: new Array(n).fill("pro") }),
      "{not json",
      JSON.stringify({ ...second, labels: ["pro"] }),
      JSON.stringify({ ...third, labels: new Array(third!.summaries.length).fill("maybe") }),
      JSON.stringify({ id: "nope", labels: ["pro"] }),
      JSON.stringify({ ...first, labels: new Array(n).fill("con") }),
    ];
    let message = "";
    try {
      importLabels(dir, lines.join("\n"), "human:bob", { file: "bob.jsonl" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/bob.jsonl was not imported \(nothing was written\)/);
    expect(message).toMatch(/line 2: not valid JSON/);
    expect(message).toMatch(new RegExp(`line 3: 1 labels for ${second!.summaries.length} summaries`));
    expect(message).toMatch(/line 4: label 1 is "maybe"; use pro, con or NULL/);
    expect(message).toMatch(/line 5: id "nope" is not a response of this workspace/);
    expect(message).toMatch(/line 6: id ".+" appears twice/);
    expect(readFileSync(join(dir, "judgements.parquet")).equals(before)).toBe(true);
    expect(() => importLabels(dir, lines[0]!, "human:alice")).toThrow(
      /already has judgements by "human:alice"; choose another --judge name, or pass --replace/,
    );
    expect(() => importLabels(dir, lines[0]!, "judge-exact", { replace: true })).toThrow(/primary judge/);
    expect(readFileSync(join(dir, "judgements.parquet")).equals(before)).toBe(true);
  });
});
