/**
 * The RQ1 mixed model (REML, random intercept per model) at 10, 20, 30, 50 and 100
 * bootstrap rounds (seed 1) and at 20 and 50 rounds (seed 2), against the GLOBAL REML
 * optimum found independently with lme4 1.1.31 (grid + optimize() on lme4's deviance
 * function, and multi-start lmer) and statsmodels 0.13.5 (grid over MixedLM.loglike,
 * each mode refined by a tight BFGS fit, and multi-start fits). The profile likelihood
 * over the variance ratio can be bimodal here (20 rounds, seed 1), so the fit must be
 * the best mode, and the modes it reports must be the ones the references found.
 *
 * Fixtures: test/reference/fixtures/rq1_rounds_*.csv (test/reference/make_rq1_rounds.ts).
 * References: test/reference/rq1_rounds_lme4.R and rq1_rounds_statsmodels.py, described in
 * test/reference/README.md ("RQ1 at other round counts").
 */
import { csvParse } from "d3-dsv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AMBIGUOUS_LOGLIK, mixedLm } from "../../src/lib/mixed.js";
import { REPO_ROOT } from "../../loaders/paths.js";

const REF = join(REPO_ROOT, "test", "reference");
const json = (name: string) => JSON.parse(readFileSync(join(REF, "expected", name), "utf8"));

const CASES = ["10_seed1", "20_seed1", "30_seed1", "50_seed1", "100_seed1", "20_seed2", "50_seed2"] as const;
const VARIANTS = {
  interaction: "alignment ~ 0 + consistency:language + multilingual:family:language",
  normal: "alignment ~ 0 + consistency + multilingual:family:language",
  no_consistency: "alignment ~ 0 + multilingual:family:language",
} as const;
type Variant = keyof typeof VARIANTS;

function rq1Frame(caseKey: string) {
  const rows = csvParse(readFileSync(join(REF, "fixtures", `rq1_rounds_${caseKey}.csv`), "utf8"));
  return {
    alignment: Float64Array.from(rows, (r) => Number(r.alignment)),
    consistency: Float64Array.from(rows, (r) => Number(r.consistency)),
    multilingual: Float64Array.from(rows, (r) => Number(r.multilingual)),
    family: rows.map((r) => r.family!),
    language: rows.map((r) => r.language!),
    model: rows.map((r) => r.model!),
  };
}

/** |a − b| ≤ tol. */
function near(a: number, b: number, tol: number, what: string) {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
}
/** |a / b − 1| ≤ tol. */
function rel(a: number, b: number, tol: number, what: string) {
  expect(Math.abs(a / b - 1), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
}

interface Lme4Fit {
  coef: number[];
  se: number[];
  group_var: number;
  resid_var: number;
  theta: number;
  logLik: number;
  mode: number | null;
}
interface SmFit {
  coef: number[];
  se: number[];
  se_gls: number[];
  group_var: number;
  scale: number;
  llf: number;
  mode: number | null;
}
interface Lme4Variant {
  n: number;
  n_groups: number;
  patsy_name: string[];
  default_fit: Lme4Fit;
  global_fit: Lme4Fit;
  n_modes: number;
  modes: Array<{ group_var: number; resid_var: number; logLik: number }>;
  multistart: Array<{ optimizer: string; start_theta: number; logLik: number; mode: number | null }>;
}
interface SmVariant {
  n: number;
  n_groups: number;
  exog_names: string[];
  default_fit: SmFit;
  global_fit: SmFit;
  n_modes: number;
  modes: Array<{ group_var: number; scale: number; llf: number }>;
  multistart: Array<{ start_gamma: number; llf: number; mode: number | null }>;
}

const LME4 = json("rq1_rounds_lme4.json") as { cases: Record<string, Record<Variant, Lme4Variant>> };
const SM = json("rq1_rounds_statsmodels.json") as { cases: Record<string, Record<Variant, SmVariant>> };

describe("RQ1 mixed model at other round counts: the global REML optimum, as lme4 and statsmodels find it", () => {
  for (const caseKey of CASES) {
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      it(`${caseKey} ${variant}`, () => {
        const fit = mixedLm(VARIANTS[variant], rq1Frame(caseKey), "model");
        const L = LME4.cases[caseKey]![variant];
        const S = SM.cases[caseKey]![variant];
        const Lg = L.global_fit;
        const Sg = S.global_fit;
        expect(fit.n).toBe(S.n);
        expect(fit.n).toBe(L.n);
        expect(fit.nGroups).toBe(S.n_groups);
        expect(fit.nGroups).toBe(L.n_groups);
        expect(fit.coefficients.map((c) => c.term)).toEqual(S.exog_names);
        expect([...L.patsy_name].sort()).toEqual([...S.exog_names].sort());

        // The two references agree on the global optimum (1e-9 in llf).
        near(Sg.llf, Lg.logLik, 1e-9, "statsmodels vs lme4 global REML llf");

        // REML log-likelihood: the global optimum, and no lower than any mode either tool found.
        near(fit.llf, Lg.logLik, 1e-6, "llf vs lme4 global optimum");
        near(fit.llf, Sg.llf, 1e-6, "llf vs statsmodels global optimum");
        for (const m of L.modes) expect(fit.llf).toBeGreaterThanOrEqual(m.logLik - 1e-6);
        for (const m of S.modes) expect(fit.llf).toBeGreaterThanOrEqual(m.llf - 1e-6);

        // Coefficients, variances.
        fit.coefficients.forEach((c, j) => {
          const k = L.patsy_name.indexOf(c.term);
          near(c.coef, Lg.coef[k]!, 1e-5, `coef ${c.term} vs lme4`);
          near(c.coef, Sg.coef[j]!, 1e-5, `coef ${c.term} vs statsmodels`);
        });
        rel(fit.groupVar, Lg.group_var, 1e-4, "group variance vs lme4");
        rel(fit.groupVar, Sg.group_var, 1e-4, "group variance vs statsmodels");
        rel(fit.scale, Lg.resid_var, 1e-5, "residual variance vs lme4");
        rel(fit.scale, Sg.scale, 1e-5, "residual variance vs statsmodels");

        // Standard errors. Ours are statsmodels' (inverse of the joint observed Hessian in
        // (β, γ)). lme4's are the GLS formula sqrt(diag(σ²(X'V₀⁻¹X)⁻¹)), which statsmodels'
        // script evaluates at its own optimum as `se_gls`. The multilingual:family:language
        // covariates are constant within a model, so the β–γ cross term is large here and our
        // SEs are wider than lme4's by far more than the 0.3 % of the synthetic fixtures
        // (up to about 45 %; see the README). So: ours = statsmodels (1e-3 relative),
        // lme4 = GLS at the same optimum (1e-4), and ours/lme4 = statsmodels' se/se_gls (1e-3).
        fit.coefficients.forEach((c, j) => {
          const seL = L.global_fit.se[L.patsy_name.indexOf(c.term)]!;
          rel(c.se, Sg.se[j]!, 1e-3, `se ${c.term} vs statsmodels`);
          rel(seL, Sg.se_gls[j]!, 1e-4, `lme4 se ${c.term} vs GLS formula`);
          rel(c.se / seL, Sg.se[j]! / Sg.se_gls[j]!, 1e-3, `se ratio ours/lme4 ${c.term}`);
          expect(c.se, `se ${c.term} at least lme4's`).toBeGreaterThanOrEqual(seL * (1 - 1e-6));
        });

        // Modes: the same local maxima, best first.
        expect(L.n_modes).toBe(S.n_modes);
        expect(fit.modes.length).toBe(L.n_modes);
        fit.modes.forEach((m, i) => {
          rel(m.groupVar, L.modes[i]!.group_var, 1e-3, `mode ${i} group variance vs lme4`);
          rel(m.groupVar, S.modes[i]!.group_var, 1e-3, `mode ${i} group variance vs statsmodels`);
          near(m.llf, L.modes[i]!.logLik, 1e-6, `mode ${i} llf vs lme4`);
          near(m.llf, S.modes[i]!.llf, 1e-6, `mode ${i} llf vs statsmodels`);
        });
        expect(fit.ambiguous).toBe(L.modes.length > 1 && L.modes[0]!.logLik - L.modes[1]!.logLik < AMBIGUOUS_LOGLIK);

        // The default fits of both tools: at the global mode (then no better than ours), or
        // stopped at a lower, LOCAL optimum. Likewise every multi-start refit.
        const Ld = L.default_fit;
        const Sd = S.default_fit;
        if (Ld.mode === 0) expect(Ld.logLik).toBeLessThanOrEqual(fit.llf + 1e-6);
        else expect(Ld.logLik, "lme4 default stopped at a local optimum").toBeLessThan(fit.llf - 1e-6);
        if (Sd.mode === 0) expect(Sd.llf).toBeLessThanOrEqual(fit.llf + 1e-6);
        else expect(Sd.llf, "statsmodels default stopped at a local optimum").toBeLessThan(fit.llf - 1e-6);
        for (const m of L.multistart) {
          if (m.mode === 0) near(m.logLik, fit.llf, 1e-6, `lme4 ${m.optimizer} from θ=${m.start_theta}`);
          else expect(m.logLik, `lme4 ${m.optimizer} from θ=${m.start_theta}: local optimum`).toBeLessThan(fit.llf - 1e-6);
        }
        for (const m of S.multistart) {
          if (m.mode === 0) near(m.llf, fit.llf, 1e-6, `statsmodels from γ=${m.start_gamma}`);
          else if (m.mode !== null) expect(m.llf, `statsmodels from γ=${m.start_gamma}: local optimum`).toBeLessThan(fit.llf - 1e-6);
          // BFGS from a far start (γ ≥ 100) can give up on the flat far side, at no mode.
          else expect(m.llf, `statsmodels from γ=${m.start_gamma}: stopped away from any mode`).toBeLessThan(fit.llf - 1e-3);
        }
      });
    }
  }

  it("records which fits stopped at a lower mode", () => {
    const lowerDefault: string[] = [];
    const lowerStart: string[] = [];
    const noMode: string[] = [];
    for (const caseKey of CASES) {
      for (const variant of Object.keys(VARIANTS) as Variant[]) {
        const L = LME4.cases[caseKey]![variant];
        const S = SM.cases[caseKey]![variant];
        if (L.default_fit.mode !== 0) lowerDefault.push(`lme4 ${caseKey} ${variant}`);
        if (S.default_fit.mode !== 0) lowerDefault.push(`statsmodels ${caseKey} ${variant}`);
        if (L.multistart.some((m) => m.mode !== null && m.mode > 0)) lowerStart.push(`lme4 ${caseKey} ${variant}`);
        if (S.multistart.some((m) => m.mode !== null && m.mode > 0)) lowerStart.push(`statsmodels ${caseKey} ${variant}`);
        if (L.multistart.some((m) => m.mode === null)) noMode.push(`lme4 ${caseKey} ${variant}`);
      }
    }
    // Both tools' default fits (lmer's nloptwrap from θ = 1, statsmodels' BFGS from γ = 1)
    // reach the global optimum in every case.
    expect(lowerDefault).toEqual([]);
    // From other starting values, both stop at the lower mode of the two bimodal fits.
    expect(lowerStart).toEqual(["lme4 20_seed1 interaction", "statsmodels 20_seed1 interaction", "lme4 20_seed1 normal", "statsmodels 20_seed1 normal"]);
    // Every lmer refit ends at a mode.
    expect(noMode).toEqual([]);
  });
});
