#!/usr/bin/env python3
"""Deterministic generator for the reference CSV fixtures.

Writes into test/reference/fixtures/ (relative to this file):
  mixed_unbalanced.csv, mixed_balanced.csv, mixed_small.csv,
  ols_us.csv, ols_adjust.csv, corr.csv

All randomness comes from numpy.random.default_rng with fixed seeds, and all
floats are rounded before writing so that the CSV text is the single source of
truth for every downstream fit (statsmodels, lme4 and the TypeScript tests).
"""
import os

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
os.makedirs(OUT, exist_ok=True)

CATS = ["gemma", "olmo", "openai"]
LANGS = ["Danish", "Dutch", "English", "Portuguese"]
# groups nested in cat (like models nested in model families)
GROUPS = {
    "gemma": ["gemma_2b", "gemma_7b", "gemma_9b"],
    "olmo": ["olmo_1b", "olmo_7b", "olmo_13b"],
    "openai": ["gpt_35", "gpt_4", "gpt_4o"],
}
DECIMALS = 6


def write(df, name):
    path = os.path.join(OUT, name)
    df.to_csv(path, index=False, lineterminator="\n", na_rep="")
    print(f"wrote {path} ({len(df)} rows)")


def mixed_dgp(rng, sizes):
    """sizes: dict group -> number of rows. Returns a DataFrame."""
    b1 = dict(zip(LANGS, [0.30, 0.55, 0.80, 0.45]))
    b2 = {(c, l): float(v) for (c, l), v in zip(
        [(c, l) for c in CATS for l in LANGS],
        np.round(rng.normal(0.6, 0.3, size=len(CATS) * len(LANGS)), 3))}
    rows = []
    for cat in CATS:
        for g in GROUPS[cat]:
            n = sizes[g]
            u = rng.normal(0.0, 0.25)
            if n >= len(LANGS):
                # every language present, then the rest random (unequal)
                langs = list(LANGS) + list(rng.choice(LANGS, size=n - len(LANGS)))
                langs = list(rng.permutation(langs))
            else:
                langs = list(rng.choice(LANGS, size=n))
            for lang in langs:
                x1 = rng.uniform(0.0, 1.0)
                x2 = rng.uniform(0.0, 1.0)
                e = rng.normal(0.0, 0.06)
                y = x1 * b1[lang] + x2 * b2[(cat, lang)] + u + e
                rows.append((y, x1, x2, cat, lang, g))
    df = pd.DataFrame(rows, columns=["y", "x1", "x2", "cat", "lang", "group"])
    for c in ["y", "x1", "x2"]:
        df[c] = df[c].round(DECIMALS)
    return df


def make_mixed_unbalanced():
    rng = np.random.default_rng(20240601)
    # clearly unequal sizes, one singleton group; total 600
    sizes = {
        "gemma_2b": 150, "gemma_7b": 35, "gemma_9b": 1,
        "olmo_1b": 110, "olmo_7b": 60, "olmo_13b": 24,
        "gpt_35": 90, "gpt_4": 80, "gpt_4o": 50,
    }
    assert sum(sizes.values()) == 600
    write(mixed_dgp(rng, sizes), "mixed_unbalanced.csv")


def make_mixed_balanced():
    rng = np.random.default_rng(20240602)
    b1 = dict(zip(LANGS, [0.30, 0.55, 0.80, 0.45]))
    b2 = {(c, l): float(v) for (c, l), v in zip(
        [(c, l) for c in CATS for l in LANGS],
        np.round(rng.normal(0.6, 0.3, size=len(CATS) * len(LANGS)), 3))}
    rows = []
    for cat in CATS:
        for g in GROUPS[cat]:
            u = rng.normal(0.0, 0.25)
            for lang in LANGS:          # 10 rows per lang -> 40 per group
                for _ in range(10):
                    x1 = rng.uniform(0.0, 1.0)
                    x2 = rng.uniform(0.0, 1.0)
                    e = rng.normal(0.0, 0.06)
                    y = x1 * b1[lang] + x2 * b2[(cat, lang)] + u + e
                    rows.append((y, x1, x2, cat, lang, g))
    df = pd.DataFrame(rows, columns=["y", "x1", "x2", "cat", "lang", "group"])
    for c in ["y", "x1", "x2"]:
        df[c] = df[c].round(DECIMALS)
    write(df, "mixed_balanced.csv")


def make_mixed_small():
    # 3 groups of sizes 2, 3, 4; roughly y = 1 + x + u_g + e
    df = pd.DataFrame({
        "y": [2.1, 2.7, 3.4, 3.8, 5.3, 0.4, 1.6, 2.2, 4.3],
        "x": [1.0, 2.0, 1.0, 2.0, 3.0, 0.0, 1.0, 2.0, 4.0],
        "group": ["a", "a", "b", "b", "b", "c", "c", "c", "c"],
    })
    write(df, "mixed_small.csv")


def make_ols_us():
    rng = np.random.default_rng(20240603)
    models = ["Baseline_uniform_random", "OLMo-2-7B", "gemma-2-9b-it", "gpt-4o"]
    assert sorted(models)[0] == "Baseline_uniform_random"
    langs = ["da", "en", "nl", "pt"]
    base = {m: v for m, v in zip(models, [0.25, 0.45, 0.55, 0.70])}
    ladj = dict(zip(langs, [-0.03, 0.05, -0.01, 0.0]))
    rows = []
    for us in ["False", "True"]:
        for m in models:
            for l in langs:
                n = int(3 + rng.integers(0, 42))       # >= 3, unequal
                us_eff = 0.0 if m == models[0] else (0.04 if us == "True" else 0.0) \
                    + (0.02 * (l == "en") if us == "True" else 0.0)
                for _ in range(n):
                    y = base[m] + ladj[l] + us_eff + rng.normal(0, 0.08)
                    rows.append((round(y, DECIMALS), us, m, l))
    df = pd.DataFrame(rows, columns=["y", "us", "model", "lang"])
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    write(df, "ols_us.csv")


def make_ols_adjust():
    rng = np.random.default_rng(20240604)
    langs = ["da", "en", "nl", "pt"]
    models = ["Baseline_uniform_random", "Llama-3.1-8B", "OLMo-2-7B",
              "gemma-2-9b-it", "gpt-4o"]
    slope = dict(zip(langs, [0.4, 0.9, 0.6, 0.5]))
    rows = []
    for l in langs:
        for m in models:
            n = int(5 + rng.integers(0, 40))            # every cell non-empty
            mu = rng.normal(0.5, 0.2)
            for _ in range(n):
                x1 = rng.normal(0, 1)
                y = mu + slope[l] * x1 + rng.normal(0, 0.1)
                rows.append((round(y, DECIMALS), round(x1, DECIMALS), l, m))
    df = pd.DataFrame(rows, columns=["y", "x1", "lang", "model"])
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    write(df, "ols_adjust.csv")


def make_corr():
    rng = np.random.default_rng(20240605)
    cases = []

    def add(name, x, y):
        for xi, yi in zip(x, y):
            cases.append((name, xi, yi))

    # many ties in both x and y (values 0, 0.5, 1)
    xt = rng.choice([0.0, 0.5, 1.0], size=24)
    yt = np.where(rng.uniform(size=24) < 0.6, xt, rng.choice([0.0, 0.5, 1.0], size=24))
    add("ties", xt, yt)
    # x constant -> correlation undefined (NaN)
    add("x_constant", np.ones(8), np.round(rng.normal(size=8), 4))
    # length 2
    add("len2", [1.5, 3.0], [2.0, -1.0])
    # length 3
    add("len3", [1.0, 2.0, 4.0], [2.0, 1.0, 5.5])
    # NaN in x (written as empty field) -> dropped pairwise
    xn = np.round(rng.normal(size=12), 4)
    yn = np.round(xn * 0.7 + rng.normal(scale=0.5, size=12), 4)
    xn[[2, 5, 9]] = np.nan
    add("nan_x", xn, yn)
    # monotone but nonlinear: spearman 1, pearson < 1
    xm = np.arange(1.0, 11.0)
    add("monotone_nonlinear", xm, xm ** 3)
    # generic continuous, length 50
    xc = np.round(rng.normal(size=50), 6)
    yc = np.round(0.5 * xc + rng.normal(size=50), 6)
    add("continuous50", xc, yc)
    df = pd.DataFrame(cases, columns=["case", "x", "y"])
    write(df, "corr.csv")


if __name__ == "__main__":
    make_mixed_unbalanced()
    make_mixed_balanced()
    make_mixed_small()
    make_ols_us()
    make_ols_adjust()
    make_corr()
