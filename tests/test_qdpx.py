"""Tests of iopstudy.qdpx: REFI-QDA projects (.qdpx) in and out.

The fixtures in tests/data/qdpx/ are built from hand-written XML by
tests/data/qdpx/make_fixtures.py (fictional text, no tool's files copied).
"""

from __future__ import annotations

import importlib.util
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import iopstudy.interviews.qdpx as qdpx
from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.interviews.codebook import code_guid, load_codebook
from iopstudy.interviews.coding import precode
from iopstudy.interviews.qdpx import (
    PROJECT_NAMESPACE,
    QdaProject,
    normalise_source_text,
    read_qdpx,
    write_qdpx,
)
from iopstudy.interviews.refi import codings_to_segments, project_from_segments
from iopstudy.interviews.results import Corpus, Metadata, Pseudonymised

DATA = Path(__file__).parent / "data" / "qdpx"
NS = {"q": PROJECT_NAMESPACE}


def _fixtures_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


FX = _fixtures_module()


def read_quiet(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", IopStudyWarning)
        return read_qdpx(path)


# ------------------------------------------------------------------ fixtures


def test_committed_fixtures_match_their_script():
    for name, make in FX.FIXTURES.items():
        assert (DATA / name).read_bytes() == FX.zip_bytes(make()), f"rebuild {name} with make_fixtures.py"


def test_fixture_source_has_bom_crlf_and_decomposed_letters():
    with zipfile.ZipFile(DATA / "qualcoder_style.qdpx") as zf:
        s1 = zf.read(f"sources/{FX.QC_SRC1_GUID}.txt")
        s2 = zf.read(f"sources/{FX.QC_SRC2_GUID}.txt").decode("utf-8")
    assert s1.startswith(b"\xef\xbb\xbf") and b"\r\n" in s1
    assert "a\u0308" in s2 and "a\u030a" in s2


# ------------------------------------------------------------------ reading


def test_read_qualcoder_style():
    p = read_quiet(DATA / "qualcoder_style.qdpx")  # no warning: every selection checks out
    assert isinstance(p, QdaProject) and p.name == "IOP pilot"
    assert list(p.codes.columns) == ["guid", "name", "parent_guid", "color", "description", "codable"]
    assert list(p.sources.columns) == ["guid", "name", "text"]
    assert list(p.codings.columns) == ["source", "start", "end", "code", "coder", "text"]
    assert list(p.users.columns) == ["guid", "name"]
    assert p.users["name"].tolist() == ["Anna", "Björn"]
    codes = p.codes.set_index("name")
    assert codes.loc["GOV.TRUST", "parent_guid"] == codes.loc["GOV", "guid"]
    assert pd.isna(codes.loc["GOV", "parent_guid"]) and not codes.loc["GOV", "codable"]
    assert codes.loc["GOV.TRUST", "color"] == "#E69F00" and pd.isna(codes.loc["GOV.NPG", "color"])
    assert codes.loc["GOV.TRUST", "description"] == "Tillit och förtroende"
    # texts: BOM dropped, CRLF -> LF, NFC
    t1, t2 = p.sources["text"]
    assert not t1.startswith("\ufeff") and "\r" not in t1 and t1 == FX.QC_SRC1.replace("\r\n", "\n")
    assert t2 == "IP: Vi fick vänta på beslutet i ett år.\nSedan blev det ett treårigt avtal.\n"
    # each coding's text is the passage at its (mapped) offsets
    for r in p.codings.itertuples():
        text = dict(zip(p.sources["name"], p.sources["text"]))[r.source]
        assert text[r.start : r.end] == r.text
    assert p.codings[["code", "coder", "text"]].values.tolist() == [
        ["GOV.TRUST", "Anna", "Vi hade förtroende för förvaltningen från början."],
        ["GOV.TRUST", "Björn", "Vi hade förtroende för förvaltningen från början.\nSedan kom frågan"],
        ["LAW.LOU", "Björn", "upphandling och LOU"],
        ["GOV.NPG", "Anna", "Det är en gemensam styrgrupp, på lika villkor."],
        ["PRIN.DIALOG", "Anna", "Det är en gemensam styrgrupp, på lika villkor."],
        ["PRIN.LONG", "Björn", "vänta på beslutet i ett år"],
    ]
    assert p.codings["source"].tolist() == ["int01 föreningen"] * 5 + ["int02 kommunen"]


def test_read_nvivo_style():
    with pytest.warns(IopStudyWarning, match="non-text source"):
        p = read_qdpx(DATA / "nvivo_style.qdpx")
    assert p.codes["color"].tolist() == ["#FF00AA", "#112233"]  # three-digit colours expanded
    assert p.codes["codable"].tolist() == [True, True]  # isCodable="1"
    assert p.users["name"].tolist() == ["Cecilia"]
    assert p.sources["name"].tolist() == ["Intervju 2", "Anteckning"]  # Sources/ folder, inline text
    assert p.codings[["source", "code", "coder", "text"]].values.tolist() == [
        ["Intervju 2", "HYB.LOGIC", "Cecilia", "Kulturen i kommunen är en annan än i föreningen."],
        ["Intervju 2", "HYB.LOGIC", "Cecilia", "Vi pratar olika språk."],
        ["Anteckning", "Bakgrund", "Cecilia", FX.NV_SRC2],  # the whole source coded
    ]


def test_normalise_source_text_maps_positions():
    raw = "a\r\nb\u0061\u030a c\rd"
    text, smap, emap = normalise_source_text(raw)
    assert text == "a\nbå c\nd"
    assert smap[raw.index("b")] == text.index("b")
    assert emap[raw.index("a\u030a") + 2] == text.index("å") + 1
    assert smap[2] == 1 and emap[2] == 2  # inside the CRLF pair: start rounds down, end up
    assert normalise_source_text("plain") == ("plain", None, None)


# ------------------------------------------------------------------ writing


@pytest.mark.parametrize("name", ["qualcoder_style.qdpx", "nvivo_style.qdpx"])
def test_round_trip_and_identical_bytes(tmp_path, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IopStudyWarning)
        first = read_qdpx(DATA / name)
    a = write_qdpx(first, tmp_path / "a.qdpx")
    b = write_qdpx(first, tmp_path / "b.qdpx")
    assert a.read_bytes() == b.read_bytes()  # write twice -> identical bytes
    second = read_quiet(a)
    assert second.equals(first)  # read -> write -> read loses nothing
    c = write_qdpx(second, tmp_path / "c.qdpx")
    assert c.read_bytes() == a.read_bytes()  # a re-export is byte-identical


def test_written_archive_is_valid_refi(tmp_path):
    p = read_quiet(DATA / "qualcoder_style.qdpx")
    out = write_qdpx(p, tmp_path / "out.qdpx")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names[0] == "project.qde"
        assert names[1:] == [f"sources/{g}.txt" for g in p.sources["guid"]]
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        qde = zf.read("project.qde")
        assert qde.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        src = zf.read(names[1])
        assert not src.startswith(b"\xef\xbb\xbf") and b"\r" not in src
    root = ET.fromstring(qde)
    assert root.tag == f"{{{PROJECT_NAMESPACE}}}Project"
    assert [c.tag.split("}")[1] for c in root] == ["Users", "CodeBook", "Sources"]  # XSD order
    sel = root.findall(".//q:PlainTextSelection", NS)
    assert len(sel) == 5  # the selection with two codes stays one selection
    two = [s for s in sel if len(s.findall("q:Coding", NS)) == 2]
    assert len(two) == 1
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    assert two[0].get("creatingUser") == users["Anna"]
    ts = root.find("q:Sources/q:TextSource", NS)
    assert ts.get("plainTextPath") == f"internal://{ts.get('guid')}.txt"
    nested = root.findall("q:CodeBook/q:Codes/q:Code/q:Code", NS)
    assert {c.get("name") for c in nested} == {"GOV.TRUST", "GOV.NPG", "LAW.LOU"}


def test_write_rejects_unknown_references(tmp_path):
    p = read_quiet(DATA / "qualcoder_style.qdpx")
    bad = QdaProject(p.name, p.codes, p.sources, p.codings.assign(code="NOPE"), p.users)
    with pytest.raises(InputError, match="unknown code"):
        write_qdpx(bad, tmp_path / "x.qdpx")
    bad = QdaProject(p.name, p.codes, p.sources, p.codings.assign(coder="Zed"), p.users)
    with pytest.raises(InputError, match="unknown coder"):
        write_qdpx(bad, tmp_path / "x.qdpx")
    bad = QdaProject(p.name, p.codes, p.sources, p.codings.assign(end=10**6), p.users)
    with pytest.raises(InputError, match="outside the source text"):
        write_qdpx(bad, tmp_path / "x.qdpx")


# ------------------------------------------------------------------ broken files


QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="broken">
  <CodeBook><Codes>
    <Code guid="00000000-0000-4000-8000-000000000001" name="A" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="00000000-0000-4000-8000-0000000000aa" name="doc" plainTextPath="internal://doc.txt">
      <PlainTextSelection guid="00000000-0000-4000-8000-0000000000bb" startPosition="{start}" endPosition="{end}">
        <Coding guid="00000000-0000-4000-8000-0000000000cc"><CodeRef targetGUID="{target}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""


def make_qdpx(tmp_path, qde: str | None, text: str | None = "Hej på dig.", name: str = "broken.qdpx") -> Path:
    entries = {}
    if qde is not None:
        entries["project.qde"] = qde.encode("utf-8")
    if text is not None:
        entries["sources/doc.txt"] = text.encode("utf-8")
    p = tmp_path / name
    p.write_bytes(FX.zip_bytes(entries))
    return p


def good_qde(start=0, end=3, target="00000000-0000-4000-8000-000000000001") -> str:
    return QDE.format(start=start, end=end, target=target)


def test_minimal_valid(tmp_path):
    p = read_quiet(make_qdpx(tmp_path, good_qde()))
    assert p.codings[["code", "text", "coder"]].values.tolist() == [["A", "Hej", ""]]


def test_not_a_zip(tmp_path):
    p = tmp_path / "x.qdpx"
    p.write_text("this is not a zip", encoding="utf-8")
    with pytest.raises(InputError, match="not a zip") as exc:
        read_qdpx(p)
    assert exc.value.file == str(p)


def test_no_project_qde(tmp_path):
    with pytest.raises(InputError, match="no project.qde") as exc:
        read_qdpx(make_qdpx(tmp_path, None))
    assert "broken.qdpx" in str(exc.value)


def test_xml_error_has_line(tmp_path):
    broken = good_qde().replace("</Sources>", "</Source>")
    with pytest.raises(InputError, match="not well-formed") as exc:
        read_qdpx(make_qdpx(tmp_path, broken))
    assert exc.value.row == 12 and "broken.qdpx" in exc.value.file  # the line of </Source>


def test_selection_outside_text(tmp_path):
    with pytest.raises(InputError, match="outside the text") as exc:
        read_qdpx(make_qdpx(tmp_path, good_qde(start=2, end=99)))
    assert "00000000-0000-4000-8000-0000000000bb" in str(exc.value)
    assert "broken.qdpx" in str(exc.value)


def test_coderef_to_unknown_code(tmp_path):
    with pytest.raises(InputError, match="not in the code book") as exc:
        read_qdpx(make_qdpx(tmp_path, good_qde(target="00000000-0000-4000-8000-00000000dead")))
    assert exc.value.value == "00000000-0000-4000-8000-00000000dead"
    assert "0000000000bb" in str(exc.value)


def test_bad_position_and_missing_source(tmp_path):
    with pytest.raises(InputError, match="not integers"):
        read_qdpx(make_qdpx(tmp_path, good_qde(start="x")))
    with pytest.raises(InputError, match="not in the archive"):
        read_qdpx(make_qdpx(tmp_path, good_qde(), text=None))
    with pytest.raises(InputError, match="not a REFI-QDA project"):
        read_qdpx(make_qdpx(tmp_path, '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'))


def test_selection_name_mismatch_warns_with_guid(tmp_path):
    qde = good_qde().replace('startPosition="0"', 'name="Hallå" startPosition="0"')
    with pytest.warns(IopStudyWarning, match="0000000000bb"):
        read_qdpx(make_qdpx(tmp_path, qde))


# ------------------------------------------------------------------ segments <-> project

DOC = (
    "# Intervju int01\n\n"
    "I: Hur började det?\n\n"
    "IP: Vi hade förtroende för kommunen.\nDet blev en gemensam styrgrupp.\n\n"
    "I: Och LOV?\n\n"
    "IP: Nej, men LOU var en fråga. Vi fick lov att vänta på juristerna.\n"
)


def segments() -> pd.DataFrame:
    rows = []
    for i, t in enumerate(
        [
            "Hur började det?",
            "Vi hade förtroende för kommunen.\nDet blev en gemensam styrgrupp.",
            "Och LOV?",
            "Nej, men LOU var en fråga. Vi fick lov att vänta på juristerna.",
        ]
    ):
        a = DOC.index(t)
        rows.append(
            {"interview_id": "int01", "segment_id": f"int01-{i + 1:03d}", "text": t, "start": a, "end": a + len(t),
             "speaker_role": "interviewer" if i % 2 == 0 else "respondent"}
        )
    return pd.DataFrame(rows)


DOCS = {"int01": DOC}


MANUAL = pd.DataFrame(
    {
        "segment_id": ["int01-002", "int01-002", "int01-004", "int01-002", "int01-004"],
        "code": ["GOV.TRUST", "GOV.NPG", "LAW.LOU", "GOV.TRUST", "LAW.UNC"],
        "coder": ["anna", "anna", "anna", "björn", "björn"],
    }
)


def test_project_from_segments_and_back(tmp_path):
    seg = segments()
    cb = load_codebook()
    proj = project_from_segments(seg, MANUAL, cb, documents=DOCS)
    assert proj.sources["name"].tolist() == ["int01"] and proj.sources["text"].iloc[0] == DOC
    assert proj.users["name"].tolist() == ["anna", "björn"]
    assert len(proj.codes) == 25 and proj.codes["codable"].sum() == 20
    guid = dict(zip(proj.codes["name"], proj.codes["guid"]))
    assert guid["GOV.TRUST"] == code_guid("GOV.TRUST")  # same GUIDs as the .qdc export
    out = write_qdpx(proj, tmp_path / "iop.qdpx")
    back = read_quiet(out)
    assert back.equals(proj)
    mapped = codings_to_segments(back, seg, documents=DOCS)
    assert list(mapped.columns) == ["segment_id", "code", "coder", "overlap", "share"]
    got = set(map(tuple, mapped[["segment_id", "code", "coder"]].values.tolist()))
    assert got == set(map(tuple, MANUAL.values.tolist()))
    assert (mapped["share"] == 1.0).all()


def test_partial_selection_maps_to_overlapping_segments():
    seg = segments()
    proj = project_from_segments(seg, MANUAL.iloc[:1], documents=DOCS)
    a = DOC.index("kommunen.")
    b = DOC.index("Och LOV") + 3  # spans segment 2's end and segment 3's start
    codings = pd.DataFrame(
        [{"source": "int01", "start": a, "end": b, "code": "GOV.POL", "coder": "anna", "text": DOC[a:b]}]
    )
    proj2 = QdaProject(proj.name, proj.codes, proj.sources, codings, proj.users)
    mapped = codings_to_segments(proj2, seg, documents=DOCS)
    assert mapped["segment_id"].tolist() == ["int01-002", "int01-003"]
    assert mapped["overlap"].tolist() == [len("kommunen.\nDet blev en gemensam styrgrupp."), 3]
    assert codings_to_segments(proj2, seg, documents=DOCS, min_overlap=5)["segment_id"].tolist() == ["int01-002"]


def test_dictionary_proposals_as_a_coder(tmp_path):
    seg = segments()
    hits = precode(seg).assign(coder="dictionary")
    proj = project_from_segments(seg, hits, documents=DOCS)
    assert set(proj.codings["text"]) >= {"förtroende", "gemensam styrgrupp", "LOV", "LOU", "juristerna"}
    assert "lov" not in set(proj.codings["text"])
    back = read_quiet(write_qdpx(proj, tmp_path / "dict.qdpx"))
    assert back.equals(proj)


def test_rebuilt_document_without_documents():
    seg = segments()
    proj = project_from_segments(seg, MANUAL)
    doc = proj.sources["text"].iloc[0]
    for r in seg.itertuples():
        assert doc[r.start : r.end] == r.text  # offsets kept; gaps filled
    mapped = codings_to_segments(proj, seg)
    assert len(mapped) == len(MANUAL)


def test_segments_errors():
    seg = segments()
    with pytest.raises(InputError, match="code not in the codebook"):
        project_from_segments(seg, MANUAL.assign(code="GOV.NOPE"))
    with pytest.raises(InputError, match="segment not in the segments"):
        project_from_segments(seg, MANUAL.assign(segment_id="x"))
    bad = {"int01": DOC.replace("förtroende", "FÖRTROENDE")}
    with pytest.raises(InputError, match="not the segment's text"):
        project_from_segments(seg, MANUAL, documents=bad)
    proj = project_from_segments(seg, MANUAL, documents=DOCS)
    edited = QdaProject(proj.name, proj.codes, proj.sources.assign(text=lambda d: d.text + "x"), proj.codings, proj.users)
    with pytest.raises(InputError, match="differs"):
        codings_to_segments(edited, seg, documents=DOCS)
    with pytest.raises(InputError, match="must be a DataFrame"):
        project_from_segments(seg.to_dict("records"), MANUAL)


def test_result_objects_and_the_old_attrs_form():
    seg = segments()
    expected = project_from_segments(seg, MANUAL, documents=DOCS)
    # a Corpus or Pseudonymised result brings its own documents
    corpus = Corpus(seg, DOCS, {"int01": "int01.md"}, Metadata(pd.DataFrame({"interview_id": ["int01"]})))
    assert project_from_segments(corpus, MANUAL).equals(expected)
    assert project_from_segments(Pseudonymised(seg, DOCS), MANUAL).equals(expected)
    assert len(codings_to_segments(expected, corpus)) == len(MANUAL)
    # documents in DataFrame.attrs (version 0.2): still read, with a DeprecationWarning
    old = seg.copy()
    old.attrs["documents"] = DOCS
    with pytest.warns(DeprecationWarning, match="documents="):
        assert project_from_segments(old, MANUAL).equals(expected)
    with pytest.warns(DeprecationWarning):
        assert len(codings_to_segments(expected, old)) == len(MANUAL)


def test_reexported_from_interviews():
    import iopstudy.interviews as interviews

    assert interviews.read_qdpx is qdpx.read_qdpx and interviews.write_qdpx is qdpx.write_qdpx
    assert "read_qdpx" in interviews.__all__ and "write_qdpx" in interviews.__all__
