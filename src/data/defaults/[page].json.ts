// Every research page's default view, computed at build time (loaders/defaults.ts): Framework
// runs this loader once for each `data/defaults/<page>.json` a page attaches, with --page=<page>;
// the page's requests are its entry in `defaultRequests` (src/lib/pageRequests.ts).
import { parseArgs } from "node:util";
import { writePageDefaults } from "../../../loaders/site.js";

const { values } = parseArgs({ options: { page: { type: "string" } } });
if (!values.page)
  throw new Error("data/defaults/[page].json.ts: run by Framework with --page=<page> (a page name in defaultRequests, src/lib/pageRequests.ts)");
await writePageDefaults(values.page);
