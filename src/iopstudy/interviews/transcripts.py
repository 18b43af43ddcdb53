"""Interview transcripts: one transcript (txt, md, docx) into speaker turns and segments.

The readers of the interview wing (the metadata are in :mod:`~iopstudy.interviews.metadata`, a whole corpus in :mod:`~iopstudy.interviews.build`):

* :func:`read_transcript` parses one transcript (``.txt``, ``.md`` or
  ``.docx``) into speaker turns and paragraphs;
* :func:`read_interview_metadata` reads and validates ``interviews.csv`` and
  joins it to the reference data on municipalities and regions;
* :func:`read_corpus` reads every transcript in a folder, checks that each
  transcript has exactly one metadata row and vice versa, and returns all
  segments with the metadata columns.

Transcript conventions
----------------------
A *speaker mark* opens a turn at the start of a line. Accepted forms::

    I: ...            IP: ...           R: ...        (also I2:, IP1:, ...)
    Intervjuare: ...  Respondent: ...   Informant: ...  Interviewer: ...
    Intervjuperson: ...
    **Anna:** ...     **Anna**: ...     (bold names, Markdown)

A timestamp such as ``[00:12:31]``, ``[12:31]`` or ``(00:12)`` may stand before
the mark (``[00:12:31] IP: ...``) or right after it (``IP: [00:12:31] ...``,
``**Anna** (00:12): ...``). The turn continues on the following lines until
the next speaker mark; blank lines split it into paragraphs, and each
paragraph is one *segment*.

Before the first speaker mark only a *header* is allowed: blank lines,
Markdown headings (``# ...``), horizontal rules (``---``), one-line HTML
comments and a YAML front-matter block that opens on the first non-blank line
with ``---`` and closes with ``---`` (its content is returned in
``Transcript.front_matter``). Any other text before the first mark is an
error, because it would silently be lost.

In ``.docx`` files every paragraph of the body is one line; paragraphs styled as
headings (``Heading n``, ``Title``, ``Rubrik n``) are rendered as Markdown
headings (``#`` × level) in the document text, so the same rules apply. Word
formatting (bold, italics) is not seen, so write speaker marks as plain text
(``IP:``) or with literal ``**`` in Word; tables, text boxes, headers,
footers and comments are ignored.

Offsets
-------
Every segment carries ``start`` and ``end``: character offsets into the
normalised document text (UTF-8 decoded, BOM removed, ``\r\n`` and ``\r``
turned into ``\n``, Unicode NFC). The invariant
``document_text[start:end] == text`` holds for every segment;
``document_text`` is the :class:`~iopstudy.interviews.results.Transcript`'s ``text``, also
returned by :func:`transcript_text`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

from iopstudy.interviews.results import Transcript
from iopstudy.text import read_text

__all__ = [
    "Transcript",
    "TRANSCRIPT_SUFFIXES",
    "SEGMENT_COLUMNS",
    "ACCEPTED_SPEAKER_FORMS",
    "SPEAKER_ROLES",
    "read_text_file",
    "transcript_text",
    "read_transcript",
]


#: File suffixes read as transcripts.
TRANSCRIPT_SUFFIXES: tuple[str, ...] = (".md", ".txt", ".docx")


#: Columns of the frame returned by :func:`read_transcript`, in order.
SEGMENT_COLUMNS: tuple[str, ...] = (
    "interview_id",
    "segment_id",
    "turn",
    "paragraph",
    "speaker",
    "speaker_role",
    "timestamp",
    "text",
    "start",
    "end",
)


#: Speaker roles, the categories of ``speaker_role``.
SPEAKER_ROLES: tuple[str, ...] = ("interviewer", "respondent", "other")


ACCEPTED_SPEAKER_FORMS = (
    "'I:' / 'IP:' / 'R:', 'Intervjuare:' / 'Respondent:' / 'Informant:' / "
    "'Interviewer:' / 'Intervjuperson:', or bold names '**Anna:**' / '**Anna**:' at the "
    "start of a line, optionally with a timestamp such as '[00:12:31]' or '(00:12)' "
    "before or after the mark"
)


_ROLE_OF_LABEL = {
    "i": "interviewer",
    "intervjuare": "interviewer",
    "interviewer": "interviewer",
    "ip": "respondent",
    "r": "respondent",
    "respondent": "respondent",
    "informant": "respondent",
    "intervjuperson": "respondent",
}


_TS = r"[\[(](?P<{g}>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,]\d{{1,3}})?)[\])]"


def _ts(group: str) -> str:
    return _TS.format(g=group)


_SPEAKER_RX = re.compile(
    r"^[ \t]*"
    rf"(?:{_ts('ts1')}[ \t]*)?"
    r"(?:"
    # bold name: **Anna:** or **Anna**: (a timestamp may sit inside or before the colon)
    r"\*\*[ \t]*(?P<bold>[^*:\n\[\]()]{1,60}?)[ \t]*"
    rf"(?:{_ts('ts2')}[ \t]*)?"
    rf"(?::[ \t]*\*\*|\*\*[ \t]*(?:{_ts('ts3')}[ \t]*)?:)"
    r"|"
    # role labels
    r"(?P<label>(?i:intervjuare|interviewer|intervjuperson|respondent|informant)\d*"
    r"|(?:IP|I|R)\d*)"
    rf"[ \t]*(?:{_ts('ts4')}[ \t]*)?:"
    r")"
    rf"[ \t]*(?:{_ts('ts5')}(?:[ \t]+|$))?"
)


_TS_GROUPS = ("ts1", "ts2", "ts3", "ts4", "ts5")


_HEADING_RX = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)")


_RULE_RX = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")


_COMMENT_RX = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")


_DOCX_HEADING_RX = re.compile(r"^(?:heading|rubrik)\s*(\d)?$|^title$|^rubrik$", re.IGNORECASE)


# --------------------------------------------------------------------------- text input
#: Read a text file by the package's decoding policy (:func:`iopstudy.text.read_text`).
read_text_file = read_text


def _docx_text(path: Path) -> str:
    import zipfile

    try:
        import docx  # python-docx
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise ImportError("reading .docx transcripts needs python-docx") from err
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as err:
        raise InputError(f"not a readable .docx file ({err})", file=str(path)) from None
    lines: list[str] = []
    for par in document.paragraphs:
        text = par.text
        style = par.style.name if par.style is not None else ""
        m = _DOCX_HEADING_RX.match(style or "")
        if m and text.strip():
            level = int(m.group(1)) if m.group(1) else 1
            text = "#" * max(1, min(level, 6)) + " " + text
        lines.append(text)
    text = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def transcript_text(path: str | os.PathLike[str]) -> str:
    """The normalised full text of a transcript, the text ``start``/``end`` point into.

    ``.txt``/``.md``: decoded as UTF-8 (BOM tolerated), ``\\n`` line ends,
    NFC. ``.docx``: one line per paragraph, headings as Markdown ``#`` lines.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "X1.md"  # a BOM, CRLF line ends and a decomposed å ("a" + ring)
    ...     _ = p.write_bytes("\\ufeffI: Hur gick det?\\r\\nIP: Det gick sa\\u030a bra.\\r\\n".encode("utf-8"))
    ...     text = transcript_text(p)
    >>> text
    'I: Hur gick det?\\nIP: Det gick så bra.\\n'
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise InputError(
            f"unsupported transcript format {p.suffix!r}; use one of "
            f"{', '.join(TRANSCRIPT_SUFFIXES)} (save .doc/.rtf/.odt as .docx)",
            file=str(p),
        )
    if not p.is_file():
        raise InputError("transcript not found", file=str(p))
    if suffix == ".docx":
        return _docx_text(p)
    return read_text_file(p)


# --------------------------------------------------------------------------- parsing
def _speaker_role(
    speaker: str,
    is_label: bool,
    interviewers: frozenset[str] | None,
    respondents: frozenset[str] | None,
    first_named: list[str],
) -> str:
    key = re.sub(r"\d+$", "", speaker).strip().casefold()
    if key in _ROLE_OF_LABEL:
        return _ROLE_OF_LABEL[key]
    if is_label:  # pragma: no cover - labels are always in the table
        return "other"
    name = speaker.casefold()
    if interviewers is not None and name in interviewers:
        return "interviewer"
    if respondents is not None and name in respondents:
        return "respondent"
    if respondents is not None:
        return "other"
    if interviewers is not None:
        return "respondent"
    if not first_named:
        first_named.append(name)
    return "interviewer" if name == first_named[0] else "respondent"


def _parse_front_matter(lines: list[str], first: int, path: Path) -> tuple[int, dict[str, Any]]:
    """Parse a YAML block opening at ``lines[first]``; return the index after it."""
    import yaml

    for j in range(first + 1, len(lines)):
        if lines[j].strip() in ("---", "..."):
            raw = "\n".join(lines[first + 1 : j])
            try:
                data = yaml.safe_load(raw) if raw.strip() else {}
            except yaml.YAMLError as err:
                raise InputError(
                    f"the YAML front matter cannot be parsed: {err}", file=str(path), row=first + 1
                ) from None
            return j + 1, data if isinstance(data, dict) else {"value": data}
    raise InputError(
        "the YAML front matter opened with '---' is never closed (add a '---' line after it)",
        file=str(path),
        row=first + 1,
    )


def _parse(
    text: str,
    path: Path,
    interview_id: str,
    interviewers: frozenset[str] | None,
    respondents: frozenset[str] | None,
) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    marks = [_SPEAKER_RX.match(line) for line in lines]
    if not any(marks):
        raise InputError(
            f"no speaker marks found; accepted forms: {ACCEPTED_SPEAKER_FORMS}",
            file=str(path),
        )

    # ---- header
    front: dict[str, Any] = {}
    header: list[str] = []
    i = 0
    seen_content = False
    while i < len(lines) and marks[i] is None:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if not seen_content and stripped == "---":
            i, front = _parse_front_matter(lines, i, path)
            seen_content = True
            continue
        seen_content = True
        if _HEADING_RX.match(line) or _RULE_RX.match(line) or _COMMENT_RX.match(line):
            header.append(stripped)
            i += 1
            continue
        raise InputError(
            "text before the first speaker mark that is not a header; start the turn with a "
            f"speaker mark ({ACCEPTED_SPEAKER_FORMS}), or make the line a '# ' heading or part "
            "of a '---' front-matter block",
            file=str(path),
            row=i + 1,
            value=stripped[:60],
        )

    # ---- turns
    rows: list[dict[str, Any]] = []
    first_named: list[str] = []
    turn = 0

    def flush(turn_no: int, speaker: str, role: str, stamp: str, content: list[tuple[int, int]]):
        # content: (abs_start, abs_end) of each line's content; blank lines split paragraphs
        para = 0
        block: list[tuple[int, int]] = []
        for span in [*content, None]:
            blank = span is None or not text[span[0] : span[1]].strip()
            if not blank:
                block.append(span)
                continue
            if block:
                para += 1
                s, e = block[0][0], block[-1][1]
                chunk = text[s:e]
                s += len(chunk) - len(chunk.lstrip())
                e -= len(chunk) - len(chunk.rstrip())
                rows.append(
                    {
                        "interview_id": interview_id,
                        "segment_id": f"{interview_id}-{turn_no:03d}-{para:02d}",
                        "turn": turn_no,
                        "paragraph": para,
                        "speaker": speaker,
                        "speaker_role": role,
                        "timestamp": stamp,
                        "text": text[s:e],
                        "start": s,
                        "end": e,
                    }
                )
                block = []

    current: tuple[str, str, str] | None = None
    content: list[tuple[int, int]] = []
    for j in range(i, len(lines)):
        m = marks[j]
        if m is not None:
            if current is not None:
                flush(turn, *current, content)
            turn += 1
            bold = m.group("bold")
            speaker = (bold if bold is not None else m.group("label")).strip()
            role = _speaker_role(speaker, bold is None, interviewers, respondents, first_named)
            stamp = next((m.group(g) for g in _TS_GROUPS if m.group(g)), "")
            current = (speaker, role, stamp)
            content = [(offsets[j] + m.end(), offsets[j] + len(lines[j]))]
        else:
            content.append((offsets[j], offsets[j] + len(lines[j])))
    if current is not None:
        flush(turn, *current, content)
    return rows, front, header


def _empty_segments() -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in SEGMENT_COLUMNS})


def _segments_frame(rows: list[dict[str, Any]]) -> "pd.DataFrame":
    import pandas as pd

    df = pd.DataFrame(rows, columns=list(SEGMENT_COLUMNS)) if rows else _empty_segments()
    for c in ("turn", "paragraph", "start", "end"):
        df[c] = df[c].astype("int64")
    df["speaker_role"] = df["speaker_role"].astype(pd.CategoricalDtype(list(SPEAKER_ROLES)))
    return df


def _name_set(names: Iterable[str] | None) -> frozenset[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    return frozenset(unicodedata.normalize("NFC", n).strip().casefold() for n in names)


def read_transcript(
    path: str | os.PathLike[str],
    interview_id: str | None = None,
    *,
    interviewers: Iterable[str] | None = None,
    respondents: Iterable[str] | None = None,
) -> Transcript:
    """Parse one transcript into segments (paragraphs of speaker turns).

    Parameters
    ----------
    path
        A ``.md``, ``.txt`` or ``.docx`` transcript (conventions in the module
        docstring).
    interview_id
        Id used in ``interview_id`` and ``segment_id``; defaults to the file
        name without suffix (``IP01.md`` → ``"IP01"``).
    interviewers, respondents
        Speaker names written in bold (``**Anna:**``) whose role is known;
        compared case-insensitively. Role labels (``I``, ``IP``,
        ``Intervjuare``, ``Respondent``, …) always map to their role. For other
        names: a name in ``interviewers`` is the interviewer, a name in
        ``respondents`` the respondent; when ``respondents`` is given, any
        other name is ``"other"``; when only ``interviewers`` is given, any
        other name is a respondent; when neither is given, the first named
        speaker is the interviewer and every other name a respondent.

    Returns
    -------
    Transcript
        ``segments``: one row per segment with columns :data:`SEGMENT_COLUMNS`:
        ``interview_id`` (str), ``segment_id`` (str,
        ``f"{interview_id}-{turn:03d}-{paragraph:02d}"``), ``turn`` (int64,
        1-based), ``paragraph`` (int64, 1-based within the turn), ``speaker``
        (str, as written), ``speaker_role`` (categorical: interviewer,
        respondent, other), ``timestamp`` (str without brackets, ``""`` if
        none), ``text`` (str), ``start`` and ``end`` (int64 offsets into
        ``text``). A turn with no text yields no row, but keeps its number.
        ``text`` is the normalised document text, ``file`` the file read,
        ``interview_id`` the id, ``front_matter`` the YAML front matter (dict)
        and ``header`` the header lines (tuple).

    Raises
    ------
    InputError
        Not UTF-8 (with a Latin-1/cp1252 hint), no speaker marks at all, text
        before the first speaker mark that is not a header (with its line), an
        unclosed front matter, or an unsupported format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "X1.md"
    >>> _ = p.write_text("# Titel\\n\\nI: Hur började det?\\nIP: [00:01:02] Med ett samtal.\\n")
    >>> t = read_transcript(p)
    >>> t.segments[["segment_id", "speaker_role", "timestamp", "text"]].values.tolist()
    [['X1-001-01', 'interviewer', '', 'Hur började det?'], ['X1-002-01', 'respondent', '00:01:02', 'Med ett samtal.']]
    >>> t.header, t.text[t.segments["start"][1]:t.segments["end"][1]]
    (('# Titel',), 'Med ett samtal.')
    """
    p = Path(path)
    text = transcript_text(p)
    iid = str(interview_id) if interview_id is not None else p.stem
    rows, front, header = _parse(text, p, iid, _name_set(interviewers), _name_set(respondents))
    return Transcript(_segments_frame(rows), text, p, iid, front, tuple(header))
