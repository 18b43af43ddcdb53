"""Amounts of money in the register ("1,3 mnkr årligen", "totalt 3 miljoner kronor").

:func:`parse_amounts` follows the rules of :mod:`iopstudy.register.fields`: one row per input,
never a raise on odd input (a ``problem`` column says why), deterministic, each distinct string
read once. The ``period`` says what the amount refers to: ``per_year``, ``total``, ``one_year``
or ``unknown``.

Examples
--------
>>> parse_amounts(["1,3 mnkr årligen"])[["amount_sek", "period"]].values.tolist()
[[1300000.0, 'per_year']]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, NamedTuple

import pandas as pd

from iopstudy.register.fields import MAX_YEAR, MIN_YEAR
from iopstudy.text import clean, factorize_texts, take

__all__ = [
    "parse_amounts",
]


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
            re.fullmatch(r"\d{4}", m.group("num")) and MIN_YEAR <= int(m.group("num")) <= MAX_YEAR
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
        if MIN_YEAR <= y <= MAX_YEAR:
            years.add(y)
            work = _blank(work, m.start(), m.end())
    has_range = False
    for m in _YEAR_RANGE_RE.finditer(work):
        if MIN_YEAR <= int(m.group("a")) <= MAX_YEAR:
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
        return _amount_core(clean(text))
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
    codes, texts = factorize_texts(values)
    results = [_parse_amount_text(t) for t in texts]
    years = take([r[3] for r in results], codes)
    return pd.DataFrame(
        {
            "text": take(texts, codes),
            "amount_sek": take([r[0] for r in results], codes, dtype="float64"),
            "period": take([r[1] for r in results], codes),
            "approx": take([r[2] for r in results], codes, dtype=bool),
            "amount_year": pd.array(years, dtype="Int64"),
            "problem": take([r[4] for r in results], codes),
        }
    )
