/** The run configuration: a valid config passes; every problem is named by its field. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, validateConfig } from "../../loaders/run/config.js";

const VALID = {
  name: "test-run",
  languages: ["da", "en"],
  promptsPerLanguage: 4,
  seed: 1,
  groundTruth: "paper",
  models: [{ id: "m1", family: "f", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "TEST_KEY" }],
  translator: { model: "t", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "TEST_KEY" },
  judge: { model: "j", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "TEST_KEY" },
  budgetUSD: 1,
  prices: { m1: { input: 1, output: 2 }, t: { input: 0, output: 0 }, j: { input: 0.5, output: 1 } },
};

const problems = (data: unknown) => {
  try {
    validateConfig(data, "run.json");
    return "";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("run configuration", () => {
  it("accepts a valid config", () => {
    expect(problems(VALID)).toBe("");
  });

  it("names a missing field, a bad value, an unknown field and a bad URL", () => {
    const { name: _name, ...noName } = VALID;
    expect(problems(noName)).toMatch(/run\.json is not a valid run configuration:[\s\S]*- name: missing \(required\)/);
    expect(problems({ ...VALID, languages: ["Danish"] })).toMatch(/languages\[0\]: must match pattern/);
    expect(problems({ ...VALID, promptsPerLanguage: 0 })).toMatch(/promptsPerLanguage: must be >= 1, got 0/);
    expect(problems({ ...VALID, model: [] })).toMatch(/model: unknown field/);
    expect(problems({ ...VALID, models: [{ ...VALID.models[0], baseURL: "localhost:8000" }] })).toMatch(
      /models\[0\]\.baseURL: must be a URL, got "localhost:8000"/,
    );
    expect(problems({ ...VALID, models: [{ ...VALID.models[0], temperature: 3 }] })).toMatch(/models\[0\]\.temperature: must be <= 2/);
  });

  it("requires ground truth, unique model ids and a price for every model", () => {
    const { groundTruth: _gt, ...noGt } = VALID;
    expect(problems(noGt)).toMatch(/wvs: missing/);
    expect(problems({ ...VALID, models: [VALID.models[0], VALID.models[0]] })).toMatch(/the id "m1" appears twice/);
    expect(problems({ ...VALID, prices: { m1: { input: 1, output: 1 } } })).toMatch(/prices\.j: missing/);
    expect(problems({ ...VALID, wvs: "survey.csv" })).toMatch(/groundTruth: give either wvs .* or groundTruth .*, not both/);
  });

  it("refuses a key pasted where the name of its variable belongs, without repeating it", () => {
    for (const key of ["sk-proj-AbC123secretvalue", "gsk_abcDEF123456789", "hf_AbCdEf123456"]) {
      const message = problems({ ...VALID, judge: { ...VALID.judge, apiKeyEnv: key } });
      expect(message).toMatch(/judge\.apiKeyEnv: must be the NAME of an environment variable/);
      expect(message).not.toContain(key);
    }
    expect(problems({ ...VALID, models: [{ ...VALID.models[0], apiKeyEnv: "OPENAI_API_KEY" }] })).toBe("");
  });

  it("reads a file, names a bad one, and hashes the config", () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-config-"));
    writeFileSync(join(dir, "ok.json"), JSON.stringify(VALID));
    writeFileSync(join(dir, "bad.json"), "{ name: 1 ");
    const loaded = loadConfig(join(dir, "ok.json"));
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.baseDir).toBe(dir);
    expect(() => loadConfig(join(dir, "bad.json"))).toThrow(/bad\.json: not valid JSON/);
    expect(() => loadConfig(join(dir, "none.json"))).toThrow(/no such config file/);
  });
});

describe("committed configuration files", () => {
  it("the example configs are valid, and the JSON Schema file matches the one the code enforces", async () => {
    const { readFileSync, readdirSync } = await import("node:fs");
    const { REPO_ROOT } = await import("../../loaders/paths.js");
    const { RUN_CONFIG_SCHEMA } = await import("../../loaders/run/config.js");
    const dir = join(REPO_ROOT, "data", "examples");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(problems(JSON.parse(readFileSync(join(dir, f), "utf8"))), f).toBe("");
    expect(JSON.parse(readFileSync(join(REPO_ROOT, "data", "run-config.schema.json"), "utf8"))).toEqual(RUN_CONFIG_SCHEMA);
  });
});
