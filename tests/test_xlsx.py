"""iopstudy.xlsx gives exactly what openpyxl's read-only, data-only ``iter_rows(values_only=True)``
gives (value for value, type for type), on the shipped workbooks, the report tables and
workbooks written by openpyxl, pandas and by hand; what it does not handle, openpyxl reads."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import re
import shutil
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from iopstudy import xlsx
from iopstudy.xlsx import NotHandled, SheetNotFound, read_rows, read_sheets

ROOT = Path(__file__).resolve().parents[1]
RAW = sorted((ROOT / "data" / "raw").rglob("*.xlsx"))
TABLES = sorted((ROOT / "reports" / "tables").glob("*.xlsx"))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _openpyxl(path: Path) -> list[tuple[str, list[tuple]]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def _typed(sheets):
    """The values with their types, so that 1 == 1.0 == True do not pass for one another."""
    return [(title, [tuple((type(v), v) for v in row) for row in rows]) for title, rows in sheets]


@contextlib.contextmanager
def _no_openpyxl_rows():
    """Fail if a sheet is read by openpyxl's ReadOnlyWorksheet (the fallback of a sheet)."""
    original = ReadOnlyWorksheet._cells_by_row

    def guarded(self, *args, **kwargs):
        assert type(self) is not ReadOnlyWorksheet, f"sheet {self.title!r} read by openpyxl"
        return original(self, *args, **kwargs)

    ReadOnlyWorksheet._cells_by_row = guarded
    try:
        yield
    finally:
        ReadOnlyWorksheet._cells_by_row = original


def _assert_same(path: Path, *, fast: bool = True, strict: bool | None = None) -> list[tuple[str, list[tuple]]]:
    """read_sheets and read_rows == openpyxl; with ``fast``, no sheet is read by openpyxl and
    (with ``strict``, by default ``fast``) nothing is left to openpyxl at all."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _openpyxl(path)
        with _no_openpyxl_rows() if fast else contextlib.nullcontext():
            assert _typed(read_sheets(path)) == _typed(ref)
            for i, (title, rows) in enumerate(ref):
                assert _typed([read_rows(path, None if i == 0 else title)]) == _typed([(title, rows)])
            if strict if strict is not None else fast:
                assert _typed(read_sheets(path, fallback=False)) == _typed(ref)
    return ref


# --------------------------------------------------------------------------- shipped workbooks
def test_there_are_workbooks_to_compare():
    assert len(RAW) >= 7


@pytest.mark.parametrize("path", RAW, ids=lambda p: p.name)
def test_shipped_workbooks_equal_openpyxl_without_fallback(path):
    rich = path.name.startswith("be0101_tabhel")  # shared strings with rich text: openpyxl reads them
    _assert_same(path, strict=not rich)
    if rich:
        with pytest.raises(NotHandled, match="rich text"):
            read_sheets(path, fallback=False)


@pytest.mark.skipif(not TABLES, reason="no report tables built")
def test_report_tables_equal_openpyxl(tmp_path):
    for path in TABLES:  # copied first: the tables may be rebuilt meanwhile
        copy = tmp_path / path.name
        shutil.copyfile(path, copy)
        _assert_same(copy)  # written by pandas: read the fast way


# --------------------------------------------------------------------------- written by libraries
def test_openpyxl_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["text", 1, -2, 0.1, 1 / 3, 2.0, 1e-300, 1e300, 10**12, 2**53 + 1, 10**20, True, False, None])
    ws.append([])
    ws.append([None, None, "mitt i", None])
    ws.append(["=A1&\"x\"", "=1/0", " leading and trailing ", "tab\tand\nnewline", "a & b < c > d", "x005F_y"])
    ws["F9"] = "far away"
    ws2 = wb.create_sheet("Två")
    ws2["C3"] = 3
    wb.create_sheet("Tom")
    wb.save(tmp_path / "o.xlsx")
    ref = _assert_same(tmp_path / "o.xlsx")
    assert [t for t, _ in ref] == ["Blad1", "Två", "Tom"]
    assert ref[0][1][1] == (None,) * 14 and ref[2][1] == []


def test_openpyxl_dates_are_converted_as_openpyxl_does(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([dt.datetime(2024, 3, 15, 10, 30), dt.date(1850, 1, 1), dt.time(12, 15, 30), dt.timedelta(hours=30)])
    ws.append([dt.datetime(1900, 1, 1), dt.datetime(1899, 12, 31), 45000])
    ws["C2"].number_format = "yyyy-mm-dd hh:mm"
    ws["D2"] = 1.25
    ws["D2"].number_format = "[h]:mm:ss"
    wb.save(tmp_path / "d.xlsx")
    ref = _assert_same(tmp_path / "d.xlsx")
    assert isinstance(ref[0][1][0][0], dt.datetime)
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active.append([dt.datetime(2024, 3, 15), 5])
    wb.save(tmp_path / "mac.xlsx")
    _assert_same(tmp_path / "mac.xlsx")


def test_pandas_workbook(tmp_path):
    path = tmp_path / "pandas.xlsx"
    frame = pd.DataFrame({"t": ["inget", None, "ring 0701740699"], "n": [1.5, float("nan"), 3],
                          "i": [1, 2, 3], "b": [True, False, True],
                          "d": pd.to_datetime(["2024-03-15", "1850-01-01", None])})
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        frame.to_excel(xw, sheet_name="A")
        frame.to_excel(xw, sheet_name="B", index=False, startrow=4, startcol=2)
    ref = _assert_same(path)
    assert ref[0][1][1] == (0, "inget", 1.5, 1, True, dt.datetime(2024, 3, 15))
    assert ref[1][1][:4] == [(None,) * 7] * 4 and ref[1][1][4][2:4] == ("t", "n")


# --------------------------------------------------------------------------- written by hand
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _book(path: Path, sheets: dict[str, str], shared: str | None = None, styles: str | None = None,
          workbook_pr: str = "", prefix: str = "") -> Path:
    """A workbook from sheet XML (the whole document, or what goes inside <worksheet>)."""
    ct = [('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
           'spreadsheetml.sheet.main+xml"/>')]
    rels, entries = [], []
    for i, title in enumerate(sheets, start=1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.worksheet+xml"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
        entries.append(f'<sheet name="{title}" sheetId="{i}" r:id="rId{i}"/>')
    if shared is not None:
        ct.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.sharedStrings+xml"/>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'content-types"><Default Extension="xml" ContentType="application/xml"/>' + "".join(ct) + "</Types>")
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{_R}">{workbook_pr}'
                    f"<sheets>{''.join(entries)}</sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                    '2006/relationships">' + "".join(rels) + "</Relationships>")
        for i, body in enumerate(sheets.values(), start=1):
            if not body.startswith("<?xml") and "<worksheet" not in body and ":worksheet" not in body:
                ns = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
                body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<{prefix}worksheet {ns} '
                        f'xmlns:r="{_R}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
                        f"{body}</{prefix}worksheet>")
            zf.writestr(f"xl/worksheets/sheet{i}.xml", body)
        if shared is not None:
            ns = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
            zf.writestr("xl/sharedStrings.xml", shared if shared.startswith("<?xml")
                        else f'<?xml version="1.0" encoding="UTF-8"?>\n<{prefix}sst {ns}>{shared}</{prefix}sst>')
        if styles is not None:
            zf.writestr("xl/styles.xml", styles)
    return path


@pytest.fixture(scope="module")
def styles(tmp_path_factory) -> tuple[str, dict[str, int]]:
    """styles.xml of openpyxl with a date, a time, a duration and a plain number format."""
    wb = openpyxl.Workbook()
    formats = {"date": "yyyy-mm-dd", "time": "hh:mm:ss", "duration": "[h]:mm:ss", "plain": "0.00"}
    for i, fmt in enumerate(formats.values(), start=1):
        wb.active.cell(i, 1, 1).number_format = fmt
    path = tmp_path_factory.mktemp("styles") / "s.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        xml = zf.read("xl/styles.xml").decode()
    ids = dict(zip(formats, (int(s) for s in re.findall(r'<c r="A\d" s="(\d+)"', sheet))))
    return xml, ids


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_hand_made_cells_rows_and_dimensions(tmp_path, styles):
    xml, ids = styles
    d, pl = ids["date"], ids["plain"]
    shared = ('<si><t>namn</t></si><si><t xml:space="preserve"> kontakt </t></si><si><t>x005F_x</t></si>'
              "<si><t>a &amp; b &lt; &#233;&#x41;</t></si><si><t/></si><si><t>rad\r\nslut</t></si>")
    first = (
        '<dimension ref="A1:F9"/><sheetData>'
        '<row r="1" spans="1:6" x14ac:dyDescent="0.2"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c>'
        + _inline("C1", "inline &amp; more") + '<c r="D1" t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c>'
        '<c r="F1" t="s"><v>4</v></c></row>'
        f'<row r="2"><c r="A2"><v>12</v></c><c r="B2" t="n"><v>0.5602020769</v></c><c r="C2"><v>1E3</v></c>'
        f'<c r="D2"><v>-0</v></c><c r="E2"><v>12345678901234567890</v></c><c r="F2" s="{pl}"><v>2.50</v></c></row>'
        '<row r="3"><c r="A3" t="str"><f>A1&amp;B1</f><v>kim@exempel.example</v></c><c r="B3" t="str"><f>A1</f></c>'
        '<c r="C3"><f t="shared" ref="C3:C4" si="0">A2*2</f><v>24</v></c><c r="D3" t="b"><f>TRUE()</f><v>1</v></c>'
        '<c r="E3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="F3" t="b"><v>0</v></c></row>'
        '<row><c t="s"><v>5</v></c><c/><c><v>7</v></c><c r="F4" s="0"><v/></c></row>'
        f'<row r="6"><c r="A6" s="{d}"><v>45000.5</v></c><c r="B6" s="{d}"><v>-1</v></c>'
        f'<c r="C6" s="{ids["time"]}"><v>0.75</v></c><c r="D6" s="{ids["duration"]}"><v>1.5</v></c>'
        + _inline("E6", "the same column again") + _inline("Z6", "past F") + "</row>"
        '<row r="5">' + _inline("A5", "a row out of order") + "</row>"
        '<row r="8"><c r="a8" t="s"><v>-1</v></c><c r="AA8"><v>1</v></c></row>'
        '<row r="9" customFormat="1" ht="15"></row>'
        '<row r="10">' + _inline("A10", "past the last row") + "</row>"
        '<row r="12">' + _inline("A12", "and more") + "</row></sheetData>"
        '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins left="0.7" right="0.7" '
        'top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    )
    no_dim = ('<sheetData><row r="2">' + _inline("B2", "x") + _inline("A2", "before B") + "</row><row/>"
              '<row r="5"><c r="C5"><v>3</v></c></row></sheetData><dimension ref="A1:A1"/>')
    small = ('<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row>'
             '<row r="4"><c r="A4"><v>4</v></c></row></sheetData>')
    empty = "<sheetData/>"
    chars = ('<sheetData><row r="1"><c r="A1"><v>&#49;2</v></c><c r="B1" t="str"><v>a &amp; b&#13;c\r\nd</v></c>'
             '<c r="C1" t="inlineStr"><is><t xml:space="preserve"> r\r\n &gt; </t></is></c>'
             '<c r="D1" t="e" cm="1"><v>#N/A</v></c><c r="E1" t="inlineStr"/><c r="F1" t="n"><v> 7 </v></c>'
             '</row><row r="2" spans="1:6" x14ac:dyDescent="0.25" ht="a>b"/></sheetData>')
    pretty = ('<dimension ref="A1:B2"/>\n  <sheetData>\n    <row r="1">\n      <c r="A1" t="s"><v>0</v></c>\n'
              '      <c r="B1" t="inlineStr"><is><t>b</t></is></c>\n    </row>\n  </sheetData>\n')
    path = _book(tmp_path / "hand.xlsx", {"Blad1": first, "Utan": no_dim, "Liten": small, "Tom": empty,
                                         "Luft": pretty, "Tecken": chars}, shared=shared, styles=xml)
    ref = _assert_same(path)
    rows = dict(ref)
    assert rows["Blad1"][0][3:6] == ("x", "a & b < éA", "")
    assert rows["Blad1"][1][3:5] == (0, 12345678901234567890) and type(rows["Blad1"][1][2]) is float
    assert isinstance(rows["Blad1"][5][0], dt.datetime) and isinstance(rows["Blad1"][5][2], dt.time)
    assert len(rows["Blad1"]) == 9 and rows["Liten"] == [(1, None), (None, None)]
    assert rows["Tecken"][0] == (12, "a & b\rc\nd", " r\n > ", "#N/A", None, 7)


def test_hand_made_prefixed_namespace(tmp_path):
    sheet = ('<x:dimension ref="A1:B2"/><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c>'
             '<x:c r="B1" s="0" t="n"><x:v>75.01</x:v></x:c></x:row><x:row r="2"><x:c r="A2" t="inlineStr">'
             "<x:is><x:t>inline</x:t></x:is></x:c></x:row></x:sheetData>")
    path = _book(tmp_path / "x.xlsx", {"000001O3": sheet}, shared="<x:si><x:t>Kvadratkilometer</x:t></x:si>",
                 prefix="x:")
    assert _assert_same(path)[0][1] == [("Kvadratkilometer", 75.01), ("inline", None)]


@pytest.mark.parametrize(
    "sheet, shared",
    [
        ('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
         "<si><r><t>ring </t></r><r><rPr><b/></rPr><t>070-174 06 12</t></r></si>"),  # rich text
        ('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
         '<si><t>text</t><rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'),  # phonetic text
        ('<sheetData><row r="1"><c r="A1" t="d"><v>2024-03-15</v></c></row></sheetData>', None),  # a date cell
        ('<dimension ref="A1:A2"/><sheetData><row r="2"><c r="A2" s="1"><v>9999999</v></c></row></sheetData>',
         None),  # a date out of range: openpyxl warns and gives "#VALUE!"
        ('<sheetData><!-- a comment --><row r="1"><c r="A1"><v>1</v></c></row></sheetData>', None),
        ('<sheetData><row r="1"><c t="n" r="A1"><v>1</v></c></row></sheetData>', None),  # another order
        ('<sheetData><row r="1.0"><c r="A1"><v>1</v></c></row></sheetData>', None),  # a row number as float
        ('<sheetData><row r="1"><c r="A1"><v><![CDATA[12]]></v></c></row></sheetData>', None),
        ('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>'  # noqa: ISC004
         "</sheetData>", None),  # inline rich text
        ('<sheetData><row r="1"><c r="A1" t=""><v>1</v></c></row></sheetData>', None),  # an empty type
    ],
)
def test_what_is_not_handled_is_read_by_openpyxl(tmp_path, styles, sheet, shared):
    path = _book(tmp_path / "odd.xlsx", {"S": sheet}, shared=shared, styles=styles[0])
    with pytest.raises(NotHandled):
        read_sheets(path, fallback=False)
    _assert_same(path, fast=False)


@pytest.mark.parametrize(
    "sheet",
    [
        '<sheetData><row r="1"><c r="A1" t="s"><v>5</v></c></row></sheetData>',  # no such shared string
        '<sheetData><row r="1"><c r="A1"><v>x</v></c></row></sheetData>',  # not a number
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>',  # not XML
        '<sheetData><row r="1"><c r="A1"><v>&nbsp;</v></c></row></sheetData>',  # unknown entity
        '<sheetData><row r="1"><c r="A1" r="B1"><v>1</v></c></row></sheetData>',  # an attribute twice
    ],
)
def test_broken_sheets_fail_as_in_openpyxl(tmp_path, sheet):
    path = _book(tmp_path / "broken.xlsx", {"S": sheet}, shared="<si><t>a</t></si>")
    with pytest.raises(Exception) as ref:
        _openpyxl(path)
    with pytest.raises(type(ref.value)) as got:
        read_sheets(path)
    assert str(got.value) == str(ref.value)


def test_files_openpyxl_cannot_open_fail_as_in_openpyxl(tmp_path):
    (tmp_path / "zip.xlsx").write_bytes(b"PK not a zip")
    for path in (tmp_path / "zip.xlsx", tmp_path / "missing.xlsx"):
        with pytest.raises(Exception) as ref:
            _openpyxl(path)
        with pytest.raises(type(ref.value), match=re.escape(str(ref.value))):
            read_rows(path)


def test_missing_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.create_sheet("Män")
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(SheetNotFound, match=r"'Totalt'.*\['Sheet', 'Män'\]") as err:
        read_rows(tmp_path / "b.xlsx", "Totalt")
    assert err.value.sheetnames == ["Sheet", "Män"] and isinstance(err.value, KeyError)


def test_random_sheets_equal_openpyxl(tmp_path, styles):
    """Random rows and cells of the forms the fast reader handles, against openpyxl."""
    xml, ids = styles
    rnd = random.Random(0)
    shared = [f"s{i} &amp; x005F_{i}" if i % 3 == 0 else f"s{i}" for i in range(20)]
    values = {"n": ["0", "-3", "1.5", "2E-3", "1e5", "007", "12345678901234567890", "-0.0"],
              "s": [str(i) for i in range(20)], "b": ["0", "1"], "str": ["x", "a&amp;b", ""],
              "e": ["#N/A", "#REF!"]}
    n_fast = 0
    for k in range(24):
        rows = []
        r = 0
        for _ in range(rnd.randint(0, 12)):
            r = max(1, r + rnd.choice([1, 1, 1, 2, 3, -1]))
            cells, c = [], 0
            for _ in range(rnd.randint(0, 8)):
                c = max(1, c + rnd.choice([1, 1, 2, 5, -1]))
                t = rnd.choice(list(values) + ["inline", "empty"])
                ref = f' r="{openpyxl.utils.get_column_letter(c)}{r}"' if rnd.random() < 0.8 else ""
                s = f' s="{rnd.choice(list(ids.values()) + [0])}"' if rnd.random() < 0.3 else ""
                if t == "inline":
                    cells.append(f'<c{ref}{s} t="inlineStr"><is><t>i{k} &lt;{c}&gt;</t></is></c>')
                elif t == "empty":
                    cells.append(f"<c{ref}{s}/>")
                else:
                    ta = "" if t == "n" and rnd.random() < 0.5 else f' t="{t}"'
                    cells.append(f"<c{ref}{s}{ta}><v>{rnd.choice(values[t])}</v></c>")
            rr = f' r="{r}"' if rnd.random() < 0.8 else ""
            rows.append(f"<row{rr}>{''.join(cells)}</row>" if cells or rnd.random() < 0.5 else f"<row{rr}/>")
        dim = f'<dimension ref="A1:{openpyxl.utils.get_column_letter(rnd.randint(1, 9))}{rnd.randint(1, 12)}"/>'
        body = (dim if rnd.random() < 0.6 else "") + "<sheetData>" + "".join(rows) + "</sheetData>"
        path = _book(tmp_path / f"r{k}.xlsx", {"R": body}, shared="".join(f"<si><t>{s}</t></si>" for s in shared),
                     styles=xml)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref_rows = _openpyxl(path)
        except Exception as exc:  # noqa: BLE001  (a shared string index out of range, a number too big …)
            with pytest.raises(type(exc)):
                read_sheets(path)
            continue
        try:
            read_sheets(path, fallback=False)
            n_fast += 1
        except NotHandled:  # dates out of range
            pass
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert _typed(read_sheets(path)) == _typed(ref_rows)
    assert n_fast >= 12


def test_damaged_sheets_give_openpyxl_values_or_its_error(tmp_path, styles):
    """A character deleted, inserted or repeated anywhere in a sheet: the values or the error
    (type and message) of openpyxl."""
    rnd = random.Random(1)
    base = ('<dimension ref="A1:C3"/><sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c>'
            f'<c r="B1" s="{styles[1]["date"]}"><v>45000</v></c><c r="C1" t="inlineStr"><is><t>x &amp; y</t></is></c>'
            '</row><row r="2"><c r="A2" t="str"><f>A1</f><v>a</v></c><c r="B2" t="b"><v>1</v></c></row>'
            '<row r="3"><c r="A3"><v>1.5</v></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
            'bottom="0.75" header="0.3" footer="0.3"/>')
    inserts = ["<", "&", ">", '"', " ", "/", "]]>", "<!-- c -->", "\x01", "&bogus;", ' r="A1"', "\ufffe", "<c/>"]
    outcomes = set()
    for k in range(40):
        i = rnd.randrange(len(base))
        op = rnd.choice(["delete", "insert", "repeat"])
        if op == "delete":
            body = base[:i] + base[i + 1:]
        elif op == "insert":
            body = base[:i] + rnd.choice(inserts) + base[i:]
        else:
            j = min(len(base), i + rnd.randint(1, 30))
            body = base[:j] + base[i:j] + base[j:]
        path = _book(tmp_path / f"m{k}.xlsx", {"S": body}, shared="<si><t>a</t></si>", styles=styles[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ref = _openpyxl(path)
            except Exception as exc:  # noqa: BLE001
                with pytest.raises(type(exc)) as got:
                    read_sheets(path)
                assert str(got.value) == str(exc)
                outcomes.add("error")
                continue
            assert _typed(read_sheets(path)) == _typed(ref), body
            outcomes.add("values")
    assert outcomes == {"error", "values"}


def test_the_module_names_its_fallback_rule():
    assert "Fallback rule" in xlsx.__doc__ and set(xlsx.__all__) == {"read_rows", "read_sheets", "NotHandled",
                                                                   "SheetNotFound"}
