/** `mca run`: prompts → generation → judging → a workspace. */
import { parseArgs } from "node:util";
import { loadConfig } from "../run/config.js";
import { runPipeline } from "../run/pipeline.js";
import { sanitize, sanitizeError } from "./format.js";

export const RUN_HELP = `Usage: mca run --config FILE [--dry-run] [--simulate] [--batch]

Runs the pipeline of the study with your models and languages: survey ground truth,
prompt sampling (and translation of missing languages), generation on every model,
judging, into a workspace (by default data/runs/<name>/) that the site and
\`mca reproduce --source DIR\` read.

Every answer is cached (data/cache/llm/), so running the same command again resumes
where it stopped and asks nothing twice. API keys are read from the environment
variables the config names, and are never written anywhere.

Options:
  --config FILE   the run configuration (JSON; see docs/pipeline.md)
  --dry-run       print the plan (requests per model and language, tokens, cost) and stop
  --simulate      use the built-in simulated provider on 127.0.0.1: offline, free, deterministic
  --batch         send generation and judging through the OpenAI Batch API (the batch ids
                  are kept in the run folder, so a restart resumes polling)
  -h, --help      show this help
`;

export async function runCommand(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      "dry-run": { type: "boolean" },
      simulate: { type: "boolean" },
      batch: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return void write(RUN_HELP);
  if (!values.config) throw new Error("--config FILE is required (see `mca run --help` and docs/pipeline.md)");
  // Everything printed from data (ids, names, paths, a server's words) goes through sanitize.
  try {
    const loaded = loadConfig(values.config);
    const result = await runPipeline(loaded, {
      dryRun: values["dry-run"],
      simulate: values.simulate,
      batch: values.batch,
      log: (line) => process.stderr.write(`${sanitize(line)}\n`),
    });
    const estimate = Number.isFinite(result.estimateUSD) ? `$${result.estimateUSD.toFixed(2)}` : "unknown (a model has no price)";
    if (values["dry-run"]) write(`Dry run: nothing was sent. Estimated cost ${estimate}.\n`);
    else write(sanitize(`Workspace written to ${result.outDir}\n`));
  } catch (error) {
    throw sanitizeError(error);
  }
}
