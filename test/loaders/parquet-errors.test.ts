/**
 * Reading Parquet: a damaged file is named as damaged, and a file that does not fit in the
 * WebAssembly reader's memory is named as too large, with what to do, never as unreadable.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

const fail = vi.hoisted(() => ({ next: null as Error | null }));
vi.mock("parquet-wasm", async (importOriginal) => {
  const original = await importOriginal<typeof import("parquet-wasm")>();
  return {
    ...original,
    readParquet: (bytes: Uint8Array) => {
      const error = fail.next;
      fail.next = null;
      if (error) throw error;
      return original.readParquet(bytes);
    },
  };
});

const { readParquet, readParquetFile, writeParquet } = await import("../../loaders/parquet.js");
const { readWorkspace } = await import("../../loaders/workspaceFiles.js");
const { TABLES } = await import("../../src/lib/workspace.js");

const dir = mkdtempSync(join(tmpdir(), "mca-parquet-"));

describe("Parquet read errors", () => {
  it("name a damaged file and say how to fix it", () => {
    const path = join(dir, "ground_truth.parquet");
    writeFileSync(path, "not parquet at all");
    expect(() => readParquetFile(path)).toThrow(
      /ground_truth\.parquet: not a readable Parquet file \(damaged, cut short or not Parquet: .*\)\. Write it again/,
    );
    expect(() => readParquet(new Uint8Array([1, 2, 3]), "gt/ground_truth.parquet")).toThrow(/^gt\/ground_truth\.parquet: not a readable Parquet file/);
  });

  it("say a file does not fit in memory, naming it, when the reader runs out (RangeError)", () => {
    const path = join(dir, "big.parquet");
    writeFileSync(path, writeParquet([{ a: 1 }], [["a", "int32"]]));
    fail.next = new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
    const error = (() => {
      try {
        readParquetFile(path);
      } catch (e) {
        return e as Error;
      }
    })()!;
    expect(error.message).toMatch(/big\.parquet \(\d+ bytes\) does not fit in the memory of the Parquet reader \(WebAssembly, at most 4 GiB\)/);
    expect(error.message).toMatch(/Split the workspace|fewer/);
    expect(error.message).not.toMatch(/not a readable Parquet file/);
    expect(readParquetFile(path)).toEqual([{ a: 1 }]);
  });

  it("say so for a WebAssembly trap (unreachable) in a workspace, naming the file", () => {
    const ws = join(dir, "ws");
    mkdirSync(ws);
    for (const t of TABLES) writeFileSync(join(ws, `${t}.parquet`), writeParquet([{ a: 1 }], [["a", "int32"]]));
    fail.next = new WebAssembly.RuntimeError("unreachable");
    expect(() => readWorkspace(ws)).toThrow(/ws\/responses\.parquet \(\d+ bytes\) does not fit in the memory of the Parquet reader/);
  });
});
