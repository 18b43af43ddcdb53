"""Published counts of IOPs and SKR's LOV series, read from ``data/raw/literature/``.

:func:`read_published_counts` reads ``iop_published_counts.csv`` (each count with its source,
date, scope and definition), :func:`national_published_counts` keeps the national counts of
agreements, :func:`register_published_points` gives the register's own yearly counts in the same
format, and :func:`register_vs_published` sets the register's rows beside the published counts
for single places, with a note explaining the difference. :func:`read_lov_counts` reads SKR's
LOV adoption series. Published counts differ in definition (identified, started, active,
ongoing) and method; they are not one time series.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from iopstudy.errors import InputError
from iopstudy.labels import check_lang, label
from iopstudy.paths import data_folder
from iopstudy.register.describe import activity_in_year

__all__ = [
    "read_published_counts",
    "national_published_counts",
    "register_published_points",
    "LOCAL_COLUMNS",
    "published_local",
    "register_vs_published",
    "LOV_STATUS",
    "read_lov_counts",
]


# --------------------------------------------------------------------------- published counts
def _literature_file(data_dir: str | os.PathLike[str] | None, name: str) -> Path:
    # data_dir: the study folder, data/, data/raw or the literature folder; None: the packaged copy
    return data_folder(data_dir, name, "literature", what="published counts") / name


def read_published_counts(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """``raw/literature/iop_published_counts.csv``: published counts of IOPs.

    ``date`` stays text (a year, a date, or empty for undated rows);
    ``count`` is an integer. See ``data/raw/literature/SOURCES.md``. ``data_dir`` is a folder
    holding the file (or its study folder, ``data/``, ``data/raw``); ``None`` (default) reads
    the copy shipped with iopstudy.

    Examples
    --------
    >>> pub = read_published_counts()
    >>> list(pub.columns)[:7]
    ['date', 'date_precision', 'count', 'count_text', 'scope', 'what', 'source_url']
    >>> pub.loc[pub.scope == "kommun 1480 Göteborg", ["date", "count", "what"]].values.tolist()
    [['2023', 14, 'active IOPs']]
    """
    path = _literature_file(data_dir, "iop_published_counts.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    need = ["date", "date_precision", "count", "count_text", "scope", "what", "source_url"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=str(path))
    df["count"] = pd.to_numeric(df["count"]).astype("int64")
    return df


def national_published_counts(published: pd.DataFrame) -> pd.DataFrame:
    """The national counts of *agreements* in the published counts.

    Keeps rows whose ``scope`` starts with "Sweden" and leaves out counts of
    public bodies rather than agreements (``what`` starting with
    "county councils", "regions" or "municipalities", e.g. "county councils
    or regions with at least one IOP"). Adds a ``source`` column (the web
    domain of ``source_url``) unless there is one, as
    :func:`iopstudy.figures.plot_published_counts` marks points by source.

    Examples
    --------
    >>> nat = national_published_counts(read_published_counts())
    >>> bool(nat["scope"].str.startswith("Sweden").all())
    True
    >>> "Sweden: county councils and regions" in set(nat["scope"])  # counts of bodies, not agreements
    False
    >>> nat.loc[nat.date == "2016-07-01", ["count", "source"]].values.tolist()
    [[56, 'socialforum.se']]
    """
    from urllib.parse import urlparse

    scope = published["scope"].astype(str).str.strip()
    what = published["what"].astype(str).str.strip()
    national = scope.str.match(r"(?i)^sweden\b")
    bodies = what.str.match(r"(?i)^(county councils|regions|municipalities)\b")
    out = published.loc[national & ~bodies].reset_index(drop=True)
    if "source" not in out.columns:
        out["source"] = [
            (urlparse(str(u)).netloc or str(u)).removeprefix("www.") for u in out["source_url"]
        ]
    return out


def register_published_points(
    partnerships: pd.DataFrame, years: Sequence[int], lang: str = "en"
) -> pd.DataFrame:
    """The register's own counts in the format of the published counts.

    One row per year: the number of agreements (all levels) whose dated
    period covers the year (:func:`activity_in_year`, ``"yes"``), with the
    source :func:`text` ``"register_source"``, so that
    :func:`iopstudy.figures.plot_published_counts` draws them as one more
    source beside the published counts (points, not a line).

    Examples
    --------
    >>> p = pd.DataFrame({"start_year": pd.array([2015, 2019, None], dtype="Int64"),
    ...                   "end_year": pd.array([2017, None, 2021], dtype="Int64"),
    ...                   "open_ended": [False, True, False]})
    >>> pts = register_published_points(p, [2016, 2020])
    >>> pts[["date", "count", "scope"]].values.tolist()
    [['2016', 1, 'register'], ['2020', 1, 'register']]
    >>> pts.loc[0, "source"]
    'This register: dated agreements active in the year'
    """
    rows = []
    src = label("register_source", lang)
    for y in years:
        n = int((activity_in_year(partnerships, int(y)) == "yes").sum())
        rows.append(
            dict(date=str(int(y)), date_precision="year", count=n, count_text=str(n),
                 scope="register", what="dated agreements active in the year",
                 source_url="", note="", source=src)
        )
    return pd.DataFrame(rows)


#: Columns of ``raw/literature/local_counts.csv``: how a published count of one public body is
#: compared with the register (the count itself is read from ``iop_published_counts.csv``).
LOCAL_COLUMNS = ("date", "scope", "place", "level", "code", "committee", "kind")


def published_local(data_dir: str | os.PathLike[str] | None = None) -> tuple[dict[str, Any], ...]:
    """Published counts for single public bodies that the register covers, read from the data.

    Each row of ``raw/literature/local_counts.csv`` names a row of ``iop_published_counts.csv``
    (by ``date`` and ``scope``) and says which body it counts (``level``, ``code``, an optional
    ``committee`` whose rows alone are compared) and what it counts (``kind``: agreements
    ``"active"`` in the year, or all made ``"cumulative"`` by the date). The count
    (``published``), ``what`` and ``source_url`` come from the counts file.

    Returns
    -------
    tuple of dict
        ``place, level, code, committee, year, date, published, kind, what, source_url``.

    Examples
    --------
    >>> [(e["place"], e["published"], e["kind"]) for e in published_local()][:2]
    [('Göteborg', 14, 'active'), ('Borås', 6, 'active')]
    """
    path = _literature_file(data_dir, "local_counts.csv")
    local = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in LOCAL_COLUMNS if c not in local.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=str(path))
    counts = read_published_counts(path.parent)
    out = []
    for i, r in enumerate(local.itertuples(index=False), start=2):
        hit = counts[(counts["date"] == r.date) & (counts["scope"] == r.scope)]
        if len(hit) != 1:
            raise InputError(
                f"names {len(hit)} rows of iop_published_counts.csv (date {r.date!r}, scope {r.scope!r}); "
                "expected exactly one", file=str(path), row=i,
            )
        if r.kind not in ("active", "cumulative"):
            raise InputError("kind must be 'active' or 'cumulative'", file=str(path), row=i, column="kind", value=r.kind)
        c = hit.iloc[0]
        out.append(dict(
            place=r.place, level=r.level, code=r.code, committee=r.committee or None, year=int(r.date[:4]),
            date=r.date, published=int(c["count"]), kind=r.kind, what=c["what"], source_url=c["source_url"],
        ))
    return tuple(out)


def __getattr__(name: str) -> Any:
    if name == "PUBLISHED_LOCAL":
        import warnings

        warnings.warn("PUBLISHED_LOCAL is deprecated; use published_local() (read from data/raw/literature/)",
                      DeprecationWarning, stacklevel=2)
        return published_local()
    raise AttributeError(name)


def _rows_of(partnerships: pd.DataFrame, entry: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The register rows of the entry's public body, and of its committee (if any)."""
    p = partnerships
    if entry["level"] == "kommun":
        body = p[(p["level"] == "kommun") & (p["kommun_code"] == entry["code"])]
    else:
        body = p[(p["level"] == entry["level"]) & (p["county_code"] == entry["code"])]
    scoped = body
    if entry.get("committee"):
        scoped = body[body["public_party"].astype(str).str.contains(entry["committee"], case=False, regex=False)]
    return body, scoped


def _span(rows: pd.DataFrame) -> str:
    ys = pd.concat([pd.to_numeric(rows["start_year"]), pd.to_numeric(rows["end_year"])]).dropna()
    if not len(ys):
        return ""
    lo, hi = int(ys.min()), int(ys.max())
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _vs_note(r: Mapping[str, Any], lang: str) -> str:
    en = lang == "en"
    n, pub, lo, hi = r["register_rows"], r["published"], r["known"], r["possible"]
    ref = r["reference"]
    what = ("active in " if en else "aktiva ") + ref if r["kind"] == "active" else (
        "made by " if en else "ingångna senast ") + ref
    if n == 0:
        s = (
            f"No agreement of this body is in the register, against {pub} published {what}: "
            "none of them was found in the sources read."
            if en else
            f"Registret har inget avtal för denna part, mot {pub} publicerade {what}: inget av "
            "dem hittades i de lästa källorna."
        )
    else:
        parts = []
        span = f" ({'dated years' if en else 'daterade år'} {r['span']})" if r["span"] else ""
        if en:
            parts.append(
                f"{n} register row(s){span}, {r['undated']} without any date; "
                f"{lo} certainly and at most {hi} count as {what}, against {pub} published"
            )
        else:
            parts.append(
                f"{n} rader i registret{span}, {r['undated']} helt odaterade; "
                f"säkert {lo} och högst {hi} räknas som {what}, mot {pub} publicerade"
            )
        if r["outside"]:
            parts.append(
                f"{r['outside']} row(s) fall outside {ref}: the register spans several years and "
                "is not a snapshot"
                if en else
                f"{r['outside']} rader ligger utanför {ref}: registret spänner över flera år och "
                "är ingen ögonblicksbild"
            )
        if hi < pub:
            parts.append(
                f"at least {pub - hi} of the published agreements were not found"
                if en else f"minst {pub - hi} av de publicerade avtalen hittades inte"
            )
        elif lo > pub:
            parts.append(
                "the register has more than the published figure, which is then not a complete "
                "count or uses another definition"
                if en else
                "registret har fler än den publicerade siffran, som alltså inte är fullständig "
                "eller har en annan definition"
            )
        s = "; ".join(parts) + "."
    if r["committee"]:
        s += (
            f" Rows matched on the committee name in public_party; the municipality has "
            f"{r['body_rows']} row(s) in all, {r['body_rows'] - n} of them without this name."
            if en else
            f" Raderna matchades på nämndens namn i public_party; kommunen har {r['body_rows']} "
            f"rader totalt, varav {r['body_rows'] - n} utan detta namn."
        )
    return s


def register_vs_published(
    partnerships: pd.DataFrame,
    published: Sequence[Mapping[str, Any]] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """The register's counts beside published counts for the same public bodies.

    Parameters
    ----------
    partnerships
        The processed ``partnerships`` table.
    published
        Entries like those of :func:`published_local` (the default: the shipped ones).
    lang
        Language of the ``note`` column.

    Returns
    -------
    pandas.DataFrame
        One row per entry: ``place, level, reference, kind, published,
        register_rows`` (rows of the body, or of its committee),
        ``body_rows``, ``undated`` (rows with no date at all), ``known``
        (rows whose dates show they count for the reference year: active in
        it, or made by it, see :func:`activity_in_year`), ``possible``
        (``known`` plus rows whose dates do not rule it out), ``outside``
        (rows whose dates put them outside), ``not_found_min`` (published
        minus ``possible``, at least 0), ``span`` (the years the rows'
        dates cover), ``note`` (the difference explained), ``what``,
        ``source_url``.

    Notes
    -----
    Published counts and register rows differ by definition: the register
    keeps every agreement found, active or ended, from any year, while a
    published count is of one date. ``known`` and ``possible`` bracket how
    many of the register's rows could be in the published figure.

    Examples
    --------
    An illustrative municipality with three register rows against a published count of five
    agreements active in 2023:

    >>> entry = {"place": "Aby", "level": "kommun", "code": "9901", "committee": None, "year": 2023,
    ...          "date": "2023", "published": 5, "kind": "active", "what": "active IOPs",
    ...          "source_url": "https://example.org/report"}
    >>> p = pd.DataFrame({"level": ["kommun"] * 3, "kommun_code": ["9901"] * 3, "county_code": ["99"] * 3,
    ...                   "public_party": ["Aby kommun"] * 3,
    ...                   "start_year": pd.array([2021, 2015, None], dtype="Int64"),
    ...                   "end_year": pd.array([2024, 2017, None], dtype="Int64")})
    >>> r = register_vs_published(p, [entry])
    >>> r[["register_rows", "undated", "known", "possible", "outside", "not_found_min", "span"]].values.tolist()
    [[3, 1, 1, 2, 1, 3, '2015–2024']]
    >>> print(r.loc[0, "note"])
    3 register row(s) (dated years 2015–2024), 1 without any date; 1 certainly and at most 2 count as
    active in 2023, against 5 published; 1 row(s) fall outside 2023: the register spans several years
    and is not a snapshot; at least 3 of the published agreements were not found.
    """
    check_lang(lang)
    entries = published_local() if published is None else published
    rows = []
    for entry in entries:
        body, scoped = _rows_of(partnerships, entry)
        status = activity_in_year(scoped, int(entry["year"]), kind=entry["kind"])
        undated = int((scoped["start_year"].isna() & scoped["end_year"].isna()).sum())
        known = int((status == "yes").sum())
        outside = int((status == "no").sum())
        possible = int(len(scoped) - outside)
        r = dict(
            place=entry["place"],
            level=entry["level"],
            reference=str(entry.get("date") or entry["year"]),
            kind=entry["kind"],
            published=int(entry["published"]),
            register_rows=int(len(scoped)),
            body_rows=int(len(body)),
            undated=undated,
            known=known,
            possible=possible,
            outside=outside,
            not_found_min=max(int(entry["published"]) - possible, 0),
            span=_span(scoped),
            committee=entry.get("committee") or "",
            what=entry["what"],
            source_url=entry["source_url"],
        )
        r["note"] = _vs_note(r, lang)
        rows.append(r)
    cols = ["place", "level", "reference", "kind", "published", "register_rows", "body_rows",
            "undated", "known", "possible", "outside", "not_found_min", "span", "note", "what",
            "source_url"]
    return pd.DataFrame(rows)[cols]


# --------------------------------------------------------------------------- LOV benchmark
#: Columns of ``lov_status_skr.csv`` → status names, in the order statuses are handed out.
LOV_STATUS: dict[str, str] = {
    "lov_in_operation": "in_operation",
    "decided_to_introduce": "decided",
    "no_lov": "none",
    "abolished_lov": "abolished",
}


def read_lov_counts(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """``raw/literature/lov_status_skr.csv``: SKR's yearly LOV status counts (290 per row).

    Examples
    --------
    >>> lov = read_lov_counts()
    >>> lov.loc[lov.year == 2010, list(LOV_STATUS)].values.tolist()
    [[45, 72, 173, 0]]
    >>> bool((lov[list(LOV_STATUS)].sum(axis=1) == 290).all())  # every municipality, every year
    True
    """
    path = _literature_file(data_dir, "lov_status_skr.csv")
    df = pd.read_csv(path, encoding="utf-8")
    missing = [c for c in ["year", *LOV_STATUS] if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=str(path))
    return df.astype({c: "int64" for c in ["year", *LOV_STATUS]})
