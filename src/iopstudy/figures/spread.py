"""Figures of the spread: adoption curves, published counts, Kaplan–Meier, composition, coefficients.

Every function returns a matplotlib figure drawn on the skeleton of :mod:`iopstudy.figures.base`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import matplotlib as mpl
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from iopstudy.figures.base import (
    MARKERS,
    OKABE_ITO,
    OTHER_COLOUR,
    apply_number_format,
    finish,
    group_label_map,
    level_from,
    new_figure,
    note_text,
    ordered_groups,
    start,
    wrap,
)
from iopstudy.figures.captions import remember_notes
from iopstudy.labels import check_lang, format_number, label

__all__ = [
    "plot_adoption_curve",
    "plot_adoption_panels",
    "plot_published_counts",
    "plot_km",
    "plot_composition",
    "plot_coef",
]


def _done(fig: Figure, ax: Any, *, title: str | None, notes: list[str]) -> Figure:
    """:func:`~iopstudy.figures.base.finish`, recording the notes for a caption."""
    remember_notes(fig, notes)
    return finish(fig, ax, title=title, notes=notes)


# --------------------------------------------------------------------------- plots
def plot_adoption_curve(
    curve_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    group_labels: str | Mapping[Any, Any] | None = None,
    legend_title: str | None = None,
    ylabel: str | None = None,
    ci: bool = True,
    ci_note: bool = True,
    markers: bool = True,
    reference: pd.DataFrame | None = None,
) -> Figure:
    """Adoption curves (share per year) with Wilson CI bands, one line per group.

    Parameters
    ----------
    curve_df
        Output of :func:`iopstudy.spread.adoption_curve` (``year, group, share,
        ci_low, ci_high``; ``definition`` chooses the default y label).
    lang, preset, ax, note, title
        Language, size preset, axes to draw on (default: a new figure), note
        under the figure, title.
    group_labels
        A category kind (``"size_class"``, ``"skr_group"``, …, see
        :func:`iopstudy.labels.category_labels`) or a mapping group → label.
    legend_title, ylabel
        Override the default texts.
    ci, ci_note
        Draw the CI bands; add a line about them to the note.
    markers
        Mark the yearly points.
    reference
        Published shares to mark (:func:`iopstudy.spread.claims.published_reference`:
        ``x, x_low, x_high, share, approximate, text``): a diamond with an arrow up (each is a
        lower bound), hollow and with a band over its period when the count is undated.

    Notes
    -----
    With several groups, prefer :func:`plot_adoption_panels`: overlapping bands hide each
    other. The default y label says "found and dated": the curves count only agreements the
    sources date.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> c = pd.DataFrame({"year": [2010, 2011] * 2, "group": ["a", "a", "b", "b"], "share": [0.0, 0.1, 0.0, 0.3],
    ...                   "ci_low": [0.0, 0.02, 0.0, 0.1], "ci_high": [0.1, 0.3, 0.2, 0.6]})
    >>> fig = plot_adoption_curve(c, group_labels={"a": "Small", "b": "Large"})
    >>> ax = fig.axes[0]
    >>> len(ax.lines), len(ax.collections), [t.get_text() for t in ax.get_legend().get_texts()]
    (2, 2, ['Small', 'Large'])
    >>> ax.get_ylabel()
    'Share of municipalities with a found and dated IOP'
    >>> plt.close(fig)
    """
    check_lang(lang)
    fig, ax = start(ax, preset, lang)
    df = curve_df
    groups = ordered_groups(df["group"]) if "group" in df else ["all"]
    names = group_label_map(groups, group_labels, lang)
    colours = OKABE_ITO
    for i, g in enumerate(groups):
        d = df[df["group"] == g].sort_values("year") if "group" in df else df.sort_values("year")
        c = colours[i % len(colours)]
        ax.plot(
            d["year"], d["share"], color=c, marker="o" if markers else None,
            label=wrap(names[g], preset),
        )
        if ci and {"ci_low", "ci_high"} <= set(d.columns):
            ax.fill_between(d["year"], d["ci_low"], d["ci_high"], color=c, alpha=0.18, linewidth=0)
    definition = str(df["definition"].iloc[0]) if "definition" in df and len(df) else ""
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(ylabel or label("share_in_operation" if definition == "in_operation" else "share_adopted", lang))
    ax.set_ylim(bottom=0)
    apply_number_format(ax, lang, x="year", y="percent")
    notes = note_text(note)
    if reference is not None and len(reference):
        _mark_reference(ax, reference, preset)
        notes.append(label("note_published_share", lang))
    if len(groups) > 1 or (reference is not None and len(reference)):
        ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    if ci and ci_note:
        notes.append(label("note_wilson", lang, level=level_from(df)))
    return _done(fig, ax, title=title, notes=notes)


def _mark_reference(ax: Any, reference: pd.DataFrame, preset: str) -> None:
    size = mpl.rcParams["lines.markersize"] * 1.5
    c = OKABE_ITO[1]
    for r in reference.itertuples():
        hollow = bool(r.approximate)
        if hollow:
            ax.hlines(r.share, r.x_low, r.x_high, color=c, linewidth=mpl.rcParams["lines.linewidth"] * 2.5,
                      alpha=0.35)
        ax.plot([r.x], [r.share], linestyle="none", marker="D", markersize=size, color=c,
                markerfacecolor="white" if hollow else c, markeredgewidth=1.4, label=wrap(r.text, preset, 34))
        ax.annotate("", xy=(r.x, min(r.share + 0.08, 1.0)), xytext=(r.x, r.share),
                    arrowprops=dict(arrowstyle="->", color=c, lw=1.2))
    ax.set_ylim(0, max(ax.get_ylim()[1], float(reference["share"].max()) + 0.1))


def plot_adoption_panels(
    curve_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    group_labels: str | Mapping[Any, Any] | None = None,
    overall: pd.DataFrame | None = None,
    ylabel: str | None = None,
    ncols: int | None = None,
    ci_note: bool = True,
) -> Figure:
    """Adoption curves as small multiples: one panel per group, on shared axes.

    Parameters
    ----------
    curve_df
        :func:`iopstudy.spread.adoption_curve` with ``by=`` (``year, group, share,
        ci_low, ci_high, n_units``).
    group_labels
        A category kind (``"size_class"``) or a mapping group → label; each panel is titled
        with its label and the number of municipalities.
    overall
        The curve of all units (no ``group``), drawn in grey in every panel for comparison.
    ylabel
        Default: "found and dated" (:data:`~iopstudy.labels.LABELS` ``share_adopted``).
    ncols
        Panels per row (default: 3, or the number of groups if fewer).
    ax
        Not supported (the function makes its own grid); must be None.

    Notes
    -----
    One band per panel: six overlapping Wilson bands on one axis hide each other and suggest
    differences that the intervals do not support.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> c = pd.DataFrame({"year": [2010, 2011] * 2, "group": ["a", "a", "b", "b"], "share": [0.0, 0.1, 0.0, 0.3],
    ...                   "ci_low": [0.0, 0.02, 0.0, 0.1], "ci_high": [0.1, 0.3, 0.2, 0.6], "n_units": [20] * 4})
    >>> len([a for a in plot_adoption_panels(c).axes if a.get_visible()])
    2
    """
    check_lang(lang)
    if ax is not None:
        raise ValueError("plot_adoption_panels draws its own grid of axes; pass ax=None")
    groups = ordered_groups(curve_df["group"])
    names = group_label_map(groups, group_labels, lang)
    nc = ncols or min(3, len(groups))
    nr = int(np.ceil(len(groups) / nc))
    fig, axes = new_figure(preset, lang, nrows=nr, ncols=nc, sharex=True, sharey=True, squeeze=False)
    flat = list(axes.ravel())
    for i, g in enumerate(groups):
        a = flat[i]
        d = curve_df[curve_df["group"] == g].sort_values("year")
        if overall is not None and len(overall):
            o = overall.sort_values("year")
            a.plot(o["year"], o["share"], color=OTHER_COLOUR, linewidth=0.8 * mpl.rcParams["lines.linewidth"])
        a.fill_between(d["year"], d["ci_low"], d["ci_high"], color=OKABE_ITO[0], alpha=0.2, linewidth=0)
        a.plot(d["year"], d["share"], color=OKABE_ITO[0])
        n = int(d["n_units"].iloc[-1]) if "n_units" in d and len(d) else None
        head = names[g] + (f" (n\u00a0=\u00a0{format_number(n, lang)})" if n is not None else "")
        a.set_title(wrap(head, preset, 30 if preset == "paper" else 44), loc="left",
                    fontsize=0.9 * float(mpl.rcParams["font.size"]))
        apply_number_format(a, lang, x="year", y="percent")
        a.xaxis.set_major_locator(mticker.MaxNLocator(nbins=3 if nc >= 3 else 5, integer=True))
    for a in flat[len(groups):]:
        a.set_visible(False)
    flat[0].set_ylim(bottom=0)
    fig.supxlabel(label("year", lang), fontsize=mpl.rcParams["axes.labelsize"])
    fig.supylabel(wrap(ylabel or label("share_adopted", lang), preset, 40 if preset == "paper" else 60),
                  fontsize=mpl.rcParams["axes.labelsize"])
    notes = note_text(note)
    if ci_note:
        notes.append(label("note_wilson", lang, level=level_from(curve_df)))
    if overall is not None and len(overall):
        notes.append(label("note_panels", lang))
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    remember_notes(fig, notes)
    return finish(fig, flat[0], title=None, notes=notes)


def _decimal_year(dates: pd.Series, precision: pd.Series | None) -> pd.Series:
    out = []
    for i, d in enumerate(dates):
        prec = None if precision is None else precision.iloc[i]
        if d is None or (isinstance(d, float) and np.isnan(d)) or str(d).strip() in ("", "nan", "None"):
            out.append(np.nan)
            continue
        s = str(d).strip()
        if len(s) == 4 and s.isdigit():
            out.append(int(s) + 0.5)
            continue
        ts = pd.to_datetime(s, errors="coerce")
        if pd.isna(ts):
            out.append(np.nan)
            continue
        days = 366 if ts.is_leap_year else 365
        if prec == "year":
            out.append(ts.year + 0.5)
        else:
            out.append(ts.year + (ts.day_of_year - 0.5) / days)
    return pd.Series(out, index=dates.index, dtype="float64")


def plot_published_counts(
    counts_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    date: str = "date",
    count: str = "count",
    source: str = "source",
    precision: str = "date_precision",
    annotate: str | None = "count_text",
    ylabel: str | None = None,
    undated: str = "approximate",
) -> Figure:
    """Published IOP counts as separate points marked by source, never joined by lines.

    Parameters
    ----------
    counts_df
        E.g. ``data/raw/literature/iop_published_counts.csv``: ``date`` (a
        year, a date, or empty), ``count``, and a source column. If
        ``source`` is not a column it is made from ``source_url`` (the web
        domain).
    annotate
        Column whose text is written next to each point (e.g. ``count_text``
        "drygt 100"); None for no labels.

    undated
        ``"approximate"`` (default): an undated count whose ``note`` names a period
        ("about 2024-25", :func:`iopstudy.spread.claims.approximate_year`) is drawn there as a
        hollow marker over a band, labelled as undated; ``"omit"``: undated counts are left out.

    Notes
    -----
    A year-only date is placed mid-year. Undated rows that cannot be placed are left out;
    the note says how many. The note always says that the counts differ in definition and
    method and are not one time series.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> pc = pd.DataFrame({"date": ["2016", "2019", ""], "count": [30, 100, 150],
    ...                    "source": ["Survey A", "Survey A", "Report B"],
    ...                    "count_text": ["30", "drygt 100", "cirka 150"],
    ...                    "note": ["", "", "page undated (about 2024-25)"]})
    >>> fig = plot_published_counts(pc)
    >>> ax = fig.axes[0]
    >>> [line.get_xdata().round(1).tolist() for line in ax.lines]  # points, never joined
    [[2016.5, 2019.5], [2025.0]]
    >>> [t.get_text() for t in ax.texts]
    ['30', 'drygt 100', 'cirka 150 (undated, approximate date)']
    >>> plt.close(fig)
    """
    check_lang(lang)
    fig, ax = start(ax, preset, lang)
    df = counts_df.copy()
    if source not in df.columns:
        if "source_url" in df.columns:
            df[source] = [
                (urlparse(str(u)).netloc or str(u)).removeprefix("www.") for u in df["source_url"]
            ]
        else:
            df[source] = "source"
    from iopstudy.spread.claims import approximate_year

    prec = df[precision] if precision in df.columns else None
    df["_x"] = _decimal_year(df[date].astype("object"), prec)
    df["_approx"] = False
    df["_lo"] = df["_hi"] = np.nan
    if undated == "approximate" and "note" in df.columns:
        for i in df.index[df["_x"].isna()]:
            yr = approximate_year(df.at[i, "note"])
            if yr is not None:
                df.loc[i, ["_lo", "_hi", "_x"]] = [yr[0], yr[1], (yr[0] + yr[1]) / 2]
                df.at[i, "_approx"] = True
    elif undated not in ("approximate", "omit"):
        raise ValueError(f"undated must be 'approximate' or 'omit', not {undated!r}")
    n_undated = int(df["_x"].isna().sum())
    n_placed = int(df["_approx"].sum())
    df = df[df["_x"].notna()]
    sources = list(pd.unique(df[source]))
    placed: list[tuple[float, float]] = []
    y_span = float(df[count].max()) if len(df) else 1.0
    for i, s in enumerate(sources):
        d = df[df[source] == s]
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        for hollow in (False, True):
            dd = d[d["_approx"] == hollow]
            if not len(dd):
                continue
            if hollow:
                ax.hlines(dd[count], dd["_lo"], dd["_hi"], color=colour, alpha=0.35,
                          linewidth=mpl.rcParams["lines.linewidth"] * 2.5)
            ax.plot(
                dd["_x"],
                dd[count],
                linestyle="none",
                marker=MARKERS[i % len(MARKERS)],
                color=colour,
                markerfacecolor="white" if hollow else colour,
                markeredgewidth=1.3,
                markersize=mpl.rcParams["lines.markersize"] * 1.4,
                label=wrap(str(s), preset) if not hollow or not (d["_approx"] == False).any() else None,  # noqa: E712
            )
        if annotate and annotate in d.columns:
            texts = [f"{t} ({label('fig.undated_count', lang)})" if a else str(t)
                     for t, a in zip(d[annotate], d["_approx"])]
            for x, y, t in zip(d["_x"], d[count], texts):
                # a label near one already placed goes below its point instead
                near = any(abs(x - px) < 2.0 and abs(y - py) < 0.06 * y_span for px, py in placed)
                placed.append((float(x), float(y)))
                ax.annotate(
                    str(t),
                    (x, y),
                    xytext=(4, -12) if near else (4, 3),
                    textcoords="offset points",
                    fontsize=0.75 * float(mpl.rcParams["font.size"]),
                    color="#444444",
                )
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(ylabel or label("published_count", lang))
    ax.set_ylim(bottom=0)
    apply_number_format(ax, lang, x="year", y="number")
    if sources:
        ax.legend(title=label("source", lang), loc="upper left", bbox_to_anchor=(1.01, 1.0))
    notes = note_text(note) + [label("note_published_counts", lang)]
    if n_placed:
        notes.append(label("note_undated_placed", lang))
    if n_undated:
        notes.append(label("note_undated_not_shown", lang, n=n_undated))
    return _done(fig, ax, title=title, notes=notes)


def _at_risk(d: pd.DataFrame, t: float) -> int:
    """Units at risk at time t (still without the event at its start), from a KM table."""
    later = d[d["time"] >= t - 1e-9]
    return int(later["n_at_risk"].iloc[0]) if len(later) else 0


def plot_km(
    km_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    group_labels: str | Mapping[Any, Any] | None = None,
    legend_title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    ci: bool = True,
    ci_note: bool = True,
    origin: int | None = None,
    risk_table: bool = True,
    tick_step: int | None = None,
) -> Figure:
    """Kaplan–Meier step curves with log-log CI bands, one per group, and a number-at-risk table.

    Parameters
    ----------
    km_df
        :func:`iopstudy.spread.kaplan_meier` (``group, time, n_at_risk, survival, ci_low,
        ci_high``).
    origin
        Calendar year of time 0 (:func:`iopstudy.spread.describe.survival_data`: the year
        before the panel starts, 2009, so that a first IOP in 2010 has time 1). With an
        origin the x axis shows calendar years (``origin + time``); without, years at risk.
    risk_table
        Draw the numbers at risk per group under the axis, at each tick: units still without
        the event at the start of that year (needs ``n_at_risk``; ignored when ``ax`` is given).
    tick_step
        Years between ticks (default 2 on paper, 2 on slides when the window is long).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> km = pd.DataFrame({"group": ["a"] * 3 + ["b"] * 3, "time": [0, 1, 2] * 2,
    ...                    "n_at_risk": [10, 10, 8, 20, 20, 19], "survival": [1.0, 0.8, 0.6, 1.0, 0.95, 0.9],
    ...                    "ci_low": [1.0, 0.5, 0.3, 1.0, 0.8, 0.7], "ci_high": [1.0, 0.9, 0.8, 1.0, 0.99, 0.97]})
    >>> fig = plot_km(km, origin=2009)
    >>> curves, table = fig.axes
    >>> [t.get_text() for t in curves.get_xticklabels()], [t.get_text() for t in table.texts]
    (['2010', '2011'], ['10', '8', '20', '19'])
    >>> plt.close(fig)
    """
    check_lang(lang)
    groups = ordered_groups(km_df["group"])
    names = group_label_map(groups, group_labels, lang)
    table = risk_table and ax is None and "n_at_risk" in km_df.columns
    if table:
        fs = float(mpl.rcParams["font.size"])
        fig, (ax, tab) = new_figure(preset, lang, nrows=2, sharex=True,
                                    gridspec_kw={"height_ratios": [4.0, 0.55 + 0.32 * len(groups)]})
    else:
        fig, ax = start(ax, preset, lang)
    shift = float(origin) if origin is not None else 0.0
    for i, g in enumerate(groups):
        d = km_df[km_df["group"] == g].sort_values("time")
        c = OKABE_ITO[i % len(OKABE_ITO)]
        ax.step(d["time"] + shift, d["survival"], where="post", color=c, label=wrap(names[g], preset))
        if ci:
            ax.fill_between(
                d["time"] + shift, d["ci_low"], d["ci_high"], step="post", color=c, alpha=0.18, linewidth=0
            )
    width = (20 if preset == "paper" else 24) if table else (34 if preset == "paper" else 50)
    ax.set_ylabel(wrap(ylabel or label("survival", lang), preset, width))
    ax.set_ylim(0, 1.02)
    t_max = float(km_df["time"].max())
    integer_times = bool(np.allclose(km_df["time"], np.round(km_df["time"])))
    xlab = xlabel or label("year" if origin is not None else "years_at_risk", lang)
    if integer_times:
        step = tick_step or (2 if t_max > 8 else 1)
        ticks = np.arange(1 if origin is not None else 0, t_max + 1e-9, step) + shift
        ax.set_xticks(ticks)
    apply_number_format(ax, lang, x=None if integer_times else "number", y="percent")
    if integer_times:
        ax.set_xticklabels([format_number(t, lang, 0, thousands_sep="") for t in ax.get_xticks()])
    if len(groups) > 1:
        ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    if table:
        ax.tick_params(labelbottom=True)
        ax.set_xlabel(xlab)
        tab.set_ylim(-0.5, len(groups) - 0.5)
        tab.set_yticks(range(len(groups)))
        tab.set_yticklabels([wrap(names[g], preset, 22 if preset == "paper" else 34) for g in groups][::-1],
                            fontsize=0.75 * fs)
        for j, g in enumerate(groups):
            d = km_df[km_df["group"] == g].sort_values("time")
            for x in ax.get_xticks():
                tab.text(x, len(groups) - 1 - j, format_number(_at_risk(d, x - shift), lang), ha="center",
                         va="center", fontsize=0.72 * fs, color=OKABE_ITO[j % len(OKABE_ITO)])
        tab.tick_params(axis="x", labelbottom=False, length=0)
        tab.tick_params(axis="y", length=0)
        tab.grid(False)
        for side in ("left", "bottom", "top", "right"):
            tab.spines[side].set_visible(False)
        tab.set_title(label("n_at_risk", lang), loc="left", fontsize=0.8 * fs)
    else:
        ax.set_xlabel(xlab)
    notes = note_text(note)
    if ci and ci_note:
        notes.append(label("note_km_calendar" if table else "note_km", lang, level=level_from(km_df)))
    return _done(fig, ax, title=title, notes=notes)


def plot_composition(
    comp_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    group: str = "group",
    area: str = "area",
    count: str = "count",
    area_labels: Mapping[Any, Any] | None = None,
    group_labels: str | Mapping[Any, Any] | None = None,
    max_areas: int = 7,
    xlabel: str | None = None,
    legend_title: str | None = None,
) -> Figure:
    """Policy-area composition per group as 100 % stacked horizontal bars.

    Parameters
    ----------
    comp_df
        ``.table`` of :func:`iopstudy.spread.policy_composition` (``group,
        area, count``).
    area_labels
        Mapping area code → label (or → ``{"en": ..., "sv": ...}``), e.g. from
        the policy-area vocabulary.
    max_areas
        The largest areas (by total count) get their own colour; the rest
        are merged into "Other"/"Övrigt" (grey). The palette has 8 colours.

    Notes
    -----
    Group labels carry the number of agreements, ``"Region (n = 8)"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> comp = pd.DataFrame({"group": ["kommun", "kommun", "region", "region"],
    ...                      "area": ["social", "kultur", "social", "hälsa"], "count": [6, 2, 3, 1]})
    >>> fig = plot_composition(comp, max_areas=2)
    >>> ax = fig.axes[0]
    >>> len(ax.patches), [t.get_text() for t in ax.get_legend().get_texts()]  # 2 groups × 3 colours
    (6, ['social', 'kultur', 'Other'])
    >>> [t.get_text().replace("\\xa0", " ") for t in ax.get_yticklabels()]
    ['kommun (n = 8)', 'region (n = 4)']
    >>> plt.close(fig)
    """
    check_lang(lang)
    fig, ax = start(ax, preset, lang)
    df = comp_df[[group, area, count]].copy()
    totals = df.groupby(area, observed=True)[count].sum().sort_values(ascending=False, kind="mergesort")
    keep = list(totals.index[: max(1, min(max_areas, len(OKABE_ITO)))])
    other_key = "__other__"
    df["_area"] = [a if a in keep else other_key for a in df[area]]
    wide = df.pivot_table(index=group, columns="_area", values=count, aggfunc="sum", fill_value=0, observed=True)
    areas = [a for a in keep if a in wide.columns] + ([other_key] if other_key in wide.columns else [])
    groups = ordered_groups(comp_df[group])
    wide = wide.reindex(index=groups, columns=areas, fill_value=0)
    n = wide.sum(axis=1)
    shares = wide.div(n.replace(0, np.nan), axis=0).fillna(0)
    gnames = group_label_map(groups, group_labels, lang)
    anames = {}
    for a in areas:
        if a == other_key:
            anames[a] = label("other", lang)
        else:
            anames[a] = group_label_map([a], area_labels, lang)[a] if area_labels is not None else str(a)
    ypos = np.arange(len(groups))[::-1]
    left = np.zeros(len(groups))
    for i, a in enumerate(areas):
        c = OTHER_COLOUR if a == other_key else OKABE_ITO[i % len(OKABE_ITO)]
        vals = shares[a].to_numpy()
        ax.barh(ypos, vals, left=left, color=c, label=wrap(anames[a], preset), height=0.7, edgecolor="white")
        left += vals
    ax.set_yticks(ypos)
    ax.set_yticklabels(
        [f"{gnames[g]} (n\u00a0=\u00a0{format_number(int(n[g]), lang)})" for g in groups]
    )
    ax.set_xlim(0, 1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel or label("share_agreements", lang))
    apply_number_format(ax, lang, x="percent", y=None)
    ax.legend(
        title=legend_title or label("policy_area", lang),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        reverse=False,
    )
    return _done(fig, ax, title=title, notes=note_text(note))


def plot_coef(
    coef_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    term_labels: Mapping[str, Any] | None = None,
    xlabel: str | None = None,
    ratio: bool = True,
    include_intercept: bool = False,
    ci_note: bool = True,
) -> Figure:
    """Forest plot of estimates with confidence intervals.

    Parameters
    ----------
    coef_df
        ``.coef`` of a model result (``term, ratio, ratio_ci_low,
        ratio_ci_high``, or ``estimate, ci_low, ci_high``).
    term_labels
        Mapping term → label (or → ``{"en": ..., "sv": ...}``).
    xlabel
        Default "Ratio"/"Kvot"; pass e.g. ``label("odds_ratio", lang)``.
    ratio
        Plot ratios on a log axis with a reference line at 1 (default) or
        estimates on a linear axis with a line at 0.

    Notes
    -----
    Interval bounds that are infinite or far outside the others are cut at
    the axis edge and drawn as an arrow.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> coef = pd.DataFrame({"term": ["Intercept", "log_population", "north"], "ratio": [0.1, 2.0, 0.8],
    ...                      "ratio_ci_low": [0.05, 1.5, 0.4], "ratio_ci_high": [0.2, 2.7, 1.6]})
    >>> fig = plot_coef(coef, term_labels={"log_population": "log(population)", "north": "North"})
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xscale(), ax.get_xlabel()  # no intercept
    (['log(population)', 'North'], 'log', 'Ratio')
    >>> plt.close(fig)
    """
    check_lang(lang)
    fig, ax = start(ax, preset, lang)
    df = coef_df.copy()
    if not include_intercept:
        df = df[df["term"] != "Intercept"]
    if ratio:
        est, lo, hi = df["ratio"].to_numpy(float), df["ratio_ci_low"].to_numpy(float), df["ratio_ci_high"].to_numpy(float)
        ref = 1.0
    else:
        est, lo, hi = df["estimate"].to_numpy(float), df["ci_low"].to_numpy(float), df["ci_high"].to_numpy(float)
        ref = 0.0
    terms = df["term"].tolist()
    names = group_label_map(terms, term_labels, lang) if term_labels is not None else {t: t for t in terms}
    y = np.arange(len(terms))[::-1]
    finite = np.concatenate([v[np.isfinite(v) & ((v > 0) if ratio else True)] for v in (est, lo, hi)] + [np.array([ref])])
    if ratio:
        logs = np.log10(finite)
        lo_lim = 10 ** (np.floor(np.min(logs) * 2) / 2 - 0.1)
        hi_lim = 10 ** (np.ceil(np.max(logs) * 2) / 2 + 0.1)
        # keep the axis readable: at most 4 decades each way from 1
        lo_lim, hi_lim = max(lo_lim, 1e-4), min(hi_lim, 1e4)
    else:
        span = np.max(finite) - np.min(finite) or 1.0
        lo_lim, hi_lim = np.min(finite) - 0.05 * span, np.max(finite) + 0.05 * span
    c = OKABE_ITO[0]
    for yi, e, a, b in zip(y, est, lo, hi):
        a_cut = not np.isfinite(a) or a < lo_lim
        b_cut = not np.isfinite(b) or b > hi_lim
        a2 = lo_lim if a_cut else a
        b2 = hi_lim if b_cut else b
        ax.plot([a2, b2], [yi, yi], color=c, solid_capstyle="butt")
        if a_cut:
            ax.plot([a2], [yi], marker="<", color=c, linestyle="none")
        if b_cut:
            ax.plot([b2], [yi], marker=">", color=c, linestyle="none")
        if np.isfinite(e) and lo_lim <= e <= hi_lim:
            ax.plot([e], [yi], marker="o", color=c, linestyle="none", markersize=mpl.rcParams["lines.markersize"] * 1.3)
    ax.axvline(ref, color="#666666", linewidth=0.8 * float(mpl.rcParams["lines.linewidth"]), linestyle="--", zorder=0)
    ax.set_yticks(y)
    ax.set_yticklabels([names[t] for t in terms])
    ax.grid(axis="y", visible=False)
    if ratio:
        ax.set_xscale("log")
        ax.set_xlim(lo_lim, hi_lim)
        apply_number_format(ax, lang, x="log", y=None)
    else:
        ax.set_xlim(lo_lim, hi_lim)
        apply_number_format(ax, lang, x="number", y=None)
    ax.set_xlabel(xlabel or label("ratio" if ratio else "estimate", lang))
    notes = note_text(note)
    if ci_note:
        notes.append(label("note_forest" if ratio else "note_forest_linear", lang))
    return _done(fig, ax, title=title, notes=notes)
