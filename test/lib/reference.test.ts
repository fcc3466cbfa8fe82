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
import { designMatrix, type Frame } from "../../src/lib/formula.js";
import { mixedLm } from "../../src/lib/mixed.js";
import { ols } from "../../src/lib/ols.js";
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
      fit.coefficients.forEach((c, j) => close(c.coef, sm.coef[j], 1e-4, `coef ${c.term} vs default fit`));
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
  const ref = json("correlations.json").cases as Record<string, { x: number[]; y: number[]; x_raw?: Array<number | null>; y_raw?: Array<number | null>; spearman_r: number | null; pearson_r: number | null; rank_x_average: number[]; n: number }>;
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
    r.norm_ppf.p.forEach((p: number, i: number) => close(normalQuantile(p), r.norm_ppf.value[i], 1e-13, `Φ⁻¹(${p})`));
  });
  it("t CDF and quantile, df from 1 to 15920", () => {
    for (const b of r.t as Array<{ df: number; x: number[]; cdf: number[]; p: number[]; ppf: number[] }>) {
      b.x.forEach((x, i) => {
        if (b.cdf[i] === 0) expect(tCdf(x, b.df)).toBeLessThan(1e-300);
        else close(tCdf(x, b.df) / b.cdf[i]!, 1, 1e-11, `T${b.df}(${x})`);
      });
      b.p.forEach((p, i) => close(tQuantile(p, b.df), b.ppf[i]!, 1e-11, `T${b.df}⁻¹(${p})`));
    }
  });
});

describe("distributions against scipy", () => {
  const d = json("distributions.json");
  it("normal CDF and quantile", () => {
    d.norm_cdf.x.forEach((x: number, i: number) => close(normalCdf(x) / d.norm_cdf.value[i], 1, 1e-12, `Φ(${x})`));
    d.norm_ppf.p.forEach((p: number, i: number) => close(normalQuantile(p), d.norm_ppf.value[i], 1e-12, `Φ⁻¹(${p})`));
  });
  it("t CDF, quantile and two-sided p", () => {
    type Block = { df: number; x?: number[]; p?: number[]; value: number[] };
    for (const b of d.t_cdf as Block[]) b.x!.forEach((x, i) => close(tCdf(x, b.df), b.value[i]!, 1e-11, `T${b.df}(${x})`));
    // scipy's t.ppf is itself accurate only to about 1e-8 relative (R's qt and the exact
    // Cauchy quantile −cot(πp) agree with ours to 1e-14), so allow 1e-8 here.
    for (const b of d.t_ppf as Block[]) b.p!.forEach((p, i) => close(tQuantile(p, b.df), b.value[i]!, 1e-8, `T${b.df}⁻¹(${p})`));
    close(tQuantile(0.0005, 1), -1 / Math.tan(Math.PI * 0.0005), 1e-14, "Cauchy quantile, closed form");
    for (const b of d.t_two_sided_p as Block[]) {
      b.x!.forEach((x, i) => close(twoSidedTP(x, b.df), b.value[i]!, 1e-11, `p(${x}, ${b.df})`));
    }
  });
});
