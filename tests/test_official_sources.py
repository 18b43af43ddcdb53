"""Readers of the unmodified official files in data/raw/reference/sources (SCB, Valmyndigheten,
SKR): values against the published totals, and wrong files refused with the file's name."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from iopstudy.errors import InputError
from iopstudy.reference import elections, governance, scb

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "raw" / "reference" / "sources"
HISTORY = SOURCES / "scb" / "folkmangd_kommuner_1950_2022.xlsx"
BE2023 = SOURCES / "scb" / "be0101_tabhel2023.xlsx"
BE2024 = SOURCES / "scb" / "be0101_tabhel2024.xlsx"
CODES = SOURCES / "scb" / "kommunlankod_2023.xls"
AREA = SOURCES / "scb" / "landareal_kommuner_2015_2023.xlsx"
ME = SOURCES / "scb" / "ME0104B6_riksdagsval_kommuner_1973_2018.csv"
RI = SOURCES / "val" / "ri_tab4_2022.xlsx"
KO = SOURCES / "val" / "ko_tab3_2022.xlsx"
SKR = SOURCES / "skr" / "styre_kommuner_2022.xlsx"


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return scb.load_population(SOURCES)


@pytest.fixture(scope="module")
def land_area() -> pd.DataFrame:
    return scb.load_land_area(SOURCES)


@pytest.fixture(scope="module")
def votes() -> pd.DataFrame:
    return elections.load_riksdag_votes(SOURCES)


# --- the files themselves ------------------------------------------------------------------


def test_checksums_match_sources_md():
    text = (SOURCES / "SOURCES.md").read_text(encoding="utf-8")
    listed = dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, flags=re.M)
    )
    files = [p for p in SOURCES.rglob("*") if p.is_file() and p.name != "SOURCES.md"]
    on_disk = sorted(p.relative_to(SOURCES).as_posix() for p in files)
    assert sorted(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((SOURCES / name).read_bytes()).hexdigest() == digest, name


# --- population ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year, total",
    [
        (2010, 9_415_570),
        (2015, 9_851_017),
        (2022, 10_521_556),
        (2023, 10_551_707),
        (2024, 10_587_710),
    ],
)
def test_national_totals(population, year, total):
    assert int(population.loc[population["year"] == year, "population"].sum()) == total


def test_stockholm(population):
    s = population.loc[population["kommun_code"] == "0180"].set_index("year")["population"]
    assert s.loc[[2010, 2022, 2023, 2024]].tolist() == [847_073, 984_748, 988_943, 995_574]


def test_290_municipalities_every_year(population):
    assert list(population.columns) == ["kommun_code", "year", "population", "source"]
    assert population["year"].dtype == "int64" and population["population"].dtype == "int64"
    assert population["kommun_code"].astype(str).str.fullmatch(r"\d{4}").all()
    recent = population.loc[population["year"].between(2010, 2024)]
    assert sorted(set(recent["year"])) == list(range(2010, 2025))
    assert (recent.groupby("year")["kommun_code"].nunique() == 290).all()
    assert not population.duplicated(["kommun_code", "year"]).any()
    assert population.attrs == {}


def test_2024_equals_municipalities_csv(population):
    ref = pd.read_csv(ROOT / "data" / "raw" / "reference" / "municipalities.csv", dtype=str)
    ref = ref.set_index("kommun_code")["population"].astype("int64").sort_index()
    got = population.loc[population["year"] == 2024].set_index("kommun_code")["population"]
    got = got.sort_index()
    assert got.index.astype(str).tolist() == ref.index.astype(str).tolist()
    assert (got.to_numpy() == ref.to_numpy()).all()


def test_names_map_to_codes_and_knivsta():
    codes = scb.read_municipality_codes(CODES)
    assert len(codes) == 290 and codes["county_code"].nunique() == 21
    hist = scb.read_population_1950_2022(HISTORY, codes=codes)
    kn = hist.loc[hist["kommun_code"] == "0330"]
    assert set(kn["kommun_name"].astype(str)) == {"Knivsta"}
    assert kn["year"].min() == 1950  # by today's division, as SOURCES.md says


def test_unknown_name_fails_loudly():
    codes = scb.read_municipality_codes(CODES)
    codes = codes.loc[codes["kommun_name"].astype(str) != "Knivsta"]
    with pytest.raises(InputError, match=r"folkmangd_kommuner_1950_2022\.xlsx.*Knivsta"):
        scb.read_population_1950_2022(HISTORY, codes=codes)


def test_be0101_2024_sheets():
    t = scb.read_be0101(BE2024)
    assert set(t["year"]) == {2024} and len(t) == 290


def test_land_area(land_area):
    assert list(land_area.columns) == ["kommun_code", "year", "land_area_km2", "source"]
    assert sorted(set(land_area["year"])) == list(range(2015, 2024))
    assert (land_area.groupby("year")["kommun_code"].nunique() == 290).all()
    assert land_area["land_area_km2"].notna().all() and (land_area["land_area_km2"] > 0).all()


def test_density_uses_nearest_land_area_year(population, land_area):
    d = scb.population_density(population, land_area)
    by_year = d.groupby("year")["land_area_year"].unique()
    assert list(by_year.loc[2010]) == [2015] and list(by_year.loc[2020]) == [2020]
    assert list(by_year.loc[2024]) == [2023]
    row = d.loc[(d["kommun_code"] == "0180") & (d["year"] == 2024)].iloc[0]
    sthlm_2023 = (land_area["kommun_code"] == "0180") & (land_area["year"] == 2023)
    area = land_area.loc[sthlm_2023, "land_area_km2"]
    assert row["density_per_km2"] == pytest.approx(995_574 / float(area.iloc[0]))
    assert len(d) == len(population)


# --- elections -------------------------------------------------------------------------------


def test_riksdag_votes(votes):
    assert list(votes.columns) == ["kommun_code", "election_year", "party", "votes", "source"]
    assert list(votes["party"].cat.categories) == list(elections.PARTIES)
    assert votes["party"].cat.ordered
    for y in (2010, 2014, 2018, 2022):
        v = votes.loc[votes["election_year"] == y]
        assert v["kommun_code"].nunique() == 290, y
        assert (v.groupby("kommun_code").size() == 9).all(), y
    assert votes["votes"].dtype == "int64" and (votes["votes"] >= 0).all()
    sources = votes.groupby("election_year")["source"].first()
    assert sources.loc[2022] == "ri_tab4_2022.xlsx" and sources.loc[2018].startswith("ME0104B6")


def test_riksdag_values_from_files(votes):
    # Upplands Väsby 2018 (ME0104B6) and the sum of the 2022 district table
    v18 = votes.loc[(votes["kommun_code"] == "0114") & (votes["election_year"] == 2018)]
    assert v18.set_index(v18["party"].astype(str))["votes"].to_dict() == {
        "M": 5970, "C": 1618, "L": 1463, "KD": 1734, "S": 6966,
        "V": 2069, "MP": 1012, "SD": 4659, "other": 339,
    }  # fmt: skip
    assert int(votes.loc[votes["election_year"] == 2022, "votes"].sum()) == 6_477_970


def test_shares_sum_to_one(votes):
    s = elections.vote_shares(votes)
    sums = s.groupby(["kommun_code", "election_year"])["share"].sum()
    assert ((sums - 1).abs() < 1e-12).all()
    b = elections.bloc_shares(votes.loc[votes["election_year"] >= 2010])
    total = b[["left_share", "right_share", "sd_share", "other_share"]].sum(axis=1)
    assert ((total - 1).abs() < 1e-12).all()
    assert len(b) == 4 * 290


def test_election_covariates(votes):
    c = elections.election_covariates(votes, range(2010, 2025))
    assert (c.groupby("year")["kommun_code"].nunique() == 290).all()
    e = c.groupby("year")["election_year"].unique().map(lambda a: int(a[0]))
    assert e.loc[2010] == 2006 and e.loc[2014] == 2010 and e.loc[2015] == 2014
    assert e.loc[2019] == 2018 and e.loc[2022] == 2018 and e.loc[2023] == 2022
    with pytest.raises(InputError, match="no election before 1973"):
        elections.election_covariates(votes, [1973])


def test_municipal_votes_2022():
    k = elections.load_municipal_votes_2022(SOURCES)
    assert k["kommun_code"].nunique() == 290 and set(k["election_year"]) == {2022}
    assert int(k["votes"].sum()) == 6_498_692
    with pytest.raises(InputError, match=r"ko_tab3_2022\.xlsx.*riksdag"):
        elections.read_valmyndigheten_districts(KO, election="riksdag")


# --- governance ------------------------------------------------------------------------------


def test_governing_parties():
    g = governance.load_governing_parties_2022(SOURCES)
    assert len(g) == 290  # the file has one row for each of the 290 municipalities
    assert g["kommun_code"].astype(str).str.fullmatch(r"\d{4}").all()
    assert g["kommun_code"].astype(str).tolist()[0] == "0114"
    row = g.loc[g["kommun_code"] == "0114"].iloc[0]
    assert row["governing_parties"] == "L,S,ÖP" and row["local_parties"] == "Väsbys Bästa"
    assert row["kso_party"] == "S"
    assert g["kso_party"].isna().sum() == 1  # Tyresö
    flags = g[[f"gov_{p}" for p in governance.STYRE_PARTIES]]
    assert (flags.sum(axis=1) == g["n_governing_parties"]).all()


def test_governance_codes_as_numbers(tmp_path):
    """SKR files may store codes as numbers without the leading zero: it is restored."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(SKR)
    ws = wb.active
    for r in range(2, ws.max_row + 1):
        v = ws.cell(r, 1).value
        if v:
            ws.cell(r, 1).value = int(v)
    p = tmp_path / "styre_kommuner_2022.xlsx"
    wb.save(p)
    g = governance.read_skr_styre(p)
    assert g["kommun_code"].astype(str).tolist()[:2] == ["0114", "0115"]


# --- wrong files -----------------------------------------------------------------------------


def _copy_sheet(src: Path, dst: Path, sheet: str, rename: str | None = None, drop_rows=()) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src, read_only=True)
    out = openpyxl.Workbook()
    ws = out.active
    ws.title = rename or sheet
    for i, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
        if i not in drop_rows:
            ws.append(list(row))
    wb.close()
    out.save(dst)
    return dst


@pytest.mark.parametrize(
    "reader, wrong",
    [
        (scb.read_population_1950_2022, BE2024),
        (scb.read_be0101, HISTORY),
        (scb.read_be0101, AREA),
        (scb.read_land_area, BE2023),
        (scb.read_municipality_codes, HISTORY),
        (elections.read_me0104b6, RI),
        (elections.read_valmyndigheten_districts, BE2024),
        (governance.read_skr_styre, RI),
    ],
)
def test_another_table_is_refused(reader, wrong):
    with pytest.raises(InputError, match=re.escape(wrong.name)):
        reader(wrong)


def test_another_sheet_is_refused(tmp_path):
    p = _copy_sheet(BE2024, tmp_path / "be0101_tabhel2024.xlsx", "Män", rename="Totalt")
    with pytest.raises(InputError, match=r"be0101_tabhel2024\.xlsx.*Totalt.*Män"):
        scb.read_be0101(p)
    q = _copy_sheet(BE2024, tmp_path / "be0101_tabhel2099.xlsx", "Kvinnor")
    with pytest.raises(InputError, match=r"be0101_tabhel2099\.xlsx.*no sheet 'Totalt'"):
        scb.read_be0101(q)


@pytest.mark.parametrize("src", [BE2024, HISTORY, AREA, RI, SKR])
def test_truncated_workbook_is_refused(tmp_path, src):
    data = src.read_bytes()
    p = tmp_path / src.name
    p.write_bytes(data[: len(data) // 2])
    reader = {
        BE2024: scb.read_be0101,
        HISTORY: scb.read_population_1950_2022,
        AREA: scb.read_land_area,
        RI: elections.read_valmyndigheten_districts,
        SKR: governance.read_skr_styre,
    }[src]
    with pytest.raises(InputError, match=re.escape(src.name) + ".*truncated or damaged"):
        reader(p)


def test_truncated_xls_is_refused(tmp_path):
    p = tmp_path / CODES.name
    p.write_bytes(CODES.read_bytes()[:3000])
    with pytest.raises(InputError, match=re.escape(CODES.name)):
        scb.read_municipality_codes(p)


def test_cut_rows_are_refused(tmp_path):
    p = _copy_sheet(BE2024, tmp_path / "be0101_tabhel2024.xlsx", "Totalt", drop_rows=range(20, 30))
    with pytest.raises(InputError, match=r"be0101_tabhel2024\.xlsx.*expected 290 .*, found 280"):
        scb.read_be0101(p)
    q = _copy_sheet(HISTORY, tmp_path / HISTORY.name, "Tabell", drop_rows={100})
    with pytest.raises(InputError, match=re.escape(HISTORY.name) + ".*expected 290.*found 289"):
        scb.read_population_1950_2022(q)
    lines = ME.read_bytes().split(b"\n")
    r = tmp_path / ME.name
    r.write_bytes(b"\n".join(lines[:-300]))
    with pytest.raises(InputError, match=re.escape(ME.name)):
        elections.read_me0104b6(r)


def test_utf8_copy_of_latin1_csv_is_refused(tmp_path):
    p = tmp_path / ME.name
    p.write_bytes(ME.read_bytes().decode("latin-1").encode("utf-8"))
    with pytest.raises(InputError, match=re.escape(ME.name) + r".*UTF-8.*Ã"):
        elections.read_me0104b6(p)
    # the same copy read as UTF-8 on purpose gives the same numbers as the original
    a = elections.read_me0104b6(ME)
    b = elections.read_me0104b6(p, encoding="utf-8")
    pd.testing.assert_frame_equal(a, b)


def test_csv_with_a_column_missing_is_refused(tmp_path):
    import csv
    import io

    text = ME.read_bytes().decode("latin-1")
    rows = list(csv.reader(io.StringIO(text)))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(r[:1] + r[2:] if len(r) > 2 else r)  # drop "parti mm"
    p = tmp_path / ME.name
    p.write_bytes(buf.getvalue().encode("latin-1"))
    with pytest.raises(InputError, match=re.escape(ME.name) + ".*'region', 'parti mm'"):
        elections.read_me0104b6(p)


def test_missing_election_is_refused(tmp_path):
    """A ME0104B6 export without the 2018 column leaves a gap before 2022: refused."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(ME.read_bytes().decode("latin-1"))))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(r[:-1] if len(r) > 2 else r for r in rows)
    (tmp_path / "scb").mkdir()
    (tmp_path / "val").mkdir()
    (tmp_path / "scb" / ME.name).write_bytes(buf.getvalue().encode("latin-1"))
    shutil.copy(RI, tmp_path / "val" / RI.name)
    assert elections.read_me0104b6(tmp_path / "scb" / ME.name)["election_year"].max() == 2014
    with pytest.raises(InputError, match=r"missing between \[\(2014, 2022\)\]"):
        elections.load_riksdag_votes(tmp_path)


def test_missing_files(tmp_path):
    for reader in (
        scb.read_population_1950_2022, scb.read_be0101, scb.read_municipality_codes,
        scb.read_land_area, elections.read_me0104b6, elections.read_valmyndigheten_districts,
        governance.read_skr_styre,
    ):  # fmt: skip
        with pytest.raises(InputError, match=r"nothere\.xlsx: file not found"):
            reader(tmp_path / "nothere.xlsx")
    with pytest.raises(InputError, match="no file matching"):
        scb.load_population(tmp_path)
    with pytest.raises(InputError, match="no file matching"):
        elections.load_riksdag_votes(tmp_path)


def test_loader_reads_every_be0101_in_folder(tmp_path):
    """Next year's table is picked up; two tables of one year are refused."""
    for sub in ("scb",):
        shutil.copytree(SOURCES / sub, tmp_path / sub)
    pop = scb.load_population(tmp_path)
    assert pop["year"].max() == 2024
    shutil.copy(BE2024, tmp_path / "scb" / "be0101_tabhel2024_kopia.xlsx")
    with pytest.raises(InputError, match="2024"):
        scb.load_population(tmp_path)
