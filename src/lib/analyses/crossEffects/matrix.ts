/**
 * Alignment with each country under each prompt language: per model, a language × country
 * matrix of full-data alignment with a bootstrap over items, and the home-language
 * advantage (alignment with a country when prompted in its dominant language, minus the
 * mean alignment with it under the other prompt languages).
 */
import type { Metric } from "../../correlation.js";
import type { Rng } from "../../random.js";
import type { Estimate } from "../../recommended/estimate.js";
import { bootstrapped, type Cells } from "../../recommended/usbias.js";
import { isBaseline, scoredResponses, type Workspace } from "../../workspace.js";
import { runExperiment } from "../experiment.js";
import { countryLanguages } from "../usbias.js";

export interface MatrixCell extends Estimate {
  model: string;
  /** The prompt language (ISO 639-1). */
  language: string;
  country: string;
  /** The prompt language is the country's dominant language. */
  home: boolean;
  /** Responses paired with the country's ground truth. */
  n: number;
}

export interface HomeAdvantage extends Estimate {
  model: string;
  /** The countries' language (ISO 639-1), or "all": the mean over languages. */
  language: string;
}

interface Frame {
  models: string[];
  languages: string[];
  /** Country → its dominant language, for countries with ground truth and a prompt language of their own. */
  home: Map<string, string>;
  countries: string[];
}

/** Per language, the mean over its countries of (home-language alignment − mean alignment under the other languages); and the mean over languages. */
function advantages(cells: Cells, model: string, f: Frame): Map<string, number> {
  const byLanguage = new Map<string, number[]>();
  for (const [country, own] of f.home) {
    const others = f.languages
      .filter((l) => l !== own)
      .map((l) => cells(model, country, l))
      .filter(Number.isFinite);
    const d = cells(model, country, own) - others.reduce((a, b) => a + b, 0) / others.length;
    if (Number.isFinite(d)) byLanguage.set(own, [...(byLanguage.get(own) ?? []), d]);
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const out = new Map([...byLanguage].map(([l, ds]) => [l, mean(ds)]));
  if (out.size) out.set("all", mean([...out.values()]));
  return out;
}

function statistics(cells: Cells, f: Frame): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of f.models) {
    for (const l of f.languages) for (const c of f.countries) out.set(`cell\u0000${m}\u0000${l}\u0000${c}`, cells(m, c, l));
    for (const [l, v] of advantages(cells, m, f)) out.set(`home\u0000${m}\u0000${l}`, v);
  }
  return out;
}

/** The matrix and the home-language advantage of every model but the baselines, with `replicates` item-bootstrap draws. */
export function crossMatrix(ws: Workspace, replicates: number, rng: Rng, metric: Metric = "spearman"): { cells: MatrixCell[]; home: HomeAdvantage[] } {
  const responses = scoredResponses(ws.responses).filter((r) => !isBaseline(r.model));
  const exp = runExperiment(responses, ws.ground_truth, { level: "country", rounds: replicates, rng, metric, procedure: "items", judgeErrorRate: 0 });
  const languages = [...new Set(exp.alignmentGroups.map((g) => g.language))].sort();
  const countries = [...new Set(exp.alignmentGroups.map((g) => g.population))].sort();
  const languageOf = countryLanguages(ws.populations);
  const home = new Map(countries.filter((c) => languages.includes(languageOf.get(c) ?? "")).map((c) => [c, languageOf.get(c)!]));
  const f: Frame = { models: [...new Set(exp.alignmentGroups.map((g) => g.model))], languages, home, countries };
  const est = bootstrapped(exp, (cells) => statistics(cells, f));
  const cells = exp.alignmentGroups.map((g) => ({
    model: g.model,
    language: g.language,
    country: g.population,
    home: home.get(g.population) === g.language,
    n: g.n,
    ...est.get(`cell\u0000${g.model}\u0000${g.language}\u0000${g.population}`)!,
  }));
  const homeRows = f.models.flatMap((model) =>
    [...new Set(home.values()), "all"]
      .sort()
      .filter((l) => est.has(`home\u0000${model}\u0000${l}`))
      .map((language) => ({ model, language, ...est.get(`home\u0000${model}\u0000${language}`)! })),
  );
  return { cells, home: homeRows };
}
