#!/usr/bin/env python3
"""Reference values for the residual diagnostics (src/lib/analyses/residuals.ts, src/lib/normality.ts).

Writes test/reference/expected/residuals.json with

  usbias       statsmodels OLS `alignment ~ us * model:language` (uniform-random baseline as the
               reference model) on fixtures/usbias_rows_20_seed7.csv (make_usbias_rows.ts):
               fittedvalues, resid, resid_pearson (= resid / sqrt(scale)), scale, and the shape
               statistics of the residuals.
  rq1          statsmodels MixedLM (REML, random intercept per model) on
               fixtures/rq1_rounds_20_seed2.csv (variant `interaction`) and
               fixtures/rq1_rounds_50_seed1.csv (variant `normal`), fitted with
               fit(reml=True, method="bfgs", gtol=1e-10) (the tight fit; both have one mode,
               see rq1_rounds_statsmodels.py): fittedvalues (X beta + the model's BLUP), resid,
               scale, and the shape statistics of resid.
  normality    hand-made vectors (skewed, with ties, n = 8 and n = 7, constant, with NaN):
               scipy.stats skew, kurtosis(fisher=False), jarque_bera, normaltest.

Shape statistics are scipy 1.10's: skew (biased), kurtosis(fisher=False) (biased, Pearson's),
jarque_bera (statistic, p) and normaltest (D'Agostino-Pearson K^2, p); statsmodels' summary
prints the same (its Omnibus is normaltest). QQ pairs: the sorted standardized residuals
against norm.ppf((i - 3/8) / (n + 1/4)), i = 1..n (Blom).

Run from the repository root with Debian's python (statsmodels 0.13.5, scipy 1.10.1):

  /usr/bin/python3 test/reference/residuals_reference.py

NaN is written as JSON null; floats with Python's repr.
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
OUT = os.path.join(HERE, "expected", "residuals.json")

RQ1_FORMULAS = {
    "interaction": "alignment ~ 0 + consistency:language + multilingual:family:language",
    "normal": "alignment ~ 0 + consistency + multilingual:family:language",
}


def clean(x):
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [clean(v) for v in x]
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    return x


def shape(values):
    x = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    out = {"n": int(x.size)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["skew"] = float(st.skew(x)) if x.size else math.nan
        out["kurtosis"] = float(st.kurtosis(x, fisher=False)) if x.size else math.nan
        jb = st.jarque_bera(x) if x.size else (math.nan, math.nan)
        out["jarque_bera"], out["jarque_bera_p"] = float(jb[0]), float(jb[1])
        try:
            k2 = st.normaltest(x)
            out["omnibus"], out["omnibus_p"] = float(k2[0]), float(k2[1])
        except ValueError as e:  # scipy refuses fewer than 8 values
            out["omnibus"], out["omnibus_p"], out["omnibus_error"] = math.nan, math.nan, str(e)
    return out


def qq(standardized):
    z = np.sort(np.asarray(standardized, dtype=float))
    n = z.size
    i = np.arange(1, n + 1)
    return {"theoretical": st.norm.ppf((i - 3 / 8) / (n + 1 / 4)), "sample": z}


def usbias():
    df = pd.read_csv(os.path.join(FIX, "usbias_rows_20_seed7.csv"), dtype={"us": str})
    models = ["Baseline_uniform_random"] + sorted(m for m in df["model"].unique() if m != "Baseline_uniform_random")
    df["model"] = pd.Categorical(df["model"], categories=models)
    df["us"] = pd.Categorical(df["us"], categories=["False", "True"])
    fit = smf.ols("alignment ~ us * model:language", data=df).fit()
    resid = fit.resid.to_numpy()
    # The normality of resid must equal what statsmodels' own summary prints.
    from statsmodels.stats.stattools import jarque_bera, omni_normtest

    jb, jbp, skew, kurt = jarque_bera(resid)
    om, omp = omni_normtest(resid)
    s = shape(resid)
    assert abs(s["jarque_bera"] - jb) < 1e-9 * jb and abs(s["skew"] - skew) < 1e-12 and abs(s["kurtosis"] - kurt) < 1e-12
    assert abs(s["omnibus"] - om) < 1e-9 * om
    assert np.allclose(fit.resid_pearson, resid / math.sqrt(fit.scale), rtol=0, atol=1e-14)
    return {
        "fixture": "usbias_rows_20_seed7.csv",
        "formula": "alignment ~ us * model:language",
        "n": int(fit.nobs),
        "scale": float(fit.scale),
        "rsquared": float(fit.rsquared),
        "fitted": fit.fittedvalues.to_numpy(),
        "resid": resid,
        "shape": s,
        "qq": qq(fit.resid_pearson),
    }


def rq1(fixture, variant):
    df = pd.read_csv(os.path.join(FIX, fixture))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.mixedlm(RQ1_FORMULAS[variant], df, groups=df["model"]).fit(reml=True, method="bfgs", gtol=1e-10)
    resid = fit.resid.to_numpy()
    assert np.allclose(fit.fittedvalues + fit.resid, df["alignment"], rtol=0, atol=1e-12)
    return {
        "fixture": fixture,
        "variant": variant,
        "n": int(fit.nobs),
        "scale": float(fit.scale),
        "llf": float(fit.llf),
        "fitted": fit.fittedvalues.to_numpy(),
        "resid": resid,
        "shape": shape(resid),
        "qq": qq(resid / math.sqrt(fit.scale)),
    }


def normality_cases():
    rng = np.random.default_rng(20250825)
    cases = {
        "skewed_200": np.round(rng.exponential(1.0, 200), 6),
        "ties_30": np.array([0.1] * 10 + [0.2] * 8 + [0.5] * 7 + [1.5, 2.0, 2.0, 3.0, -1.0]),
        "n8": np.array([0.3, -1.2, 0.8, 2.5, -0.4, 0.0, 1.1, -2.2]),
        "n7": np.array([0.3, -1.2, 0.8, 2.5, -0.4, 0.0, 1.1]),
        "constant_10": np.full(10, 0.25),
        "with_nan_25": np.concatenate([np.round(rng.normal(0, 1, 22), 6), [np.nan, np.nan, np.nan]]),
    }
    return {name: {"values": v, **shape(v)} for name, v in cases.items()}


def main():
    out = {
        "versions": {"python": ".".join(map(str, __import__("sys").version_info[:3])), "statsmodels": statsmodels.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
        "plotting_position": "(i - 3/8) / (n + 1/4)",
        "usbias": usbias(),
        "rq1": [rq1("rq1_rounds_20_seed2.csv", "interaction"), rq1("rq1_rounds_50_seed1.csv", "normal")],
        "normality": normality_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(clean(out), f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
