"""Figures of the inference under a partial register: bounds, ratios by kind, predicted curves.

Every function returns a matplotlib figure drawn on the skeleton of :mod:`iopstudy.figures.base`
(``lang``, ``preset``, ``note``, ``title``), so :func:`iopstudy.figures.figure_pair` and
:class:`iopstudy.figures.captions.FigureWriter` can draw it for paper and slides.

=========================  ===================================================
plot_bounds                shares by group and the odds ratio under k missed adopters
plot_ratio_panels          a forest plot with odds and hazard ratios on separate axes
plot_cumulative_incidence  predicted cumulative incidence for covariate profiles
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from iopstudy.figures.base import (
    OKABE_ITO,
    OTHER_COLOUR,
    apply_number_format,
    finish,
    group_label_map,
    new_figure,
    note_text,
    ordered_groups,
    wrap,
)
from iopstudy.figures.captions import remember_notes
from iopstudy.labels import check_lang, format_number, label

__all__ = ["plot_bounds", "plot_ratio_panels", "plot_cumulative_incidence"]

#: Odds ratios beyond this are drawn at the axis edge (an arrow), so one extreme does not
#: flatten the rest of the figure.
RATIO_CLIP = 1e5


def _done(fig: Figure, ax: Any, notes: list[str], title: str | None = None) -> Figure:
    remember_notes(fig, notes)
    return finish(fig, ax, title=title, notes=notes)


def plot_bounds(
    shares: pd.DataFrame,
    ratios: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    group_labels: str | Mapping[Any, Any] | None = "size_class",
    k_published: int | None = None,
    k_breakdown: int | None = None,
) -> Figure:
    """What the data allow when *k* adopters were not found: shares by group, and the odds ratio.

    Parameters
    ----------
    shares
        :func:`iopstudy.spread.share_bounds` at one *k* (``group, share_found, share_low,
        share_high, share_even``).
    ratios
        :func:`iopstudy.spread.logit_bounds` over a grid of *k* (``k, ratio_low, ratio_high,
        estimate_found``).
    group_labels
        Labels of the groups of ``shares`` (a category kind or a mapping).
    k_published, k_breakdown
        The *k* the published counts imply and the *k* at which the sign is lost
        (:func:`iopstudy.spread.breakdown_k`), marked on the right panel.
    ax
        Not supported (two panels); must be None.

    Notes
    -----
    Left: each group's share of municipalities with a found agreement (point), the range of
    shares possible over all placements of the *k* missed adopters (bar: sharp bounds) and
    the share if they were spread evenly over the size ranks (tick). Right: the identified
    set of the odds ratio of log population as *k* grows (band), on a log axis; ratios
    beyond :data:`RATIO_CLIP` are drawn at the edge.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from iopstudy.spread import logit_bounds, share_bounds
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"population": np.exp(rng.normal(10, 1, 60))})
    >>> d["log_population"] = np.log(d["population"])
    >>> d["g"] = pd.Categorical(np.where(d["population"] > 22_000, "big", "small"), ["small", "big"])
    >>> d["ever_adopted"] = rng.random(60) < 1 / (1 + np.exp(-(d["log_population"] - 10)))
    >>> fig = plot_bounds(share_bounds(d, "g", 5), logit_bounds(d, [0, 5], covariates=["log_population"],
    ...                   n_random=0), group_labels=None, k_published=5)
    >>> len(fig.axes)
    2
    """
    check_lang(lang)
    if ax is not None:
        raise ValueError("plot_bounds draws two panels; pass ax=None")
    fig, (left, right) = new_figure(preset, lang, ncols=2, gridspec_kw={"width_ratios": [1.0, 1.1]})
    fs = float(mpl.rcParams["font.size"])
    k = int(shares["k"].iloc[0]) if "k" in shares else None
    groups = ordered_groups(shares["group"]) if isinstance(shares["group"].dtype, pd.CategoricalDtype) \
        else list(shares["group"])
    names = group_label_map(groups, group_labels, lang)
    d = shares.set_index("group").loc[groups]
    y = np.arange(len(groups))[::-1]
    lw = mpl.rcParams["lines.linewidth"]
    left.hlines(y, d["share_low"], d["share_high"], color=OTHER_COLOUR, linewidth=lw * 5, alpha=0.55,
                label=wrap(label("fig.share_bounds", lang, k=format_number(k or 0, lang)), preset, 28))
    if "share_even" in d:
        left.plot(d["share_even"], y, linestyle="none", marker="|", markersize=mpl.rcParams["lines.markersize"] * 2.2,
                  markeredgewidth=1.6, color=OKABE_ITO[1], label=wrap(label("fig.share_even", lang), preset, 28))
    left.plot(d["share_found"], y, linestyle="none", marker="o", color=OKABE_ITO[0],
              markersize=mpl.rcParams["lines.markersize"] * 1.3, label=label("fig.share_found", lang))
    left.set_yticks(y)
    left.set_yticklabels([wrap(names[g], preset, 16 if preset == "paper" else 24) for g in groups],
                         fontsize=0.85 * fs)
    left.set_xlim(-0.02, 1.02)
    left.grid(axis="y", visible=False)
    left.set_xlabel(wrap(label("fig.share_axis", lang), preset, 34 if preset == "paper" else 50))
    apply_number_format(left, lang, x="percent", y=None)
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22 if preset == "paper" else -0.16),
                fontsize=0.75 * fs, frameon=False)

    r = ratios.sort_values("k")
    lo = np.clip(r["ratio_low"].to_numpy(float), 1 / RATIO_CLIP, RATIO_CLIP)
    hi = np.clip(np.nan_to_num(r["ratio_high"].to_numpy(float), nan=RATIO_CLIP, posinf=RATIO_CLIP),
                 1 / RATIO_CLIP, RATIO_CLIP)
    right.fill_between(r["k"], lo, hi, step=None, color=OKABE_ITO[0], alpha=0.25, linewidth=0,
                       label=wrap(label("fig.identified_set", lang), preset, 28))
    right.plot(r["k"], lo, color=OKABE_ITO[0], linewidth=0.8 * lw)
    right.plot(r["k"], hi, color=OKABE_ITO[0], linewidth=0.8 * lw)
    found = float(np.exp(r["estimate_found"].iloc[0]))
    right.axhline(found, color=OKABE_ITO[0], linestyle=":", linewidth=lw, label=label("fig.found_estimate", lang))
    right.axhline(1.0, color="#666666", linestyle="--", linewidth=0.8 * lw, zorder=0)
    right.set_yscale("log")
    top = float(np.nanmax(hi))
    right.set_ylim(max(min(float(np.nanmin(lo)) / 1.5, 0.5), 1 / RATIO_CLIP), min(top * 1.5, RATIO_CLIP * 1.5))
    for kk, key, colour, style in ((k_breakdown, "fig.k_breakdown", OKABE_ITO[1], "-."),
                                   (k_published, "fig.k_published", "#444444", "--")):
        if kk is not None and not pd.isna(kk) and int(kk) > 0:
            right.axvline(int(kk), color=colour, linewidth=0.9 * lw, linestyle=style,
                          label=wrap(label(key, lang, k=format_number(int(kk), lang)), preset, 28))
    right.set_xlabel(label("fig.bounds_k", lang))
    right.set_ylabel(label("odds_ratio_log_population", lang))
    right.set_xlim(0, float(r["k"].max()))
    apply_number_format(right, lang, x="integer", y="log")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22 if preset == "paper" else -0.16),
                 fontsize=0.75 * fs, frameon=False)
    notes = note_text(note) + [label("note_bounds" if k else "note_bounds_zero", lang, k=format_number(k or 0, lang))]
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return _done(fig, left, notes)


def plot_ratio_panels(
    table: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    term_labels: Mapping[str, Any] | None = None,
    kind: str = "ratio_kind",
    kinds: Sequence[str] = ("odds", "hazard"),
) -> Figure:
    """A forest plot whose odds ratios and hazard ratios sit on separate axes.

    Parameters
    ----------
    table
        One row per estimate with ``term, ratio, ratio_ci_low, ratio_ci_high`` and ``kind``
        (e.g. :func:`iopstudy.spread.sensitivity.size_variants`' table, ``ratio_kind``
        ``"odds"`` / ``"hazard"``).
    term_labels
        Mapping term → label (or → ``{"en": …, "sv": …}``).
    kinds
        The kinds, top to bottom; each gets an axis with its own x label ("Odds ratio …",
        "Hazard ratio …") and log scale.
    ax
        Not supported (one axis per kind); must be None.

    Notes
    -----
    Odds ratios of ever adopting and hazard ratios of adopting in a year answer different
    questions and are not on one scale: with a common outcome an odds ratio is further from 1
    than the corresponding risk or hazard ratio.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"term": ["a", "b"], "ratio": [4.9, 4.1], "ratio_ci_low": [3.1, 2.9],
    ...                   "ratio_ci_high": [7.9, 5.9], "ratio_kind": ["odds", "hazard"]})
    >>> [a.get_xlabel() for a in plot_ratio_panels(t).axes]
    ['Odds ratio, log(population)', 'Hazard ratio, log(population)']
    """
    from iopstudy.figures.spread import plot_coef

    check_lang(lang)
    if ax is not None:
        raise ValueError("plot_ratio_panels draws one axis per kind; pass ax=None")
    present = [k for k in kinds if (table[kind] == k).any()]
    sizes = [int((table[kind] == k).sum()) for k in present]
    fig, axes = new_figure(preset, lang, nrows=len(present), squeeze=False,
                           gridspec_kw={"height_ratios": [s + 1.6 for s in sizes]})
    for a, k in zip(axes[:, 0], present):
        plot_coef(table[table[kind] == k], lang, preset=preset, ax=a, term_labels=term_labels,
                  xlabel=label(f"{k}_ratio_log_population", lang), ci_note=False)
        a.tick_params(axis="y", labelsize=0.8 * float(mpl.rcParams["font.size"]))
    notes = note_text(note) + [label("note_forest", lang)]
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return _done(fig, axes[0, 0], notes)


def plot_cumulative_incidence(
    incidence: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    profile: str = "population",
    ylabel: str | None = None,
) -> Figure:
    """Predicted cumulative incidence of adoption over calendar time, one line per profile.

    Parameters
    ----------
    incidence
        :func:`iopstudy.spread.cumulative_incidence` (``profile, time,
        cumulative_incidence, ci_low, ci_high`` and the profile columns).
    profile
        Column that names the profiles in the legend (``population``: "50,000 inhabitants").

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> inc = pd.DataFrame({"profile": [0, 0, 1, 1], "population": [10_000, 10_000, 200_000, 200_000],
    ...     "time": [2010, 2011] * 2, "cumulative_incidence": [0.01, 0.02, 0.2, 0.4],
    ...     "ci_low": [0.0, 0.01, 0.1, 0.3], "ci_high": [0.02, 0.04, 0.3, 0.5]})
    >>> len(plot_cumulative_incidence(inc).axes[0].lines)
    2
    """
    from iopstudy.figures.base import start

    check_lang(lang)
    fig, ax = start(ax, preset, lang)
    for i, (pid, d) in enumerate(incidence.groupby("profile", sort=True)):
        d = d.sort_values("time")
        c = OKABE_ITO[i % len(OKABE_ITO)]
        v = d[profile].iloc[0]
        name = label("fig.inhabitants", lang, n=format_number(float(v), lang)) if profile == "population" else str(v)
        ax.fill_between(d["time"], d["ci_low"], d["ci_high"], color=c, alpha=0.16, linewidth=0)
        ax.plot(d["time"], d["cumulative_incidence"], color=c, label=wrap(name, preset))
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(wrap(ylabel or label("cumulative_incidence", lang), preset, 34 if preset == "paper" else 50))
    ax.set_ylim(0, 1)
    apply_number_format(ax, lang, x="year", y="percent")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _done(fig, ax, note_text(note), title)
