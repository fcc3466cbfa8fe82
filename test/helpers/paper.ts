/** The paper workspace, loaded once per test file from the local release copy. */
import { paperWorkspace } from "../../loaders/sources/paper.js";
import { localRelease } from "../../loaders/sources/paperRelease.js";
import type { Workspace } from "../../src/lib/workspace.js";
import { PAPER_DATA } from "./paths.js";

let cached: Workspace | undefined;

export function paperFixture(): Workspace {
  cached ??= paperWorkspace(localRelease(PAPER_DATA), "2026-01-01T00:00:00.000Z");
  return cached;
}
