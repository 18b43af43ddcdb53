"""Maps of the 290 municipalities in the house style, and the municipal adoption curve.

=========================  ==============================================================
plot_status_map            dated adopter / undated adopter / no agreement found, with the
                           counties whose region has a found agreement hatched
plot_first_year_map        the year of each municipality's first dated IOP
plot_lisa_map              local clusters (LISA): HH, LL, HL, LH, not significant
plot_municipal_adoption    the register's adoption curve in municipalities beside the
                           published count of municipalities
=========================  ==============================================================

Each map takes a tidy table with ``kommun_code`` and the house arguments ``lang``, ``preset``
(``"paper"`` or 16:9 ``"slide"``), ``ax``, ``note`` and ``title``, so
:func:`~iopstudy.figures.base.figure_pair` saves byte-identical PNG, PDF and SVG files. The
polygons come from :func:`iopstudy.reference.geography.municipality_map`, projected to
SWEREF 99 TM and simplified once per process (:data:`MAP_TOLERANCE` metres for the national
map, the shipped polygons for the insets). Stockholm, Göteborg and Malmö are too small at
national scale: each map has an inset of each city with the municipalities bordering it
(:data:`METRO_CODES`, extents from the contiguity table, not drawn by hand). Every map
carries the partial-register note: a municipality without a found agreement may have one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from iopstudy.figures.base import (
    OKABE_ITO,
    PRESETS,
    NumberFormatter,
    add_note,
    apply_number_format,
    finish,
    note_text,
    start,
    style_rc,
    wrap,
)
from iopstudy.labels import check_lang, label
from iopstudy.reference.geography import (
    MAP_TOLERANCE,  # metres, the national map's simplification
)

__all__ = [
    "LISA_COLOURS",
    "MAP_TOLERANCE",
    "METRO_CODES",
    "STATUS_COLOURS",
    "plot_first_year_map",
    "plot_lisa_map",
    "plot_municipal_adoption",
    "plot_status_map",
]

#: The three large cities (SCB codes) shown in insets with their bordering municipalities.
METRO_CODES: tuple[str, ...] = ("0180", "1480", "1280")

#: Fill colours of the adoption status (Okabe–Ito blue and sky blue; light grey for none).
STATUS_COLOURS: dict[str, str] = {"dated": OKABE_ITO[0], "undated": OKABE_ITO[5], "none": "#EBEBEB"}

#: Fill colours of the LISA clusters (GeoDa's conventional red/blue scheme).
LISA_COLOURS: dict[str, str] = {"HH": "#D7191C", "LL": "#2C7BB6", "HL": "#FDAE61", "LH": "#ABD9E9",
                                "ns": "#EBEBEB"}

_REGION_COLOUR = OKABE_ITO[1]  # vermillion hatching of counties with a region-level agreement
_HATCH = "///"
_EDGE = "#FFFFFF"
_UNDATED_GREY = "#A6A6A6"
_COUNTY_EDGE = "#7A7A7A"


# --------------------------------------------------------------------------- geometry (cached)
@lru_cache(maxsize=4)
def _geometry(tolerance: float) -> tuple[Any, Any]:
    """Municipal and county polygons, simplified once per tolerance (cached per process)."""
    from iopstudy.reference.geography import county_map, municipality_map

    m = municipality_map(tolerance=tolerance)[["kommun_code", "kommun_name", "county_code", "geometry"]]
    c = county_map(tolerance=tolerance)[["county_code", "geometry"]]
    return m, c


@lru_cache(maxsize=4)
def _paths(tolerance: float) -> tuple[tuple[Any, ...], tuple[Any, ...], np.ndarray]:
    """Matplotlib paths of the municipalities and counties (cached) and the municipal bounds.

    Drawing prebuilt paths as one collection per layer is much faster than a GeoDataFrame
    ``plot`` call per layer and axes (each of which redraws the whole figure on Agg).
    """
    from shapely.plotting import patch_from_polygon

    m, c = _geometry(tolerance)
    mp = tuple(patch_from_polygon(g).get_path() for g in m.geometry)
    cp = tuple(patch_from_polygon(g).get_path() for g in c.geometry)
    return mp, cp, np.asarray(m.geometry.bounds.to_numpy(), dtype=float)


@lru_cache(maxsize=1)
def _inset_extents() -> tuple[tuple[str, str, tuple[float, float, float, float]], ...]:
    """(code, name, (xmin, ymin, xmax, ymax)) of each metro inset: the city and its border neighbours."""
    from iopstudy.reference.geography import contiguity

    m, _ = _geometry(0.0)
    pairs = contiguity()
    out = []
    for code in METRO_CODES:
        near = pairs.loc[(pairs["kommun_code"] == code) & (pairs["kind"] == "border"), "neighbour_code"]
        sel = m[m["kommun_code"].isin([code, *near])]
        x0, y0, x1, y1 = sel.total_bounds
        pad = 0.04 * max(x1 - x0, y1 - y0)
        name = str(m.loc[m["kommun_code"] == code, "kommun_name"].iloc[0])
        out.append((code, name, (x0 - pad, y0 - pad, x1 + pad, y1 + pad)))
    return tuple(out)


# --------------------------------------------------------------------------- drawing
def _lw(preset: str) -> dict[str, float]:
    s = 2.0 if preset == "slide" else 1.0
    return {"muni": 0.15 * s, "muni_inset": 0.5 * s, "county": 0.45 * s, "region": 0.9 * s, "hatch": 0.35 * s,
            "box": 0.6 * s}


def _layout(ax: Any, preset: str, lang: str, insets: bool, notes: list[str], title: str | None
            ) -> tuple[Figure, Any, list[Any], Any]:
    """The main map axes, the inset axes and the legend axes (None: legend beside the map).

    A new figure gets a fixed layout (no layout engine): the national map on the left, the
    insets and the legend in a 2 x 2 grid on the right, the note below. Constrained layout
    is not used for maps: with several fixed-aspect axes its solution varies in the last
    bits from run to run, which breaks byte-identical files.
    """
    if ax is not None:
        fig, ax = start(ax, preset, lang)
        subs = [ax.inset_axes([0.64, 0.02 + 0.26 * i, 0.36, 0.24]) for i in range(len(METRO_CODES))] if insets else []
        return fig, ax, subs, None
    import matplotlib.pyplot as plt
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    with mpl.rc_context(style_rc(preset)):
        fig = plt.figure(figsize=PRESETS[preset], layout="none")
    note = add_note(fig, notes)
    # an explicit "no layout" engine: with none at all, savefig restores "None", which the house
    # style's rcParams turn into constrained layout for the next save
    fig.set_layout_engine(PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=False))
    h_in = fig.get_figheight()
    fs = float(mpl.rcParams["font.size"])
    bottom = 0.02
    if note is not None:
        n_lines = note.get_text().count("\n") + 1
        size = float(note.get_fontsize())
        bottom = (n_lines * size * 1.3 + size * 1.4) / 72 / h_in
    top = 1.0 - (fs * 2.0 / 72 / h_in if title else 0.02)
    height = top - bottom
    if not insets:
        main = fig.add_axes((0.01, bottom, 0.45, height))
        leg = fig.add_axes((0.5, bottom, 0.48, height))
        leg.set_axis_off()
        start(main, preset, lang)  # tags the figure with its preset and language
        return fig, main, [], leg
    t_room = fs * 1.5 / 72 / h_in  # room for an inset's title
    gap = 0.03
    cell_h = (height - 2 * t_room - gap) / 2
    x0, gx, w = 0.31, 0.02, (0.99 - 0.31 - 0.02) / 2
    y_top, y_bottom = bottom + cell_h + gap + t_room, bottom
    main = fig.add_axes((0.005, bottom, 0.29, height))
    subs = [fig.add_axes((x0, y_top, w, cell_h)), fig.add_axes((x0 + w + gx, y_top, w, cell_h)),
            fig.add_axes((x0, y_bottom, w, cell_h))]
    leg = fig.add_axes((x0 + w + gx, y_bottom, w, cell_h + t_room))
    leg.set_axis_off()
    start(main, preset, lang)  # tags the figure with its preset and language
    return fig, main, subs, leg


def _draw(ax: Any, tolerance: float, colours: Sequence[str], hatch_counties: Sequence[str], preset: str,
          extent: tuple[float, float, float, float] | None = None) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path

    lw = _lw(preset)
    cached_m, cached_c, bounds = _paths(tolerance)
    # fresh Path objects per figure: matplotlib keeps state on a drawn Path, and a path shared
    # between figures shifts the layout in the last bits, which breaks byte-identical files
    mpaths = [Path(q.vertices, q.codes) for q in cached_m]
    cpaths = [Path(q.vertices, q.codes) for q in cached_c]
    munis, counties = _geometry(tolerance)
    keep = np.ones(len(mpaths), dtype=bool)
    if extent is not None:
        x0, y0, x1, y1 = extent
        keep = (bounds[:, 2] >= x0) & (bounds[:, 0] <= x1) & (bounds[:, 3] >= y0) & (bounds[:, 1] <= y1)
    idx = np.flatnonzero(keep)
    ax.add_collection(PathCollection([mpaths[i] for i in idx], facecolors=[colours[i] for i in idx],
                                     edgecolors=_EDGE, linewidths=lw["muni" if extent is None else "muni_inset"]),
                      autolim=False)
    ax.add_collection(PathCollection(list(cpaths), facecolors="none", edgecolors=_COUNTY_EDGE,
                                     linewidths=lw["county"]), autolim=False)
    hatched = [cpaths[i] for i, c in enumerate(counties["county_code"]) if c in set(hatch_counties)]
    if hatched:
        with mpl.rc_context({"hatch.color": _REGION_COLOUR, "hatch.linewidth": lw["hatch"]}):
            ax.add_collection(PathCollection(hatched, facecolors="none", edgecolors=_REGION_COLOUR, hatch=_HATCH,
                                             linewidths=lw["region"]), autolim=False)
    x0, y0, x1, y1 = extent if extent is not None else munis.total_bounds
    if extent is None:
        pad = 0.01 * (y1 - y0)
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(extent is not None)
        s.set_linewidth(lw["box"])
        s.set_color("#444444")


def _map(
    colour_of: Mapping[str, str],
    handles: list[Any],
    lang: str,
    preset: str,
    ax: Any,
    note: Any,
    title: str | None,
    *,
    legend_title: str | None,
    hatch_counties: Sequence[str] = (),
    insets: bool = True,
    extra_notes: Sequence[str] = (),
    colorbar: Any = None,
) -> Figure:
    """Draw the national map with insets; ``colour_of`` maps kommun_code -> fill colour."""
    check_lang(lang)
    # load (and cache) every polygon and the inset extents before the figure exists: the first
    # load imports geopandas and libpysal, which must not happen half-way through a layout
    _paths(MAP_TOLERANCE)
    if insets:
        _paths(0.0)
        _inset_extents()
    names = [name for _, name, _ in _inset_extents()] if insets else []
    notes = note_text(note) or [label("note_partial_data", lang)]
    if names:
        notes.append(label("note_insets", lang, names=", ".join(names)))
    notes += [n for n in extra_notes if n]
    fig, main, subs, leg = _layout(ax, preset, lang, insets, notes, title)
    munis, _ = _geometry(MAP_TOLERANCE)
    colours = [colour_of.get(c, STATUS_COLOURS["none"]) for c in munis["kommun_code"]]
    _draw(main, MAP_TOLERANCE, colours, hatch_counties, preset)
    lw = _lw(preset)
    if subs:
        fine_m, _ = _geometry(0.0)
        fine_colours = [colour_of.get(c, STATUS_COLOURS["none"]) for c in fine_m["kommun_code"]]
        fs = 0.85 * float(mpl.rcParams["font.size"])
        for sub, (_, name, ext) in zip(subs, _inset_extents()):
            _draw(sub, 0.0, fine_colours, (), preset, ext)  # the national map shows the regions
            sub.set_title(name, fontsize=fs, loc="left", pad=2)
            main.add_patch(Rectangle((ext[0], ext[1]), ext[2] - ext[0], ext[3] - ext[1], fill=False,
                                     edgecolor="#222222", linewidth=lw["box"], zorder=5))
    host = leg if leg is not None else main
    if colorbar is not None:
        colorbar(fig, host)
    if handles:
        kw = {"loc": "upper left", "frameon": False, "handlelength": 1.4, "handleheight": 1.1, "borderaxespad": 0.0}
        if leg is None:
            kw.update(loc="upper left", bbox_to_anchor=(1.02, 1.0))
        if colorbar is not None and leg is not None:
            kw.update(loc="lower left")
        lg = host.legend(handles=handles, title=wrap(legend_title, preset, 30) if legend_title else None, **kw)
        lg.set_alignment("left")
    if ax is not None:
        return finish(fig, main, title=title, notes=notes)
    return finish(fig, main, title=title, notes=[])  # the note is already placed


def _patch(colour: str, text: str, preset: str, **kw: Any) -> Patch:
    return Patch(facecolor=colour, edgecolor=kw.pop("edgecolor", "#BBBBBB"), linewidth=0.5,
                 label=wrap(text, preset, 30), **kw)


def _region_patch(preset: str, lang: str) -> Patch:
    return Patch(facecolor="white", edgecolor=_REGION_COLOUR, hatch=_HATCH, linewidth=_lw(preset)["region"],
                 label=wrap(label("map.region_agreement", lang), preset, 30))


def _by_code(data: pd.DataFrame, column: str, where: str) -> pd.Series:
    for c in ("kommun_code", column):
        if c not in data.columns:
            raise ValueError(f"{where}: the data need a column {c!r}")
    if data["kommun_code"].duplicated().any():
        raise ValueError(f"{where}: one row per municipality expected")
    return data.set_index(data["kommun_code"].astype(str))[column]


# --------------------------------------------------------------------------- maps
def plot_status_map(
    status_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    region_counties: Sequence[str] | None = None,
    insets: bool = True,
) -> Figure:
    """Map of each municipality's status: dated adopter, undated adopter, no agreement found.

    Parameters
    ----------
    status_df
        :func:`iopstudy.spread.spatial.adoption_status`: ``kommun_code``, ``status``
        (``dated``, ``undated``, ``none``) and ``region_agreement``/``county_code``.
    lang, preset, ax, note, title
        The house arguments (``note`` defaults to the partial-data note).
    region_counties
        Counties to hatch (a region-level agreement was found); default: the counties of the
        rows with ``region_agreement``.
    insets
        Draw the Stockholm, Göteborg and Malmö insets.

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.reference import load_municipalities
    >>> m = load_municipalities()
    >>> st = pd.DataFrame({"kommun_code": m.kommun_code, "status": "none", "county_code": m.county_code,
    ...                    "region_agreement": False})
    >>> fig = plot_status_map(st)
    >>> len(fig.axes)
    5
    """
    status = _by_code(status_df, "status", "plot_status_map").astype(str)
    if not set(status) <= set(STATUS_COLOURS):
        raise ValueError(f"plot_status_map: status must be one of {sorted(STATUS_COLOURS)}; found {sorted(set(status))}")
    if region_counties is None and {"region_agreement", "county_code"} <= set(status_df.columns):
        rc = status_df.loc[status_df["region_agreement"].astype(bool), "county_code"]
        region_counties = sorted(set(rc.astype(str)))
    counts = status.value_counts()
    handles = [_patch(STATUS_COLOURS[s], f"{label('map.status.' + s, lang)} ({int(counts.get(s, 0))})", preset)
               for s in STATUS_COLOURS]
    if region_counties:
        handles.append(_region_patch(preset, lang))
    colour_of = {k: STATUS_COLOURS[v] for k, v in status.items()}
    return _map(colour_of, handles, lang, preset, ax, note, title, legend_title=label("map.status", lang),
                hatch_counties=region_counties or (), insets=insets)


def plot_first_year_map(
    status_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    cmap: str = "viridis",
    insets: bool = True,
) -> Figure:
    """Map of the year of each municipality's first dated IOP (undated adopters shown apart).

    Parameters
    ----------
    status_df
        :func:`iopstudy.spread.spatial.adoption_status` (``kommun_code``, ``status``,
        ``first_iop_year``).
    cmap
        Colour map of the years (earliest dark).

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.reference import load_municipalities
    >>> m = load_municipalities()
    >>> st = pd.DataFrame({"kommun_code": m.kommun_code, "status": ["dated"] + ["none"] * 289,
    ...                    "first_iop_year": pd.array([2015] + [None] * 289, dtype="Int64")})
    >>> len(plot_first_year_map(st).axes)
    5
    """
    import matplotlib.colors as mcolors

    status = _by_code(status_df, "status", "plot_first_year_map").astype(str)
    year = pd.to_numeric(_by_code(status_df, "first_iop_year", "plot_first_year_map")).astype("float64")
    dated = year.dropna()
    undated = _UNDATED_GREY
    colour_of = {k: undated if v == "undated" else STATUS_COLOURS["none"] for k, v in status.items()}
    handles = [_patch(undated, label("map.status.undated", lang), preset),
               _patch(STATUS_COLOURS["none"], label("map.status.none", lang), preset)]
    bar = None
    if len(dated):
        lo, hi = int(dated.min()), int(dated.max())
        bounds = np.arange(lo - 0.5, hi + 1.5)
        n = len(bounds) - 1
        cm = mcolors.ListedColormap(mpl.colormaps[cmap](np.linspace(0.0, 0.85, max(n, 2)))[:n])
        norm = mcolors.BoundaryNorm(bounds, cm.N)
        for k, v in dated.items():
            colour_of[k] = mcolors.to_hex(cm(norm(v)))
        step = max(1, -(-(hi - lo + 1) // 6))

        def bar(fig: Figure, host: Any) -> None:
            cax = host.inset_axes([0.0, 0.42, 0.1, 0.5] if not host.axison else [1.03, 0.5, 0.04, 0.45])
            sm = mpl.cm.ScalarMappable(norm=norm, cmap=cm)
            cb = fig.colorbar(sm, cax=cax, ticks=list(range(lo, hi + 1, step)))
            cb.minorticks_off()
            cb.ax.tick_params(labelsize=0.8 * float(mpl.rcParams["font.size"]), length=2)
            cb.ax.yaxis.set_major_formatter(NumberFormatter(lang, decimals=0, thousands=False))
            cb.outline.set_linewidth(0.4)
            cb.ax.set_title(wrap(label("map.first_year", lang), preset, 26), loc="left",
                            fontsize=0.85 * float(mpl.rcParams["font.size"]))

    return _map(colour_of, handles, lang, preset, ax, note, title, legend_title=None, insets=insets,
                colorbar=bar)


def plot_lisa_map(
    lisa_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
    alpha: float = 0.05,
    permutations: int | None = None,
    insets: bool = True,
) -> Figure:
    """Map of local clusters: :func:`iopstudy.spread.spatial.local_clusters` (``cluster``).

    Parameters
    ----------
    lisa_df
        ``kommun_code`` and ``cluster`` (``HH``, ``LL``, ``HL``, ``LH``, ``ns``); ``permutations``
        is read from the column of that name when not given.
    alpha
        The significance level used, for the note.

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.reference import load_municipalities
    >>> m = load_municipalities()
    >>> lisa = pd.DataFrame({"kommun_code": m.kommun_code, "cluster": ["HH"] + ["ns"] * 289})
    >>> len(plot_lisa_map(lisa).axes)
    5
    """
    cl = _by_code(lisa_df, "cluster", "plot_lisa_map").astype(str)
    if not set(cl) <= set(LISA_COLOURS):
        raise ValueError(f"plot_lisa_map: cluster must be one of {sorted(LISA_COLOURS)}; found {sorted(set(cl))}")
    counts = cl.value_counts()
    handles = [_patch(LISA_COLOURS[q], f"{label('map.lisa.' + q, lang)} ({int(counts.get(q, 0))})", preset)
               for q in LISA_COLOURS]
    if permutations is None and "permutations" in lisa_df.columns:
        permutations = int(lisa_df["permutations"].iloc[0])
    extra = [label("note_lisa", lang, alpha=str(alpha).replace(".", "," if lang == "sv" else "."),
                   permutations=str(permutations or ""))]
    return _map({k: LISA_COLOURS[v] for k, v in cl.items()}, handles, lang, preset, ax, note, title,
                legend_title=label("map.lisa", lang), insets=insets, extra_notes=extra)


# --------------------------------------------------------------------------- the adoption curve
def plot_municipal_adoption(
    counts_df: pd.DataFrame,
    lang: str = "en",
    *,
    preset: str = "paper",
    ax: Any = None,
    note: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Municipalities with a found IOP over time, beside published counts of municipalities.

    Parameters
    ----------
    counts_df
        :func:`iopstudy.spread.diffusion.municipal_adoption_counts`: ``series``
        (``register_dated``, ``register_found``, ``published``), ``x`` (decimal year),
        ``count``, ``count_text``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"series": ["register_dated"] * 2 + ["register_found"], "x": [2011.0, 2012.0, 2012.0],
    ...                   "count": [0, 1, 2], "count_text": ["0", "1", "2"]})
    >>> plot_municipal_adoption(d).axes[0].get_ylabel()
    'Number of municipalities'
    """
    check_lang(lang)
    fig, ax = start(ax, preset, lang)
    df = counts_df
    ms = float(mpl.rcParams["lines.markersize"])
    fs = 0.8 * float(mpl.rcParams["font.size"])
    reg = df[df["series"] == "register_dated"].sort_values("x")
    if len(reg):
        ax.step(reg["x"], reg["count"], where="post", color=OKABE_ITO[0], label=wrap(label("series.register_dated", lang),
                preset, 34))
    found = df[df["series"] == "register_found"]
    if len(found):
        ax.plot(found["x"], found["count"], linestyle="none", marker="s", markersize=ms * 1.3, color=OKABE_ITO[5],
                label=wrap(label("series.register_found", lang), preset, 34))
    pub = df[df["series"] == "published"]
    if len(pub):
        ax.plot(pub["x"], pub["count"], linestyle="none", marker="D", markersize=ms * 1.4, color=OKABE_ITO[1],
                label=wrap(label("series.published", lang), preset, 34))
    for _, r in pd.concat([found, pub]).iterrows():
        ax.annotate(str(r["count_text"]), (r["x"], r["count"]), xytext=(5, 3), textcoords="offset points",
                    fontsize=fs, color="#444444")
    top = float(df["count"].max()) if len(df) else 1.0
    ax.set_ylim(0, max(1.0, top) * 1.15)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(label("n_municipalities", lang))
    apply_number_format(ax, lang, x="year", y="integer")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return finish(fig, ax, title=title, notes=note_text(note) or [label("note_partial_data", lang)])
