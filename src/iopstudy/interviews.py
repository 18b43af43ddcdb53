"""Interview transcripts and their metadata.

Three readers turn a folder of transcripts into one long table of segments:

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
``df.attrs["front_matter"]``). Any other text before the first mark is an
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
normalised document text (UTF-8 decoded, BOM removed, ``\\r\\n`` and ``\\r``
turned into ``\\n``, Unicode NFC). The invariant
``document_text[start:end] == text`` holds for every segment;
``document_text`` is in ``df.attrs["document_text"]`` and is also returned by
:func:`transcript_text`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "TRANSCRIPT_SUFFIXES",
    "SEGMENT_COLUMNS",
    "METADATA_COLUMNS",
    "SECTORS",
    "ACCEPTED_SPEAKER_FORMS",
    "SPEAKER_ROLES",
    "read_text_file",
    "transcript_text",
    "read_transcript",
    "read_interview_metadata",
    "transcript_files",
    "read_corpus",
    "INTERVIEW_TABLES",
    "build_interviews",
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

#: Required columns of ``interviews.csv``.
METADATA_COLUMNS: tuple[str, ...] = (
    "interview_id",
    "date",
    "respondent_role",
    "sector",
    "organisation_type",
    "public_body_code",
    "illustrative",
)

#: Allowed values of ``sector``.
SECTORS: tuple[str, ...] = ("offentlig", "idéburen")

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
def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "the file looks like UTF-16 (it starts with a UTF-16 byte-order mark); "
            "save it as UTF-8",
            file=str(path),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        hint = ""
        try:
            alt = data.decode("cp1252")
        except UnicodeDecodeError:
            alt = None
        if alt is not None:
            bad = data[err.start : err.start + 1].decode("cp1252", errors="replace")
            hint = (
                f" It looks like Latin-1/cp1252 (byte 0x{data[err.start]:02x} would be "
                f"{bad!r} there); re-save it as UTF-8, e.g. "
                f"`iconv -f cp1252 -t utf-8 {path.name} > fixed.txt`."
            )
        raise InputError(
            f"the file is not valid UTF-8 (byte {err.start}).{hint}",
            file=str(path),
            row=line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_text_file(path: str | os.PathLike[str]) -> str:
    """Read a text file as UTF-8 (BOM tolerated), with ``\\n`` line ends and NFC.

    Raises :class:`~iopstudy.errors.InputError` naming the file (and the line
    of the first bad byte) when the file is not UTF-8, saying so when it looks
    like Latin-1/cp1252.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", file=str(p))
    return _decode(p.read_bytes(), p)


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
) -> "pd.DataFrame":
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
    pandas.DataFrame
        One row per segment with columns :data:`SEGMENT_COLUMNS`:
        ``interview_id`` (str), ``segment_id`` (str,
        ``f"{interview_id}-{turn:03d}-{paragraph:02d}"``), ``turn`` (int64,
        1-based), ``paragraph`` (int64, 1-based within the turn), ``speaker``
        (str, as written), ``speaker_role`` (categorical: interviewer,
        respondent, other), ``timestamp`` (str without brackets, ``""`` if
        none), ``text`` (str), ``start`` and ``end`` (int64 offsets into
        ``attrs["document_text"]``). A turn with no text yields no row, but
        keeps its number. ``attrs`` holds ``document_text``, ``file``,
        ``interview_id``, ``front_matter`` (dict) and ``header`` (list of
        header lines).

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
    >>> df = read_transcript(p)
    >>> df[["segment_id", "speaker_role", "timestamp", "text"]].values.tolist()
    [['X1-001-01', 'interviewer', '', 'Hur började det?'], ['X1-002-01', 'respondent', '00:01:02', 'Med ett samtal.']]
    """
    p = Path(path)
    text = transcript_text(p)
    iid = str(interview_id) if interview_id is not None else p.stem
    rows, front, header = _parse(text, p, iid, _name_set(interviewers), _name_set(respondents))
    df = _segments_frame(rows)
    df.attrs.update(
        {
            "document_text": text,
            "file": str(p),
            "interview_id": iid,
            "front_matter": front,
            "header": header,
        }
    )
    return df


# --------------------------------------------------------------------------- metadata
_TRUE = {"true", "ja", "yes", "1", "sant", "j", "y"}
_FALSE = {"false", "nej", "no", "0", "falskt", "n"}


def read_interview_metadata(
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> "pd.DataFrame":
    """Read and validate ``interviews.csv`` and join it to the reference data.

    The file is UTF-8 CSV with a header row; leading lines starting with
    ``#`` are comments. Required columns are :data:`METADATA_COLUMNS`; other
    columns are kept as text.

    Validation (each error names file, line, column and value): missing
    columns; empty or duplicate ``interview_id``; ``date`` not an ISO date
    (YYYY-MM-DD); ``sector`` not ``offentlig`` or ``idéburen``;
    ``public_body_code`` not a known 4-digit kommun code or 2-digit county
    (region) code; ``illustrative`` not true/false (ja/nej, yes/no, 1/0 also
    accepted).

    Parameters
    ----------
    path
        The CSV file.
    data_dir
        Reference data folder for :func:`iopstudy.reference.load_municipalities`
        (default: the project's).

    Returns
    -------
    pandas.DataFrame
        The file's columns (text; ``date`` as datetime64, ``illustrative`` as
        bool, ``sector`` lower-case NFC) plus ``level`` ("kommun"/"region"),
        ``kommun_name`` (NaN for a region), ``county_code``, ``county_name``,
        ``size_class`` and ``skr_group`` (ordered categoricals as in the
        reference data, NaN for a region). Codes stay strings ("0180").
        ``attrs["lines"]`` maps each interview_id to its line in the file.
    """
    import pandas as pd

    from iopstudy.reference import load_counties, load_municipalities

    p = Path(path)
    text = read_text_file(p)
    lines = text.split("\n")
    skip = 0
    while skip < len(lines) and (lines[skip].lstrip().startswith("#") or not lines[skip].strip()):
        skip += 1
    body = "\n".join(lines[skip:])
    reader = csv.reader(io.StringIO(body))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty (no header row)", file=str(p)) from None
    header = [h.strip() for h in header]
    header_line = skip + 1
    missing = [c for c in METADATA_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {missing}; required: {list(METADATA_COLUMNS)}",
            file=str(p),
            row=header_line,
            column=missing[0],
        )
    dup_cols = sorted({h for h in header if header.count(h) > 1})
    if dup_cols:
        raise InputError(f"duplicate column(s) {dup_cols}", file=str(p), row=header_line)

    munis = load_municipalities(data_dir).set_index("kommun_code")
    counties = load_counties(data_dir).set_index("county_code")

    records: list[dict[str, Any]] = []
    line_of: dict[str, int] = {}
    for rec in reader:
        line = reader.line_num + skip
        if not rec or all(not v.strip() for v in rec):
            continue
        if len(rec) != len(header):
            raise InputError(
                f"expected {len(header)} fields, found {len(rec)} (an unquoted comma?)",
                file=str(p),
                row=line,
            )
        row = {h: v.strip() for h, v in zip(header, rec)}

        def bad(column: str, message: str, _line: int = line, _row: dict = row) -> InputError:
            return InputError(message, file=str(p), row=_line, column=column, value=_row[column])

        iid = row["interview_id"]
        if not iid:
            raise bad("interview_id", "empty interview_id")
        if iid in line_of:
            raise bad("interview_id", f"duplicate interview_id (first on line {line_of[iid]})")
        try:
            date = _dt.date.fromisoformat(row["date"])
            if len(row["date"]) != 10:
                raise ValueError
        except ValueError:
            raise bad("date", "not a date in the form YYYY-MM-DD") from None
        sector = unicodedata.normalize("NFC", row["sector"]).casefold()
        if sector not in SECTORS:
            raise bad("sector", f"unknown sector; use one of {list(SECTORS)}")
        code = row["public_body_code"]
        if code.isdigit() and len(code) == 4 and code in munis.index:
            level = "kommun"
        elif code.isdigit() and len(code) == 2 and code in counties.index:
            level = "region"
        else:
            hint = ""
            if code.isdigit() and len(code) in (1, 3):
                hint = f" (a lost leading zero? did you mean {code.zfill(len(code) + 1)!r}?)"
            raise bad(
                "public_body_code",
                "not a known 4-digit kommun code or 2-digit county/region code" + hint,
            )
        flag = row["illustrative"].casefold()
        if flag not in _TRUE | _FALSE:
            raise bad("illustrative", "use true or false")
        row.update(
            date=pd.Timestamp(date),
            sector=sector,
            illustrative=flag in _TRUE,
            level=level,
        )
        line_of[iid] = line
        records.append(row)

    extra = [c for c in header if c not in METADATA_COLUMNS]
    cols = list(METADATA_COLUMNS) + extra
    df = pd.DataFrame(records, columns=cols + ["level"])
    df["date"] = pd.to_datetime(df["date"])
    df["illustrative"] = df["illustrative"].astype(bool)
    df = _join_reference(df, munis, counties)
    df.attrs["file"] = str(p)
    df.attrs["lines"] = line_of
    return df


def _join_reference(df: "pd.DataFrame", munis: "pd.DataFrame", counties: "pd.DataFrame"):
    import pandas as pd

    code = df["public_body_code"].astype(str)
    is_kommun = df["level"] == "kommun"
    county = code.where(~is_kommun, code.str[:2])
    df["kommun_name"] = code.map(munis["kommun_name"]).where(is_kommun)
    df["county_code"] = county
    df["county_name"] = county.map(counties["county_name"])
    df["size_class"] = pd.Series(
        pd.Categorical(
            code.map(munis["size_class"].astype(object)).where(is_kommun),
            dtype=munis["size_class"].dtype,
        ),
        index=df.index,
    )
    df["skr_group"] = pd.Series(
        pd.Categorical(
            code.map(munis["skr_group"].astype(object)).where(is_kommun),
            dtype=munis["skr_group"].dtype,
        ),
        index=df.index,
    )
    return df


# --------------------------------------------------------------------------- corpus
_SKIP_NAMES = {"readme", "names", "license", "sources"}


def transcript_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The transcript files of a corpus folder, sorted by name.

    Looks in ``folder/transcripts/`` if it exists, else in ``folder`` itself
    (not recursively). Files ending in :data:`TRANSCRIPT_SUFFIXES` are
    transcripts, except hidden files, Word lock files (``~$…``) and files
    named README, names, LICENSE or SOURCES.
    """
    base = Path(folder)
    if not base.is_dir():
        raise InputError("corpus folder not found", file=str(base))
    tdir = base / "transcripts" if (base / "transcripts").is_dir() else base
    out = []
    for f in sorted(tdir.iterdir()):
        if not f.is_file() or f.suffix.lower() not in TRANSCRIPT_SUFFIXES:
            continue
        if f.name.startswith((".", "~$")) or f.stem.casefold() in _SKIP_NAMES:
            continue
        out.append(f)
    return out


def read_corpus(
    folder: str | os.PathLike[str],
    metadata: "str | os.PathLike[str] | pd.DataFrame | None" = None,
    *,
    interviewers: Iterable[str] | None = None,
    respondents: Iterable[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> "pd.DataFrame":
    """Read every transcript of a corpus folder and join the metadata.

    Parameters
    ----------
    folder
        The corpus folder: transcripts in ``folder/transcripts/`` (or directly
        in ``folder``, see :func:`transcript_files`) and, by default, the
        metadata in ``folder/interviews.csv``.
    metadata
        Path of the metadata CSV, or a frame from
        :func:`read_interview_metadata`.
    interviewers, respondents
        Passed to :func:`read_transcript`.
    data_dir
        Reference data folder (see :func:`read_interview_metadata`).

    Returns
    -------
    pandas.DataFrame
        Long form: the :data:`SEGMENT_COLUMNS` of every transcript followed by
        the metadata columns, sorted by ``interview_id``, ``turn``,
        ``paragraph``. ``attrs["documents"]`` maps each interview_id to its
        document text and ``attrs["files"]`` to its file.

    Raises
    ------
    InputError
        A transcript whose id (file name) has no metadata row (naming the
        transcript), a metadata row with no transcript (naming the metadata
        file and line), two transcripts with the same id, or no transcripts.
    """
    import pandas as pd

    base = Path(folder)
    files = transcript_files(base)
    if metadata is None:
        meta_path = base / "interviews.csv"
        meta = read_interview_metadata(meta_path, data_dir=data_dir)
    elif isinstance(metadata, pd.DataFrame):
        meta_path = Path(metadata.attrs.get("file", "<metadata frame>"))
        meta = metadata
    else:
        meta_path = Path(metadata)
        meta = read_interview_metadata(meta_path, data_dir=data_dir)
    if not files:
        raise InputError(
            f"no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}) found", file=str(base)
        )

    ids = meta["interview_id"].astype(str).tolist()
    known = set(ids)
    seen: dict[str, Path] = {}
    for f in files:
        if f.stem in seen:
            raise InputError(
                f"two transcripts for interview {f.stem!r}: {seen[f.stem].name} and {f.name}",
                file=str(f),
            )
        seen[f.stem] = f
        if f.stem not in known:
            raise InputError(
                f"unknown interview id {f.stem!r}: the transcript has no row in {meta_path}; "
                "add a row or rename the file to its interview_id",
                file=str(f),
                value=f.stem,
            )
    lines: Mapping[str, int] = meta.attrs.get("lines", {})
    for pos, iid in enumerate(ids):
        if iid not in seen:
            raise InputError(
                f"no transcript for interview {iid!r} in {files[0].parent}",
                file=str(meta_path),
                row=lines.get(iid, pos),
                column="interview_id",
                value=iid,
            )

    frames = []
    documents: dict[str, str] = {}
    for iid in sorted(seen):
        seg = read_transcript(seen[iid], iid, interviewers=interviewers, respondents=respondents)
        documents[iid] = seg.attrs["document_text"]
        seg.attrs = {}
        frames.append(seg)
    segs = pd.concat(frames, ignore_index=True)
    segs["speaker_role"] = segs["speaker_role"].astype(pd.CategoricalDtype(list(SPEAKER_ROLES)))
    meta_cols = [c for c in meta.columns if c != "interview_id"]
    m = meta[["interview_id", *meta_cols]].copy()
    m["interview_id"] = m["interview_id"].astype(str)
    m.attrs = {}
    out = segs.merge(m, on="interview_id", how="left", validate="many_to_one")
    out = out.sort_values(["interview_id", "turn", "paragraph"], ignore_index=True)
    out.attrs["documents"] = documents
    out.attrs["files"] = {iid: str(f) for iid, f in sorted(seen.items())}
    return out


# --------------------------------------------------------------------------- processed tables
#: Base names of the tables :func:`build_interviews` writes (``.parquet`` and ``.csv`` each).
INTERVIEW_TABLES: tuple[str, ...] = (
    "interview_segments",
    "interview_precodes",
    "interview_codings",
    "interviews",
)

#: Metadata columns that are never pseudonymised (ids, codes, categories, dates).
_STRUCTURED_COLUMNS = frozenset(
    {
        *SEGMENT_COLUMNS,
        *METADATA_COLUMNS,
        "level", "kommun_name", "county_code", "county_name", "size_class", "skr_group",
    }
)


def build_interviews(
    corpus_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    salt: str | None = None,
    codebook: "Any" = None,
) -> str:
    """Build the pseudonymised interview tables and a REFI-QDA project.

    The ``interviews`` step of ``iopstudy reproduce``. Reads the corpus,
    pseudonymises it **before anything is written**, pre-codes it with the
    codebook's dictionary, reads the manual codings, writes the tables, and
    checks what it wrote for personal data.

    Written files: each table as ``{name}.parquet`` and ``{name}.csv``
    (UTF-8, ``\\n`` line ends, stable sort; ``DataFrame.attrs`` are not
    stored):

    ``interview_segments``
        One row per segment: the columns of :func:`read_corpus` (segment
        columns, then the metadata joined to the reference data), with
        ``text`` and ``speaker`` pseudonymised and ``start``/``end`` moved to
        the pseudonymised document texts. Sorted by interview, turn, paragraph.
    ``interview_precodes``
        Dictionary proposals of :func:`iopstudy.coding.precode` for the
        **respondent** segments only (``speaker_role == "respondent"``):
        the manual coding covers respondent segments, and an interviewer's
        question ("how do you see LOU?") is not evidence of what the
        respondent raised. Offsets refer to the pseudonymised segment text.
        Sorted by segment, start, code.
    ``interview_codings``
        Manual codings (``segment_id, code, coder``), validated against the
        codebook and against the segment ids; sorted by segment, coder, code.
        Empty (with these columns) when there is no ``manual_codings.csv``.
    ``interviews``
        One row per interview: the metadata (as in ``interview_segments``)
        plus ``n_segments`` and ``n_respondent_segments``.

    and ``interviews.qdpx``: a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA,
    QualCoder …) with one text source per interview (the pseudonymised
    transcript text), the codebook as code tree and the manual codings as
    coded selections, one user per coder. Dictionary proposals are not put
    into the project, so machine proposals and coders' decisions stay apart.

    Parameters
    ----------
    corpus_dir
        A corpus folder as :func:`read_corpus` reads it: ``transcripts/``,
        ``interviews.csv``, ``names.txt`` (required: the names to replace; an
        empty list is allowed but must be an explicit file) and, optionally,
        ``manual_codings.csv`` (``segment_id, code, coder``).
    out_dir
        Output folder (created if needed), e.g. ``data/processed``.
    salt
        Secret salt for the pseudonyms. ``None`` (default): when **every**
        interview in ``interviews.csv`` is marked ``illustrative`` (the
        fictional corpus shipped with iopstudy), the public
        :data:`~iopstudy.privacy.DEMO_SALT` is used, so its outputs are
        reproducible everywhere — that salt protects nothing and is never
        used for a corpus with a single real interview. Otherwise the salt
        comes from :func:`~iopstudy.privacy.load_salt` (``IOPSTUDY_SALT`` or
        ``~/.config/iopstudy/salt``), and its absence is an error. An
        explicit ``salt`` equal to ``DEMO_SALT`` is refused for a real corpus.
    codebook
        A :class:`~iopstudy.codebook.Codebook`, a path to a codebook YAML
        file, or ``None`` for the packaged codebook. Used for the
        pre-coding, to validate the manual codings and as the code tree of
        the QDPX project.

    Returns
    -------
    str
        A one-line summary (interviews, segments, proposals, codings).

    Raises
    ------
    iopstudy.privacy.MissingSaltError
        A corpus with any non-illustrative interview and no salt (the message
        says how to create one), or ``DEMO_SALT`` given for such a corpus.
    InputError
        Missing ``names.txt``; a manual coding whose segment id is not in the
        corpus or whose code is not in the codebook; personal data found by
        :func:`~iopstudy.privacy.scan_pii` (with the names list) in the files
        just written — they are then deleted again.

    Notes
    -----
    Free-text metadata columns other than the standard ones (e.g.
    ``organisation``, ``note``) are pseudonymised too. Pseudonymisation
    replaces names on the list, e-mail addresses, phone numbers and
    personnummer; it does not remove indirect identifiers (an organisation's
    name, a job title in a small municipality). Check those by hand before
    sharing real material.
    """
    import pandas as pd

    from iopstudy.codebook import Codebook, load_codebook
    from iopstudy.coding import precode, read_manual_codings
    from iopstudy.privacy import (
        DEMO_SALT,
        MissingSaltError,
        load_names,
        load_salt,
        pseudonymise_frame,
        scan_pii,
    )
    from iopstudy.qdpx import project_from_segments, write_qdpx

    base = Path(corpus_dir)
    out = Path(out_dir)
    if codebook is None or isinstance(codebook, (str, os.PathLike)):
        cb = load_codebook(codebook)
    elif isinstance(codebook, Codebook):
        cb = codebook
    else:
        raise InputError(
            f"codebook must be a Codebook, a path or None, not {type(codebook).__name__}"
        )

    meta = read_interview_metadata(base / "interviews.csv")
    all_illustrative = bool(len(meta)) and bool(meta["illustrative"].all())
    if salt is None:
        salt = DEMO_SALT if all_illustrative else load_salt()
        salt_kind = "public demo salt (illustrative corpus)" if all_illustrative else "secret salt"
    else:
        if salt == DEMO_SALT and not all_illustrative:
            real = meta.loc[~meta["illustrative"], "interview_id"].tolist()
            raise MissingSaltError(
                f"the public DEMO_SALT protects nothing and is only for a corpus where every "
                f"interview is illustrative; {len(real)} interview(s) are not "
                f"(e.g. {real[0]!r}). Use load_salt() with a secret salt."
            )
        salt_kind = "given salt"
    names_path = base / "names.txt"
    if not names_path.is_file():
        raise InputError(
            "no names list: the names of respondents, interviewers and people mentioned would "
            "stay in the text. Create names.txt (one full name per line, '#' comments; an empty "
            "file if there really are no names)",
            file=str(names_path),
        )
    names = load_names(names_path)

    corpus = read_corpus(base, meta)
    extra_text = [
        c for c in corpus.columns
        if c not in _STRUCTURED_COLUMNS and corpus[c].dtype == object
    ]
    safe = pseudonymise_frame(
        corpus, names=names, salt=salt, other_cols=("speaker", *extra_text)
    )
    documents = dict(safe.attrs.get("documents", {}))
    del corpus  # the raw text is not used below
    safe.attrs = {}

    # -- pre-coding of respondent segments
    resp = safe.loc[safe["speaker_role"] == "respondent", ["segment_id", "text"]]
    pre = precode(resp, cb)
    seg_order = pd.Series(range(len(safe)), index=safe["segment_id"])
    pre = (
        pre.assign(_o=pre["segment_id"].map(seg_order))
        .sort_values(["_o", "start", "code"], kind="mergesort")
        .drop(columns="_o")
        .reset_index(drop=True)
    )

    # -- manual codings
    codings_path = base / "manual_codings.csv"
    if codings_path.is_file():
        man = read_manual_codings(codings_path, cb)
        unknown = ~man["segment_id"].isin(set(safe["segment_id"]))
        if unknown.any():
            first = man.loc[unknown, "segment_id"].iloc[0]
            raise InputError(
                f"{int(unknown.sum())} coding(s) refer to segment ids not in the corpus "
                "(were transcripts edited after coding? segment ids change when turns or "
                "paragraphs do)",
                file=str(codings_path),
                column="segment_id",
                value=first,
            )
        man = (
            man.assign(_o=man["segment_id"].map(seg_order), _c=man["code"].fillna(""))
            .sort_values(["_o", "coder", "_c"], kind="mergesort")
            .drop(columns=["_o", "_c"])
            .reset_index(drop=True)
        )
    else:
        man = pd.DataFrame({c: pd.Series(dtype=object) for c in ("segment_id", "code", "coder")})
    man.attrs = {}

    # -- one row per interview
    meta_cols = [c for c in safe.columns if c not in SEGMENT_COLUMNS]
    interviews = safe[["interview_id", *meta_cols]].drop_duplicates("interview_id").reset_index(drop=True)
    counts = safe.groupby("interview_id", sort=True).agg(
        n_segments=("segment_id", "size"),
        n_respondent_segments=("speaker_role", lambda s: int((s == "respondent").sum())),
    )
    interviews = interviews.merge(counts, on="interview_id", how="left", validate="one_to_one")
    interviews[["n_segments", "n_respondent_segments"]] = interviews[
        ["n_segments", "n_respondent_segments"]
    ].astype("int64")
    interviews = interviews.sort_values("interview_id", kind="mergesort", ignore_index=True)

    # -- write
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "interview_segments": safe,
        "interview_precodes": pre,
        "interview_codings": man,
        "interviews": interviews,
    }
    written: list[Path] = []
    try:
        for name, df in tables.items():
            df = df.copy()
            df.attrs = {}
            pq = out / f"{name}.parquet"
            df.to_parquet(pq, index=False, engine="pyarrow")
            written.append(pq)
            csv_path = out / f"{name}.csv"
            with open(csv_path, "w", encoding="utf-8", newline="") as fh:
                df.to_csv(fh, index=False, lineterminator="\n", date_format="%Y-%m-%d")
            written.append(csv_path)
        project = project_from_segments(
            safe,
            man.dropna(subset=["code"]),
            cb,
            documents=documents,
            name="iopstudy interviews (illustrative)" if all_illustrative else "iopstudy interviews",
        )
        written.append(write_qdpx(project, out / "interviews.qdpx"))
        findings = scan_pii(written, names=names)
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    if len(findings):
        for p in written:
            p.unlink(missing_ok=True)
        shown = "; ".join(f"{r.file}:{r.line} {r.kind} {r.match}" for r in findings.head(5).itertuples())
        raise InputError(
            f"personal data found in the interview outputs ({len(findings)} finding(s), e.g. "
            f"{shown}); the files were deleted. Add the missing names to names.txt",
            file=str(out),
        )

    n_sector = interviews["sector"].value_counts()
    sectors = ", ".join(f"{int(n_sector.get(s, 0))} {s}" for s in SECTORS)
    n_coders = man["coder"].nunique()
    return (
        f"{len(interviews)} interviews ({sectors}), {len(safe)} segments "
        f"({int((safe['speaker_role'] == 'respondent').sum())} respondent), "
        f"{len(pre)} dictionary proposals, {len(man)} manual codings by {n_coders} coder(s); "
        f"pseudonymised with the {salt_kind}; 4 tables (parquet+csv) and interviews.qdpx "
        f"in {out}"
    )
