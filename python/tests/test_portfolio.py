"""An importer's SKUs: the CSV and a DataFrame of the same rows agree."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from tariffsim import cents

from conftest import REPO

SAMPLE = REPO / "examples" / "sample-portfolio.csv"


def test_a_dataframe_and_the_csv_give_the_same_figures(lines):
    from_csv = lines.portfolio(SAMPLE)
    df = pd.read_csv(SAMPLE, dtype=str)
    from_df = lines.portfolio(df)
    assert from_df.total == from_csv.total
    assert from_df.unknown == from_csv.unknown


def test_per_sku_rows_add_up_to_the_totals(lines):
    p = lines.portfolio(SAMPLE)
    items = p.items.to_pandas()
    assert cents(sum(items.expected_net, Decimal(0))) == cents(p.total["expected_net"])
    assert cents(sum(items.expected_gross, Decimal(0))) == cents(p.total["expected_gross"])
    by_path = p.by_path.to_pandas()
    for path, total in p.total["net_by_path"].items():
        rows = by_path[by_path.path == path]
        assert cents(sum(rows.net, Decimal(0))) == cents(total), path
        gross, refundable = sum(rows.gross, Decimal(0)), sum(rows.refundable, Decimal(0))
        assert cents(sum(rows.net, Decimal(0))) == cents(gross - refundable), path
