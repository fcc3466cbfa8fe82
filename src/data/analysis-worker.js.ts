// The analysis worker script: the statistics core bundled into one file (see src/lib/worker/).
import { writeAnalysisWorker } from "../../loaders/site.js";

await writeAnalysisWorker();
