"""How IOP spreads: adoption curves, contingency tests, regression and event-history models.

Plain functions on any long (tidy) DataFrame, in the style of pingouin: the data come first,
columns are named by keyword, and every function returns a tidy DataFrame or one result type
(:class:`ModelResult`: ``coef``, ``summary``, ``warnings``, ``model``), so each function can be
checked on textbook data as well as on the municipality panel. One model family per file, as
in lifelines:

=============================  ===================================================
:mod:`~iopstudy.spread.curves`        adoption curves, Wilson intervals, periods
:mod:`~iopstudy.spread.contingency`   chi-square / exact tests, composition, concentration
:mod:`~iopstudy.spread.firth`         Firth's penalised logit, separation check
:mod:`~iopstudy.spread.regression`    logit (Firth fallback) and count models
:mod:`~iopstudy.spread.survival`      person-period table, discrete-time hazard, Cox, KM
:mod:`~iopstudy.spread.describe`      found adopters against all municipalities, risk sets
:mod:`~iopstudy.spread.results`       the result types and their columns
=============================  ===================================================

Small cells, zero cells and perfect separation are normal in a partial register of a few
dozen agreements. The functions here never drop rows silently (missing values raise
:class:`~iopstudy.errors.InputError`), choose exact tests when expected counts are small,
switch to Firth's penalised likelihood when maximum likelihood estimates do not exist, and
say so in their output and in a :class:`~iopstudy.errors.StatisticalWarning`.
"""

from __future__ import annotations

from iopstudy.spread.contingency import (
    COCHRAN_RULE,
    adoption_crosstab,
    concentration,
    contingency_test,
    policy_composition,
)
from iopstudy.spread.curves import (
    DEFAULT_PERIOD_BREAKS,
    adoption_curve,
    expand_status_counts,
    period_of,
    wilson_ci,
)
from iopstudy.spread.firth import detect_separation, firth_logit
from iopstudy.spread.regression import fit_count, fit_logit
from iopstudy.spread.results import (
    COEF_COLUMNS,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    SUMMARY_COLUMNS,
    TEST_COLUMNS,
    CountModelResult,
    CrosstabResult,
    FirthLogitResults,
    ModelResult,
)
from iopstudy.spread.survival import (
    fit_cox,
    fit_discrete_hazard,
    kaplan_meier,
    logrank_test,
    person_period,
)

__all__ = [
    "CrosstabResult",
    "ModelResult",
    "CountModelResult",
    "FirthLogitResults",
    "COCHRAN_RULE",
    "COEF_COLUMNS",
    "SUMMARY_COLUMNS",
    "TEST_COLUMNS",
    "DEFAULT_PERIOD_BREAKS",
    "DEFAULT_SEED",
    "DEFAULT_RESAMPLES",
    "wilson_ci",
    "expand_status_counts",
    "adoption_curve",
    "adoption_crosstab",
    "contingency_test",
    "detect_separation",
    "fit_logit",
    "firth_logit",
    "fit_count",
    "person_period",
    "fit_discrete_hazard",
    "fit_cox",
    "kaplan_meier",
    "logrank_test",
    "policy_composition",
    "concentration",
    "period_of",
]
