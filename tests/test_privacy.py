"""Tests of iopstudy.privacy: detection, pseudonyms, salt handling and the PII scan."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from iopstudy.errors import IopStudyWarning
from iopstudy.interviews import pii_scan, read_corpus, read_transcript
from iopstudy.interviews.privacy import (
    DEMO_SALT,
    SALT_ENV,
    MissingSaltError,
    PiiScan,
    Pseudonymised,
    find_pii,
    is_personnummer,
    load_names,
    load_salt,
    luhn_valid,
    mask,
    pseudonym,
    pseudonymise,
    pseudonymise_frame,
    scan_pii,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "raw" / "interviews"
SALT = "test-salt-0123456789abcdef"
TOKEN = re.compile(r"\[(PERSON|EMAIL|TELEFON|PNR)-[0-9a-f]{6}\]")
NAMES = ["Anna Lindqvist", "Hans Berg", "Per Ekholm"]

PHONES = [
    "070-123 45 67",
    "0701234567",
    "070-1234567",
    "+46 70 123 45 67",
    "+46701234567",
    "0046 70 123 45 67",
    "08-123 456 78",
    "08-12 34 56",
    "031-12 34 56",
    "0980-123 45",
    "(08) 123 45 67",
    "+46 (0)8-123 456 78",
    "+46 8 123 456 78",
]
VALID_PNR = ["850709-9805", "198507099805", "19850709-9805", "121212+1212", "121272-1219"]
INVALID_PNR = ["850709-9806", "198507099806", "121212-1213", "851309-9805", "850732-9805"]
LOOKALIKES = [
    "Mötet hölls 2024-03-15 och 2024-10-01.",
    "Avtalet gäller 2023–2025, från år 2019.",
    "Budgeten är 1 200 000 kr, eller 350 000 kronor per år.",
    "Se IOP-0001 och IOP-2024-0017 i registret.",
    "Kommunkoderna 0180, 1480 och 1280; även 0180 1480 1280.",
    "[00:12:31] IP: Ja. (00:12) I: Nej. Kl. 08:30–09:15.",
    "Läs https://example.se/arkiv/0701234567/rapport och https://www.example.se/?id=08123456.",
    "LOU är SFS 2016:1145; organisationsnummer 802012-3456.",
    "Postadress 411 05 Göteborg, 0,5 miljoner, 12 procent.",
    "hans bok, per år, ett berg av papper",
]


# --------------------------------------------------------------------------- detectors
def test_luhn_and_personnummer():
    assert luhn_valid("8507099805") and not luhn_valid("8507099806")
    for p in VALID_PNR:
        assert is_personnummer(p), p
    for p in INVALID_PNR:
        assert not is_personnummer(p), p


@pytest.mark.parametrize("phone", PHONES)
def test_phone_forms_are_found(phone):
    text = f"Ring {phone} i morgon."
    hits = find_pii(text)
    assert [(h.kind, h.match) for h in hits] == [("TELEFON", phone)]
    assert text[hits[0].start : hits[0].end] == phone


@pytest.mark.parametrize("pnr", VALID_PNR)
def test_valid_personnummer_found(pnr):
    assert [(h.kind, h.match) for h in find_pii(f"pnr {pnr}.")] == [("PNR", pnr)]


@pytest.mark.parametrize("pnr", INVALID_PNR)
def test_invalid_check_digit_or_date_not_replaced(pnr):
    text = f"Numret {pnr} är ogiltigt."
    assert all(h.kind != "PNR" for h in find_pii(text))
    assert pnr in pseudonymise(text, [], SALT)


@pytest.mark.parametrize("text", LOOKALIKES)
def test_no_false_positives_on_lookalikes(text):
    assert find_pii(text, names=NAMES) == []
    assert pseudonymise(text, NAMES, SALT) == text


def test_email_found():
    hits = find_pii("Skriv till anna.lindqvist+iop@foreningen.example, tack.")
    assert [(h.kind, h.match) for h in hits] == [("EMAIL", "anna.lindqvist+iop@foreningen.example")]


# --------------------------------------------------------------------------- pseudonymise
def test_pseudonymise_everything():
    text = (
        "Anna Lindqvist (anna.lindqvist@foreningen.example, 070-174 06 12, 850709-9805) "
        "sa att Annas kollega Lindqvist och ANNA kom. Hans Bergs bok låg kvar; hans bok också. "
        "Per ringde, men det kostar 10 kr per år. Annaberg är en ort."
    )
    out = pseudonymise(text, NAMES, SALT)
    for raw in ["Lindqvist", "anna.lindqvist", "070-174", "850709", "ANNA", "Hans Berg"]:
        assert raw not in out, raw
    assert "hans bok också" in out  # ambiguous name part, lower case: a pronoun
    assert "per år" in out and "Annaberg" in out  # whole words only
    assert re.search(r"\[PERSON-[0-9a-f]{6}\]s kollega", out)  # genitive keeps its s
    kinds = {m.group(1) for m in TOKEN.finditer(out)}
    assert kinds == {"PERSON", "EMAIL", "TELEFON", "PNR"}
    assert find_pii(out, NAMES) == []


def test_pseudonyms_are_stable_and_salted():
    text = "Anna Lindqvist, 070-174 06 12"
    assert pseudonymise(text, NAMES, SALT) == pseudonymise(text, NAMES, SALT)
    assert pseudonymise(text, NAMES, SALT) != pseudonymise(text, NAMES, SALT + "x")
    # the same person or number written differently gets the same pseudonym
    assert pseudonym("PERSON", "Anna Lindqvist", SALT) == pseudonym("PERSON", "ANNA  lindqvist", SALT)
    assert pseudonym("TELEFON", "070-174 06 12", SALT) == pseudonym("TELEFON", "+46701740612", SALT)
    assert pseudonym("PNR", "19850709-9805", SALT) == pseudonym("PNR", "8507099805", SALT)
    a = pseudonymise("Annas bok", NAMES, SALT)
    b = pseudonymise("Anna", NAMES, SALT)
    assert a == b + "s bok"
    # a listed name ending in s is the name, not a genitive
    assert pseudonymise("Jonas bok", ["Jonas Perlhagen"], SALT).endswith("] bok")
    # first name, last name and full name have their own pseudonyms
    assert len({pseudonym("PERSON", n, SALT) for n in ["anna", "lindqvist", "anna lindqvist"]}) == 3


def test_pseudonymise_needs_a_salt():
    with pytest.raises(MissingSaltError):
        pseudonymise("Anna", NAMES, "")


def test_find_pii_offsets():
    text = "Hej Anna, ring 0701740612 eller maila a@b.example."
    hits = find_pii(text, NAMES)
    assert [h.kind for h in hits] == ["PERSON", "TELEFON", "EMAIL"]
    assert all(text[h.start : h.end] == h.match for h in hits)
    assert all(isinstance(h, tuple) and len(h) == 4 for h in hits)


def test_mask():
    assert mask("EMAIL", "anna.lindqvist@foreningen.example") == "an***@foreningen.example"
    assert mask("TELEFON", "070-174 06 12") == "070-*** ** 12"
    assert mask("PNR", "850709-9805") == "85****-****"
    assert mask("PERSON", "Anna") == "A***"


# --------------------------------------------------------------------------- pseudonymise_frame
def test_pseudonymise_frame_plain():
    df = pd.DataFrame({"text": ["Anna ringde 0701740612", None], "speaker": ["Hans", "I"]})
    res = pseudonymise_frame(df, names=NAMES, salt=SALT)
    assert isinstance(res, Pseudonymised) and res.documents is None
    out = res.frame
    assert TOKEN.fullmatch(out["speaker"].iloc[0]) and out["speaker"].iloc[1] == "I"
    assert "0701740612" not in out["text"].iloc[0] and pd.isna(out["text"].iloc[1])
    assert df["text"].iloc[0] == "Anna ringde 0701740612"  # input unchanged


def test_pseudonymise_frame_keeps_offsets(tmp_path):
    p = tmp_path / "P1.md"
    p.write_text(
        "# FIKTIV\n\n**Anna:** Hej. Mitt nummer är 070-174 06 12.\n"
        "**Per:** Annas nummer? Mejla per.ekholm@x.example.\n\nPer Ekholm här.\n",
        encoding="utf-8",
    )
    transcript = read_transcript(p)
    df = transcript.segments
    res = pseudonymise_frame(transcript, names=NAMES, salt=SALT)  # the transcript's text is used
    out = res.frame
    doc = res.documents["P1"]
    assert "070-174" not in doc and "Anna" not in doc and "ekholm" not in doc.casefold()
    for s, e, t in zip(out["start"], out["end"], out["text"]):
        assert doc[s:e] == t
    assert out["text"].tolist() == [pseudonymise(t, NAMES, SALT) for t in df["text"]]
    assert out.attrs == {}
    # the same with the frame and its documents given separately
    again = pseudonymise_frame(df, names=NAMES, salt=SALT, documents=transcript.documents)
    assert again.documents == res.documents and again.frame.equals(out)


def test_pseudonymise_frame_old_form_with_attrs_still_works(tmp_path):
    p = tmp_path / "P2.md"
    p.write_text("I: Hej.\nIP: Jag heter Anna Lind, 070-174 06 12.\n", encoding="utf-8")
    transcript = read_transcript(p)
    old = transcript.segments.copy()
    old.attrs["document_text"] = transcript.text  # how 0.2 carried the text
    with pytest.warns(DeprecationWarning, match="documents="):
        res = pseudonymise_frame(old, names=NAMES, salt=SALT)
    assert "Anna" not in res.documents["P2"]
    assert "document_text" not in res.frame.attrs  # the raw text does not stay on the copy
    with pytest.warns(DeprecationWarning):
        assert res.attrs["pseudonymised"] is True and res.attrs["document_text"] == res.documents["P2"]


def test_shipped_corpus_pseudonymised_is_clean(tmp_path):
    corpus = read_corpus(CORPUS)
    names = load_names(CORPUS / "names.txt")
    raw_hits = {(k, m) for doc in corpus.documents.values() for k, _, _, m in find_pii(doc)}
    assert {"PNR", "TELEFON", "EMAIL"} <= {k for k, _ in raw_hits}
    res = pseudonymise_frame(corpus.segments, names=names, salt=DEMO_SALT, documents=corpus.documents)
    safe = res.frame
    for iid, doc in res.documents.items():
        sub = safe[safe["interview_id"] == iid]
        assert all(doc[s:e] == t for s, e, t in zip(sub["start"], sub["end"], sub["text"]))
    out = tmp_path / "out"
    out.mkdir()
    safe.to_csv(out / "segments.csv", index=False)
    for iid, doc in res.documents.items():
        (out / f"{iid}.txt").write_text(doc, encoding="utf-8")
    found = scan_pii([out], names=names).matches
    assert found.empty, found.head().to_string()
    # the demo salt gives the same pseudonyms everywhere
    assert pseudonym("PNR", "121212-1212", DEMO_SALT) in res.documents["IP08"]
    # a Corpus can be passed as it is
    assert pseudonymise_frame(corpus, names=names, salt=DEMO_SALT).documents == res.documents


# --------------------------------------------------------------------------- salt
def test_load_salt_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv(SALT_ENV, raising=False)
    with pytest.raises(MissingSaltError) as err:
        load_salt()
    assert ".config/iopstudy/salt" in str(err.value) and SALT_ENV in str(err.value)
    assert load_salt(illustrative=True) == DEMO_SALT

    monkeypatch.setenv(SALT_ENV, "a-very-secret-salt-from-env")
    assert load_salt() == "a-very-secret-salt-from-env"
    monkeypatch.delenv(SALT_ENV)

    cfg = tmp_path / ".config" / "iopstudy"
    cfg.mkdir(parents=True)
    (cfg / "salt").write_text("file-salt-0123456789abcdef\n")
    assert load_salt() == "file-salt-0123456789abcdef"

    other = tmp_path / "other.salt"
    other.write_text(DEMO_SALT)
    with pytest.raises(MissingSaltError, match="protects nothing"):
        load_salt(other)
    other.write_text("short")
    with pytest.raises(MissingSaltError, match="at least 16"):
        load_salt(other)
    with pytest.raises(MissingSaltError, match="not found"):
        load_salt(tmp_path / "missing")


def test_salt_inside_git_tree_warns(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    p = tmp_path / "my.salt"
    p.write_text("file-salt-0123456789abcdef")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        assert load_salt(p) == "file-salt-0123456789abcdef"
    assert any(issubclass(w.category, IopStudyWarning) for w in rec)


# --------------------------------------------------------------------------- scan
def _write_planted(folder: Path) -> None:
    (folder / "sub").mkdir(parents=True)
    (folder / "a.csv").write_text("id,text\n1,ingenting\n2,maila kim@exempel.example\n", encoding="utf-8")
    (folder / "b.md").write_text("# Rubrik\n\nRing 070-174 06 12.\n", encoding="utf-8")
    (folder / "sub" / "c.txt").write_text("rad 1\nrad 2\npnr 850709-9805\n", encoding="utf-8")
    (folder / "d.json").write_text(json.dumps({"x": "ok", "y": "+46 70 174 06 47"}, indent=1))
    nb = {"cells": [{"cell_type": "markdown", "source": ["Kontakt: 0701740623"]}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}
    (folder / "e.ipynb").write_text(json.dumps(nb, indent=1))
    (folder / "f.html").write_text("<p>hej</p>\n<p>y.h@brofastet.example</p>\n")
    (folder / "g.svg").write_text("<svg>\n<text>121212-1212</text>\n</svg>\n")
    (folder / "h.tex").write_text("\\section{x}\nTel 08-123 456 78\n")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n kim@exempel.example")
    (folder / "doc.pdf").write_bytes(b"%PDF-1.4 kim@exempel.example")
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["namn", "kontakt"])
    ws.append(["x", "ola@exempel.example"])
    wb.save(folder / "i.xlsx")
    pd.DataFrame({"t": ["inget", "inget", "ring 0701740699"], "n": [1, 2, 3]}).to_parquet(
        folder / "j.parquet"
    )


def test_scan_pii_finds_planted_with_file_and_line(tmp_path):
    _write_planted(tmp_path)
    scan = scan_pii([tmp_path])
    assert isinstance(scan, PiiScan)
    found = scan.matches
    assert list(found.columns) == ["file", "line", "kind", "match"]
    got = {(Path(f.split(" [")[0]).name, line, kind) for f, line, kind in
           zip(found["file"], found["line"], found["kind"])}
    assert got == {
        ("a.csv", 3, "EMAIL"),
        ("b.md", 3, "TELEFON"),
        ("c.txt", 3, "PNR"),
        ("d.json", 3, "TELEFON"),
        ("e.ipynb", 6, "TELEFON"),
        ("f.html", 2, "EMAIL"),
        ("g.svg", 2, "PNR"),
        ("h.tex", 2, "TELEFON"),
        ("i.xlsx", 2, "EMAIL"),
        ("j.parquet", 3, "TELEFON"),
    }
    assert "ki***@exempel.example" in set(found["match"])
    assert "850709" not in " ".join(found["match"])  # masked
    assert any(f.endswith("[Blad1]") for f in found["file"])
    assert any(s.endswith("image.png") for s in scan.skipped)
    assert any(s.endswith("doc.pdf") for s in scan.skipped)
    assert found.attrs == {}


def test_scan_pii_clean_after_pseudonymising_and_on_lookalikes(tmp_path):
    _write_planted(tmp_path / "raw")
    out = tmp_path / "clean"
    out.mkdir()
    for f in (tmp_path / "raw").rglob("*"):
        if f.suffix in {".csv", ".md", ".txt", ".json", ".html", ".svg", ".tex"}:
            text = f.read_text(encoding="utf-8")
            (out / f.name).write_text(pseudonymise(text, NAMES, SALT), encoding="utf-8")
    (out / "lookalikes.md").write_text("\n".join(LOOKALIKES), encoding="utf-8")
    found = scan_pii(out, names=NAMES).matches
    assert found.empty, found.to_string()


def test_scan_pii_with_names_and_single_file(tmp_path):
    p = tmp_path / "x.md"
    p.write_text("rad ett\nHans Berg sa något.\nhans bok.\n", encoding="utf-8")
    found = scan_pii(p, names=NAMES).matches
    assert found[["line", "kind", "match"]].values.tolist() == [[2, "PERSON", "H***"]]


def test_scan_raw_corpus_finds_the_planted_transcripts():
    found = scan_pii([CORPUS / "transcripts"]).matches
    assert {Path(f).stem for f in found["file"]} == {"IP02", "IP08", "IP12"}
    assert set(found["kind"]) == {"EMAIL", "TELEFON", "PNR"}


def test_scan_ignores_notebook_cell_ids(tmp_path):
    # papermill gives cells random ids; an all-digit one looks like a phone number
    nb = '{\n "cells": [\n  {\n   "id": "0427267012",\n   "cell_type": "code",\n   "source": ["x = 1"]\n  }\n ]\n}\n'
    (tmp_path / "run.ipynb").write_text(nb, encoding="utf-8")
    (tmp_path / "run.html").write_text('<div id="cell-id=0701740600">x</div>', encoding="utf-8")
    assert scan_pii([tmp_path]).matches.empty
    (tmp_path / "leak.ipynb").write_text(nb.replace("x = 1", "tel 070-174 06 25"), encoding="utf-8")
    assert len(scan_pii([tmp_path]).matches) == 1


def test_decimal_fractions_are_not_personnummer():
    # model tables print long decimals; their digits can pass the date and Luhn checks
    text = "0.5602020769, 8.560444233 and -0.2681027925; 0,5602020769"
    assert find_pii(text) == []
    assert [m.kind for m in find_pii("personnummer 560202-0769")] == ["PNR"]  # the same digits are found


# --------------------------------------------------------------------------- fast paths
# The scan reads Excel files without openpyxl and tries the patterns of a long text only where a
# match can start; both must give exactly what openpyxl and a plain ``finditer`` give.
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _write_xlsx(path: Path, sheets: dict[str, str], shared: list[str] | None = None, styles: str | None = None,
                shared_xml: str | None = None) -> Path:
    """A workbook written by hand: ``sheets`` maps a title to the XML inside <worksheet>."""
    import zipfile

    ct = ['<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/>']
    rels, entries = [], []
    for i, title in enumerate(sheets, start=1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.worksheet+xml"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
        state = ' state="hidden"' if i == 2 else ""
        entries.append(f'<sheet name="{title}" sheetId="{i}"{state} r:id="rId{i}"/>')
    if shared is not None or shared_xml is not None:
        ct.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.sharedStrings+xml"/>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'content-types"><Default Extension="xml" ContentType="application/xml"/>' + "".join(ct) + "</Types>")
        zf.writestr("xl/workbook.xml", f"<workbook {_NS} {_R}><sheets>{''.join(entries)}</sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                    '2006/relationships">' + "".join(rels) + "</Relationships>")
        for i, body in enumerate(sheets.values(), start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", f"<worksheet {_NS}>{body}</worksheet>")
        if shared_xml is not None or shared is not None:
            sis = shared_xml or "".join(f"<si><t>{s}</t></si>" for s in shared)
            zf.writestr("xl/sharedStrings.xml", f"<sst {_NS}>{sis}</sst>")
        if styles is not None:
            zf.writestr("xl/styles.xml", styles)
    return path


def _inline(ref: str, text: str, r: bool = True) -> str:
    return f'<c{f" r=" + chr(34) + ref + chr(34) if r else ""} t="inlineStr"><is><t>{text}</t></is></c>'


def _date_styles(tmp_path: Path) -> str:
    """The styles.xml of a workbook whose cell style 1 is a date format (written by openpyxl)."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"].number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "styles.xlsx")
    with zipfile.ZipFile(tmp_path / "styles.xlsx") as zf:
        styles = zf.read("xl/styles.xml").decode("utf-8")
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring

    assert Stylesheet.from_tree(fromstring(styles.encode())).date_formats == {1}
    return styles


def test_fast_xlsx_reader_equals_openpyxl(tmp_path):
    first = (
        '<dimension ref="A1:D6"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>' + _inline("C1", "inline") + "</row>"
        '<row r="2"><c r="A2"><v>12</v></c><c r="B2"><v>0.5602020769</v></c>'
        '<c r="C2" t="str"><f>A1&amp;B1</f><v>kim@exempel.example</v></c><c r="D2" t="str"><f>A1</f></c></row>'
        '<row><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c>' + _inline("", "no reference, 070-174 06 12", r=False) + "</row>"
        '<row r="5"><c r="A5" t="s"><v>2</v></c>' + _inline("A5", "the same column again") + _inline("E5", "past D")
        + '<c r="B5" s="1"><v>45000</v></c><c r="C5"><v>3000000</v></c></row>'
        '<row r="4">' + _inline("A4", "a row out of order") + "</row>"
        '<row r="6"><c r="a6" t="s"><v>-1</v></c><c r="AA6"><v>1E3</v></c></row>'
        '<row r="7">' + _inline("A7", "past the last row 121212-1212") + "</row></sheetData>"
    )
    second = '<sheetData><row r="2">' + _inline("B2", "x") + _inline("A2", "before B") + "</row><row/></sheetData>"
    third = '<sheetData><row r="3">' + _inline("C3", "y") + '</row></sheetData><dimension ref="A1:A1"/>'
    path = _write_xlsx(tmp_path / "book.xlsx", {"Blad1": first, "Dold": second, "Tredje": third},
                       shared=["namn", "x005F_kontakt", "ola@exempel.example"], styles=_date_styles(tmp_path))
    fast = pii_scan._xlsx_fast(path)  # no fallback to openpyxl for this book
    assert fast == pii_scan._xlsx_openpyxl(path)
    assert [title for title, _ in fast] == ["Blad1", "Dold", "Tredje"]
    assert (2, "kim@exempel.example") in fast[0][1] and all("past" not in t for _, t in fast[0][1])
    found = scan_pii(path).matches
    assert found[["file", "line", "kind"]].values.tolist() == [
        [f"{path} [Blad1]", 2, "EMAIL"], [f"{path} [Blad1]", 3, "TELEFON"], [f"{path} [Blad1]", 6, "EMAIL"]]


def test_fast_xlsx_reader_on_workbooks_of_pandas_and_openpyxl(tmp_path):
    import openpyxl

    path = tmp_path / "pandas.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        pd.DataFrame({"t": ["inget", None, "ring 0701740699"], "n": [1.5, float("nan"), 3],
                      "d": pd.to_datetime(["2024-03-15", "1850-01-01", None])}).to_excel(xw, sheet_name="A")
        pd.DataFrame({"x": ["a@b.example"] * 3}).to_excel(xw, sheet_name="B", index=False, startrow=4)
    wb = openpyxl.Workbook()
    wb.active.append(["namn", "=A1&\"x\"", 10**12, True])
    wb.create_sheet("Tom")
    wb.save(tmp_path / "openpyxl.xlsx")
    for p in (path, tmp_path / "openpyxl.xlsx"):
        assert pii_scan._xlsx_fast(p) == pii_scan._xlsx_openpyxl(p)


@pytest.mark.parametrize(
    "sheet, shared_xml",
    [
        ('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
         "<si><r><t>ring </t></r><r><t>070-174 06 12</t></r></si>"),  # rich text
        ('<dimension ref="A1:A2"/><sheetData><row r="2"><c r="A2" s="1"><v>9999999</v></c></row></sheetData>',
         None),  # a date out of range: openpyxl warns and gives "#VALUE!"
        ('<sheetData><row r="1"><c r="A1" t="d"><v>2024-03-15</v></c></row></sheetData>', None),  # a date cell
    ],
)
def test_fast_xlsx_reader_leaves_what_it_does_not_handle_to_openpyxl(tmp_path, sheet, shared_xml):
    path = _write_xlsx(tmp_path / "odd.xlsx", {"S": sheet}, shared_xml=shared_xml, styles=_date_styles(tmp_path))
    with pytest.raises(pii_scan._Fallback):
        pii_scan._xlsx_fast(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        units = list(pii_scan._units(path))
        assert units == [(f"{path} [S]", pii_scan._xlsx_openpyxl(path)[0][1])]
    if shared_xml:
        assert scan_pii(path).matches[["line", "kind"]].values.tolist() == [[1, "TELEFON"]]


def test_unreadable_xlsx_still_fails_as_before(tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"PK not a zip")
    with pytest.raises(Exception, match="cannot be scanned"):
        scan_pii(tmp_path)


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def _assert_fast_paths_exact(text: str) -> None:
    pnr_at, phone_at = pii_scan._candidates(text)
    assert _spans(pii_scan._finditer_at(pii_scan._PNR_RX, text, pnr_at)) == _spans(pii_scan._PNR_RX.finditer(text))
    assert _spans(pii_scan._finditer_at(pii_scan._PHONE_RX, text, phone_at)) == _spans(pii_scan._PHONE_RX.finditer(text))
    assert _spans(pii_scan._email_matches(text)) == _spans(pii_scan._EMAIL_RX.finditer(text))


def test_long_text_paths_find_what_a_plain_scan_finds():
    import base64
    import random

    rnd = random.Random(7)
    blob = base64.b64encode(bytes(rnd.randrange(256) for _ in range(30000))).decode()
    planted = ("/8507099805/", "=121212+1212+", "/19850709-9805", "+46701740612", "070-174 06 12", "(08) 123 45 67",
               "0046 8 123 456 78", "0.5602020769", ",5602020769", "x.850709-9805", "٠٧٠١٢٣٤٥٦٧", "٨٥٠٧٠٩-٩٨٠٥",
               "kim@exempel.example", "a.b%c@x-y.se", "@@", "https://example.se/0701234567", "ö070-174 06 12",
               "Anna Lindqvist", "Hans Bergs", "\n")
    parts = [blob[: 5000], " 070-174 06 12 ", blob[5000:9000]]
    for _ in range(400):
        parts.append(rnd.choice(planted) if rnd.random() < 0.5 else blob[(i := rnd.randrange(len(blob) - 80)): i + rnd.randrange(1, 80)])
    text = "".join(parts)
    assert len(text) > pii_scan._BIG
    _assert_fast_paths_exact(text)
    assert pii_scan.pii_spans(text, pii_scan.compile_names(NAMES))  # it does find things
    # and on pieces of it, at every kind of boundary
    for _ in range(300):
        i, j = sorted(rnd.randrange(len(text)) for _ in range(2))
        _assert_fast_paths_exact(text[i : j + 20])


def test_long_text_paths_on_random_texts():
    import random

    rnd = random.Random(11)
    alphabet = "0123456789012345 -+/=.,()@#&?%_abcAZ\nöé٣٠"
    for _ in range(400):
        _assert_fast_paths_exact("".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 300))))
