"""Tests of iopstudy.codebook: the packaged codebook, validation, stems, .qdc exchange."""

from __future__ import annotations

import doctest
import pickle
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from iopstudy.errors import InputError
from iopstudy.interviews import codebook as cbmod
from iopstudy.interviews.codebook import (
    CODE_COLUMNS,
    IOPSTUDY_NAMESPACE,
    Codebook,
    code_guid,
    code_regex,
    load_codebook,
    stem_regex,
)
from iopstudy.interviews.qdc import QDC_NAMESPACE, codebook_to_qdc, read_qdc
from iopstudy.text import compile_stems, stem_to_regex

DRAFT_IDS = [
    "GOV.NPM", "GOV.NPG", "GOV.TRUST", "GOV.POL",
    "HYB.BLUR", "HYB.LOGIC", "HYB.PROF", "HYB.ROLE",
    "PRIN.INDEP", "PRIN.DIALOG", "PRIN.QUAL", "PRIN.LONG", "PRIN.OPEN", "PRIN.DIV",
    "LAW.LOU", "LAW.AID", "LAW.UNC",
    "PRAC.COPROD", "PRAC.RES", "PRAC.EXIT",
]


@pytest.fixture(scope="module")
def cb() -> Codebook:
    return load_codebook()


def hits(cb: Codebook, code: str, text: str) -> list[str]:
    return [m.group(0) for m in cb.compile(code).finditer(text)]


# ------------------------------------------------------------------ packaged codebook


def test_packaged_codebook_shape(cb):
    assert list(cb.codes.columns) == list(CODE_COLUMNS)
    assert list(cb.themes.columns) == ["theme_id", "label_sv", "label_en", "definition", "color"]
    assert cb.theme_ids == ["GOV", "HYB", "PRIN", "LAW", "PRAC"]
    assert cb.code_ids == DRAFT_IDS  # the draft's ids are kept
    for col in ("stems", "exclude_stems", "case_sensitive_stems"):
        assert cb.codes[col].map(lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v)).all()
    assert (cb.codes["stems"].map(len) > 0).all()
    assert cb.codes[["label_sv", "label_en", "definition", "include", "exclude"]].ne("").all().all()
    # the six national principles
    assert [c for c in cb.code_ids if c.startswith("PRIN.")] == [
        "PRIN.INDEP", "PRIN.DIALOG", "PRIN.QUAL", "PRIN.LONG", "PRIN.OPEN", "PRIN.DIV",
    ]


def test_exclusions_named_in_the_draft(cb):
    # förtroendevald* for förtroende*
    assert hits(cb, "GOV.TRUST", "Förtroendet växer, sa förtroendevalda.") == ["Förtroendet"]
    assert hits(cb, "GOV.TRUST", "Hon har ett förtroendeuppdrag i nämnden.") == []
    # medborgardialog* for dialog*
    assert hits(cb, "PRIN.DIALOG", "Medborgardialogen var bra, men dialogmötena bättre.") == ["dialogmötena"]
    # kommungräns* for gräns*
    assert hits(cb, "HYB.BLUR", "Över kommungränsen flyttar gränsen mellan sektorerna.") == ["gränsen"]
    assert hits(cb, "HYB.BLUR", "Vi måste begränsa oss.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Det gäller LOV och LOU.", ["LOV", "LOU"]),
        ("enligt LOV", ["LOV"]),
        ("ett LOV-system i hemtjänsten", ["LOV-system"]),
        ("lagen om valfrihetssystem gäller", ["lagen om valfrihetssystem"]),
        ("valfrihetssystemet", ["valfrihetssystemet"]),
        ("Vi fick lov att börja.", []),
        ("Lov att göra det fick vi inte.", []),
        ("sommarlovet och lovade", []),
    ],
)
def test_lov_is_case_sensitive(cb, text, expected):
    assert hits(cb, "LAW.LOU", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kulturen i kommunen är annorlunda.", ["Kulturen"]),
        ("Det blir en kulturkrock med föreningskulturen.", ["kulturkrock", "föreningskulturen"]),
        ("Vi anlitar kulturtolkar.", []),
        ("En kulturförening och kulturskolan.", []),
        ("Kultur- och fritidsförvaltningen betalar.", []),
        ("Kultur och fritid har egen budget.", []),
        ("Barn med olika kulturell bakgrund, mångkulturella skolor.", []),
    ],
)
def test_kultur_only_as_organisational_culture(cb, text, expected):
    assert hits(cb, "HYB.LOGIC", text) == expected


@pytest.mark.parametrize(
    "code, false_hit, true_hit",
    [
        ("GOV.NPM", "Vi kunde inte, några sekunder bara.", "Vi blev kunder."),
        ("GOV.POL", "Som jag nämnde tidigare.", "Beslutet togs i nämnden."),
        ("PRIN.QUAL", "Vi brukar träffas.", "Brukarna är nöjda."),
        ("PRAC.RES", "De har bidragit mycket.", "Bidraget räcker inte."),
        ("HYB.ROLE", "Det var en tröst. Vi röstade.", "Vår röst hörs."),
        ("PRIN.INDEP", "Valfriheten i LOV.", "Friheten att välja metod."),
        ("LAW.UNC", "Räddningstjänsten och Rädda Barnen.", "Vi var rädda för juristerna."),
        ("PRAC.EXIT", "Avslutningsvis, en avslutande fråga.", "Avvecklingen kom snabbt."),
        ("LAW.AID", "Arbetsmarknadsförvaltningen och marknadsföring.", "Det finns ingen marknad."),
        ("GOV.NPM", "Konkurrensverket granskade.", "Det blev konkurrens om pengarna."),
    ],
)
def test_other_known_false_matches(cb, code, false_hit, true_hit):
    assert hits(cb, code, false_hit) == []
    assert hits(cb, code, true_hit) != []


def test_konkurrensverket_is_still_a_legal_stem(cb):
    assert hits(cb, "LAW.LOU", "Konkurrensverkets beslut") == ["Konkurrensverkets"]


# ------------------------------------------------------------------ stems -> regex


@pytest.mark.parametrize("stem", ["förtroende*", "pris", "lita på", "våld i nära relation*", "icke-ekonomisk*"])
def test_case_sensitive_fragment_mirrors_stems_convention(stem):
    # the case-sensitive builder must stay in step with iopstudy.stems
    assert stem_regex(stem, case_sensitive=True) == f"(?-i:{stem_to_regex(stem)})"
    assert stem_regex(stem) == stem_to_regex(stem)


def test_code_regex_presence_equals_compile_stems(cb):
    texts = [
        "Vi hade förtroende, men förtroendevalda tvekade.",
        "En gemensam styrgrupp och gemensamma mål, tillsammans.",
        "Varken upphandling eller bidrag; LOU och direktupphandlingen.",
        "Medborgardialogen, dialogen i ögonhöjd och samtalsstöd.",
        "Kulturen och kulturtolkar; kultur och fritid.",
        "Ingenting här.",
    ]
    for row in cb.codes.itertuples(index=False):
        if row.case_sensitive_stems:
            continue
        ours, order = code_regex(row.stems, row.exclude_stems)
        ref = compile_stems(row.stems, exclude=row.exclude_stems)
        assert sorted(order) == sorted(row.stems)
        for t in texts:
            assert bool(ours.search(t)) == bool(ref.search(t)), (row.code_id, t)


def test_phrases_are_tried_before_words(cb):
    m = cb.compile("GOV.NPG").search("en gemensam styrgrupp")
    assert m.group(0) == "gemensam styrgrupp"
    _, order = code_regex(["gemensam*", "gemensam styrgrupp"])
    assert order == ["gemensam styrgrupp", "gemensam*"]


# ------------------------------------------------------------------ validation


def write(tmp_path: Path, text: str, name: str = "cb.yml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """\
codebook: test
themes:
  - id: GOV
    sv: Styrning
    en: Governance
    codes:
      - id: GOV.A
        sv: A
        en: A
        definition: a
        stems: [tillit*, "lita på"]
      - id: GOV.B
        sv: B
        en: B
        definition: b
        stems: [dialog*]
"""


def test_valid_small_codebook(tmp_path):
    cb = load_codebook(write(tmp_path, GOOD))
    assert cb.code_ids == ["GOV.A", "GOV.B"]
    assert cb.codes.loc[0, "exclude_stems"] == []
    assert cb.source.endswith("cb.yml")


def test_duplicate_id(tmp_path):
    text = GOOD.replace("- id: GOV.B", "- id: GOV.A")
    with pytest.raises(InputError) as exc:
        load_codebook(write(tmp_path, text))
    msg = str(exc.value)
    assert "cb.yml" in msg and "duplicate id GOV.A" in msg
    assert exc.value.row == 12  # the line of the second "id: GOV.A"


def test_code_outside_a_theme(tmp_path):
    text = GOOD + "codes:\n  - id: X.Y\n"
    with pytest.raises(InputError, match="code outside a theme") as exc:
        load_codebook(write(tmp_path, text))
    assert exc.value.file.endswith("cb.yml")
    wrong_theme = GOOD.replace("- id: GOV.B", "- id: HYB.B")
    with pytest.raises(InputError, match="HYB.B is listed under theme GOV"):
        load_codebook(write(tmp_path, wrong_theme))


@pytest.mark.parametrize(
    "stems, message",
    [
        ("[dialog*, 2008]", "stems item 2 is not a string"),
        ("[dialog*, yes]", "stems item 2 is not a string"),
        ("dialog*", "must be a list of stems"),
        ('[dialog*, "upp*handl"]', "bad pattern"),
        ('[dialog*, "*"]', "bad pattern"),
        ('[dialog*, "(x"]', "bad pattern"),
        ('[dialog*, "kultur* och fritid"]', "may only end the stem"),
        ("[dialog*, LOV]", "must be lower case"),
    ],
)
def test_bad_stems(tmp_path, stems, message):
    text = GOOD.replace("stems: [dialog*]", f"stems: {stems}")
    with pytest.raises(InputError, match=re.escape(message)) as exc:
        load_codebook(write(tmp_path, text))
    assert "GOV.B" in str(exc.value) and "cb.yml" in str(exc.value)
    assert exc.value.row is not None


def test_bad_exclude_stem_names_the_code(tmp_path):
    text = GOOD.replace("stems: [dialog*]", "stems: [dialog*]\n        exclude_stems: [3]")
    with pytest.raises(InputError, match="code GOV.B: exclude_stems item 1 is not a string"):
        load_codebook(write(tmp_path, text))


def test_yaml_syntax_error_has_line(tmp_path):
    with pytest.raises(InputError, match="YAML syntax error") as exc:
        load_codebook(write(tmp_path, GOOD + "  - id: [unclosed\n"))
    assert exc.value.row is not None


def test_missing_file_and_bad_colour(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_codebook(tmp_path / "nope.yml")
    with pytest.raises(InputError, match="colour"):
        load_codebook(write(tmp_path, GOOD.replace("en: Governance", "en: Governance\n    color: red")))


def test_case_sensitive_stems_column(tmp_path):
    text = GOOD.replace("stems: [dialog*]", "stems: [dialog*]\n        case_sensitive_stems: [LOV]")
    cb = load_codebook(write(tmp_path, text))
    assert cb.code("GOV.B")["case_sensitive_stems"] == ["LOV"]
    assert cb.compile("GOV.B").search("enligt LOV")
    assert not cb.compile("GOV.B").search("fick lov")


def test_codebook_pickles_without_caches(cb):
    cb.compile("GOV.TRUST")
    clone = pickle.loads(pickle.dumps(cb))
    assert clone.equals(cb) and clone.fingerprint() == cb.fingerprint()
    assert clone.compile("GOV.TRUST").pattern == cb.compile("GOV.TRUST").pattern


# ------------------------------------------------------------------ REFI-QDA codebook


def test_qdc_round_trip_and_bytes(cb, tmp_path):
    p1 = codebook_to_qdc(cb, tmp_path / "a.qdc")
    p2 = codebook_to_qdc(cb, tmp_path / "b.qdc")
    assert p1.read_bytes() == p2.read_bytes()  # deterministic
    back = read_qdc(p1)
    assert back.equals(cb)
    assert back.codes["stems"].tolist() == cb.codes["stems"].tolist()
    assert codebook_to_qdc(back, tmp_path / "c.qdc").read_bytes() == p1.read_bytes()


def test_qdc_structure(cb, tmp_path):
    p = codebook_to_qdc(cb, tmp_path / "cb.qdc")
    assert p.read_bytes().startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.parse(p).getroot()
    ns = {"q": QDC_NAMESPACE}
    assert root.tag == f"{{{QDC_NAMESPACE}}}CodeBook"
    themes = root.findall("q:Codes/q:Code", ns)
    assert [t.get("name") for t in themes] == cb.theme_ids
    assert all(t.get("isCodable") == "false" for t in themes)
    codes = root.findall("q:Codes/q:Code/q:Code", ns)
    assert [c.get("name") for c in codes] == cb.code_ids
    assert all(c.get("isCodable") == "true" and c.find("q:Description", ns).text for c in codes)
    assert root.findall("q:Codes/q:Code/q:Code/q:Code", ns) == []  # two levels
    # deterministic GUIDs: uuid5 of the fixed namespace and the id
    assert IOPSTUDY_NAMESPACE == uuid.uuid5(uuid.NAMESPACE_URL, "urn:iopstudy")
    guid = {c.get("name"): c.get("guid") for c in codes}
    assert guid["GOV.TRUST"] == str(uuid.uuid5(IOPSTUDY_NAMESPACE, "GOV.TRUST")) == code_guid("GOV.TRUST")
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c.get("color")) for c in codes)


def test_read_foreign_qdc(tmp_path):
    p = tmp_path / "foreign.qdc"
    p.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="SomeTool">
  <Codes>
    <Code guid="00000000-0000-4000-8000-000000000001" name="T1" isCodable="false" color="#f00">
      <Code guid="00000000-0000-4000-8000-000000000002" name="T1.a" isCodable="true">
        <Description>Plain prose, not YAML.</Description>
      </Code>
    </Code>
  </Codes>
</CodeBook>
""",
        encoding="utf-8",
    )
    cb = read_qdc(p)
    assert cb.code_ids == ["T1.a"]
    assert cb.themes.loc[0, "color"] == "#FF0000"
    row = cb.code("T1.a")
    assert row["definition"] == "Plain prose, not YAML." and row["label_sv"] == "T1.a" and row["stems"] == []


def test_read_qdc_errors(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook><Codes>", encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed XML") as exc:
        read_qdc(bad)
    assert "bad.qdc" in str(exc.value)
    wrong = tmp_path / "wrong.qdc"
    wrong.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', encoding="utf-8")
    with pytest.raises(InputError, match="not a REFI-QDA codebook"):
        read_qdc(wrong)
    deep = tmp_path / "deep.qdc"
    deep.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="00000000-0000-4000-8000-000000000001" name="A" isCodable="false">'
        '<Code guid="00000000-0000-4000-8000-000000000002" name="A.b" isCodable="true">'
        '<Code guid="00000000-0000-4000-8000-000000000003" name="A.c" isCodable="true"/>'
        "</Code></Code></Codes></CodeBook>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="deeper than theme > code"):
        read_qdc(deep)
    with pytest.raises(InputError, match="not found"):
        read_qdc(tmp_path / "missing.qdc")


def test_docstring_examples():
    res = doctest.testmod(cbmod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 0


# ------------------------------------------------------------------ cached parsing
def test_load_codebook_parses_a_text_once_and_sees_an_edited_file(tmp_path, monkeypatch):
    import os

    import yaml

    calls = []
    real = yaml.safe_load
    monkeypatch.setattr(yaml, "safe_load", lambda text: calls.append(1) or real(text))
    monkeypatch.setattr(cbmod, "_PARSED", {})
    p = write(tmp_path, GOOD)
    first, second = load_codebook(p), load_codebook(p)
    assert len(calls) == 1 and first.equals(second)
    # an edit of the same size and mtime is still seen: the cache is keyed by the content
    stat = p.stat()
    p.write_text(GOOD.replace("Governance", "Governancf"), encoding="utf-8")
    os.utime(p, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert p.stat().st_size == stat.st_size and p.stat().st_mtime_ns == stat.st_mtime_ns
    edited = load_codebook(p)
    assert len(calls) == 2 and edited.themes.loc[0, "label_en"] == "Governancf"
    # the packaged codebook too: parsed once, then served from the cache
    load_codebook(), load_codebook()
    assert len(calls) == 3


def test_loaded_codebooks_are_independent(tmp_path):
    a = load_codebook()
    a.codes.loc[0, "stems"].append("zzz*")
    a.codes.loc[1, "label_en"] = "changed"
    a.themes.loc[0, "color"] = "#000000"
    b = load_codebook()
    assert b is not a and "zzz*" not in b.codes.loc[0, "stems"]
    assert b.codes.loc[1, "label_en"] != "changed" and b.themes.loc[0, "color"] != "#000000"
    import yaml

    packaged = Path(cbmod.__file__).parents[1] / "data" / "codebook_iop.yml"
    assert b.equals(cbmod.codebook_from_dict(yaml.safe_load(packaged.read_text(encoding="utf-8"))))


def test_errors_still_name_the_line_with_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(cbmod, "_PARSED", {})
    bad = write(tmp_path, GOOD.replace("stems: [", "stems: [Upper*, ", 1))
    for _ in range(2):  # the second time from the cached parse
        with pytest.raises(InputError) as err:
            load_codebook(bad)
        assert err.value.row == 11 and "lower case" in str(err.value)  # the "stems:" line
    assert len(cbmod._PARSED) == 1
