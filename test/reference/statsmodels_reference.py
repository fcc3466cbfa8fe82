#!/usr/bin/env python3
"""Reference values from statsmodels / scipy for the TypeScript stats library.

Reads test/reference/fixtures/*.csv (see make_fixtures.py) and writes JSON into
test/reference/expected/:

  statsmodels_<fixture>_<formula>.json   MixedLM REML fits
  statsmodels_ols_us.json, statsmodels_ols_adjust.json   OLS fits
  correlations.json                       scipy spearmanr / pearsonr / rankdata
  distributions.json                      scipy norm / t cdf, ppf, sf

NaN is written as JSON null.  Floats are written with Python's repr
(shortest round-trip representation, i.e. full double precision).
"""
import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.formula.api as smf

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
OUT = os.path.join(HERE, "expected")
os.makedirs(OUT, exist_ok=True)

VERSIONS = {
    "statsmodels": statsmodels.__version__,
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "pandas": pd.__version__,
}

MIXED_FORMULAS = {
    "interaction": "y ~ 0 + x1:lang + x2:cat:lang",
    "normal": "y ~ 0 + x1 + x2:cat:lang",
    "no_x1": "y ~ 0 + x2:cat:lang",
}
SMALL_FORMULAS = {"intercept": "y ~ x"}


# --------------------------------------------------------------------------
# JSON helpers
# --------------------------------------------------------------------------
def clean(obj):
    """Recursively convert numpy types to Python and NaN/inf to None."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [clean(v) for v in obj.tolist()]
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return f if math.isfinite(f) else None
    return obj


def dump(obj, name):
    path = os.path.join(OUT, name)
    with open(path, "w") as fh:
        json.dump(clean(obj), fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote", path)


def read(name):
    # group/cat/lang/model are strings; `us` is parsed by pandas as bool
    # (True/False); patsy names it `us[T.True]` either way.
    return pd.read_csv(os.path.join(FIX, name),
                       dtype={"group": str, "cat": str, "lang": str, "model": str})


# --------------------------------------------------------------------------
# Mixed models
# --------------------------------------------------------------------------
def fit_mixed(formula, data):
    """Try optimizers in order and keep the first converged REML fit."""
    attempts = []
    chosen = None
    for method in [None, "lbfgs", "powell", "nm"]:
        md = smf.mixedlm(formula, data, groups=data["group"])
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            kw = {} if method is None else {"method": method}
            try:
                res = md.fit(reml=True, **kw)
            except Exception as exc:  # pragma: no cover
                attempts.append({"method": str(method), "error": repr(exc)})
                continue
        msgs = sorted(set(str(x.message) for x in w))
        attempts.append({"method": "default" if method is None else method,
                         "converged": bool(res.converged),
                         "llf": float(res.llf), "warnings": msgs})
        if res.converged:
            chosen = (md, res, "default" if method is None else method, msgs)
            break
    if chosen is None:
        raise RuntimeError(f"no optimizer converged for {formula}: {attempts}")
    return chosen + (attempts,)


def direct_gls(X, y, groups, group_var, scale):
    """Direct GLS with V = group_var * Z Z' + scale * I.

    Returns beta, cov(beta) = inv(X' V^-1 X), and the textbook REML
    log-likelihood
      -1/2 [ (n-p) log(2 pi) + log|V| + log|X' V^-1 X| + r' V^-1 r ].
    """
    n, p = X.shape
    g = pd.factorize(groups)[0]
    Z = np.zeros((n, g.max() + 1))
    Z[np.arange(n), g] = 1.0
    V = group_var * Z @ Z.T + scale * np.eye(n)
    Vi = np.linalg.inv(V)
    XtViX = X.T @ Vi @ X
    cov = np.linalg.inv(XtViX)
    beta = cov @ (X.T @ Vi @ y)
    r = y - X @ beta
    _, ldV = np.linalg.slogdet(V)
    _, ldX = np.linalg.slogdet(XtViX)
    _, ldXtX = np.linalg.slogdet(X.T @ X)
    llf = -0.5 * ((n - p) * np.log(2 * np.pi) + ldV + ldX + r @ Vi @ r)
    return beta, cov, llf, ldXtX


def analytic_sm_cov(X, y, Z, beta, psi):
    """Closed form of statsmodels' MixedLM covariance for a random-intercept
    model (what cov_params() / bse_fe / the Group Var Std.Err. contain).

    l(beta, psi) = -(n-p)/2 log q - 1/2 log|V0| - 1/2 log|M|
      V0 = I + psi D, D = Z Z', W = V0^-1, r = y - X beta, q = r'Wr,
      M = X'WX, s2 = q/(n-p) (REML scale), G = X'WDWX, K = X'WDWDWX
    Hessian at (beta_hat, psi_hat):
      H_bb = -M / s2
      H_bp = -X'WDWr / s2
      H_pp = -(n-p)/2 (q''/q - (q'/q)^2) + 1/2 tr(WDWD)
             + 1/2 tr(M^-1 G M^-1 G) - tr(M^-1 K)
        with q' = -r'WDWr, q'' = 2 r'WDWDWr
    cov(beta) = [(-H)^-1]_bb,
    group_var_se (as printed in summary) = sqrt(s2 * [(-H)^-1]_pp).
    """
    n, p = X.shape
    D = Z @ Z.T
    W = np.linalg.inv(np.eye(n) + psi * D)
    r = y - X @ beta
    q = r @ W @ r
    s2 = q / (n - p)
    WD = W @ D
    M = X.T @ W @ X
    Mi = np.linalg.inv(M)
    WDW = WD @ W
    G = X.T @ WDW @ X
    K = X.T @ WD @ WDW @ X
    q1 = -(r @ WDW @ r)
    q2 = 2 * (r @ WD @ WDW @ r)
    H = np.zeros((p + 1, p + 1))
    H[:p, :p] = -M / s2
    H[:p, p] = H[p, :p] = -(X.T @ WDW @ r) / s2
    H[p, p] = (-(n - p) / 2 * (q2 / q - (q1 / q) ** 2) + 0.5 * np.trace(WD @ WD)
               + 0.5 * np.trace(Mi @ G @ Mi @ G) - np.trace(Mi @ K))
    C = np.linalg.inv(-H)
    return C[:p, :p], float(np.sqrt(s2 * C[p, p]))


def mixed_reference(fixture, key, formula):
    data = read(fixture + ".csv")
    md, res, method, msgs, attempts = fit_mixed(formula, data)
    k_fe = md.k_fe
    names = list(md.exog_names)
    fe = np.asarray(res.fe_params, dtype=float)
    se = np.asarray(res.bse_fe, dtype=float)
    z = np.asarray(res.tvalues, dtype=float)[:k_fe]
    p = np.asarray(res.pvalues, dtype=float)[:k_fe]
    ci = np.asarray(res.conf_int(alpha=0.05), dtype=float)[:k_fe]
    group_var = float(np.asarray(res.cov_re)[0, 0])
    scale = float(res.scale)
    bse_all = np.asarray(res.bse, dtype=float)
    # the "Group Var" Std.Err. exactly as printed by result.summary()
    group_var_se = float(np.sqrt(scale) * bse_all[k_fe]) if len(bse_all) > k_fe else None

    X = np.asarray(md.exog, dtype=float)
    y = np.asarray(md.endog, dtype=float)
    xb = X @ fe
    v_f = float(np.var(xb))                 # ddof = 0
    denom = v_f + group_var + scale

    beta_d, cov_d, llf_d, ldXtX = direct_gls(X, y, data["group"].values, group_var, scale)
    se_d = np.sqrt(np.diag(cov_d))
    se_rel = np.abs(se - se_d) / se_d

    # statsmodels' own analytic Hessian (joint in beta and psi): its inverse's
    # beta block is cov_params(); the beta block alone gives the GLS formula.
    hess, _ = md.hessian(res.params_object)
    cov_full = np.linalg.inv(-hess)[:k_fe, :k_fe]
    cov_feblock = np.linalg.inv(-hess[:k_fe, :k_fe])
    # closed-form joint Hessian (see analytic_sm_cov) evaluated independently
    g = pd.factorize(data["group"].values)[0]
    Z = np.zeros((len(y), g.max() + 1))
    Z[np.arange(len(y)), g] = 1.0
    psi = group_var / scale
    cov_an, gvse_an = analytic_sm_cov(X, y, Z, fe, psi)
    se_an = np.sqrt(np.diag(cov_an))

    # A second, tightly converged statsmodels fit (BFGS with gtol=1e-10).  The
    # default fit stops at |grad| ~ 1e-5 which leaves group_var off by up to
    # ~0.2% relative; this one reaches the REML optimum to ~1e-12 in llf.
    md_t = smf.mixedlm(formula, data, groups=data["group"])
    with warnings.catch_warnings(record=True) as w_t:
        warnings.simplefilter("always")
        res_t = md_t.fit(reml=True, method="bfgs", gtol=1e-10)
    fe_t = np.asarray(res_t.fe_params, dtype=float)
    se_t = np.asarray(res_t.bse_fe, dtype=float)
    gv_t = float(np.asarray(res_t.cov_re)[0, 0])
    sc_t = float(res_t.scale)
    _, cov_dt, _, _ = direct_gls(X, y, data["group"].values, gv_t, sc_t)
    se_dt = np.sqrt(np.diag(cov_dt))
    v_ft = float(np.var(X @ fe_t))
    den_t = v_ft + gv_t + sc_t
    ci_t = np.asarray(res_t.conf_int(alpha=0.05), dtype=float)[:k_fe]
    tight = {
        "fit_call": 'fit(reml=True, method="bfgs", gtol=1e-10)',
        "converged": bool(res_t.converged),
        "fit_warnings": sorted(set(str(x.message) for x in w_t)),
        "coef": fe_t,
        "se": se_t,
        "z": np.asarray(res_t.tvalues, dtype=float)[:k_fe],
        "p": np.asarray(res_t.pvalues, dtype=float)[:k_fe],
        "ci_low": ci_t[:, 0],
        "ci_high": ci_t[:, 1],
        "group_var": gv_t,
        "group_var_se": float(np.sqrt(sc_t) * np.asarray(res_t.bse, dtype=float)[k_fe]),
        "scale": sc_t,
        "llf": float(res_t.llf),
        "fitted_fixed_var": v_ft,
        "r2_marginal": v_ft / den_t,
        "r2_conditional": (v_ft + gv_t) / den_t,
        "fittedvalues_var": float(np.var(np.asarray(res_t.fittedvalues))),
        "se_direct_gls": se_dt,
        "se_vs_direct_gls_max_rel_diff": float((np.abs(se_t - se_dt) / se_dt).max()),
    }

    re = res.random_effects
    out = {
        "source": "statsmodels MixedLM",
        "versions": VERSIONS,
        "fixture": fixture + ".csv",
        "formula_key": key,
        "formula": formula,
        "groups": "group",
        "reml": True,
        "fit_method": method,
        "fit_attempts": attempts,
        "fit_warnings": msgs,
        "converged": bool(res.converged),
        "n": int(md.n_totobs),
        "n_groups": int(md.n_groups),
        "k_fe": int(k_fe),
        "exog_names": names,
        "coef": fe,
        "se": se,
        "z": z,
        "p": p,
        "ci_low": ci[:, 0],
        "ci_high": ci[:, 1],
        "group_var": group_var,
        "group_var_se": group_var_se,
        "bse_re_raw": np.asarray(res.bse_re, dtype=float),
        "scale": scale,
        "llf": float(res.llf),
        "fitted_fixed_var": v_f,
        "r2_marginal": v_f / denom,
        "r2_conditional": (v_f + group_var) / denom,
        "fittedvalues_var": float(np.var(np.asarray(res.fittedvalues))),
        "random_effects": {str(k): float(np.asarray(v)[0]) for k, v in sorted(re.items())},
        "tight_fit": tight,
        "check_direct_gls": {
            "description": ("V = group_var*ZZ' + scale*I built from the estimated "
                            "group_var/scale; se_direct = sqrt(diag(inv(X'V^-1X))) "
                            "(equivalently sqrt(diag(scale*inv(X'V0^-1X))) with "
                            "V0 = I + (group_var/scale) ZZ')"),
            "coef_direct": beta_d,
            "se_direct": se_d,
            "se_max_rel_diff": float(se_rel.max()),
            "coef_max_abs_diff": float(np.abs(beta_d - fe).max()),
            "se_sm_hessian_full_inverse": np.sqrt(np.diag(cov_full)),
            "se_sm_hessian_fe_block_only": np.sqrt(np.diag(cov_feblock)),
            "se_fe_block_only_vs_direct_max_rel_diff":
                float((np.abs(np.sqrt(np.diag(cov_feblock)) - se_d) / se_d).max()),
            "se_full_inverse_vs_statsmodels_max_rel_diff":
                float((np.abs(np.sqrt(np.diag(cov_full)) - se) / se).max()),
            "se_analytic_joint_hessian": se_an,
            "se_analytic_joint_hessian_vs_statsmodels_max_rel_diff":
                float((np.abs(se_an - se) / se).max()),
            "group_var_se_analytic": gvse_an,
            "group_var_se_analytic_rel_diff":
                abs(gvse_an - group_var_se) / group_var_se,
            "llf_textbook_reml": float(llf_d),
            "llf_minus_textbook": float(res.llf - llf_d),
            "half_logdet_XtX": 0.5 * float(ldXtX),
            "half_n_minus_p_log_2pi": 0.5 * (md.n_totobs - k_fe) * np.log(2 * np.pi),
        },
    }
    dump(out, f"statsmodels_{fixture}_{key}.json")
    return out


# --------------------------------------------------------------------------
# OLS
# --------------------------------------------------------------------------
def ols_reference(fixture, formula):
    data = read(fixture + ".csv")
    res = smf.ols(formula, data).fit()
    ci = np.asarray(res.conf_int(alpha=0.05), dtype=float)
    out = {
        "source": "statsmodels OLS",
        "versions": VERSIONS,
        "fixture": fixture + ".csv",
        "formula": formula,
        "note": ("exog_names are the patsy design-matrix column names, verbatim "
                 "(default treatment coding, reference = first level in sorted "
                 "order). `us` is read by pandas.read_csv as bool; patsy names "
                 "its non-reference level `us[T.True]`."),
        "exog_names": list(res.model.exog_names),
        "n": int(res.nobs),
        "df_model": float(res.df_model),
        "df_resid": float(res.df_resid),
        "rank": int(np.linalg.matrix_rank(res.model.exog)),
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
        "llf": float(res.llf),
    }
    dump(out, f"statsmodels_{fixture}.json")
    return out


# --------------------------------------------------------------------------
# Correlations
# --------------------------------------------------------------------------
def corr_reference():
    data = pd.read_csv(os.path.join(FIX, "corr.csv"))
    cases = {}
    for case in pd.unique(data["case"]):
        d = data[data["case"] == case]
        x_raw = d["x"].to_numpy(dtype=float)
        y_raw = d["y"].to_numpy(dtype=float)
        keep = ~(np.isnan(x_raw) | np.isnan(y_raw))
        x, y = x_raw[keep], y_raw[keep]
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            sp = st.spearmanr(x, y)
            try:
                pr = st.pearsonr(x, y)
                pr_r, pr_p = float(pr[0]), float(pr[1])
            except ValueError as exc:  # n < 2
                pr_r, pr_p = float("nan"), float("nan")
        cases[str(case)] = {
            "n_raw": int(len(x_raw)),
            "n": int(len(x)),
            "x_raw": x_raw,
            "y_raw": y_raw,
            "x": x,
            "y": y,
            "spearman_r": float(sp[0]),
            "spearman_p": float(sp[1]),
            "pearson_r": pr_r,
            "pearson_p": pr_p,
            "rank_x_average": st.rankdata(x, method="average").astype(float),
            "rank_y_average": st.rankdata(y, method="average").astype(float),
            "warnings": sorted(set(type(m.message).__name__ + ": " + str(m.message)
                                   for m in w)),
        }
    dump({"source": "scipy.stats spearmanr/pearsonr/rankdata",
          "versions": VERSIONS,
          "note": ("rows with NaN in x or y are dropped pairwise before computing; "
                   "rank_*_average = scipy.stats.rankdata(method='average') on the "
                   "dropped vectors; NaN written as null"),
          "cases": cases}, "correlations.json")


# --------------------------------------------------------------------------
# Distributions
# --------------------------------------------------------------------------
def dist_reference():
    norm_x = [-5, -3.3, -1.96, -1, 0, 0.5, 1.644854, 2.5, 6]
    norm_p = [1e-10, 0.001, 0.025, 0.05, 0.5, 0.8, 0.975, 0.999, 1 - 1e-10]
    t_x = [-4, -2, -0.5, 0, 1, 2.1, 3.5]
    t_p = [0.0005, 0.025, 0.3, 0.5, 0.975, 0.9995]
    dfs = [1, 2, 5, 10, 30, 200, 15920]
    out = {
        "source": "scipy.stats",
        "versions": VERSIONS,
        "norm_cdf": {"x": norm_x, "value": [float(st.norm.cdf(v)) for v in norm_x]},
        "norm_ppf": {"p": norm_p, "value": [float(st.norm.ppf(v)) for v in norm_p]},
        "t_cdf": [{"df": df, "x": t_x, "value": [float(st.t.cdf(v, df)) for v in t_x]}
                  for df in dfs],
        "t_ppf": [{"df": df, "p": t_p, "value": [float(st.t.ppf(v, df)) for v in t_p]}
                  for df in dfs],
        "t_two_sided_p": [{"df": df, "x": t_x,
                           "value": [float(2 * st.t.sf(abs(v), df)) for v in t_x]}
                          for df in dfs],
    }
    dump(out, "distributions.json")


def main():
    summary = []
    for fixture in ["mixed_unbalanced", "mixed_balanced"]:
        for key, formula in MIXED_FORMULAS.items():
            o = mixed_reference(fixture, key, formula)
            summary.append((fixture, key, o))
    for key, formula in SMALL_FORMULAS.items():
        o = mixed_reference("mixed_small", key, formula)
        summary.append(("mixed_small", key, o))
    ols_reference("ols_us", "y ~ us * model:lang")
    ols_reference("ols_adjust", "y ~ 0 + x1:lang + lang:model")
    corr_reference()
    dist_reference()
    print("\nfixture/formula: method converged | SE max rel diff vs direct GLS | "
          "llf - textbook REML")
    for fixture, key, o in summary:
        c = o["check_direct_gls"]
        print(f"{fixture}/{key}: {o['fit_method']} {o['converged']} | "
              f"{c['se_max_rel_diff']:.3e} | {c['llf_minus_textbook']:.3e} | "
              f"feblock-vs-direct {c['se_fe_block_only_vs_direct_max_rel_diff']:.2e} "
              f"fullinv-vs-sm {c['se_full_inverse_vs_statsmodels_max_rel_diff']:.2e} "
              f"analytic-vs-sm {c['se_analytic_joint_hessian_vs_statsmodels_max_rel_diff']:.2e} "
              f"gvse {c['group_var_se_analytic_rel_diff']:.2e}")


if __name__ == "__main__":
    main()
