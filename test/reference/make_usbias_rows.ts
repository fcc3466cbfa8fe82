/**
 * Writes the US-bias residual fixture: the rows the US-bias OLS is fitted on (round, model,
 * language, country, us, alignment), from the study's release at 20 bootstrap rounds and
 * seed 7 (not the defaults, so the test covers other settings). Numbers are written in the
 * shortest form that reads back exactly, so statsmodels and the tests see identical values.
 *
 *   MCA_PAPER_DATA=../shared/paper-data npx tsx test/reference/make_usbias_rows.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { experimentAt, withBaselines } from "../../src/lib/analyses/context.js";
import { usBiasRows } from "../../src/lib/analyses/usbias.js";
import { loadSource } from "../../loaders/sources/index.js";

export const US_BIAS_CASE = { rounds: 20, seed: 7 } as const;
const COLUMNS = ["round", "model", "language", "country", "us", "alignment"] as const;

async function main(): Promise<void> {
  const { workspace } = await loadSource("paper");
  const { workspace: ws } = withBaselines(workspace, US_BIAS_CASE.seed);
  const rows = usBiasRows(experimentAt(ws, "country", US_BIAS_CASE), ws.populations);
  const text = [COLUMNS.join(","), ...rows.map((r) => COLUMNS.map((c) => (c === "us" ? (r.us ? "True" : "False") : String(r[c]))).join(","))].join("\n");
  const name = `usbias_rows_${US_BIAS_CASE.rounds}_seed${US_BIAS_CASE.seed}.csv`;
  writeFileSync(join(new URL(".", import.meta.url).pathname, "fixtures", name), `${text}\n`);
  console.log(`${name}: ${rows.length} rows`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) await main();
