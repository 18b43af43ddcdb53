"""Between REFI-QDA projects and the package's tables: segments and codings.

:func:`project_from_segments` turns the processed interview tables into a
:class:`~iopstudy.interviews.qdpx.QdaProject` (one text source per interview, one selection per
coded segment), and :func:`codings_to_segments` maps a project's selections back to segments, so
codings made in NVivo, ATLAS.ti, MAXQDA or QualCoder can be compared with the package's own.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.interviews.codebook import (
    Codebook,
    code_guid,
    load_codebook,
)
from iopstudy.interviews.qdc import description_text
from iopstudy.interviews.results import segments_and_documents

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
from iopstudy.interviews.qdpx import QdaProject, frames, guid
from iopstudy.text import as_text

__all__ = [
    "project_from_segments",
    "codings_to_segments",
]


def _documents(
    segments: "pd.DataFrame",
    documents: Mapping[str, str] | None,
    interview: str,
    id: str,  # noqa: A002
    text: str,
) -> dict[Any, tuple[str, "pd.DataFrame"]]:
    """Per interview: the document text and its segments with doc offsets."""

    for col in (interview, id, text):
        if col not in segments.columns:
            raise InputError(f"segments lack column {col!r}", column=col)
    docs = documents
    has_offsets = "start" in segments.columns and "end" in segments.columns
    out: dict[Any, tuple[str, pd.DataFrame]] = {}
    for iid, grp in segments.groupby(interview, sort=True):
        g = grp[[id, text] + (["start", "end"] if has_offsets else [])].copy()
        g[text] = as_text(g[text])
        doc = None if docs is None else docs.get(iid)
        if has_offsets and g[["start", "end"]].notna().all().all():
            g = g.sort_values("start", kind="stable")
            a = g["start"].astype("int64").to_numpy()
            b = g["end"].astype("int64").to_numpy()
            if doc is None:
                if (b - a != g[text].str.len().to_numpy()).any() or (a[1:] < b[:-1]).any():
                    raise InputError(
                        f"interview {iid!r}: segment offsets do not fit their texts (end - start != "
                        "len(text), or segments overlap); pass documents= with the document texts",
                        column="start",
                    )
                pieces, pos = [], 0
                for s0, e0, t in zip(a, b, g[text]):
                    gap = int(s0) - pos
                    if gap > 0:
                        pieces.append(" " * (gap - 1) + "\n")
                    pieces.append(t)
                    pos = int(e0)
                doc = "".join(pieces)
            g["doc_start"], g["doc_end"] = a, b
        else:
            if doc is not None:
                raise InputError(f"interview {iid!r}: segments need start/end offsets into the document", column="start")
            g["doc_start"] = np.cumsum([0] + [len(t) + 2 for t in g[text].iloc[:-1]])
            g["doc_end"] = g["doc_start"] + g[text].str.len()
            doc = "\n\n".join(g[text])
        for sid, s0, e0, t in zip(g[id], g["doc_start"], g["doc_end"], g[text]):
            if doc[int(s0) : int(e0)] != t:
                raise InputError(
                    f"interview {iid!r}: the document text at {s0}-{e0} is not the segment's text",
                    column=text,
                    value=sid,
                )
        out[iid] = (doc, g)
    return out


def project_from_segments(
    segments: Any,
    codings: "pd.DataFrame",
    codebook: Codebook | None = None,
    *,
    documents: Mapping[str, str] | None = None,
    name: str = "iopstudy",
    interview: str = "interview_id",
    id: str = "segment_id",  # noqa: A002
    text: str = "text",
) -> QdaProject:
    """Build a project from interview segments and manual codings.

    Parameters
    ----------
    segments
        Segments with ``interview_id, segment_id, text`` and, ideally,
        ``start``/``end`` offsets into the interview's document text; or a
        :class:`~iopstudy.interviews.results.Corpus`,
        :class:`~iopstudy.interviews.results.Pseudonymised` or
        :class:`~iopstudy.interviews.results.Transcript` (its segments and documents).
    codings
        ``segment_id, code, coder``; optional ``start``/``end`` columns give
        offsets *within the segment* (e.g. dictionary hits from
        :func:`iopstudy.interviews.coding.precode` with a ``coder`` column), otherwise
        the whole segment is the coded passage. Rows without a code are
        skipped.
    codebook
        The code tree (themes as non-codable parents); default: packaged.
    documents
        interview_id -> document text (e.g. ``corpus.documents`` of
        :func:`iopstudy.interviews.read_corpus`; default: those of ``segments`` when it
        is a result object). Without them the text is rebuilt from the segments'
        offsets (gaps become spaces ending in a newline), or, without offsets, by
        joining segments with blank lines.
    name, interview, id, text
        Project name and column names.

    Returns
    -------
    QdaProject
        One text source per interview (name = interview id), deterministic
        GUIDs (the codebook's code GUIDs are those of
        :func:`iopstudy.interviews.qdc.codebook_to_qdc`).

    Raises
    ------
    InputError
        A coding's segment or code is unknown, or the offsets do not fit.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"interview_id": ["X1"], "segment_id": ["X1-002-01"],
    ...                     "text": ["Vi följer LOU."], "start": [18], "end": [32]})
    >>> cod = pd.DataFrame({"segment_id": ["X1-002-01"], "code": ["LAW.LOU"], "coder": ["anna"]})
    >>> p = project_from_segments(seg, cod, documents={"X1": "I: Och lagen?\\nIP: Vi följer LOU."})
    >>> p.sources["name"].tolist(), p.codings[["source", "start", "end", "code", "text"]].values.tolist()
    (['X1'], [['X1', 18, 32, 'LAW.LOU', 'Vi följer LOU.']])
    """
    import pandas as pd

    cb = load_codebook() if codebook is None else codebook
    segments, documents = segments_and_documents(segments, documents, interview=interview)
    layout = _documents(segments, documents, interview, id, text)
    for col in ("segment_id", "code", "coder"):
        if col not in codings.columns:
            raise InputError(f"codings lack column {col!r}", column=col)
    seg_pos: dict[Any, tuple[Any, int, int]] = {}
    for iid, (_doc, g) in layout.items():
        for sid, a, b in zip(g[id], g["doc_start"], g["doc_end"]):
            seg_pos[sid] = (iid, int(a), int(b))
    codes = []
    for t in cb.themes.itertuples(index=False):
        codes.append({"guid": code_guid(t.theme_id), "name": t.theme_id, "parent_guid": None, "color": t.color,
                      "description": description_text({"sv": t.label_sv, "en": t.label_en, "definition": t.definition}),
                      "codable": False})
        for c in cb.codes.loc[cb.codes["theme_id"] == t.theme_id].itertuples(index=False):
            codes.append({"guid": code_guid(c.code_id), "name": c.code_id, "parent_guid": code_guid(t.theme_id),
                          "color": c.color,
                          "description": description_text({"sv": c.label_sv, "en": c.label_en, "definition": c.definition,
                                                       "include": c.include, "exclude": c.exclude}),
                          "codable": True})
    known = set(cb.code_ids)
    has_off = "start" in codings.columns and "end" in codings.columns
    rows = []
    coders: set[str] = set()
    for i, r in enumerate(codings.to_dict("records")):
        code = r["code"]
        if code is None or code != code or code == "":
            continue
        if r["segment_id"] not in seg_pos:
            raise InputError(f"coding row {i}: segment not in the segments", row=i, column="segment_id", value=r["segment_id"])
        if code not in known:
            raise InputError(f"coding row {i}: code not in the codebook {cb.name!r}", row=i, column="code", value=code)
        iid, a, b = seg_pos[r["segment_id"]]
        if has_off and pd.notna(r["start"]) and pd.notna(r["end"]):
            s0, e0 = a + int(r["start"]), a + int(r["end"])
            if not (a <= s0 <= e0 <= b):
                raise InputError(f"coding row {i}: start/end outside the segment", row=i, column="start")
        else:
            s0, e0 = a, b
        coder = str(r["coder"])
        coders.add(coder)
        rows.append({"source": str(iid), "start": s0, "end": e0, "code": code, "coder": coder,
                     "text": layout[iid][0][s0:e0], "_o": list(layout).index(iid)})
    rows.sort(key=lambda x: (x["_o"], x["start"], x["end"], x["coder"], x["code"]))
    for x in rows:
        del x["_o"]
    rows = [dict(t) for t in dict.fromkeys(tuple(x.items()) for x in rows)]  # drop exact duplicates
    sources = [{"guid": guid("source", str(iid)), "name": str(iid), "text": doc} for iid, (doc, _g) in layout.items()]
    users = [{"guid": guid("user", c), "name": c} for c in sorted(coders)]
    c, s, k, u = frames(codes, sources, rows, users)
    return QdaProject(name=name, codes=c, sources=s, codings=k, users=u, origin="iopstudy")


def codings_to_segments(
    project: QdaProject,
    segments: Any,
    *,
    documents: Mapping[str, str] | None = None,
    interview: str = "interview_id",
    id: str = "segment_id",  # noqa: A002
    text: str = "text",
    min_overlap: int = 1,
    check_text: bool = True,
) -> "pd.DataFrame":
    """Map a project's coded selections back to segment ids by offset overlap.

    Parameters
    ----------
    project
        A project whose text sources are named by interview id (as written
        by :func:`project_from_segments`, then coded in a QDA tool).
    segments, documents, interview, id, text
        As for :func:`project_from_segments` (the same layout is rebuilt).
    min_overlap
        Characters a selection must share with a segment to count.
    check_text
        Require each source's text to equal the interview's document text
        (an edited text would shift every offset).

    Returns
    -------
    pandas.DataFrame
        ``segment_id, code, coder, overlap, share``: one row per segment ×
        code × coder (a selection spanning several segments gives several
        rows); ``overlap`` is the largest number of shared characters and
        ``share`` = overlap / segment length.

    Raises
    ------
    InputError
        When ``check_text`` and a source text differs from its document.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"interview_id": ["X1", "X1"], "segment_id": ["X1-001-01", "X1-002-01"],
    ...                     "text": ["Och lagen?", "Vi följer LOU."], "start": [3, 18], "end": [13, 32]})
    >>> cod = pd.DataFrame({"segment_id": ["X1-002-01"], "code": ["LAW.LOU"], "coder": ["anna"]})
    >>> docs = {"X1": "I: Och lagen?\\nIP: Vi följer LOU."}
    >>> codings_to_segments(project_from_segments(seg, cod, documents=docs), seg, documents=docs).values.tolist()
    [['X1-002-01', 'LAW.LOU', 'anna', 14, 1.0]]
    """
    import pandas as pd

    segments, documents = segments_and_documents(segments, documents, interview=interview)
    layout = _documents(segments, documents, interview, id, text)
    by_name = {str(k): v for k, v in layout.items()}
    src_text = dict(zip(project.sources["name"], project.sources["text"]))
    unknown = sorted(set(project.codings["source"]) - set(by_name))
    if unknown:
        warnings.warn(f"sources not among the interviews were skipped: {unknown[:5]}", IopStudyWarning, stacklevel=2)
    out = []
    for sname, grp in project.codings.groupby("source", sort=False):
        if sname not in by_name:
            continue
        doc, g = by_name[sname]
        if check_text and src_text.get(sname) != doc:
            raise InputError(
                f"the text of source {sname!r} differs from the interview's document text; offsets cannot be mapped",
                value=sname,
            )
        starts = g["doc_start"].to_numpy(dtype=np.int64)
        ends = g["doc_end"].to_numpy(dtype=np.int64)
        sids = g[id].to_numpy()
        for a, b, code, coder in zip(grp["start"], grp["end"], grp["code"], grp["coder"]):
            lo = int(np.searchsorted(ends, a, side="right"))
            hi = int(np.searchsorted(starts, b, side="left"))
            for j in range(lo, hi):
                ov = min(b, ends[j]) - max(a, starts[j])
                if ov >= min_overlap:
                    length = ends[j] - starts[j]
                    out.append((sids[j], code, coder, int(ov), float(ov / length) if length else 1.0))
    df = pd.DataFrame(out, columns=["segment_id", "code", "coder", "overlap", "share"])
    if len(df):
        df = (
            df.sort_values("overlap", ascending=False, kind="stable")
            .drop_duplicates(["segment_id", "code", "coder"])
        )
        order = {s: i for i, s in enumerate(segments[id])}
        df = df.assign(_o=df["segment_id"].map(order)).sort_values(["_o", "code", "coder"], kind="stable")
        df = df.drop(columns="_o").reset_index(drop=True)
    return df
