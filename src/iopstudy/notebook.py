"""What the notebooks' set-up cell does, in one call.

Every notebook starts with a ``parameters`` cell (``lang``, ``data_dir``, ``reports_dir``; papermill
injects other values there) and then one line::

    nb = setup("02", lang, data_dir, reports_dir)

:func:`setup` sets the house style for figures and pandas' display options, makes every
:class:`~iopstudy.errors.StatisticalWarning` visible, loads the processed tables (building them
first when they are missing or older than the raw data) and returns a :class:`Notebook`: the
tables, the note every figure and table carries, number formatters in the notebook's language,
and :meth:`Notebook.save` / :meth:`Notebook.figure`, which write tables and figures to
``reports/`` under the notebook's number.

Examples
--------
>>> nb = Notebook("99", "sv", data_dir="data", reports_dir="reports", kind="none")
>>> nb.num(1234.5, 1), nb.pct(0.25), nb.pval(0.0004)
('1\\xa0234,5', '25\\xa0%', 'p < 0,001')
>>> nb.table_name("by_level")
'99_by_level_sv'
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from iopstudy.errors import StatisticalWarning
from iopstudy.labels import check_lang, format_number, format_percent, label

__all__ = ["Notebook", "setup", "FIGURE_WIDTH"]

#: Width (pixels) at which the paper version of a figure is shown in the notebook.
FIGURE_WIDTH = 760

_DISPLAY = {"display.max_colwidth": 110, "display.width": 170, "display.max_rows": 80}


class Notebook:
    """The state a notebook shares between its cells.

    Parameters
    ----------
    number
        The notebook's number (``"01"``); it prefixes every table and figure it writes.
    lang
        ``"en"`` or ``"sv"``: labels of figures and tables, and number formats.
    data_dir, reports_dir
        The study's ``data/`` folder and the folder for generated figures and tables.
    kind
        ``"register"`` loads the register's processed tables (:attr:`study`, :attr:`note`),
        ``"interviews"`` the interview tables (:attr:`interviews`, :attr:`note` is the
        illustrative-data note when the corpus is fictional), ``"none"`` nothing.
    formats
        The figure formats of :meth:`figure` (:func:`iopstudy.figures.base.figure_formats`):
        ``None`` for PNG and PDF of the paper version, ``"all"`` for the paper version and
        the 16:9 slide version in PNG, PDF and SVG.

    Examples
    --------
    >>> nb = Notebook("03", "en", data_dir="data", reports_dir="out", kind="none", formats="all")
    >>> nb.table_name("areas"), nb.fig_dir.as_posix(), nb.formats
    ('03_areas_en', 'out/figures', 'all')
    """

    def __init__(
        self,
        number: str,
        lang: str = "en",
        data_dir: str | os.PathLike[str] = "../data",
        reports_dir: str | os.PathLike[str] = "../reports",
        *,
        kind: Literal["register", "interviews", "none"] = "register",
        formats: Any = None,
    ) -> None:
        self.number = str(number)
        self.lang = check_lang(lang)
        self.data = Path(data_dir)
        self.reports = Path(reports_dir)
        self.fig_dir = self.reports / "figures"
        self.tab_dir = self.reports / "tables"
        self.kind = kind
        self.formats = formats
        self.study: Any = None
        self.interviews: Any = None
        self.notes: list[str] = []
        if kind == "register":
            from iopstudy.register.study import load_study_data

            self.study = load_study_data(self.data)
            self.notes = [self.study.note(self.lang)]
        elif kind == "interviews":
            from iopstudy.interviews.build import load_interview_tables
            from iopstudy.interviews.themes import illustrative_note

            self.interviews = load_interview_tables(
                self.data / "processed", corpus_dir=self.data / "raw" / "interviews"
            )
            if bool(self.interviews.interviews["illustrative"].all()):
                self.notes = [illustrative_note(self.lang)]

    # ------------------------------------------------------------------ text
    @property
    def note(self) -> str:
        """The first note (the partial-register or illustrative-data note), or ``""``."""
        return self.notes[0] if self.notes else ""

    def num(self, x: Any, decimals: int = 0) -> str:
        """A number in the notebook's language (:func:`iopstudy.labels.format_number`)."""
        return format_number(x, self.lang, decimals)

    def pct(self, x: Any, decimals: int = 0) -> str:
        """A share as a percentage (:func:`iopstudy.labels.format_percent`)."""
        return format_percent(x, self.lang, decimals)

    def pval(self, p: float) -> str:
        """A p-value as text: ``"p < 0.001"`` below 0.001, else ``"p = 0.042"``."""
        return "p < " + self.num(0.001, 3) if p < 0.001 else "p = " + self.num(p, 3)

    def label(self, key: str, **fields: Any) -> str:
        """A label of :data:`iopstudy.labels.LABELS` in the notebook's language."""
        return label(key, self.lang, **fields)

    # ------------------------------------------------------------------ output
    def table_name(self, name: str) -> str:
        """The file stem of a table or figure: ``"{number}_{name}_{lang}"``."""
        return f"{self.number}_{name}_{self.lang}"

    def save(self, df: Any, name: str, *, note: Any = "default", **kw: Any) -> list[Path]:
        """Save a table as CSV, XLSX, Markdown and LaTeX in ``reports/tables``.

        ``note`` defaults to the notebook's first note (none for the interview notebook,
        whose tables carry their own); pass ``note=None`` for none.
        """
        from iopstudy.tables import save_table

        if isinstance(note, str) and note == "default":
            note = self.note if self.kind == "register" else None
        return save_table(df, self.table_name(name), out_dir=self.tab_dir, lang=self.lang, note=note, **kw)

    def figure(self, plot_fn: Callable[..., Any], name: str, *args: Any, show: bool = True, **kw: Any) -> list[Path]:
        """Draw a figure for paper and 16:9 slides, save it in :attr:`formats`, show the paper PNG.

        The figure's note becomes a caption file next to the paper version and stays burned
        into the slide (:class:`iopstudy.figures.captions.FigureWriter`).
        """
        from iopstudy.figures.captions import figure_writer

        return figure_writer(self, show=show)(plot_fn, name, *args, **kw)

    @staticmethod
    def show(paths: Sequence[Path]) -> None:
        """Show the paper PNG among ``paths`` in the notebook."""
        from IPython.display import Image, display

        png = [p for p in paths if p.suffix == ".png" and "_paper_" in p.name]
        if png:
            display(Image(filename=str(png[0]), width=FIGURE_WIDTH))

    @staticmethod
    def md(text: str) -> None:
        """Show Markdown text in the notebook."""
        from IPython.display import Markdown, display

        display(Markdown(text))


def setup(
    number: str,
    lang: str = "en",
    data_dir: str | os.PathLike[str] = "../data",
    reports_dir: str | os.PathLike[str] = "../reports",
    *,
    kind: Literal["register", "interviews", "none"] = "register",
    formats: Any = None,
) -> Notebook:
    """Set up a notebook: figure style, display options, warnings, and the processed tables.

    Parameters
    ----------
    number, lang, data_dir, reports_dir, kind, formats
        As for :class:`Notebook`.

    Returns
    -------
    Notebook
        With :attr:`Notebook.study` (register notebooks) or :attr:`Notebook.interviews`
        (the interview notebook) loaded.

    Examples
    --------
    >>> nb = setup("01", "en", "data", "reports")  # doctest: +SKIP
    >>> nb.study.partnerships.shape  # doctest: +SKIP
    (80, 44)
    """
    import pandas as pd

    from iopstudy.figures.base import set_style

    for k, v in _DISPLAY.items():
        pd.set_option(k, v)
    set_style(lang, "paper")
    warnings.simplefilter("always", StatisticalWarning)
    warnings.formatwarning = _warning_text
    nb = Notebook(number, lang, data_dir, reports_dir, kind=kind, formats=formats)
    if kind == "register":
        print("Processed tables built in this run:", nb.study.built)
        print(nb.note)
    return nb


def _warning_text(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  line: str | None = None) -> str:
    """A warning as the notebooks show it: the module that warned instead of its file's path.

    The default format starts with the absolute path of the file and repeats its source line,
    so an executed notebook would depend on where the package is installed.

    >>> _warning_text("few events", UserWarning, __file__, 7)
    'iopstudy.notebook:7: UserWarning: few events\\n'
    >>> _warning_text("x", FutureWarning, "/tmp/ipykernel_1/2.py", 3)
    'FutureWarning: x\\n'
    """
    where = _module_of(filename)
    return f"{where}:{lineno}: " * bool(where) + f"{category.__name__}: {message}\n"


@functools.lru_cache(maxsize=256)
def _module_of(filename: str) -> str:
    """The name of the imported module whose file is ``filename`` ("" if there is none)."""
    target = os.path.normcase(os.path.abspath(filename))
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and os.path.normcase(os.path.abspath(file)) == target:
            return name
    return ""
