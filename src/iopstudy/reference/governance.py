"""Who governs each municipality: SKR's "Styre i kommuner efter valet 2022", as published.

The file (``skr/styre_kommuner_2022.xlsx``, sheet ``Kommun``) has one row per
municipality, a column per party (``M 2022`` … ``SD 2022``, ``ÖP 2022`` for
local parties) holding the party's abbreviation when it is in the governing
majority or coalition (styre), the local parties' names, and the party of
the chair of the executive board (kommunstyrelsens ordförande, KSO). Its
``Styre`` column is an Excel formula without a stored value and is not read.

:func:`read_skr_styre` returns one row per municipality:

=======================  ==============================================================
kommun_code              str, 4 digits (a leading zero lost to a number is restored)
kommun_name              str, as in the file ("Upplands Väsby kommun", "Stockholms stad")
election_year            int64, the election after which the styre was formed (2022)
governing_parties        str, the governing parties joined by "," in the file's column
                         order M, C, L, KD, S, V, MP, SD, ÖP ("L,S,ÖP")
n_governing_parties      int64, number of entries in ``governing_parties`` (ÖP counts once)
gov_M … gov_SD, gov_ÖP   bool, party in the styre (``gov_ÖP``: one or more local parties)
local_parties            str or missing, SKR's text naming the local/other parties
kso_party                str or missing, party of the KSO (M, C, L, KD, S, V, MP, SD or ÖP)
kso_note                 str or missing, SKR's text on the KSO's local party, or a note
                         (Nora: M and S take turns)
=======================  ==============================================================
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import InputError
from iopstudy.reference.scb import (
    check_municipality_codes,
    read_xlsx_rows,
    region_code,
    source_folder,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "SKR_STYRE_PATTERN",
    "STYRE_PARTIES",
    "read_skr_styre",
    "load_governing_parties_2022",
]

PathLike = str | os.PathLike[str]

#: File-name pattern (relative to the sources folder) of SKR's styre table.
SKR_STYRE_PATTERN = "skr/styre_kommuner_*.xlsx"

#: The party columns of SKR's table, in its order; ÖP = övriga (local) partier.
STYRE_PARTIES: tuple[str, ...] = ("M", "C", "L", "KD", "S", "V", "MP", "SD", "ÖP")

_WHAT = (
    'SKR\'s table "Styre i kommuner efter valet" (sheet "Kommun": columns "M 2022" … "ÖP 2022", '
    '"Parti KSO")'
)


def read_skr_styre(path: PathLike) -> "pd.DataFrame":
    """Read SKR's table of the governing parties and the KSO's party in each municipality.

    Parameters
    ----------
    path
        ``styre_kommuner_YYYY.xlsx`` as published by SKR.

    Returns
    -------
    pandas.DataFrame
        One row per municipality (290); columns in the module docstring.

    Raises
    ------
    InputError
        If the file is missing, damaged or not this table (party columns,
        "Parti KSO", 290 four-digit codes, party cells holding their
        column's abbreviation or nothing).

    Examples
    --------
    >>> from iopstudy.reference.scb import source_folder
    >>> s = read_skr_styre(source_folder() / "skr" / "styre_kommuner_2022.xlsx")
    >>> s.loc[s.kommun_code == "0180", ["governing_parties", "kso_party"]].values.tolist()
    [['S,V,MP', 'S']]
    """
    import pandas as pd

    path = Path(path)
    sheet, rows = read_xlsx_rows(path, _WHAT)
    header_i, party_j, year = None, {}, None
    for i, r in enumerate(rows[:10]):
        cells = [_text(v) for v in r]
        matches = [(j, re.fullmatch(r"(\S+) ((?:19|20)\d{2})", c)) for j, c in enumerate(cells)]
        found = {m.group(1): (j, int(m.group(2))) for j, m in matches if m}
        if set(STYRE_PARTIES) <= set(found):
            header_i = i
            party_j = {p: found[p][0] for p in STYRE_PARTIES}
            years = {found[p][1] for p in STYRE_PARTIES}
            if len(years) != 1:
                msg = f"the party columns name different years {sorted(years)}"
                raise InputError(msg, file=str(path))
            year = years.pop()
            break
    if header_i is None:
        first = next((r for r in rows[:10] if any(_text(v) for v in r)), ())
        raise InputError(
            f"expected {_WHAT}; found the first row {[_text(v) for v in first if _text(v)][:8]}",
            file=str(path),
        )
    header = [_text(v) for v in rows[header_i]]
    need = {
        "kso": "Parti KSO",
        "other": "Annat parti, ange vilket eller vilka",
        "kso_local": "Lokalt parti, ange vilket",
    }
    missing = [h for h in need.values() if h not in header]
    if missing:
        raise InputError(f"expected the column(s) {missing}; found {header}", file=str(path))
    col = {k: header.index(h) for k, h in need.items()}
    records = []
    for i in range(header_i + 1, len(rows)):
        r = rows[i] + (None,) * (len(header) - len(rows[i]))
        if not any(_text(v) for v in r):
            continue
        level, code = region_code(r[0])
        if level != "kommun":
            raise InputError(
                "expected a municipality code in column A",
                file=str(path), row=i + 1, column="A", value=r[0],
            )  # fmt: skip
        gov = []
        for p in STYRE_PARTIES:
            v = _text(r[party_j[p]])
            if v and v != p:
                raise InputError(
                    f"a party column holds {p!r} or nothing",
                    file=str(path), row=i + 1, column=f"{p} {year}", value=v,
                )  # fmt: skip
            gov.append(bool(v))
        kso = _text(r[col["kso"]]) or None
        if kso is not None and kso not in STYRE_PARTIES:
            raise InputError(
                f"'Parti KSO' must be one of {list(STYRE_PARTIES)} or empty",
                file=str(path), row=i + 1, column="Parti KSO", value=kso,
            )  # fmt: skip
        records.append(
            {
                "kommun_code": code,
                "kommun_name": _text(r[1]),
                "election_year": year,
                "governing_parties": ",".join(p for p, g in zip(STYRE_PARTIES, gov) if g),
                "n_governing_parties": sum(gov),
                **{f"gov_{p}": g for p, g in zip(STYRE_PARTIES, gov)},
                "local_parties": _text(r[col["other"]]) or None,
                "kso_party": kso,
                "kso_note": _text(r[col["kso_local"]]) or None,
            }
        )
    codes = [rec["kommun_code"] for rec in records]
    check_municipality_codes(codes, path, f"rows of sheet {sheet!r}")
    out = pd.DataFrame.from_records(records)
    out = out.astype({"election_year": "int64", "n_governing_parties": "int64"})
    return out.sort_values("kommun_code", ignore_index=True)


def load_governing_parties_2022(folder: PathLike | None = None) -> "pd.DataFrame":
    """The styre and KSO party of every municipality after the 2022 election (SKR).

    Parameters
    ----------
    folder
        The sources folder; default ``data/raw/reference/sources``.

    Returns
    -------
    pandas.DataFrame
        :func:`read_skr_styre` of ``skr/styre_kommuner_2022.xlsx``.

    Examples
    --------
    >>> g = load_governing_parties_2022()
    >>> len(g), g.kso_party.value_counts().to_dict()["S"]
    (290, 135)
    """
    path = source_folder(folder) / SKR_STYRE_PATTERN.replace("*", "2022")
    out = read_skr_styre(path)
    if set(out["election_year"]) != {2022}:
        found = sorted(set(out["election_year"]))
        msg = f"expected the styre after the 2022 election; found {found}"
        raise InputError(msg, file=str(path))
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()
