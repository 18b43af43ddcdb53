"""Run the register build and the pre-coder on Dask, with the same functions.

When a study outgrows one machine — pre-coding every municipal council
protocol in Sweden, say — the row-wise work runs partition by partition on a
Dask cluster with ``map_partitions``; the functions are exactly the pandas
ones (:func:`iopstudy.register.clean_register`, :func:`iopstudy.interviews.coding.precode`).
Only the steps that need every row at once (the duplicate-id check and the
municipality × year panel, which is small) are done globally.

Local use (two worker processes on this machine)::

    from dask.distributed import Client, LocalCluster
    from iopstudy.distributed import read_register_dask, build_dask

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        ddf = read_register_dask("registers/*.csv", blocksize="16MB")
        result = build_dask(ddf)

A real cluster: start a scheduler and workers where the data is (``dask
scheduler`` on one host, ``dask worker tcp://SCHEDULER:8786`` on the
others, or a deployment such as dask-jobqueue on an HPC queue or
dask-kubernetes), install iopstudy in the same version on every worker, put
the input on storage every worker can read (a shared file system, or S3 with
``s3fs``), and connect with ``Client("tcp://SCHEDULER:8786")`` instead of
the ``LocalCluster`` above. Nothing else changes. The reference data and the
vocabulary are small and are shipped to the workers with each task.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["read_register_dask", "build_dask", "precode_dask"]


def read_register_dask(path: str | os.PathLike[str], *, blocksize: str | int = "16MB") -> Any:
    """Read one or more register CSV files (UTF-8, comma) into a Dask DataFrame of text.

    Adds ``source_row`` (the line in the file, header = 1) like
    :func:`iopstudy.register.read_register`, computed from partition lengths.
    For Excel exports or odd encodings, convert with ``iopstudy validate``
    and :func:`~iopstudy.register.read_register` first.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "register.csv"
    ...     _ = path.write_text(
    ...         "record_id,public_party,civil_partners\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel\\n"
    ...         "EX-2,Region Skåne,Stiftelsen Exempel\\n", encoding="utf-8")
    ...     raw = read_register_dask(path).compute()
    >>> raw[["source_row", "record_id"]].values.tolist()
    [[2, 'EX-1'], [3, 'EX-2']]
    >>> list(raw.columns[:4]), Path(raw["_file"].iloc[0]).name
    (['source_row', 'record_id', 'public_party', 'civil_partners'], 'register.csv')
    """
    import dask.dataframe as dd
    import numpy as np

    from iopstudy.errors import InputError
    from iopstudy.register.read import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

    ddf = dd.read_csv(
        str(path), dtype=str, keep_default_na=False, blocksize=blocksize, include_path_column="_file"
    )
    ddf.columns = [str(c).strip().lower() for c in ddf.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in ddf.columns]
    if missing:
        raise InputError(f"missing required column(s) {missing}", file=str(path))
    # line numbers: each file's rows counted across its partitions
    lengths = ddf.map_partitions(len).compute()
    files = ddf["_file"].map_partitions(lambda s: s.iloc[0] if len(s) else "", meta=("_file", object)).compute()
    offsets, seen = [], {}
    for f, n in zip(files, lengths):
        offsets.append(seen.get(f, 0))
        seen[f] = seen.get(f, 0) + int(n)

    def number(part: "pd.DataFrame", partition_info=None) -> "pd.DataFrame":
        i = partition_info["number"] if partition_info else 0
        # plain Python strings, as the pandas reader gives (dask defaults to pyarrow strings)
        part = part.astype({c: object for c in part.columns})
        part.insert(0, "source_row", np.arange(len(part), dtype="int64") + offsets[i] + 2)
        for c in OPTIONAL_COLUMNS:
            if c not in part.columns:
                part[c] = ""
        part["_file"] = part["_file"].astype(str)
        return part

    meta = number(ddf._meta)
    return ddf.map_partitions(number, meta=meta)


def _clean_part(raw: "pd.DataFrame", which: str, duplicates: dict, data_dir, vocabulary) -> "pd.DataFrame":
    import pandas as pd

    from iopstudy.register.process import clean_register

    raw = raw.reset_index(drop=True)
    file = str(raw["_file"].iloc[0]) if len(raw) else "<register>"
    raw = raw.drop(columns="_file")
    keep_dup = pd.Series(
        [(r, s) in duplicates for r, s in zip(raw["record_id"], raw["source_row"])], index=raw.index, dtype=bool
    )
    partnerships, _, exclusions, _ = clean_register(
        raw.loc[~keep_dup].reset_index(drop=True), data_dir=data_dir, vocabulary=vocabulary, file=file
    )
    if which == "partnerships":
        return partnerships

    extra = raw.loc[keep_dup, ["record_id", "source_row"]].assign(
        column="record_id", value=raw.loc[keep_dup, "record_id"]
    )
    extra["reason"] = [
        f"duplicate id (first used on row {duplicates[(r, s)]})"
        for r, s in zip(extra["record_id"], extra["source_row"])
    ]
    return pd.concat([exclusions, extra[exclusions.columns]], ignore_index=True)


def build_dask(ddf: Any, *, data_dir=None, vocabulary=None, last_year: int | None = None):
    """Build the processed tables from a Dask DataFrame of the raw register.

    Row-wise cleaning runs per partition with ``map_partitions`` calling
    :func:`iopstudy.register.clean_register`; ids duplicated across
    partitions are found globally first (the first occurrence, by file and
    row, is kept). The municipality panel is built from the clean
    agreements, as in :func:`iopstudy.register.process`.

    Returns
    -------
    iopstudy.register.BuildResult
        With ``files`` empty (nothing is written) and ``partners`` and
        ``problems`` not computed (empty): run the pandas build for those.

    Examples
    --------
    Without a cluster Dask runs on local threads; a duplicate id is found across partitions:

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "register.csv"
    ...     _ = path.write_text(
    ...         "record_id,public_party,civil_partners,start,end\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel,2019,2021\\n"
    ...         "EX-2,Region Skåne,Stiftelsen Exempel,31 februari 2022,\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel,2019,2021\\n", encoding="utf-8")
    ...     result = build_dask(read_register_dask(path))
    >>> result.n_raw, result.partnerships["record_id"].tolist(), result.files
    (3, ['EX-1'], [])
    >>> result.exclusions[["record_id", "source_row", "reason"]].values.tolist()
    [['EX-2', 3, 'impossible date'], ['EX-1', 4, 'duplicate id (first used on row 2)']]
    """
    import pandas as pd

    from iopstudy.reference.municipalities import load_municipalities
    from iopstudy.register.process import BuildResult
    from iopstudy.register.panel import municipality_panel
    from iopstudy.register.schemas import text_columns_as_text, validate_table

    ddf = ddf.persist()
    ids = ddf[["record_id", "source_row", "_file"]].compute()
    ids = ids.sort_values(["_file", "source_row"], kind="stable")
    is_dup = ids["record_id"].duplicated(keep="first") & (ids["record_id"] != "")
    first_row = ids.loc[~is_dup].drop_duplicates("record_id").set_index("record_id")["source_row"]
    dups = ids[is_dup]
    dup_keys = {
        (r, s): int(first_row[r]) for r, s in zip(dups["record_id"], dups["source_row"])
    }

    sample = ddf.head(min(5, len(ids)), npartitions=-1)
    meta_p = _clean_part(sample, "partnerships", {}, data_dir, vocabulary).iloc[:0]
    meta_e = _clean_part(sample, "exclusions", {}, data_dir, vocabulary).iloc[:0]
    parts = ddf.map_partitions(
        _clean_part, "partnerships", dup_keys, data_dir, vocabulary, meta=meta_p
    )
    excl = ddf.map_partitions(_clean_part, "exclusions", dup_keys, data_dir, vocabulary, meta=meta_e)
    import dask

    partnerships, exclusions = dask.compute(parts, excl)
    partnerships = text_columns_as_text(partnerships.reset_index(drop=True), "partnerships")
    exclusions = text_columns_as_text(exclusions.reset_index(drop=True), "exclusions")
    panel = municipality_panel(partnerships, load_municipalities(data_dir), last_year=last_year)
    validate_table(partnerships, "partnerships")
    validate_table(panel, "municipality_panel")
    empty = pd.DataFrame()
    return BuildResult(partnerships, empty, panel, exclusions, empty, [], len(ids))


def precode_dask(ddf: Any, codebook=None, text: str = "text", id: str = "segment_id") -> Any:  # noqa: A002
    """Dictionary pre-coding of a Dask DataFrame of segments (lazy; see :func:`iopstudy.interviews.coding.precode_partitions`).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> segments = pd.DataFrame({"segment_id": ["s1", "s2"], "text": ["Förtroendet växer.", "Inget här."]})
    >>> hits = precode_dask(dd.from_pandas(segments, npartitions=2))  # lazy: nothing runs yet
    >>> hits.compute()[["segment_id", "code", "matched"]].values.tolist()
    [['s1', 'GOV.TRUST', 'Förtroendet']]
    """
    from iopstudy.interviews.coding import precode_partitions

    return precode_partitions(ddf, codebook=codebook, text=text, id=id)
