"""The register wing: read a register of IOP agreements, parse and code its fields, and build the processed tables.

=======================================  =====================================================
:mod:`~iopstudy.register.read`           read a register (CSV in any common encoding, .xlsx)
:mod:`~iopstudy.register.fields`         dates and periods as the sources write them
:mod:`~iopstudy.register.amounts`        amounts of money ("1,2 mnkr per år")
:mod:`~iopstudy.register.organisations`  partner names and organisation types
:mod:`~iopstudy.register.policy`         the policy-area vocabulary and classifier
:mod:`~iopstudy.register.process`        clean → ``partnerships``, ``partners``, exclusions
:mod:`~iopstudy.register.merge`          combine registers, flag duplicates and renewals
:mod:`~iopstudy.register.panel`          the municipality-year panel
:mod:`~iopstudy.register.schemas`        pandera schemas of the processed tables
:mod:`~iopstudy.register.study`          the processed tables in one object (built if needed)
:mod:`~iopstudy.register.describe`       descriptive tables of the register (coverage, areas)
:mod:`~iopstudy.register.literature`     published counts and SKR's LOV series
=======================================  =====================================================

Public bodies are resolved against the reference data by :mod:`iopstudy.reference`.
Every raw row ends up in ``partnerships`` or in the exclusions with a reason.
"""

from __future__ import annotations

from iopstudy.register.read import (
    REQUIRED_COLUMNS,
    OPTIONAL_COLUMNS,
    RegisterFile,
    read_register_file,
    read_register,
)
from iopstudy.register.fields import (
    parse_dates,
    parse_period,
    check_period,
)
from iopstudy.register.amounts import (
    parse_amounts,
)
from iopstudy.register.organisations import (
    split_partners,
    classify_org_type,
    normalise_org_name,
    ORG_TYPES,
    ORG_TYPE_LABELS,
    partner_identity,
    load_partner_aliases,
)
from iopstudy.register.policy import (
    OTHER,
    default_vocabulary_path,
    PolicyVocabulary,
    read_policy_vocabulary,
    load_policy_vocabulary,
    classify_policy_area,
)
from iopstudy.register.process import (
    check_register,
    clean_register,
    build,
    BuildResult,
)
from iopstudy.register.merge import (
    merge_registers,
    MergeResult,
)
from iopstudy.register.panel import (
    municipality_panel,
)
from iopstudy.register.schemas import (
    TABLES,
    schema,
    validate_table,
    read_processed,
    write_processed,
)
from iopstudy.register.study import (
    StudyData,
    load_study_data,
)
from iopstudy.register.describe import (
    observation_end,
    activity_in_year,
    coverage_by,
    area_labels,
    area_counts,
    level_profile,
)
from iopstudy.register.literature import (
    read_published_counts,
    national_published_counts,
    register_published_points,
    published_local,
    register_vs_published,
    LOV_STATUS,
    read_lov_counts,
)

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "RegisterFile",
    "read_register_file",
    "read_register",
    "parse_dates",
    "parse_period",
    "check_period",
    "parse_amounts",
    "split_partners",
    "classify_org_type",
    "normalise_org_name",
    "partner_identity",
    "load_partner_aliases",
    "ORG_TYPES",
    "ORG_TYPE_LABELS",
    "OTHER",
    "default_vocabulary_path",
    "PolicyVocabulary",
    "read_policy_vocabulary",
    "load_policy_vocabulary",
    "classify_policy_area",
    "check_register",
    "clean_register",
    "build",
    "BuildResult",
    "merge_registers",
    "MergeResult",
    "municipality_panel",
    "TABLES",
    "schema",
    "validate_table",
    "read_processed",
    "write_processed",
    "StudyData",
    "load_study_data",
    "observation_end",
    "activity_in_year",
    "coverage_by",
    "area_labels",
    "area_counts",
    "level_profile",
    "read_published_counts",
    "national_published_counts",
    "register_published_points",
    "published_local",
    "register_vs_published",
    "LOV_STATUS",
    "read_lov_counts",
]
