"""Dates and periods of the register, read as the sources write them.

The register copies dates, amounts and partner lists in the words of its
sources (see ``data/raw/register/SOURCES.md``). The functions here turn those
strings into typed columns. They share four rules:

* **one row per input, in order.** Each parser returns a DataFrame with a
  :class:`~pandas.RangeIndex` aligned to the input position (``split_partners``
  returns long form with a ``row`` column instead);
* **never raise on odd input.** A value that cannot be read gives a row whose
  ``problem`` column says why (``"unrecognised date"``, ``"impossible date"``,
  ``"no amount found"``, ``"negative amount"`` …); the build turns problems
  into exclusions or warnings. An empty or missing value is not a problem;
* **deterministic.** The same input always gives the same output; nothing
  depends on today's date;
* **each distinct string is read once.** Inputs are factorised first and the
  result is mapped back, so a column of 100 000 rows with few distinct
  values costs little.

A plain string (or any other scalar) passed as ``values`` is read as a single
value.

Examples
--------
>>> out = parse_dates(["maj 2017", "tills vidare"], role="end")
>>> out["date"].dt.strftime("%Y-%m-%d").tolist(), out["open_ended"].tolist()
(['2017-05-31', nan], [False, True])
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from iopstudy.text import as_object_array, clean, factorize_texts, fold_letters, take

__all__ = [
    "parse_dates",
    "parse_period",
    "check_period",
]


MIN_YEAR, MAX_YEAR = 1900, 2100


_MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "febr": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augusti": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip


_MON = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"


# seasons (ASCII-folded): first and last month; winter is handled apart
_SEASONS: dict[str, tuple[int, int]] = {
    "varen": (3, 5), "var": (3, 5),
    "sommaren": (6, 8), "sommar": (6, 8),
    "hosten": (9, 11), "host": (9, 11),
}  # fmt: skip


_WINTER = "(?:vintern|vinter)"


_SEASON = "(?P<season>" + "|".join(sorted(_SEASONS, key=len, reverse=True)) + ")"


_OPEN_RE = re.compile(
    r"(?<!\w)(?:tills?\s?vidare|t\.\s?v\.|(?:ej|inte|icke)\s+tids(?:begransa|bestam)\w*"
    r"|utan\s+(?:slutdatum|slutdag|tidsgrans|tidsbegransning)|obestamd\s+tid|lopande|pagaende"
    r"|tillsvidare\w*)(?!\w)"
)


# connectors left at the end once an open-ended phrase is removed ("2020, därefter")
_TRAILING_JOIN_RE = re.compile(r"(?:[\s,;-]*(?<!\w)(?:och|darefter|sedan)(?!\w))+[\s,;]*$")


_PREFIX_RE = re.compile(
    r"^(?:(?:fr\.\s?o\.\s?m\.|t\.\s?o\.\s?m\.)\s*"
    r"|(?:fr\.?\s?o\.?\s?m\.?|from|fran\s+och\s+med|fran|t\.?\s?o\.?\s?m\.?|tom|till\s+och\s+med"
    r"|fram\s+till|till|senast|den|per|ca\.?|cirka|c:a|omkring|ungefar|start(?:ar|ade)?"
    r"|borjar|slutar|upphor|ar|i|under)\s+)(?=\S)"
)


_YEAR4 = r"(?P<y>\d{4})"


_TURN = r"(?:arsskiftet|arsskifte|nyaret|nyar)"


# a half-year: "första halvåret 2018", "andra halvåret 2018", "2:a halvåret", "andra halvan av 2018"
_HALF = r"(?P<half>forsta|1:a|1:sta|forra|andra|2:a|senare|sista)\s+halv(?:aret|ar|an|året)(?:\s+(?:av|ar))?"


_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso_day", re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")),
    ("compact_day", re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")),
    ("dmy_numeric", re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})(?:[-/.]|\s+)(?P<y>\d{4})")),
    ("iso_month", re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})")),
    ("day_month_year", re.compile(r"(?P<d>\d{1,2})(?::[ae])?\.?\s*" + _MON + r"[\s,-]*" + _YEAR4)),
    ("last_first", re.compile(r"(?P<which>sista|forsta)(?:\s+dagen\s+i)?\s+" + _MON + r"[\s,-]*" + _YEAR4)),
    ("month_year", re.compile(_MON + r"[\s,-]*" + _YEAR4)),
    ("winter_span", re.compile(_WINTER + r"\s+(?P<y1>\d{4}|\d{2})\s*[/-]\s*(?P<y2>\d{4}|\d{2})")),
    ("winter", re.compile(_WINTER + r"\s+" + _YEAR4)),
    ("season", re.compile(_SEASON + r"\s+" + _YEAR4)),
    ("turn", re.compile(_TURN + r"\s+(?P<y1>\d{4}|\d{2})\s*[/-]\s*(?P<y2>\d{4}|\d{2})")),
    ("turn_one", re.compile(_TURN + r"\s+(?P<y>\d{4}|\d{2})")),
    ("half", re.compile(_HALF + r"[\s,-]*" + _YEAR4)),
    ("year", re.compile(_YEAR4)),
    # a day, month, season or half-year with no year: never completed with a guessed year
    ("no_year", re.compile(
        r"(?:(?:\d{1,2}(?::[ae])?\.?\s*|(?:sista|forsta)(?:\s+dagen\s+i)?\s+)?" + _MON.replace("?P<mon>", "?:")
        + r"|\d{1,2}[/.]\d{1,2}|" + _SEASON.replace("?P<season>", "?:") + "|" + _WINTER + "|" + _HALF.replace("?P<half>", "?:") + ")"
    )),
]  # fmt: skip


# (date, precision, open_ended, problem); date is a numpy datetime64[D] or None
_DateResult = tuple[Any, str, bool, str]


_EMPTY_DATE: _DateResult = (None, "none", False, "")


def _two_digit_year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n < 70 else 1900 + n
    return n


def _day(y: int, m: int, d: int) -> np.datetime64 | None:
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12):
        return None
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return np.datetime64(f"{y:04d}-{m:02d}-{d:02d}", "D")


def _month_edge(y: int, m: int, end: bool) -> np.datetime64 | None:
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12):
        return None
    return _day(y, m, calendar.monthrange(y, m)[1] if end else 1)


def _match_date(s: str, end: bool) -> _DateResult | None:
    """Read one cleaned, ASCII-folded date; None when no form matches."""
    impossible: _DateResult = (None, "none", False, "impossible date")
    for kind, rx in _DATE_PATTERNS:
        m = rx.fullmatch(s)
        if m is None:
            continue
        g = m.groupdict()
        if kind in ("iso_day", "compact_day", "dmy_numeric"):
            date = _day(int(g["y"]), int(g["m"]), int(g["d"]))
            return impossible if date is None else (date, "day", False, "")
        if kind == "iso_month":
            if not 1 <= int(g["m"]) <= 12:
                return None  # "2019-21" is more likely a period than a month
            date = _month_edge(int(g["y"]), int(g["m"]), end)
            return impossible if date is None else (date, "month", False, "")
        if kind == "day_month_year":
            date = _day(int(g["y"]), _MONTHS[g["mon"]], int(g["d"]))
            return impossible if date is None else (date, "day", False, "")
        if kind == "last_first":
            date = _month_edge(int(g["y"]), _MONTHS[g["mon"]], g["which"] == "sista")
            return impossible if date is None else (date, "day", False, "")
        if kind == "month_year":
            date = _month_edge(int(g["y"]), _MONTHS[g["mon"]], end)
            return impossible if date is None else (date, "month", False, "")
        if kind == "winter_span":
            y1, y2 = _two_digit_year(g["y1"]), _two_digit_year(g["y2"])
            if y2 != y1 + 1:
                return impossible
            date = _month_edge(y2, 2, True) if end else _month_edge(y1, 12, False)
            return impossible if date is None else (date, "season", False, "")
        if kind == "winter":
            # "vintern Y": the winter months inside year Y (January–February)
            y = int(g["y"])
            date = _month_edge(y, 2, True) if end else _month_edge(y, 1, False)
            return impossible if date is None else (date, "season", False, "")
        if kind == "season":
            first, last = _SEASONS[g["season"]]
            date = _month_edge(int(g["y"]), last if end else first, end)
            return impossible if date is None else (date, "season", False, "")
        if kind == "turn":
            y1, y2 = _two_digit_year(g["y1"]), _two_digit_year(g["y2"])
            if y2 != y1 + 1:
                return impossible
            date = _day(y1, 12, 31) if end else _day(y2, 1, 1)
            return impossible if date is None else (date, "month", False, "")
        if kind == "turn_one":
            return (None, "none", False, "ambiguous turn of year (write e.g. årsskiftet 18/19)")
        if kind == "half":
            first = g["half"] in ("forsta", "1:a", "1:sta", "forra")
            y = int(g["y"])
            if end:
                date = _day(y, 6, 30) if first else _day(y, 12, 31)
            else:
                date = _day(y, 1, 1) if first else _day(y, 7, 1)
            return impossible if date is None else (date, "season", False, "")
        if kind == "no_year":
            return (None, "none", False, "no year given (none is guessed)")
        if kind == "year":
            y = int(g["y"])
            if not MIN_YEAR <= y <= MAX_YEAR:
                return impossible
            date = _day(y, 12, 31) if end else _day(y, 1, 1)
            return (date, "year", False, "")
    return None


def _strip_prefixes(s: str) -> str:
    for _ in range(4):
        new = _PREFIX_RE.sub("", s, count=1)
        if new == s:
            break
        s = new
    return s


def _tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s)
    return s.strip(" ,;:.()[]\"'")


def _date_core(a: str, end: bool) -> _DateResult:
    """Parse a cleaned and folded string (may hold an open-ended phrase)."""
    a = _tidy(a)
    if not a:
        return _EMPTY_DATE
    open_ended = False
    if _OPEN_RE.search(a):
        open_ended = True
        a = _tidy(_OPEN_RE.sub(" ", a))
        a = _tidy(_TRAILING_JOIN_RE.sub("", a))
        if not a:
            return (None, "none", True, "")
    res = _match_date(_tidy(_strip_prefixes(a)), end)
    if res is None:
        return (None, "none", open_ended, "unrecognised date")
    return (res[0], res[1], open_ended, res[3])


_MAX_DATE_LEN = 200  # longer text is not a date; bounds the work on odd input


@lru_cache(maxsize=65536)
def _parse_date_text(text: str, end: bool) -> _DateResult:
    try:
        a = fold_letters(clean(text))
        if len(a) > _MAX_DATE_LEN:
            return (None, "none", False, "unrecognised date")
        return _date_core(a, end)
    except Exception:  # noqa: BLE001 - the parser never raises on odd text
        return (None, "none", False, "unrecognised date")


def _date_column(results: list[_DateResult], codes: np.ndarray) -> np.ndarray:
    dates = np.array(
        [np.datetime64("NaT", "ns") if r[0] is None else r[0].astype("datetime64[ns]") for r in results],
        dtype="datetime64[ns]",
    )
    return dates[codes]


def _year_column(dates: np.ndarray) -> pd.arrays.IntegerArray:
    years = pd.DatetimeIndex(dates).year
    return pd.array(np.where(pd.isna(dates), None, years), dtype="Int64")


def parse_dates(
    values: Iterable[str | None],
    role: Literal["start", "end"] = "start",
) -> pd.DataFrame:
    """Read dates written in Swedish (or ISO) into typed columns.

    Parameters
    ----------
    values
        Date strings as the sources write them. Missing values (``None``,
        ``NaN``, ``""``) are allowed.
    role
        ``"start"`` gives an imprecise date its *first* day, ``"end"`` its
        *last* day: ``"maj 2017"`` is 2017-05-01 as a start and 2017-05-31
        as an end; ``"2024"`` is 2024-01-01 or 2024-12-31.

    Returns
    -------
    pandas.DataFrame
        One row per input (``RangeIndex``) with columns

        ==========  ==============================================================
        text        the input as ``str`` ("" when missing)
        date        ``datetime64[ns]``; NaT when unknown
        year        ``Int64``; the year of ``date``
        precision   "day", "month", "season", "year" or "none"
        open_ended  bool: "tills vidare", "tillsvidare", "ej tidsbegränsad",
                    "löpande", "pågående", "utan slutdatum" …
        problem     "" or "unrecognised date", "impossible date", …
        ==========  ==============================================================

    Notes
    -----
    Forms read (case, diacritics and kinds of space and dash do not matter;
    a leading "fr.o.m.", "t.o.m.", "från", "till", "den", "år", "ca" … is
    ignored):

    * day: ``1 januari 2022``, ``1 jan. 2022``, ``1:a maj 2022``,
      ``sista december 2019`` (the month's last day), ``första maj 2020``,
      ``2025-06-01``, ``20250601``, ``1/6 2025``, ``1.6.2025``;
    * month: ``maj 2017``, ``jan 2020`` (Swedish and English month names and
      abbreviations), ``2019-05``;
    * season: ``våren`` (March–May), ``sommaren`` (June–August),
      ``hösten`` (September–November) and ``vintern`` with a year;
      ``vintern 2016`` is read as January–February 2016 so that the year
      stays 2016, ``vintern 16/17`` as December 2016–February 2017;
    * turn of the year: ``årsskiftet 18/19`` is 2019-01-01 as a start and
      2018-12-31 as an end, with precision "month" (the true date is within
      weeks of the turn). ``årsskiftet 2018`` alone is ambiguous and gives a
      problem;
    * half-year: ``första halvåret 2018`` (January–June), ``andra halvåret
      2018`` (July–December), also ``1:a``/``2:a halvåret``; precision
      "season" (a part of a year longer than a month);
    * year: ``2015``; precision "year".

    A day, month, season or half-year written without a year (``1 december``,
    ``31 mars``, ``sista december``, ``1/3``, ``våren``) gives NaT and the
    problem ``"no year given (none is guessed)"``: the year is never taken
    from another field, the page's date or the present.

    Dates outside 1900–2100, months above 12 and days past the month's end
    give NaT and the problem ``"impossible date"``. Anything else gives NaT
    and ``"unrecognised date"``; this includes relative dates ("från och med
    årsskiftet", "förra vintern") and ranges ("2019–2021": use
    :func:`parse_period`).

    Examples
    --------
    >>> out = parse_dates(["våren 2016", "årsskiftet 18/19", "31 februari 2022"])
    >>> out["date"].dt.strftime("%Y-%m-%d").tolist()
    ['2016-03-01', '2019-01-01', nan]
    >>> out["precision"].tolist(), out["problem"].tolist()
    (['season', 'month', 'none'], ['', '', 'impossible date'])
    >>> out = parse_dates(["andra halvåret 2018", "1 december"])
    >>> out["date"].dt.strftime("%Y-%m-%d").tolist(), out["problem"].tolist()
    (['2018-07-01', nan], ['', 'no year given (none is guessed)'])
    >>> parse_dates(["maj 2017", "2024"], role="end")["date"].dt.strftime("%Y-%m-%d").tolist()
    ['2017-05-31', '2024-12-31']
    """
    if role not in ("start", "end"):
        raise ValueError(f"role must be 'start' or 'end', not {role!r}")
    codes, texts = factorize_texts(values)
    end = role == "end"
    results = [_parse_date_text(t, end) for t in texts]
    dates = _date_column(results, codes)
    return pd.DataFrame(
        {
            "text": take(texts, codes),
            "date": dates,
            "year": _year_column(dates),
            "precision": take([r[1] for r in results], codes),
            "open_ended": take([r[2] for r in results], codes, dtype=bool),
            "problem": take([r[3] for r in results], codes),
        }
    )


_FROM_RE = re.compile(
    r"^(?:fr\.\s?o\.\s?m\.\s*|(?:fr\.?\s?o\.?\s?m\.?|fran\s+och\s+med|fran|from|efter"
    r"|start(?:ar|ade)?|sedan)\s+)(?=\S)"
)


_UNTIL_RE = re.compile(
    r"^(?:t\.\s?o\.\s?m\.\s*|-\s*|(?:t\.?\s?o\.?\s?m\.?|tom|till\s+och\s+med|fram\s+till|till|to"
    r"|until|senast)\s+)(?=\S)"
)


_PERIOD_LEAD_RE = re.compile(
    r"^(?:(?:under\s+)?(?:avtals)?perioden?:?|avtalstid(?:en)?:?|mellan|giltig(?:t|a)?|galler)\s+"
)


_WORD_SEP_RE = re.compile(r"\s+(?:till\s+och\s+med|t\.?\s?o\.?\s?m\.?|tom|till|to|until|through|och)\s+")


_SEP_CHARS = ("-", "/")


# start (date, precision, problem), end (…), open_ended, problem
_PeriodResult = tuple[_DateResult, _DateResult, bool, str]


def _ok(res: _DateResult) -> bool:
    return res[0] is not None and not res[3]


def _year_only(s: str) -> bool:
    return re.fullmatch(r"\d{4}", s) is not None


def _borrow_year(left: str, right: str) -> str:
    """'1 jan' + '31 dec 2023' -> '1 jan 2023' (the left side lacks its year)."""
    m = re.search(r"(\d{4})$", right)
    if m and not re.search(r"\d{4}", left):
        return f"{left} {m.group(1)}"
    return left


def _recognised(res: _DateResult) -> bool:
    return res[0] is not None or "impossible" in res[3]


def _split_period(a: str) -> tuple[str, str] | None:
    m = _WORD_SEP_RE.search(a)
    if m:
        return a[: m.start()], a[m.end() :]
    # try every dash or slash: the first split where both sides read as dates, else
    # the first where both are at least dates in form (so "31 februari 2022–2023"
    # reports an impossible start rather than an unrecognised period)
    splits = []
    for i, ch in enumerate(a):
        if ch not in _SEP_CHARS:
            continue
        left, right = _tidy(a[:i]), _tidy(a[i + 1 :])
        if not left or not right:
            continue
        if _year_only(left) and re.fullmatch(r"\d{2}", right) and int(left[:2] + right) > int(left):
            right = left[:2] + right  # 2019-21 -> 2021 (but 2019-05 stays a month)
        left = _borrow_year(left, right)
        splits.append((left, right, _date_core(left, False), _date_core(right, True)))
    for left, right, lr, rr in splits:
        if _ok(lr) and _ok(rr):
            return left, right
    for left, right, lr, rr in splits:
        if _recognised(lr) and _recognised(rr):
            return left, right
    return None


def _period_core(a: str) -> _PeriodResult:
    a = _tidy(a)
    if not a:
        return (_EMPTY_DATE, _EMPTY_DATE, False, "")
    open_ended = False
    if _OPEN_RE.search(a):
        open_ended = True
        a = _tidy(_OPEN_RE.sub(" ", a))
        a = _tidy(_TRAILING_JOIN_RE.sub("", a))
        a = _tidy(a.rstrip("- ,"))
    a = _tidy(_PERIOD_LEAD_RE.sub("", a))
    if not a:
        return (_EMPTY_DATE, _EMPTY_DATE, open_ended, "" if open_ended else "unrecognised period")

    start_text = end_text = None
    if a.endswith("-"):  # "2020–": from 2020, no end
        start_text, open_ended = a.rstrip("- "), True
    elif _FROM_RE.match(a):
        start_text = _FROM_RE.sub("", a, count=1)
        inner = _split_period(start_text)
        if inner is not None:
            start_text, end_text = inner
    elif _UNTIL_RE.match(a) and not re.match(r"^\d", a):
        end_text = _UNTIL_RE.sub("", a, count=1)
    else:
        parts = _split_period(a)
        if parts is not None:
            start_text, end_text = parts
        else:
            single_s, single_e = _date_core(a, False), _date_core(a, True)
            if single_s[3]:
                problem = "unrecognised period" if single_s[3] == "unrecognised date" else single_s[3]
                return (_EMPTY_DATE, _EMPTY_DATE, open_ended, problem)
            # a single date or period covers itself: "2019" runs 2019-01-01 – 2019-12-31
            if open_ended:
                return (single_s, _EMPTY_DATE, True, "")
            return (single_s, single_e, False, _check_one(single_s[0], single_e[0]))

    start = _date_core(start_text, False) if start_text is not None else _EMPTY_DATE
    end = _date_core(end_text, True) if end_text is not None else _EMPTY_DATE
    problems = []
    if start[3]:
        problems.append(f"start: {start[3]}")
    if end[3]:
        problems.append(f"end: {end[3]}")
    order = _check_one(start[0], end[0])
    if order:
        problems.append(order)
    return (start, end, open_ended or start[2] or end[2], "; ".join(problems))


def _check_one(start: Any, end: Any) -> str:
    """``"end before start"`` when both are known and ``end < start``, else ``""``."""
    if start is None or end is None:
        return ""
    return "end before start" if end < start else ""


@lru_cache(maxsize=65536)
def _parse_period_text(text: str) -> _PeriodResult:
    try:
        a = fold_letters(clean(text))
        if len(a) > _MAX_DATE_LEN:
            return (_EMPTY_DATE, _EMPTY_DATE, False, "unrecognised period")
        return _period_core(a)
    except Exception:  # noqa: BLE001 - the parser never raises on odd text
        return (_EMPTY_DATE, _EMPTY_DATE, False, "unrecognised period")


def parse_period(values: Iterable[str | None]) -> pd.DataFrame:
    """Read a single field holding a period ("2019–2021", "fr.o.m. 2020 tills vidare").

    Parameters
    ----------
    values
        Period strings; missing values allowed.

    Returns
    -------
    pandas.DataFrame
        One row per input (``RangeIndex``) with columns ``start_date``,
        ``start_year``, ``start_precision``, ``end_date``, ``end_year``,
        ``end_precision`` (as in :func:`parse_dates`, the start read with
        ``role="start"`` and the end with ``role="end"``), ``open_ended``
        (bool) and ``problem`` ("" when fine; otherwise e.g.
        ``"start: impossible date"``, ``"end: unrecognised date"``,
        ``"end before start"``, ``"unrecognised period"``).

    Notes
    -----
    Separators: any dash (``2019-2021``, ``2019–2021``, ``1 jan 2022 – 31 dec
    2023``, ``2025-06-01–2026-05-31``), a slash between years (``2019/2020``),
    and the words "till", "t.o.m.", "och" (``mellan 2019 och 2021``). A short
    second year is completed from the first (``2019–21``), and a start
    without a year borrows the end's (``1 jan – 31 dec 2023``, ``maj–juni
    2022``).

    One-sided periods: ``fr.o.m. 2020`` has a start only; ``2020–`` and any
    open-ended phrase (``fr.o.m. 2020 tills vidare``) set ``open_ended``;
    ``t.o.m. 2021`` has an end only.

    A single date is read as the period it names: ``2019`` runs from
    2019-01-01 to 2019-12-31, ``maj 2017`` from 2017-05-01 to 2017-05-31.

    Examples
    --------
    >>> out = parse_period(["2019–2021", "fr.o.m. 2020 tills vidare"])
    >>> out["start_date"].dt.strftime("%Y-%m-%d").tolist()
    ['2019-01-01', '2020-01-01']
    >>> out["end_date"].dt.strftime("%Y-%m-%d").tolist()
    ['2021-12-31', nan]
    >>> out["open_ended"].tolist()
    [False, True]
    """
    codes, texts = factorize_texts(values)
    results = [_parse_period_text(t) for t in texts]
    starts = _date_column([r[0] for r in results], codes)
    ends = _date_column([r[1] for r in results], codes)
    return pd.DataFrame(
        {
            "start_date": starts,
            "start_year": _year_column(starts),
            "start_precision": take([r[0][1] for r in results], codes),
            "end_date": ends,
            "end_year": _year_column(ends),
            "end_precision": take([r[1][1] for r in results], codes),
            "open_ended": take([r[2] for r in results], codes, dtype=bool),
            "problem": take([r[3] for r in results], codes),
        }
    )


def check_period(start_dates: Any, end_dates: Any) -> pd.Series:
    """Flag rows whose end lies before their start.

    Parameters
    ----------
    start_dates, end_dates
        Aligned date-like sequences of the same length (``datetime64``
        Series, Timestamps, ISO strings; missing values allowed). Values that
        cannot be read as dates count as missing.

    Returns
    -------
    pandas.Series of str
        ``"end before start"`` where both dates are known and ``end < start``,
        else ``""``. The index is ``start_dates``' index when that is a Series
        (so the result can be assigned back to its frame), else a RangeIndex.

    Examples
    --------
    >>> check_period(["2021-01-01", "2021-01-01"], ["2020-12-31", None]).tolist()
    ['end before start', '']
    """
    s = as_object_array(start_dates)
    e = as_object_array(end_dates)
    if len(s) != len(e):
        raise ValueError(
            f"start_dates and end_dates must have the same length ({len(s)} and {len(e)})"
        )
    s_dt = pd.to_datetime(pd.Series(s, dtype=object), errors="coerce", format="mixed")
    e_dt = pd.to_datetime(pd.Series(e, dtype=object), errors="coerce", format="mixed")
    bad = (e_dt < s_dt).fillna(False).to_numpy(dtype=bool)
    index = start_dates.index if isinstance(start_dates, pd.Series) else pd.RangeIndex(len(s))
    return pd.Series(np.where(bad, "end before start", ""), index=index, dtype=object, name="problem")
