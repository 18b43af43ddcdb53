"""Exceptions and warnings of iopstudy.

Every error caused by a user's input says *where* the problem is (file, row,
column, value) and, where possible, how to fix it. The CLI prints these
messages without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class IopStudyError(Exception):
    """Base class of all iopstudy errors."""


class InputError(IopStudyError, ValueError):
    """A problem with a user's input file or table.

    Parameters
    ----------
    message
        What is wrong and, if possible, how to fix it.
    file, row, column, value
        Where the problem is. ``row`` is the 1-based line number in the file
        (the header is line 1) when the input is a file, otherwise the
        0-based position in the table.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object | None = None,
    ) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        prefix = ": ".join([", ".join(where)]) + ": " if where else ""
        suffix = f" (value: {self.value!r})" if self.value is not None else ""
        return f"{prefix}{self.message}{suffix}"


class SchemaError(IopStudyError, ValueError):
    """A processed table does not match its documented schema."""


class ReferenceDataError(IopStudyError, ValueError):
    """The reference data failed a consistency check on load."""


class IopStudyWarning(UserWarning):
    """Base warning class: something the user should look at, but not fatal."""


class StatisticalWarning(IopStudyWarning):
    """A statistical result is fragile (small cells, separation, no convergence)."""


@dataclass(frozen=True)
class Problem:
    """One problem found while validating an input (used by ``validate``)."""

    file: str
    row: int | None
    column: str | None
    value: object
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        loc = self.file
        if self.row is not None:
            loc += f":{self.row}"
        col = f" [{self.column}]" if self.column else ""
        val = "" if self.value is None or self.value == "" else f" {self.value!r}:"
        return f"{loc}{col} {self.severity}:{val} {self.message}"


def require_columns(df: object, columns, what: str) -> None:
    """Raise :class:`InputError` unless ``df`` is a DataFrame with every one of ``columns``."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{what} must be a pandas DataFrame, not {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            f"{what} lacks column(s) {', '.join(map(repr, missing))}; it has {list(df.columns)}",
            column=missing[0],
        )
