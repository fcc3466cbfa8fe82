#!/usr/bin/env python3
"""Deterministic generator for the reference CSV fixtures.

Writes into test/reference/fixtures/ (relative to this file):
  mixed_unbalanced.csv, mixed_balanced.csv, mixed_small.csv,
  ols_us.csv, ols_adjust.csv, corr.csv,
  ols_nan.csv, ols_empty_cell.csv, ols_empty_ref.csv,
  mixed_nan.csv, mixed_empty.csv   (missing values, empty groups and cells)

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


# --------------------------------------------------------------------------
# Missing values and empty groups/cells (missing_reference.py, missing_lme4.R)
# --------------------------------------------------------------------------
def set_nan(df, col, idx):
    df.loc[list(idx), col] = np.nan


def make_ols_nan():
    """OLS with NaN in the response and in predictors.

    `w` is numeric with NaNs but is in no formula (its NaNs must not drop
    rows). `judge` level "C" occurs only on rows whose y is NaN, so after
    the row drop it is an empty level.
    """
    rng = np.random.default_rng(20240606)
    langs = ["da", "en", "nl", "pt"]
    models = ["Baseline_uniform_random", "OLMo-2-7B", "gemma-2-9b-it", "gpt-4o"]
    slope = dict(zip(langs, [0.2, 0.6, 0.4, 0.3]))
    mbase = dict(zip(models, [0.25, 0.45, 0.55, 0.70]))
    rows = []
    for i in range(240):
        l = langs[i % 4]
        m = models[(i // 4) % 4]
        x1 = rng.normal(0, 1)
        x2 = rng.uniform(0, 1)
        judge = "A" if rng.uniform() < 0.5 else "B"
        y = mbase[m] + 0.15 * x1 + slope[l] * x2 + 0.05 * (judge == "B") \
            + rng.normal(0, 0.1)
        w = rng.normal(0, 1)
        rows.append([round(y, DECIMALS), round(x1, DECIMALS), round(x2, DECIMALS),
                     l, m, judge, round(w, DECIMALS)])
    df = pd.DataFrame(rows, columns=["y", "x1", "x2", "lang", "model", "judge", "w"])
    idx = rng.permutation(len(df))
    y_nan, x1_nan, x2_nan, w_nan = idx[:14], idx[14:24], idx[24:32], idx[32:60]
    both = idx[60:63]                      # y and x1 both missing
    judge_c = idx[63:66]                   # the only rows of judge C: y missing
    set_nan(df, "y", y_nan)
    set_nan(df, "x1", x1_nan)
    set_nan(df, "x2", x2_nan)
    set_nan(df, "w", w_nan)
    set_nan(df, "y", both)
    set_nan(df, "x1", both)
    set_nan(df, "y", judge_c)
    df.loc[list(judge_c), "judge"] = "C"
    write(df, "ols_nan.csv")


def make_ols_empty_cell():
    """(us, model, lang) cells with two empty combinations:
    (model=OLMo-2-7B, lang=nl) for both values of us, and
    (us=True, model=gpt-4o, lang=pt). Every reference level keeps data."""
    rng = np.random.default_rng(20240607)
    models = ["Baseline_uniform_random", "OLMo-2-7B", "gemma-2-9b-it", "gpt-4o"]
    langs = ["da", "en", "nl", "pt"]
    base = dict(zip(models, [0.25, 0.45, 0.55, 0.70]))
    slope = dict(zip(langs, [0.4, 0.9, 0.6, 0.5]))
    rows = []
    for us in ["False", "True"]:
        for m in models:
            for l in langs:
                if (m, l) == ("OLMo-2-7B", "nl") or (us, m, l) == ("True", "gpt-4o", "pt"):
                    continue
                n = int(4 + rng.integers(0, 12))
                mu = base[m] + (0.04 if us == "True" else 0.0) + rng.normal(0, 0.03)
                for _ in range(n):
                    x1 = rng.normal(0, 1)
                    y = mu + slope[l] * x1 + rng.normal(0, 0.1)
                    rows.append((round(y, DECIMALS), round(x1, DECIMALS), us, m, l))
    df = pd.DataFrame(rows, columns=["y", "x1", "us", "model", "lang"])
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    write(df, "ols_empty_cell.csv")


def make_ols_empty_ref():
    """a in {a1,a2,a3} x b in {p,q,r}; the cell (a1, q) is empty, and a1 is
    the treatment reference of a, so `y ~ a * b` has no all-zero column but
    is rank deficient (9 columns, 8 non-empty cells)."""
    rng = np.random.default_rng(20240608)
    mu = {(a, b): float(v) for (a, b), v in zip(
        [(a, b) for a in ["a1", "a2", "a3"] for b in ["p", "q", "r"]],
        np.round(rng.normal(1.0, 0.5, size=9), 3))}
    rows = []
    for (a, b), m in mu.items():
        if (a, b) == ("a1", "q"):
            continue
        for _ in range(int(3 + rng.integers(0, 5))):
            rows.append((round(m + rng.normal(0, 0.2), DECIMALS), a, b))
    df = pd.DataFrame(rows, columns=["y", "a", "b"])
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    write(df, "ols_empty_ref.csv")


def make_mixed_nan():
    """Mixed-model data with missing values.

    Group olmo_13b: every y missing (an empty group after the row drop).
    Group gemma_9b: 3 rows, 2 with x1 missing (one observation left).
    Other rows: y, x1 or x2 missing at random; `w` (unused) has NaNs.
    Every (cat, lang) combination keeps data after the drop.
    """
    rng = np.random.default_rng(20240609)
    sizes = {
        "gemma_2b": 60, "gemma_7b": 45, "gemma_9b": 3,
        "olmo_1b": 50, "olmo_7b": 40, "olmo_13b": 4,
        "gpt_35": 45, "gpt_4": 35, "gpt_4o": 20,
    }
    df = mixed_dgp(rng, sizes)
    df["w"] = np.round(rng.normal(size=len(df)), DECIMALS)
    g = df["group"]
    set_nan(df, "y", df.index[g == "olmo_13b"])
    set_nan(df, "x1", df.index[g == "gemma_9b"][:2])
    big = df.index[~g.isin(["olmo_13b", "gemma_9b"])].to_numpy()
    idx = rng.permutation(big)
    set_nan(df, "y", idx[:12])
    set_nan(df, "x1", idx[12:20])
    set_nan(df, "x2", idx[20:26])
    set_nan(df, "y", idx[26:29])           # y and x2 both missing
    set_nan(df, "x2", idx[26:29])
    set_nan(df, "w", rng.permutation(len(df))[:40])
    kept = df.dropna(subset=["y", "x1", "x2"])
    assert kept.groupby(["cat", "lang"]).size().shape[0] == 12
    assert (kept["group"] == "gemma_9b").sum() == 1
    assert (kept["group"] == "olmo_13b").sum() == 0
    write(df, "mixed_nan.csv")


def make_mixed_empty():
    """Mixed-model data with an empty (cat, lang) combination (olmo, Dutch),
    a group of one observation (gemma_9b), and a level of `src` ("s3") that
    occurs only on rows whose y is missing."""
    rng = np.random.default_rng(20240610)
    sizes = {
        "gemma_2b": 50, "gemma_7b": 40, "gemma_9b": 1,
        "olmo_1b": 45, "olmo_7b": 40, "olmo_13b": 30,
        "gpt_35": 40, "gpt_4": 30, "gpt_4o": 25,
    }
    df = mixed_dgp(rng, sizes)
    df = df[~((df["cat"] == "olmo") & (df["lang"] == "Dutch"))].reset_index(drop=True)
    df["src"] = np.where(rng.uniform(size=len(df)) < 0.5, "s1", "s2")
    df["y"] = (df["y"] + np.where(df["src"] == "s2", 0.1, 0.0)).round(DECIMALS)
    s3 = rng.permutation(df.index[df["group"] != "gemma_9b"].to_numpy())[:3]
    df.loc[s3, "src"] = "s3"
    set_nan(df, "y", s3)
    assert (df["group"] == "gemma_9b").sum() == 1
    write(df, "mixed_empty.csv")


if __name__ == "__main__":
    make_mixed_unbalanced()
    make_mixed_balanced()
    make_mixed_small()
    make_ols_us()
    make_ols_adjust()
    make_corr()
    make_ols_nan()
    make_ols_empty_cell()
    make_ols_empty_ref()
    make_mixed_nan()
    make_mixed_empty()
