"""Tests of iopstudy.figures and iopstudy.labels: deterministic export, language formats."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display in tests

import struct
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from iopstudy import figures as F
from iopstudy import spread as S
from iopstudy.labels import LABELS, category_labels, label

ROOT = Path(__file__).resolve().parents[1]
COUNTS = ROOT / "data" / "raw" / "literature" / "iop_published_counts.csv"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _curve() -> pd.DataFrame:
    rows = []
    for g, base in (("A", 0.1), ("B", 0.05), ("C", 0.02)):
        for i, y in enumerate(range(2010, 2024)):
            n = {"A": 46, "B": 108, "C": 136}[g]
            k = int(round(n * min(0.9, base * (1 + 0.25 * i))))
            rows.append((y, g, n, k))
    df = pd.DataFrame(rows, columns=["year", "group", "n_units", "n_adopted"])
    ci = S.wilson_ci(df["n_adopted"], df["n_units"])
    df["share"], df["ci_low"], df["ci_high"] = ci["share"], ci["ci_low"], ci["ci_high"]
    df["definition"] = "ever_adopted_by_year"
    df["group"] = pd.Categorical(df["group"], categories=list("ABC"), ordered=True)
    return df


def _coef() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": ["Intercept", "log_population", "skr_main_group[T.B]", "skr_main_group[T.C]"],
            "estimate": [-3.0, 0.7, -0.5, np.log(0.2)],
            "ratio": [np.nan, 2.0, 0.6, 0.2],
            "ratio_ci_low": [np.nan, 1.5, 0.3, 0.1],
            "ratio_ci_high": [np.nan, 2.8, 1.2, np.inf],
        }
    )


def _png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    return struct.unpack(">II", head[16:24])


def _png_text_chunks(path: Path) -> list[bytes]:
    data = path.read_bytes()
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return chunks


# --------------------------------------------------------------------------- determinism
def test_save_figure_twice_is_byte_identical_all_presets_and_languages(tmp_path):
    note = label("note_partial_register", "en", n=80)
    a = F.figure_pair(F.plot_adoption_curve, "curve", ("en", "sv"), _curve(),
                      group_labels="skr_main_group", note=note, out_dir=tmp_path / "a", formats="all")
    b = F.figure_pair(F.plot_adoption_curve, "curve", ("en", "sv"), _curve(),
                      group_labels="skr_main_group", note=note, out_dir=tmp_path / "b", formats="all")
    names = sorted(p.name for p in a)
    assert names == sorted(
        f"curve_{preset}_{lang}.{ext}"
        for preset in ("paper", "slide") for lang in ("en", "sv") for ext in ("png", "pdf", "svg")
    )
    for pa, pb in zip(a, b):
        assert pa.name == pb.name
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    # no dates or software versions in the files
    for p in a:
        raw = p.read_bytes()
        if p.suffix == ".pdf":
            assert b"CreationDate" not in raw and b"ModDate" not in raw and b"Producer" not in raw
        if p.suffix == ".svg":
            assert b"<dc:date>" not in raw
        if p.suffix == ".png":
            assert not any(c.startswith(b"Software") for c in _png_text_chunks(p))


def test_presets_give_paper_size_at_300_dpi_and_16_9_slides_beyond_full_hd(tmp_path):
    paths = F.figure_pair(F.plot_coef, "coef", "en", _coef(), out_dir=tmp_path, formats=("png",))
    sizes = {p.name: _png_size(p) for p in paths}
    w, h = sizes["coef_paper_en.png"]
    assert (w, h) == (round(6.3 * 300), round(3.9 * 300))
    w, h = sizes["coef_slide_en.png"]
    assert abs(w / h - 16 / 9) < 0.01 and w >= 1920 and h >= 1080  # 150 dpi: 2000 x 1125
    again = F.figure_pair(F.plot_coef, "coef", "en", _coef(), out_dir=tmp_path / "hi", formats=("png",), dpi=300)
    assert _png_size(again[1])[0] >= 3990  # an explicit dpi still wins


def test_save_figure_other_plots_are_deterministic(tmp_path):
    counts = pd.read_csv(COUNTS, dtype={"date": str})
    km = pd.DataFrame(
        {"group": ["x"] * 4, "time": [0.0, 1.0, 2.0, 3.0], "n_at_risk": [10, 10, 8, 5],
         "n_events": [0, 2, 3, 1], "n_censored": [0, 0, 0, 4], "survival": [1.0, 0.8, 0.5, 0.4],
         "ci_low": [1.0, 0.6, 0.3, 0.2], "ci_high": [1.0, 0.9, 0.7, 0.6]}
    )
    comp = pd.DataFrame({"group": ["kommun"] * 3 + ["region"] * 2,
                         "area": ["violence", "culture", "health", "health", "violence"],
                         "count": [5, 3, 1, 2, 1]})
    for fn, data, kw in (
        (F.plot_published_counts, counts, {}),
        (F.plot_km, km, {}),
        (F.plot_composition, comp, {"area_labels": {"violence": {"en": "Violence", "sv": "Våld"}}}),
    ):
        for run in ("a", "b"):
            fig = fn(data, "sv", preset="paper", note="Illustrativa data", **kw)
            F.save_figure(fig, fn.__name__, out_dir=tmp_path / run)
        for ext in ("png", "pdf", "svg"):
            name = f"{fn.__name__}_paper_sv.{ext}"
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def _pdf_fonts(path: Path) -> list:
    """The TrueType fonts embedded in a PDF (its FontFile2 streams), loaded with fontTools."""
    import io
    import re
    import zlib

    from fontTools.ttLib import TTFont

    raw = path.read_bytes()
    fonts = []
    for ref in re.findall(rb"/FontFile2 (\d+) 0 R", raw):
        obj = re.search(rb"\n" + ref + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", raw, re.S)
        length = int(re.search(rb"/Length (\d+)", obj.group(1)).group(1))
        data = raw[obj.end(): obj.end() + length]
        fonts.append(TTFont(io.BytesIO(zlib.decompress(data) if b"FlateDecode" in obj.group(1) else data)))
    return fonts


def test_pdf_embeds_truetype_subsets_without_layout_tables(tmp_path):
    """Type 42 (TrueType) fonts, subset to the glyphs used, without the tables no PDF viewer reads."""
    fig = F.plot_adoption_curve(_curve(), "sv", group_labels="skr_main_group", preset="paper",
                                note="Åtta kommuner är illustrativa")
    (pdf,) = F.save_figure(fig, "curve", out_dir=tmp_path, formats=("pdf",))
    plt.close(fig)
    raw = pdf.read_bytes()
    assert b"/Subtype /Type3" not in raw and b"/CIDFontType2" in raw
    fonts = _pdf_fonts(pdf)
    assert fonts, "no embedded TrueType font"
    for font in fonts:
        tables = set(font.keys())
        assert {"glyf", "loca", "head", "hhea", "hmtx", "maxp"} <= tables
        assert not tables & set(F.base.PDF_DROPPED_FONT_TABLES), sorted(tables)
        assert 3 < font["maxp"].numGlyphs < 200  # a subset, not the whole DejaVu Sans
    # outside save_figure fontTools keeps its own defaults
    from fontTools.subset import Options

    assert "GSUB" not in Options().drop_tables


# --------------------------------------------------------------------------- language formats
def _ticks(ax, axis="y") -> list[str]:
    ax.figure.canvas.draw()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels if t.get_text()]


def test_swedish_tick_labels_use_decimal_comma():
    fig, ax = F.new_figure("paper", "sv")
    ax.plot([0, 1, 2], [0.0, 0.25, 0.5])
    F.apply_number_format(ax, "sv", x=None, y="number")
    ticks = _ticks(ax)
    assert any("," in t for t in ticks), ticks
    assert not any("." in t for t in ticks), ticks
    fig, ax = F.new_figure("paper", "en")
    ax.plot([0, 1, 2], [0.0, 0.25, 0.5])
    F.apply_number_format(ax, "en", x=None, y="number")
    assert any("." in t for t in _ticks(ax))


def test_swedish_thousands_percent_and_years_on_axes():
    fig, ax = F.new_figure("paper", "sv")
    ax.plot([2010, 2024], [0, 25000])
    F.apply_number_format(ax, "sv", x="year", y="number")
    ticks_y = _ticks(ax)
    assert any("\u00a0" in t for t in ticks_y) and not any("," in t for t in ticks_y)
    ticks_x = _ticks(ax, "x")
    assert "2010" in ticks_x and not any("\u00a0" in t for t in ticks_x)
    fig = F.plot_adoption_curve(_curve(), "sv")
    ticks = _ticks(fig.axes[0])
    assert all(t.endswith("\u00a0%") for t in ticks), ticks


def test_forest_plot_log_axis_in_swedish():
    fig = F.plot_coef(_coef(), "sv", note="Ofullständigt register")
    ticks = _ticks(fig.axes[0], "x")
    assert "0,2" in ticks or "0,5" in ticks, ticks
    assert "1" in ticks
    # the infinite upper bound is cut at the axis edge, not drawn to infinity
    assert np.isfinite(fig.axes[0].get_xlim()).all()
    assert len(fig.axes[0].get_yticklabels()) == 3  # intercept left out


def test_published_counts_are_points_not_lines_with_note():
    counts = pd.read_csv(COUNTS, dtype={"date": str})
    fig = F.plot_published_counts(counts, "en")
    ax = fig.axes[0]
    assert ax.lines and all(line.get_linestyle() in ("None", "none", "") for line in ax.lines)
    texts = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    assert "not one time series" in texts
    assert "undated" in texts  # the undated count is mentioned, not silently dropped


def test_add_note_keeps_preset_size():
    fig, ax = F.new_figure("slide", "en")
    ax.plot([0, 1], [0, 1])
    F.add_note(fig, [label("note_illustrative", "en"), "second line"])
    assert tuple(fig.get_size_inches()) == pytest.approx(F.PRESETS["slide"])
    assert "Illustrative data" in fig.texts[-1].get_text()


def test_style_context_restores_rcparams():
    before = matplotlib.rcParams["font.size"]
    with F.style_context("sv", "slide"):
        assert matplotlib.rcParams["font.size"] == F.FONT_SIZES["slide"]
        assert matplotlib.rcParams["svg.hashsalt"] == F.SVG_HASHSALT
    assert matplotlib.rcParams["font.size"] == before


# --------------------------------------------------------------------------- labels
def test_labels_have_both_languages_and_notes():
    for key, texts in LABELS.items():
        assert set(texts) == {"en", "sv"}, key
        assert texts["en"] and texts["sv"], key
    assert label("note_partial_register", "en", n=80) == (
        "Partial register: 80 agreements found in public sources, not a census"
    )
    assert label("note_partial_register", "sv", n=80).startswith("Ofullständigt register: 80 avtal")
    assert label("note_illustrative", "sv") == "Illustrativa data"
    assert label("skr_group.A1", "sv") == "Storstäder"
    assert label("size_class.≥200k", "en") == "200,000 and more"
    with pytest.raises(KeyError, match="did you mean"):
        label("yaer", "en")
    with pytest.raises(KeyError, match="needs value"):
        label("note_partial_register", "en")
    with pytest.raises(ValueError):
        label("year", "de")
    assert label("violence", "sv", extra={"violence": {"en": "Violence", "sv": "Våld"}}) == "Våld"
    assert category_labels("level", ["kommun", "x"], "sv") == {"kommun": "Kommun", "x": "x"}
