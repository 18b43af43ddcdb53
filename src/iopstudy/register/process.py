"""Clean a raw register and build the processed tables: ``partnerships``, ``partners``, the panel.

:func:`clean_register` parses every field (dates, amounts, partners, policy areas), resolves the
public party (:func:`iopstudy.reference.resolve_public_party`, or the manual
``public_party_code``), and returns the clean tables with the excluded rows and every problem
(file, row, column, value, severity, message). :func:`build` runs read → clean → panel → write,
checks that raw rows = clean rows + excluded rows, and returns a :class:`BuildResult`.
:func:`check_register` is the dry run behind ``iopstudy validate``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
from iopstudy.register.panel import municipality_panel
from iopstudy.register.read import RegisterFile, read_register, read_register_file
from iopstudy.text import as_text

__all__ = [
    "check_register",
    "clean_register",
    "resolve_register_parties",
    "build",
    "BuildResult",
]


@dataclass
class _Parsed:
    raw: "pd.DataFrame"
    resolved: "pd.DataFrame"
    starts: "pd.DataFrame"
    ends: "pd.DataFrame"
    amounts: "pd.DataFrame"
    partners: "pd.DataFrame"
    policy: "pd.DataFrame"
    problems: list = field(default_factory=list)


def _resolve_with_overrides(raw: "pd.DataFrame", data_dir) -> "pd.DataFrame":

    from iopstudy.reference.municipalities import load_counties, load_municipalities
    from iopstudy.reference.resolve import resolve_public_party

    context = (raw["source_url"] + " " + raw["evidence"]).str.strip()
    res = resolve_public_party(raw["public_party"], context=context, data_dir=data_dir)
    manual = raw["public_party_code"].str.strip()
    if (manual != "").any():
        munis = load_municipalities(data_dir).set_index("kommun_code")["kommun_name"]
        counties = load_counties(data_dir).set_index("county_code")["region_name"]
        for i in manual.index[manual != ""]:
            code = manual[i]
            if code in munis.index:
                res.loc[i, ["level", "code", "name"]] = ["kommun", code, munis[code]]
            elif code in counties.index:
                res.loc[i, ["level", "code", "name"]] = ["region", code, counties[code]]
            else:
                res.loc[i, ["level", "code", "name"]] = ["unknown", None, None]
                res.loc[i, "match"] = "none"
                res.loc[i, "note"] = f"public_party_code {code!r} is not a kommun or county code"
                continue
            res.loc[i, "match"] = "manual"
            res.loc[i, "score"] = 100.0
            res.loc[i, "note"] = "manual code in public_party_code"
    res.index = raw.index
    return res


def resolve_register_parties(raw: "pd.DataFrame", data_dir=None) -> "pd.DataFrame":
    """Resolve the public party of every register row, as the build does.

    The name is resolved by :func:`iopstudy.reference.resolve_public_party` with the row's
    ``source_url`` and ``evidence`` as context; a code in ``public_party_code`` always wins
    (``match == "manual"``).

    Parameters
    ----------
    raw
        A register from :func:`~iopstudy.register.read.read_register`.
    data_dir
        Reference data folder (default: the shipped one).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`iopstudy.reference.RESOLVE_COLUMNS`, aligned with ``raw``.

    Examples
    --------
    >>> raw = read_register(default_register_path())
    >>> r = resolve_register_parties(raw)
    >>> r.loc[raw["record_id"] == "IOP-0025", ["level", "code", "match"]].values.tolist()
    [['region', '01', 'manual']]
    """
    return _resolve_with_overrides(raw, data_dir)


def _parse(raw: "pd.DataFrame", data_dir=None, vocabulary=None, file: str = "<register>") -> _Parsed:
    import numpy as np
    import pandas as pd

    from iopstudy.register.amounts import parse_amounts
    from iopstudy.register.fields import check_period, parse_dates, parse_period
    from iopstudy.register.organisations import split_partners
    from iopstudy.register.policy import classify_policy_area

    problems: list = []

    def add(mask, column: str, severity, message, value=None) -> None:
        """Record a problem for every row where ``mask`` is true (vectorised)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        n = int(mask.sum())
        vals = raw.loc[mask, column] if value is None else pd.Series(value, index=raw.index)[mask]
        pick = lambda x: (x[mask] if isinstance(x, (pd.Series, np.ndarray)) else [x] * n)  # noqa: E731
        problems.append(
            pd.DataFrame(
                {
                    "file": file,
                    "row": raw.loc[mask, "source_row"].to_numpy(),
                    "column": column,
                    "value": np.asarray(vals, dtype=object),
                    "severity": np.asarray(pick(severity), dtype=object),
                    "message": np.asarray(pick(message), dtype=object),
                }
            )
        )

    # ids
    ids = raw["record_id"]
    add(ids == "", "record_id", "error", "empty record id")
    dup = ids.duplicated(keep="first") & (ids != "")
    if dup.any():
        first_row = raw.loc[~ids.duplicated(keep="first")].set_index("record_id")["source_row"]
        msg = "duplicate id (first used on row " + ids.map(first_row).astype(str) + ")"
        add(dup, "record_id", "error", msg)

    # formulas in Excel cells: reported, never evaluated (the cell's text is the formula)
    if "source_formulas" in raw.columns and (raw["source_formulas"] != "").any():
        cells = raw["source_formulas"].str.split(";")
        for column in sorted({c for cs in cells for c in cs if c}):
            has = cells.map(lambda cs, c=column: c in cs).to_numpy(dtype=bool)
            add(has, column if column in raw.columns else "source_formulas", "error",
                "the Excel cell holds a formula, which is not evaluated: type its value instead")

    # public party
    resolved = _resolve_with_overrides(raw, data_dir)
    m = resolved["match"]
    add(m == "none", "public_party", "error", "unknown public party (" + resolved["note"].astype(str) + ")")
    add(
        m == "fuzzy",
        "public_party",
        "warning",
        "fuzzy match to " + resolved["name"].astype(str) + " (score "
        + resolved["score"].round(0).astype(int).astype(str) + "): check it",
    )
    add(
        m == "context",
        "public_party",
        "warning",
        "resolved to " + resolved["name"].astype(str) + " from the row's context, not from the name",
    )
    stated = raw["public_party_level"].str.strip().str.lower()
    level = resolved["level"]
    add(
        (stated != "") & (level != "unknown") & (stated != level) & (m != "manual"),
        "public_party_level",
        "warning",
        "the register says " + stated + " but the name resolves to a " + level.astype(str),
    )

    # dates: start/end, falling back to a period field
    starts = parse_dates(raw["start"].tolist(), role="start")
    ends = parse_dates(raw["end"].tolist(), role="end")
    starts.index = ends.index = raw.index
    if (raw["period"] != "").any():
        per = parse_period(raw["period"].tolist())
        per.index = raw.index
        use = (raw["period"] != "") & (raw["start"] == "") & (raw["end"] == "") & (per["problem"] == "")
        for src, dst in (("date", "date"), ("year", "year"), ("precision", "precision")):
            starts.loc[use, dst] = per.loc[use, f"start_{src}"]
            ends.loc[use, dst] = per.loc[use, f"end_{src}"]
        ends.loc[use, "open_ended"] = per.loc[use, "open_ended"].astype(bool)
        starts.loc[use, "text"] = raw.loc[use, "period"]
        bad = (raw["period"] != "") & (per["problem"] != "")
        sev = np.where(per["problem"].str.contains("impossible"), "error", "warning")
        add(bad, "period", sev, per["problem"])
    for frame, column in ((starts, "start"), (ends, "end")):
        prob = frame["problem"].astype(str)
        impossible = prob.str.contains("impossible")
        add((prob != "") & impossible, column, "error", prob)
        add((prob != "") & ~impossible, column, "warning", prob + ": the date is left empty")
    order = check_period(starts["date"], ends["date"])
    order.index = raw.index
    add(
        order != "",
        "end",
        "error",
        order.astype(str) + " (" + raw["start"] + " – " + raw["end"] + ")",
    )

    # amounts
    amounts = parse_amounts(raw["amount_text"].tolist())
    amounts.index = raw.index
    aprob = amounts["problem"].astype(str)
    negative = aprob.str.contains("negative")
    add((aprob != "") & negative, "amount_text", "error", aprob)
    add((aprob != "") & ~negative, "amount_text", "warning", aprob)

    # partners
    partners = split_partners(raw["civil_partners"].tolist())
    has_partner = np.zeros(len(raw), dtype=bool)
    has_partner[partners["row"].unique()] = True
    add(~has_partner, "civil_partners", "error", "no civil-society partner named")

    # policy area
    text = (raw["title"] + " " + raw["policy_area_text"] + " " + raw["civil_partners"]).str.strip()
    pol = classify_policy_area(
        text.tolist(), vocabulary=vocabulary, override=raw["policy_area_override"].tolist()
    )
    pol.index = raw.index
    add(pol["problem"] != "", "policy_area_override", "warning", pol["problem"].astype(str))

    return _Parsed(raw, resolved, starts, ends, amounts, partners, pol, problems)


def _table_and_file(raw, file: str | None) -> tuple["pd.DataFrame", str]:
    """The register table and the file name its problems carry."""
    if isinstance(raw, RegisterFile):
        return raw.table, raw.file if file is None else str(file)
    return raw, "<register>" if file is None else str(file)


def check_register(
    path_or_frame, *, data_dir=None, vocabulary=None, file: str | None = None
) -> "pd.DataFrame":
    """Check a register and list every problem.

    Parameters
    ----------
    path_or_frame
        A register file (CSV or .xlsx), a :class:`~iopstudy.register.read.RegisterFile`
        from :func:`~iopstudy.register.read.read_register_file`, or a DataFrame from
        :func:`read_register`.
    data_dir, vocabulary
        Reference data folder and policy-area vocabulary (default: those shipped with
        iopstudy).
    file
        The file name the problems carry in ``file``; default: the file read (a path or a
        ``RegisterFile``), ``"<register>"`` for a DataFrame.

    Returns
    -------
    pandas.DataFrame
        One row per problem: ``file``, ``row`` (line in the file), ``column``,
        ``value``, ``severity`` ("error": the row would be excluded from the
        build; "warning": kept, but look at it) and ``message``.

    Examples
    --------
    An illustrative register: the second row names only a committee, the third an impossible
    date.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "register.csv"
    ...     _ = path.write_text(
    ...         "record_id,public_party,civil_partners,start,end\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel,2019,2021\\n"
    ...         "EX-2,Exempelnämnden,Föreningen Exempel,2020,\\n"
    ...         "EX-3,Region Skåne,Stiftelsen Exempel,31 februari 2022,\\n", encoding="utf-8")
    ...     problems = check_register(path)
    ...     print(problems[["row", "column", "severity", "message"]].values.tolist())
    ...     print(bool((problems["file"] == str(path)).all()))
    [[3, 'public_party', 'error', 'unknown public party (names only a unit, not a public body)'],
     [4, 'start', 'error', 'impossible date']]
    True
    """
    import pandas as pd

    if not isinstance(path_or_frame, (pd.DataFrame, RegisterFile)):
        path_or_frame = read_register_file(path_or_frame)
    raw, name = _table_and_file(path_or_frame, file)
    parsed = _parse(raw, data_dir=data_dir, vocabulary=vocabulary, file=name)
    return _problems_frame(parsed.problems)


def _problems_frame(problems: list) -> "pd.DataFrame":
    import pandas as pd

    cols = ["file", "row", "column", "value", "severity", "message"]
    if not problems:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else object) for c in cols})
    df = pd.concat(problems, ignore_index=True)[cols]
    df["row"] = df["row"].astype("int64")
    # errors first within a row, then in the order the checks ran
    df["_sev"] = (df["severity"] != "error").astype(int)
    df = df.sort_values(["row", "_sev"], kind="stable", ignore_index=True)
    return df.drop(columns="_sev")


def clean_register(
    raw: "pd.DataFrame | RegisterFile",
    *,
    data_dir=None,
    vocabulary=None,
    aliases=None,
    file: str | None = None,
):
    """Turn a raw register into clean tables plus exclusions and problems.

    ``raw`` is a DataFrame from :func:`read_register` or a
    :class:`~iopstudy.register.read.RegisterFile`. ``aliases`` is the partner alias table (a
    path or a frame from :func:`~iopstudy.register.organisations.load_partner_aliases`); None
    uses the one shipped with iopstudy. ``file`` is the file name the problems carry
    (default: the ``RegisterFile``'s file, ``"<register>"`` for a DataFrame).

    Returns
    -------
    tuple of DataFrames
        ``(partnerships, partners, exclusions, problems)``. See
        :mod:`iopstudy.register.schemas` for the columns.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "register.csv"
    ...     _ = path.write_text(
    ...         "record_id,public_party,civil_partners,start,end,amount_text\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel,2019,2021,500 000 kr per år\\n"
    ...         "EX-2,Region Skåne,Stiftelsen Exempel,31 februari 2022,,\\n", encoding="utf-8")
    ...     partnerships, partners, exclusions, problems = clean_register(read_register_file(path))
    >>> partnerships[["record_id", "level", "kommun_code", "public_body_name", "amount_period"]].values.tolist()
    [['EX-1', 'kommun', '1281', 'Lund', 'per_year']]
    >>> int(partnerships.loc[0, "start_year"]), float(partnerships.loc[0, "amount_sek"])
    (2019, 500000.0)
    >>> partners[["record_id", "partner_name", "org_type"]].astype(str).values.tolist()
    [['EX-1', 'Föreningen Exempel', 'ideell_forening']]
    >>> exclusions[["record_id", "source_row", "column", "reason"]].values.tolist()
    [['EX-2', 3, 'start', 'impossible date']]
    """
    import numpy as np
    import pandas as pd

    from iopstudy.register.organisations import (
        classify_org_type,
        identity_org_type,
        load_partner_aliases,
        partner_identity,
    )
    from iopstudy.reference.municipalities import load_counties, load_municipalities

    raw, name = _table_and_file(raw, file)
    parsed = _parse(raw, data_dir=data_dir, vocabulary=vocabulary, file=name)
    problems = _problems_frame(parsed.problems)
    errors = problems[problems["severity"] == "error"]
    warnings_by_row = (
        problems[problems["severity"] == "warning"]
        .groupby("row")["message"]
        .agg(lambda s: " | ".join(s))
    )

    # exclusions: one row per excluded raw row, all its reasons together
    first = errors.groupby("row", sort=True).first()
    reasons = errors.groupby("row", sort=True)["message"].agg(lambda s: "; ".join(s))
    by_row = raw.set_index("source_row")
    exclusions = pd.DataFrame(
        {
            "record_id": by_row.loc[first.index, "record_id"].astype(str).to_numpy(),
            "source_row": first.index.astype("int64"),
            "column": first["column"].astype(str).to_numpy(),
            "value": first["value"].astype(str).to_numpy(),
            "reason": reasons.to_numpy(),
        }
    ).reset_index(drop=True)
    # text columns in the text dtype of the pandas in use (object on pandas 2, str on 3), also when empty
    exclusions = exclusions.astype({c: str for c in ("record_id", "column", "value", "reason")})

    keep = ~raw["source_row"].isin(first.index)
    r = raw.loc[keep]
    res = parsed.resolved.loc[keep]
    st = parsed.starts.loc[keep]
    en = parsed.ends.loc[keep]
    am = parsed.amounts.loc[keep]
    pol = parsed.policy.loc[keep]

    munis = load_municipalities(data_dir).set_index("kommun_code")
    counties = load_counties(data_dir).set_index("county_code")
    level = res["level"].astype(str)
    code = res["code"]
    kommun_code = code.where(level == "kommun")
    county_code = pd.Series(
        np.where(level == "kommun", code.str[:2], np.where(level.isin(["region", "stat"]), code, None)),
        index=r.index,
    ).replace({"": None})
    county_code = county_code.where(county_code.notna(), None)
    n_partners = parsed.partners.groupby("row").size()

    partnerships = pd.DataFrame(
        {
            "record_id": r["record_id"],
            "source_row": r["source_row"].astype("int64"),
            "public_party": r["public_party"],
            "level": level,
            "kommun_code": kommun_code.astype(object).where(kommun_code.notna(), None),
            "county_code": county_code.astype(object),
            "public_body_name": res["name"].astype(str),
            "public_body_match": res["match"].astype(str),
            "public_body_score": res["score"].astype("float64"),
            "kommun_name": kommun_code.map(munis["kommun_name"]).astype(object),
            "county_name": county_code.map(counties["county_name"]).astype(object),
            "title": r["title"],
            "policy_area_text": r["policy_area_text"],
            "policy_area_primary": pol["policy_area_primary"].astype(str),
            "policy_area_secondary": as_text(pol["policy_area_secondary"]),
            "policy_area_source": pol["policy_area_source"].astype(str),
            "start_text": st["text"].astype(str),
            "start_date": pd.to_datetime(st["date"]).astype("datetime64[ns]"),
            "start_year": st["year"].astype("Int64"),
            "start_precision": st["precision"].astype(str),
            "end_text": en["text"].astype(str),
            "end_date": pd.to_datetime(en["date"]).astype("datetime64[ns]"),
            "end_year": en["year"].astype("Int64"),
            "end_precision": en["precision"].astype(str),
            "open_ended": (st["open_ended"].astype(bool) | en["open_ended"].astype(bool)),
            "amount_text": r["amount_text"],
            "amount_sek": am["amount_sek"].astype("float64"),
            "amount_period": am["period"].astype(str),
            "amount_approx": am["approx"].astype(bool),
            "amount_year": am["amount_year"].astype("Int64"),
            "n_partners": n_partners.reindex(np.flatnonzero(keep.to_numpy()), fill_value=0).to_numpy(),
            "civil_partners": r["civil_partners"],
            "source_url": r["source_url"],
            "source_kind": r["source_kind"],
            "evidence": r["evidence"],
            "warnings": as_text(r["source_row"].map(warnings_by_row)),
        }
    ).reset_index(drop=True)
    partnerships["n_partners"] = partnerships["n_partners"].astype("int64")
    for c in ("kommun_name", "county_name", "kommun_code", "county_code"):
        partnerships[c] = partnerships[c].astype(object).where(partnerships[c].notna(), None)

    # partners: one row per agreement × organisation
    pl = parsed.partners[parsed.partners["row"].isin(np.flatnonzero(keep.to_numpy()))].copy()
    pos_to_id = dict(zip(range(len(raw)), raw["record_id"]))
    pl["record_id"] = pl["row"].map(pos_to_id)
    pl = pl.merge(
        partnerships[["record_id", "level", "kommun_code", "county_code"]], on="record_id", how="left"
    )
    from iopstudy.register.organisations import ORG_TYPES

    # one identity per organisation: aliases folded, generic names placed (kommun or region)
    if aliases is None or not isinstance(aliases, pd.DataFrame):
        aliases = load_partner_aliases(aliases)
    place = pl["kommun_code"].where(pl["level"] == "kommun", pl["county_code"])
    ident = partner_identity(
        pl["partner_name"].reset_index(drop=True),
        place.astype(object).where(place.notna(), None).tolist(),
        aliases=aliases,
        data_dir=data_dir,
    )
    from_name = classify_org_type(pl["partner_name"]).astype(str).to_numpy()
    partners = pd.DataFrame(
        {
            "record_id": pl["record_id"].astype(str),
            "partner_index": pl["partner_index"].astype("int64"),
            "partner_name": pl["partner_name"].astype(str),
            "partner_key": ident["partner_key"].astype(str).to_numpy(),
            "org_type": identity_org_type(ident["partner_id"].tolist(), from_name).to_numpy(),
            "level": pl["level"].astype(str),
            "kommun_code": pl["kommun_code"].astype(object),
            "county_code": pl["county_code"].astype(object),
            "partner_id": ident["partner_id"].astype(str).to_numpy(),
            "partner_id_rule": ident["partner_id_rule"].astype(str).to_numpy(),
            "org_type_from_name": pd.Categorical(from_name, categories=list(ORG_TYPES)),
        }
    ).reset_index(drop=True)
    partners["org_type"] = pd.Categorical(partners["org_type"].astype(str), categories=list(ORG_TYPES))
    for c in ("kommun_code", "county_code"):
        partners[c] = partners[c].where(partners[c].notna(), None)

    if len(partnerships) + len(exclusions) != len(raw):  # the invariant, checked every time
        raise RuntimeError(
            f"row accounting failed: {len(raw)} raw rows, {len(partnerships)} clean, "
            f"{len(exclusions)} excluded"
        )
    return partnerships, partners, exclusions, problems


@dataclass
class BuildResult:
    """What :func:`build` made: the tables, the problems found and the files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "register.csv"
    ...     _ = path.write_text(
    ...         "record_id,public_party,civil_partners,start,end\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel,2019,2021\\n"
    ...         "EX-2,Exempelnämnden,Föreningen Exempel,2020,\\n", encoding="utf-8")
    ...     result = build(path, write=False)
    >>> result.n_raw, len(result.partnerships), result.exclusions["record_id"].tolist(), result.files
    (2, 1, ['EX-2'], [])
    >>> print(result.summary())
    2 raw rows -> 1 agreements (1 kommun) + 1 excluded; 1 partner rows; panel 290 municipalities x 12 years
    """

    partnerships: "pd.DataFrame"
    partners: "pd.DataFrame"
    municipality_panel: "pd.DataFrame"
    exclusions: "pd.DataFrame"
    problems: "pd.DataFrame"
    files: list[Path]
    n_raw: int

    def summary(self) -> str:
        lvl = self.partnerships["level"].value_counts().to_dict()
        return (
            f"{self.n_raw} raw rows -> {len(self.partnerships)} agreements "
            f"({', '.join(f'{v} {k}' for k, v in sorted(lvl.items()))}) + "
            f"{len(self.exclusions)} excluded; {len(self.partners)} partner rows; "
            f"panel {self.municipality_panel['kommun_code'].nunique()} municipalities x "
            f"{self.municipality_panel['year'].nunique()} years"
        )


def _display_path(path: str) -> str:
    from iopstudy.paths import project_root

    try:
        return Path(path).resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return Path(path).name


def default_register_path(root=None) -> Path:
    """The study's raw register (``data/raw/register/iop_register.csv`` or ``.xlsx``)."""
    from iopstudy.paths import raw_dir, register_file

    return register_file(raw_dir(root) / "register")


def build(
    register: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    *,
    reference_dir: str | os.PathLike[str] | None = None,
    vocabulary: str | os.PathLike[str] | None = None,
    last_year: int | None = None,
    write: bool = True,
) -> BuildResult:
    """Build ``data/processed/`` from the raw register.

    Writes ``partnerships``, ``partners``, ``municipality_panel`` and
    ``exclusions`` as Parquet and CSV, each checked against its schema, and
    ``problems.csv`` (every warning and error, with file, row and column).

    Parameters
    ----------
    register
        The raw register file; defaults to the study folder's
        ``data/raw/register/iop_register.csv`` (or ``.xlsx``).
    out_dir
        Output folder; defaults to the study folder's ``data/processed``.
    reference_dir, vocabulary
        Reference data folder and policy-area vocabulary (defaults: the reference
        data shipped with iopstudy, and ``policy_areas.yml`` beside the register if
        there is one, else the vocabulary shipped with iopstudy).
    last_year
        Last year of the municipality panel (default: the latest year in the data).
    write
        Write the files (default) or only return the tables.

    Examples
    --------
    ``write=False`` returns the tables without writing them (a call with ``out_dir`` writes the
    Parquet and CSV files there and lists them in ``files``):

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "register.csv"
    ...     _ = path.write_text(
    ...         "record_id,public_party,civil_partners,start,end\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel,2019,tills vidare\\n"
    ...         "EX-2,Region Skåne,Stiftelsen Exempel,31 februari 2022,\\n", encoding="utf-8")
    ...     result = build(path, write=False, last_year=2021)
    >>> len(result.partnerships) + len(result.exclusions) == result.n_raw  # every row accounted for
    True
    >>> panel = result.municipality_panel
    >>> panel.loc[panel["kommun_code"] == "1281", ["year", "iops_active"]].values.tolist()[-3:]
    [[2019, 1], [2020, 1], [2021, 1]]
    >>> result.problems[["row", "column", "severity"]].values.tolist()
    [[3, 'start', 'error']]
    """
    from iopstudy.paths import processed_dir
    from iopstudy.reference.municipalities import load_municipalities
    from iopstudy.register.schemas import text_columns_as_text, validate_table, write_processed
    from iopstudy.text import neutralise_formulas

    path = Path(register) if register is not None else default_register_path()
    rf = read_register_file(path)
    raw = rf.table
    if vocabulary is None:
        cand = path.parent / "policy_areas.yml"
        vocabulary = cand if cand.exists() else None
    aliases = path.parent / "partner_aliases.csv"
    partnerships, partners, exclusions, problems = clean_register(
        rf, data_dir=reference_dir, vocabulary=vocabulary,
        aliases=aliases if aliases.exists() else None,
    )
    panel = municipality_panel(
        partnerships, load_municipalities(reference_dir), last_year=last_year
    )
    # text columns in the text dtype of the pandas in use (str on pandas 3), as they are read back
    tables = {
        name: text_columns_as_text(df, name)
        for name, df in (("partnerships", partnerships), ("partners", partners),
                         ("municipality_panel", panel), ("exclusions", exclusions))
    }
    partnerships, partners, panel, exclusions = (tables[k] for k in tables)
    files: list[Path] = []
    if write:
        out = Path(out_dir) if out_dir is not None else processed_dir()
        files = write_processed(tables, out)
        prob_path = out / "problems.csv"
        # a path relative to the project keeps the output the same on every machine
        shown = problems.copy()
        shown["file"] = shown["file"].map(_display_path)
        tmp = prob_path.with_name(f".{prob_path.name}.{os.getpid()}.tmp")  # moved in one step, as the tables
        neutralise_formulas(shown).to_csv(tmp, index=False, lineterminator="\n")
        os.replace(tmp, prob_path)
        files.append(prob_path)
    else:
        for name, df in tables.items():
            validate_table(df, name)
    return BuildResult(partnerships, partners, panel, exclusions, problems, files, len(raw))
