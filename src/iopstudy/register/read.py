""""""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

from iopstudy.text import decode_bytes

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
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


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_register(path: str | os.PathLike[str], *, sheet: str | int = 0) -> "pd.DataFrame":
    """Read a raw register file (CSV or Excel) as text, keeping line numbers.

    CSV files may be UTF-8 (with or without a byte-order mark) or a Windows
    Excel export (Windows-1252/Latin-1, often separated by semicolons); both
    the encoding and the separator are detected, and what was detected is
    stored in ``df.attrs`` (``encoding``, ``delimiter``) so a caller can
    report it. Excel files (``.xlsx``) are read from sheet ``sheet``.

    Returns
    -------
    pandas.DataFrame
        All columns as strings (empty string for an empty cell), names
        stripped and lower-cased, plus ``source_row``: the row's line in the
        file (the header is line 1). ``attrs["file"]`` holds the path.

    Raises
    ------
    InputError
        The file does not exist, is empty, cannot be decoded or parsed, or
        lacks a required column.
    """
    import pandas as pd

    p = Path(path)
    name = str(p)
    if not p.exists():
        raise InputError("file not found", file=name)
    if p.is_dir():
        raise InputError("expected a register file, got a folder", file=name)
    suffix = p.suffix.lower()
    attrs: dict = {"file": name}
    if suffix in (".xlsx", ".xlsm", ".xls"):
        if suffix == ".xls":
            raise InputError(
                "old Excel .xls files are not supported: save the sheet as .xlsx or UTF-8 CSV",
                file=name,
            )
        try:
            df = pd.read_excel(p, sheet_name=sheet, dtype=str, keep_default_na=False, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many kinds
            raise InputError(f"cannot read the Excel file ({type(exc).__name__}: {exc})", file=name) from None
        attrs.update(encoding="xlsx", delimiter="")
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
        attrs.update(encoding=encoding, delimiter=delim)
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
    df = df.fillna("").astype(str)
    for c in df.columns:
        df[c] = df[c].str.strip()
    # line in the file: header is line 1; drop fully blank lines but keep numbering
    df.insert(0, "source_row", range(2, len(df) + 2))
    blank = (df.drop(columns="source_row") == "").all(axis=1)
    df = df.loc[~blank].reset_index(drop=True)
    if df.empty:
        raise InputError("the file has a header but no rows", file=name)
    for c in OPTIONAL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df.attrs.update(attrs)
    return df
