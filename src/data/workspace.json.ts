// The analysis workspace the research pages load: aggregated responses and the small tables (loaders/analysisWorkspace.ts).
import { writeAnalysisWorkspace } from "../../loaders/site.js";

await writeAnalysisWorkspace();
