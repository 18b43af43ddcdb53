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
    (:func:`iopstudy.coding.read_manual_codings`), or dictionary proposals
    (:func:`iopstudy.coding.precode`, no ``coder``). With several coders,
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

import os
import re
import textwrap
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from iopstudy.errors import InputError, StatisticalWarning

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from iopstudy.codebook import Codebook

__all__ = [
    "THEME_LABELS",
    "KNOWN_FALSE_POSITIVES",
    "InterviewTables",
    "illustrative_note",
    "load_interview_tables",
    "coded_segments",
    "consensus_codings",
    "code_frequencies",
    "code_frequencies_by_municipality",
    "plot_code_frequencies",
    "cooccurrence",
    "cooccurrence_matrix",
    "plot_cooccurrence",
    "compare_sectors",
    "strongest_quotes",
    "agreement_summary",
    "false_positive_check",
    "code_labels",
]

#: Labels used by this module's figures and tables (``{key: {"en", "sv"}}``),
#: passed to :func:`iopstudy.labels.label` as ``extra``.
THEME_LABELS: dict[str, dict[str, str]] = {
    "note_fictional_interviews": {
        "en": "Illustrative data: fictional interviews",
        "sv": "Illustrativa data: fiktiva intervjuer",
    },
    "code": {"en": "Code", "sv": "Kod"},
    "share_interviews": {
        "en": "Share of interviews with the code",
        "sv": "Andel intervjuer med koden",
    },
    "share_segments": {
        "en": "Share of segments with the code",
        "sv": "Andel segment med koden",
    },
    "jaccard": {"en": "Jaccard index", "sv": "Jaccardindex"},
    "n_both": {"en": "Units with both codes", "sv": "Enheter med båda koderna"},
    "sector": {"en": "Sector", "sv": "Sektor"},
    "respondent_role": {"en": "Respondent's role", "sv": "Respondentens roll"},
    "county_name": {"en": "County", "sv": "Län"},
    "sector.offentlig": {"en": "Public sector (offentlig)", "sv": "Offentlig sektor"},
    "sector.idéburen": {"en": "Non-profit (idéburen)", "sv": "Idéburen sektor"},
    "size_class.region": {"en": "Region (no size class)", "sv": "Region (ingen storleksklass)"},
    "skr_group.region": {"en": "Region (no SKR group)", "sv": "Region (ingen kommungrupp)"},
    "note_consensus": {
        "en": "Manual codings; a code counts when a majority of coders applied it",
        "sv": "Manuell kodning; en kod räknas när en majoritet av kodarna satt den",
    },
    "note_dictionary": {
        "en": "Dictionary pre-coding of respondent segments (proposals, not coders' decisions)",
        "sv": "Ordlistebaserad förkodning av respondentsegment (förslag, inte kodarnas beslut)",
    },
    "note_cooc_segment": {
        "en": "Unit: segment. Jaccard index = segments with both codes / segments with either",
        "sv": "Enhet: segment. Jaccardindex = segment med båda koderna / segment med någon av dem",
    },
}

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

_TABLE_FILES = {
    "segments": "interview_segments",
    "precodes": "interview_precodes",
    "codings": "interview_codings",
    "interviews": "interviews",
}
_RULES = ("majority", "all", "any")


# ==========================================================================
# helpers
# ==========================================================================


def _check_columns(df: Any, columns: Iterable[str], what: str) -> None:
    from iopstudy.errors import require_columns

    require_columns(df, columns, what)


def _as_tuple(by: str | Sequence[str]) -> tuple[str, ...]:
    return (by,) if isinstance(by, str) else tuple(by)


def _codebook(codebook: "Codebook | None") -> "Codebook":
    from iopstudy.codebook import load_codebook

    return load_codebook() if codebook is None else codebook


def _lab(key: str, lang: str, **fields: Any) -> str:
    from iopstudy.labels import label

    return label(key, lang, extra=THEME_LABELS, **fields)


def illustrative_note(lang: str = "en") -> str:
    """The note every figure of the fictional corpus carries.

    >>> illustrative_note("sv")
    'Illustrativa data: fiktiva intervjuer'
    """
    return _lab("note_fictional_interviews", lang)


def code_labels(
    codebook: "Codebook | None" = None, lang: str = "en", *, with_id: bool = True, width: int | None = 34
) -> dict[str, str]:
    """Code id → label in ``lang`` (``"Dialogue (PRIN.DIALOG)"``), shortened to ``width``.

    >>> code_labels(lang="sv")["PRIN.DIALOG"]
    'Dialog (PRIN.DIALOG)'
    """
    from iopstudy.labels import check_lang

    check_lang(lang)
    cb = _codebook(codebook)
    col = "label_sv" if lang == "sv" else "label_en"
    out = {}
    for cid, text in zip(cb.codes["code_id"], cb.codes[col]):
        text = str(text)
        if width is not None and len(text) > width:
            text = textwrap.shorten(text, width, placeholder="…")
        out[cid] = f"{text} ({cid})" if with_id else text
    return out


def _group_label(by: str, value: Any, lang: str) -> str:
    from iopstudy.labels import category_labels

    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return category_labels(by, [value], lang, extra=THEME_LABELS)[value]


# ==========================================================================
# loading
# ==========================================================================


class InterviewTables(NamedTuple):
    """The processed interview tables (see :func:`iopstudy.interviews.build_interviews`)."""

    segments: pd.DataFrame
    precodes: pd.DataFrame
    codings: pd.DataFrame
    interviews: pd.DataFrame


def load_interview_tables(
    processed_dir: str | os.PathLike[str],
    *,
    corpus_dir: str | os.PathLike[str] | None = None,
    rebuild: bool = False,
) -> InterviewTables:
    """Read the processed interview tables, building them first if they are missing.

    Parameters
    ----------
    processed_dir
        The folder :func:`~iopstudy.interviews.build_interviews` writes to
        (``data/processed``).
    corpus_dir
        The raw corpus; when given and a table is missing (or ``rebuild``),
        :func:`~iopstudy.interviews.build_interviews` is run first.
    rebuild
        Build even if the tables exist.

    Returns
    -------
    InterviewTables
        ``segments``, ``precodes``, ``codings``, ``interviews`` (from Parquet).

    Raises
    ------
    InputError
        A table is missing and no ``corpus_dir`` was given.
    """
    out = Path(processed_dir)
    paths = {k: out / f"{v}.parquet" for k, v in _TABLE_FILES.items()}
    missing = [p for p in paths.values() if not p.is_file()]
    if rebuild or missing:
        if corpus_dir is None:
            raise InputError(
                f"processed interview table(s) missing ({', '.join(p.name for p in missing)}); run "
                "`iopstudy reproduce --only build` or pass corpus_dir= to build them",
                file=str(out),
            )
        from iopstudy.interviews import build_interviews

        build_interviews(corpus_dir, out)
    return InterviewTables(**{k: pd.read_parquet(p) for k, p in paths.items()})


# ==========================================================================
# universe and consensus
# ==========================================================================


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
    """
    _check_columns(segments, ["segment_id", "interview_id"], "segments")
    _check_columns(codings, ["segment_id"], "codings")
    iv = segments.loc[segments["segment_id"].isin(set(codings["segment_id"])), "interview_id"]
    keep = segments["interview_id"].isin(set(iv))
    if roles is not None:
        _check_columns(segments, ["speaker_role"], "segments")
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
    _check_columns(codings, [unit, code], "codings")
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
    _check_columns(codings, ["segment_id", "code"], "codings")
    cb = _codebook(codebook)
    codes = cb.code_ids
    unknown = sorted(set(codings["code"].dropna()) - set(codes))
    if unknown:
        raise InputError(
            f"code(s) not in the codebook {cb.name!r}: {unknown[:5]}", column="code", value=unknown[0]
        )
    pres = consensus_codings(codings, rule=consensus, units=segments["segment_id"])
    themes = dict(zip(cb.codes["code_id"], cb.codes["theme_id"]))
    return pres, codes, themes


# ==========================================================================
# frequencies
# ==========================================================================


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
    _check_columns(segments, ["segment_id", "interview_id", *by], "segments")
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
    """
    by = _as_tuple(by)
    _check_columns(segments, [*by, "level"], "segments")
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


def plot_code_frequencies(
    freq: pd.DataFrame,
    lang: str = "en",
    *,
    by: str = "sector",
    kind: str = "dot",
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    codebook: "Codebook | None" = None,
    code_width: int | None = None,
    groups: Sequence[Any] | None = None,
    show_n: bool = True,
) -> "Figure":
    """Share of interviews (or segments) with each code, per group.

    Parameters
    ----------
    freq
        The result of :func:`code_frequencies` grouped by one column ``by``.
    lang
        ``"en"`` or ``"sv"`` (labels and number format).
    by
        The grouping column.
    kind
        ``"dot"``: one row per code, one marker per group (colour and shape),
        a line between the groups' values — for few groups such as sectors.
        ``"heatmap"``: codes × groups, cells annotated with the share — for
        many groups such as roles.
    preset, ax, note, title
        House style preset, an axes to draw into, a note under the figure
        and a title.
    codebook
        For code labels; default: the packaged codebook.
    code_width
        Maximum length of a code's label (default: 34 on paper, 48 on slides).
    groups
        The groups to show, in order; default: all, sectors as offentlig,
        idéburen, others in the order of ``freq``.
    show_n
        Add the group's number of interviews (or segments) to its label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib as mpl

    from iopstudy.figures import (
        MARKERS,
        OKABE_ITO,
        NumberFormatter,
        add_note,
        apply_number_format,
        new_figure,
        style_rc,
    )
    from iopstudy.labels import check_lang, format_percent

    check_lang(lang)
    _check_columns(freq, [by, "code", "share"], "freq")
    if kind not in ("dot", "heatmap"):
        raise InputError("kind must be 'dot' or 'heatmap'", value=kind)
    width = code_width or (34 if preset == "paper" else 48)
    clabels = code_labels(codebook, lang, width=width)
    codes = list(pd.unique(freq["code"]))
    present = list(pd.unique(freq[by]))
    if groups is None:
        groups = present
        if by == "sector":
            groups = [g for g in ("offentlig", "idéburen") if g in present] + [
                g for g in present if g not in ("offentlig", "idéburen")
            ]
    groups = list(groups)
    unit = str(freq["unit"].iloc[0]) if "unit" in freq.columns and len(freq) else "interview"
    xlab = _lab("share_interviews" if unit == "interview" else "share_segments", lang)
    glabels = {g: _group_label(by, g, lang) for g in groups}
    total_col = "group_interviews" if unit == "interview" else "group_segments"
    if show_n and total_col in freq.columns:
        totals = freq.drop_duplicates(subset=[by]).set_index(by)[total_col]
        for g in groups:
            if g in totals.index:
                glabels[g] = f"{glabels[g]} (n = {int(totals[g])})"
    if ax is None:
        fig, ax = new_figure(preset, lang)
    else:
        fig = ax.figure
    with mpl.rc_context(style_rc(preset)):
        fs = float(mpl.rcParams["font.size"])
        if kind == "dot":
            y = np.arange(len(codes))[::-1]
            wide = freq.pivot_table(index="code", columns=by, values="share", observed=True, dropna=False)
            wide = wide.reindex(index=codes)
            lo = wide.min(axis=1).to_numpy(float)
            hi = wide.max(axis=1).to_numpy(float)
            ax.hlines(y, lo, hi, color="#BBBBBB", linewidth=float(mpl.rcParams["lines.linewidth"]), zorder=1)
            step = 0.22 if len(groups) <= 3 else 0.0  # dodge, so equal values stay visible
            for i, g in enumerate(groups):
                vals = wide[g].to_numpy(float) if g in wide.columns else np.full(len(codes), np.nan)
                dy = (i - (len(groups) - 1) / 2) * step
                ax.plot(
                    vals, y - dy, linestyle="none", marker=MARKERS[i % len(MARKERS)],
                    color=OKABE_ITO[i % len(OKABE_ITO)], label=glabels[g],
                    markersize=float(mpl.rcParams["lines.markersize"]) * 1.3, zorder=2,
                )
            ax.set_yticks(y)
            ax.set_yticklabels([clabels.get(c, c) for c in codes], fontsize=fs * 0.8)
            ax.set_ylim(-0.7, len(codes) - 0.3)
            ax.set_xlim(-0.03, 1.03)
            ax.grid(axis="y", visible=False)
            apply_number_format(ax, lang, x="percent", y=None)
            ax.set_xlabel(xlab)
            ax.legend(
                title=_lab(by, lang) if by in THEME_LABELS else None,
                loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(groups), 3), frameon=False,
            )
        else:
            import seaborn as sns

            wide = freq.pivot_table(index="code", columns=by, values="share", observed=True, dropna=False)
            wide = wide.reindex(index=codes, columns=[g for g in groups if g in wide.columns])
            annot = np.vectorize(lambda v: format_percent(v, lang) if np.isfinite(v) else "")(wide.to_numpy(float))
            sns.heatmap(
                wide.to_numpy(float), ax=ax, cmap="Blues", vmin=0, vmax=1, annot=annot, fmt="",
                annot_kws={"fontsize": fs * 0.7}, linewidths=0.5, linecolor="white",
                cbar_kws={"label": xlab, "format": NumberFormatter(lang, percent=True)},
            )
            ax.set_yticks(np.arange(len(codes)) + 0.5)
            ax.set_yticklabels([clabels.get(c, c) for c in codes], rotation=0, fontsize=fs * 0.8)
            ax.set_xticks(np.arange(wide.shape[1]) + 0.5)
            ax.set_xticklabels(
                [glabels[g] for g in wide.columns], rotation=35, ha="right",
                rotation_mode="anchor", fontsize=fs * 0.8,
            )
            ax.set_xlabel(_lab(by, lang) if by in THEME_LABELS else "")
            ax.set_ylabel("")
            ax.grid(False)
    if title:
        ax.set_title(title, loc="left")
    if note:
        add_note(fig, note)
    return fig


# ==========================================================================
# co-occurrence
# ==========================================================================


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
    _check_columns(codings, [unit, code], "codings")
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
    _check_columns(cooc, ["code_a", "code_b", value], "cooc")
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


def plot_cooccurrence(
    cooc: pd.DataFrame,
    lang: str = "en",
    *,
    value: str = "jaccard",
    note: str | Sequence[str] | None = None,
    preset: str = "paper",
    ax: Any = None,
    title: str | None = None,
    annotate: bool | None = None,
    unit_note: bool = True,
    vmax: float | None = None,
) -> "Figure":
    """Heatmap of code co-occurrence (lower triangle).

    Parameters
    ----------
    cooc
        The result of :func:`cooccurrence`.
    lang
        ``"en"`` or ``"sv"``.
    value
        ``"jaccard"`` (default; colour scale 0–1) or ``"n_both"``.
    note
        Note(s) under the figure, e.g. :func:`illustrative_note`.
    preset, ax, title
        House style preset, an axes to draw into, a title.
    annotate
        Write the values into the cells; default: when at most 12 codes.
    unit_note
        Add "Unit: segment. Jaccard index = …" to the notes (for ``value="jaccard"``
        on segment-level co-occurrence).
    vmax
        Top of the colour scale; default: the largest value, rounded up to
        a tenth for ``jaccard`` (so weak associations remain visible).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib as mpl
    import seaborn as sns

    from iopstudy.figures import NumberFormatter, add_note, new_figure, style_rc
    from iopstudy.labels import check_lang, format_number

    check_lang(lang)
    m = cooccurrence_matrix(cooc, value)
    k = len(m)
    mask = np.triu(np.ones((k, k), dtype=bool))
    annotate = k <= 12 if annotate is None else annotate
    if ax is None:
        fig, ax = new_figure(preset, lang)
    else:
        fig = ax.figure
    with mpl.rc_context(style_rc(preset)):
        fs = float(mpl.rcParams["font.size"])
        vals = m.to_numpy(float)
        if annotate:
            dec = 2 if value == "jaccard" else 0
            annot = np.vectorize(lambda v: format_number(v, lang, dec) if np.isfinite(v) else "")(vals)
        else:
            annot = False
        if vmax is None:
            top = float(np.nanmax(vals)) if np.isfinite(vals).any() else 1.0
            vmax = max(0.1, np.ceil(top * 10) / 10) if value == "jaccard" else max(top, 1.0)
        sns.heatmap(
            vals, mask=mask, ax=ax, cmap="Blues", vmin=0, vmax=vmax, square=True,
            annot=annot, fmt="", annot_kws={"fontsize": fs * 0.6}, linewidths=0.4, linecolor="white",
            cbar_kws={
                "label": _lab("jaccard" if value == "jaccard" else "n_both", lang),
                "format": NumberFormatter(lang),
                "shrink": 0.8,
            },
        )
        ticks = np.arange(k) + 0.5
        ax.set_xticks(ticks[:-1])
        ax.set_xticklabels(list(m.columns)[:-1], rotation=90, fontsize=fs * 0.7)
        ax.set_yticks(ticks[1:])
        ax.set_yticklabels(list(m.index)[1:], rotation=0, fontsize=fs * 0.7)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.grid(False)
        cbar = ax.collections[0].colorbar
        if cbar is not None:
            cbar.ax.yaxis.label.set_size(fs * 0.8)
            cbar.ax.tick_params(labelsize=fs * 0.75)
    if title:
        ax.set_title(title, loc="left")
    notes = [note] if isinstance(note, str) else list(note or [])
    if unit_note and value == "jaccard":
        notes.append(_lab("note_cooc_segment", lang))
    if notes:
        add_note(fig, notes)
    return fig


# ==========================================================================
# sector comparison
# ==========================================================================


def _cohens_h(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    return 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))


def compare_sectors(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    code: str | Sequence[str] | None = None,
    *,
    group: str = "sector",
    unit: str = "interview",
    groups: Sequence[Any] | None = None,
    codebook: "Codebook | None" = None,
    consensus: str = "majority",
    ci: float = 0.95,
    min_n_warn: int = 20,
) -> pd.DataFrame:
    """Public vs idéburen: the share of interviews that raise each code, tested.

    Parameters
    ----------
    codings
        ``segment_id, code`` (and ``coder``).
    segments
        The coded universe with ``segment_id, interview_id`` and ``group``.
    code
        One code or a list; default: every code of the codebook. The
        Benjamini–Hochberg family is the codes tested in this call.
    group
        The two-valued grouping column (default ``"sector"``).
    unit
        Must be ``"interview"``. Segments of one interview are not
        independent observations (one talkative respondent would count many
        times), so the test compares interviews: did the code occur at
        least once in the interview?
    groups
        The two groups, in order (``group_a``, ``group_b``); default for
        ``sector``: ``("offentlig", "idéburen")``, otherwise the sorted values.
    codebook, consensus
        As for :func:`code_frequencies`.
    ci
        Confidence level of the odds-ratio interval.
    min_n_warn
        Warn (:class:`~iopstudy.errors.StatisticalWarning`) when a group has
        fewer interviews than this.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``code, theme, group_a, group_b``; ``n_a``,
        ``total_a``, ``prop_a`` (interviews of group a with the code, all
        interviews of group a, their ratio) and the same for b; ``prop_diff``
        (``prop_a - prop_b``); ``cohens_h``; ``odds_ratio``, ``or_ci_low``,
        ``or_ci_high``; ``p_value`` (Fisher), ``p_adj`` (BH); ``tested``;
        ``note``. ``attrs["note"]`` holds the caveat on sample size.

    Notes
    -----
    * Test: Fisher's exact test, two-sided, on the 2 × 2 table
      [[n_a, total_a - n_a], [n_b, total_b - n_b]] of interviews
      (:func:`scipy.stats.fisher_exact`; the same p-value as R's
      ``fisher.test``).
    * Effect sizes: Cohen's h, :math:`2\\arcsin\\sqrt{p_a} - 2\\arcsin\\sqrt{p_b}`
      (defined also for shares of 0 or 1; 0.2 / 0.5 / 0.8 are the usual
      small / medium / large), and the conditional maximum-likelihood odds
      ratio with its exact confidence interval
      (:func:`scipy.stats.contingency.odds_ratio`, ``kind="conditional"``;
      R's ``fisher.test`` estimate and ``conf.int``). With a zero cell it is
      0 or infinite, with a half-open interval.
    * Codes that occur in no interview, or in every one, carry no
      information on a difference: they are not tested (``tested`` False,
      p-values NaN) and stay out of the Benjamini–Hochberg family
      (:func:`statsmodels.stats.multitest.multipletests`, ``fdr_bh``).
    * With 7 interviews per sector, as in the illustrative corpus, the
      smallest possible two-sided p-value is 2/3432 (all of one sector, none
      of the other), and differences of 30–40 percentage points are far
      from significant: the results illustrate the method, nothing more.
    """
    from scipy.stats import fisher_exact
    from scipy.stats.contingency import odds_ratio
    from statsmodels.stats.multitest import multipletests

    if unit != "interview":
        raise InputError(
            "compare_sectors tests interviews (unit='interview'): segments of one interview are "
            "not independent, so a segment-level test would overstate the evidence. Use "
            "code_frequencies(..., unit='segment') to describe segment shares",
            value=unit,
        )
    if not (0 < ci < 1):
        raise InputError("ci must be between 0 and 1", value=ci)
    _check_columns(segments, ["segment_id", "interview_id", group], "segments")
    freq = code_frequencies(codings, segments, (group,), unit="interview", codebook=codebook, consensus=consensus)
    present_groups = list(pd.unique(segments[group].dropna()))
    if groups is None:
        if group == "sector" and set(present_groups) <= {"offentlig", "idéburen"}:
            groups = [g for g in ("offentlig", "idéburen") if g in present_groups]
        else:
            groups = sorted(present_groups, key=str)
    groups = list(groups)
    if len(groups) != 2:
        raise InputError(
            f"compare_sectors needs exactly two groups in {group!r}; found {groups}. "
            "Pass groups=(a, b) to choose two",
            column=group,
        )
    missing = [g for g in groups if g not in present_groups]
    if missing:
        raise InputError(f"group {missing[0]!r} has no segments", column=group, value=missing[0])
    ga, gb = groups
    fa = freq.loc[freq[group].astype(object) == ga].set_index("code")
    fb = freq.loc[freq[group].astype(object) == gb].set_index("code")
    cb = _codebook(codebook)
    code_list = cb.code_ids if code is None else ([code] if isinstance(code, str) else list(code))
    unknown = [c for c in code_list if c not in fa.index]
    if unknown:
        raise InputError(f"code(s) not in the codebook: {unknown}", value=unknown[0])
    fa, fb = fa.loc[code_list], fb.loc[code_list]
    n_a = fa["n_interviews"].to_numpy(np.int64)
    n_b = fb["n_interviews"].to_numpy(np.int64)
    t_a = fa["group_interviews"].to_numpy(np.int64)
    t_b = fb["group_interviews"].to_numpy(np.int64)
    p_a, p_b = n_a / t_a, n_b / t_b
    tested = (n_a + n_b > 0) & (n_a + n_b < t_a + t_b)
    pval = np.full(len(code_list), np.nan)
    orr = np.full(len(code_list), np.nan)
    lo = np.full(len(code_list), np.nan)
    hi = np.full(len(code_list), np.nan)
    notes = []
    for i in range(len(code_list)):
        if not tested[i]:
            notes.append("in no interview: not tested" if n_a[i] + n_b[i] == 0 else "in every interview: not tested")
            continue
        table = np.array([[n_a[i], t_a[i] - n_a[i]], [n_b[i], t_b[i] - n_b[i]]])
        pval[i] = fisher_exact(table, alternative="two-sided")[1]
        res = odds_ratio(table, kind="conditional")
        orr[i] = res.statistic
        cint = res.confidence_interval(confidence_level=ci)
        lo[i], hi[i] = cint.low, cint.high
        notes.append("")
    padj = np.full(len(code_list), np.nan)
    if tested.any():
        padj[tested] = multipletests(pval[tested], method="fdr_bh")[1]
    out = pd.DataFrame(
        {
            "code": code_list,
            "theme": fa["theme"].to_numpy(),
            "group_a": ga,
            "group_b": gb,
            "n_a": n_a,
            "total_a": t_a,
            "prop_a": p_a,
            "n_b": n_b,
            "total_b": t_b,
            "prop_b": p_b,
            "prop_diff": p_a - p_b,
            "cohens_h": _cohens_h(p_a, p_b),
            "odds_ratio": orr,
            "or_ci_low": lo,
            "or_ci_high": hi,
            "p_value": pval,
            "p_adj": padj,
            "tested": tested,
            "note": notes,
        }
    )
    na, nb = int(t_a[0]), int(t_b[0])
    caveat = (
        f"Illustrative and underpowered: {na} {ga} vs {nb} {gb} interviews. Fisher's exact test on "
        f"interviews (the unit, since segments of one interview are not independent); "
        f"{int(tested.sum())} codes tested, p_adj = Benjamini–Hochberg. With groups this small only "
        "very large differences can reach significance, and a non-significant result is no "
        "evidence of similarity."
    )
    out.attrs["note"] = caveat
    if min(na, nb) < min_n_warn:
        warnings.warn(caveat, StatisticalWarning, stacklevel=2)
    return out


# ==========================================================================
# quotes
# ==========================================================================


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
        Dictionary proposals (:func:`iopstudy.coding.precode`): more hits of
        the code's stems rank a segment higher.
    codes
        Codes to report (default: every code with a candidate, sorted).
    distinct_interviews
        Take a code's quotes from different interviews where possible.
    check_pii
        Refuse (InputError) when a chosen quote still holds an e-mail
        address, phone number or personnummer
        (:func:`iopstudy.privacy.find_pii`); names cannot be checked here.

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
    """
    from iopstudy.privacy import find_pii

    _check_columns(segments, ["segment_id", "interview_id", "text", "sector", "respondent_role"], "segments")
    _check_columns(codings, ["segment_id", "code"], "codings")
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
        _check_columns(precodes, ["segment_id", "code"], "precodes")
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
                    "segments first (iopstudy.privacy.pseudonymise_frame)",
                    value=sid,
                )
    return out.reset_index(drop=True)


# ==========================================================================
# agreement
# ==========================================================================


def agreement_summary(
    codings: pd.DataFrame,
    *,
    units: Iterable[Any] | None = None,
    codes: Sequence[str] | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    metrics: Sequence[str] | None = ("percent_agreement", "cohen_kappa", "krippendorff_alpha"),
    codebook: "Codebook | None" = None,
) -> pd.DataFrame:
    """Intercoder agreement on code presence, overall and per code, as one table.

    Parameters
    ----------
    codings
        Manual codings ``segment_id, code, coder`` with two or more coders.
    units
        The segments every coder coded (e.g. the ``segment_id`` of
        :func:`coded_segments`): a coder without a row on one of them found
        no code there. Default: a coder's units are the segments where they
        have at least one row — which drops the segments a coder left
        uncoded, and with them part of the disagreement; pass ``units``
        whenever the assignment is known.
    codes
        Codes to assess; default: the codes used by any coder (in codebook
        order when the codebook knows them all).
    n_boot, ci, seed
        Bootstrap resamples, confidence level and seed for
        :func:`iopstudy.coding.agreement`.
    metrics
        Metrics to keep (``percent_agreement``, ``cohen_kappa``,
        ``fleiss_kappa``, ``krippendorff_alpha``); ``None`` keeps all.
    codebook
        For the code order and themes; default: the packaged codebook.

    Returns
    -------
    pandas.DataFrame
        ``scope`` (``"overall"`` first, then ``"code"``), ``code`` (None for
        overall), ``theme``, ``metric``, ``value``, ``ci_low``, ``ci_high``,
        ``n_units``, ``n_coders``, ``n_applied`` (code applications by all
        coders), ``unit`` and ``note``.

    Notes
    -----
    The unit is **segment × code presence**: for each code, each coder's
    value for a segment is 1 (applied) or 0 (not applied).

    * Per code: :func:`iopstudy.coding.agreement` with ``by_code=True``.
    * Overall: the segment × code units of all codes pooled into one
      binary variable (``agreement`` with ``level="nominal"``). Its
      bootstrap resamples segment × code pairs, ignoring that pairs of one
      segment are related, so the interval is somewhat too narrow.

    Percent agreement counts the many segments where neither coder applied
    a rare code, so it is high for rare codes; kappa and alpha correct for
    that (and are undefined, NaN, when a code was never applied).
    """
    from iopstudy.coding import agreement

    _check_columns(codings, ["segment_id", "code", "coder"], "codings")
    cb = _codebook(codebook)
    themes = dict(zip(cb.codes["code_id"], cb.codes["theme_id"]))
    used = set(codings["code"].dropna())
    if codes is None:
        known = [c for c in cb.code_ids if c in used]
        code_list = known + sorted(used - set(known))
    else:
        code_list = list(codes)
    df = codings.loc[codings["code"].isna() | codings["code"].isin(set(code_list))]
    unit_list = None if units is None else list(pd.unique(pd.Series(list(units), dtype=object)))

    per = agreement(df, "segment_id", "coder", "code", by_code=True, n_boot=n_boot, ci=ci, seed=seed, units=unit_list)
    # codes nobody applied (when asked for explicitly) are absent from ``per``
    applied = df.dropna(subset=["code"]).drop_duplicates().groupby("code").size()

    # pooled: every (segment, code) is one binary unit
    coders = sorted(codings["coder"].dropna().unique().tolist(), key=str)
    if unit_list is not None:
        pairs = pd.DataFrame(
            [(s, c) for s in unit_list for c in coders], columns=["segment_id", "coder"]
        )
    else:
        pairs = df[["segment_id", "coder"]].drop_duplicates()
    present = set(map(tuple, df.dropna(subset=["code"])[["segment_id", "coder", "code"]].to_numpy().tolist()))
    rows = []
    for s, cdr in pairs.itertuples(index=False):
        for c in code_list:
            rows.append((f"{s}\x1f{c}", cdr, int((s, cdr, c) in present)))
    pooled = pd.DataFrame(rows, columns=["unit", "coder", "value"])
    overall = agreement(pooled, "unit", "coder", "value", n_boot=n_boot, ci=ci, seed=seed)

    unit_text = "segment × code presence"
    overall = overall.assign(
        scope="overall", code=None, theme=None, n_applied=int(applied.sum()),
        unit=f"{unit_text}, {len(code_list)} codes pooled",
    )
    per = per.assign(
        scope="code",
        theme=per["code"].map(themes),
        n_applied=per["code"].map(applied).fillna(0).astype("int64"),
        unit=unit_text,
    )
    order = {c: i for i, c in enumerate(code_list)}
    per = per.assign(_o=per["code"].map(order)).sort_values("_o", kind="mergesort").drop(columns="_o")
    out = pd.concat([overall, per], ignore_index=True)
    if metrics is not None:
        out = out.loc[out["metric"].isin(set(metrics))]
    cols = ["scope", "code", "theme", "metric", "value", "ci_low", "ci_high", "n_units", "n_coders",
            "n_applied", "unit", "note"]
    return out[cols].reset_index(drop=True)


# ==========================================================================
# dictionary traps
# ==========================================================================


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
        The proposals of :func:`iopstudy.coding.precode` for those segments.
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
    """
    _check_columns(segments, ["segment_id", "text"], "segments")
    _check_columns(precodes, ["segment_id", "code", "start", "end"], "precodes")
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
