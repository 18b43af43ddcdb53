"""The interview metadata table (``interviews.csv``): read, validate, join to the reference data.

One row per interview: ``interview_id``, ``sector`` (``offentlig`` or ``idéburen``), the
respondent's role, organisation type, level and municipality or region, and ``illustrative``
(true for the fictional corpus). :func:`read_interview_metadata` checks every value and joins the
municipality's county, size class and SKR group.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
from iopstudy.interviews.results import Metadata
from iopstudy.interviews.transcripts import read_text_file

__all__ = [
    "Metadata",
    "METADATA_COLUMNS",
    "SECTORS",
    "read_interview_metadata",
]


#: Required columns of ``interviews.csv``.
METADATA_COLUMNS: tuple[str, ...] = (
    "interview_id",
    "date",
    "respondent_role",
    "sector",
    "organisation_type",
    "public_body_code",
    "illustrative",
)


#: Allowed values of ``sector``.
SECTORS: tuple[str, ...] = ("offentlig", "idéburen")


# --------------------------------------------------------------------------- metadata
_TRUE = {"true", "ja", "yes", "1", "sant", "j", "y"}


_FALSE = {"false", "nej", "no", "0", "falskt", "n"}


def read_interview_metadata(
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Metadata:
    """Read and validate ``interviews.csv`` and join it to the reference data.

    The file is UTF-8 CSV with a header row; leading lines starting with
    ``#`` are comments. Required columns are :data:`METADATA_COLUMNS`; other
    columns are kept as text.

    Validation (each error names file, line, column and value): missing
    columns; empty or duplicate ``interview_id``; ``date`` not an ISO date
    (YYYY-MM-DD); ``sector`` not ``offentlig`` or ``idéburen``;
    ``public_body_code`` not a known 4-digit kommun code or 2-digit county
    (region) code; ``illustrative`` not true/false (ja/nej, yes/no, 1/0 also
    accepted).

    Parameters
    ----------
    path
        The CSV file.
    data_dir
        Reference data folder for :func:`iopstudy.reference.load_municipalities`
        (default: the project's).

    Returns
    -------
    Metadata
        ``table``: the file's columns (text; ``date`` as datetime64, ``illustrative`` as
        bool, ``sector`` lower-case NFC) plus ``level`` ("kommun"/"region"),
        ``kommun_name`` (NaN for a region), ``county_code``, ``county_name``,
        ``size_class`` and ``skr_group`` (ordered categoricals as in the
        reference data, NaN for a region). Codes stay strings ("0180").
        ``file`` is the file read and ``lines`` maps each interview_id to its
        line in the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "interviews.csv"
    >>> _ = p.write_text(
    ...     "interview_id,date,respondent_role,sector,organisation_type,public_body_code,illustrative\\n"
    ...     "T1,2024-09-12,politiker,offentlig,kommun,0180,true\\n", encoding="utf-8")
    >>> m = read_interview_metadata(p)
    >>> m.table[["interview_id", "level", "kommun_name", "illustrative"]].values.tolist()
    [['T1', 'kommun', 'Stockholm', True]]
    >>> m.file.name, m.lines
    ('interviews.csv', {'T1': 2})
    """
    import pandas as pd

    from iopstudy.reference.municipalities import load_counties, load_municipalities

    p = Path(path)
    text = read_text_file(p)
    lines = text.split("\n")
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    body = "\n".join(lines[skip:])
    reader = csv.reader(io.StringIO(body))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty (no header row)", file=str(p)) from None
    header = [h.strip() for h in header]
    header_line = skip + 1
    missing = [c for c in METADATA_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {missing}; required: {list(METADATA_COLUMNS)}",
            file=str(p),
            row=header_line,
            column=missing[0],
        )
    dup_cols = sorted({h for h in header if header.count(h) > 1})
    if dup_cols:
        raise InputError(f"duplicate column(s) {dup_cols}", file=str(p), row=header_line)

    munis = load_municipalities(data_dir).set_index("kommun_code")
    counties = load_counties(data_dir).set_index("county_code")

    records: list[dict[str, Any]] = []
    line_of: dict[str, int] = {}
    for rec in reader:
        line = reader.line_num + skip
        if not rec or all(not v.strip() for v in rec):
            continue
        if len(rec) != len(header):
            raise InputError(
                f"expected {len(header)} fields, found {len(rec)} (an unquoted comma?)",
                file=str(p),
                row=line,
            )
        row = {h: v.strip() for h, v in zip(header, rec)}

        def bad(column: str, message: str, _line: int = line, _row: dict = row) -> InputError:
            return InputError(message, file=str(p), row=_line, column=column, value=_row[column])

        iid = row["interview_id"]
        if not iid:
            raise bad("interview_id", "empty interview_id")
        if iid in line_of:
            raise bad("interview_id", f"duplicate interview_id (first on line {line_of[iid]})")
        try:
            date = _dt.date.fromisoformat(row["date"])
            if len(row["date"]) != 10:
                raise ValueError
        except ValueError:
            raise bad("date", "not a date in the form YYYY-MM-DD") from None
        sector = unicodedata.normalize("NFC", row["sector"]).casefold()
        if sector not in SECTORS:
            raise bad("sector", f"unknown sector; use one of {list(SECTORS)}")
        code = row["public_body_code"]
        if code.isdigit() and len(code) == 4 and code in munis.index:
            level = "kommun"
        elif code.isdigit() and len(code) == 2 and code in counties.index:
            level = "region"
        else:
            hint = ""
            if code.isdigit() and len(code) in (1, 3):
                hint = f" (a lost leading zero? did you mean {code.zfill(len(code) + 1)!r}?)"
            raise bad(
                "public_body_code",
                "not a known 4-digit kommun code or 2-digit county/region code" + hint,
            )
        flag = row["illustrative"].casefold()
        if flag not in _TRUE | _FALSE:
            raise bad("illustrative", "use true or false")
        row.update(
            date=pd.Timestamp(date),
            sector=sector,
            illustrative=flag in _TRUE,
            level=level,
        )
        line_of[iid] = line
        records.append(row)

    extra = [c for c in header if c not in METADATA_COLUMNS]
    cols = list(METADATA_COLUMNS) + extra
    df = pd.DataFrame(records, columns=cols + ["level"])
    df["date"] = pd.to_datetime(df["date"])
    df["illustrative"] = df["illustrative"].astype(bool)
    df = _join_reference(df, munis, counties)
    return Metadata(df, p, line_of)


def _join_reference(df: "pd.DataFrame", munis: "pd.DataFrame", counties: "pd.DataFrame"):
    import pandas as pd

    code = df["public_body_code"].astype(str)
    is_kommun = df["level"] == "kommun"
    county = code.where(~is_kommun, code.str[:2])
    df["kommun_name"] = code.map(munis["kommun_name"]).where(is_kommun)
    df["county_code"] = county
    df["county_name"] = county.map(counties["county_name"])
    df["size_class"] = pd.Series(
        pd.Categorical(
            code.map(munis["size_class"].astype(object)).where(is_kommun),
            dtype=munis["size_class"].dtype,
        ),
        index=df.index,
    )
    df["skr_group"] = pd.Series(
        pd.Categorical(
            code.map(munis["skr_group"].astype(object)).where(is_kommun),
            dtype=munis["skr_group"].dtype,
        ),
        index=df.index,
    )
    return df
