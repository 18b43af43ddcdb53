"""Descriptive tables of the register: the window, activity in a year, coverage, policy areas.

Nothing here assumes the shipped (partial) register; every function works on a complete
register too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.text import as_text

__all__ = [
    "observation_end",
    "activity_in_year",
    "coverage_by",
    "area_labels",
    "area_counts",
    "level_profile",
    "area_roles",
    "org_type_by_level",
    "agreements_per_body",
]


def observation_end(partnerships: pd.DataFrame, panel: pd.DataFrame | None = None) -> int:
    """The last year of the observation window: the latest dated start in the register.

    The register records no capture dates, and the municipality panel runs
    to the latest *end* year (which may lie in the future). Adoption curves
    and hazard models stop at the latest start year found, so no municipality
    is counted as "at risk" in years nobody could have looked at. Without any
    dated start the panel's last year is used.

    Examples
    --------
    >>> p = pd.DataFrame({"start_year": pd.array([2015, None, 2020], dtype="Int64")})
    >>> observation_end(p)
    2020
    >>> undated = pd.DataFrame({"start_year": pd.array([None, None], dtype="Int64")})
    >>> observation_end(undated, panel=pd.DataFrame({"year": [2010, 2024]}))
    2024
    """
    years = pd.to_numeric(partnerships.get("start_year"), errors="coerce").dropna()
    if len(years):
        return int(years.max())
    if panel is not None and len(panel):
        return int(panel["year"].max())
    raise InputError("observation_end: no dated start and no panel to take the last year from")


def activity_in_year(partnerships: pd.DataFrame, year: int, *, kind: str = "active") -> pd.Series:
    """Whether each agreement counts for ``year``: ``"yes"``, ``"no"`` or ``"unknown"``.

    Parameters
    ----------
    partnerships
        One row per agreement with ``start_year``, ``end_year`` (and
        ``open_ended``).
    year
        The reference year.
    kind
        ``"active"``: the agreement ran in the year. ``"yes"`` by the rule of
        the municipality panel's ``iops_active`` (start to end; an open-ended
        one from its start; one with only a start counts in that year, one
        with only an end in that year); ``"no"`` when the dates put it
        outside the year (started later, ended earlier); ``"unknown"``
        otherwise (undated, or only a start before / only an end after the
        year). ``"cumulative"``: the agreement existed by the year (started
        in or before it): ``"yes"`` with a start or end in or before the
        year, ``"no"`` with a start after it, else ``"unknown"``.

    Examples
    --------
    >>> p = pd.DataFrame({
    ...     "start_year": pd.array([2015, 2019, None, 2020], dtype="Int64"),
    ...     "end_year": pd.array([2017, None, 2021, None], dtype="Int64"),
    ...     "open_ended": [False, True, False, False],
    ... })
    >>> active = activity_in_year(p, 2020)
    >>> active.name, active.tolist()
    ('active_2020', ['no', 'yes', 'unknown', 'yes'])
    >>> activity_in_year(p, 2016, kind="cumulative").tolist()
    ['yes', 'no', 'unknown', 'no']
    """
    if kind not in ("active", "cumulative"):
        raise InputError(f"activity_in_year: kind must be 'active' or 'cumulative', not {kind!r}")
    s = pd.to_numeric(partnerships["start_year"], errors="coerce").astype("float64").to_numpy()
    e = pd.to_numeric(partnerships["end_year"], errors="coerce").astype("float64").to_numpy()
    oe = (
        partnerships["open_ended"].astype(bool).to_numpy()
        if "open_ended" in partnerships
        else np.zeros(len(s), dtype=bool)
    )
    y = float(year)
    hs, he = ~np.isnan(s), ~np.isnan(e)
    out = np.full(len(s), "unknown", dtype=object)
    if kind == "active":
        both = hs & he
        out[both & (s <= y) & (y <= e)] = "yes"
        out[both & ((s > y) | (e < y))] = "no"
        only_s = hs & ~he
        out[only_s & (s > y)] = "no"
        out[only_s & (s == y)] = "yes"
        out[only_s & oe & (s <= y)] = "yes"
        only_e = he & ~hs
        out[only_e & (e == y)] = "yes"
        out[only_e & (e < y)] = "no"
    else:
        out[hs & (s <= y)] = "yes"
        out[hs & (s > y)] = "no"
        out[~hs & he & (e <= y)] = "yes"
    return pd.Series(out, index=partnerships.index, name=f"{kind}_{year}")


# --------------------------------------------------------------------------- coverage
def coverage_by(
    partnerships: pd.DataFrame,
    municipalities: pd.DataFrame,
    by: str = "county_code",
) -> pd.DataFrame:
    """Municipalities with at least one found kommun-level agreement, per group.

    Parameters
    ----------
    partnerships
        The processed ``partnerships``.
    municipalities
        :func:`iopstudy.reference.load_municipalities` (all 290).
    by
        A column of ``municipalities``: ``county_code``, ``size_class``,
        ``skr_group``, ``skr_main_group``.

    Returns
    -------
    pandas.DataFrame
        ``group, n_municipalities, municipalities_found, share_found,
        kommun_agreements, population, population_share_found`` (the share
        of the group's population living in municipalities with a found
        agreement); with ``by="county_code"`` also ``county_name`` and
        ``region_agreements`` (region-level agreements of the county).
        Categorical groups keep their order and appear even when empty.

    Examples
    --------
    An illustrative county "99" of three municipalities, agreements in two of them and one
    agreement of its region:

    >>> m = pd.DataFrame({"kommun_code": ["9901", "9902", "9903"], "county_code": ["99"] * 3,
    ...                   "county_name": ["Exempel län"] * 3, "population": [30_000, 10_000, 40_000]})
    >>> p = pd.DataFrame({"level": ["kommun", "kommun", "kommun", "region"],
    ...                   "kommun_code": ["9901", "9901", "9902", None], "county_code": ["99"] * 4})
    >>> cov = coverage_by(p, m)
    >>> cov[["group", "county_name", "municipalities_found", "kommun_agreements", "region_agreements"]].values.tolist()
    [['99', 'Exempel län', 2, 3, 1]]
    >>> float(round(cov.loc[0, "share_found"], 3)), float(cov.loc[0, "population_share_found"])
    (0.667, 0.5)
    """
    if by not in municipalities.columns:
        raise InputError(f"coverage_by: {by!r} is not a column of the municipalities", column=by)
    m = municipalities.copy()
    kom = partnerships[partnerships["level"] == "kommun"]
    per = kom.groupby("kommun_code").size()
    m["_agreements"] = m["kommun_code"].map(per).fillna(0).astype("int64")
    m["_found"] = m["_agreements"] > 0
    m["_pop_found"] = np.where(m["_found"], m["population"], 0)
    g = m.groupby(by, observed=False, sort=True)
    out = pd.DataFrame(
        {
            "n_municipalities": g.size(),
            "municipalities_found": g["_found"].sum(),
            "kommun_agreements": g["_agreements"].sum(),
            "population": g["population"].sum(),
            "_pop_found": g["_pop_found"].sum(),
        }
    )
    out = out.astype("int64")
    out["share_found"] = out["municipalities_found"] / out["n_municipalities"].replace(0, np.nan)
    out["population_share_found"] = out["_pop_found"] / out["population"].replace(0, np.nan)
    out = out.drop(columns="_pop_found").reset_index().rename(columns={by: "group"})
    cols = ["group", "n_municipalities", "municipalities_found", "share_found",
            "kommun_agreements", "population", "population_share_found"]
    if by == "county_code":
        names = municipalities.drop_duplicates("county_code").set_index("county_code")["county_name"]
        out["county_name"] = out["group"].map(names)
        reg = partnerships[partnerships["level"] == "region"].groupby("county_code").size()
        out["region_agreements"] = out["group"].map(reg).fillna(0).astype("int64")
        cols = ["group", "county_name", *cols[1:], "region_agreements"]
    return out[cols]


# --------------------------------------------------------------------------- policy areas
def area_labels(vocabulary: pd.DataFrame | None = None) -> dict[str, dict[str, str]]:
    """``{area_id: {"en": label_en, "sv": label_sv}}`` from the policy-area vocabulary.

    Examples
    --------
    >>> labels = area_labels()
    >>> "other" in labels, sorted(labels["violence"])
    (True, ['en', 'sv'])
    >>> labels["violence"]["sv"]
    'Våld i nära relationer, kvinno- och tjejjourer'
    """
    if vocabulary is None:
        from iopstudy.register.policy import load_policy_vocabulary

        vocabulary = load_policy_vocabulary()
    return {
        str(r.area_id): {"en": str(r.label_en), "sv": str(r.label_sv)}
        for r in vocabulary.itertuples(index=False)
    }


def area_counts(partnerships: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Agreements per policy area as primary and as secondary area.

    Returns ``area, primary, secondary, any, share_primary, share_any``
    (shares of all agreements; an agreement counts once per area in
    ``any``, so ``share_any`` sums to more than 1), sorted by ``primary``
    then ``any`` (descending), or in ``order``.

    Examples
    --------
    >>> p = pd.DataFrame({"policy_area_primary": ["violence", "homelessness", "violence", "other"],
    ...                   "policy_area_secondary": ["", "violence", "", ""]})
    >>> counts = area_counts(p)
    >>> counts[["area", "primary", "secondary", "any"]].values.tolist()
    [['violence', 2, 1, 3], ['homelessness', 1, 0, 1], ['other', 1, 0, 1]]
    >>> counts["share_any"].tolist()
    [0.75, 0.25, 0.25]
    """
    n = len(partnerships)
    prim = partnerships["policy_area_primary"].astype(str)
    sec = as_text(partnerships["policy_area_secondary"])
    areas = sorted(set(prim) | set(sec[sec != ""]))
    rows = []
    for a in areas:
        p_ = int((prim == a).sum())
        s_ = int((sec == a).sum())
        any_ = int(((prim == a) | (sec == a)).sum())
        rows.append(dict(area=a, primary=p_, secondary=s_, any=any_))
    out = pd.DataFrame(rows, columns=["area", "primary", "secondary", "any"])
    out["share_primary"] = out["primary"] / n if n else np.nan
    out["share_any"] = out["any"] / n if n else np.nan
    if order is not None:
        rank = {a: i for i, a in enumerate(order)}
        out = out.sort_values("area", key=lambda s: s.map(rank).fillna(len(rank)), kind="mergesort")
    else:
        out = out.sort_values(["primary", "any", "area"], ascending=[False, False, True], kind="mergesort")
    return out.reset_index(drop=True)


def level_profile(partnerships: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Kommun- and region-level agreements side by side.

    Returns one row per level: ``level, agreements, public_bodies,
    share_dated`` (start year known), ``share_amount`` (amount in SEK
    known), ``mean_partners``, ``top_area`` and ``top_area_share`` (most
    common primary area), ``n_areas`` (distinct primary areas),
    ``top_org_type`` and ``top_org_type_share`` (among the partner rows).

    Examples
    --------
    >>> p = pd.DataFrame({
    ...     "record_id": ["A1", "A2", "A3", "A4"],
    ...     "level": ["kommun", "kommun", "kommun", "region"],
    ...     "public_body_name": ["Aby", "Aby", "Bby", "Region Exempel"],
    ...     "start_year": pd.array([2015, 2019, None, 2020], dtype="Int64"),
    ...     "amount_sek": [500_000.0, None, None, 2_000_000.0],
    ...     "n_partners": [2, 1, 1, 1],
    ...     "policy_area_primary": ["violence", "homelessness", "violence", "other"],
    ... })
    >>> partners = pd.DataFrame({"record_id": ["A1", "A1", "A2", "A3", "A4"],
    ...                          "org_type": ["ideell_forening", "stiftelse", "ideell_forening",
    ...                                       "ideell_forening", "stiftelse"]})
    >>> prof = level_profile(p, partners)
    >>> prof[["level", "agreements", "public_bodies", "top_area", "n_areas", "top_org_type"]].values.tolist()
    [['kommun', 3, 2, 'violence', 2, 'ideell_forening'], ['region', 1, 1, 'other', 1, 'stiftelse']]
    >>> [round(x, 3) for x in prof["share_dated"]], prof["top_org_type_share"].tolist()
    ([0.667, 1.0], [0.75, 1.0])
    """
    rows = []
    for lvl, d in partnerships.groupby("level", sort=True):
        areas = d["policy_area_primary"].value_counts()
        areas = areas.sort_index().sort_values(ascending=False, kind="mergesort")
        pr = partners[partners["record_id"].isin(d["record_id"])]["org_type"].value_counts()
        pr = pr.sort_index().sort_values(ascending=False, kind="mergesort")
        rows.append(
            dict(
                level=lvl,
                agreements=len(d),
                public_bodies=int(d["public_body_name"].nunique()),
                share_dated=float(d["start_year"].notna().mean()),
                share_amount=float(d["amount_sek"].notna().mean()),
                mean_partners=float(d["n_partners"].mean()),
                top_area=areas.index[0],
                top_area_share=float(areas.iloc[0] / len(d)),
                n_areas=int(len(areas)),
                top_org_type=pr.index[0] if len(pr) else None,
                top_org_type_share=float(pr.iloc[0] / pr.sum()) if len(pr) else np.nan,
            )
        )
    return pd.DataFrame(rows)


def area_roles(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`area_counts` in long form: ``area``, ``role`` (``primary``/``secondary``), ``count``.

    Examples
    --------
    >>> p = pd.DataFrame({"policy_area_primary": ["violence", "homelessness"],
    ...                   "policy_area_secondary": ["", "violence"]})
    >>> area_roles(area_counts(p)).values.tolist()
    [['violence', 'primary', 1], ['homelessness', 'primary', 1], ['violence', 'secondary', 1], ['homelessness', 'secondary', 0]]
    """
    return counts.melt(id_vars="area", value_vars=["primary", "secondary"], var_name="role", value_name="count")


def org_type_by_level(partners: pd.DataFrame) -> pd.DataFrame:
    """Partner rows by organisation type (rows) and level (columns).

    Examples
    --------
    >>> partners = pd.DataFrame({"org_type": ["ideell_forening", "stiftelse", "ideell_forening", "ideell_forening"],
    ...                          "level": ["kommun", "kommun", "kommun", "region"]})
    >>> table = org_type_by_level(partners)
    >>> list(table.columns), list(table.index)
    (['kommun', 'region'], ['ideell_forening', 'stiftelse'])
    >>> table.loc["ideell_forening"].tolist(), table.loc["stiftelse"].tolist()
    ([2, 1], [1, 0])
    """
    return pd.crosstab(partners["org_type"].astype(str), partners["level"])


def agreements_per_body(partnerships: pd.DataFrame) -> pd.DataFrame:
    """Agreements per public body and level (``public_body_name``, ``level``, ``count``), most first.

    Examples
    --------
    >>> p = pd.DataFrame({"public_body_name": ["Bby", "Aby", "Aby", "Region Exempel"],
    ...                   "level": ["kommun", "kommun", "kommun", "region"]})
    >>> agreements_per_body(p).values.tolist()
    [['Aby', 'kommun', 2], ['Bby', 'kommun', 1], ['Region Exempel', 'region', 1]]
    """
    return (
        partnerships.groupby(["public_body_name", "level"]).size().rename("count").reset_index()
        .sort_values(["count", "public_body_name"], ascending=[False, True], ignore_index=True)
    )
