/**
 * The survey's rules, kept apart from how the microdata is read (loaders/survey/groundTruth.ts
 * reads it with DuckDB): which answer counts as "pro", and the arithmetic of the survey's own
 * self-consistency and split-half ceiling (docs/pipeline.md, "Survey ground truth").
 *
 * The pro rule is data, {@link ProRule}: the SQL that computes the ground truth and the
 * JavaScript that computes the self-consistency both render it, so they cannot disagree.
 */
import type { Rng } from "./random.js";

/** Which valid answer code (1..largest) is "pro": `code <op> value`, negated when `inverted`. */
export interface ProRule {
  op: "=" | ">" | "<=";
  value: number;
  inverted: boolean;
}

/**
 * The pro rule of an item whose largest code is `maxCode`: on a 3-point scale, code 1; on a
 * 10-point scale, above 5; on any other scale, the lower half (code ≤ ⌊max / 2⌋). Inverted items
 * (E035, income equality) take the other side.
 */
export function proRule(maxCode: number, inverted: boolean): ProRule {
  if (maxCode === 3) return { op: "=", value: 1, inverted };
  if (maxCode === 10) return { op: ">", value: 5, inverted };
  return { op: "<=", value: Math.floor(maxCode / 2), inverted };
}

/** Whether a valid answer code is pro under the rule. */
export function isPro(rule: ProRule, code: number): boolean {
  const holds = rule.op === "=" ? code === rule.value : rule.op === ">" ? code > rule.value : code <= rule.value;
  return rule.inverted ? !holds : holds;
}

/** The rule as a SQL condition over a code expression (a quoted column). */
export function proRuleSql(rule: ProRule, code: string): string {
  const holds = `${code} ${rule.op} ${rule.value}`;
  return rule.inverted ? `NOT (${holds})` : holds;
}

/** The rule in words, e.g. "code > 5" or "not (code = 1), inverted". */
export function proRuleText(rule: ProRule): string {
  const holds = `code ${rule.op === "<=" ? "≤" : rule.op} ${rule.value}`;
  return rule.inverted ? `not (${holds}), inverted` : holds;
}

/** Each respondent's half (0 or 1) for the split-half ceiling: a seeded Fisher–Yates shuffle, then alternating. */
export function splitHalves(count: number, rng: Rng): Uint8Array {
  const half = new Uint8Array(count);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const [k, row] of order.entries()) half[row] = k % 2;
  return half;
}

export interface ItemAnswers {
  /** Rows with a valid answer (code > 0). */
  valid: number[];
  /** Whether each valid answer is pro (parallel to `valid`). */
  pro: boolean[];
  /** Per half: the summed weight of its valid answers, and of its pro ones. */
  halves: Array<{ w: number; p: number }>;
}

/** One item's valid answers, whether each is pro, and the two halves' weights. */
export function itemAnswers(rule: ProRule, codes: ArrayLike<number>, w: ArrayLike<number>, half: Uint8Array): ItemAnswers {
  const valid: number[] = [];
  const pro: boolean[] = [];
  const halves = [
    { w: 0, p: 0 },
    { w: 0, p: 0 },
  ];
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (!(c > 0)) continue;
    valid.push(i);
    const yes = isPro(rule, c);
    pro.push(yes);
    const h = halves[half[i]!]!;
    h.w += w[i]!;
    if (yes) h.p += w[i]!;
  }
  return { valid, pro, halves };
}

/**
 * `draws` weighted pro shares, each of `size` valid answers drawn without replacement (a
 * partial Fisher–Yates shuffle of the valid answers, continued from the last draw's order).
 */
export function drawShares(rng: Rng, answers: Pick<ItemAnswers, "valid" | "pro">, w: ArrayLike<number>, draws: number, size: number): Float64Array {
  const { valid, pro } = answers;
  const idx = valid.map((_, i) => i);
  const xs = new Float64Array(draws);
  for (let d = 0; d < draws; d++) {
    let sw = 0;
    let sp = 0;
    for (let j = 0; j < size; j++) {
      const pick = j + rng.int(idx.length - j);
      [idx[j], idx[pick]] = [idx[pick]!, idx[j]!];
      const row = valid[idx[j]!]!;
      sw += w[row]!;
      if (pro[idx[j]!]) sp += w[row]!;
    }
    xs[d] = sw > 0 ? sp / sw : NaN;
  }
  return xs;
}

/**
 * Pearson's r over all ordered pairs (a, b) of draws of the same item, a draw with itself
 * included: with μ the mean of every finite draw and D_i item i's finite draws,
 * r = Σ_i (Σ_a (x_a − μ))² / Σ_i (D_i · Σ_a (x_a − μ)²). Non-finite draws are skipped.
 */
export function pairsPearson(perItem: readonly Float64Array[]): number {
  let sum = 0;
  let count = 0;
  for (const xs of perItem) {
    for (const x of xs) {
      if (!Number.isFinite(x)) continue;
      sum += x;
      count++;
    }
  }
  if (count === 0) return NaN;
  const mu = sum / count;
  let num2 = 0;
  let den = 0;
  for (const xs of perItem) {
    let a = 0;
    let b = 0;
    let n = 0;
    for (const x of xs) {
      if (!Number.isFinite(x)) continue;
      a += x - mu;
      b += (x - mu) ** 2;
      n++;
    }
    num2 += a * a;
    den += n * b;
  }
  return den > 0 ? num2 / den : NaN;
}
