/**
 * Writes the RQ1 fixtures for the round-count reference fits: the stacked rows that
 * `mca reproduce --json` prints as `rq1Rows`, on the study's release, at 10, 20, 30, 50
 * and 100 rounds with seed 1, and at 20 and 50 rounds with seed 2. Numbers are written
 * in the shortest form that reads back exactly, so R, statsmodels and the tests see identical values.
 *
 *   MCA_PAPER_DATA=../shared/paper-data npx tsx test/reference/make_rq1_rounds.ts
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const RQ1_ROUND_CASES: ReadonlyArray<{ rounds: number; seed: number }> = [
  { rounds: 10, seed: 1 },
  { rounds: 20, seed: 1 },
  { rounds: 30, seed: 1 },
  { rounds: 50, seed: 1 },
  { rounds: 100, seed: 1 },
  { rounds: 20, seed: 2 },
  { rounds: 50, seed: 2 },
];

const COLUMNS = ["model", "family", "language", "round", "alignment", "consistency", "multilingual"] as const;

function main(): void {
  const here = new URL(".", import.meta.url).pathname;
  for (const { rounds, seed } of RQ1_ROUND_CASES) {
    const out = execFileSync(
      "npx",
      ["tsx", "loaders/cli/main.ts", "reproduce", "--json", "--parts", "rq1", "--source", "paper", "--rounds", String(rounds), "--seed", String(seed)],
      {
        cwd: join(here, "..", ".."),
        maxBuffer: 1 << 28,
      },
    );
    const rows = JSON.parse(out.toString()).rq1Rows as Array<Record<(typeof COLUMNS)[number], string | number>>;
    const text = [COLUMNS.join(","), ...rows.map((r) => COLUMNS.map((c) => String(r[c])).join(","))].join("\n");
    writeFileSync(join(here, "fixtures", `rq1_rounds_${rounds}_seed${seed}.csv`), `${text}\n`);
    console.log(`rq1_rounds_${rounds}_seed${seed}.csv: ${rows.length} rows`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) main();
