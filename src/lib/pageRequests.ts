/**
 * The requests the research pages send to the analysis worker, built in one place: the
 * pages build theirs from their controls, and the site's build computes each page's
 * default request ahead of time (loaders/defaults.ts), so that a page opened at its
 * defaults shows its figures at once and starts the worker only when a control changes.
 */
import type { Exclusions } from "./analyses/context.js";
import type { SurveyItems } from "./analyses/surveyPopulations.js";
import type { Procedure } from "./analyses/experiment.js";
import type { Rq1Variant } from "./analyses/rq1.js";
import type { Metric } from "./correlation.js";
import { JUDGE_ERROR_RATE } from "./judgeError.js";
import type { ResamplingUnit } from "./recommended/index.js";
import type { BaselineChoice } from "./recommended/baselineChoice.js";
import type { CellFormula } from "./recommended/rq1.js";
import type { ItemSet } from "./recommended/usbias.js";
import type { ExtrasOptions } from "./robustness/extras.js";
import { CHOICES, type MultiverseOptions } from "./robustness/specs.js";
import type { Level } from "./workspace.js";
import type { AnalysisOptions } from "./worker/protocol.js";

export type PageRequest =
  | { type: "reproduce"; options: AnalysisOptions }
  | { type: "multiverse"; options: MultiverseOptions }
  | { type: "extras"; options: ExtrasOptions };

/** The analysis choices a page can change (see src/components/analysisChoices.ts). */
export interface Choices {
  metric: Metric;
  rq1Level: Level;
  procedure: Procedure;
  correction: number;
  exclude: Exclusions;
  unit: ResamplingUnit;
  items: ItemSet;
  baseline: BaselineChoice;
}

/** Every choice at its default: the table of choices' references (robustness/specs.ts), the study's bootstrap and judge-error correction, all data. */
export const DEFAULT_CHOICES: Choices = {
  metric: CHOICES.metric.reference,
  rq1Level: CHOICES.level.reference,
  procedure: "study",
  correction: JUDGE_ERROR_RATE,
  exclude: { models: [], languages: [], items: [] },
  unit: CHOICES.unit.reference,
  items: CHOICES.items.reference,
  baseline: CHOICES.baseline.reference,
};

/** The bootstrap settings every research page starts from: the study's. */
export const DEFAULT_BOOTSTRAP = { rounds: 100, seed: 1 } as const;

/** Raw and adjusted alignment in one request: the page's raw/adjusted switch recomputes nothing. */
export function alignmentRequest(c: { rounds: number; seed: number; metric: Metric; level: Level }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, metric: c.metric, parts: ["alignment", "alignmentAdjusted"], levels: [c.level] } };
}

/** The cross-effects page: the study's pair bootstrap has `rounds` rounds, the recommended item bootstrap as many replicates. */
export function crossEffectsRequest(c: { rounds: number; seed: number; metric: Metric }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, metric: c.metric, parts: ["crossEffects"] } };
}

export function consistencyRequest(c: { rounds: number; seed: number; procedure: Procedure }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, procedure: c.procedure, parts: ["consistency"] } };
}

export function capabilityRequest(c: { rounds: number; seed: number; variant: Rq1Variant; formula: CellFormula; choices: Choices }): PageRequest {
  const { choices } = c;
  return {
    type: "reproduce",
    options: {
      rounds: c.rounds,
      seed: c.seed,
      variant: c.variant,
      parts: ["rq1", "capabilityFigure", "recommended", "residuals"],
      metric: choices.metric,
      procedure: choices.procedure,
      judgeErrorRate: choices.correction,
      rq1Level: choices.rq1Level,
      exclude: choices.exclude,
      unit: choices.unit,
      recommended: { parts: ["rq1"], formulas: [c.formula] },
    },
  };
}

export function usBiasRequest(c: { rounds: number; seed: number; choices: Choices }): PageRequest {
  const { choices } = c;
  return {
    type: "reproduce",
    options: {
      rounds: c.rounds,
      seed: c.seed,
      parts: ["usBias", "recommended", "residuals"],
      metric: choices.metric,
      procedure: choices.procedure,
      exclude: choices.exclude,
      unit: choices.unit,
      recommended: { parts: ["usBias"], items: choices.items, baseline: choices.baseline },
    },
  };
}

/** Whose opinions: alignment per prompt language and country, nearest countries, US gaps on survey similarity (item bootstrap). */
export function similarityRequest(c: { rounds: number; seed: number }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, parts: ["similarity"] } };
}

/** The personas page: congruent and incongruent personas, persona and language effects, with `rounds` item-bootstrap replicates. */
export function personasRequest(c: { rounds: number; seed: number }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, parts: ["personas"] } };
}

/** The study's unpublished analyses: monocultural, cultural transfer, relative to a baseline, extreme items (item bootstrap of `rounds` replicates). */
export function unpublishedRequest(c: { rounds: number; seed: number }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, parts: ["unpublished"] } };
}

/** The survey page: the countries' pro shares and correlations, and the value map with `rounds` item-bootstrap replicates. */
export function surveyRequest(c: { rounds: number; seed: number; items: SurveyItems }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, parts: ["survey", "valueMap"], surveyItems: c.items } };
}

/** How often pro (the template page of docs/adding-a-page.md): pro shares with `rounds` item-bootstrap replicates. */
export function proShareRequest(c: { rounds: number; seed: number }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, parts: ["proShare"] } };
}

/** The dispersion page: each model's within-item spread against a ten-person sample's, at one level, with `rounds` item-bootstrap replicates. */
export function dispersionRequest(c: { rounds: number; seed: number; level: Level }): PageRequest {
  return { type: "reproduce", options: { rounds: c.rounds, seed: c.seed, parts: ["dispersion"], levels: [c.level] } };
}

/** The judges page's "swap the judge" figures: alignment with the language's speakers and RQ1, under each judge. */
export const JUDGE_SWAP_REQUEST: PageRequest = { type: "reproduce", options: { rounds: 50, seed: 1, parts: ["alignment", "rq1"], levels: ["language"] } };

export const multiverseRequest = (options: MultiverseOptions): PageRequest => ({ type: "multiverse", options });
export const extrasRequest = (options: ExtrasOptions): PageRequest => ({ type: "extras", options });

/** Each page's request at its defaults (what the build computes ahead). */
export function defaultRequests(hasBenchmarks: boolean): Record<string, PageRequest[]> {
  const b = DEFAULT_BOOTSTRAP;
  return {
    alignment: [alignmentRequest({ ...b, metric: "spearman", level: "country" })],
    consistency: [consistencyRequest({ ...b, procedure: "study" })],
    "cross-effects": [crossEffectsRequest({ ...b, metric: "spearman" })],
    capability: hasBenchmarks ? [capabilityRequest({ ...b, variant: "interaction", formula: "language_intercepts", choices: DEFAULT_CHOICES })] : [],
    "us-bias": [usBiasRequest({ ...b, choices: DEFAULT_CHOICES })],
    "whose-opinions": [similarityRequest(b)],
    personas: [personasRequest(b)],
    unpublished: [unpublishedRequest(b)],
    survey: [surveyRequest({ ...b, items: "asked" })],
    "pro-share": [proShareRequest(b)],
    dispersion: [dispersionRequest({ ...b, level: "language" })],
    robustness: [multiverseRequest({ rounds: 50, seeds: 20 }), extrasRequest({ seed: 1 })],
  };
}

/** JSON with object keys sorted and undefined values left out: equal requests give equal keys. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function requestKey(request: PageRequest): string {
  return JSON.stringify(stable(request));
}
