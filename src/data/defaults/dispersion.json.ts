// The dispersion page's default view, computed at build time (loaders/defaults.ts).
import { writePageDefaults } from "../../../loaders/site.js";

await writePageDefaults("dispersion");
