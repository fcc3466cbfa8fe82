/**
 * The simulated provider as its own process (for benchmarks, and to point any
 * OpenAI-compatible client at): prints its base URL on the first line of stdout.
 *   npx tsx loaders/simulate/standalone.ts [--latency MS] [--port N]
 */
import { parseArgs } from "node:util";
import { startSimulatedServer } from "./server.js";

const { values } = parseArgs({ options: { latency: { type: "string" }, port: { type: "string" } } });
const server = await startSimulatedServer({
  world: { truths: {}, topics: new Map(), profiles: {}, refusal: 0 },
  latencyMs: values.latency ? Number(values.latency) : 0,
  port: values.port ? Number(values.port) : 0,
});
process.stdout.write(`${server.url}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
