"""Read a raw register: CSV in UTF-8 or an Excel export (Windows-1252, semicolons), or .xlsx.

A raw register is a CSV or Excel file with one row per agreement, written as
the sources write it (see ``data/raw/register/SOURCES.md``). Columns:

=======================  ========  ==============================================
column                   required  content
=======================  ========  ==============================================
record_id                yes       unique id of the agreement
public_party             yes       the public party as written
civil_partners           yes       organisations, separated by ``;``
public_party_level       no        kommun / region / stat, as the compiler read it
title                    no        the partnership's own name
policy_area_text         no        a few words on what it is about
start, end               no        dates as written ("maj 2017", "2019")
period                   no        a range in one field ("2019–2021"), used
                                   where start/end are empty
amount_text              no        funding as written ("1,3 mnkr årligen")
source_url, source_kind  no        where it was read
evidence                 no        what the source says
public_party_code        no        manual resolution (kommun or county code);
                                   always wins, flagged ``manual``
policy_area_override     no        ``primary`` or ``primary;secondary`` area
                                   ids; always wins
=======================  ========  ==============================================

:func:`build` turns the register into the processed tables (see
:mod:`iopstudy.register.schemas`): every raw row ends up either in ``partnerships`` or
in ``exclusions`` with a reason, and ``raw rows = clean rows + excluded rows``
always holds.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

from iopstudy.text import as_text, decode_bytes

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "FORMULA_COLUMN",
    "RegisterFile",
    "read_register_file",
    "read_register",
]


REQUIRED_COLUMNS = ("record_id", "public_party", "civil_partners")


OPTIONAL_COLUMNS = (
    "public_party_level",
    "title",
    "policy_area_text",
    "start",
    "end",
    "period",
    "amount_text",
    "source_url",
    "source_kind",
    "evidence",
    "public_party_code",
    "policy_area_override",
)


#: The column :func:`read_register` adds: the names of the row's columns whose Excel cell
#: holds a formula, ``;``-separated ("" for a CSV file and for a row without formulas).
FORMULA_COLUMN = "source_formulas"


def _cell_text(value) -> str:
    """One Excel value as the register's text."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _read_xlsx(p: Path, sheet: str | int, name: str):
    """The sheet as text (formulas as their text, not evaluated) and, per data row, the
    header names of the cells that hold a formula."""
    import pandas as pd
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds
        raise InputError(f"cannot read the Excel file ({type(exc).__name__}: {exc})", file=name) from None
    try:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(wb.sheetnames):
                raise InputError(f"no sheet {sheet}; the file has {wb.sheetnames}", file=name)
            ws = wb[wb.sheetnames[sheet]]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise InputError(f"no sheet {sheet!r}; the file has {wb.sheetnames}", file=name)
        rows = []
        for row in ws.iter_rows():
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                is_formula = getattr(cell, "data_type", None) == "f"
                if is_formula and not isinstance(value, str):
                    value = getattr(value, "text", None) or str(value)  # an array formula
                cells.append((_cell_text(value), is_formula))
            rows.append(cells)
    finally:
        wb.close()
    if not rows or not any(text for text, _ in rows[0]):
        raise InputError("the sheet is empty", file=name)
    header = [text for text, _ in rows[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    header = [h if h else f"unnamed: {j}" for j, h in enumerate(header)]
    data, formulas = [], []
    for cells in rows[1:]:
        cells = (cells + [("", False)] * width)[:width]
        data.append([text for text, _ in cells])
        formulas.append([header[j] for j, (_, f) in enumerate(cells) if f])
    df = pd.DataFrame(data, columns=header, dtype=object) if data else pd.DataFrame(columns=header, dtype=object)
    return df, formulas


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


@dataclass(frozen=True, eq=False)
class RegisterFile:
    """A raw register as :func:`read_register_file` read it: the table and how the file was read.

    Attributes
    ----------
    table
        The register, as :func:`read_register` returns it.
    file
        The file's path, as given (``str``); problems and errors name it.
    encoding
        What the file was decoded as: ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"`` or
        ``"cp1252"`` (a Windows Excel CSV export) for a CSV file, ``"xlsx"`` for Excel.
    delimiter
        The separator detected in a CSV file (``","``, ``";"`` or ``"\\t"``); ``""`` for Excel.

    Examples
    --------
    A semicolon-separated Windows-1252 file, as Excel with Swedish settings saves a CSV:

    >>> import tempfile
    >>> import warnings
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "register.csv"
    ...     _ = path.write_bytes("record_id;public_party;civil_partners\\nX1;Exempelnämnden;Föreningen Exempel\\n"
    ...                          .encode("cp1252"))
    ...     with warnings.catch_warnings():
    ...         warnings.simplefilter("ignore")  # "not UTF-8; read as Windows-1252"
    ...         rf = read_register_file(path)
    >>> rf.encoding, rf.delimiter, Path(rf.file).name, len(rf.table)
    ('cp1252', ';', 'register.csv', 1)
    """

    table: "pd.DataFrame"
    file: str
    encoding: str
    delimiter: str


def read_register_file(
    path: str | os.PathLike[str], *, sheet: str | int = 0, allow_empty: bool = False
) -> RegisterFile:
    """Read a raw register file (CSV or Excel) as text, and say how it was read.

    CSV files may be UTF-8 (with or without a byte-order mark) or a Windows
    Excel export (Windows-1252/Latin-1, often separated by semicolons); both
    the encoding and the separator are detected, and the result says what was
    detected (``encoding``, ``delimiter``) so a caller can report it. Excel files
    (``.xlsx``) are read from sheet ``sheet``. A file with a header but no rows (a
    blank template) is an error unless ``allow_empty``.

    Returns
    -------
    RegisterFile
        ``table`` (what :func:`read_register` returns), ``file`` (the path),
        ``encoding`` and ``delimiter``.

    Raises
    ------
    InputError
        The file does not exist, is empty, cannot be decoded or parsed, or
        lacks a required column.

    Examples
    --------
    >>> from iopstudy.paths import packaged_data
    >>> rf = read_register_file(packaged_data("raw/register/iop_register.csv"))
    >>> rf.encoding, rf.delimiter, Path(rf.file).name
    ('utf-8', ',', 'iop_register.csv')
    >>> rf.table.columns[:4].tolist()
    ['source_row', 'record_id', 'public_party', 'public_party_level']
    """
    import pandas as pd

    p = Path(path)
    name = str(p)
    if not p.exists():
        raise InputError("file not found", file=name)
    if p.is_dir():
        raise InputError("expected a register file, got a folder", file=name)
    suffix = p.suffix.lower()
    formulas: list | None = None
    if suffix in (".xlsx", ".xlsm", ".xls"):
        if suffix == ".xls":
            raise InputError(
                "old Excel .xls files are not supported: save the sheet as .xlsx or UTF-8 CSV",
                file=name,
            )
        df, formulas = _read_xlsx(p, sheet, name)
        encoding, delim = "xlsx", ""
    else:
        data = p.read_bytes()
        if not data.strip():
            raise InputError("the file is empty", file=name)
        text, encoding = decode_bytes(data, name)
        delim = _sniff_delimiter(text)
        try:
            df = pd.read_csv(
                io.StringIO(text),
                sep=delim,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                quoting=csv.QUOTE_MINIMAL,
            )
        except pd.errors.ParserError as exc:
            raise InputError(f"cannot parse the CSV ({exc})", file=name) from None
        except pd.errors.EmptyDataError:
            raise InputError("the file is empty", file=name) from None
    df.columns = [str(c).strip().lower().lstrip("\ufeff") for c in df.columns]
    if len(df.columns) == 1 and any(d in df.columns[0] for d in (",", ";", "\t")):
        raise InputError(
            f"only one column was found ({df.columns[0][:60]!r}): is the separator unusual?",
            file=name,
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            f"missing required column(s) {missing}; found {list(df.columns)}",
            file=name,
            row=1,
        )
    if df.columns.duplicated().any():
        dup = df.columns[df.columns.duplicated()].tolist()
        raise InputError(f"duplicate column name(s) {dup}", file=name, row=1)
    df = as_text(df)
    for c in df.columns:
        df[c] = df[c].str.strip()
    # line in the file: header is line 1; drop fully blank lines but keep numbering
    df.insert(0, "source_row", range(2, len(df) + 2))
    blank = (df.drop(columns="source_row") == "").all(axis=1)
    # the columns whose Excel cell held a formula (never evaluated; the build reports them)
    if formulas is None:
        df[FORMULA_COLUMN] = ""
    else:
        df[FORMULA_COLUMN] = [";".join(str(c).strip().lower() for c in cols) for cols in formulas]
    df = df.loc[~blank].reset_index(drop=True)
    if df.empty and not allow_empty:
        raise InputError("the file has a header but no rows", file=name)
    for c in OPTIONAL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    return RegisterFile(table=df, file=name, encoding=encoding, delimiter=delim)


def read_register(
    path: str | os.PathLike[str], *, sheet: str | int = 0, allow_empty: bool = False
) -> "pd.DataFrame":
    """Read a raw register file (CSV or Excel) as text, keeping line numbers.

    CSV files may be UTF-8 (with or without a byte-order mark) or a Windows
    Excel export (Windows-1252/Latin-1, often separated by semicolons); both
    the encoding and the separator are detected (:func:`read_register_file`
    says which). Excel files (``.xlsx``) are read from sheet ``sheet``. A file with a
    header but no rows (a blank template) is an error unless ``allow_empty``.

    Returns
    -------
    pandas.DataFrame
        All columns as strings (empty string for an empty cell), names
        stripped and lower-cased, plus ``source_row``: the row's line in the
        file (the header is line 1), and ``source_formulas``: the columns
        whose Excel cell holds a formula, ``;``-separated. A formula is never
        evaluated: the cell's text is the formula itself ("=HYPERLINK(…)") and
        :func:`~iopstudy.register.check_register` reports it as an error with
        file, row and column. The file's name, encoding and separator are fields
        of :func:`read_register_file`'s :class:`RegisterFile`, not of this table.

    Raises
    ------
    InputError
        The file does not exist, is empty, cannot be decoded or parsed, or
        lacks a required column.

    Examples
    --------
    >>> from iopstudy.paths import packaged_data
    >>> raw = read_register(packaged_data("raw/register/iop_register.csv"))
    >>> int(raw.loc[0, "source_row"]), raw.loc[0, "record_id"]  # the header is line 1
    (2, 'IOP-0001')
    >>> set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS) <= set(raw.columns), bool((raw[FORMULA_COLUMN] == "").all())
    (True, True)
    """
    return read_register_file(path, sheet=sheet, allow_empty=allow_empty).table
