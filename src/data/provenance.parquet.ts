// The workspace's provenance table, from the source configured by MCA_SOURCE (see loaders/).
import { writeTable } from "../../loaders/site.js";

await writeTable("provenance");
