"""tariffsim: tariff scenarios, exact to the cent, from Python.

The Rust engine of tariffsim (dated duty schedules, stacking rules,
retaliation capped by what the other side imports, outcome trees) behind a
small Python API::

    import tariffsim
    s = tariffsim.load_scenario("data/scenarios/busan-2025.toml")
    e = s.evaluate()
    e.expected("US<-CN")            # duty kept (net of refunds): decimal.Decimal, exact
    e.to_pandas()                   # path × side × measure × month: gross, refundable, net
    s.with_probabilities("busan", {"deal": "0.5", "extension": "0.2", "escalation": "0.3"})

Exactness
    Amounts returned as ``decimal.Decimal`` are the engine's exact accrued
    amounts to Decimal's 28 significant digits; :func:`cents` rounds them
    the way the engine's reports do (half away from zero). In tables, money
    is Arrow ``decimal128(38, 10)``: rounded once to 1e-10 of the currency
    unit, so a sum of a million rows is within 1e-4 of the exact total.
    ``*_float`` columns are float64 copies for plotting. A figure the engine
    could not value (a measure the baseline's grain cannot show) is null,
    never zero; :meth:`Evaluation.diagnostics` says why.

Figures
    ``net`` is duty kept (gross less refundable): the headline, as in the
    engine's reports. ``gross`` includes duty collected under an authority a
    ruling voids; ``refundable`` is that part.

Inputs
    Probabilities and rates are never floats: write ``"0.6"`` and ``"25%"``
    (a rate's text carries its unit), or pass ``decimal.Decimal``
    (a Decimal rate is a fraction: ``Decimal("0.25")`` is 25%). Dates are
    ``datetime.date`` or ``"YYYY-MM-DD"``. A float raises
    :class:`InputTypeError`.

Errors
    Every engine error is a :class:`ScenarioError` subclass with the engine's
    message and, where it names them, ``file``, ``line`` and ``item``.

The GIL is released while the engine loads, evaluates and sweeps.
"""

from __future__ import annotations

import csv
import io
import os
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Mapping, Sequence, Union, overload

from . import _frames, _native
from ._frames import Frame
from .errors import (
    ActionDateError,
    ArithmeticOverflowError,
    BaselineGapError,
    ColumnError,
    DuplicateIdError,
    EvaluationError,
    InputTypeError,
    InvalidScenarioError,
    LoadPolicyError,
    ParseError,
    ProbabilityError,
    RetaliationLoopError,
    ScenarioError,
    ScenarioIOError,
    ScheduleError,
    UnknownIdError,
)

if TYPE_CHECKING:
    import datetime

    import pandas
    import polars
    import pyarrow

#: The columns of :meth:`Evaluation.table` (``level="month"``) before the float copies.
MONTH_COLUMNS: list[str] = list(_native.MONTH_COLUMNS)
#: The columns of :meth:`Evaluation.table` (``level="measure"``) before the float copies.
MEASURE_COLUMNS: list[str] = list(_native.MEASURE_COLUMNS)
#: The columns of a sweep's result before the float copies.
SWEEP_COLUMNS: list[str] = list(_native.SWEEP_COLUMNS)
#: The layer name of the all-layers total in a timeline.
ALL_LAYERS: str = _native.ALL_LAYERS
#: The layer name of the base (MFN) rate in a timeline, where the scenario gives base rates.
MFN_LAYER: str = _native.MFN_LAYER
#: The layer name of the all-in rate (base plus additional) in a timeline.
ALL_IN_LAYER: str = _native.ALL_IN_LAYER

Side = Union[str, tuple[str, str], None]
#: ``"net"`` (duty kept, the headline), ``"gross"`` or ``"refundable"``.
Basis = str
DateLike = Union["datetime.date", str]
Exact = Union[str, Decimal]


def cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to cents, half away from zero: the engine's
    report rounding."""
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


PathLike = Union[str, "os.PathLike[str]"]


def load_scenario(path: PathLike, allow_roots: Sequence[PathLike] = ()) -> "Scenario":
    """Loads a scenario file with its includes and CSV files (paths in the
    file resolve against the file's folder).

    The engine's loading policy applies: includes and data files must lie
    inside the scenario's own tree (its folder, or the folder above it
    marked by a ``.tariffsim-root`` file); ``allow_roots`` names further
    folders they may come from. A file outside raises
    :class:`LoadPolicyError`."""
    return Scenario._wrap(_native.Scenario.load(os.fspath(path), [os.fspath(r) for r in allow_roots]))


class Scenario:
    """A validated scenario. Immutable: every ``with_*``/``vary`` returns a
    new, re-validated scenario. Picklable (it travels as its files)."""

    __slots__ = ("_inner",)
    _inner: _native.Scenario

    def __init__(self) -> None:
        raise TypeError("use tariffsim.load_scenario, Scenario.from_toml or Scenario.from_dict")

    @classmethod
    def _wrap(cls, inner: _native.Scenario) -> "Scenario":
        s = object.__new__(cls)
        object.__setattr__(s, "_inner", inner)
        return s

    def __reduce__(self) -> Any:
        return (Scenario._wrap, (self._inner,))

    @classmethod
    def load(cls, path: PathLike, allow_roots: Sequence[PathLike] = ()) -> "Scenario":
        """As :func:`load_scenario`."""
        return load_scenario(path, allow_roots)

    @classmethod
    def from_toml(cls, text: str, base_dir: PathLike | None = None, allow_roots: Sequence[PathLike] = ()) -> "Scenario":
        """A scenario from TOML text in the file format; relative paths
        (includes, CSV files) resolve against ``base_dir`` (default: the
        current directory), under the loading policy of
        :func:`load_scenario`."""
        return cls._wrap(
            _native.Scenario.from_toml(
                text, None if base_dir is None else os.fspath(base_dir), [os.fspath(r) for r in allow_roots]
            )
        )

    @classmethod
    def from_dict(
        cls, document: Mapping[str, Any], base_dir: PathLike | None = None, allow_roots: Sequence[PathLike] = ()
    ) -> "Scenario":
        """A scenario from a dict in the same schema as the TOML file
        (``{"scenario": {...}, "baseline": [...], "measure": [...],
        "node": [...]}``). Values are str, int, bool, ``Decimal`` or
        ``datetime.date``; a float is refused."""
        return cls._wrap(
            _native.Scenario.from_dict(
                dict(document), None if base_dir is None else os.fspath(base_dir), [os.fspath(r) for r in allow_roots]
            )
        )

    # What the scenario says.
    @property
    def id(self) -> str:
        return self._inner.id

    @property
    def title(self) -> str:
        return self._inner.title

    @property
    def description(self) -> str:
        return self._inner.description

    @property
    def assumptions(self) -> list[str]:
        return self._inner.assumptions

    @property
    def sources(self) -> list[str]:
        return self._inner.sources

    @property
    def horizon(self) -> tuple["datetime.date", "datetime.date"]:
        """``(start, end)``: the first day counted and the first not counted."""
        return self._inner.horizon

    @property
    def window(self) -> tuple["datetime.date", "datetime.date"]:
        """The window reports cover: the horizon unless narrowed."""
        return self._inner.window

    @property
    def history(self) -> tuple["datetime.date", "datetime.date"]:
        """The history answers and refunds are worked out over."""
        return self._inner.history

    @property
    def reference(self) -> str:
        """The reference path id, or ``"as-scheduled"``."""
        return self._inner.reference

    def sides(self) -> list[str]:
        """The sides, ``"importer<-exporter"``, in baseline order."""
        return self._inner.sides()

    def paths(self) -> list[dict[str, Any]]:
        """Every path: ``id``, ``probability`` (Decimal), ``labels``, ``kinds``."""
        return self._inner.paths()

    def nodes(self) -> list[dict[str, Any]]:
        """Every decision with its branches (ids, labels, kinds, probabilities)."""
        return self._inner.nodes()

    def measures(self) -> list[dict[str, Any]]:
        """Every measure with its steps (dates, rates as Decimal fractions)."""
        return self._inner.measures()

    # Changing it.
    def vary(self, variation: Mapping[str, Any]) -> "Scenario":
        """The scenario with a variation's edits, re-validated. A variation is
        a dict with any of::

            {"id": "label",
             "probability": {"<node>": {"<branch>": "0.5", ...}},
             "rate": {"<measure>": {"<step date>": "25%"}},
             "step_date": {"<measure>": {"<step date>": "<new date>"}},
             "node_date": {"<node>": "<new date>"}}

        Probabilities given for a node must leave its branches summing to 1.
        """
        return Scenario._wrap(self._inner.vary(dict(variation)))

    def with_probabilities(self, node: str, probabilities: Mapping[str, Exact]) -> "Scenario":
        """New probabilities for branches of ``node`` (the node's branches
        must still sum to exactly 1)."""
        return Scenario._wrap(self._inner.with_probabilities(node, dict(probabilities)))

    def with_rate(self, measure: str, step: DateLike, rate: Exact) -> "Scenario":
        """The step of ``measure`` dated ``step`` at ``rate`` instead."""
        return Scenario._wrap(self._inner.with_rate(measure, step, rate))

    def with_step_date(self, measure: str, step: DateLike, to: DateLike) -> "Scenario":
        """The step of ``measure`` dated ``step`` moved to ``to``."""
        return Scenario._wrap(self._inner.with_step_date(measure, step, to))

    def with_node_date(self, node: str, date: DateLike) -> "Scenario":
        """The decision ``node`` taken on ``date`` instead."""
        return Scenario._wrap(self._inner.with_node_date(node, date))

    def with_window(self, start: DateLike, end: DateLike) -> "Scenario":
        """The scenario reported over ``[start, end)``, inside its history:
        every action still applies, answers and refunds still count the
        whole history."""
        return Scenario._wrap(self._inner.with_window(start, end))

    # Evaluating it.
    def evaluate(self) -> "Evaluation":
        """Evaluates every path (the GIL is released meanwhile)."""
        return Evaluation(self._inner.evaluate(), self)

    def timeline(self, path: str, layers: bool = True) -> Frame:
        """The trade-weighted average additional rate on ``path``, as a step
        function: one row per side × piece × layer (``start`` counted,
        ``end`` not), ``rate`` a fraction; the all-layers total is layer
        ``"all"``. Where the scenario gives base rates, the base (MFN) rate
        is layer ``"mfn"`` (ad valorem parts only) and base plus total is
        ``"all_in"``; with ``layers=False`` only ``"all"`` and ``"all_in"``."""
        return Frame(_frames.table(self._inner.timeline_columns(path, layers), floats=("rate",)))

    def explain(self, line: str, date: DateLike, path: str | None = None, side: Side = None) -> dict[str, Any]:
        """Every measure that adds duty to ``line`` (an HS code or basket) on
        ``date`` on ``path`` (default: the reference path, or the only path),
        with its rate after stacking, and the all-in ``total``."""
        if path is None:
            path = self._default_path()
        return self._inner.explain(line, date, path, side)

    def portfolio(self, portfolio: Any, side: Side = None) -> "Portfolio":
        """An importer's SKUs (a CSV path, or a pandas/polars DataFrame or
        Arrow table with columns ``sku``, ``hts10``, ``annual_value_usd`` and
        optionally ``description``) valued in place of one side's baseline."""
        text, source = _portfolio_csv(portfolio)
        try:
            return Portfolio(self._inner.portfolio_columns(text, source, side))
        except ScenarioError as e:
            if source == _FRAME and e.line is not None:
                # Line 1 is the header: line N is the frame's row N - 2.
                e.row = e.line - 2
            raise

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the scenario as TOML, with its baselines and HS lists as CSV
        files beside it."""
        self._inner.save(os.fspath(path))

    def _default_path(self) -> str:
        paths = [p["id"] for p in self.paths()]
        if self.reference in paths:
            return self.reference
        if len(paths) == 1:
            return paths[0]
        raise UnknownIdError(f"name a path: this scenario has {len(paths)} ({', '.join(paths)})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self._inner == other._inner

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._inner)


class Evaluation:
    """Every path's result. Amounts are ``decimal.Decimal`` (exact to 28
    significant digits); tables are long: one row per path × side ×
    measure × month."""

    __slots__ = ("_inner", "scenario")

    def __init__(self, inner: _native.Evaluation, scenario: Scenario) -> None:
        self._inner = inner
        #: The scenario evaluated.
        self.scenario = scenario

    @property
    def window(self) -> tuple["datetime.date", "datetime.date"]:
        """The window every figure covers."""
        return self._inner.window

    @property
    def horizon(self) -> tuple["datetime.date", "datetime.date"]:
        return self._inner.horizon

    def sides(self) -> list[str]:
        """The sides, ``"importer<-exporter"``."""
        return self._inner.sides()

    @overload
    def expected(self, side: None = None, basis: Basis = "net") -> dict[str, Decimal]: ...
    @overload
    def expected(self, side: str | tuple[str, str], basis: Basis = "net") -> Decimal: ...

    def expected(self, side: Side = None, basis: Basis = "net") -> Any:
        """The probability-weighted expected duty on ``side`` (``"US<-CN"``
        or ``("US", "CN")``), or a dict of every side's: net (kept) by
        default, ``basis="gross"`` or ``"refundable"`` for the others."""
        if basis not in ("net", "gross", "refundable"):
            raise ParseError(f'invalid basis {basis!r}: write "net", "gross" or "refundable"')
        if side is None:
            return {s: self._inner.expected(s)[basis] for s in self.sides()}
        return self._inner.expected(side)[basis]

    @overload
    def distribution(self, side: None = None, basis: Basis = "net") -> dict[str, dict[str, Decimal]]: ...
    @overload
    def distribution(self, side: str | tuple[str, str], basis: Basis = "net") -> dict[str, Decimal]: ...

    def distribution(self, side: Side = None, basis: Basis = "net") -> Any:
        """``min``, ``p10``, ``median``, ``p90``, ``max`` and ``expected`` of a
        side's duty over paths (probability-weighted, never interpolated) on
        ``basis``, or a dict of every side's."""
        if side is None:
            return {s: self._inner.distribution(s, basis) for s in self.sides()}
        return self._inner.distribution(side, basis)

    def paths(self) -> list[dict[str, Any]]:
        """Every path: ``id``, ``probability``, ``labels``, ``kinds``,
        ``voided`` (``(measure, ruling date)``) and ``sides``: per side
        ``net``, ``gross``, ``refundable``, ``refundable_before`` (collected
        before the window, owed back too), ``refund_interest``, ``change``
        (net, against the reference), ``imports``, ``effective_rate`` and
        ``complete`` (every measure valued)."""
        return self._inner.paths()

    def reference(self) -> dict[str, Any]:
        """The reference (a named path, or every measure as scheduled), as
        in :meth:`paths`."""
        return self._inner.reference()

    def probability_sum(self) -> Decimal:
        return self._inner.probability_sum()

    def diagnostics(self) -> list[dict[str, str]]:
        """What could not be valued, per side and measure: ``side``,
        ``measure``, ``valuation`` (``"not-valued"``, ``"partly-valued"``,
        ``"covers-nothing"``) and the engine's ``message``."""
        return [
            {"side": side, "measure": m, "valuation": v, "message": msg}
            for side, m, v, msg in self._inner.diagnostics()
        ]

    def table(self, level: str = "month", include_reference: bool = False) -> Frame:
        """A long table.

        ``level="month"``: one row per path × side × measure × month, with
        ``path, probability, side, importer, exporter, currency, measure,
        layer, authority, valuation, month`` (its first day), ``gross``,
        ``refundable``, ``net`` (decimal128(38, 10); null where the measure
        is not valued), ``gross_float``, ``net_float``, and ``side_imports``
        (the side's imports that month: repeated on every measure row, so
        sum it over distinct path, side and month only).

        ``level="measure"``: one row per path × side × measure over the
        window, with ``voided`` (the ruling date), ``gross``, ``refundable``,
        ``net``, ``refundable_before`` and ``refund_interest``.
        """
        return Frame(_frames.table(self._inner.table_columns(level, include_reference), floats=("gross", "net")))

    def to_arrow(self, level: str = "month", include_reference: bool = False) -> "pyarrow.Table":
        return self.table(level, include_reference).to_arrow()

    def to_pandas(self, level: str = "month", include_reference: bool = False) -> "pandas.DataFrame":
        return self.table(level, include_reference).to_pandas()

    def to_polars(self, level: str = "month", include_reference: bool = False) -> "polars.DataFrame":
        return self.table(level, include_reference).to_polars()

    def timeline(self, path: str, layers: bool = True) -> Frame:
        """As :meth:`Scenario.timeline`."""
        return self.scenario.timeline(path, layers)

    def explain(self, line: str, date: DateLike, path: str | None = None, side: Side = None) -> dict[str, Any]:
        """As :meth:`Scenario.explain`."""
        return self.scenario.explain(line, date, path, side)

    def portfolio(self, portfolio: Any, side: Side = None) -> "Portfolio":
        """As :meth:`Scenario.portfolio`."""
        return self.scenario.portfolio(portfolio, side)

    def __repr__(self) -> str:
        return f"Evaluation(scenario={self.scenario.id!r}, paths={len(self.paths())})"


class Portfolio:
    """An importer's SKUs across the outcomes.

    ``by_path``: one row per SKU × path (``gross``, ``refundable``,
    ``net``); ``items``: one row per SKU (``imports``, ``expected_net``,
    ``expected_gross``, ``expected_refundable``); ``total``: the same for
    the whole portfolio, with ``net_by_path``; ``unknown``: ``(sku, hts10, line)`` of SKUs whose code
    is no line of the baseline (left out, never valued at zero);
    ``warning``: the engine's sentence about them.
    """

    def __init__(self, raw: dict[str, Any]) -> None:
        self.by_path = Frame(_frames.table(raw["by_path"], floats=("net",)))
        self.items = Frame(_frames.table(raw["items"], floats=("expected_net",)))
        self.total: dict[str, Any] = raw["total"]
        self.unknown: list[tuple[str, str, int]] = raw["unknown"]
        self.warning: str | None = raw["warning"]
        self.currency: str = raw["currency"]

    def __repr__(self) -> str:
        return f"Portfolio({len(self.items)} SKUs, {len(self.unknown)} unknown)"


_PORTFOLIO_REQUIRED = ("sku", "hts10", "annual_value_usd")
#: The source name of a portfolio given as a DataFrame.
_FRAME = "<DataFrame>"


def _portfolio_csv(portfolio: Any) -> tuple[str, str]:
    """The CSV text and source name of a portfolio given as a path or a
    DataFrame; a DataFrame's columns are checked by name and type."""
    if isinstance(portfolio, (str, os.PathLike)):
        path = os.fspath(portfolio)
        try:
            with open(path, encoding="utf-8") as f:
                return f.read(), path
        except OSError as e:
            unreadable = ScenarioIOError(f"{path}: cannot read: {e.strerror or e}")
            unreadable.file = path
            raise unreadable from e
    import pyarrow as pa

    if isinstance(portfolio, pa.Table):
        t = portfolio
    elif type(portfolio).__module__.startswith("polars"):
        t = portfolio.to_arrow()
    elif type(portfolio).__module__.startswith("pandas"):
        t = pa.Table.from_pandas(portfolio, preserve_index=False)
    else:
        raise InputTypeError(
            f"a portfolio is a CSV path or a pandas/polars DataFrame or Arrow table, not {type(portfolio).__name__}"
        )
    for name in _PORTFOLIO_REQUIRED:
        if name not in t.column_names:
            err = ColumnError(
                f"the portfolio has no column {name!r}: it needs {', '.join(_PORTFOLIO_REQUIRED)} "
                f"(and optionally description); it has {', '.join(t.column_names)}"
            )
            err.item = name
            raise err
    checks = {
        "sku": (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer),
        "hts10": (pa.types.is_string, pa.types.is_large_string),
        "annual_value_usd": (pa.types.is_decimal, pa.types.is_integer, pa.types.is_string, pa.types.is_large_string),
        "description": (pa.types.is_string, pa.types.is_large_string, pa.types.is_null),
    }
    fixes = {
        "hts10": "HTS-10 codes are text (an integer column loses leading zeros): keep them as str",
        "annual_value_usd": "values must be exact: decimal.Decimal, int or str (a float is not exact)",
        "sku": "SKUs are text",
        "description": "descriptions are text",
    }
    for name, accepted in checks.items():
        if name not in t.column_names:
            continue
        typ = t.schema.field(name).type
        if not any(ok(typ) for ok in accepted):
            err = ColumnError(f"portfolio column {name!r} holds {typ}: {fixes[name]}")
            err.item = name
            raise err
    names = [c for c in ("sku", "hts10", "annual_value_usd", "description") if c in t.column_names]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(names)
    columns = [t.column(c).to_pylist() for c in names]
    for row in zip(*columns):
        w.writerow(["" if v is None else str(v) for v in row])
    return out.getvalue(), _FRAME


__all__ = [
    "ALL_IN_LAYER",
    "ALL_LAYERS",
    "ActionDateError",
    "ArithmeticOverflowError",
    "BaselineGapError",
    "ColumnError",
    "DuplicateIdError",
    "Evaluation",
    "EvaluationError",
    "Frame",
    "InputTypeError",
    "InvalidScenarioError",
    "LoadPolicyError",
    "MEASURE_COLUMNS",
    "MFN_LAYER",
    "MONTH_COLUMNS",
    "ParseError",
    "Portfolio",
    "ProbabilityError",
    "RetaliationLoopError",
    "SWEEP_COLUMNS",
    "Scenario",
    "ScenarioError",
    "ScenarioIOError",
    "ScheduleError",
    "UnknownIdError",
    "cents",
    "load_scenario",
]
