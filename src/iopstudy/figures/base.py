"""House style, plots and deterministic export of the project's figures.

* :func:`set_style` / :func:`style_context`: seaborn/matplotlib style with
  the colour-blind-safe Okabe–Ito palette, DejaVu Sans (ships with
  matplotlib, so output does not depend on the fonts installed) and font
  sizes for a paper page or a 16:9 slide (:data:`PRESETS`).
* :func:`apply_number_format`: axis tick labels in the figure's language
  (Swedish: decimal comma, no-break space between thousands, ``"25 %"``).
* :func:`add_note`: a note under the figure ("Partial register …",
  "Illustrative data").
* :func:`save_figure`: PNG (300 dpi for paper, 150 dpi for slides: :data:`PRESET_DPI`), PDF and SVG that are byte-identical
  from run to run (fixed ``svg.hashsalt``, no dates or software versions in
  the metadata), named ``{name}_{preset}_{lang}.{ext}``.
* :func:`figure_pair`: the same figure drawn and saved for paper and slide, in the formats
  of :data:`FIGURE_FORMATS` (by default PNG and PDF of the paper version only) or in all
  three for both (``formats="all"``).
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

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from iopstudy.labels import category_labels, check_lang, format_number, label

__all__ = [
    "PRESETS",
    "PRESET_DPI",
    "PDF_DROPPED_FONT_TABLES",
    "FIGURE_FORMATS",
    "ALL_FORMATS",
    "figure_formats",
    "FONT_SIZES",
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
]


#: Figure sizes in inches: a paper text width (16 cm) and a 16:9 slide.
PRESETS: dict[str, tuple[float, float]] = {"paper": (6.3, 3.9), "slide": (13.333, 7.5)}

#: Resolution of the PNG of each preset: 300 dpi for print; 150 dpi for a 16:9 slide gives
#: 2000 × 1125 pixels, more than a full-HD projector shows (and a quarter of the pixels to draw).
PRESET_DPI: dict[str, int] = {"paper": 300, "slide": 150}

#: Every format :func:`save_figure` writes.
ALL_FORMATS: tuple[str, ...] = ("png", "pdf", "svg")

#: The formats :func:`figure_pair` writes by default, per preset: what a paper needs, the PDF
#: for LaTeX and a 300-dpi PNG for a word processor (and for the notebook to show). The 16:9
#: slide version, and SVG, come with ``formats="all"`` (``make figures``, the presenters'
#: export): each version costs about as much to draw and save again, and ``make reproduce``
#: reproduces the paper's figures.
FIGURE_FORMATS: dict[str, tuple[str, ...]] = {"paper": ("png", "pdf"), "slide": ()}


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

#: OpenType layout tables left out of the fonts embedded in a PDF: a PDF places every glyph
#: itself, so no viewer reads them, and subsetting them (DejaVu Sans has large ones) took half
#: the time of writing a PDF.
PDF_DROPPED_FONT_TABLES = ("GSUB", "GPOS", "GDEF", "MATH")


@contextlib.contextmanager
def _pdf_font_subsetting() -> Iterator[None]:
    """While open, fontTools' subsetter (which matplotlib's PDF backend calls) drops the tables of
    :data:`PDF_DROPPED_FONT_TABLES` from the embedded fonts; a fontTools without the default list
    this extends is left as it is."""
    try:
        from fontTools.subset import Options
    except ImportError:  # matplotlib needs fontTools; nothing to change without it
        yield
        return
    default = getattr(Options, "_drop_tables_default", None)
    if not isinstance(default, list):
        yield
        return
    Options._drop_tables_default = default + [t for t in PDF_DROPPED_FONT_TABLES if t not in default]
    try:
        yield
    finally:
        Options._drop_tables_default = default


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

    Examples
    --------
    >>> rc = style_rc("slide")
    >>> rc["font.size"], rc["figure.figsize"], rc["pdf.fonttype"]
    (18.0, (13.333, 7.5), 42)
    """
    import seaborn as sns
    from cycler import cycler

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

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():  # here only for the example: set_style changes the global settings
    ...     rc = set_style("sv", "paper")
    ...     float(mpl.rcParams["font.size"]) == FONT_SIZES["paper"]
    True
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
    """Context manager: the house style inside the block, previous settings after.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["font.size"]
    >>> with style_context("sv", "slide"):
    ...     float(mpl.rcParams["font.size"])
    18.0
    >>> mpl.rcParams["font.size"] == before
    True
    """
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
    """A figure of the preset's size with constrained layout, tagged with preset and language.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure("slide", "sv")
    >>> [round(float(x), 2) for x in fig.get_size_inches()], fig._iopstudy
    ([13.33, 7.5], {'preset': 'slide', 'lang': 'sv'})
    >>> plt.close(fig)
    """
    _check_preset(preset)
    check_lang(lang)
    with mpl.rc_context(style_rc(preset)):
        fig, ax = plt.subplots(nrows, ncols, figsize=PRESETS[preset], layout="constrained", **kw)
    _tag(fig, preset, lang)
    return fig, ax


def start(ax: Any, preset: str, lang: str) -> tuple[Figure, Any]:
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

    Examples
    --------
    >>> NumberFormatter("sv", decimals=1).format_ticks([1000, 2500.5])
    ['1\\xa0000,0', '2\\xa0500,5']
    >>> NumberFormatter("en", percent=True).format_ticks([0.25, 0.5])
    ['25%', '50%']
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

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure("paper", "sv")
    >>> _ = ax.plot([0, 5000], [0, 0.5])
    >>> _ = apply_number_format(ax, "sv", y="percent")
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_yticklabels()][1:3]
    ['0\\xa0%', '10\\xa0%']
    >>> plt.close(fig)
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
def note_text(note: str | Sequence[str] | None) -> list[str]:
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

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure("paper", "sv")
    >>> add_note(fig, ["Ofullständigt register", "Källa: egna sökningar"]).get_text()
    'Ofullständigt register\\nKälla: egna sökningar'
    >>> plt.close(fig)
    """
    lines = note_text(text)
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


def figure_formats(
    formats: str | Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    presets: Sequence[str] = ("paper", "slide"),
) -> dict[str, tuple[str, ...]]:
    """The formats to write for each preset.

    Parameters
    ----------
    formats
        ``None`` or ``"default"``: :data:`FIGURE_FORMATS`; ``"all"``: :data:`ALL_FORMATS` for
        every preset; a comma-separated string or a sequence (``"png,svg"``, ``("pdf",)``):
        those formats for every preset; a mapping preset → formats: as given (a preset it
        leaves out gets :data:`FIGURE_FORMATS`).
    presets
        The presets to return formats for.

    Returns
    -------
    dict
        Preset → tuple of formats, each one of :data:`ALL_FORMATS`; an empty tuple means the
        preset is not drawn.

    Raises
    ------
    ValueError
        For a format other than ``png``, ``pdf`` or ``svg``, or an unknown preset.

    Examples
    --------
    >>> figure_formats()
    {'paper': ('png', 'pdf'), 'slide': ()}
    >>> figure_formats("all", presets=("slide",))
    {'slide': ('png', 'pdf', 'svg')}
    >>> figure_formats("PNG, svg")
    {'paper': ('png', 'svg'), 'slide': ('png', 'svg')}
    >>> figure_formats({"slide": ["png", "svg"]})
    {'paper': ('png', 'pdf'), 'slide': ('png', 'svg')}
    """
    for preset in presets:
        _check_preset(preset)

    def clean(seq: str | Sequence[str], allow_empty: bool = False) -> tuple[str, ...]:
        items = seq.split(",") if isinstance(seq, str) else list(seq)
        out = tuple(dict.fromkeys(str(f).strip().lower().lstrip(".") for f in items if str(f).strip()))
        bad = [f for f in out if f not in ALL_FORMATS]
        if bad or (not out and not allow_empty):
            raise ValueError(
                f"figure formats must be among {', '.join(ALL_FORMATS)} (or 'all', 'default'), not {seq!r}"
            )
        return out

    if formats is None or (isinstance(formats, str) and formats.strip().lower() in ("", "default")):
        return {p: FIGURE_FORMATS.get(p, ALL_FORMATS) for p in presets}
    if isinstance(formats, str) and formats.strip().lower() == "all":
        return {p: ALL_FORMATS for p in presets}
    if isinstance(formats, Mapping):
        unknown = [k for k in formats if k not in PRESETS]
        if unknown:
            raise ValueError(f"unknown preset(s) {unknown} in figure formats; use {sorted(PRESETS)}")
        return {
            p: clean(formats[p], allow_empty=True) if p in formats else FIGURE_FORMATS.get(p, ALL_FORMATS)
            for p in presets
        }
    fmt = clean(formats)
    return {p: fmt for p in presets}


def save_figure(
    fig: Figure,
    name: str,
    *,
    out_dir: str | Path = "reports/figures",
    preset: str | None = None,
    lang: str | None = None,
    formats: Sequence[str] = ("png", "pdf", "svg"),
    dpi: int | None = None,
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
        Resolution of the PNG; default: the preset's (:data:`PRESET_DPI`), else 300.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Notes
    -----
    Bytes are identical across runs on the same matplotlib version and fonts:
    SVG ids use a fixed ``svg.hashsalt`` and ``metadata={"Date": None}``; PDF
    ``metadata`` has no ``CreationDate``, ``ModDate``, ``Creator``,
    ``Producer``; PNG has no ``Software`` entry. PDF fonts are embedded as TrueType
    subsets (``pdf.fonttype`` 42, which publishers accept) without the OpenType layout
    tables no PDF viewer reads (:data:`PDF_DROPPED_FONT_TABLES`). The figure keeps its exact
    size (no ``bbox_inches="tight"``), so slides stay 16:9.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure("slide", "sv")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in save_figure(fig, "x", out_dir=d, formats=("png", "svg"))]
    ['x_slide_sv.png', 'x_slide_sv.svg']
    >>> plt.close(fig)
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
    dpi = int(dpi) if dpi is not None else PRESET_DPI.get(preset, 300)
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
                with _pdf_font_subsetting():
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
    formats: str | Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    dpi: int | None = None,
    **kwargs: Any,
) -> list[Path]:
    """Draw the same figure for each preset (and language) and save every version.

    ``plot_fn(*args, lang=lang, preset=preset, **kwargs)`` must return a
    figure (all plot functions here do). Each figure is drawn inside
    :func:`style_context`, saved with :func:`save_figure` and closed.

    Parameters
    ----------
    plot_fn
        A plot function of the house signature.
    name
        Base name of the files (``{name}_{preset}_{lang}.{ext}``).
    lang
        One language or several.
    presets
        The presets to draw.
    out_dir
        Output folder.
    formats
        Formats per preset (:func:`figure_formats`): default :data:`FIGURE_FORMATS` (PNG and
        PDF of the paper version; a preset without formats is not drawn), ``"all"`` for PNG,
        PDF and SVG of every preset.
    dpi
        Resolution of the PNGs; default: each preset's (:data:`PRESET_DPI`).

    Returns
    -------
    list of pathlib.Path
        All files written (language × preset × format).

    Examples
    --------
    >>> import tempfile
    >>> from iopstudy.figures import plot_coef
    >>> coef = pd.DataFrame({"term": ["x"], "ratio": [2.0], "ratio_ci_low": [1.5], "ratio_ci_high": [2.7]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = figure_pair(plot_coef, "coef", "sv", coef, out_dir=d)
    ...     [p.name for p in paths]
    ['coef_paper_sv.png', 'coef_paper_sv.pdf']
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = figure_pair(plot_coef, "coef", "en", coef, out_dir=d, formats={"slide": ["png"]})
    ...     [p.name for p in paths]
    ['coef_paper_en.png', 'coef_paper_en.pdf', 'coef_slide_en.png']
    """
    langs = [lang] if isinstance(lang, str) else list(lang)
    per_preset = figure_formats(formats, presets)
    paths: list[Path] = []
    for lg in langs:
        for preset in presets:
            if not per_preset[preset]:
                continue
            with style_context(lg, preset):
                fig = plot_fn(*args, lang=lg, preset=preset, **kwargs)
                try:
                    paths += save_figure(
                        fig, name, out_dir=out_dir, preset=preset, lang=lg, formats=per_preset[preset], dpi=dpi
                    )
                finally:
                    plt.close(fig)
    return paths


# --------------------------------------------------------------------------- helpers for plots
def ordered_groups(s: pd.Series) -> list[Any]:
    if isinstance(s.dtype, pd.CategoricalDtype):
        present = set(s.dropna().unique())
        return [c for c in s.cat.categories if c in present]
    return list(pd.unique(s.dropna()))


def group_label_map(
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


def wrap(text: str, preset: str, width: int | None = None) -> str:
    """Wrap long legend labels so they do not squeeze the axes."""
    width = width or (26 if preset == "paper" else 40)
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def finish(fig: Figure, ax: Any, *, title: str | None, notes: list[str]) -> Figure:
    if title:
        ax.set_title(title, loc="left")
    if notes:
        add_note(fig, notes)
    return fig


def level_from(df: pd.DataFrame) -> int:
    return int(df.attrs.get("ci_level", 95))
