"""The exceptions tariffsim raises.

Every error of the Rust engine arrives as an instance of one of these
classes, chosen by what went wrong, with the engine's message unchanged as
``str(e)``. Where the engine names a place, the exception carries it:

``file``
    the scenario or CSV file (``None`` for text given to
    ``Scenario.from_toml``/``from_dict``);
``line``, ``column``
    the line of a CSV or TOML file and, for TOML syntax, the column, when
    named (``row``: the 0-based row of a portfolio DataFrame);
``item``
    what inside the file: ``'measure "us-fentanyl", step 2, field "rate"'``;
``context``
    every place the error was wrapped in, outermost first.

Catch :class:`ScenarioError` for all of them.
"""

from __future__ import annotations


class ScenarioError(Exception):
    """Any error from tariffsim."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    item: str | None = None
    #: For a portfolio given as a DataFrame: the 0-based row at fault.
    row: int | None = None
    context: tuple[str, ...] | list[str] = ()

    @property
    def message(self) -> str:
        """The engine's message (the same as ``str(self)``)."""
        return str(self)


class ParseError(ScenarioError, ValueError):
    """A text could not be read as the value it should hold (a rate, a date,
    an id, TOML syntax)."""


class InputTypeError(ScenarioError, TypeError):
    """A Python value of the wrong type, e.g. a float where an exact
    probability or rate is meant."""


class UnknownIdError(ScenarioError, LookupError):
    """A reference to a measure, node, branch, path, side or basket that does
    not exist; the message lists what does."""


class DuplicateIdError(ScenarioError, ValueError):
    """An id used twice where ids must be unique."""


class InvalidScenarioError(ScenarioError, ValueError):
    """Input that is well formed but inconsistent."""


class ProbabilityError(InvalidScenarioError):
    """Branch probabilities that do not sum to exactly 1, or a probability
    outside 0..=1."""


class ScheduleError(InvalidScenarioError):
    """A schedule that is out of order, overlaps, or an edit that names a step
    or suspension it does not have."""


class ActionDateError(InvalidScenarioError):
    """An action dated before its decision or outside the horizon."""


class EvaluationError(ScenarioError):
    """The engine could not evaluate a valid scenario."""


class RetaliationLoopError(EvaluationError):
    """Retaliation rules that keep answering each other."""


class BaselineGapError(EvaluationError):
    """A baseline without a value for a period the evaluation needs."""


class ScenarioIOError(ScenarioError, OSError):
    """A file that cannot be read or written."""


class LoadPolicyError(ScenarioIOError):
    """A file the loading policy does not read: outside the scenario's tree,
    not a regular file, larger than the limit, or includes nested too
    deep."""


class ArithmeticOverflowError(ScenarioError, ArithmeticError):
    """Values too large to hold exactly."""


class ColumnError(ScenarioError, ValueError):
    """A DataFrame with a missing or mistyped column; ``item`` names it."""


__all__ = [
    "ActionDateError",
    "ArithmeticOverflowError",
    "BaselineGapError",
    "ColumnError",
    "DuplicateIdError",
    "EvaluationError",
    "InputTypeError",
    "InvalidScenarioError",
    "LoadPolicyError",
    "ParseError",
    "ProbabilityError",
    "RetaliationLoopError",
    "ScenarioError",
    "ScenarioIOError",
    "ScheduleError",
    "UnknownIdError",
]
