// The judges page's data: agreement between judges, language decisions, each judge's analyses (loaders/judgesPage.ts).
import { writeJudgesPage } from "../../loaders/site.js";

await writeJudgesPage();
