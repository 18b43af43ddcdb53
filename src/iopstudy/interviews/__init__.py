"""The interview wing: import, pseudonymise, code and compare interview transcripts.

=======================================  =====================================================
:mod:`~iopstudy.interviews.results`      the result objects (transcript, corpus, scan …)
:mod:`~iopstudy.interviews.transcripts`  read one transcript (txt, md, docx) into segments
:mod:`~iopstudy.interviews.metadata`     the interview metadata table
:mod:`~iopstudy.interviews.privacy`      pseudonymisation and the PII scan
:mod:`~iopstudy.interviews.codebook`     the codebook (themes, codes, stems)
:mod:`~iopstudy.interviews.qdc`          REFI-QDA codebook exchange (``.qdc``)
:mod:`~iopstudy.interviews.qdpx`         REFI-QDA project exchange (``.qdpx``)
:mod:`~iopstudy.interviews.coding`       dictionary pre-coding and manual codings
:mod:`~iopstudy.interviews.reliability`  intercoder agreement (Krippendorff, Cohen, Fleiss)
:mod:`~iopstudy.interviews.themes`       code frequencies, co-occurrence, quotes
:mod:`~iopstudy.interviews.compare`      codes compared across sectors
:mod:`~iopstudy.interviews.build`        corpus → pseudonymised processed tables
:mod:`~iopstudy.interviews.overview`     the tables of the interview notebook
=======================================  =====================================================
"""

from __future__ import annotations

from iopstudy.interviews.results import (
    Transcript,
    Metadata,
    Corpus,
    ManualCodings,
    Pseudonymised,
    PiiScan,
)
from iopstudy.interviews.transcripts import (
    TRANSCRIPT_SUFFIXES,
    SEGMENT_COLUMNS,
    ACCEPTED_SPEAKER_FORMS,
    SPEAKER_ROLES,
    read_text_file,
    transcript_text,
    read_transcript,
)
from iopstudy.interviews.metadata import (
    METADATA_COLUMNS,
    SECTORS,
    read_interview_metadata,
)
from iopstudy.interviews.privacy import (
    DEMO_SALT,
    SALT_ENV,
    DEFAULT_SALT_PATH,
    PII_KINDS,
    AMBIGUOUS_NAME_PARTS,
    SCANNED_SUFFIXES,
    MissingSaltError,
    PiiMatch,
    load_salt,
    load_names,
    luhn_valid,
    is_personnummer,
    pseudonym,
    find_pii,
    pseudonymise,
    pseudonymise_frame,
    mask,
    scan_pii,
)
from iopstudy.interviews.codebook import (
    Codebook,
    CODE_COLUMNS,
    THEME_COLUMNS,
    IOPSTUDY_NAMESPACE,
    code_guid,
    load_codebook,
    codebook_from_dict,
    stem_regex,
    code_regex,
)
from iopstudy.interviews.qdc import (
    QDC_NAMESPACE,
    codebook_to_qdc,
    read_qdc,
)
from iopstudy.interviews.qdpx import (
    PROJECT_NAMESPACE,
    QdaProject,
    read_qdpx,
    write_qdpx,
    normalise_source_text,
)
from iopstudy.interviews.refi import (
    project_from_segments,
    codings_to_segments,
)
from iopstudy.interviews.coding import (
    PRECODE_COLUMNS,
    MANUAL_COLUMNS,
    precode,
    precode_reference,
    precode_presence,
    precode_partitions,
    read_manual_codings,
    compare_codings,
)
from iopstudy.interviews.reliability import (
    AGREEMENT_COLUMNS,
    agreement,
    agreement_summary,
    per_code_table,
)
from iopstudy.interviews.themes import (
    KNOWN_FALSE_POSITIVES,
    illustrative_note,
    coded_segments,
    consensus_codings,
    code_frequencies,
    code_frequencies_by_municipality,
    cooccurrence,
    cooccurrence_matrix,
    strongest_quotes,
    false_positive_check,
    code_labels,
)
from iopstudy.interviews.compare import (
    CodeComparison,
    compare_sectors,
    compare_pairs,
)
from iopstudy.interviews.build import (
    transcript_files,
    read_corpus,
    INTERVIEW_TABLES,
    InterviewBuildResult,
    build_interviews,
    InterviewTables,
    load_interview_tables,
)
from iopstudy.interviews.overview import (
    CorpusOverview,
    CorpusCounts,
    corpus_overview,
    corpus_counts,
    frequencies_side_by_side,
    shares_wide,
    group_totals,
    top_cooccurrences,
    quotes_by_theme,
)

__all__ = [
    "Transcript",
    "Metadata",
    "Corpus",
    "ManualCodings",
    "Pseudonymised",
    "PiiScan",
    "TRANSCRIPT_SUFFIXES",
    "SEGMENT_COLUMNS",
    "ACCEPTED_SPEAKER_FORMS",
    "SPEAKER_ROLES",
    "read_text_file",
    "transcript_text",
    "read_transcript",
    "METADATA_COLUMNS",
    "SECTORS",
    "read_interview_metadata",
    "DEMO_SALT",
    "SALT_ENV",
    "DEFAULT_SALT_PATH",
    "PII_KINDS",
    "AMBIGUOUS_NAME_PARTS",
    "SCANNED_SUFFIXES",
    "MissingSaltError",
    "PiiMatch",
    "load_salt",
    "load_names",
    "luhn_valid",
    "is_personnummer",
    "pseudonym",
    "find_pii",
    "pseudonymise",
    "pseudonymise_frame",
    "mask",
    "scan_pii",
    "Codebook",
    "CODE_COLUMNS",
    "THEME_COLUMNS",
    "IOPSTUDY_NAMESPACE",
    "code_guid",
    "load_codebook",
    "codebook_from_dict",
    "stem_regex",
    "code_regex",
    "QDC_NAMESPACE",
    "codebook_to_qdc",
    "read_qdc",
    "PROJECT_NAMESPACE",
    "QdaProject",
    "read_qdpx",
    "write_qdpx",
    "normalise_source_text",
    "project_from_segments",
    "codings_to_segments",
    "PRECODE_COLUMNS",
    "MANUAL_COLUMNS",
    "precode",
    "precode_reference",
    "precode_presence",
    "precode_partitions",
    "read_manual_codings",
    "compare_codings",
    "AGREEMENT_COLUMNS",
    "agreement",
    "agreement_summary",
    "per_code_table",
    "KNOWN_FALSE_POSITIVES",
    "illustrative_note",
    "coded_segments",
    "consensus_codings",
    "code_frequencies",
    "code_frequencies_by_municipality",
    "cooccurrence",
    "cooccurrence_matrix",
    "strongest_quotes",
    "false_positive_check",
    "code_labels",
    "CodeComparison",
    "compare_sectors",
    "compare_pairs",
    "transcript_files",
    "read_corpus",
    "INTERVIEW_TABLES",
    "InterviewBuildResult",
    "build_interviews",
    "InterviewTables",
    "load_interview_tables",
    "CorpusOverview",
    "CorpusCounts",
    "corpus_overview",
    "corpus_counts",
    "frequencies_side_by_side",
    "shares_wide",
    "group_totals",
    "top_cooccurrences",
    "quotes_by_theme",
]
