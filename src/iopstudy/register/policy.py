"""The policy-area vocabulary and a keyword classifier for IOP agreements.

The vocabulary lives in ``data/raw/register/policy_areas.yml``: one entry per
area with an ``id``, Swedish and English labels (``sv``, ``en``), ``stems``
and optional ``exclude`` stems in the notation of :mod:`iopstudy.text`, and
free-text ``evidence``. The order of the entries breaks ties.

:func:`load_policy_vocabulary` reads and checks the file (:func:`read_policy_vocabulary` also
gives the file's path and each area's evidence note);
:func:`classify_policy_area` scores texts against it. The build passes, per
agreement, ``title + " " + policy_area_text + " " + civil_partners``, so an
organisation's name (``Kvinnojouren Lund``, ``Fontänhuset``) counts as
evidence of its field.

Examples
--------
>>> voc = load_policy_vocabulary()
>>> classify_policy_area(["Kvinnojouren Lund stöd till våldsutsatta kvinnor och barn"],
...                      vocabulary=voc).loc[0, ["policy_area_primary", "policy_area_source"]].tolist()
['violence', 'keywords']
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.paths import data_folder, packaged_data
from iopstudy.text import compile_stems, normalise_text, stem_to_regex
from iopstudy.text import factorize_texts as _factorize_texts

__all__ = [
    "OTHER",
    "default_vocabulary_path",
    "PolicyVocabulary",
    "read_policy_vocabulary",
    "load_policy_vocabulary",
    "classify_policy_area",
]

#: The id of the catch-all area every vocabulary must have.
OTHER = "other"

_ID_RE = re.compile(r"[a-z][a-z0-9_]*")
_COLUMNS = ["area_id", "label_sv", "label_en", "stems", "exclude", "order"]


def default_vocabulary_path() -> Path:
    """The vocabulary shipped with iopstudy (a copy of ``data/raw/register/policy_areas.yml``).

    Examples
    --------
    >>> path = default_vocabulary_path()
    >>> path.name, path.is_file()
    ('policy_areas.yml', True)
    """
    return packaged_data("raw/register/policy_areas.yml")


def _string_list(value: Any, *, file: str, area: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list):
        raise InputError(
            f"area {area!r}: {key!r} must be a list of strings, "
            f"e.g. {key}: [kvinnojour*, \"våld i nära relation*\"]",
            file=file,
            value=value,
        )
    out = []
    for item in value:
        if not isinstance(item, str):
            raise InputError(
                f"area {area!r}: every entry of {key!r} must be a string "
                "(quote numbers and words such as yes/no/on/off)",
                file=file,
                value=item,
            )
        try:
            stem_to_regex(item)
            if any(not w.rstrip("*") for w in item.split()):
                raise ValueError(f"a word of {item!r} is only '*'")
        except ValueError as err:
            raise InputError(
                f"area {area!r}: bad stem in {key!r} ({err})", file=file, value=item
            ) from None
        out.append(item.strip())
    return out


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int, size: int) -> tuple[pd.DataFrame, dict[str, str]]:
    import yaml

    file = path
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = yaml.safe_load(fh)
    except yaml.YAMLError as err:
        raise InputError(f"not valid YAML: {err}", file=file) from None
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text: {err}", file=file) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("policy_areas"), list):
        raise InputError("expected a top-level key 'policy_areas' holding a list of areas", file=file)
    rows = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(doc["policy_areas"], start=1):
        if not isinstance(entry, dict):
            raise InputError(f"area number {i} is not a mapping with id, sv, en, stems", file=file)
        area = entry.get("id")
        if not isinstance(area, str) or not _ID_RE.fullmatch(area):
            raise InputError(
                f"area number {i}: 'id' must be lower-case letters, digits and '_', "
                "starting with a letter",
                file=file,
                value=area,
            )
        if area in seen:
            raise InputError(f"duplicate area id {area!r} (areas {seen[area]} and {i})", file=file)
        seen[area] = i
        labels = {}
        for key in ("sv", "en"):
            label = entry.get(key)
            if not isinstance(label, str) or not label.strip():
                raise InputError(f"area {area!r}: missing label {key!r}", file=file, value=label)
            labels[key] = label.strip()
        stems = _string_list(entry.get("stems"), file=file, area=area, key="stems")
        exclude = _string_list(entry.get("exclude"), file=file, area=area, key="exclude")
        if not stems and area != OTHER:
            raise InputError(f"area {area!r} has no stems, so it could never be assigned", file=file)
        rows.append(
            {
                "area_id": area,
                "label_sv": labels["sv"],
                "label_en": labels["en"],
                "stems": stems,
                "exclude": exclude,
                "order": i,
                "_evidence": str(entry.get("evidence", "") or ""),
            }
        )
    if OTHER not in seen:
        raise InputError(f"the vocabulary needs an area with id {OTHER!r} (the catch-all)", file=file)
    df = pd.DataFrame(rows)
    evidence = dict(zip(df["area_id"], df.pop("_evidence")))
    df["order"] = df["order"].astype("int64")
    return df[_COLUMNS], evidence


@dataclass(frozen=True, eq=False)
class PolicyVocabulary:
    """A policy-area vocabulary as :func:`read_policy_vocabulary` read it.

    Attributes
    ----------
    table
        One row per area, as :func:`load_policy_vocabulary` returns it.
    path
        The YAML file read (absolute).
    evidence
        Each area's free-text ``evidence`` note, by ``area_id`` ("" when the file has none).

    Examples
    --------
    >>> voc = read_policy_vocabulary()
    >>> voc.path == default_vocabulary_path().resolve(), set(voc.evidence) == set(voc.table["area_id"])
    (True, True)
    """

    table: pd.DataFrame
    path: Path
    evidence: dict[str, str]


def _vocabulary_file(path: str | os.PathLike[str] | None) -> Path:
    if path is None:
        p = default_vocabulary_path()
    elif Path(path).is_dir():  # a folder of the user's data: the study folder, data/raw, ...
        folder = data_folder(path, "policy_areas.yml", "register", what="policy-area vocabulary")
        p = folder / "policy_areas.yml"
    else:
        p = Path(path)
    if not p.is_file():
        raise InputError(
            "policy-area vocabulary not found; pass a YAML file or its folder, or none to use the "
            f"vocabulary shipped with iopstudy ({default_vocabulary_path()})",
            file=str(p),
        )
    return p


def read_policy_vocabulary(path: str | os.PathLike[str] | None = None) -> PolicyVocabulary:
    """Read and check the policy-area vocabulary, with its file and evidence notes.

    Parameters
    ----------
    path
        As for :func:`load_policy_vocabulary`.

    Returns
    -------
    PolicyVocabulary
        ``table`` (what :func:`load_policy_vocabulary` returns), ``path`` (the file read) and
        ``evidence`` (each area's evidence note).

    Raises
    ------
    InputError
        As :func:`load_policy_vocabulary`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "policy_areas.yml"
    ...     _ = p.write_text(
    ...         "policy_areas:\\n"
    ...         "  - {id: shelter, sv: Härbärge, en: Shelter, stems: [härbärge*], evidence: an example note}\\n"
    ...         "  - {id: other, sv: Övrigt, en: Other, stems: []}\\n", encoding="utf-8")
    ...     voc = read_policy_vocabulary(tmp)
    ...     print(voc.path.name, voc.table["area_id"].tolist(), voc.evidence)
    policy_areas.yml ['shelter', 'other'] {'shelter': 'an example note', 'other': ''}
    """
    p = _vocabulary_file(path)
    st = p.stat()
    resolved = str(p.resolve())
    table, evidence = _load_cached(resolved, st.st_mtime_ns, st.st_size)
    return PolicyVocabulary(table=table.copy(), path=Path(resolved), evidence=dict(evidence))


def load_policy_vocabulary(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read and check the policy-area vocabulary.

    Parameters
    ----------
    path
        A YAML file with a top-level ``policy_areas`` list, or a folder holding
        ``policy_areas.yml`` (or its study folder, ``data/raw``). Defaults to the
        vocabulary shipped with iopstudy (a copy of ``data/raw/register/policy_areas.yml``).

    Returns
    -------
    pandas.DataFrame
        One row per area, in file order: ``area_id`` (str), ``label_sv``,
        ``label_en`` (str), ``stems`` and ``exclude`` (lists of str),
        ``order`` (int64, 1-based position in the file; breaks ties).
        :func:`read_policy_vocabulary` gives the file and each area's evidence note too.

    Raises
    ------
    InputError
        If the file is missing or not YAML, an id is missing, malformed or
        repeated, a label is missing, a stem is not a string or is empty,
        an area other than ``other`` has no stems, or there is no ``other``
        area. The message names the file and the area.

    Examples
    --------
    >>> voc = load_policy_vocabulary()
    >>> voc.columns.tolist()
    ['area_id', 'label_sv', 'label_en', 'stems', 'exclude', 'order']
    >>> "other" in set(voc["area_id"])
    True
    """
    p = _vocabulary_file(path)
    st = p.stat()
    return _load_cached(str(p.resolve()), st.st_mtime_ns, st.st_size)[0].copy()


# Python's re with IGNORECASE also equates "ı" (dotless i) with "i"; casefolding does not
_PREFILTER_FOLD = str.maketrans({"ı": "i"})


class _Area(NamedTuple):
    area_id: str
    pattern: re.Pattern[str]
    cores: tuple[str, ...]  # literal text every match contains (one per stem)


@lru_cache(maxsize=256)
def _compile_area(area_id: str, stems: tuple[str, ...], exclude: tuple[str, ...]) -> _Area:
    # longest stems first, so that a phrase wins over a word it starts with
    ordered = sorted(stems, key=lambda s: (-len(s), s))
    pattern = compile_stems(ordered, exclude=exclude)
    # every match contains the first word of one of the stems, without its "*": a cheap
    # substring test on these rules an area out before its (slower) pattern is run
    firsts = {s.split()[0].rstrip("*") for s in stems if s.strip()}
    cores = tuple(sorted(normalise_text(w).translate(_PREFILTER_FOLD) for w in firsts))
    return _Area(area_id, pattern, cores)


def _vocabulary_frame(vocabulary: Any) -> pd.DataFrame:
    if vocabulary is None or isinstance(vocabulary, (str, os.PathLike)):
        return load_policy_vocabulary(vocabulary)
    if isinstance(vocabulary, pd.DataFrame):
        missing = [c for c in ("area_id", "stems") if c not in vocabulary.columns]
        if missing:
            raise InputError(
                f"vocabulary table lacks column(s) {missing}; use load_policy_vocabulary()"
            )
        voc = vocabulary
        if "order" in voc.columns:
            voc = voc.sort_values("order", kind="stable")
        if OTHER not in set(voc["area_id"]):
            raise InputError(f"the vocabulary needs an area with id {OTHER!r} (the catch-all)")
        return voc.reset_index(drop=True)
    raise TypeError(
        f"vocabulary must be None, a path or a DataFrame, not {type(vocabulary).__name__}"
    )


_WORD_CHAR = re.compile(r"[\w\-]")  # the word characters of iopstudy.text
_WORD_RUN = re.compile(r"[\w\-]+")


class _Matcher:
    """All areas of one vocabulary, with a cache from words to the areas they may hit.

    Every match of a stem pattern starts at the start of the word (run of word
    characters) in which an occurrence of one of its area's ``cores`` begins.
    So an area's pattern is tried only at those word starts, in order, each
    try starting after the previous match: exactly what ``finditer`` would
    find, in a fraction of the time. A core made of word characters lies
    inside one word, so which areas a word may hit is computed once per
    distinct word. ``tests/test_policy.py`` checks the equivalence with
    ``finditer`` on random text.
    """

    _CACHE_LIMIT = 200_000

    def __init__(self, areas: tuple[_Area, ...]) -> None:
        self.areas = areas
        word_cores = [tuple(c for c in a.cores if _WORD_RUN.fullmatch(c)) for a in areas]
        self.odd_cores = [tuple(c for c in a.cores if not _WORD_RUN.fullmatch(c)) for a in areas]
        # literal searches (the text is already casefolded): any core at all, and per area
        every = sorted({c for cores in word_cores for c in cores}, key=lambda c: (-len(c), c))
        self._any = re.compile("|".join(map(re.escape, every))) if every else None
        self._per_area = [
            (k, re.compile("|".join(map(re.escape, cores))))
            for k, cores in enumerate(word_cores)
            if cores
        ]
        self._words: dict[str, tuple[int, ...]] = {}

    def _areas_in_word(self, word: str) -> tuple[int, ...]:
        hit = self._words.get(word)
        if hit is None:
            if self._any is None or self._any.search(word) is None:
                hit = ()
            else:
                hit = tuple(k for k, rx in self._per_area if rx.search(word))
            if len(self._words) < self._CACHE_LIMIT:
                self._words[word] = hit
        return hit

    def matches(self, norm: str) -> list[tuple[int, list[re.Match[str]]]]:
        """(area position, matches) for every area with a match in ``norm``."""
        folded = norm.translate(_PREFILTER_FOLD)  # same length as norm
        starts: dict[int, set[int]] = {}
        for w in _WORD_RUN.finditer(folded):
            for k in self._areas_in_word(w.group()):
                starts.setdefault(k, set()).add(w.start())
        for k, cores in enumerate(self.odd_cores):
            for core in cores:
                i = folded.find(core)
                while i != -1:
                    ws = i
                    while ws > 0 and _WORD_CHAR.match(norm, ws - 1):
                        ws -= 1
                    starts.setdefault(k, set()).add(ws)
                    i = folded.find(core, i + 1)
        out = []
        for k in sorted(starts):
            pattern = self.areas[k].pattern
            found: list[re.Match[str]] = []
            pos = 0
            for ws in sorted(starts[k]):
                if ws < pos:
                    continue
                m = pattern.match(norm, ws)
                if m is not None and m.end() > m.start():
                    found.append(m)
                    pos = m.end()
            if found:
                out.append((k, found))
        return out


@lru_cache(maxsize=16)
def _matcher(areas: tuple[_Area, ...]) -> _Matcher:
    return _Matcher(areas)


def _score_text(text: str, matcher: _Matcher) -> tuple[str, str, str]:
    """Primary, secondary and matched words for one text."""
    scores: list[tuple[int, int, str]] = []
    hits: list[tuple[int, str]] = []
    for k, found in matcher.matches(normalise_text(text)):
        hits.extend((m.start(), m.group(0)) for m in found)
        scores.append((-len(found), k, matcher.areas[k].area_id))
    scores.sort()
    primary = scores[0][2] if scores else OTHER
    secondary = scores[1][2] if len(scores) > 1 else ""
    words: list[str] = []
    for _, w in sorted(hits):
        w = " ".join(w.split())
        if w not in words:
            words.append(w)
    return primary, secondary, "; ".join(words)


def _parse_override(value: str, known: frozenset[str]) -> tuple[str, str, str] | None:
    """(primary, secondary, problem) or None when there is no override."""
    v = value.strip()
    if not v:
        return None
    parts = [p.strip().casefold() for p in v.split(";")]
    parts = [p for p in parts if p]
    if not parts:
        return None
    if len(parts) > 2:
        return ("", "", f"override {v!r} names more than two areas (write primary;secondary)")
    unknown = [p for p in parts if p not in known]
    if unknown:
        return ("", "", f"override names unknown policy area(s) {unknown}; keywords used instead")
    primary = parts[0]
    secondary = parts[1] if len(parts) == 2 and parts[1] != primary else ""
    return (primary, secondary, "")


def classify_policy_area(
    texts: Iterable[str | None],
    vocabulary: pd.DataFrame | str | os.PathLike[str] | None = None,
    override: Iterable[str | None] | None = None,
) -> pd.DataFrame:
    """Assign a primary and a secondary policy area to each text.

    Parameters
    ----------
    texts
        One text per agreement; the build passes ``title + " " +
        policy_area_text + " " + civil_partners``. Missing values allowed.
    vocabulary
        A table from :func:`load_policy_vocabulary`, a path to a vocabulary
        YAML, or None for the project's vocabulary.
    override
        Optional, aligned with ``texts``: hand codings such as
        ``"homelessness"`` or ``"homelessness;addiction"`` (primary;secondary).
        A non-empty override always wins. One that names an unknown area id
        (or more than two areas) is reported in ``problem`` and the keywords
        are used instead.

    Returns
    -------
    pandas.DataFrame
        One row per text (``RangeIndex``): ``policy_area_primary`` (an area
        id), ``policy_area_secondary`` (an area id or ""),
        ``policy_area_source`` ("override", "keywords" or "none"),
        ``matched_stems`` (the words and phrases that matched any area, in
        text order, ``"; "``-joined; also filled when an override wins) and
        ``problem`` ("" unless the override is bad).

    Raises
    ------
    InputError
        If the vocabulary is invalid, or ``override`` does not have one entry
        per text.

    Notes
    -----
    Texts are NFC-normalised and casefolded. Each area's stems are compiled
    once (:func:`iopstudy.text.compile_stems`, longest stem first so a
    phrase wins over a word inside it) with the area's ``exclude`` stems. The
    score of an area is the number of matches in the text (a word repeated in
    title and description counts twice). The primary area has the highest
    score, ties going to the area listed first in the vocabulary; the
    secondary area is the next one with a hit. A text with no hit gets
    ``other`` and source ``"none"``: that is the signal to code it by hand,
    not a problem.

    Examples
    --------
    >>> out = classify_policy_area(
    ...     ["föräldrastöd via kulturtolkar", "Bostad först för hemlösa med missbruk", "okänt"],
    ...     override=[None, None, "older_loneliness"],
    ... )
    >>> out["policy_area_primary"].tolist()
    ['children_youth', 'homelessness', 'older_loneliness']
    >>> out["policy_area_secondary"].tolist(), out["policy_area_source"].tolist()
    (['', 'addiction', ''], ['keywords', 'keywords', 'override'])
    """
    voc = _vocabulary_frame(vocabulary)
    areas = []
    for row in voc.itertuples(index=False):
        try:
            areas.append(
                _compile_area(
                    str(row.area_id), tuple(row.stems or ()), tuple(getattr(row, "exclude", None) or ())
                )
            )
        except (ValueError, TypeError, AttributeError) as err:
            raise InputError(f"area {row.area_id!r}: bad stem ({err})") from None
    areas = tuple(areas)
    known = frozenset(a.area_id for a in areas)

    codes, uniques = _factorize_texts(texts)
    n = len(codes)
    matcher = _matcher(areas)
    scored = [_score_text(u, matcher) for u in uniques]

    def column(k: int) -> np.ndarray:
        arr = np.empty(len(scored), dtype=object)
        arr[:] = [s[k] for s in scored]
        return arr[codes]

    primary, secondary, matched = column(0), column(1), column(2)
    source = np.where(matched != "", "keywords", "none").astype(object)
    problem = np.full(n, "", dtype=object)

    if override is not None:
        ov_codes, ov_uniques = _factorize_texts(override)
        if len(ov_codes) != n:
            raise InputError(
                f"override must have one entry per text ({n} texts, {len(ov_codes)} overrides)"
            )
        parsed = [_parse_override(u, known) for u in ov_uniques]
        wins = np.array([r is not None and not r[2] for r in parsed], dtype=bool)[ov_codes]
        ov_primary = np.array([r[0] if r else "" for r in parsed], dtype=object)[ov_codes]
        ov_secondary = np.array([r[1] if r else "" for r in parsed], dtype=object)[ov_codes]
        problem = np.array([r[2] if r else "" for r in parsed], dtype=object)[ov_codes]
        primary = np.where(wins, ov_primary, primary)
        secondary = np.where(wins, ov_secondary, secondary)
        source = np.where(wins, "override", source).astype(object)

    return pd.DataFrame(
        {
            "policy_area_primary": primary,
            "policy_area_secondary": secondary,
            "policy_area_source": source,
            "matched_stems": matched,
            "problem": problem,
        }
    )
