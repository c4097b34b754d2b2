"""Bad input raises a tariffsim exception with the engine's message and
where it happened, never a panic and never a silent number."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

import tariffsim
from tariffsim import errors

from conftest import SCENARIOS


def test_a_missing_file_is_an_io_error_naming_it(tmp_path):
    path = tmp_path / "missing.toml"
    with pytest.raises(tariffsim.ScenarioIOError) as e:
        tariffsim.load_scenario(path)
    assert str(e.value) == f"{path}: cannot open: No such file or directory (os error 2)"
    assert e.value.file == str(path)
    assert isinstance(e.value, OSError) and isinstance(e.value, tariffsim.ScenarioError)


def test_toml_that_does_not_parse_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nid = "x"\nhorizon = \n')
    with pytest.raises(tariffsim.ParseError) as e:
        tariffsim.load_scenario(path)
    assert str(e.value) == f"{path}, line 3, column 11: invalid string expected `\"`, `'`"
    assert (e.value.file, e.value.line, e.value.column) == (str(path), 3, 11)


def test_an_include_outside_the_scenario_tree_is_refused(tmp_path):
    # The engine's loading policy: includes resolve inside the scenario's
    # own folder unless another root is allowed.
    inner = tmp_path / "scenarios"
    inner.mkdir()
    (tmp_path / "measures.toml").write_text("")
    main = inner / "s.toml"
    main.write_text('include = ["../measures.toml"]\n[scenario]\nid = "s"\nhorizon = "2019-01-01..2020-01-01"\n')
    with pytest.raises(tariffsim.LoadPolicyError) as e:
        tariffsim.load_scenario(main)
    assert isinstance(e.value, tariffsim.ScenarioIOError)
    assert "measures.toml" in str(e.value)
    # Allowed explicitly, the include is read.
    assert tariffsim.load_scenario(main, allow_roots=[tmp_path]).id == "s"


def test_a_bad_field_names_file_and_item(tmp_path, g20_doc):
    g20_doc["measure"][0]["steps"][1]["rate"] = "0.25"
    with pytest.raises(tariffsim.ParseError) as e:
        tariffsim.Scenario.from_dict(g20_doc, base_dir=tmp_path)
    assert e.value.file is None  # text, not a file
    assert e.value.item == 'measure "list-3", step 2, field "rate"'
    assert 'invalid rate "0.25"' in str(e.value)


def test_an_unknown_measure_in_an_action_is_an_unknown_id(g20_doc):
    g20_doc["node"][0]["branch"][0]["action"][0]["target"] = "list-9"
    with pytest.raises(tariffsim.UnknownIdError) as e:
        tariffsim.Scenario.from_dict(g20_doc)
    assert "list-9" in str(e.value)
    assert e.value.item is not None and 'branch "truce"' in e.value.item


def test_probabilities_that_do_not_sum_to_one(g20_doc):
    g20_doc["node"][0]["branch"][1]["probability"] = "0.3"
    with pytest.raises(tariffsim.ProbabilityError) as e:
        tariffsim.Scenario.from_dict(g20_doc)
    assert 'branch probabilities of node "g20" sum to 0.9, not 1' in str(e.value)


def test_floats_are_refused_where_exact_values_are_meant(g20, g20_doc):
    g20_doc["node"][0]["branch"][0]["probability"] = 0.6
    with pytest.raises(tariffsim.InputTypeError) as e:
        tariffsim.Scenario.from_dict(g20_doc)
    assert str(e.value) == (
        'field "node[0].branch[0].probability" is the float 0.6, which is not exact: '
        'write amounts, rates and probabilities as text, e.g. "0.6" or "25%"'
    )
    with pytest.raises(tariffsim.InputTypeError) as e:
        g20.with_probabilities("g20", {"truce": 0.1 + 0.5, "no-deal": "0.4"})
    assert "(a float such as 0.6 is not exact)" in str(e.value)
    with pytest.raises(TypeError):
        g20.with_rate("list-3", "2019-01-01", 0.25)


def test_a_rate_without_its_unit_is_refused(g20):
    with pytest.raises(tariffsim.ParseError) as e:
        g20.with_rate("list-3", "2019-01-01", "25")
    assert 'invalid rate "25"' in str(e.value)


def test_an_unknown_side_is_an_error_not_zero(busan):
    e = busan.evaluate()
    with pytest.raises(tariffsim.UnknownIdError) as err:
        e.expected("USA<-CN")
    assert str(err.value) == 'unknown side "USA<-CN"; sides are US<-CN, CN<-US'
    with pytest.raises(tariffsim.ParseError):
        e.expected("US-CN")


def test_a_portfolio_frame_with_a_missing_or_mistyped_column(lines):
    ok = pd.DataFrame({"sku": ["PAN-1"], "hts10": ["7321116000"], "annual_value_usd": [Decimal("500000")]})
    p = lines.portfolio(ok)
    assert len(p.items) == 1
    with pytest.raises(tariffsim.ColumnError) as e:
        lines.portfolio(ok.drop(columns=["hts10"]))
    assert e.value.item == "hts10"
    assert str(e.value).startswith("the portfolio has no column 'hts10'")
    with pytest.raises(tariffsim.ColumnError) as e:
        lines.portfolio(ok.assign(hts10=[7321116000]))
    assert e.value.item == "hts10" and "holds int64" in str(e.value)
    with pytest.raises(tariffsim.ColumnError) as e:
        lines.portfolio(ok.assign(annual_value_usd=[500000.0]))
    assert e.value.item == "annual_value_usd" and "holds double" in str(e.value)
    with pytest.raises(tariffsim.ParseError) as e:
        lines.portfolio(ok.assign(hts10=["7321"]))
    assert (e.value.line, e.value.row, e.value.item, e.value.file) == (2, 0, 'field "hts10"', None)


def test_every_class_is_a_scenario_error():
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), tariffsim.ScenarioError)


def test_the_shipped_scenarios_load(busan):
    for path in sorted(SCENARIOS.glob("*.toml")):
        assert tariffsim.load_scenario(path).evaluate().probability_sum() == 1
