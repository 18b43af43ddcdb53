"""`iopstudy merge`: every row kept, the same agreement found twice flagged, renewals told apart."""

from __future__ import annotations

import pandas as pd
import pytest

from iopstudy.cli import main
from iopstudy.errors import InputError
from iopstudy.register.merge import LINK_COLUMNS, merge_registers

# Rows copied into the second file, and how each is re-spelled there. A varied sample: the
# largest cities and small municipalities, regions, committees resolved from the source
# address, a manual code (SL), generic partner names, several partners, and a renewal pair.
COPIED = [
    "IOP-0002", "IOP-0004", "IOP-0005", "IOP-0011", "IOP-0019", "IOP-0021", "IOP-0023", "IOP-0025",
    "IOP-0030", "IOP-0041", "IOP-0053", "IOP-0062", "IOP-0077", "IOP-0078", "IOP-0092", "IOP-0097",
    "IOP-0100", "IOP-0110", "IOP-0117", "IOP-0123", "IOP-0128", "IOP-0134", "IOP-0139", "IOP-0143",
    "IOP-0146",
]
KEEP_ID = {"IOP-0062", "IOP-0143"}  # copied with their record id: a collision to report
UNDATED = {"IOP-0030", "IOP-0134"}  # the second source gives no dates

_PARTY = {  # another way of writing the public party (the resolver must read it the same way)
    "Göteborgs Stad": "Göteborgs stad, Social resursförvaltning",
    "Göteborgs stad": "City of Gothenburg",
    "Social resursförvaltning i Göteborgs Stad": "Göteborgs Stads sociala resursförvaltning",
    "Malmö stad": "Malmö Stad",
    "Linköpings kommun": "Linköping kommun",
    "Region Östergötland": "Landstinget i Östergötland",
    "Region Sörmland": "Landstinget Sörmland",
    "Värmdö kommun": "Värmdö Kommun",
    "Umeå kommun": "Umeå Municipality",
    "Västerås stad": "City of Västerås",
    "Eskilstuna Kommun": "Eskilstuna kommun, Socialförvaltningen",
    "Motala": "Motala kommun",
    "Region Gävleborg": "Landstinget Gävleborg",
    "Växjö kommun": "Växjö Kommun",
    "Lysekils kommun": "Lysekil kommun",
    "Hedemora kommun": "Hedemora Kommun",
    "Gävle kommun": "Gävle kommun (Socialnämnden)",
}

_PARTNER = {  # partner names as another source writes them
    "Röda korset": "Svenska Röda Korset",
    "Röda Korset": "Röda korset",
    "Stadsmissionen": "Stadsmissionen",
    "Bräcke diakoni": "Stiftelsen Bräcke Diakoni",
    "Bräcke Diakoni": "Bräcke diakoni",
    "Göteborgs Kyrkliga Stadsmission": "Göteborgs stadsmission",
    "Frälsningsarmén": "FRÄLSNINGSARMÉN",
    "Eskilstuna Stadsmission": "Eskilstuna stadsmission",
    "Kvinnojouren Nacka/Värmdö": "Kvinnojouren Nacka/Värmdö ideell förening",
    "Individuell Människohjälp": "Individuell Männsikohjälp",  # a typo
}


def _respell(row: pd.Series) -> pd.Series:
    r = row.copy()
    rid = r["record_id"]
    if rid not in KEEP_ID:
        r["record_id"] = "B-" + rid[4:]
    r["public_party"] = _PARTY.get(r["public_party"], r["public_party"])
    names = [n.strip() for n in r["civil_partners"].split(";")]
    r["civil_partners"] = " ; ".join(_PARTNER.get(n, n.upper() if n.islower() else n) for n in reversed(names))
    r["title"] = r["title"].lower()
    r["policy_area_text"] = r["policy_area_text"].capitalize()
    if rid in UNDATED:
        r["start"] = r["end"] = ""
    r["evidence"] = "Second source: " + r["evidence"]
    return r


@pytest.fixture(scope="module")
def merged(tmp_path_factory, raw_register):
    tmp = tmp_path_factory.mktemp("merge")
    reg = pd.read_csv(raw_register, dtype=str, keep_default_na=False)
    copy = reg[reg.record_id.isin(COPIED)].apply(_respell, axis=1)
    copy = copy.sample(frac=1, random_state=1)  # another order, too
    b = tmp / "second_source.csv"
    copy.to_csv(b, index=False)
    return merge_registers([raw_register, b]), raw_register, b, reg, copy


def test_every_row_is_kept_with_its_file(merged):
    m, a, b, reg, copy = merged
    c = m.combined
    assert len(c) == len(reg) + len(copy) == 146 + len(COPIED)
    assert list(c.columns[-len(LINK_COLUMNS):]) == list(LINK_COLUMNS)
    assert c.loc[c.source_file == str(a), "record_id"].tolist() == reg.record_id.tolist()
    assert sorted(c.loc[c.source_file == str(b), "record_id"]) == sorted(copy.record_id)
    # the register's own text is untouched
    pd.testing.assert_frame_equal(
        c.loc[c.source_file == str(a), list(reg.columns)].reset_index(drop=True), reg, check_dtype=False
    )


def test_each_copy_is_a_duplicate_of_its_original(merged):
    m, a, b, reg, copy = merged
    c = m.combined
    second = c[c.source_file == str(b)].copy()
    second["original"] = second["record_id"].map(lambda r: r if r in KEEP_ID else "IOP-" + r[2:])
    assert (second["link"] == "duplicate").all(), second.loc[second.link != "duplicate", ["record_id", "link", "link_to"]]
    assert (second["link_to"] == second["original"]).all()
    assert (second["link_to_file"] == str(a)).all()
    assert (second["link_score"] >= 0.7).all()
    assert second["link_reason"].str.contains("same public body").all()
    # the undated copy of Värmdö 2022–2023 fits its 2026 renewal as well: the tie is said
    b30 = second.set_index("record_id").loc["B-0030"]
    assert b30.link_to == "IOP-0030" and "equally likely: IOP-0031" in b30.link_reason
    # the original rows are never marked as duplicates of the copies
    first = c[c.source_file == str(a)]
    assert not (first["link"] == "duplicate").any()


def test_renewals_are_not_duplicates(merged):
    c = merged[0].combined
    first = c[c.source_file == str(merged[1])].set_index("record_id")
    # the same parties in a later period (SOURCES.md: "Renewals and extensions")
    assert first.loc["IOP-0078", ["link", "link_to"]].tolist() == ["renewal", "IOP-0077"]
    assert first.loc["IOP-0031", ["link", "link_to"]].tolist() == ["renewal", "IOP-0030"]
    assert first.loc["IOP-0110", ["link", "link_to"]].tolist() == ["renewal", "IOP-0100"]
    assert first.loc["IOP-0140", ["link", "link_to"]].tolist() == ["renewal", "IOP-0139"]
    links = merged[0].links
    assert set(links.link) == {"duplicate", "renewal"}
    assert links.loc[links.link == "renewal", "period"].isin(["later", "earlier"]).all()


def test_colliding_record_ids_are_reported(merged, capsys, tmp_path):
    m, a, b, reg, copy = merged
    coll = m.collisions
    assert set(coll.record_id) == KEEP_ID
    assert (coll.kind == "across files").all() and (coll.n_files == 2).all()
    assert "2 record id(s) used in more than one file" in m.summary()
    out = tmp_path / "combined.csv"
    assert main(["merge", str(a), str(b), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "record id 'IOP-0062' also in another file" in printed and f"{len(copy)} likely duplicate" in printed
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(back) == 146 + len(COPIED) and (back.link != "").sum() >= len(COPIED)


def test_combined_csv_has_no_live_formula(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text(
        "record_id,public_party,civil_partners,title,amount_text\n"
        'X1,Borås Stad,Agape,"=HYPERLINK(""http://example.org"",""x"")",-500\n'
        "X2,Borås Stad,@Föreningen,+46 70 000 00 00,-12\n",
        encoding="utf-8",
    )
    out = tmp_path / "c.csv"
    merge_registers([a]).write_csv(out)
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert back.title.tolist() == ["'=HYPERLINK(\"http://example.org\",\"x\")", "'+46 70 000 00 00"]
    assert back.civil_partners.tolist() == ["Agape", "'@Föreningen"]
    assert back.amount_text.tolist() == ["-500", "-12"]  # numbers stay numbers


def test_merge_needs_readable_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        merge_registers([tmp_path / "nope.csv"])
    with pytest.raises(InputError, match="no register"):
        merge_registers([])
