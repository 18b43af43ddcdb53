"""Sensitivity of the size effect to the model and to how adoption is dated (notebook 02).

A partial register forces assumptions on the *timing* of adoption: an adopter whose agreements
are all undated adopted at some unknown time, and a first dated start may not be the first
IOP. :func:`size_variants` refits the models under variants of the model (logit, hazard,
Cox; Firth; time specification; model-based or county-clustered standard errors) and of the
dating (first dated start, start or end, undated adopters left out, interval-censored with
the first years the sources state), and returns one row per variant for the log-population
term (:func:`~iopstudy.spread.describe.term_table`).

What no variant here changes is the coding of the municipalities *without* a found agreement:
every variant takes them as non-adopters. Where the undetected adopters sit is the subject of
:mod:`iopstudy.spread.bounds` and :mod:`iopstudy.spread.detection`. A variant restricted to
the counties with a found agreement was removed: it selects on the outcome.

Examples
--------
>>> sorted(VARIANTS)[:3]
['cox_no_undated', 'cox_start', 'firth_start']
>>> RATIO_KIND["logit_all"], RATIO_KIND["interval"]
('odds', 'hazard')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from iopstudy.spread.describe import at_risk, survival_data, term_table
from iopstudy.spread.interval import adoption_intervals, fit_firth_hazard, fit_interval_hazard, stated_first_years
from iopstudy.spread.regression import fit_logit
from iopstudy.spread.survival import fit_cox, fit_discrete_hazard

__all__ = ["VARIANTS", "RATIO_KIND", "Sensitivity", "size_variants"]

#: The variants, in the order they are shown: name → what is varied.
VARIANTS: dict[str, str] = {
    "logit_all": "logit of ever adopted, all municipalities (main logit)",
    "logit_county": "logit with county dummies (Firth when separated; Wald intervals)",
    "interval": "interval-censored hazard, stated first years, centred year (main hazard)",
    "interval_county": "interval-censored hazard, county-clustered standard errors",
    "interval_periods": "interval-censored hazard, period dummies instead of a year trend",
    "interval_log_duration": "interval-censored hazard, log duration instead of a year trend",
    "hazard_start": "discrete-time hazard, first dated start (undated adopters censored)",
    "firth_start": "Firth-penalised discrete-time hazard, first dated start",
    "hazard_evidence": "hazard, first dated start or end",
    "hazard_no_undated": "hazard, undated adopters left out",
    "cox_start": "Cox (Efron ties), first dated start",
    "cox_no_undated": "Cox, undated adopters left out",
}

#: Which ratio each variant estimates: ``"odds"`` (logit) or ``"hazard"`` (hazard, Cox).
RATIO_KIND: dict[str, str] = {k: ("odds" if k.startswith("logit") else "hazard") for k in VARIANTS}


class Sensitivity(NamedTuple):
    """Result of :func:`size_variants`: the fitted ``models`` (name → ModelResult), the
    ``table`` of the term in every model (with ``ratio_kind``), and the ``intervals`` of the
    interval-censored variants (:func:`~iopstudy.spread.interval.adoption_intervals`).

    Examples
    --------
    Thirty illustrative municipalities over 2014–2017 (the Firth variant fitted beforehand
    with Wald intervals, and no stated first years):

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> m = pd.DataFrame({"kommun_code": [f"k{i:02d}" for i in range(30)],
    ...                   "log_population": rng.normal(10, 1, 30),
    ...                   "county_code": rng.choice(["01", "02"], 30)})
    >>> adopts = rng.random(30) < 1 / (1 + np.exp(10 - m["log_population"]))
    >>> m["first_iop_year"] = pd.array(np.where(adopts, rng.integers(2014, 2018, 30), None), dtype="Int64")
    >>> panel = m.merge(pd.DataFrame({"year": range(2014, 2018)}), how="cross")
    >>> panel["first_evidence_year"] = panel["first_iop_year"]
    >>> panel["ever_adopted"] = panel["first_iop_year"].notna()
    >>> last = panel[panel["year"] == 2017]
    >>> firth = fit_firth_hazard(at_risk(panel, 2017), "event", ["log_population"], time="year",
    ...                          ci="wald")
    >>> r = size_variants(panel, last, None, 2017, covariates=["log_population"],
    ...                   fitted={"firth_start": firth})
    >>> r._fields, r.models["firth_start"] is firth, len(r.intervals)
    (('models', 'table', 'intervals'), True, 30)
    """

    models: dict
    table: pd.DataFrame
    intervals: pd.DataFrame


def size_variants(
    panel: pd.DataFrame,
    last: pd.DataFrame,
    partnerships: pd.DataFrame | None,
    end: int,
    *,
    covariates: Sequence[str] = ("log_population", "skr_main_group"),
    term: str = "log_population",
    fitted: Mapping[str, Any] | None = None,
    corrections: pd.DataFrame | None = None,
) -> Sensitivity:
    """Fit every variant of :data:`VARIANTS` and tabulate ``term`` across them.

    Parameters
    ----------
    panel
        The municipality-year panel.
    last
        One row per municipality at the end of the window.
    partnerships
        The agreements; no variant uses them since the covered-counties variant was removed
        (kept so that calls do not change).
    end
        The last year of the window.
    covariates, term
        The models' covariates and the term compared.
    fitted
        Models already fitted (same keys as :data:`VARIANTS`) to reuse instead of refitting.
    corrections
        First years stated in the sources, for the interval-censored variants. By default
        :func:`~iopstudy.spread.interval.stated_first_years`, those of its municipalities that
        are in ``last`` (a study of some municipalities only gets theirs, not an error).

    Returns
    -------
    Sensitivity
        ``table`` has the columns of :func:`~iopstudy.spread.describe.term_table` and
        ``ratio_kind`` (``"odds"`` or ``"hazard"``), one row per variant in the order of
        :data:`VARIANTS`.

    Examples
    --------
    Thirty illustrative municipalities over 2014–2017, 17 of them adopting, more often the
    larger ones. The Firth variant is fitted beforehand with Wald intervals (faster than its
    profile intervals) and reused; the sources state no first years for these units:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> m = pd.DataFrame({"kommun_code": [f"k{i:02d}" for i in range(30)],
    ...                   "log_population": rng.normal(10, 1, 30),
    ...                   "county_code": rng.choice(["01", "02"], 30)})
    >>> adopts = rng.random(30) < 1 / (1 + np.exp(10 - m["log_population"]))
    >>> m["first_iop_year"] = pd.array(np.where(adopts, rng.integers(2014, 2018, 30), None), dtype="Int64")
    >>> panel = m.merge(pd.DataFrame({"year": range(2014, 2018)}), how="cross")
    >>> panel["first_evidence_year"] = panel["first_iop_year"]
    >>> panel["ever_adopted"] = panel["first_iop_year"].notna()
    >>> last = panel[panel["year"] == 2017]
    >>> firth = fit_firth_hazard(at_risk(panel, 2017), "event", ["log_population"], time="year",
    ...                          ci="wald")
    >>> r = size_variants(panel, last, None, 2017, covariates=["log_population"],
    ...                   fitted={"firth_start": firth})
    >>> r.table["term"].tolist() == list(VARIANTS), r.table["ratio_kind"].value_counts().to_dict()
    (True, {'hazard': 10, 'odds': 2})
    >>> r.table[["n", "events"]].head(1).values.tolist(), bool((r.table["ratio"] > 1).all())
    ([[30, 17]], True)
    >>> r.table.set_index("term")["ratio"].round(1)[["logit_all", "interval", "cox_start"]].tolist()
    [3.2, 1.8, 1.8]
    """
    cov = list(covariates)
    have = dict(fitted or {})
    if corrections is None:
        corrections = stated_first_years()
        corrections = corrections[corrections["kommun_code"].isin(last["kommun_code"].astype(str))]
    iv = adoption_intervals(panel, end, corrections=corrections)
    makers = {
        "logit_all": lambda: fit_logit(last, "ever_adopted", cov),
        "logit_county": lambda: fit_logit(last, "ever_adopted", cov + ["county_code"], ci="wald"),
        "interval": lambda: fit_interval_hazard(iv, cov),
        "interval_county": lambda: fit_interval_hazard(iv, cov, cluster="county_code"),
        "interval_periods": lambda: fit_interval_hazard(iv, cov, time="periods"),
        "interval_log_duration": lambda: fit_interval_hazard(iv, cov, time="log_duration"),
        "hazard_start": lambda: fit_discrete_hazard(at_risk(panel, end), covariates=cov, time="year"),
        "firth_start": lambda: fit_firth_hazard(at_risk(panel, end), "event", cov, time="year"),
        "hazard_evidence": lambda: fit_discrete_hazard(
            at_risk(panel, end, "first_evidence_year"), covariates=cov, time="year"),
        "hazard_no_undated": lambda: fit_discrete_hazard(
            at_risk(panel, end, drop_undated_adopters=True), covariates=cov, time="year"),
        "cox_start": lambda: fit_cox(survival_data(panel, end), "duration", "event", cov, ties="efron"),
        "cox_no_undated": lambda: fit_cox(
            survival_data(panel, end, drop_undated_adopters=True), "duration", "event", cov, ties="efron"),
    }
    models = {k: have[k] if k in have else make() for k, make in makers.items()}
    table = term_table(models, term)
    table["ratio_kind"] = table["term"].map(RATIO_KIND)
    return Sensitivity(models, table, iv)
