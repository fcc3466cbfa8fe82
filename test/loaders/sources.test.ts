/** Source selection, workspace folders, and keeping cached loader outputs in step with the source. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSource, sourceFingerprint, loadSource } from "../../loaders/sources/index.js";
import type { Fetcher } from "../../loaders/sources/paperRelease.js";
import { readWorkspace, writeWorkspace } from "../../loaders/workspaceFiles.js";
import { readParquet, writeParquet } from "../../loaders/parquet.js";
import { syncLoaderCache } from "../../scripts/loader-cache.js";
import { paperFixture } from "../helpers/paper.js";
import { PAPER_DATA } from "../helpers/paths.js";

describe("source selection", () => {
  it("parses paper, demo, a folder, and nothing (automatic)", () => {
    expect(parseSource(undefined)).toEqual({ kind: "auto" });
    expect(parseSource("")).toEqual({ kind: "auto" });
    expect(parseSource("paper")).toEqual({ kind: "paper" });
    expect(parseSource("demo")).toEqual({ kind: "demo" });
  });

  it("with nothing set, uses the release when it can be reached", async () => {
    const loaded = await loadSource(undefined, { MCA_PAPER_DATA: PAPER_DATA });
    expect(loaded.simulated).toBe(false);
    expect(loaded.workspace.responses).toHaveLength(11152);
  });

  it("with nothing set and no network, falls back to the demo and says so", async () => {
    const offline: Fetcher = async () => {
      throw new Error("getaddrinfo ENOTFOUND raw.githubusercontent.com");
    };
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let loaded: Awaited<ReturnType<typeof loadSource>>;
    try {
      loaded = await loadSource(undefined, { ...process.env, MCA_PAPER_DATA: "", MCA_RELEASE_CACHE: mkdtempSync(join(tmpdir(), "mca-empty-")) }, offline);
    } finally {
      process.stderr.write = write;
    }
    expect(loaded.simulated).toBe(true);
    expect(loaded.fallback).toMatch(/ENOTFOUND/);
    expect(stderr.join("")).toMatch(/SIMULATED DEMO: simulated data, not research results/);
    const prov = new Map(loaded.workspace.provenance.map((p) => [p.key, p.value]));
    expect(prov.get("source")).toBe("demo");
    expect(prov.get("source_label")).toMatch(/not research results/);
  }, 120_000);

  it("an explicit choice that fails is an error, never the demo", async () => {
    const offline: Fetcher = async () => {
      throw new Error("offline");
    };
    await expect(loadSource("paper", { MCA_PAPER_DATA: "", MCA_RELEASE_CACHE: mkdtempSync(join(tmpdir(), "mca-empty-")) }, offline)).rejects.toThrow(
      /Could not download/,
    );
    await expect(loadSource(undefined, { MCA_PAPER_DATA: "/no/such/folder" }, offline)).rejects.toThrow(/does not exist/);
  });

  it("rejects an unknown source with a message that says what to set", () => {
    expect(() => parseSource("papr")).toThrow(/Unknown source "papr".*MCA_SOURCE/s);
  });

  it("loads the paper source from MCA_PAPER_DATA", async () => {
    const loaded = await loadSource("paper", { MCA_PAPER_DATA: PAPER_DATA });
    expect(loaded.workspace.responses).toHaveLength(11152);
    expect(loaded.description).toContain("paper");
  });
});

describe("workspace folders", () => {
  const ws = paperFixture();

  it("round-trips every table through Parquet", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-ws-"));
    writeWorkspace(ws, dir);
    const back = readWorkspace(dir);
    expect(back.responses).toEqual(ws.responses.map((r) => ({ response_id: null, ...r })));
    expect(back.ground_truth).toEqual(ws.ground_truth);
    expect(back.benchmarks).toEqual(ws.benchmarks);
    // Optional columns absent from the input come back as nulls.
    expect(back.populations).toEqual(ws.populations.map((r) => ({ survey_split_half: null, ...r })));
    const loaded = await loadSource(dir, {});
    expect(loaded.spec.kind).toBe("workspace");
    expect(loaded.workspace.items).toEqual(ws.items);
  });

  it("names a missing table file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-ws-"));
    writeWorkspace(ws, dir);
    rmSync(join(dir, "benchmarks.parquet"));
    expect(() => readWorkspace(dir)).toThrow(/missing benchmarks\.parquet/);
  });

  it("names a missing column and the file it is missing from", () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-ws-"));
    writeWorkspace(ws, dir);
    const rows = ws.responses.slice(0, 3).map(({ vps: _vps, ...rest }) => rest);
    writeFileSync(
      join(dir, "responses.parquet"),
      writeParquet(rows, [
        ["model", "string"],
        ["family", "string"],
        ["language", "string"],
        ["item", "string"],
        ["response_language", "string"],
      ]),
    );
    expect(() => readWorkspace(dir)).toThrow(/responses: missing column "vps"/);
  });

  it("rejects a table that is not Parquet, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-ws-"));
    writeWorkspace(ws, dir);
    writeFileSync(join(dir, "items.parquet"), "model,item\n");
    expect(() => readWorkspace(dir)).toThrow(/items\.parquet: not a readable Parquet file/);
  });

  it("keeps nulls and types through Parquet", () => {
    const rows = [
      { a: "x", b: 1.5 },
      { a: null, b: null },
    ];
    expect(
      readParquet(
        writeParquet(rows, [
          ["a", "string"],
          ["b", "float64"],
        ]),
      ),
    ).toEqual(rows);
  });
});

describe("cached loader outputs follow the source", () => {
  it("changes the fingerprint with the source and with the workspace's contents", () => {
    const a = sourceFingerprint({ kind: "paper" }, { MCA_PAPER_DATA: "/one" });
    const b = sourceFingerprint({ kind: "paper" }, { MCA_PAPER_DATA: "/two" });
    const c = sourceFingerprint({ kind: "paper" }, {});
    expect(new Set([a, b, c]).size).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), "mca-ws-"));
    writeWorkspace(paperFixture(), dir);
    const before = sourceFingerprint(parseSource(dir));
    writeWorkspace({ ...paperFixture(), benchmarks: [] }, dir);
    expect(sourceFingerprint(parseSource(dir))).not.toBe(before);
  });

  it("clears the loader outputs, and only them, when the source changes", () => {
    const root = mkdtempSync(join(tmpdir(), "mca-fw-"));
    const data = join(root, "data");
    const npm = join(root, "_npm", "d3@7.9.0");
    mkdirSync(npm, { recursive: true });
    writeFileSync(join(npm, "_esm.js"), "export {}");
    const quiet = () => {};
    expect(syncLoaderCache({ MCA_PAPER_DATA: "/one" }, quiet, data)).toBe(true);
    writeFileSync(join(data, "responses.parquet"), "old source");
    expect(syncLoaderCache({ MCA_PAPER_DATA: "/one" }, quiet, data)).toBe(false);
    expect(existsSync(join(data, "responses.parquet"))).toBe(true);
    expect(syncLoaderCache({ MCA_PAPER_DATA: "/two" }, quiet, data)).toBe(true);
    expect(existsSync(join(data, "responses.parquet"))).toBe(false);
    expect(readFileSync(join(npm, "_esm.js"), "utf8")).toBe("export {}");
  });
});
