"""Columns from the native module as Arrow tables, and tables as pandas or
polars DataFrames. Conversion only: no figure is computed here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    import pandas
    import polars

#: Arrow precision of every decimal column.
PRECISION = 38


def table(columns: Iterable[tuple[str, str, Any, int, bytes | None]], floats: Sequence[str] = ()) -> pa.Table:
    """An Arrow table from ``(name, kind, payload, scale, validity)`` columns; each
    column named in ``floats`` gets a ``<name>_float`` float64 copy beside it
    (a convenience for plotting: not exact)."""
    names: list[str] = []
    arrays: list[pa.Array] = []
    for name, kind, payload, scale, validity in columns:
        valid = None if validity is None else pa.py_buffer(validity)
        if kind == "str":
            array = pa.array(payload, type=pa.string())
        elif kind == "decimal":
            n = len(payload) // 16
            array = pa.Array.from_buffers(pa.decimal128(PRECISION, scale), n, [valid, pa.py_buffer(payload)])
        elif kind == "date32":
            n = len(payload) // 4
            array = pa.Array.from_buffers(pa.date32(), n, [valid, pa.py_buffer(payload)])
        else:  # pragma: no cover - the native module sends only these kinds
            raise ValueError(f"unknown column kind {kind!r}")
        names.append(name)
        arrays.append(array)
        if name in floats:
            names.append(f"{name}_float")
            arrays.append(pc.cast(array, pa.float64()))
    return pa.Table.from_arrays(arrays, names=names)


class Frame:
    """A table that comes out as Arrow, pandas or polars.

    Money columns are ``decimal128(38, 10)``: the exact amount rounded once,
    half away from zero, to 1e-10 of the currency unit; in pandas they hold
    ``decimal.Decimal`` objects. Columns ending in ``_float`` are float64
    copies for plotting, not for sums that must reconcile.
    """

    def __init__(self, arrow: pa.Table) -> None:
        self._arrow = arrow

    def to_arrow(self) -> pa.Table:
        """The table as a ``pyarrow.Table``."""
        return self._arrow

    def to_pandas(self) -> "pandas.DataFrame":
        """The table as a pandas DataFrame (dates as ``datetime.date``,
        decimals as ``decimal.Decimal``)."""
        return self._arrow.to_pandas(date_as_object=True)

    def to_polars(self) -> "polars.DataFrame":
        """The table as a polars DataFrame (decimals as ``pl.Decimal``)."""
        import polars as pl

        return pl.from_arrow(self._arrow)  # type: ignore[return-value]

    @property
    def columns(self) -> list[str]:
        """The column names."""
        return list(self._arrow.column_names)

    def __len__(self) -> int:
        return self._arrow.num_rows

    def __repr__(self) -> str:
        return f"Frame({self._arrow.num_rows} rows: {', '.join(self.columns)})"
