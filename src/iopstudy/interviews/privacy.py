"""Pseudonymisation of interview text: the salt, the pseudonyms, texts and segment frames.

Interview transcripts are personal data. This module replaces what can identify a person with
stable pseudonyms; :mod:`iopstudy.interviews.pii_scan` defines what is detected
(:func:`find_pii`) and checks outputs for leftovers (:func:`scan_pii`). Every public name of
that module is importable from here too.

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
import hashlib
import hmac
import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import InputError, IopStudyError, IopStudyWarning
from iopstudy.interviews.pii_scan import (
    AMBIGUOUS_NAME_PARTS,
    PII_KINDS,
    SCANNED_SUFFIXES,
    PiiMatch,
    canonical_form,
    compile_names,
    find_pii,
    is_personnummer,
    luhn_valid,
    mask,
    pii_spans,
    scan_pii,
)
from iopstudy.interviews.results import PiiScan, Pseudonymised, segments_and_documents

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from iopstudy.interviews.pii_scan import NameMatcher
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

_HEX = 6


class MissingSaltError(IopStudyError):
    """No secret salt was found (or an unusable one was given).

    Examples
    --------
    >>> try:
    ...     pseudonymise("Ring Kim.", ["Kim Sandvik"], salt="")
    ... except MissingSaltError as err:
    ...     print(err)
    pseudonymise() needs a salt; see load_salt()
    """


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

    Examples
    --------
    >>> load_salt(illustrative=True) == DEMO_SALT  # the fictional corpus only
    True
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "salt"
    ...     _ = p.write_text("7f3c9a1e5b2d8c4f6a0e9b3d1c5f7a2e\\n", encoding="utf-8")
    ...     secret = load_salt(p)
    ...     _ = p.write_text("too-short\\n", encoding="utf-8")
    ...     try:
    ...         load_salt(p)
    ...     except MissingSaltError as err:
    ...         print(str(err).splitlines()[0].split(" is ", 1)[1])
    only 9 characters; use at least 16 (32 random bytes is better).
    >>> secret
    '7f3c9a1e5b2d8c4f6a0e9b3d1c5f7a2e'
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
    """Read a names list: one name per line, ``#`` comments and blank lines ignored.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "names.txt"
    ...     _ = p.write_text("# fictional names\\nAnna Berg\\n\\nKim Sandvik  # respondent\\n", encoding="utf-8")
    ...     names = load_names(p)
    >>> names
    ['Anna Berg', 'Kim Sandvik']
    """
    from iopstudy.text import read_text

    out = []
    for line in read_text(path).split("\n"):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


# --------------------------------------------------------------------------- pseudonyms
def pseudonym(kind: str, value: str, salt: str) -> str:
    """The pseudonym of one value: ``[KIND-xxxxxx]`` from HMAC-SHA256(salt, canonical value).

    >>> pseudonym("EMAIL", "Kim@Exempel.example", "s") == pseudonym("EMAIL", "kim@exempel.example", "s")
    True
    """
    if not isinstance(salt, str) or not salt:
        raise MissingSaltError("an empty salt gives no protection; see load_salt()")
    canon = canonical_form(kind, value)
    digest = hmac.new(salt.encode("utf-8"), f"{kind}:{canon}".encode(), hashlib.sha256)
    return f"[{kind}-{digest.hexdigest()[:_HEX]}]"


def _check_collisions(names: NameMatcher, salt: str) -> None:
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
    text: str, names: NameMatcher | None, salt: str
) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Pseudonymised text and the replaced spans (old_start, old_end, new_start, new_end)."""
    hits = pii_spans(text, names)
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
    return _pseudonymise_spans(text, compile_names(names), salt)[0]


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
    matcher = compile_names(list(names) if not isinstance(names, str) else [names])
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
