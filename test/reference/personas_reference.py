#!/usr/bin/env python3
"""Reference values for the persona analysis (src/lib/analyses/personas.ts) on the study's release.

Recomputed from the release's CSV files with scipy and numpy, sharing no code with the
TypeScript analysis (full-data point estimates; the bootstrap draws depend on our generator):

  persona(l, c)   scipy spearmanr over demographic-gemma-results.csv's responses in prompt
                  language l with persona country c (a VPS, judged in l), each response's VPS
                  against its item's pro share in c, on the items c has
  baseline(l, c)  the same over gemma-2-27b-it's responses without a persona in l
                  (latest_results_with_baseline.csv, a VPS, judged in l)
  own(l, c)       baseline(own language of c, c) (country_languages.csv)
  lift            persona - baseline;  language effect  own - baseline (incongruent only);
  persona minus language  persona - own (incongruent only)
  per language    numpy nanmean over that language's congruent / incongruent countries;
                  "all" over every cell

Writes test/reference/expected/personas.json. Run from the repository root:

  MCA_PAPER_DATA=../shared/paper-data /usr/bin/python3 test/reference/personas_reference.py
"""
import csv
import json
import math
import os

import numpy as np
import scipy.stats as st

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("MCA_PAPER_DATA", os.path.join(HERE, "..", "..", "..", "shared", "paper-data"))
NAMES = {"Australia": "AU", "Brazil": "BR", "Canada": "CA", "Denmark": "DK", "Great Britain": "GB", "Kenya": "KE",
         "Netherlands": "NL", "New Zealand": "NZ", "Portugal": "PT", "United States": "US"}
MODEL = "gemma-2-27b-it"


def rows(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf8") as f:
        return list(csv.DictReader(f))


truth = {}
for r in rows("ground_truth_every_country.csv"):
    truth.setdefault(r["cntry_an"].upper(), {})[r["question_key"].lower()] = float(r["pro_score"])
own_language = {r["cntry_AN"].upper(): r["lnge_iso"] for r in rows("country_languages.csv")}

personas = [r for r in rows("demographic-gemma-results.csv") if r["response_pro_score"] != "" and r["language"] == r["response_language"]]
plain = [r for r in rows("latest_results_with_baseline.csv")
         if r["model_name"] == MODEL and r["response_pro_score"] != "" and r["language"] == r["response_language"]]


def rho(answers, country):
    pts = [(v, truth[country][i]) for i, v in answers if i in truth[country]]
    if len(pts) < 2:
        return math.nan
    x, y = zip(*pts)
    if len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan
    return float(st.spearmanr(x, y).statistic)


def answers(rs, key="question_key", vps="response_pro_score"):
    return [(r[key].lower(), float(r[vps])) for r in rs]


cells = []
for l, c in sorted({(r["language"], NAMES[r["country"]]) for r in personas}):
    group = [r for r in personas if r["language"] == l and NAMES[r["country"]] == c]
    congruent = group[0]["is_congruent"] == "true"
    p = rho(answers(group), c)
    b = rho(answers([r for r in plain if r["language"] == l]), c)
    o = rho(answers([r for r in plain if r["language"] == own_language[c]]), c)
    other = not congruent and own_language[c] != l
    cells.append({"language": l, "country": c, "congruent": congruent,
                  "responses": sum(1 for r in group if r["question_key"].lower() in truth[c]),
                  "persona": p, "baseline": b, "own": o, "lift": p - b,
                  "language_effect": o - b if other else None, "persona_minus_language": p - o if other else None})


def mean(values):
    v = [x for x in values if x is not None and not math.isnan(x)]
    return float(np.mean(v)) if v else None


summaries = []
for l in sorted({c["language"] for c in cells}) + ["all"]:
    cs = [c for c in cells if l == "all" or c["language"] == l]
    cong = [c for c in cs if c["congruent"]]
    inc = [c for c in cs if not c["congruent"]]
    s = {"language": l,
         "congruent": mean([c["persona"] for c in cong]), "incongruent": mean([c["persona"] for c in inc]),
         "congruent_lift": mean([c["lift"] for c in cong]), "incongruent_lift": mean([c["lift"] for c in inc]),
         "language_effect": mean([c["language_effect"] for c in inc]),
         "persona_minus_language": mean([c["persona_minus_language"] for c in inc])}
    s["difference"] = s["congruent"] - s["incongruent"]
    s["lift_difference"] = s["congruent_lift"] - s["incongruent_lift"]
    summaries.append(s)

out = {"model": MODEL, "persona_responses": len(personas), "cells": cells, "summaries": summaries}
with open(os.path.join(HERE, "expected", "personas.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(json.dumps(summaries[-1], indent=1))
