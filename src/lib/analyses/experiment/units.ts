/**
 * Response units: identical scored responses merged into one unit with a count. A unit
 * is (model, family, prompt language, item, VPS); the experiment never needs to tell two
 * identical responses apart, so its cost grows with units, not responses. Units come in
 * one canonical order whatever the order or the shape (rows or aggregated rows) of the
 * input, so a seed gives the same draws for the same data.
 */
import { countOf, type ResponseRow } from "../../workspace.js";

export interface ResponseUnit {
  model: string;
  family: string;
  language: string;
  item: string;
  vps: number;
  /** Responses the unit stands for. */
  count: number;
}

function compareUnits(a: ResponseUnit, b: ResponseUnit): number {
  for (const key of ["model", "family", "language", "item"] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return a.vps - b.vps;
}

/** The units of responses with a finite VPS that `keep` accepts, in canonical order. */
export function responseUnits(responses: readonly ResponseRow[], keep: (r: ResponseRow) => boolean = () => true): ResponseUnit[] {
  const units = new Map<string, ResponseUnit>();
  for (const r of responses) {
    const vps = r.vps;
    if (vps === null || vps === undefined || !Number.isFinite(vps) || !keep(r)) continue;
    const count = countOf(r);
    if (!(count >= 0) || !Number.isInteger(count))
      throw new Error(`A response row of ${r.model} (${r.language}, ${r.item}) has count ${count}; counts are non-negative integers`);
    if (count === 0) continue;
    const key = `${r.model}\u0000${r.family}\u0000${r.language}\u0000${r.item}\u0000${vps}`;
    const unit = units.get(key);
    if (unit) unit.count += count;
    else units.set(key, { model: r.model, family: r.family, language: r.language, item: r.item, vps, count });
  }
  return [...units.values()].sort(compareUnits);
}

/** Sorted distinct values, and the index of each among them. */
export function levelsOf(values: Iterable<number>): { sorted: Float64Array; index: Map<number, number> } {
  const sorted = Float64Array.from(new Set(values)).sort();
  return { sorted, index: new Map(Array.from(sorted, (v, i) => [v, i])) };
}

/** A function giving each distinct key a small integer, in order of first sight. */
export function idsOf<K>(): { id(key: K): number; readonly keys: K[] } {
  const map = new Map<K, number>();
  const keys: K[] = [];
  return {
    keys,
    id(key: K) {
      let v = map.get(key);
      if (v === undefined) {
        v = keys.length;
        map.set(key, v);
        keys.push(key);
      }
      return v;
    },
  };
}
