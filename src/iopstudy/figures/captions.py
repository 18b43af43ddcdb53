"""Figure notes as captions: burned into slides, written next to the paper figure.

A journal sets its own captions under a figure; text burned into the image duplicates them, in
the wrong font and size. A slide has no caption, so there the note belongs in the image. The
house rule, implemented by :class:`FigureWriter`:

* **paper** (``{name}_paper_{lang}.png/.pdf/.svg``): the image carries no note; the note is
  written as a caption next to it, ``{name}_paper_{lang}.caption.txt`` (one paragraph, the
  notes as sentences), and the notebook shows it under the figure;
* **slide** (``{name}_slide_{lang}.*``): the note is burned into the image, as before.

``caption="none"`` burns the notes into both versions (the behaviour of
:func:`iopstudy.figures.figure_pair`), ``caption="all"`` into neither (captions for both).
The plot functions are unchanged: they draw their notes as always, and the writer takes the
note off the figure it saves with a caption.

=========================  ===================================================
FigureWriter               draw, save (paper + slide) and show a figure, with captions
figure_writer              a FigureWriter for a notebook (:class:`iopstudy.notebook.Notebook`)
caption_text               the notes of a drawn figure as one caption paragraph
strip_note                 take the burned-in note off a figure (the layout is restored)
freeze_layout              solve a figure's layout once, not at every save
remember_notes             record the notes a plot function burns in (for the caption)
=========================  ===================================================
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from matplotlib.figure import Figure

__all__ = ["FigureWriter", "figure_writer", "caption_text", "strip_note", "freeze_layout", "remember_notes",
           "CAPTION_SUFFIX"]

#: Suffix of the caption file written next to a figure.
CAPTION_SUFFIX = ".caption.txt"

Mode = Literal["paper", "none", "all"]


def remember_notes(fig: Figure, notes: Sequence[str]) -> Figure:
    """Record the notes a plot function burns into ``fig``, so a caption can use them verbatim.

    Empty notes are left out; the figure is returned.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig = remember_notes(plt.figure(), ["Partial register", "", None])
    >>> fig._iopstudy_notes
    ['Partial register']
    >>> plt.close(fig)
    """
    fig._iopstudy_notes = [str(n) for n in notes if n]  # type: ignore[attr-defined]
    return fig


def caption_text(fig: Figure, known: Sequence[str] | None = None) -> str:
    """The notes of a drawn figure as one paragraph (each note a sentence).

    Uses the notes recorded by :func:`remember_notes`, else the text of the burned-in note
    (:func:`iopstudy.figures.add_note`) with its line breaks removed; ``known`` (the notes
    passed to the plot function, which it burns in first) then splits that text into notes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig = remember_notes(plt.figure(), ["Partial register", "Bands: 95% intervals."])
    >>> caption_text(fig)
    'Partial register. Bands: 95% intervals.'
    """
    notes = getattr(fig, "_iopstudy_notes", None)
    if notes is None:
        txt = getattr(fig, "_iopstudy_note", None)
        flat = " ".join(txt.get_text().split()) if txt is not None else ""
        notes = []
        for k in known or []:
            k = " ".join(str(k).split())
            if k and flat.startswith(k):
                notes.append(k)
                flat = flat[len(k):].strip()
        if flat:
            notes.append(flat)
    out = []
    for n in notes:
        n = " ".join(str(n).split())
        if n:
            out.append(n if n.endswith((".", "!", "?")) else n + ".")
    return " ".join(out)


def strip_note(fig: Figure) -> bool:
    """Remove the note :func:`iopstudy.figures.add_note` burned in, and give the axes its room.

    Returns True if there was a note and it was removed. A figure with a fixed layout (the
    maps: no layout engine that can take the room back) keeps its note and returns False.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from iopstudy.figures.base import add_note
    >>> fig, ax = plt.subplots(layout="constrained")
    >>> _ = add_note(fig, "Partial register")
    >>> strip_note(fig), strip_note(fig)
    (True, False)
    >>> plt.close(fig)
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    txt = getattr(fig, "_iopstudy_note", None)
    if txt is None:
        return False
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, ConstrainedLayoutEngine):
        return False  # a fixed layout made room for the note: it stays
    txt.remove()
    fig._iopstudy_note = None  # type: ignore[attr-defined]
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, 0, 1, 1))
    return True


def freeze_layout(fig: Figure) -> Figure:
    """Run the figure's layout engine once and keep the result for every later save.

    Constrained layout is solved again at each ``savefig`` (and twice for some formats); a
    figure saved as PNG, PDF and SVG pays for it three to six times. Drawing once and then
    switching the engine off keeps the positions and removes the repeats.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(layout="constrained")
    >>> freeze_layout(fig).get_layout_engine().__class__.__name__
    'PlaceHolderLayoutEngine'
    >>> plt.close(fig)
    """
    if fig.get_layout_engine() is not None:
        # the layout without rasterising: the same text extents (Agg at the figure's dpi) as a
        # full draw, so the saved files are byte-identical to those of ``fig.canvas.draw()``
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    return fig


class FigureWriter:
    """Draw a figure for paper and slides, save PNG, PDF and SVG, write captions, show it.

    Parameters
    ----------
    prefix
        Prefix of every file name (the notebook's number, ``"02"``).
    lang
        ``"en"`` or ``"sv"``.
    out_dir
        Folder of the figures (``reports/figures``).
    caption
        ``"paper"`` (default: captions for the paper version, notes burned into slides),
        ``"none"`` or ``"all"``.
    show
        Show the paper PNG (and its caption) in Jupyter.
    width
        Width in pixels at which the PNG is shown.
    freeze_layout
        Solve the layout once per figure (:func:`freeze_layout`) instead of at every save.
    formats
        Formats per preset, as for :func:`iopstudy.figures.base.figure_formats` (default
        :data:`iopstudy.figures.base.FIGURE_FORMATS`; ``"all"`` for PNG, PDF and SVG of both).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import tempfile, pandas as pd
    >>> from iopstudy.figures import plot_coef
    >>> coef = pd.DataFrame({"term": ["x"], "ratio": [2.0], "ratio_ci_low": [1.5], "ratio_ci_high": [2.7]})
    >>> out = Path(tempfile.mkdtemp())
    >>> w = FigureWriter("99", "en", out, show=False)
    >>> paths = w(plot_coef, "coef", coef, note="Partial register", formats=("png",))
    >>> sorted(p.name for p in paths)
    ['99_coef_paper_en.caption.txt', '99_coef_paper_en.png', '99_coef_slide_en.png']
    >>> (out / "99_coef_paper_en.caption.txt").read_text(encoding="utf-8")[:17]
    'Partial register.'
    """

    def __init__(
        self,
        prefix: str,
        lang: str,
        out_dir: str | os.PathLike[str],
        *,
        caption: Mode = "paper",
        show: bool = True,
        width: int = 760,
        freeze_layout: bool = True,
        formats: Any = None,
    ) -> None:
        if caption not in ("paper", "none", "all"):
            raise ValueError(f"caption must be 'paper', 'none' or 'all', not {caption!r}")
        self.prefix = str(prefix)
        self.lang = lang
        self.out_dir = Path(out_dir)
        self.caption = caption
        self.show = show
        self.width = width
        self.freeze_layout = freeze_layout
        self.formats = formats
        self.captions: dict[str, str] = {}

    def __call__(
        self,
        plot_fn: Callable[..., Figure],
        name: str,
        *args: Any,
        caption: Mode | None = None,
        show: bool | None = None,
        **kw: Any,
    ) -> list[Path]:
        """Draw ``plot_fn(*args, lang=…, preset=…, **kw)`` for paper and slide and save both.

        ``presets``, ``formats`` and ``dpi`` in ``kw`` go to :func:`iopstudy.figures.figure_pair`
        (default: each preset at its own resolution, :data:`iopstudy.figures.base.PRESET_DPI`).
        Returns every file written, captions included.
        """
        from iopstudy.figures.base import figure_pair, note_text

        mode = caption or self.caption
        stem = f"{self.prefix}_{name}"
        texts: dict[str, str] = {}

        def draw(*a: Any, lang: str, preset: str, **k: Any) -> Figure:
            fig = plot_fn(*a, lang=lang, preset=preset, **k)
            if mode == "all" or (mode == "paper" and preset == "paper"):
                text = caption_text(fig, note_text(k.get("note")))
                stripped = strip_note(fig)
                # a note that stays burned in (a fixed layout) needs no caption beside it
                if stripped or (text and getattr(fig, "_iopstudy_note", None) is None):
                    texts[preset] = text
            if self.freeze_layout:
                freeze_layout(fig)
            return fig

        kw.setdefault("formats", self.formats)
        paths = figure_pair(draw, stem, self.lang, *args, out_dir=self.out_dir, **kw)
        for preset, text in texts.items():
            path = self.out_dir / f"{stem}_{preset}_{self.lang}{CAPTION_SUFFIX}"
            path.write_text(text + "\n", encoding="utf-8")
            paths.append(path)
        self.captions[name] = texts.get("paper", "")
        if self.show if show is None else show:
            self._display(paths, texts.get("paper", ""))
        return paths

    def _display(self, paths: Sequence[Path], text: str) -> None:
        from IPython.display import Image, Markdown, display

        png = [p for p in paths if p.suffix == ".png" and "_paper_" in p.name]
        if png:
            display(Image(filename=str(png[0]), width=self.width))
        if text:
            display(Markdown(f"*{text}*"))


def figure_writer(nb: Any, *, caption: Mode = "paper", show: bool = True) -> FigureWriter:
    """A :class:`FigureWriter` for a notebook: its number, language and ``reports/figures``.

    ``nb`` is an :class:`iopstudy.notebook.Notebook` (anything with ``number``, ``lang`` and
    ``fig_dir``; its ``formats``, when it has them, are the writer's).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> nb = SimpleNamespace(number="02", lang="sv", fig_dir=Path("reports/figures"), formats="all")
    >>> w = figure_writer(nb, show=False)
    >>> w.prefix, w.lang, w.caption, w.formats
    ('02', 'sv', 'paper', 'all')
    """
    return FigureWriter(
        nb.number, nb.lang, nb.fig_dir, caption=caption, show=show, formats=getattr(nb, "formats", None)
    )
