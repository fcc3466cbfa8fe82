/** The static server the tests and benchmarks use: the one `npm run serve` runs. */
export { serveDir, type StaticServer } from "../../scripts/serve.js";
