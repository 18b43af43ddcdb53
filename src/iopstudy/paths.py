"""Where the data lives: the data shipped inside the package, and the folders of a study.

Two kinds of place, never the current directory by accident:

* **Packaged data.** The reference data (the 290 municipalities, the 21 counties, the official
  source files), the policy-area vocabulary, the published counts, the example register, the
  fictional interview corpus and the notebooks ship inside the package (``iopstudy/data/``) and
  are found with :mod:`importlib.resources`. :data:`PACKAGED_DATA` lists them with the place in
  the repository they are copied from when the wheel is built (``setup.py`` reads that table):
  the repository's ``data/raw/`` stays the one copy, and a loader called without a folder reads
  the packaged copy. In a checkout (an editable install) the package has no copy and
  :func:`packaged_data` reads the repository's files in place.
* **A study folder**: a folder made by ``iopstudy init`` (it holds ``iopstudy.toml``) or a
  checkout of this repository, with ``data/raw/``, ``data/processed/``, ``notebooks/`` and
  ``reports/``. :func:`project_root` finds the one the current directory is in (or the one
  ``IOPSTUDY_ROOT`` names) and raises :class:`~iopstudy.errors.InputError` outside one;
  :func:`raw_dir`, :func:`processed_dir` and :func:`reports_dir` give its folders.

Examples
--------
>>> (packaged_data("raw/reference") / "municipalities.csv").is_file()
True
>>> sorted(PACKAGED_DATA)[:2]
['notebooks', 'raw/interviews']
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from iopstudy.errors import InputError

__all__ = [
    "PACKAGED_DATA",
    "STUDY_FILE",
    "packaged_data",
    "packaged_files",
    "data_folder",
    "is_study_folder",
    "find_project_root",
    "project_root",
    "data_dir",
    "raw_dir",
    "processed_dir",
    "reports_dir",
    "REGISTER_NAMES",
    "register_file",
]

PathLike = str | os.PathLike[str]

#: The data shipped inside the package: name under ``iopstudy/data/`` -> where it is in the
#: repository. ``setup.py`` copies these into the wheel (it reads this literal without importing
#: the package, so keep it a plain dict of strings). Hidden files, ``private`` folders and
#: ``*.salt`` files are never copied.
PACKAGED_DATA: dict[str, str] = {
    "raw/reference": "data/raw/reference",
    "raw/literature": "data/raw/literature",
    "raw/register/policy_areas.yml": "data/raw/register/policy_areas.yml",
    "raw/register/iop_register.csv": "data/raw/register/iop_register.csv",
    "raw/register/SOURCES.md": "data/raw/register/SOURCES.md",
    "raw/register/partner_aliases.csv": "data/raw/register/partner_aliases.csv",
    "raw/interviews": "data/raw/interviews",
    "notebooks": "notebooks",
}

#: The file that marks a folder made by ``iopstudy init`` as a study folder.
STUDY_FILE = "iopstudy.toml"

#: File names of a study's raw register in ``data/raw/register/``, in the order they are tried.
REGISTER_NAMES = ("iop_register.csv", "iop_register.xlsx")

_NEVER_PACKAGED = ("private",)


def _skipped(rel_parts: tuple[str, ...]) -> bool:
    """Whether a file (given by its parts below a packaged folder) stays out of the package."""
    return any(
        p.startswith(".") or p in _NEVER_PACKAGED or p == "__pycache__" for p in rel_parts
    ) or rel_parts[-1].endswith((".salt", ".pyc"))


def _checkout_root() -> Path | None:
    """The repository this module runs from, when it runs from a checkout (not a wheel)."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "src" / "iopstudy").is_dir():
        return root
    return None


def _installed_data() -> Path:
    base = resources.files("iopstudy").joinpath("data")
    try:
        return Path(os.fspath(base))  # type: ignore[arg-type]
    except TypeError:  # pragma: no cover - a zipped install
        raise InputError(
            "iopstudy is installed inside an archive; its data needs a normal install "
            "(pip install iopstudy)",
            file=str(base),
        ) from None


def packaged_data(name: str) -> Path:
    """The path of a data item shipped with iopstudy.

    Parameters
    ----------
    name
        A key of :data:`PACKAGED_DATA`, e.g. ``"raw/reference"`` or ``"notebooks"``.

    Returns
    -------
    pathlib.Path
        The file or folder inside the installed package (``iopstudy/data/<name>``) or, when
        iopstudy runs from a checkout, the repository's own file (``data/raw/...``).

    Raises
    ------
    InputError
        If the item is missing (a damaged install); the message names the place looked in.

    Examples
    --------
    >>> packaged_data("raw/register/policy_areas.yml").name
    'policy_areas.yml'
    """
    if name not in PACKAGED_DATA:
        raise InputError(f"unknown packaged data {name!r}; known: {sorted(PACKAGED_DATA)}")
    inside = _installed_data() / name
    if inside.exists():
        return inside
    root = _checkout_root()
    if root is not None and (root / PACKAGED_DATA[name]).exists():
        return root / PACKAGED_DATA[name]
    raise InputError(
        "the data shipped with iopstudy is missing (a damaged install?): reinstall iopstudy, "
        "or pass the folder of your own data",
        file=str(inside),
    )


def packaged_files(name: str) -> list[tuple[str, Path]]:
    """Every file of a packaged item, as (path relative to ``iopstudy/data/``, source path).

    Hidden files, ``private`` folders, ``*.salt`` and ``__pycache__`` are left out (interview
    transcripts in ``private/`` are personal data and never leave the machine). For
    ``"notebooks"`` only ``*.ipynb`` files count.

    Examples
    --------
    >>> [rel for rel, _ in packaged_files("raw/literature")][:1]
    ['raw/literature/SOURCES.md']
    """
    src = packaged_data(name)
    if src.is_file():
        return [(name, src)]
    out = []
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src).parts
        if not p.is_file() or _skipped(rel):
            continue
        if name == "notebooks" and p.suffix != ".ipynb":
            continue
        out.append(("/".join((name, *rel)), p))
    return out


def _packaged_folder(subdir: str, marker: str) -> Path:
    key = f"raw/{subdir}/{marker}"
    return packaged_data(key).parent if key in PACKAGED_DATA else packaged_data(f"raw/{subdir}")


def data_folder(
    folder: PathLike | None,
    marker: str,
    subdir: str,
    *,
    what: str,
) -> Path:
    """The folder holding ``marker``: in or below ``folder``, or the packaged one.

    Parameters
    ----------
    folder
        Where the user keeps their own data: the folder itself, its parent, ``data/raw`` or
        the study folder (``subdir`` is looked for below each). ``None`` uses the data
        shipped with iopstudy.
    marker
        A file that must be in the folder, e.g. ``"municipalities.csv"``.
    subdir
        The name of the folder below ``data/raw``, e.g. ``"reference"``; the packaged
        ``raw/<subdir>`` (or the folder of ``raw/<subdir>/<marker>``) is the default.
    what
        Words for the error message ("reference data").

    Raises
    ------
    InputError
        ``marker`` is not in or below ``folder``; the message names both the folder and the
        packaged data that ``folder=None`` would use.

    Examples
    --------
    >>> data_folder(None, "counties.csv", "reference", what="reference data").name
    'reference'
    """
    if folder is None:
        found = _packaged_folder(subdir, marker)
        if not (found / marker).is_file():
            raise InputError(f"{marker} is missing from the {what} shipped with iopstudy", file=str(found))
        return found
    p = Path(folder)
    tried = [p, p / subdir, p / "raw" / subdir, p / "data" / "raw" / subdir]
    for cand in tried:
        if (cand / marker).is_file():
            return cand
    try:
        default = str(_packaged_folder(subdir, marker) / marker)
    except InputError:
        default = "(missing: reinstall iopstudy)"
    raise InputError(
        f"no {marker} found in or below this folder (looked in {', '.join(str(t) for t in tried)}); "
        f"pass the folder that holds your {what}, or none to use the {what} shipped with "
        f"iopstudy ({default})",
        file=str(p),
    )


def is_study_folder(path: PathLike) -> bool:
    """Whether ``path`` is a study folder: made by ``iopstudy init``, or a checkout of iopstudy.

    Examples
    --------
    >>> is_study_folder("/")
    False
    """
    p = Path(path)
    if (p / STUDY_FILE).is_file():
        return True
    return (p / "pyproject.toml").is_file() and (p / "data" / "raw").is_dir() and (p / "notebooks").is_dir()


def find_project_root(start: PathLike | None = None) -> Path | None:
    """The study folder ``start`` (default: the current directory) is in, or ``None``.

    ``IOPSTUDY_ROOT``, when set, names the study folder and wins over the search.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     study = Path(tmp).resolve() / "study"
    ...     (study / "notes").mkdir(parents=True)
    ...     _ = (study / STUDY_FILE).write_text("", encoding="utf-8")
    ...     with mock.patch.dict(os.environ):
    ...         _ = os.environ.pop("IOPSTUDY_ROOT", None)  # search from the folder given
    ...         print(find_project_root(study / "notes") == study, find_project_root(tmp))
    True None
    """
    env = os.environ.get("IOPSTUDY_ROOT")
    if env:
        root = Path(env).resolve()
        if not is_study_folder(root):
            raise InputError(
                f"IOPSTUDY_ROOT does not name a study folder (no {STUDY_FILE}, and not a checkout "
                "of iopstudy with data/raw/ and notebooks/)",
                file=str(root),
            )
        return root
    here = Path(start if start is not None else Path.cwd()).resolve()
    for cand in (here, *here.parents):
        if is_study_folder(cand):
            return cand
    return None


def project_root(start: PathLike | None = None) -> Path:
    """The study folder that ``start`` (default: the current directory) is in.

    A study folder is one made by ``iopstudy init`` (it holds ``iopstudy.toml``) or a checkout
    of this repository. The environment variable ``IOPSTUDY_ROOT`` overrides the search.

    Raises
    ------
    InputError
        Outside a study folder, saying how to make or name one.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / STUDY_FILE).write_text("", encoding="utf-8")
    ...     with mock.patch.dict(os.environ, {"IOPSTUDY_ROOT": tmp}):
    ...         print(project_root() == Path(tmp).resolve())
    True
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ):
    ...     _ = os.environ.pop("IOPSTUDY_ROOT", None)
    ...     try:
    ...         project_root(tmp)
    ...     except InputError as err:
    ...         print("not inside a study folder" in str(err))
    True
    """
    root = find_project_root(start)
    if root is None:
        here = Path(start if start is not None else Path.cwd()).resolve()
        raise InputError(
            "not inside a study folder: make one with `iopstudy init DIR` and run this inside it, "
            "or name one with --project DIR (or the environment variable IOPSTUDY_ROOT)",
            file=str(here),
        )
    return root


def data_dir(root: PathLike | None = None) -> Path:
    """The ``data/`` folder of the study folder ``root`` (default: :func:`project_root`).

    Examples
    --------
    >>> data_dir("/studies/mine").as_posix()
    '/studies/mine/data'
    """
    return (Path(root) if root is not None else project_root()) / "data"


def raw_dir(root: PathLike | None = None) -> Path:
    """The study's immutable raw data, ``data/raw/``.

    Examples
    --------
    >>> raw_dir("/studies/mine").as_posix()
    '/studies/mine/data/raw'
    """
    return data_dir(root) / "raw"


def processed_dir(root: PathLike | None = None) -> Path:
    """The study's generated tables, ``data/processed/``.

    Examples
    --------
    >>> processed_dir("/studies/mine").as_posix()
    '/studies/mine/data/processed'
    """
    return data_dir(root) / "processed"


def reports_dir(root: PathLike | None = None) -> Path:
    """The study's generated figures, tables and executed notebooks, ``reports/``.

    Examples
    --------
    >>> reports_dir("/studies/mine").as_posix()
    '/studies/mine/reports'
    """
    return (Path(root) if root is not None else project_root()) / "reports"


def register_file(folder: PathLike) -> Path:
    """The raw register in ``folder`` (a study's ``data/raw/register/``).

    ``iop_register.csv`` or, in a folder made by ``iopstudy init``, ``iop_register.xlsx``.

    Raises
    ------
    InputError
        If both or neither are there.

    Examples
    --------
    >>> register_file(packaged_data("raw/register/iop_register.csv").parent).name
    'iop_register.csv'
    """
    p = Path(folder)
    found = [p / n for n in REGISTER_NAMES if (p / n).is_file()]
    if len(found) > 1:
        raise InputError(
            f"two registers ({', '.join(f.name for f in found)}): keep one, or pass the one to use",
            file=str(p),
        )
    if not found:
        raise InputError(f"no register found (expected {' or '.join(REGISTER_NAMES)})", file=str(p))
    return found[0]
