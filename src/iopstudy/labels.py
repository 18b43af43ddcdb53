"""Labels in Swedish and English, and number formatting in each language.

One dictionary, :data:`LABELS`, holds every text that figures and tables
show (axis and legend titles, group names, notes); :func:`label` looks a key
up in a language. Codes of categories are looked up as ``"<kind>.<code>"``
(``"skr_group.A1"``, ``"size_class.<10k"``, ``"level.kommun"``);
:func:`category_labels` maps many codes at once. Labels of things defined
elsewhere (e.g. policy areas) are passed in with ``extra=``.

:func:`format_number` writes numbers the way each language does: Swedish
uses a no-break space between thousands and a decimal comma (``"1 200"``,
``"0,5"``), English a comma and a point (``"1,200"``, ``"0.5"``).

Examples
--------
>>> label("year", "sv")
'År'
>>> format_number(1234.5, "sv", decimals=1) == "1\\u00a0234,5"
True
>>> format_number(1234.5, "en", decimals=1)
'1,234.5'
"""

from __future__ import annotations

import difflib
import math
import string
from collections.abc import Iterable, Mapping
from typing import Any

from iopstudy.reference import SKR_GROUPS, size_class_labels

__all__ = [
    "LANGS",
    "LABELS",
    "NBSP",
    "label",
    "category_labels",
    "format_number",
    "format_percent",
    "check_lang",
]

#: Supported languages.
LANGS = ("en", "sv")

#: The no-break space used between thousands (and before % ) in Swedish.
NBSP = "\u00a0"

_BASE: dict[str, tuple[str, str]] = {
    # key: (en, sv)
    # axes and legends
    "year": ("Year", "År"),
    "period": ("Period", "Period"),
    "group": ("Group", "Grupp"),
    "share_adopted": ("Share of municipalities with an IOP", "Andel kommuner med IOP"),
    "share_in_operation": ("Share of municipalities, in operation", "Andel kommuner, i drift"),
    "share_units": ("Share of units", "Andel enheter"),
    "share": ("Share", "Andel"),
    "share_agreements": ("Share of agreements", "Andel avtal"),
    "n_municipalities": ("Number of municipalities", "Antal kommuner"),
    "n_agreements": ("Number of agreements", "Antal avtal"),
    "count": ("Count", "Antal"),
    "published_count": ("Published number of IOPs", "Publicerat antal IOP"),
    "source": ("Source", "Källa"),
    "scope": ("Scope", "Omfattning"),
    "survival": ("Share without an IOP", "Andel utan IOP"),
    "survival_generic": ("Survival probability", "Överlevnadssannolikhet"),
    "time": ("Time", "Tid"),
    "years_at_risk": ("Years since start of observation", "År sedan observationens början"),
    "policy_area": ("Policy area", "Verksamhetsområde"),
    "size_class": ("Population size", "Folkmängd"),
    "skr_group": ("SKR municipality group", "SKR:s kommungrupp"),
    "skr_main_group": ("SKR main group", "SKR:s huvudgrupp"),
    "county": ("County", "Län"),
    "level": ("Public body", "Offentlig part"),
    "term": ("Term", "Term"),
    "estimate": ("Estimate", "Skattning"),
    "ratio": ("Ratio", "Kvot"),
    "odds_ratio": ("Odds ratio", "Oddskvot"),
    "hazard_ratio": ("Hazard ratio", "Hasardkvot"),
    "incidence_rate_ratio": ("Incidence rate ratio", "Incidenskvot"),
    "ci": ("{level}% confidence interval", "{level}\u00a0% konfidensintervall"),
    "ci_band": ("{level}% CI (Wilson)", "{level}\u00a0% KI (Wilson)"),
    "p_value": ("p-value", "p-värde"),
    "n": ("n", "n"),
    # values
    "all": ("All", "Samtliga"),
    "other": ("Other", "Övrigt"),
    "undated": ("Undated", "Odaterat"),
    "yes": ("Yes", "Ja"),
    "no": ("No", "Nej"),
    "adopted": ("Has an IOP", "Har IOP"),
    "not_adopted": ("No IOP found", "Ingen IOP funnen"),
    "level.kommun": ("Municipality", "Kommun"),
    "level.region": ("Region", "Region"),
    "level.stat": ("State", "Stat"),
    "skr_main_group.A": (
        "Large cities and municipalities near large cities",
        "Storstäder och storstadsnära kommuner",
    ),
    "skr_main_group.B": (
        "Large towns and municipalities near large towns",
        "Större städer och kommuner nära större stad",
    ),
    "skr_main_group.C": (
        "Small towns/urban areas and rural municipalities",
        "Mindre städer/tätorter och landsbygdskommuner",
    ),
    # notes
    "note_partial_register": (
        "Partial register: {n} agreements found in public sources, not a census",
        "Ofullständigt register: {n} avtal funna i offentliga källor, inte en totalräkning",
    ),
    "note_partial_data": (
        "Partial data: agreements found in public sources, not a census",
        "Ofullständiga data: avtal funna i offentliga källor, inte en totalräkning",
    ),
    "note_illustrative": ("Illustrative data", "Illustrativa data"),
    "note_published_counts": (
        "Published counts differ in definition (identified, started, active, ongoing) and method; "
        "they are not one time series",
        "De publicerade antalen skiljer sig i definition (identifierade, startade, aktiva, "
        "pågående) och metod; de är ingen tidsserie",
    ),
    "note_ci": (
        "Shaded bands: {level}% confidence intervals",
        "Skuggade band: {level}\u00a0% konfidensintervall",
    ),
    "note_wilson": (
        "Bands: {level}% Wilson confidence intervals",
        "Band: {level}\u00a0% Wilson-konfidensintervall",
    ),
    "note_km": (
        "Kaplan–Meier estimate with {level}% log-log confidence intervals",
        "Kaplan–Meier-skattning med {level}\u00a0% log-log-konfidensintervall",
    ),
    "note_forest": (
        "Points: estimates; lines: {level}% confidence intervals; log scale",
        "Punkter: skattningar; linjer: {level}\u00a0% konfidensintervall; logaritmisk skala",
    ),
    "note_forest_linear": (
        "Points: estimates; lines: {level}% confidence intervals",
        "Punkter: skattningar; linjer: {level}\u00a0% konfidensintervall",
    ),
    "note_lov": (
        "LOV (Act on System of Choice) in operation; source: SKR",
        "LOV (lagen om valfrihetssystem) i drift; källa: SKR",
    ),
    "source_skr": ("Source: SKR", "Källa: SKR"),
}


def _build() -> dict[str, dict[str, str]]:
    out = {k: {"en": en, "sv": sv} for k, (en, sv) in _BASE.items()}
    for code, (sv, en) in SKR_GROUPS.items():
        out[f"skr_group.{code}"] = {"en": en, "sv": sv}
    en_size, sv_size = size_class_labels("en"), size_class_labels("sv")
    for code in en_size:
        out[f"size_class.{code}"] = {"en": en_size[code], "sv": sv_size[code]}
    return out


#: All labels: ``LABELS[key] == {"en": ..., "sv": ...}``.
LABELS: dict[str, dict[str, str]] = _build()


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"en"`` or ``"sv"``, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'sv', not {lang!r}")
    return lang


def _lookup(key: str, lang: str, extra: Mapping[str, Any] | None) -> str | None:
    for source in (extra, LABELS):
        if not source or key not in source:
            continue
        v = source[key]
        if isinstance(v, Mapping):
            if lang in v:
                return str(v[lang])
            continue
        return str(v)
    return None


def label(
    key: str,
    lang: str = "en",
    *,
    extra: Mapping[str, Any] | None = None,
    default: str | None = None,
    **fields: Any,
) -> str:
    """The label of ``key`` in ``lang``.

    Parameters
    ----------
    key
        A key of :data:`LABELS`, or of ``extra``.
    lang
        ``"en"`` or ``"sv"``.
    extra
        More labels, looked up first: ``{key: {"en": ..., "sv": ...}}`` or
        ``{key: text}`` (one text for both languages), e.g. policy areas.
    default
        Returned when the key is unknown; without it an unknown key raises
        KeyError (with close matches).
    **fields
        Values for placeholders such as ``{n}``; numbers are formatted with
        :func:`format_number` in ``lang``. ``{level}`` defaults to 95.

    Examples
    --------
    >>> label("note_partial_register", "en", n=80)
    'Partial register: 80 agreements found in public sources, not a census'
    >>> label("violence", "sv", extra={"violence": {"en": "Violence", "sv": "Våld"}})
    'Våld'
    """
    check_lang(lang)
    text = _lookup(key, lang, extra)
    if text is None:
        if default is not None:
            return default
        known = list(LABELS) + list(extra or {})
        close = difflib.get_close_matches(key, known, n=3)
        hint = f"; did you mean {close}?" if close else ""
        raise KeyError(f"no label {key!r}{hint}")
    names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    if not names:
        return text
    values = {"level": 95, **fields}
    missing = names - set(values)
    if missing:
        raise KeyError(f"label {key!r} needs value(s) for {sorted(missing)}")
    shown = {
        k: (format_number(v, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
        for k, v in values.items()
    }
    return text.format(**shown)


def category_labels(
    kind: str,
    codes: Iterable[Any],
    lang: str = "en",
    *,
    extra: Mapping[str, Any] | None = None,
) -> dict[Any, str]:
    """Map category codes to labels: ``{code: label(f"{kind}.{code}", lang)}``.

    Codes without a label keep their code as text (``extra`` may be keyed by
    ``code`` or ``"kind.code"``).

    Examples
    --------
    >>> category_labels("skr_main_group", ["A", "Z"], "en")["Z"]
    'Z'
    """
    out = {}
    for c in codes:
        key = f"{kind}.{c}"
        text = _lookup(key, lang, extra)
        if text is None and extra is not None:
            text = _lookup(str(c), lang, extra)
        out[c] = text if text is not None else str(c)
    return out


def _group_thousands(digits: str, sep: str) -> str:
    rev = digits[::-1]
    return sep.join(rev[i : i + 3] for i in range(0, len(rev), 3))[::-1]


def format_number(
    x: Any,
    lang: str = "en",
    decimals: int = 0,
    *,
    thousands_sep: str | None = None,
    minus: str = "-",
    na: str = "",
) -> str:
    """Format a number in the language's convention.

    Parameters
    ----------
    x
        The number (int, float, numpy number). Missing values give ``na``.
    lang
        ``"sv"``: no-break space (U+00A0) between thousands, decimal comma
        (``"1 200"``, ``"0,5"``). ``"en"``: ``"1,200"``, ``"0.5"``.
    decimals
        Digits after the decimal sign (rounding half to even, as Python's
        ``format``).
    thousands_sep
        Override the thousands separator (e.g. ``""`` for years, ``"\\u202f"``
        for a narrow no-break space).
    minus
        Minus sign (``"\\u2212"`` for typeset output).
    na
        Text for missing values.

    Examples
    --------
    >>> format_number(1200, "en")
    '1,200'
    >>> format_number(0.5, "sv", 1)
    '0,5'
    >>> format_number(-1234567.891, "en", 2)
    '-1,234,567.89'
    """
    check_lang(lang)
    if x is None:
        return na
    try:
        if x != x:  # NaN, pd.NA raises TypeError
            return na
    except TypeError:
        return na
    v = float(x)
    if math.isinf(v):
        return ("" if v > 0 else minus) + "∞"
    sep = thousands_sep if thousands_sep is not None else (NBSP if lang == "sv" else ",")
    dec = "," if lang == "sv" else "."
    s = f"{abs(v):.{int(decimals)}f}"
    if "." in s:
        whole, frac = s.split(".")
    else:
        whole, frac = s, ""
    negative = v < 0 and any(ch not in "0." for ch in s)
    body = _group_thousands(whole, sep) + (dec + frac if frac else "")
    return (minus if negative else "") + body


def format_percent(x: Any, lang: str = "en", decimals: int = 0, **kw: Any) -> str:
    """Format a share (0–1) as a percentage: en ``"25%"``, sv ``"25 %"`` (no-break space).

    Examples
    --------
    >>> format_percent(0.255, "en", 1)
    '25.5%'
    """
    check_lang(lang)
    if x is None:
        return kw.get("na", "")
    try:
        if x != x:
            return kw.get("na", "")
    except TypeError:
        return kw.get("na", "")
    num = format_number(float(x) * 100, lang, decimals, **kw)
    return num + (NBSP + "%" if lang == "sv" else "%")
