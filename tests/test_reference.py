import shutil

import pandas as pd
import pytest

from iopstudy.errors import ReferenceDataError
from iopstudy.reference import (
    SKR_GROUPS,
    load_counties,
    load_municipalities,
    size_class,
    size_class_labels,
)


def test_municipalities_typed_and_complete():
    m = load_municipalities()
    assert len(m) == 290 and m["kommun_code"].is_unique
    assert m["kommun_code"].map(type).eq(str).all()
    assert (m["kommun_code"].str.len() == 4).all()
    assert (m["county_code"] == m["kommun_code"].str[:2]).all()
    assert m.loc[m.kommun_code == "0114", "kommun_name"].item() == "Upplands Väsby"
    assert m["skr_group"].cat.ordered
    assert list(m["skr_group"].cat.categories) == list(SKR_GROUPS)
    assert m["size_class"].cat.ordered
    assert m["population"].sum() == 10_587_710  # SCB Riket 2024, see SOURCES.md
    # SKR 2017 group counts as documented in SOURCES.md
    counts = m["skr_group"].value_counts().reindex(list(SKR_GROUPS)).tolist()
    assert counts == [3, 43, 21, 52, 35, 29, 52, 40, 15]
    assert (m.loc[m.kommun_code == "1480", "skr_group_en"] == "Large cities").all()


def test_counties_match_municipal_sums():
    c = load_counties()
    m = load_municipalities()
    assert len(c) == 21
    sums = m.groupby("county_code")["population"].sum()
    assert (c.set_index("county_code")["population"] == sums).all()


def test_size_class_bins_are_ordered_and_half_open():
    s = size_class(pd.Series([9_999, 10_000, 24_999, 25_000, 199_999, 200_000]))
    assert s.tolist() == ["<10k", "10–25k", "10–25k", "25–50k", "100–200k", "≥200k"]
    assert s.cat.ordered
    assert size_class_labels("sv")["≥200k"] == "200 000 och fler"
    with pytest.raises(ValueError):
        size_class_labels("de")


def test_validation_on_load(tmp_path):
    src = load_municipalities.__globals__["reference_dir"](None)
    for f in ("municipalities.csv", "counties.csv"):
        shutil.copy(src / f, tmp_path / f)
    df = pd.read_csv(tmp_path / "municipalities.csv", dtype=str)
    df.loc[0, "population"] = str(int(df.loc[0, "population"]) + 1)
    df.to_csv(tmp_path / "municipalities.csv", index=False)
    with pytest.raises(ReferenceDataError, match="do not add up"):
        load_municipalities(tmp_path)
    df.loc[0, "population"] = str(int(df.loc[0, "population"]) - 1)
    df.loc[1, "county_code"] = "03"
    df.to_csv(tmp_path / "municipalities.csv", index=False)
    with pytest.raises(ReferenceDataError, match="first"):
        load_municipalities(tmp_path)
    df.drop(index=[5]).to_csv(tmp_path / "municipalities.csv", index=False)
    with pytest.raises(ReferenceDataError, match="290"):
        load_municipalities(tmp_path)
