/**
 * The multiverse in Node on the study's release (`npm run bench -- robustness`): every
 * specification at 50 and at 200 replicates, the time each takes, and each claim's share
 * at both, which should not drift (the criterion does not depend on the replicates).
 */
import { claimsFor, distinctResults, evaluate, runMultiverse, studyConclusions, summarizeClaims } from "../src/lib/robustness/multiverse.js";
import { specifications } from "../src/lib/robustness/specs.js";
import type { Workspace } from "../src/lib/workspace.js";

export function runRobustnessBench(ws: Workspace, rounds: readonly number[] = [50, 200]): void {
  const claims = claimsFor(ws, studyConclusions(ws));
  const shares = new Map<string, string[]>();
  for (const r of rounds) {
    const specs = specifications(ws, { rounds: r });
    const t = performance.now();
    const outcomes = runMultiverse(ws, specs);
    const seconds = (performance.now() - t) / 1000;
    for (const s of summarizeClaims(
      claims,
      outcomes.flatMap((o) => claims.map((c) => evaluate(c, o))),
    )) {
      shares.set(s.claim.text, [...(shares.get(s.claim.text) ?? []), `${s.holds} of ${s.applicable} (${Math.round(100 * s.share)}%)`]);
    }
    console.log(
      `robustness: ${specs.length} specifications (${distinctResults(claims, outcomes)} distinct results) at ${r} replicates: ${seconds.toFixed(0)} s in Node`,
    );
  }
  console.log(`robustness: claim shares at ${rounds.join(" and ")} replicates:`);
  for (const [claim, values] of shares) console.log(`  ${claim}: ${values.join(" → ")}`);
}
