"""Shared fixtures: the repository's shipped scenarios and a small
scenario built from a dict."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import tariffsim

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "data" / "scenarios"

# The G20 decision of the crate docs (src/lib.rs): $200B of US imports from
# China under List 3 at 10% from 2018-09-24, stepping to 25% on 2019-01-01;
# at the G20 on 2018-12-01 the step is postponed to 2019-03-02 (truce, 0.6)
# or not (no deal, 0.4). Horizon: all of 2019.
G20 = {
    "scenario": {"id": "g20-small", "title": "G20, small", "horizon": "2019-01-01..2020-01-01"},
    "baseline": [
        {
            "importer": "US",
            "exporter": "CN",
            "basket": [{"key": "list-3-goods", "description": "List 3", "value": "200000000000"}],
        }
    ],
    "measure": [
        {
            "id": "list-3",
            "authority": "section-301",
            "imposer": "US",
            "target": "CN",
            "goods": {"baskets": ["list-3-goods"]},
            "steps": [{"from": "2018-09-24", "rate": "10%"}, {"from": "2019-01-01", "rate": "25%"}],
        }
    ],
    "node": [
        {
            "id": "g20",
            "label": "G20",
            "date": "2018-12-01",
            "branch": [
                {
                    "id": "truce",
                    "label": "Truce",
                    "kind": "truce",
                    "probability": "0.6",
                    "action": [{"do": "postpone", "target": "list-3", "step": "2019-01-01", "to": "2019-03-02"}],
                },
                {"id": "no-deal", "label": "No deal", "kind": "escalation", "probability": "0.4"},
            ],
        }
    ],
}


@pytest.fixture
def g20_doc() -> dict:
    return copy.deepcopy(G20)


@pytest.fixture
def g20() -> tariffsim.Scenario:
    return tariffsim.Scenario.from_dict(copy.deepcopy(G20))


@pytest.fixture(scope="session")
def busan() -> tariffsim.Scenario:
    return tariffsim.load_scenario(SCENARIOS / "busan-2025.toml")


@pytest.fixture(scope="session")
def lines() -> tariffsim.Scenario:
    return tariffsim.load_scenario(SCENARIOS / "us-china-lines-2025.toml")
