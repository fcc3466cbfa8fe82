// The overview page: src/index.md.template with the findings computed at build time baked in as HTML (loaders/overviewPage.ts).
import { writeOverviewPage } from "../loaders/site.js";

await writeOverviewPage();
