/** The `mca` command line. */
import { sanitize } from "./format.js";
import { groundTruthCommand, GROUND_TRUTH_HELP } from "./groundTruth.js";
import { judgesCommand, JUDGES_HELP } from "./judges.js";
import { reproduceCommand, REPRODUCE_HELP } from "./reproduce.js";
import { robustnessCommand, ROBUSTNESS_HELP } from "./robustness.js";
import { runCommand, RUN_HELP } from "./run.js";
import { syntheticCommand, SYNTHETIC_HELP } from "./synthetic.js";

const HELP = `Usage: mca <command> [options]

Commands:
  reproduce     recompute the reference study's analyses (RQ1, US-centric bias,
                self-consistency, alignment) from a workspace, as published and
                with the recommended analysis beside it
  robustness    the study's conclusions under every specification of the multiverse
  ground-truth  turn survey microdata (the joint EVS/WVS CSV) into ground truth
  synthetic     write synthetic survey microdata (seeded, not real answers) to
                rehearse ground-truth before you have the real file
  run           prompts, generation and judging with your models into a workspace
  judges        agreement between a run's judges; blind labelling sets for human
                annotators, and their labels back as one more judge

Run "mca <command> --help" for a command's options.
`;

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<void>; help: string }> = {
  reproduce: { run: (argv) => reproduceCommand(argv), help: REPRODUCE_HELP },
  robustness: { run: (argv) => robustnessCommand(argv), help: ROBUSTNESS_HELP },
  "ground-truth": { run: (argv) => groundTruthCommand(argv), help: GROUND_TRUTH_HELP },
  synthetic: { run: (argv) => syntheticCommand(argv), help: SYNTHETIC_HELP },
  run: { run: (argv) => runCommand(argv), help: RUN_HELP },
  judges: { run: (argv) => judgesCommand(argv), help: JUDGES_HELP },
};

export async function main(argv: string[]): Promise<number> {
  // Output piped into a command that stops reading (| head) is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  const cmd = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!cmd) {
    process.stderr.write(`mca: unknown command "${sanitize(command)}". Commands: ${Object.keys(COMMANDS).join(", ")}.\n`);
    return 2;
  }
  try {
    await cmd.run(rest);
    return 0;
  } catch (error) {
    const e = error as Error & { code?: string };
    // Node's option parser names the option; say where the options are listed.
    const usage = e.code?.startsWith("ERR_PARSE_ARGS") ? ` Run "mca ${command} --help" for its options.` : "";
    const stop = usage && !/[.!?]$/.test(e.message) ? "." : "";
    process.stderr.write(`mca ${command}: ${sanitize(e.message)}${stop}${usage}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
