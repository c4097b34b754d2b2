"""The shipped Busan scenario from Python: the same figures as the Rust
engine's report, to the cent, in every form they come out in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

import tariffsim
from tariffsim import cents

# From the Rust engine (the same figures since commit 6941049):
#   cargo run --release -- run data/scenarios/busan-2025.toml --format json
# sides[0] (US<-CN): "expected": "133122906575.34246575342465753" (net, kept),
# "expected_gross": "173725558849.31506849315068493",
# "expected_refundable": "40602652273.972602739726027397"
RUST_EXPECTED_US = Decimal("133122906575.34")
RUST_EXPECTED_US_GROSS = Decimal("173725558849.32")
RUST_EXPECTED_US_REFUNDABLE = Decimal("40602652273.97")
# sides[1] (CN<-US): "expected": "41244730027.446575342465753425"
RUST_EXPECTED_CN = Decimal("41244730027.45")
# paths[0] (deal/void), sides[0]: "net": "45906472602.739726027397260274",
# "gross": "84023075342.46575342465753425", "refundable":
# "38116602739.726027397260273973" (issue 12: $45.90B = 84.02 - 38.12),
# "refundable_before": "120867276712.32876712328767123"
RUST_DEAL_VOID_US = Decimal("45906472602.74")
RUST_DEAL_VOID_US_GROSS = Decimal("84023075342.47")
RUST_DEAL_VOID_US_REFUNDABLE = Decimal("38116602739.73")
RUST_DEAL_VOID_US_BEFORE = Decimal("120867276712.33")
# sides[0] "net": {"min": "45906472602.73…", "median": "45906472602.73…",
# "p90": "266488664383.56164383561643836", "max": "731887678082.19178082191780822"}
RUST_NET_P90_US = Decimal("266488664383.56")
RUST_NET_MAX_US = Decimal("731887678082.19")


def test_the_expected_duty_is_the_rust_figure_to_the_cent(busan):
    e = busan.evaluate()
    assert cents(e.expected("US<-CN")) == RUST_EXPECTED_US
    assert cents(e.expected("US<-CN", basis="gross")) == RUST_EXPECTED_US_GROSS
    assert cents(e.expected(("US", "CN"), basis="refundable")) == RUST_EXPECTED_US_REFUNDABLE
    assert cents(e.expected(("CN", "US"))) == RUST_EXPECTED_CN
    assert {k: cents(v) for k, v in e.expected().items()} == {"US<-CN": RUST_EXPECTED_US, "CN<-US": RUST_EXPECTED_CN}
    d = e.distribution("US<-CN")
    assert d["expected"] == e.expected("US<-CN")
    assert (cents(d["min"]), cents(d["median"]), cents(d["p90"]), cents(d["max"])) == (
        RUST_DEAL_VOID_US,
        RUST_DEAL_VOID_US,
        RUST_NET_P90_US,
        RUST_NET_MAX_US,
    )


def test_path_figures_and_refunds_are_the_rust_figures(busan):
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
    us = dv["sides"]["US<-CN"]
    assert cents(us["net"]) == RUST_DEAL_VOID_US
    assert cents(us["gross"]) == RUST_DEAL_VOID_US_GROSS
    assert cents(us["refundable"]) == RUST_DEAL_VOID_US_REFUNDABLE
    assert cents(us["refundable_before"]) == RUST_DEAL_VOID_US_BEFORE
    # Exact in accrual units; the 28-digit amounts agree far inside a cent.
    assert abs(us["net"] - (us["gross"] - us["refundable"])) < Decimal("1e-12")
    assert us["complete"] is False  # HS-coded measures on list-level baskets
    # The expected value is the probability-weighted sum of the path figures.
    weighted = sum(p["probability"] * p["sides"]["US<-CN"]["net"] for p in paths.values())
    assert cents(weighted) == RUST_EXPECTED_US


def test_the_monthly_table_adds_up_to_every_path_figure(busan):
    e = busan.evaluate()
    t = e.to_arrow()
    assert [c for c in t.column_names if not c.endswith("_float")] == tariffsim.MONTH_COLUMNS
    assert t.column_names[t.column_names.index("gross") + 1] == "gross_float"
    assert t.schema.field("net").type == pa.decimal128(38, 10)
    assert t.schema.field("month").type == pa.date32()
    sums = t.group_by(["path", "side"]).aggregate([(c, "sum") for c in ("gross", "refundable", "net")])
    got = {(r["path"], r["side"]): r for r in sums.to_pylist()}
    for p in e.paths():
        for side, figures in p["sides"].items():
            row = got[(p["id"], side)]
            # Each row is rounded to 1e-10; a path's rows sum to within
            # rows × 0.5e-10 of the exact figure, far inside a cent.
            for f in ("gross", "refundable", "net"):
                assert cents(row[f + "_sum"]) == cents(figures[f]), (p["id"], side, f)
    # 6 paths, 14 months (2025-10 .. 2026-11), each as its first day.
    months = sorted(pc.unique(t.column("month")).to_pylist())
    assert len(months) == 14
    assert (months[0], months[-1]) == (datetime.date(2025, 10, 1), datetime.date(2026, 11, 1))


def test_a_measure_the_baseline_cannot_value_is_null_not_zero(busan):
    e = busan.evaluate()
    t = e.to_pandas()
    steel = t[(t.measure == "s232-steel") & (t.side == "US<-CN")]
    assert set(steel.valuation) == {"not-valued"}
    assert steel.gross.isna().all() and steel.net.isna().all()
    diag = {(d["side"], d["measure"]): d for d in e.diagnostics()}
    assert diag[("US<-CN", "s232-steel")]["valuation"] == "not-valued"
    assert diag[("US<-CN", "s232-steel")]["message"].startswith('US<-CN: measure "s232-steel" is not valued')
    # Valued measures are never null.
    assert not t[t.valuation == "valued"].gross.isna().any()


def test_the_measure_table_carries_refunds_before_the_window(busan):
    e = busan.evaluate()
    m = e.to_pandas(level="measure")
    assert [c for c in m.columns if not c.endswith("_float")] == tariffsim.MEASURE_COLUMNS
    dv = m[(m.path == "deal/void") & (m.side == "US<-CN")]
    assert cents(sum(dv.refundable_before.dropna(), Decimal(0))) == RUST_DEAL_VOID_US_BEFORE
    assert cents(sum(dv.net.dropna(), Decimal(0))) == RUST_DEAL_VOID_US
    voided = dv[dv.voided.notna()]
    assert set(voided.voided) == {datetime.date(2026, 2, 20)}
    assert (voided.net == 0).all()


def test_pandas_and_polars_give_the_same_totals(busan):
    e = busan.evaluate()
    df = e.to_pandas()
    us = df[(df.path == "deal/void") & (df.side == "US<-CN")]
    assert cents(sum(us.net.dropna(), Decimal(0))) == RUST_DEAL_VOID_US
    assert abs(us.net_float.sum() - float(RUST_DEAL_VOID_US)) < 1.0
    assert isinstance(df.month.iloc[0], datetime.date)

    import polars as pl

    pf = e.to_polars()
    tot = pf.filter((pl.col("path") == "deal/void") & (pl.col("side") == "US<-CN"))["net"].sum()
    assert cents(Decimal(str(tot))) == RUST_DEAL_VOID_US


def test_the_side_imports_are_the_report_imports_once_per_month(busan):
    e = busan.evaluate()
    df = e.to_pandas()
    one = df[(df.path == "deal/void") & (df.side == "US<-CN")].drop_duplicates("month")
    path = e.paths()[0]
    assert cents(sum(one.side_imports, Decimal(0))) == cents(path["sides"]["US<-CN"]["imports"])


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


