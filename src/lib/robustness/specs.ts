/**
 * Specifications: one reasonable way to run the study's analysis. The multiverse is
 * the study's own choice (the reference), a grid over the main analysis choices, and
 * leave-one-out and seed variations around the reference. See docs/robustness.md.
 */
import type { Metric } from "../correlation.js";
import type { Procedure } from "../analyses/experiment.js";
import type { Exclusions } from "../analyses/reproduce.js";
import type { Rq1Variant } from "../analyses/rq1.js";
import { isBaseline, type Level, type Workspace } from "../workspace.js";

export type SpecGroup = "reference" | "grid" | "leave-model-out" | "leave-language-out" | "leave-item-out" | "seed";

export interface Specification {
  id: string;
  group: SpecGroup;
  metric: Metric;
  /** RQ1's reference population. */
  level: Level;
  procedure: Procedure;
  /** Judge error rate the self-consistency is corrected for (0: no correction). */
  correction: number;
  variant: Rq1Variant;
  exclude: Exclusions;
  seed: number;
  rounds: number;
}

export const REFERENCE: Omit<Specification, "id" | "group" | "rounds"> = {
  metric: "spearman",
  level: "language",
  procedure: "study",
  correction: 0.045,
  variant: "interaction",
  exclude: {},
  seed: 1,
};

export interface MultiverseOptions {
  /** Bootstrap rounds per specification (default 30; the reference runs the study's 100). */
  rounds?: number;
  /** Extra seeds of the reference specification (default 20). */
  seeds?: number;
  metrics?: readonly Metric[];
  levels?: readonly Level[];
  procedures?: readonly Procedure[];
  corrections?: readonly number[];
  variants?: readonly Rq1Variant[];
  leaveOut?: { models?: boolean; languages?: boolean; items?: boolean };
}

/** The list of specifications for a workspace. */
export function specifications(ws: Pick<Workspace, "responses" | "ground_truth">, options: MultiverseOptions = {}): Specification[] {
  const rounds = options.rounds ?? 30;
  const specs: Specification[] = [];
  // The reference is the study's analysis, at the study's 100 rounds; the others use `rounds`.
  const add = (group: SpecGroup, spec: Omit<Specification, "id" | "group" | "rounds">) =>
    specs.push({ ...spec, id: `${group}-${specs.filter((s) => s.group === group).length + 1}`, group, rounds: group === "reference" ? Math.max(100, rounds) : rounds });
  add("reference", REFERENCE);
  for (const metric of options.metrics ?? (["spearman", "pearson", "mean_alignment"] as const)) {
    for (const level of options.levels ?? (["language", "country", "global"] as const)) {
      for (const procedure of options.procedures ?? (["study", "responses", "items"] as const)) {
        for (const correction of options.corrections ?? [0.045, 0]) {
          for (const variant of options.variants ?? (["interaction", "normal", "no_consistency"] as const)) {
            const same =
              metric === REFERENCE.metric && level === REFERENCE.level && procedure === REFERENCE.procedure && correction === REFERENCE.correction && variant === REFERENCE.variant;
            if (!same) add("grid", { ...REFERENCE, metric, level, procedure, correction, variant });
          }
        }
      }
    }
  }
  const leave = options.leaveOut ?? { models: true, languages: true, items: true };
  const models = [...new Set(ws.responses.map((r) => r.model))].filter((m) => !isBaseline(m)).sort();
  const languages = [...new Set(ws.responses.map((r) => r.language))].sort();
  const withTruth = new Set(ws.ground_truth.map((g) => g.item));
  const items = [...new Set(ws.responses.map((r) => r.item))].filter((i) => withTruth.has(i)).sort();
  if (leave.models) for (const m of models) add("leave-model-out", { ...REFERENCE, exclude: { models: [m] } });
  if (leave.languages) for (const l of languages) add("leave-language-out", { ...REFERENCE, exclude: { languages: [l] } });
  if (leave.items) for (const i of items) add("leave-item-out", { ...REFERENCE, exclude: { items: [i] } });
  for (let s = 2; s <= (options.seeds ?? 20) + 1; s++) add("seed", { ...REFERENCE, seed: s });
  return specs;
}

/** In words, what a specification changes from the study's analysis. */
export function describeSpec(spec: Specification): string {
  const parts: string[] = [];
  if (spec.metric !== REFERENCE.metric) parts.push(`metric: ${spec.metric.replace("_", " ")}`);
  if (spec.level !== REFERENCE.level) parts.push(`RQ1 reference: ${spec.level === "country" ? "the language's countries" : "everyone surveyed"}`);
  if (spec.procedure !== REFERENCE.procedure) parts.push(`bootstrap: ${spec.procedure === "responses" ? "resample responses, no self-pairs" : "resample items as clusters"}`);
  if (spec.correction !== REFERENCE.correction) parts.push(spec.correction === 0 ? "no judge-error correction" : `judge error rate ${spec.correction}`);
  if (spec.variant !== REFERENCE.variant) parts.push(`regression: ${spec.variant.replace("_", " ")}`);
  if (spec.exclude.models?.length) parts.push(`without model ${spec.exclude.models.join(", ")}`);
  if (spec.exclude.languages?.length) parts.push(`without language ${spec.exclude.languages.join(", ")}`);
  if (spec.exclude.items?.length) parts.push(`without item ${spec.exclude.items.join(", ")}`);
  if (spec.seed !== REFERENCE.seed) parts.push(`seed ${spec.seed}`);
  return parts.length ? parts.join("; ") : "the study's analysis";
}

/** URL query that opens the site's pages with a specification's choices. */
export function specQuery(spec: Specification): string {
  const q = new URLSearchParams();
  q.set("rounds", String(spec.rounds));
  if (spec.seed !== REFERENCE.seed) q.set("seed", String(spec.seed));
  if (spec.metric !== REFERENCE.metric) q.set("metric", spec.metric);
  if (spec.level !== REFERENCE.level) q.set("rq1level", spec.level);
  if (spec.procedure !== REFERENCE.procedure) q.set("procedure", spec.procedure);
  if (spec.correction !== REFERENCE.correction) q.set("correction", String(spec.correction));
  if (spec.variant !== REFERENCE.variant) q.set("variant", spec.variant);
  if (spec.exclude.models?.length) q.set("without_models", spec.exclude.models.join(","));
  if (spec.exclude.languages?.length) q.set("without_languages", spec.exclude.languages.join(","));
  if (spec.exclude.items?.length) q.set("without_items", spec.exclude.items.join(","));
  return q.toString();
}
