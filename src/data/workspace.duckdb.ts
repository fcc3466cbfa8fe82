// The workspace as one DuckDB database (Explore's responses list and SQL box), from the source configured by MCA_SOURCE.
import { writeWorkspaceDuckDbToStdout } from "../../loaders/siteDuckDb.js";

await writeWorkspaceDuckDbToStdout();
