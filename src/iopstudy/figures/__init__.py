"""Figures in the house style: one skeleton (:mod:`~iopstudy.figures.base`) for every plot.

Every plot function takes a tidy DataFrame and ``lang``, ``preset`` (``"paper"`` or
``"slide"``), ``ax``, ``note`` and ``title``, so :func:`figure_pair` and :func:`export_figure`
can draw it for paper and 16:9 slides, in Swedish or English, and save byte-identical PNG,
PDF and SVG files (by default PNG and PDF of the paper version and PNG of the slide:
:data:`FIGURE_FORMATS`; ``formats="all"`` for all three of both). Plots of the register are in :mod:`~iopstudy.figures.register`, of the
spread models in :mod:`~iopstudy.figures.spread`, of the interviews in
:mod:`~iopstudy.figures.interviews`; the maps of the 290 municipalities are in
:mod:`~iopstudy.figures.maps`.
"""

from __future__ import annotations

from iopstudy.figures.base import (
    PRESETS,
    PRESET_DPI,
    FIGURE_FORMATS,
    ALL_FORMATS,
    figure_formats,
    FONT_SIZES,
    OKABE_ITO,
    SVG_HASHSALT,
    set_style,
    style_context,
    style_rc,
    new_figure,
    NumberFormatter,
    apply_number_format,
    add_note,
    save_figure,
    figure_pair,
)
from iopstudy.figures.spread import (
    plot_adoption_curve,
    plot_published_counts,
    plot_km,
    plot_composition,
    plot_coef,
)
from iopstudy.figures.register import (
    FIGURE_EXPORT,
    export_figure,
    plot_bar_counts,
    plot_year_counts,
    plot_coverage_by_county,
    plot_group_shares,
)
from iopstudy.figures.maps import (
    plot_status_map,
    plot_first_year_map,
    plot_lisa_map,
    plot_municipal_adoption,
)
from iopstudy.figures.interviews import (
    plot_code_frequencies,
    plot_cooccurrence,
)

__all__ = [
    "PRESETS",
    "PRESET_DPI",
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
    "plot_adoption_curve",
    "plot_published_counts",
    "plot_km",
    "plot_composition",
    "plot_coef",
    "FIGURE_EXPORT",
    "export_figure",
    "plot_bar_counts",
    "plot_year_counts",
    "plot_coverage_by_county",
    "plot_group_shares",
    "plot_status_map",
    "plot_first_year_map",
    "plot_lisa_map",
    "plot_municipal_adoption",
    "plot_code_frequencies",
    "plot_cooccurrence",
]
