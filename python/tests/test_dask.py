"""A sweep on a 2-worker LocalCluster equals the same sweep run serially,
row for row; bad variations fail before any work is sent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

import tariffsim
from tariffsim import dask as tdask


def variations(n: int) -> list[dict]:
    out = []
    for i in range(n):
        esc = Decimal(i % 15 + 1) / 100  # 0.01 .. 0.15
        out.append(
            {
                "id": f"v{i}",
                "probability": {"busan": {"deal": str(Decimal("0.75") - esc), "extension": "0.25", "escalation": str(esc)}},
                "rate": {"us-fentanyl": {"2025-03-04": f"{10 + i % 11}%"}},
            }
        )
    return out


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def test_the_cluster_sweep_equals_the_serial_sweep(busan, client):
    vs = variations(40)
    serial = tdask.sweep(busan, vs)
    spread = tdask.sweep(busan, vs, client)
    assert len(serial) == 40 * 2  # two sides
    assert list(serial.columns) == list(spread.columns)
    assert serial.equals(spread)
    # Row for row, exactly, including the Decimal columns.
    assert serial.to_dict("records") == spread.to_dict("records")


def test_a_sweep_row_is_the_varied_scenario_evaluated(busan):
    vs = variations(3)
    rows = tdask.sweep(busan, vs)
    one = busan.vary(vs[2]).evaluate()
    us = rows[(rows.variation == "v2") & (rows.side == "US<-CN")].iloc[0]
    assert tariffsim.cents(us.expected) == tariffsim.cents(one.expected("US<-CN"))
    assert us["max"] == one.distribution("US<-CN")["max"].quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)


def test_bad_variations_fail_before_any_work_is_sent(busan, client):
    vs = variations(10)
    vs[7] = {"rate": {"us-fentanil": {"2025-03-04": "20%"}}}
    before = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
    with pytest.raises(tariffsim.UnknownIdError) as e:
        tdask.sweep(busan, vs, client)
    assert str(e.value).startswith('variation "7": unknown measure "us-fentanil"')
    vs[7] = {"probability": {"busan": {"deal": 0.6}}}
    with pytest.raises(tariffsim.InputTypeError):
        tdask.sweep(busan, vs, client)
    after = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
    assert after == before
