"""Themes in the interviews: frequencies, co-occurrence, sector comparison, quotes.

Analysis functions for coded interview segments, in the style of the rest of
iopstudy: long DataFrames in, long DataFrames out.

Inputs
------
``segments``
    Segments with ``segment_id``, ``interview_id``, ``text`` and the metadata
    columns of :func:`iopstudy.interviews.read_corpus` (``sector``,
    ``respondent_role``, ``size_class``, ``skr_group``, ``county_name`` …),
    e.g. the ``interview_segments`` table of
    :func:`iopstudy.interviews.build_interviews`. Where a function counts,
    ``segments`` is the **universe**: every segment in it was read by every
    coder, and a code not applied to it is absent. Use :func:`coded_segments`
    to restrict a corpus to what was actually coded (the manual codings of
    the illustrative corpus cover the respondent segments of six interviews).
``codings``
    A long table ``segment_id, code`` and, for manual codings, ``coder``
    (:func:`iopstudy.interviews.coding.read_manual_codings`), or dictionary proposals
    (:func:`iopstudy.interviews.coding.precode`, no ``coder``). With several coders,
    whether a code is *present* in a segment is decided by
    :func:`consensus_codings` (default: a majority of the coders).

Functions
---------
* :func:`load_interview_tables` — the processed tables (builds them if missing).
* :func:`coded_segments`, :func:`consensus_codings` — universe and consensus.
* :func:`code_frequencies`, :func:`code_frequencies_by_municipality`,
  :func:`plot_code_frequencies` — how many segments and interviews per group
  carry each code.
* :func:`cooccurrence`, :func:`cooccurrence_matrix`, :func:`plot_cooccurrence`
  — which codes are applied together (Jaccard index).
* :func:`compare_sectors` — public vs idéburen, per code, on interviews:
  Fisher's exact test, Cohen's h, conditional odds ratio with exact CI,
  Benjamini–Hochberg adjusted p-values.
* :func:`strongest_quotes` — the best-supported (pseudonymised) segments per code.
* :func:`agreement_summary` — intercoder agreement overall and per code.
* :func:`false_positive_check` — do the dictionary's known traps stay quiet?

All counts are descriptive. The illustrative corpus is fictional and small
(14 interviews): tests on it illustrate the method and have almost no power.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover

    from iopstudy.interviews.codebook import Codebook

from iopstudy.errors import require_columns
from iopstudy.labels import label

__all__ = [
    "KNOWN_FALSE_POSITIVES",
    "illustrative_note",
    "coded_segments",
    "consensus_codings",
    "code_frequencies",
    "code_frequencies_by_municipality",
    "cooccurrence",
    "cooccurrence_matrix",
    "strongest_quotes",
    "false_positive_check",
    "code_labels",
]




#: Known false positives of dictionary stems: ``(name, regex, code)``. The
#: regex finds the trap word in a text (``(?-i:...)`` where case matters); a
#: dictionary hit of ``code`` overlapping it would be a false positive.
KNOWN_FALSE_POSITIVES: tuple[tuple[str, str, str], ...] = (
    ("förtroendevald", r"förtroendevald\w*", "GOV.TRUST"),
    ("medborgardialog", r"medborgardialog\w*", "PRIN.DIALOG"),
    ("kommungränsen", r"kommungräns\w*", "HYB.BLUR"),
    ("blockgränsen", r"blockgräns\w*", "HYB.BLUR"),
    ("lov (permission)", r"(?<!\w)(?-i:lov)(?!\w)", "LAW.LOU"),
    ("sommarlov/höstlov", r"(?:sommar|höst|jul|sport|påsk)lov\w*", "LAW.LOU"),
    ("kulturtolk", r"kulturtolk\w*", "HYB.LOGIC"),
    ("kulturförening", r"kulturförening\w*", "HYB.LOGIC"),
)


_RULES = ("majority", "all", "any")


def _as_tuple(by: str | Sequence[str]) -> tuple[str, ...]:
    return (by,) if isinstance(by, str) else tuple(by)


def resolve_codebook(codebook: "Codebook | None") -> "Codebook":
    from iopstudy.interviews.codebook import load_codebook

    return load_codebook() if codebook is None else codebook


def illustrative_note(lang: str = "en") -> str:
    """The note every figure of the fictional corpus carries.

    >>> illustrative_note("sv")
    'Illustrativa data: fiktiva intervjuer'
    """
    return label("note_fictional_interviews", lang)


def code_labels(
    codebook: "Codebook | None" = None, lang: str = "en", *, with_id: bool = True, width: int | None = 34
) -> dict[str, str]:
    """Code id → label in ``lang`` (``"Dialogue (PRIN.DIALOG)"``), shortened to ``width``.

    >>> code_labels(lang="sv")["PRIN.DIALOG"]
    'Dialog (PRIN.DIALOG)'
    """
    from iopstudy.labels import check_lang

    check_lang(lang)
    cb = resolve_codebook(codebook)
    col = "label_sv" if lang == "sv" else "label_en"
    out = {}
    for cid, text in zip(cb.codes["code_id"], cb.codes[col]):
        text = str(text)
        if width is not None and len(text) > width:
            text = textwrap.shorten(text, width, placeholder="…")
        out[cid] = f"{text} ({cid})" if with_id else text
    return out


def group_label(by: str, value: Any, lang: str) -> str:
    from iopstudy.labels import category_labels

    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return category_labels(by, [value], lang)[value]


def coded_segments(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    *,
    roles: Sequence[str] | None = ("respondent",),
) -> pd.DataFrame:
    """The segments that were coded: those of interviews with any coding, of the given roles.

    Parameters
    ----------
    segments
        All segments (``segment_id``, ``interview_id``, ``speaker_role``).
    codings
        Codings with ``segment_id``.
    roles
        Speaker roles that were coded (default: respondents only, as in the
        illustrative corpus); ``None`` keeps every role.

    Returns
    -------
    pandas.DataFrame
        The rows of ``segments`` (same columns and order) of interviews that
        have at least one coding row, restricted to ``roles``.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["A-1", "A-2", "B-1"], "interview_id": ["A", "A", "B"],
    ...                     "speaker_role": ["interviewer", "respondent", "respondent"]})
    >>> cod = pd.DataFrame({"segment_id": ["A-2"], "code": ["LAW.LOU"]})
    >>> coded_segments(seg, cod)["segment_id"].tolist()  # interview B was not coded
    ['A-2']
    >>> coded_segments(seg, cod, roles=None)["segment_id"].tolist()
    ['A-1', 'A-2']
    """
    require_columns(segments, ["segment_id", "interview_id"], "segments")
    require_columns(codings, ["segment_id"], "codings")
    iv = segments.loc[segments["segment_id"].isin(set(codings["segment_id"])), "interview_id"]
    keep = segments["interview_id"].isin(set(iv))
    if roles is not None:
        require_columns(segments, ["speaker_role"], "segments")
        keep &= segments["speaker_role"].astype(str).isin(set(roles))
    return segments.loc[keep].copy()


def consensus_codings(
    codings: pd.DataFrame,
    *,
    rule: str = "majority",
    units: Iterable[Any] | None = None,
    unit: str = "segment_id",
    code: str = "code",
    coder: str = "coder",
) -> pd.DataFrame:
    """Which codes are present in which units, by the coders' consensus.

    Parameters
    ----------
    codings
        Long codings (``unit, code`` and optionally ``coder``). Rows with an
        empty code record that a coder coded the unit with nothing.
    rule
        ``"majority"`` (default; more than half of the coders of the unit
        applied the code — with two coders: both), ``"all"`` or ``"any"``.
        Ignored without a ``coder`` column (every row is then a presence).
    units
        The units every coder coded. Then the number of coders of a unit is
        the number of coders in ``codings`` (a coder without a row on the
        unit found no code there); without it, the coders with at least one
        row on the unit.
    unit, code, coder
        Column names.

    Returns
    -------
    pandas.DataFrame
        ``unit, code, votes, n_coders``: one row per present unit × code,
        ``votes`` the coders who applied it, ``n_coders`` those who coded
        the unit (1 and 1 without a ``coder`` column). Sorted by unit, code.

    Examples
    --------
    >>> c = pd.DataFrame({"segment_id": ["s1", "s1", "s2"], "code": ["A", "A", "B"],
    ...                   "coder": ["x", "y", "x"]})
    >>> consensus_codings(c, units=["s1", "s2"])[["segment_id", "code"]].values.tolist()
    [['s1', 'A']]
    >>> consensus_codings(c)[["segment_id", "code", "votes", "n_coders"]].values.tolist()
    [['s1', 'A', 2, 2], ['s2', 'B', 1, 1]]
    """
    require_columns(codings, [unit, code], "codings")
    if rule not in _RULES:
        raise InputError(f"rule must be one of {', '.join(_RULES)}", value=rule)
    cols = [unit, code]
    if coder not in codings.columns:
        out = codings.loc[codings[code].notna(), cols].drop_duplicates()
        if units is not None:
            out = out.loc[out[unit].isin(set(units))]
        out = out.assign(votes=1, n_coders=1)
    else:
        df = codings[[unit, code, coder]]
        if df[coder].isna().any():
            raise InputError("a coding row has no coder", column=coder)
        if units is not None:
            unit_set = set(units)
            df = df.loc[df[unit].isin(unit_set)]
            n_of_unit: pd.Series | int = int(codings[coder].nunique())
        else:
            n_of_unit = df.groupby(unit, sort=False)[coder].nunique()
        pres = df.dropna(subset=[code]).drop_duplicates()
        out = pres.groupby([unit, code], sort=False)[coder].nunique().rename("votes").reset_index()
        if isinstance(n_of_unit, int):
            out["n_coders"] = n_of_unit
        else:
            out["n_coders"] = out[unit].map(n_of_unit)
        if rule == "majority":
            keep = out["votes"] * 2 > out["n_coders"]
        elif rule == "all":
            keep = out["votes"] >= out["n_coders"]
        else:
            keep = out["votes"] >= 1
        out = out.loc[keep]
    out = out.astype({"votes": "int64", "n_coders": "int64"})
    return out.sort_values([unit, code], kind="mergesort").reset_index(drop=True)[
        [unit, code, "votes", "n_coders"]
    ]


def _present(
    codings: pd.DataFrame, segments: pd.DataFrame, consensus: str, codebook: "Codebook | None"
) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """Present segment × code pairs within the universe, the code list and themes."""
    require_columns(codings, ["segment_id", "code"], "codings")
    cb = resolve_codebook(codebook)
    codes = cb.code_ids
    unknown = sorted(set(codings["code"].dropna()) - set(codes))
    if unknown:
        raise InputError(
            f"code(s) not in the codebook {cb.name!r}: {unknown[:5]}", column="code", value=unknown[0]
        )
    pres = consensus_codings(codings, rule=consensus, units=segments["segment_id"])
    themes = dict(zip(cb.codes["code_id"], cb.codes["theme_id"]))
    return pres, codes, themes


def code_frequencies(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    by: str | Sequence[str] = ("sector",),
    *,
    unit: str = "interview",
    codebook: "Codebook | None" = None,
    consensus: str = "majority",
) -> pd.DataFrame:
    """How many segments and interviews of each group carry each code.

    Parameters
    ----------
    codings
        ``segment_id, code`` (and ``coder``): manual codings or dictionary
        proposals. Codings of segments not in ``segments`` are ignored.
    segments
        The coded universe (see the module docstring) with
        ``segment_id, interview_id`` and the ``by`` columns.
    by
        Grouping column(s): ``"sector"``, ``"respondent_role"``,
        ``"size_class"``, ``"skr_group"``, ``"county_name"``, … A missing
        value (a region has no ``size_class``) is a group of its own (NaN);
        :func:`code_frequencies_by_municipality` labels it.
    unit
        ``"interview"`` (default): ``share`` is the share of the group's
        interviews in which the code occurs at least once. ``"segment"``:
        the share of the group's segments. With ``"interview"`` the ``by``
        columns must be constant within an interview.
    codebook
        Gives the codes (all of them, including unused ones, in codebook
        order) and their themes; default: the packaged codebook.
    consensus
        Rule of :func:`consensus_codings` when there is a ``coder`` column.

    Returns
    -------
    pandas.DataFrame
        One row per group × code: the ``by`` columns, ``code``, ``theme``,
        ``n_segments`` (segments with the code), ``n_interviews``
        (interviews with the code in at least one segment),
        ``group_segments`` and ``group_interviews`` (the group's totals in
        the universe), ``share`` (per ``unit``) and ``unit``.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["a1", "a2", "b1"], "interview_id": ["A", "A", "B"],
    ...                     "sector": ["offentlig", "offentlig", "idéburen"]})
    >>> cod = pd.DataFrame({"segment_id": ["a1", "a2"], "code": ["LAW.LOU", "LAW.LOU"]})
    >>> f = code_frequencies(cod, seg)
    >>> f.loc[f.code == "LAW.LOU", ["sector", "n_segments", "n_interviews", "share"]].values.tolist()
    [['idéburen', 0, 0, 0.0], ['offentlig', 2, 1, 1.0]]
    """
    by = _as_tuple(by)
    if unit not in ("interview", "segment"):
        raise InputError("unit must be 'interview' or 'segment'", value=unit)
    require_columns(segments, ["segment_id", "interview_id", *by], "segments")
    pres, codes, themes = _present(codings, segments, consensus, codebook)
    seg = segments[["segment_id", "interview_id", *by]]
    if unit == "interview" and by:
        varying = seg.groupby("interview_id", sort=False)[list(by)].nunique(dropna=False).max()
        bad = [b for b in by if varying[b] > 1]
        if bad:
            raise InputError(
                f"{bad[0]!r} varies within an interview, so interviews cannot be grouped by it; "
                "use unit='segment'",
                column=bad[0],
            )
    key = list(by)
    if key:
        totals = (
            seg.groupby(key, dropna=False, observed=True, sort=True)
            .agg(group_segments=("segment_id", "size"), group_interviews=("interview_id", "nunique"))
            .reset_index()
        )
    else:
        totals = pd.DataFrame(
            {"group_segments": [len(seg)], "group_interviews": [seg["interview_id"].nunique()]}
        )
    hits = pres.merge(seg, on="segment_id", how="inner")
    if key:
        cnt = (
            hits.groupby([*key, "code"], dropna=False, observed=True, sort=False)
            .agg(n_segments=("segment_id", "nunique"), n_interviews=("interview_id", "nunique"))
            .reset_index()
        )
    else:
        cnt = (
            hits.groupby("code", sort=False)
            .agg(n_segments=("segment_id", "nunique"), n_interviews=("interview_id", "nunique"))
            .reset_index()
        )
    totals = totals.assign(_g=np.arange(len(totals)))
    grid = totals.merge(pd.DataFrame({"code": codes, "_c": np.arange(len(codes))}), how="cross")
    out = grid.merge(cnt, on=[*key, "code"], how="left")
    out[["n_segments", "n_interviews"]] = out[["n_segments", "n_interviews"]].fillna(0).astype("int64")
    out["theme"] = out["code"].map(themes)
    if unit == "interview":
        out["share"] = out["n_interviews"] / out["group_interviews"]
    else:
        out["share"] = out["n_segments"] / out["group_segments"]
    out["unit"] = unit
    out = out.sort_values(["_g", "_c"], kind="mergesort").reset_index(drop=True)
    for b in key:  # keep categorical dtypes of the input
        if isinstance(segments[b].dtype, pd.CategoricalDtype):
            out[b] = out[b].astype(segments[b].dtype)
    return out[
        [*key, "code", "theme", "n_segments", "n_interviews", "group_segments", "group_interviews", "share", "unit"]
    ]


def code_frequencies_by_municipality(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    by: str | Sequence[str] = ("size_class",),
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`code_frequencies` by municipality type, with regions as a group of their own.

    ``size_class`` and ``skr_group`` come from the municipality register
    joined by :func:`iopstudy.interviews.read_interview_metadata`; an
    interview whose public body is a region has neither. Here those
    interviews form the group ``"region"`` (added as the last category)
    instead of a NaN group.

    Parameters
    ----------
    codings, segments, **kwargs
        As for :func:`code_frequencies`.
    by
        Municipality columns: ``"size_class"``, ``"skr_group"``,
        ``"kommun_name"`` or ``"county_name"`` (counties are defined for
        regions too).

    Returns
    -------
    pandas.DataFrame
        As :func:`code_frequencies`.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["a1", "b1", "c1"], "interview_id": ["A", "B", "C"],
    ...                     "level": ["kommun", "kommun", "region"], "size_class": ["<10k", "<10k", None]})
    >>> cod = pd.DataFrame({"segment_id": ["a1", "c1"], "code": ["LAW.LOU", "LAW.LOU"]})
    >>> f = code_frequencies_by_municipality(cod, seg)
    >>> f.loc[f.code == "LAW.LOU", ["size_class", "n_interviews", "group_interviews", "share"]].values.tolist()
    [['<10k', 1, 2, 0.5], ['region', 1, 1, 1.0]]
    """
    by = _as_tuple(by)
    require_columns(segments, [*by, "level"], "segments")
    seg = segments.copy()
    is_region = seg["level"].astype(str) == "region"
    for b in by:
        col = seg[b]
        if isinstance(col.dtype, pd.CategoricalDtype):
            if "region" not in col.cat.categories:
                col = col.cat.add_categories(["region"])
        else:
            col = col.astype(object)
        seg[b] = col.where(~(is_region & col.isna()), "region")
    return code_frequencies(codings, seg, by, **kwargs)


def cooccurrence(
    codings: pd.DataFrame,
    unit: str = "segment_id",
    code: str = "code",
    *,
    codes: Sequence[str] | None = None,
    consensus: str = "majority",
    coder: str = "coder",
    units: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """How often two codes are applied to the same unit.

    Parameters
    ----------
    codings
        Long codings with ``unit`` and ``code`` columns (and ``coder``, and
        ``segment_id`` when ``unit`` is coarser, e.g. ``"interview_id"``).
    unit
        The unit of co-occurrence: ``"segment_id"`` (default: both codes in
        the same segment) or a coarser column such as ``"interview_id"``.
    code
        The code column.
    codes
        Codes to report and their order; default: the codes present, sorted
        (the ids start with their theme, so themes stay together).
    consensus, coder
        With a ``coder`` column, presence per segment is decided by
        :func:`consensus_codings` with this rule first.
    units
        Passed to :func:`consensus_codings` (the segments every coder coded).

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair of codes (``code_a`` before ``code_b`` in
        ``codes`` order): ``code_a, code_b, n_both`` (units with both),
        ``n_a``, ``n_b`` (units with each), ``jaccard`` and ``n_units``
        (units with any of the codes).

    Notes
    -----
    Jaccard index :math:`J = n_{ab} / (n_a + n_b - n_{ab})`: the share of
    units with either code that have both; 0 when the codes never meet, 1
    when they always come together; NaN when neither occurs.

    Examples
    --------
    >>> c = pd.DataFrame({"segment_id": ["s1", "s1", "s2", "s3"], "code": ["A", "B", "A", "B"]})
    >>> cooccurrence(c)[["code_a", "code_b", "n_both", "n_a", "n_b", "jaccard"]].values.tolist()
    [['A', 'B', 1, 2, 2, 0.3333333333333333]]
    """
    require_columns(codings, [unit, code], "codings")
    df = codings
    seg_col = "segment_id" if "segment_id" in df.columns else unit
    if coder in df.columns:
        pres = consensus_codings(df, rule=consensus, units=units, unit=seg_col, code=code, coder=coder)
        if unit != seg_col:
            pres = pres.merge(df[[seg_col, unit]].drop_duplicates(), on=seg_col, how="left")
    else:
        pres = df.loc[df[code].notna()]
    pres = pres[[unit, code]].drop_duplicates()
    code_list = list(codes) if codes is not None else sorted(pres[code].unique().tolist())
    pres = pres.loc[pres[code].isin(set(code_list))]
    u_idx, u_vals = pd.factorize(pres[unit], sort=True)
    c_idx = pd.Index(code_list).get_indexer(pres[code])
    B = np.zeros((len(u_vals), len(code_list)), dtype=np.int64)
    B[u_idx, c_idx] = 1
    C = B.T @ B
    n = np.diag(C)
    ia, ib = np.triu_indices(len(code_list), k=1)
    both = C[ia, ib]
    union = n[ia] + n[ib] - both
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union > 0, both / np.where(union > 0, union, 1), np.nan)
    return pd.DataFrame(
        {
            "code_a": np.array(code_list, dtype=object)[ia],
            "code_b": np.array(code_list, dtype=object)[ib],
            "n_both": both.astype("int64"),
            "n_a": n[ia].astype("int64"),
            "n_b": n[ib].astype("int64"),
            "jaccard": jac.astype(float),
            "n_units": np.full(len(ia), len(u_vals), dtype="int64"),
        }
    )


def cooccurrence_matrix(
    cooc: pd.DataFrame, value: str = "jaccard", *, diagonal: str | float | None = None
) -> pd.DataFrame:
    """The long table of :func:`cooccurrence` as a symmetric code × code matrix.

    Parameters
    ----------
    cooc
        The result of :func:`cooccurrence`.
    value
        ``"jaccard"``, ``"n_both"`` or another column of ``cooc``.
    diagonal
        ``None`` (default): NaN for ``jaccard``, the code's own count
        (``n_a``) for counts. A number: that value.

    Returns
    -------
    pandas.DataFrame
        Index and columns the codes (in the order of ``cooc``), named
        ``code_a`` and ``code_b``.

    Examples
    --------
    >>> c = pd.DataFrame({"segment_id": ["s1", "s1", "s2"], "code": ["A", "B", "A"]})
    >>> cooccurrence_matrix(cooccurrence(c), "n_both").values.tolist()
    [[2, 1], [1, 1]]
    """
    require_columns(cooc, ["code_a", "code_b", value], "cooc")
    codes = list(dict.fromkeys([*cooc["code_a"], *cooc["code_b"]]))
    if not len(cooc):
        return pd.DataFrame(index=pd.Index([], name="code_a"), columns=pd.Index([], name="code_b"))
    order = list(dict.fromkeys(list(cooc["code_a"]) + [cooc["code_b"].iloc[-1]]))
    codes = order + [c for c in codes if c not in order]
    m = pd.DataFrame(np.nan, index=pd.Index(codes, name="code_a"), columns=pd.Index(codes, name="code_b"))
    for a, b, v in zip(cooc["code_a"], cooc["code_b"], cooc[value]):
        m.loc[a, b] = v
        m.loc[b, a] = v
    if diagonal is None:
        if value == "jaccard":
            diag = {c: np.nan for c in codes}
        else:
            counts = dict(zip(cooc["code_a"], cooc["n_a"]))
            counts.update(zip(cooc["code_b"], cooc["n_b"]))
            diag = counts
    else:
        diag = {c: diagonal for c in codes}
    for c in codes:
        m.loc[c, c] = diag.get(c, np.nan)
    if value != "jaccard" and not m.isna().any().any():
        m = m.astype("int64")
    return m


def strongest_quotes(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    *,
    per_code: int = 2,
    min_chars: int = 80,
    max_chars: int | None = 900,
    precodes: pd.DataFrame | None = None,
    codes: Sequence[str] | None = None,
    distinct_interviews: bool = True,
    check_pii: bool = True,
) -> pd.DataFrame:
    """The segments with most evidence for each code, as quotes.

    Parameters
    ----------
    segments
        Pseudonymised segments with ``segment_id, interview_id, text``,
        ``sector`` and ``respondent_role``.
    codings
        ``segment_id, code`` (and ``coder``); the candidates for a code are
        the segments where at least one coder applied it (or, without a
        ``coder`` column, every row).
    per_code
        Quotes per code.
    min_chars, max_chars
        Length limits of a quote (``max_chars=None``: no upper limit).
    precodes
        Dictionary proposals (:func:`iopstudy.interviews.coding.precode`): more hits of
        the code's stems rank a segment higher.
    codes
        Codes to report (default: every code with a candidate, sorted).
    distinct_interviews
        Take a code's quotes from different interviews where possible.
    check_pii
        Refuse (InputError) when a chosen quote still holds an e-mail
        address, phone number or personnummer
        (:func:`iopstudy.interviews.privacy.find_pii`); names cannot be checked here.

    Returns
    -------
    pandas.DataFrame
        ``code, rank, interview_id, segment_id, sector, respondent_role,
        n_coders, n_hits, n_other_codes, text``.

    Notes
    -----
    Ranking, per code: coders who applied the code (more first), then
    dictionary hits of the code in the segment (more first), then the number
    of other codes given to the segment (fewer first: a purer example), then
    the segment id. The text is the segment's text as given, so pass
    pseudonymised segments (the ``interview_segments`` table is).

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["A-2", "B-2"], "interview_id": ["A", "B"],
    ...     "sector": ["offentlig", "idéburen"], "respondent_role": ["politiker", "ordförande"],
    ...     "text": ["Vi upphandlar enligt LOU, och det styr samarbetet.",
    ...              "Först kom upphandlingen; LOU var ramen för allt vi gjorde."]})
    >>> cod = pd.DataFrame({"segment_id": ["A-2", "B-2", "B-2"], "code": ["LAW.LOU"] * 3,
    ...                     "coder": ["anna", "anna", "kim"]})
    >>> q = strongest_quotes(seg, cod, min_chars=20)
    >>> q[["code", "rank", "segment_id", "n_coders"]].values.tolist()
    [['LAW.LOU', 1, 'B-2', 2], ['LAW.LOU', 2, 'A-2', 1]]
    >>> try:
    ...     strongest_quotes(seg.assign(text=seg["text"] + " Ring 070-174 06 12."), cod, min_chars=20)
    ... except InputError as err:
    ...     print(err.message.split(";")[0])
    quote B-2 contains personal data (TELEFON)
    """
    from iopstudy.interviews.privacy import find_pii

    require_columns(segments, ["segment_id", "interview_id", "text", "sector", "respondent_role"], "segments")
    require_columns(codings, ["segment_id", "code"], "codings")
    if per_code < 1:
        raise InputError("per_code must be at least 1", value=per_code)
    cod = codings.loc[codings["code"].notna()]
    if "coder" in cod.columns:
        cand = cod.groupby(["segment_id", "code"], sort=False)["coder"].nunique().rename("n_coders").reset_index()
    else:
        cand = cod[["segment_id", "code"]].drop_duplicates().assign(n_coders=1)
    n_codes = cand.groupby("segment_id")["code"].nunique()
    cand["n_other_codes"] = cand["segment_id"].map(n_codes).astype("int64") - 1
    if precodes is not None and len(precodes):
        require_columns(precodes, ["segment_id", "code"], "precodes")
        hits = precodes.groupby(["segment_id", "code"]).size().rename("n_hits").reset_index()
        cand = cand.merge(hits, on=["segment_id", "code"], how="left")
        cand["n_hits"] = cand["n_hits"].fillna(0).astype("int64")
    else:
        cand["n_hits"] = np.int64(0)
    seg = segments[["segment_id", "interview_id", "sector", "respondent_role", "text"]]
    cand = cand.merge(seg, on="segment_id", how="inner")
    length = cand["text"].str.len()
    ok = length >= min_chars
    if max_chars is not None:
        ok &= length <= max_chars
    cand = cand.loc[ok]
    if codes is not None:
        cand = cand.loc[cand["code"].isin(set(codes))]
    cand = cand.sort_values(
        ["code", "n_coders", "n_hits", "n_other_codes", "segment_id"],
        ascending=[True, False, False, True, True],
        kind="mergesort",
    )
    rows = []
    code_order = list(codes) if codes is not None else sorted(cand["code"].unique())
    for c in code_order:
        g = cand.loc[cand["code"] == c]
        if distinct_interviews:
            first = g.drop_duplicates("interview_id")
            rest = g.loc[~g.index.isin(first.index)]
            g = pd.concat([first, rest])
        rows.append(g.head(per_code).assign(rank=np.arange(1, min(per_code, len(g)) + 1)))
    cols = [
        "code", "rank", "interview_id", "segment_id", "sector", "respondent_role",
        "n_coders", "n_hits", "n_other_codes", "text",
    ]
    out = pd.concat(rows, ignore_index=True)[cols] if rows else pd.DataFrame(columns=cols)
    if check_pii:
        for sid, text in zip(out["segment_id"], out["text"]):
            found = find_pii(text)
            if found:
                raise InputError(
                    f"quote {sid} contains personal data ({found[0].kind}); pseudonymise the "
                    "segments first (iopstudy.interviews.privacy.pseudonymise_frame)",
                    value=sid,
                )
    return out.reset_index(drop=True)


def false_positive_check(
    segments: pd.DataFrame,
    precodes: pd.DataFrame,
    traps: Sequence[tuple[str, str, str]] = KNOWN_FALSE_POSITIVES,
) -> pd.DataFrame:
    """Count known trap words in the texts and how many the dictionary wrongly coded.

    Parameters
    ----------
    segments
        Segments with ``segment_id`` and ``text`` (the texts that were
        pre-coded, so that offsets agree).
    precodes
        The proposals of :func:`iopstudy.interviews.coding.precode` for those segments.
    traps
        ``(name, regex, code)`` triples (default :data:`KNOWN_FALSE_POSITIVES`);
        the regex is matched case-insensitively.

    Returns
    -------
    pandas.DataFrame
        One row per trap: ``trap, code, n_occurrences`` (in the texts),
        ``n_coded`` (occurrences overlapped by a proposal of ``code``),
        ``handled`` (``n_coded == 0``) and ``examples`` (up to three matched
        words that were coded).

    Examples
    --------
    >>> from iopstudy.interviews.coding import precode
    >>> seg = pd.DataFrame({"segment_id": ["s1", "s2"],
    ...                     "text": ["De förtroendevalda litar på oss.", "Förtroendet för föreningen växer."]})
    >>> fp = false_positive_check(seg, precode(seg))
    >>> fp.loc[fp["trap"] == "förtroendevald", ["code", "n_occurrences", "n_coded", "handled"]].values.tolist()
    [['GOV.TRUST', 1, 0, True]]
    >>> wrong = pd.DataFrame({"segment_id": ["s1"], "code": ["GOV.TRUST"], "start": [3], "end": [17]})
    >>> false_positive_check(seg, wrong).query("not handled")[["trap", "examples"]].values.tolist()
    [['förtroendevald', 'förtroendevalda']]
    """
    require_columns(segments, ["segment_id", "text"], "segments")
    require_columns(precodes, ["segment_id", "code", "start", "end"], "precodes")
    texts = dict(zip(segments["segment_id"], segments["text"]))
    pre = precodes.loc[precodes["segment_id"].isin(set(texts))]
    spans: dict[tuple[Any, str], list[tuple[int, int]]] = {}
    for sid, c, a, b in zip(pre["segment_id"], pre["code"], pre["start"], pre["end"]):
        spans.setdefault((sid, c), []).append((int(a), int(b)))
    rows = []
    for name, rx, code in traps:
        pat = re.compile(rx, re.IGNORECASE)
        n_occ = n_cod = 0
        examples: list[str] = []
        for sid, text in texts.items():
            if not isinstance(text, str):
                continue
            for m in pat.finditer(text):
                n_occ += 1
                if any(a < m.end() and m.start() < b for a, b in spans.get((sid, code), ())):
                    n_cod += 1
                    if len(examples) < 3 and m.group(0) not in examples:
                        examples.append(m.group(0))
        rows.append((name, code, n_occ, n_cod, n_cod == 0, ", ".join(examples)))
    return pd.DataFrame(rows, columns=["trap", "code", "n_occurrences", "n_coded", "handled", "examples"])
