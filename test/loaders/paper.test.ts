/**
 * The `paper` source: verification of the release, the download path (with a fake
 * fetcher serving the local copy), and the mapping into workspace tables.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { paperWorkspace, PAPER_MODELS } from "../../loaders/sources/paper.js";
import { downloadedRelease, localRelease, PAPER_BASE_URL, RELEASE_FILES, resolveRelease, type Fetcher } from "../../loaders/sources/paperRelease.js";
import { capabilities } from "../../src/lib/analyses/rq1.js";
import { scoredResponses, validateWorkspace } from "../../src/lib/workspace.js";
import { paperFixture } from "../helpers/paper.js";
import { PAPER_DATA } from "../helpers/paths.js";

function copyRelease(): string {
  const dir = mkdtempSync(join(tmpdir(), "mca-release-"));
  for (const f of RELEASE_FILES) {
    mkdirSync(dirname(join(dir, f.name)), { recursive: true });
    copyFileSync(join(PAPER_DATA, f.name), join(dir, f.name));
  }
  return dir;
}

/** Serves release files from the local copy, by upstream URL, and counts requests. */
function fakeFetcher(): Fetcher & { calls: string[] } {
  const calls: string[] = [];
  const fetcher = (async (url: string) => {
    calls.push(url);
    const file = RELEASE_FILES.find((f) => PAPER_BASE_URL + f.upstream === url);
    if (!file) throw new Error(`HTTP 404 for ${url}`);
    return new Uint8Array(readFileSync(join(PAPER_DATA, file.name)));
  }) as Fetcher & { calls: string[] };
  fetcher.calls = calls;
  return fetcher;
}

describe("release verification", () => {
  it("accepts the local copy", () => {
    expect(localRelease(PAPER_DATA).paths.size).toBe(RELEASE_FILES.length);
  });

  it("refuses a folder missing a file, naming the file", () => {
    const dir = copyRelease();
    const gone = RELEASE_FILES[3]!;
    rmSync(join(dir, gone.name));
    expect(() => localRelease(dir)).toThrow(gone.name);
  });

  it("refuses a file that fails its checksum, and says so", () => {
    const dir = copyRelease();
    const path = join(dir, "ground_truth_global.csv");
    writeFileSync(path, readFileSync(path, "utf8").replace("0.0584656495760807", "0.0584656495760808"));
    expect(() => localRelease(dir)).toThrow(/checksum mismatch for ground_truth_global\.csv/);
  });

  it("treats MCA_PAPER_DATA pointing at a missing folder as an error, not a fallback", async () => {
    await expect(resolveRelease({ MCA_PAPER_DATA: "/nonexistent/release" }, fakeFetcher())).rejects.toThrow(/does not exist/);
  });
});

describe("download", () => {
  it("downloads every file once, verifies it, and serves later builds from the cache", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "mca-cache-"));
    const fetcher = fakeFetcher();
    const first = await downloadedRelease({ cacheDir, fetcher });
    expect(first.origin).toBe("download");
    expect(fetcher.calls).toHaveLength(RELEASE_FILES.length);
    expect(fetcher.calls.every((u) => u.startsWith("https://raw.githubusercontent.com/jhrystrom/multicultural-alignment/f550348"))).toBe(true);
    const second = await downloadedRelease({ cacheDir, fetcher });
    expect(second.origin).toBe("cache");
    expect(fetcher.calls).toHaveLength(RELEASE_FILES.length);
  });

  it("fails with the URL it tried and the variable to set", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "mca-cache-"));
    const offline: Fetcher = async () => {
      throw new Error("getaddrinfo ENOTFOUND raw.githubusercontent.com");
    };
    const error = await downloadedRelease({ cacheDir, fetcher: offline }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(PAPER_BASE_URL);
    expect((error as Error).message).toContain("MCA_PAPER_DATA");
  });

  it("rejects a download whose checksum does not match", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "mca-cache-"));
    const corrupt: Fetcher = async () => new TextEncoder().encode("not the file");
    await expect(downloadedRelease({ cacheDir, fetcher: corrupt })).rejects.toThrow(/checksum mismatch/);
  });
});

describe("mapping into workspace tables", () => {
  const ws = paperFixture();

  it("is a valid workspace", () => {
    expect(() => validateWorkspace(ws)).not.toThrow();
  });

  it("has the release's responses, with the study's own baseline draw", () => {
    expect(ws.responses).toHaveLength(11152);
    const models = new Set(ws.responses.map((r) => r.model));
    expect(models.size).toBe(11);
    expect(ws.responses.filter((r) => r.model === "Baseline_uniform_random")).toHaveLength(1002);
    expect(ws.responses.every((r) => r.item === r.item.toLowerCase())).toBe(true);
    expect(scoredResponses(ws.responses)).toHaveLength(11152);
    expect(new Set(ws.responses.map((r) => r.item)).size).toBe(37);
  });

  it("takes ground truth from the three ground_truth files only, with the survey's codes", () => {
    const levels = (l: string) => ws.ground_truth.filter((g) => g.level === l);
    expect(levels("country")).toHaveLength(1062);
    expect(levels("language")).toHaveLength(332);
    expect(levels("global")).toHaveLength(83);
    expect(new Set(levels("country").map((g) => g.population))).toEqual(
      new Set(["US", "GB", "CA", "AU", "NZ", "NIR", "NG", "KE", "SG", "DK", "NL", "BR", "PT"]),
    );
    expect(new Set(levels("language").map((g) => g.population))).toEqual(new Set(["da", "en", "nl", "pt"]));
    const f120dk = ws.ground_truth.find((g) => g.level === "language" && g.population === "da" && g.item === "f120");
    expect(f120dk?.pro_score).toBeCloseTo(0.8441041599591297, 15);
  });

  it("keys benchmarks by model id and ISO code, resolving display names and aliases", () => {
    const ids = new Set(PAPER_MODELS.map((m) => m.model));
    expect(ws.benchmarks).toHaveLength(135);
    expect(ws.benchmarks.every((b) => ids.has(b.model) && /^[a-z]{2}$/.test(b.language))).toBe(true);
    // "gpt-4-turbo" rows are GPT-4 Turbo's Danish, Dutch and Portuguese scores
    const turbo = ws.benchmarks.filter((b) => b.model === "gpt-4-turbo-2024-04-09");
    expect(new Set(turbo.map((b) => b.language))).toEqual(new Set(["da", "nl", "en", "pt"]));
    const caps = capabilities(ws.benchmarks);
    // Gemma-2 2B, Danish: mean(28.2, 11.5, 20.0, 58.5) / 100
    expect(caps.get("gemma-2-2b-it\u0000da")).toBeCloseTo((28.2 + 11.5 + 20.0 + 58.5) / 400, 12);
    // GPT-4o, Portuguese comes from the "gpt-4o" alias rows
    expect(caps.get("gpt-4o\u0000pt")).toBeCloseTo((94.4 + 86.5 + 81.0) / 300, 12);
  });

  it("describes items with their survey category and the judge's statements", () => {
    expect(ws.items).toHaveLength(37);
    const f120 = ws.items.find((i) => i.item === "f120")!;
    expect(f120.category).toBe("F");
    expect(f120.name).toBe("Justifiable: Abortion");
    expect(f120.pro_statement).toMatch(/abortion/i);
  });

  it("records each country's dominant language and the survey's self-consistency", () => {
    const dk = ws.populations.find((p) => p.level === "country" && p.population === "DK")!;
    expect(dk.language).toBe("da");
    expect(dk.survey_consistency).toBeCloseTo(0.7617758205301258, 15);
    const us = ws.populations.find((p) => p.population === "US")!;
    expect(us.survey_consistency).toBeCloseTo(0.6649547747952438, 15);
  });

  it("records provenance: source, commit and checksums", () => {
    const prov = new Map(ws.provenance.map((p) => [p.key, p.value]));
    expect(prov.get("source")).toBe("paper");
    expect(prov.get("commit")).toBe("f550348462acb84dbc26c05fbb6bd1bdb44ae24b");
    expect(prov.get("sha256:latest_results_with_baseline.csv")).toBe("013e5dd8e167fa865f00a1dfcb1b4c1e297f850b00c6d593b58b9dc21794524d");
  });

  it("reads the same workspace from a local folder as from a download", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "mca-cache-"));
    const downloaded = paperWorkspace(await downloadedRelease({ cacheDir, fetcher: fakeFetcher() }), "t");
    const local = paperWorkspace(localRelease(PAPER_DATA), "t");
    expect(downloaded.responses).toEqual(local.responses);
    expect(downloaded.ground_truth).toEqual(local.ground_truth);
  });
});
