#!/usr/bin/env python3
"""Reference values for the value map (src/lib/pca.ts, src/lib/analyses/valueMap.ts) and the
survey's correlation matrix (src/lib/analyses/surveyPopulations.ts), computed with numpy's SVD
and scipy, independently of the TypeScript code. Tested in test/lib/analyses/valueMap.test.ts.

Writes test/reference/expected/pca.json:

  synthetic   a 7 x 5 matrix from numpy.random.default_rng(11) and two "model" rows (one with a
              missing value): item means and sample SDs over the rows, the first two principal
              components of the scaled matrix (numpy.linalg.svd), explained shares, country
              scores, and the model rows projected by least squares on the loadings over the
              items they have (the plain projection z @ V when none is missing).
  procrustes  scipy.linalg.orthogonal_procrustes of 6 random 2-d points onto a rotated, reflected,
              noisy copy.
  study       the study's release (MCA_PAPER_DATA, default ../shared/paper-data): country pro
              shares on the items the models answered and every country has, the same PCA, the
              models' projected points, and the country-by-country scipy.stats.spearmanr over the
              items both countries have (pairwise complete).

Sign rule (the same as the TypeScript): each component is turned so that its loading of
largest absolute value is positive.

Run from the repository root:
  /usr/bin/python3 test/reference/pca_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
from scipy.linalg import orthogonal_procrustes
from scipy.stats import spearmanr

HERE = os.path.dirname(os.path.abspath(__file__))
PAPER = os.environ.get("MCA_PAPER_DATA", os.path.join(HERE, "..", "..", "..", "shared", "paper-data"))


def sign_fixed(vt, u_s):
    """Turns each component (row of vt) so its largest absolute loading is positive."""
    for k in range(vt.shape[0]):
        j = int(np.argmax(np.abs(vt[k])))
        if vt[k, j] < 0:
            vt[k] = -vt[k]
            u_s[:, k] = -u_s[:, k]
    return vt, u_s


def pca(matrix):
    mean = matrix.mean(axis=0)
    sd = matrix.std(axis=0, ddof=1)
    z = (matrix - mean) / sd
    u, s, vt = np.linalg.svd(z, full_matrices=False)
    vt, scores = sign_fixed(vt.copy(), u * s)
    explained = s**2 / np.sum(s**2)
    return mean, sd, vt[:2], scores[:, :2], explained[:2]


def project(row, mean, sd, v2):
    z = (row - mean) / sd
    have = ~np.isnan(z)
    coef, *_ = np.linalg.lstsq(v2[:, have].T, z[have], rcond=None)
    return coef


def as_list(a):
    return [None if (isinstance(x, float) and np.isnan(x)) else x for x in np.asarray(a, dtype=float).tolist()]


def synthetic():
    rng = np.random.default_rng(11)
    matrix = rng.uniform(0.05, 0.95, size=(7, 5))
    models = rng.uniform(0.2, 0.8, size=(2, 5))
    models[1, 3] = np.nan
    mean, sd, v2, scores, explained = pca(matrix)
    return {
        "matrix": matrix.tolist(),
        "models": [as_list(m) for m in models],
        "mean": mean.tolist(),
        "sd": sd.tolist(),
        "loadings": v2.tolist(),
        "scores": scores.tolist(),
        "explained": explained.tolist(),
        "projected": [project(m, mean, sd, v2).tolist() for m in models],
    }


def procrustes():
    rng = np.random.default_rng(5)
    a = rng.normal(size=(6, 2))
    angle = 2.0
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ np.array([[1, 0], [0, -1]])
    b = a @ turn + rng.normal(scale=0.05, size=(6, 2))
    r, _ = orthogonal_procrustes(a, b)
    return {"from": a.tolist(), "to": b.tolist(), "rotation": r.ravel().tolist()}


def study():
    gt = pd.read_csv(os.path.join(PAPER, "ground_truth_every_country.csv"))
    gt["item"] = gt["question_key"].str.lower()
    resp = pd.read_csv(os.path.join(PAPER, "latest_results_with_baseline.csv"))
    resp = resp[(resp["response_language"] == resp["language"]) & resp["response_pro_score"].notna()].copy()
    resp["item"] = resp["question_key"].str.lower()
    asked = set(resp["item"])
    wide = gt[gt["item"].isin(asked)].pivot(index="cntry_an", columns="item", values="pro_score").sort_index()
    wide = wide[sorted(wide.columns)]
    corr = {}
    for a in wide.index:
        for b in wide.index:
            both = wide.loc[a].notna() & wide.loc[b].notna()
            rho = spearmanr(wide.loc[a][both], wide.loc[b][both]).correlation
            corr[f"{a}|{b}"] = {"rho": float(rho), "n": int(both.sum())}
    common = wide.dropna(axis=1)
    common = common.loc[:, common.std(axis=0) > 0]
    items = list(common.columns)
    mean, sd, v2, scores, explained = pca(common.to_numpy())
    means = resp.groupby(["model_name", "language", "item"])["response_pro_score"].mean().unstack("item").reindex(columns=items)
    models = {}
    for (model, language), row in means.iterrows():
        values = row.to_numpy(dtype=float)
        if np.sum(~np.isnan(values)) >= max(2, len(items) / 2):
            models[f"{model}|{language}"] = project(values, mean, sd, v2).tolist()
    return {
        "countries": list(common.index),
        "items": items,
        "explained": explained.tolist(),
        "loadings": v2.tolist(),
        "scores": scores.tolist(),
        "models": models,
        "correlations": corr,
    }


def main():
    out = {"synthetic": synthetic(), "procrustes": procrustes(), "study": study()}
    path = os.path.join(HERE, "expected", "pca.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
