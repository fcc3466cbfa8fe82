/**
 * The data source a site was built from (src/data/source.json.ts), for the banner at the
 * top of every page. A module of its own, with no other imports than the standard library,
 * so that a page that needs only the summary (the overview) loads nothing else before its
 * first figure.
 */
import { FileAttachment } from "observablehq:stdlib";
import type { PublishedMixedLm } from "../lib/published.js";
import type { PublishedOls } from "../lib/publishedOls.js";

export interface SourceSummary {
  source: string;
  label: string;
  description: string;
  /** Simulated data (the demo or a simulated run): every page says so. */
  simulated?: boolean;
  /** Why an unset source fell back to the demo. */
  fallback?: string | null;
  publishedRq1: PublishedMixedLm | null;
  /** The site's own version (package.json's), for its citation. */
  siteVersion?: string;
  /** The study's published US-bias OLS table (the paper source only). */
  publishedUsBias: PublishedOls | null;
}

export async function loadSourceSummary(): Promise<SourceSummary> {
  return (await FileAttachment("../data/source.json").json()) as SourceSummary;
}
