"""Readers for SCB's (Statistics Sweden's) municipal tables, as published.

The files live in ``data/raw/reference/sources/scb/`` (provenance and checksums in
``data/raw/reference/sources/SOURCES.md``). Each reader takes one unmodified file in SCB's own
layout, checks that it is the expected table and returns a tidy long DataFrame; any other file
raises :class:`~iopstudy.errors.InputError` naming the file, what was expected and what was found.

Each function's docstring lists its columns. Codes are 4-character strings ("0114"), years
and populations int64, areas float64 (km²). ``population`` is at 31 December of ``year``;
``land_area_km2`` is SCB's land area at 1 January of ``year``; ``source`` is the name of the file
a row was read from.

The public helpers at the end (:func:`source_folder`, :func:`read_xlsx_rows`, ...) are shared
with :mod:`iopstudy.reference.elections` and :mod:`iopstudy.reference.governance`.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import InputError, require_columns
from iopstudy.paths import packaged_data

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "N_MUNICIPALITIES", "POPULATION_HISTORY_PATTERN", "BE0101_PATTERN", "CODE_LIST_PATTERN",
    "LAND_AREA_PATTERN", "read_population_1950_2022", "read_be0101", "read_municipality_codes",
    "read_land_area", "load_population", "load_land_area", "population_density", "source_folder",
    "find_source_files", "check_source_file", "read_xlsx_rows", "region_code",
    "check_municipality_codes", "attach_codes_by_name",
]

PathLike = str | os.PathLike[str]

#: Sweden has had 290 municipalities since Knivsta was formed in 2003.
N_MUNICIPALITIES = 290

#: File-name patterns (relative to the sources folder) of SCB's tables. A newer edition dropped
#: into the folder under the same pattern is read too (BE0101: every year; others: the newest).
POPULATION_HISTORY_PATTERN = "scb/folkmangd_kommuner_1950_*.xlsx"
BE0101_PATTERN = "scb/be0101_tabhel*.xlsx"
CODE_LIST_PATTERN = "scb/kommunlankod_*.xls*"
LAND_AREA_PATTERN = "scb/landareal_kommuner_*.xlsx"

_WHAT_HISTORY = 'SCB\'s table "Folkmängden i Sveriges kommuner 1950–…" (sheet "Tabell")'
_WHAT_BE0101 = (
    'SCB BE0101 table "Folkmängd i riket, län och kommuner 31 december och '
    'befolkningsförändringar …" (sheet "Totalt")'
)
_WHAT_CODES = 'SCB\'s code list "Län och kommuner i kodnummerordning" (kommunlankod)'
_WHAT_AREA = 'SCB table 000001O3 "Kvadratkilometer efter region, arealtyp och år"'
_YEAR = r"(?<!\d)((?:19|20)\d{2})(?!\d)"


def read_population_1950_2022(path: PathLike, codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read SCB's "Folkmängden i Sveriges kommuner 1950–2022" (names only, no codes).

    Population at 31 December of each year for the 290 municipalities by the division of
    1 January 2023 (earlier years recomputed by SCB for today's municipalities, e.g. Knivsta
    before 2003). Pass ``codes`` (:func:`read_municipality_codes`) to add ``kommun_code``:
    every name must then be in the code list.

    Parameters
    ----------
    path
        The ``.xlsx`` as published by SCB.
    codes
        Optional code list with ``kommun_code`` and ``kommun_name``.

    Returns
    -------
    pandas.DataFrame
        ``kommun_name`` (str), ``year`` (int64), ``population`` (int64), with ``kommun_code``
        first if ``codes`` was given; one row per municipality and year.

    Examples
    --------
    >>> pop = read_population_1950_2022(source_folder() / "scb/folkmangd_kommuner_1950_2022.xlsx")
    >>> int(pop.loc[pop.year == 2022, "population"].sum())
    10521556
    """
    import pandas as pd

    path = Path(path)
    rows = read_xlsx_rows(path, _WHAT_HISTORY)[1]
    title_i, title = _find_title(rows, r"Folkmängden i Sveriges kommuner\s+\d{4}\s*[-–]\s*\d{4}")
    if title_i is None:
        raise InputError(f"expected {_WHAT_HISTORY}; found the title {title!r}", file=str(path))
    header_i = _find_row(rows, lambda r: _text(r[0]) == "Kommun", start=title_i)
    if header_i is None:
        msg = "expected a header row 'Kommun', 1950, 1951, …; none found"
        raise InputError(msg, file=str(path))
    years: list[int] = []
    for v in rows[header_i][1:]:
        y = _as_int(v)
        if y is None or (years and y != years[-1] + 1):
            break
        years.append(y)
    first, last = (int(y) for y in re.findall(_YEAR, title)[:2])
    if not years or (years[0], years[-1]) != (first, last):
        found = f"{years[0]}–{years[-1]}" if years else "none"
        msg = f"the title says {first}–{last} but the header row has the years {found}"
        raise InputError(msg, file=str(path), row=header_i + 1)
    names: list[str] = []
    values: list[int] = []
    for i in range(header_i + 1, len(rows)):
        r = rows[i]
        if not (r and _text(r[0])):
            break
        names.append(_text(r[0]))
        for j, y in enumerate(years, start=1):
            v = r[j] if j < len(r) else None
            n = _as_int(v)
            if n is None or n < 0:
                msg = f"population of {names[-1]!r} is not a whole non-negative number"
                raise InputError(msg, file=str(path), row=i + 1, column=str(y), value=v)
            values.append(n)
    _check_names(names, path)
    out = pd.DataFrame(
        {
            "kommun_name": [n for n in names for _ in years],
            "year": years * len(names),
            "population": values,
        }
    ).astype({"year": "int64", "population": "int64"})
    return out if codes is None else attach_codes_by_name(out, codes, path)


def read_be0101(path: PathLike) -> pd.DataFrame:
    """Read one year's SCB BE0101 table "Folkmängd i riket, län och kommuner 31 december …".

    Reads the sheet ``Totalt`` (the 2024 file also has ``Män`` and ``Kvinnor``); the year is
    taken from the title. The municipal rows must add up to each county row and to ``Riket``.

    Parameters
    ----------
    path
        ``be0101_tabhelYYYY.xlsx`` as published by SCB.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code`` (str), ``kommun_name`` (str), ``year`` (int64), ``population``
        (int64, 31 December of ``year``); 290 rows.

    Examples
    --------
    >>> t = read_be0101(source_folder() / "scb/be0101_tabhel2023.xlsx")
    >>> t.loc[t.kommun_code == "0180", ["kommun_name", "year", "population"]].values.tolist()
    [['Stockholm', 2023, 988943]]
    """
    import pandas as pd

    path = Path(path)
    rows = read_xlsx_rows(path, _WHAT_BE0101, sheet="Totalt")[1]
    title_i, title = _find_title(rows, r"Folkmängd i riket, län och kommuner 31 december")
    if title_i is None:
        raise InputError(f"expected {_WHAT_BE0101}; found the title {title!r}", file=str(path))
    if not re.search(r"Totalt\s*\.?\s*$", title) or not re.findall(_YEAR, title):
        msg = f"expected the whole population (title ending 'YYYY. Totalt'); found {title!r}"
        raise InputError(msg, file=str(path))
    year = int(re.findall(_YEAR, title)[-1])
    header_i = _find_row(rows, lambda r: _text(r[0]) == "Kommun", start=title_i)
    pop_j = None
    if header_i is not None:
        pop_j = next((j for j, v in enumerate(rows[header_i]) if _text(v) == "Folkmängd"), None)
    if pop_j is None:
        msg = "expected a header row with 'Kommun', 'Kommunnamn' and 'Folkmängd'; none found"
        raise InputError(msg, file=str(path))
    riket = None
    counties: dict[str, int] = {}
    kommun: list[tuple[str, str, int]] = []
    for i in range(header_i + 1, len(rows)):
        r = rows[i]
        if len(r) <= pop_j:
            continue
        name = _text(r[1])
        level, code = region_code(r[0])
        if level is None and name != "Riket":
            continue
        pop = _as_int(r[pop_j])
        if pop is None or pop < 0:
            msg = f"population of {name!r} is not a whole non-negative number"
            raise InputError(msg, file=str(path), row=i + 1, column="Folkmängd", value=r[pop_j])
        if level is None:
            riket = pop
        elif level == "county":
            counties[code] = pop
        else:
            kommun.append((code, name, pop))
    check_municipality_codes([k[0] for k in kommun], path, "municipality rows")
    total = sum(k[2] for k in kommun)
    if total != riket:
        msg = f"the municipal populations add up to {total}, but the 'Riket' row says {riket}"
        raise InputError(msg + "; the file may be cut or edited", file=str(path))
    by_county: dict[str, int] = {}
    for code, _, pop in kommun:
        by_county[code[:2]] = by_county.get(code[:2], 0) + pop
    if by_county != counties:
        bad = sorted(c for c in {*by_county, *counties} if by_county.get(c) != counties.get(c))
        msg = f"the municipal populations do not add up to the county rows for county code(s) {bad}"
        raise InputError(msg, file=str(path))
    out = pd.DataFrame(kommun, columns=["kommun_code", "kommun_name", "population"])
    out.insert(2, "year", year)
    out = out.astype({"year": "int64", "population": "int64"})
    return out.sort_values("kommun_code", ignore_index=True)


def read_municipality_codes(path: PathLike) -> pd.DataFrame:
    """Read SCB's code list "Län och kommuner" (``kommunlankod_YYYY.xls``).

    The old ``.xls`` format is read with :mod:`xlrd` (≥ 2.0.1); an ``.xlsx`` edition of the
    same list is read with :func:`iopstudy.xlsx.read_rows`.

    Parameters
    ----------
    path
        The code list as published by SCB.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code`` (str, 4 digits), ``kommun_name``, ``county_code`` (str, 2 digits),
        ``county_name``; one row per municipality (290).

    Examples
    --------
    >>> codes = read_municipality_codes(source_folder() / "scb/kommunlankod_2023.xls")
    >>> codes.iloc[0].tolist()
    ['0114', 'Upplands Väsby', '01', 'Stockholms län']
    """
    import pandas as pd

    path = Path(path)
    kind = check_source_file(path, ("xls", "xlsx"), _WHAT_CODES)
    rows = _read_xls_rows(path) if kind == "xls" else read_xlsx_rows(path, _WHAT_CODES)[1]
    title_i, title = _find_title(rows, r"Län och kommuner")
    if title_i is None:
        msg = f"expected {_WHAT_CODES}, titled 'Län och kommuner YYYY'; found {title!r}"
        raise InputError(msg, file=str(path))
    header_i = _find_row(rows, lambda r: [_text(v) for v in r[:2]] == ["Kod", "Namn"])
    if header_i is None:
        raise InputError("expected a header row 'Kod', 'Namn'; none found", file=str(path))
    counties: dict[str, str] = {}
    kommun: list[tuple[str, str]] = []
    for r in rows[header_i + 1 :]:
        level, code = region_code(r[0]) if len(r) >= 2 else (None, None)
        if level == "county":
            counties[code] = _text(r[1])
        elif level == "kommun":
            kommun.append((code, _text(r[1])))
    check_municipality_codes([k[0] for k in kommun], path, "municipality codes")
    _check_names([k[1] for k in kommun], path)
    orphans = sorted({c[:2] for c, _ in kommun} - set(counties))
    if len(counties) != 21 or orphans:
        msg = f"expected 21 counties; found {len(counties)} (codes without a county: {orphans})"
        raise InputError(msg, file=str(path))
    out = pd.DataFrame(kommun, columns=["kommun_code", "kommun_name"])
    out["county_code"] = out["kommun_code"].str[:2]
    out["county_name"] = out["county_code"].map(counties)
    return out.sort_values("kommun_code", ignore_index=True)


def read_land_area(path: PathLike) -> pd.DataFrame:
    """Read SCB table 000001O3, land area (km²) per municipality and year.

    Regions come as ``"0114 Upplands Väsby"`` in one cell; rows of arealtyp ``landareal`` with
    four-digit (municipal) codes are kept. SCB's ``..`` (not available) becomes a missing value.

    Parameters
    ----------
    path
        The ``.xlsx`` exported from SCB's Statistikdatabasen.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code`` (str), ``kommun_name`` (str), ``year`` (int64, land area at
        1 January), ``land_area_km2`` (float64); 290 rows per year.

    Examples
    --------
    >>> a = read_land_area(source_folder() / "scb/landareal_kommuner_2015_2023.xlsx")
    >>> a.loc[(a.kommun_code == "0114") & (a.year == 2015), "land_area_km2"].tolist()
    [75.01]
    """
    import pandas as pd

    path = Path(path)
    rows = read_xlsx_rows(path, _WHAT_AREA)[1]
    title_i, title = _find_title(rows, r"Kvadratkilometer efter region, arealtyp och år")
    if title_i is None:
        raise InputError(f"expected {_WHAT_AREA}; found the title {title!r}", file=str(path))

    def is_years(r: tuple) -> bool:
        ys = [_as_int(v) for v in r[2:] if _text(v)]
        return bool(ys) and all(y is not None and 1900 < y < 2100 for y in ys)

    header_i = _find_row(rows, is_years, start=title_i)
    if header_i is None:
        msg = "expected a header row of years (2015, 2016, …); none found"
        raise InputError(msg, file=str(path))
    years = [_as_int(v) for v in rows[header_i]]
    records: list[tuple[str, str, int, float]] = []
    types: set[str] = set()
    region = None
    for i in range(header_i + 1, len(rows)):
        r = rows[i]
        first, kind = _text(r[0]), _text(r[1]) if len(r) > 1 else ""
        if first:  # a region's later arealtyp rows leave the region cell empty
            region = re.fullmatch(r"(\d{2}|\d{4})\s+(.+)", first) if kind else None
        if not kind:
            continue
        types.add(kind)
        if region is None or kind != "landareal" or len(region.group(1)) != 4:
            continue
        for j in range(2, len(years)):
            v = r[j] if j < len(r) else None
            if years[j] is None:
                continue
            if _text(v) == "..":
                area = float("nan")
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0:
                area = float(v)
            else:
                msg = "land area is not a non-negative number or '..'"
                raise InputError(msg, file=str(path), row=i + 1, column=str(years[j]), value=v)
            records.append((region.group(1), region.group(2).strip(), years[j], area))
    if "landareal" not in types:
        msg = f"expected rows of arealtyp 'landareal'; found arealtyp {sorted(types)}"
        raise InputError(msg, file=str(path))
    out = pd.DataFrame(records, columns=["kommun_code", "kommun_name", "year", "land_area_km2"])
    out = out.astype({"year": "int64", "land_area_km2": "float64"})
    for y, g in out.groupby("year"):
        check_municipality_codes(g["kommun_code"], path, f"municipalities in {y}")
    return out.sort_values(["kommun_code", "year"], ignore_index=True)


def load_population(folder: PathLike | None = None) -> pd.DataFrame:
    """Population of every municipality at 31 December, from 1950 to the latest BE0101 year.

    Combines the 1950–2022 table (names mapped to codes through SCB's code list; a name that
    does not map is an error) with every ``be0101_tabhel*.xlsx`` in the folder (one year each;
    a year in both is taken from BE0101). Every year must have the code list's 290 municipalities.

    Parameters
    ----------
    folder
        The sources folder; default ``data/raw/reference/sources``.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code`` (str), ``year`` (int64), ``population`` (int64), ``source`` (str,
        the file name); sorted by code and year.

    Examples
    --------
    >>> pop = load_population()
    >>> int(pop.loc[pop.year == 2024, "population"].sum())
    10587710
    >>> pop.groupby("year").size().loc[[2010, 2024]].tolist()
    [290, 290]
    """
    import pandas as pd

    folder = source_folder(folder)
    codes = read_municipality_codes(find_source_files(folder, CODE_LIST_PATTERN, _WHAT_CODES)[-1])
    hist_path = find_source_files(folder, POPULATION_HISTORY_PATTERN, _WHAT_HISTORY)[-1]
    hist = read_population_1950_2022(hist_path, codes=codes).assign(source=hist_path.name)
    parts, seen, paths = [], {}, {hist_path.name: hist_path}
    for p in find_source_files(folder, BE0101_PATTERN, _WHAT_BE0101):
        t = read_be0101(p)
        year = int(t["year"].iloc[0])
        if year in seen:
            raise InputError(f"has the BE0101 table of {year}, as has {seen[year]}", file=str(p))
        seen[year], paths[p.name] = p.name, p
        parts.append(t.assign(source=p.name))
    cols = ["kommun_code", "year", "population", "source"]
    hist = hist.loc[~hist["year"].isin(list(seen)), cols]
    out = pd.concat([hist, *(t[cols] for t in parts)], ignore_index=True)
    want = set(codes["kommun_code"])
    for y, g in out.groupby("year"):
        got = set(g["kommun_code"])
        if got != want:
            msg = (
                f"the municipalities of {y} differ from SCB's code list: missing "
                f"{sorted(want - got)[:10]}, not in the list {sorted(got - want)[:10]}"
            )
            raise InputError(msg, file=str(paths[g["source"].iloc[0]]))
    return out.sort_values(["kommun_code", "year"], ignore_index=True)


def load_land_area(folder: PathLike | None = None) -> pd.DataFrame:
    """Land area (km², at 1 January) of every municipality, from SCB table 000001O3.

    Parameters
    ----------
    folder
        The sources folder; default ``data/raw/reference/sources``.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code`` (str), ``year`` (int64), ``land_area_km2`` (float64), ``source``
        (str); 290 rows per year.

    Examples
    --------
    >>> a = load_land_area()
    >>> int(a.year.min()), int(a.year.max()), int(a.groupby("year").size().min())
    (2015, 2023, 290)
    """
    path = find_source_files(source_folder(folder), LAND_AREA_PATTERN, _WHAT_AREA)[-1]
    return read_land_area(path)[["kommun_code", "year", "land_area_km2"]].assign(source=path.name)


def population_density(population: pd.DataFrame, land_area: pd.DataFrame) -> pd.DataFrame:
    """Inhabitants per km² of land for each municipality and year.

    Each population year is matched with the land area of the same year; for a year outside
    the land-area table (or missing from it) the nearest year is used and named in
    ``land_area_year``.

    Parameters
    ----------
    population
        With ``kommun_code``, ``year``, ``population`` (:func:`load_population`).
    land_area
        With ``kommun_code``, ``year``, ``land_area_km2`` (:func:`load_land_area`).

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``year``, ``population``, ``land_area_km2``, ``land_area_year``
        (int64), ``density_per_km2`` (float64).

    Examples
    --------
    >>> d = population_density(load_population(), load_land_area())
    >>> d.loc[d.kommun_code == "0180"].set_index("year").land_area_year[[2010, 2020, 2024]].tolist()
    [2015, 2020, 2023]
    """
    import pandas as pd

    require_columns(population, ["kommun_code", "year", "population"], "population")
    require_columns(land_area, ["kommun_code", "year", "land_area_km2"], "land_area")
    pop = population[["kommun_code", "year", "population"]].copy()
    la = land_area.loc[land_area["land_area_km2"].notna(), ["kommun_code", "year", "land_area_km2"]]
    la = la.rename(columns={"year": "land_area_year"})
    for df, y in ((pop, "year"), (la, "land_area_year")):
        df["kommun_code"] = df["kommun_code"].astype(str)
        df[y] = df[y].astype("int64")
    missing = sorted(set(pop["kommun_code"]) - set(la["kommun_code"]))
    if missing:
        raise InputError(f"no land area for municipality code(s) {missing[:10]}")
    out = pd.merge_asof(
        pop.sort_values("year"),
        la.sort_values("land_area_year"),
        left_on="year",
        right_on="land_area_year",
        by="kommun_code",
        direction="nearest",
    )
    out["density_per_km2"] = out["population"] / out["land_area_km2"]
    cols = [*pop.columns, "land_area_km2", "land_area_year", "density_per_km2"]
    return out[cols].sort_values(["kommun_code", "year"], ignore_index=True)


# -- shared helpers (public: used by elections.py and governance.py) --------------------------


def source_folder(folder: PathLike | None = None) -> Path:
    """The folder of the official source files: ``folder``, or by default the copy of
    ``data/raw/reference/sources`` shipped with iopstudy (never the current directory).

    Examples
    --------
    >>> folder = source_folder()
    >>> folder.name, sorted(p.name for p in folder.iterdir() if p.is_dir())
    ('sources', ['scb', 'skr', 'val'])
    """
    if folder is None:
        return packaged_data("raw/reference") / "sources"
    if not Path(folder).is_dir():
        raise InputError(
            "folder of official source files not found; pass the folder of your own copies, or "
            f"none to use those shipped with iopstudy ({packaged_data('raw/reference') / 'sources'})",
            file=str(folder),
        )
    return Path(folder)


def find_source_files(folder: PathLike, pattern: str, what: str) -> list[Path]:
    """Files in ``folder`` matching ``pattern``, sorted by name (newest last); never empty.

    Examples
    --------
    >>> [p.name for p in find_source_files(source_folder(), BE0101_PATTERN, "SCB's BE0101 tables")]
    ['be0101_tabhel2023.xlsx', 'be0101_tabhel2024.xlsx']
    """
    found = sorted(p for p in Path(folder).glob(pattern) if p.is_file())
    if not found:
        raise InputError(f"no file matching {pattern!r} found; expected {what}", file=str(folder))
    return found


_MAGIC = {"xlsx": b"PK\x03\x04", "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}


def check_source_file(path: PathLike, kinds: str | Sequence[str], what: str) -> str:
    """Check that ``path`` exists and looks like one of ``kinds`` ("xlsx", "xls", "csv").

    Returns the kind found; otherwise raises :class:`InputError` naming the file, the expected
    table and what the file looks like instead.

    Examples
    --------
    >>> check_source_file(source_folder() / "scb/kommunlankod_2023.xls", ("xlsx", "xls"), "the code list")
    'xls'
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "table.xlsx"
    ...     _ = p.write_text("kommun,population\\n", encoding="utf-8")
    ...     try:
    ...         check_source_file(p, "xlsx", "an SCB table")
    ...     except InputError as err:
    ...         print(err.message)
    expected an SCB table as a .xlsx file; found text starting 'kommun,population\\n'
    """
    path = Path(path)
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    if not path.is_file():
        problem = "is not a file" if path.exists() else "file not found"
        raise InputError(f"{problem}; expected {what}", file=str(path))
    with path.open("rb") as fh:
        head = fh.read(512)
    binary = head.startswith(tuple(_MAGIC.values())) or b"\0" in head
    for kind in kinds:
        if (kind == "csv" and head and not binary) or head.startswith(_MAGIC.get(kind, b"-")):
            return kind
    if not head:
        found = "an empty file"
    elif head.startswith(_MAGIC["xlsx"]):
        found = "a zip archive (.xlsx workbook)"
    elif head.startswith(_MAGIC["xls"]):
        found = "an old-style .xls workbook"
    else:
        found = "a binary file" if binary else f"text starting {head[:40].decode('latin-1')!r}"
    expect = " or ".join(f".{k}" for k in kinds)
    raise InputError(f"expected {what} as a {expect} file; found {found}", file=str(path))


def read_xlsx_rows(path: PathLike, what: str, sheet: str | None = None) -> tuple[str, list[tuple]]:
    """``(sheet name, rows as tuples of cell values)`` of one sheet (default: the first).

    The values are those of openpyxl's read-only, data-only workbook, read fast by
    :func:`iopstudy.xlsx.read_rows`. Any failure to open or read the workbook (missing, not a
    zip, truncated, no such sheet) becomes an :class:`InputError` naming the file and ``what``
    was expected.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = Workbook()
    ...     wb.active.title = "Tabell"
    ...     wb.active.append(["Kommun", 2023])
    ...     wb.active.append(["Exempelby", 1234])
    ...     wb.save(Path(tmp) / "example.xlsx")
    ...     read_xlsx_rows(Path(tmp) / "example.xlsx", "an example table")
    ('Tabell', [('Kommun', 2023), ('Exempelby', 1234)])
    """
    from iopstudy.xlsx import SheetNotFound, read_rows

    path = Path(path)
    check_source_file(path, "xlsx", what)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read_rows(path, sheet)
    except SheetNotFound as exc:
        msg = f"has no sheet {sheet!r} (its sheets: {exc.sheetnames}); expected {what}"
        raise InputError(msg, file=str(path)) from None
    except Exception as exc:  # zipfile.BadZipFile, KeyError, XML errors, ...
        msg = (
            f"could not be read as an .xlsx workbook ({type(exc).__name__}: {exc}); the file "
            f"may be truncated or damaged; expected {what}"
        )
        raise InputError(msg, file=str(path)) from None


def region_code(value: object) -> tuple[str | None, str | None]:
    """Classify a region code cell: ``("county", "01")``, ``("kommun", "0114")`` or (None, None).

    Accepts text ("01", "0114") and numbers (1, 114, 114.0): SCB and SKR files sometimes store
    codes as numbers, losing the leading zero. One or two digits are a county, three or four a
    municipality.

    Examples
    --------
    >>> [region_code(v) for v in ["01", 1, 114.0, "0114", "x", None]]
    [('county', '01'), ('county', '01'), ('kommun', '0114'), ('kommun', '0114'), (None, None), (None, None)]
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = "" if value is None or isinstance(value, (bool, float)) else str(value).strip()
    if not (s.isascii() and s.isdigit()) or len(s) > 4:
        return None, None
    return ("county", s.zfill(2)) if len(s) <= 2 else ("kommun", s.zfill(4))


def check_municipality_codes(
    codes: Iterable[str], path: PathLike, what: str, expected: int = N_MUNICIPALITIES
) -> None:
    """Raise :class:`InputError` unless ``codes`` are ``expected`` distinct four-digit codes.

    Examples
    --------
    >>> from iopstudy.reference.municipalities import load_municipalities
    >>> codes = load_municipalities()["kommun_code"].tolist()
    >>> check_municipality_codes(codes, "codes.csv", "the code list")  # 290 four-digit codes: no error
    >>> try:
    ...     check_municipality_codes(codes[:-1], "codes.csv", "the code list")
    ... except InputError as err:
    ...     print(err)
    codes.csv: the code list: expected 290 municipalities, found 289; the file may be cut, filtered or another table
    """
    codes = list(codes)
    bad = [c for c in codes if not (isinstance(c, str) and len(c) == 4 and c.isdigit())]
    if bad:
        raise InputError(f"{what}: codes must be four digits; found {bad[:5]}", file=str(path))
    dups = sorted({c for c in codes if codes.count(c) > 1}) if len(set(codes)) < len(codes) else []
    if dups:
        raise InputError(f"{what}: duplicate municipality codes {dups[:10]}", file=str(path))
    if len(codes) != expected:
        msg = f"{what}: expected {expected} municipalities, found {len(codes)}"
        raise InputError(msg + "; the file may be cut, filtered or another table", file=str(path))


def attach_codes_by_name(df: pd.DataFrame, codes: pd.DataFrame, path: PathLike) -> pd.DataFrame:
    """Add ``kommun_code`` (as first column) to ``df`` by exact ``kommun_name``.

    Every name must be in ``codes`` (a code list with ``kommun_code`` and ``kommun_name``);
    otherwise :class:`InputError` lists the names that do not map.

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.reference.municipalities import load_municipalities
    >>> codes = load_municipalities()[["kommun_code", "kommun_name"]]
    >>> df = pd.DataFrame({"kommun_name": ["Göteborg", "Upplands Väsby"], "year": [2022, 2022]})
    >>> out = attach_codes_by_name(df, codes, "table.xlsx")
    >>> list(out.columns), out["kommun_code"].tolist()
    (['kommun_code', 'kommun_name', 'year'], ['1480', '0114'])
    >>> try:
    ...     attach_codes_by_name(pd.DataFrame({"kommun_name": ["Göteborgs Stad"]}), codes, "table.xlsx")
    ... except InputError as err:
    ...     print(err.message)
    1 name(s) are not in SCB's code list, so have no code: ['Göteborgs Stad']
    """
    require_columns(codes, ["kommun_code", "kommun_name"], "codes")
    names = codes["kommun_name"].astype(str)
    if names.duplicated().any():
        raise InputError(f"the code list repeats names {sorted(set(names[names.duplicated()]))}")
    lookup = dict(zip(names, codes["kommun_code"].astype(str)))
    unknown = sorted(set(df["kommun_name"].astype(str)) - set(lookup))
    if unknown:
        msg = f"{len(unknown)} name(s) are not in SCB's code list, so have no code: {unknown[:10]}"
        raise InputError(msg, file=str(path))
    out = df.copy()
    out.insert(0, "kommun_code", out["kommun_name"].astype(str).map(lookup))
    return out


# -- private helpers ---------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _as_int(value: object) -> int | None:
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    s = _text(value) if isinstance(value, str) else ""
    return int(s) if s.isascii() and s.isdigit() else None


def _find_row(rows: list[tuple], test, start: int = -1, n: int = 30) -> int | None:
    """Index of the first row after ``start`` (within ``n`` rows) that passes ``test``."""
    for i in range(start + 1, min(len(rows), start + 1 + n)):
        if rows[i] and test(rows[i]):
            return i
    return None


def _find_title(rows: list[tuple], pattern: str, n: int = 10) -> tuple[int | None, str]:
    """Index and text of the first of the first ``n`` rows whose first text cell matches."""
    seen: list[str] = []
    for i, r in enumerate(rows[:n]):
        texts = [_text(v) for v in r if isinstance(v, str) and _text(v)]
        if texts and re.search(pattern, texts[0]):
            return i, texts[0]
        seen += texts[:1]
    return None, " / ".join(seen[:3]) or "(no text in the first rows)"


def _check_names(names: list[str], path: Path) -> None:
    dups = sorted({n for n in names if names.count(n) > 1}) if len(set(names)) < len(names) else []
    if dups:
        raise InputError(f"duplicate municipality names {dups[:10]}", file=str(path))
    if len(names) != N_MUNICIPALITIES:
        msg = f"expected {N_MUNICIPALITIES} municipality names, found {len(names)}"
        raise InputError(msg + "; the file may be cut or another table", file=str(path))


def _read_xls_rows(path: Path) -> list[tuple]:
    try:
        import xlrd
    except ImportError:  # pragma: no cover - depends on the environment
        msg = "reading an .xls file needs the package xlrd (>= 2.0.1): python -m pip install xlrd"
        raise InputError(msg, file=str(path)) from None
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())
        try:
            sh = book.sheet_by_index(0)
            return [tuple(sh.row_values(i)) for i in range(sh.nrows)]
        finally:
            book.release_resources()
    except Exception as exc:  # xlrd.XLRDError, CompDocError, IndexError on truncated files, ...
        msg = (
            f"could not be read as an .xls workbook ({type(exc).__name__}: {exc}); the file may "
            f"be truncated or damaged; expected {_WHAT_CODES}"
        )
        raise InputError(msg, file=str(path)) from None
