"""Figures of the spread: adoption curves, published counts, Kaplan–Meier, composition, coefficients.

Every function returns a matplotlib figure drawn on the skeleton of :mod:`iopstudy.figures.base`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import matplotlib as mpl
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
    note_text,
    ordered_groups,
    start,
    wrap,
)
from iopstudy.labels import check_lang, format_number, label

__all__ = [
    "plot_adoption_curve",
    "plot_published_counts",
    "plot_km",
    "plot_composition",
    "plot_coef",
]


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
    if len(groups) > 1:
        ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    notes = note_text(note)
    if ci and ci_note:
        notes.append(label("note_wilson", lang, level=level_from(df)))
    return finish(fig, ax, title=title, notes=notes)


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
            out.append(ts.year + (ts.dayofyear - 0.5) / days)
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

    Notes
    -----
    A year-only date is placed mid-year. Undated rows cannot be placed and
    are left out; the note says how many. The note always says that the
    counts differ in definition and method and are not one time series.
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
    prec = df[precision] if precision in df.columns else None
    df["_x"] = _decimal_year(df[date].astype("object"), prec)
    n_undated = int(df["_x"].isna().sum())
    df = df[df["_x"].notna()]
    sources = list(pd.unique(df[source]))
    placed: list[tuple[float, float]] = []
    y_span = float(df[count].max()) if len(df) else 1.0
    for i, s in enumerate(sources):
        d = df[df[source] == s]
        ax.plot(
            d["_x"],
            d[count],
            linestyle="none",
            marker=MARKERS[i % len(MARKERS)],
            color=OKABE_ITO[i % len(OKABE_ITO)],
            markersize=mpl.rcParams["lines.markersize"] * 1.4,
            label=wrap(str(s), preset),
        )
        if annotate and annotate in d.columns:
            for x, y, t in zip(d["_x"], d[count], d[annotate]):
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
    if n_undated:
        notes.append(
            f"{n_undated} undated count(s) not shown"
            if lang == "en"
            else f"{n_undated} odaterade antal visas inte"
        )
    return finish(fig, ax, title=title, notes=notes)


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
) -> Figure:
    """Kaplan–Meier step curves with log-log CI bands, one per group.

    ``km_df`` is the output of :func:`iopstudy.spread.kaplan_meier`
    (``group, time, survival, ci_low, ci_high``).
    """
    check_lang(lang)
    fig, ax = start(ax, preset, lang)
    groups = ordered_groups(km_df["group"])
    names = group_label_map(groups, group_labels, lang)
    for i, g in enumerate(groups):
        d = km_df[km_df["group"] == g].sort_values("time")
        c = OKABE_ITO[i % len(OKABE_ITO)]
        ax.step(d["time"], d["survival"], where="post", color=c, label=wrap(names[g], preset))
        if ci:
            ax.fill_between(
                d["time"], d["ci_low"], d["ci_high"], step="post", color=c, alpha=0.18, linewidth=0
            )
    ax.set_xlabel(xlabel or label("years_at_risk", lang))
    ax.set_ylabel(ylabel or label("survival", lang))
    ax.set_ylim(0, 1.02)
    integer_times = bool(np.allclose(km_df["time"], np.round(km_df["time"])))
    apply_number_format(ax, lang, x="integer" if integer_times else "number", y="percent")
    if len(groups) > 1:
        ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    notes = note_text(note)
    if ci and ci_note:
        notes.append(label("note_km", lang, level=level_from(km_df)))
    return finish(fig, ax, title=title, notes=notes)


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
    return finish(fig, ax, title=title, notes=note_text(note))


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
    return finish(fig, ax, title=title, notes=notes)
