#!/usr/bin/env python3
"""statsmodels reference fits of the RQ1 mixed model at several bootstrap round counts.

Reads test/reference/fixtures/rq1_rounds_<R>_seed<S>.csv (written by
make_rq1_rounds.ts) and writes test/reference/expected/rq1_rounds_statsmodels.json.

Model: REML, random intercept per `model`, three fixed-effect variants

  interaction     alignment ~ 0 + consistency:language + multilingual:family:language
  normal          alignment ~ 0 + consistency + multilingual:family:language
  no_consistency  alignment ~ 0 + multilingual:family:language

The REML profile likelihood over the variance ratio gamma = group_var / scale can be
bimodal for these data, and statsmodels' default optimizer (BFGS from gamma = 1) can
stop at a local mode. So for every case and variant this script records

  default_fit   sm.MixedLM(...).fit(reml=True), what a user gets;
  modes         every local maximum of the profile REML log-likelihood over gamma, best
                first: statsmodels' own MixedLM.loglike (fixed effects and scale profiled
                out) on a grid of log gamma (GRID_FROM..GRID_TO, step GRID_STEP), each
                grid maximum refined by (a) bounded Brent search on log gamma between its
                grid neighbours and (b) fit(reml=True, method="bfgs", gtol=1e-10) started
                at the grid point; the mode's numbers are those of fit (b), and (a) is
                kept as a check (`llf_brent`, `gamma_brent`);
  multistart    fit(reml=True, method="bfgs", gtol=1e-10) from each gamma in
                MULTISTART_GAMMAS, and which mode each one reached;
  global_fit    the full fit at the best mode (coef, se, z, group_var, scale, llf, ...),
                plus se_gls = sqrt(diag(scale * inv(X'V0^-1 X))), lme4's SE formula, at the
                same estimates (statsmodels' se inverts the joint Hessian in (beta, gamma)).

Run from the repository root with Debian's python (statsmodels 0.13.5):

  /usr/bin/python3 test/reference/rq1_rounds_statsmodels.py

NaN is written as JSON null; floats with Python's repr (full double precision).
"""
import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import patsy
import scipy
import scipy.optimize as so
import statsmodels
import statsmodels.formula.api as smf
from statsmodels.regression.mixed_linear_model import MixedLMParams

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
OUT = os.path.join(HERE, "expected")

VERSIONS = {
    "statsmodels": statsmodels.__version__,
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "pandas": pd.__version__,
    "patsy": patsy.__version__,
}

CASES = [(10, 1), (20, 1), (30, 1), (50, 1), (100, 1), (20, 2), (50, 2)]
VARIANTS = {
    "interaction": "alignment ~ 0 + consistency:language + multilingual:family:language",
    "normal": "alignment ~ 0 + consistency + multilingual:family:language",
    "no_consistency": "alignment ~ 0 + multilingual:family:language",
}
GRID_FROM = math.log(1e-10)
GRID_TO = math.log(1e6)
GRID_STEP = 0.05
MULTISTART_GAMMAS = [1e-5, 1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0, 1000.0]
# Two optima whose log gamma differ by less than this are the same mode.
SAME_MODE_LOG_GAMMA = 1e-3


def clean(obj):
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [clean(v) for v in obj.tolist()]
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return f if math.isfinite(f) else None
    return obj


def read_case(rounds, seed):
    name = f"rq1_rounds_{rounds}_seed{seed}.csv"
    d = pd.read_csv(os.path.join(FIX, name),
                    dtype={"model": str, "family": str, "language": str})
    return name, d


def new_model(formula, d):
    md = smf.mixedlm(formula, d, groups=d["model"])
    # fit() sets these; loglike() needs them when called directly.
    md.reml = True
    md.cov_pen = None
    md.fe_pen = None
    md._cov_sing = 0
    md._freepat = None
    return md


def profile_llf(md, log_gamma):
    """statsmodels' REML log-likelihood with beta and scale profiled out, at gamma."""
    par = MixedLMParams.from_components(np.zeros(md.k_fe),
                                        cov_re=np.array([[math.exp(log_gamma)]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(md.loglike(par, profile_fe=True))


def summarise(md, res, k_fe):
    """The numbers of one fitted MixedLM result."""
    gv = float(np.asarray(res.cov_re)[0, 0])
    scale = float(res.scale)
    bse = np.asarray(res.bse, dtype=float)
    return {
        "converged": bool(res.converged),
        "coef": np.asarray(res.fe_params, dtype=float),
        "se": np.asarray(res.bse_fe, dtype=float),
        "z": np.asarray(res.tvalues, dtype=float)[:k_fe],
        "group_var": gv,
        "group_var_se": float(np.sqrt(scale) * bse[k_fe]) if len(bse) > k_fe else None,
        "scale": scale,
        "gamma": gv / scale,
        "llf": float(res.llf),
    }


def fit(md_formula, d, start_gamma=None, tight=True):
    md = smf.mixedlm(md_formula, d, groups=d["model"])
    kw = {}
    if start_gamma is not None:
        kw["start_params"] = MixedLMParams.from_components(
            np.zeros(md.k_fe), cov_re=np.array([[start_gamma]]))
    if tight:
        kw.update(method="bfgs", gtol=1e-10)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        res = md.fit(reml=True, **kw)
    out = summarise(md, res, md.k_fe)
    out["warnings"] = sorted(set(str(x.message) for x in w))
    return out


def gls_se(md, d, gamma, scale):
    X = np.asarray(md.exog, dtype=float)
    g = pd.factorize(d["model"])[0]
    A = X.T @ X
    for j in range(g.max() + 1):
        s = X[g == j].sum(axis=0)
        nj = int((g == j).sum())
        A -= gamma / (1 + nj * gamma) * np.outer(s, s)
    return np.sqrt(np.diag(scale * np.linalg.inv(A)))


def variant_reference(formula, d):
    md = new_model(formula, d)
    k_fe = md.k_fe
    names = list(md.exog_names)

    default = fit(formula, d, tight=False)
    default["fit_call"] = "fit(reml=True)"

    # Profile on the grid.
    n_grid = int(round((GRID_TO - GRID_FROM) / GRID_STEP))
    lg = GRID_FROM + GRID_STEP * np.arange(n_grid + 1)
    ll = np.array([profile_llf(md, x) for x in lg])
    modes = []
    for i in range(len(lg)):
        left = ll[i - 1] if i > 0 else -np.inf
        right = ll[i + 1] if i < len(lg) - 1 else -np.inf
        if not (ll[i] > left and ll[i] >= right):
            continue
        at_edge = i == 0 or i == len(lg) - 1
        mode = {"grid_log_gamma": float(lg[i]), "grid_llf": float(ll[i]), "at_grid_edge": at_edge}
        if not at_edge:
            br = so.minimize_scalar(lambda x: -profile_llf(md, x), bounds=(lg[i - 1], lg[i + 1]),
                                    method="bounded", options={"xatol": 1e-12, "maxiter": 500})
            mode["gamma_brent"] = math.exp(br.x)
            mode["llf_brent"] = -float(br.fun)
        f = fit(formula, d, start_gamma=math.exp(lg[i]))
        mode.update(f)
        modes.append(mode)
    modes.sort(key=lambda m: -m["llf"])
    for m in modes:
        if "gamma_brent" in m:
            # statsmodels' tight BFGS and the Brent search agree on the mode.
            assert abs(math.log(m["gamma"] / m["gamma_brent"])) < 1e-4, (m["gamma"], m["gamma_brent"])
            assert abs(m["llf"] - m["llf_brent"]) < 1e-8, (m["llf"], m["llf_brent"])
    for a in range(len(modes)):
        for b in range(a + 1, len(modes)):
            assert abs(math.log(modes[a]["gamma"] / modes[b]["gamma"])) > SAME_MODE_LOG_GAMMA

    def mode_of(g):
        dist = [abs(math.log(g / m["gamma"])) for m in modes]
        j = int(np.argmin(dist))
        return j if dist[j] < 0.05 else None

    multistart = []
    for g0 in MULTISTART_GAMMAS:
        f = fit(formula, d, start_gamma=g0)
        multistart.append({"start_gamma": g0, "converged": f["converged"], "gamma": f["gamma"],
                           "group_var": f["group_var"], "llf": f["llf"], "mode": mode_of(f["gamma"])})
    best_ms = max(m["llf"] for m in multistart)
    glob = modes[0]
    assert best_ms <= glob["llf"] + 1e-9, (best_ms, glob["llf"])

    default["mode"] = mode_of(default["gamma"])
    default["llf_minus_global"] = default["llf"] - glob["llf"]
    default["reached_global_mode"] = default["mode"] == 0
    global_fit = {k: v for k, v in glob.items() if k not in ("grid_log_gamma", "grid_llf")}
    # lme4's SE formula, sqrt(diag(scale * inv(X'V0^-1 X))) with V0 = I + gamma ZZ', at
    # statsmodels' optimum. statsmodels' own SEs (bse_fe) invert the joint observed Hessian
    # in (beta, gamma) and are wider; for these group-level covariates by up to ~45%.
    global_fit["se_gls"] = gls_se(md, d, global_fit["gamma"], global_fit["scale"])
    global_fit["se_over_se_gls_max"] = float(np.max(np.asarray(global_fit["se"]) / global_fit["se_gls"]))
    global_fit["fit_call"] = "fit(reml=True, start_params=<gamma of the best grid mode>, method='bfgs', gtol=1e-10)"
    return {
        "formula": formula,
        "n": int(md.n_totobs),
        "n_groups": int(md.n_groups),
        "k_fe": int(k_fe),
        "exog_names": names,
        "default_fit": default,
        "global_fit": global_fit,
        "n_modes": len(modes),
        "modes": [{"group_var": m["group_var"], "scale": m["scale"], "gamma": m["gamma"],
                   "llf": m["llf"], "converged": m["converged"],
                   "gamma_brent": m.get("gamma_brent"), "llf_brent": m.get("llf_brent"),
                   "grid_log_gamma": m["grid_log_gamma"], "at_grid_edge": m["at_grid_edge"]}
                  for m in modes],
        "multistart": multistart,
    }


def main():
    cases = {}
    for rounds, seed in CASES:
        name, d = read_case(rounds, seed)
        key = f"{rounds}_seed{seed}"
        cases[key] = {"fixture": name, "rounds": rounds, "seed": seed}
        for variant, formula in VARIANTS.items():
            r = variant_reference(formula, d)
            cases[key][variant] = r
            df, gf = r["default_fit"], r["global_fit"]
            print(f"{key:10s} {variant:15s} modes={r['n_modes']} "
                  f"default gv={df['group_var']:.6g} llf={df['llf']:.6f} (mode {df['mode']}) | "
                  f"global gv={gf['group_var']:.6g} llf={gf['llf']:.6f} | "
                  + " ".join(f"[{m['group_var']:.4g} {m['llf']:.4f}]" for m in r["modes"]))
    out = {
        "source": "statsmodels MixedLM (REML), rq1_rounds_statsmodels.py",
        "versions": VERSIONS,
        "groups": "model",
        "grid": {"log_gamma_from": GRID_FROM, "log_gamma_to": GRID_TO, "log_gamma_step": GRID_STEP},
        "multistart_gammas": MULTISTART_GAMMAS,
        "note": ("gamma = group_var / scale. default_fit is fit(reml=True). modes are the local maxima of "
                 "MixedLM.loglike (profile REML) over log gamma, best first, each refined by a tight BFGS fit "
                 "started at the grid point; global_fit is modes[0] with coefficients and SEs. `mode` in "
                 "default_fit / multistart is the index of the mode reached (null: none within 5% in gamma)."),
        "cases": cases,
    }
    path = os.path.join(OUT, "rq1_rounds_statsmodels.json")
    with open(path, "w") as fh:
        json.dump(clean(out), fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
