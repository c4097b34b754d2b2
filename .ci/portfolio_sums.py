"""Checks that `tariffsim portfolio --format csv` adds up to the table's and
the JSON's totals to the cent.

    python3 .ci/portfolio_sums.py portfolio.csv portfolio.txt portfolio.json

The CSV has one row per SKU and outcome (each path, then `expected`); the
table's TOTAL row has the net duty per path, the expected net duty and the
expected refundable duty; the JSON has the exact totals.
"""

import csv
import json
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(text):
    """An exact decimal string rounded half away from zero to the cent."""
    return Decimal(text).quantize(CENT, rounding=ROUND_HALF_UP)


def main(csv_path, table_path, json_path):
    net = defaultdict(Decimal)
    refundable = defaultdict(Decimal)
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            net[row["outcome"]] += Decimal(row["net"])
            refundable[row["outcome"]] += Decimal(row["refundable"])
    doc = json.load(open(json_path))
    paths = [p["id"] for p in doc["paths"]]
    assert paths and set(net) == set(paths) | {"expected"}, sorted(net)

    total = doc["total"]
    expected = {p: cents(total["by_path"][p]["net"]) for p in paths}
    expected["expected"] = cents(total["expected"]["net"])
    for outcome, amount in expected.items():
        assert net[outcome] == amount, (outcome, net[outcome], amount)
    assert refundable["expected"] == cents(total["expected"]["refundable"])

    line = next(l for l in open(table_path) if l.startswith("TOTAL"))
    cells = re.split(r"\s{2,}", line.strip())
    figures = [Decimal(c.replace(",", "")) for c in cells[2 : 2 + len(paths) + 2]]
    table = dict(zip(paths + ["expected"], figures))
    for outcome, amount in table.items():
        assert net[outcome] == amount, (outcome, net[outcome], amount)
    assert refundable["expected"] == figures[-1], (refundable["expected"], figures[-1])
    print(f"portfolio sums ok: {', '.join(f'{k} {v}' for k, v in table.items())}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
