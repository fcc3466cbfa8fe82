/**
 * Model formulas and design matrices with the semantics of Python's patsy (which
 * statsmodels uses, and so the reference study): `y ~ 0 + a:b + c*d`, treatment
 * coding, and patsy's rule for choosing full-rank or reduced coding per factor so
 * the design has no redundant columns. Column names follow patsy exactly, e.g.
 * `multilingual:family[gemma]:language[Danish]` or `us[T.True]:model[T.gpt-4o]:language[da]`.
 *
 * Supported syntax: `+`, `:`, `*`, parentheses, `0`/`1`/`-1` for the intercept.
 */
import { matrix, type Matrix } from "./linalg.js";

/** A data frame as columns: numbers are numeric factors, strings categorical. */
export type Frame = Record<string, ArrayLike<number> | ReadonlyArray<string | null | undefined>>;

export interface Formula {
  response: string;
  intercept: boolean;
  /** Terms in written order, each an ordered list of factor names. */
  terms: string[][];
}

export interface DesignOptions {
  /** Level order per categorical factor; the first is the treatment reference. */
  levels?: Record<string, readonly string[]>;
}

export interface DesignTerm {
  /** patsy's term name, e.g. `consistency:language`. */
  name: string;
  factors: string[];
  /** Column range [start, end). */
  start: number;
  end: number;
}

export interface Design {
  formula: Formula;
  X: Matrix;
  y: Float64Array;
  columnNames: string[];
  terms: DesignTerm[];
  /** Index, in the input frame, of each row kept (rows with missing values are dropped). */
  rows: Int32Array;
  /** Levels of every categorical factor used. */
  levels: Record<string, string[]>;
}

// ---------------------------------------------------------------- parsing

type Token = { kind: "name" | "op" | "num"; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if ("+*:()-~".includes(ch)) {
      tokens.push({ kind: "op", text: ch });
      i++;
    } else if (/[0-9]/.test(ch)) {
      let j = i;
      while (j < text.length && /[0-9]/.test(text[j]!)) j++;
      tokens.push({ kind: "num", text: text.slice(i, j) });
      i = j;
    } else if (/[A-Za-z_.]/.test(ch)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_.]/.test(text[j]!)) j++;
      tokens.push({ kind: "name", text: text.slice(i, j) });
      i = j;
    } else {
      throw new Error(`Formula "${text}": unexpected character "${ch}" at position ${i + 1}`);
    }
  }
  return tokens;
}

function termKey(t: string[]): string {
  return [...t].sort().join("\u0000");
}

function unionTerms(a: string[][], b: string[][]): string[][] {
  const seen = new Set(a.map(termKey));
  const out = [...a];
  for (const t of b) {
    if (!seen.has(termKey(t))) {
      seen.add(termKey(t));
      out.push(t);
    }
  }
  return out;
}

function interact(a: string[][], b: string[][]): string[][] {
  const out: string[][] = [];
  for (const ta of a) {
    for (const tb of b) {
      const t = [...ta];
      for (const f of tb) if (!t.includes(f)) t.push(f);
      out.push(t);
    }
  }
  return unionTerms([], out);
}

/** Parses `response ~ rhs` into a response name, an intercept flag and terms. */
export function parseFormula(text: string): Formula {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    throw new Error(`Formula "${text}": ${what}`);
  };
  const lhs = tokens[pos++];
  if (lhs?.kind !== "name") fail("must start with the response variable, e.g. `alignment ~ ...`");
  if (peek()?.text !== "~") fail("expected `~` after the response variable");
  pos++;

  let intercept: boolean | undefined;
  const parseAtom = (): string[][] => {
    const t = tokens[pos++];
    if (!t) return fail("ends unexpectedly");
    if (t.kind === "name") return [[t.text]];
    if (t.kind === "num") {
      if (t.text === "0") intercept = false;
      else if (t.text === "1") intercept = intercept ?? true;
      else fail(`unexpected number ${t.text}`);
      return [];
    }
    if (t.text === "(") {
      const inner = parseSum();
      if (tokens[pos++]?.text !== ")") fail("missing `)`");
      return inner;
    }
    if (t.text === "-") {
      const n = tokens[pos++];
      if (n?.text === "1") {
        intercept = false;
        return [];
      }
      return fail("only `-1` is supported after `-`");
    }
    return fail(`unexpected "${t.text}"`);
  };
  const parseInteraction = (): string[][] => {
    let terms = parseAtom();
    while (peek()?.text === ":") {
      pos++;
      terms = interact(terms, parseAtom());
    }
    return terms;
  };
  const parseProduct = (): string[][] => {
    let terms = parseInteraction();
    while (peek()?.text === "*") {
      pos++;
      const right = parseInteraction();
      terms = unionTerms(unionTerms(terms, right), interact(terms, right));
    }
    return terms;
  };
  const parseSum = (): string[][] => {
    let terms = parseProduct();
    while (peek()?.text === "+" || peek()?.text === "-") {
      if (peek()!.text === "-") {
        terms = unionTerms(terms, parseAtom());
      } else {
        pos++;
        terms = unionTerms(terms, parseProduct());
      }
    }
    return terms;
  };
  const terms = parseSum();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos]!.text}"`);
  return { response: lhs!.text, intercept: intercept ?? true, terms };
}

// ---------------------------------------------------------------- coding

/** A factor inside a subterm, with full-rank (`+`) or reduced (`-`) coding. */
interface Coded {
  factor: string;
  full: boolean;
}
type Subterm = Coded[];

const codedKey = (c: Coded) => `${c.factor}${c.full ? "+" : "-"}`;
const subtermKey = (s: Subterm) => s.map(codedKey).sort().join("|");

/** All subsets of the factors, shortest first, ties in the factors' order (patsy's order). */
function subsetsSorted(factors: string[]): string[][] {
  const subsets: number[][] = [[]];
  for (let i = 0; i < factors.length; i++) {
    const n = subsets.length;
    for (let k = 0; k < n; k++) subsets.push([...subsets[k]!, i]);
  }
  subsets.sort((a, b) => {
    if (a.length !== b.length) return a.length - b.length;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  return subsets.map((s) => s.map((i) => factors[i]!));
}

function canAbsorb(long: Subterm, short: Subterm): boolean {
  if (long.length - short.length !== 1) return false;
  const keys = new Set(long.map(codedKey));
  return short.every((c) => keys.has(codedKey(c)));
}

function absorb(long: Subterm, short: Subterm): Subterm {
  const keys = new Set(short.map(codedKey));
  return long.map((c) => (keys.has(codedKey(c)) ? c : { factor: c.factor, full: true }));
}

/** patsy's pick_contrasts_for_term: which coding each subterm of a term gets. */
function pickContrasts(categorical: string[], used: Set<string>): Subterm[] {
  const subterms: Subterm[] = [];
  for (const subset of subsetsSorted(categorical)) {
    const st = subset.map((factor) => ({ factor, full: false }));
    if (!used.has(subtermKey(st))) subterms.push(st);
  }
  for (const st of subterms) used.add(subtermKey(st));
  // Greedy simplification, left to right, as patsy's _simplify_subterms.
  let changed = true;
  while (changed) {
    changed = false;
    outer: for (let i = 0; i < subterms.length; i++) {
      for (let j = i + 1; j < subterms.length; j++) {
        if (canAbsorb(subterms[j]!, subterms[i]!)) {
          subterms[j] = absorb(subterms[j]!, subterms[i]!);
          subterms.splice(i, 1);
          changed = true;
          break outer;
        }
      }
    }
  }
  return subterms;
}

function isNumericColumn(col: Frame[string]): col is ArrayLike<number> {
  if (col instanceof Float64Array || col instanceof Float32Array || col instanceof Int32Array) return true;
  if (!Array.isArray(col)) return typeof (col as ArrayLike<unknown>)[0] === "number";
  for (const v of col) {
    if (v === null || v === undefined) continue;
    return typeof v === "number";
  }
  return false;
}

// ---------------------------------------------------------------- design

/** One column of the design: its patsy name, and the factors whose product it is (a level: an indicator). */
interface ColumnSpec {
  name: string;
  parts: Array<{ factor: string; level?: string }>;
}

/** The variables a formula uses, checked against the frame: all present, of one length, the response numeric. */
function formulaVariables(formula: Formula, frame: Frame): { variables: Set<string>; numeric: Set<string>; n: number } {
  const variables = new Set<string>([formula.response, ...formula.terms.flat()]);
  const columns = Object.keys(frame);
  let n = -1;
  for (const v of variables) {
    const col = frame[v];
    if (!col) {
      throw new Error(`Formula variable "${v}" is not a column of the data (columns: ${columns.join(", ")})`);
    }
    if (n >= 0 && col.length !== n) throw new Error(`Column "${v}" has ${col.length} rows, others have ${n}`);
    n = col.length;
  }
  if (!isNumericColumn(frame[formula.response]!)) {
    throw new Error(`The response "${formula.response}" must be numeric`);
  }
  const numeric = new Set([...variables].filter((v) => isNumericColumn(frame[v]!)));
  return { variables, numeric, n: Math.max(n, 0) };
}

/** Rows with no missing value (NaN, null, undefined) in any of the variables. */
function completeRows(variables: Set<string>, frame: Frame, n: number): number[] {
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (const v of variables) {
      const x = frame[v]![i];
      if (x === null || x === undefined || (typeof x === "number" && Number.isNaN(x))) {
        ok = false;
        break;
      }
    }
    if (ok) keep.push(i);
  }
  return keep;
}

/** The levels of each categorical factor that occur in the kept rows: sorted, or in the declared order. */
function factorLevels(factors: Iterable<string>, frame: Frame, keep: readonly number[], options: DesignOptions): Record<string, string[]> {
  const levels: Record<string, string[]> = {};
  for (const v of factors) {
    const col = frame[v] as ReadonlyArray<string>;
    const present = new Set<string>();
    for (const i of keep) present.add(String(col[i]));
    const given = options.levels?.[v];
    if (given) {
      for (const level of present) {
        if (!given.includes(level)) {
          throw new Error(`Factor "${v}" has the value "${level}", which is not in its declared levels (${given.join(", ")})`);
        }
      }
      levels[v] = given.filter((l) => present.has(l));
    } else {
      levels[v] = [...present].sort();
    }
  }
  return levels;
}

/**
 * The terms grouped as patsy orders them: the intercept first, then one bucket per set of
 * numeric factors (the bucket without numeric factors first), each bucket sorted by degree.
 */
function termBuckets(formula: Formula, numeric: Set<string>): string[][][] {
  const all: string[][] = formula.intercept ? [[], ...formula.terms] : [...formula.terms];
  const buckets = new Map<string, string[][]>();
  for (const t of all) {
    const key = t
      .filter((f) => numeric.has(f))
      .sort()
      .join("|");
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key)!.push(t);
  }
  const bucketOrder = [...buckets.keys()];
  if (buckets.has("")) {
    bucketOrder.splice(bucketOrder.indexOf(""), 1);
    bucketOrder.unshift("");
  }
  return bucketOrder.map((key) => [...buckets.get(key)!].sort((a, b) => a.length - b.length));
}

/**
 * The columns of one coded subterm of a term: per factor in term order, its numeric column or
 * its levels (all of them under full coding, all but the reference under reduced), crossed with
 * the left-most factor varying fastest.
 */
function subtermColumns(term: readonly string[], subterm: Subterm, numeric: Set<string>, levels: Record<string, string[]>): ColumnSpec[] {
  const coding = new Map(subterm.map((c) => [c.factor, c.full]));
  const perFactor: Array<Array<{ label: string; factor: string; level?: string }>> = [];
  for (const f of term) {
    if (numeric.has(f)) {
      perFactor.push([{ label: f, factor: f }]);
    } else if (coding.has(f)) {
      const all = levels[f]!;
      const full = coding.get(f)!;
      const coded = full ? all : all.slice(1);
      perFactor.push(coded.map((l) => ({ label: full ? `${f}[${l}]` : `${f}[T.${l}]`, factor: f, level: l })));
    }
  }
  const counts = perFactor.map((p) => p.length);
  const total = counts.reduce((a, b) => a * b, 1);
  const columns: ColumnSpec[] = [];
  for (let c = 0; c < total; c++) {
    let rem = c;
    const parts: Array<{ label: string; factor: string; level?: string }> = [];
    for (let f = 0; f < perFactor.length; f++) {
      parts.push(perFactor[f]![rem % counts[f]!]!);
      rem = Math.floor(rem / counts[f]!);
    }
    columns.push({
      name: parts.length ? parts.map((p) => p.label).join(":") : "Intercept",
      parts: parts.map((p) => (p.level === undefined ? { factor: p.factor } : { factor: p.factor, level: p.level })),
    });
  }
  return columns;
}

/** Every column of the design, and each term's range of columns, with patsy's contrasts per bucket. */
function designColumns(buckets: string[][][], numeric: Set<string>, levels: Record<string, string[]>): { columns: ColumnSpec[]; terms: DesignTerm[] } {
  const columns: ColumnSpec[] = [];
  const terms: DesignTerm[] = [];
  for (const bucketTerms of buckets) {
    const coded = new Set<string>();
    for (const term of bucketTerms) {
      const start = columns.length;
      const categorical = term.filter((f) => !numeric.has(f));
      for (const subterm of pickContrasts(categorical, coded)) columns.push(...subtermColumns(term, subterm, numeric, levels));
      terms.push({ name: term.length ? term.join(":") : "Intercept", factors: term, start, end: columns.length });
    }
  }
  return { columns, terms };
}

/** The design matrix and response over the kept rows: each column the product of its numeric factors and level indicators. */
function fillDesign(columns: readonly ColumnSpec[], frame: Frame, response: string, keep: readonly number[]): { X: Matrix; y: Float64Array } {
  const p = columns.length;
  const X = matrix(keep.length, p);
  const y = new Float64Array(keep.length);
  const resp = frame[response] as ArrayLike<number>;
  for (let r = 0; r < keep.length; r++) {
    const i = keep[r]!;
    y[r] = resp[i]!;
    for (let j = 0; j < p; j++) {
      let v = 1;
      for (const part of columns[j]!.parts) {
        const x = frame[part.factor]![i];
        if (part.level === undefined) v *= x as number;
        else if (String(x) !== part.level) {
          v = 0;
          break;
        }
      }
      X.data[r * p + j] = v;
    }
  }
  return { X, y };
}

/**
 * Builds the design matrix of a formula over a frame: parse, then the rows and levels the data
 * has, then patsy's contrasts per term, then the matrix. Rows with a missing value (NaN, null,
 * undefined) in any variable used are dropped.
 */
export function designMatrix(formulaText: string | Formula, frame: Frame, options: DesignOptions = {}): Design {
  const formula = typeof formulaText === "string" ? parseFormula(formulaText) : formulaText;
  const { variables, numeric, n } = formulaVariables(formula, frame);
  const keep = completeRows(variables, frame, n);
  const categorical = [...variables].filter((v) => !numeric.has(v) && v !== formula.response);
  const levels = factorLevels(categorical, frame, keep, options);
  const { columns, terms } = designColumns(termBuckets(formula, numeric), numeric, levels);
  const { X, y } = fillDesign(columns, frame, formula.response, keep);
  return { formula, X, y, columnNames: columns.map((c) => c.name), terms, rows: Int32Array.from(keep), levels };
}
