"""Schemas (pandera) of the processed tables in ``data/processed/``.

Each table is checked when it is written by ``iopstudy build`` and when it is
read by :func:`read_processed`. The column lists double as the data
dictionary; ``docs/data-dictionary.md`` explains each column in words.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import SchemaError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["TABLES", "schema", "validate_table", "read_processed", "write_processed"]

#: The processed tables, in build order.
TABLES = ("partnerships", "partners", "municipality_panel", "exclusions")

LEVELS = ["kommun", "region", "stat"]
MATCHES = ["exact", "rule", "fuzzy", "context", "manual"]
PRECISIONS = ["day", "month", "season", "year", "none"]
AMOUNT_PERIODS = ["per_year", "total", "one_year", "unknown"]


def _schemas() -> dict:
    import pandera.pandas as pa

    from iopstudy.reference.municipalities import SIZE_CLASS_BINS, SKR_GROUPS
    from iopstudy.register.organisations import IDENTITY_RULES, ORG_TYPES

    code4 = pa.Check.str_matches(r"^\d{4}$")
    code2 = pa.Check.str_matches(r"^\d{2}$")
    year_range = pa.Check.in_range(1900, 2100)

    def col(dtype, nullable=False, checks=None, **kw):
        return pa.Column(dtype, nullable=nullable, checks=checks, coerce=False, **kw)

    partnerships = pa.DataFrameSchema(
        {
            "record_id": col(str, unique=True),
            "source_row": col("int64", checks=pa.Check.ge(2)),
            "public_party": col(str),
            "level": col(str, checks=pa.Check.isin(LEVELS)),
            "kommun_code": col(str, nullable=True, checks=code4),
            "county_code": col(str, nullable=True, checks=code2),
            "public_body_name": col(str),
            "public_body_match": col(str, checks=pa.Check.isin(MATCHES)),
            "public_body_score": col("float64", checks=pa.Check.in_range(0, 100)),
            "kommun_name": col(str, nullable=True),
            "county_name": col(str, nullable=True),
            "title": col(str),
            "policy_area_text": col(str),
            "policy_area_primary": col(str),
            "policy_area_secondary": col(str),
            "policy_area_source": col(str, checks=pa.Check.isin(["override", "keywords", "none"])),
            "start_text": col(str),
            "start_date": col("datetime64[ns]", nullable=True),
            "start_year": col("Int64", nullable=True, checks=year_range),
            "start_precision": col(str, checks=pa.Check.isin(PRECISIONS)),
            "end_text": col(str),
            "end_date": col("datetime64[ns]", nullable=True),
            "end_year": col("Int64", nullable=True, checks=year_range),
            "end_precision": col(str, checks=pa.Check.isin(PRECISIONS)),
            "open_ended": col(bool),
            "amount_text": col(str),
            "amount_sek": col("float64", nullable=True, checks=pa.Check.ge(0)),
            "amount_period": col(str, checks=pa.Check.isin(AMOUNT_PERIODS)),
            "amount_approx": col(bool),
            "amount_year": col("Int64", nullable=True, checks=year_range),
            "n_partners": col("int64", checks=pa.Check.ge(1)),
            "civil_partners": col(str),
            "source_url": col(str),
            "source_kind": col(str),
            "evidence": col(str),
            "warnings": col(str),
        },
        checks=[
            pa.Check(
                lambda d: (d["level"] != "kommun") | d["kommun_code"].notna(),
                error="a kommun-level agreement needs a kommun_code",
            ),
            pa.Check(
                lambda d: ~(d["start_date"].notna() & d["end_date"].notna())
                | (d["end_date"] >= d["start_date"]),
                error="end before start",
            ),
        ],
        strict=True,
        ordered=True,
        name="partnerships",
    )

    partners = pa.DataFrameSchema(
        {
            "record_id": col(str),
            "partner_index": col("int64", checks=pa.Check.ge(1)),
            "partner_name": col(str, checks=pa.Check.str_length(min_value=1)),
            "partner_key": col(str),
            "org_type": col("category", checks=pa.Check.isin(list(ORG_TYPES))),
            "level": col(str, checks=pa.Check.isin(LEVELS)),
            "kommun_code": col(str, nullable=True, checks=code4),
            "county_code": col(str, nullable=True, checks=code2),
            "partner_id": col(str, checks=pa.Check.str_length(min_value=1)),
            "partner_id_rule": col(str, checks=pa.Check.isin(list(IDENTITY_RULES))),
            "org_type_from_name": col("category", checks=pa.Check.isin(list(ORG_TYPES))),
        },
        checks=[
            pa.Check(
                lambda d: d.groupby("partner_id")["org_type"].transform("nunique") <= 1,
                error="one organisation type per partner_id",
            ),
        ],
        unique=["record_id", "partner_index"],
        strict=True,
        ordered=True,
        name="partners",
    )

    size_labels = [b[2] for b in SIZE_CLASS_BINS]
    municipality_panel = pa.DataFrameSchema(
        {
            "kommun_code": col(str, checks=code4),
            "year": col("int64", checks=year_range),
            "iops_active": col("int64", checks=pa.Check.ge(0)),
            "iops_started": col("int64", checks=pa.Check.ge(0)),
            "first_iop_year": col("Int64", nullable=True, checks=year_range),
            "first_evidence_year": col("Int64", nullable=True, checks=year_range),
            "ever_adopted": col(bool),
            "adopted": col(bool),
            "iops_total": col("int64", checks=pa.Check.ge(0)),
            "iops_undated": col("int64", checks=pa.Check.ge(0)),
            "kommun_name": col(str),
            "county_code": col(str, checks=code2),
            "county_name": col(str),
            "population": col("int64", checks=pa.Check.gt(0)),
            "log_population": col("float64"),
            "size_class": col(
                pa.Category(categories=size_labels, ordered=True) if hasattr(pa, "Category") else "category"
            ),
            "skr_group": col("category", checks=pa.Check.isin(list(SKR_GROUPS))),
            "skr_main_group": col("category", checks=pa.Check.isin(["A", "B", "C"])),
        },
        unique=["kommun_code", "year"],
        checks=[
            pa.Check(lambda d: d["iops_active"] <= d["iops_total"], error="more active than total"),
            pa.Check(
                lambda d: ~d["adopted"] | d["ever_adopted"], error="adopted but never adopted"
            ),
        ],
        strict=True,
        ordered=True,
        name="municipality_panel",
    )

    exclusions = pa.DataFrameSchema(
        {
            "record_id": col(str),
            "source_row": col("int64", checks=pa.Check.ge(2)),
            "column": col(str),
            "value": col(str),
            "reason": col(str, checks=pa.Check.str_length(min_value=1)),
        },
        strict=True,
        ordered=True,
        name="exclusions",
    )
    return {
        "partnerships": partnerships,
        "partners": partners,
        "municipality_panel": municipality_panel,
        "exclusions": exclusions,
    }


_CACHE: dict = {}


def schema(name: str):
    """The pandera schema of processed table ``name`` (one of :data:`TABLES`).

    Examples
    --------
    >>> s = schema("exclusions")
    >>> s.name, list(s.columns)
    ('exclusions', ['record_id', 'source_row', 'column', 'value', 'reason'])
    >>> schema("agreements")
    Traceback (most recent call last):
        ...
    ValueError: unknown table 'agreements'; choose one of ('partnerships', 'partners', 'municipality_panel', 'exclusions')
    """
    if not _CACHE:
        _CACHE.update(_schemas())
    try:
        return _CACHE[name]
    except KeyError:
        raise ValueError(f"unknown table {name!r}; choose one of {TABLES}") from None


def validate_table(df: "pd.DataFrame", name: str) -> "pd.DataFrame":
    """Check ``df`` against the schema of table ``name``; raise :class:`SchemaError` if it fails.

    Examples
    --------
    >>> import pandas as pd
    >>> ex = pd.DataFrame({"record_id": ["EX-2"], "source_row": [3], "column": ["start"],
    ...                    "value": ["31 februari 2022"], "reason": ["impossible date"]})
    >>> validate_table(ex, "exclusions")["record_id"].tolist()
    ['EX-2']
    >>> try:
    ...     validate_table(ex.assign(source_row=1), "exclusions")  # line 1 is the header
    ... except SchemaError as err:
    ...     print(str(err).splitlines()[0], "greater_than_or_equal_to(2)" in str(err))
    table 'exclusions' does not match its schema: True
    """
    import pandera.errors

    try:
        return schema(name).validate(df, lazy=True)
    except (pandera.errors.SchemaErrors, pandera.errors.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        detail = ""
        if cases is not None and len(cases):
            detail = "\n" + cases.head(10).to_string()
        raise SchemaError(f"table {name!r} does not match its schema:{detail}") from None


def write_processed(tables: dict, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Validate and write each table as Parquet and CSV (deterministically).

    The Parquet file holds the values as they are; in the CSV a text cell that a
    spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) gets a leading
    ``'`` (:func:`iopstudy.text.neutralise_formulas`).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> ex = pd.DataFrame({"record_id": ["EX-2"], "source_row": [3], "column": ["start"],
    ...                    "value": ["=1+1"], "reason": ["impossible date"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_processed({"exclusions": ex}, tmp)
    ...     print([f.name for f in files])
    ...     print(Path(tmp, "exclusions.csv").read_text(encoding="utf-8"))
    ['exclusions.parquet', 'exclusions.csv']
    record_id,source_row,column,value,reason
    EX-2,3,start,'=1+1,impossible date
    <BLANKLINE>
    """
    from iopstudy.text import neutralise_formulas

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        df = text_columns_as_text(df, name)
        validate_table(df, name)
        pq = out / f"{name}.parquet"
        csv = out / f"{name}.csv"
        # each file is written beside its place and moved there in one step: a notebook that
        # reads the tables while another process builds them sees the old or the new file, whole
        tmp_pq, tmp_csv = (f.with_name(f".{f.name}.{os.getpid()}.tmp") for f in (pq, csv))
        df.to_parquet(tmp_pq, index=False, engine="pyarrow", compression="zstd")
        # register text comes from the web: no cell may run as a formula in a spreadsheet
        neutralise_formulas(df).to_csv(
            tmp_csv, index=False, lineterminator="\n", encoding="utf-8", date_format="%Y-%m-%d"
        )
        os.replace(tmp_pq, pq)
        os.replace(tmp_csv, csv)
        written += [pq, csv]
    return written


def read_processed(name: str, data_dir: str | os.PathLike[str] | None = None) -> "pd.DataFrame":
    """Read processed table ``name`` from its Parquet file and check its schema.

    Parameters
    ----------
    name
        One of :data:`TABLES`.
    data_dir
        The folder holding the processed files (``data/processed``), or a
        project root / ``data`` folder above it. Defaults to the project's.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> ex = pd.DataFrame({"record_id": ["EX-2"], "source_row": [3], "column": ["start"],
    ...                    "value": ["31 februari 2022"], "reason": ["impossible date"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_processed({"exclusions": ex}, Path(tmp) / "data" / "processed")
    ...     back = read_processed("exclusions", tmp)  # the study folder: data/processed is found
    >>> back.values.tolist()
    [['EX-2', 3, 'start', '31 februari 2022', 'impossible date']]
    """
    import pandas as pd

    from iopstudy.errors import InputError
    from iopstudy.paths import processed_dir

    base = Path(data_dir) if data_dir is not None else processed_dir()
    for cand in (base, base / "processed", base / "data" / "processed"):
        path = cand / f"{name}.parquet"
        if path.exists():
            break
    else:
        raise InputError(
            f"processed table {name!r} not found: run `iopstudy build` first", file=str(base)
        )
    df = text_columns_as_text(pd.read_parquet(path), name)
    return validate_table(df, name)


def text_columns_as_text(df: "pd.DataFrame", name: str) -> "pd.DataFrame":
    """Give the schema's text columns the text dtype of the pandas in use.

    A Parquet file written by pandas 2 stores an empty text column with no type, which pandas 3
    reads back as ``object``; on pandas 3 such columns become ``str`` (missing values stay
    missing). On pandas 2 the frame is returned unchanged.
    """
    import pandas as pd

    if int(pd.__version__.split(".")[0]) < 3:
        return df
    text = [c for c, col in schema(name).columns.items() if "str" in str(col.dtype) and c in df]
    fix = {c: "str" for c in text if df[c].dtype == object and pd.api.types.infer_dtype(df[c]) in ("string", "empty")}
    return df.astype(fix) if fix else df
