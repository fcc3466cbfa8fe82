// The workspace's personas table, aggregated (empty when the source has none), from the source configured by MCA_SOURCE.
import { writeTable } from "../../loaders/site.js";

await writeTable("personas");
