"""Figures of the register: bar counts, start years, coverage by county, group shares.

Every function has the signature of the house style (``lang``, ``preset``, ``ax``, ``note``,
``title``) so :func:`iopstudy.figures.figure_pair` can draw it for paper and slides.
:func:`export_figure` draws a figure in each preset of :data:`FIGURE_EXPORT`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.labels import category_labels, check_lang, format_number, label

__all__ = [
    "FIGURE_EXPORT",
    "export_figure",
    "plot_bar_counts",
    "plot_year_counts",
    "plot_coverage_by_county",
    "plot_group_shares",
]


# --------------------------------------------------------------------------- plots
#: Formats and resolution per preset used by :func:`export_figure`: PNG at
#: 300 dpi (150 for slides, see :data:`iopstudy.figures.base.PRESET_DPI`), PDF and SVG, for the paper preset and the 16:9 slide preset.
#: Pass ``export=`` to change this (for example PNG only while drafting).
def _every_format() -> dict[str, tuple[tuple[str, ...], int]]:
    from iopstudy.figures.base import ALL_FORMATS, PRESET_DPI

    return {preset: (ALL_FORMATS, dpi) for preset, dpi in PRESET_DPI.items()}


FIGURE_EXPORT: dict[str, tuple[tuple[str, ...], int]] = _every_format()


def export_figure(
    plot_fn: Any,
    name: str,
    lang: str,
    *args: Any,
    out_dir: str | os.PathLike[str] = "reports/figures",
    export: Mapping[str, tuple[Sequence[str], int]] | None = None,
    **kwargs: Any,
) -> list[Path]:
    """Draw a figure in the paper and the 16:9 slide preset and save each in its formats.

    :func:`iopstudy.figures.figure_pair` once per preset of ``export``
    (default :data:`FIGURE_EXPORT`), so files are named
    ``{name}_{preset}_{lang}.{ext}`` and are byte-stable. ``plot_fn`` gets
    ``*args``, ``lang``, ``preset`` and ``**kwargs``.

    Returns
    -------
    list of pathlib.Path
        The files written, paper first.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tempfile
    >>> d = pd.DataFrame({"level": ["kommun", "region"], "count": [5, 3]})
    >>> with tempfile.TemporaryDirectory() as out:
    ...     paths = export_figure(plot_bar_counts, "levels", "en", d, "level", out_dir=out,
    ...                           export={"paper": (("png",), 40), "slide": (("png",), 40)})
    ...     names = [p.name for p in paths]
    >>> names
    ['levels_paper_en.png', 'levels_slide_en.png']
    """
    from iopstudy.figures.base import figure_pair

    paths: list[Path] = []
    for preset, (formats, dpi) in (export or FIGURE_EXPORT).items():
        paths += figure_pair(
            plot_fn, name, lang, *args, presets=(preset,), out_dir=out_dir,
            formats=tuple(formats), dpi=int(dpi), **kwargs,
        )
    return paths


def _fig_ax(ax: Any, preset: str, lang: str):
    from iopstudy.figures.base import start as _start

    return _start(ax, preset, lang)


def _finish(fig, ax, *, title: str | None, notes: Sequence[str] | str | None):
    from iopstudy.figures.base import finish, note_text
    from iopstudy.figures.captions import remember_notes

    remember_notes(fig, note_text(notes))
    return finish(fig, ax, title=title, notes=note_text(notes))


def _wrap(s: str, preset: str, width: int | None = None) -> str:
    from iopstudy.figures.base import wrap

    return wrap(s, preset, width or (30 if preset == "paper" else 44))


def _labels_for(values: Sequence[Any], labels: str | Mapping[Any, Any] | None, lang: str) -> dict[Any, str]:
    if labels is None:
        return {v: str(v) for v in values}
    if isinstance(labels, str):
        return category_labels(labels, list(values), lang)
    out = {}
    for v in values:
        x = labels.get(v, labels.get(str(v), str(v)))
        out[v] = str(x.get(lang, v)) if isinstance(x, Mapping) else str(x)
    return out


def plot_bar_counts(
    data: pd.DataFrame,
    category: str,
    count: str = "count",
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    stack: str | None = None,
    category_labels: str | Mapping[Any, Any] | None = None,
    stack_labels: str | Mapping[Any, Any] | None = None,
    order: Sequence[Any] | None = None,
    xlabel: str | None = None,
    legend_title: str | None = None,
    annotate: bool = True,
    hatch: str | None = None,
):
    """Horizontal bars of counts per category (top to bottom in ``order``), optionally stacked.

    ``data`` is long: one row per category (× ``stack`` value) with a
    ``count``. Labels: a category kind of :func:`labels_of` or a mapping
    code → text or ``{"en": …, "sv": …}``. Totals are written at the bar ends.
    ``hatch`` names a boolean column: the bars of categories where it is true are hatched
    and the note says why (e.g. ``single_page`` of
    :func:`iopstudy.spread.claims.source_concentration`: every row of the public body comes
    from one web page, so the bar is one source, not many).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> d = pd.DataFrame({"level": ["kommun", "kommun", "region"], "sector": ["social", "kultur", "social"],
    ...                   "count": [5, 2, 3]})
    >>> fig = plot_bar_counts(d, "level", stack="sector", category_labels="level")
    >>> ax = fig.axes[0]
    >>> len(ax.patches), [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
    (4, ['Municipality', 'Region'], 'Number of agreements')
    >>> [t.get_text().strip() for t in ax.texts]  # the totals at the bar ends
    ['7', '3']
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    from iopstudy.figures.base import OKABE_ITO, apply_number_format

    check_lang(lang)
    fig, ax = _fig_ax(ax, preset, lang)
    cats = list(order) if order is not None else list(dict.fromkeys(data[category]))
    if stack:
        wide = data.pivot_table(index=category, columns=stack, values=count, aggfunc="sum",
                                fill_value=0, observed=True)
        wide = wide.reindex(cats, fill_value=0)
    else:
        wide = data.groupby(category, observed=True, sort=False)[count].sum().reindex(cats, fill_value=0).to_frame("_all")
    ypos = np.arange(len(cats))[::-1]
    left = np.zeros(len(cats))
    snames = _labels_for(list(wide.columns), stack_labels, lang) if stack else {}
    marked = np.zeros(len(cats), dtype=bool)
    if hatch is not None:
        flag = data.assign(_m=data[hatch].astype(bool)).groupby(category, observed=True, sort=False)["_m"].any()
        marked = flag.reindex(cats, fill_value=False).to_numpy(dtype=bool)
    for i, col in enumerate(wide.columns):
        vals = wide[col].to_numpy(dtype=float)
        bars = ax.barh(ypos, vals, left=left, height=0.7, color=OKABE_ITO[i % len(OKABE_ITO)],
                       edgecolor="white", label=_wrap(snames.get(col, col), preset, 24) if stack else None)
        for bar, m in zip(bars, marked):
            if m:
                bar.set_hatch("////")
                bar.set_edgecolor("#333333")
        left += vals
    if annotate:
        fs = 0.8 * float(mpl.rcParams["font.size"])
        for yv, tot in zip(ypos, left):
            ax.text(tot, yv, "\u2009" + format_number(tot, lang), va="center", ha="left", fontsize=fs)
    cnames = _labels_for(cats, category_labels, lang)
    ax.set_yticks(ypos)
    ax.set_yticklabels([_wrap(cnames[c], preset, 34 if preset == "paper" else 50) for c in cats])
    ax.set_xlim(0, max(float(left.max()) if len(left) else 1.0, 1.0) * 1.12)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel or label("n_agreements", lang))
    apply_number_format(ax, lang, x="integer", y=None)
    notes = [note] if isinstance(note, str) else list(note or [])
    if marked.any():
        from matplotlib.patches import Patch

        # plain swatches for the stack levels (a legend taken from the bars would copy a hatch)
        handles = [Patch(facecolor=OKABE_ITO[i % len(OKABE_ITO)], edgecolor="white") for i in range(len(wide.columns))] \
            if stack else []
        labels_ = [_wrap(snames.get(col, col), preset, 24) for col in wide.columns] if stack else []
        handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="////"))
        labels_.append(_wrap(label("single_page", lang), preset, 24))
        ax.legend(handles, labels_, title=legend_title if stack else None, loc="lower right")
        notes.append(label("note_single_page", lang))
    elif stack:
        ax.legend(title=legend_title, loc="lower right")
    return _finish(fig, ax, title=title, notes=notes)


def plot_year_counts(
    partnerships: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    year: str = "start_year",
    stack: str = "level",
):
    """Agreements per start year as stacked bars (by level); undated ones are counted in the note.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from iopstudy.figures.captions import caption_text
    >>> p = pd.DataFrame({"start_year": [2015, 2015, 2017, None], "level": ["kommun", "region", "kommun", "kommun"]})
    >>> fig = plot_year_counts(p)
    >>> len(fig.axes[0].patches), caption_text(fig)  # 2015-2017, by level
    (6, '1 of 4 agreements have no start year and are not shown.')
    >>> plt.close(fig)
    """
    from iopstudy.figures.base import OKABE_ITO, apply_number_format

    check_lang(lang)
    fig, ax = _fig_ax(ax, preset, lang)
    yrs = pd.to_numeric(partnerships[year], errors="coerce")
    dated = partnerships[yrs.notna()].assign(_y=yrs[yrs.notna()].astype(int))
    n_undated = int(yrs.isna().sum())
    if len(dated):
        years = list(range(int(dated["_y"].min()), int(dated["_y"].max()) + 1))
        wide = pd.crosstab(dated["_y"], dated[stack]).reindex(years, fill_value=0)
        levels = [c for c in ["kommun", "region", "stat"] if c in wide.columns] + [
            c for c in wide.columns if c not in ("kommun", "region", "stat")
        ]
        names = category_labels(stack, levels, lang)
        bottom = np.zeros(len(years))
        for i, lv in enumerate(levels):
            vals = wide[lv].to_numpy(dtype=float)
            ax.bar(years, vals, bottom=bottom, color=OKABE_ITO[i % len(OKABE_ITO)], width=0.75,
                   edgecolor="white", label=names[lv])
            bottom += vals
        ax.set_ylim(0, max(float(bottom.max()), 1.0) * 1.1)
        ax.legend(loc="upper left")
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("n_agreements", lang))
    apply_number_format(ax, lang, x="year", y="integer")
    notes = ([note] if isinstance(note, str) else list(note or [])) + [
        label("undated_not_shown", lang, n=n_undated, total=len(partnerships))
    ]
    return _finish(fig, ax, title=title, notes=notes)


def plot_coverage_by_county(
    coverage: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
):
    """Municipalities per county: all (grey) and those with a found agreement (blue).

    ``coverage`` is :func:`coverage_by` with ``by="county_code"``; a diamond
    marks counties whose region has a found region-level agreement.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> # real counties and their number of municipalities; the counts found are illustrative
    >>> cov = pd.DataFrame({"group": ["01", "03"], "county_name": ["Stockholms län", "Uppsala län"],
    ...                     "n_municipalities": [26, 8], "municipalities_found": [10, 2],
    ...                     "region_agreements": [1, 0]})
    >>> fig = plot_coverage_by_county(cov)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts], len(ax.lines)
    (['Stockholm County', 'Uppsala County'], ['10/26', '2/8'], 1)
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    from iopstudy.figures.base import OKABE_ITO, apply_number_format

    check_lang(lang)
    fig, ax = _fig_ax(ax, preset, lang)
    df = coverage.sort_values("group").reset_index(drop=True)
    ypos = np.arange(len(df))[::-1]
    ax.barh(ypos, df["n_municipalities"], height=0.75, color="#D9D9D9", label=label("municipalities_all", lang))
    ax.barh(ypos, df["municipalities_found"], height=0.75, color=OKABE_ITO[0],
            label=label("municipalities_found", lang))
    has_reg = df["region_agreements"].to_numpy() > 0
    xmax = float(df["n_municipalities"].max())
    if has_reg.any():
        ax.plot(df.loc[has_reg, "n_municipalities"] + 0.04 * xmax, ypos[has_reg], linestyle="none",
                marker="D", color=OKABE_ITO[1], label=label("region_found", lang))
    fs = 0.75 * float(mpl.rcParams["font.size"])
    for yv, f_, n_ in zip(ypos, df["municipalities_found"], df["n_municipalities"]):
        ax.text(n_ + 0.09 * xmax, yv, f"{f_}/{n_}", va="center", fontsize=fs, color="#444444")
    # English: the county labels of iopstudy.labels ("Stockholm County", not the genitive of the
    # Swedish name); Swedish: the data's name without " län" ("Stockholms")
    codes = df["group"].astype(str).tolist()
    english = category_labels("county", codes, lang) if lang == "en" else {}
    names = [english.get(c, c) if english.get(c, c) != c else str(n).removesuffix(" län")
             for c, n in zip(codes, df["county_name"])]
    ax.set_yticks(ypos)
    ax.set_yticklabels(names, fontsize=0.8 * float(mpl.rcParams["font.size"]))
    ax.set_xlim(0, xmax * 1.22)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label("n_municipalities", lang))
    ax.set_ylabel(label("county", lang))
    apply_number_format(ax, lang, x="integer", y=None)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _finish(fig, ax, title=title, notes=[note] if isinstance(note, str) else note)


def plot_group_shares(
    shares: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    group_labels: str | Mapping[Any, Any] | None = None,
    xlabel: str | None = None,
    ci_note: bool = True,
):
    """Share per group with Wilson intervals (points and lines), labelled ``group (k/n)``.

    ``shares`` is :func:`adopted_shares` (``group, group_total, count, share,
    ci_low, ci_high``), top to bottom in its order.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> sh = pd.DataFrame({"group": ["small", "large"], "group_total": [200, 90], "count": [20, 30],
    ...                    "share": [0.1, 0.333], "ci_low": [0.066, 0.245], "ci_high": [0.149, 0.435]})
    >>> fig = plot_group_shares(sh, group_labels={"small": "Under 20 000", "large": "20 000 or more"})
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()], fig.axes[0].get_xlabel()
    (['Under 20 000 (20/200)', '20 000 or more (30/90)'], 'Share of municipalities with a found IOP')
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    from iopstudy.figures.base import OKABE_ITO, apply_number_format

    check_lang(lang)
    fig, ax = _fig_ax(ax, preset, lang)
    df = shares.reset_index(drop=True)
    ypos = np.arange(len(df))[::-1]
    c = OKABE_ITO[0]
    for yv, lo, hi, s in zip(ypos, df["ci_low"], df["ci_high"], df["share"]):
        ax.plot([lo, hi], [yv, yv], color=c, solid_capstyle="butt")
        ax.plot([s], [yv], marker="o", color=c, linestyle="none",
                markersize=1.3 * float(mpl.rcParams["lines.markersize"]))
    names = _labels_for(list(df["group"]), group_labels, lang)
    ax.set_yticks(ypos)
    ax.set_yticklabels(
        [
            _wrap(f"{names[g]} ({format_number(k, lang)}/{format_number(n, lang)})", preset, 40 if preset == "paper" else 60)
            for g, k, n in zip(df["group"], df["count"], df["group_total"])
        ]
    )
    right = min(1.0, max(0.1, float(np.nanmax(df["ci_high"])) * 1.08))
    ax.set_xlim(-0.015 * right, right)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel or label("share_found", lang))
    apply_number_format(ax, lang, x="percent", y=None)
    notes = ([note] if isinstance(note, str) else list(note or []))
    if ci_note:
        notes.append(label("note_wilson_lines", lang, level=95))
    return _finish(fig, ax, title=title, notes=notes)
