/** `mca robustness`: the study's claims under the rebuilt multiverse, judged by round-independent intervals. */
import { parseArgs } from "node:util";
import { claimsFor, distinctResults, evaluate, runMultiverse, studyConclusions, summarizeClaims } from "../../src/lib/robustness/multiverse.js";
import { specifications } from "../../src/lib/robustness/specs.js";
import { REPO_ROOT } from "../paths.js";
import { loadSource, SOURCE_ENV } from "../sources/index.js";
import { table } from "./format.js";

export const ROBUSTNESS_HELP = `Usage: mca robustness [--source paper|demo|DIR] [--rounds N] [--seed S] [--seeds K] [--json]

Tests the study's conclusions as claims under every specification of the multiverse:
RQ1's choices (metric, reference population, resampling unit, regression) crossed,
RQ2's choices (metric, resampling unit, item set, baseline subtracted) crossed, each
model, language and item left out in turn, and K more seeds. Every specification runs
the same bootstrap replicates, one estimate per cell; a claim holds when its interval
lies wholly on the claimed side of zero. Identical results count once.

Options:
  --source SOURCE      paper (default), demo or a workspace folder, as for mca reproduce
  --rounds N           bootstrap replicates of every specification (default 100)
  --seed S             the reference's seed, a whole number (default 1)
  --seeds K            extra seeds of the reference (default 20)
  --json               print {"specifications", "distinct", "claims": [{"claim", "id",
                       "holds", "total"}]}, where holds and total count distinct results
  -h, --help           show this help

It takes a few minutes at 100 rounds on the study's data; progress goes to stderr.
`;

function whole(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${text}"`);
  return n;
}

export async function robustnessCommand(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: "string" },
      rounds: { type: "string" },
      seed: { type: "string" },
      seeds: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return write(ROBUSTNESS_HELP);
  const rounds = whole("rounds", values.rounds, 100, 2);
  const seed = whole("seed", values.seed, 1, 0);
  const seeds = whole("seeds", values.seeds, 20, 0);
  const { workspace, description } = await loadSource(values.source ?? (process.env[SOURCE_ENV]?.trim() || "paper"), process.env, undefined, undefined, [
    process.cwd(),
    REPO_ROOT,
  ]);
  const specs = specifications(workspace, { rounds, seed, seeds });
  const started = performance.now();
  const claims = claimsFor(workspace, studyConclusions(workspace));
  const progress = process.stderr.isTTY ? (done: number) => process.stderr.write(`\rspecifications: ${done} of ${specs.length}`) : () => {};
  const outcomes = runMultiverse(workspace, specs, (_, done) => progress(done));
  if (process.stderr.isTTY) process.stderr.write("\n");
  const failed = outcomes.filter((o) => o.error);
  if (failed.length) process.stderr.write(`${failed.length} specification(s) failed, e.g. ${failed[0]!.spec.id}: ${failed[0]!.error}\n`);
  const summaries = summarizeClaims(
    claims,
    outcomes.flatMap((o) => claims.map((c) => evaluate(c, o))),
  );
  const distinct = distinctResults(claims, outcomes);
  if (values.json) {
    const json = {
      specifications: specs.length,
      distinct,
      rounds,
      seed,
      claims: summaries.map((s) => ({ claim: s.claim.text, id: s.claim.id, holds: s.holds, total: s.applicable })),
    };
    return write(`${JSON.stringify(json, null, 2)}\n`);
  }
  write(
    `Source: ${description}\n${specs.length} specifications (${distinct} distinct results), ${rounds} replicates each, seed ${seed}; ${((performance.now() - started) / 1000).toFixed(0)} s.\n\n`,
  );
  write(
    `${table(
      ["claim", "holds", "of", "share"],
      summaries.map((s) => [s.claim.text, String(s.holds), String(s.applicable), `${Math.round(100 * s.share)}%`]),
    )}\n`,
  );
}
