"""The scan for personal data: what counts as personal data, in a text and in output files.

:func:`find_pii` finds personal data in one text; :func:`scan_pii` reads files and folders
(the outputs of a build, a notebook, a report) and reports what it finds, partly masked
(:func:`mask`). :mod:`iopstudy.interviews.privacy` replaces the same hits by pseudonyms and
re-exports every public name of this module.

What is detected
----------------
``PERSON``
    Names from a per-project list (``names``): each full name, and
    separately each of its parts (first and last names) of two letters or
    more; matched case-insensitively as whole words, also in the Swedish
    genitive (``Annas``, ``Anna:s``). Parts that are also common Swedish
    words (``Hans``, ``Per``, ``Dag``, ``Berg`` …, see :data:`AMBIGUOUS_NAME_PARTS`)
    are matched only when capitalised, so *hans* ("his") is left alone.
``EMAIL``
    E-mail addresses.
``TELEFON``
    Swedish phone numbers: ``070-123 45 67``, ``0701234567``,
    ``+46 70 123 45 67``, ``0046 70 …``, ``08-123 456 78``,
    ``031-12 34 56`` …: a leading ``0`` (or ``+46``/``0046``) and 8–10 digits
    in all (national form), grouped as phone numbers are. Numbers inside
    URLs, or glued to a word, ``-``, ``/``, ``.`` or ``=``, are not phone numbers.
``PNR``
    Personnummer and samordningsnummer (day + 60): ``YYMMDD-NNNN``,
    ``YYMMDD+NNNN``, ``YYYYMMDDNNNN``, ``YYYYMMDD-NNNN`` and ``YYMMDDNNNN``,
    only when the date exists and the Luhn check digit is valid.

Overlapping hits are resolved in one order (e-mail > personnummer with separator or century >
name > phone > bare 10-digit personnummer); :func:`pii_spans` gives the resolved hits to the
pseudonymisation, and :func:`canonical_form` the form of a hit that its pseudonym is made from.
"""

from __future__ import annotations

import bisect
import calendar
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.interviews.results import PiiScan
from iopstudy.text import decode_bytes
from iopstudy.xlsx import NotHandled as _Fallback  # noqa: F401  (its name in tests/test_privacy.py)
from iopstudy.xlsx import read_sheets

__all__ = [
    "PII_KINDS",
    "AMBIGUOUS_NAME_PARTS",
    "SCANNED_SUFFIXES",
    "PiiMatch",
    "luhn_valid",
    "is_personnummer",
    "find_pii",
    "mask",
    "scan_pii",
]

#: Kinds reported by :func:`find_pii`, which are also the pseudonym prefixes.
PII_KINDS: tuple[str, ...] = ("PERSON", "EMAIL", "TELEFON", "PNR")

#: Name parts that are also common Swedish words: matched only when capitalised.
AMBIGUOUS_NAME_PARTS: frozenset[str] = frozenset(
    """
    alm ask berg björk björn blom bo borg dag ek fors frid hall hans hed hjort holm
    karl lax lind lo lund maj per ros rut sjö sol sten stig strand ström svan tor
    varg vide viking örn
    """.split()
)


class PiiMatch(NamedTuple):
    """One hit of :func:`find_pii`: kind, character offsets and the matched text.

    Examples
    --------
    >>> hit = find_pii("Maila kim@exempel.example")[0]
    >>> hit.kind, hit.start, hit.end, hit.match
    ('EMAIL', 6, 25, 'kim@exempel.example')
    """

    kind: str
    start: int
    end: int
    match: str


# --------------------------------------------------------------------------- detectors
def luhn_valid(digits: str) -> bool:
    """True if the last digit of ``digits`` is its Luhn (mod 10) check digit.

    >>> luhn_valid("1212121212"), luhn_valid("1212121213")
    (True, False)
    """
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits[:-1])):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(digits[-1])


def _date_ok(yy: str, mm: str, dd: str, century: str | None) -> bool:
    month, day = int(mm), int(dd)
    if day > 60:  # samordningsnummer
        day -= 60
    if not 1 <= month <= 12 or day < 1:
        return False
    years = [int(century + yy)] if century else [1900 + int(yy), 2000 + int(yy)]
    return any(day <= calendar.monthrange(y, month)[1] for y in years)


# not the digits of a decimal fraction ("0.5602020769") or of a number with decimals
_PNR_RX = re.compile(
    r"(?<![\w+\-])(?<!\d[.,])(?P<cent>18|19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)(?![\w\-])(?![.,]\d)"
)


def is_personnummer(text: str) -> bool:
    """True if ``text`` is a personnummer or samordningsnummer with a valid date and check digit.

    >>> is_personnummer("121212-1212"), is_personnummer("121212-1213"), is_personnummer("19121212+1212")
    (True, False, True)
    """
    m = _PNR_RX.fullmatch(text.strip())
    return bool(m) and _pnr_ok(m)


def _pnr_ok(m: re.Match[str]) -> bool:
    digits = m["yy"] + m["mm"] + m["dd"] + m["serial"] + m["check"]
    return _date_ok(m["yy"], m["mm"], m["dd"], m["cent"]) and luhn_valid(digits)


_EMAIL_RX = re.compile(
    r"(?<![\w.+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?![\w\-])", re.UNICODE
)
_PHONE_RX = re.compile(
    r"(?<![\w+\-/.=#&?%])"
    r"(?P<prefix>(?:\+|00)46[ \-]?(?:\(0\)[ \-]?)?[1-9]\d{0,2}|\(0[1-9]\d{0,2}\)|0[1-9]\d{0,2})"
    r"(?:[ ]?-[ ]?|[ ])?"
    r"(?P<sub>\d{5,8}|\d{2,3}(?:[ \-]\d{2,3}){1,3})"
    r"(?![\w\-]|[.,]\d)"
)
_PNR_SHAPE_RX = re.compile(r"\d{6}[-+]\d{4}")
_DIGITS_RX = re.compile(r"\d\d")
_URL_RX = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL_RUN_RX = re.compile(r"[\w.%+\-@]*")  # every character an e-mail match can consume

# -- long texts (notebooks, HTML, SVG): a pattern is tried only where a match can start.
# The candidates follow from each pattern's first characters and look-behinds (so no match
# is missed), and ``rx.match`` at a candidate is the attempt ``rx.finditer`` makes there, so
# the hits are exactly those of ``rx.finditer(text)``.
_BIG = 4096
_DIG, _PNR_LB, _DOTCOMMA, _PHONE_LB = 1, 2, 4, 8  # \d; [\w+\-]; [.,]; [\w+\-/.=#&?%]


def _char_flags(ch: str) -> int:
    """The classes of one character that the patterns start or look behind with."""
    word = ch.isalnum() or ch == "_"  # \w of re for str patterns (and \d is str.isdecimal)
    return ((_DIG if ch.isdecimal() else 0) | (_PNR_LB if word or ch in "+-" else 0)
            | (_DOTCOMMA if ch in ".," else 0) | (_PHONE_LB if word or ch in "+-/.=#&?%" else 0))


_FLAGS = bytes(_char_flags(chr(i)) for i in range(128)) + bytes(128)


def _candidates(text: str) -> tuple[list[int], list[int]]:
    """Where a personnummer and where a phone number can start in ``text`` (a superset)."""
    import numpy as np

    raw = text.encode("ascii", "replace")  # one byte a character; other characters are "?"
    code = np.frombuffer(raw + b"\0" * 8, dtype=np.uint8)
    fl = np.frombuffer(raw.translate(_FLAGS) + b"\0" * 8, dtype=np.uint8)
    if not text.isascii():
        fl = fl.copy()
        for i in np.flatnonzero(code == 0x3F).tolist():
            fl[i] = _char_flags(text[i])
    n = len(raw)
    prev = np.concatenate([np.zeros(1, np.uint8), fl[: max(n - 1, 0)]])[:n]  # of the character before

    # personnummer: six digits, after neither [\w+\-] nor a digit and [.,]
    p = np.flatnonzero((fl[:n] & _DIG).astype(bool) & ~(prev & _PNR_LB).astype(bool))
    ok = np.ones(len(p), dtype=bool)
    for k in range(1, 6):
        ok &= (fl[p + k] & _DIG).astype(bool)
    before2 = np.where(p >= 2, fl[np.maximum(p - 2, 0)], 0)
    ok &= ~((prev[p] & _DOTCOMMA).astype(bool) & (before2 & _DIG).astype(bool))
    pnr = p[ok]
    # phone: "0" and 1-9, "0046", "+46" or "(0" and 1-9, after no character of [\w+\-/.=#&?%]
    c = code[:n]
    p = np.flatnonzero(((c == 0x30) | (c == 0x2B) | (c == 0x28)) & ~(prev & _PHONE_LB).astype(bool))
    c0, c1, c2, c3 = (code[p + k] for k in range(4))
    nonzero = (c1 >= 0x31) & (c1 <= 0x39)
    ok = (c0 == 0x30) & (nonzero | ((c1 == 0x30) & (c2 == 0x34) & (c3 == 0x36)))
    ok |= (c0 == 0x2B) & (c1 == 0x34) & (c2 == 0x36)
    ok |= (c0 == 0x28) & (c1 == 0x30) & (c2 >= 0x31) & (c2 <= 0x39)
    return pnr.tolist(), p[ok].tolist()


def _finditer_at(rx: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, trying only ``starts`` (sorted; None: every position)."""
    pos = 0
    if starts is None:
        yield from rx.finditer(text)
    for p in starts or ():
        if p >= pos and (m := rx.match(text, p)):
            yield m
            pos = m.end()


def _email_matches(text: str) -> Iterator[re.Match[str]]:
    """``_EMAIL_RX.finditer(text)``, scanned only around each "@": a match holds one and lies in
    one run of characters it can consume (``_EMAIL_RUN_RX``), whose ends bound its look-arounds."""
    n, i = len(text), text.find("@")
    rev = text[::-1] if i >= 0 else ""
    while i >= 0:
        lo = i - (_EMAIL_RUN_RX.match(rev, n - i).end() - (n - i))
        hi = _EMAIL_RUN_RX.match(text, i).end()
        yield from (m for m in _EMAIL_RX.finditer(text, lo, min(n, hi + 1)) if m.start() < hi)
        i = text.find("@", hi)


def _phone_digits(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip().startswith("+46"):
        digits = "0" + digits[2:]
    elif digits.startswith("0046"):
        digits = "0" + digits[4:]
    if digits.startswith("00"):  # "+46 (0)8 …"
        digits = digits[1:]
    return digits


def _phone_ok(raw: str) -> bool:
    if _PNR_SHAPE_RX.fullmatch(raw):
        return False
    digits = _phone_digits(raw)
    return 8 <= len(digits) <= 10 and digits[0] == "0" and digits[1] != "0"


class NameMatcher:
    """One compiled pattern for a names list (full names first, then parts).

    ``forms`` maps each matched form (case-folded) to whether it is matched only when
    capitalised (a part in :data:`AMBIGUOUS_NAME_PARTS`). Made by :func:`compile_names`,
    which caches it, for :func:`pii_spans`.

    Examples
    --------
    >>> NameMatcher(["Anna Berg"]).forms
    {'anna berg': False, 'anna': False, 'berg': True}
    """

    def __init__(self, names: Iterable[str]):
        if isinstance(names, str):
            names = [names]
        forms: dict[str, bool] = {}  # form -> case-sensitive?
        for name in names:
            name = " ".join(unicodedata.normalize("NFC", str(name)).split())
            if len(name) < 2:
                continue
            forms.setdefault(name.casefold(), False)
            parts = name.split(" ")
            if len(parts) > 1:
                for part in parts:
                    if len(part) >= 2 and part.casefold() not in forms:
                        forms[part.casefold()] = part.casefold() in AMBIGUOUS_NAME_PARTS
        self.forms = forms
        if not forms:
            self.rx = None
            return
        alts = []
        for form in sorted(forms, key=lambda f: (-len(f), f)):
            body = r"\s+".join(re.escape(w) for w in form.split(" "))
            if forms[form]:  # ambiguous part: capitalised only
                body = f"(?-i:{re.escape(form[:1].upper())})(?i:{re.escape(form[1:])})"
            alts.append(body)
        self.rx = re.compile(
            r"(?<!\w)(?P<name>" + "|".join(alts) + r")(?P<gen>:s|s)?(?!\w)", re.IGNORECASE
        )

    def finditer(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, name, genitive suffix)."""
        if self.rx is None:
            return
        for m in self.rx.finditer(text):
            name = m["name"]
            gen = m["gen"] or ""
            # a listed name ending in s ("Jonas") is the name itself, not a genitive
            if gen == "s" and " ".join((name + "s").casefold().split()) in self.forms:
                name, gen = name + "s", ""
            yield m.start(), m.end(), name, gen


@lru_cache(maxsize=32)
def _cached_matcher(names: tuple[str, ...]) -> NameMatcher:
    return NameMatcher(names)


def compile_names(names: Iterable[str] | None) -> NameMatcher | None:
    """The :class:`NameMatcher` of a names list (cached), None for no list; a matcher passes through."""
    if names is None:
        return None
    if isinstance(names, NameMatcher):
        return names
    if isinstance(names, str):
        names = [names]
    return _cached_matcher(tuple(names))


# priority: lower wins on overlap
_PRIO = {"EMAIL": 0, "PNR": 1, "PERSON": 2, "TELEFON": 3, "PNR10": 4}


def pii_spans(text: str, names: NameMatcher | None) -> list[tuple[int, int, str, str, str]]:
    """All hits as ``(start, end, kind, matched text, genitive)``, overlaps resolved, in text order.

    The hits of :func:`find_pii`, with the genitive suffix of a name (``"s"``, ``":s"`` or
    ``""``) that a pseudonym keeps; ``names`` is a :class:`NameMatcher` (:func:`compile_names`)
    or None.

    Examples
    --------
    >>> pii_spans("Annas nummer: 070-174 06 12", compile_names(["Anna Berg"]))
    [(0, 5, 'PERSON', 'Annas', 's'), (14, 27, 'TELEFON', '070-174 06 12', '')]
    """
    cands: list[tuple[int, int, int, str, str, str]] = []
    for m in _email_matches(text):  # every e-mail address holds an "@"
        cands.append((_PRIO["EMAIL"], m.start(), m.end(), "EMAIL", m.group(0), ""))
    if _DIGITS_RX.search(text):  # personnummer and phone numbers hold two digits in a row
        pnr_at, phone_at = _candidates(text) if len(text) >= _BIG else (None, None)
        for m in _finditer_at(_PNR_RX, text, pnr_at):
            if _pnr_ok(m):
                prio = _PRIO["PNR"] if (m["sep"] or m["cent"]) else _PRIO["PNR10"]
                cands.append((prio, m.start(), m.end(), "PNR", m.group(0), ""))
        urls: list[tuple[int, int]] = []
        url_starts: list[int] | None = None  # the URLs, found when a phone number needs them
        for m in _finditer_at(_PHONE_RX, text, phone_at):
            if not _phone_ok(m.group(0)):
                continue
            if url_starts is None:
                urls = [(u.start(), u.end()) for u in _URL_RX.finditer(text)]
                url_starts = [s for s, _ in urls]
            k = bisect.bisect_right(url_starts, m.start()) - 1  # URLs do not overlap
            if k >= 0 and m.start() < urls[k][1]:
                continue
            cands.append((_PRIO["TELEFON"], m.start(), m.end(), "TELEFON", m.group(0), ""))
    if names is not None:
        for s, e, name, gen in names.finditer(text):
            cands.append((_PRIO["PERSON"], s, e, "PERSON", text[s:e], gen))
    if not cands:
        return []
    cands.sort(key=lambda c: (c[0], c[1]))
    taken: list[tuple[int, int]] = []
    out = []
    for _prio, s, e, kind, match, extra in cands:
        i = bisect.bisect_left(taken, (s, -1))
        if i > 0 and taken[i - 1][1] > s:
            continue
        if i < len(taken) and taken[i][0] < e:
            continue
        taken.insert(i, (s, e))
        out.append((s, e, kind, match, extra))
    out.sort()
    return out


def find_pii(text: str, names: Iterable[str] | None = None) -> list[PiiMatch]:
    """Find e-mail addresses, phone numbers, personnummer and (if given) names.

    Parameters
    ----------
    text
        Any text (NFC-normalise it first if it may hold decomposed letters).
    names
        Optional names list (see the module docstring for how names match).

    Returns
    -------
    list of PiiMatch
        ``(kind, start, end, match)`` tuples in text order, ``kind`` one of
        :data:`PII_KINDS`; overlapping hits are resolved (e-mail > personnummer
        with separator or century > name > phone > bare 10-digit personnummer).

    Examples
    --------
    >>> [tuple(h) for h in find_pii("Ring 070-174 06 12 eller maila kim@exempel.example.")]
    [('TELEFON', 5, 18, '070-174 06 12'), ('EMAIL', 31, 50, 'kim@exempel.example')]
    >>> find_pii("Möte 2024-03-15 kl 10, kommun 0180, 1 200 000 kr, IOP-0001.")
    []
    """
    return [PiiMatch(k, s, e, m) for s, e, k, m, _ in pii_spans(text, compile_names(names))]


def canonical_form(kind: str, match: str) -> str:
    """The form of a hit that its pseudonym is made from: case, spacing and separators ignored.

    Names are NFC, case-folded and single-spaced; e-mail addresses case-folded; phone numbers
    their national digits (``+46 70 …`` → ``070…``); personnummer the ten digits without
    century or separator.

    Examples
    --------
    >>> canonical_form("TELEFON", "+46 70 174 06 12"), canonical_form("PNR", "19121212-1212")
    ('0701740612', '1212121212')
    """
    if kind == "PERSON":
        return " ".join(unicodedata.normalize("NFC", match).casefold().split())
    if kind == "EMAIL":
        return match.casefold()
    if kind == "TELEFON":
        return _phone_digits(match)
    if kind == "PNR":
        m = _PNR_RX.fullmatch(match)
        if m:
            return m["yy"] + m["mm"] + m["dd"] + m["serial"] + m["check"]
        return re.sub(r"\D", "", match)[-10:]
    raise ValueError(f"unknown kind {kind!r}; use one of {PII_KINDS}")


# --------------------------------------------------------------------------- scan
#: Plain-text suffixes scanned line by line.
_TEXT_SUFFIXES = frozenset(
    ".csv .tsv .txt .md .markdown .rst .json .jsonl .geojson .html .htm .xml .svg .tex .bib "
    ".ipynb .yml .yaml .log .qde .qdc".split()
)
#: Suffixes read through a library: Excel via :mod:`iopstudy.xlsx`, parquet via pandas,
#: Word via python-docx, QDPX (zip) member by member.
_LIB_SUFFIXES = frozenset({".xlsx", ".xlsm", ".parquet", ".docx", ".qdpx"})

#: Every suffix :func:`scan_pii` reads; all other files are skipped.
SCANNED_SUFFIXES: frozenset[str] = _TEXT_SUFFIXES | _LIB_SUFFIXES

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules",
                        ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache", ".tox"})


def mask(kind: str, match: str) -> str:
    """Partly mask a hit for reports: ``anna.l@x.se`` → ``an***@x.se``.

    >>> mask("EMAIL", "anna.lind@exempel.example"), mask("TELEFON", "070-174 06 12"), mask("PNR", "121212-1212")
    ('an***@exempel.example', '070-*** ** 12', '12****-****')
    """
    if kind == "EMAIL" and "@" in match:
        local, domain = match.split("@", 1)
        return f"{local[:2]}***@{domain}"
    if kind == "PERSON":
        return match[:1] + "***"
    if kind == "TELEFON":
        digits_seen = 0
        n = sum(ch.isdigit() for ch in match)
        out = []
        for ch in match:
            if ch.isdigit():
                digits_seen += 1
                out.append(ch if digits_seen <= 3 or digits_seen > n - 2 else "*")
            else:
                out.append(ch)
        return "".join(out)
    if kind == "PNR":
        seen = 0
        out = []
        for ch in match:
            if ch.isdigit():
                seen += 1
                out.append(ch if seen <= 2 else "*")
            else:
                out.append(ch)
        return "".join(out)
    return "***"


def _iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for p in paths:
        p = Path(p)
        if p.is_file():
            yield p
        elif p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
                for f in sorted(files):
                    yield Path(root) / f
        else:
            raise InputError("path to scan not found", file=str(p))


def _decode_lenient(data: bytes, name: str) -> str:
    """The decoding policy of :func:`iopstudy.text.decode_bytes`, going on past bad bytes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IopStudyWarning)
        try:
            return decode_bytes(data, name)[0]
        except InputError:
            return decode_bytes(data.decode("utf-8", errors="replace").encode("utf-8"), name)[0]


# Notebook cell ids are random hex strings; one made only of digits can look
# like a phone number. They are blanked (same length, so lines stay) before a scan.
_CELL_ID = re.compile(r'("id":\s*"|cell-id=)([0-9A-Za-z_\-]+)')


def _blank_cell_ids(text: str) -> str:
    return _CELL_ID.sub(lambda m: m.group(1) + "x" * len(m.group(2)), text)


def _scan_text(text: str, matcher) -> Iterator[tuple[int, str, str]]:
    """(line, kind, match) of every hit in ``text``."""
    hits = pii_spans(text, matcher)
    if not hits:
        return
    newlines = [m.start() for m in re.finditer("\n", text)]
    for s, _e, kind, match, _ in hits:
        yield bisect.bisect_right(newlines, s - 1) + 1, kind, match


# --------------------------------------------------------------------------- xlsx
# Excel files are read by iopstudy.xlsx: openpyxl's read-only, data-only values, read fast.
def _cell_texts(rows: Iterable[tuple]) -> list[tuple[int, str]]:
    """(row number, text) of every text cell."""
    return [(r, v) for r, row in enumerate(rows, start=1) for v in row if isinstance(v, str)]


def _xlsx_fast(path: Path) -> list[tuple[str, list[tuple[int, str]]]]:
    """The text cells of each sheet; :class:`_Fallback` where openpyxl would have to read a part."""
    return [(title, _cell_texts(rows)) for title, rows in read_sheets(path, fallback=False)]


def _xlsx_openpyxl(path: Path) -> list[tuple[str, list[tuple[int, str]]]]:
    """The same, read by openpyxl alone."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [(ws.title, _cell_texts(ws.iter_rows(values_only=True))) for ws in wb.worksheets]
    finally:
        wb.close()


def _units(path: Path) -> Iterator[tuple[str, str | list[tuple[int, str]]]]:
    """(file label, content) for one file: a whole text, or (line, text) cells."""
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        data = path.read_bytes()
        if b"\x00" not in data[:8192]:
            text = _decode_lenient(data, str(path))
            if suffix in (".ipynb", ".html", ".htm"):
                text = _blank_cell_ids(text)
            yield str(path), text
    elif suffix in (".xlsx", ".xlsm"):
        for title, rows in read_sheets(path):  # what it does not read as openpyxl does, openpyxl reads
            yield f"{path} [{title}]", _cell_texts(rows)
    elif suffix == ".parquet":
        import pandas as pd

        frame = pd.read_parquet(path)
        for col in frame.columns:
            s = frame[col]
            if s.dtype == object or str(s.dtype).startswith(("str", "large_string", "category")):
                cells = [(i + 1, v) for i, v in enumerate(s.astype(object)) if isinstance(v, str)]
                yield f"{path} [{col}]", cells
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [(i + 1, par.text) for i, par in enumerate(document.paragraphs)]
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    cells.append((len(cells) + 1, cell.text))
        yield str(path), cells
    elif suffix == ".qdpx":
        import zipfile

        with zipfile.ZipFile(path) as zf:
            for member in zf.namelist():
                if Path(member).suffix.lower() in _TEXT_SUFFIXES:
                    yield f"{path} [{member}]", _decode_lenient(zf.read(member), f"{path} [{member}]")


def scan_pii(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    names: Iterable[str] | None = None,
) -> PiiScan:
    """Scan files and folders for personal data left in outputs.

    Reads every file with a suffix in :data:`SCANNED_SUFFIXES` under the given
    files and folders (folders recursively; ``.git``, ``.venv``,
    ``__pycache__`` and similar are not entered): plain text (csv, tsv, txt,
    md, json, html, xml, svg, tex, ipynb, yml …) line by line, Excel cell
    values as openpyxl reads them, parquet string columns via pandas, Word paragraphs
    via python-docx and the text members of a QDPX zip. Binary files (png,
    pdf, jpg, zip …) and any other suffix are **skipped** (listed in
    ``skipped``), as is a text file holding NUL bytes.

    Parameters
    ----------
    paths
        Files and/or folders.
    names
        Optional names list; names are then reported too (kind ``PERSON``).

    Returns
    -------
    PiiScan
        ``matches``: columns ``file`` (str; for Excel ``"book.xlsx [Sheet]"``, for
        parquet ``"t.parquet [column]"``, for QDPX ``"p.qdpx [member]"``), ``line``
        (int64, 1-based line; for Excel the row, for parquet the data row, for
        Word the paragraph), ``kind`` (one of :data:`PII_KINDS`) and ``match``
        (partly masked with :func:`mask`); empty when nothing was found.
        ``skipped``: the files not scanned.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.md").write_text("rad ett\\nring 070-174 06 12\\n", encoding="utf-8")
    >>> _ = (d / "b.png").write_bytes(b"")
    >>> scan = scan_pii(d)
    >>> scan.matches[["line", "kind", "match"]].values.tolist(), [pathlib.Path(f).name for f in scan.skipped]
    ([[2, 'TELEFON', '070-*** ** 12']], ['b.png'])
    """
    import pandas as pd

    matcher = compile_names(names)
    rows = []
    skipped = []
    for path in _iter_files(paths):
        if path.suffix.lower() not in SCANNED_SUFFIXES:
            skipped.append(str(path))
            continue
        try:
            for label, content in _units(path):
                if isinstance(content, str):
                    for line, kind, match in _scan_text(content, matcher):
                        rows.append((label, line, kind, mask(kind, match)))
                    continue
                for line, text in content:
                    for _ln, kind, match in _scan_text(text, matcher):
                        rows.append((label, line, kind, mask(kind, match)))
        except Exception as err:  # a file that cannot be read must not pass silently
            raise InputError(
                f"cannot be scanned ({type(err).__name__}: {err}); fix or remove the file",
                file=str(path),
            ) from None
    out = pd.DataFrame(rows, columns=["file", "line", "kind", "match"])
    out["line"] = out["line"].astype("int64")
    return PiiScan(out, tuple(skipped))
