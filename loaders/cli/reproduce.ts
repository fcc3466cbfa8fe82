/** `mca reproduce`: recomputes the study's analyses and prints tables or JSON. */
import { parseArgs } from "node:util";
import { ANALYSES, REGISTERED_PARTS } from "../../src/lib/analyses/registry.js";
import { PARTS, reproduce, reproduceJson, type Part, type ReproduceResult } from "../../src/lib/analyses/reproduce.js";
import { METRICS, type Metric } from "../../src/lib/correlation.js";
import { PROCEDURES, type Procedure } from "../../src/lib/analyses/experiment.js";
import type { CrossEffects } from "../../src/lib/analyses/crossEffects/index.js";
import { REPO_ROOT } from "../paths.js";
import { loadSource, SOURCE_ENV } from "../sources/index.js";
import { publishedUsBias as publishedUsBiasTable } from "../sources/paper.js";
import { resolveRelease } from "../sources/paperRelease.js";
import { pValue, sanitize, table } from "./format.js";
import { RESAMPLING_UNITS, type ResamplingUnit } from "../../src/lib/recommended/index.js";
import type { RecommendedJson } from "../../src/lib/recommended/json.js";
import type { ResidualDiagnostics } from "../../src/lib/analyses/residuals.js";
import type { UsBiasPublishedJson } from "../../src/lib/analyses/usBiasPublished.js";
import type { PublishedOls } from "../../src/lib/publishedOls.js";
import type { Workspace } from "../../src/lib/workspace.js";
import { SURVEY_ITEMS, type SurveyItems } from "../../src/lib/analyses/surveyPopulations.js";
import { MEDIAN_MODEL, type SimilarityResult } from "../../src/lib/analyses/similarity.js";
import type { DispersionResult } from "../../src/lib/analyses/dispersion.js";
import type { UnpublishedResult } from "../../src/lib/analyses/unpublished/index.js";
import type { PersonaResult } from "../../src/lib/analyses/personas.js";
import type { Estimate } from "../../src/lib/recommended/estimate.js";

function registeredHelp(): string {
  return REGISTERED_PARTS.map((part) => `  ${part.padEnd(20)} ${ANALYSES[part].summary}`).join("\n");
}

export const REPRODUCE_HELP = `Usage: mca reproduce [--source paper|demo|DIR] [--rounds N] [--seed S] [--json]

Recomputes the reference study's analyses from a workspace, as published: RQ1
(mixed model of alignment on multilingual capability, three variants), RQ2
(US-centric bias), the self-consistency figure and alignment per model, language
and population. Beside them, the recommended analysis: one estimate per cell,
intervals from an item (or response) bootstrap that do not narrow as rounds grow,
RQ1 with intercepts per language, US bias on common items without a baseline draw.

Options:
  --source SOURCE      "paper": the study's release, downloaded and verified (or read from a
                       local copy: MCA_PAPER_DATA=DIR); "demo": simulated models on synthetic
                       survey data, not research results; or a workspace folder (relative to
                       the current folder, else to the repository). Default: $${SOURCE_ENV},
                       else "paper". A source that cannot be read is an error, never a
                       fallback to another one.
  --rounds N           bootstrap rounds (default 100)
  --seed S             seed; the same seed gives byte-identical output (default 1)
  --json               print one JSON object: meta, rq1, rq1Fit, rq1Rows, rq1Variants,
                       usBias, consistency, alignment, alignmentAdjusted, recommended,
                       residuals and the analyses below, each under its name; with
                       --source paper also usBiasPublished (the study's published US-bias
                       table beside ours; absent for other sources)
  --parts LIST         compute only some of: ${PARTS.join(", ")}
  --metric M           alignment metric: ${METRICS.join(", ")} (default spearman)
  --procedure P        bootstrap procedure: ${PROCEDURES.join(", ")} (default study)
  --unit U             the recommended analysis' (and similarity's, unpublished's) resampling unit: ${RESAMPLING_UNITS.join(", ")}
                       (default items); its replicates are --rounds
  --survey-items I     the survey part's items: ${SURVEY_ITEMS.join(", ")} (default asked: those
                       the models answered; all: every item of the ground truth)
  -h, --help           show this help

Analyses beside the study's core (src/lib/analyses/registry.ts):
${registeredHelp()}
`;

function positiveInt(name: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got "${text}"`);
  return n;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

export function formatResult(r: ReproduceResult): string {
  const out: string[] = [];
  out.push(`Seed ${r.meta.seed}, ${r.meta.rounds} bootstrap rounds, ${r.meta.metric}, procedure: ${r.meta.procedure}; ${r.meta.responses} scored responses.`);
  if (r.rq1 && r.rq1Fit) {
    if (r.rq1Fit.ambiguous) {
      out.push(
        "",
        `Warning: the REML likelihood has another mode within 2 log-likelihood units (model variance ${r.rq1Fit.modes.map((m) => m.group_var.toFixed(4)).join(" and ")}); the published specification's fit is unreliable at these rounds.`,
      );
    }
    out.push("", `RQ1 (as published): ${r.rq1Fit.formula}`, "REML mixed model, random intercept per model");
    out.push(
      table(
        ["term", "coef", "se", "z", "p", "ci_low", "ci_high"],
        r.rq1.map((t) => [t.term, t.coef, t.se, t.z, pValue(t.p), t.ci_low, t.ci_high]),
      ),
    );
    const f = r.rq1Fit;
    out.push(
      `n = ${f.n}, groups = ${f.groups}, model variance = ${f.group_var.toFixed(4)}, residual scale = ${f.residual_scale.toFixed(5)}, ` +
        `log-likelihood = ${f.log_likelihood.toFixed(2)}, marginal R² = ${f.marginal_r2.toFixed(3)}, conditional R² = ${f.conditional_r2.toFixed(3)}`,
    );
    for (const [name, v] of Object.entries(r.rq1Variants ?? {})) {
      if (name === "interaction") continue;
      out.push("", `RQ1 variant "${name}": ${v.rq1Fit.formula}`);
      out.push(
        table(
          ["term", "coef", "se", "z", "p"],
          v.rq1.map((t) => [t.term, t.coef, t.se, t.z, pValue(t.p)]),
        ),
      );
      out.push(
        `log-likelihood = ${v.rq1Fit.log_likelihood.toFixed(2)}, marginal R² = ${v.rq1Fit.marginal_r2.toFixed(3)}, conditional R² = ${v.rq1Fit.conditional_r2.toFixed(3)}`,
      );
    }
  }
  if (r.recommended) out.push(...formatRecommended(r.recommended));
  if (r.usBias) {
    out.push("", "RQ2: US-centric bias, β_BiasUS (alignment ~ us * model:language, uniform-random baseline as reference)");
    out.push(
      table(
        ["model", "language", "coef", "se", "ci_low", "ci_high", "p"],
        r.usBias.map((b) => [b.model, b.language, b.coef, b.se, b.ci_low, b.ci_high, pValue(b.p)]),
        4,
      ),
    );
  }
  if (r.usBiasPublished) out.push(...formatUsBiasPublished(r.usBiasPublished));
  if (r.residuals) out.push(...formatResiduals(r.residuals));
  if (r.consistency) {
    out.push("", "Self-consistency (bootstrap mean, 95% percentile interval)");
    out.push(
      table(
        ["model", "language", "mean", "ci_low", "ci_high"],
        r.consistency.map((c) => [c.model, c.language, c.mean, c.ci_low, c.ci_high]),
      ),
    );
  }
  if (r.similarity) out.push(...formatSimilarity(r.similarity));
  if (r.personas?.summaries.length) out.push(...formatPersonas(r.personas));
  if (r.unpublished) out.push(...formatUnpublished(r.unpublished));
  if (r.dispersion) out.push(...formatDispersion(r.dispersion));
  if (r.alignment) {
    out.push("", "Alignment (Spearman's rho on the full data, 95% bootstrap interval)");
    out.push(
      table(
        ["level", "population", "model", "language", "rho", "ci_low", "ci_high", "n"],
        r.alignment.map((a) => [a.level, a.population, a.model, a.language, a.rho, a.ci_low, a.ci_high, a.n]),
      ),
    );
  }
  if (r.alignmentAdjusted) {
    out.push(
      "",
      "Alignment adjusted for self-consistency (mean over rounds of rho − slope × self-consistency; one fit per population; 95% interval over rounds)",
    );
    out.push(
      table(
        ["level", "population", "model", "language", "adjusted", "ci_low", "ci_high", "slope", "rho"],
        r.alignmentAdjusted.map((a) => [a.level, a.population, a.model, a.language, a.adjusted, a.ci_low, a.ci_high, a.slope, a.rho]),
      ),
    );
  }
  if (r.crossEffects) out.push(...formatCrossEffects(r.crossEffects));
  out.push(...formatSurvey(r));
  if (r.proShare) {
    out.push(
      "",
      `How often pro: mean pro share over ${r.proShare.items.length} items (item bootstrap, ${r.proShare.replicates} replicates, 95% percentile interval)`,
    );
    out.push(
      table(
        ["kind", "name", "language", "share", "ci_low", "ci_high", "items"],
        r.proShare.rows.map((x) => [x.kind, x.name, x.language ?? "", x.share, x.ci_low, x.ci_high, x.items]),
      ),
    );
  }
  return out.join("\n");
}

/** The survey's correlation matrix and the value map as plain-text tables. */
function formatSurvey(r: ReproduceResult): string[] {
  const out: string[] = [];
  if (r.survey) {
    const countries = r.survey.countries.map((c) => c.population);
    const rho = new Map(r.survey.correlations.map((c) => [`${c.a}|${c.b}`, c.rho]));
    out.push("", `The survey: Spearman's rho between countries' pro shares over the items both have (${r.survey.itemList.length} items, ${r.survey.items})`);
    out.push(
      table(
        ["country", ...countries],
        countries.map((a) => [a, ...countries.map((b) => rho.get(`${a}|${b}`) ?? NaN)]),
        2,
      ),
    );
  }
  const map = r.valueMap;
  if (map?.reason) out.push("", `Value map: ${map.reason}`);
  else if (map) {
    out.push(
      "",
      `Value map (not the Inglehart–Welzel map): PCA of the countries' pro shares on ${map.items.length} items, PC1 ${(100 * map.explained[0]!).toFixed(1)}%, PC2 ${(100 * map.explained[1]!).toFixed(1)}%`,
    );
    out.push(table(["population", "pc1", "pc2"], [...map.countries.map((c) => [c.population, c.x, c.y])], 3));
    out.push(
      table(
        ["model", "language", "pc1", "pc2", "nearest", "share"],
        map.models.map((m) => [m.model, m.language, m.x, m.y, m.nearest, m.nearestShare]),
        3,
      ),
    );
  }
  return out;
}

/** The cross-effects gap per model: as published (self-pairs, pair bootstrap) and recommended (no self-pairs, item bootstrap). */
function formatCrossEffects(x: CrossEffects): string[] {
  return [
    "",
    `Conditioning-language cross-effects: consistency within minus between prompt languages (Pearson, divided by 1 − ${x.judgeErrorRate})`,
    table(
      ["model", "published", "ci_low", "ci_high", "recommended", "se", "ci_low", "ci_high"],
      x.gaps.map((g) => [
        g.model,
        g.published.gap,
        g.published.ci_low,
        g.published.ci_high,
        g.recommended.gap,
        g.recommended.se,
        g.recommended.ci_low,
        g.recommended.ci_high,
      ]),
      4,
    ),
    `As published: self-pairs counted, mean of ${x.rounds} rounds resampling the pair table. Recommended: no self-pairs, ${x.replicates} replicates resampling the ${x.items} items.`,
  ];
}

/** The study's own US-bias table, to set beside ours, when the workspace is its release (else undefined). */
export async function publishedUsBiasOf(workspace: Workspace, env: NodeJS.ProcessEnv = process.env): Promise<PublishedOls | undefined> {
  const isPaper = workspace.provenance.some((p) => p.key === "source" && p.value === "paper");
  return isPaper ? publishedUsBiasTable(await resolveRelease(env)) : undefined;
}

export async function reproduceCommand(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: "string" },
      rounds: { type: "string" },
      seed: { type: "string" },
      json: { type: "boolean" },
      parts: { type: "string" },
      metric: { type: "string" },
      procedure: { type: "string" },
      unit: { type: "string" },
      "survey-items": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    write(REPRODUCE_HELP);
    return;
  }
  const rounds = values.rounds === undefined ? 100 : positiveInt("rounds", values.rounds);
  const seed = values.seed ?? "1";
  if (seed.trim() === "") throw new Error(`--seed needs a value, e.g. --seed 7 (a number or a word)`);
  let parts = values.parts?.split(",").map((p) => oneOf("parts", p.trim(), PARTS)) as Part[] | undefined;
  const metric = values.metric ? oneOf<Metric>("metric", values.metric, METRICS) : undefined;
  const procedure = values.procedure ? oneOf<Procedure>("procedure", values.procedure, PROCEDURES) : undefined;
  const unit = values.unit ? oneOf<ResamplingUnit>("unit", values.unit, RESAMPLING_UNITS) : undefined;
  const surveyItems = values["survey-items"] ? oneOf<SurveyItems>("survey-items", values["survey-items"], SURVEY_ITEMS) : undefined;
  // The command line never falls back to the demo: what it computes is what was asked for.
  const { workspace, description, simulated } = await loadSource(
    values.source ?? (process.env[SOURCE_ENV]?.trim() || "paper"),
    process.env,
    undefined,
    undefined,
    [process.cwd(), REPO_ROOT],
  );
  if (!values.json) write(`Source: ${description}\n`);
  // A workspace without capability scores (a run with no benchmarks file) has every analysis but RQ1.
  if (!parts && workspace.benchmarks.length === 0) {
    parts = PARTS.filter((p) => p !== "rq1" && p !== "capabilityFigure");
    process.stderr.write(
      "RQ1 is left out: this workspace has no benchmark scores. Give a benchmarks CSV in the run config (see docs/pipeline.md) to fit it.\n",
    );
  }
  const publishedUsBias = await publishedUsBiasOf(workspace);
  const result = reproduce(workspace, {
    rounds,
    seed: /^-?\d+$/.test(seed) ? Number(seed) : seed,
    parts,
    metric,
    procedure,
    unit,
    publishedUsBias,
    surveyItems,
  });
  if (simulated && !values.json) write("SIMULATED DATA, not research results.\n");
  const json = () => {
    const { meta, ...rest } = reproduceJson(result);
    return { ...rest, meta: { ...meta, source: description, simulated } };
  };
  write(values.json ? `${JSON.stringify(json(), null, 2)}\n` : `${formatResult(result)}\n`);
}

/** The recommended analysis as plain-text tables. */
export function formatRecommended(r: RecommendedJson): string[] {
  const out = ["", `Recommended analysis: ${r.method}`];
  const cols = ["coef", "se", "ci_low", "ci_high", "p"];
  const nums = (t: { coef: number; se: number; ci_low: number; ci_high: number; p: number }) => [t.coef, t.se, t.ci_low, t.ci_high, pValue(t.p)];
  if (r.rq1) {
    out.push("", `RQ1 (recommended): ${r.rq1Formula}`);
    out.push(
      table(
        ["term", ...cols],
        r.rq1.map((t) => [t.term, ...nums(t)]),
      ),
    );
  }
  if (r.usBias) {
    out.push("", "US-centric bias (recommended): alignment with the US minus with the language's own countries, common items");
    out.push(
      table(
        ["model", "language", ...cols],
        [...r.usBias.map((b) => [b.model, b.language, ...nums(b)]), ...(r.usBiasMedian ?? []).map((b) => ["median model", b.language, ...nums(b)])],
        4,
      ),
    );
  }
  return out;
}

/** Whose opinions, as plain text: the median model's nearest countries per language, and the gap regressions. */
export function formatSimilarity(s: SimilarityResult): string[] {
  const rho = new Map(s.cells.filter((c) => c.model === MEDIAN_MODEL).map((c) => [`${c.language} ${c.country}`, c.coef]));
  const out = ["", `Whose opinions (recommended inference): ${s.method}`, "", "The median model's nearest countries per prompt language (rho)"];
  for (const n of s.nearest.filter((x) => x.model === MEDIAN_MODEL)) {
    out.push(sanitize(`${n.language}: ${n.countries.map((c) => `${c} ${rho.get(`${n.language} ${c}`)!.toFixed(3)}`).join(", ")}`));
  }
  out.push("", "The median model's gap (US minus country) regressed on the country's survey similarity to the US");
  out.push(
    table(
      ["gaps", "n", "slope", "ci_low", "ci_high", "ols_ci_low", "ols_ci_high", "r2"],
      s.regressions
        .filter((r) => r.model === MEDIAN_MODEL)
        .map((r) => [r.gaps, r.n, r.slope.coef, r.slope.ci_low, r.slope.ci_high, r.ols.ci_low, r.ols.ci_high, r.ols.r2]),
    ),
  );
  return out;
}

/** Personas, as plain text: per model and prompt language, congruent against incongruent, and the persona effect beside the language effect. */
function formatPersonas(p: PersonaResult): string[] {
  const e = (x: Estimate) => [x.coef, x.ci_low, x.ci_high];
  return [
    "",
    `Personas (recommended inference): ${p.method}`,
    table(
      [
        "model",
        "language",
        "congruent",
        "incongruent",
        "difference",
        "ci_low",
        "ci_high",
        "persona_eff",
        "ci_low",
        "ci_high",
        "language_eff",
        "ci_low",
        "ci_high",
      ],
      p.summaries.map((s) => [s.model, s.language, s.congruent.coef, s.incongruent.coef, ...e(s.difference), ...e(s.persona_effect), ...e(s.language_effect)]),
    ),
  ];
}

/** The study's unpublished analyses, as plain text: the median model's estimate of each, with its 95% interval. */
function formatUnpublished(u: UnpublishedResult): string[] {
  const median = <T extends { model: string }>(rows: readonly T[]) => rows.filter((r) => r.model === MEDIAN_MODEL);
  return [
    "",
    `The study's unpublished analyses (recommended inference; the median model): ${u.method}`,
    "",
    "Monocultural: alignment with the country prompted in its language minus in English",
    table(
      ["country", "language", "diff", "ci_low", "ci_high"],
      median(u.monocultural).map((e) => [e.country, e.language, e.coef, e.ci_low, e.ci_high]),
    ),
    "",
    "Cultural transfer: alignment with the country minus with the US, prompted in the country's language, on the items both have",
    table(
      ["country", "language", "items", "diff", "ci_low", "ci_high"],
      median(u.transfer).map((e) => [e.country, e.language, e.items, e.coef, e.ci_low, e.ci_high]),
    ),
    "",
    "Relative to the baseline: alignment minus the baseline's, prompted in the country's language",
    table(
      ["baseline", "country", "language", "diff", "ci_low", "ci_high"],
      median(u.aboveBaseline).map((e) => [e.baseline, e.country, e.language, e.coef, e.ci_low, e.ci_high]),
    ),
    "",
    "Extreme items: alignment with the language's speakers on the items with a pro share <= t or >= 1 - t",
    table(
      ["language", "t", "rho", "ci_low", "ci_high", "shift", "shift_low", "shift_high"],
      median(u.threshold.entries).map((e) => [e.language, e.t, e.rho.coef, e.rho.ci_low, e.rho.ci_high, e.shift.coef, e.shift.ci_low, e.shift.ci_high]),
    ),
  ];
}

/** Dispersion against each prompt language's own speakers (the JSON has every level and the items). */
function formatDispersion(d: DispersionResult): string[] {
  const cells = d.cells.filter((c) => c.level === (d.levels.includes("language") ? "language" : d.levels[0]));
  const assumed = `summary counts assumed (10) for ${(100 * d.assumed).toFixed(0)}% of the answers`;
  return [
    "",
    d.method,
    `Recommended inference, ${d.replicates} item-bootstrap replicates; ${assumed}.`,
    table(
      ["level", "population", "model", "language", "items", "observed", "expected", "ratio", "ci_low", "ci_high", "p"],
      cells.map((c) => [c.level, c.population, c.model, c.language, c.items, c.observed, c.expected, c.ratio, c.ci_low, c.ci_high, pValue(c.p)]),
    ),
  ];
}

/** The published US-bias table against ours, in two lines. */
function formatUsBiasPublished(p: UsBiasPublishedJson): string[] {
  const a = p.agreement;
  const fit = p.reproducedFit ? `; reproduced: n = ${p.reproducedFit.n}, R² = ${p.reproducedFit.r2.toFixed(3)}` : "";
  return [
    "",
    `The study's published US-bias table (${p.table.file}): n = ${p.table.n ?? "?"}, R² = ${p.table.r2 ?? "?"}${fit}.`,
    `β_BiasUS reproduced minus published: mean |difference| ${a.meanAbsDifference.toFixed(4)}, largest ${a.maxAbsDifference.toFixed(4)} (${a.matched} of ${a.published} cells); ` +
      `the published value lies inside our 95% interval in ${a.insideReproducedCi}, the same conclusion (interval above, below or across zero) in ${a.sameConclusion}. ` +
      `The study drew its bootstrap unseeded, so agreement can only be within Monte Carlo noise.`,
  ];
}

/** The residual diagnostics' shape statistics, one row per regression. */
function formatResiduals(d: ResidualDiagnostics): string[] {
  const rows = [d.rq1, d.usBias].flatMap((r) => (r ? [r] : []));
  return [
    "",
    `Residual diagnostics (standardized residuals; QQ plotting position ${d.plottingPosition})`,
    table(
      ["regression", "n", "skew", "kurtosis", "jarque_bera", "p", "omnibus", "p"],
      rows.map((r) => [
        r.formula,
        r.n,
        r.normality.skew,
        r.normality.kurtosis,
        r.normality.jarqueBera,
        pValue(r.normality.jarqueBeraP),
        r.normality.omnibus,
        pValue(r.normality.omnibusP),
      ]),
    ),
  ];
}
