/**
 * The GitHub Pages workflow (.github/workflows/pages.yml): it cannot run here (no GitHub), so
 * this checks what it would do: on a push to main, the README's quick start (npm ci, then
 * npm run build) with a valid data source, the built folder uploaded as the Pages artifact,
 * then deployed with the permissions Pages needs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import config from "../../observablehq.config.js";
import { REPO_ROOT } from "../../loaders/paths.js";
import { parseSource } from "../../loaders/sources/index.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: { push: { branches: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { needs?: string; steps: Step[]; environment?: { name: string } }>;
}

const workflow = yaml.load(readFileSync(join(REPO_ROOT, ".github", "workflows", "pages.yml"), "utf8")) as Workflow;
const build = workflow.jobs.build!.steps;

describe("the GitHub Pages workflow", () => {
  it("runs on a push to main, with the permissions Pages deployment needs", () => {
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(workflow.permissions).toMatchObject({ pages: "write", "id-token": "write", contents: "read" });
  });

  it("builds with the README's quick start, in order", () => {
    const quickStart = /```(?:sh|bash)?\n(npm ci && npm run build)\n/.exec(readFileSync(join(REPO_ROOT, "README.md"), "utf8"))?.[1];
    expect(quickStart).toBe("npm ci && npm run build");
    const runs = build.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toEqual(quickStart!.split(" && "));
  });

  it("builds a valid source by default: the study's release", () => {
    const env = build.find((s) => s.run === "npm run build")!.env!;
    const fallback = /\|\|\s*'([^']+)'/.exec(env.MCA_SOURCE!)?.[1];
    expect(fallback).toBe("paper");
    expect(parseSource(fallback).kind).toBe("paper");
  });

  it("uploads the folder the build writes, then deploys it", () => {
    const upload = build.find((s) => s.uses?.startsWith("actions/upload-pages-artifact@"))!;
    // npm run build writes dist/ unless MCA_OUTPUT says otherwise (scripts/build.ts), as Framework's config does.
    expect(upload.with!.path).toBe("dist");
    expect(config.output).toBe(process.env.MCA_OUTPUT ?? "dist");
    expect(workflow.jobs.deploy!.needs).toBe("build");
    expect(workflow.jobs.deploy!.environment!.name).toBe("github-pages");
    expect(workflow.jobs.deploy!.steps.map((s) => s.uses)).toEqual([expect.stringMatching(/^actions\/deploy-pages@v\d+$/)]);
  });

  it("pins every action to a major version", () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThan(3);
    for (const u of uses) expect(u).toMatch(/^actions\/[\w-]+@v\d+$/);
  });
});
