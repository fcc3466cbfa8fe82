/**
 * Dead code in the statistics core: every function, constant or class that `src/lib` exports is
 * used, in its own file or elsewhere (a page, a component, a loader, a script, a test or a
 * benchmark). An export nothing uses is a rule nobody checks; delete it, or use it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";

const PENDING = new Set<string>();

const SOURCES = /\.(ts|js|mjs|md|md\.template)$/;

function files(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => SOURCES.test(f) && !f.split("/").some((part) => part === "node_modules" || part.startsWith(".")))
    .map((f) => join(dir, f));
}

/** The names of the values (not types) a source exports by declaration. */
function exportedValues(text: string): string[] {
  return [...text.matchAll(/^export (?:async )?(?:function\*?|const|let|class) (\w+)/gm)].map((m) => m[1]!);
}

/** "file name" for every value export of `src/lib` that is mentioned only where it is declared. */
function unusedExports(texts: Map<string, string>): string[] {
  const unused: string[] = [];
  for (const [file, text] of texts) {
    if (!file.startsWith("src/lib/")) continue;
    for (const name of exportedValues(text)) {
      const word = new RegExp(`\\b${name}\\b`, "g");
      const usedHere = (text.match(word)?.length ?? 0) > 1;
      if (!usedHere && ![...texts].some(([other, t]) => other !== file && t.match(word))) unused.push(`${file} ${name}`);
    }
  }
  return unused;
}

describe("src/lib has no dead exports", () => {
  it("the check finds an export that nothing uses", () => {
    const texts = new Map([
      [
        "src/lib/a.ts",
        "export function used() {}\nexport const unusedThing = 1;\nexport const usedHere = 2;\nexport const twice = usedHere * 2;\nexport interface OnlyAType {}",
      ],
      ["src/b.md", "import {used, twice} from './lib/a.js';"],
    ]);
    expect(unusedExports(texts)).toEqual(["src/lib/a.ts unusedThing"]);
  });

  it("every value src/lib exports is used", () => {
    const all = ["src", "loaders", "scripts", "test", "bench", "bin"].flatMap((dir) => files(dir));
    const texts = new Map(all.map((f) => [relative(REPO_ROOT, join(REPO_ROOT, f)), readFileSync(join(REPO_ROOT, f), "utf8")]));
    expect(texts.size).toBeGreaterThan(100);
    expect(unusedExports(texts).filter((e) => !PENDING.has(e))).toEqual([]);
  });
});
