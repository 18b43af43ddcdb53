"""House style, plots and deterministic export of the project's figures.

* :func:`set_style` / :func:`style_context`: seaborn/matplotlib style with
  the colour-blind-safe Okabe–Ito palette, DejaVu Sans (ships with
  matplotlib, so output does not depend on the fonts installed) and font
  sizes for a paper page or a 16:9 slide (:data:`PRESETS`).
* :func:`apply_number_format`: axis tick labels in the figure's language
  (Swedish: decimal comma, no-break space between thousands, ``"25 %"``).
* :func:`add_note`: a note under the figure ("Partial register …",
  "Illustrative data").
* :func:`save_figure`: PNG (300 dpi), PDF and SVG that are byte-identical
  from run to run (fixed ``svg.hashsalt``, no dates or software versions in
  the metadata), named ``{name}_{preset}_{lang}.{ext}``.
* :func:`figure_pair`: the same figure drawn and saved for paper and slide.
* Plots used by the notebooks: :func:`plot_adoption_curve`,
  :func:`plot_published_counts`, :func:`plot_km`, :func:`plot_composition`,
  :func:`plot_coef`. Each takes ``lang``, ``preset``, ``ax`` and ``note``
  and returns the figure.

The module does not choose a matplotlib backend; scripts and tests without a
display use Agg (``MPLBACKEND=Agg`` or ``matplotlib.use("Agg")``).
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from iopstudy.labels import category_labels, check_lang, format_number, label

__all__ = [
    "PRESETS",
    "OKABE_ITO",
    "SVG_HASHSALT",
    "set_style",
    "style_context",
    "style_rc",
    "new_figure",
    "NumberFormatter",
    "apply_number_format",
    "add_note",
    "save_figure",
    "figure_pair",
    "plot_adoption_curve",
    "plot_published_counts",
    "plot_km",
    "plot_composition",
    "plot_coef",
]

#: Figure sizes in inches: a paper text width (16 cm) and a 16:9 slide.
PRESETS: dict[str, tuple[float, float]] = {"paper": (6.3, 3.9), "slide": (13.333, 7.5)}

#: Base font size (points) per preset.
FONT_SIZES: dict[str, float] = {"paper": 9.0, "slide": 18.0}

#: Okabe & Ito (2008) colour-blind-safe palette, yellow last (weak on white).
OKABE_ITO: list[str] = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
]
OTHER_COLOUR = "#999999"
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">"]

#: Fixed salt for SVG ids, so SVG output is the same on every run.
SVG_HASHSALT = "iopstudy"

_PDF_METADATA = {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
_SVG_METADATA = {"Date": None}
_PNG_METADATA = {"Software": None}

_STATE: dict[str, str] = {"lang": "en", "preset": "paper"}


# --------------------------------------------------------------------------- style
def _check_preset(preset: str) -> str:
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, not {preset!r}")
    return preset


def style_rc(preset: str = "paper") -> dict[str, Any]:
    """The rcParams of the house style for ``preset``.

    seaborn's ``whitegrid`` style, then: DejaVu Sans, font sizes of the
    preset, the Okabe–Ito colour cycle, no top/right spines, constrained
    layout, and the settings that make saved files deterministic
    (``svg.hashsalt``, text as paths in SVG, TrueType fonts in PDF).
    """
    from cycler import cycler

    import seaborn as sns

    _check_preset(preset)
    fs = FONT_SIZES[preset]
    slide = preset == "slide"
    base = dict(sns.axes_style("whitegrid"))
    return base | {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": fs,
        "axes.titlesize": fs * 1.15,
        "axes.labelsize": fs,
        "xtick.labelsize": fs * 0.9,
        "ytick.labelsize": fs * 0.9,
        "legend.fontsize": fs * 0.9,
        "legend.title_fontsize": fs * 0.9,
        "figure.titlesize": fs * 1.25,
        "figure.figsize": PRESETS[preset],
        "figure.dpi": 100,
        "figure.constrained_layout.use": True,
        "savefig.dpi": 300,
        "savefig.facecolor": "white",
        "axes.prop_cycle": cycler(color=OKABE_ITO),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": "#DDDDDD",
        "grid.linewidth": 1.0 if slide else 0.6,
        "lines.linewidth": 3.0 if slide else 1.6,
        "lines.markersize": 9.0 if slide else 4.5,
        "patch.linewidth": 0.5,
        "axes.linewidth": 1.2 if slide else 0.8,
        "xtick.major.width": 1.2 if slide else 0.8,
        "ytick.major.width": 1.2 if slide else 0.8,
        "legend.frameon": False,
        "axes.unicode_minus": True,
        "axes.formatter.use_locale": False,
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
    }


def set_style(lang: str = "en", preset: str = "paper") -> dict[str, Any]:
    """Apply the house style globally (seaborn ``whitegrid`` + :func:`style_rc`).

    Parameters
    ----------
    lang
        Default language of later plots and of :func:`save_figure` names.
    preset
        ``"paper"`` (6.3 × 3.9 in, 9 pt) or ``"slide"`` (13.33 × 7.5 in, 16:9, 18 pt).

    Returns
    -------
    dict
        The rcParams that were set.
    """
    import seaborn as sns

    check_lang(lang)
    rc = style_rc(preset)
    sns.set_theme(style="whitegrid", palette=OKABE_ITO, rc=rc)
    mpl.rcParams.update(rc)
    _STATE["lang"] = lang
    _STATE["preset"] = preset
    return rc


@contextlib.contextmanager
def style_context(lang: str = "en", preset: str = "paper") -> Iterator[dict[str, Any]]:
    """Context manager: the house style inside the block, previous settings after."""
    check_lang(lang)
    rc = style_rc(preset)
    old = dict(_STATE)
    try:
        with mpl.rc_context(rc):
            _STATE.update(lang=lang, preset=preset)
            yield rc
    finally:
        _STATE.clear()
        _STATE.update(old)


def _tag(fig: Figure, preset: str | None, lang: str | None) -> None:
    fig._iopstudy = {"preset": preset, "lang": lang}  # type: ignore[attr-defined]


def new_figure(
    preset: str = "paper", lang: str = "en", *, nrows: int = 1, ncols: int = 1, **kw: Any
) -> tuple[Figure, Any]:
    """A figure of the preset's size with constrained layout, tagged with preset and language."""
    _check_preset(preset)
    check_lang(lang)
    with mpl.rc_context(style_rc(preset)):
        fig, ax = plt.subplots(nrows, ncols, figsize=PRESETS[preset], layout="constrained", **kw)
    _tag(fig, preset, lang)
    return fig, ax


def _start(ax: Any, preset: str, lang: str) -> tuple[Figure, Any]:
    if ax is None:
        return new_figure(preset, lang)
    fig = ax.figure
    if not hasattr(fig, "_iopstudy"):
        _tag(fig, preset, lang)
    return fig, ax


# --------------------------------------------------------------------------- numbers
def _auto_decimals(values: Sequence[float], max_decimals: int = 6) -> int:
    vals = [float(v) for v in values if np.isfinite(v)]
    for d in range(max_decimals + 1):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in vals):
            return d
    return max_decimals


class NumberFormatter(mticker.Formatter):
    """Tick labels in a language: ``"1 200"``/``"0,5"`` (sv) or ``"1,200"``/``"0.5"`` (en).

    Parameters
    ----------
    lang
        ``"en"`` or ``"sv"``.
    decimals
        Fixed number of decimals; None chooses the fewest that show every tick exactly.
    percent
        Values are shares (0–1) shown as percentages (``"25 %"`` in Swedish, ``"25%"`` in English).
    thousands
        Group thousands (False for years).
    """

    def __init__(
        self,
        lang: str = "en",
        *,
        decimals: int | None = None,
        percent: bool = False,
        thousands: bool = True,
        per_tick: bool = False,
    ) -> None:
        self.lang = check_lang(lang)
        self.decimals = decimals
        self.percent = percent
        self.thousands = thousands
        self.per_tick = per_tick
        self._auto: int | None = None

    def _fmt(self, x: float, decimals: int) -> str:
        kw: dict[str, Any] = {"minus": "\u2212"}
        if not self.thousands:
            kw["thousands_sep"] = ""
        if self.percent:
            s = format_number(x * 100, self.lang, decimals, **kw)
            return s + ("\u00a0%" if self.lang == "sv" else "%")
        return format_number(x, self.lang, decimals, **kw)

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        vals = [v * 100 if self.percent else v for v in values]
        if self.per_tick and self.decimals is None:
            return [self._fmt(v, _auto_decimals([w])) for v, w in zip(values, vals)]
        self._auto = self.decimals if self.decimals is not None else _auto_decimals(vals)
        return [self._fmt(v, self._auto) for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        d = self.decimals if self.decimals is not None else self._auto
        if d is None:
            d = _auto_decimals([x * 100 if self.percent else x], 3)
        return self._fmt(x, d)


def apply_number_format(
    ax: Any,
    lang: str = "en",
    *,
    x: str | None = "number",
    y: str | None = "number",
) -> Any:
    """Set language-aware tick formatters on an axes.

    Parameters
    ----------
    ax
        The axes.
    lang
        ``"en"`` or ``"sv"``.
    x, y
        For each axis: ``"number"``, ``"integer"`` (integer ticks only),
        ``"percent"`` (shares shown as %), ``"year"`` (integer ticks, no
        thousands separator), ``"log"`` (a log axis: ticks at 1, 2, 5 × 10^k
        over up to two decades, else at powers of ten; no minor labels) or
        None (leave as is, e.g. category axes).
    """
    check_lang(lang)
    for kind, axis in ((x, ax.xaxis), (y, ax.yaxis)):
        if kind is None:
            continue
        if kind == "number":
            axis.set_major_formatter(NumberFormatter(lang))
        elif kind == "integer":
            axis.set_major_locator(mticker.MaxNLocator(nbins=8, integer=True))
            axis.set_major_formatter(NumberFormatter(lang, decimals=0))
        elif kind == "percent":
            axis.set_major_formatter(NumberFormatter(lang, percent=True))
        elif kind == "year":
            axis.set_major_locator(mticker.MaxNLocator(nbins=8, integer=True))
            axis.set_major_formatter(NumberFormatter(lang, decimals=0, thousands=False))
        elif kind == "log":
            lo, hi = axis.get_view_interval()
            decades = np.log10(max(hi, 1e-300) / max(lo, 1e-300)) if lo > 0 else np.inf
            subs = (1.0, 2.0, 5.0) if decades <= 2.2 else (1.0,)
            axis.set_major_locator(mticker.LogLocator(base=10, subs=subs))
            axis.set_major_formatter(NumberFormatter(lang, per_tick=True))
            axis.set_minor_formatter(mticker.NullFormatter())
        else:
            raise ValueError(f"unknown axis format {kind!r}")
    return ax


# --------------------------------------------------------------------------- notes and saving
def _note_text(note: str | Sequence[str] | None) -> list[str]:
    if note is None:
        return []
    if isinstance(note, str):
        return [note] if note else []
    return [n for n in note if n]


def add_note(fig: Figure, text: str | Sequence[str], *, fontsize: float | None = None) -> Any:
    """Write a note under the figure (e.g. "Partial register …"), reserving room for it.

    Parameters
    ----------
    fig
        The figure (constrained layout keeps the axes above the note).
    text
        The note, or several notes (one per line). Long lines are wrapped
        to the figure width.
    fontsize
        Default: 80 % of the base font size.

    Returns
    -------
    matplotlib.text.Text
    """
    lines = _note_text(text)
    if not lines:
        return None
    size = fontsize or 0.8 * float(mpl.rcParams["font.size"])
    width_pt = fig.get_figwidth() * 72
    chars = max(20, int(width_pt / (0.55 * size)))
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, chars) or [""])
    existing = getattr(fig, "_iopstudy_note", None)
    if existing is not None:
        existing.remove()
    n_lines = len(wrapped)
    height_in = (n_lines * size * 1.3 + size * 0.8) / 72
    frac = min(0.4, height_in / fig.get_figheight())
    txt = fig.text(
        0.01,
        0.01,
        "\n".join(wrapped),
        ha="left",
        va="bottom",
        fontsize=size,
        color="#444444",
        linespacing=1.3,
    )
    txt.set_in_layout(False)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        try:
            engine.set(rect=(0, frac, 1, 1 - frac))
        except TypeError:  # pragma: no cover - engines without rect
            pass
    else:  # pragma: no cover - figures without a layout engine
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, frac + 0.08))
    fig._iopstudy_note = txt  # type: ignore[attr-defined]
    return txt


def save_figure(
    fig: Figure,
    name: str,
    *,
    out_dir: str | Path = "reports/figures",
    preset: str | None = None,
    lang: str | None = None,
    formats: Sequence[str] = ("png", "pdf", "svg"),
    dpi: int = 300,
) -> list[Path]:
    """Save a figure deterministically as ``{out_dir}/{name}_{preset}_{lang}.{ext}``.

    Parameters
    ----------
    fig
        The figure.
    name
        Base name of the files.
    out_dir
        Output folder (created if needed).
    preset
        ``"paper"`` or ``"slide"``: resizes the figure to the preset. Default:
        the preset the figure was drawn with (plot functions tag it), else the
        preset whose size matches, else ``"custom"``.
    lang
        Language code for the file name; default: the figure's language, else
        the language of :func:`set_style`.
    formats
        Any of ``"png"``, ``"pdf"``, ``"svg"``.
    dpi
        Resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Notes
    -----
    Bytes are identical across runs on the same matplotlib version and fonts:
    SVG ids use a fixed ``svg.hashsalt`` and ``metadata={"Date": None}``; PDF
    ``metadata`` has no ``CreationDate``, ``ModDate``, ``Creator``,
    ``Producer``; PNG has no ``Software`` entry. The figure keeps its exact
    size (no ``bbox_inches="tight"``), so slides stay 16:9.
    """
    tag = getattr(fig, "_iopstudy", {}) or {}
    if preset is not None:
        _check_preset(preset)
        if tuple(np.round(fig.get_size_inches(), 3)) != tuple(np.round(PRESETS[preset], 3)):
            fig.set_size_inches(*PRESETS[preset])
    else:
        preset = tag.get("preset")
        if preset is None:
            size = tuple(np.round(fig.get_size_inches(), 2))
            matches = [k for k, v in PRESETS.items() if tuple(np.round(v, 2)) == size]
            preset = matches[0] if matches else "custom"
    lang = lang or tag.get("lang") or _STATE["lang"]
    check_lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "path", "pdf.fonttype": 42}):
        for ext in formats:
            ext = ext.lower().lstrip(".")
            path = out / f"{name}_{preset}_{lang}.{ext}"
            if ext == "png":
                fig.savefig(path, format="png", dpi=dpi, metadata=_PNG_METADATA)
            elif ext == "pdf":
                fig.savefig(path, format="pdf", metadata=_PDF_METADATA)
            elif ext == "svg":
                fig.savefig(path, format="svg", metadata=_SVG_METADATA)
            else:
                raise ValueError(f"unsupported figure format {ext!r}; use png, pdf or svg")
            paths.append(path)
    return paths


def figure_pair(
    plot_fn: Callable[..., Figure],
    name: str,
    lang: str | Sequence[str] = "en",
    *args: Any,
    presets: Sequence[str] = ("paper", "slide"),
    out_dir: str | Path = "reports/figures",
    formats: Sequence[str] = ("png", "pdf", "svg"),
    dpi: int = 300,
    **kwargs: Any,
) -> list[Path]:
    """Draw the same figure for each preset (and language) and save every version.

    ``plot_fn(*args, lang=lang, preset=preset, **kwargs)`` must return a
    figure (all plot functions here do). Each figure is drawn inside
    :func:`style_context`, saved with :func:`save_figure` and closed.

    Examples
    --------
    >>> figure_pair(plot_km, "km_by_group", ("en", "sv"), km_df, note=note)  # doctest: +SKIP

    Returns
    -------
    list of pathlib.Path
        All files written (preset × language × format).
    """
    langs = [lang] if isinstance(lang, str) else list(lang)
    paths: list[Path] = []
    for lg in langs:
        for preset in presets:
            with style_context(lg, preset):
                fig = plot_fn(*args, lang=lg, preset=preset, **kwargs)
                try:
                    paths += save_figure(
                        fig, name, out_dir=out_dir, preset=preset, lang=lg, formats=formats, dpi=dpi
                    )
                finally:
                    plt.close(fig)
    return paths


# --------------------------------------------------------------------------- helpers for plots
def _ordered_groups(s: pd.Series) -> list[Any]:
    if isinstance(s.dtype, pd.CategoricalDtype):
        present = set(s.dropna().unique())
        return [c for c in s.cat.categories if c in present]
    return list(pd.unique(s.dropna()))


def _group_labels(
    groups: Sequence[Any], labels: str | Mapping[Any, Any] | None, lang: str
) -> dict[Any, str]:
    """Labels of group values: a category kind (``"skr_group"``), a mapping, or the values."""
    if labels is None:
        out = {}
        for g in groups:
            out[g] = label(str(g), lang, default=str(g)) if str(g) in ("all", "other") else str(g)
        return out
    if isinstance(labels, str):
        return category_labels(labels, groups, lang)
    out = {}
    for g in groups:
        v = labels.get(g, labels.get(str(g), str(g)))
        if isinstance(v, Mapping):
            v = v.get(lang, str(g))
        out[g] = str(v)
    return out


def _wrap(text: str, preset: str, width: int | None = None) -> str:
    """Wrap long legend labels so they do not squeeze the axes."""
    width = width or (26 if preset == "paper" else 40)
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _finish(fig: Figure, ax: Any, *, title: str | None, notes: list[str]) -> Figure:
    if title:
        ax.set_title(title, loc="left")
    if notes:
        add_note(fig, notes)
    return fig


def _level_from(df: pd.DataFrame) -> int:
    return int(df.attrs.get("ci_level", 95))


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
    fig, ax = _start(ax, preset, lang)
    df = curve_df
    groups = _ordered_groups(df["group"]) if "group" in df else ["all"]
    names = _group_labels(groups, group_labels, lang)
    colours = OKABE_ITO
    for i, g in enumerate(groups):
        d = df[df["group"] == g].sort_values("year") if "group" in df else df.sort_values("year")
        c = colours[i % len(colours)]
        ax.plot(
            d["year"], d["share"], color=c, marker="o" if markers else None,
            label=_wrap(names[g], preset),
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
    notes = _note_text(note)
    if ci and ci_note:
        notes.append(label("note_wilson", lang, level=_level_from(df)))
    return _finish(fig, ax, title=title, notes=notes)


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
    fig, ax = _start(ax, preset, lang)
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
            label=_wrap(str(s), preset),
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
    notes = _note_text(note) + [label("note_published_counts", lang)]
    if n_undated:
        notes.append(
            f"{n_undated} undated count(s) not shown"
            if lang == "en"
            else f"{n_undated} odaterade antal visas inte"
        )
    return _finish(fig, ax, title=title, notes=notes)


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
    fig, ax = _start(ax, preset, lang)
    groups = _ordered_groups(km_df["group"])
    names = _group_labels(groups, group_labels, lang)
    for i, g in enumerate(groups):
        d = km_df[km_df["group"] == g].sort_values("time")
        c = OKABE_ITO[i % len(OKABE_ITO)]
        ax.step(d["time"], d["survival"], where="post", color=c, label=_wrap(names[g], preset))
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
    notes = _note_text(note)
    if ci and ci_note:
        notes.append(label("note_km", lang, level=_level_from(km_df)))
    return _finish(fig, ax, title=title, notes=notes)


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
    fig, ax = _start(ax, preset, lang)
    df = comp_df[[group, area, count]].copy()
    totals = df.groupby(area, observed=True)[count].sum().sort_values(ascending=False, kind="mergesort")
    keep = list(totals.index[: max(1, min(max_areas, len(OKABE_ITO)))])
    other_key = "__other__"
    df["_area"] = [a if a in keep else other_key for a in df[area]]
    wide = df.pivot_table(index=group, columns="_area", values=count, aggfunc="sum", fill_value=0, observed=True)
    areas = [a for a in keep if a in wide.columns] + ([other_key] if other_key in wide.columns else [])
    groups = _ordered_groups(comp_df[group])
    wide = wide.reindex(index=groups, columns=areas, fill_value=0)
    n = wide.sum(axis=1)
    shares = wide.div(n.replace(0, np.nan), axis=0).fillna(0)
    gnames = _group_labels(groups, group_labels, lang)
    anames = {}
    for a in areas:
        if a == other_key:
            anames[a] = label("other", lang)
        else:
            anames[a] = _group_labels([a], area_labels, lang)[a] if area_labels is not None else str(a)
    ypos = np.arange(len(groups))[::-1]
    left = np.zeros(len(groups))
    for i, a in enumerate(areas):
        c = OTHER_COLOUR if a == other_key else OKABE_ITO[i % len(OKABE_ITO)]
        vals = shares[a].to_numpy()
        ax.barh(ypos, vals, left=left, color=c, label=_wrap(anames[a], preset), height=0.7, edgecolor="white")
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
    return _finish(fig, ax, title=title, notes=_note_text(note))


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
    fig, ax = _start(ax, preset, lang)
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
    names = _group_labels(terms, term_labels, lang) if term_labels is not None else {t: t for t in terms}
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
    notes = _note_text(note)
    if ci_note:
        notes.append(label("note_forest" if ratio else "note_forest_linear", lang))
    return _finish(fig, ax, title=title, notes=notes)
