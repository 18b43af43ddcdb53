"""Tests of iopstudy.tables (deterministic export) and number formatting."""

from __future__ import annotations

import time
import zipfile

import numpy as np
import pandas as pd
import pytest

from iopstudy.labels import NBSP, format_number, format_percent
from iopstudy.tables import (
    FIXED_TIMESTAMP,
    format_cell,
    save_table,
    to_latex,
    to_markdown,
)


def _df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["A_1", "B & C | D", "Örebro"],
            "year": [2015, 2020, 2023],
            "kommun_code": ["0114", "1480", "1880"],
            "n": [1200, 35, 7],
            "share": [0.5, 1234.5678, np.nan],
            "adopted": [True, False, True],
        }
    )


# --------------------------------------------------------------------------- format_number
@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1200, "sv", 0, f"1{NBSP}200"),
        (1200, "en", 0, "1,200"),
        (0.5, "sv", 1, "0,5"),
        (0.5, "en", 1, "0.5"),
        (1234567.891, "sv", 2, f"1{NBSP}234{NBSP}567,89"),
        (1234567.891, "en", 2, "1,234,567.89"),
        (-1234.5, "sv", 1, f"-1{NBSP}234,5"),
        (-0.4, "en", 0, "0"),  # no "-0"
        (999, "sv", 0, "999"),
        (0, "en", 2, "0.00"),
        (np.int64(290), "sv", 0, "290"),
        (float("nan"), "en", 0, ""),
        (None, "sv", 0, ""),
        (pd.NA, "sv", 0, ""),
        (float("inf"), "en", 0, "∞"),
    ],
)
def test_format_number(x, lang, decimals, expected):
    assert format_number(x, lang, decimals) == expected


def test_format_number_options_and_percent():
    assert format_number(2015, "sv", thousands_sep="") == "2015"
    assert format_number(-2.5, "sv", 1, minus="\u2212") == "\u22122,5"
    assert format_percent(0.255, "sv", 1) == f"25,5{NBSP}%"
    assert format_percent(0.255, "en", 1) == "25.5%"
    with pytest.raises(ValueError):
        format_number(1, "fi")


# --------------------------------------------------------------------------- save_table
def test_save_table_twice_gives_identical_bytes(tmp_path):
    a = save_table(_df(), "t", tmp_path / "a", lang="sv", caption="Test", note="Partial register")
    time.sleep(2.1)  # zip timestamps have 2-second resolution: a later run must not differ
    b = save_table(_df(), "t", tmp_path / "b", lang="sv", caption="Test", note="Partial register")
    assert [p.name for p in a] == ["t.csv", "t.xlsx", "t.md", "t.tex"]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_xlsx_has_fixed_times_and_real_numbers(tmp_path):
    from openpyxl import load_workbook

    (path,) = save_table(_df(), "t", tmp_path, formats=("xlsx",))
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_TIMESTAMP.timetuple()[:6]}
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    wb = load_workbook(path)
    ws = wb.active
    assert [c.value for c in ws[1]] == list(_df().columns)
    assert ws["D2"].value == 1200 and ws["E3"].value == pytest.approx(1234.5678)
    assert ws["E2"].number_format == "0.000"
    assert ws["B2"].value == 2015 and ws["C2"].value == "0114"
    assert ws["E4"].value is None
    assert wb.properties.created == FIXED_TIMESTAMP


def test_csv_is_machine_readable_in_every_language(tmp_path):
    (path,) = save_table(_df(), "t", tmp_path, formats=("csv",), lang="sv")
    raw = path.read_bytes()
    assert b"\r\n" not in raw
    back = pd.read_csv(path, dtype={"kommun_code": str})
    pd.testing.assert_frame_equal(back, _df(), check_dtype=False)


def test_markdown_and_latex_number_formats():
    md_sv = to_markdown(_df(), "sv", decimals=2)
    assert f"| 1{NBSP}200 |" in md_sv and "| 0,50 |" in md_sv and "| 2015 |" in md_sv
    assert "B & C \\| D" in md_sv
    assert "| ---: |" in md_sv.splitlines()[1] or "---:" in md_sv.splitlines()[1]
    md_en = to_markdown(_df(), "en", decimals=2)
    assert "| 1,200 |" in md_en and "| 1,234.57 |" in md_en
    tex_sv = to_latex(_df(), "sv", decimals=1)
    assert "1\\,200" in tex_sv and "1\\,234{,}6" in tex_sv and "0{,}5" in tex_sv
    assert "A\\_1" in tex_sv and "B \\& C" in tex_sv and "kommun\\_code" in tex_sv
    assert "\\toprule" in tex_sv and "\\bottomrule" in tex_sv
    tex_en = to_latex(_df(), "en", decimals=1, caption="50% of it")
    assert "1,200" in tex_en and "\\caption{50\\% of it}" in tex_en
    assert format_cell(-0.25, "sv", decimals=2, target="latex") == "$-0{,}25$"
    assert format_cell(True, "sv") == "ja"


# --------------------------------------------------------------------------- formula-like text
_FORMULAS = ['=HYPERLINK("http://example.org","klick")', "+46 70 000 00 00", "-x", "@SUM(A1:A2)",
             "\tTAB", "\rCR", "=1+1", "plain"]


def _formula_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": _FORMULAS,
            "n": [-1, -2, 3, 4, 5, 6, 7, 8],
            "x": [-0.5, 1.5, 2.0, np.nan, 0.0, -3.25, 1.0, 2.0],
            "code": ["-12", "0114", "-", "", "+", "=", "x", "y"],
        }
    )


def test_csv_neutralises_formula_like_text(tmp_path):
    (path,) = save_table(_formula_df(), "f", tmp_path, formats=("csv",))
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    # a carriage return is written as a line feed (a bare one would end the CSV row)
    assert back["text"].tolist() == ["'" + t.replace("\r", "\n") for t in _FORMULAS[:-1]] + ["plain"]
    assert back["n"].tolist() == ["-1", "-2", "3", "4", "5", "6", "7", "8"]  # numbers stay numbers
    assert back["x"].tolist()[:2] == ["-0.5", "1.5"]
    assert back["code"].tolist() == ["-12", "0114", "'-", "", "'+", "'=", "x", "y"]  # "-12" is a number


def test_xlsx_writes_formula_like_text_as_text(tmp_path):
    from openpyxl import load_workbook

    (path,) = save_table(_formula_df(), "f", tmp_path, formats=("xlsx",))
    ws = load_workbook(path).active  # formulas would come back with data_type "f"
    cells = [ws.cell(row=i, column=1) for i in range(2, 2 + len(_FORMULAS))]
    assert [c.data_type for c in cells] == ["s"] * len(_FORMULAS)
    assert [c.value for c in cells] == _FORMULAS
    assert cells[0].quotePrefix and not cells[-1].quotePrefix
    assert ws["B2"].value == -1 and ws["B2"].data_type == "n"  # negative numbers stay numbers
    assert ws["C2"].value == -0.5 and ws["C2"].data_type == "n"
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_a_header_from_the_data_is_no_live_formula_either(tmp_path):
    """Column names can come from the data (a crosstab of organisations): CSV and XLSX headers."""
    from openpyxl import load_workbook

    df = pd.DataFrame([[1, 2, 3]], columns=['=HYPERLINK("http://x")', "-x", "Stadsmissionen"])
    csv, xlsx = save_table(df, "h", tmp_path, formats=("csv", "xlsx"))
    assert csv.read_text(encoding="utf-8").splitlines()[0] == "\"'=HYPERLINK(\"\"http://x\"\")\",'-x,Stadsmissionen"
    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[1]] == list(df.columns)
    assert [c.data_type for c in ws[1]] == ["s"] * 3
    assert [c.quotePrefix for c in ws[1]] == [True, True, False]
    assert all(c.font.bold for c in ws[1])
    with zipfile.ZipFile(xlsx) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_keeps_types_and_formats_of_every_dtype(tmp_path):
    import datetime as dt

    from openpyxl import load_workbook

    df = pd.DataFrame(
        {
            "when": pd.to_datetime(["2020-01-02 03:04:05", None]),
            "x": [0.25, np.nan],
            "k": pd.array([7, None], dtype="Int64"),
            "year": [2019, 2020],
            "flag": pd.array([True, None], dtype="boolean"),
            "label": pd.Series(["=1+1", None], dtype="str"),
            "mixed": pd.Series([np.int64(3), "#N/A"], dtype=object),
        }
    )
    (a,) = save_table(df, "d", tmp_path / "a", formats=("xlsx",))
    (b,) = save_table(df, "d", tmp_path / "b", formats=("xlsx",))
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        infos = z.infolist()
        styles = z.read("xl/styles.xml").decode()
    assert {(i.date_time, i.external_attr, i.compress_type) for i in infos} == {
        (FIXED_TIMESTAMP.timetuple()[:6], 0o600 << 16, zipfile.ZIP_DEFLATED)
    }
    # custom number formats keep the order they had when cells were styled row by row
    assert styles.index('formatCode="yyyy-mm-dd h:mm:ss"') < styles.index('formatCode="0.000"')
    ws = load_workbook(a).active
    assert all(c.font.b for c in ws[1])
    when, x, k, year, flag, label, mixed = ws[2]
    assert when.value == dt.datetime(2020, 1, 2, 3, 4, 5) and when.is_date
    assert x.value == 0.25 and x.number_format == "0.000"
    assert k.value == 7 and k.number_format == "0"
    assert year.value == 2019 and year.number_format == "General"  # a year gets no number format
    assert flag.value is True and flag.data_type == "b"
    assert label.value == "=1+1" and label.data_type == "s" and label.quotePrefix
    assert mixed.value == 3 and mixed.data_type == "n"
    # missing values are empty cells; in numeric columns they keep the column's format
    empty = ws[3]
    assert [c.value for i, c in enumerate(empty[:6]) if i != 3] == [None] * 5
    assert (empty[1].number_format, empty[2].number_format) == ("0.000", "0")
    assert empty[6].value == "#N/A" and empty[6].data_type == "s"  # text, not an Excel error
