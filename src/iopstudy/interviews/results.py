"""The result objects of the interview wing.

A reader returns more than a table: the full texts that the segments' offsets point into, the
files read, the line of each metadata row. Until version 0.2 these travelled in
:attr:`pandas.DataFrame.attrs`, which ``merge``, ``concat`` and many other operations drop
without a word. They are now fields of small, frozen result objects:

=========================  ====================================================  ===============================
result                     returned by                                           fields
=========================  ====================================================  ===============================
:class:`Transcript`        :func:`~iopstudy.interviews.read_transcript`          ``segments, text, file,
                                                                                 interview_id, front_matter,
                                                                                 header``
:class:`Metadata`          :func:`~iopstudy.interviews.read_interview_metadata`  ``table, file,
                                                                                 lines``
:class:`Corpus`            :func:`~iopstudy.interviews.read_corpus`              ``segments, documents,
                                                                                 files, metadata``
:class:`ManualCodings`     :func:`~iopstudy.interviews.read_manual_codings`      ``codings, file``
:class:`Pseudonymised`     :func:`~iopstudy.interviews.pseudonymise_frame`       ``frame, documents``
:class:`PiiScan`           :func:`~iopstudy.interviews.scan_pii`                 ``matches, skipped``
=========================  ====================================================  ===============================

Flags that describe rows (``illustrative``, ``speaker_role`` …) stay columns.

For one release a result still behaves like its main table (``segments``, ``table``,
``codings``, ``frame`` or ``matches``): its columns, methods, ``[]`` and ``len()`` are those of
the table, and ``.attrs`` gives the old ``attrs`` dictionary, each with a
:class:`DeprecationWarning`. Code written for 0.2 should use the fields.

Examples
--------
>>> import warnings
>>> import pandas as pd
>>> seg = pd.DataFrame({"interview_id": ["X1"], "text": ["Hej."], "start": [3], "end": [7]})
>>> t = Transcript(seg, "I: Hej.", "X1.md")
>>> t.documents
{'X1': 'I: Hej.'}
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     old = t["text"].tolist()          # the 0.2 way: the result as a DataFrame
>>> old, caught[0].category.__name__
(['Hej.'], 'DeprecationWarning')
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "FrameResult",
    "Transcript",
    "Metadata",
    "Corpus",
    "ManualCodings",
    "Pseudonymised",
    "PiiScan",
    "segments_and_documents",
]


class FrameResult:
    """Base of the result objects: the deprecated DataFrame behaviour of 0.2, and a short repr.

    A subclass names its main table in ``_frame``. Looking up a name the result does not
    have, indexing it or taking its ``len()`` goes to that table with a
    :class:`DeprecationWarning`; ``.attrs`` gives the dictionary the table carried in 0.2.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> p = Pseudonymised(pd.DataFrame({"text": ["[PERSON-1a2b3c] ringde."]}), {"X1": "I: [PERSON-1a2b3c] ringde."})
    >>> isinstance(p, FrameResult), p
    (True, Pseudonymised(frame=<DataFrame 1×1>, documents={'X1': 'I: [PERSON-1a2b3c] ringde.'}))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     n = len(p)  # the 0.2 way: the result as its main table
    >>> n, caught[0].category.__name__
    (1, 'DeprecationWarning')
    """

    _frame = ""

    def _legacy_attrs(self) -> dict[str, Any]:
        return {}

    def _legacy_frame(self, what: str) -> Any:
        warnings.warn(
            f"{type(self).__name__} is a result object, not a DataFrame: use "
            f".{self._frame}{what} (the DataFrame behaviour goes away in the next release)",
            DeprecationWarning,
            stacklevel=3,
        )
        return getattr(self, self._frame)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in getattr(type(self), "__dataclass_fields__", {}):
            raise AttributeError(name)
        if name == "attrs":
            warnings.warn(
                f"{type(self).__name__}.attrs is deprecated: the results are fields of the "
                f"object ({', '.join(f.name for f in fields(self))})",  # type: ignore[arg-type]
                DeprecationWarning,
                stacklevel=2,
            )
            return self._legacy_attrs()
        if not hasattr(getattr(self, self._frame), name):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self._legacy_frame(f".{name}"), name)

    def __getitem__(self, key: Any) -> Any:
        return self._legacy_frame("[...]")[key]

    def __len__(self) -> int:
        return len(self._legacy_frame(""))

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        def short(v: Any) -> str:
            shape = getattr(v, "shape", None)
            if shape is not None and len(shape) == 2:
                return f"<{type(v).__name__} {shape[0]}×{shape[1]}>"
            if isinstance(v, str) and len(v) > 40:
                return f"<str of {len(v)} characters>"
            if isinstance(v, Mapping) and len(v) > 3:
                return f"<{len(v)} entries>"
            return repr(v)

        body = ", ".join(f"{f.name}={short(getattr(self, f.name))}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__name__}({body})"


@dataclass(frozen=True, eq=False, repr=False)
class Transcript(FrameResult):
    """One transcript: its segments and the text their offsets point into.

    Attributes
    ----------
    segments : pandas.DataFrame
        One row per segment, columns :data:`~iopstudy.interviews.SEGMENT_COLUMNS`.
    text : str
        The normalised full text; ``text[start:end]`` is a segment's text.
    file : pathlib.Path
        The file read.
    interview_id : str
        The interview's id (default: the file name without suffix).
    front_matter : dict
        The YAML front matter (empty without one).
    header : tuple of str
        The header lines before the first speaker mark (headings, rules, comments).

    Examples
    --------
    >>> import pandas as pd
    >>> Transcript(pd.DataFrame(), "I: Hej.", "T1.md").interview_id
    'T1'
    """

    segments: pd.DataFrame
    text: str
    file: Path
    interview_id: str | None = None
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    header: tuple[str, ...] = ()

    _frame = "segments"

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", Path(self.file))
        if self.interview_id is None:
            object.__setattr__(self, "interview_id", self.file.stem)
        object.__setattr__(self, "header", tuple(self.header))

    @property
    def documents(self) -> dict[str, str]:
        """``{interview_id: text}``, the form :class:`Corpus` has."""
        return {str(self.interview_id): self.text}

    def _legacy_attrs(self) -> dict[str, Any]:
        return {
            "document_text": self.text,
            "file": str(self.file),
            "interview_id": self.interview_id,
            "front_matter": dict(self.front_matter),
            "header": list(self.header),
        }


@dataclass(frozen=True, eq=False, repr=False)
class Metadata(FrameResult):
    """The interview metadata: the validated table, its file and each row's line.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per interview (see :func:`~iopstudy.interviews.read_interview_metadata`).
    file : pathlib.Path or None
        The CSV file read (None for a table made in code).
    lines : dict
        ``interview_id`` → line of its row in the file (1-based, comments counted).

    Examples
    --------
    >>> import pandas as pd
    >>> m = Metadata(pd.DataFrame({"interview_id": ["T1"]}), "interviews.csv", {"T1": 2})
    >>> m.file.name, m.lines["T1"]
    ('interviews.csv', 2)
    """

    table: pd.DataFrame
    file: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict)

    _frame = "table"

    def __post_init__(self) -> None:
        if self.file is not None:
            object.__setattr__(self, "file", Path(self.file))

    def _legacy_attrs(self) -> dict[str, Any]:
        return {"file": "" if self.file is None else str(self.file), "lines": dict(self.lines)}


@dataclass(frozen=True, eq=False, repr=False)
class Corpus(FrameResult):
    """A corpus folder read: every segment with its metadata, and the full texts.

    Attributes
    ----------
    segments : pandas.DataFrame
        Long form, one row per segment: the segment columns, then the metadata columns.
    documents : dict
        ``interview_id`` → the document text the segments' ``start``/``end`` point into.
    files : dict
        ``interview_id`` → the transcript file.
    metadata : Metadata
        The metadata as read (table, file, lines).

    Examples
    --------
    >>> import pandas as pd
    >>> c = Corpus(pd.DataFrame({"interview_id": ["T1"]}), {"T1": "I: Hej."}, {"T1": "T1.md"},
    ...            Metadata(pd.DataFrame({"interview_id": ["T1"]})))
    >>> c.files["T1"].suffix, sorted(c.documents)
    ('.md', ['T1'])
    """

    segments: pd.DataFrame
    documents: Mapping[str, str]
    files: Mapping[str, Path]
    metadata: Metadata

    _frame = "segments"

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", {k: Path(v) for k, v in self.files.items()})

    def _legacy_attrs(self) -> dict[str, Any]:
        return {"documents": dict(self.documents), "files": {k: str(v) for k, v in self.files.items()}}


@dataclass(frozen=True, eq=False, repr=False)
class ManualCodings(FrameResult):
    """Manual codings read from a file.

    Attributes
    ----------
    codings : pandas.DataFrame
        ``segment_id, code, coder`` (see :func:`~iopstudy.interviews.read_manual_codings`).
    file : pathlib.Path
        The file read.

    Examples
    --------
    >>> import pandas as pd
    >>> ManualCodings(pd.DataFrame(columns=["segment_id", "code", "coder"]), "m.csv").file.name
    'm.csv'
    """

    codings: pd.DataFrame
    file: Path

    _frame = "codings"

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", Path(self.file))

    def _legacy_attrs(self) -> dict[str, Any]:
        return {"file": str(self.file)}


@dataclass(frozen=True, eq=False, repr=False)
class Pseudonymised(FrameResult):
    """A pseudonymised frame and, when source texts were given, the pseudonymised texts.

    Attributes
    ----------
    frame : pandas.DataFrame
        The pseudonymised copy of the input frame.
    documents : dict or None
        ``interview_id`` → pseudonymised document text, with the frame's ``start``/``end``
        moved into it; None when no document texts were given.

    Examples
    --------
    >>> import pandas as pd
    >>> Pseudonymised(pd.DataFrame({"text": ["[PERSON-1a2b3c] ringde"]})).documents is None
    True
    """

    frame: pd.DataFrame
    documents: Mapping[str, str] | None = None

    _frame = "frame"

    def _legacy_attrs(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.documents is not None:
            out["documents"] = dict(self.documents)
            if len(self.documents) == 1:
                out["document_text"] = next(iter(self.documents.values()))
        out["pseudonymised"] = True
        return out


@dataclass(frozen=True, eq=False, repr=False)
class PiiScan(FrameResult):
    """What :func:`~iopstudy.interviews.scan_pii` found, and the files it could not read.

    Attributes
    ----------
    matches : pandas.DataFrame
        ``file, line, kind, match`` (masked); empty when nothing was found.
    skipped : tuple of str
        Files not scanned (binary files, suffixes outside
        :data:`~iopstudy.interviews.SCANNED_SUFFIXES`).

    Examples
    --------
    >>> import pandas as pd
    >>> s = PiiScan(pd.DataFrame(columns=["file", "line", "kind", "match"]), ["fig.png"])
    >>> s.matches.empty, s.skipped
    (True, ('fig.png',))
    """

    matches: pd.DataFrame
    skipped: tuple[str, ...] = ()

    _frame = "matches"

    def __post_init__(self) -> None:
        object.__setattr__(self, "skipped", tuple(self.skipped))

    def _legacy_attrs(self) -> dict[str, Any]:
        return {"skipped": list(self.skipped)}


def segments_and_documents(
    segments: Any,
    documents: Mapping[str, str] | None = None,
    *,
    interview: str = "interview_id",
) -> tuple[pd.DataFrame, Mapping[str, str] | None]:
    """The segments table and document texts of a ``segments`` argument.

    Parameters
    ----------
    segments
        A segments DataFrame, or a :class:`Transcript`, :class:`Corpus` or
        :class:`Pseudonymised` (its table and its ``documents`` are used).
    documents
        ``interview_id`` → document text; given, it wins over the result's own.
    interview
        The interview id column (for the deprecated form below).

    Returns
    -------
    tuple
        ``(frame, documents)``; ``documents`` is None when there are none.

    Notes
    -----
    A DataFrame whose ``attrs`` hold ``documents`` or ``document_text`` (the form of version
    0.2) is still read, with a :class:`DeprecationWarning`; pass ``documents=`` instead.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"interview_id": ["X1"], "text": ["Hej."], "start": [3], "end": [7]})
    >>> frame, docs = segments_and_documents(Transcript(seg, "I: Hej.", "X1.md"))
    >>> frame is seg, docs
    (True, {'X1': 'I: Hej.'})
    >>> segments_and_documents(seg)[1] is None
    True
    """
    import pandas as pd

    if isinstance(segments, (Transcript, Corpus, Pseudonymised)):
        frame = getattr(segments, segments._frame)
        return frame, documents if documents is not None else segments.documents
    if not isinstance(segments, pd.DataFrame):
        raise InputError(
            "segments must be a DataFrame, a Transcript, a Corpus or a Pseudonymised result, "
            f"not {type(segments).__name__}"
        )
    if documents is not None:
        return segments, documents
    legacy = segments.attrs
    if "documents" in legacy or "document_text" in legacy:
        warnings.warn(
            "document texts in DataFrame.attrs are deprecated (merge and concat drop them); "
            "pass documents= (e.g. corpus.documents)",
            DeprecationWarning,
            stacklevel=3,
        )
        if "documents" in legacy:
            return segments, dict(legacy["documents"])
        if interview in segments.columns and segments[interview].nunique() == 1:
            return segments, {str(segments[interview].iloc[0]): legacy["document_text"]}
    return segments, None
