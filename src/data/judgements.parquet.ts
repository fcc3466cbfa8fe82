// The workspace's judgements table (empty when the source has a single judge), from the source configured by MCA_SOURCE.
import { writeTable } from "../../loaders/site.js";

await writeTable("judgements");
