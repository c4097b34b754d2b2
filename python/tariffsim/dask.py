"""Parameter sweeps spread over a ``dask.distributed`` cluster.

:func:`sweep` checks every variation against the scenario first (unknown
measures, nodes, branches or steps, probabilities that do not sum to 1,
floats where exact values are meant), so a bad variation fails before any
work is sent. It then cuts the variations into contiguous partitions, ships
the scenario to each worker once (as its files, so workers need no access to
the driver's disk), runs the Rust engine on each partition with the GIL
released, and gathers the partitions, in order, into one DataFrame: one row
per variation × side with the expected duty and its distribution.

The same call runs on a ``LocalCluster`` or a real cluster; without a client
it runs in this process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

import pyarrow as pa

from . import Scenario, _frames, _native

if TYPE_CHECKING:
    import pandas
    from distributed import Client

#: Money columns of the result that get a float64 copy.
_FLOATS = ("expected",)


def _run(scenario: Scenario, variations: list[dict[str, Any]], offset: int) -> pa.Table:
    """One partition: every variation applied, evaluated and summarised."""
    return _frames.table(_native.sweep_columns(scenario._inner, variations, offset), floats=_FLOATS)


def check(scenario: Scenario, variations: Sequence[Mapping[str, Any]]) -> None:
    """Raises the first variation's error, if any, without evaluating."""
    _native.check_variations(scenario._inner, [dict(v) for v in variations])


def sweep(
    scenario: Scenario,
    variations: Sequence[Mapping[str, Any]],
    client: "Client | None" = None,
    *,
    partitions: int | None = None,
) -> "pandas.DataFrame":
    """Evaluates ``scenario`` under each variation (see
    :meth:`tariffsim.Scenario.vary` for their form) and returns one row per
    variation × side: ``variation`` (its ``id``, or its position), ``side``,
    ``expected`` (net: duty kept), ``expected_gross``,
    ``expected_refundable``, and the net ``min``, ``p10``, ``median``,
    ``p90``, ``max`` (Decimal amounts), and ``expected_float``, in the
    order of ``variations``.

    With ``client``, the variations are cut into ``partitions`` contiguous
    parts (default: one per worker thread) and run on the cluster.
    """
    return sweep_arrow(scenario, variations, client, partitions=partitions).to_pandas()


def sweep_arrow(
    scenario: Scenario,
    variations: Sequence[Mapping[str, Any]],
    client: "Client | None" = None,
    *,
    partitions: int | None = None,
) -> pa.Table:
    """As :func:`sweep`, as an Arrow table."""
    vs = [dict(v) for v in variations]
    check(scenario, vs)
    if client is None or not vs:
        return _run(scenario, vs, 0)
    if partitions is None:
        partitions = max(1, sum(client.nthreads().values()))
    partitions = max(1, min(partitions, len(vs)))
    size = -(-len(vs) // partitions)
    # A fresh key each call: a hashed key could be the one an earlier sweep
    # is releasing.
    shipped = client.scatter(scenario, broadcast=True, hash=False)
    futures = [
        client.submit(_run, shipped, vs[start : start + size], start, pure=False)
        for start in range(0, len(vs), size)
    ]
    return pa.concat_tables(client.gather(futures))


__all__ = ["check", "sweep", "sweep_arrow"]
