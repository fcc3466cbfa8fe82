"""Reference values for src/lib/agreement.ts (Cohen's and Fleiss' kappa from statsmodels).

Run from this folder (Debian: python3-statsmodels, r-base):  /usr/bin/python3 agreement_reference.py && Rscript krippendorff.R && /usr/bin/python3 agreement_reference.py --merge
The first step writes kappa_statsmodels.json and datasets_long.csv (for R); R writes
alpha_r.csv; --merge writes expected.json, which the TypeScript tests read.
Made with Python 3.11, numpy 1.24, statsmodels 0.13.5 and R 4.2 (base R only).
"""
import csv
import itertools
import json
import math
import sys

import numpy as np
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

DATASETS = json.load(open("datasets.json"))["datasets"]


def num(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def kappas(ratings):
    categories = sorted({v for rater in ratings for v in rater if v is not None})
    index = {c: i for i, c in enumerate(categories)}
    pairs = []
    for i, j in itertools.combinations(range(len(ratings)), 2):
        table = np.zeros((len(categories), len(categories)), dtype=int)
        for x, y in zip(ratings[i], ratings[j]):
            if x is not None and y is not None:
                table[index[x], index[y]] += 1
        n = int(table.sum())
        if n == 0:
            pairs.append({"raters": [i, j], "n": 0, "po": None, "pe": None, "kappa": None, "table": table.tolist()})
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            r = cohens_kappa(table, return_results=True)
        po = np.trace(table) / n
        # statsmodels reports kappa; chance agreement from the margins, pe = sum(row_c * col_c).
        rows, cols = table.sum(1) / n, table.sum(0) / n
        pairs.append({"raters": [i, j], "n": n, "po": num(po), "pe": num(rows @ cols), "kappa": num(r["kappa"]), "table": table.tolist()})
    units = [u for u in zip(*ratings) if all(v is not None for v in u)]
    fleiss = None
    if units and len(ratings) >= 2:
        counts, _ = aggregate_raters(np.array(units, dtype=object))
        with np.errstate(divide="ignore", invalid="ignore"):
            k = fleiss_kappa(counts, method="fleiss")
        fleiss = {"kappa": num(k), "units": len(units)}
    return {"categories": categories, "pairs": pairs, "fleiss": fleiss}


def main():
    if "--merge" in sys.argv:
        out = json.load(open("kappa_statsmodels.json"))
        alphas = {row["dataset"]: row["alpha"] for row in csv.DictReader(open("alpha_r.csv"))}
        for name in out["datasets"]:
            out["datasets"][name]["alpha"] = None if alphas[name] == "NA" else float(alphas[name])
        out["_note"] = "kappa: statsmodels 0.13.5 (agreement_reference.py); alpha: base R (krippendorff.R). null: undefined."
        json.dump(out, open("expected.json", "w"), indent=1)
        return
    json.dump({"datasets": {name: kappas(r) for name, r in DATASETS.items()}}, open("kappa_statsmodels.json", "w"), indent=1)
    with open("datasets_long.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["dataset", "rater", "unit", "value"])
        for name, ratings in DATASETS.items():
            for i, rater in enumerate(ratings):
                for u, v in enumerate(rater):
                    if v is not None:
                        w.writerow([name, i, u, v])


if __name__ == "__main__":
    main()
