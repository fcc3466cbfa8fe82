/**
 * Charts of the robustness page: the claims' shares of distinct results, a claim's
 * specification curve with the strip of choices under it, the published analysis under
 * other seeds, interval widths against rounds, self-pair inflation, and alignment as a
 * share of a perfect model's.
 */
import { parseSlopeTerm } from "../lib/analyses/rq1.js";
import { median } from "../lib/descriptive.js";
import { seedStability } from "../lib/findings.js";
import * as Plot from "npm:@observablehq/plot";
import type { Exclusions } from "../lib/analyses/context.js";
import type { Claim, ClaimResult, ClaimSummary } from "../lib/robustness/multiverse.js";
import type { CeilingRow } from "../lib/robustness/ceiling.js";
import type { Inflation, SeedSlopes, WidthPoint } from "../lib/robustness/inference.js";
import { CHOICE_KEYS, CHOICES, describeSpec, REFERENCE, type Scope, type SpecGroup, type Specification } from "../lib/robustness/specs.js";
import { languageName } from "../lib/languages.js";
import { isBaseline, sortModelRows, type ModelRow } from "../lib/workspace.js";
import { COMPARISON_COLORS, displayNames, FALLBACK_COLOR, familyColor, FAMILY_RAMPS, modelColors, modelNameDomain } from "./palette.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

/** Colours from the site's palette (at least 3:1 contrast on the light and the dark theme); text labels and shapes carry the same meaning. */
const BLUE = FAMILY_RAMPS.gemma![2]!;
const ORANGE = FAMILY_RAMPS.openai![1]!;
const GREY = FAMILY_RAMPS.Baseline![2]!;

/** The bands a claim's share falls in, strongest first. */
export const SHARE_BANDS = ["holds in 90% or more", "holds in 50% to 90%", "holds in under 50%"] as const;

/** The band of a share of distinct results (NaN: no result counts as under 50%). */
export function shareBand(share: number): (typeof SHARE_BANDS)[number] {
  return share >= 0.9 ? SHARE_BANDS[0] : share >= 0.5 ? SHARE_BANDS[1] : SHARE_BANDS[2];
}

/** The dimensions of the multiverse, from CHOICES: each with its URL parameter, its values and the recommended one. */
export function choiceList(): HTMLElement {
  const list = document.createElement("ul");
  list.className = "choice-list";
  for (const k of CHOICE_KEYS) {
    const c = CHOICES[k];
    const item = document.createElement("li");
    const name = document.createElement("b");
    name.textContent = c.label;
    const values = Object.entries(c.values).map(([v, label]) => (v === REFERENCE[k] ? `${label} (recommended)` : label));
    const scope = c.scope === "both" ? "both questions" : c.scope === "rq1" ? "RQ1" : "RQ2";
    item.append(name, ` (${scope}; URL “${c.param}”): ${values.join(", ")}`);
    list.append(item);
  }
  return list;
}

/** The share of distinct results in which each claim holds, labelled "k of n", banded by colour and legend. */
export function claimShares(summaries: readonly ClaimSummary[], options: { width?: number } = {}): HTMLElement {
  const rows = summaries.map((s) => ({
    text: s.claim.text,
    share: s.share,
    band: shareBand(s.share),
    label: s.applicable ? `${s.holds} of ${s.applicable}` : "no result",
  }));
  const width = chartWidth(options.width);
  // Each claim's text sits above its bar, wrapped (Plot's lineWidth is in ems, about two characters each);
  // a row grows with its lines, and its bar stays 18 px thick.
  const lineWidth = Math.max(20, (width - 80) / 10);
  const lines = Math.max(1, ...rows.map((r) => Math.ceil(r.text.length / (1.7 * lineWidth))));
  const step = 30 + 12 * lines;
  return plot({
    width,
    height: rows.length * step + 40,
    marginLeft: 4,
    marginRight: 70,
    ariaLabel: "Share of distinct results in which each claim holds",
    ariaDescription: rows.map((r) => `${r.text}: ${r.label}`).join("; "),
    x: { domain: [0, 100], label: "Share of distinct results in which the claim holds (%) →", percent: true, grid: true },
    y: { axis: null, domain: rows.map((r) => r.text), paddingInner: 1 - 18 / step, paddingOuter: 0.3, align: 1 },
    color: { domain: [...SHARE_BANDS], range: [BLUE, ORANGE, GREY], legend: true },
    marks: [
      Plot.barX(rows, { x: "share", y: "text", fill: "band" }),
      Plot.text(rows, { x: 0, y: "text", text: "text", dy: -12, textAnchor: "start", lineAnchor: "bottom", lineWidth }),
      Plot.text(rows, { x: (r: { share: number }) => (Number.isFinite(r.share) ? r.share : 0), y: "text", text: "label", dx: 4, textAnchor: "start" }),
      Plot.ruleX([0.5], { strokeDasharray: "3,3" }),
    ],
  });
}

export type ClaimScope = Exclude<Scope, "both">;

/** The research question a claim speaks of: US bias is RQ2, the slopes RQ1. */
export function claimScope(claim: Pick<Claim, "kind">): ClaimScope {
  return claim.kind === "usbias" ? "rq2" : "rq1";
}

/** Whether a specification (or a choice) informs a scope's claims. */
export function inScope(x: { scope: Scope }, scope: ClaimScope): boolean {
  return x.scope === scope || x.scope === "both";
}

const VERDICTS = ["holds", "does not hold"] as const;

export interface CurvePoint extends ClaimResult {
  /** Position on the curve: 0 for the lowest estimate. */
  rank: number;
  label: string;
  group: SpecGroup;
  verdict: (typeof VERDICTS)[number];
}

/** One claim's results under the specifications of its scope, sorted by estimate: the order of the curve and of its choices strip. */
export function curvePoints(results: readonly ClaimResult[], specs: ReadonlyMap<string, Specification>, scope: ClaimScope): CurvePoint[] {
  return results
    .filter((r) => r.holds !== null && Number.isFinite(r.estimate) && specs.has(r.spec) && inScope(specs.get(r.spec)!, scope))
    .sort((a, b) => a.estimate - b.estimate || a.spec.localeCompare(b.spec))
    .map((r, rank) => {
      const spec = specs.get(r.spec)!;
      return { ...r, rank, label: describeSpec(spec), group: spec.group, verdict: r.holds ? VERDICTS[0] : VERDICTS[1] };
    });
}

/** The curve and its strip share a width, a left margin and an x domain, so a strip's mark sits under its dot. */
function curveFrame(points: readonly CurvePoint[], width?: number) {
  const w = chartWidth(width);
  return { width: w, marginLeft: Math.round(Math.min(240, w * 0.3)), marginRight: 12, x: { domain: [-0.5, Math.max(0.5, points.length - 0.5)] } };
}

/**
 * The curve's y range: every estimate and zero, and the intervals up to their 5th and
 * 95th percentiles, so that a few very wide intervals (clipped) do not flatten the curve.
 */
export function curveRange(points: readonly CurvePoint[]): [number, number] {
  const at = (xs: number[], q: number) => xs.sort((a, b) => a - b)[Math.round(q * (xs.length - 1))] ?? 0;
  const lows = points.map((p) => p.low).filter(Number.isFinite);
  const highs = points.map((p) => p.high).filter(Number.isFinite);
  const estimates = points.map((p) => p.estimate);
  return [Math.min(0, ...estimates, at(lows, 0.05)), Math.max(0, ...estimates, at(highs, 0.95))];
}

/** One claim's specification curve: estimates with 95% intervals, sorted, the recommended analysis ringed. Its value is the pointed point. */
export function specCurve(points: readonly CurvePoint[], options: { width?: number; title: string }): HTMLElement {
  const held = points.filter((p) => p.holds).length;
  const reference = points.find((p) => p.group === "reference");
  const frame = curveFrame(points, options.width);
  const title = (p: CurvePoint) => `${p.label}\nthe claim ${p.verdict}: ${p.estimate.toFixed(3)} [${p.low.toFixed(3)}, ${p.high.toFixed(3)}]`;
  const [lo, hi] = curveRange(points);
  const clipped = points.filter((p) => p.low < lo || p.high > hi).length;
  return plot({
    ...frame,
    height: 240,
    ariaLabel: `Specification curve: ${options.title}`,
    ariaDescription:
      `${points.length} specifications sorted by the claim's deciding estimate; the claim holds in ${held}.` +
      (reference ? ` The recommended analysis (ringed) is at rank ${reference.rank + 1} of ${points.length}, where the claim ${reference.verdict}.` : "") +
      (clipped ? ` ${clipped} intervals reach beyond the chart.` : ""),
    x: { ...frame.x, label: "Specifications, sorted by estimate →", ticks: [] },
    y: { label: `↑ Estimate (95% interval${clipped ? `; ${clipped} clipped` : ""})`, grid: true, domain: [lo, hi], nice: true },
    color: { domain: [...VERDICTS], range: [BLUE, ORANGE] },
    symbol: { domain: [...VERDICTS], range: ["circle", "triangle"], legend: true },
    marks: [
      Plot.ruleY([0], { strokeOpacity: 0.6 }),
      Plot.ruleX(points, { x: "rank", y1: "low", y2: "high", stroke: "verdict", strokeOpacity: 0.45, clip: true }),
      Plot.dot(points, { x: "rank", y: "estimate", fill: "verdict", symbol: "verdict", r: 3 }),
      Plot.dot(reference ? [reference] : [], { x: "rank", y: "estimate", r: 8, stroke: "currentColor", strokeWidth: 2 }),
      Plot.tip(points, Plot.pointerX({ x: "rank", y: "estimate", title })),
    ],
  });
}

const EXCLUDED: Record<keyof Exclusions, string> = { models: "without one model", languages: "without one language", items: "without one item" };
const SEED_ROW = "another seed";

/** The strip's rows for a scope: every value of each choice in the scope (from CHOICES) other than the recommended one, then leave-one-out and seeds. */
export function stripRows(scope: ClaimScope): string[] {
  const choices = CHOICE_KEYS.filter((k) => inScope(CHOICES[k], scope)).flatMap((k) =>
    Object.entries(CHOICES[k].values)
      .filter(([v]) => v !== REFERENCE[k])
      .map(([, label]) => `${CHOICES[k].label}: ${label}`),
  );
  return [...choices, ...Object.values(EXCLUDED), SEED_ROW];
}

/** Where each specification departs from the recommended analysis: one mark per changed choice, in the strip's rows. */
export function stripMarks(points: readonly CurvePoint[], specs: ReadonlyMap<string, Specification>): Array<{ rank: number; row: string; value: string }> {
  return points.flatMap((p) => {
    const s = specs.get(p.spec)!;
    const marks = CHOICE_KEYS.filter((k) => s[k] !== REFERENCE[k]).map((k) => {
      const value = CHOICES[k].values[s[k]] ?? String(s[k]);
      return { rank: p.rank, row: `${CHOICES[k].label}: ${value}`, value };
    });
    for (const [key, row] of Object.entries(EXCLUDED) as Array<[keyof Exclusions, string]>) {
      if (s.exclude[key]?.length) marks.push({ rank: p.rank, row, value: s.exclude[key]!.join(", ") });
    }
    if (s.seed !== REFERENCE.seed) marks.push({ rank: p.rank, row: SEED_ROW, value: `seed ${s.seed}` });
    return marks;
  });
}

/** Which choices each specification changes, under its curve (same order and x positions). */
export function specChoices(
  points: readonly CurvePoint[],
  specs: ReadonlyMap<string, Specification>,
  scope: ClaimScope,
  options: { width?: number } = {},
): HTMLElement {
  const rows = stripRows(scope);
  const frame = curveFrame(points, options.width);
  // Labels wrap within the left margin (about 5.5 px a character at 10 px); rows grow to hold their lines.
  const perLine = Math.max(8, Math.floor((frame.marginLeft - 16) / 5.5));
  const lines = Math.max(...rows.map((r) => Math.ceil(r.length / (perLine * 0.8))));
  return plot({
    ...frame,
    height: rows.length * Math.max(24, lines * 11 + 4) + 10,
    marginTop: 5,
    marginBottom: 5,
    ariaLabel: "Analysis choices of each specification",
    ariaDescription: `A mark where a specification departs from the recommended analysis, in the same order as the curve above. Rows: ${rows.join("; ")}.`,
    x: { ...frame.x, axis: null },
    y: { label: null, domain: rows, axis: null },
    marks: [
      Plot.gridY(rows, { strokeOpacity: 0.08 }),
      // Plot's lineWidth is in ems: about two characters each.
      Plot.text(rows, {
        y: (r: string) => r,
        frameAnchor: "left",
        dx: -frame.marginLeft + 2,
        textAnchor: "start",
        fontSize: 10,
        lineWidth: perLine / 2,
        lineHeight: 1.1,
      }),
      Plot.tickX(stripMarks(points, specs), {
        x: "rank",
        y: "row",
        stroke: "currentColor",
        strokeWidth: 1.5,
        strokeOpacity: 0.8,
        title: (d: { value: string }) => d.value,
      }),
    ],
  });
}

/** How many slopes keep the same sign and significance under every seed: one rule, in the statistics core. */
export { seedStability };

/** The published analysis' capability slopes under each seed (filled where p < 0.05), the published table's value as a cross. */
export function seedChart(seeds: readonly SeedSlopes[], published: ReadonlyMap<string, number> | null, options: { width?: number } = {}): HTMLElement {
  const rows = seeds.flatMap((s) => s.slopes.map((sl) => ({ ...sl, row: `${sl.family} · ${languageName(sl.language)}`, seed: s.seed })));
  const terms = [...new Map(rows.map((r) => [r.term, r])).values()];
  const pub = published ? terms.filter((r) => published.has(r.term)).map((r) => ({ row: r.row, slope: published.get(r.term)! })) : [];
  const { changing } = seedStability(seeds);
  const families = [...new Set(rows.map((r) => r.family))];
  const title = (r: (typeof rows)[number]) => `seed ${r.seed}: ${r.slope.toFixed(3)} (p = ${r.p.toPrecision(2)})`;
  const width = chartWidth(options.width);
  // On a phone the labels shorten, so that the dots keep most of the width.
  const narrow = width < 600;
  const verdict = (t: { term: string }) => (changing.includes(t.term) ? "changes" : narrow ? "same" : "same in every seed");
  return plot({
    width,
    height: terms.length * 24 + 60,
    marginLeft: narrow ? 115 : 150,
    marginRight: narrow ? 55 : 110,
    ariaLabel: "Capability slopes of the published analysis across seeds",
    ariaDescription:
      `Each dot is a slope under one of ${seeds.length} seeds at the study's 100 rounds, filled where p < 0.05.` +
      (pub.length ? " Crosses mark the published table's values." : "") +
      ` Sign or significance changes between seeds for: ${
        changing.length
          ? terms
              .filter((t) => changing.includes(t.term))
              .map((t) => t.row)
              .join(", ")
          : "no slope"
      }.`,
    y: { label: null, domain: terms.map((t) => t.row) },
    x: { label: "β capability (the study's analysis, 100 rounds) →", grid: true },
    color: { domain: families, range: families.map(familyColor) },
    marks: [
      Plot.ruleX([0]),
      Plot.dot(
        rows.filter((r) => r.p < 0.05),
        { y: "row", x: "slope", r: 3, fill: "family", fillOpacity: 0.7, title },
      ),
      Plot.dot(
        rows.filter((r) => !(r.p < 0.05)),
        { y: "row", x: "slope", r: 3, stroke: "family", fill: "none", title },
      ),
      Plot.dot(pub, { y: "row", x: "slope", symbol: "times", r: 6, stroke: "currentColor", strokeWidth: 2 }),
      Plot.text(terms, { y: "row", frameAnchor: "right", dx: 8, textAnchor: "start", text: verdict }),
    ],
  });
}

/** "gemma · Danish" for an RQ1 slope term such as multilingual:family[gemma]:language[Danish] (the Judges page uses it too). */
export function slopeLabel(term: string): string | null {
  const m = parseSlopeTerm(term);
  return m ? `${m.family} · ${m.language}` : null;
}

const WIDTH_METHODS = { study: "study's method", recommended: "recommended analysis" } as const;

/** Median interval width of RQ1's slopes against the number of rounds, for both methods. */
export function widthChart(widths: readonly WidthPoint[], options: { width?: number } = {}): HTMLElement {
  const byKey = new Map<string, number[]>();
  for (const w of widths) {
    const key = `${w.method}\u0000${w.rounds}`;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push(w.width);
  }
  const rows = [...byKey].map(([k, v]) => ({
    method: WIDTH_METHODS[k.split("\u0000")[0] as WidthPoint["method"]],
    rounds: Number(k.split("\u0000")[1]),
    width: median(v),
  }));
  return plot({
    width: Math.min(chartWidth(options.width), 560),
    height: 260,
    ariaLabel: "Interval width against the number of bootstrap rounds",
    ariaDescription: rows.map((r) => `${r.method}, ${r.rounds} rounds: ${r.width.toFixed(3)}`).join("; "),
    x: { type: "log", label: "Bootstrap rounds (replicates) →", ticks: [...new Set(rows.map((r) => r.rounds))] },
    y: { label: "↑ Median 95% interval width of the capability slopes", zero: true, grid: true },
    color: { legend: true, domain: Object.values(WIDTH_METHODS), range: [COMPARISON_COLORS.reference, COMPARISON_COLORS.alternative] },
    marks: [Plot.line(rows, { x: "rounds", y: "width", stroke: "method", marker: "dot" })],
  });
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
  return plot({
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
    y: { label: null, domain: modelNameDomain(options.models, new Set(rows.map((r) => r.model))) },
    x: { label: "Self-consistency →", grid: true },
    color: {
      legend: true,
      domain: ["full data", "no self-pairs", "the study's resampling"],
      range: ["currentColor", COMPARISON_COLORS.alternative, COMPARISON_COLORS.warning],
    },
    marks: [
      Plot.ruleY(base, { y: "name", fy: "languageName", x1: "point", x2: "studyFigure", strokeOpacity: 0.3 }),
      Plot.tickX(base, { y: "name", fy: "languageName", x: "expected", stroke: COMPARISON_COLORS.reference, strokeWidth: 1.5 }),
      Plot.dot(long, {
        y: "name",
        fy: "languageName",
        x: "value",
        fill: "kind",
        r: 3,
        title: (d: { kind: string; value: number; selfPairShare: number }) =>
          `${d.kind}: ${d.value.toFixed(3)} (self-pair share ${d.selfPairShare.toFixed(3)})`,
      }),
    ],
  });
}

/** How big each simulated interview is, in words, from the models' `interviewSize` (baselines have no labels of their own). */
function interviewWords(rows: readonly CeilingRow[]): string {
  const sizes = new Set(rows.filter((r) => !isBaseline(r.model)).map((r) => r.interviewSize));
  if (sizes.size === 1 && sizes.has("labels")) return "as many as the response has pro and con labels";
  if (!sizes.has("labels")) return "up to ten each: the source has no labels, so each response's count is the largest up to ten that its VPS fits";
  return "as many as the response has pro and con labels, ten where it has none";
}

/** The bars above 100%, named, for the chart's description (a perfect model's alignment is an average over draws, so a model can pass it). */
function aboveCeiling(data: ReadonlyArray<{ share: number; name: string; languageName: string }>): string {
  const above = data.filter((d) => d.share > 1);
  if (!above.length) return "";
  return ` Above 100%, labelled with their share: ${above.map((d) => `${d.name} in ${d.languageName} (${(100 * d.share).toFixed(0)}%)`).join(", ")}.`;
}

/**
 * Alignment with the language's countries as a share of the alignment a perfect model
 * would reach there (each response an interview of real respondents of the country,
 * over the same items), baselines included.
 */
export function ceilingChart(rows: readonly CeilingRow[], options: { models: readonly ModelRow[]; width?: number }): HTMLElement {
  const names = displayNames(options.models);
  const colors = modelColors(options.models);
  const ids = sortModelRows(options.models)
    .map((m) => m.model)
    .filter((m) => rows.some((r) => r.model === m));
  const data = rows.filter((r) => Number.isFinite(r.share)).map((r) => ({ ...r, name: names.get(r.model) ?? r.model, languageName: languageName(r.language) }));
  const title = (d: (typeof data)[number]) =>
    `${d.name}: ${(100 * d.share).toFixed(0)}% (alignment ${d.alignment.toFixed(2)}, perfect model ${d.ceiling.toFixed(2)} ± ${d.ceilingSe.toFixed(3)}, ${d.items} items)`;
  return plot({
    width: chartWidth(options.width),
    height: 320,
    ariaLabel: "Alignment as a share of a perfect model's",
    ariaDescription: `Each bar: a model's alignment with the countries of the prompt language divided by the alignment a perfect model would reach if each response were an interview of real respondents of that country (${interviewWords(rows)}), over the same items. The dashed line is 100%.${aboveCeiling(data)}`,
    fx: { label: null },
    x: { axis: null, domain: ids },
    y: { label: "↑ Share of a perfect model's alignment", percent: true, grid: true },
    color: { domain: ids, range: ids.map((m) => colors.get(m) ?? FALLBACK_COLOR), legend: true, tickFormat: (m: string) => names.get(m) ?? m },
    marks: [
      Plot.barY(data, { fx: "languageName", x: "model", y: "share", fill: "model", title }),
      Plot.ruleY([1], { strokeDasharray: "4,3" }),
      // A bar past the ceiling is labelled with its share: a model above what a perfect model reaches on average.
      Plot.text(
        data.filter((d) => d.share > 1),
        {
          fx: "languageName",
          x: "model",
          y: "share",
          text: (d: (typeof data)[number]) => `${(100 * d.share).toFixed(0)}%`,
          dy: -6,
          fontSize: 9,
          lineAnchor: "bottom",
        },
      ),
      Plot.text([1], { y: (v: number) => v, text: () => "perfect model", frameAnchor: "left", textAnchor: "start", dy: -6, dx: 2, fontSize: 9 }),
      Plot.ruleY([0]),
    ],
  });
}
