/**
 * Writes the fixture of the recommended RQ1 fit: one observation per (model, language),
 * the full-data alignment with the language's speakers and self-consistency (corrected for
 * the judge's 4.5% error rate, as the published analysis), and capability, on the study's
 * release. Numbers are written in the shortest form that reads back exactly.
 *
 *   MCA_PAPER_DATA=../shared/paper-data npx tsx test/reference/make_rq1_cells.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runExperiment } from "../../src/lib/analyses/experiment.js";
import { withBaselines } from "../../src/lib/analyses/context.js";
import { rq1PointRows } from "../../src/lib/analyses/rq1.js";
import { languageName } from "../../src/lib/languages.js";
import { createRng } from "../../src/lib/random.js";
import { scoredResponses } from "../../src/lib/workspace.js";
import { paperFixture } from "../helpers/paper.js";

const ws = withBaselines(paperFixture(), 1).workspace;
const exp = runExperiment(scoredResponses(ws.responses), ws.ground_truth, { level: "language", rounds: 0, rng: createRng("cells") });
const rows = rq1PointRows(exp, ws.benchmarks, ws.populations);
const text = [
  "model,family,language,alignment,consistency,multilingual",
  ...rows.map((r) => [r.model, r.family, languageName(r.language), r.alignment, r.consistency, r.capability].join(",")),
];
writeFileSync(join(new URL(".", import.meta.url).pathname, "fixtures", "rq1_cells.csv"), `${text.join("\n")}\n`);
console.log(`rq1_cells.csv: ${rows.length} rows`);
