"""How IOP spreads: adoption curves, contingency tests, regression and event-history models.

Plain functions on any long (tidy) DataFrame, in the style of pingouin: the data come first,
columns are named by keyword, and every function returns a tidy DataFrame or one result type
(:class:`ModelResult`: ``coef``, ``summary``, ``warnings``, ``model``), so each function can be
checked on textbook data as well as on the municipality panel. One model family per file, as
in lifelines:

=====================================  =========================================================
:mod:`~iopstudy.spread.curves`         adoption curves, Wilson intervals, periods
:mod:`~iopstudy.spread.contingency`    chi-square / exact tests, composition, concentration
:mod:`~iopstudy.spread.firth`          Firth's penalised logit, separation check
:mod:`~iopstudy.spread.regression`     logit (Firth fallback) and count models
:mod:`~iopstudy.spread.survival`       person-period table, discrete-time hazard, Cox, KM
:mod:`~iopstudy.spread.describe`       found adopters against all municipalities, risk sets
:mod:`~iopstudy.spread.results`        the result types and their columns
:mod:`~iopstudy.spread.interval`       interval-censored first years, Firth-penalised hazard
:mod:`~iopstudy.spread.bounds`         bounds under undetected adopters (partial identification)
:mod:`~iopstudy.spread.detection`      detection from published counts, corrected logit
:mod:`~iopstudy.spread.multiple`       Holm / BH corrections, cluster permutation tests
:mod:`~iopstudy.spread.report_tables`  regression tables, predictions, incidence curves
:mod:`~iopstudy.spread.spatial`        join counts, Moran's I, local clusters (LISA) of found adoption
:mod:`~iopstudy.spread.diffusion`      covariates of t − 1 (size, density, neighbours, region, votes), diffusion hazard
=====================================  =========================================================

Small cells, zero cells and perfect separation are normal in a partial register of a few
dozen agreements. The functions here never drop rows silently (missing values raise
:class:`~iopstudy.errors.InputError`), choose exact tests when expected counts are small,
switch to Firth's penalised likelihood when maximum likelihood estimates do not exist, and
say so in their output and in a :class:`~iopstudy.errors.StatisticalWarning`.
"""

from __future__ import annotations

from iopstudy.spread.bounds import (
    breakdown_k,
    hazard_bounds,
    logit_bounds,
    min_undetected,
    placement_scenarios,
    share_bounds,
    sign_identified,
)
from iopstudy.spread.contingency import (
    COCHRAN_RULE,
    adoption_crosstab,
    cochran_ok,
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
from iopstudy.spread.diffusion import (
    DIFFUSION_COVARIATES,
    diffusion_models,
    diffusion_panel,
    diffusion_variants,
    fit_diffusion,
    lagged_covariates,
)
from iopstudy.spread.detection import (
    SEARCHED_PLACES,
    calibrate_detection,
    detection_from_published,
    detection_sensitivity,
    fit_detection_logit,
    implied_adopters,
    searched_by_name,
)
from iopstudy.spread.firth import detect_separation, firth_logit
from iopstudy.spread.interval import (
    STATED_FIRST_YEARS,
    adoption_intervals,
    fit_firth_hazard,
    fit_interval_hazard,
    stated_first_years,
)
from iopstudy.spread.multiple import adjust_pvalues, cluster_influence, cluster_permutation_test
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
from iopstudy.spread.report_tables import (
    coef_long,
    cumulative_incidence,
    marginal_effect,
    population_profiles,
    predict_at,
    regression_table,
)
from iopstudy.spread.spatial import (
    adoption_status,
    clustering_tests,
    join_count_test,
    local_clusters,
    morans_i,
)
from iopstudy.spread.survival import (
    fit_cox,
    fit_discrete_hazard,
    hazard_design,
    kaplan_meier,
    logrank_test,
    person_period,
)

__all__ = [
    # geography and diffusion
    "adoption_status",
    "join_count_test",
    "morans_i",
    "local_clusters",
    "clustering_tests",
    "DIFFUSION_COVARIATES",
    "lagged_covariates",
    "diffusion_panel",
    "fit_diffusion",
    "diffusion_models",
    "diffusion_variants",
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
    "cochran_ok",
    "hazard_design",
    # interval-censored timing and the penalised hazard
    "STATED_FIRST_YEARS",
    "stated_first_years",
    "adoption_intervals",
    "fit_interval_hazard",
    "fit_firth_hazard",
    # undetected adopters
    "min_undetected",
    "share_bounds",
    "logit_bounds",
    "hazard_bounds",
    "placement_scenarios",
    "sign_identified",
    "breakdown_k",
    "SEARCHED_PLACES",
    "searched_by_name",
    "implied_adopters",
    "detection_from_published",
    "fit_detection_logit",
    "detection_sensitivity",
    "calibrate_detection",
    # tests and tables
    "adjust_pvalues",
    "cluster_permutation_test",
    "cluster_influence",
    "coef_long",
    "regression_table",
    "predict_at",
    "marginal_effect",
    "population_profiles",
    "cumulative_incidence",
]
