// The overview's findings at the study's settings, computed at build time (loaders/findings.ts).
import { writeFindings } from "../../loaders/site.js";

await writeFindings();
