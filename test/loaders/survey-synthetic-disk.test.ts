/**
 * `mca synthetic` when the disk fills up or the output folder cannot be made: a clear message
 * naming the file and the fix, no `*.tmp` left behind, and an existing file kept intact.
 */
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { syntheticCommand } from "../../loaders/cli/synthetic.js";
import { writeSyntheticSurvey } from "../../loaders/survey/synthetic.js";

const dir = mkdtempSync(join(tmpdir(), "mca-synthetic-disk-"));

/** A file stream on a disk with `room` bytes free: it creates the file, then fails with ENOSPC. */
function fullDisk(room: number) {
  return (path: string): Writable => {
    const real = createWriteStream(path);
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (written > room) return callback(Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: "ENOSPC" }));
        real.write(chunk, callback);
      },
      final(callback) {
        real.end(callback);
      },
      destroy(error, callback) {
        real.destroy();
        callback(error);
      },
    });
  };
}

describe("mca synthetic on a full disk", () => {
  it("rejects with the file, the cause and the fix, and removes its temporary file", async () => {
    const sub = mkdtempSync(join(dir, "full-"));
    const path = join(sub, "synthetic.csv");
    const argv = ["--out", path, "--countries", "DK", "--respondents", "20000"];
    await expect(syntheticCommand(argv, () => {}, { open: fullDisk(64 * 1024) })).rejects.toThrow(
      /synthetic\.csv: could not write the file: no space left on device \(ENOSPC\)\. Free some space, or choose another --out; nothing was written/,
    );
    expect(readdirSync(sub)).toEqual([]);
  }, 20_000);

  it("keeps an existing file intact when overwriting it fails, gzipped or not", async () => {
    for (const name of ["kept.csv", "kept.csv.gz"]) {
      const path = join(dir, name);
      writeFileSync(path, "the previous file\n");
      await expect(
        syntheticCommand(["--out", path, "--countries", "DK", "--respondents", "20000", "--force"], () => {}, { open: fullDisk(1024) }),
      ).rejects.toThrow(/no space left on device/);
      expect(readFileSync(path, "utf8")).toBe("the previous file\n");
      expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    }
  }, 20_000);

  it("rejects from the writer itself, never hanging or leaving an unhandled error", async () => {
    const path = join(dir, "direct.csv");
    await expect(
      writeSyntheticSurvey(path, { seed: 1, countries: [{ code: "DK", language: "da", respondents: 20000 }], open: fullDisk(4096) }),
    ).rejects.toThrow(/direct\.csv: could not write the file: no space left on device \(ENOSPC\)/);
  }, 20_000);

  it("names an output folder that is a file", async () => {
    const blocker = join(dir, "blocker");
    writeFileSync(blocker, "a file\n");
    await expect(syntheticCommand(["--out", join(blocker, "s.csv")], () => {})).rejects.toThrow(
      /--out .*blocker\/s\.csv: .*blocker is a file, not a folder; choose another --out/,
    );
    expect(existsSync(join(blocker, "s.csv"))).toBe(false);
  });
});
