"""Codes compared across sectors (public vs non-profit respondents).

:func:`compare_sectors` gives, per code, the share of interviews with the code in each sector,
Fisher's exact test, Cohen's h, the conditional odds ratio with an exact interval and
Benjamini–Hochberg adjusted p-values. :func:`compare_pairs` is the test for a paired design
(one public and one non-profit respondent per partnership): the exact McNemar test on the
discordant pairs. Both return a :class:`CodeComparison`: the ``table`` and the ``note`` that
states the design and the caveat. The illustrative corpus is small: tests on it illustrate
the method and have almost no power.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError, StatisticalWarning

if TYPE_CHECKING:  # pragma: no cover

    from iopstudy.interviews.codebook import Codebook
from iopstudy.errors import require_columns
from iopstudy.interviews.themes import code_frequencies, resolve_codebook

__all__ = [
    "CodeComparison",
    "compare_sectors",
    "compare_pairs",
]


def _deprecated(what: str) -> None:
    warnings.warn(
        f"{what} on the result of compare_sectors / compare_pairs is deprecated: the result is a "
        "CodeComparison; use its .table (a DataFrame) and .note",
        DeprecationWarning,
        stacklevel=3,
    )


@dataclass(frozen=True)
class CodeComparison:
    """Per-code comparison of two groups of interviews, and the note that goes with it.

    Attributes
    ----------
    table
        One row per code (the columns of :func:`compare_sectors` or :func:`compare_pairs`).
    note
        The design and the caveat, for the table's note and the notebook's text.
    design
        ``"independent"`` (Fisher's exact test on two groups of interviews) or ``"paired"``
        (exact McNemar test on pairs of interviews).

    Notes
    -----
    Before 0.2 these functions returned the DataFrame with the note in ``attrs["note"]``;
    indexing, attributes of the DataFrame, ``len`` and ``attrs`` still work on the result,
    with a :class:`DeprecationWarning`.

    Examples
    --------
    >>> r = CodeComparison(pd.DataFrame({"code": ["A"], "p_value": [0.5]}), "one code", "paired")
    >>> r.table["p_value"].tolist(), r.note
    ([0.5], 'one code')
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     r["code"].tolist(), r.attrs["note"]
    (['A'], 'one code')
    """

    table: pd.DataFrame
    note: str
    design: str = "independent"

    @property
    def tested(self) -> pd.DataFrame:
        """The rows of the codes that were tested."""
        return self.table[self.table["tested"]]

    # DataFrame-like access of the old return type, deprecated
    @property
    def attrs(self) -> dict[str, str]:
        _deprecated("attrs")
        return {"note": self.note}

    def __getitem__(self, key: Any) -> Any:
        _deprecated("indexing")
        return self.table[key]

    def __len__(self) -> int:
        _deprecated("len()")
        return len(self.table)

    def __iter__(self) -> Iterator[Any]:
        _deprecated("iteration")
        return iter(self.table)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("table", "note", "design"):
            raise AttributeError(name)
        value = getattr(self.table, name)  # AttributeError if the DataFrame has none either
        _deprecated(f".{name}")
        return value


def _cohens_h(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    return 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))


def compare_sectors(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    code: str | Sequence[str] | None = None,
    *,
    group: str = "sector",
    unit: str = "interview",
    groups: Sequence[Any] | None = None,
    codebook: "Codebook | None" = None,
    consensus: str = "majority",
    ci: float = 0.95,
    min_n_warn: int = 20,
) -> CodeComparison:
    """Public vs idéburen: the share of interviews that raise each code, tested.

    Parameters
    ----------
    codings
        ``segment_id, code`` (and ``coder``).
    segments
        The coded universe with ``segment_id, interview_id`` and ``group``.
    code
        One code or a list; default: every code of the codebook. The
        Benjamini–Hochberg family is the codes tested in this call.
    group
        The two-valued grouping column (default ``"sector"``).
    unit
        Must be ``"interview"``. Segments of one interview are not
        independent observations (one talkative respondent would count many
        times), so the test compares interviews: did the code occur at
        least once in the interview?
    groups
        The two groups, in order (``group_a``, ``group_b``); default for
        ``sector``: ``("offentlig", "idéburen")``, otherwise the sorted values.
    codebook, consensus
        As for :func:`code_frequencies`.
    ci
        Confidence level of the odds-ratio interval.
    min_n_warn
        Warn (:class:`~iopstudy.errors.StatisticalWarning`) when a group has
        fewer interviews than this.

    Returns
    -------
    CodeComparison
        ``.table``: one row per code: ``code, theme, group_a, group_b``; ``n_a``,
        ``total_a``, ``prop_a`` (interviews of group a with the code, all
        interviews of group a, their ratio) and the same for b; ``prop_diff``
        (``prop_a - prop_b``); ``cohens_h``; ``odds_ratio``, ``or_ci_low``,
        ``or_ci_high``; ``p_value`` (Fisher), ``p_adj`` (BH); ``tested``;
        ``note``. ``.note`` holds the caveat on sample size.

    Notes
    -----
    * Test: Fisher's exact test, two-sided, on the 2 × 2 table
      [[n_a, total_a - n_a], [n_b, total_b - n_b]] of interviews
      (:func:`scipy.stats.fisher_exact`; the same p-value as R's
      ``fisher.test``).
    * Effect sizes: Cohen's h, :math:`2\\arcsin\\sqrt{p_a} - 2\\arcsin\\sqrt{p_b}`
      (defined also for shares of 0 or 1; 0.2 / 0.5 / 0.8 are the usual
      small / medium / large), and the conditional maximum-likelihood odds
      ratio with its exact confidence interval
      (:func:`scipy.stats.contingency.odds_ratio`, ``kind="conditional"``;
      R's ``fisher.test`` estimate and ``conf.int``). With a zero cell it is
      0 or infinite, with a half-open interval.
    * Codes that occur in no interview, or in every one, carry no
      information on a difference: they are not tested (``tested`` False,
      p-values NaN) and stay out of the Benjamini–Hochberg family
      (:func:`statsmodels.stats.multitest.multipletests`, ``fdr_bh``).
    * With 7 interviews per sector, as in the illustrative corpus, the
      smallest possible two-sided p-value is 2/3432 (all of one sector, none
      of the other), and differences of 30–40 percentage points are far
      from significant: the results illustrate the method, nothing more.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["a1", "b1", "c1", "d1"], "interview_id": list("ABCD"),
    ...                     "sector": ["offentlig", "offentlig", "idéburen", "idéburen"]})
    >>> cod = pd.DataFrame({"segment_id": ["a1", "b1"], "code": ["LAW.LOU", "LAW.LOU"]})
    >>> from iopstudy.interviews.codebook import load_codebook
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the small-sample caveat
    ...     r = compare_sectors(cod, seg, "LAW.LOU", codebook=load_codebook())
    >>> r.table[["group_a", "n_a", "total_a", "group_b", "n_b", "total_b", "p_value"]].to_dict("records")
    [{'group_a': 'offentlig', 'n_a': 2, 'total_a': 2, 'group_b': 'idéburen', 'n_b': 0, 'total_b': 2, 'p_value': 0.333}]
    >>> float(round(r.table["cohens_h"].iloc[0], 3)), r.design
    (3.142, 'independent')
    """
    from scipy.stats import fisher_exact
    from scipy.stats.contingency import odds_ratio
    from statsmodels.stats.multitest import multipletests

    if unit != "interview":
        raise InputError(
            "compare_sectors tests interviews (unit='interview'): segments of one interview are "
            "not independent, so a segment-level test would overstate the evidence. Use "
            "code_frequencies(..., unit='segment') to describe segment shares",
            value=unit,
        )
    if not (0 < ci < 1):
        raise InputError("ci must be between 0 and 1", value=ci)
    require_columns(segments, ["segment_id", "interview_id", group], "segments")
    freq = code_frequencies(codings, segments, (group,), unit="interview", codebook=codebook, consensus=consensus)
    present_groups = list(pd.unique(segments[group].dropna()))
    if groups is None:
        if group == "sector" and set(present_groups) <= {"offentlig", "idéburen"}:
            groups = [g for g in ("offentlig", "idéburen") if g in present_groups]
        else:
            groups = sorted(present_groups, key=str)
    groups = list(groups)
    if len(groups) != 2:
        raise InputError(
            f"compare_sectors needs exactly two groups in {group!r}; found {groups}. "
            "Pass groups=(a, b) to choose two",
            column=group,
        )
    missing = [g for g in groups if g not in present_groups]
    if missing:
        raise InputError(f"group {missing[0]!r} has no segments", column=group, value=missing[0])
    ga, gb = groups
    fa = freq.loc[freq[group].astype(object) == ga].set_index("code")
    fb = freq.loc[freq[group].astype(object) == gb].set_index("code")
    cb = resolve_codebook(codebook)
    code_list = cb.code_ids if code is None else ([code] if isinstance(code, str) else list(code))
    unknown = [c for c in code_list if c not in fa.index]
    if unknown:
        raise InputError(f"code(s) not in the codebook: {unknown}", value=unknown[0])
    fa, fb = fa.loc[code_list], fb.loc[code_list]
    n_a = fa["n_interviews"].to_numpy(np.int64)
    n_b = fb["n_interviews"].to_numpy(np.int64)
    t_a = fa["group_interviews"].to_numpy(np.int64)
    t_b = fb["group_interviews"].to_numpy(np.int64)
    p_a, p_b = n_a / t_a, n_b / t_b
    tested = (n_a + n_b > 0) & (n_a + n_b < t_a + t_b)
    pval = np.full(len(code_list), np.nan)
    orr = np.full(len(code_list), np.nan)
    lo = np.full(len(code_list), np.nan)
    hi = np.full(len(code_list), np.nan)
    notes = []
    for i in range(len(code_list)):
        if not tested[i]:
            notes.append("in no interview: not tested" if n_a[i] + n_b[i] == 0 else "in every interview: not tested")
            continue
        table = np.array([[n_a[i], t_a[i] - n_a[i]], [n_b[i], t_b[i] - n_b[i]]])
        pval[i] = fisher_exact(table, alternative="two-sided")[1]
        res = odds_ratio(table, kind="conditional")
        orr[i] = res.statistic
        cint = res.confidence_interval(confidence_level=ci)
        lo[i], hi[i] = cint.low, cint.high
        notes.append("")
    padj = np.full(len(code_list), np.nan)
    if tested.any():
        padj[tested] = multipletests(pval[tested], method="fdr_bh")[1]
    out = pd.DataFrame(
        {
            "code": code_list,
            "theme": fa["theme"].to_numpy(),
            "group_a": ga,
            "group_b": gb,
            "n_a": n_a,
            "total_a": t_a,
            "prop_a": p_a,
            "n_b": n_b,
            "total_b": t_b,
            "prop_b": p_b,
            "prop_diff": p_a - p_b,
            "cohens_h": _cohens_h(p_a, p_b),
            "odds_ratio": orr,
            "or_ci_low": lo,
            "or_ci_high": hi,
            "p_value": pval,
            "p_adj": padj,
            "tested": tested,
            "note": notes,
        }
    )
    na, nb = int(t_a[0]), int(t_b[0])
    caveat = (
        f"Illustrative and underpowered: {na} {ga} vs {nb} {gb} interviews. Fisher's exact test on "
        f"interviews (the unit, since segments of one interview are not independent); "
        f"{int(tested.sum())} codes tested, p_adj = Benjamini–Hochberg. With groups this small only "
        "very large differences can reach significance, and a non-significant result is no "
        "evidence of similarity."
    )
    if min(na, nb) < min_n_warn:
        warnings.warn(caveat, StatisticalWarning, stacklevel=2)
    return CodeComparison(out, caveat, "independent")


def compare_pairs(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    code: str | Sequence[str] | None = None,
    *,
    pair: str = "public_body_code",
    group: str = "sector",
    groups: Sequence[Any] | None = None,
    codebook: "Codebook | None" = None,
    consensus: str = "majority",
    min_n_warn: int = 20,
) -> CodeComparison:
    """Paired interviews (one per sector and partnership): exact McNemar test per code.

    Parameters
    ----------
    codings, segments, code, codebook, consensus
        As for :func:`compare_sectors`.
    pair
        Column that pairs the interviews: the two respondents of one
        partnership share it (in the illustrative corpus the public body's
        code: a public and a non-profit respondent of each of 7 partnerships).
        It must be constant within an interview.
    group, groups
        The two-valued column and its two values in order (``group_a``,
        ``group_b``; default for ``sector``: ``("offentlig", "idéburen")``).
    min_n_warn
        Warn (:class:`~iopstudy.errors.StatisticalWarning`) with fewer pairs.

    Returns
    -------
    CodeComparison
        ``.table``: one row per code: ``code, theme, group_a, group_b, n_pairs, both,
        only_a, only_b, neither`` (pairs by whether each side's interview
        has the code), ``prop_a, prop_b, prop_diff``, ``odds_ratio`` (the
        conditional odds ratio ``only_a / only_b``), ``statistic``
        (``min(only_a, only_b)``, the exact test's statistic), ``p_value``
        (exact McNemar, two-sided), ``p_adj`` (Benjamini–Hochberg over the
        tested codes), ``tested`` and ``note``. ``.note`` states the
        design. Pairs without exactly one interview of each group are left
        out and named in the note.

    Notes
    -----
    When the interviews come in pairs, the two sectors are not independent
    samples: both respondents speak about the same partnership, and
    Fisher's test on the two groups' shares ignores that. Only discordant
    pairs (:math:`b` = only a, :math:`c` = only b) carry information on a
    difference; under :math:`H_0` of equal marginal shares,
    :math:`b \\sim \\mathrm{Bin}(b + c, 1/2)`, and the exact two-sided
    p-value is :math:`\\min(1, 2 P(X \\le \\min(b, c)))`
    (:func:`statsmodels.stats.contingency_tables.mcnemar` with
    ``exact=True``; R ``exact2x2::mcnemar.exact``). A code with no
    discordant pair is not tested. With 7 pairs the smallest possible
    p-value is :math:`2/2^7 = 0.016`.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["a1", "b1", "c1", "d1"], "interview_id": list("ABCD"),
    ...     "sector": ["offentlig", "idéburen"] * 2, "public_body_code": ["1", "1", "2", "2"]})
    >>> cod = pd.DataFrame({"segment_id": ["a1", "c1"], "code": ["LAW.LOU", "LAW.LOU"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the small-sample caveat
    ...     r = compare_pairs(cod, seg, "LAW.LOU")
    >>> r.table[["n_pairs", "only_a", "only_b", "p_value"]].to_dict("records")
    [{'n_pairs': 2, 'only_a': 2, 'only_b': 0, 'p_value': 0.5}]
    """
    from statsmodels.stats.contingency_tables import mcnemar
    from statsmodels.stats.multitest import multipletests

    require_columns(segments, ["segment_id", "interview_id", group, pair], "segments")
    present = list(pd.unique(segments[group].dropna()))
    if groups is None:
        if group == "sector" and set(present) <= {"offentlig", "idéburen"}:
            groups = [g for g in ("offentlig", "idéburen") if g in present]
        else:
            groups = sorted(present, key=str)
    groups = list(groups)
    if len(groups) != 2:
        raise InputError(f"compare_pairs needs exactly two groups in {group!r}; found {groups}", column=group)
    ga, gb = groups
    iv = segments[["interview_id", group, pair]].drop_duplicates()
    if iv["interview_id"].duplicated().any():
        bad = iv.loc[iv["interview_id"].duplicated(), "interview_id"].iloc[0]
        raise InputError(f"{group!r} and {pair!r} must be constant within an interview; not for {bad!r}",
                         column=pair, value=bad)
    counts = iv[iv[group].isin(groups)].groupby([pair, group], observed=True).size().unstack(fill_value=0)
    for g in groups:
        if g not in counts.columns:
            counts[g] = 0
    complete = counts[(counts[ga] == 1) & (counts[gb] == 1)].index
    incomplete = [str(x) for x in counts.index.difference(complete)]
    seg = segments[segments[pair].isin(complete) & segments[group].isin(groups)]
    freq = code_frequencies(codings, seg, (pair, group), unit="interview", codebook=codebook,
                            consensus=consensus)
    cb = resolve_codebook(codebook)
    code_list = cb.code_ids if code is None else ([code] if isinstance(code, str) else list(code))
    unknown = [c for c in code_list if c not in set(freq["code"])]
    if unknown:
        raise InputError(f"code(s) not in the codebook: {unknown}", value=unknown[0])
    has = freq.assign(_has=freq["n_interviews"] > 0).pivot_table(
        index=["code", pair], columns=group, values="_has", aggfunc="max", observed=True
    )
    theme = freq.drop_duplicates("code").set_index("code")["theme"]
    rows = []
    for c in code_list:
        h = has.loc[c] if c in has.index.get_level_values(0) else pd.DataFrame(columns=groups)
        a = h[ga].astype(bool).to_numpy() if ga in h else np.zeros(len(complete), dtype=bool)
        b = h[gb].astype(bool).to_numpy() if gb in h else np.zeros(len(complete), dtype=bool)
        both, oa, ob = int((a & b).sum()), int((a & ~b).sum()), int((~a & b).sum())
        n = len(a)
        neither = n - both - oa - ob
        tested = oa + ob > 0
        if tested:
            m = mcnemar(np.array([[both, oa], [ob, neither]]), exact=True)
            stat, pv, note = float(m.statistic), float(m.pvalue), ""
        else:
            stat, pv, note = np.nan, np.nan, "no discordant pair: not tested"
        rows.append(dict(code=c, theme=theme.get(c, ""), group_a=ga, group_b=gb, n_pairs=n, both=both,
                         only_a=oa, only_b=ob, neither=neither, prop_a=(both + oa) / n if n else np.nan,
                         prop_b=(both + ob) / n if n else np.nan,
                         prop_diff=(oa - ob) / n if n else np.nan,
                         odds_ratio=(oa / ob) if ob else (np.inf if oa else np.nan),
                         statistic=stat, p_value=pv, tested=tested, note=note))
    out = pd.DataFrame(rows)
    out.insert(out.columns.get_loc("tested"), "p_adj", np.nan)
    t = out["tested"].to_numpy()
    if t.any():
        out.loc[t, "p_adj"] = multipletests(out.loc[t, "p_value"].to_numpy(), method="fdr_bh")[1]
    n_pairs = len(complete)
    caveat = (
        f"{n_pairs} pairs of interviews ({ga} and {gb} respondents of the same {pair}); exact McNemar "
        f"test on the discordant pairs; {int(t.sum())} codes tested, p_adj = Benjamini–Hochberg. "
        f"With {n_pairs} pairs the smallest possible p-value is {min(1.0, 2 / 2 ** n_pairs):.3g}."
        + (f" Left out (not one interview of each group): {incomplete}." if incomplete else "")
    )
    if n_pairs < min_n_warn:
        warnings.warn(caveat, StatisticalWarning, stacklevel=2)
    return CodeComparison(out, caveat, "paired")
