/**
 * Charts of the robustness page: specification curves, claim shares, the study's
 * intervals beside round-independent ones, interval widths against rounds, self-pair
 * inflation, seed-to-seed spread, and alignment as a share of the survey's ceiling.
 */
import * as Plot from "npm:@observablehq/plot";
import type { ClaimResult, ClaimSummary, SpecOutcome } from "../lib/robustness/multiverse.js";
import type { CeilingRow, Inflation, IntervalTerm, WidthPoint } from "../lib/robustness/inference.js";
import { describeSpec, type Specification } from "../lib/robustness/specs.js";
import { languageName } from "../lib/languages.js";
import type { ModelRow } from "../lib/workspace.js";
import type { UsBiasCoefficient } from "../lib/analyses/usbias.js";
import { displayNames, modelColors } from "./palette.js";
import { chartWidth } from "./width.js";

const HOLDS = { domain: ["holds", "does not hold"], range: ["#238b45", "#cb181d"] };

export interface CurvePoint extends ClaimResult {
  rank: number;
  label: string;
  group: string;
  spec: string;
}

/** One claim's specification curve: estimates sorted, coloured by whether the claim holds. Its value is the pointed spec. */
export function specCurve(results: readonly ClaimResult[], specs: ReadonlyMap<string, Specification>, options: { width?: number; title: string }): HTMLElement {
  const points: CurvePoint[] = results
    .filter((r) => r.holds !== null && Number.isFinite(r.estimate))
    .sort((a, b) => a.estimate - b.estimate)
    .map((r, rank) => ({ ...r, rank, label: describeSpec(specs.get(r.spec)!), group: specs.get(r.spec)!.group }));
  const held = points.filter((p) => p.holds).length;
  const reference = points.find((p) => p.group === "reference");
  return Plot.plot({
    width: chartWidth(options.width),
    height: 220,
    marginLeft: 50,
    ariaLabel: `Specification curve: ${options.title}`,
    ariaDescription:
      `${points.length} specifications sorted by the claim's estimate; the claim holds in ${held} (${points.length ? Math.round((100 * held) / points.length) : 0}%).` +
      (reference ? ` The study's own analysis is at rank ${reference.rank + 1}.` : ""),
    x: { label: "Specifications, sorted by estimate →", ticks: [] },
    y: { label: "↑ Estimate (95% CI)", grid: true },
    color: { ...HOLDS, legend: true },
    marks: [
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
      Plot.ruleX(points, { x: "rank", y1: "low", y2: "high", stroke: (p: CurvePoint) => (p.holds ? "holds" : "does not hold"), strokeOpacity: 0.35 }),
      Plot.dot(points, { x: "rank", y: "estimate", fill: (p: CurvePoint) => (p.holds ? "holds" : "does not hold"), r: 2.5 }),
      Plot.dot(reference ? [reference] : [], { x: "rank", y: "estimate", r: 7, stroke: "currentColor", strokeWidth: 2 }),
      Plot.tip(points, Plot.pointerX({ x: "rank", y: "estimate", title: (p: CurvePoint) => `${p.label}\nestimate ${p.estimate.toFixed(3)} [${p.low.toFixed(3)}, ${p.high.toFixed(3)}]` })),
    ],
  }) as unknown as HTMLElement;
}

/** Which choices each specification changes, under its curve (same order). */
export function specChoices(results: readonly ClaimResult[], specs: ReadonlyMap<string, Specification>, options: { width?: number }): HTMLElement {
  const sorted = results.filter((r) => r.holds !== null && Number.isFinite(r.estimate)).sort((a, b) => a.estimate - b.estimate);
  const rows: Array<{ rank: number; choice: string; value: string }> = [];
  sorted.forEach((r, rank) => {
    const s = specs.get(r.spec)!;
    const push = (choice: string, value: string) => rows.push({ rank, choice, value });
    if (s.metric !== "spearman") push("metric", s.metric);
    if (s.level !== "language") push("RQ1 reference", s.level);
    if (s.procedure !== "study") push("bootstrap", s.procedure);
    if (s.correction !== 0.045) push("judge correction", String(s.correction));
    if (s.variant !== "interaction") push("regression", s.variant);
    if (s.exclude.models?.length) push("leave out model", s.exclude.models[0]!);
    if (s.exclude.languages?.length) push("leave out language", s.exclude.languages[0]!);
    if (s.exclude.items?.length) push("leave out item", s.exclude.items[0]!);
    if (s.seed !== 1) push("seed", String(s.seed));
  });
  return Plot.plot({
    width: chartWidth(options.width),
    height: 190,
    marginLeft: 120,
    ariaLabel: "Analysis choices of each specification",
    ariaDescription: "A mark where a specification departs from the study's analysis, in the same order as the curve above.",
    x: { axis: null, domain: [0, Math.max(1, sorted.length - 1)] },
    y: { label: null, domain: ["metric", "RQ1 reference", "bootstrap", "judge correction", "regression", "leave out model", "leave out language", "leave out item", "seed"] },
    marks: [Plot.tickX(rows, { x: "rank", y: "choice", stroke: "currentColor", strokeOpacity: 0.7, title: (d: { value: string }) => d.value })],
  }) as unknown as HTMLElement;
}

/** The share of specifications in which each claim holds. */
export function claimShares(summaries: readonly ClaimSummary[], options: { width?: number } = {}): HTMLElement {
  const rows = summaries.map((s) => ({ text: s.claim.text, share: s.share, label: `${s.holds} of ${s.applicable}` }));
  // Each claim's text sits above its bar, so long claims stay readable at any width.
  return Plot.plot({
    width: chartWidth(options.width),
    height: rows.length * 42 + 40,
    marginLeft: 4,
    marginRight: 70,
    ariaLabel: "Share of specifications in which each claim holds",
    ariaDescription: rows.map((r) => `${r.text}: ${r.label}`).join("; "),
    x: { domain: [0, 100], label: "Share of specifications in which the claim holds (%) →", percent: true, grid: true },
    y: { axis: null, domain: rows.map((r) => r.text), paddingInner: 0.55, paddingOuter: 0.3, align: 1 },
    marks: [
      Plot.barX(rows, { x: "share", y: "text", fill: (r: { share: number }) => (r.share >= 0.9 ? "#238b45" : r.share >= 0.5 ? "#fdae6b" : "#cb181d") }),
      Plot.text(rows, { x: 0, y: "text", text: "text", dy: -9, textAnchor: "start", lineAnchor: "bottom", lineWidth: Math.max(20, ((chartWidth(options.width)) - 80) / 10) }),
      Plot.text(rows, { x: "share", y: "text", text: "label", dx: 4, textAnchor: "start" }),
      Plot.ruleX([0.5], { strokeDasharray: "3,3" }),
    ],
  }) as unknown as HTMLElement;
}

const STUDY = "study: rounds as observations";
const CLUSTER = "items as clusters, one estimate per cell";

/** "gemma · Danish" for an RQ1 slope term such as multilingual:family[gemma]:language[Danish]. */
export function slopeLabel(term: string): string | null {
  const m = /family\[(.+)\]:language\[(.+)\]$/.exec(term);
  return m ? `${m[1]} · ${m[2]}` : null;
}

/** The study's intervals beside the item-cluster bootstrap's, one row per label (rows without a label are left out). */
export function intervalComparison(
  study: readonly IntervalTerm[],
  cluster: readonly IntervalTerm[],
  options: { width?: number; label?: (term: string) => string | null; x?: string; ariaLabel?: string } = {},
): HTMLElement {
  const label = options.label ?? slopeLabel;
  const rows = [...study.map((t) => ({ ...t, method: STUDY })), ...cluster.map((t) => ({ ...t, method: CLUSTER }))]
    .map((t) => ({ ...t, row: label(t.term) }))
    .filter((t): t is typeof t & { row: string } => t.row !== null && Number.isFinite(t.estimate));
  const width = (ts: readonly IntervalTerm[]) => median(ts.filter((t) => label(t.term) !== null).map((t) => t.ci_high - t.ci_low));
  return Plot.plot({
    width: chartWidth(options.width),
    height: new Set(rows.map((r) => r.row)).size * 30 + 60,
    marginLeft: 170,
    ariaLabel: options.ariaLabel ?? "Capability slopes: the study's intervals beside round-independent intervals",
    ariaDescription:
      "Each row: the estimate with the study's 95% interval (thick, grey) and the item-cluster bootstrap's (thin, blue). " +
      `Median width: study ${width(study).toFixed(2)}, cluster bootstrap ${width(cluster).toFixed(2)}.`,
    y: { label: null, domain: [...new Set(rows.map((r) => r.row))] },
    x: { label: options.x ?? "β capability →", grid: true },
    color: { legend: true, domain: [STUDY, CLUSTER], range: ["#737373", "#2171b5"] },
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(rows, { y: "row", x1: "ci_low", x2: "ci_high", stroke: "method", strokeWidth: (r: { method: string }) => (r.method === STUDY ? 5 : 1.5), strokeOpacity: 0.8 }),
      Plot.dot(rows, { y: "row", x: "estimate", fill: "method", r: 3 }),
    ],
  }) as unknown as HTMLElement;
}

/** RQ2's β_BiasUS: the study's fit (rounds as observations) beside the item-cluster bootstrap of per-cell gaps. */
export function usBiasComparison(
  study: readonly UsBiasCoefficient[],
  cluster: readonly IntervalTerm[],
  options: { models: readonly ModelRow[]; width?: number },
): HTMLElement {
  const names = displayNames(options.models);
  const key = (model: string, language: string) => `${names.get(model) ?? model} · ${languageName(language)}`;
  const studyTerms = study.map((c) => ({ term: key(c.model, c.language), estimate: c.coef, ci_low: c.ci_low, ci_high: c.ci_high }));
  const clusterTerms = cluster.flatMap((t) => {
    const m = /^us:(.*):([^:]+)$/.exec(t.term);
    return m ? [{ ...t, term: key(m[1]!, m[2]!) }] : [];
  });
  return intervalComparison(studyTerms, clusterTerms, { width: options.width, label: (t) => t, x: "β US bias (closer to the US than the baseline) →", ariaLabel: "US-centric bias: the study's intervals beside round-independent intervals" });
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/** Median interval width of RQ1's slopes against the number of rounds, for both methods. */
export function widthChart(widths: readonly WidthPoint[], options: { width?: number } = {}): HTMLElement {
  const byKey = new Map<string, number[]>();
  for (const w of widths) {
    const key = `${w.method}\u0000${w.rounds}`;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push(w.width);
  }
  const rows = [...byKey].map(([k, v]) => ({ method: k.split("\u0000")[0] === "study" ? "study's method" : "cluster bootstrap", rounds: Number(k.split("\u0000")[1]), width: median(v) }));
  return Plot.plot({
    width: Math.min(chartWidth(options.width), 560),
    height: 260,
    ariaLabel: "Interval width against the number of bootstrap rounds",
    ariaDescription: rows.map((r) => `${r.method}, ${r.rounds} rounds: ${r.width.toFixed(3)}`).join("; "),
    x: { type: "log", label: "Bootstrap rounds (replicates) →", ticks: [...new Set(rows.map((r) => r.rounds))] },
    y: { label: "↑ Median 95% interval width of the capability slopes", zero: true, grid: true },
    color: { legend: true, domain: ["study's method", "cluster bootstrap"], range: ["#737373", "#2171b5"] },
    marks: [Plot.line(rows, { x: "rounds", y: "width", stroke: "method", marker: "dot" })],
  }) as unknown as HTMLElement;
}

/** Self-consistency as computed three ways, per model and language. */
export function inflationChart(rows: readonly Inflation[], options: { models: readonly ModelRow[]; width?: number }): HTMLElement {
  const names = displayNames(options.models);
  const base = rows.map((r) => ({ ...r, name: names.get(r.model) ?? r.model, languageName: languageName(r.language) }));
  const long = base.flatMap((r) => [
    { ...r, kind: "full data", value: r.point },
    { ...r, kind: "no self-pairs", value: r.corrected },
    { ...r, kind: "the study's resampling", value: r.studyFigure },
  ]);
  const worst = [...base].sort((a, b) => b.studyFigure - b.point - (a.studyFigure - a.point))[0];
  return Plot.plot({
    width: chartWidth(options.width),
    height: rows.length * 15 + 90,
    marginLeft: 130,
    marginRight: 80,
    ariaLabel: "Self-consistency with and without self-pairs",
    ariaDescription:
      `The study's resampling raises self-consistency by ${median(base.map((r) => r.studyFigure - r.point)).toFixed(2)} over the full-data value (median over model and language)` +
      (worst ? `, most for ${worst.name} in ${worst.languageName} (${worst.point.toFixed(2)} → ${worst.studyFigure.toFixed(2)}).` : ".") +
      " Grey ticks: the value self-pairs alone predict.",
    fy: { label: null },
    y: { label: null },
    x: { label: "Self-consistency →", grid: true },
    color: { legend: true, domain: ["full data", "no self-pairs", "the study's resampling"], range: ["#000000", "#2171b5", "#cb181d"] },
    marks: [
      Plot.ruleY(base, { y: "name", fy: "languageName", x1: "point", x2: "studyFigure", strokeOpacity: 0.3 }),
      Plot.tickX(base, { y: "name", fy: "languageName", x: "expected", stroke: "#737373", strokeWidth: 1.5 }),
      Plot.dot(long, { y: "name", fy: "languageName", x: "value", fill: "kind", r: 3, title: (d: { kind: string; value: number; selfPairShare: number }) => `${d.kind}: ${d.value.toFixed(3)} (self-pair share ${d.selfPairShare.toFixed(3)})` }),
    ],
  }) as unknown as HTMLElement;
}

/** How RQ1's capability slopes vary across seeds (the study's bootstrap was never seeded). */
export function seedSpread(outcomes: readonly SpecOutcome[], published: ReadonlyMap<string, number> | null, options: { width?: number } = {}): HTMLElement {
  const rows = outcomes
    .filter((o) => o.spec.group === "seed" || o.spec.group === "reference")
    .flatMap((o) => o.slopes.map((s) => ({ term: `${s.family} · ${languageName(s.language)}`, slope: s.slope, seed: o.spec.seed, key: s.term })));
  const pub = published ? rows.filter((r, i, a) => a.findIndex((x) => x.key === r.key) === i && published.has(r.key)).map((r) => ({ term: r.term, slope: published.get(r.key)! })) : [];
  return Plot.plot({
    width: chartWidth(options.width),
    height: new Set(rows.map((r) => r.term)).size * 24 + 60,
    marginLeft: 150,
    ariaLabel: "Capability slopes across bootstrap seeds",
    ariaDescription: `Each dot is the slope under one seed (${new Set(rows.map((r) => r.seed)).size} seeds).${pub.length ? " Crosses mark the published values." : ""}`,
    y: { label: null, domain: [...new Set(rows.map((r) => r.term))] },
    x: { label: "β capability →", grid: true },
    marks: [
      Plot.ruleX([0]),
      Plot.dot(rows, { y: "term", x: "slope", r: 2.5, fill: "#2171b5", fillOpacity: 0.5, title: (r: { seed: number; slope: number }) => `seed ${r.seed}: ${r.slope.toFixed(3)}` }),
      Plot.dot(pub, { y: "term", x: "slope", symbol: "times", r: 6, stroke: "#cb181d", strokeWidth: 2 }),
    ],
  }) as unknown as HTMLElement;
}

/** Alignment with the language's countries as a share of the survey's ceiling, baselines included. */
export function ceilingChart(rows: readonly CeilingRow[], options: { models: readonly ModelRow[]; width?: number }): HTMLElement {
  const names = displayNames(options.models);
  const colors = modelColors(options.models);
  const ids = options.models.map((m) => m.model).filter((m) => rows.some((r) => r.model === m));
  const data = rows.map((r) => ({ ...r, name: names.get(r.model) ?? r.model, languageName: languageName(r.language) }));
  return Plot.plot({
    width: chartWidth(options.width),
    height: 320,
    ariaLabel: "Alignment as a share of the survey's ceiling",
    ariaDescription: `Each bar: a model's alignment with the countries of the prompt language divided by the survey's ceiling (${rows[0]?.ceilingSource ?? "n/a"}). The dashed line is 100%.`,
    fx: { label: null },
    x: { axis: null, domain: ids },
    y: { label: "↑ Share of the survey's ceiling", percent: true, grid: true },
    color: { domain: ids, range: ids.map((m) => colors.get(m) ?? "#888"), legend: true, tickFormat: (m: string) => names.get(m) ?? m },
    marks: [
      Plot.barY(data, { fx: "languageName", x: "model", y: "share", fill: "model", title: (d: (typeof data)[number]) => `${d.name}: ${(100 * d.share).toFixed(0)}% (alignment ${d.alignment.toFixed(2)}, ceiling ${d.ceiling.toFixed(2)})` }),
      Plot.ruleY([1], { strokeDasharray: "4,3" }),
      Plot.ruleY([0]),
    ],
  }) as unknown as HTMLElement;
}
