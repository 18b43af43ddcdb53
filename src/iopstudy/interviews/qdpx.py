"""REFI-QDA project exchange (``.qdpx``) with QDA tools.

A ``.qdpx`` file is a zip archive holding ``project.qde`` (XML in the
``urn:QDA-XML:project:1.0`` namespace) and a ``sources/`` folder with the
plain text of every text source. NVivo, ATLAS.ti, MAXQDA, QualCoder,
Quirkos and Transana read and write it. This module reads and writes the
part an interview study needs: users (coders), the code tree, text sources
and coded text selections.

:func:`read_qdpx` returns a :class:`QdaProject` of four DataFrames:

===========  ===========================================================
``codes``     ``guid, name, parent_guid, color, description, codable``
``sources``   ``guid, name, text`` — text normalised (see below)
``codings``   ``source, start, end, code, coder, text`` — one row per code
              applied to a selection; names as the project gives them
              (source name, code name, user name), ``start``/``end``
              offsets into the normalised source text, ``text`` the coded
              passage
``users``     ``guid, name``
===========  ===========================================================

Text normalisation. Tools disagree on text details, so every source is read
with ``utf-8-sig`` (a byte-order mark is dropped), CRLF and lone CR become
LF, and the text is normalised to Unicode NFC (Swedish å/ä/ö written as a
letter plus a combining ring or diaeresis become one character). Selection
positions in the file count characters of the text as stored; they are
mapped through these changes, so ``text[start:end]`` is the passage the tool
showed. Every selection is checked against its text: a position outside the
text is an error naming the file and the selection GUID; a boundary inside a
CRLF pair or a combining sequence, or a selection ``name`` that is not its
text (QualCoder stores the passage there), gives a warning with the GUIDs.
``endPosition`` is read as exclusive (the position after the last character),
as QualCoder writes it.

:func:`write_qdpx` writes a valid archive deterministically: GUIDs that the
project lacks are uuid5 of a fixed namespace and stable names, zip entries
have fixed timestamps and order, sources are UTF-8 without BOM with LF line
ends — so writing the same project twice, or re-exporting a project read
from our own file, gives identical bytes.

:func:`project_from_segments` builds a project from our interview segments
and manual codings (one text source per interview, the codebook as code
tree), and :func:`codings_to_segments` maps a project's coded selections
back to segment ids by offset overlap.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
import warnings
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.interviews.codebook import (
    IOPSTUDY_NAMESPACE,
)
from iopstudy.interviews.qdc import xml_bytes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "PROJECT_NAMESPACE",
    "QdaProject",
    "read_qdpx",
    "write_qdpx",
    "normalise_source_text",
]


#: XML namespace of a REFI-QDA project (``project.qde``).
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"


CODE_COLUMNS = ("guid", "name", "parent_guid", "color", "description", "codable")


SOURCE_COLUMNS = ("guid", "name", "text")


CODING_COLUMNS = ("source", "start", "end", "code", "coder", "text")


USER_COLUMNS = ("guid", "name")


_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _q(tag: str) -> str:
    return f"{{{PROJECT_NAMESPACE}}}{tag}"


def guid(*parts: str) -> str:
    return str(uuid.uuid5(IOPSTUDY_NAMESPACE, "|".join(parts)))


@dataclass(eq=False)
class QdaProject:
    """A REFI-QDA project reduced to users, codes, text sources and codings.

    Attributes
    ----------
    name : str
        The project's name.
    codes : pandas.DataFrame
        ``guid, name, parent_guid`` (None at the top), ``color`` (``#RRGGBB``
        or None), ``description`` (str), ``codable`` (bool); parents come
        before their children.
    sources : pandas.DataFrame
        ``guid, name, text``.
    codings : pandas.DataFrame
        ``source, start, end, code, coder, text`` (see the module docstring).
    users : pandas.DataFrame
        ``guid, name``.
    origin : str
        The software that wrote the file (``origin`` attribute).

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.interviews.refi import project_from_segments
    >>> seg = pd.DataFrame({"interview_id": ["X1"], "segment_id": ["X1-002-01"],
    ...                     "text": ["Vi följer LOU."], "start": [18], "end": [32]})
    >>> cod = pd.DataFrame({"segment_id": ["X1-002-01"], "code": ["LAW.LOU"], "coder": ["anna"]})
    >>> project = project_from_segments(seg, cod, documents={"X1": "I: Och lagen?\\nIP: Vi följer LOU."})
    >>> list(project.codes.columns), len(project.codes)  # 5 themes as parents of 20 codes
    (['guid', 'name', 'parent_guid', 'color', 'description', 'codable'], 25)
    >>> project.users["name"].tolist(), project.codings[["source", "code", "coder", "text"]].values.tolist()
    (['anna'], [['X1', 'LAW.LOU', 'anna', 'Vi följer LOU.']])
    """

    name: str
    codes: "pd.DataFrame"
    sources: "pd.DataFrame"
    codings: "pd.DataFrame"
    users: "pd.DataFrame"
    origin: str = ""

    def equals(self, other: object) -> bool:
        """True when names and all four tables are equal."""
        if not isinstance(other, QdaProject) or self.name != other.name:
            return False
        pairs = [(self.codes, other.codes), (self.sources, other.sources), (self.codings, other.codings), (self.users, other.users)]
        return all(
            list(a.columns) == list(b.columns) and a.reset_index(drop=True).equals(b.reset_index(drop=True))
            for a, b in pairs
        )

    def code_keys(self) -> dict[str, str]:
        """guid -> the name used in ``codings.code`` (a path if names repeat)."""
        return _code_keys(self.codes)


def frames(
    codes: list[dict[str, Any]],
    sources: list[dict[str, Any]],
    codings: list[dict[str, Any]],
    users: list[dict[str, Any]],
) -> tuple["pd.DataFrame", "pd.DataFrame", "pd.DataFrame", "pd.DataFrame"]:
    import pandas as pd

    c = pd.DataFrame(codes, columns=list(CODE_COLUMNS))
    c = c.astype({"guid": object, "name": object, "parent_guid": object, "color": object, "description": object})
    c["codable"] = c["codable"].astype(bool)
    s = pd.DataFrame(sources, columns=list(SOURCE_COLUMNS)).astype(object)
    k = pd.DataFrame(codings, columns=list(CODING_COLUMNS))
    k = k.astype({"source": object, "start": "int64", "end": "int64", "code": object, "coder": object, "text": object})
    u = pd.DataFrame(users, columns=list(USER_COLUMNS)).astype(object)
    return c, s, k, u


def _unique_keys(guids: list[str], names: list[str]) -> dict[str, str]:
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    return {g: (n if seen[n] == 1 else f"{n} [{g}]") for g, n in zip(guids, names)}


def _code_keys(codes: "pd.DataFrame") -> dict[str, str]:
    """Code guid -> its name, or its path ``parent/child`` where names repeat."""
    names = dict(zip(codes["guid"], codes["name"]))
    parents = dict(zip(codes["guid"], codes["parent_guid"]))
    counts: dict[str, int] = {}
    for n in names.values():
        counts[n] = counts.get(n, 0) + 1

    def path(g: str) -> str:
        out = [names[g]]
        p = parents.get(g)
        while p is not None and p in names and len(out) < 100:
            out.append(names[p])
            p = parents.get(p)
        return "/".join(reversed(out))

    keys = {g: (n if counts[n] == 1 else path(g)) for g, n in names.items()}
    dup: dict[str, int] = {}
    for k in keys.values():
        dup[k] = dup.get(k, 0) + 1
    return {g: (k if dup[k] == 1 else f"{k} [{g}]") for g, k in keys.items()}


def normalise_source_text(raw: str) -> tuple[str, np.ndarray | None, np.ndarray | None]:
    """Normalise a source text (CRLF/CR -> LF, NFC) and map positions.

    Parameters
    ----------
    raw
        The decoded text (byte-order mark already removed).

    Returns
    -------
    text : str
        The normalised text.
    start_map, end_map : numpy.ndarray or None
        For each raw position ``p`` (``0..len(raw)``), the normalised position
        of a selection starting (``start_map``, rounded down) or ending
        (``end_map``, rounded up) there. Equal where ``p`` is a clean
        boundary; they differ inside a CRLF pair or a combining sequence.
        ``None`` when nothing changed (identity).

    Examples
    --------
    >>> raw = "Hej\\r\\nsa\\u030a"  # CRLF, and "å" as "a" + a combining ring
    >>> text, start_map, end_map = normalise_source_text(raw)
    >>> text, len(raw), len(text)
    ('Hej\\nså', 8, 6)
    >>> text[start_map[5]:end_map[8]]  # the raw selection 5-8 is the "så"
    'så'
    >>> int(start_map[4]), int(end_map[4])  # position 4 lies inside the CRLF pair
    (3, 4)
    >>> normalise_source_text("Hej")[1] is None
    True
    """
    if "\r" not in raw and unicodedata.is_normalized("NFC", raw):
        return raw, None, None
    # clusters: "\r\n", "\r", or a character with the combining marks after it
    clusters: list[tuple[int, int]] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\r":
            j = i + 2 if i + 1 < n and raw[i + 1] == "\n" else i + 1
        else:
            j = i + 1
            while j < n and unicodedata.combining(raw[j]):
                j += 1
        clusters.append((i, j))
        i = j
    start_map = np.zeros(n + 1, dtype=np.int64)
    end_map = np.zeros(n + 1, dtype=np.int64)
    parts: list[str] = []
    pos = 0
    for a, b in clusters:
        piece = raw[a:b]
        norm = "\n" if piece[0] == "\r" else unicodedata.normalize("NFC", piece)
        start_map[a:b] = pos
        end_map[a + 1 : b + 1] = pos + len(norm)
        start_map[a] = pos
        end_map[a] = pos
        parts.append(norm)
        pos += len(norm)
    start_map[n] = pos
    end_map[n] = pos
    return "".join(parts), start_map, end_map


def _member(zf: zipfile.ZipFile, wanted: str) -> str | None:
    names = zf.namelist()
    if wanted in names:
        return wanted
    low = {n.lower(): n for n in names}
    return low.get(wanted.lower())


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def _color(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", v):
        v = "#" + "".join(ch * 2 for ch in v[1:])
    return v.upper() if re.fullmatch(r"#[0-9A-Fa-f]{6}", v) else None


def read_qdpx(path: str | os.PathLike[str]) -> QdaProject:
    """Read a REFI-QDA project (``.qdpx``).

    Parameters
    ----------
    path
        The ``.qdpx`` archive.

    Returns
    -------
    QdaProject
        Users, codes, text sources (normalised text) and codings; codings
        are sorted by source (file order), start, end, coder and code.
        Non-text sources (PDF, pictures, audio, video) are skipped with a
        warning.

    Raises
    ------
    InputError
        Naming the file (and the line or GUID where possible): not a zip
        archive, no ``project.qde``, XML that is not well-formed or not a
        REFI-QDA project, a source text missing from ``sources/`` or not
        UTF-8, a position that is not an integer or lies outside its text,
        a ``CodeRef`` to a code not in the code book.

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.interviews.refi import project_from_segments
    >>> seg = pd.DataFrame({"interview_id": ["X1"], "segment_id": ["X1-002-01"],
    ...                     "text": ["Vi följer LOU."], "start": [18], "end": [32]})
    >>> cod = pd.DataFrame({"segment_id": ["X1-002-01"], "code": ["LAW.LOU"], "coder": ["anna"]})
    >>> project = project_from_segments(seg, cod, documents={"X1": "I: Och lagen?\\nIP: Vi följer LOU."})
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     back = read_qdpx(write_qdpx(project, Path(d) / "interviews.qdpx"))
    >>> back.codings[["source", "start", "end", "code", "coder", "text"]].values.tolist()
    [['X1', 18, 32, 'LAW.LOU', 'anna', 'Vi följer LOU.']]
    >>> back.equals(project)
    True
    """
    import pandas as pd

    p = Path(path)
    file = str(p)
    if not p.is_file():
        raise InputError("file not found", file=file)
    if not zipfile.is_zipfile(p):
        raise InputError("not a zip archive: a .qdpx file is a zip with project.qde and sources/", file=file)
    warn: list[str] = []
    with zipfile.ZipFile(p) as zf:
        qde = _member(zf, "project.qde")
        if qde is None:
            raise InputError("no project.qde in the archive", file=file, value=sorted(zf.namelist())[:10])
        data = zf.read(qde)
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise InputError(f"project.qde is not well-formed XML: {exc}", file=f"{file} [{qde}]", row=exc.position[0]) from exc
        if root.tag != _q("Project"):
            raise InputError(
                f"not a REFI-QDA project: root element {root.tag!r}, expected Project in {PROJECT_NAMESPACE}",
                file=f"{file} [{qde}]",
            )

        users = [
            {"guid": u.get("guid", ""), "name": u.get("name") or u.get("id") or u.get("guid", "")}
            for u in root.iterfind(f"{_q('Users')}/{_q('User')}")
        ]
        user_key = _unique_keys([u["guid"] for u in users], [u["name"] for u in users])
        if len(set(user_key.values())) != len(users) or any(k != u["name"] for k, u in zip(user_key.values(), users)):
            warn.append("user names repeat; the user GUID is added to the repeated names")

        codes: list[dict[str, Any]] = []

        def walk(el: ET.Element, parent: str | None) -> None:
            for c in el.findall(_q("Code")):
                g = c.get("guid")
                if not g:
                    raise InputError("a Code has no guid", file=f"{file} [{qde}]", value=c.get("name"))
                codes.append(
                    {
                        "guid": g,
                        "name": c.get("name", ""),
                        "parent_guid": parent,
                        "color": _color(c.get("color")),
                        "description": (c.findtext(_q("Description")) or ""),
                        "codable": _bool(c.get("isCodable", "true")),
                    }
                )
                walk(c, g)

        cb = root.find(f"{_q('CodeBook')}/{_q('Codes')}")
        if cb is not None:
            walk(cb, None)
        code_key = _code_keys(pd.DataFrame(codes, columns=list(CODE_COLUMNS)))

        sources: list[dict[str, Any]] = []
        codings: list[dict[str, Any]] = []
        sources_el = root.find(_q("Sources"))
        skipped = 0
        if sources_el is not None:
            for si, src in enumerate(list(sources_el)):
                if src.tag != _q("TextSource"):
                    skipped += 1
                    continue
                sg = src.get("guid", "")
                sname = src.get("name") or sg
                content = src.find(_q("PlainTextContent"))
                tpath = src.get("plainTextPath")
                if content is not None and not tpath:
                    raw = content.text or ""
                    if raw.startswith("\ufeff"):
                        raw = raw[1:]
                    where = f"{file} [PlainTextContent of {sname}]"
                else:
                    if not tpath:
                        raise InputError(
                            f"text source {sname!r} has neither plainTextPath nor PlainTextContent",
                            file=file,
                            value=sg,
                        )
                    rel = tpath.split("://", 1)[1] if "://" in tpath else tpath
                    rel = rel.lstrip("/")
                    member = _member(zf, rel if rel.lower().startswith("sources/") else f"sources/{rel}")
                    if member is None:
                        member = _member(zf, rel)
                    if member is None:
                        raise InputError(
                            f"the text of source {sname!r} ({tpath}) is not in the archive's sources/ folder",
                            file=file,
                            value=sg,
                        )
                    try:
                        raw = zf.read(member).decode("utf-8-sig")
                    except UnicodeDecodeError as exc:
                        raise InputError(
                            f"source text is not UTF-8 ({exc.reason} at byte {exc.start})", file=f"{file} [{member}]"
                        ) from exc
                    where = f"{file} [{member}]"
                text, smap, emap = normalise_source_text(raw)
                sources.append({"guid": sg, "name": sname, "text": text, "_order": si})
                for sel in src.findall(_q("PlainTextSelection")):
                    gid = sel.get("guid", "")
                    try:
                        a = int(sel.get("startPosition", ""))
                        b = int(sel.get("endPosition", ""))
                    except ValueError:
                        raise InputError(
                            "selection positions are not integers",
                            file=where,
                            value=f"{gid}: {sel.get('startPosition')!r}-{sel.get('endPosition')!r}",
                        ) from None
                    if not (0 <= a <= b <= len(raw)):
                        raise InputError(
                            f"selection {gid} ({a}-{b}) lies outside the text of source {sname!r} "
                            f"({len(raw)} characters)",
                            file=where,
                            value=gid,
                        )
                    if smap is not None:
                        na, nb = int(smap[a]), int(emap[b])  # type: ignore[index]
                        if smap[a] != emap[a] or smap[b] != emap[b]:  # type: ignore[index]
                            warn.append(f"selection {gid} in {where} starts or ends inside a CRLF pair or a combining sequence")
                    else:
                        na, nb = a, b
                    passage = text[na:nb]
                    label = sel.get("name")
                    if label:
                        lab = " ".join(unicodedata.normalize("NFC", label).split())
                        flat = " ".join(passage.split())
                        trunc = lab.rstrip("…").rstrip(".").rstrip()
                        if lab != flat and not (trunc and flat.startswith(trunc) and len(trunc) >= 10):
                            warn.append(f"selection {gid} in {where}: its name {label[:40]!r} is not its text {passage[:40]!r}")
                    sel_user = sel.get("creatingUser")
                    for cod in sel.findall(_q("Coding")):
                        ref = cod.find(_q("CodeRef"))
                        target = None if ref is None else ref.get("targetGUID")
                        if target not in code_key:
                            raise InputError(
                                f"a CodeRef in selection {gid} points to a code that is not in the code book",
                                file=f"{file} [{qde}]",
                                value=target,
                            )
                        ug = cod.get("creatingUser") or sel_user
                        if ug and ug not in user_key:
                            warn.append(f"selection {gid}: user {ug} is not in <Users>; added with its GUID as name")
                            users.append({"guid": ug, "name": ug})
                            user_key[ug] = ug
                        codings.append(
                            {
                                "source": sname,
                                "start": na,
                                "end": nb,
                                "code": code_key[target],
                                "coder": user_key.get(ug, ug or "") if ug else "",
                                "text": passage,
                                "_order": si,
                            }
                        )
                for cod in src.findall(_q("Coding")):  # the whole source coded
                    ref = cod.find(_q("CodeRef"))
                    target = None if ref is None else ref.get("targetGUID")
                    if target not in code_key:
                        raise InputError(
                            f"a CodeRef on source {sname!r} points to a code that is not in the code book",
                            file=f"{file} [{qde}]",
                            value=target,
                        )
                    ug = cod.get("creatingUser")
                    if ug and ug not in user_key:
                        warn.append(f"source {sname!r}: user {ug} is not in <Users>; added with its GUID as name")
                        users.append({"guid": ug, "name": ug})
                        user_key[ug] = ug
                    codings.append(
                        {"source": sname, "start": 0, "end": len(text), "code": code_key[target],
                         "coder": user_key.get(ug, ug or "") if ug else "", "text": text, "_order": si}
                    )
    if skipped:
        warn.append(f"{skipped} non-text source(s) (PDF, picture, audio, video) skipped")
    src_key = _unique_keys([s["guid"] for s in sources], [s["name"] for s in sources])
    for s in sources:
        if src_key[s["guid"]] != s["name"]:
            warn.append(f"source name {s['name']!r} repeats; the GUID is added")
    by_name_order = {s["_order"]: src_key[s["guid"]] for s in sources}
    for c in codings:
        c["source"] = by_name_order[c["_order"]]
    codings.sort(key=lambda c: (c["_order"], c["start"], c["end"], c["coder"], c["code"]))
    for c in codings:
        del c["_order"]
    codings = [dict(t) for t in dict.fromkeys(tuple(c.items()) for c in codings)]  # exact repeats carry nothing
    for s in sources:
        del s["_order"]
    users_rows = [{"guid": u["guid"], "name": user_key[u["guid"]]} for u in users]
    if warn:
        shown = "; ".join(warn[:10]) + (f"; ... ({len(warn) - 10} more)" if len(warn) > 10 else "")
        warnings.warn(f"{file}: {shown}", IopStudyWarning, stacklevel=2)
    c, s, k, u = frames(codes, sources, codings, users_rows)
    return QdaProject(name=root.get("name", ""), codes=c, sources=s, codings=k, users=u, origin=root.get("origin", ""))


def _zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, payload, compresslevel=6)
    return buf.getvalue()


def write_qdpx(project: QdaProject, path: str | os.PathLike[str]) -> Path:
    """Write a project as a REFI-QDA archive (``.qdpx``), deterministically.

    Parameters
    ----------
    project
        A :class:`QdaProject` (from :func:`read_qdpx` or
        :func:`project_from_segments`). Codings name their source, code and
        coder as in ``sources.name``, ``codes.name`` (or the path used by
        :meth:`QdaProject.code_keys`) and ``users.name``.
    path
        Output file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        A duplicate GUID, a parent code that does not exist, or a coding
        whose source, code or coder is unknown, whose offsets lie outside
        the source text, or whose ``text`` differs from the source text at
        its offsets.

    Notes
    -----
    Codings with the same source, start, end and coder become one
    ``PlainTextSelection`` with one ``Coding`` per code. Selection and
    coding GUIDs are uuid5 of the source GUID, offsets, user and code, so
    they are stable. No dates are written.

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.interviews.refi import project_from_segments
    >>> seg = pd.DataFrame({"interview_id": ["X1"], "segment_id": ["X1-002-01"],
    ...                     "text": ["Vi följer LOU."], "start": [18], "end": [32]})
    >>> cod = pd.DataFrame({"segment_id": ["X1-002-01"], "code": ["LAW.LOU"], "coder": ["anna"]})
    >>> project = project_from_segments(seg, cod, documents={"X1": "I: Och lagen?\\nIP: Vi följer LOU."})
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = write_qdpx(project, Path(d) / "interviews.qdpx")
    ...     with zipfile.ZipFile(path) as zf:
    ...         members = zf.namelist()
    ...     first = path.read_bytes()
    ...     same = write_qdpx(project, path).read_bytes() == first
    >>> members[0], len(members), same  # project.qde and one text source; identical bytes
    ('project.qde', 2, True)
    """
    out = Path(path)
    codes, sources, codings, users = project.codes, project.sources, project.codings, project.users
    for name, df, cols in (("codes", codes, CODE_COLUMNS), ("sources", sources, SOURCE_COLUMNS),
                           ("codings", codings, CODING_COLUMNS), ("users", users, USER_COLUMNS)):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise InputError(f"project.{name} lacks column(s) {missing}", column=missing[0])
    for name, df in (("codes", codes), ("sources", sources), ("users", users)):
        dup = df["guid"].duplicated()
        if dup.any():
            raise InputError(f"duplicate GUID in project.{name}", value=df["guid"][dup].iloc[0])
    code_guids = set(codes["guid"])
    for g, pg in zip(codes["guid"], codes["parent_guid"]):
        if pg is not None and pg == pg and pg not in code_guids:
            raise InputError(f"code {g} has a parent_guid that is not a code", value=pg)
    code_by_key = {k: g for g, k in _code_keys(codes).items()}
    name_count = codes["name"].value_counts()
    code_by_key.update(
        {n: g for g, n in zip(codes["guid"], codes["name"]) if n not in code_by_key and name_count[n] == 1}
    )
    src_key = _unique_keys(list(sources["guid"]), list(sources["name"]))
    src_by_key = {k: g for g, k in src_key.items()}
    src_text = dict(zip(sources["guid"], sources["text"]))
    user_by_name = {n: g for g, n in zip(users["guid"], users["name"])}

    ET.register_namespace("", PROJECT_NAMESPACE)
    root = ET.Element(_q("Project"), {"name": project.name or "iopstudy", "origin": project.origin or "iopstudy"})
    if len(users):
        uel = ET.SubElement(root, _q("Users"))
        for g, n in zip(users["guid"], users["name"]):
            ET.SubElement(uel, _q("User"), {"guid": g, "name": n})
    if len(codes):
        cbel = ET.SubElement(ET.SubElement(root, _q("CodeBook")), _q("Codes"))
        elems: dict[str, ET.Element] = {}
        rows = list(codes.itertuples(index=False))
        pending = rows
        while pending:  # parents first, whatever the row order
            rest = []
            for r in pending:
                parent = r.parent_guid if (r.parent_guid is not None and r.parent_guid == r.parent_guid) else None
                if parent is not None and parent not in elems:
                    rest.append(r)
                    continue
                attrs = {"guid": r.guid, "name": r.name, "isCodable": "true" if bool(r.codable) else "false"}
                col = _color(r.color) if isinstance(r.color, str) else None
                if col:
                    attrs["color"] = col
                el = ET.SubElement(cbel if parent is None else elems[parent], _q("Code"), attrs)
                if isinstance(r.description, str) and r.description:
                    ET.SubElement(el, _q("Description")).text = r.description
                elems[r.guid] = el
            if len(rest) == len(pending):
                raise InputError("the code tree has a cycle", value=rest[0].guid)
            pending = rest
        # REFI puts a code's Description before its child codes
        for el in elems.values():
            d = el.find(_q("Description"))
            if d is not None:
                el.remove(d)
                el.insert(0, d)

    # selections per source
    sel_rows: dict[str, dict[tuple[int, int, str], list[str]]] = {}
    for i, r in enumerate(codings.itertuples(index=False)):
        sg = src_by_key.get(r.source)
        if sg is None:
            raise InputError(f"coding row {i}: unknown source", column="source", value=r.source, row=i)
        cg = code_by_key.get(r.code)
        if cg is None:
            raise InputError(f"coding row {i}: unknown code", column="code", value=r.code, row=i)
        coder = r.coder if isinstance(r.coder, str) else ""
        if coder and coder not in user_by_name:
            raise InputError(f"coding row {i}: unknown coder (add it to project.users)", column="coder", value=coder, row=i)
        a, b = int(r.start), int(r.end)
        text = src_text[sg]
        if not (0 <= a <= b <= len(text)):
            raise InputError(f"coding row {i}: offsets {a}-{b} outside the source text ({len(text)} characters)", row=i)
        if isinstance(r.text, str) and r.text != text[a:b]:
            raise InputError(f"coding row {i}: text differs from the source text at {a}-{b}", row=i, column="text")
        lst = sel_rows.setdefault(sg, {}).setdefault((a, b, coder), [])
        if cg not in lst:
            lst.append(cg)

    entries: list[tuple[str, bytes]] = []
    if len(sources):
        sel = ET.SubElement(root, _q("Sources"))
        for g, n in zip(sources["guid"], sources["name"]):
            attrs = {"guid": g, "name": n, "plainTextPath": f"internal://{g}.txt"}
            sel_el = ET.SubElement(sel, _q("TextSource"), attrs)
            for (a, b, coder), cgs in sorted(sel_rows.get(g, {}).items()):
                ug = user_by_name.get(coder, "")
                sg_ = guid("selection", g, str(a), str(b), ug)
                sattrs = {"guid": sg_, "startPosition": str(a), "endPosition": str(b)}
                if ug:
                    sattrs["creatingUser"] = ug
                pel = ET.SubElement(sel_el, _q("PlainTextSelection"), sattrs)
                for cg in cgs:
                    cattrs = {"guid": guid("coding", sg_, cg)}
                    if ug:
                        cattrs["creatingUser"] = ug
                    ET.SubElement(ET.SubElement(pel, _q("Coding"), cattrs), _q("CodeRef"), {"targetGUID": cg})
            entries.append((f"sources/{g}.txt", src_text[g].encode("utf-8")))
    qde = xml_bytes(root)
    payload = _zip_bytes([("project.qde", qde), *entries])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(payload)
    return out
