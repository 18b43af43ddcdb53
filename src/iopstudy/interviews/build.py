"""The interview corpus: read every transcript, pseudonymise, pre-code, write the processed tables.

:func:`read_corpus` reads a folder of transcripts with their metadata; :func:`build_interviews`
pseudonymises before anything is written to ``data/processed/``, pre-codes with the codebook,
reads the manual codings, writes the tables and a REFI-QDA project, and scans the output for
personal data. :func:`load_interview_tables` reads the processed tables back (building them when
missing).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from iopstudy.errors import InputError
from iopstudy.interviews.metadata import (
    METADATA_COLUMNS,
    SECTORS,
    read_interview_metadata,
)
from iopstudy.interviews.results import Corpus, Metadata
from iopstudy.interviews.transcripts import (
    SEGMENT_COLUMNS,
    SPEAKER_ROLES,
    TRANSCRIPT_SUFFIXES,
    read_transcript,
)

__all__ = [
    "transcript_files",
    "Corpus",
    "read_corpus",
    "INTERVIEW_TABLES",
    "InterviewBuildResult",
    "build_interviews",
    "InterviewTables",
    "load_interview_tables",
]


# --------------------------------------------------------------------------- corpus
_SKIP_NAMES = {"readme", "names", "license", "sources"}


def transcript_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The transcript files of a corpus folder, sorted by name.

    Looks in ``folder/transcripts/`` if it exists, else in ``folder`` itself
    (not recursively). Files ending in :data:`TRANSCRIPT_SUFFIXES` are
    transcripts, except hidden files, Word lock files (``~$…``) and files
    named README, names, LICENSE or SOURCES.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in ["IP02.md", "IP01.txt", "README.md", "~$IP03.docx", ".IP04.md", "notes.pdf"]:
    ...         _ = (Path(d) / name).write_text("I: Hej.\\n", encoding="utf-8")
    ...     [f.name for f in transcript_files(d)]
    ['IP01.txt', 'IP02.md']
    """
    base = Path(folder)
    if not base.is_dir():
        raise InputError("corpus folder not found", file=str(base))
    tdir = base / "transcripts" if (base / "transcripts").is_dir() else base
    out = []
    for f in sorted(tdir.iterdir()):
        if not f.is_file() or f.suffix.lower() not in TRANSCRIPT_SUFFIXES:
            continue
        if f.name.startswith((".", "~$")) or f.stem.casefold() in _SKIP_NAMES:
            continue
        out.append(f)
    return out


def read_corpus(
    folder: str | os.PathLike[str],
    metadata: "str | os.PathLike[str] | Metadata | pd.DataFrame | None" = None,
    *,
    interviewers: Iterable[str] | None = None,
    respondents: Iterable[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> Corpus:
    """Read every transcript of a corpus folder and join the metadata.

    Parameters
    ----------
    folder
        The corpus folder: transcripts in ``folder/transcripts/`` (or directly
        in ``folder``, see :func:`transcript_files`) and, by default, the
        metadata in ``folder/interviews.csv``.
    metadata
        Path of the metadata CSV, the :class:`~iopstudy.interviews.results.Metadata` of
        :func:`read_interview_metadata`, or a metadata table (errors then name no file).
    interviewers, respondents
        Passed to :func:`read_transcript`.
    data_dir
        Reference data folder (see :func:`read_interview_metadata`).

    Returns
    -------
    Corpus
        ``segments``: long form, the :data:`SEGMENT_COLUMNS` of every transcript
        followed by the metadata columns, sorted by ``interview_id``, ``turn``,
        ``paragraph``. ``documents`` maps each interview_id to its document text
        (``documents[id][start:end] == text``), ``files`` to its transcript file, and
        ``metadata`` is the metadata read.

    Raises
    ------
    InputError
        A transcript whose id (file name) has no metadata row (naming the
        transcript), a metadata row with no transcript (naming the metadata
        file and line), two transcripts with the same id, or no transcripts.

    Examples
    --------
    >>> from iopstudy.paths import raw_dir
    >>> corpus = read_corpus(raw_dir() / "interviews")
    >>> corpus.segments[["segment_id", "speaker_role", "sector"]].head(2).values.tolist()
    [['IP01-001-01', 'interviewer', 'offentlig'], ['IP01-002-01', 'respondent', 'offentlig']]
    >>> s = corpus.segments.iloc[1]
    >>> corpus.documents["IP01"][s.start:s.end] == s.text, corpus.files["IP01"].name
    (True, 'IP01.md')
    """
    base = Path(folder)
    files = transcript_files(base)
    if metadata is None:
        meta = read_interview_metadata(base / "interviews.csv", data_dir=data_dir)
    elif isinstance(metadata, Metadata):
        meta = metadata
    elif isinstance(metadata, pd.DataFrame):
        meta = Metadata(metadata)
    else:
        meta = read_interview_metadata(Path(metadata), data_dir=data_dir)
    meta_path = meta.file if meta.file is not None else "<metadata frame>"
    table = meta.table
    if not files:
        raise InputError(
            f"no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}) found", file=str(base)
        )

    ids = table["interview_id"].astype(str).tolist()
    known = set(ids)
    seen: dict[str, Path] = {}
    for f in files:
        if f.stem in seen:
            raise InputError(
                f"two transcripts for interview {f.stem!r}: {seen[f.stem].name} and {f.name}",
                file=str(f),
            )
        seen[f.stem] = f
        if f.stem not in known:
            raise InputError(
                f"unknown interview id {f.stem!r}: the transcript has no row in {meta_path}; "
                "add a row or rename the file to its interview_id",
                file=str(f),
                value=f.stem,
            )
    lines: Mapping[str, int] = meta.lines
    for pos, iid in enumerate(ids):
        if iid not in seen:
            raise InputError(
                f"no transcript for interview {iid!r} in {files[0].parent}",
                file=str(meta_path),
                row=lines.get(iid, pos),
                column="interview_id",
                value=iid,
            )

    frames = []
    documents: dict[str, str] = {}
    for iid in sorted(seen):
        t = read_transcript(seen[iid], iid, interviewers=interviewers, respondents=respondents)
        documents[iid] = t.text
        frames.append(t.segments)
    segs = pd.concat(frames, ignore_index=True)
    segs["speaker_role"] = segs["speaker_role"].astype(pd.CategoricalDtype(list(SPEAKER_ROLES)))
    meta_cols = [c for c in table.columns if c != "interview_id"]
    m = table[["interview_id", *meta_cols]].copy()
    m["interview_id"] = m["interview_id"].astype(str)
    out = segs.merge(m, on="interview_id", how="left", validate="many_to_one")
    out = out.sort_values(["interview_id", "turn", "paragraph"], ignore_index=True)
    return Corpus(out, documents, dict(sorted(seen.items())), meta)


# --------------------------------------------------------------------------- processed tables
#: Base names of the tables :func:`build_interviews` writes (``.parquet`` and ``.csv`` each).
INTERVIEW_TABLES: tuple[str, ...] = (
    "interview_segments",
    "interview_precodes",
    "interview_codings",
    "interviews",
)


#: Metadata columns that are never pseudonymised (ids, codes, categories, dates).
_STRUCTURED_COLUMNS = frozenset(
    {
        *SEGMENT_COLUMNS,
        *METADATA_COLUMNS,
        "level", "kommun_name", "county_code", "county_name", "size_class", "skr_group",
    }
)


@dataclass(frozen=True, eq=False)
class InterviewBuildResult:
    """What :func:`build_interviews` made: the tables, the files written, the corpus in numbers.

    Attributes
    ----------
    tables : InterviewTables
        The pseudonymised tables as written (``segments``, ``precodes``, ``codings``,
        ``interviews``).
    files : tuple of pathlib.Path
        Every file written: each table as ``.parquet`` and ``.csv``, then ``interviews.qdpx``.
    out_dir : pathlib.Path
        The output folder.
    rows : dict
        Rows of each table, by its file name (:data:`INTERVIEW_TABLES`).
    corpus : dict
        The corpus in numbers: ``interviews``, ``interviews_by_sector`` (a dict in the order of
        :data:`~iopstudy.interviews.SECTORS`), ``segments``, ``respondent_segments``,
        ``dictionary_proposals``, ``manual_codings`` and ``coders``.
    salt_kind : str
        How the pseudonyms were salted: ``"public demo salt (illustrative corpus)"``,
        ``"secret salt"`` or ``"given salt"``.

    ``str(result)`` and :meth:`summary` give the one-line summary ``iopstudy reproduce`` prints.

    Examples
    --------
    >>> one = pd.DataFrame({"segment_id": ["X1-002-01"]})
    >>> res = InterviewBuildResult(
    ...     tables=InterviewTables(one, one, one, one), files=(), out_dir=Path("out"),
    ...     rows={name: 1 for name in INTERVIEW_TABLES},
    ...     corpus={"interviews": 1, "interviews_by_sector": {"offentlig": 1, "idéburen": 0},
    ...             "segments": 1, "respondent_segments": 1, "dictionary_proposals": 0,
    ...             "manual_codings": 0, "coders": 0},
    ...     salt_kind="given salt")
    >>> print(res)
    1 interviews (1 offentlig, 0 idéburen), 1 segments (1 respondent), 0 dictionary proposals,
    0 manual codings by 0 coder(s); pseudonymised with the given salt; 4 tables (parquet+csv)
    and interviews.qdpx in out
    """

    tables: InterviewTables
    files: tuple[Path, ...]
    out_dir: Path
    rows: Mapping[str, int]
    corpus: Mapping[str, Any]
    salt_kind: str

    def summary(self) -> str:
        """One line: interviews by sector, segments, proposals, codings, salt and folder."""
        c = self.corpus
        sectors = ", ".join(f"{n} {s}" for s, n in c["interviews_by_sector"].items())
        return (
            f"{c['interviews']} interviews ({sectors}), {c['segments']} segments "
            f"({c['respondent_segments']} respondent), "
            f"{c['dictionary_proposals']} dictionary proposals, {c['manual_codings']} manual "
            f"codings by {c['coders']} coder(s); pseudonymised with the {self.salt_kind}; "
            f"{len(INTERVIEW_TABLES)} tables (parquet+csv) and interviews.qdpx in {self.out_dir}"
        )

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<InterviewBuildResult: {self.summary()}>"


def build_interviews(
    corpus_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    salt: str | None = None,
    codebook: "Any" = None,
) -> InterviewBuildResult:
    """Build the pseudonymised interview tables and a REFI-QDA project.

    The ``interviews`` step of ``iopstudy reproduce``. Reads the corpus,
    pseudonymises it **before anything is written**, pre-codes it with the
    codebook's dictionary, reads the manual codings, writes the tables, and
    checks what it wrote for personal data.

    Written files: each table as ``{name}.parquet`` and ``{name}.csv``
    (UTF-8, ``\\n`` line ends, stable sort; ``DataFrame.attrs`` are not
    stored):

    ``interview_segments``
        One row per segment: the columns of :func:`read_corpus` (segment
        columns, then the metadata joined to the reference data), with
        ``text`` and ``speaker`` pseudonymised and ``start``/``end`` moved to
        the pseudonymised document texts. Sorted by interview, turn, paragraph.
    ``interview_precodes``
        Dictionary proposals of :func:`iopstudy.interviews.coding.precode` for the
        **respondent** segments only (``speaker_role == "respondent"``):
        the manual coding covers respondent segments, and an interviewer's
        question ("how do you see LOU?") is not evidence of what the
        respondent raised. Offsets refer to the pseudonymised segment text.
        Sorted by segment, start, code.
    ``interview_codings``
        Manual codings (``segment_id, code, coder``), validated against the
        codebook and against the segment ids; sorted by segment, coder, code.
        Empty (with these columns) when there is no ``manual_codings.csv``.
    ``interviews``
        One row per interview: the metadata (as in ``interview_segments``)
        plus ``n_segments`` and ``n_respondent_segments``.

    and ``interviews.qdpx``: a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA,
    QualCoder …) with one text source per interview (the pseudonymised
    transcript text), the codebook as code tree and the manual codings as
    coded selections, one user per coder. Dictionary proposals are not put
    into the project, so machine proposals and coders' decisions stay apart.

    Parameters
    ----------
    corpus_dir
        A corpus folder as :func:`read_corpus` reads it: ``transcripts/``,
        ``interviews.csv``, ``names.txt`` (required: the names to replace; an
        empty list is allowed but must be an explicit file) and, optionally,
        ``manual_codings.csv`` (``segment_id, code, coder``).
    out_dir
        Output folder (created if needed), e.g. ``data/processed``.
    salt
        Secret salt for the pseudonyms. ``None`` (default): when **every**
        interview in ``interviews.csv`` is marked ``illustrative`` (the
        fictional corpus shipped with iopstudy), the public
        :data:`~iopstudy.interviews.privacy.DEMO_SALT` is used, so its outputs are
        reproducible everywhere — that salt protects nothing and is never
        used for a corpus with a single real interview. Otherwise the salt
        comes from :func:`~iopstudy.interviews.privacy.load_salt` (``IOPSTUDY_SALT`` or
        ``~/.config/iopstudy/salt``), and its absence is an error. An
        explicit ``salt`` equal to ``DEMO_SALT`` is refused for a real corpus.
    codebook
        A :class:`~iopstudy.interviews.codebook.Codebook`, a path to a codebook YAML
        file, or ``None`` for the packaged codebook. Used for the
        pre-coding, to validate the manual codings and as the code tree of
        the QDPX project.

    Returns
    -------
    InterviewBuildResult
        The tables, the files written, their row counts and the corpus in numbers;
        ``str(result)`` is a one-line summary (interviews, segments, proposals, codings).

    Raises
    ------
    iopstudy.interviews.privacy.MissingSaltError
        A corpus with any non-illustrative interview and no salt (the message
        says how to create one), or ``DEMO_SALT`` given for such a corpus.
    InputError
        Missing ``names.txt``; a manual coding whose segment id is not in the
        corpus or whose code is not in the codebook; personal data found by
        :func:`~iopstudy.interviews.privacy.scan_pii` (with the names list) in the files
        just written — they are then deleted again.

    Notes
    -----
    Free-text metadata columns other than the standard ones (e.g.
    ``organisation``, ``note``) are pseudonymised too. Pseudonymisation
    replaces names on the list, e-mail addresses, phone numbers and
    personnummer; it does not remove indirect identifiers (an organisation's
    name, a job title in a small municipality). Check those by hand before
    sharing real material.

    Examples
    --------
    >>> import tempfile
    >>> from iopstudy.paths import raw_dir
    >>> res = build_interviews(raw_dir() / "interviews", tempfile.mkdtemp())
    >>> res.rows["interviews"], res.corpus["interviews_by_sector"], res.salt_kind
    (14, {'offentlig': 7, 'idéburen': 7}, 'public demo salt (illustrative corpus)')
    >>> sorted(p.suffix for p in res.files)[-1], res.tables.codings["coder"].nunique()
    ('.qdpx', 2)
    """
    from iopstudy.interviews.codebook import Codebook, load_codebook
    from iopstudy.interviews.coding import precode, read_manual_codings
    from iopstudy.interviews.privacy import (
        DEMO_SALT,
        MissingSaltError,
        load_names,
        load_salt,
        pseudonymise_frame,
        scan_pii,
    )
    from iopstudy.interviews.qdpx import write_qdpx
    from iopstudy.interviews.refi import project_from_segments

    base = Path(corpus_dir)
    out = Path(out_dir)
    if codebook is None or isinstance(codebook, (str, os.PathLike)):
        cb = load_codebook(codebook)
    elif isinstance(codebook, Codebook):
        cb = codebook
    else:
        raise InputError(
            f"codebook must be a Codebook, a path or None, not {type(codebook).__name__}"
        )

    meta = read_interview_metadata(base / "interviews.csv")
    flags = meta.table["illustrative"]
    all_illustrative = bool(len(flags)) and bool(flags.all())
    if salt is None:
        salt = DEMO_SALT if all_illustrative else load_salt()
        salt_kind = "public demo salt (illustrative corpus)" if all_illustrative else "secret salt"
    else:
        if salt == DEMO_SALT and not all_illustrative:
            real = meta.table.loc[~flags, "interview_id"].tolist()
            raise MissingSaltError(
                f"the public DEMO_SALT protects nothing and is only for a corpus where every "
                f"interview is illustrative; {len(real)} interview(s) are not "
                f"(e.g. {real[0]!r}). Use load_salt() with a secret salt."
            )
        salt_kind = "given salt"
    names_path = base / "names.txt"
    if not names_path.is_file():
        raise InputError(
            "no names list: the names of respondents, interviewers and people mentioned would "
            "stay in the text. Create names.txt (one full name per line, '#' comments; an empty "
            "file if there really are no names)",
            file=str(names_path),
        )
    names = load_names(names_path)

    corpus = read_corpus(base, meta)
    extra_text = [
        c for c, dtype in corpus.segments.dtypes.items()
        if c not in _STRUCTURED_COLUMNS and (dtype == object or isinstance(dtype, pd.StringDtype))
    ]
    pseudonymised = pseudonymise_frame(
        corpus.segments, names=names, salt=salt, other_cols=("speaker", *extra_text),
        documents=corpus.documents,
    )
    safe = pseudonymised.frame
    documents = dict(pseudonymised.documents or {})
    del corpus, pseudonymised  # the raw text is not used below

    # -- pre-coding of respondent segments
    resp = safe.loc[safe["speaker_role"] == "respondent", ["segment_id", "text"]]
    pre = precode(resp, cb)
    seg_order = pd.Series(range(len(safe)), index=safe["segment_id"])
    pre = (
        pre.assign(_o=pre["segment_id"].map(seg_order))
        .sort_values(["_o", "start", "code"], kind="mergesort")
        .drop(columns="_o")
        .reset_index(drop=True)
    )

    # -- manual codings
    codings_path = base / "manual_codings.csv"
    if codings_path.is_file():
        man = read_manual_codings(codings_path, cb).codings
        unknown = ~man["segment_id"].isin(set(safe["segment_id"]))
        if unknown.any():
            first = man.loc[unknown, "segment_id"].iloc[0]
            raise InputError(
                f"{int(unknown.sum())} coding(s) refer to segment ids not in the corpus "
                "(were transcripts edited after coding? segment ids change when turns or "
                "paragraphs do)",
                file=str(codings_path),
                column="segment_id",
                value=first,
            )
        man = (
            man.assign(_o=man["segment_id"].map(seg_order), _c=man["code"].fillna(""))
            .sort_values(["_o", "coder", "_c"], kind="mergesort")
            .drop(columns=["_o", "_c"])
            .reset_index(drop=True)
        )
    else:
        man = pd.DataFrame({c: pd.Series(dtype=object) for c in ("segment_id", "code", "coder")})

    # -- one row per interview
    meta_cols = [c for c in safe.columns if c not in SEGMENT_COLUMNS]
    interviews = safe[["interview_id", *meta_cols]].drop_duplicates("interview_id").reset_index(drop=True)
    counts = safe.groupby("interview_id", sort=True).agg(
        n_segments=("segment_id", "size"),
        n_respondent_segments=("speaker_role", lambda s: int((s == "respondent").sum())),
    )
    interviews = interviews.merge(counts, on="interview_id", how="left", validate="one_to_one")
    interviews[["n_segments", "n_respondent_segments"]] = interviews[
        ["n_segments", "n_respondent_segments"]
    ].astype("int64")
    interviews = interviews.sort_values("interview_id", kind="mergesort", ignore_index=True)

    # -- write
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "interview_segments": safe,
        "interview_precodes": pre,
        "interview_codings": man,
        "interviews": interviews,
    }
    written: list[Path] = []
    try:
        for name, df in tables.items():
            pq = out / f"{name}.parquet"
            df.to_parquet(pq, index=False, engine="pyarrow")
            written.append(pq)
            csv_path = out / f"{name}.csv"
            with open(csv_path, "w", encoding="utf-8", newline="") as fh:
                df.to_csv(fh, index=False, lineterminator="\n", date_format="%Y-%m-%d")
            written.append(csv_path)
        project = project_from_segments(
            safe,
            man.dropna(subset=["code"]),
            cb,
            documents=documents,
            name="iopstudy interviews (illustrative)" if all_illustrative else "iopstudy interviews",
        )
        written.append(write_qdpx(project, out / "interviews.qdpx"))
        findings = scan_pii(written, names=names).matches
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    if len(findings):
        for p in written:
            p.unlink(missing_ok=True)
        shown = "; ".join(f"{r.file}:{r.line} {r.kind} {r.match}" for r in findings.head(5).itertuples())
        raise InputError(
            f"personal data found in the interview outputs ({len(findings)} finding(s), e.g. "
            f"{shown}); the files were deleted. Add the missing names to names.txt",
            file=str(out),
        )

    n_sector = interviews["sector"].value_counts()
    corpus_numbers = {
        "interviews": len(interviews),
        "interviews_by_sector": {s: int(n_sector.get(s, 0)) for s in SECTORS},
        "segments": len(safe),
        "respondent_segments": int((safe["speaker_role"] == "respondent").sum()),
        "dictionary_proposals": len(pre),
        "manual_codings": len(man),
        "coders": int(man["coder"].nunique()),
    }
    return InterviewBuildResult(
        tables=InterviewTables(safe, pre, man, interviews),
        files=tuple(written),
        out_dir=out,
        rows={name: len(df) for name, df in tables.items()},
        corpus=corpus_numbers,
        salt_kind=salt_kind,
    )


_TABLE_FILES = {
    "segments": "interview_segments",
    "precodes": "interview_precodes",
    "codings": "interview_codings",
    "interviews": "interviews",
}


class InterviewTables(NamedTuple):
    """The processed interview tables (see :func:`iopstudy.interviews.build_interviews`).

    Examples
    --------
    >>> seg = pd.DataFrame({"segment_id": ["X1-002-01"], "text": ["Vi följer LOU."]})
    >>> cod = pd.DataFrame({"segment_id": ["X1-002-01"], "code": ["LAW.LOU"], "coder": ["anna"]})
    >>> t = InterviewTables(seg, cod[["segment_id", "code"]], cod, pd.DataFrame({"interview_id": ["X1"]}))
    >>> t._fields, t.codings["coder"].tolist()
    (('segments', 'precodes', 'codings', 'interviews'), ['anna'])
    """

    segments: pd.DataFrame
    precodes: pd.DataFrame
    codings: pd.DataFrame
    interviews: pd.DataFrame


def load_interview_tables(
    processed_dir: str | os.PathLike[str],
    *,
    corpus_dir: str | os.PathLike[str] | None = None,
    rebuild: bool = False,
) -> InterviewTables:
    """Read the processed interview tables, building them first if they are missing.

    Parameters
    ----------
    processed_dir
        The folder :func:`~iopstudy.interviews.build_interviews` writes to
        (``data/processed``).
    corpus_dir
        The raw corpus; when given and a table is missing (or ``rebuild``),
        :func:`~iopstudy.interviews.build_interviews` is run first.
    rebuild
        Build even if the tables exist.

    Returns
    -------
    InterviewTables
        ``segments``, ``precodes``, ``codings``, ``interviews`` (from Parquet).

    Raises
    ------
    InputError
        A table is missing and no ``corpus_dir`` was given.

    Examples
    --------
    >>> import tempfile
    >>> seg = pd.DataFrame({"segment_id": ["X1-002-01"], "text": ["Vi följer LOU."]})
    >>> cod = pd.DataFrame({"segment_id": ["X1-002-01"], "code": ["LAW.LOU"], "coder": ["anna"]})
    >>> iv = pd.DataFrame({"interview_id": ["X1"], "sector": ["offentlig"]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name, df in zip(INTERVIEW_TABLES, (seg, cod[["segment_id", "code"]], cod, iv)):
    ...         df.to_parquet(Path(d) / f"{name}.parquet", index=False)
    ...     tables = load_interview_tables(d)
    >>> tables.segments["text"].tolist(), list(tables.codings.columns)
    (['Vi följer LOU.'], ['segment_id', 'code', 'coder'])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     try:
    ...         load_interview_tables(d)  # nothing built yet, and no corpus_dir to build from
    ...     except InputError as err:
    ...         print(err.message)
    processed interview table(s) missing (interview_segments.parquet, ...); run
    `iopstudy reproduce --only build` or pass corpus_dir= to build them
    """
    out = Path(processed_dir)
    paths = {k: out / f"{v}.parquet" for k, v in _TABLE_FILES.items()}
    missing = [p for p in paths.values() if not p.is_file()]
    if rebuild or missing:
        if corpus_dir is None:
            raise InputError(
                f"processed interview table(s) missing ({', '.join(p.name for p in missing)}); run "
                "`iopstudy reproduce --only build` or pass corpus_dir= to build them",
                file=str(out),
            )
        build_interviews(corpus_dir, out)
    return InterviewTables(**{k: pd.read_parquet(p) for k, p in paths.items()})
