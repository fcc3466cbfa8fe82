/**
 * The cross-effects analysis' input: each model's responses to each item, merged into
 * units (identical VPS in one language) and summed per language. Built once; the
 * statistics and both bootstraps read only these.
 */
import { isBaseline, scoredResponses, type ResponseRow } from "../../workspace.js";
import { responseUnits, type ResponseUnit } from "../experiment/units.js";
import type { LanguageSums } from "./moments.js";

/** One model's responses to one item. */
export interface Block {
  /** Index into `CrossBlocks.items`. */
  item: number;
  /** The block's units (distinct language × VPS), with their counts. */
  units: ResponseUnit[];
  /** Per prompt language present: n, Σvps, Σvps². */
  sums: LanguageSums[];
}

export interface ModelBlocks {
  model: string;
  family: string;
  languages: string[];
  blocks: Block[];
}

export interface CrossBlocks {
  items: string[];
  models: ModelBlocks[];
}

function sumsOf(units: readonly ResponseUnit[]): LanguageSums[] {
  const byLanguage = new Map<string, LanguageSums>();
  for (const u of units) {
    const l = byLanguage.get(u.language) ?? { n: 0, s: 0, q: 0 };
    l.n += u.count;
    l.s += u.count * u.vps;
    l.q += u.count * u.vps * u.vps;
    byLanguage.set(u.language, l);
  }
  return [...byLanguage.values()];
}

/** The blocks of every model but the baselines (the study's table had none), models in `order`. */
export function crossBlocks(responses: readonly ResponseRow[], order: readonly string[] = []): CrossBlocks {
  const units = responseUnits(scoredResponses(responses), (r) => !isBaseline(r.model));
  const items = [...new Set(units.map((u) => u.item))].sort();
  const itemIndex = new Map(items.map((item, i) => [item, i]));
  const byModel = new Map<string, ModelBlocks & { byItem: Map<number, ResponseUnit[]> }>();
  for (const u of units) {
    if (!byModel.has(u.model)) byModel.set(u.model, { model: u.model, family: u.family, languages: [], blocks: [], byItem: new Map() });
    const m = byModel.get(u.model)!;
    const item = itemIndex.get(u.item)!;
    m.byItem.set(item, [...(m.byItem.get(item) ?? []), u]);
    if (!m.languages.includes(u.language)) m.languages.push(u.language);
  }
  const rank = (model: string) => (order.includes(model) ? order.indexOf(model) : order.length);
  const models = [...byModel.values()]
    .sort((a, b) => rank(a.model) - rank(b.model) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0))
    .map(({ byItem, ...m }) => ({
      ...m,
      languages: m.languages.sort(),
      blocks: [...byItem].sort((a, b) => a[0] - b[0]).map(([item, us]) => ({ item, units: us, sums: sumsOf(us) })),
    }));
  return { items, models };
}
