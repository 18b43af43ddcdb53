"""Manual codings: read a coders' table, and set the dictionary's proposals beside it.

:func:`read_manual_codings` reads and validates a coders' table (``segment_id, code, coder``)
into a :class:`~iopstudy.interviews.results.ManualCodings`; :func:`compare_codings` compares
the proposals of :func:`iopstudy.interviews.coding.precode` with a coder or the coders'
consensus, per code (precision and recall). What a machine proposed and what a coder decided
stay two tables. Agreement between coders is in :mod:`iopstudy.interviews.reliability`.
:mod:`iopstudy.interviews.coding` re-exports every public name of this module.
"""

from __future__ import annotations

import csv
import os
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from iopstudy.errors import InputError, IopStudyWarning, require_columns
from iopstudy.interviews.codebook import Codebook, load_codebook
from iopstudy.interviews.results import ManualCodings

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "MANUAL_COLUMNS",
    "read_manual_codings",
    "compare_codings",
]


#: Columns of :func:`read_manual_codings`'s result.
MANUAL_COLUMNS = ("segment_id", "code", "coder")


def read_manual_codings(
    path: str | os.PathLike[str], codebook: Codebook | None = None, *, validate_codes: bool = True
) -> ManualCodings:
    """Read a table of manual codings (``segment_id, code, coder``).

    Parameters
    ----------
    path
        A UTF-8 CSV (a BOM is accepted) with at least the columns
        ``segment_id``, ``code`` and ``coder``; other columns are ignored.
        An empty ``code`` is allowed: it records that the coder read the
        segment and found no code (useful for :func:`~iopstudy.interviews.reliability.agreement`).
    codebook
        Codes are checked against it (default: the packaged codebook).
    validate_codes
        Set to False to skip the check against the codebook.

    Returns
    -------
    ManualCodings
        ``codings``: ``segment_id, code, coder`` as str (``code`` may be None), exact
        duplicate rows removed (with a warning); ``file``: the file read.

    Raises
    ------
    InputError
        Naming the file, the line (the header is line 1), the column and
        the value: missing file or column, empty segment_id or coder, or a
        code not in the codebook.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "manual_codings.csv"
    >>> _ = p.write_text("segment_id,code,coder\\nIP01-002-01,LAW.LOU,anna\\nIP01-004-01,,anna\\n")
    >>> m = read_manual_codings(p)
    >>> m.codings.values.tolist(), m.file.name
    ([['IP01-002-01', 'LAW.LOU', 'anna'], ['IP01-004-01', None, 'anna']], 'manual_codings.csv')
    """
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise InputError("manual codings file not found", file=str(p))
    cb = (load_codebook() if codebook is None else codebook) if validate_codes else None
    known = set(cb.code_ids) if cb is not None else None
    rows: list[tuple[str, str | None, str]] = []
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise InputError("the file is empty; expected a header segment_id,code,coder", file=str(p), row=1)
            missing = [c for c in MANUAL_COLUMNS if c not in header]
            if missing:
                raise InputError(
                    f"missing column(s) {', '.join(missing)}; the header is {header}",
                    file=str(p),
                    row=1,
                    column=missing[0],
                )
            ix = [header.index(c) for c in MANUAL_COLUMNS]
            for rec in reader:
                line = reader.line_num
                if not rec or all(not f.strip() for f in rec):
                    continue
                if len(rec) < len(header):
                    rec = rec + [""] * (len(header) - len(rec))
                sid, code, coder = (rec[i].strip() for i in ix)
                if not sid:
                    raise InputError("empty segment_id", file=str(p), row=line, column="segment_id")
                if not coder:
                    raise InputError("empty coder", file=str(p), row=line, column="coder")
                code = unicodedata.normalize("NFC", code)
                if code and known is not None and code not in known:
                    raise InputError(
                        f"code not in the codebook {cb.name!r} (known codes: {', '.join(sorted(known))})",
                        file=str(p),
                        row=line,
                        column="code",
                        value=code,
                    )
                rows.append((sid, code or None, coder))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 ({exc.reason})", file=str(p)) from exc
    except csv.Error as exc:
        raise InputError(f"CSV error: {exc}", file=str(p)) from exc
    df = pd.DataFrame(rows, columns=list(MANUAL_COLUMNS), dtype=object)
    dup = df.duplicated()
    if dup.any():
        warnings.warn(f"{p}: {int(dup.sum())} duplicate coding row(s) dropped", IopStudyWarning, stacklevel=2)
        df = df.loc[~dup].reset_index(drop=True)
    return ManualCodings(df, p)


def compare_codings(
    dictionary: "pd.DataFrame",
    manual: "pd.DataFrame",
    *,
    reference: str | None = None,
    consensus: str = "majority",
    units: Iterable[Any] | None = None,
    codes: Iterable[str] | None = None,
    detail: bool = False,
) -> "pd.DataFrame":
    """Set dictionary proposals beside manual codings, per code.

    The two inputs stay separate tables; this only compares them on the
    same units (segment × code presence).

    Parameters
    ----------
    dictionary
        Proposals with ``segment_id`` and ``code`` (:func:`~iopstudy.interviews.coding.precode`).
    manual
        Codings ``segment_id, code, coder`` (:func:`read_manual_codings`).
    reference
        The coder to compare with; ``None`` (default): the coders'
        consensus.
    consensus
        With ``reference=None``: a code is present in a segment when
        ``"majority"`` (more than half), ``"all"`` or ``"any"`` of the coders
        who coded the segment applied it (with two coders, a majority
        means both).
    units
        The segments to compare on. Default: segments with at least one
        manual row of the reference coder (any coder for the consensus) —
        dictionary proposals elsewhere are left out, since nobody coded
        those segments. With ``units`` given, every coder is taken to have
        coded every unit.
    codes
        Codes to report (default: all codes in either table, sorted).
    detail
        Return the segment × code table (``segment_id, code, dictionary,
        manual``) instead of the summary.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``code, reference, n_units, n_dictionary,
        n_manual, overlap, dictionary_only, manual_only, precision, recall,
        f1`` (precision = overlap / n_dictionary, recall = overlap /
        n_manual; NaN when the denominator is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> from iopstudy.interviews.coding import precode
    >>> seg = pd.DataFrame({"segment_id": ["s1", "s2", "s3"],
    ...                     "text": ["Vi följer LOU.", "Tilliten växer.", "Vi fick lov att börja."]})
    >>> man = pd.DataFrame({"segment_id": ["s1", "s1", "s2", "s3", "s3"],
    ...                     "code": ["LAW.LOU", "LAW.LOU", "GOV.TRUST", "LAW.LOU", None],
    ...                     "coder": ["anna", "kim", "anna", "anna", "kim"]})
    >>> proposals = precode(seg)
    >>> cmp = compare_codings(proposals, man, reference="anna")
    >>> cmp[["code", "n_dictionary", "n_manual", "overlap", "precision", "recall"]].values.tolist()
    [['GOV.TRUST', 1, 1, 1, 1.0, 1.0], ['LAW.LOU', 1, 2, 1, 1.0, 0.5]]
    >>> compare_codings(proposals, man)["n_manual"].tolist()  # majority: kim did not code s3
    [1, 1]
    """
    import pandas as pd

    require_columns(dictionary, ["segment_id", "code"], "dictionary")
    require_columns(manual, list(MANUAL_COLUMNS), "manual")
    if consensus not in ("majority", "all", "any"):
        raise InputError("consensus must be 'majority', 'all' or 'any'", value=consensus)
    man = manual[list(MANUAL_COLUMNS)].copy()
    if reference is not None:
        if reference not in set(man["coder"]):
            raise InputError(
                f"no coder {reference!r} in the manual codings (coders: {sorted(set(man['coder']))})",
                column="coder",
                value=reference,
            )
        man = man.loc[man["coder"] == reference]
    if units is None:
        unit_list = pd.unique(man["segment_id"])
        coded_by = man.groupby("segment_id")["coder"].nunique()
    else:
        unit_list = pd.unique(pd.Series(list(units), dtype=object))
        n_coders = man["coder"].nunique()
        coded_by = pd.Series(n_coders, index=unit_list)
        man = man.loc[man["segment_id"].isin(set(unit_list))]
    unit_set = set(unit_list)
    man = man.dropna(subset=["code"]).drop_duplicates()
    votes = man.groupby(["segment_id", "code"])["coder"].nunique().rename("votes").reset_index()
    votes["n"] = votes["segment_id"].map(coded_by)
    if reference is not None or consensus == "any":
        votes["present"] = votes["votes"] >= 1
    elif consensus == "all":
        votes["present"] = votes["votes"] >= votes["n"]
    else:
        votes["present"] = votes["votes"] * 2 > votes["n"]
    man_pairs = set(map(tuple, votes.loc[votes["present"], ["segment_id", "code"]].to_numpy().tolist()))
    dic = dictionary.loc[dictionary["segment_id"].isin(unit_set), ["segment_id", "code"]].drop_duplicates()
    dic_pairs = set(map(tuple, dic.to_numpy().tolist()))
    code_list = list(codes) if codes is not None else sorted({c for _, c in man_pairs | dic_pairs})
    label = reference if reference is not None else f"consensus ({consensus})"
    if detail:
        recs = [
            (s, c, (s, c) in dic_pairs, (s, c) in man_pairs)
            for s, c in sorted(dic_pairs | man_pairs, key=lambda x: (str(x[0]), x[1]))
            if c in set(code_list)
        ]
        return pd.DataFrame(recs, columns=["segment_id", "code", "dictionary", "manual"])
    out = []
    for c in code_list:
        d = {s for s, cc in dic_pairs if cc == c}
        m = {s for s, cc in man_pairs if cc == c}
        both = len(d & m)
        prec = both / len(d) if d else np.nan
        rec = both / len(m) if m else np.nan
        f1 = 2 * prec * rec / (prec + rec) if d and m and (prec + rec) > 0 else (0.0 if d and m else np.nan)
        out.append(
            {
                "code": c,
                "reference": label,
                "n_units": len(unit_set),
                "n_dictionary": len(d),
                "n_manual": len(m),
                "overlap": both,
                "dictionary_only": len(d - m),
                "manual_only": len(m - d),
                "precision": prec,
                "recall": rec,
                "f1": f1,
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "code", "reference", "n_units", "n_dictionary", "n_manual", "overlap",
            "dictionary_only", "manual_only", "precision", "recall", "f1",
        ],
    )
