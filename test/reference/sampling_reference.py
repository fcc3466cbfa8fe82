#!/usr/bin/env python3
"""Exact reference distributions for src/lib/sampling.ts (test/lib/sampling.test.ts).

Writes test/reference/expected/sampling.json:

  binomial             per case: n, p, exact mean n*p and variance n*p*(1-p),
                       the pmf on a window [lo, hi] (scipy.stats.binom.pmf) and
                       the tail masses below lo (binom.cdf(lo-1)) and above hi
                       (binom.sf(hi)), so the window plus tails sum to 1.
  multinomial          per case: total, weights and, per cell, the marginal
                       Binomial(total, w_j / sum(w)) in the same form.
  row_equivalence      weights = multiplicities (1, 2, 4), total = 7: every outcome
                       vector with its probability (scipy.stats.multinomial.pmf).
  collisions           sum over bins of count^2 for k balls in m bins: its exact
                       distribution by enumerating all m^k outcomes (exact
                       fractions), and the exact mean k + k(k-1)/m.
  chi2_sf              scipy.stats.chi2.sf at a few (x, df), to check the test's own
                       chi-square p-value.

The binomial cases cover both regimes of the sampler (inversion for means
n*min(p, 1-p) below 14, BTRD from 14 up) and the switch between them.

Run from /work/main:
  /usr/bin/python3 test/reference/sampling_reference.py
"""
import itertools
import json
import os
from collections import Counter
from fractions import Fraction

import scipy
import scipy.stats as st

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "expected", "sampling.json")

# Tail mass left outside each pmf window (each side).
WINDOW_TAIL = 1e-10

BINOMIAL_CASES = [
    ("small_mean", 20, 0.1),
    ("tiny_p", 1_000_000, 3e-6),
    ("moderate", 100, 0.3),
    ("large", 1_000_000, 0.4),
    ("cells", 12_000_000, 1 / 93_000),
    ("high_p", 50, 0.9),
    ("high_p_large", 1_000, 0.75),
    ("below_switch", 1_000, 0.0139),
    ("above_switch", 1_000, 0.0141),
    ("below_switch_half", 27, 0.5),
    ("at_switch_half", 28, 0.5),
    ("half", 1_000, 0.5),
    ("p_zero", 10, 0.0),
    ("p_one", 10, 1.0),
    ("n_zero", 0, 0.3),
]

MULTINOMIAL_CASES = [
    ("small_total", 40, [3, 0, 1, 7, 2, 5]),
    ("large_total", 100_000, [3, 0, 1, 7, 2, 5]),
    ("fractional_weights", 30, [0.5, 1.25, 0, 2.75]),
]

COLLISION_CASES = [(3, 3), (4, 5), (6, 3), (7, 2)]

CHI2_POINTS = [(0.5, 2), (3.5, 1), (10.0, 5), (30.0, 50), (50.0, 30), (150.0, 100), (4000.0, 3781), (25.0, 4)]


def binomial_window(n, p):
    """pmf of Binomial(n, p) on [lo, hi] with the tail masses outside it."""
    if n == 0 or p in (0.0, 1.0):
        k = 0 if p == 0.0 or n == 0 else n
        return {"lo": k, "hi": k, "pmf": [1.0], "below": 0.0, "above": 0.0}
    dist = st.binom(n, p)
    lo = int(max(0, dist.ppf(WINDOW_TAIL)))
    hi = int(min(n, dist.isf(WINDOW_TAIL)))
    pmf = [float(v) for v in dist.pmf(range(lo, hi + 1))]
    below = float(dist.cdf(lo - 1)) if lo > 0 else 0.0
    above = float(dist.sf(hi))
    return {"lo": lo, "hi": hi, "pmf": pmf, "below": below, "above": above}


def binomial_case(name, n, p):
    case = {"name": name, "n": n, "p": p, "mean": n * p, "variance": n * p * (1 - p)}
    case.update(binomial_window(n, p))
    return case


def multinomial_case(name, total, weights):
    w_sum = sum(weights)
    cells = []
    for w in weights:
        p = w / w_sum
        cells.append({"p": p, **binomial_window(total, p)})
    return {"name": name, "total": total, "weights": weights, "cells": cells}


def row_equivalence():
    weights = [1, 2, 4]
    total = sum(weights)
    probs = [w / total for w in weights]
    outcomes = []
    for k1 in range(total + 1):
        for k2 in range(total + 1 - k1):
            counts = [k1, k2, total - k1 - k2]
            outcomes.append({"counts": counts, "prob": float(st.multinomial.pmf(counts, total, probs))})
    return {"weights": weights, "total": total, "outcomes": outcomes}


def collision_case(k, m):
    dist = Counter()
    for balls in itertools.product(range(m), repeat=k):
        dist[sum(c * c for c in Counter(balls).values())] += 1
    total = m**k
    values = sorted(dist)
    mean = Fraction(k) + Fraction(k * (k - 1), m)
    assert sum(Fraction(v * dist[v], total) for v in values) == mean
    return {
        "k": k,
        "m": m,
        "mean": float(mean),
        "values": values,
        "probs": [float(Fraction(dist[v], total)) for v in values],
    }


def dumps_one_case_per_line(result):
    """JSON with each list entry (one case) compact on its own line."""
    lines = ["{"]
    keys = list(result)
    for i, key in enumerate(keys):
        end = "," if i < len(keys) - 1 else ""
        value = result[key]
        if isinstance(value, list):
            items = [" " + json.dumps(v, separators=(",", ":")) for v in value]
            lines.append(f" {json.dumps(key)}: [")
            lines.append(",\n".join(items))
            lines.append(f" ]{end}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    result = {
        "generator": "test/reference/sampling_reference.py",
        "scipy": scipy.__version__,
        "window_tail": WINDOW_TAIL,
        "binomial": [binomial_case(*c) for c in BINOMIAL_CASES],
        "multinomial": [multinomial_case(*c) for c in MULTINOMIAL_CASES],
        "row_equivalence": row_equivalence(),
        "collisions": [collision_case(k, m) for k, m in COLLISION_CASES],
        "chi2_sf": [{"x": x, "df": df, "sf": float(st.chi2.sf(x, df))} for x, df in CHI2_POINTS],
    }
    for case in result["binomial"]:
        mass = sum(case["pmf"]) + case["below"] + case["above"]
        assert abs(mass - 1) < 1e-10, (case["name"], mass)
    with open(OUT, "w") as f:
        f.write(dumps_one_case_per_line(result))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
