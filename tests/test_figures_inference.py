"""Figures that do not mislead (iopstudy.figures.spread, .inference, .register, .captions).

Small multiples have one axis per group; the Kaplan–Meier figure has calendar years and a
number-at-risk table; odds and hazard ratios sit on separate axes; an undated count is drawn as
approximate; a bar from one web page is marked; captions are written next to the paper figure and
the note stays burned into the slide.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display in tests

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from iopstudy import figures as F
from iopstudy import spread as S
from iopstudy.figures import inference as FI
from iopstudy.figures import spread as FS
from iopstudy.figures.captions import CAPTION_SUFFIX, FigureWriter, caption_text, remember_notes, strip_note
from iopstudy.labels import label


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _panel(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)  # seed 0
    rows = []
    groups = ["<10k", "10–25k", "25–50k", "50–100k", "100–200k", "≥200k"]
    for i in range(n):
        g = groups[i % 6]
        first = 2010 + int(rng.integers(0, 15)) if rng.random() < 0.2 + 0.1 * (i % 6) else None
        for y in range(2010, 2025):
            rows.append(dict(kommun_code=f"{i:03d}", year=y, size_class=g,
                             adopted=first is not None and y >= first))
    d = pd.DataFrame(rows)
    d["size_class"] = pd.Categorical(d["size_class"], groups, ordered=True)
    return d


def _texts(fig) -> str:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts] + [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
        leg = ax.get_legend()
        if leg is not None:
            out += [t.get_text() for t in leg.get_texts()]
    return " ".join(" ".join(out).split())


def test_small_multiples_have_one_axis_per_group():
    pan = _panel()
    curves = S.adoption_curve(pan, by="size_class")
    overall = S.adoption_curve(pan)
    fig = FS.plot_adoption_panels(curves, "en", group_labels="size_class", overall=overall, note="Partial register")
    visible = [a for a in fig.axes if a.get_visible()]
    assert len(visible) == curves["group"].nunique() == 6
    for a in visible:
        assert len(a.collections) == 1  # one band per panel, never six on one axis
    assert "under 10,000" in " ".join(a.get_title(loc="left") for a in visible)
    assert "found and dated" in _texts(fig)
    fig3 = FS.plot_adoption_panels(curves[curves["group"].isin(["<10k", "≥200k", "25–50k"])], "sv",
                                   group_labels="size_class")
    assert len([a for a in fig3.axes if a.get_visible()]) == 3
    assert "funnet och daterat" in _texts(fig3)


def test_km_figure_has_calendar_years_and_an_at_risk_table():
    sd = pd.DataFrame({"duration": [1, 3, 5, 15, 15, 15, 4, 15], "event": [1, 1, 1, 0, 0, 0, 1, 0],
                       "g": list("aaaabbbb")})
    km = S.kaplan_meier(sd, "duration", "event", group="g")
    fig = F.plot_km(km, "en", origin=2009, note="Partial register")
    main, table = fig.axes
    fig.canvas.draw()
    ticks = [t.get_text() for t in main.get_xticklabels() if t.get_text()]
    assert "2010" in ticks and "2024" in ticks
    assert label("n_at_risk", "en") in table.get_title(loc="left")
    cells = [t.get_text() for t in table.texts]
    assert len(cells) == 2 * len(main.get_xticks())
    # group a at the start of 2012 (time 3): durations >= 3 are 3, 5, 15 -> 3 at risk
    x_ticks = list(main.get_xticks())
    assert cells[x_ticks.index(2012)] == "3" and cells[0] == "4"
    assert "Share without a found and dated IOP" in _texts(fig).replace("\n", " ")
    # without a risk table (or with an axis given), one axis as before
    assert len(F.plot_km(km, "en", risk_table=False).axes) == 1


def test_ratio_panels_put_odds_and_hazard_ratios_on_separate_axes():
    t = pd.DataFrame({"term": ["logit_all", "interval", "cox_start"], "ratio": [4.9, 4.1, 5.4],
                      "ratio_ci_low": [3.0, 2.8, 3.2], "ratio_ci_high": [7.9, 5.9, 9.1],
                      "ratio_kind": ["odds", "hazard", "hazard"]})
    fig = FI.plot_ratio_panels(t, "sv", term_labels={"logit_all": "Logit", "interval": "Intervall", "cox_start": "Cox"})
    assert len(fig.axes) == 2
    assert [a.get_xlabel() for a in fig.axes] == [label("odds_ratio_log_population", "sv"),
                                                   label("hazard_ratio_log_population", "sv")]
    assert [len(a.get_yticks()) for a in fig.axes] == [1, 2]


def test_bounds_figure_and_cumulative_incidence():
    rng = np.random.default_rng(1)  # seed 1
    pop = np.exp(rng.normal(10, 1, 80))
    d = pd.DataFrame({"population": pop, "log_population": np.log(pop)})
    d["size_class"] = pd.Categorical(np.where(pop > 30_000, "big", "small"), ["small", "big"])
    d["ever_adopted"] = rng.random(80) < 1 / (1 + np.exp(-(d["log_population"] - 10.5) * 1.5))
    shares = S.share_bounds(d, "size_class", 10)
    ratios = S.logit_bounds(d, [0, 5, 10], covariates=["log_population"], n_random=0)
    fig = FI.plot_bounds(shares, ratios, "en", group_labels=None, k_published=10, k_breakdown=5)
    assert len(fig.axes) == 2
    txt = _texts(fig)
    assert "k implied by published counts (10)" in txt and "sign lost from k = 5" in txt
    assert fig.axes[1].get_yscale() == "log"
    prof = S.population_profiles((10_000, 200_000))
    m = S.fit_logit(d, "ever_adopted", ["log_population"])
    inc = pd.DataFrame([dict(profile=i, population=v, time=t, cumulative_incidence=0.1 * (t - 2009) * (i + 1) / 30,
                             ci_low=0.0, ci_high=0.5) for i, v in enumerate(prof["population"]) for t in range(2010, 2025)])
    assert m is not None
    fig2 = FI.plot_cumulative_incidence(inc, "sv")
    assert len(fig2.axes[0].lines) == 2 and "200 000 invånare" in _texts(fig2)


def test_undated_published_count_is_drawn_as_approximate():
    counts = pd.DataFrame({"date": ["2016-07-01", ""], "date_precision": ["season", "undated"], "count": [56, 500],
                           "count_text": ["56", "över 500"], "source_url": ["https://a.se/x", "https://b.no/y"],
                           "note": ["", "page undated (about 2024-25)"]})
    fig = F.plot_published_counts(counts, "en")
    ax = fig.axes[0]
    hollow = [ln for ln in ax.lines if ln.get_markerfacecolor() in ("white", (1.0, 1.0, 1.0, 1.0))]
    assert len(hollow) == 1 and hollow[0].get_xdata()[0] == pytest.approx(2025.0)
    assert all(ln.get_linestyle() in ("None", "none", "") for ln in ax.lines)
    txt = _texts(fig)
    assert "över 500 (undated, approximate date)" in txt and "not shown" not in txt
    assert "not shown" in _texts(F.plot_published_counts(counts, "en", undated="omit"))


def test_bar_from_one_page_is_marked_and_counties_are_named_in_english():
    data = pd.DataFrame({"body": ["Enköping", "Göteborg"], "count": [13, 10], "single_page": [True, False]})
    fig = F.plot_bar_counts(data, "body", "count", "en", hatch="single_page", note="Partial register")
    hatched = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert len(hatched) == 1
    assert label("note_single_page", "en") in fig._iopstudy_notes
    cov = pd.DataFrame({"group": ["01", "12"], "county_name": ["Stockholms län", "Skåne län"],
                        "n_municipalities": [26, 33], "municipalities_found": [5, 4], "region_agreements": [1, 0]})
    en = [t.get_text() for t in F.plot_coverage_by_county(cov, "en").axes[0].get_yticklabels()]
    sv = [t.get_text() for t in F.plot_coverage_by_county(cov, "sv").axes[0].get_yticklabels()]
    assert "Stockholm County" in en and "Skåne County" in en and not any("län" in t for t in en)
    assert "Stockholms" in sv


def test_captions_are_written_and_the_note_leaves_only_the_paper_figure(tmp_path):
    drawn = []

    def plot(df, lang="en", preset="paper", note=None, **kw):
        fig = F.plot_coef(df, lang, preset=preset, note=note)
        drawn.append((preset, fig))
        return fig

    coef = pd.DataFrame({"term": ["x"], "ratio": [2.0], "ratio_ci_low": [1.5], "ratio_ci_high": [2.7]})
    w = FigureWriter("99", "sv", tmp_path, show=False)
    paths = w(plot, "coef", coef, note="Ofullständigt register", formats=("png",))
    names = sorted(p.name for p in paths)
    assert f"99_coef_paper_sv{CAPTION_SUFFIX}" in names and not any("slide_sv.caption" in n for n in names)
    text = (tmp_path / f"99_coef_paper_sv{CAPTION_SUFFIX}").read_text(encoding="utf-8")
    assert text.startswith("Ofullständigt register.") and "logaritmisk skala" in text
    assert w.captions["coef"] == text.strip()
    (paper, fp), (slide, fs) = drawn
    assert paper == "paper" and fp._iopstudy_note is None
    assert slide == "slide" and "Ofullständigt register" in fs._iopstudy_note.get_text()
    # caption="none": both burned in, no caption file
    paths = FigureWriter("98", "en", tmp_path, show=False, caption="none")(plot, "c2", coef, note="N", formats=("png",))
    assert not [p for p in paths if p.name.endswith(CAPTION_SUFFIX)]


def test_caption_helpers():
    fig, ax = F.new_figure("paper", "en")
    F.add_note(fig, ["First note", "Second"])
    assert caption_text(fig, ["First note"]) == "First note. Second."
    assert strip_note(fig) and fig._iopstudy_note is None and not strip_note(fig)
    remember_notes(fig, ["A", "", "B?"])
    assert caption_text(fig) == "A. B?"


def test_swedish_labels_are_corrected():
    assert label("not_adopted", "sv") == "Inget IOP funnet"
    assert label("adopted", "sv") == "IOP funnet"
    assert "funnet och daterat" in label("share_adopted", "sv")
    assert "censurerade vid 2024" in label("note_km_by_size", "sv", end="2024")
    assert "kommuner med odaterat införande" in label("variant.hazard_no_undated", "sv")
    assert "start- eller slutår" in label("note_register_points", "sv", n=1, n_dated=1)
    assert label("log_population", "sv") == "log(folkmängd)"
    assert label("county.01", "en") == "Stockholm County" and label("county.01", "sv") == "Stockholms län"
