"""Figures of the interviews: code frequencies by group, and code co-occurrence.

Drawn on the skeleton of :mod:`iopstudy.figures.base`; the data come from
:mod:`iopstudy.interviews.themes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from iopstudy.interviews.codebook import Codebook
from iopstudy.errors import require_columns
from iopstudy.interviews.themes import (
    code_labels,
    cooccurrence_matrix,
    group_label,
)
from iopstudy.labels import LABELS, label

__all__ = [
    "plot_code_frequencies",
    "plot_cooccurrence",
]


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

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> freq = pd.DataFrame({"sector": ["offentlig", "offentlig", "idéburen", "idéburen"],
    ...                      "code": ["LAW.LOU", "GOV.TRUST"] * 2, "share": [1.0, 0.5, 0.5, 0.0],
    ...                      "group_interviews": [2, 2, 2, 2], "unit": "interview"})
    >>> fig = plot_code_frequencies(freq)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
    (['Procurement law (LOU, LOV) (LAW.LOU)', 'Trust and trust-based steering (GOV.TRUST)'],
     'Share of interviews with the code')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Public sector (offentlig) (n = 2)', 'Non-profit (idéburen) (n = 2)']
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    from iopstudy.figures.base import (
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
    require_columns(freq, [by, "code", "share"], "freq")
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
    xlab = label("share_interviews" if unit == "interview" else "share_segments", lang)
    glabels = {g: group_label(by, g, lang) for g in groups}
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
                title=label(by, lang) if by in LABELS else None,
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
            ax.set_xlabel(label(by, lang) if by in LABELS else "")
            ax.set_ylabel("")
            ax.grid(False)
    if title:
        ax.set_title(title, loc="left")
    if note:
        add_note(fig, note)
    return fig


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

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from iopstudy.interviews.themes import cooccurrence
    >>> c = pd.DataFrame({"segment_id": ["s1", "s1", "s2", "s3", "s3"],
    ...                   "code": ["LAW.LOU", "GOV.TRUST", "LAW.LOU", "GOV.TRUST", "PRIN.DIALOG"]})
    >>> fig = plot_cooccurrence(cooccurrence(c))
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.get_yticklabels()]
    (['GOV.TRUST', 'LAW.LOU'], ['LAW.LOU', 'PRIN.DIALOG'])
    >>> [t.get_text() for t in ax.texts], fig.axes[1].get_ylabel()  # the lower triangle, and the colour bar
    (['0.33', '0.50', '0.00'], 'Jaccard index')
    >>> plt.close(fig)
    """
    import matplotlib as mpl
    import seaborn as sns

    from iopstudy.figures.base import NumberFormatter, add_note, new_figure, style_rc
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
                "label": label("jaccard" if value == "jaccard" else "n_both", lang),
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
        notes.append(label("note_cooc_segment", lang))
    if notes:
        add_note(fig, notes)
    return fig
