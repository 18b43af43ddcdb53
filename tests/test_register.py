"""The register build: nothing lost, nothing silent, clear errors on bad input."""

import subprocess
import sys

import pandas as pd
import pytest

from iopstudy.cli import main
from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.register import build, check_register, read_register
from iopstudy.register.read import read_register_file
from iopstudy.register.schemas import TABLES, read_processed

HEADER = "record_id,public_party,public_party_level,civil_partners,title,policy_area_text,start,end,amount_text,source_url,source_kind,evidence\n"


def write(tmp_path, text, name="reg.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, raw_register):
    out = tmp_path_factory.mktemp("processed")
    return build(register=raw_register, out_dir=out), out


def test_shipped_register_builds_with_every_row_accounted_for(shipped, raw_register):
    res, out = shipped
    n_raw = len(pd.read_csv(raw_register, dtype=str))
    assert res.n_raw == n_raw == 146  # two compilations: IOP-0001–0080 and IOP-0081–0146
    assert len(res.partnerships) + len(res.exclusions) == n_raw
    assert set(res.partnerships.record_id).isdisjoint(res.exclusions.record_id)
    assert (res.exclusions["reason"].str.len() > 0).all()
    for name in TABLES:
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
        read_processed(name, out)  # schema checked on read


def test_shipped_register_counts_match_sources_md(shipped):
    p = shipped[0].partnerships
    k = p[p.level == "kommun"]
    # SOURCES.md: 44 municipalities and 7 regions; the build finds Mölndal too (IOP-0132/0133,
    # molndal.se), which the second compilation's list of new bodies leaves out
    assert k.kommun_code.nunique() == 45
    assert p.loc[p.level == "region", "county_code"].nunique() == 7  # with SL -> Region Stockholm
    assert (p.level == "region").sum() == 11 and (p.level == "kommun").sum() == 135
    # first compilation: Enköping 13, Malmö 6, Eskilstuna 6, Umeå 6; Göteborg 9 + Sydväst (IOP-0123);
    # second: Stockholm through Rinkeby-Kista 12, Järfälla 7, Lund 4 + 4
    counts = k.kommun_name.value_counts()
    assert counts[["Enköping", "Göteborg", "Malmö", "Eskilstuna", "Umeå"]].tolist() == [13, 10, 6, 6, 6]
    assert counts[["Stockholm", "Järfälla", "Lund"]].tolist() == [12, 7, 8]
    by_id = p.set_index("record_id")
    sl = by_id.loc["IOP-0025"]
    assert sl.public_body_match == "manual" and sl.county_code == "01"
    rk = by_id.loc[[f"IOP-{i:04d}" for i in range(100, 112)]]
    assert (rk.public_body_match == "manual").all() and (rk.kommun_code == "0180").all()
    # 34 + 16 rows have a start and 36 + 24 an end; three starts and one end have no year
    assert p.start_text.ne("").sum() == 50 and p.end_text.ne("").sum() == 60
    assert p.start_date.notna().sum() == 47 and p.end_date.notna().sum() == 59
    assert p.amount_text.ne("").sum() == 29
    assert p.start_year.min() == 2012 and p.start_year.max() == 2024


def test_panel_covers_all_municipalities_and_only_kommun_agreements(shipped):
    res = shipped[0]
    panel = res.municipality_panel
    years = sorted(panel.year.unique())
    assert years[0] == 2010
    assert len(panel) == 290 * len(years)
    assert panel.kommun_code.map(len).eq(4).all()
    ever = panel.groupby("kommun_code").ever_adopted.first()
    assert ever.sum() == 45
    # region agreements never make a municipality an adopter: Region Värmland has one, Karlstad none
    assert not panel.loc[panel.kommun_code == "1780", "ever_adopted"].any()
    vas = panel[(panel.kommun_code == "1980")].set_index("year")
    assert vas.loc[2012, "iops_started"] == 1 and vas.first_iop_year.iloc[0] == 2012
    assert vas.loc[2011, "adopted"] == False and vas.loc[2013, "adopted"] == True  # noqa: E712
    assert panel["size_class"].cat.ordered and panel["skr_group"].cat.ordered


def test_build_is_deterministic(tmp_path, raw_register):
    a, b = tmp_path / "a", tmp_path / "b"
    build(register=raw_register, out_dir=a)
    build(register=raw_register, out_dir=b)
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_partners_long_table(shipped):
    partners = shipped[0].partners
    p = shipped[0].partnerships
    assert len(partners) == p.n_partners.sum()
    got = partners[partners.record_id == "IOP-0004"]
    assert len(got) == 9 and got.partner_index.tolist() == list(range(1, 10))
    assert set(partners.org_type.cat.categories) >= {"stadsmission", "kvinno_tjejjour", "other"}


def test_exclusions_with_reasons(tmp_path):
    rows = [
        "A1,Göteborgs Stad,kommun,Föreningen X,,,2019,2021,500 tkr,,,",
        "A1,Malmö stad,kommun,Föreningen Y,,,,,,,,",  # duplicate id
        "A3,Socialnämnden,kommun,Föreningen Z,,,,,,,,",  # unknown public party
        "A4,Lunds kommun,kommun,Föreningen Q,,,31 februari 2020,,,,,",  # impossible date
        "A5,Umeå kommun,kommun,Föreningen R,,,,,-500 000 kr,,,",  # negative amount
        "A6,Umeå kommun,kommun,Föreningen S,,,2022,2020,,,,",  # end before start
        "A7,Umeå kommun,kommun,,,,,,,,,",  # no partner
        "A8,Goteborg,kommun,Föreningen T,,,,,,,,",  # fuzzy: kept with a warning
    ]
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    res = build(register=path, out_dir=tmp_path / "out")
    assert len(res.partnerships) + len(res.exclusions) == 8
    ex = res.exclusions.set_index("source_row")
    assert ex.loc[3, "reason"].startswith("duplicate id")
    assert "unknown public party" in ex.loc[4, "reason"]
    assert "impossible date" in ex.loc[5, "reason"] and ex.loc[5, "column"] == "start"
    assert "negative amount" in ex.loc[6, "reason"]
    assert "end before start" in ex.loc[7, "reason"]
    assert "no civil-society partner" in ex.loc[8, "reason"]
    kept = res.partnerships.set_index("record_id")
    assert kept.loc["A8", "public_body_match"] == "fuzzy" and "fuzzy" in kept.loc["A8", "warnings"]


def test_read_latin1_semicolon_excel_export(tmp_path):
    text = HEADER.replace(",", ";") + "B1;Västerås stad;kommun;Tjejjouren Ronja;;;2019;;500 000 kr per år;;;\n"
    path = write(tmp_path, text, encoding="cp1252")
    with pytest.warns(IopStudyWarning, match="not UTF-8"):
        register = read_register_file(path)
    assert register.encoding == "cp1252" and register.delimiter == ";" and register.file == str(path)
    with pytest.warns(IopStudyWarning, match="not UTF-8"):
        raw = read_register(path)
    assert raw.attrs == {}  # nothing travels in attrs
    assert raw.equals(register.table)
    assert raw.loc[0, "public_party"] == "Västerås stad"
    with pytest.warns(IopStudyWarning, match="not UTF-8"):
        assert main(["validate", str(path)]) == 0


def test_read_xlsx(tmp_path):
    df = pd.DataFrame(
        {"record_id": ["X1", "X2"], "public_party": ["Borås Stad", "Kommunen"], "civil_partners": ["Agape", "Förening"]}
    )
    path = tmp_path / "reg.xlsx"
    df.to_excel(path, index=False)
    problems = check_register(path)
    assert problems.loc[problems.severity == "error", "row"].tolist() == [3]
    assert main(["validate", str(path)]) == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("record_id,public_party\nA,B\n", "missing required column"),
        (HEADER, "no rows"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(InputError, match=message) as info:
        read_register(path)
    assert str(path) in str(info.value)


def test_validate_cli_reports_file_row_column_value(tmp_path, capsys):
    path = write(tmp_path, HEADER + "C1,Lunds kommun,kommun,Förening,,,2020-13-01,,,,,\nC1,Lunds kommun,kommun,Förening,,,,,,,,\n")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2 [start] error: '2020-13-01'" in out
    assert f"{path}:3 [record_id] error: 'C1': duplicate id" in out


def test_cli_errors_without_traceback(tmp_path):
    missing = tmp_path / "nope.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "iopstudy", "validate", str(missing)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "file not found" in proc.stderr and str(missing) in proc.stderr
    bad = write(tmp_path, "\xff\xfe\x00garbage", name="bin.csv", encoding="latin-1")
    proc = subprocess.run([sys.executable, "-m", "iopstudy", "validate", str(bad)], capture_output=True, text=True)
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- the 146-row register
# Every warning of the shipped build, and why it is there (nothing is excluded).
EXPECTED_WARNINGS = {
    # committees and the word "kommunen": the body is read from the source address or evidence
    **{f"IOP-{i:04d}": "public_party" for i in (7, 8, 9, *range(40, 53), 59, 66, 73, 74)},
    # second compilation: committees and an administration, resolved the same way
    "IOP-0120": "public_party",  # Social- och omsorgsnämnden, linkoping.se
    "IOP-0121": "public_party",  # Socialnämnden, kalmar.se
    "IOP-0123": "public_party",  # Socialförvaltningen Sydväst, …/hemlosa-i-goteborg-…
    "IOP-0132": "public_party",  # Kultur- och fritidsnämnden, molndal.se
    "IOP-0133": "public_party",
    "IOP-0139": "public_party",  # vård- och omsorgsnämnden, lund.se
    "IOP-0140": "public_party",
    "IOP-0141": "public_party",
}


def test_shipped_build_excludes_nothing_and_explains_every_warning(shipped):
    res = shipped[0]
    assert len(res.exclusions) == 0 and len(res.partnerships) == res.n_raw == 146
    pr = res.problems
    assert (pr.severity == "error").sum() == 0
    warn = pr[pr.severity == "warning"].copy()
    ids = res.partnerships.set_index("source_row")["record_id"]
    warn["record_id"] = warn["row"].map(ids)
    party = warn[warn.column == "public_party"]
    assert dict(zip(party.record_id, party.column)) == EXPECTED_WARNINGS
    assert party.message.str.contains("from the row's context, not from the name").all()
    # dates with a day and a month but no year on the page: left empty, no year guessed
    dates = warn[warn.column.isin(["start", "end"])]
    assert sorted(zip(dates.record_id, dates.column, dates.value)) == [
        ("IOP-0089", "start", "1 juni"),
        ("IOP-0123", "end", "31 mars"),
        ("IOP-0123", "start", "1 december"),
        ("IOP-0141", "start", "1 juli"),
    ]
    assert dates.message.str.startswith("no year given (none is guessed)").all()
    # "fem kronor per invånare" is a rate per inhabitant, not a sum of money
    amount = warn[warn.column == "amount_text"]
    assert amount.record_id.tolist() == ["IOP-0137"] and amount.message.tolist() == ["no amount found"]
    assert len(warn) == len(party) + len(dates) + len(amount) == 33


def test_shipped_build_reads_the_new_date_forms(shipped):
    p = shipped[0].partnerships.set_index("record_id")
    day = lambda c, r: p.loc[r, c].strftime("%Y-%m-%d")  # noqa: E731
    assert (day("start_date", "IOP-0134"), day("end_date", "IOP-0134")) == ("2022-03-01", "2023-02-28")
    assert day("start_date", "IOP-0100") == "2018-07-01" and p.loc["IOP-0100", "start_precision"] == "season"
    assert day("end_date", "IOP-0101") == "2021-12-31"
    for rid in ("IOP-0089", "IOP-0123", "IOP-0141"):
        assert pd.isna(p.loc[rid, "start_date"]) and pd.isna(p.loc[rid, "start_year"])
    assert p.loc["IOP-0141", "end_year"] == 2024  # its end has a year; its start is not given one


def test_shipped_new_rows_resolve_to_the_right_body(shipped):
    p = shipped[0].partnerships.set_index("record_id")
    expect = {
        "IOP-0091": ("2482", "rule"),  # Skellefteå kommun (Socialnämnden)
        "IOP-0092": ("0583", "exact"),  # Motala
        "IOP-0095": ("0509", "exact"),  # Ödeshög
        "IOP-0100": ("0180", "manual"),  # Rinkeby-Kista stadsdelsnämnd
        "IOP-0123": ("1480", "context"),  # Socialförvaltningen Sydväst
        "IOP-0128": ("1281", "rule"),  # vård- och omsorgsförvaltningen i Lund
        "IOP-0146": ("2180", "exact"),  # Gävle kommun, not Region Gävleborg
    }
    got = {r: (p.loc[r, "kommun_code"], p.loc[r, "public_body_match"]) for r in expect}
    assert got == expect
    assert p.loc[["IOP-0089", "IOP-0097"], "county_code"].tolist() == ["17", "21"]


def test_partner_identities(shipped):
    pa = shipped[0].partners
    ident = pa.groupby("partner_id")["partner_name"].agg(lambda s: sorted(set(s)))
    # one organisation, two spellings: one identity
    assert ident["stadsmission@1480"] == ["Göteborgs Kyrkliga Stadsmission", "Göteborgs stadsmission", "Stadsmissionen"]
    # one generic name, three places: three identities
    stads = pa[pa.partner_name == "Stadsmissionen"]
    assert sorted(stads.partner_id.unique()) == ["stadsmission@04", "stadsmission@0580", "stadsmission@1480"]
    # the Linköping stadsmission of the region's agreements is the one of the municipality's
    assert set(pa.loc[pa.partner_name == "Stadsmissionen i Linköping", "partner_id"]) == {"stadsmission@0580"}
    # one organisation type per identity: Bräcke diakoni is a stiftelse in every row
    br = pa[pa.partner_id == "bräcke diakoni"]
    assert len(br) == 5 and set(br.org_type.astype(str)) == {"stiftelse"}
    assert set(br.org_type_from_name.astype(str)) == {"other", "stiftelse"}
    assert (pa.groupby("partner_id")["org_type"].nunique() == 1).all()
    # the alias table only folds what the register shows (IOP-0092–0095: one victim-support association)
    vo = pa[pa.record_id.isin(["IOP-0092", "IOP-0093", "IOP-0094", "IOP-0095"])]
    assert set(vo.partner_id) == {"brottsofferjouren västra östergötland"} and set(vo.partner_id_rule) == {"alias"}
    assert pa.loc[pa.record_id == "IOP-0053", "partner_id"].tolist() == ["brottsofferjour@2480"]  # Umeå's own
    # Botkyrka is a place, not a church
    assert pa.loc[pa.partner_name == "Brottsofferjouren Huddinge-Botkyrka", "org_type"].astype(str).tolist() == ["ideell_forening"]
    # the existing columns are kept
    assert list(pa.columns[:8]) == ["record_id", "partner_index", "partner_name", "partner_key", "org_type",
                                    "level", "kommun_code", "county_code"]


def test_alias_table_is_checked(tmp_path):
    from iopstudy.register.organisations import load_partner_aliases

    bad = tmp_path / "a.csv"
    bad.write_text("alias,place_code,canonical,records,evidence\nX,12345,Y,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="place_code") as info:
        load_partner_aliases(bad)
    assert str(bad) in str(info.value) and "row 2" in str(info.value)
    bad.write_text("alias,place_code,canonical,records,evidence\nX,,Y,,\nx,,Z,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="two canonical names"):
        load_partner_aliases(bad)


def test_formula_cells_in_xlsx_are_reported_not_evaluated(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["record_id", "public_party", "civil_partners", "source_url"])
    ws.append(["F1", "Borås Stad", "Agape", '=HYPERLINK("http://example.org","klick")'])
    ws.append(["F2", "Lunds kommun", "=1+1", ""])
    ws.append(["F3", "Lunds kommun", "Föreningen Z", "-> text, not a formula"])
    path = tmp_path / "reg.xlsx"
    wb.save(path)
    raw = read_register(path)
    assert raw.loc[0, "source_url"] == '=HYPERLINK("http://example.org","klick")'  # the text, not a value
    problems = check_register(raw, file=str(path))
    assert problems.equals(check_register(read_register_file(path)))
    err = problems[problems.severity == "error"]
    assert sorted(zip(err.row, err.column)) == [(2, "source_url"), (3, "civil_partners")]
    assert err.message.str.contains("formula").all() and (err.file == str(path)).all()
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2 [source_url] error:" in out and f"{path}:3 [civil_partners] error:" in out
    res = build(register=path, out_dir=tmp_path / "out")
    assert sorted(res.exclusions.record_id) == ["F1", "F2"] and res.partnerships.record_id.tolist() == ["F3"]
    # the written tables carry no live formula
    text = (tmp_path / "out" / "exclusions.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and ",\"=HYPERLINK" not in text
    assert "'->" in (tmp_path / "out" / "partnerships.csv").read_text(encoding="utf-8")


def test_build_with_every_row_excluded_writes_an_empty_panel(tmp_path):
    # a register whose only row cannot be resolved: no traceback, an exclusion with its reason
    from iopstudy.register import build

    reg = tmp_path / "reg.csv"
    reg.write_text("record_id,public_party,civil_partners\nX-1,Socialnämnden,Röda Korset\n", encoding="utf-8")
    res = build(reg, tmp_path / "out")
    assert len(res.partnerships) == 0 and len(res.exclusions) == 1
    assert "unknown public party" in res.exclusions["reason"].iloc[0]
    assert len(res.municipality_panel) > 0 and not res.municipality_panel["ever_adopted"].any()
