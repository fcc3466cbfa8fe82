/**
 * The overview's findings, computed at build time so a reader sees them the moment the
 * page opens: the published analysis at the study's settings (100 rounds, seed 1) and
 * under 21 seeds, the recommended analysis, and the multiverse at the robustness page's
 * default settings. The page recomputes the first two in the browser only when a reader
 * changes the rounds or the seed.
 */
import { reproduce } from "../src/lib/analyses/reproduce.js";
import { findings, seedStability, type MultiverseSummary } from "../src/lib/findings.js";
import { publishedSeedSlopes } from "../src/lib/robustness/inference.js";
import { multiverseRequest } from "../src/lib/pageRequests.js";
import { distinctResults, evaluate, summarizeClaims } from "../src/lib/robustness/multiverse.js";
import { memoAnswer, memoized, workspaceKey } from "./defaults.js";
import type { Workspace } from "../src/lib/workspace.js";

/** The settings the build uses: the study's for the analyses, the robustness page's defaults for the multiverse. */
export const FINDINGS_SETTINGS = { rounds: 100, seed: 1, multiverseRounds: 50, seeds: 20, publishedSeeds: 21 } as const;

/** The multiverse at the robustness page's settings, as its page computes it (shared with that page's defaults through the build's memo). */
export function multiverseSummary(ws: Workspace, rounds: number, seeds: number, log: (line: string) => void = () => {}): MultiverseSummary {
  const answer = memoAnswer(ws, multiverseRequest({ rounds, seeds }), log);
  if (answer.type !== "multiverse") throw new Error("the multiverse request gave no outcomes");
  const { outcomes, claims } = answer;
  const specs = outcomes.map((o) => o.spec);
  const summaries = summarizeClaims(
    claims,
    outcomes.flatMap((o) => claims.map((c) => evaluate(c, o))),
  );
  return {
    specifications: specs.length,
    distinct: distinctResults(claims, outcomes),
    rounds,
    claims: summaries.map((s) => ({ id: s.claim.id, text: s.claim.text, holds: s.holds, total: s.applicable })),
  };
}

/** Everything the overview shows at first paint. */
export function buildFindings(ws: Workspace, log: (line: string) => void = () => {}) {
  const s = FINDINGS_SETTINGS;
  const hasRq1 = ws.benchmarks.length > 0;
  const result = reproduce(ws, { rounds: s.rounds, seed: s.seed, parts: hasRq1 ? ["rq1", "usBias", "recommended"] : ["usBias", "recommended"] });
  log("findings: published and recommended analyses done");
  const seeds = hasRq1
    ? publishedSeedSlopes(
        ws,
        Array.from({ length: s.publishedSeeds }, (_, i) => i + 1),
      )
    : [];
  log(`findings: the published analysis under ${seeds.length} seeds done`);
  const multiverse = multiverseSummary(ws, s.multiverseRounds, s.seeds, log);
  const list = findings({
    rounds: s.rounds,
    seed: s.seed,
    slopes: result.details.slopes ?? [],
    consistency: (result.rq1 ?? []).filter((t) => t.term.startsWith("consistency")),
    usBias: result.usBias ?? [],
    recommended: result.details.recommended!,
    multiverse,
    seeds,
  });
  return { settings: s, multiverse, seeds, seedStability: seeds.length ? seedStability(seeds) : null, findings: list };
}

export type BuiltFindings = ReturnType<typeof buildFindings>;

/** `buildFindings`, once per build: the overview's page loader and its findings.json share it. */
export function memoFindings(ws: Workspace, log: (line: string) => void = () => {}): BuiltFindings {
  return memoized("findings", workspaceKey(ws), () => buildFindings(ws, log), log);
}
