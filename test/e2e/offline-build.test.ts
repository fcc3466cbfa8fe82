/**
 * The build needs no network: `npm run build` with every fetch and host lookup
 * refused (in this process and in every data loader it starts) succeeds, and nothing
 * tried to reach the network. (On Linux, `unshare -n npm run build` shows the same
 * with the kernel's help; see docs/offline-build.md.)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { PAPER_DATA } from "../helpers/paths.js";

it("builds the site with the network refused", () => {
  const log = join(mkdtempSync(join(tmpdir(), "mca-offline-")), "attempts.log");
  // Start from an empty loader cache, so the data loaders run too.
  rmSync(join(REPO_ROOT, "src", ".observablehq", "cache", "data"), { recursive: true, force: true });
  const output = execFileSync("npm", ["run", "build"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      MCA_PAPER_DATA: PAPER_DATA,
      NO_NETWORK_LOG: log,
      NODE_OPTIONS: `--import ${join(REPO_ROOT, "test", "helpers", "no-network.mjs")}`,
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect(output).toContain("render /index");
  expect(existsSync(join(REPO_ROOT, "dist", "index.html"))).toBe(true);
  expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
}, 600_000);
