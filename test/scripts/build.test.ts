/** A failed build leaves the previous site as it was; a successful one replaces it whole. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAtomically } from "../../scripts/build.js";

function site(root: string, text: string): string {
  const dir = join(root, "dist");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), text);
  return dir;
}

describe("buildAtomically", () => {
  it("keeps the previous site when the build fails halfway, and leaves nothing behind", () => {
    const root = mkdtempSync(join(tmpdir(), "build-"));
    const dist = site(root, "old");
    expect(() =>
      buildAtomically(dist, (into) => {
        mkdirSync(into);
        writeFileSync(join(into, "index.html"), "half");
        throw new Error("a data loader failed");
      }),
    ).toThrow("a data loader failed");
    expect(readFileSync(join(dist, "index.html"), "utf8")).toBe("old");
    expect(readdirSync(root)).toEqual(["dist"]);
  });

  it("replaces the site whole when the build succeeds, and builds one where there was none", () => {
    const root = mkdtempSync(join(tmpdir(), "build-"));
    const dist = site(root, "old");
    writeFileSync(join(dist, "stale.html"), "gone");
    buildAtomically(dist, (into) => {
      mkdirSync(into);
      writeFileSync(join(into, "index.html"), "new");
    });
    expect(readdirSync(dist)).toEqual(["index.html"]);
    expect(readFileSync(join(dist, "index.html"), "utf8")).toBe("new");
    expect(readdirSync(root)).toEqual(["dist"]);
    const fresh = join(mkdtempSync(join(tmpdir(), "build-")), "out");
    buildAtomically(fresh, (into) => mkdirSync(into));
    expect(existsSync(fresh)).toBe(true);
  });
});
