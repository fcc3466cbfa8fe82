#!/usr/bin/env python3
"""Reference values for "whose opinions" (src/lib/analyses/similarity.ts) on the study's release.

Recomputed from the release's CSV files with scipy and statsmodels, sharing no code with the
TypeScript analysis:

  alignment(m, l, c)  scipy spearmanr over model m's scored responses in prompt language l,
                      each response's VPS against its item's pro share in country c
  median model        numpy nanmedian over the nine models
  similarity(c)       spearmanr of c's and the US's pro shares over every item both have
  gap(m, l, c)        alignment with the US minus with c, both on the items the US and c have
  regression          statsmodels OLS gap ~ similarity over the twelve countries other than the
                      US: each country's gap in its own language ("own"), or in one language

Scored responses: the release's responses without the two baselines, with a finite VPS, in
the prompt's language (the judge's detected language equals the prompt's).

Writes test/reference/expected/similarity_statsmodels.json. Run from the repository root:

  MCA_PAPER_DATA=../shared/paper-data /usr/bin/python3 test/reference/similarity_statsmodels.py
"""
import csv
import json
import math
import os

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MCA_PAPER_DATA", os.path.join(HERE, "..", "..", "..", "shared", "paper-data"))
US = "US"


def rows(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf8") as f:
        return list(csv.DictReader(f))


def number(text):
    try:
        x = float(text)
    except ValueError:
        return math.nan
    return x


responses = []
for r in rows("latest_results_with_baseline.csv"):
    vps = number(r["response_pro_score"])
    if r["model_family"] == "Baseline" or not math.isfinite(vps) or r["response_language"] != r["language"]:
        continue
    responses.append((r["model_name"], r["language"], r["question_key"].lower(), vps))

truth = {}
for r in rows("ground_truth_every_country.csv"):
    score = number(r["pro_score"])
    if math.isfinite(score):
        truth.setdefault(r["cntry_an"].upper(), {})[r["question_key"].lower()] = score
own_language = {r["cntry_AN"].upper(): r["lnge_iso"] for r in rows("country_languages.csv")}

models = sorted({m for m, _, _, _ in responses})
languages = sorted({l for _, l, _, _ in responses})
countries = sorted(truth)
others = [c for c in countries if c != US]


def alignment(model, language, country, items=None):
    shares = truth[country]
    pairs = [(v, shares[i]) for m, l, i, v in responses if m == model and l == language and i in shares and (items is None or i in items)]
    if len(pairs) < 2:
        return math.nan
    return float(st.spearmanr([p[0] for p in pairs], [p[1] for p in pairs]).correlation)


def similarity(country):
    common = sorted(set(truth[country]) & set(truth[US]))
    return float(st.spearmanr([truth[country][i] for i in common], [truth[US][i] for i in common]).correlation)


def gap(model, language, country):
    common = set(truth[country]) & set(truth[US])
    return alignment(model, language, US, common) - alignment(model, language, country, common)


sim = {c: similarity(c) for c in others}
rho = {(m, l, c): alignment(m, l, c) for m in models for l in languages for c in countries}
gaps = {(m, l, c): gap(m, l, c) for m in models for l in languages for c in others}
for l in languages:
    for c in countries:
        rho[("median model", l, c)] = float(np.nanmedian([rho[(m, l, c)] for m in models]))
    for c in others:
        gaps[("median model", l, c)] = float(np.nanmedian([gaps[(m, l, c)] for m in models]))


def regression(model, which):
    points = [(c, own_language[c] if which == "own" else which) for c in others]
    points = [(c, l) for c, l in points if l in languages]
    x = np.array([sim[c] for c, _ in points])
    y = np.array([gaps[(model, l, c)] for c, l in points])
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    low, high = fit.conf_int(0.05)[1]
    return {
        "model": model,
        "gaps": which,
        "n": int(fit.nobs),
        "intercept": float(fit.params[0]),
        "slope": float(fit.params[1]),
        "se": float(fit.bse[1]),
        "ci_low": float(low),
        "ci_high": float(high),
        "r2": float(fit.rsquared),
        "df_resid": float(fit.df_resid),
    }


out = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
    "similarity": sim,
    "rho": [{"model": m, "language": l, "country": c, "rho": v} for (m, l, c), v in rho.items()],
    "gaps": [{"model": m, "language": l, "country": c, "gap": v} for (m, l, c), v in gaps.items()],
    "regressions": [regression(m, w) for m in models + ["median model"] for w in ["own"] + languages],
}
path = os.path.join(HERE, "expected", "similarity_statsmodels.json")
with open(path, "w", encoding="utf8") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {path}: {len(out['rho'])} alignments, {len(out['gaps'])} gaps, {len(out['regressions'])} regressions")
