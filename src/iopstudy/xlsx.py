"""Excel workbooks read fast, with exactly the values openpyxl gives.

:func:`read_rows` (one sheet) and :func:`read_sheets` (every worksheet) return what
``openpyxl.load_workbook(path, read_only=True, data_only=True)`` and
``ws.iter_rows(values_only=True)`` give, value for value and type for type, with each row
as a tuple: text as ``str``, a number without ``.``, ``E`` or ``e`` as ``int`` and any other
as ``float``, ``bool``, cached results of formulas, error codes such as ``"#N/A"`` as text,
dates as :mod:`datetime` values, empty cells ``None``. Rows and columns are those of the
installed openpyxl: its sheets and titles, its dimensions (rows past the last row of the
``<dimension>`` dropped, missing rows filled in, every row as wide as the dimension or,
without one, as its last cell), rows out of order dropped, ``_x005F_`` unescaped in shared
strings.

How
---
The parts of the workbook that the values depend on are read with openpyxl's own functions,
as ``load_workbook`` reads them: the content types, the workbook part and its sheets,
relationships and epoch, the styles (which numbers are dates), the document properties, and
of each sheet everything but its rows, including the ``<dimension>``. The two slow parts are
read with regular expressions that accept only what they read exactly as openpyxl does:

* the shared strings, when every string is plain text (``<si><t>…</t></si>``);
* the rows of each sheet (``<sheetData>``), when every row and cell has a form that Excel,
  openpyxl, pandas and the OpenXML SDK write: attributes ``r``, ``s``, ``t`` in this order,
  a value, a formula, an inline string; any namespace prefix; no comments, CDATA or DTD;
  UTF-8; no character XML forbids. Entities and line ends are decoded by the XML parser.

A number whose style is a date format is converted by openpyxl's own cell parser.

Fallback rule
-------------
Whatever the fast reader does not read exactly as openpyxl does is read by openpyxl, with
the same result: rich or phonetic text in the shared strings (then openpyxl reads the
shared strings), and for the whole workbook: ``t="d"`` cells, dates outside about the years
250–9800, chart sheets, external links, any XML or structure in another form, and any error.
So a file that openpyxl cannot read raises openpyxl's own error. (Only a workbook that
openpyxl refuses for a part that no value depends on and that is not read here, such as
its defined names, the styles of a workbook without numbers or a sheet not asked for, is
read.) With ``fallback=False`` the reader raises :class:`NotHandled` instead of falling
back; the tests use it to show that the fast path is taken.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from openpyxl import Workbook
>>> with tempfile.TemporaryDirectory() as tmp:
...     wb = Workbook()
...     wb.active.title = "Tabell"
...     wb.active.append(["Kommun", 2023, 1.5, True])
...     wb.active.append(["Exempelby"])
...     wb.save(Path(tmp) / "example.xlsx")
...     read_rows(Path(tmp) / "example.xlsx", fallback=False)
('Tabell', [('Kommun', 2023, 1.5, True), ('Exempelby', None, None, None)])
"""

from __future__ import annotations

import io
import os
import re
from functools import lru_cache

__all__ = ["NotHandled", "SheetNotFound", "read_rows", "read_sheets"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DATE_SERIALS = (-600_000, 2_900_000)  # numbers openpyxl turns into dates without an error


class NotHandled(Exception):
    """The fast reader leaves (a part of) this workbook to openpyxl.

    Raised only with ``fallback=False``; the message says why.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from openpyxl import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = Workbook()
    ...     wb.active["A1"] = "=1+1"  # a formula without a cached value: fine
    ...     wb.save(Path(tmp) / "f.xlsx")
    ...     read_rows(Path(tmp) / "f.xlsx", fallback=False)
    ('Sheet', [(None,)])
    """


class SheetNotFound(KeyError):
    """:func:`read_rows` was asked for a sheet the workbook does not have.

    ``sheet`` is the name asked for, ``sheetnames`` the workbook's sheets (openpyxl's
    ``wb.sheetnames``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from openpyxl import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     Workbook().save(Path(tmp) / "b.xlsx")
    ...     try:
    ...         read_rows(Path(tmp) / "b.xlsx", "Totalt")
    ...     except SheetNotFound as err:
    ...         print(err, err.sheetnames)
    no sheet 'Totalt'; the workbook's sheets are ['Sheet'] ['Sheet']
    """

    def __init__(self, sheet: str, sheetnames: list[str]):
        super().__init__(sheet)
        self.sheet = sheet
        self.sheetnames = list(sheetnames)

    def __str__(self) -> str:
        return f"no sheet {self.sheet!r}; the workbook's sheets are {self.sheetnames}"


def read_rows(path: str | os.PathLike[str], sheet: str | None = None, *,
              fallback: bool = True) -> tuple[str, list[tuple]]:
    """``(sheet title, rows)`` of one sheet (default: the first worksheet), as openpyxl reads it.

    Parameters
    ----------
    path
        An ``.xlsx`` or ``.xlsm`` file.
    sheet
        The sheet's name; None for the first worksheet.
    fallback
        If False, raise :class:`NotHandled` where the fast reader would hand a part of the
        workbook to openpyxl (see the module docstring).

    Returns
    -------
    tuple of (str, list of tuple)
        The title and ``[tuple(row) for row in ws.iter_rows(values_only=True)]`` of openpyxl's
        read-only, data-only workbook.

    Raises
    ------
    SheetNotFound
        No sheet of that name.
    Exception
        Whatever openpyxl raises for a file it cannot read.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from openpyxl import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = Workbook()
    ...     wb.active.append(["a", 1])
    ...     wb.create_sheet("Andra").append([None, 2.5, "x"])
    ...     wb.save(Path(tmp) / "two.xlsx")
    ...     read_rows(Path(tmp) / "two.xlsx", "Andra")
    ('Andra', [(None, 2.5, 'x')])
    """
    try:
        with _Book(path, fallback) as book:
            if sheet is not None and sheet not in book.sheetnames:
                raise SheetNotFound(sheet, book.sheetnames)
            title, target = book.sheets[0] if sheet is None else book.sheets[book.sheetnames.index(sheet)]
            return title, book.rows(target)
    except SheetNotFound:
        raise
    except Exception as exc:  # noqa: BLE001  (the fallback rule)
        _left(exc, fallback)
    wb = _openpyxl(path)
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet not in wb.sheetnames:
            raise SheetNotFound(sheet, wb.sheetnames)
        else:
            ws = wb[sheet]
        return ws.title, [tuple(row) for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_sheets(path: str | os.PathLike[str], *, fallback: bool = True) -> list[tuple[str, list[tuple]]]:
    """``(title, rows)`` of every worksheet, in the workbook's order, as openpyxl reads them.

    Chart sheets are left out, as in openpyxl's ``wb.worksheets``; each sheet's rows are those
    of :func:`read_rows`.

    Parameters
    ----------
    path
        An ``.xlsx`` or ``.xlsm`` file.
    fallback
        If False, raise :class:`NotHandled` instead of handing a part to openpyxl.

    Returns
    -------
    list of (str, list of tuple)

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from openpyxl import Workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = Workbook()
    ...     wb.active.append(["a", 10**12])
    ...     _ = wb.create_sheet("Tom")
    ...     wb.save(Path(tmp) / "two.xlsx")
    ...     read_sheets(Path(tmp) / "two.xlsx", fallback=False)
    [('Sheet', [('a', 1000000000000)]), ('Tom', [])]
    """
    try:
        with _Book(path, fallback) as book:
            return [(title, book.rows(target)) for title, target in book.sheets]
    except Exception as exc:  # noqa: BLE001  (the fallback rule)
        _left(exc, fallback)
    wb = _openpyxl(path)
    try:
        return [(ws.title, [tuple(row) for row in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


# --------------------------------------------------------------------------- the workbook
def _need(ok: object, why: str) -> None:
    if not ok:
        raise NotHandled(why)


def _left(exc: Exception, fallback: bool) -> None:
    """Without ``fallback``, what the fast reader leaves to openpyxl is an error."""
    if not fallback:
        raise exc if isinstance(exc, NotHandled) else NotHandled(repr(exc)) from exc


def _openpyxl(path):
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True, data_only=True)


class _Book:
    """The parts of a workbook that openpyxl's ``load_workbook`` (read-only, data-only) reads
    for the values, read with openpyxl's own functions (but the shared strings, read fast)."""

    def __init__(self, path, fallback: bool):
        from openpyxl.packaging.manifest import Manifest
        from openpyxl.packaging.workbook import WorkbookPackage
        from openpyxl.reader.excel import _find_workbook_part, _validate_archive
        from openpyxl.reader.workbook import WorkbookParser
        from openpyxl.xml.constants import ARC_CONTENT_TYPES
        from openpyxl.xml.functions import fromstring

        self.archive = _validate_archive(path)
        try:
            self.valid = self.archive.namelist()
            package = Manifest.from_tree(fromstring(self.archive.read(ARC_CONTENT_TYPES)))  # read_manifest
            self.shared = self._strings(package, fallback)
            part = _find_workbook_part(package).PartName[1:]  # read_workbook, WorkbookParser.parse
            book = WorkbookPackage.from_tree(fromstring(self.archive.read(part)))
            _need(not book.externalReferences, "external links")
            self.date1904 = book.properties.date1904
            self._parts()
            parser = WorkbookParser.__new__(WorkbookParser)  # its find_sheets, without making a Workbook
            parser.archive, parser.workbook_part_name, parser.sheets = self.archive, part, book.sheets
            self.sheets: list[tuple[str, str]] = []  # read_worksheets
            for sheet, rel in parser.find_sheets():
                if rel.target in self.valid:
                    _need("chartsheet" not in rel.Type, "a chart sheet")
                    self.sheets.append((sheet.name, rel.target))
            self.sheetnames = [title for title, _ in self.sheets]
            self._dates = self._wb = None
        except BaseException:
            self.archive.close()
            raise

    def _parts(self) -> None:
        """What ``read_properties``, ``read_custom`` and ``read_theme`` read (for their errors)."""
        from openpyxl.packaging.core import DocumentProperties
        from openpyxl.packaging.custom import CustomPropertyList
        from openpyxl.xml.constants import ARC_CORE, ARC_CUSTOM, ARC_THEME
        from openpyxl.xml.functions import fromstring

        if ARC_CORE in self.valid:
            DocumentProperties.from_tree(fromstring(self.archive.read(ARC_CORE)))
        if ARC_CUSTOM in self.valid:
            CustomPropertyList.from_tree(fromstring(self.archive.read(ARC_CUSTOM)))
        if ARC_THEME in self.valid:
            self.archive.read(ARC_THEME)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.archive.close()

    def _strings(self, package, fallback: bool) -> list[str]:
        """``ExcelReader.read_strings``, plain strings read by :func:`_shared_strings`."""
        from openpyxl.reader.strings import read_string_table
        from openpyxl.xml.constants import SHARED_STRINGS

        ct = package.find(SHARED_STRINGS)
        if ct is None:
            return []
        try:
            return _shared_strings(self.archive.read(ct.PartName[1:]))
        except Exception as exc:  # noqa: BLE001  (the fallback rule)
            _left(exc, fallback)
        with self.archive.open(ct.PartName[1:]) as src:
            return read_string_table(src)

    def date_formats(self):
        """The cell styles that openpyxl's ``apply_stylesheet`` finds to be dates."""
        if self._dates is None:
            from openpyxl.styles.stylesheet import Stylesheet
            from openpyxl.xml.constants import ARC_STYLE
            from openpyxl.xml.functions import fromstring

            self._dates = {}
            if ARC_STYLE in self.valid:
                styles = Stylesheet.from_tree(fromstring(self.archive.read(ARC_STYLE)))
                if styles.cell_styles:
                    self._dates = styles.date_formats
        return self._dates

    def workbook(self):
        """An openpyxl workbook with this one's styles and epoch, as ``load_workbook`` makes it."""
        if self._wb is None:
            from openpyxl import Workbook
            from openpyxl.styles.stylesheet import apply_stylesheet
            from openpyxl.utils.datetime import CALENDAR_MAC_1904

            wb = Workbook()
            if self.date1904:
                wb.epoch = CALENDAR_MAC_1904
            wb._sheets, wb._data_only, wb._read_only = [], True, True
            apply_stylesheet(self.archive, wb)
            self._wb = wb
        return self._wb

    def rows(self, target: str) -> list[tuple]:
        return _fast_rows(self, target)


# --------------------------------------------------------------------------- XML
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml([^<>]*?)\?>)?[ \t\r\n]*")
_ENCODING = re.compile(rb"""encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']""")
_CONTROL = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32))  # bytes XML does not allow
_ATTR = r'"[^"<&]*"'
_WS = r"[ \t\r\n]"


def _prolog(data: bytes) -> int:
    """Where the first element starts; NotHandled for a DTD, comment, CDATA, processing
    instruction, another encoding than UTF-8 or characters XML does not allow."""
    m = _PROLOG.match(data)
    decl = m[1]
    # (a search for one byte is fast; the exact search only where the byte occurs)
    _need((b"!" not in data or b"<!" not in data) and (data.find(b"?", m.end()) < 0 or data.find(b"<?", m.end()) < 0),
          "DTD, comment, CDATA or PI")
    enc = _ENCODING.search(decl) if decl is not None else None
    _need(enc is None or enc[1].lower() == b"utf-8", "encoding")
    _need(len(data.translate(None, _CONTROL)) == len(data) and (b"]" not in data or b"]]>" not in data)
          and (data.find(b"\xef", 3) < 0 or (b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data)),
          "characters")
    return m.end()


def _unescape(text: str) -> str:
    """The text as the XML parser gives it (entities, character references, line ends)."""
    if "&" in text or "\r" in text:
        from xml.etree.ElementTree import fromstring

        return fromstring(("<t>" + text + "</t>").encode("utf-8")).text or ""
    return text


@lru_cache(maxsize=8)
def _strings_rx(p: str) -> re.Pattern[str]:
    p = re.escape(p)
    return re.compile(rf'<{p}si><{p}t(?: xml:space="preserve")?>([^<]*)</{p}t></{p}si>|<{p}si><{p}t{_WS}*/></{p}si>'
                      rf"|({_WS}+)|([\s\S])")


def _shared_strings(data: bytes) -> list[str]:
    """openpyxl's ``read_string_table`` for a table of plain strings; NotHandled for any other."""
    from xml.etree.ElementTree import fromstring

    start = _prolog(data)
    m = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sst(?:[ \t\r\n][^<>]*)?>").match(data, start)
    _need(m and not m[0].endswith(b"/>"), "shared strings root")
    p = m[1] + b":" if m[1] else b""
    close = b"</" + p + b"sst>"
    end = len(data.rstrip(b" \t\r\n")) - len(close)
    _need(data[end:].rstrip(b" \t\r\n") == close, "shared strings end")
    root = fromstring(data[:m.end()] + close)
    _need(root.tag == f"{{{_MAIN}}}sst", "shared strings namespace")
    content = data[m.end():end].decode("utf-8")
    out = []
    for text, space, junk in _strings_rx(p.decode()).findall(content):
        _need(not junk, "rich text or another form")
        if not space:
            out.append(text)
    if "&" in content or "\r" in content:
        out = [_unescape(t) for t in out]
    return [t.replace("x005F_", "") for t in out]


@lru_cache(maxsize=8)
def _sheet_rx(p: str) -> re.Pattern[str]:
    """Tokens of <sheetData>: a cell (groups 1-6), or (group 7) a row start (8-11), a row end,
    white space or anything else (12). An inline string (6) starts with the ">" of its <t>."""
    p = re.escape(p)
    return re.compile(
        rf'<{p}c(?: r="([A-Za-z]{{1,3}})[0-9]+")?(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?'
        rf"(?: cm={_ATTR})?(?: vm={_ATTR})?(?: ph={_ATTR})?{_WS}*(?:/>|>"
        rf"(?:<{p}f((?: [A-Za-z_][\w.-]*={_ATTR})*){_WS}*(?:/>|>(?:[^<&]|&(?:amp|lt|gt|quot|apos);)*</{p}f>))?"
        rf"(?:<{p}v>([^<]*)</{p}v>|<{p}v{_WS}*/>)?"
        rf'(?:<{p}is><{p}t(?: xml:space="preserve")?(>[^<]*)</{p}t></{p}is>)?</{p}c>)'
        rf'|((<{p}row)(?: r="([0-9]+)")?((?: [A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?={_ATTR})*){_WS}*(/?)>'
        rf"|</{p}row>|{_WS}+|([\s\S]))"
    )


_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData([ \t\r\n]*/?)>")


def _split_sheet(data: bytes) -> tuple[str, bytes, str]:
    """(namespace prefix, the sheet with an empty <sheetData/>, the text inside <sheetData>)."""
    _prolog(data)
    n, k = data.count(b"sheetData"), data.find(b"sheetData")
    m = _SHEET_DATA.match(data, data.rfind(b"<", 0, k)) if k > 0 else None
    _need(m and n == (1 if m[2].strip() else 2), "sheetData")
    p = m[1] + b":" if m[1] else b""
    if m[2].strip():  # <sheetData/>
        return p.decode(), data, ""
    close = b"</" + p + b"sheetData>"
    j = data.find(close, m.end())
    _need(j > 0, "sheetData end")
    return p.decode(), data[:m.start()] + b"<" + p + b"sheetData/>" + data[j + len(close):], data[m.end():j].decode()


def _check_rest(stripped: bytes, shared: list) -> dict[str, str]:
    """Let openpyxl parse the sheet without its rows; the namespace prefixes of the root."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.worksheet._reader import WorkSheetParser

    prefixes: dict[str, str] = {"xml": "http://www.w3.org/XML/1998/namespace"}
    started, found = False, []
    for event, obj in iterparse(io.BytesIO(stripped), events=("start-ns", "start")):
        if event == "start-ns":
            if not started:
                prefixes.setdefault(*obj)
        else:
            started = True
            if obj.tag.rpartition("}")[2] == "sheetData":
                found.append(obj.tag)
    _need(found == [f"{{{_MAIN}}}sheetData"], "sheetData namespace")
    for _ in WorkSheetParser(io.BytesIO(stripped), shared, data_only=True).parse():
        raise NotHandled("a row outside sheetData")
    return prefixes


def _check_attrs(attrs: str, prefixes: dict[str, str] | None) -> None:
    """Attributes beyond r, s, t: no namespace declarations, no duplicates, declared prefixes."""
    seen = set()
    for name in re.findall(r' ([^\s="]+)="[^"]*"', attrs):
        pre, _, local = name.rpartition(":")
        _need(name != "r" and not name.startswith("xmlns") and (not pre or (prefixes and pre in prefixes)),
              f"attribute {name}")
        key = (prefixes[pre] if pre else None, local)
        _need(key not in seen, f"attribute {name} twice")
        seen.add(key)


# --------------------------------------------------------------------------- the rows
def _fast_rows(book: _Book, target: str) -> list[tuple]:
    """openpyxl's ``ReadOnlyWorksheet._get_size``, ``_cells_by_row`` and ``_get_row``, and
    ``WorkSheetParser.parse_row`` and ``parse_cell`` (data only, values only) over the tokens
    of <sheetData>."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import WorkSheetParser

    p, stripped, content = _split_sheet(book.archive.read(target))
    shared = book.shared
    prefixes = _check_rest(stripped, shared)
    # the dimensions: what openpyxl finds before the end of <sheetData>, the same without the rows
    dims = WorkSheetParser(io.BytesIO(stripped), []).parse_dimensions()
    max_col, max_row = (dims[2], dims[3]) if dims is not None else (None, None)
    dates = None  # the date styles, read at the first number
    unescape = _unescape if ("&" in content or "\r" in content) else None
    empty = () if max_col is None else (None,) * (max_col + 1 - 1)
    cols: dict[str, int] = {}
    checked: set[str] = set()
    out: list[tuple] = []
    fix: list[int] = []  # rows holding dates, still to convert
    pending: dict[tuple, None] = {}
    counter, stopped, in_row, row_counter = 1, False, False, 0
    cells: list = []  # (column, value), without a dimension
    new: list = []  # the row, with a dimension
    cc, has_dates = 0, False
    for col, s, t, fattrs, v, istext, other, rowtag, rr, rattrs, slash, junk in _sheet_rx(p).findall(content):
        if other:  # not a cell
            if junk:
                raise NotHandled("an element or attribute in another form")
            if rowtag:
                if in_row:
                    raise NotHandled("a row in a row")
                if rattrs and rattrs not in checked:
                    _check_attrs(rattrs, prefixes)
                    checked.add(rattrs)
                row_counter = int(rr) if rr else row_counter + 1
                cc, has_dates = 0, False
                if max_col:
                    new = [None] * max_col
                else:
                    cells = []
                if not slash:
                    in_row = True
                    continue
            elif other[0] == "<":  # </row>
                if not in_row:
                    raise NotHandled("a row end outside a row")
                in_row = False
            else:  # white space
                continue
            # the row is complete: ReadOnlyWorksheet._cells_by_row and _get_row
            idx = row_counter
            if stopped:
                continue
            if max_row is not None and idx > max_row:
                stopped = True
                continue
            while counter < idx:
                out.append(empty)
                counter += 1
            if counter <= idx:
                if has_dates:
                    fix.append(len(out))
                if max_col:
                    out.append(tuple(new))
                elif not cells:
                    out.append(())
                else:
                    row = [None] * cells[-1][0]
                    for c, value in cells:
                        if c <= len(row):
                            row[c - 1] = value
                    out.append(tuple(row))
                counter += 1
            continue
        # a cell: WorkSheetParser.parse_cell
        if not in_row:
            raise NotHandled("a cell outside a row")
        if col:
            cc = cols.get(col) or cols.setdefault(col, coordinate_to_tuple(col + "1")[1])
        else:
            cc += 1
        if fattrs and fattrs not in checked:
            _check_attrs(fattrs, None)
            checked.add(fattrs)
        if t == "inlineStr":
            value = (unescape(istext[1:]) if unescape else istext[1:]) if istext else None
        elif v:
            value = unescape(v) if unescape else v
            if not t or t == "n":
                value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                if dates is None:
                    dates = book.date_formats()
                if dates and (style := int(s) if s else 0) in dates:
                    _need(_DATE_SERIALS[0] < value < _DATE_SERIALS[1], "a date out of range")
                    value = (style, type(value), value)
                    pending[value] = None
                    has_dates = True
            elif t == "s":
                value = shared[int(value)]
            elif t == "b":
                value = bool(int(value))
            elif t == "d":
                raise NotHandled("a date cell")
        else:
            value = None
        if max_col:
            if cc <= max_col:
                new[cc - 1] = value
        else:
            cells.append((cc, value))
    _need(not in_row, "a row without end")
    if stopped:
        out.extend([empty] * len(range(counter, max_row + 1)))
    if pending:
        conv = _openpyxl_values(book.workbook(), list(pending))
        for i in fix:
            out[i] = tuple(conv[x] if type(x) is tuple else x for x in out[i])
    return out


@lru_cache(maxsize=1)
def _cells_sheet():
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Cells(ReadOnlyWorksheet):
        """openpyxl's own read-only worksheet over the XML given."""

        def __init__(self, parent, xml: bytes):
            self._xml = xml
            super().__init__(parent, "cells", "", [])

        def _get_source(self):
            return io.BytesIO(self._xml)

    return Cells


def _openpyxl_values(wb, keys: list[tuple]) -> dict[tuple, object]:
    """What openpyxl makes of number cells (style, type, number) of ``wb``: one cell a row."""
    body = "".join(f'<row r="{i}"><c r="A{i}" s="{s}"><v>{v!r}</v></c></row>'
                   for i, (s, _type, v) in enumerate(keys, start=1))
    xml = f'<worksheet xmlns="{_MAIN}"><sheetData>{body}</sheetData></worksheet>'.encode()
    rows = list(_cells_sheet()(wb, xml).iter_rows(values_only=True))
    _need(len(rows) == len(keys), "date conversion")
    return {k: row[0] for k, row in zip(keys, rows)}
