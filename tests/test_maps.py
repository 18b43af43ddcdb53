"""Choropleth maps: house arguments, notes, insets, speed, and byte-identical files on rerun."""

from __future__ import annotations


import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from iopstudy.figures import figure_pair
from iopstudy.figures import maps as FM
from iopstudy.labels import label
from iopstudy.reference import load_municipalities


@pytest.fixture(scope="module")
def status() -> pd.DataFrame:
    m = load_municipalities()
    rng = np.random.default_rng(3)
    s = rng.choice(["dated", "undated", "none"], size=len(m), p=[0.08, 0.08, 0.84])
    year = pd.array([int(rng.integers(2011, 2024)) if v == "dated" else None for v in s], dtype="Int64")
    return pd.DataFrame({"kommun_code": m["kommun_code"], "county_code": m["county_code"], "status": s,
                         "first_iop_year": year, "region_agreement": m["county_code"].isin(["03", "12"])})


@pytest.fixture(scope="module")
def lisa(status) -> pd.DataFrame:
    cl = np.where(status["status"] == "dated", "HH", np.where(status["status"] == "undated", "LH", "ns"))
    return pd.DataFrame({"kommun_code": status["kommun_code"], "cluster": cl, "permutations": 999})


def _texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.texts)


def _same_files(a, b):
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes(), f"{x.name} differs between two runs"


@pytest.mark.parametrize(("fn", "data", "lang"), [
    ("plot_status_map", "status", "en"), ("plot_first_year_map", "status", "sv"), ("plot_lisa_map", "lisa", "en"),
])
def test_maps_are_byte_identical_on_rerun(fn, data, lang, request, tmp_path):
    df = request.getfixturevalue(data)
    plot = getattr(FM, fn)
    formats = "all" if fn == "plot_status_map" else None  # every format once; the paper version of the others
    a = figure_pair(plot, "m", lang, df, out_dir=tmp_path / "a", note="Partial register", formats=formats)
    b = figure_pair(plot, "m", lang, df, out_dir=tmp_path / "b", note="Partial register", formats=formats)
    if formats == "all":
        assert len(a) == 6  # paper and slide, PNG, PDF and SVG
        assert {p.suffix for p in a} == {".png", ".pdf", ".svg"}
        assert {p.name.split("_")[1] for p in a} == {"paper", "slide"}
    else:
        assert [p.name for p in a] == [f"m_paper_{lang}.png", f"m_paper_{lang}.pdf"]
    _same_files(a, b)


def test_the_adoption_curve_is_byte_identical_on_rerun(tmp_path):
    d = pd.DataFrame({"series": ["register_dated"] * 3 + ["register_found", "published"],
                      "x": [2011.0, 2012.0, 2013.0, 2013.0, 2024.23], "count": [1, 3, 4, 9, 77],
                      "count_text": ["1", "3", "4", "9", "77"]})
    a = figure_pair(FM.plot_municipal_adoption, "c", "sv", d, out_dir=tmp_path / "a")
    b = figure_pair(FM.plot_municipal_adoption, "c", "sv", d, out_dir=tmp_path / "b")
    _same_files(a, b)


def test_every_map_carries_the_partial_register_note(status, lisa):
    for fig in (FM.plot_status_map(status), FM.plot_first_year_map(status, "sv"), FM.plot_lisa_map(lisa)):
        lang = "sv" if "Infällda" in _texts(fig) else "en"
        assert label("note_partial_data", lang) in _texts(fig)
        plt.close(fig)
    fig = FM.plot_status_map(status, note="Partial register: 9 agreements")
    assert "Partial register: 9 agreements" in _texts(fig)
    plt.close(fig)


def test_status_map_has_insets_legend_counts_and_hatched_regions(status):
    fig = FM.plot_status_map(status, "en", title="T")
    main, *insets, legend_ax = fig.axes
    assert [a.get_title(loc="left") for a in insets] == ["Stockholm", "Göteborg", "Malmö"]
    texts = [t.get_text() for t in legend_ax.get_legend().get_texts()]
    n = status["status"].value_counts()
    assert texts[0].endswith(f"({n['dated']})") and texts[2].endswith(f"({n['none']})")
    assert any(c.get_hatch() for c in main.collections)  # the counties with a region-level agreement
    assert not any(c.get_hatch() for a in insets for c in a.collections)
    assert len(main.patches) == 3  # the inset frames
    plt.close(fig)
    none = FM.plot_status_map(status.assign(region_agreement=False))
    assert not any(c.get_hatch() for c in none.axes[0].collections)
    plt.close(none)


def test_maps_draw_on_a_given_axes_and_check_their_input(status, lisa):
    fig, ax = plt.subplots()
    out = FM.plot_lisa_map(lisa, ax=ax, insets=True)
    assert out is fig and len(ax.child_axes) == 3
    plt.close(fig)
    with pytest.raises(ValueError, match="status must be one of"):
        FM.plot_status_map(status.assign(status="maybe"))
    with pytest.raises(ValueError, match="one row per municipality"):
        FM.plot_lisa_map(pd.concat([lisa, lisa]))


def test_drawing_a_map_again_reuses_the_polygons(status):
    """The polygons are simplified and turned into paths once per process: a second map of
    each preset builds none (its speed is measured by benchmarks/run.py, not here)."""
    def draw_both():
        for preset in ("paper", "slide"):
            fig = FM.plot_status_map(status, preset=preset)
            fig.canvas.draw()
            plt.close(fig)

    draw_both()
    built = (FM._geometry.cache_info().misses, FM._paths.cache_info().misses)
    hits = FM._paths.cache_info().hits
    draw_both()
    assert (FM._geometry.cache_info().misses, FM._paths.cache_info().misses) == built
    assert FM._paths.cache_info().hits >= hits + 2