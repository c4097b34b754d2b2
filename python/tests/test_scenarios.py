"""Scenarios built from dicts, varied, pickled, and checked by the engine."""

from __future__ import annotations

import datetime
import pickle
from decimal import Decimal

import pytest

import tariffsim
from tariffsim import cents

# 60 days at 10% and 305 at 25% on $200B a year (DOMAIN.md worked number 2):
# 200e9 × (60 × 0.10 + 305 × 0.25) / 365 = 45,068,493,150.68.
TRUCE = Decimal("45068493150.68")
# A full year at 25% of $200B.
NO_DEAL = Decimal("50000000000.00")
# 0.6 × 45,068,493,150.684931… + 0.4 × 50B = 47,041,095,890.41 (src/lib.rs).
EXPECTED = Decimal("47041095890.41")


def test_a_dict_scenario_gives_the_worked_numbers(g20):
    e = g20.evaluate()
    paths = {p["id"]: p for p in e.paths()}
    assert cents(paths["truce"]["sides"]["US<-CN"]["net"]) == TRUCE
    assert paths["no-deal"]["sides"]["US<-CN"]["net"] == NO_DEAL
    assert cents(e.expected()["US<-CN"]) == EXPECTED
    assert e.probability_sum() == 1


def test_toml_text_and_dict_give_equal_scenarios(g20):
    s = tariffsim.Scenario.from_toml(
        """
[scenario]
id = "g20-small"
title = "G20, small"
horizon = "2019-01-01..2020-01-01"

[[baseline]]
importer = "US"
exporter = "CN"
basket = [{ key = "list-3-goods", description = "List 3", value = "200000000000" }]

[[measure]]
id = "list-3"
authority = "section-301"
imposer = "US"
target = "CN"
goods = { baskets = ["list-3-goods"] }
steps = [{ from = "2018-09-24", rate = "10%" }, { from = "2019-01-01", rate = "25%" }]

[[node]]
id = "g20"
label = "G20"
date = "2018-12-01"

[[node.branch]]
id = "truce"
label = "Truce"
kind = "truce"
probability = "0.6"
action = [{ do = "postpone", target = "list-3", step = "2019-01-01", to = "2019-03-02" }]

[[node.branch]]
id = "no-deal"
label = "No deal"
kind = "escalation"
probability = "0.4"
"""
    )
    assert s == g20


def test_a_shipped_file_read_as_a_dict_is_the_same_scenario(busan):
    import tomllib

    from conftest import SCENARIOS

    doc = tomllib.loads((SCENARIOS / "busan-2025.toml").read_text())
    # Includes and CSV paths in the dict resolve against base_dir.
    assert tariffsim.Scenario.from_dict(doc, base_dir=SCENARIOS) == busan


def test_decimals_and_dates_are_accepted_in_a_dict(g20_doc):
    g20_doc["node"][0]["branch"][0]["probability"] = Decimal("0.6")
    g20_doc["node"][0]["date"] = datetime.date(2018, 12, 1)
    s = tariffsim.Scenario.from_dict(g20_doc)
    assert cents(s.evaluate().expected("US<-CN")) == EXPECTED


def test_changing_a_probability_changes_the_expectation_exactly(g20):
    s = g20.with_probabilities("g20", {"truce": "0.5", "no-deal": Decimal("0.5")})
    # 0.5 × 45,068,493,150.684931… + 0.5 × 50B = 47,534,246,575.34
    assert cents(s.evaluate().expected("US<-CN")) == Decimal("47534246575.34")
    assert g20.nodes()[0]["branches"][0]["probability"] == Decimal("0.6")  # unchanged


def test_changing_a_rate_and_a_date(g20):
    # No deal at 20% instead of 25% from 2019-01-01: 200B × 0.20 = 40B.
    s = g20.with_rate("list-3", "2019-01-01", "20%")
    no_deal = {p["id"]: p for p in s.evaluate().paths()}["no-deal"]
    assert no_deal["sides"]["US<-CN"]["net"] == Decimal("40000000000")
    # A Decimal rate is a fraction: Decimal("0.2") is 20%.
    assert g20.with_rate("list-3", datetime.date(2019, 1, 1), Decimal("0.2")) == s
    # Moving the 2019-01-01 step breaks the truce branch, which postpones
    # that step: the varied scenario is re-validated as a whole.
    with pytest.raises(tariffsim.ScheduleError) as e:
        g20.with_step_date("list-3", "2019-01-01", "2019-07-02")
    assert str(e.value) == (
        'variation "with_step_date": node "g20", branch "truce", action 1 (measure:list-3), '
        'measure "list-3": schedule has no step on 2019-01-01; its steps are on 2018-09-24, 2019-07-02'
    )
    s2 = g20.vary({"node_date": {"g20": "2018-12-15"}})
    assert s2.nodes()[0]["date"] == datetime.date(2018, 12, 15)


def test_a_variation_is_checked_whole(g20):
    with pytest.raises(tariffsim.ProbabilityError) as e:
        g20.with_probabilities("g20", {"truce": "0.5"})
    assert str(e.value) == (
        'variation "with_probabilities": branch probabilities of node "g20" sum to 0.9, not 1: '
        "adjust them so they add up exactly"
    )
    with pytest.raises(tariffsim.UnknownIdError) as e:
        g20.with_rate("list-4", "2019-01-01", "20%")
    assert 'unknown measure "list-4"; known: list-3' in str(e.value)
    with pytest.raises(tariffsim.UnknownIdError) as e:
        g20.with_rate("list-3", "2019-02-01", "20%")
    assert 'measure "list-3": unknown step "2019-02-01"; known: 2018-09-24, 2019-01-01' in str(e.value)
    with pytest.raises(tariffsim.ScheduleError):
        g20.with_step_date("list-3", "2019-01-01", "2018-01-01")
    with pytest.raises(tariffsim.InvalidScenarioError) as e:
        g20.vary({"probabilty": {}})
    assert str(e.value).startswith('unknown key "probabilty" in a variation')


def test_scenarios_pickle_as_their_files(busan, lines, g20):
    for s in (busan, lines, g20):
        back = pickle.loads(pickle.dumps(s))
        assert back == s
        assert back.evaluate().expected() == s.evaluate().expected()


def test_with_window_narrows_what_is_reported(g20):
    s = g20.with_window("2019-01-01", "2019-07-01")
    assert s.window == (datetime.date(2019, 1, 1), datetime.date(2019, 7, 1))
    assert s.horizon == g20.horizon
    no_deal = {p["id"]: p for p in s.evaluate().paths()}["no-deal"]
    # 181 days at 25% of 200B/365 = 24,794,520,547.95
    assert cents(no_deal["sides"]["US<-CN"]["net"]) == Decimal("24794520547.95")
    with pytest.raises(tariffsim.InvalidScenarioError) as e:
        g20.with_window("2030-01-01", "2030-02-01")
    assert "is outside the scenario's history" in str(e.value)


def test_explain_lists_the_measures_on_a_line(lines):
    # A laptop (8471.30.01.00) on 2025-06-01, before the ruling: the
    # fentanyl layer at 20% and nothing else (list 4B never took effect and
    # laptops are exempt from the reciprocal layer from 2025-04-11).
    x = lines.explain("8471300100", "2025-06-01", "ieepa-void/extension")
    rates = {m["measure"]: m["rate"] for m in x["measures"]}
    assert rates.get("ieepa-fentanyl") == Decimal("0.2")
    assert x["total"] == sum(rates.values(), Decimal(0))
    with pytest.raises(tariffsim.UnknownIdError):
        lines.explain("8471300100", "2025-06-01", "no-such-path")


def test_the_gil_is_released_while_the_engine_runs(lines):
    # A sweep of 64 variations of the line-level scenario takes a few
    # hundred milliseconds in Rust. If the GIL were held, this thread could
    # not run meanwhile; it must tick while the sweep is in progress.
    import threading
    import time

    from tariffsim import _native

    variations = [{"rate": {"ieepa-fentanyl": {"2025-03-04": f"{10 + i}%"}}} for i in range(64)]
    window: list[float] = []

    def run() -> None:
        window.append(time.perf_counter())
        _native.sweep_columns(lines._inner, variations)
        window.append(time.perf_counter())

    worker = threading.Thread(target=run)
    ticks: list[float] = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    start, end = window
    assert end - start > 0.1
    inside = [t for t in ticks if start + 0.02 < t < end - 0.02]
    assert len(inside) > 10


def test_a_variation_keeps_everything_it_does_not_edit():
    # The rebuilt record has base (MFN) rates: a variation that edits
    # nothing in substance (the same probabilities, a step's own rate) is
    # the very scenario, MFN included.
    from conftest import SCENARIOS

    s = tariffsim.load_scenario(SCENARIOS / "us-china-lines-2026.toml")
    node = s.nodes()[0]
    same = {b["id"]: b["probability"] for b in node["branches"]}
    assert s.with_probabilities(node["id"], same) == s
    varied = s.with_rate("ieepa-fentanyl", "2025-03-04", "20%")
    assert varied == s
    assert "mfn" in set(varied.timeline(s.reference).to_arrow().column("layer").to_pylist())
