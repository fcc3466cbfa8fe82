/**
 * `mca run` with persona prompts (loaders/run/personas.ts) against the simulated provider: each
 * prompt is also asked with a congruent and an incongruent country, the answers become the
 * personas table (not responses), the folder's table reads back aggregated, the persona analysis
 * runs on it, and a bad persona config is refused with the fix.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personaPrompts } from "../../loaders/run/personas.js";
import { runPipeline } from "../../loaders/run/pipeline.js";
import { startSimulatedServer, type SimulatedServer } from "../../loaders/simulate/server.js";
import { writeSyntheticSurvey } from "../../loaders/survey/synthetic.js";
import { readAggregatedWorkspace } from "../../loaders/workspaceDb.js";
import { personas } from "../../src/lib/analyses/personas.js";
import { createRng } from "../../src/lib/random.js";
import { simulatedWorld, testRunConfig, testRunOptions } from "../helpers/run.js";

const env = { ...process.env, TEST_LLM_KEY: "sk-test-personas-0123456789" };
const root = mkdtempSync(join(tmpdir(), "mca-personas-"));
const wvs = join(root, "survey.csv.gz");
const PERSONAS = { countries: ["US", "GB", "DK"], sentences: { en: "The respondents are from {country}.", da: "Respondenterne er fra {country}." } };

beforeAll(async () => {
  await writeSyntheticSurvey(wvs, {
    seed: 5,
    countries: [
      { code: "US", language: "en", respondents: 150 },
      { code: "GB", language: "en", respondents: 150 },
      { code: "DK", language: "da", respondents: 150 },
    ],
  });
});

describe("persona prompts", () => {
  const prompt = {
    id: "en-00000",
    language: "en",
    item: "f120",
    template_id: "t01",
    topic_id: "f120#1",
    prompt: "Imagine a survey. Summarise {x} 10 interviews.",
  };
  const populations = [
    { level: "country" as const, population: "US", language: "en" },
    { level: "country" as const, population: "GB", language: "en" },
    { level: "country" as const, population: "DK", language: "da" },
  ];

  it("adds the sentence after the first sentence, once with a congruent and once with an incongruent country", () => {
    const out = personaPrompts([prompt], PERSONAS, populations, createRng("1", "personas"));
    expect(out.map((p) => p.persona!.congruent)).toEqual([true, false]);
    expect(["US", "GB"]).toContain(out[0]!.persona!.country);
    expect(out[1]!.persona!.country).toBe("DK");
    expect(out[1]!.prompt).toBe("Imagine a survey. The respondents are from Denmark. Summarise {x} 10 interviews.");
    expect(out[1]!.id).toBe("en-00000-i");
  });

  it("names a country the ground truth has no language for, and what to use", () => {
    expect(() => personaPrompts([prompt], { ...PERSONAS, countries: ["US", "XX"] }, populations, createRng("1"))).toThrow(
      /personas\.countries: XX has no dominant language in the ground truth; use countries it has \(DK, GB, US\)/,
    );
  });
});

describe("a simulated run with personas", () => {
  let server: SimulatedServer;
  beforeAll(async () => {
    server = await startSimulatedServer({ world: simulatedWorld() });
  });
  afterAll(() => server.close());

  it("writes the persona answers to the personas table, which reads back and analyses", async () => {
    const loaded = testRunConfig(root, "personas", server.url, { wvs, concurrency: 4, languages: ["en", "da"], personas: PERSONAS });
    const result = await runPipeline(loaded, testRunOptions(env));
    const ws = result.workspace!;
    // 6 prompts per language and model without a persona; each asked again with two personas.
    const plain = ws.responses.filter((r) => !r.model.startsWith("Baseline"));
    expect(plain.length).toBeLessThanOrEqual(24);
    const rows = ws.personas!;
    const answers = rows.reduce((n, p) => n + p.count!, 0);
    // Answers judged in another language than the prompt's are left out of the table.
    expect(answers).toBeGreaterThanOrEqual(12);
    expect(answers).toBeLessThanOrEqual(48);
    expect(new Set(rows.map((p) => p.congruent))).toEqual(new Set([true, false]));
    for (const p of rows) expect(p.congruent).toBe((p.country === "DK") === (p.language === "da"));
    const back = await readAggregatedWorkspace(result.outDir);
    expect(back.personas).toEqual(rows);
    const r = personas(back, { replicates: 10, seed: 1 });
    expect(r.models).toEqual(["model-a", "model-b"]);
    expect(r.cells.some((c) => c.country === "DK" && !c.congruent)).toBe(true);
  });

  it("refuses a config without a sentence for a prompt language, saying what to add", () => {
    expect(() =>
      testRunConfig(root, "bad", server.url, { wvs, languages: ["en", "da"], personas: { ...PERSONAS, sentences: { en: "From {country}." } } }),
    ).toThrow(/personas\.sentences\.da: missing: give the sentence for da prompts, with \{country\} once/);
  });
});
