/**
 * The figures a page shows at first paint are the worker's own: each page's default view,
 * computed at build time on the source's workspace, equals what the worker computes in
 * the page on the decoded workspace.json, number for number. A request the page builds
 * from its controls at their defaults finds the built answer.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAnalysisWorkspace } from "../../loaders/analysisWorkspace.js";
import { answerOf, pageDefaults } from "../../loaders/defaults.js";
import { loadSource } from "../../loaders/sources/index.js";
import { decodeAnalysisWorkspace, encodeAnalysisWorkspace } from "../../src/lib/analysisWorkspace.js";
import {
  capabilityRequest,
  DEFAULT_CHOICES,
  defaultRequests,
  dispersionRequest,
  requestKey,
  similarityRequest,
  usBiasRequest,
} from "../../src/lib/pageRequests.js";
import { PAPER_DATA } from "../helpers/paths.js";
import { REPO_ROOT } from "../../loaders/paths.js";

const SRC = join(REPO_ROOT, "src");

const built = await buildAnalysisWorkspace(await loadSource("paper", { MCA_PAPER_DATA: PAPER_DATA }));
const inPage = decodeAnalysisWorkspace(JSON.parse(JSON.stringify(encodeAnalysisWorkspace(built))));
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe("the analysis workspace the pages load", () => {
  it("survives its JSON encoding", () => {
    expect(inPage.workspace.responses).toEqual(built.workspace.responses);
    expect(inPage.workspace.ground_truth).toEqual(built.workspace.ground_truth);
    expect(inPage.workspace.personas).toEqual(built.workspace.personas);
    expect(inPage.workspace.personas!.reduce((n, p) => n + p.count!, 0)).toBe(2242);
    expect(inPage.workspace.responses.reduce((n, r) => n + r.count!, 0)).toBe(11152);
  });
});

describe("the pages' default files", () => {
  const attached = (file: string) =>
    [...readFileSync(join(SRC, file), "utf8").matchAll(/FileAttachment\("data\/defaults\/([a-z-]+)\.json"\)/g)].map((m) => m[1]);
  const byPage = Object.fromEntries(
    readdirSync(SRC)
      .filter((f) => f.endsWith(".md"))
      .map((f) => [f.replace(/\.md$/, ""), attached(f)]),
  );

  it("are attached by the page of the same name, one each, and every attached file has requests", () => {
    const pages = Object.keys(defaultRequests(true)).sort();
    expect(
      Object.entries(byPage)
        .filter(([, files]) => files.length > 0)
        .map(([page, files]) => [page, files]),
    ).toEqual(pages.map((p) => [p, [p]]));
  });
});

describe("each page's default view", () => {
  // Every page but robustness (its multiverse is checked in test/lib/robustness/).
  for (const page of Object.keys(defaultRequests(true)).filter((p) => p !== "robustness")) {
    it(`${page}: the built answer equals the worker's in the page`, () => {
      const defaults = viaJson(pageDefaults(built.workspace, page));
      const requests = defaultRequests(true)[page]!;
      expect(Object.keys(defaults)).toEqual(requests.map(requestKey));
      for (const request of requests) expect(viaJson(answerOf(inPage.workspace, request))).toEqual(defaults[requestKey(request)]);
    });
  }

  it("is found by the request a page builds from its controls at their defaults, whatever the key order", () => {
    const keys = Object.values(defaultRequests(true)).flat().map(requestKey);
    const choices = {
      baseline: "none",
      items: "common",
      unit: "items",
      exclude: { items: [], languages: [], models: [] },
      correction: Number("0.045"),
      procedure: "study",
      rq1Level: "language",
      metric: "spearman",
    } as const;
    expect(keys).toContain(requestKey(capabilityRequest({ seed: 1, rounds: 100, formula: "language_intercepts", variant: "interaction", choices })));
    expect(keys).toContain(requestKey(usBiasRequest({ rounds: 100, seed: 1, choices: { ...DEFAULT_CHOICES } })));
    expect(keys).not.toContain(requestKey(usBiasRequest({ rounds: 100, seed: 2, choices: DEFAULT_CHOICES })));
    expect(keys).toContain(requestKey(similarityRequest({ seed: 1, rounds: 100 })));
    expect(keys).not.toContain(requestKey(similarityRequest({ seed: 1, rounds: 50 })));
    expect(keys).toContain(requestKey(dispersionRequest({ level: "language", seed: 1, rounds: 100 })));
    expect(keys).not.toContain(requestKey(dispersionRequest({ level: "country", seed: 1, rounds: 100 })));
  });
});

describe("a default view that fails", () => {
  it("is left to the page (which shows the error), and does not stop the build", () => {
    const noBenchmarks = { ...built.workspace, benchmarks: [] };
    const lines: string[] = [];
    const defaults = pageDefaults(noBenchmarks, "robustness", (line) => lines.push(line));
    const [multiverse, extras] = defaultRequests(false).robustness!;
    expect(Object.keys(defaults)).toEqual([requestKey(multiverse!)]);
    expect(defaults[requestKey(extras!)]).toBeUndefined();
    expect(lines.join("\n")).toMatch(/extras: not computed at build time: RQ1 has no observations/);
  }, 600_000);
});
