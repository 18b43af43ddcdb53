"""Deterministic export of result tables: CSV, XLSX, Markdown and LaTeX.

:func:`save_table` writes one DataFrame in several formats so that running
the analysis twice gives byte-identical files:

* **CSV** — machine-readable (decimal point, no thousands separator, in
  every language), UTF-8, ``"\\n"`` line ends, floats with a fixed format.
  A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading ``'`` (:func:`iopstudy.text.neutralise_formulas`), so
  that no spreadsheet runs it as a formula; numbers, negative ones too, stay
  numbers.
* **XLSX** — numbers stay numbers (with a display format of ``decimals``
  places); every text cell is stored as text, never as a formula (a cell
  written ``=HYPERLINK(…)`` shows that text); workbook properties
  *created*/*modified* are fixed and the zip entries carry a fixed
  timestamp, so the bytes do not depend on the date.
* **Markdown** — a pipe table written here (``DataFrame.to_markdown`` needs
  the optional ``tabulate`` package), numbers formatted in ``lang``.
* **LaTeX** — a ``booktabs`` tabular written here (no ``jinja2`` needed),
  numbers formatted in ``lang`` (Swedish: ``\\,`` between thousands and a
  decimal comma ``{,}``), text escaped.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.labels import check_lang, format_number
from iopstudy.text import FORMULA_PREFIXES, neutralise_formulas

__all__ = ["save_table", "to_markdown", "to_latex", "format_cell", "FIXED_TIMESTAMP"]

#: Timestamp written into XLSX properties and zip entries.
FIXED_TIMESTAMP = _dt.datetime(2000, 1, 1, 0, 0, 0)

_YEARLIKE = re.compile(r"(^|_)(year|år|ar)($|_)|(^|_)code($|_)|_id$|^id$", re.IGNORECASE)


def _plain_columns(df: pd.DataFrame, plain: Sequence[str] | None) -> set[str]:
    """Columns written without thousands separators (years, codes, ids)."""
    if plain is not None:
        return set(plain)
    return {str(c) for c in df.columns if _YEARLIKE.search(str(c))}


def format_cell(
    value: Any,
    lang: str = "en",
    *,
    decimals: int = 3,
    plain: bool = False,
    target: str = "text",
) -> str:
    """Format one table cell for Markdown (``target="text"``) or LaTeX (``"latex"``).

    Integers get no decimals, floats ``decimals`` places, booleans
    ``"true"/"false"`` (en) or ``"ja"/"nej"`` (sv), missing values an empty
    string. ``plain`` turns off thousands separators (years, codes).

    Examples
    --------
    >>> format_cell(1234.5678, "en", decimals=2)
    '1,234.57'
    >>> format_cell(1234.5678, "sv", decimals=1).replace("\\xa0", " ")  # a no-break space between thousands
    '1 234,6'
    >>> format_cell(2019, plain=True), format_cell(True, "sv"), format_cell(None)
    ('2019', 'ja', '')
    >>> format_cell(-1234.5, "sv", decimals=1, target="latex"), format_cell("a_b & c", target="latex")
    ('$-1\\\\,234{,}5$', 'a\\\\_b \\\\& c')
    """
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (bool, np.bool_)):
        yes, no = ("ja", "nej") if lang == "sv" else ("true", "false")
        return yes if value else no
    if isinstance(value, (int, np.integer, float, np.floating)):
        d = 0 if isinstance(value, (int, np.integer)) else decimals
        if target == "latex":
            # Swedish: thin space \, between thousands and a decimal comma {,}
            sep = "" if plain else ("\x00" if lang == "sv" else ",")
            s = format_number(value, lang, d, thousands_sep=sep, minus="-")
            if lang == "sv":
                s = s.replace(",", "{,}").replace("\x00", "\\,")
            return f"${s}$" if s.startswith("-") else s
        sep = "" if plain else None
        return format_number(value, lang, d, thousands_sep=sep)
    text = str(value)
    if target == "latex":
        return _latex_escape(text)
    return text.replace("|", "\\|").replace("\n", " ")


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _cells(df: pd.DataFrame, lang: str, decimals: int, plain: set[str], target: str) -> list[list[str]]:
    rows = []
    cols = list(df.columns)
    for rec in df.itertuples(index=False, name=None):
        rows.append(
            [
                format_cell(v, lang, decimals=decimals, plain=str(c) in plain, target=target)
                for c, v in zip(cols, rec)
            ]
        )
    return rows


def to_markdown(
    df: pd.DataFrame,
    lang: str = "en",
    *,
    decimals: int = 3,
    plain_columns: Sequence[str] | None = None,
    caption: str | None = None,
    note: str | None = None,
) -> str:
    """A GitHub-flavoured Markdown pipe table; numeric columns right-aligned.

    Examples
    --------
    >>> df = pd.DataFrame({"group": ["A", "B"], "year": [2019, 2021], "share": [0.5, 1234.56]})
    >>> print(to_markdown(df, decimals=2, caption="Illustrative table"))
    **Illustrative table**
    <BLANKLINE>
    | group | year | share |
    | :--- | ---: | ---: |
    | A | 2019 | 0.50 |
    | B | 2021 | 1,234.56 |
    <BLANKLINE>
    """
    check_lang(lang)
    plain = _plain_columns(df, plain_columns)
    header = [str(c).replace("|", "\\|") for c in df.columns]
    align = ["---:" if _is_numeric(df[c]) else ":---" for c in df.columns]
    lines = []
    if caption:
        lines += [f"**{caption}**", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("| " + " | ".join(align) + " |")
    for row in _cells(df, lang, decimals, plain, "text"):
        lines.append("| " + " | ".join(row) + " |")
    if note:
        lines += ["", f"*{note}*"]
    return "\n".join(lines) + "\n"


def to_latex(
    df: pd.DataFrame,
    lang: str = "en",
    *,
    decimals: int = 3,
    plain_columns: Sequence[str] | None = None,
    caption: str | None = None,
    note: str | None = None,
    label: str | None = None,
) -> str:
    """A ``booktabs`` LaTeX table (``table`` float when a caption is given).

    Examples
    --------
    >>> df = pd.DataFrame({"group": ["A", "B"], "year": [2019, 2021], "share": [0.5, 1234.56]})
    >>> print(to_latex(df, "sv", decimals=1))
    \\begin{tabular}{lrr}
    \\toprule
    group & year & share \\\\
    \\midrule
    A & 2019 & 0{,}5 \\\\
    B & 2021 & 1\\,234{,}6 \\\\
    \\bottomrule
    \\end{tabular}
    <BLANKLINE>
    """
    check_lang(lang)
    plain = _plain_columns(df, plain_columns)
    spec = "".join("r" if _is_numeric(df[c]) else "l" for c in df.columns)
    body = [
        f"\\begin{{tabular}}{{{spec}}}",
        "\\toprule",
        " & ".join(_latex_escape(str(c)) for c in df.columns) + " \\\\",
        "\\midrule",
    ]
    for row in _cells(df, lang, decimals, plain, "latex"):
        body.append(" & ".join(row) + " \\\\")
    body.append("\\bottomrule")
    body.append("\\end{tabular}")
    if note:
        body.append(f"\\par\\smallskip{{\\footnotesize {_latex_escape(note)}}}")
    if caption or label:
        out = ["\\begin{table}[htbp]", "\\centering"]
        if caption:
            out.append(f"\\caption{{{_latex_escape(caption)}}}")
        if label:
            out.append(f"\\label{{{label}}}")
        out += body + ["\\end{table}"]
    else:
        out = body
    return "\n".join(out) + "\n"


def _write_csv(df: pd.DataFrame, path: Path, float_format: str) -> None:
    # text from the web must not become a live formula in a spreadsheet (OWASP)
    text = neutralise_formulas(df).to_csv(index=False, float_format=float_format, lineterminator="\n")
    path.write_bytes(text.encode("utf-8"))


def _excel_value(v: Any) -> Any:
    """One table value as openpyxl takes it: ``None`` (missing), ``bool``, ``int``,
    ``float``, ``str`` or ``datetime`` (from a ``Timestamp``); anything else as text."""
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, (int, float, str)):
        return v
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return str(v)


class _FixedTimeZipFile(zipfile.ZipFile):
    """A zip archive that stamps every entry with :data:`FIXED_TIMESTAMP`.

    :class:`openpyxl.writer.excel.ExcelWriter` adds its parts with
    ``writestr(name, data)`` (which would stamp the current time) and the
    worksheet with ``write(tempfile, name)`` (the temporary file's time and
    mode). Both become ``writestr(ZipInfo(name, FIXED_TIMESTAMP), data)`` with
    mode ``0o600``, deflated at zlib's default level, in the order openpyxl
    writes them. That is byte for byte the archive the earlier two-pass code
    made (write with the current time, then copy every entry into a new
    archive under such a ``ZipInfo``), without compressing everything twice.
    """

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[no-untyped-def]
        # a copy keeps only the name and the bytes, so any time, mode or
        # compression asked for is replaced as well
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        info = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        super().writestr(info, data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[no-untyped-def]
        # the entry name exactly as ZipFile.write() would store it
        name = zipfile.ZipInfo.from_file(filename, arcname).filename
        self.writestr(name, Path(filename).read_bytes())


def _excel_column(s: pd.Series) -> list[Any]:
    """The values of ``s`` as :func:`_excel_value` gives them, faster.

    The scalars are those :meth:`DataFrame.itertuples` yields (it iterates the
    columns). A NumPy bool, integer or float column gives Python ``bool``,
    ``int`` and ``float`` with ``tolist()``, as iterating does; other values of
    an exact built-in type are mapped here as :func:`_excel_value` maps them,
    anything else goes through it.
    """
    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        values = s.to_numpy().tolist()
        if dtype.kind == "f":
            return [None if math.isnan(v) else v for v in values]  # NaN -> empty cell
        return values
    out = []
    for v in s:
        t = type(v)
        if t is str or t is int or t is bool or v is None:
            out.append(v)
        elif t is float:
            out.append(None if math.isnan(v) else v)
        else:
            out.append(_excel_value(v))
    return out


def _write_xlsx(
    df: pd.DataFrame, path: Path, *, decimals: int, sheet_name: str, plain: set[str]
) -> None:
    """Write ``df`` as a one-sheet workbook whose bytes depend only on its content.

    Parameters
    ----------
    df
        The table (string column names).
    path
        The ``.xlsx`` file to write.
    decimals
        Decimals of the display format of float columns (``"0.000"`` for 3).
    sheet_name
        Sheet title (cut to Excel's 31 characters).
    plain
        Integer columns left without the ``"0"`` number format (years, codes).

    Notes
    -----
    Each data cell is created once with its final type and style: text is
    stored as text (``data_type "s"``, never a formula; with a quote prefix
    when it begins with one of :data:`iopstudy.text.FORMULA_PREFIXES`), float
    and integer columns carry their number format. This gives the same
    workbook -- and the same bytes -- as appending plain values and then
    styling the cells in two more passes over the sheet (the earlier code):

    * the cells hold the same Python values, from :func:`_excel_column`;
    * a custom number format gets its id when first registered, so the order
      is kept: ``Timestamp`` cells register their date format while they are
      created, and they are only in non-numeric columns, which are created
      first; the float format is registered after them and only when a data
      row exists;
    * style ids (``s="…"``) are assigned by openpyxl while it writes the sheet,
      in cell order, whatever the order the cells were created in.
    """
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name[:31]
    # header: plain appended values; a name that a spreadsheet would run as a formula is
    # stored as text with a quote prefix, as the data cells are
    ws.append([str(c) for c in df.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        if cell.value[:1] in FORMULA_PREFIXES:
            cell.data_type = "s"
            cell.quotePrefix = True
    float_fmt = "0" if decimals == 0 else "0." + "0" * decimals
    kinds = []
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_float_dtype(s):
            kinds.append("float")
        elif pd.api.types.is_integer_dtype(s) and str(c) not in plain:
            kinds.append("int")
        else:
            kinds.append("other")

    # style templates: cells not attached to the sheet, so never written. Setting
    # the style on them goes through openpyxl's descriptors (which register a custom
    # number format in the workbook); Cell(style_array=...) copies the array (_style,
    # which openpyxl's own copy_worksheet copies the same way) into each new cell.
    def template(number_format: str | None, quote: bool) -> Any:
        cell = Cell(ws)
        if quote:
            cell.quotePrefix = True
        if number_format is not None:
            cell.number_format = number_format
        return cell._style

    def make_cells(j: int, number_format: str | None) -> list[Cell]:
        plain_style = template(number_format, False) if number_format is not None else None
        quote_style = template(number_format, True)
        cells = []
        for v in _excel_column(df.iloc[:, j]):  # by position: column names may repeat
            if isinstance(v, str):
                # openpyxl would store "=HYPERLINK(…)" as a formula, and a quote prefix
                # keeps Excel from reading it as one when the cell is edited (openpyxl
                # may cut a long text, never its first character)
                style = quote_style if v[:1] in FORMULA_PREFIXES else plain_style
                cell = Cell(ws, value=v, style_array=style)
                cell.data_type = "s"
            else:
                cell = Cell(ws, value=v, style_array=plain_style)
            cells.append(cell)
        return cells

    columns: list[list[Cell]] = [[] for _ in kinds]
    for j, kind in enumerate(kinds):
        if kind == "other":
            columns[j] = make_cells(j, None)
    if len(df):
        for j, kind in enumerate(kinds):
            if kind != "other":
                columns[j] = make_cells(j, float_fmt if kind == "float" else "0")
    if columns:
        for row in zip(*columns):
            ws.append(row)  # sets each cell's row and column
    props = wb.properties
    props.creator = "iopstudy"
    props.lastModifiedBy = "iopstudy"
    props.created = FIXED_TIMESTAMP
    props.modified = FIXED_TIMESTAMP
    buf = io.BytesIO()
    # openpyxl.save_workbook() stamps "modified" with the current time; the
    # ExcelWriter it uses does not, so call it directly.
    with _FixedTimeZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    path.write_bytes(buf.getvalue())


def save_table(
    df: pd.DataFrame,
    name: str,
    out_dir: str | Path = "reports/tables",
    formats: Sequence[str] = ("csv", "xlsx", "md", "tex"),
    *,
    lang: str = "en",
    decimals: int = 3,
    csv_float_format: str = "%.10g",
    plain_columns: Sequence[str] | None = None,
    caption: str | None = None,
    note: str | None = None,
    index: bool = False,
) -> list[Path]:
    """Write a table as CSV, XLSX, Markdown and LaTeX, byte-identically on every run.

    Parameters
    ----------
    df
        The table.
    name
        Base file name; files are ``{out_dir}/{name}.{ext}`` (add the language
        to ``name`` yourself when writing both, e.g. ``f"{name}_{lang}"``).
    out_dir
        Output folder (created if needed).
    formats
        Any of ``"csv"``, ``"xlsx"``, ``"md"``, ``"tex"``.
    lang
        Number format of the Markdown and LaTeX files (``"sv"``: ``1 200``,
        ``0,5``). CSV and XLSX keep machine-readable numbers.
    decimals
        Decimals of floats in Markdown, LaTeX and the XLSX display format.
    csv_float_format
        printf-style float format of the CSV (default ``"%.10g"``).
    plain_columns
        Columns written without thousands separators; default: columns named
        like ``year``, ``*_year``, ``*_code``, ``*_id``.
    caption, note
        Caption and a note under the table (Markdown and LaTeX), e.g. the
        partial-data note.
    index
        Include the index as (first) column(s).

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Examples
    --------
    >>> import tempfile
    >>> df = pd.DataFrame({"group": ["A", "B"], "year": [2019, 2021], "share": [0.5, 1234.56]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = save_table(df, "example", tmp, formats=("csv", "md"))
    ...     print([p.name for p in paths])
    ...     print(paths[0].read_text(encoding="utf-8"))
    ['example.csv', 'example.md']
    group,year,share
    A,2019,0.5
    B,2021,1234.56
    <BLANKLINE>
    """
    check_lang(lang)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"save_table needs a DataFrame, got {type(df).__name__}")
    data = df.reset_index() if index else df
    data = data.copy()
    data.columns = [str(c) for c in data.columns]
    plain = _plain_columns(data, plain_columns)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in formats:
        ext = ext.lower().lstrip(".")
        path = out / f"{name}.{ext}"
        if ext == "csv":
            _write_csv(data, path, csv_float_format)
        elif ext == "xlsx":
            _write_xlsx(data, path, decimals=decimals, sheet_name=name, plain=plain)
        elif ext == "md":
            path.write_bytes(
                to_markdown(data, lang, decimals=decimals, plain_columns=sorted(plain), caption=caption, note=note).encode("utf-8")
            )
        elif ext == "tex":
            path.write_bytes(
                to_latex(data, lang, decimals=decimals, plain_columns=sorted(plain), caption=caption, note=note).encode("utf-8")
            )
        else:
            raise ValueError(f"unsupported table format {ext!r}; use csv, xlsx, md or tex")
        paths.append(path)
    return paths
