#!/usr/bin/env python3
"""Reference values for the conditioning-language cross-effects (src/lib/analyses/crossEffects/),
computed independently of the TypeScript: the study's way, by listing pairs.

Writes test/reference/expected/cross_effects.json:

  tiny        a hand-sized data set (ties, a NaN VPS, a model with one language, an item
              answered once) and, per model, Pearson within / between and the gap, with
              and without self-pairs, from the explicit list of ordered pairs.
  full_data   the study's release: per model, the same six numbers, from the self-join of
              all_lang_model_responses_with_scores.csv on (question_key, model_name), as
              analyse_cross_effects.py builds it (self-pairs: a row joined with itself).
  published   the study's bootstrap (resample the joined table with replacement, 100
              rounds, numpy default_rng(20250101)): per model, the mean gap over rounds and
              the rounds' standard deviation. Another generator than ours, so the TypeScript
              is compared within Monte Carlo error.
  items       the recommended bootstrap: 2000 replicates resampling the 37 items as
              clusters (default_rng(7)), pairs without self-pairs within one drawn copy:
              per model, the standard deviation of the gap.
  matrix      per (model, prompt language, country): scipy.stats.spearmanr of the
              responses' VPS against the country's pro share of their item (items with
              ground truth in the country).

Every consistency is divided by (1 - 0.045), as the study did.

Run from the repository root (paper data from MCA_PAPER_DATA, else ../shared/paper-data):
  /usr/bin/python3 test/reference/cross_effects_reference.py
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MCA_PAPER_DATA", os.path.join(HERE, "..", "..", "..", "shared", "paper-data"))
OUT = os.path.join(HERE, "expected", "cross_effects.json")
NOISE = 0.045

TINY = [
    # model, language, item, vps
    ("m1", "da", "q1", 1.0),
    ("m1", "da", "q1", 0.0),
    ("m1", "da", "q1", 0.5),
    ("m1", "en", "q1", 1.0),
    ("m1", "en", "q1", 1.0),
    ("m1", "da", "q2", 0.5),
    ("m1", "da", "q2", 0.5),
    ("m1", "en", "q2", 0.0),
    ("m1", "en", "q2", float("nan")),
    ("m1", "en", "q3", 0.25),
    ("m2", "da", "q1", 0.2),
    ("m2", "da", "q1", 0.8),
    ("m2", "da", "q2", 0.8),
    ("m2", "da", "q2", 0.8),
    ("m2", "da", "q2", 0.4),
]


def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def pearson(x, y):
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def pair_gaps(frame):
    """frame: model, language, item, vps (no NaN). Lists ordered pairs per model and item."""
    out = {}
    frame = frame.reset_index(drop=True).assign(rid=lambda d: np.arange(len(d)))
    joined = frame.merge(frame, on=["item", "model"])
    joined["same"] = joined["language_x"] == joined["language_y"]
    for self_pairs in (True, False):
        j = joined if self_pairs else joined[joined["rid_x"] != joined["rid_y"]]
        for model, g in j.groupby("model"):
            w = g[g["same"]]
            b = g[~g["same"]]
            rw = pearson(w["vps_x"].to_numpy(), w["vps_y"].to_numpy()) / (1 - NOISE)
            rb = pearson(b["vps_x"].to_numpy(), b["vps_y"].to_numpy()) / (1 - NOISE)
            out.setdefault(model, {})["self" if self_pairs else "noself"] = {
                "within": nan_to_none(rw),
                "between": nan_to_none(rb),
                "gap": nan_to_none(rw - rb),
            }
    return out


def responses():
    d = pd.read_csv(os.path.join(DATA, "all_lang_model_responses_with_scores.csv"))
    d = d[d["template_type"] == "survey_hypothetical"]
    return d.rename(columns={"model_name": "model", "question_key": "item", "response_pro_score": "vps"})[["model", "language", "item", "vps"]]


def weighted_r(x, y, w):
    n = w.sum()
    mx, my = (w * x).sum() / n, (w * y).sum() / n
    sxy = (w * (x - mx) * (y - my)).sum()
    return sxy / math.sqrt((w * (x - mx) ** 2).sum() * (w * (y - my) ** 2).sum())


def published_bootstrap(d, rounds=100):
    rng = np.random.default_rng(20250101)
    j = d.merge(d, on=["item", "model"])
    same = (j["language_x"] == j["language_y"]).to_numpy()
    x, y = j["vps_x"].to_numpy(), j["vps_y"].to_numpy()
    models = sorted(d["model"].unique())
    code = j["model"].map({m: i for i, m in enumerate(models)}).to_numpy()
    gaps = {m: [] for m in models}
    for _ in range(rounds):
        w = np.bincount(rng.integers(0, len(j), len(j)), minlength=len(j)).astype(float)
        for i, m in enumerate(models):
            sel_w = (code == i) & same
            sel_b = (code == i) & ~same
            rw = weighted_r(x[sel_w], y[sel_w], w[sel_w])
            rb = weighted_r(x[sel_b], y[sel_b], w[sel_b])
            gaps[m].append((rw - rb) / (1 - NOISE))
    return {m: {"mean": float(np.mean(g)), "sd": float(np.std(g, ddof=1)), "rounds": rounds} for m, g in gaps.items()}


def item_bootstrap(d, replicates=2000):
    """Per (model, item): the within and between pair sums without self-pairs, listed pair by pair."""
    rng = np.random.default_rng(7)
    items = sorted(d["item"].unique())
    d = d.reset_index(drop=True).assign(rid=lambda f: np.arange(len(f)))
    j = d.merge(d, on=["item", "model"])
    j = j[j["rid_x"] != j["rid_y"]]
    j = j.assign(same=j["language_x"] == j["language_y"], xx=j["vps_x"] ** 2, xy=j["vps_x"] * j["vps_y"], one=1.0)
    sums = j.groupby(["model", "same", "item"])[["one", "vps_x", "xx", "xy"]].sum()
    sds = {}
    for model in sorted(d["model"].unique()):
        per = {}
        for same in (True, False):
            s = sums.loc[(model, same)].reindex(items, fill_value=0.0).to_numpy()
            per[same] = s
        gaps = []
        for _ in range(replicates):
            k = np.bincount(rng.integers(0, len(items), len(items)), minlength=len(items)).astype(float)
            r = {}
            for same in (True, False):
                n, sx, sxx, sxy = k @ per[same]
                r[same] = (n * sxy - sx * sx) / (n * sxx - sx * sx)
            gaps.append((r[True] - r[False]) / (1 - NOISE))
        sds[model] = {"sd": float(np.std(gaps, ddof=1)), "replicates": replicates}
    return sds


def matrix(d):
    gt = pd.read_csv(os.path.join(DATA, "ground_truth_every_country.csv"))
    gt = gt.assign(item=gt["question_key"].str.lower()).dropna(subset=["pro_score"])
    out = []
    for country, g in gt.groupby("cntry_an"):
        joined = d.merge(g[["item", "pro_score"]], on="item")
        for (model, language), cell in joined.groupby(["model", "language"]):
            rho = stats.spearmanr(cell["vps"], cell["pro_score"]).correlation
            out.append({"model": model, "language": language, "country": country, "rho": nan_to_none(float(rho)), "n": int(len(cell))})
    return out


def main():
    tiny = pd.DataFrame(TINY, columns=["model", "language", "item", "vps"])
    d = responses()
    result = {
        "source": "test/reference/cross_effects_reference.py",
        "versions": {"python": ".".join(map(str, __import__("sys").version_info[:3])), "numpy": np.__version__, "pandas": pd.__version__, "scipy": __import__("scipy").__version__},
        "judge_error_rate": NOISE,
        "tiny": {"rows": [{"model": m, "language": l, "item": i, "vps": nan_to_none(v)} for m, l, i, v in TINY], "gaps": pair_gaps(tiny.dropna())},
        "full_data": pair_gaps(d),
        "published": published_bootstrap(d),
        "items": item_bootstrap(d),
        "matrix": matrix(d),
    }
    with open(OUT, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
