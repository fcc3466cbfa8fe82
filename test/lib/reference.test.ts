/**
 * The statistics core against independent reference values from statsmodels 0.13.5,
 * scipy 1.10.1 and lme4 1.1.31 (test/reference: the fixtures, the scripts that
 * produced every value, and how to rerun them). Tolerances are stated per check.
 */
import { csvParse } from "d3-dsv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { averageRanks, pearson, spearman } from "../../src/lib/correlation.js";
import { normalCdf, normalQuantile, tCdf, tQuantile, twoSidedTP } from "../../src/lib/distributions.js";
import { designMatrix, type Design, type Frame } from "../../src/lib/formula.js";
import { matrix } from "../../src/lib/linalg.js";
import { mixedDesign, mixedLm, type MixedFit } from "../../src/lib/mixed.js";
import { ols, type OlsFit } from "../../src/lib/ols.js";
import { REPO_ROOT } from "../../loaders/paths.js";

const REF = join(REPO_ROOT, "test", "reference");
const json = (name: string) => JSON.parse(readFileSync(join(REF, "expected", name), "utf8"));

function fixture(name: string): Frame {
  const rows = csvParse(readFileSync(join(REF, "fixtures", name), "utf8"));
  const frame: Record<string, number[] | string[]> = {};
  for (const col of rows.columns) {
    const values = rows.map((r) => r[col] ?? "");
    const numeric = values.every((v) => v === "" || !Number.isNaN(Number(v)));
    frame[col] = numeric && !["group", "us"].includes(col) ? values.map((v) => (v === "" ? NaN : Number(v))) : values;
  }
  return frame;
}

/** |a − b| ≤ tol × max(1, |b|). */
function close(a: number, b: number, tol: number, what: string) {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

const MIXED_FORMULAS: Record<string, string> = {
  interaction: "y ~ 0 + x1:lang + x2:cat:lang",
  normal: "y ~ 0 + x1 + x2:cat:lang",
  no_x1: "y ~ 0 + x2:cat:lang",
  intercept: "y ~ x",
};

describe("linear mixed model (REML, random intercept) against statsmodels and lme4", () => {
  const cases = [
    ["mixed_unbalanced", "interaction"],
    ["mixed_unbalanced", "normal"],
    ["mixed_unbalanced", "no_x1"],
    ["mixed_balanced", "interaction"],
    ["mixed_balanced", "normal"],
    ["mixed_balanced", "no_x1"],
    ["mixed_small", "intercept"],
  ] as const;
  for (const [name, key] of cases) {
    it(`${name}: ${MIXED_FORMULAS[key]}`, () => {
      const fit = mixedLm(MIXED_FORMULAS[key]!, fixture(`${name}.csv`), "group");
      const sm = json(`statsmodels_${name}_${key}.json`);
      const tight = sm.tight_fit;
      const lme4 = json(`lme4_${name}_${key}.json`);
      // Same terms, in patsy's order and naming.
      expect(fit.coefficients.map((c) => c.term)).toEqual(sm.exog_names);
      expect(fit.n).toBe(sm.n);
      expect(fit.nGroups).toBe(sm.n_groups);
      // The REML optimum: statsmodels' tightly converged fit and lme4 agree to ~1e-8; so must we.
      fit.coefficients.forEach((c, j) => {
        close(c.coef, tight.coef[j], 1e-6, `coef ${c.term} vs statsmodels`);
        close(c.coef, lme4.coef[lme4.patsy_name.indexOf(c.term)], 1e-6, `coef ${c.term} vs lme4`);
        // Standard errors: statsmodels' joint-Hessian formula (ours), to 1e-5 relative.
        close(c.se, tight.se[j], 1e-5, `se ${c.term}`);
        close(c.stat, tight.z[j], 1e-4, `z ${c.term}`);
        close(c.ci_low, tight.ci_low[j], 1e-5, `ci_low ${c.term}`);
        close(c.ci_high, tight.ci_high[j], 1e-5, `ci_high ${c.term}`);
        // lme4 uses sqrt(diag(σ²(X'V⁻¹X)⁻¹)), narrower by up to 0.3%.
        expect(Math.abs(c.se / lme4.se[lme4.patsy_name.indexOf(c.term)] - 1)).toBeLessThan(3e-3);
      });
      close(fit.groupVar / tight.group_var, 1, 1e-5, "group variance");
      close(fit.groupVar / lme4.group_var, 1, 1e-5, "group variance vs lme4");
      close(fit.scale / tight.scale, 1, 1e-6, "residual scale");
      close(fit.llf, tight.llf, 1e-8, "REML log-likelihood");
      close(fit.llf, lme4.logLik, 1e-8, "REML log-likelihood vs lme4");
      close(fit.groupVarSe / tight.group_var_se, 1, 1e-4, "group variance SE");
      close(fit.fixedVar, tight.fitted_fixed_var, 1e-6, "var(Xβ)");
      close(fit.marginalR2, tight.r2_marginal, 1e-6, "marginal R²");
      close(fit.conditionalR2, tight.r2_conditional, 1e-6, "conditional R²");
      for (const re of fit.randomEffects) close(re.value, lme4.random_effects[re.group], 1e-5, `BLUP ${re.group}`);
      // The default statsmodels fit (what the study's users get) stops a little early.
      fit.coefficients.forEach((c, j) => {
        close(c.coef, sm.coef[j], 1e-4, `coef ${c.term} vs default fit`);
      });
    });
  }

  it("handles a group of one observation", () => {
    const frame = fixture("mixed_unbalanced.csv");
    const groups = frame.group as string[];
    const sizes = new Map<string, number>();
    for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
    expect([...sizes.values()]).toContain(1);
    const fit = mixedLm("y ~ 0 + x1:lang + x2:cat:lang", frame, "group");
    expect(fit.groupSizes.min).toBe(1);
    expect(fit.converged).toBe(true);
  });

  it("refuses a design it cannot identify, and a missing grouping column", () => {
    expect(() => mixedLm("y ~ x", { y: [1, 2], x: [1, 2], g: ["a", "b"] }, "g")).toThrow(/cannot identify/);
    expect(() => mixedLm("y ~ x", { y: [1, 2, 3], x: [1, 2, 4] }, "model")).toThrow(/Grouping column "model"/);
  });
});

describe("OLS against statsmodels", () => {
  for (const [file, formula, ref] of [
    ["ols_us.csv", "y ~ us * model:lang", "statsmodels_ols_us.json"],
    ["ols_adjust.csv", "y ~ 0 + x1:lang + lang:model", "statsmodels_ols_adjust.json"],
  ] as const) {
    it(formula, () => {
      const fit = ols(formula, fixture(file));
      const sm = json(ref);
      expect(fit.coefficients.map((c) => c.term)).toEqual(sm.exog_names);
      fit.coefficients.forEach((c, j) => {
        close(c.coef, sm.coef[j], 1e-9, `coef ${c.term}`);
        close(c.se, sm.se[j], 1e-9, `se ${c.term}`);
        close(c.stat, sm.t[j], 1e-8, `t ${c.term}`);
        close(c.p, sm.p[j], 1e-9, `p ${c.term}`);
        close(c.ci_low, sm.ci_low[j], 1e-9, `ci_low ${c.term}`);
        close(c.ci_high, sm.ci_high[j], 1e-9, `ci_high ${c.term}`);
      });
      close(fit.r2, sm.rsquared, 1e-10, "R²");
      close(fit.adjR2, sm.rsquared_adj, 1e-10, "adjusted R²");
      close(fit.rss, sm.ssr, 1e-10, "RSS");
      expect(fit.dfResid).toBe(sm.df_resid);
    });
  }

  it("reports a column with no observations as NaN instead of failing", () => {
    const fit = ols("y ~ 0 + g", { y: [1, 2, 3, 4], g: ["a", "a", "b", "b"] }, { levels: { g: ["a", "b", "c"] } });
    expect(fit.coefficients.map((c) => c.term)).toEqual(["g[a]", "g[b]"]);
    const empty = ols("y ~ 0 + x:g", { y: [1, 2, 3, 4], x: [0, 0, 1, 2], g: ["a", "a", "b", "b"] });
    expect(empty.dropped).toEqual(["x:g[a]"]);
    expect(empty.coefficients[0]!.coef).toBeNaN();
    close(empty.coefficients[1]!.coef, (3 * 1 + 4 * 2) / 5, 1e-12, "x:g[b]");
  });
});

/**
 * Missing values, empty groups and empty cells, against statsmodels (missing_reference.py →
 * expected/missing_statsmodels.json) and lme4 (missing_lme4.R → expected/missing_lme4.json).
 * See test/reference/README.md, "Missing values, empty groups and empty cells".
 */
describe("missing values, empty groups and empty cells, against statsmodels and lme4", () => {
  type OlsRef = {
    formula: string;
    n: number;
    rows_kept: number[];
    exog_names: string[];
    zero_column: boolean[];
    rank: number;
    df_resid: number;
    coef: number[];
    se: number[];
    t: Array<number | null>;
    p: Array<number | null>;
    ci_low: number[];
    ci_high: number[];
    rsquared: number;
    rsquared_adj: number;
    ssr: number;
  };
  const smRef = json("missing_statsmodels.json");
  const lme4Ref = json("missing_lme4.json");
  const olsRef = (key: string) => smRef.ols[key] as OlsRef;

  /**
   * Our OLS against a statsmodels fit. A column that is all zeros in statsmodels' design
   * is NaN in ours and listed in `dropped`, or, for a level seen only on dropped rows
   * (`absent`), not a column at all. Every other column: coef, SE, CI and p to 1e-9, t to
   * 1e-8 (|a − b| ≤ tol·max(1, |b|)); R², adjusted R² and RSS to 1e-10; df exactly.
   */
  function checkOls(fit: OlsFit, ref: OlsRef, absent: string[] = []) {
    expect(fit.coefficients.map((c) => c.term)).toEqual(ref.exog_names.filter((nm) => !absent.includes(nm)));
    expect(fit.n).toBe(ref.n);
    // statsmodels: df_resid = n − rank; ours: n − (number of columns fitted).
    expect(fit.dfResid).toBe(ref.df_resid);
    expect(fit.dropped).toEqual(ref.exog_names.filter((nm, j) => ref.zero_column[j] && !absent.includes(nm)));
    for (const c of fit.coefficients) {
      const j = ref.exog_names.indexOf(c.term);
      if (ref.zero_column[j]) {
        // statsmodels' pinv reports 0 or rounding noise with an SE of ~0 and a meaningless t.
        expect(Math.abs(ref.coef[j]!)).toBeLessThan(1e-12);
        expect(Math.abs(ref.se[j]!)).toBeLessThan(1e-12);
        for (const v of [c.coef, c.se, c.stat, c.p, c.ci_low, c.ci_high]) expect(v).toBeNaN();
        continue;
      }
      close(c.coef, ref.coef[j]!, 1e-9, `coef ${c.term}`);
      close(c.se, ref.se[j]!, 1e-9, `se ${c.term}`);
      close(c.stat, ref.t[j]!, 1e-8, `t ${c.term}`);
      close(c.p, ref.p[j]!, 1e-9, `p ${c.term}`);
      close(c.ci_low, ref.ci_low[j]!, 1e-9, `ci_low ${c.term}`);
      close(c.ci_high, ref.ci_high[j]!, 1e-9, `ci_high ${c.term}`);
    }
    close(fit.r2, ref.rsquared, 1e-10, "R²");
    close(fit.adjR2, ref.rsquared_adj, 1e-10, "adjusted R²");
    close(fit.rss, ref.ssr, 1e-10, "RSS");
  }

  it("OLS drops the rows with NaN in the response or a predictor, and only those (statsmodels missing='drop')", () => {
    const frame = fixture("ols_nan.csv");
    const ref = olsRef("nan");
    const isNan = (col: string) => (i: number) => Number.isNaN((frame[col] as number[])[i]!);
    const all = Array.from({ length: (frame.y as number[]).length }, (_, i) => i);
    // The fixture really has NaN in y, x1 and x2, and NaN in `w` (not in the formula) on kept rows.
    for (const col of ["y", "x1", "x2"]) expect(all.filter(isNan(col)).length).toBeGreaterThan(5);
    expect(ref.rows_kept.filter(isNan("w")).length).toBeGreaterThan(5);
    expect(Array.from(designMatrix(ref.formula, frame).rows)).toEqual(ref.rows_kept);
    checkOls(ols(ref.formula, frame), ref);
  });

  it("OLS: a level seen only on dropped rows is not a column (statsmodels keeps it as an all-zero column)", () => {
    const frame = fixture("ols_nan.csv");
    const ref = olsRef("nan_empty_level");
    expect(ref.exog_names).toContain("judge[T.C]");
    expect(ref.rank).toBe(ref.exog_names.length - 1);
    expect(Array.from(designMatrix(ref.formula, frame).rows)).toEqual(ref.rows_kept);
    checkOls(ols(ref.formula, frame), ref, ["judge[T.C]"]);
  });

  for (const key of ["empty_cell_us", "empty_cell_adjust", "empty_cell_means"]) {
    it(`OLS with an empty interaction cell, ${olsRef(key).formula}: NaN for the empty column, the rest as statsmodels`, () => {
      const ref = olsRef(key);
      expect(ref.zero_column.some(Boolean)).toBe(true);
      checkOls(ols(ref.formula, fixture("ols_empty_cell.csv")), ref);
    });
  }

  it("OLS with an empty cell in a reference level: refused as rank deficient; re-levelled, it matches statsmodels", () => {
    const frame = fixture("ols_empty_ref.csv");
    const pinv = olsRef("empty_ref");
    // No all-zero column, 9 columns of rank 8: statsmodels returns pinv's minimum-norm solution.
    expect(pinv.zero_column.some(Boolean)).toBe(false);
    expect(pinv.rank).toBe(pinv.exog_names.length - 1);
    expect(() => ols("y ~ a * b", frame)).toThrow(/rank deficient/);
    // With a2 as the reference the empty cell (a1, q) is an all-zero column, dropped.
    const fit = ols("y ~ a * b", frame, { levels: { a: ["a2", "a1", "a3"] } });
    checkOls(fit, olsRef("empty_ref_relevel"));
    // Same column space as the pinv fit: same RSS, R² and residual df.
    close(fit.rss, pinv.ssr, 1e-10, "RSS vs pinv fit");
    close(fit.r2, pinv.rsquared, 1e-10, "R² vs pinv fit");
    expect(fit.dfResid).toBe(pinv.df_resid);
  });

  /** A design without some of its columns (what lme4 fits after dropping them). */
  function withoutColumns(d: Design, drop: readonly string[]): Design {
    const keep = d.columnNames.map((_, j) => j).filter((j) => !drop.includes(d.columnNames[j]!));
    expect(keep.length).toBe(d.columnNames.length - drop.length);
    const X = matrix(d.X.rows, keep.length);
    for (let i = 0; i < d.X.rows; i++)
      keep.forEach((j, k) => {
        X.data[i * keep.length + k] = d.X.data[i * d.X.cols + j]!;
      });
    // `terms` (column ranges) no longer apply; the mixed model does not use them.
    return { ...d, X, columnNames: keep.map((j) => d.columnNames[j]!), terms: [] };
  }

  /**
   * Our mixed fit against statsmodels' tightly converged fit and lme4, with the tolerances of
   * the main mixed-model tests: coef 1e-6 (both), SE, CI 1e-5 and z 1e-4 (statsmodels), group
   * variance 1e-5 relative (both), residual variance 1e-6 relative (both), REML llf 1e-8 (both),
   * group-variance SE 1e-4 relative, R² 1e-6, BLUPs 1e-5 (lme4); SE 0–1 % wider than lme4's GLS SE.
   */
  function checkMixed(fit: MixedFit, key: string) {
    const sm = smRef.mixed[key];
    const lme4 = lme4Ref.mixed[key];
    const t = sm.tight_fit;
    expect(fit.coefficients.map((c) => c.term)).toEqual(sm.exog_names);
    expect([...lme4.patsy_name].sort()).toEqual([...sm.exog_names].sort());
    expect(fit.n).toBe(sm.n);
    expect(fit.n).toBe(lme4.n);
    expect(fit.nGroups).toBe(sm.n_groups);
    expect(fit.nGroups).toBe(lme4.n_groups);
    expect(fit.randomEffects.map((r) => r.group)).toEqual(lme4.group_levels);
    expect(fit.groupSizes.min).toBe(Math.min(...(Object.values(sm.group_sizes) as number[])));
    fit.coefficients.forEach((c, j) => {
      const l = lme4.patsy_name.indexOf(c.term);
      close(c.coef, t.coef[j], 1e-6, `coef ${c.term} vs statsmodels`);
      close(c.coef, lme4.coef[l], 1e-6, `coef ${c.term} vs lme4`);
      close(c.se, t.se[j], 1e-5, `se ${c.term}`);
      close(c.stat, t.z[j], 1e-4, `z ${c.term}`);
      close(c.ci_low, t.ci_low[j], 1e-5, `ci_low ${c.term}`);
      close(c.ci_high, t.ci_high[j], 1e-5, `ci_high ${c.term}`);
      // lme4's SE is the GLS formula sqrt(diag(σ²(X'V₀⁻¹X)⁻¹)) (checked to 1e-6 relative); ours and
      // statsmodels' invert the joint (β, γ) Hessian, always wider: here by up to 0.77 %.
      close(lme4.se[l] / sm.check_tight.se_gls[j], 1, 1e-6, `lme4 se ${c.term} vs GLS formula`);
      const wider = c.se / lme4.se[l] - 1;
      expect(wider, `se ${c.term} vs lme4`).toBeGreaterThanOrEqual(0);
      expect(wider, `se ${c.term} vs lme4`).toBeLessThan(1e-2);
      close(c.coef, sm.default_fit.coef[j], 1e-4, `coef ${c.term} vs default fit`);
    });
    close(fit.groupVar / t.group_var, 1, 1e-5, "group variance");
    close(fit.groupVar / lme4.group_var, 1, 1e-5, "group variance vs lme4");
    close(fit.scale / t.scale, 1, 1e-6, "residual scale");
    close(fit.scale / lme4.resid_var, 1, 1e-6, "residual scale vs lme4");
    close(fit.llf, t.llf, 1e-8, "REML log-likelihood");
    close(fit.llf, lme4.logLik, 1e-8, "REML log-likelihood vs lme4");
    close(fit.groupVarSe / t.group_var_se, 1, 1e-4, "group variance SE");
    close(fit.marginalR2, t.r2_marginal, 1e-6, "marginal R²");
    close(fit.conditionalR2, t.r2_conditional, 1e-6, "conditional R²");
    for (const re of fit.randomEffects) close(re.value, lme4.random_effects[re.group], 1e-5, `BLUP ${re.group}`);
  }

  for (const key of ["nan_interaction", "nan_treatment"]) {
    it(`mixed model with NaN rows, an emptied group and a group of one: ${smRef.mixed[key].formula}`, () => {
      const sm = smRef.mixed[key];
      const frame = fixture("mixed_nan.csv");
      expect(Array.from(designMatrix(sm.formula, frame).rows)).toEqual(sm.rows_kept);
      expect(lme4Ref.mixed[key].rows_kept).toEqual(sm.rows_kept);
      // olmo_13b has rows, all with y missing: no group after the drop. gemma_9b keeps one row.
      expect(sm.groups_raw).toContain("olmo_13b");
      expect(Object.keys(sm.group_sizes)).not.toContain("olmo_13b");
      expect(sm.group_sizes.gemma_9b).toBe(1);
      const fit = mixedLm(sm.formula, frame, "group");
      expect(fit.groupSizes.min).toBe(1);
      checkMixed(fit, key);
    });
  }

  it("mixed model: a level seen only on dropped rows is not a column (as statsmodels with missing='drop', and lme4)", () => {
    const sm = smRef.mixed.empty_level;
    expect(sm.exog_names).not.toContain("src[T.s3]");
    const fit = mixedLm(sm.formula, fixture("mixed_empty.csv"), "group");
    checkMixed(fit, "empty_level");
  });

  it("mixed model with an empty interaction cell: the empty column is dropped, as lme4 does (statsmodels refuses)", () => {
    const sm = smRef.mixed.empty_cell;
    const frame = fixture("mixed_empty.csv");
    expect(sm.formula_fit.result).toMatch(/^LinAlgError/);
    expect(lme4Ref.mixed.empty_cell.dropped_columns).toEqual(["x2:cat[olmo]:lang[Dutch]"]);
    expect(sm.dropped_columns).toEqual(lme4Ref.mixed.empty_cell.dropped_columns);
    // mixedLm drops the all-zero column itself, reports it, and gives it NaN; the rest is lme4's fit.
    const fit = mixedLm(sm.formula, frame, "group");
    expect(fit.dropped).toEqual(sm.dropped_columns);
    const empty = fit.coefficients.find((c) => c.term === sm.dropped_columns[0]);
    expect(empty && Number.isNaN(empty.coef) && Number.isNaN(empty.se)).toBe(true);
    checkMixed({ ...fit, coefficients: fit.coefficients.filter((c) => !sm.dropped_columns.includes(c.term)) }, "empty_cell");
    const design = designMatrix(sm.formula, frame);
    const groups = Array.from(design.rows, (i) => String((frame.group as string[])[i]));
    checkMixed(mixedDesign(withoutColumns(design, sm.dropped_columns), groups), "empty_cell");
  });

  it("mixed model with an empty cell in a reference level: refused (statsmodels returns llf = inf); reduced, as lme4", () => {
    const sm = smRef.mixed.empty_ref_cell;
    const frame = fixture("mixed_empty.csv");
    const options = { levels: { lang: ["Dutch", "Danish", "English", "Portuguese"] } };
    const formula = "y ~ x1 + cat * lang";
    // No all-zero column, yet rank deficient: statsmodels "converges" to llf = inf with NaN SEs.
    expect(sm.design_zero_column.some(Boolean)).toBe(false);
    expect(sm.design_rank).toBe(sm.design_names.length - 1);
    expect(sm.formula_fit.llf).toBe("inf");
    expect(sm.dropped_columns).toEqual(lme4Ref.mixed.empty_ref_cell.dropped_columns);
    expect(() => mixedLm(formula, frame, "group", options)).toThrow(/singular/);
    const design = designMatrix(formula, frame, options);
    expect(design.columnNames).toEqual(sm.design_names);
    const groups = Array.from(design.rows, (i) => String((frame.group as string[])[i]));
    checkMixed(mixedDesign(withoutColumns(design, sm.dropped_columns), groups), "empty_ref_cell");
  });
});

describe("design matrices: patsy's terms and coding", () => {
  it("codes the study's RQ1 formula with full-rank interactions, first factor fastest", () => {
    const d = designMatrix("alignment ~ 0 + consistency:language + multilingual:family:language", {
      alignment: [1, 2, 3, 4],
      consistency: [0.1, 0.2, 0.3, 0.4],
      multilingual: [0.5, 0.6, 0.7, 0.8],
      family: ["gemma", "olmo", "gemma", "olmo"],
      language: ["Danish", "Danish", "Dutch", "Dutch"],
    });
    expect(d.columnNames).toEqual([
      "consistency:language[Danish]",
      "consistency:language[Dutch]",
      "multilingual:family[gemma]:language[Danish]",
      "multilingual:family[olmo]:language[Danish]",
      "multilingual:family[gemma]:language[Dutch]",
      "multilingual:family[olmo]:language[Dutch]",
    ]);
    // Row 2 (olmo, Danish): consistency 0.2 in column 0, multilingual 0.6 in column 3.
    expect(Array.from(d.X.data.slice(6, 12))).toEqual([0.2, 0, 0, 0.6, 0, 0]);
  });

  it("drops rows with a missing value", () => {
    const d = designMatrix("y ~ x", { y: [1, NaN, 3, 4], x: [1, 2, NaN, 4] });
    expect(Array.from(d.rows)).toEqual([0, 3]);
  });

  it("parses `*`, `-1` and parentheses", () => {
    const d = designMatrix("y ~ (a + b):c - 1", { y: [1, 2, 3, 4], a: [1, 2, 3, 4], b: [2, 3, 1, 0], c: ["p", "q", "p", "q"] });
    expect(d.columnNames).toEqual(["a:c[p]", "a:c[q]", "b:c[p]", "b:c[q]"]);
  });

  it("names an unknown variable and a bad formula", () => {
    expect(() => designMatrix("y ~ z", { y: [1], x: [1] })).toThrow(/"z" is not a column.*columns: y, x/);
    expect(() => designMatrix("y z", { y: [1] })).toThrow(/expected `~`/);
  });
});

describe("correlations against scipy", () => {
  const ref = json("correlations.json").cases as Record<
    string,
    {
      x: number[];
      y: number[];
      x_raw?: Array<number | null>;
      y_raw?: Array<number | null>;
      spearman_r: number | null;
      pearson_r: number | null;
      rank_x_average: number[];
      n: number;
    }
  >;
  for (const [name, c] of Object.entries(ref)) {
    it(name, () => {
      const xr = (c.x_raw ?? c.x).map((v) => (v === null ? NaN : v));
      const yr = (c.y_raw ?? c.y).map((v) => (v === null ? NaN : v));
      const s = spearman(xr, yr);
      const p = pearson(xr, yr);
      if (c.spearman_r === null) expect(s).toBeNaN();
      else close(s, c.spearman_r, 1e-12, "spearman");
      if (c.pearson_r === null) expect(p).toBeNaN();
      else close(p, c.pearson_r, 1e-12, "pearson");
      expect(Array.from(averageRanks(c.x))).toEqual(c.rank_x_average);
    });
  }
});

describe("distributions against R (Rmath, double precision)", () => {
  const r = json("distributions_r.json");
  it("normal CDF and quantile, including far tails", () => {
    r.norm_cdf.x.forEach((x: number, i: number) => {
      const want = r.norm_cdf.value[i] as number;
      if (want === 0) expect(normalCdf(x)).toBeLessThan(1e-300);
      else close(normalCdf(x) / want, 1, 1e-13, `Φ(${x})`);
    });
    r.norm_ppf.p.forEach((p: number, i: number) => {
      close(normalQuantile(p), r.norm_ppf.value[i], 1e-13, `Φ⁻¹(${p})`);
    });
  });
  it("t CDF and quantile, df from 1 to 15920", () => {
    for (const b of r.t as Array<{ df: number; x: number[]; cdf: number[]; p: number[]; ppf: number[] }>) {
      b.x.forEach((x, i) => {
        if (b.cdf[i] === 0) expect(tCdf(x, b.df)).toBeLessThan(1e-300);
        else close(tCdf(x, b.df) / b.cdf[i]!, 1, 1e-11, `T${b.df}(${x})`);
      });
      b.p.forEach((p, i) => {
        close(tQuantile(p, b.df), b.ppf[i]!, 1e-11, `T${b.df}⁻¹(${p})`);
      });
    }
  });
});

describe("distributions against scipy", () => {
  const d = json("distributions.json");
  it("normal CDF and quantile", () => {
    d.norm_cdf.x.forEach((x: number, i: number) => {
      close(normalCdf(x) / d.norm_cdf.value[i], 1, 1e-12, `Φ(${x})`);
    });
    d.norm_ppf.p.forEach((p: number, i: number) => {
      close(normalQuantile(p), d.norm_ppf.value[i], 1e-12, `Φ⁻¹(${p})`);
    });
  });
  it("t CDF, quantile and two-sided p", () => {
    type Block = { df: number; x?: number[]; p?: number[]; value: number[] };
    for (const b of d.t_cdf as Block[])
      b.x!.forEach((x, i) => {
        close(tCdf(x, b.df), b.value[i]!, 1e-11, `T${b.df}(${x})`);
      });
    // scipy's t.ppf is itself accurate only to about 1e-8 relative (R's qt and the exact
    // Cauchy quantile −cot(πp) agree with ours to 1e-14), so allow 1e-8 here.
    for (const b of d.t_ppf as Block[])
      b.p!.forEach((p, i) => {
        close(tQuantile(p, b.df), b.value[i]!, 1e-8, `T${b.df}⁻¹(${p})`);
      });
    close(tQuantile(0.0005, 1), -1 / Math.tan(Math.PI * 0.0005), 1e-14, "Cauchy quantile, closed form");
    for (const b of d.t_two_sided_p as Block[]) {
      b.x!.forEach((x, i) => {
        close(twoSidedTP(x, b.df), b.value[i]!, 1e-11, `p(${x}, ${b.df})`);
      });
    }
  });
});
