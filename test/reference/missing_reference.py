#!/usr/bin/env python3
"""statsmodels reference values for missing values, empty groups and empty cells.

Reads test/reference/fixtures/{ols_nan,ols_empty_cell,ols_empty_ref,
mixed_nan,mixed_empty}.csv (make_fixtures.py) and writes
test/reference/expected/missing_statsmodels.json.  Run missing_lme4.R after
this script (it reads the JSON for the name mapping and a cross-check).

Run from /work/main:
  /usr/bin/python3 test/reference/missing_reference.py

How statsmodels 0.13.5 treats the cases (each is recorded in the JSON, and
checked by assertions below so that a different statsmodels fails loudly):

* OLS, `missing="drop"` (the formula default): patsy drops every row with a
  NaN in a variable of the formula, and only those.  But patsy collects the
  levels of a categorical variable over *all* rows, so a level that occurs
  only on dropped rows still gets a column, which is all zeros.
* OLS with an all-zero column (an empty level or an empty interaction cell):
  statsmodels solves by pinv, so the column's coefficient is 0 or rounding
  noise (~1e-17) with an SE of 0 or ~1e-17, and t/p are NaN or meaningless;
  df_resid = n - rank.  The other coefficients are the least-squares
  solution without that column (checked with numpy below).
* OLS with an empty cell in a *reference* row/column of a treatment-coded
  interaction: no column is zero, but the design is rank deficient; pinv
  gives the minimum-norm solution (the coefficients are not the treatment
  contrasts), while the fitted values, SSR and R^2 are well defined.
* MixedLM: `missing="drop"` must be given explicitly (without it, NaN rows
  make MixedLM.from_formula fail with an IndexError, recorded below).  With
  it, statsmodels drops incomplete rows *before* patsy sees the data
  (`_handle_missing`), so a level that occurs only on dropped rows gets no
  column, and a group whose rows are all dropped disappears.
* MixedLM with an all-zero column: the fit raises LinAlgError("Singular
  matrix").  The reference is then the fit of the same design without the
  all-zero column (what lme4 does by default), via MixedLM on the matrices.

NaN is written as JSON null.
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
import statsmodels.formula.api as smf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from statsmodels_reference import (VERSIONS, analytic_sm_cov, clean,  # noqa: E402
                                   direct_gls)

FIX = os.path.join(HERE, "fixtures")
OUT = os.path.join(HERE, "expected", "missing_statsmodels.json")

STR = {c: str for c in ["group", "cat", "lang", "model", "judge", "src", "us", "a", "b"]}

OLS_CASES = [
    # (key, fixture, formula, rename of patsy names to the TypeScript names)
    ("nan", "ols_nan", "y ~ x1 + x2:lang + model", {}),
    ("nan_empty_level", "ols_nan", "y ~ x1 + judge", {}),
    ("empty_cell_us", "ols_empty_cell", "y ~ us * model:lang", {}),
    ("empty_cell_adjust", "ols_empty_cell", "y ~ 0 + x1:lang + lang:model", {}),
    ("empty_cell_means", "ols_empty_cell", "y ~ 0 + us:model:lang", {}),
    ("empty_ref", "ols_empty_ref", "y ~ a * b", {}),
    ("empty_ref_relevel", "ols_empty_ref", "y ~ C(a, Treatment(reference='a2')) * b",
     {"C(a, Treatment(reference='a2'))": "a"}),
]

MIXED_CASES = [
    ("nan_interaction", "mixed_nan", "y ~ 0 + x1:lang + x2:cat:lang", {}),
    ("nan_treatment", "mixed_nan", "y ~ x1 + lang + x2:cat", {}),
    ("empty_level", "mixed_empty", "y ~ x1 + x2 + src", {}),
    ("empty_cell", "mixed_empty", "y ~ 0 + x1:lang + x2:cat:lang", {}),
    ("empty_ref_cell", "mixed_empty", "y ~ x1 + cat * C(lang, Treatment(reference='Dutch'))",
     {"C(lang, Treatment(reference='Dutch'))": "lang"}),
]


def read(name):
    return pd.read_csv(os.path.join(FIX, name + ".csv"), dtype=STR)


def formula_vars(formula, data):
    """Columns of `data` that occur in the formula (as statsmodels finds them)."""
    import re
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", formula))
    return [c for c in data.columns if c in words]


def rename(names, mapping):
    out = []
    for nm in names:
        for a, b in mapping.items():
            nm = nm.replace(a, b)
        out.append(nm)
    return out


# --------------------------------------------------------------------------
# OLS
# --------------------------------------------------------------------------
def ols_case(key, fixture, formula, mapping):
    data = read(fixture)
    res = smf.ols(formula, data, missing="drop").fit()
    X = np.asarray(res.model.exog, dtype=float)
    y = np.asarray(res.model.endog, dtype=float)
    names = rename(list(res.model.exog_names), mapping)
    rows_kept = [int(i) for i in res.model.data.row_labels]
    # the rows statsmodels kept are exactly the rows complete in the formula's variables
    complete = data[formula_vars(formula, data)].notna().all(axis=1)
    assert rows_kept == [int(i) for i in np.flatnonzero(complete)], key
    zero = [bool(np.all(X[:, j] == 0)) for j in range(X.shape[1])]
    rank = int(np.linalg.matrix_rank(X))
    # independent check: least squares without the all-zero columns
    keep = [j for j in range(X.shape[1]) if not zero[j]]
    Xk = X[:, keep]
    full_rank = np.linalg.matrix_rank(Xk) == len(keep)
    check = {"nonzero_columns_full_rank": bool(full_rank)}
    if full_rank:
        beta, *_ = np.linalg.lstsq(Xk, y, rcond=None)
        r = y - Xk @ beta
        s2 = r @ r / (len(y) - len(keep))
        se = np.sqrt(np.diag(s2 * np.linalg.inv(Xk.T @ Xk)))
        params = np.asarray(res.params)[keep]
        bse = np.asarray(res.bse)[keep]
        check.update({
            "coef_nonzero_columns_lstsq": beta,
            "coef_max_abs_diff": float(np.max(np.abs(beta - params))),
            "se_max_rel_diff": float(np.max(np.abs(se - bse) / se)),
            "ssr_rel_diff": float(abs(r @ r - res.ssr) / res.ssr),
        })
        assert check["coef_max_abs_diff"] < 1e-10 and check["se_max_rel_diff"] < 1e-9, (key, check)
    ci = np.asarray(res.conf_int(alpha=0.05), dtype=float)
    with np.errstate(all="ignore"):
        out = {
            "fixture": fixture + ".csv",
            "formula": formula,
            "call": 'smf.ols(formula, data, missing="drop").fit()',
            "n_raw": int(len(data)),
            "n": int(res.nobs),
            "rows_kept": rows_kept,
            "exog_names": names,
            "exog_names_patsy": list(res.model.exog_names),
            "zero_column": zero,
            "rank": rank,
            "df_resid": float(res.df_resid),
            "df_model": float(res.df_model),
            "coef": np.asarray(res.params, dtype=float),
            "se": np.asarray(res.bse, dtype=float),
            "t": np.asarray(res.tvalues, dtype=float),
            "p": np.asarray(res.pvalues, dtype=float),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "rsquared": float(res.rsquared),
            "rsquared_adj": float(res.rsquared_adj),
            "ssr": float(res.ssr),
            "scale": float(res.scale),
            "check": check,
        }
    print(f"ols {key}: n={out['n']} p={X.shape[1]} rank={rank} zero={[n for n, z in zip(names, zero) if z]}")
    return out


# --------------------------------------------------------------------------
# Mixed models
# --------------------------------------------------------------------------
def mixed_summary(md, res, X, y, groups):
    """The quantities the TypeScript MixedFit reports."""
    k = md.k_fe
    fe = np.asarray(res.fe_params, dtype=float)
    gv = float(np.asarray(res.cov_re)[0, 0])
    scale = float(res.scale)
    ci = np.asarray(res.conf_int(alpha=0.05), dtype=float)[:k]
    v_f = float(np.var(X @ fe))
    den = v_f + gv + scale
    return {
        "converged": bool(res.converged),
        "coef": fe,
        "se": np.asarray(res.bse_fe, dtype=float),
        "z": np.asarray(res.tvalues, dtype=float)[:k],
        "p": np.asarray(res.pvalues, dtype=float)[:k],
        "ci_low": ci[:, 0],
        "ci_high": ci[:, 1],
        "group_var": gv,
        "group_var_se": float(np.sqrt(scale) * np.asarray(res.bse, dtype=float)[k]),
        "scale": scale,
        "llf": float(res.llf),
        "fitted_fixed_var": v_f,
        "r2_marginal": v_f / den,
        "r2_conditional": (v_f + gv) / den,
        "random_effects": {str(g): float(np.asarray(v)[0])
                           for g, v in sorted(res.random_effects.items())},
    }


def mixed_fit_pair(make_model):
    """Default fit (what a user gets) and a tightly converged one.

    The tight fit is fit(reml=True, method="bfgs", gtol=1e-10).  Where the
    default fit already sits at the optimum, BFGS cannot reduce the gradient
    below gtol and reports converged=False (mixed empty_level); its llf is
    still the higher one, and lme4 agrees with it (missing_lme4.R checks).
    """
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        md = make_model()
        res = md.fit(reml=True)
    with warnings.catch_warnings(record=True) as w_t:
        warnings.simplefilter("always")
        md_t = make_model()
        res_t = md_t.fit(reml=True, method="bfgs", gtol=1e-10)
    msgs = {"default_fit": sorted(set(str(x.message) for x in w)),
            "tight_fit": sorted(set(str(x.message) for x in w_t))}
    return md, res, md_t, res_t, msgs


def droppable_columns(X):
    """Columns to leave out so that X has full column rank: first the all-zero
    columns, then, while still rank deficient, the last column (in design
    order) that is a linear combination of the others.  For the designs here
    this is the column lme4 drops too (missing_lme4.R checks it)."""
    zero = [j for j in range(X.shape[1]) if np.all(X[:, j] == 0)]
    keep = [j for j in range(X.shape[1]) if j not in zero]
    drop = list(zero)
    while np.linalg.matrix_rank(X[:, keep]) < len(keep):
        r = np.linalg.matrix_rank(X[:, keep])
        j = next(j for j in reversed(keep)
                 if np.linalg.matrix_rank(X[:, [k for k in keep if k != j]]) == r)
        keep.remove(j)
        drop.append(j)
    return sorted(drop)


def mixed_case(key, fixture, formula, mapping):
    data = read(fixture)
    cols = formula_vars(formula, data) + ["group"]
    complete = data[cols].notna().all(axis=1)
    dd = data[complete]
    rows_kept = [int(i) for i in np.flatnonzero(complete)]
    yd, Xd = patsy.dmatrices(formula, dd, return_type="dataframe")
    assert [int(i) for i in Xd.index] == rows_kept
    Xd.columns = rename(list(Xd.columns), mapping)
    groups = dd["group"].to_numpy()
    out = {
        "fixture": fixture + ".csv",
        "formula": formula,
        "groups": "group",
        "n_raw": int(len(data)),
        "rows_kept": rows_kept,
        "groups_raw": sorted(data["group"].unique()),
    }
    # statsmodels without missing="drop"
    try:
        smf.mixedlm(formula, data, groups="group")
        out["without_missing_drop"] = "ok"
    except Exception as exc:  # noqa: BLE001
        out["without_missing_drop"] = f"{type(exc).__name__}: {exc}"
    X_all = Xd.to_numpy(dtype=float)
    drop = droppable_columns(X_all)
    out["design_names"] = list(Xd.columns)
    out["design_zero_column"] = [bool(np.all(X_all[:, j] == 0)) for j in range(X_all.shape[1])]
    out["design_rank"] = int(np.linalg.matrix_rank(X_all))
    # the formula call, as a user makes it
    try:
        with warnings.catch_warnings(record=True) as w0:
            warnings.simplefilter("always")
            md0 = smf.mixedlm(formula, data, groups="group", missing="drop")
            r0 = md0.fit(reml=True)
        out["formula_fit"] = {
            "result": "ok",
            "converged": bool(r0.converged),
            "llf": repr(float(r0.llf)),
            "warnings": sorted(set(str(x.message) for x in w0)),
            "exog_names": rename(list(md0.exog_names), mapping),
            "coef": np.asarray(r0.fe_params, dtype=float),
            "se": np.asarray(r0.bse_fe, dtype=float),
        }
    except Exception as exc:  # noqa: BLE001
        out["formula_fit"] = {"result": f"{type(exc).__name__}: {exc}"}
    if drop:
        keep = [j for j in range(X_all.shape[1]) if j not in drop]
        Xr = Xd.iloc[:, keep]
        out["reference_fit"] = ("sm.MixedLM(y, X without the dropped columns, groups)"
                                ".fit(reml=True) on the complete rows")
        out["dropped_columns"] = [Xd.columns[j] for j in drop]

        def make():
            return sm.MixedLM(yd.iloc[:, 0], Xr, groups=groups)
    else:
        assert out["formula_fit"]["result"] == "ok", out["formula_fit"]
        out["reference_fit"] = 'smf.mixedlm(formula, data, groups="group", missing="drop").fit(reml=True)'
        out["dropped_columns"] = []

        def make():
            return smf.mixedlm(formula, data, groups="group", missing="drop")

    md, res, md_t, res_t, msgs = mixed_fit_pair(make)
    X = np.asarray(md.exog, dtype=float)
    y = np.asarray(md.endog, dtype=float)
    assert np.array_equal(y, yd.iloc[:, 0].to_numpy())
    sizes = pd.Series(groups).value_counts()
    out.update({
        "fit_warnings": msgs,
        "n": int(md.n_totobs),
        "n_groups": int(md.n_groups),
        "group_labels": [str(g) for g in md.group_labels],
        "group_sizes": {str(g): int(sizes[g]) for g in sorted(sizes.index)},
        "exog_names": rename(list(md.exog_names), mapping),
        "default_fit": mixed_summary(md, res, X, y, groups),
        "tight_fit": mixed_summary(md_t, res_t, X, y, groups),
    })
    t = out["tight_fit"]
    # independent checks of the tight fit: GLS/REML formulas and the joint Hessian
    beta_d, cov_d, llf_d, _ = direct_gls(X, y, groups, t["group_var"], t["scale"])
    g = pd.factorize(groups)[0]
    Z = np.zeros((len(y), g.max() + 1))
    Z[np.arange(len(y)), g] = 1.0
    cov_an, gvse_an = analytic_sm_cov(X, y, Z, np.asarray(t["coef"]), t["group_var"] / t["scale"])
    out["check_tight"] = {
        "coef_gls_max_abs_diff": float(np.max(np.abs(beta_d - t["coef"]))),
        "llf_textbook_minus_sm": float(llf_d - t["llf"]),
        "se_gls": np.sqrt(np.diag(cov_d)),
        "se_analytic_joint_hessian_max_rel_diff":
            float(np.max(np.abs(np.sqrt(np.diag(cov_an)) - t["se"]) / t["se"])),
        "group_var_se_analytic_rel_diff": abs(gvse_an - t["group_var_se"]) / t["group_var_se"],
    }
    c = out["check_tight"]
    assert c["coef_gls_max_abs_diff"] < 1e-8 and abs(c["llf_textbook_minus_sm"]) < 1e-8, c
    assert c["se_analytic_joint_hessian_max_rel_diff"] < 1e-8, c
    print(f"mixed {key}: n={out['n']} groups={out['n_groups']} p={X.shape[1]} "
          f"dropped={out['dropped_columns']} formula_fit={out['formula_fit']['result']} "
          f"llf={t['llf']:.10f}")
    return out


def main():
    out = {
        "source": "statsmodels OLS / MixedLM (missing values, empty groups and cells)",
        "versions": VERSIONS,
        "ols": {key: ols_case(key, f, fm, mp) for key, f, fm, mp in OLS_CASES},
        "mixed": {key: mixed_case(key, f, fm, mp) for key, f, fm, mp in MIXED_CASES},
    }
    with open(OUT, "w") as fh:
        json.dump(clean(out), fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
