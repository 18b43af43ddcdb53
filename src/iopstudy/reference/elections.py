"""Election results per municipality from SCB and Valmyndigheten files, as published.

* SCB ME0104B6 (``scb/ME0104B6_*.csv``): Riksdag votes per municipality and party, 1973–2018;
  Latin-1, a title line, ``"0114 Upplands Väsby"`` in one cell, ``..`` for not available.
  Municipalities follow the division at the time of each election (Knivsta from 2002, Bara
  only in 1973).
* Valmyndigheten ``val/ri_tab4_YYYY.xlsx`` (Riksdag) and ``val/ko_tab3_YYYY.xlsx`` (kommunval):
  votes per voting district, summed here per municipality (a district code's first four digits
  are the kommun code; the rows "Förtidsröster ej fördelade efter valdistrikt" are included).

Vote tables are tidy and long:

=================  ===============================================================
kommun_code        str, 4 digits
election_year      int64
party              ordered categorical :data:`PARTIES` (``other`` = all other parties)
votes              int64, valid votes for the party
source             str, the file the row was read from (loaders only)
=================  ===============================================================

:func:`vote_shares` adds ``share``; :func:`bloc_shares` gives ``left_share`` (S+V+MP),
``right_share`` (M+C+L+KD), ``sd_share`` and ``other_share`` per municipality and election;
:func:`election_covariates` gives, for each calendar year, the shares of the latest Riksdag
election held strictly before that year. Readers raise :class:`~iopstudy.errors.InputError`
naming the file, what was expected and what was found when a file is not the expected table.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import InputError, require_columns
from iopstudy.reference.scb import (
    check_municipality_codes,
    check_source_file,
    find_source_files,
    read_xlsx_rows,
    region_code,
    source_folder,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "PARTIES", "BLOCS", "PARTY_ALIASES", "ME0104B6_PATTERN", "RIKSDAG_DISTRICTS_PATTERN",
    "MUNICIPAL_DISTRICTS_PATTERN", "party_dtype", "party_code", "read_me0104b6",
    "read_valmyndigheten_districts", "load_riksdag_votes", "load_municipal_votes_2022",
    "vote_shares", "bloc_shares", "latest_election_before", "election_covariates",
]

PathLike = str | os.PathLike[str]

#: The parties in the order of the categorical ``party``; ``other`` is every other party.
PARTIES: tuple[str, ...] = ("M", "C", "L", "KD", "S", "V", "MP", "SD", "other")

#: Blocs of :func:`bloc_shares`.
BLOCS: dict[str, tuple[str, ...]] = {
    "left_share": ("S", "V", "MP"), "right_share": ("M", "C", "L", "KD"),
    "sd_share": ("SD",), "other_share": ("other",),
}  # fmt: skip

#: Party names and abbreviations in SCB's and Valmyndigheten's files (lower case) -> party.
#: Folkpartiet (FP) is today's Liberalerna (L); the 2022 kommunval table still says FP.
PARTY_ALIASES: dict[str, str] = {
    "m": "M", "moderaterna": "M", "moderata samlingspartiet": "M",
    "c": "C", "centerpartiet": "C",
    "l": "L", "fp": "L", "liberalerna": "L", "folkpartiet": "L", "folkpartiet liberalerna": "L",
    "kd": "KD", "kds": "KD", "kristdemokraterna": "KD",
    "kristdemokratiska samhällspartiet": "KD",
    "s": "S", "socialdemokraterna": "S", "arbetarepartiet-socialdemokraterna": "S",
    "v": "V", "vänsterpartiet": "V", "vpk": "V", "vänsterpartiet kommunisterna": "V",
    "mp": "MP", "miljöpartiet": "MP", "miljöpartiet de gröna": "MP",
    "sd": "SD", "sverigedemokraterna": "SD",
    "övr": "other", "övriga": "other", "övriga partier": "other",
}  # fmt: skip

#: Rows of ME0104B6 that are not votes for a party (left out of the vote tables).
NON_VOTE_LABELS = frozenset({"ogiltiga valsedlar", "ej röstande"})

#: File-name patterns (relative to the sources folder).
ME0104B6_PATTERN = "scb/ME0104B6_*.csv"
RIKSDAG_DISTRICTS_PATTERN = "val/ri_tab4_*.xlsx"
MUNICIPAL_DISTRICTS_PATTERN = "val/ko_tab3_*.xlsx"

_WHAT_ME = (
    'SCB table ME0104B6 "Riksdagsval - valresultat, antal röster efter region, parti mm och '
    'valår" (CSV, Latin-1)'
)
_WHAT_VAL = "Valmyndigheten's table of votes per voting district (valdistrikt) and party"
_VOTE_COLUMNS = ["kommun_code", "election_year", "party", "votes"]


def party_dtype() -> "pd.CategoricalDtype":
    """The ordered categorical of the ``party`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> dtype = party_dtype()
    >>> list(dtype.categories), dtype.ordered
    (['M', 'C', 'L', 'KD', 'S', 'V', 'MP', 'SD', 'other'], True)
    >>> pd.Series(["SD", "M", "S"]).astype(dtype).sort_values().tolist()
    ['M', 'S', 'SD']
    """
    import pandas as pd

    return pd.CategoricalDtype(list(PARTIES), ordered=True)


def party_code(label: object) -> str | None:
    """The party (one of :data:`PARTIES`) of a file's party name or abbreviation, else None.

    Examples
    --------
    >>> [party_code(x) for x in ["FP", "Miljöpartiet", "ÖVR", "Piratpartiet"]]
    ['L', 'MP', 'other', None]
    """
    return PARTY_ALIASES.get(re.sub(r"\s+", " ", str(label)).strip().lower())


# -- readers of one file ---------------------------------------------------------------------------


def read_me0104b6(path: PathLike, encoding: str = "latin-1") -> "pd.DataFrame":
    """Read SCB's ME0104B6 CSV: Riksdag votes per municipality, party and election.

    SCB exports this table in Latin-1. A copy re-saved as UTF-8 is refused (read as Latin-1
    its names would come out as "VÃ¤sby"); pass ``encoding="utf-8"`` only if SCB itself
    published the file in UTF-8. Cells ``..`` (not available: SD before 1998, MP before 1982,
    KD in 1985) are left out, never set to 0; so are the rows "ogiltiga valsedlar" and "ej
    röstande" (not votes for a party). Checked: title, columns ``region``, ``parti mm`` and
    election years, nine party rows per municipality, 290 municipalities in the latest year.

    Parameters
    ----------
    path
        The CSV as exported from SCB's Statistikdatabasen.
    encoding
        ``"latin-1"`` (SCB's export) or ``"utf-8"``.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``kommun_name``, ``election_year``, ``party``, ``votes``.

    Examples
    --------
    >>> v = read_me0104b6(source_folder() / "scb/ME0104B6_riksdagsval_kommuner_1973_2018.csv")
    >>> v18 = v.loc[(v.kommun_code == "0114") & (v.election_year == 2018)]
    >>> v18.set_index("party").votes.loc[["S", "SD"]].tolist()
    [6966, 4659]
    """
    import pandas as pd

    path = Path(path)
    check_source_file(path, "csv", _WHAT_ME)
    text = _decode(path, path.read_bytes(), encoding)
    lines = list(csv.reader(io.StringIO(text)))
    title = next((r[0].strip() for r in lines[:10] if r and r[0].strip()), "")
    if not re.search(r"Riksdagsval\s*[-–]\s*valresultat, antal röster", title):
        msg = f"expected {_WHAT_ME}, whose first line is its title; found {title[:100]!r}"
        raise InputError(msg, file=str(path))
    is_header = [[c.strip().lower() for c in r[:2]] == ["region", "parti mm"] for r in lines[:10]]
    if not any(is_header):
        found = next((r for r in lines[1:10] if any(c.strip() for c in r)), [])
        msg = f"expected a header line 'region', 'parti mm', election years; found {found[:6]}"
        raise InputError(msg, file=str(path))
    header_i = is_header.index(True)
    header = [c.strip() for c in lines[header_i]]
    years = [int(c) for c in header[2:] if re.fullmatch(r"(19|20)\d{2}", c)]
    if not years or len(years) != len(header) - 2:
        msg = f"expected election years after 'region', 'parti mm'; found {header[2:]}"
        raise InputError(msg, file=str(path), row=header_i + 1)
    records: list[tuple[str, str, int, str, int]] = []
    parties_seen: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for i in range(header_i + 1, len(lines)):
        r = lines[i]
        if not any(c.strip() for c in r):
            continue
        if len(r) != len(header):
            msg = f"has {len(r)} fields, the header {len(header)}; the file may be cut or edited"
            raise InputError(msg, file=str(path), row=i + 1)
        m = re.fullmatch(r"(\d{2}|\d{4})\s+(.+)", r[0].strip())
        if m is None:
            msg = "region must be a code and a name ('0114 Upplands Väsby')"
            raise InputError(msg, file=str(path), row=i + 1, column="region", value=r[0])
        code, name = m.group(1), m.group(2).strip()
        if len(code) != 4:  # the national or a county total
            continue
        label = r[1].strip()
        party = party_code(label)
        if party is None:
            if label.lower() in NON_VOTE_LABELS:
                continue
            msg = "unknown party label; known: " + ", ".join(sorted(PARTY_ALIASES))
            raise InputError(msg, file=str(path), row=i + 1, column="parti mm", value=label)
        if party in parties_seen.setdefault(code, set()):
            msg = f"a second row for {party} in {code} {name}"
            raise InputError(msg, file=str(path), row=i + 1, value=label)
        parties_seen[code].add(party)
        names[code] = name
        for y, cell in zip(years, r[2:]):
            cell = cell.strip()
            if cell == "..":
                continue
            if not (cell.isascii() and cell.isdigit()):
                msg = "votes must be a whole number or '..'"
                raise InputError(msg, file=str(path), row=i + 1, column=str(y), value=cell)
            records.append((code, name, y, party, int(cell)))
    incomplete = sorted(c for c, s in parties_seen.items() if len(s) != len(PARTIES))
    if incomplete:
        msg = f"expected a row for each of the {len(PARTIES)} parties (M … övriga) per kommun"
        msg += f"; incomplete: {incomplete[:10]}; the file may be cut"
        raise InputError(msg, file=str(path))
    cols = ["kommun_code", "kommun_name", "election_year", "party", "votes"]
    out = pd.DataFrame(records, columns=cols)
    out = out.astype({"election_year": "int64", "votes": "int64"})
    out["party"] = pd.Categorical(out["party"], dtype=party_dtype())
    last = out.loc[out["election_year"] == max(years), "kommun_code"].unique().tolist()
    check_municipality_codes(last, path, f"municipalities with votes in {max(years)}")
    return out.sort_values(["election_year", "kommun_code", "party"], ignore_index=True)


def read_valmyndigheten_districts(
    path: PathLike, election_year: int | None = None, election: str | None = None
) -> "pd.DataFrame":
    """Read a Valmyndigheten table of votes per voting district and sum it per municipality.

    The municipality is the first four digits of the eight-digit ``Valdistriktskod`` (checked
    against ``Kommunkod`` where the file has it). Party columns follow ``Antal giltiga
    valsedlar``; in every district they must add up to it. An empty party cell counts as 0
    votes (in the 2022 kommunval MP is empty in every district of Aneby, 0604).

    Parameters
    ----------
    path
        ``ri_tab4_YYYY.xlsx`` (Riksdag) or ``ko_tab3_YYYY.xlsx`` (kommunval).
    election_year
        Default: the year in the file name.
    election
        ``"riksdag"`` or ``"kommun"`` to check which election the table is of (municipal
        tables have ``Kommunkod`` and foreign voters, ``varav utländska medborgare``).

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``election_year``, ``party``, ``votes``; 290 municipalities × 9 parties.

    Examples
    --------
    >>> v = read_valmyndigheten_districts(source_folder() / "val/ri_tab4_2022.xlsx")
    >>> int(v.votes.sum()), v.kommun_code.nunique()
    (6477970, 290)
    """
    import pandas as pd

    path = Path(path)
    rows = read_xlsx_rows(path, _WHAT_VAL)[1]
    header_i = next((i for i, r in enumerate(rows[:20]) if "Valdistriktskod" in map(_text, r)), -1)
    header = [] if header_i < 0 else [_text(v) for v in rows[header_i]]
    if "Antal giltiga valsedlar" not in header:
        first = header or next(([_text(v) for v in r] for r in rows[:20] if any(r)), [])
        msg = f"expected {_WHAT_VAL}, with the columns 'Valdistriktskod' and 'Antal giltiga "
        raise InputError(msg + f"valsedlar'; found {first[:6]}", file=str(path))
    is_municipal = "varav utländska medborgare" in header or "Kommunkod" in header
    if election is not None:
        if election not in ("riksdag", "kommun"):
            raise ValueError(f"election must be 'riksdag' or 'kommun', not {election!r}")
        if is_municipal != (election == "kommun"):
            kind = "a municipal (kommunval) table" if is_municipal else "a Riksdag table"
            raise InputError(f"expected the {election} election; this is {kind}", file=str(path))
    if election_year is None:
        found = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path.name)
        if not found:
            msg = "the election year is not in the file name; pass election_year"
            raise InputError(msg, file=str(path))
        election_year = int(found[-1])
    district_j = header.index("Valdistriktskod")
    valid_j = header.index("Antal giltiga valsedlar")
    kommun_j = header.index("Kommunkod") if "Kommunkod" in header else None
    party_cols: list[tuple[int, str]] = []
    for j in range(valid_j + 1, len(header)):
        if not header[j]:
            continue
        p = party_code(header[j])
        if p is None:
            msg = "unknown party column; known: " + ", ".join(sorted(PARTY_ALIASES))
            raise InputError(msg, file=str(path), row=header_i + 1, column=header[j])
        party_cols.append((j, p))
    if sorted({p for _, p in party_cols}) != sorted(PARTIES) or len(party_cols) != len(PARTIES):
        msg = f"expected one column for each of {list(PARTIES)} after 'Antal giltiga valsedlar'"
        raise InputError(f"{msg}; found {[header[j] for j, _ in party_cols]}", file=str(path))
    sums: dict[str, list[int]] = {}
    for i in range(header_i + 1, len(rows)):
        r = rows[i]
        if not any(_text(v) for v in r):
            continue
        raw = r[district_j] if district_j < len(r) else None
        code = _district_code(raw)
        if code is None:
            msg = "Valdistriktskod must be eight digits"
            raise InputError(msg, file=str(path), row=i + 1, column="Valdistriktskod", value=raw)
        if kommun_j is not None and region_code(r[kommun_j]) != ("kommun", code[:4]):
            msg = f"Kommunkod is not the first four digits of Valdistriktskod {code}"
            raise InputError(msg, file=str(path), row=i + 1, column="Kommunkod", value=r[kommun_j])
        counts = []
        for j, _ in party_cols:
            v = _count(r[j] if j < len(r) else None)
            if v is None:
                msg = "votes must be a whole non-negative number"
                raise InputError(msg, file=str(path), row=i + 1, column=header[j], value=r[j])
            counts.append(v)
        valid = _count(r[valid_j])
        if valid is None or sum(counts) != valid:
            msg = f"the party votes add up to {sum(counts)}, not to 'Antal giltiga valsedlar'"
            where = {"row": i + 1, "column": "Antal giltiga valsedlar", "value": r[valid_j]}
            raise InputError(msg, file=str(path), **where)
        acc = sums.setdefault(code[:4], [0] * len(party_cols))
        for k, v in enumerate(counts):
            acc[k] += v
    check_municipality_codes(sums, path, "municipalities (first 4 digits of Valdistriktskod)")
    parties = [p for _, p in party_cols]
    records = [(c, election_year, p, n) for c, acc in sums.items() for p, n in zip(parties, acc)]
    out = pd.DataFrame(records, columns=_VOTE_COLUMNS)
    out = out.astype({"election_year": "int64", "votes": "int64"})
    out["party"] = pd.Categorical(out["party"], dtype=party_dtype())
    return out.sort_values(["kommun_code", "party"], ignore_index=True)


# -- loaders ---------------------------------------------------------------------------------------


def load_riksdag_votes(folder: PathLike | None = None) -> "pd.DataFrame":
    """Riksdag votes per municipality and party, from SCB (1973–2018) and Valmyndigheten (2022).

    Every ``scb/ME0104B6_*.csv`` and ``val/ri_tab4_*.xlsx`` in the folder is read; an election
    year in both is taken from SCB's table. Elections from 2002 on have all 290 municipalities;
    earlier ones follow the division of their time and lack the parties SCB shows as ``..``.

    Parameters
    ----------
    folder
        The sources folder; default ``data/raw/reference/sources``.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``election_year``, ``party``, ``votes``, ``source``.

    Examples
    --------
    >>> v = load_riksdag_votes()
    >>> v.loc[v.election_year >= 2010].groupby("election_year").kommun_code.nunique().to_dict()
    {2010: 290, 2014: 290, 2018: 290, 2022: 290}
    """
    import pandas as pd

    folder = source_folder(folder)
    parts, years = [], {}
    for p in find_source_files(folder, ME0104B6_PATTERN, _WHAT_ME):
        t = read_me0104b6(p)
        for y in sorted(set(t["election_year"])):
            if y in years:
                raise InputError(f"has the {y} election, as does {years[y]}; keep one", file=str(p))
            years[y] = p.name
        parts.append(t[_VOTE_COLUMNS].assign(source=p.name))
    for p in sorted(folder.glob(RIKSDAG_DISTRICTS_PATTERN)):
        t = read_valmyndigheten_districts(p, election="riksdag")
        y = int(t["election_year"].iloc[0])
        if y in years:
            continue
        years[y] = p.name
        parts.append(t[_VOTE_COLUMNS].assign(source=p.name))
    held = sorted(y for y in years if y >= 1994)  # every four years since 1994
    gaps = [(a, b) for a, b in zip(held, held[1:]) if b - a != 4]
    if gaps:
        msg = f"Riksdag elections missing between {gaps}; the files hold {sorted(years)}"
        raise InputError(msg, file=str(folder))
    out = pd.concat(parts, ignore_index=True)
    out["party"] = pd.Categorical(out["party"], dtype=party_dtype())
    return out.sort_values(["election_year", "kommun_code", "party"], ignore_index=True)


def load_municipal_votes_2022(folder: PathLike | None = None) -> "pd.DataFrame":
    """Municipal council election (kommunval) 2022: votes per municipality and party.

    From Valmyndigheten's ``val/ko_tab3_2022.xlsx``, summed over voting districts; ``other``
    includes the local parties.

    Parameters
    ----------
    folder
        The sources folder; default ``data/raw/reference/sources``.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``election_year`` (2022), ``party``, ``votes``, ``source``.

    Examples
    --------
    >>> k = load_municipal_votes_2022()
    >>> int(k.loc[(k.kommun_code == "0604") & (k.party == "MP"), "votes"].iloc[0])
    0
    """
    path = source_folder(folder) / MUNICIPAL_DISTRICTS_PATTERN.replace("*", "2022")
    t = read_valmyndigheten_districts(path, election_year=2022, election="kommun")
    return t[_VOTE_COLUMNS].assign(source=path.name)


# -- shares ----------------------------------------------------------------------------------------


def vote_shares(votes: "pd.DataFrame") -> "pd.DataFrame":
    """Add ``share``: each party's votes over the municipality's valid votes in that election.

    Parameters
    ----------
    votes
        With ``kommun_code``, ``election_year``, ``party``, ``votes``.

    Returns
    -------
    pandas.DataFrame
        ``votes`` with a float64 column ``share``; shares add up to 1 per municipality and
        election (over the parties present).

    Examples
    --------
    >>> s = vote_shares(load_riksdag_votes())
    >>> round(float(s.loc[(s.kommun_code == "0180") & (s.election_year == 2022)].share.sum()), 12)
    1.0
    """
    require_columns(votes, _VOTE_COLUMNS, "votes")
    out = votes.copy()
    total = out.groupby(["kommun_code", "election_year"], observed=True)["votes"].transform("sum")
    if (total <= 0).any():
        bad = out.loc[total <= 0, ["kommun_code", "election_year"]].drop_duplicates()
        bad = bad.values.tolist()
        raise InputError(f"no valid votes for (kommun_code, election_year) {bad[:5]}")
    out["share"] = out["votes"] / total
    return out


def bloc_shares(votes: "pd.DataFrame") -> "pd.DataFrame":
    """Vote shares of the blocs :data:`BLOCS` per municipality and election.

    A bloc's share is the sum over its parties present in the data; it is missing (NaN) only
    if none of them is (``sd_share`` before 1998, when SCB shows SD as ``..``).

    Parameters
    ----------
    votes
        With ``kommun_code``, ``election_year``, ``party``, ``votes``.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``election_year``, ``left_share`` (S+V+MP), ``right_share``
        (M+C+L+KD), ``sd_share``, ``other_share``.

    Examples
    --------
    >>> b = bloc_shares(load_riksdag_votes())
    >>> r = b.loc[(b.kommun_code == "0180") & (b.election_year == 2022)].iloc[0]
    >>> round(float(r.left_share + r.right_share + r.sd_share + r.other_share), 12)
    1.0
    """
    import pandas as pd

    s = vote_shares(votes)
    s = s.assign(party=s["party"].astype(str))
    keys = ["kommun_code", "election_year"]
    wide = s.pivot_table(index=keys, columns="party", values="share", aggfunc="sum")
    out = pd.DataFrame(index=wide.index)
    for bloc, members in BLOCS.items():
        cols = [p for p in members if p in wide.columns]
        out[bloc] = wide[cols].sum(axis=1, min_count=1) if cols else float("nan")
    out = out.reset_index()
    out["kommun_code"] = out["kommun_code"].astype(str)
    out["election_year"] = out["election_year"].astype("int64")
    return out.sort_values(["kommun_code", "election_year"], ignore_index=True)


def latest_election_before(year: int, election_years: Iterable[int]) -> int:
    """The latest of ``election_years`` strictly before the calendar year ``year``.

    Examples
    --------
    >>> [latest_election_before(t, [2010, 2014, 2018, 2022]) for t in (2018, 2019, 2023)]
    [2014, 2018, 2022]
    """
    election_years = list(election_years)
    earlier = [int(e) for e in election_years if int(e) < int(year)]
    if not earlier:
        first = min((int(e) for e in election_years), default=None)
        raise InputError(f"no election before {year} in the data (earliest: {first})")
    return max(earlier)


def election_covariates(votes: "pd.DataFrame", years: Iterable[int]) -> "pd.DataFrame":
    """Bloc shares of the latest Riksdag election held strictly before each calendar year.

    Parameters
    ----------
    votes
        With ``kommun_code``, ``election_year``, ``party``, ``votes`` (:func:`load_riksdag_votes`).
    years
        Calendar years t; each gets the election of :func:`latest_election_before`.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``year``, ``election_year``, ``left_share``, ``right_share``,
        ``sd_share``, ``other_share``; one row per municipality (of that election) and year.

    Examples
    --------
    >>> c = election_covariates(load_riksdag_votes(), range(2015, 2024))
    >>> c.loc[c.kommun_code == "0180"].set_index("year").election_year.loc[[2018, 2023]].tolist()
    [2014, 2022]
    """
    import pandas as pd

    b = bloc_shares(votes)
    elections = sorted(set(b["election_year"]))
    parts = []
    for t in sorted({int(y) for y in years}):
        e = latest_election_before(t, elections)
        parts.append(b.loc[b["election_year"] == e].assign(year=t))
    if not parts:
        raise InputError("no calendar years given")
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    cols = ["kommun_code", "year", "election_year", *BLOCS]
    return out[cols].sort_values(["kommun_code", "year"], ignore_index=True)


# -- private helpers -------------------------------------------------------------------------------


def _decode(path: Path, data: bytes, encoding: str) -> str:
    """Decode SCB's Latin-1 CSV, refusing a UTF-8 re-encoded copy."""
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf-8", "utf8"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            msg = f"is not valid UTF-8 ({exc.reason} at byte {exc.start}); SCB exports this table "
            raise InputError(msg + "in Latin-1: use encoding='latin-1'", file=str(path)) from None
    if enc not in ("latin-1", "latin1", "iso-8859-1", "iso8859-1"):
        raise ValueError(f"encoding must be 'latin-1' or 'utf-8', not {encoding!r}")
    text = data.decode("latin-1")
    looks_utf8 = data.startswith(b"\xef\xbb\xbf")
    if not looks_utf8 and any(b > 0x7F for b in data[:200_000]):
        try:
            data.decode("utf-8")
            looks_utf8 = True
        except UnicodeDecodeError:
            pass
    if looks_utf8:
        m = re.search(r"\S*Ã[\x80-\xbf]\S*", text)
        sample = m.group(0).strip('",') if m else text[:40]
        try:
            meant = f" for {sample.encode('latin-1').decode('utf-8')!r}"
        except UnicodeError:
            meant = ""
        raise InputError(
            "is UTF-8, not SCB's Latin-1 (ISO-8859-1) export: read as Latin-1 its text comes out "
            f"garbled, e.g. {sample!r}{meant}. Use the file as downloaded from SCB (this copy was "
            "probably re-saved by an editor or a script)",
            file=str(path),
        )
    return text


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _district_code(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = _text(value)
    if not (s.isascii() and s.isdigit()) or len(s) > 8 or len(s) < 7:
        return None
    return s.zfill(8)


def _count(value: object) -> int | None:
    """A vote count: an empty cell is 0; anything but a whole non-negative number is None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    s = "" if value is None else str(value).strip() if isinstance(value, str) else "x"
    return 0 if not s else int(s) if s.isascii() and s.isdigit() else None
