#!/usr/bin/env python3
"""Reference values for the study's unpublished analyses (src/lib/analyses/unpublished/) on its release.

Recomputed from the release's CSV files with scipy and numpy, sharing no code with the
TypeScript analysis (full-data point estimates; the bootstrap is tested in TypeScript):

  rho(m, l, p, items)  scipy spearmanr over model m's scored responses in prompt language l,
                       each response's VPS against its item's pro share in population p
                       (optionally on a subset of items)
  monocultural(m, c)   rho(m, L_c, c) - rho(m, en, c), for countries whose language L_c is a
                       prompt language other than English
  transfer(m, c)       rho(m, L_c, c, common) - rho(m, L_c, US, common), common = the items c and
                       the US both have, for every country but the US
  above(m, c, b)       rho(m, L_c, c) - rho(b, L_c, c), b a baseline of the release
  threshold(m, l, t)   rho(m, l, speakers of l, items whose share is <= t or >= 1 - t) and its
                       difference from t = 0.5 (every item)
  median model         numpy nanmedian over the nine models of each difference (or of rho)

Scored responses: every row of latest_results_with_baseline.csv (models and the study's two
baselines) with a finite VPS, judged in the prompt's language.

Writes test/reference/expected/unpublished.json. Run from the repository root:

  MCA_PAPER_DATA=../shared/paper-data /usr/bin/python3 test/reference/unpublished_reference.py
"""
import csv
import json
import math
import os

import numpy as np
import scipy
import scipy.stats as st

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MCA_PAPER_DATA", os.path.join(HERE, "..", "..", "..", "shared", "paper-data"))
US = "US"
THRESHOLDS = [0.5, 0.4, 0.3, 0.2, 0.1]
BASELINES = ["Baseline_uniform_random", "Baseline_fifty_percent"]


def rows(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf8") as f:
        return list(csv.DictReader(f))


def number(text):
    try:
        return float(text)
    except ValueError:
        return math.nan


responses = []
for r in rows("latest_results_with_baseline.csv"):
    vps = number(r["response_pro_score"])
    if math.isfinite(vps) and r["response_language"] == r["language"]:
        responses.append((r["model_name"], r["language"], r["question_key"].lower(), vps))


def shares_of(name, population_column):
    out = {}
    for r in rows(name):
        score = number(r["pro_score"])
        if math.isfinite(score):
            out.setdefault(r[population_column], {})[r["question_key"].lower()] = score
    return out


country = {k.upper(): v for k, v in shares_of("ground_truth_every_country.csv", "cntry_an").items()}
speakers = shares_of("ground_truth_per_language.csv", "lnge_iso")
own = {r["cntry_AN"].upper(): r["lnge_iso"] for r in rows("country_languages.csv")}

models = sorted({m for m, _, _, _ in responses if m not in BASELINES})
languages = sorted({l for _, l, _, _ in responses})


def rho(model, language, shares, items=None):
    pairs = [(v, shares[i]) for m, l, i, v in responses if m == model and l == language and i in shares and (items is None or i in items)]
    if len(pairs) < 2:
        return math.nan
    return float(st.spearmanr([p[0] for p in pairs], [p[1] for p in pairs]).correlation)


def with_median(per_model):
    per_model["median model"] = float(np.nanmedian([per_model[m] for m in models]))
    return per_model


mono = {}
for c in sorted(country):
    l = own.get(c)
    if l in languages and l != "en":
        native = {m: rho(m, l, country[c]) for m in models}
        english = {m: rho(m, "en", country[c]) for m in models}
        mono[c] = {"language": l, "native": native, "english": english, "diff": with_median({m: native[m] - english[m] for m in models})}

transfer = {}
for c in sorted(country):
    l = own.get(c)
    if c == US or l not in languages:
        continue
    common = set(country[c]) & set(country[US])
    self = {m: rho(m, l, country[c], common) for m in models}
    us = {m: rho(m, l, country[US], common) for m in models}
    transfer[c] = {"language": l, "items": len(common), "own": self, "us": us, "diff": with_median({m: self[m] - us[m] for m in models})}

above = {}
for c in sorted(country):
    l = own.get(c)
    if l not in languages:
        continue
    for b in BASELINES:
        base = rho(b, l, country[c])
        above[f"{c}/{b}"] = {"baseline_rho": base, "diff": with_median({m: rho(m, l, country[c]) - base for m in models})}

asked = {i for _, _, i, _ in responses}
threshold = {}
for l in languages:
    shares = speakers[l]
    everything = {m: rho(m, l, shares) for m in models}
    for t in THRESHOLDS:
        kept = {i for i, s in shares.items() if i in asked and (s <= t or s >= 1 - t)}
        r = {m: rho(m, l, shares, kept) for m in models}
        threshold[f"{l}/{t}"] = {
            "items": len(kept),
            "rho": with_median(dict(r)),
            "shift": with_median({m: r[m] - everything[m] for m in models}),
        }

out = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
    "monocultural": mono,
    "transfer": transfer,
    "above": above,
    "threshold": threshold,
}
path = os.path.join(HERE, "expected", "unpublished.json")
with open(path, "w", encoding="utf8") as f:
    json.dump(out, f, indent=1, allow_nan=True)
    f.write("\n")
print(f"wrote {path}: {len(mono)} monocultural, {len(transfer)} transfer, {len(above)} baseline, {len(threshold)} threshold entries")
