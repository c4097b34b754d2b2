"""The shipped Busan scenario from Python: the same figures as the Rust
engine's report, to the cent, in every form they come out in."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

import tariffsim
from tariffsim import cents

# From the Rust engine at commit f7c3b33:
#   cargo run --release --example simulate -- data/scenarios/busan-2025.toml --format json
# sides[0] (US<-CN) "expected": "173725558849.31506849315068493"
RUST_EXPECTED_US = Decimal("173725558849.32")
# sides[1] (CN<-US) "expected": "52286644767.172602739726027397"
RUST_EXPECTED_CN = Decimal("52286644767.17")
# paths[0] (deal/void), sides[0]: "total": "84023075342.46575342465753425",
# "refundable": "38116602739.726027397260273973" (the $84.02B and $38.12B of issue 12)
RUST_DEAL_VOID_US = Decimal("84023075342.47")
RUST_DEAL_VOID_US_REFUNDABLE = Decimal("38116602739.73")


def test_the_expected_duty_is_the_rust_figure_to_the_cent(busan):
    e = busan.evaluate()
    assert cents(e.expected("US<-CN")) == RUST_EXPECTED_US
    assert cents(e.expected(("CN", "US"))) == RUST_EXPECTED_CN
    assert {k: cents(v) for k, v in e.expected().items()} == {"US<-CN": RUST_EXPECTED_US, "CN<-US": RUST_EXPECTED_CN}
    assert e.distribution("US<-CN")["expected"] == e.expected("US<-CN")


def test_path_totals_and_refunds_are_the_rust_figures(busan):
    paths = {p["id"]: p for p in busan.evaluate().paths()}
    assert list(paths) == [
        "deal/void",
        "deal/upheld",
        "extension/void",
        "extension/upheld",
        "escalation/void",
        "escalation/upheld",
    ]
    dv = paths["deal/void"]
    assert dv["probability"] == Decimal("0.36")  # 0.6 × 0.6
    assert cents(dv["duty"]["US<-CN"]) == RUST_DEAL_VOID_US
    assert cents(dv["refundable"]["US<-CN"]) == RUST_DEAL_VOID_US_REFUNDABLE
    # The expected value is the probability-weighted sum of the path totals.
    weighted = sum(p["probability"] * p["duty"]["US<-CN"] for p in paths.values())
    assert cents(weighted) == RUST_EXPECTED_US


def test_the_long_table_adds_up_to_every_path_total(busan):
    e = busan.evaluate()
    t = e.to_arrow()
    assert [c for c in t.column_names if not c.endswith("_float")] == tariffsim.TABLE_COLUMNS
    assert t.column_names[t.column_names.index("duty") + 1] == "duty_float"
    assert t.schema.field("duty").type == pa.decimal128(38, 10)
    assert t.schema.field("month").type == pa.date32()
    sums = t.group_by(["path", "side"]).aggregate([("duty", "sum")])
    got = {(r["path"], r["side"]): r["duty_sum"] for r in sums.to_pylist()}
    for p in e.paths():
        for side, total in p["duty"].items():
            # Each row is rounded to 1e-10; a path's rows sum to within
            # rows × 0.5e-10 of the exact total, far inside a cent.
            assert cents(got[(p["id"], side)]) == cents(total), (p["id"], side)
    # One row per path × side × measure × month: busan has 6 paths, 14 months
    # (2025-10 .. 2026-11) and as many measure rows per side as the report.
    months = pc.unique(t.column("month"))
    assert len(months) == 14


def test_pandas_and_polars_give_the_same_totals(busan):
    e = busan.evaluate()
    df = e.to_pandas()
    us = df[(df.path == "deal/void") & (df.side == "US<-CN")]
    assert cents(sum(us.duty, Decimal(0))) == RUST_DEAL_VOID_US
    assert abs(us.duty_float.sum() - float(RUST_DEAL_VOID_US)) < 1.0
    import datetime

    assert isinstance(df.month.iloc[0], datetime.date)

    import polars as pl

    pf = e.to_polars()
    tot = pf.filter((pl.col("path") == "deal/void") & (pl.col("side") == "US<-CN"))["duty"].sum()
    assert cents(Decimal(str(tot))) == RUST_DEAL_VOID_US


def test_the_side_imports_are_the_report_imports_once_per_month(busan):
    e = busan.evaluate()
    df = e.to_pandas()
    one = df[(df.path == "deal/void") & (df.side == "US<-CN")].drop_duplicates("month")
    path = e.paths()[0]
    assert cents(sum(one.side_imports, Decimal(0))) == cents(path["imports"]["US<-CN"])


def test_a_timeline_is_a_step_function_of_rates(busan):
    t = busan.timeline("escalation/upheld").to_pandas()
    total = t[(t.layer == tariffsim.ALL_LAYERS) & (t.side == "US<-CN")]
    # Pieces are consecutive: each ends where the next starts.
    assert list(total.end.iloc[:-1]) == list(total.start.iloc[1:])
    assert total.start.iloc[0] == busan.horizon[0] and total.end.iloc[-1] == busan.horizon[1]
    # Every layer's row adds up to the all-layers row, piece by piece.
    layers = t[(t.layer != tariffsim.ALL_LAYERS) & (t.side == "US<-CN")]
    by_piece = layers.groupby("start").rate.apply(lambda r: sum(r, Decimal(0)))
    for _, row in total.iterrows():
        assert abs(by_piece[row.start] - row.rate) < Decimal("1e-18")
    only_total = busan.timeline("escalation/upheld", layers=False).to_pandas()
    assert set(only_total.layer) == {tariffsim.ALL_LAYERS}


def test_unvalued_measures_are_listed_not_zero(busan):
    e = busan.evaluate()
    assert e.unvalued() == []  # every direction of busan has a baseline
