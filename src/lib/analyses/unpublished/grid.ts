/**
 * What the study's unpublished analyses share: the countries' pro shares, each country's
 * prompt language, a population restricted to the items another has, and the keys of
 * their bootstrapped statistics.
 */
import type { GroundTruthRow } from "../../workspace.js";

export const ENGLISH = "en";

export const key = (...parts: string[]) => parts.join("\u0000");

/** Finite pro shares per population and item, at one level. */
export function truthAt(groundTruth: readonly GroundTruthRow[], level: GroundTruthRow["level"]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const g of groundTruth) {
    if (g.level !== level || !Number.isFinite(g.pro_score)) continue;
    if (!out.has(g.population)) out.set(g.population, new Map());
    out.get(g.population)!.set(g.item, g.pro_score);
  }
  return out;
}

/** The name of `a`'s pro shares on the items `b` also has (`a` itself when it has no others). */
export function restrictedName(truth: Map<string, Map<string, number>>, a: string, b: string): string {
  const other = truth.get(b)!;
  return [...truth.get(a)!.keys()].every((item) => other.has(item)) ? a : `${a}\u0001${b}`;
}

/** The country-level rows of `restrictedName(truth, a, b)` when it is a new population. */
export function restrictedRows(truth: Map<string, Map<string, number>>, a: string, b: string): GroundTruthRow[] {
  const name = restrictedName(truth, a, b);
  if (name === a) return [];
  const other = truth.get(b)!;
  return [...truth.get(a)!].filter(([item]) => other.has(item)).map(([item, pro_score]) => ({ level: "country", population: name, item, pro_score }));
}
