"""Helpers of the register notebooks (01 overview, 02 spread, 03 policy areas).

Small functions the notebooks need more than once, or whose results a test
can check, kept out of the notebooks so these stay thin:

=============================  ===============================================
load_study_data                the processed tables (built first if missing or
                               older than the raw register), reference data
partial_data_note, text        the "partial register" note; labels of this
                               module in English and Swedish
observation_end                the last year of the observation window
activity_in_year               active / outside / unknown status of each
                               agreement in a year
read_published_counts          ``iop_published_counts.csv``
national_published_counts      its national counts of agreements
register_published_points      the register's own yearly counts, in the same
                               format (to plot beside them)
PUBLISHED_LOCAL                published counts for single places, with sources
register_vs_published          the register's rows beside those counts, with a
                               note explaining the difference
read_lov_counts, lov_panel     SKR's LOV series and a municipality-year table
                               that reproduces it
coverage_by                    municipalities with a found agreement, by county,
                               size class or SKR group
adopted_shares                 the adopted rows of an adoption cross-table
adopters_vs_all                found adopters against all 290 municipalities
                               (no assumption about the others)
survival_data, at_risk         one row per municipality / municipality-years at
                               risk, up to an explicit end year
kaplan_meier_by                :func:`iopstudy.spread.kaplan_meier` per group,
                               also for groups without events
term_table, term_labels        one term of several fitted models side by side;
                               readable labels of model terms
area_labels, area_counts       policy-area labels and primary/secondary counts
period_with_undated            periods of start years, "undated" as a group
level_profile                  kommun- and region-level agreements compared
export_figure                  paper and 16:9 slide versions of a figure, in
                               the formats of :data:`FIGURE_EXPORT`
plot_*                         figures not in :mod:`iopstudy.figures`, with the
                               same signature (``lang``, ``preset``, ``ax``,
                               ``note``, ``title``) so :func:`figure_pair` can
                               draw them
=============================  ===============================================

Nothing here assumes the shipped (partial) register: every function works on
a complete register too. The only place names in the code are the published
counts of :data:`PUBLISHED_LOCAL`, which are data with their sources.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.labels import category_labels, check_lang, format_number, label

__all__ = [
    "SEED",
    "EXTRA_LABELS",
    "text",
    "labels_of",
    "partial_data_note",
    "StudyData",
    "load_study_data",
    "observation_end",
    "activity_in_year",
    "read_published_counts",
    "national_published_counts",
    "register_published_points",
    "PUBLISHED_LOCAL",
    "register_vs_published",
    "LOV_STATUS",
    "read_lov_counts",
    "lov_panel",
    "coverage_by",
    "adopted_shares",
    "AdoptersVsAll",
    "adopters_vs_all",
    "survival_data",
    "at_risk",
    "kaplan_meier_by",
    "term_labels",
    "term_table",
    "area_labels",
    "area_counts",
    "UNDATED",
    "period_with_undated",
    "level_profile",
    "FIGURE_EXPORT",
    "export_figure",
    "plot_bar_counts",
    "plot_year_counts",
    "plot_coverage_by_county",
    "plot_group_shares",
]

#: Seed of every random step in the notebooks (Monte Carlo tests).
SEED = 20240601


# --------------------------------------------------------------------------- labels
_EXTRA: dict[str, tuple[str, str]] = {
    # key: (en, sv)
    "source_kind.kommun webbplats": ("Municipal website", "Kommunens webbplats"),
    "source_kind.region webbplats": ("Regional website", "Regionens webbplats"),
    "source_kind.rapport": ("Report", "Rapport"),
    "source_kind.nyhet": ("News", "Nyhet"),
    "source_kind.organisation": ("Organisation's website", "Organisationens webbplats"),
    "source_kind.annat": ("Other", "Annat"),
    "source_kind.": ("Not stated", "Ej angivet"),
    "org_type.ideell_forening": ("Non-profit association", "Ideell förening"),
    "org_type.stiftelse": ("Foundation", "Stiftelse"),
    "org_type.trossamfund": ("Faith community", "Trossamfund"),
    "org_type.stadsmission": ("City mission", "Stadsmission"),
    "org_type.kvinno_tjejjour": ("Women's or girls' shelter", "Kvinno- eller tjejjour"),
    "org_type.ekonomisk_forening": ("Economic association", "Ekonomisk förening"),
    "org_type.other": ("Other (type not evident from the name)", "Annan (typen framgår inte av namnet)"),
    "role.primary": ("Primary area", "Huvudområde"),
    "role.secondary": ("Secondary area", "Sidoområde"),
    "n_partners": ("Number of partner organisations", "Antal partnerorganisationer"),
    "source_kind": ("Kind of source", "Typ av källa"),
    "org_type": ("Organisation type", "Organisationstyp"),
    "public_body": ("Public body", "Offentlig part"),
    "municipalities_all": ("All municipalities", "Samtliga kommuner"),
    "municipalities_found": ("With a found agreement", "Med funnet avtal"),
    "region_found": ("Region-level agreement found", "Avtal på regionnivå funnet"),
    "share_municipalities": ("Share of municipalities", "Andel kommuner"),
    "share_found": ("Share of municipalities with a found IOP", "Andel kommuner med funnen IOP"),
    "undated_not_shown": (
        "{n} of {total} agreements have no start year and are not shown",
        "{n} av {total} avtal saknar startår och visas inte",
    ),
    "curve.iop_start": (
        "IOP: first dated start found (register)",
        "IOP: första daterade start funnen (registret)",
    ),
    "curve.iop_evidence": (
        "IOP: first dated start or end found (register)",
        "IOP: första daterade start eller slut funnen (registret)",
    ),
    "curve.lov": ("LOV in operation (SKR, all 290)", "LOV i drift (SKR, alla 290)"),
    "register_source": (
        "This register: dated agreements active in the year",
        "Detta register: daterade avtal aktiva under året",
    ),
    "note_iop_found_only": (
        "The IOP curve counts only agreements found and dated in public sources; "
        "{n_undated} of {n_found} municipalities with a found agreement have no dated start",
        "IOP-kurvan räknar bara avtal som hittats och daterats i offentliga källor; "
        "{n_undated} av {n_found} kommuner med funnet avtal saknar daterad start",
    ),
    "note_first_dated": (
        "Adoption year = first dated start; {n_undated} of {n_found} municipalities with a found "
        "agreement have no dated start and count as not adopted here",
        "Införandeår = första daterade start; {n_undated} av {n_found} kommuner med funnet avtal "
        "saknar daterad start och räknas här som utan IOP",
    ),
    "note_km_by_size": (
        "Time from 2010 to the first dated IOP; censored at {end}",
        "Tid från 2010 till första daterade IOP; censurerat {end}",
    ),
    "note_register_points": (
        "Register points: agreements whose dated period covers the year; {n} agreements found in "
        "all, {n_dated} of them with a start or end year",
        "Registrets punkter: avtal vars daterade period täcker året; {n} avtal funna totalt, "
        "varav {n_dated} med start- eller slutår",
    ),
    "note_sensitivity": (
        "Each row: the ratio for log population (per unit of log population, i.e. per factor e "
        "≈ 2.7 in population) in one model or data variant",
        "Varje rad: kvoten för log folkmängd (per enhet log folkmängd, dvs. per faktor e ≈ 2,7 i "
        "folkmängd) i en modell- eller datavariant",
    ),
    "note_undated_group": (
        "“Undated”: agreements without a start year ({n}); the test leaves them out",
        "”Odaterat”: avtal utan startår ({n}); testet utelämnar dem",
    ),
    "note_regions_left_out": (
        "Region-level agreements ({n}) have no municipality and are left out",
        "Avtal på regionnivå ({n}) har ingen kommun och utelämnas",
    ),
    "note_wilson_lines": (
        "Points: shares; lines: {level}% Wilson confidence intervals",
        "Punkter: andelar; linjer: {level}\u00a0% Wilson-konfidensintervall",
    ),
    "ever_found_share": ("Share with a found agreement", "Andel med funnet avtal"),
    "log_population": ("Log population", "Log folkmängd"),
    "n_partner_rows": (
        "Partner organisations (agreement × organisation)",
        "Partnerorganisationer (avtal × organisation)",
    ),
    "note_org_type": (
        "Organisation type inferred from the name only",
        "Organisationstyp härledd enbart ur namnet",
    ),
    "dating.dated": ("With a start year", "Med startår"),
    "dating.undated": ("Without a start year", "Utan startår"),
    "variant.logit_all": ("Logit, all municipalities (main)", "Logit, alla kommuner (huvudmodell)"),
    "variant.logit_covered": (
        "Logit, only counties with a found agreement",
        "Logit, endast län med funnet avtal",
    ),
    "variant.logit_county": ("Logit + county (Firth)", "Logit + län (Firth)"),
    "variant.hazard_start": (
        "Hazard (cloglog), first dated start (main)",
        "Hasard (cloglog), första daterade start (huvudmodell)",
    ),
    "variant.hazard_evidence": (
        "Hazard (cloglog), first dated start or end",
        "Hasard (cloglog), första daterade start eller slut",
    ),
    "variant.hazard_no_undated": (
        "Hazard (cloglog), undated adopters left out",
        "Hasard (cloglog), odaterade införare utelämnade",
    ),
    "variant.cox_start": ("Cox (Efron ties), first dated start", "Cox (Efron), första daterade start"),
    "variant.cox_no_undated": (
        "Cox (Efron ties), undated adopters left out",
        "Cox (Efron), odaterade införare utelämnade",
    ),
    "note_top_bodies": (
        "The {n} public bodies with most agreements (of {total} with any)",
        "De {n} offentliga parterna med flest avtal (av {total} med något)",
    ),
    "agreements_per_body": ("Agreements per public body", "Avtal per offentlig part"),
}

#: Labels of this module, ``{key: {"en": ..., "sv": ...}}``; pass as ``extra=`` to
#: :func:`iopstudy.labels.label` or use :func:`text`.
EXTRA_LABELS: dict[str, dict[str, str]] = {k: {"en": en, "sv": sv} for k, (en, sv) in _EXTRA.items()}


def text(key: str, lang: str = "en", **fields: Any) -> str:
    """A label of :data:`EXTRA_LABELS` or :data:`iopstudy.labels.LABELS` in ``lang``.

    Examples
    --------
    >>> text("curve.lov", "sv")
    'LOV i drift (SKR, alla 290)'
    >>> text("year", "sv")
    'År'
    """
    return label(key, lang, extra=EXTRA_LABELS, **fields)


def labels_of(kind: str, codes: Sequence[Any], lang: str = "en") -> dict[Any, str]:
    """Labels of category codes of ``kind`` (``"org_type"``, ``"source_kind"``, ``"level"``, …)."""
    return category_labels(kind, codes, lang, extra=EXTRA_LABELS)


def partial_data_note(lang: str = "en", n: int | None = None) -> str:
    """The note every register figure and table carries.

    Examples
    --------
    >>> partial_data_note("en", 80)
    'Partial register: 80 agreements found in public sources, not a census'
    >>> partial_data_note("en")
    'Partial data: agreements found in public sources, not a census'
    """
    if n is None:
        return label("note_partial_data", lang)
    return label("note_partial_register", lang, n=int(n))


# --------------------------------------------------------------------------- data
@dataclass
class StudyData:
    """The register's processed tables and the reference data, as the notebooks use them.

    ``problems`` is ``data/processed/problems.csv`` (every warning and error
    of the build); ``built`` says whether :func:`load_study_data` ran the
    build.
    """

    partnerships: pd.DataFrame
    partners: pd.DataFrame
    panel: pd.DataFrame
    exclusions: pd.DataFrame
    problems: pd.DataFrame
    municipalities: pd.DataFrame
    counties: pd.DataFrame
    data_dir: Path
    built: bool

    @property
    def n_agreements(self) -> int:
        return len(self.partnerships)

    def note(self, lang: str = "en") -> str:
        """The partial-register note with this register's number of agreements."""
        return partial_data_note(lang, self.n_agreements)


_PROBLEM_COLUMNS = ["file", "row", "column", "value", "severity", "message"]


def _inputs(data: Path) -> list[Path]:
    reg = data / "raw" / "register"
    return [p for p in (reg / "iop_register.csv", reg / "policy_areas.yml") if p.exists()]


def load_study_data(
    data_dir: str | os.PathLike[str] = "data", *, rebuild: bool | str = "auto"
) -> StudyData:
    """Read the processed register tables, building them first when needed.

    Parameters
    ----------
    data_dir
        The project's ``data/`` folder: raw input in ``raw/register`` (the
        register and ``policy_areas.yml``) and ``raw/reference``, output in
        ``processed/``.
    rebuild
        ``"auto"`` (default): build when a processed table is missing or
        older than the raw register or the vocabulary; ``True``: always;
        ``False``: never (raise if missing).

    Returns
    -------
    StudyData
    """
    from iopstudy.reference import load_counties, load_municipalities
    from iopstudy.register import build
    from iopstudy.schemas import TABLES, read_processed

    data = Path(data_dir)
    processed = data / "processed"
    register = data / "raw" / "register" / "iop_register.csv"
    reference = data / "raw" / "reference"
    ref = reference if (reference / "municipalities.csv").exists() else None
    files = [processed / f"{t}.parquet" for t in TABLES]
    missing = [f for f in files if not f.exists()]
    if rebuild == "auto":
        stale = False
        if not missing:
            oldest = min(f.stat().st_mtime for f in files)
            stale = any(p.stat().st_mtime > oldest for p in _inputs(data))
        do_build = bool(missing) or stale
    elif rebuild in (True, False):
        do_build = bool(rebuild)
    else:
        raise InputError(f"rebuild must be 'auto', True or False, not {rebuild!r}")
    if missing and not do_build:
        raise InputError(
            f"processed tables missing ({[f.name for f in missing]}): run `iopstudy build` or "
            "pass rebuild='auto'",
            file=str(processed),
        )
    if do_build:
        if not register.exists():
            raise InputError(
                "no processed tables and no raw register to build them from", file=str(register)
            )
        build(register=register, out_dir=processed, reference_dir=ref)
    tables = {t: read_processed(t, processed) for t in TABLES}
    prob_path = processed / "problems.csv"
    if prob_path.exists():
        problems = pd.read_csv(prob_path, dtype=str, keep_default_na=False)
    else:
        problems = pd.DataFrame(columns=_PROBLEM_COLUMNS)
    return StudyData(
        partnerships=tables["partnerships"],
        partners=tables["partners"],
        panel=tables["municipality_panel"],
        exclusions=tables["exclusions"],
        problems=problems,
        municipalities=load_municipalities(ref),
        counties=load_counties(ref),
        data_dir=data,
        built=do_build,
    )


def observation_end(partnerships: pd.DataFrame, panel: pd.DataFrame | None = None) -> int:
    """The last year of the observation window: the latest dated start in the register.

    The register records no capture dates, and the municipality panel runs
    to the latest *end* year (which may lie in the future). Adoption curves
    and hazard models stop at the latest start year found, so no municipality
    is counted as "at risk" in years nobody could have looked at. Without any
    dated start the panel's last year is used.
    """
    years = pd.to_numeric(partnerships.get("start_year"), errors="coerce").dropna()
    if len(years):
        return int(years.max())
    if panel is not None and len(panel):
        return int(panel["year"].max())
    raise InputError("observation_end: no dated start and no panel to take the last year from")


def activity_in_year(partnerships: pd.DataFrame, year: int, *, kind: str = "active") -> pd.Series:
    """Whether each agreement counts for ``year``: ``"yes"``, ``"no"`` or ``"unknown"``.

    Parameters
    ----------
    partnerships
        One row per agreement with ``start_year``, ``end_year`` (and
        ``open_ended``).
    year
        The reference year.
    kind
        ``"active"``: the agreement ran in the year. ``"yes"`` by the rule of
        the municipality panel's ``iops_active`` (start to end; an open-ended
        one from its start; one with only a start counts in that year, one
        with only an end in that year); ``"no"`` when the dates put it
        outside the year (started later, ended earlier); ``"unknown"``
        otherwise (undated, or only a start before / only an end after the
        year). ``"cumulative"``: the agreement existed by the year (started
        in or before it): ``"yes"`` with a start or end in or before the
        year, ``"no"`` with a start after it, else ``"unknown"``.
    """
    if kind not in ("active", "cumulative"):
        raise InputError(f"activity_in_year: kind must be 'active' or 'cumulative', not {kind!r}")
    s = pd.to_numeric(partnerships["start_year"], errors="coerce").astype("float64").to_numpy()
    e = pd.to_numeric(partnerships["end_year"], errors="coerce").astype("float64").to_numpy()
    oe = (
        partnerships["open_ended"].astype(bool).to_numpy()
        if "open_ended" in partnerships
        else np.zeros(len(s), dtype=bool)
    )
    y = float(year)
    hs, he = ~np.isnan(s), ~np.isnan(e)
    out = np.full(len(s), "unknown", dtype=object)
    if kind == "active":
        both = hs & he
        out[both & (s <= y) & (y <= e)] = "yes"
        out[both & ((s > y) | (e < y))] = "no"
        only_s = hs & ~he
        out[only_s & (s > y)] = "no"
        out[only_s & (s == y)] = "yes"
        out[only_s & oe & (s <= y)] = "yes"
        only_e = he & ~hs
        out[only_e & (e == y)] = "yes"
        out[only_e & (e < y)] = "no"
    else:
        out[hs & (s <= y)] = "yes"
        out[hs & (s > y)] = "no"
        out[~hs & he & (e <= y)] = "yes"
    return pd.Series(out, index=partnerships.index, name=f"{kind}_{year}")


# --------------------------------------------------------------------------- published counts
def _literature_file(data_dir: str | os.PathLike[str], name: str) -> Path:
    base = Path(data_dir)
    for cand in (base, base / "literature", base / "raw" / "literature", base / "data" / "raw" / "literature"):
        if (cand / name).exists():
            return cand / name
    raise InputError(f"{name} not found in or below this folder", file=str(base))


def read_published_counts(data_dir: str | os.PathLike[str] = "data") -> pd.DataFrame:
    """``raw/literature/iop_published_counts.csv``: published counts of IOPs.

    ``date`` stays text (a year, a date, or empty for undated rows);
    ``count`` is an integer. See ``data/raw/literature/SOURCES.md``.
    """
    path = _literature_file(data_dir, "iop_published_counts.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    need = ["date", "date_precision", "count", "count_text", "scope", "what", "source_url"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=str(path))
    df["count"] = pd.to_numeric(df["count"]).astype("int64")
    return df


def national_published_counts(published: pd.DataFrame) -> pd.DataFrame:
    """The national counts of *agreements* in the published counts.

    Keeps rows whose ``scope`` starts with "Sweden" and leaves out counts of
    public bodies rather than agreements (``what`` starting with
    "county councils", "regions" or "municipalities", e.g. "county councils
    or regions with at least one IOP"). Adds a ``source`` column (the web
    domain of ``source_url``) unless there is one, as
    :func:`iopstudy.figures.plot_published_counts` marks points by source.
    """
    from urllib.parse import urlparse

    scope = published["scope"].astype(str).str.strip()
    what = published["what"].astype(str).str.strip()
    national = scope.str.match(r"(?i)^sweden\b")
    bodies = what.str.match(r"(?i)^(county councils|regions|municipalities)\b")
    out = published.loc[national & ~bodies].reset_index(drop=True)
    if "source" not in out.columns:
        out["source"] = [
            (urlparse(str(u)).netloc or str(u)).removeprefix("www.") for u in out["source_url"]
        ]
    return out


def register_published_points(
    partnerships: pd.DataFrame, years: Sequence[int], lang: str = "en"
) -> pd.DataFrame:
    """The register's own counts in the format of the published counts.

    One row per year: the number of agreements (all levels) whose dated
    period covers the year (:func:`activity_in_year`, ``"yes"``), with the
    source :func:`text` ``"register_source"``, so that
    :func:`iopstudy.figures.plot_published_counts` draws them as one more
    source beside the published counts (points, not a line).
    """
    rows = []
    src = text("register_source", lang)
    for y in years:
        n = int((activity_in_year(partnerships, int(y)) == "yes").sum())
        rows.append(
            dict(date=str(int(y)), date_precision="year", count=n, count_text=str(n),
                 scope="register", what="dated agreements active in the year",
                 source_url="", note="", source=src)
        )
    return pd.DataFrame(rows)


#: Published counts for single public bodies that the register covers. Each
#: is a row of ``data/raw/literature/iop_published_counts.csv`` (the test
#: checks this); ``kind`` says what is counted: agreements ``"active"`` in the
#: year, or all agreements made ``"cumulative"`` by the date. ``committee``
#: restricts the register's rows to a committee named in ``public_party``.
PUBLISHED_LOCAL: tuple[dict[str, Any], ...] = (
    dict(
        place="Göteborg", level="kommun", code="1480", committee=None, year=2023,
        date="2023", published=14, kind="active",
        what="active IOPs in the Famna/Fremia 2023 report (a curated list)",
        source_url="https://www.fremia.se/nyhetsrum/pressmeddelanden/stort-intresse-for-iop-som-samverkansmodell/",
    ),
    dict(
        place="Borås", level="kommun", code="1490", committee=None, year=2023,
        date="2023", published=6, kind="active",
        what="active IOPs in the Famna/Fremia 2023 report (a curated list)",
        source_url="https://www.fremia.se/nyhetsrum/pressmeddelanden/stort-intresse-for-iop-som-samverkansmodell/",
    ),
    dict(
        place="Västra Götalandsregionen", level="region", code="14", committee=None, year=2023,
        date="2023", published=10, kind="active",
        what="active IOPs in the Famna/Fremia 2023 report (a curated list)",
        source_url="https://www.fremia.se/nyhetsrum/pressmeddelanden/stort-intresse-for-iop-som-samverkansmodell/",
    ),
    dict(
        place="Eskilstuna", level="kommun", code="0484", committee=None, year=2020,
        date="2020-02-27", published=7, kind="cumulative",
        what="IOP agreements in all, 5 of them in social services",
        source_url="https://upphandling24.se/annu-mer-iop",
    ),
    dict(
        place="Malmö: arbetsmarknads- och socialnämnden", level="kommun", code="1280",
        committee="arbetsmarknads- och socialnämnd", year=2018, date="2018", published=10,
        kind="active",
        what="IOPs the committee was party to in 2018; 6 continued into 2019",
        source_url="https://docplayer.se/amp/158160904-Ideburet-offentligt-partnerskap-i-arbetsmarknads-och-socialnamnden-2019.html",
    ),
)


def _rows_of(partnerships: pd.DataFrame, entry: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The register rows of the entry's public body, and of its committee (if any)."""
    p = partnerships
    if entry["level"] == "kommun":
        body = p[(p["level"] == "kommun") & (p["kommun_code"] == entry["code"])]
    else:
        body = p[(p["level"] == entry["level"]) & (p["county_code"] == entry["code"])]
    scoped = body
    if entry.get("committee"):
        scoped = body[body["public_party"].astype(str).str.contains(entry["committee"], case=False, regex=False)]
    return body, scoped


def _span(rows: pd.DataFrame) -> str:
    ys = pd.concat([pd.to_numeric(rows["start_year"]), pd.to_numeric(rows["end_year"])]).dropna()
    if not len(ys):
        return ""
    lo, hi = int(ys.min()), int(ys.max())
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _vs_note(r: Mapping[str, Any], lang: str) -> str:
    en = lang == "en"
    n, pub, lo, hi = r["register_rows"], r["published"], r["known"], r["possible"]
    ref = r["reference"]
    what = ("active in " if en else "aktiva ") + ref if r["kind"] == "active" else (
        "made by " if en else "ingångna senast ") + ref
    if n == 0:
        s = (
            f"No agreement of this body is in the register, against {pub} published {what}: "
            "none of them was found in the sources read."
            if en else
            f"Registret har inget avtal för denna part, mot {pub} publicerade {what}: inget av "
            "dem hittades i de lästa källorna."
        )
    else:
        parts = []
        span = f" ({'dated years' if en else 'daterade år'} {r['span']})" if r["span"] else ""
        if en:
            parts.append(
                f"{n} register row(s){span}, {r['undated']} without any date; "
                f"{lo} certainly and at most {hi} count as {what}, against {pub} published"
            )
        else:
            parts.append(
                f"{n} rader i registret{span}, {r['undated']} helt odaterade; "
                f"säkert {lo} och högst {hi} räknas som {what}, mot {pub} publicerade"
            )
        if r["outside"]:
            parts.append(
                f"{r['outside']} row(s) fall outside {ref}: the register spans several years and "
                "is not a snapshot"
                if en else
                f"{r['outside']} rader ligger utanför {ref}: registret spänner över flera år och "
                "är ingen ögonblicksbild"
            )
        if hi < pub:
            parts.append(
                f"at least {pub - hi} of the published agreements were not found"
                if en else f"minst {pub - hi} av de publicerade avtalen hittades inte"
            )
        elif lo > pub:
            parts.append(
                "the register has more than the published figure, which is then not a complete "
                "count or uses another definition"
                if en else
                "registret har fler än den publicerade siffran, som alltså inte är fullständig "
                "eller har en annan definition"
            )
        s = "; ".join(parts) + "."
    if r["committee"]:
        s += (
            f" Rows matched on the committee name in public_party; the municipality has "
            f"{r['body_rows']} row(s) in all, {r['body_rows'] - n} of them without this name."
            if en else
            f" Raderna matchades på nämndens namn i public_party; kommunen har {r['body_rows']} "
            f"rader totalt, varav {r['body_rows'] - n} utan detta namn."
        )
    return s


def register_vs_published(
    partnerships: pd.DataFrame,
    published: Sequence[Mapping[str, Any]] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """The register's counts beside published counts for the same public bodies.

    Parameters
    ----------
    partnerships
        The processed ``partnerships`` table.
    published
        Entries like those of :data:`PUBLISHED_LOCAL` (the default).
    lang
        Language of the ``note`` column.

    Returns
    -------
    pandas.DataFrame
        One row per entry: ``place, level, reference, kind, published,
        register_rows`` (rows of the body, or of its committee),
        ``body_rows``, ``undated`` (rows with no date at all), ``known``
        (rows whose dates show they count for the reference year: active in
        it, or made by it, see :func:`activity_in_year`), ``possible``
        (``known`` plus rows whose dates do not rule it out), ``outside``
        (rows whose dates put them outside), ``not_found_min`` (published
        minus ``possible``, at least 0), ``span`` (the years the rows'
        dates cover), ``note`` (the difference explained), ``what``,
        ``source_url``.

    Notes
    -----
    Published counts and register rows differ by definition: the register
    keeps every agreement found, active or ended, from any year, while a
    published count is of one date. ``known`` and ``possible`` bracket how
    many of the register's rows could be in the published figure.
    """
    check_lang(lang)
    entries = PUBLISHED_LOCAL if published is None else published
    rows = []
    for entry in entries:
        body, scoped = _rows_of(partnerships, entry)
        status = activity_in_year(scoped, int(entry["year"]), kind=entry["kind"])
        undated = int((scoped["start_year"].isna() & scoped["end_year"].isna()).sum())
        known = int((status == "yes").sum())
        outside = int((status == "no").sum())
        possible = int(len(scoped) - outside)
        r = dict(
            place=entry["place"],
            level=entry["level"],
            reference=str(entry.get("date") or entry["year"]),
            kind=entry["kind"],
            published=int(entry["published"]),
            register_rows=int(len(scoped)),
            body_rows=int(len(body)),
            undated=undated,
            known=known,
            possible=possible,
            outside=outside,
            not_found_min=max(int(entry["published"]) - possible, 0),
            span=_span(scoped),
            committee=entry.get("committee") or "",
            what=entry["what"],
            source_url=entry["source_url"],
        )
        r["note"] = _vs_note(r, lang)
        rows.append(r)
    cols = ["place", "level", "reference", "kind", "published", "register_rows", "body_rows",
            "undated", "known", "possible", "outside", "not_found_min", "span", "note", "what",
            "source_url"]
    return pd.DataFrame(rows)[cols]


# --------------------------------------------------------------------------- LOV benchmark
#: Columns of ``lov_status_skr.csv`` → status names, in the order statuses are handed out.
LOV_STATUS: dict[str, str] = {
    "lov_in_operation": "in_operation",
    "decided_to_introduce": "decided",
    "no_lov": "none",
    "abolished_lov": "abolished",
}


def read_lov_counts(data_dir: str | os.PathLike[str] = "data") -> pd.DataFrame:
    """``raw/literature/lov_status_skr.csv``: SKR's yearly LOV status counts (290 per row)."""
    path = _literature_file(data_dir, "lov_status_skr.csv")
    df = pd.read_csv(path, encoding="utf-8")
    missing = [c for c in ["year", *LOV_STATUS] if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=str(path))
    return df.astype({c: "int64" for c in ["year", *LOV_STATUS]})


def lov_panel(
    data_dir: str | os.PathLike[str] = "data",
    municipalities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A municipality × year LOV status table that reproduces SKR's published series.

    :func:`iopstudy.spread.expand_status_counts` hands the yearly counts out
    to the 290 municipalities (the trajectories are constructed, only the
    yearly totals are real). The function then checks that
    :func:`iopstudy.spread.adoption_curve` with ``in_operation="status"``
    gives exactly the published "in operation" column, and that every
    status count of every year is reproduced.

    Returns
    -------
    pandas.DataFrame
        ``year, kommun_code, status`` (``in_operation``, ``decided``,
        ``none``, ``abolished``); ``attrs["counts"]`` holds the published
        counts.

    Raises
    ------
    InputError
        If the counts do not sum to the number of municipalities, or the
        table does not reproduce them.
    """
    from iopstudy.reference import load_municipalities
    from iopstudy.spread import adoption_curve, expand_status_counts

    counts = read_lov_counts(data_dir)
    if municipalities is None:
        ref = Path(data_dir) / "raw" / "reference"
        municipalities = load_municipalities(ref if (ref / "municipalities.csv").exists() else None)
    units = sorted(municipalities["kommun_code"].astype(str))
    panel = expand_status_counts(counts, units, status_columns=LOV_STATUS, unit="kommun_code")
    curve = adoption_curve(panel, in_operation="status").set_index("year")
    pub = counts.set_index("year")
    if not (curve["n_adopted"].reindex(pub.index) == pub["lov_in_operation"]).all() or not (
        curve["n_units"].reindex(pub.index) == len(units)
    ).all():
        raise InputError("lov_panel: adoption_curve does not reproduce SKR's 'in operation' counts")
    got = panel.groupby(["year", "status"]).size().unstack(fill_value=0)
    for col, status in LOV_STATUS.items():
        have = got[status] if status in got else pd.Series(0, index=got.index)
        if not (have.reindex(pub.index, fill_value=0) == pub[col]).all():
            raise InputError(f"lov_panel: the status {status!r} does not reproduce column {col!r}")
    panel.attrs["counts"] = counts
    return panel


# --------------------------------------------------------------------------- coverage
def coverage_by(
    partnerships: pd.DataFrame,
    municipalities: pd.DataFrame,
    by: str = "county_code",
) -> pd.DataFrame:
    """Municipalities with at least one found kommun-level agreement, per group.

    Parameters
    ----------
    partnerships
        The processed ``partnerships``.
    municipalities
        :func:`iopstudy.reference.load_municipalities` (all 290).
    by
        A column of ``municipalities``: ``county_code``, ``size_class``,
        ``skr_group``, ``skr_main_group``.

    Returns
    -------
    pandas.DataFrame
        ``group, n_municipalities, municipalities_found, share_found,
        kommun_agreements, population, population_share_found`` (the share
        of the group's population living in municipalities with a found
        agreement); with ``by="county_code"`` also ``county_name`` and
        ``region_agreements`` (region-level agreements of the county).
        Categorical groups keep their order and appear even when empty.
    """
    if by not in municipalities.columns:
        raise InputError(f"coverage_by: {by!r} is not a column of the municipalities", column=by)
    m = municipalities.copy()
    kom = partnerships[partnerships["level"] == "kommun"]
    per = kom.groupby("kommun_code").size()
    m["_agreements"] = m["kommun_code"].map(per).fillna(0).astype("int64")
    m["_found"] = m["_agreements"] > 0
    m["_pop_found"] = np.where(m["_found"], m["population"], 0)
    g = m.groupby(by, observed=False, sort=True)
    out = pd.DataFrame(
        {
            "n_municipalities": g.size(),
            "municipalities_found": g["_found"].sum(),
            "kommun_agreements": g["_agreements"].sum(),
            "population": g["population"].sum(),
            "_pop_found": g["_pop_found"].sum(),
        }
    )
    out = out.astype("int64")
    out["share_found"] = out["municipalities_found"] / out["n_municipalities"].replace(0, np.nan)
    out["population_share_found"] = out["_pop_found"] / out["population"].replace(0, np.nan)
    out = out.drop(columns="_pop_found").reset_index().rename(columns={by: "group"})
    cols = ["group", "n_municipalities", "municipalities_found", "share_found",
            "kommun_agreements", "population", "population_share_found"]
    if by == "county_code":
        names = municipalities.drop_duplicates("county_code").set_index("county_code")["county_name"]
        out["county_name"] = out["group"].map(names)
        reg = partnerships[partnerships["level"] == "region"].groupby("county_code").size()
        out["region_agreements"] = out["group"].map(reg).fillna(0).astype("int64")
        cols = ["group", "county_name", *cols[1:], "region_agreements"]
    return out[cols]


def adopted_shares(crosstab: Any, outcome_value: Any = True) -> pd.DataFrame:
    """The ``outcome == outcome_value`` rows of an :func:`adoption_crosstab` table.

    Returns ``group, group_total, count, share, ci_low, ci_high`` (every group,
    with a zero count where no unit had the outcome).
    """
    tab = crosstab.table if hasattr(crosstab, "table") else crosstab
    groups = tab.drop_duplicates("group")[["group", "group_total"]]
    hit = tab[tab["outcome"] == outcome_value][["group", "count", "share", "ci_low", "ci_high"]]
    out = groups.merge(hit, on="group", how="left")
    if out["count"].isna().any():
        from iopstudy.spread import wilson_ci

        out["count"] = out["count"].fillna(0)
        ci = wilson_ci(out["count"].astype("int64").to_numpy(), out["group_total"].to_numpy())
        out["share"], out["ci_low"], out["ci_high"] = ci["share"], ci["ci_low"], ci["ci_high"]
    out["count"] = out["count"].astype("int64")
    return out.reset_index(drop=True)


@dataclass
class AdoptersVsAll:
    """Result of :func:`adopters_vs_all`: ``.table`` and ``.test``."""

    table: pd.DataFrame
    test: pd.DataFrame

    def __iter__(self):
        return iter((self.table, self.test))


def adopters_vs_all(
    municipalities: pd.DataFrame,
    adopters: Sequence[str],
    by: str = "size_class",
    value: str = "log_population",
    *,
    n_resamples: int = 9_999,
    seed: int = SEED,
) -> AdoptersVsAll:
    """Compare the found adopters with all municipalities, without calling the others non-adopters.

    Parameters
    ----------
    municipalities
        All municipalities (the reference table).
    adopters
        Kommun codes of the municipalities with a found agreement.
    by
        Grouping column for the distribution table.
    value
        Numeric column for the test (default ``log_population``).
    n_resamples, seed
        Monte Carlo draws and their seed.

    Returns
    -------
    AdoptersVsAll
        ``.table``: ``group, n_municipalities, share_municipalities,
        n_adopters, share_adopters, expected_adopters, ratio`` (share among
        adopters over share among all municipalities). ``.test``: one row:
        the median of ``value`` among the adopters, its percentile among all
        municipalities' values, and a Monte Carlo p-value: the share of
        random sets of the same size, drawn without replacement from *all*
        municipalities, whose median is at least as high.

    Notes
    -----
    The comparison is with the whole population of municipalities, adopters
    included, so it needs no assumption about the municipalities where no
    agreement was found. It does assume that the found adopters are not
    selected by size, which a search that named large cities violates.
    """
    m = municipalities
    codes = set(map(str, adopters))
    is_ad = m["kommun_code"].astype(str).isin(codes)
    k = int(is_ad.sum())
    if k != len(codes):
        raise InputError("adopters_vs_all: some adopter codes are not among the municipalities")
    g_all = m.groupby(by, observed=False, sort=True).size()
    g_ad = m[is_ad].groupby(by, observed=False, sort=True).size().reindex(g_all.index, fill_value=0)
    tab = pd.DataFrame(
        {
            "group": g_all.index,
            "n_municipalities": g_all.to_numpy().astype("int64"),
            "share_municipalities": (g_all / g_all.sum()).to_numpy(),
            "n_adopters": g_ad.to_numpy().astype("int64"),
            "share_adopters": (g_ad / max(k, 1)).to_numpy(),
        }
    )
    tab["expected_adopters"] = tab["share_municipalities"] * k
    tab["ratio"] = tab["share_adopters"] / tab["share_municipalities"].replace(0, np.nan)
    vals = pd.to_numeric(m[value]).to_numpy(dtype=float)
    obs = float(np.median(vals[is_ad.to_numpy()])) if k else np.nan
    rng = np.random.default_rng(seed)
    if k:
        # each row: k municipalities drawn without replacement (the k smallest of uniform keys)
        idx = np.argpartition(rng.random((n_resamples, len(vals))), k - 1, axis=1)[:, :k]
        draws = np.median(vals[idx], axis=1)
        p = (int(np.sum(draws >= obs - 1e-12)) + 1) / (n_resamples + 1)
        pct = float(np.mean(vals <= obs))
    else:
        p, pct = np.nan, np.nan
    test = pd.DataFrame(
        [
            dict(
                test=f"Monte Carlo: median {value} of {k} adopters vs random sets of {k} of all "
                f"{len(m)} municipalities",
                statistic=obs,
                median_all=float(np.median(vals)),
                percentile_all=pct,
                p_value=p,
                n_resamples=n_resamples,
                seed=seed,
                note="one-sided (adopters larger); no assumption about municipalities without a "
                "found agreement",
            )
        ]
    )
    return AdoptersVsAll(tab, test)


# --------------------------------------------------------------------------- survival
def _undated_adopters(panel: pd.DataFrame, event_time: str) -> pd.Series:
    return panel["ever_adopted"].astype(bool) & panel[event_time].isna()


def at_risk(
    panel: pd.DataFrame,
    end_year: int,
    event_time: str = "first_iop_year",
    *,
    drop_undated_adopters: bool = False,
) -> pd.DataFrame:
    """Municipality-years at risk of a first IOP, up to and including ``end_year``.

    :func:`iopstudy.spread.person_period` on the panel's years up to
    ``end_year``. Municipalities with a found agreement but no date
    (``ever_adopted`` and a missing ``event_time``) stay in the risk set as
    censored unless ``drop_undated_adopters`` (they adopted at an unknown
    time, so either choice is an assumption).
    """
    from iopstudy.spread import person_period

    p = panel[panel["year"] <= int(end_year)]
    if drop_undated_adopters:
        p = p[~_undated_adopters(p, event_time)]
    return person_period(p, event_time=event_time)


def survival_data(
    panel: pd.DataFrame,
    end_year: int,
    event_time: str = "first_iop_year",
    *,
    drop_undated_adopters: bool = False,
) -> pd.DataFrame:
    """One row per municipality: time from the panel's start to the first IOP, or censoring.

    Returns the panel's row of ``end_year`` with ``event`` (1 if
    ``event_time`` lies in the window) and ``duration`` (years: the event
    year − (first panel year − 1), else ``end_year`` − (first panel year −
    1)), so a first IOP in 2010 has duration 1. Municipalities whose event
    lies before the panel (left-censored) are left out and counted in
    ``attrs["left_censored"]``; ``attrs["dropped_undated"]`` counts the
    undated adopters left out with ``drop_undated_adopters``.
    """
    first = int(panel["year"].min())
    origin = first - 1
    last = panel[panel["year"] == int(end_year)].copy()
    if not len(last):
        raise InputError(f"survival_data: the panel has no rows for {end_year}")
    et = pd.to_numeric(last[event_time]).astype("Float64")
    left = (et < first).fillna(False).to_numpy(dtype=bool)
    n_drop = 0
    keep = ~left
    if drop_undated_adopters:
        und = _undated_adopters(last, event_time).to_numpy()
        n_drop = int((und & keep).sum())
        keep &= ~und
    last = last[keep].copy()
    et = pd.to_numeric(last[event_time]).astype("float64")
    ev = (et.notna() & (et <= end_year)).to_numpy()
    last["event"] = ev.astype("int64")
    last["duration"] = np.where(ev, et.fillna(end_year) - origin, end_year - origin).astype("int64")
    last.attrs["left_censored"] = int(left.sum())
    last.attrs["dropped_undated"] = n_drop
    last.attrs["origin"] = origin
    return last.reset_index(drop=True)


def kaplan_meier_by(
    data: pd.DataFrame, duration: str, event: str, group: str, alpha: float = 0.05
) -> pd.DataFrame:
    """:func:`iopstudy.spread.kaplan_meier` by group (kept for the notebooks' vocabulary).

    Groups in which no unit, or every unit, had the event get their curve
    too: survival 1 throughout, or the product-limit steps down to 0.
    """
    from iopstudy.spread import kaplan_meier

    return kaplan_meier(data, duration, event, group=group, alpha=alpha)


def term_labels(
    terms: Sequence[str],
    lang: str = "en",
    *,
    municipalities: pd.DataFrame | None = None,
    width: int = 34,
) -> dict[str, str]:
    """Readable labels of model terms: ``"log_population"``, ``"skr_main_group[T.B]"``, ….

    A dummy ``col[T.level]`` becomes "<label of col>: <label of level>"
    (category labels of :mod:`iopstudy.labels`; county codes become county
    names when ``municipalities`` is given). Wrapped to ``width`` characters.
    """
    counties = {}
    if municipalities is not None:
        counties = dict(municipalities.drop_duplicates("county_code")[["county_code", "county_name"]].itertuples(index=False))
    out = {}
    for t in terms:
        if "[T." in t and t.endswith("]"):
            col, lev = t[:-1].split("[T.", 1)
            name = label("county", lang) if col == "county_code" else text(col, lang) if col in EXTRA_LABELS else label(col, lang, default=col)
            if col == "county_code":
                val = counties.get(lev, lev)
            else:
                val = labels_of(col, [lev], lang)[lev]
            s = f"{name}: {val}"
        else:
            s = label(t, lang, extra=EXTRA_LABELS, default=t)
        out[t] = "\n".join(textwrap.wrap(s, width)) or s
    return out


def term_table(results: Mapping[str, Any], term: str = "log_population") -> pd.DataFrame:
    """One term of several fitted models (``ModelResult``), one row per model.

    Returns ``term`` (the key of ``results``, so that
    :func:`iopstudy.figures.plot_coef` labels rows by variant), ``model,
    method, n, events, estimate, ratio, ratio_ci_low, ratio_ci_high,
    p_value, warnings``.
    """
    rows = []
    for key, res in results.items():
        c = res.coef.set_index("term")
        if term not in c.index:
            raise InputError(f"term_table: model {key!r} has no term {term!r}")
        s = res.summary.iloc[0]
        rows.append(
            dict(
                term=key, model=s["model"], method=s["method"], n=int(s["n"]), events=int(s["events"]),
                estimate=float(c.at[term, "estimate"]), ratio=float(c.at[term, "ratio"]),
                ratio_ci_low=float(c.at[term, "ratio_ci_low"]),
                ratio_ci_high=float(c.at[term, "ratio_ci_high"]),
                p_value=float(c.at[term, "p_value"]), warnings=str(s.get("warnings", "")),
            )
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- policy areas
def area_labels(vocabulary: pd.DataFrame | None = None) -> dict[str, dict[str, str]]:
    """``{area_id: {"en": label_en, "sv": label_sv}}`` from the policy-area vocabulary."""
    if vocabulary is None:
        from iopstudy.policy import load_policy_vocabulary

        vocabulary = load_policy_vocabulary()
    return {
        str(r.area_id): {"en": str(r.label_en), "sv": str(r.label_sv)}
        for r in vocabulary.itertuples(index=False)
    }


def area_counts(partnerships: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Agreements per policy area as primary and as secondary area.

    Returns ``area, primary, secondary, any, share_primary, share_any``
    (shares of all agreements; an agreement counts once per area in
    ``any``, so ``share_any`` sums to more than 1), sorted by ``primary``
    then ``any`` (descending), or in ``order``.
    """
    n = len(partnerships)
    prim = partnerships["policy_area_primary"].astype(str)
    sec = partnerships["policy_area_secondary"].fillna("").astype(str)
    areas = sorted(set(prim) | set(sec[sec != ""]))
    rows = []
    for a in areas:
        p_ = int((prim == a).sum())
        s_ = int((sec == a).sum())
        any_ = int(((prim == a) | (sec == a)).sum())
        rows.append(dict(area=a, primary=p_, secondary=s_, any=any_))
    out = pd.DataFrame(rows, columns=["area", "primary", "secondary", "any"])
    out["share_primary"] = out["primary"] / n if n else np.nan
    out["share_any"] = out["any"] / n if n else np.nan
    if order is not None:
        rank = {a: i for i, a in enumerate(order)}
        out = out.sort_values("area", key=lambda s: s.map(rank).fillna(len(rank)), kind="mergesort")
    else:
        out = out.sort_values(["primary", "any", "area"], ascending=[False, False, True], kind="mergesort")
    return out.reset_index(drop=True)


UNDATED = "undated"


def period_with_undated(
    partnerships: pd.DataFrame, breaks: Sequence[int] | None = None
) -> pd.Series:
    """:func:`iopstudy.spread.period_of` of ``start_year`` with ``"undated"`` as the last category.

    Periods without agreements are dropped from the categories.
    """
    from iopstudy.spread import DEFAULT_PERIOD_BREAKS, period_of

    per = period_of(partnerships["start_year"], breaks or DEFAULT_PERIOD_BREAKS)
    cats = list(per.cat.categories) + [UNDATED]
    out = per.cat.add_categories([UNDATED]).fillna(UNDATED)
    out = out.astype(pd.CategoricalDtype(cats, ordered=True)).cat.remove_unused_categories()
    return out.rename("period")


def level_profile(partnerships: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Kommun- and region-level agreements side by side.

    Returns one row per level: ``level, agreements, public_bodies,
    share_dated`` (start year known), ``share_amount`` (amount in SEK
    known), ``mean_partners``, ``top_area`` and ``top_area_share`` (most
    common primary area), ``n_areas`` (distinct primary areas),
    ``top_org_type`` and ``top_org_type_share`` (among the partner rows).
    """
    rows = []
    for lvl, d in partnerships.groupby("level", sort=True):
        areas = d["policy_area_primary"].value_counts()
        areas = areas.sort_index().sort_values(ascending=False, kind="mergesort")
        pr = partners[partners["record_id"].isin(d["record_id"])]["org_type"].value_counts()
        pr = pr.sort_index().sort_values(ascending=False, kind="mergesort")
        rows.append(
            dict(
                level=lvl,
                agreements=len(d),
                public_bodies=int(d["public_body_name"].nunique()),
                share_dated=float(d["start_year"].notna().mean()),
                share_amount=float(d["amount_sek"].notna().mean()),
                mean_partners=float(d["n_partners"].mean()),
                top_area=areas.index[0],
                top_area_share=float(areas.iloc[0] / len(d)),
                n_areas=int(len(areas)),
                top_org_type=pr.index[0] if len(pr) else None,
                top_org_type_share=float(pr.iloc[0] / pr.sum()) if len(pr) else np.nan,
            )
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- plots
#: Formats and resolution per preset used by :func:`export_figure`: PNG at
#: 300 dpi, PDF and SVG, for the paper preset and the 16:9 slide preset.
#: Pass ``export=`` to change this (for example PNG only while drafting).
FIGURE_EXPORT: dict[str, tuple[tuple[str, ...], int]] = {
    "paper": (("png", "pdf", "svg"), 300),
    "slide": (("png", "pdf", "svg"), 300),
}


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
    """
    from iopstudy.figures import figure_pair

    paths: list[Path] = []
    for preset, (formats, dpi) in (export or FIGURE_EXPORT).items():
        paths += figure_pair(
            plot_fn, name, lang, *args, presets=(preset,), out_dir=out_dir,
            formats=tuple(formats), dpi=int(dpi), **kwargs,
        )
    return paths


def _fig_ax(ax: Any, preset: str, lang: str):
    from iopstudy.figures import _start

    return _start(ax, preset, lang)


def _finish(fig, ax, *, title: str | None, notes: Sequence[str] | str | None):
    from iopstudy.figures import _finish as finish, _note_text

    return finish(fig, ax, title=title, notes=_note_text(notes))


def _wrap(s: str, preset: str, width: int | None = None) -> str:
    from iopstudy.figures import _wrap as wrap

    return wrap(s, preset, width or (30 if preset == "paper" else 44))


def _labels_for(values: Sequence[Any], labels: str | Mapping[Any, Any] | None, lang: str) -> dict[Any, str]:
    if labels is None:
        return {v: str(v) for v in values}
    if isinstance(labels, str):
        return labels_of(labels, list(values), lang)
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
):
    """Horizontal bars of counts per category (top to bottom in ``order``), optionally stacked.

    ``data`` is long: one row per category (× ``stack`` value) with a
    ``count``. Labels: a category kind of :func:`labels_of` or a mapping
    code → text or ``{"en": …, "sv": …}``. Totals are written at the bar ends.
    """
    from iopstudy.figures import OKABE_ITO, apply_number_format

    import matplotlib as mpl

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
    for i, col in enumerate(wide.columns):
        vals = wide[col].to_numpy(dtype=float)
        ax.barh(ypos, vals, left=left, height=0.7, color=OKABE_ITO[i % len(OKABE_ITO)],
                edgecolor="white", label=_wrap(snames.get(col, col), preset, 24) if stack else None)
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
    if stack:
        ax.legend(title=legend_title, loc="lower right")
    return _finish(fig, ax, title=title, notes=[note] if isinstance(note, str) else note)


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
    """Agreements per start year as stacked bars (by level); undated ones are counted in the note."""
    from iopstudy.figures import OKABE_ITO, apply_number_format

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
        names = labels_of(stack, levels, lang)
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
        text("undated_not_shown", lang, n=n_undated, total=len(partnerships))
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
    """
    from iopstudy.figures import OKABE_ITO, apply_number_format

    import matplotlib as mpl

    check_lang(lang)
    fig, ax = _fig_ax(ax, preset, lang)
    df = coverage.sort_values("group").reset_index(drop=True)
    ypos = np.arange(len(df))[::-1]
    ax.barh(ypos, df["n_municipalities"], height=0.75, color="#D9D9D9", label=text("municipalities_all", lang))
    ax.barh(ypos, df["municipalities_found"], height=0.75, color=OKABE_ITO[0],
            label=text("municipalities_found", lang))
    has_reg = df["region_agreements"].to_numpy() > 0
    xmax = float(df["n_municipalities"].max())
    if has_reg.any():
        ax.plot(df.loc[has_reg, "n_municipalities"] + 0.04 * xmax, ypos[has_reg], linestyle="none",
                marker="D", color=OKABE_ITO[1], label=text("region_found", lang))
    fs = 0.75 * float(mpl.rcParams["font.size"])
    for yv, f_, n_ in zip(ypos, df["municipalities_found"], df["n_municipalities"]):
        ax.text(n_ + 0.09 * xmax, yv, f"{f_}/{n_}", va="center", fontsize=fs, color="#444444")
    names = [str(n).removesuffix(" län") for n in df["county_name"]]
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
    """
    from iopstudy.figures import OKABE_ITO, apply_number_format

    import matplotlib as mpl

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
    ax.set_xlabel(xlabel or text("share_found", lang))
    apply_number_format(ax, lang, x="percent", y=None)
    notes = ([note] if isinstance(note, str) else list(note or []))
    if ci_note:
        notes.append(text("note_wilson_lines", lang, level=95))
    return _finish(fig, ax, title=title, notes=notes)
