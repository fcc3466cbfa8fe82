/** The `mca` entry point: unknown commands, including names every object has, and no control characters printed. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";

const mca = (...args: string[]) => spawnSync("npx", ["tsx", "loaders/cli/main.ts", ...args], { cwd: REPO_ROOT, encoding: "utf8" });

describe("mca", () => {
  it("refuses a command named after a property of every object, and prints escape sequences as text", () => {
    for (const name of ["constructor", "toString", "__proto__"]) {
      const r = mca(name);
      expect(r.status, name).toBe(2);
      expect(r.stderr).toContain(`unknown command "${name}"`);
    }
    const escaped = mca("\u001b]52;c;aGk=\u0007");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checks that no control character reaches the terminal
    expect(escaped.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(escaped.stderr).toContain("\\x1b]52");
  }, 60_000);
});
