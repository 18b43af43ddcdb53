"""The processed tables of a study in one object, built first when they are missing or stale.

:func:`load_study_data` returns a :class:`StudyData` with ``partnerships``, ``partners``,
``panel``, ``exclusions``, ``problems``, the municipalities and counties, and ``note(lang)``
(the partial-register note every figure and table carries). It runs the build first when
``data/processed/`` is missing or older than the raw register.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from iopstudy.errors import InputError
from iopstudy.labels import partial_data_note
from iopstudy.paths import REGISTER_NAMES, register_file
from iopstudy.paths import data_dir as paths_data_dir

__all__ = [
    "StudyData",
    "load_study_data",
]


# --------------------------------------------------------------------------- data
@dataclass
class StudyData:
    """The register's processed tables and the reference data, as the notebooks use them.

    ``problems`` is ``data/processed/problems.csv`` (every warning and error
    of the build); ``built`` says whether :func:`load_study_data` ran the
    build.

    Examples
    --------
    A study's ``data/`` folder holding only an illustrative register: the first call builds
    ``processed/`` from it.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     register = Path(tmp) / "data" / "raw" / "register"
    ...     register.mkdir(parents=True)
    ...     _ = (register / "iop_register.csv").write_text(
    ...         "record_id,public_party,civil_partners,start,end\\n"
    ...         "EX-1,Lunds kommun,Föreningen Exempel,2019,2021\\n", encoding="utf-8")
    ...     study = load_study_data(Path(tmp) / "data")
    ...     print(study.built, study.n_agreements, (Path(tmp) / "data" / "processed" / "partnerships.parquet").is_file())
    True 1 True
    >>> study.partnerships[["record_id", "public_body_name"]].values.tolist(), len(study.municipalities)
    ([['EX-1', 'Lund']], 290)
    >>> study.note("en")
    'Partial register: 1 agreements found in public sources, not a census'
    """

    partnerships: pd.DataFrame
    partners: pd.DataFrame
    panel: pd.DataFrame
    exclusions: pd.DataFrame
    problems: pd.DataFrame
    municipalities: pd.DataFrame
    counties: pd.DataFrame
    data_dir: Path
    built: bool

    @property
    def n_agreements(self) -> int:
        return len(self.partnerships)

    def note(self, lang: str = "en") -> str:
        """The partial-register note with this register's number of agreements."""
        return partial_data_note(lang, self.n_agreements)


_PROBLEM_COLUMNS = ["file", "row", "column", "value", "severity", "message"]


def _inputs(data: Path) -> list[Path]:
    reg = data / "raw" / "register"
    return [p for p in (*(reg / n for n in REGISTER_NAMES), reg / "policy_areas.yml") if p.exists()]


def load_study_data(
    data_dir: str | os.PathLike[str] | None = None, *, rebuild: bool | str = "auto"
) -> StudyData:
    """Read the processed register tables, building them first when needed.

    Parameters
    ----------
    data_dir
        The study's ``data/`` folder: raw input in ``raw/register`` (the
        register, ``iop_register.csv`` or ``.xlsx``, and ``policy_areas.yml``) and
        ``raw/reference``, output in ``processed/``. Default: ``data/`` of the study
        folder the current directory is in (:func:`iopstudy.paths.project_root`).
    rebuild
        ``"auto"`` (default): build when a processed table is missing or
        older than the raw register or the vocabulary, or written by another version whose
        schema they no longer match; ``True``: always;
        ``False``: never (raise if missing).

    Returns
    -------
    StudyData

    Examples
    --------
    See :class:`StudyData` for a folder that is built on first use. Without a register there is
    nothing to build from, and ``rebuild=False`` never builds:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for rebuild in ("auto", False):
    ...         try:
    ...             load_study_data(tmp, rebuild=rebuild)
    ...         except InputError as err:
    ...             print(err.message)
    no processed tables and no raw register to build them from
    processed tables missing (['partnerships.parquet', 'partners.parquet', 'municipality_panel.parquet', 'exclusions.parquet']): run `iopstudy build` or pass rebuild='auto'
    """
    from iopstudy.reference.municipalities import load_counties, load_municipalities
    from iopstudy.register.process import build
    from iopstudy.errors import SchemaError
    from iopstudy.register.schemas import TABLES, read_processed

    data = Path(data_dir) if data_dir is not None else paths_data_dir()
    processed = data / "processed"
    reg_dir = data / "raw" / "register"
    found = [reg_dir / n for n in REGISTER_NAMES if (reg_dir / n).is_file()]
    register = register_file(reg_dir) if found else reg_dir / REGISTER_NAMES[0]
    reference = data / "raw" / "reference"
    ref = reference if (reference / "municipalities.csv").exists() else None
    files = [processed / f"{t}.parquet" for t in TABLES]
    missing = [f for f in files if not f.exists()]
    if rebuild == "auto":
        stale = False
        if not missing:
            oldest = min(f.stat().st_mtime for f in files)
            stale = any(p.stat().st_mtime > oldest for p in _inputs(data))
        do_build = bool(missing) or stale
    elif rebuild in (True, False):
        do_build = bool(rebuild)
    else:
        raise InputError(f"rebuild must be 'auto', True or False, not {rebuild!r}")
    if missing and not do_build:
        raise InputError(
            f"processed tables missing ({[f.name for f in missing]}): run `iopstudy build` or "
            "pass rebuild='auto'",
            file=str(processed),
        )
    if do_build:
        if not register.exists():
            raise InputError(
                "no processed tables and no raw register to build them from", file=str(register)
            )
        build(register=register, out_dir=processed, reference_dir=ref)
    try:
        tables = {t: read_processed(t, processed) for t in TABLES}
    except SchemaError:
        # tables written by another version of the package: rebuild them once (with "auto")
        if rebuild != "auto" or do_build or not register.exists():
            raise
        build(register=register, out_dir=processed, reference_dir=ref)
        do_build = True
        tables = {t: read_processed(t, processed) for t in TABLES}
    prob_path = processed / "problems.csv"
    if prob_path.exists():
        problems = pd.read_csv(prob_path, dtype=str, keep_default_na=False)
    else:
        problems = pd.DataFrame(columns=_PROBLEM_COLUMNS)
    return StudyData(
        partnerships=tables["partnerships"],
        partners=tables["partners"],
        panel=tables["municipality_panel"],
        exclusions=tables["exclusions"],
        problems=problems,
        municipalities=load_municipalities(ref),
        counties=load_counties(ref),
        data_dir=data,
        built=do_build,
    )
