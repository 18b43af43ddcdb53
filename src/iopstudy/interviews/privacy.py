"""Pseudonymisation of interview text and a scan for personal data.

Interview transcripts are personal data. This module replaces what can
identify a person with stable pseudonyms and checks outputs for leftovers.

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

Pseudonyms
----------
``[PERSON-3f9a2c]``, ``[EMAIL-…]``, ``[TELEFON-…]``, ``[PNR-…]``: the first
six hex digits of HMAC-SHA256(salt, kind + ":" + canonical form), where the
canonical form ignores case, spacing and separators (``070-123 45 67`` and
``+46701234567`` get the same pseudonym). The same input and salt always give
the same pseudonym; another salt gives another one. A genitive keeps its
``s``: ``Annas`` → ``[PERSON-…]s``.

The salt
--------
A salt must be secret, or anyone with the names list could recompute the
pseudonyms. :func:`load_salt` reads it from the environment variable
``IOPSTUDY_SALT`` or from a file outside the repository (default
``~/.config/iopstudy/salt``). The one exception is the fictional,
illustrative corpus shipped in ``data/raw/interviews/``: it uses the public
:data:`DEMO_SALT`, which protects nothing and must never be used for real
transcripts.
"""

from __future__ import annotations

import bisect
import calendar
import hashlib
import hmac
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from iopstudy.errors import InputError, IopStudyError, IopStudyWarning
from iopstudy.interviews.results import PiiScan, Pseudonymised, segments_and_documents
from iopstudy.text import decode_bytes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from iopstudy.interviews.results import Corpus, Transcript

__all__ = [
    "DEMO_SALT",
    "SALT_ENV",
    "DEFAULT_SALT_PATH",
    "PII_KINDS",
    "AMBIGUOUS_NAME_PARTS",
    "SCANNED_SUFFIXES",
    "MissingSaltError",
    "PiiMatch",
    "Pseudonymised",
    "PiiScan",
    "load_salt",
    "load_names",
    "luhn_valid",
    "is_personnummer",
    "pseudonym",
    "find_pii",
    "pseudonymise",
    "pseudonymise_frame",
    "mask",
    "scan_pii",
]

#: Public salt for the FICTIONAL illustrative corpus only. It is published, so
#: it protects nothing: never use it for real transcripts.
DEMO_SALT = "iopstudy-illustrative-demo"

#: Environment variable holding the project's secret salt.
SALT_ENV = "IOPSTUDY_SALT"

#: Default salt file (``~`` is expanded when :func:`load_salt` runs).
DEFAULT_SALT_PATH = "~/.config/iopstudy/salt"

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

_HEX = 6


class MissingSaltError(IopStudyError):
    """No secret salt was found (or an unusable one was given)."""


class PiiMatch(NamedTuple):
    """One hit of :func:`find_pii`: kind, character offsets and the matched text."""

    kind: str
    start: int
    end: int
    match: str


# --------------------------------------------------------------------------- salt
_HOW_TO_SALT = (
    "Create a secret salt OUTSIDE the repository, e.g.\n"
    "    mkdir -p ~/.config/iopstudy && python -c \"import secrets; "
    "print(secrets.token_hex(32))\" > ~/.config/iopstudy/salt && chmod 600 "
    "~/.config/iopstudy/salt\n"
    f"or set the environment variable {SALT_ENV}. Keep it: the same salt gives the same "
    "pseudonyms. (The fictional illustrative corpus uses the public DEMO_SALT via "
    "load_salt(illustrative=True); never use that for real data.)"
)


def load_salt(path: str | os.PathLike[str] | None = None, *, illustrative: bool = False) -> str:
    """The project's secret salt for pseudonyms.

    Looks, in order, at ``path`` (if given), the environment variable
    :data:`SALT_ENV` and the file :data:`DEFAULT_SALT_PATH`. A salt file holds
    the salt on its first line (surrounding white space is ignored).

    Parameters
    ----------
    path
        A salt file; it must exist when given.
    illustrative
        Return the public :data:`DEMO_SALT`, for the fictional illustrative
        corpus only (its pseudonyms are then reproducible everywhere, and
        protect nothing).

    Raises
    ------
    MissingSaltError
        When no salt is found, the salt is empty or shorter than 16
        characters, or it equals the public demo salt; the message says how
        to create one.

    Warns
    -----
    IopStudyWarning
        When the salt file lies inside a git working tree.
    """
    if illustrative:
        return DEMO_SALT
    source: str
    salt: str | None = None
    if path is not None:
        p = Path(path).expanduser()
        if not p.is_file():
            raise MissingSaltError(f"salt file {p} not found.\n{_HOW_TO_SALT}")
        salt, source = _read_salt_file(p), str(p)
    elif os.environ.get(SALT_ENV, "").strip():
        salt, source = os.environ[SALT_ENV].strip(), f"${SALT_ENV}"
    else:
        p = Path(DEFAULT_SALT_PATH).expanduser()
        if not p.is_file():
            raise MissingSaltError(
                f"no salt found: {SALT_ENV} is not set and {p} does not exist.\n{_HOW_TO_SALT}"
            )
        salt, source = _read_salt_file(p), str(p)
    if not salt:
        raise MissingSaltError(f"the salt from {source} is empty.\n{_HOW_TO_SALT}")
    if salt == DEMO_SALT:
        raise MissingSaltError(
            f"the salt from {source} is the public DEMO_SALT, which protects nothing.\n"
            + _HOW_TO_SALT
        )
    if len(salt) < 16:
        raise MissingSaltError(
            f"the salt from {source} is only {len(salt)} characters; use at least 16 "
            f"(32 random bytes is better).\n{_HOW_TO_SALT}"
        )
    return salt


def _read_salt_file(p: Path) -> str:
    for parent in (p.parent, *p.parent.parents):
        if (parent / ".git").exists():
            warnings.warn(
                f"the salt file {p} is inside the git working tree {parent}; move it out of "
                "the repository (the salt must stay secret)",
                IopStudyWarning,
                stacklevel=3,
            )
            break
    text = p.read_text(encoding="utf-8-sig")
    return text.splitlines()[0].strip() if text.strip() else ""


def load_names(path: str | os.PathLike[str]) -> list[str]:
    """Read a names list: one name per line, ``#`` comments and blank lines ignored."""
    from iopstudy.text import read_text

    out = []
    for line in read_text(path).split("\n"):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


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


class _NameMatcher:
    """One compiled pattern for a names list (full names first, then parts)."""

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
def _name_matcher(names: tuple[str, ...]) -> _NameMatcher:
    return _NameMatcher(names)


def _matcher_for(names: Iterable[str] | None) -> _NameMatcher | None:
    if names is None:
        return None
    if isinstance(names, _NameMatcher):
        return names
    if isinstance(names, str):
        names = [names]
    return _name_matcher(tuple(names))


# priority: lower wins on overlap
_PRIO = {"EMAIL": 0, "PNR": 1, "PERSON": 2, "TELEFON": 3, "PNR10": 4}


def _candidates(text: str, names: _NameMatcher | None) -> list[tuple[int, int, str, str, str]]:
    """All hits as (start, end, kind, matched text, extra), overlaps resolved."""
    cands: list[tuple[int, int, int, str, str, str]] = []
    for m in _EMAIL_RX.finditer(text):
        cands.append((_PRIO["EMAIL"], m.start(), m.end(), "EMAIL", m.group(0), ""))
    for m in _PNR_RX.finditer(text):
        if _pnr_ok(m):
            prio = _PRIO["PNR"] if (m["sep"] or m["cent"]) else _PRIO["PNR10"]
            cands.append((prio, m.start(), m.end(), "PNR", m.group(0), ""))
    if _DIGITS_RX.search(text):
        urls = [(u.start(), u.end()) for u in _URL_RX.finditer(text)]
        for m in _PHONE_RX.finditer(text):
            if not _phone_ok(m.group(0)):
                continue
            if any(s <= m.start() < e for s, e in urls):
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
    return [PiiMatch(k, s, e, m) for s, e, k, m, _ in _candidates(text, _matcher_for(names))]


# --------------------------------------------------------------------------- pseudonyms
def _canonical(kind: str, match: str) -> str:
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


def pseudonym(kind: str, value: str, salt: str) -> str:
    """The pseudonym of one value: ``[KIND-xxxxxx]`` from HMAC-SHA256(salt, canonical value).

    >>> pseudonym("EMAIL", "Kim@Exempel.example", "s") == pseudonym("EMAIL", "kim@exempel.example", "s")
    True
    """
    if not isinstance(salt, str) or not salt:
        raise MissingSaltError("an empty salt gives no protection; see load_salt()")
    canon = _canonical(kind, value)
    digest = hmac.new(salt.encode("utf-8"), f"{kind}:{canon}".encode(), hashlib.sha256)
    return f"[{kind}-{digest.hexdigest()[:_HEX]}]"


def _check_collisions(names: _NameMatcher, salt: str) -> None:
    seen: dict[str, str] = {}
    for form in names.forms:
        p = pseudonym("PERSON", form, salt)
        if p in seen and seen[p] != form:
            warnings.warn(
                f"two names get the same pseudonym {p}: {seen[p]!r} and {form!r}",
                IopStudyWarning,
                stacklevel=3,
            )
        seen[p] = form


def _pseudonymise_spans(
    text: str, names: _NameMatcher | None, salt: str
) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Pseudonymised text and the replaced spans (old_start, old_end, new_start, new_end)."""
    hits = _candidates(text, names)
    if not hits:
        return text, []
    parts = []
    spans = []
    pos = 0
    new_pos = 0
    for s, e, kind, match, gen in hits:
        parts.append(text[pos:s])
        new_pos += s - pos
        core = match[: len(match) - len(gen)] if gen else match
        rep = pseudonym(kind, core, salt) + gen
        parts.append(rep)
        spans.append((s, e, new_pos, new_pos + len(rep)))
        new_pos += len(rep)
        pos = e
    parts.append(text[pos:])
    return "".join(parts), spans


def pseudonymise(text: str, names: Iterable[str], salt: str) -> str:
    """Replace names, e-mail addresses, phone numbers and personnummer by pseudonyms.

    Parameters
    ----------
    text
        The text.
    names
        The project's names list (full names; their parts are matched too).
    salt
        The secret salt from :func:`load_salt`.

    Returns
    -------
    str
        The text with every hit of :func:`find_pii` replaced by
        ``[KIND-xxxxxx]`` (see the module docstring).

    Examples
    --------
    >>> out = pseudonymise("Kim Sandvik (Kims telefon 0701740612).", ["Kim Sandvik"], "s" * 16)
    >>> import re; re.sub(r"-[0-9a-f]{6}", "-…", out)
    '[PERSON-…] ([PERSON-…]s telefon [TELEFON-…]).'
    """
    if not isinstance(salt, str) or not salt:
        raise MissingSaltError("pseudonymise() needs a salt; see load_salt()")
    return _pseudonymise_spans(text, _matcher_for(names), salt)[0]


def _map_offset(pos: int, spans: list[tuple[int, int, int, int]], *, is_end: bool) -> int:
    """Move an offset of the original text to the pseudonymised text."""
    k = bisect.bisect_right([sp[0] for sp in spans], pos) - 1
    if k < 0:
        return pos
    old_s, old_e, new_s, new_e = spans[k]
    if pos >= old_e:
        return new_e + (pos - old_e)
    # inside a replaced span (or at its start): snap to its edges
    if is_end and pos > old_s:
        return new_e
    return new_s


def pseudonymise_frame(
    df: "pd.DataFrame | Transcript | Corpus",
    text_col: str = "text",
    *,
    names: Iterable[str] = (),
    salt: str,
    other_cols: Iterable[str] = ("speaker",),
    documents: Mapping[str, str] | None = None,
) -> Pseudonymised:
    """Pseudonymise a text column (and speaker names) of a segments frame.

    Parameters
    ----------
    df
        A segments frame, or the :class:`~iopstudy.interviews.results.Corpus` of
        :func:`~iopstudy.interviews.read_corpus` or the
        :class:`~iopstudy.interviews.results.Transcript` of
        :func:`~iopstudy.interviews.read_transcript` (their segments and texts are used).
    text_col
        The column to pseudonymise.
    names, salt
        As in :func:`pseudonymise`; the names pattern is compiled once.
    other_cols
        Further text columns to pseudonymise if present (default: ``speaker``,
        which holds names in transcripts with bold speaker names).
    documents
        ``interview_id`` → the source text that ``start``/``end`` point into
        (``corpus.documents``); taken from ``df`` when it is a corpus or transcript.

    Returns
    -------
    Pseudonymised
        ``frame``: a copy of the segments. With source texts and the columns
        ``interview_id``, ``start`` and ``end``, the texts are pseudonymised too
        (``documents``), ``start``/``end`` are moved to the new texts and ``text`` is
        their slice, so ``documents[id][start:end] == text`` still holds. Otherwise
        each cell is pseudonymised on its own and ``documents`` is None.

    Examples
    --------
    >>> import re
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"interview_id": ["X1"], "text": ["Anna ringde."], "start": [3], "end": [15]})
    >>> res = pseudonymise_frame(seg, names=["Anna Berg"], salt="s" * 16, documents={"X1": "I: Anna ringde."})
    >>> [re.sub(r"-[0-9a-f]{6}", "-…", t) for t in (res.frame.loc[0, "text"], res.documents["X1"])]
    ['[PERSON-…] ringde.', 'I: [PERSON-…] ringde.']
    >>> s, e = res.frame.loc[0, ["start", "end"]]
    >>> res.documents["X1"][s:e] == res.frame.loc[0, "text"]
    True
    """
    import pandas as pd

    if not isinstance(salt, str) or not salt:
        raise MissingSaltError("pseudonymise_frame() needs a salt; see load_salt()")
    frame, docs = segments_and_documents(df, documents)
    if text_col not in frame.columns:
        raise InputError(f"no column {text_col!r}", column=text_col)
    matcher = _matcher_for(list(names) if not isinstance(names, str) else [names])
    if matcher is not None:
        _check_collisions(matcher, salt)

    def sub(x: object) -> object:
        return _pseudonymise_spans(x, matcher, salt)[0] if isinstance(x, str) else x

    out = frame.copy()
    for key in ("documents", "document_text"):  # raw texts of the 0.2 form must not stay
        out.attrs.pop(key, None)
    for col in other_cols:
        if col in out.columns and col != text_col:
            out[col] = out[col].map(sub)

    have_offsets = {"interview_id", "start", "end"} <= set(frame.columns)
    if docs is None or not have_offsets or not set(frame["interview_id"].astype(str)) <= set(docs):
        out[text_col] = out[text_col].map(sub)
        return Pseudonymised(out, None)
    new_docs: dict[str, str] = {}
    starts = out["start"].to_numpy().copy()
    ends = out["end"].to_numpy().copy()
    texts = out[text_col].astype(object).to_numpy().copy()
    pos_of: dict[str, list[int]] = {}
    for k, iid in enumerate(out["interview_id"].astype(str)):
        pos_of.setdefault(iid, []).append(k)
    for iid, doc in docs.items():
        new_doc, spans = _pseudonymise_spans(doc, matcher, salt)
        new_docs[iid] = new_doc
        for k in pos_of.get(iid, []):
            s = _map_offset(int(starts[k]), spans, is_end=False)
            e = _map_offset(int(ends[k]), spans, is_end=True)
            starts[k], ends[k] = s, e
            texts[k] = new_doc[s:e]
    out["start"] = pd.array(starts, dtype=frame["start"].dtype)
    out["end"] = pd.array(ends, dtype=frame["end"].dtype)
    out[text_col] = texts
    return Pseudonymised(out, new_docs)


# --------------------------------------------------------------------------- scan
#: Plain-text suffixes scanned line by line.
_TEXT_SUFFIXES = frozenset(
    ".csv .tsv .txt .md .markdown .rst .json .jsonl .geojson .html .htm .xml .svg .tex .bib "
    ".ipynb .yml .yaml .log .qde .qdc".split()
)
#: Suffixes read through a library: Excel via openpyxl, parquet via pandas,
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
    hits = _candidates(text, matcher)
    if not hits:
        return
    newlines = [m.start() for m in re.finditer("\n", text)]
    for s, _e, kind, match, _ in hits:
        yield bisect.bisect_right(newlines, s - 1) + 1, kind, match


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
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                cells = [
                    (r_i, v)
                    for r_i, row in enumerate(ws.iter_rows(values_only=True), start=1)
                    for v in row
                    if isinstance(v, str)
                ]
                yield f"{path} [{ws.title}]", cells
        finally:
            wb.close()
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
    values via openpyxl, parquet string columns via pandas, Word paragraphs
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

    matcher = _matcher_for(names)
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
