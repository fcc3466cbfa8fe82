/**
 * The statistics core runs in the browser: no Node API in src/lib, whatever the import form.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";

/** The module specifiers of every static import or export, side-effect import and dynamic import in a source text. */
function specifiers(text: string): string[] {
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

/** The Node built-ins a source imports: `node:` specifiers and bare names of built-in modules (fs, path, …). */
function nodeImports(text: string): string[] {
  const builtins = new Set(builtinModules);
  return specifiers(text).filter((s) => s.startsWith("node:") || builtins.has(s) || builtins.has(s.split("/")[0]!));
}

describe("the statistics core runs in the browser", () => {
  it("the check finds every form of a Node import", () => {
    expect(nodeImports(`import {readFileSync} from "node:fs";`)).toEqual(["node:fs"]);
    expect(nodeImports(`import { join } from 'path';\nexport * from "fs/promises";`)).toEqual(["path", "fs/promises"]);
    expect(nodeImports(`import "node:crypto"; const m = await import("node:os");`)).toEqual(["node:crypto", "node:os"]);
    expect(nodeImports(`import {x} from "./random.js"; import * as Plot from "npm:@observablehq/plot";`)).toEqual([]);
  });

  it("imports no Node API", () => {
    const dir = join(REPO_ROOT, "src", "lib");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      expect(nodeImports(text), f).toEqual([]);
      expect(text, f).not.toMatch(/\b(process\.|require\(|Buffer\.)/);
      expect(text, f).not.toMatch(/from\s+["']npm:/);
    }
  });
});
