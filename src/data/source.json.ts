// The configured source: its label, and the study's published RQ1 table for the paper source.
import { writeSourceSummary } from "../../loaders/site.js";

await writeSourceSummary();
