"""Sensitivity of the size effect to how a partial register is coded (notebook 02).

A partial register forces two assumptions: a municipality without a found agreement is coded as
a non-adopter, and an adopter whose agreements are all undated is censored as if it had none.
:func:`size_variants` refits the main models under variants of both and returns one row per
variant for the log-population term (:func:`~iopstudy.spread.describe.term_table`).

Examples
--------
>>> sorted(VARIANTS)[:3]
['cox_no_undated', 'cox_start', 'hazard_evidence']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from iopstudy.spread.describe import at_risk, survival_data, term_table
from iopstudy.spread.regression import fit_logit
from iopstudy.spread.survival import fit_cox, fit_discrete_hazard

__all__ = ["VARIANTS", "Sensitivity", "size_variants"]

#: The variants, in the order they are shown: name → what is varied.
VARIANTS: dict[str, str] = {
    "logit_all": "logit of ever adopted, all municipalities (main)",
    "logit_covered": "logit, only counties with a found agreement",
    "logit_county": "logit with county dummies (Firth when separated)",
    "hazard_start": "discrete-time hazard, first dated start (main)",
    "hazard_evidence": "hazard, first dated start or end",
    "hazard_no_undated": "hazard, undated adopters left out",
    "cox_start": "Cox (Efron ties), first dated start",
    "cox_no_undated": "Cox, undated adopters left out",
}


class Sensitivity(NamedTuple):
    """Result of :func:`size_variants`: the fitted ``models`` (name → ModelResult), the
    ``table`` of the term in every model, and ``covered`` (the municipalities of the counties
    with a found agreement, used by ``logit_covered``)."""

    models: dict
    table: pd.DataFrame
    covered: pd.DataFrame


def size_variants(
    panel: pd.DataFrame,
    last: pd.DataFrame,
    partnerships: pd.DataFrame,
    end: int,
    *,
    covariates: Sequence[str] = ("log_population", "skr_main_group"),
    term: str = "log_population",
    fitted: Mapping[str, Any] | None = None,
) -> Sensitivity:
    """Fit every variant of :data:`VARIANTS` and tabulate ``term`` across them.

    Parameters
    ----------
    panel
        The municipality-year panel.
    last
        One row per municipality at the end of the window.
    partnerships
        The agreements (for the counties with a found agreement).
    end
        The last year of the window.
    covariates, term
        The models' covariates and the term compared.
    fitted
        Models already fitted (same keys as :data:`VARIANTS`) to reuse instead of refitting.
    """
    cov = list(covariates)
    have = dict(fitted or {})
    covered = last[last["county_code"].isin(set(partnerships["county_code"].dropna()))].copy()
    makers = {
        "logit_all": lambda: fit_logit(last, "ever_adopted", cov),
        "logit_covered": lambda: fit_logit(covered, "ever_adopted", cov),
        "logit_county": lambda: fit_logit(last, "ever_adopted", cov + ["county_code"]),
        "hazard_start": lambda: fit_discrete_hazard(at_risk(panel, end), covariates=cov, time="year"),
        "hazard_evidence": lambda: fit_discrete_hazard(
            at_risk(panel, end, "first_evidence_year"), covariates=cov, time="year"),
        "hazard_no_undated": lambda: fit_discrete_hazard(
            at_risk(panel, end, drop_undated_adopters=True), covariates=cov, time="year"),
        "cox_start": lambda: fit_cox(survival_data(panel, end), "duration", "event", cov, ties="efron"),
        "cox_no_undated": lambda: fit_cox(
            survival_data(panel, end, drop_undated_adopters=True), "duration", "event", cov, ties="efron"),
    }
    models = {k: have[k] if k in have else make() for k, make in makers.items()}
    return Sensitivity(models, term_table(models, term), covered)
