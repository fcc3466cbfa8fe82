/**
 * The analyses `reproduce` computes from its shared context (src/lib/analyses/context.ts),
 * each under its own key: the key is the part's name (`mca reproduce --parts`), its key in
 * `mca reproduce --json` and in the worker's answer, and what a page asks for
 * (src/lib/pageRequests.ts). An analysis is added here and nowhere else: its pure function
 * lives in a file of its own, and this entry says how the context feeds it.
 *
 * Each entry draws random numbers from a stream of its own (`createRng(c.seed, name)`, in the
 * function), so that computing a subset of the analyses gives the same numbers as computing
 * all of them. The study's core analyses (RQ1, US bias, consistency, alignment, the
 * recommended analysis, residuals), which share fits and details with each other, are run by
 * reproduce.ts itself.
 */
import { byLevel, type Context } from "./context.js";
import { crossEffects } from "./crossEffects/index.js";
import { dispersion } from "./dispersion.js";
import { personas } from "./personas.js";
import { proShare } from "./proShare.js";
import { similarity } from "./similarity.js";
import { surveyPopulations } from "./surveyPopulations.js";
import { unpublished } from "./unpublished/index.js";
import { valueMap } from "./valueMap.js";

interface Analysis<T> {
  /** One line for `mca reproduce --help`. */
  summary: string;
  run: (c: Context) => T;
}

const analysis = <T>(summary: string, run: (c: Context) => T): Analysis<T> => ({ summary, run });

export const ANALYSES = {
  crossEffects: analysis("conditioning-language cross-effects, as published and without self-pairs", (c) =>
    crossEffects(c.ws, { rounds: c.rounds, replicates: c.rounds, seed: c.seed, judgeErrorRate: c.options.judgeErrorRate, metric: c.metric }),
  ),
  survey: analysis("the survey's countries: pro shares per item and the country-by-country correlations", (c) =>
    surveyPopulations(c.ws.ground_truth, c.ws.populations, c.scored, c.options.surveyItems),
  ),
  valueMap: analysis("countries on a PCA of their pro shares, models projected, item-bootstrap clouds", (c) => {
    const map = valueMap(c.ws.ground_truth, c.ws.populations, c.scored, { rounds: c.rounds, seed: c.seed });
    map.models.sort((a, b) => c.byModel(a, b) || a.language.localeCompare(b.language));
    return map;
  }),
  similarity: analysis("whose opinions: alignment per prompt language and country, US gaps on survey similarity", (c) =>
    similarity(c.ws, { replicates: c.rounds, seed: c.seed, unit: c.options.unit, metric: c.metric }),
  ),
  dispersion: analysis("a model's within-item spread of VPS against a ten-person sample's binomial variance", (c) => {
    const out = dispersion(c.scored, c.ws.ground_truth, c.ws.populations, { levels: c.options.levels, replicates: c.rounds, seed: c.seed });
    byLevel(c, out.cells);
    byLevel(
      c,
      out.items.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)),
    );
    return out;
  }),
  personas: analysis("personas: congruent against incongruent persona countries, the persona effect beside the language effect", (c) =>
    personas(c.ws, { replicates: c.rounds, seed: c.seed }),
  ),
  proShare: analysis("how often each model takes the pro side, beside each country (the template analysis)", (c) => {
    const result = proShare(c.scored, c.ws.ground_truth, { replicates: c.rounds, seed: c.seed });
    result.rows.sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        c.byModel({ model: a.name }, { model: b.name }) ||
        (a.language ?? "").localeCompare(b.language ?? "") ||
        a.name.localeCompare(b.name),
    );
    return result;
  }),
  unpublished: analysis("the study's unpublished analyses: monocultural, cultural transfer, relative to a baseline, extreme items", (c) => {
    const out = unpublished(c.ws, { replicates: c.rounds, seed: c.seed, unit: c.options.unit, metric: c.metric });
    for (const list of [out.monocultural, out.transfer, out.aboveBaseline]) list.sort((a, b) => c.byModel(a, b));
    out.threshold.entries.sort((a, b) => c.byModel(a, b));
    return out;
  }),
};

export type RegisteredPart = keyof typeof ANALYSES;

/** Each registered analysis' result, under its key (absent when not asked for). */
export type RegisteredResults = { [K in RegisteredPart]?: ReturnType<(typeof ANALYSES)[K]["run"]> };

export const REGISTERED_PARTS = Object.keys(ANALYSES) as RegisteredPart[];
