"""Text: the one set of normalisers, the one decoding policy, and dictionary stems.

Every module that compares, matches or reads text uses these, so that "Göteborgs  Stad",
"GÖTEBORGS STAD" and a decomposed "Göteborgs Stad" are the same everywhere.

=========================  ======================================================
nfc                        Unicode NFC (composed å/ä/ö)
normalise_text             NFC + casefold: the form stems are matched on
clean                      NFC, casefold, one kind of space and dash, trimmed
fold                       :func:`clean` and diacritics removed ("goteborgs stad")
fold_letters               å/ä/ö/é… to ASCII one for one (keeps positions)
decode_bytes, read_text    the decoding policy (below)
stem_to_regex              a dictionary stem (``"partnerskap*"``) as a regex
compile_stems              stems (with exclusions) as one compiled pattern
=========================  ======================================================

Decoding policy
---------------
Files are read as UTF-8 (a byte-order mark is dropped; UTF-16 with a byte-order mark is
decoded too). A file that is not valid UTF-8 but is valid Windows-1252 (what Excel and Word
save as "ANSI" text on Swedish Windows) is read as Windows-1252 **with a warning** that names the
file, since å/ä/ö decode the same way in both; a file that is neither is refused with an
:class:`~iopstudy.errors.InputError` naming the file and line. Line endings become ``"\\n"`` and
the text is NFC-normalised. Register readers, transcript readers and the PII scan all use
this one policy (the scan goes on past undecodable bytes, since it must look at every file).

Examples
--------
>>> fold("Göteborgs  Stad")
'goteborgs stad'
>>> clean("Röda\u00a0Korset – Sverige")
'röda korset - sverige'
>>> decode_bytes("Malmö".encode("utf-8"), "a.csv")
('Malmö', 'utf-8')
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError, IopStudyWarning

__all__ = [
    "nfc",
    "normalise_text",
    "clean",
    "fold",
    "fold_letters",
    "decode_bytes",
    "read_text",
    "WORD_CHAR",
    "stem_to_regex",
    "exclusion_lookahead",
    "compile_stems",
    "factorize_texts",
    "as_object_array",
    "as_text",
    "take",
    "FORMULA_PREFIXES",
    "neutralise_formulas",
]


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


def as_text(values: Any) -> Any:
    """Every value as text, a missing one as ``""``: a column, a table or any iterable.

    The one rule of this module for "missing as empty text" (the readers and builders use it
    instead of ``fillna("").astype(str)``, which fails on categoricals and warns on pandas 3 for
    an all-missing column): strings stay as they are, a missing value (``None``, ``NaN``,
    ``pd.NA``, ``NaT``) becomes ``""``, bytes are decoded as UTF-8, a whole float (a year that a
    spreadsheet reader gives as ``2015.0``) loses its ``.0``, anything else is ``str(value)``.

    Parameters
    ----------
    values
        A Series, a DataFrame (each column), or any iterable of values.

    Returns
    -------
    Series or DataFrame
        Same index, name and columns, ``str`` dtype (``object`` before pandas 3).

    Examples
    --------
    >>> as_text(pd.Series(["Lund", None, float("nan"), 2015.0, 2.5, b"Ume\\xc3\\xa5"], name="x")).tolist()
    ['Lund', '', '', '2015', '2.5', 'Umeå']
    >>> as_text(pd.DataFrame({"a": pd.Categorical(["x", None]), "b": [pd.NA, 3]})).values.tolist()
    [['x', ''], ['', '3']]
    """
    if isinstance(values, pd.DataFrame):
        out = values.copy()
        for j in range(out.shape[1]):  # by position: column names may repeat
            out.isetitem(j, as_text(out.iloc[:, j]))
        return out
    s = values if isinstance(values, pd.Series) else pd.Series(as_object_array(values), dtype=object)
    arr = s.to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr)] = ""
    other = np.fromiter((type(v) is not str for v in arr), dtype=bool, count=len(arr))
    if other.any():
        arr[other] = [_one_text(v) for v in arr[other]]
    return pd.Series(arr, index=s.index, name=s.name, dtype=object).astype(str)


def as_object_array(values: Any) -> np.ndarray:
    """``values`` as a 1-d NumPy array of dtype object (a lone string or scalar becomes one item).

    Examples
    --------
    >>> as_object_array("Lund").tolist()
    ['Lund']
    >>> arr = as_object_array(pd.Series(["Lund", "Umeå"]))
    >>> arr.dtype == object, arr.tolist()
    (True, ['Lund', 'Umeå'])
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        values = [values]
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy(dtype=object)
    items = list(values)
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr


def factorize_texts(values: Any) -> tuple[np.ndarray, list[str]]:
    """Integer codes per input and the distinct texts they point to.

    A dictionary does the work rather than :func:`pandas.factorize`, whose
    hash table treats strings that differ only after a NUL character as equal
    (``""`` and ``"\\x00"``). Values equal in Python (``1`` and ``1.0``) share
    a code. Missing values all give ``""``.

    Examples
    --------
    >>> codes, texts = factorize_texts(["Lund", None, "Lund", 1.0, 1])
    >>> codes.tolist(), texts
    ([0, 1, 0, 2, 2], ['Lund', '', '1'])
    """
    arr = as_object_array(values)
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


def clean(text: str) -> str:
    """NFC, casefold, one kind of space and dash, trimmed.

    Examples
    --------
    >>> clean("  Röda\\u00a0KORSET \\u2013 Sverige ")
    'röda korset - sverige'
    """
    t = unicodedata.normalize("NFC", text).casefold().translate(_DASH_TABLE)
    return _SPACE_RE.sub(" ", t).strip()


def fold_letters(text: str) -> str:
    """Swedish and a few other letters to ASCII, one character for one (positions are kept).

    Examples
    --------
    >>> fold_letters("Växjö")
    'Vaxjo'
    >>> len(fold_letters("Växjö")) == len("Växjö")
    True
    """
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """:func:`clean`, then diacritics removed ("Göteborgs  Stad" → "goteborgs stad").

    Examples
    --------
    >>> fold("Göteborgs  Stad")
    'goteborgs stad'
    >>> fold("Malmö\\u2013Lund")
    'malmo-lund'
    """
    t = unicodedata.normalize("NFKD", clean(str(text)))
    return "".join(c for c in t if not unicodedata.combining(c))


def nfc(text: str) -> str:
    """Unicode NFC: composed characters (a decomposed "å" becomes one character).

    Examples
    --------
    >>> decomposed = "a\\u030a"  # "a" and a combining ring above
    >>> len(decomposed), len(nfc(decomposed)), nfc(decomposed) == "å"
    (2, 1, True)
    """
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, file: str | os.PathLike[str]) -> tuple[str, str]:
    """Decode a file's bytes by the package's decoding policy; return ``(text, encoding)``.

    Parameters
    ----------
    data
        The file's bytes.
    file
        The file's name, used in the warning and the error.

    Returns
    -------
    (str, str)
        The NFC text with ``"\\n"`` line endings, and ``"utf-8"``, ``"utf-8-sig"``,
        ``"utf-16"`` or ``"cp1252"``.

    Raises
    ------
    InputError
        When the bytes are neither UTF-8 nor Windows-1252 (naming the file and line).

    Examples
    --------
    >>> decode_bytes(b"\\xef\\xbb\\xbfV\\xc3\\xa4xj\\xc3\\xb6", "a.txt")
    ('Växjö', 'utf-8-sig')
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     decode_bytes("Växjö".encode("cp1252"), "a.txt")
    ('Växjö', 'cp1252')
    """
    name = str(file)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text, enc = data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return _cp1252(data[3:], name)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, enc = data.decode("utf-16"), "utf-16"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return _cp1252(data, name)
    return _tidy_text(text), enc


def _tidy_text(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _cp1252(data: bytes, name: str) -> tuple[str, str]:
    try:
        err_at = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        err_at = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            "the file is neither UTF-8 nor Windows-1252/Latin-1 text; save it as UTF-8",
            file=name,
            row=line,
        ) from None
    line = data.count(b"\n", 0, err_at) + 1 if isinstance(err_at, int) else 1
    warnings.warn(
        f"{name}: not UTF-8 (first at line {line}); read as Windows-1252 (Latin-1/cp1252), "
        "as Excel and Word save 'ANSI' text. Re-save it as UTF-8 to silence this warning.",
        IopStudyWarning,
        stacklevel=3,
    )
    return _tidy_text(text), "cp1252"


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a text file by the decoding policy of :func:`decode_bytes`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "note.txt"
    ...     _ = p.write_bytes("Umeå\\r\\nLuleå\\r\\n".encode("utf-8"))
    ...     read_text(p)
    'Umeå\\nLuleå\\n'
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(p)) from None
    return decode_bytes(data, p)[0]


def take(per_unique: list[Any], codes: np.ndarray, dtype: Any = object) -> np.ndarray:
    """Map one result per distinct value back to every input position.

    Examples
    --------
    >>> codes, texts = factorize_texts(["b", "a", "b"])
    >>> take([t.upper() for t in texts], codes).tolist()
    ['B', 'A', 'B']
    >>> take([len(t) for t in texts], codes, dtype="int64").tolist()
    [1, 1, 1]
    """
    if dtype is object:
        arr = np.empty(len(per_unique), dtype=object)
        arr[:] = per_unique
    else:
        arr = np.asarray(per_unique, dtype=dtype)
    return arr[codes]


#: A word character of a stem: hyphens join Swedish compounds ("EU-migranter").
WORD_CHAR = r"[\w\-]"
_WORD = WORD_CHAR


def normalise_text(text: str) -> str:
    """NFC-normalise and lower-case ``text`` (the form stems are matched on).

    Examples
    --------
    >>> normalise_text("GÖTEBORGS Straße")
    'göteborgs strasse'
    """
    return unicodedata.normalize("NFC", text).casefold()


def _word_to_regex(word: str, *, first: bool, single: bool) -> str:
    star = word.endswith("*")
    core = re.escape(normalise_text(word.rstrip("*")))
    if single and star:
        # prefix anywhere inside a compound word
        return rf"{_WORD}*{core}{_WORD}*"
    if single:
        return rf"(?<!{_WORD}){core}(?!{_WORD})"
    head = rf"(?<!{_WORD})" if first else ""
    tail = rf"{_WORD}*" if star else rf"(?!{_WORD})"
    return head + core + tail


def stem_to_regex(stem: str) -> str:
    """Translate one stem into a regular-expression fragment (no groups).

    The fragment matches the whole word (or phrase) that contains the stem,
    so ``match.group(0)`` is the word as written in the text.

    Examples
    --------
    >>> pat = re.compile(stem_to_regex("partnerskap*"), re.IGNORECASE)
    >>> [m.group(0) for m in pat.finditer("Partnerskapet och IOP-partnerskapen, ej samverkanspartnerskap")]
    ['Partnerskapet', 'IOP-partnerskapen', 'samverkanspartnerskap']
    >>> pat = re.compile(stem_to_regex("idéburet offentligt partnerskap*"), re.IGNORECASE)
    >>> pat.search("Ett idéburet offentligt partnerskapsavtal").group(0)
    'idéburet offentligt partnerskapsavtal'
    """
    stem = stem.strip()
    if not stem or stem == "*":
        raise ValueError(f"empty stem: {stem!r}")
    words = stem.split()
    if len(words) == 1:
        frag = _word_to_regex(words[0], first=True, single=True)
        # anchor a prefix-anywhere stem to the start of its word
        if words[0].endswith("*"):
            frag = rf"(?<!{_WORD})" + frag
        return frag
    parts = [
        _word_to_regex(w, first=(i == 0), single=False) for i, w in enumerate(words)
    ]
    return r"\s+".join(parts)


def exclusion_lookahead(exclude: Iterable[str]) -> str:
    """A negative look-ahead, placed at the start of a word, for excluded stems.

    Examples
    --------
    >>> print(exclusion_lookahead(["journal*", "jour"]))
    (?![\\w\\-]*journal|[\\w\\-]*jour(?![\\w\\-]))
    >>> exclusion_lookahead([])
    ''
    """
    alts = []
    for stem in exclude:
        stem = stem.strip()
        if not stem:
            continue
        words = [re.escape(normalise_text(w.rstrip("*"))) for w in stem.split()]
        body = r"\s+".join(words)
        star = stem.endswith("*")
        infix = f"{_WORD}*" if len(stem.split()) == 1 else ""
        alts.append(infix + body + ("" if star else rf"(?!{_WORD})"))
    return f"(?!{'|'.join(alts)})" if alts else ""


def compile_stems(stems: Iterable[str], exclude: Iterable[str] = ()) -> re.Pattern[str]:
    """Compile stems into one case-insensitive pattern.

    Parameters
    ----------
    stems
        Stems in the notation described in the module docstring.
    exclude
        Stems whose words must never count as a match.

    Returns
    -------
    re.Pattern
        Matches each word or phrase that contains one of ``stems``. Apply it
        to text normalised with :func:`normalise_text` or to raw text (the
        pattern is compiled with ``re.IGNORECASE``; NFC normalisation is the
        caller's job for decomposed input).

    Examples
    --------
    >>> pat = compile_stems(["jour*"], exclude=["journal*"])
    >>> [m.group(0) for m in pat.finditer("Kvinnojouren och journalen, Jourtelefon")]
    ['Kvinnojouren', 'Jourtelefon']
    >>> compile_stems([]).search("anything") is None
    True
    """
    stems = [s for s in stems if s and s.strip()]
    if not stems:
        return re.compile(r"(?!x)x")  # matches nothing
    look = exclusion_lookahead(exclude)
    alts = [stem_to_regex(s) for s in stems]
    # the look-ahead must sit at the start of the word the hit belongs to
    body = "|".join(f"(?:{a})" for a in alts)
    pattern = rf"(?<!{_WORD}){look}(?:{body})" if look else f"(?:{body})"
    return re.compile(pattern, re.IGNORECASE)


#: Leading characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralise_formulas(values: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made plain text (for CSV files).

    A text cell whose first character is one of :data:`FORMULA_PREFIXES` (``=``, ``+``,
    ``-``, ``@``, tab, carriage return) gets a leading single quote, as OWASP advises
    against CSV injection: ``=HYPERLINK("http://x")`` becomes ``'=HYPERLINK("http://x")``.
    Numbers stay as they are, also negative ones written as text (``"-12,5"``), and so do
    missing values. A carriage return inside the text becomes a line feed (``"\\r\\n"`` and a
    lone ``"\\r"`` alike): CSV readers end a row at a bare carriage return, which would cut
    the cell in two, while a line feed makes the writer quote the cell.

    Parameters
    ----------
    values
        A DataFrame (every text column is treated, and so are the column names, which are
        the header row's cells; numeric, boolean and date columns are left alone), a
        Series, or any iterable of values.

    Returns
    -------
    Same kind as ``values``
        A copy; a DataFrame keeps its dtypes and the order of its columns.

    Examples
    --------
    >>> neutralise_formulas(["=1+1", "-5", "-x", "@SUM(A1)", "plain", None, "a\\r\\nb"])
    ["'=1+1", '-5', "'-x", "'@SUM(A1)", 'plain', None, 'a\\nb']
    >>> neutralise_formulas(pd.DataFrame({"=name": ["-x"], "n": [-1]})).to_csv(index=False)
    "'=name,n\\n'-x,-1\\n"
    """

    def one(v: Any) -> Any:
        if not isinstance(v, str) or not v:
            return v
        if v[0] in FORMULA_PREFIXES and not _NUMBER_RE.fullmatch(v.strip()):
            v = "'" + v
        return v.replace("\r\n", "\n").replace("\r", "\n") if "\r" in v else v

    if isinstance(values, pd.DataFrame):
        out = values.copy()
        for j in range(out.shape[1]):  # by position: column names may repeat
            s = out.iloc[:, j]
            if pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype):
                out.isetitem(j, neutralise_formulas(s))
        names = [one(c) for c in out.columns]  # the header row (a MultiIndex's tuples stay)
        if any(isinstance(c, str) and n != c for c, n in zip(out.columns, names)):
            out.columns = pd.Index(names, dtype=object)
        return out
    if isinstance(values, pd.Series):
        if not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)):
            return values.copy()
        arr = values.to_numpy(dtype=object)
        obj = pd.Series(arr, dtype=object)
        hit = (obj.str[:1].isin(FORMULA_PREFIXES) | obj.str.contains("\r", regex=False, na=False)).to_numpy(dtype=bool)
        if not hit.any():
            return values.copy()
        arr = arr.copy()
        arr[hit] = [one(v) for v in arr[hit]]
        return pd.Series(arr, index=values.index, name=values.name, dtype=values.dtype)
    return [one(v) for v in values]
