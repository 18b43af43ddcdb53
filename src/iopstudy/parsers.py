"""Parsers for the free-text fields of the IOP register.

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
>>> parse_amounts(["1,3 mnkr årligen"])[["amount_sek", "period"]].values.tolist()
[[1300000.0, 'per_year']]
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "parse_dates",
    "parse_period",
    "check_period",
    "parse_amounts",
    "split_partners",
    "classify_org_type",
    "normalise_org_name",
    "ORG_TYPES",
    "ORG_TYPE_LABELS",
]

# --------------------------------------------------------------------------- input handling

_MIN_YEAR, _MAX_YEAR = 1900, 2100

# every kind of space (no-break, thin, narrow no-break, figure …) becomes " "
_SPACE_RE = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# hyphen-like characters (en dash, em dash, minus sign …) become "-"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = str.maketrans({c: "-" for c in _DASHES})
# Swedish and a few other letters to ASCII, one character for one (keeps positions)
_FOLD_TABLE = str.maketrans("åäöéèëüáàâ", "aaoeeeuaaa")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        res = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(res) if isinstance(res, (bool, np.bool_)) else False


def _one_text(value: Any) -> str:
    """One input value as text ("" when missing)."""
    if _is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))  # a year read as 2015.0 by a spreadsheet reader
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a value whose __str__ fails is just unreadable
        return ""


def _as_object_array(values: Any) -> np.ndarray:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        values = [values]
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy(dtype=object)
    items = list(values)
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr


def _factorize_texts(values: Any) -> tuple[np.ndarray, list[str]]:
    """Integer codes per input and the distinct texts they point to.

    A dictionary does the work rather than :func:`pandas.factorize`, whose
    hash table treats strings that differ only after a NUL character as equal
    (``""`` and ``"\\x00"``). Values equal in Python (``1`` and ``1.0``) share
    a code. Missing values all give ``""``.
    """
    arr = _as_object_array(values)
    seen: dict[Any, int] = {}
    try:
        codes = np.fromiter((seen.setdefault(v, len(seen)) for v in arr), dtype=np.intp, count=len(arr))
    except TypeError:  # unhashable elements (lists, dicts): convert each first
        seen = {}
        codes = np.fromiter(
            (seen.setdefault(_one_text(v), len(seen)) for v in arr), dtype=np.intp, count=len(arr)
        )
    texts = [_one_text(u) for u in seen]
    return codes, texts


def _clean(text: str) -> str:
    """NFC, casefold, one kind of space and dash, trimmed."""
    t = unicodedata.normalize("NFC", text).casefold().translate(_DASH_TABLE)
    return _SPACE_RE.sub(" ", t).strip()


def _fold(text: str) -> str:
    return text.translate(_FOLD_TABLE)


def _take(per_unique: list[Any], codes: np.ndarray, dtype: Any = object) -> np.ndarray:
    """Map one result per distinct value back to every input position."""
    if dtype is object:
        arr = np.empty(len(per_unique), dtype=object)
        arr[:] = per_unique
    else:
        arr = np.asarray(per_unique, dtype=dtype)
    return arr[codes]


# --------------------------------------------------------------------------- dates

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
    ("year", re.compile(_YEAR4)),
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
    if not (_MIN_YEAR <= y <= _MAX_YEAR and 1 <= m <= 12):
        return None
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return np.datetime64(f"{y:04d}-{m:02d}-{d:02d}", "D")


def _month_edge(y: int, m: int, end: bool) -> np.datetime64 | None:
    if not (_MIN_YEAR <= y <= _MAX_YEAR and 1 <= m <= 12):
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
        if kind == "year":
            y = int(g["y"])
            if not _MIN_YEAR <= y <= _MAX_YEAR:
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
        a = _fold(_clean(text))
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
    * year: ``2015``; precision "year".

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
    >>> parse_dates(["maj 2017", "2024"], role="end")["date"].dt.strftime("%Y-%m-%d").tolist()
    ['2017-05-31', '2024-12-31']
    """
    if role not in ("start", "end"):
        raise ValueError(f"role must be 'start' or 'end', not {role!r}")
    codes, texts = _factorize_texts(values)
    end = role == "end"
    results = [_parse_date_text(t, end) for t in texts]
    dates = _date_column(results, codes)
    return pd.DataFrame(
        {
            "text": _take(texts, codes),
            "date": dates,
            "year": _year_column(dates),
            "precision": _take([r[1] for r in results], codes),
            "open_ended": _take([r[2] for r in results], codes, dtype=bool),
            "problem": _take([r[3] for r in results], codes),
        }
    )


# --------------------------------------------------------------------------- periods

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
        a = _fold(_clean(text))
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
    codes, texts = _factorize_texts(values)
    results = [_parse_period_text(t) for t in texts]
    starts = _date_column([r[0] for r in results], codes)
    ends = _date_column([r[1] for r in results], codes)
    return pd.DataFrame(
        {
            "start_date": starts,
            "start_year": _year_column(starts),
            "start_precision": _take([r[0][1] for r in results], codes),
            "end_date": ends,
            "end_year": _year_column(ends),
            "end_precision": _take([r[1][1] for r in results], codes),
            "open_ended": _take([r[2] for r in results], codes, dtype=bool),
            "problem": _take([r[3] for r in results], codes),
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
    s = _as_object_array(start_dates)
    e = _as_object_array(end_dates)
    if len(s) != len(e):
        raise ValueError(
            f"start_dates and end_dates must have the same length ({len(s)} and {len(e)})"
        )
    s_dt = pd.to_datetime(pd.Series(s, dtype=object), errors="coerce", format="mixed")
    e_dt = pd.to_datetime(pd.Series(e, dtype=object), errors="coerce", format="mixed")
    bad = (e_dt < s_dt).fillna(False).to_numpy(dtype=bool)
    index = start_dates.index if isinstance(start_dates, pd.Series) else pd.RangeIndex(len(s))
    return pd.Series(np.where(bad, "end before start", ""), index=index, dtype=object, name="problem")


# --------------------------------------------------------------------------- amounts

_NUMBER_WORDS: dict[str, int] = {
    "en": 1, "ett": 1, "två": 2, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
    "sju": 7, "åtta": 8, "atta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
    "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16, "sjutton": 17,
    "arton": 18, "aderton": 18, "nitton": 19, "tjugo": 20, "trettio": 30,
    "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70, "åttio": 80,
    "attio": 80, "nittio": 90,
}  # fmt: skip
_UNITS_1_9 = {k: v for k, v in _NUMBER_WORDS.items() if v < 10 and k not in ("en",)}
_WORD_MULT: dict[str, int] = {
    "miljarder": 10**9, "miljard": 10**9, "miljoner": 10**6, "miljon": 10**6,
    "tusen": 10**3,
}  # fmt: skip
_NUM_MULT: dict[str, int] = {
    "miljarder": 10**9, "miljard": 10**9, "mdkr": 10**9, "mdr": 10**9, "mdsek": 10**9,
    "miljoner": 10**6, "miljon": 10**6, "milj.": 10**6, "milj": 10**6, "mnkr": 10**6,
    "mkr": 10**6, "msek": 10**6, "mn": 10**6, "m": 10**6,
    "tusen": 10**3, "tkr": 10**3, "tsek": 10**3, "ksek": 10**3, "kkr": 10**3, "k": 10**3,
}  # fmt: skip

_MULT_ALT = "|".join(re.escape(k) for k in sorted(_NUM_MULT, key=len, reverse=True))
_NUMBER_RE = re.compile(
    r"(?P<neg>(?<![\w.,:])-\s?|(?<!\w)minus\s+)?"
    r"(?<![\w.,])(?P<num>"
    r"\d{1,3}(?:\ \d{3})+(?:,\d+)?(?![\d])"  # 1 200 000 (,50)
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d]|\.\d)"  # 2.797.000
    r"|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?(?![\d]|,\d)"  # 1,200,000
    r"|\d+(?:[.,]\d+)?(?![\d])"  # 650 / 3,5 / 1.5
    r")"
    r"(?:\s*(?P<mult>" + _MULT_ALT + r")(?![\w]))?"
    r"(?:\s*(?P<cur>svenska\s+kronor|kronor|kr\.?|sek|:-)(?![\w]))?"
)
_WORDNUM_ALT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNITNUM_ALT = "|".join(sorted(_UNITS_1_9, key=len, reverse=True))
_WORDNUM_RE = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<h>(?:" + _UNITNUM_ALT + r")?\s?hundra)(?:\s?(?P<hw>" + _WORDNUM_ALT + r"))?"
    r"|(?P<w>" + _WORDNUM_ALT + r")"
    r")"
    r"(?P<half>\s+och\s+en\s+halv)?"
    r"\s+(?P<mult>miljarder|miljard|miljoner|miljon|tusen)(?![\w])"
)
_HALF_RE = re.compile(r"(?<![\w-])(?:en\s+)?halv\s+(?P<mult>miljard|miljon)(?![\w])")
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:(?:år|års|månad\w*|veckor?|vecko\w*|dag\w*|timm\w*|plats\w*|person\w*|st|procent"
    r"|organisation\w*|förening\w*|barn|unga|ungdomar|deltagare"
    r"|(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w*)(?!\w)|%)"
)

_NOT_CURRENCY = r"(?!\s*(?:kr\b|kronor|sek\b|:-|tkr|mnkr|mkr|msek|miljon|miljard|tusen))"
_YEAR_TAG_RE = re.compile(
    r"\(\s*(?:år\s+|för\s+|under\s+)?(?P<y1>\d{4})\s*\)"
    r"|(?<!\w)(?:för\s+år|under\s+år|budgetåret|verksamhetsåret|år|för|under)\s+(?P<y2>\d{4})(?![\d-])"
    + _NOT_CURRENCY
)
_YEAR_RANGE_RE = re.compile(
    r"(?<![\d.,])(?P<a>\d{4})\s*(?:-|/|till)\s*(?P<b>\d{4}|\d{2})(?![\d])" + _NOT_CURRENCY
)

_PER_YEAR_RE = re.compile(
    r"(?<!\w)(?:per\s+år|pr\.?\s+år|per\s+kalenderår|per\s+verksamhetsår|per\s+annum"
    r"|om\s+året|i\s+året|varje\s+år|årligen|årlig|årligt|årliga|årsbidrag\w*)(?!\w)"
    r"|/\s*år(?!\w)"
)
_TOTAL_RE = re.compile(
    r"(?<!\w)(?:totalt|sammanlagt|sammantaget|i\s+total|totalbelopp\w*|totalsumma\w*"
    r"|(?:under|för)\s+(?:hela\s+)?(?:avtals)?perioden|(?:under|för)\s+hela\s+avtalstiden)(?!\w)"
)
_ONE_YEAR_RE = re.compile(
    r"(?<!\w)(?:nästa\s+år|i\s+år|innevarande\s+år|under\s+året|för\s+året|detta\s+år)(?!\w)"
)
_APPROX_RE = re.compile(
    r"(?<!\w)(?:drygt|cirka|ca\.?|c:a|upp\s+till|uppemot|omkring|ungefär|ungefar|knappt"
    r"|nästan|närmare|runt|högst|max\.?|maximalt|minst)(?!\w)|[~≈]"
)

# amount, period, approx, amount_year (int or None), problem
_AmountResult = tuple[float, str, bool, Any, str]
_EMPTY_AMOUNT: _AmountResult = (float("nan"), "unknown", False, None, "")
_RANGE_GAP_RE = re.compile(r"\s*(?:-|till)\s*")


class _Num(NamedTuple):
    pos: int  # where the number starts
    end: int  # where it ends (after multiplier and currency)
    value: Decimal  # multiplier applied
    factor: int  # the multiplier (1 when none was written)
    neg: bool
    money: bool  # a multiplier or a currency mark follows


def _to_decimal(num: str, has_mult: bool) -> Decimal:
    if " " in num:
        whole, _, frac = num.partition(",")
        return Decimal(whole.replace(" ", "") + ("." + frac if frac else ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", num):
        if has_mult and num.count(".") == 1 and "," not in num:
            return Decimal(num)  # "1.500 mnkr": a decimal point before a multiplier
        whole, _, frac = num.partition(",")
        return Decimal(whole.replace(".", "") + ("." + frac if frac else ""))
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", num):
        return Decimal(num.replace(",", ""))
    return Decimal(num.replace(",", "."))


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _numbers(work: str) -> tuple[list[_Num], list[_Num]]:
    """Numbers with a money mark, and other numbers that may be amounts."""
    money: list[_Num] = []
    other: list[_Num] = []
    for m in _NUMBER_RE.finditer(work):
        mult = m.group("mult")
        if mult == "m" and not m.group("cur"):
            mult = None  # a bare "m" is no multiplier without "kr"
        try:
            value = _to_decimal(m.group("num"), mult is not None)
        except InvalidOperation:
            continue
        factor = _NUM_MULT[mult] if mult else 1
        is_money = mult is not None or m.group("cur") is not None
        neg = m.group("neg") is not None
        item = _Num(m.start("num"), m.end(), value * factor, factor, neg, is_money)
        if is_money:
            money.append(item)
        elif not _NOT_MONEY_AFTER.match(work, m.end()) and not (
            re.fullmatch(r"\d{4}", m.group("num")) and _MIN_YEAR <= int(m.group("num")) <= _MAX_YEAR
        ):
            other.append(item)
    for m in _WORDNUM_RE.finditer(work):
        if m.group("h"):
            head = m.group("h").replace(" ", "")[: -len("hundra")]
            n = (_UNITS_1_9.get(head, 1) if head else 1) * 100
            if m.group("hw"):
                n += _NUMBER_WORDS[m.group("hw")]
        else:
            n = _NUMBER_WORDS[m.group("w")]
        factor = _WORD_MULT[m.group("mult")]
        value = (Decimal(n) + (Decimal("0.5") if m.group("half") else 0)) * factor
        money.append(_Num(m.start(), m.end(), value, factor, False, True))
    for m in _HALF_RE.finditer(work):
        factor = _WORD_MULT[m.group("mult")]
        money.append(_Num(m.start(), m.end(), Decimal("0.5") * factor, factor, False, True))
    minus_ends = {m.end() for m in re.finditer(r"(?<!\w)minus\s+", work)}  # "minus två miljoner"
    money = [x._replace(neg=True) if x.pos in minus_ends else x for x in money]
    return sorted(set(money)), sorted(set(other))


def _amount_core(s: str) -> _AmountResult:
    if not s:
        return _EMPTY_AMOUNT
    problems: list[str] = []

    # years said of the amount ("(år 2021)", "för 2021") and ranges of years, which
    # make it a total; blanked out so that they are not read as amounts
    work = s
    years: set[int] = set()
    for m in _YEAR_TAG_RE.finditer(s):
        y = int(m.group("y1") or m.group("y2"))
        if _MIN_YEAR <= y <= _MAX_YEAR:
            years.add(y)
            work = _blank(work, m.start(), m.end())
    has_range = False
    for m in _YEAR_RANGE_RE.finditer(work):
        if _MIN_YEAR <= int(m.group("a")) <= _MAX_YEAR:
            has_range = True
            work = _blank(work, m.start(), m.end())
    amount_year = min(years) if len(years) == 1 and not has_range else None
    period = _period_of(s, has_range)

    money, other = _numbers(work)
    pool = money or other
    if not pool:
        return (float("nan"), period, False, amount_year, "no amount found")
    first = pool[0]
    value, neg = first.value, first.neg
    approx = _APPROX_RE.search(work, 0, first.pos) is not None

    # a range of amounts: "500 000–600 000 kr", "1–2 miljoner", "1 mnkr till 2 mnkr"
    everything = sorted(set(other + money))
    k = everything.index(first)
    before = everything[k - 1] if k > 0 else None
    after = everything[k + 1] if k + 1 < len(everything) else None
    lower = upper = False
    if before is not None and _RANGE_GAP_RE.fullmatch(work, before.end, first.pos):
        # the multiplier is often written once, after the upper bound: "1–2 miljoner"
        low = before.value * (first.factor if before.factor == 1 else 1)
        if low <= first.value:
            lower = True
            value, neg = low, before.neg
            approx = approx or _APPROX_RE.search(work, 0, before.pos) is not None
    if (
        after is not None
        and (after.money or not first.money)
        and after.value >= first.value
        and _RANGE_GAP_RE.fullmatch(work, first.end, after.pos)
    ):
        upper = True
    if lower or upper:
        approx = True
        problems.append("amount range; lower bound used")
    if neg:
        value = -value
        problems.append("negative amount")
    return (float(value), period, approx, amount_year, "; ".join(problems))


def _period_of(s: str, has_range: bool) -> str:
    if _PER_YEAR_RE.search(s):
        return "per_year"
    if has_range or _TOTAL_RE.search(s):
        return "total"
    if _YEAR_TAG_RE.search(s) or _ONE_YEAR_RE.search(s):
        return "one_year"
    return "unknown"


@lru_cache(maxsize=65536)
def _parse_amount_text(text: str) -> _AmountResult:
    try:
        return _amount_core(_clean(text))
    except Exception:  # noqa: BLE001 - the parser never raises on odd text
        return (float("nan"), "unknown", False, None, "no amount found")


def parse_amounts(values: Iterable[str | None]) -> pd.DataFrame:
    """Read funding amounts written in Swedish ("1,3 mnkr årligen") into kronor.

    Parameters
    ----------
    values
        Amount strings as the sources write them; missing values allowed.

    Returns
    -------
    pandas.DataFrame
        One row per input (``RangeIndex``) with columns

        ===========  =============================================================
        text         the input as ``str`` ("" when missing)
        amount_sek   float64, kronor; NaN when unknown
        period       "per_year", "total", "one_year" or "unknown"
        approx       bool: "drygt", "cirka"/"ca", "upp till", "omkring",
                     "ungefär", "knappt", "runt", "närmare", "högst", a range …
        amount_year  Int64: the year the amount is for ("(år 2021)" → 2021)
        problem      "" or "no amount found", "negative amount",
                     "amount range; lower bound used"
        ===========  =============================================================

    Notes
    -----
    *Numbers.* Digits with spaces of any kind (``1 200 000``), dots
    (``2.797.000``) or, in runs of two or more groups, commas
    (``1,200,000``) as thousand separators; a decimal comma (``3,5``) or
    point (``1.5``). A single dot before exactly three digits is a thousand
    separator (``1.500 kr`` = 1 500 kr) unless a multiplier follows
    (``1.500 mnkr`` = 1.5 million). Number words before a multiplier:
    ``en``/``ett`` … ``tio`` … ``nittio``, ``(fem)hundra``, ``och en halv``,
    ``en halv miljon`` (``upp till fyra miljoner kronor`` = 4 000 000).
    Multipliers: miljon(er)/milj./mnkr/mkr/msek/mn (10⁶), miljard(er)/mdkr
    (10⁹), tusen/tkr/tsek/ksek/k (10³). Currency marks ``kr``, ``kronor``,
    ``sek``, ``:-`` are optional. With several numbers the first that carries
    a multiplier or currency is used; without one, the first number that is
    not followed by a non-money unit ("år", "platser", "personer" …) and is
    not a bare year.

    *Period.* ``per år``, ``årligen``, ``årlig(t/a)``, ``varje år``, ``om
    året``, ``i året``, ``per annum``, ``/år`` → "per_year"; ``totalt``,
    ``sammanlagt``, ``under perioden``, ``för hela perioden`` or a range of
    years (``2021–2023``) → "total"; ``(år 2021)``, ``för 2021``, ``under
    2021``, ``nästa år``, ``i år`` → "one_year"; else "unknown". When
    several apply, per_year wins over total, and total over one_year.
    ``amount_year`` is set when exactly one year is named; "nästa år" and
    "i år" are relative and leave it empty.

    *Sign.* A leading minus (``-500 000 kr``, ``minus 500 000``) gives a
    negative amount and the problem ``"negative amount"``.

    Examples
    --------
    >>> out = parse_amounts(["drygt 5,2 miljoner kronor (år 2021)", "upp till fyra miljoner kronor"])
    >>> out[["amount_sek", "period", "approx"]].values.tolist()
    [[5200000.0, 'one_year', True], [4000000.0, 'unknown', True]]
    >>> out["amount_year"].tolist()
    [2021, <NA>]
    """
    codes, texts = _factorize_texts(values)
    results = [_parse_amount_text(t) for t in texts]
    years = _take([r[3] for r in results], codes)
    return pd.DataFrame(
        {
            "text": _take(texts, codes),
            "amount_sek": _take([r[0] for r in results], codes, dtype="float64"),
            "period": _take([r[1] for r in results], codes),
            "approx": _take([r[2] for r in results], codes, dtype=bool),
            "amount_year": pd.array(years, dtype="Int64"),
            "problem": _take([r[4] for r in results], codes),
        }
    )


# --------------------------------------------------------------------------- partners


def _tidy_name(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def _split_one(text: str, sep: str) -> tuple[str, ...]:
    t = unicodedata.normalize("NFC", text)
    pieces = t.split(sep) if sep else [t]
    return tuple(p for p in (_tidy_name(x) for x in pieces) if p)


def split_partners(values: Iterable[str | None], sep: str = ";") -> pd.DataFrame:
    """Split the ``civil_partners`` field into one row per organisation.

    Parameters
    ----------
    values
        One string per agreement, names separated by ``sep`` (the register
        writes ``" ; "``). Missing values allowed.
    sep
        The literal separator. Commas are never split on: they occur inside
        names.

    Returns
    -------
    pandas.DataFrame
        Long form, ``RangeIndex``: ``row`` (int64, the input position),
        ``partner_index`` (int64, 1-based within the row) and
        ``partner_name`` (NFC, internal white space collapsed to one space,
        stripped). Empty pieces are dropped, so a row with no partner gives
        no output row; the caller records that.

    Notes
    -----
    The text is NFC-normalised *before* it is split, so a character whose
    normal form is the separator (U+037E GREEK QUESTION MARK is canonically
    ``;``) also separates.

    Examples
    --------
    >>> split_partners(["Bräcke diakoni ; Frälsningsarmén", "", "Röda Korset"]).values.tolist()
    [[0, 1, 'Bräcke diakoni'], [0, 2, 'Frälsningsarmén'], [2, 1, 'Röda Korset']]
    """
    codes, texts = _factorize_texts(values)
    lists = [_split_one(t, sep) for t in texts]
    lengths = np.array([len(x) for x in lists], dtype=np.int64)[codes]
    n = int(lengths.sum())
    rows = np.repeat(np.arange(len(codes), dtype=np.int64), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    index = np.arange(n, dtype=np.int64) - starts + 1
    names = np.empty(n, dtype=object)
    names[:] = [name for c in codes[lengths > 0] for name in lists[c]]
    return pd.DataFrame({"row": rows, "partner_index": index, "partner_name": names})


# --------------------------------------------------------------------------- organisations

#: The organisation types, in this order (the categories of :func:`classify_org_type`).
ORG_TYPES: tuple[str, ...] = (
    "ideell_forening",
    "stiftelse",
    "trossamfund",
    "stadsmission",
    "kvinno_tjejjour",
    "ekonomisk_forening",
    "other",
)

#: Labels of the organisation types in Swedish and English.
ORG_TYPE_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "ideell_forening": "Ideell förening",
        "stiftelse": "Stiftelse",
        "trossamfund": "Trossamfund och kyrkliga organisationer",
        "stadsmission": "Stadsmission",
        "kvinno_tjejjour": "Kvinno- och tjejjour",
        "ekonomisk_forening": "Ekonomisk förening",
        "other": "Övrig eller okänd",
    },
    "en": {
        "ideell_forening": "Non-profit association",
        "stiftelse": "Foundation",
        "trossamfund": "Faith community or church body",
        "stadsmission": "City mission",
        "kvinno_tjejjour": "Women's or girls' shelter",
        "ekonomisk_forening": "Economic association (cooperative)",
        "other": "Other or unknown",
    },
}

# (type, regular expressions searched in the NFC-casefolded name). First match wins.
_ORG_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # A city mission: the word "stadsmission" in any form, also "Kyrkliga Stadsmission".
    ("stadsmission", (r"stadsmission",)),
    # Women's and girls' shelters, named as such: kvinnojour, tjejjour (also the spelling
    # "tjejour"), ungdomsjour, "Kvinno- och tjejjouren". "kvinnoforum" is here because the
    # register's only instance (Kramfors Kvinnoforum, IOP-0033) is called a women's shelter
    # ("kvinnojour") by its source, Kramfors kommun's news of 2023-05-23; the name alone would
    # not say so, and another "Kvinnoforum" elsewhere may be something else.
    (
        "kvinno_tjejjour",
        (
            r"kvinnojour",
            r"tjejj?our",
            r"ungdomsjour",
            r"(?<![\w-])kvinnoforum(?![\w-])",
        ),
    ),
    # A foundation: "stiftelse" anywhere in a word (Stiftelsen X, X kulturstiftelse,
    # Diakonistiftelsen X). The legal form is in the name, so it wins over the rules below.
    ("stiftelse", (r"stiftelse",)),
    # An economic association: the legal form written out or abbreviated, a cooperative
    # ("kooperativ*": Swedish cooperatives are usually economic associations, though a
    # social cooperative can be a non-profit one), a housing cooperative (brf).
    (
        "ekonomisk_forening",
        (
            r"(?<![\w-])ekonomisk[a]?\s+förening\w*",
            r"(?<![\w-])ek\.?\s?för\.?(?![\w-])",
            r"kooperativ",
            r"bostadsrättsförening",
            r"(?<![\w-])brf(?![\w-])",
        ),
    ),
    # Faith communities and church bodies: pastorat, församling, Svenska kyrkan and other
    # churches (a word ending in kyrka/kyrkan/kyrkor…), stift (the word alone), the
    # Salvation Army, Räddningsmissionen (a free-church mission), "Ekumenisk*"
    # (ecumenical, e.g. an ecumenical association), equmenia, mosques and other named faiths,
    # "trossamfund". Not "samfund" alone: it also means a learned or literary society.
    (
        "trossamfund",
        (
            r"pastorat",
            r"församling",
            r"kyrk(?:a|an|ans|or|orna|ornas)(?![\w-])",
            r"(?<![\w-])svenska\s+kyrkan\w*",
            r"(?<![\w-])stift(?![\w-])",
            r"frälsningsarmé",
            r"räddningsmission",
            r"(?<![\w-])ekumenisk",
            r"(?<![\w-])equmenia",
            r"moské",
            r"(?<![\w-])(?:islamisk|muslimsk|katolsk|ortodox|judisk)[\w-]*\s+"
            r"(?:förening|församling|förbund|samfund)",
            r"trossamfund",
        ),
    ),
    # Non-profit associations, from words and abbreviations that name the form or a kind
    # of club: förening, förbund (incl. studieförbund, ABF = Arbetarnas bildningsförbund,
    # RF-SISU = Riksidrottsförbundet's district bodies), klubb, sällskap, "ideell förening",
    # sports-club abbreviations as separate words (IK, IF, BK, FF, FK, SK, OK, GIF, IBK, HK),
    # jour (e.g. brottsofferjour, mansjour; after the shelter rule above), a choir or
    # orchestra (a word ending in kör/kören, orkester), Fontänhus (clubhouses), scouts, and
    # the national associations Röda Korset and Rädda Barnen.
    (
        "ideell_forening",
        (
            r"förening",
            r"förbund",
            r"klubb",
            r"sällskap",
            r"(?<![\w-])(?:abf|rf-sisu|sisu)(?![\w])",
            r"(?<![\w-])(?:ik|if|bk|ff|fk|sk|ok|gif|ibk|hk|aik)(?![\w-])",
            r"jour(?:en|er|erna|ernas|ens)?(?![\w-])",
            r"(?:kör|kören|körer|orkester|orkestern|orkestrar)(?![\w-])",
            r"fontänhus",
            r"(?<![\w-])scout",
            r"(?<![\w-])röda\s+korset\w*",
            r"(?<![\w-])rädda\s+barnen\w*",
        ),
    ),
)
_ORG_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile("|".join(f"(?:{p})" for p in pats))) for kind, pats in _ORG_RULES
)


@lru_cache(maxsize=65536)
def _org_type_one(name: str) -> str | None:
    key = _tidy_name(unicodedata.normalize("NFC", name).casefold())
    if not key:
        return None
    for kind, rx in _ORG_COMPILED:
        if rx.search(key):
            return kind
    return "other"


def _series_index(values: Any, n: int) -> pd.Index:
    return values.index if isinstance(values, pd.Series) else pd.RangeIndex(n)


def classify_org_type(names: Iterable[str | None]) -> pd.Series:
    """Classify civil-society partners by the type their *name* shows.

    Parameters
    ----------
    names
        Organisation names (e.g. ``split_partners(...)["partner_name"]``).

    Returns
    -------
    pandas.Series
        Unordered categorical with the categories of :data:`ORG_TYPES`
        (labels in :data:`ORG_TYPE_LABELS`); NaN for a missing or empty
        name. The index is that of ``names`` when it is a Series, else a
        RangeIndex.

    Notes
    -----
    The rules read only the name; nothing is looked up about the
    organisation. They are tried in this order, and the first that matches
    wins (each rule is commented in the source, ``_ORG_RULES``):

    1. ``stadsmission`` — "stadsmission" in any form (``Göteborgs Kyrkliga
       Stadsmission``, ``Stadsmissionen``);
    2. ``kvinno_tjejjour`` — kvinnojour, tjejjour/tjejour, ungdomsjour, and
       ``kvinnoforum`` (the register's Kramfors Kvinnoforum, IOP-0033, is a
       women's shelter according to its source; this one rule rests on the
       register, not on the name);
    3. ``stiftelse`` — "stiftelse" anywhere in a word (``Stiftelsen X``,
       ``Grönsöö kulturstiftelse``, ``Diakonistiftelsen X``);
    4. ``ekonomisk_forening`` — "ekonomisk förening", "ek. för.", kooperativ*
       (a cooperative is presumed to be an economic association), brf;
    5. ``trossamfund`` — pastorat, församling, a church (``Svenska kyrkan``,
       ``Pingstkyrkan``), Frälsningsarmén, Räddningsmissionen (a free-church
       mission), "Ekumenisk*" and named faiths: faith communities and
       church-based bodies, whatever their legal form;
    6. ``ideell_forening`` — förening, förbund (studieförbund, ABF,
       RF-SISU), klubb, sällskap, sports-club abbreviations (IK, IF, BK, FF,
       OK …), jour (brottsofferjour), kör, orkester, Fontänhus, scouts,
       Röda Korset, Rädda Barnen;
    7. ``other`` — everything else, including names that say nothing of the
       form (``Hela människan``, ``Skyddsvärnet``, ``Bräcke diakoni``) and
       ambiguous ones (``ESK Fotboll`` may be a club or a company).

    Because only the name is read, the same organisation can get different
    types from different spellings: ``Stiftelsen Bräcke Diakoni`` is a
    ``stiftelse`` but ``Bräcke diakoni`` is ``other``. Group by
    :func:`normalise_org_name` (the build's ``partner_key``) and reconcile
    there rather than trusting one spelling.

    Examples
    --------
    >>> classify_org_type(["Kvinnojouren Lund", "Grönsöö kulturstiftelse", "Umeå pastorat",
    ...                    "Malmö FF", "Hela människan"]).tolist()
    ['kvinno_tjejjour', 'stiftelse', 'trossamfund', 'ideell_forening', 'other']
    """
    codes, texts = _factorize_texts(names)
    kinds = _take([_org_type_one(t) for t in texts], codes)
    cat = pd.Categorical(kinds, categories=list(ORG_TYPES), ordered=False)
    return pd.Series(cat, index=_series_index(names, len(codes)), name="org_type")


_LEAD_RE = re.compile(r"^(?:stiftelsen)\s+")
_TRAIL_RE = re.compile(
    r"(?:\s*,\s*|\s+)\(?(?:ideell\s+förening|ekonomisk\s+förening|ek\.\s?för\.?|ek\s+för)\)?$"
)


@lru_cache(maxsize=65536)
def _org_key_one(name: str) -> str:
    key = _tidy_name(unicodedata.normalize("NFC", name).casefold())
    key = key.strip(" ,;:.\"'“”«»")
    for _ in range(2):
        key = _LEAD_RE.sub("", key)
        key = _TRAIL_RE.sub("", key).strip(" ,;:.\"'“”«»")
    return key


def normalise_org_name(names: Iterable[str | None]) -> pd.Series:
    """A grouping key for organisation names written in different ways.

    Parameters
    ----------
    names
        Organisation names.

    Returns
    -------
    pandas.Series of str
        NFC, casefolded, white space collapsed, surrounding quotes and
        punctuation removed, a leading ``"stiftelsen "`` and a trailing
        ``" ideell förening"`` / ``" ekonomisk förening"`` / ``"ek. för."``
        (with or without a comma or brackets) removed. ``""`` for a missing
        name. The index is that of ``names`` when it is a Series, else a
        RangeIndex.

    Notes
    -----
    The key is for grouping spellings of one organisation; it is not a
    display name and does not try to merge different organisations
    (``Stadsmissionen i Linköping`` and ``Stadsmissionen`` keep different
    keys).

    Examples
    --------
    >>> normalise_org_name(["Bräcke diakoni", "Stiftelsen Bräcke Diakoni", "Röda  Korset"]).tolist()
    ['bräcke diakoni', 'bräcke diakoni', 'röda korset']
    """
    codes, texts = _factorize_texts(names)
    keys = _take([_org_key_one(t) for t in texts], codes)
    return pd.Series(keys, index=_series_index(names, len(codes)), name="org_key", dtype=object)
