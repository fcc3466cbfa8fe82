#!/usr/bin/env python3
"""Reference values for dispersion (src/lib/analyses/dispersion.ts) on the study's release.

Recomputed from the release's CSV files with numpy, sharing no code with the TypeScript
analysis:

  observed(m, l, i)     numpy var(ddof=1) of model m's scored VPS for item i in prompt language l
                        (items with fewer than two answers have none)
  expected(m, l, i, P)  p(1 - p) / 10, p the item's pro share in population P (the release records
                        no summary counts, so every answer is assumed to have ten)
  ratio(m, l, P)        sum over items of observed / sum of expected, over the items with both

Every cell (model, language, population) at the three levels; the per-item rows at the language
level only (the country level's follow from the same variances, and its cells are checked).

Populations of a prompt language: global (everyone), language (its own speakers), country (every
country whose dominant language it is, country_languages.csv).

Scored responses: the release's responses without the two baselines, with a finite VPS, in
the prompt's language (the judge's detected language equals the prompt's).

Writes test/reference/expected/dispersion.json. Run from the repository root:

  MCA_PAPER_DATA=../shared/paper-data /usr/bin/python3 test/reference/dispersion_reference.py
"""
import csv
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MCA_PAPER_DATA", os.path.join(HERE, "..", "..", "..", "shared", "paper-data"))
N = 10


def rows(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf8") as f:
        return list(csv.DictReader(f))


def number(text):
    try:
        return float(text)
    except ValueError:
        return math.nan


answers = {}
for r in rows("latest_results_with_baseline.csv"):
    vps = number(r["response_pro_score"])
    if r["model_family"] == "Baseline" or not math.isfinite(vps) or r["response_language"] != r["language"]:
        continue
    answers.setdefault((r["model_name"], r["language"], r["question_key"].lower()), []).append(vps)

truth = {"global": {}, "language": {}, "country": {}}
for r in rows("ground_truth_global.csv"):
    truth["global"].setdefault("global", {})[r["question_key"].lower()] = number(r["pro_score"])
for r in rows("ground_truth_per_language.csv"):
    truth["language"].setdefault(r["lnge_iso"].lower(), {})[r["question_key"].lower()] = number(r["pro_score"])
for r in rows("ground_truth_every_country.csv"):
    truth["country"].setdefault(r["cntry_an"].upper(), {})[r["question_key"].lower()] = number(r["pro_score"])
own = {r["cntry_AN"].upper(): r["lnge_iso"] for r in rows("country_languages.csv")}


def populations(level, language):
    if level == "global":
        return ["global"]
    if level == "language":
        return [language] if language in truth["language"] else []
    return sorted(c for c in truth["country"] if own.get(c) == language)


items, cells = [], []
for level in ("global", "language", "country"):
    groups = {}
    for (model, language, item), vps in sorted(answers.items()):
        values = np.array(vps)
        observed = float(np.var(values, ddof=1)) if len(values) >= 2 else None
        for population in populations(level, language):
            p = truth[level][population].get(item)
            if p is None or not math.isfinite(p):
                continue
            expected = p * (1 - p) / N
            if level == "language":
                items.append({"model": model, "language": language, "level": level, "population": population, "item": item,
                              "responses": len(values), "mean": float(np.mean(values)), "observed": observed, "expected": expected})
            if observed is not None:
                groups.setdefault((model, language, population), []).append((observed, expected))
    for (model, language, population), pairs in sorted(groups.items()):
        obs = np.array([o for o, _ in pairs])
        exp = np.array([e for _, e in pairs])
        cells.append({"model": model, "language": language, "level": level, "population": population, "items": len(pairs),
                      "observed": float(obs.mean()), "expected": float(exp.mean()), "ratio": float(obs.sum() / exp.sum())})

out = {"numpy": np.__version__, "summaries": N, "cells": cells, "items": items}
with open(os.path.join(HERE, "expected", "dispersion.json"), "w", encoding="utf8") as f:
    json.dump(out, f, sort_keys=True)
    f.write("\n")
print(f"{len(cells)} cells, {len(items)} item rows")
