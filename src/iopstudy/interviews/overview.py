"""The tables of the interview notebook (04): the corpus at a glance, frequencies side by side,
quotes by theme.

Every function takes the processed interview tables (:class:`~iopstudy.interviews.InterviewTables`)
or the result of a function of :mod:`iopstudy.interviews.themes`, and returns a tidy DataFrame
or a small named tuple of them, so the notebook only displays and saves them.

=========================  ===============================================================
corpus_overview            one row per interview; interviews by role and by size class,
                           per sector
corpus_counts              the numbers the notebook quotes about the corpus
frequencies_side_by_side   dictionary and manual frequencies of the same groups and codes
shares_wide                a frequency table as code × group shares
group_totals               interviews and segments of each group of a frequency table
top_cooccurrences          the code pairs applied together most often
quotes_by_theme            each code's best quote, codes in codebook order under their theme
=========================  ===============================================================

Examples
--------
>>> iv = pd.DataFrame({"interview_id": ["A", "B"], "sector": ["offentlig", "idéburen"],
...                    "respondent_role": ["politiker", "ordförande"], "size_class": ["<10k", None]})
>>> group_sizes = corpus_overview(iv, columns=["interview_id", "sector"]).by_role
>>> group_sizes.loc["All"].tolist()
[1, 1, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from iopstudy.errors import require_columns
from iopstudy.interviews.themes import code_labels, resolve_codebook

if TYPE_CHECKING:  # pragma: no cover
    from iopstudy.interviews.codebook import Codebook

__all__ = [
    "OVERVIEW_COLUMNS",
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

#: Columns of :attr:`CorpusOverview.table`, in order.
OVERVIEW_COLUMNS: tuple[str, ...] = (
    "interview_id", "sector", "respondent_role", "organisation_type", "level", "kommun_name",
    "county_name", "size_class", "skr_group", "n_segments", "n_respondent_segments",
)


class CorpusOverview(NamedTuple):
    """The corpus at a glance (:func:`corpus_overview`).

    ``table``: one row per interview (:data:`OVERVIEW_COLUMNS`); ``by_role``: interviews by
    respondent role (rows) and sector (columns), with an ``All`` row and column; ``by_size_class``:
    the same by the municipality's size class, interviews with a region as one group.

    Examples
    --------
    >>> iv = pd.DataFrame({"interview_id": ["A", "B"], "sector": ["offentlig", "idéburen"],
    ...                    "respondent_role": ["politiker", "ordförande"], "size_class": ["<10k", None]})
    >>> o = corpus_overview(iv, columns=["interview_id", "sector"])
    >>> o._fields, list(o.table.columns)
    (('table', 'by_role', 'by_size_class'), ['interview_id', 'sector'])
    >>> o.by_size_class.index.tolist(), int(o.by_size_class.loc["All", "All"])
    (['(region)', '<10k', 'All'], 2)
    """

    table: pd.DataFrame
    by_role: pd.DataFrame
    by_size_class: pd.DataFrame


class CorpusCounts(NamedTuple):
    """The corpus in numbers (:func:`corpus_counts`).

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["A-1", "A-2"], "speaker_role": ["interviewer", "respondent"]})
    >>> cod = pd.DataFrame({"segment_id": ["A-2", "A-2"], "code": ["LAW.LOU", "GOV.TRUST"], "coder": ["x", "x"]})
    >>> iv = pd.DataFrame({"interview_id": ["A"], "sector": ["idéburen"], "respondent_role": ["ordförande"],
    ...                    "illustrative": [True]})
    >>> c = corpus_counts((seg, cod.iloc[:1], cod, iv))
    >>> c.interviews, c.segments, c.proposals, c.codings, c.by_role
    (1, 2, 1, 2, {'ordförande': 1})
    >>> c._fields[-2:]
    ('by_sector', 'by_role')
    """

    #: Interviews, segments and respondent segments.
    interviews: int
    segments: int
    respondent_segments: int
    #: Dictionary proposals, manual coding rows and coders.
    proposals: int
    codings: int
    coders: int
    #: Whether every interview is marked illustrative (fictional).
    illustrative: bool
    #: Interviews per sector, most first; per respondent role, by role.
    by_sector: dict[str, int]
    by_role: dict[str, int]


def corpus_overview(
    interviews: pd.DataFrame,
    *,
    columns: Sequence[str] = OVERVIEW_COLUMNS,
    region: str = "(region)",
) -> CorpusOverview:
    """One row per interview, and interviews by role and by size class, per sector.

    Parameters
    ----------
    interviews
        The ``interviews`` table (one row per interview) of
        :func:`~iopstudy.interviews.load_interview_tables`.
    columns
        The columns of the overview table.
    region
        The group of interviews whose public body is a region (they have no size class).

    Returns
    -------
    CorpusOverview
        ``table``, ``by_role`` and ``by_size_class`` (crosstabs with ``All`` margins).

    Examples
    --------
    >>> iv = pd.DataFrame({"interview_id": ["A", "B", "C"], "sector": ["offentlig", "idéburen", "idéburen"],
    ...                    "respondent_role": ["politiker", "ordförande", "ordförande"],
    ...                    "size_class": pd.Categorical(["<10k", None, "<10k"])})
    >>> o = corpus_overview(iv, columns=["interview_id", "sector"])
    >>> o.by_size_class.to_dict("index")
    {'(region)': {'idéburen': 1, 'offentlig': 0, 'All': 1}, '<10k': {'idéburen': 1, 'offentlig': 1, 'All': 2}, 'All': {'idéburen': 2, 'offentlig': 1, 'All': 3}}
    """
    require_columns(interviews, [*columns, "respondent_role", "sector", "size_class"], "interviews")
    table = interviews[list(columns)].copy()
    by_role = pd.crosstab(interviews["respondent_role"], interviews["sector"], margins=True)
    size = interviews["size_class"].astype(object).fillna(region)
    by_size = pd.crosstab(size, interviews["sector"], margins=True)
    return CorpusOverview(table, by_role, by_size)


def corpus_counts(tables: Any) -> CorpusCounts:
    """The numbers the notebook quotes about the corpus.

    Parameters
    ----------
    tables
        The :class:`~iopstudy.interviews.InterviewTables` (``segments``, ``precodes``,
        ``codings``, ``interviews``), or the four tables in that order.

    Returns
    -------
    CorpusCounts

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["A-1", "A-2"], "speaker_role": ["interviewer", "respondent"]})
    >>> cod = pd.DataFrame({"segment_id": ["A-2"], "code": ["LAW.LOU"], "coder": ["x"]})
    >>> iv = pd.DataFrame({"interview_id": ["A"], "sector": ["offentlig"], "respondent_role": ["politiker"],
    ...                    "illustrative": [True]})
    >>> c = corpus_counts((seg, cod[["segment_id", "code"]], cod, iv))
    >>> c.respondent_segments, c.coders, c.illustrative, c.by_sector
    (1, 1, True, {'offentlig': 1})
    """
    segments, precodes, codings, interviews = tables
    require_columns(segments, ["segment_id", "speaker_role"], "segments")
    require_columns(codings, ["coder"], "codings")
    require_columns(interviews, ["sector", "respondent_role", "illustrative"], "interviews")
    return CorpusCounts(
        interviews=len(interviews),
        segments=len(segments),
        respondent_segments=int((segments["speaker_role"] == "respondent").sum()),
        proposals=len(precodes),
        codings=len(codings),
        coders=int(codings["coder"].nunique()),
        illustrative=bool(len(interviews)) and bool(interviews["illustrative"].all()),
        by_sector={str(k): int(v) for k, v in interviews["sector"].value_counts().items()},
        by_role={str(k): int(v) for k, v in interviews["respondent_role"].value_counts().sort_index().items()},
    )


def frequencies_side_by_side(
    dictionary: pd.DataFrame,
    manual: pd.DataFrame,
    by: str | Sequence[str] = "sector",
) -> pd.DataFrame:
    """Dictionary and manual code frequencies of the same groups, one row per group × code.

    Parameters
    ----------
    dictionary, manual
        Results of :func:`~iopstudy.interviews.themes.code_frequencies` grouped by ``by``: on the
        dictionary proposals, and on the manual codings of the coded universe.
    by
        The grouping column(s).

    Returns
    -------
    pandas.DataFrame
        Every column of ``dictionary``, with ``n_interviews``, ``group_interviews`` and
        ``share`` suffixed ``_dictionary``, followed by the same three of ``manual``
        suffixed ``_manual``; only the group × code pairs in both.

    Examples
    --------
    >>> d = pd.DataFrame({"sector": ["offentlig"], "code": ["LAW.LOU"], "theme": ["LAW"], "n_segments": [3],
    ...                   "n_interviews": [2], "group_interviews": [2], "share": [1.0]})
    >>> m = d.assign(n_interviews=1, share=0.5)
    >>> frequencies_side_by_side(d, m).columns.tolist()[-4:]
    ['share_dictionary', 'n_interviews_manual', 'group_interviews_manual', 'share_manual']
    """
    by = [by] if isinstance(by, str) else list(by)
    cols = [*by, "code", "n_interviews", "group_interviews", "share"]
    require_columns(dictionary, cols, "dictionary")
    require_columns(manual, cols, "manual")
    return dictionary.merge(manual[cols], on=[*by, "code"], suffixes=("_dictionary", "_manual"))


def shares_wide(freq: pd.DataFrame, by: str, value: str = "share") -> pd.DataFrame:
    """A frequency table as codes (rows) × groups (columns).

    Parameters
    ----------
    freq
        A result of :func:`~iopstudy.interviews.themes.code_frequencies` (or
        :func:`~iopstudy.interviews.themes.code_frequencies_by_municipality`) grouped by ``by``.
    by
        The grouping column.
    value
        The value shown (``"share"``, ``"n_interviews"`` …).

    Returns
    -------
    pandas.DataFrame
        Index ``code`` (in the order of ``freq``), one column per group that occurs.

    Examples
    --------
    >>> f = pd.DataFrame({"size_class": ["<10k", "<10k", "region", "region"], "code": ["B", "A", "B", "A"],
    ...                   "share": [0.5, 1.0, 0.0, 0.25]})
    >>> shares_wide(f, "size_class").to_dict("index")
    {'B': {'<10k': 0.5, 'region': 0.0}, 'A': {'<10k': 1.0, 'region': 0.25}}
    """
    require_columns(freq, ["code", by, value], "freq")
    return freq.pivot_table(index="code", columns=by, values=value, observed=True, sort=False)


def group_totals(freq: pd.DataFrame, by: str) -> pd.DataFrame:
    """Interviews and segments of each group of a frequency table.

    Parameters
    ----------
    freq
        A result of :func:`~iopstudy.interviews.themes.code_frequencies` grouped by ``by``.
    by
        The grouping column.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``group_interviews``, ``group_segments``: one row per group, in the order of ``freq``.

    Examples
    --------
    >>> f = pd.DataFrame({"skr_group": ["A1", "A1", "B3"], "code": ["X", "Y", "X"],
    ...                   "group_interviews": [2, 2, 1], "group_segments": [20, 20, 9]})
    >>> group_totals(f, "skr_group").values.tolist()
    [['A1', 2, 20], ['B3', 1, 9]]
    """
    require_columns(freq, [by, "group_interviews", "group_segments"], "freq")
    out = freq.drop_duplicates(by)[[by, "group_interviews", "group_segments"]]
    return out.reset_index(drop=True)


def top_cooccurrences(cooc: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The code pairs applied together most often: by Jaccard index, then by count.

    Parameters
    ----------
    cooc
        The result of :func:`~iopstudy.interviews.themes.cooccurrence`.
    n
        How many pairs.

    Returns
    -------
    pandas.DataFrame
        The ``n`` rows of ``cooc`` with ``n_both > 0`` and the highest ``jaccard`` (ties: more
        ``n_both`` first).

    Examples
    --------
    >>> c = pd.DataFrame({"code_a": ["A", "A", "B"], "code_b": ["B", "C", "C"],
    ...                   "n_both": [1, 0, 2], "jaccard": [0.25, 0.0, 0.5]})
    >>> top_cooccurrences(c, 2)[["code_a", "code_b"]].values.tolist()
    [['B', 'C'], ['A', 'B']]
    """
    require_columns(cooc, ["n_both", "jaccard"], "cooc")
    top = cooc.loc[cooc["n_both"] > 0].sort_values(["jaccard", "n_both"], ascending=False)
    return top.head(n).reset_index(drop=True)


def quotes_by_theme(
    quotes: pd.DataFrame,
    codebook: "Codebook | None" = None,
    lang: str = "en",
    *,
    rank: int = 1,
) -> pd.DataFrame:
    """Each code's best quote, the codes in codebook order under their theme.

    Parameters
    ----------
    quotes
        The result of :func:`~iopstudy.interviews.themes.strongest_quotes`.
    codebook
        Gives the themes, codes and their order; default: the packaged codebook.
    lang
        Language of the code labels.
    rank
        Which quote of each code (1: the strongest).

    Returns
    -------
    pandas.DataFrame
        One row per code of the codebook: ``theme_id``, ``code``, ``label`` (the code's label
        with its id), ``has_quote``, then the quote's ``interview_id, segment_id, sector,
        respondent_role, n_coders, n_hits, n_other_codes, text`` (missing when the code has no
        quote). Themes in the order they first appear in the codebook.

    Examples
    --------
    >>> q = pd.DataFrame({"code": ["LAW.LOU"], "rank": [1], "interview_id": ["IP01"], "segment_id": ["IP01-002-01"],
    ...                   "sector": ["offentlig"], "respondent_role": ["politiker"], "n_coders": [2],
    ...                   "n_hits": [1], "n_other_codes": [0], "text": ["Vi följer LOU."]})
    >>> t = quotes_by_theme(q)
    >>> t.loc[t["has_quote"], ["theme_id", "label", "n_coders"]].values.tolist()
    [['LAW', 'Procurement law (LOU, LOV) (LAW.LOU)', 2]]
    >>> len(t) == len(resolve_codebook(None).code_ids)
    True
    """
    cols = ["interview_id", "segment_id", "sector", "respondent_role", "n_coders", "n_hits",
            "n_other_codes", "text"]
    require_columns(quotes, ["code", "rank", *cols], "quotes")
    cb = resolve_codebook(codebook)
    labels = code_labels(cb, lang, width=None)
    codes = pd.DataFrame({"theme_id": cb.codes["theme_id"].to_numpy(), "code": cb.codes["code_id"].to_numpy()})
    theme_order = pd.factorize(codes["theme_id"])[0]
    codes = codes.iloc[np.lexsort((np.arange(len(codes)), theme_order))].reset_index(drop=True)
    best = quotes.loc[quotes["rank"] == rank, ["code", *cols]].drop_duplicates("code")
    out = codes.merge(best, on="code", how="left")
    out.insert(2, "label", out["code"].map(labels))
    out.insert(3, "has_quote", out["segment_id"].notna())
    for c in ("n_coders", "n_hits", "n_other_codes"):
        out[c] = out[c].astype("Int64")
    return out
