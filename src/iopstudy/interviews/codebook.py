"""The interview codebook: themes, codes, definitions and dictionary stems.

The package ships its own codebook, ``iopstudy/data/codebook_iop.yml``
(5 themes, 20 codes), started from the project's draft. It has two levels,
*theme* > *code*; every code has an id (``GOV.NPM``: theme id, a dot, a
short name), Swedish and English labels, a definition, include and exclude
notes, and three lists of stems for the dictionary pre-coding
(:func:`iopstudy.interviews.coding.precode`):

``stems``
    Swedish stems in the notation of :mod:`iopstudy.text` — lower case,
    matched case-insensitively; ``*`` = the stem may be followed by more
    letters and, in a single-word stem, may also start inside a compound
    (``upphandl*`` matches *direktupphandlingen*); no ``*`` = a whole word;
    several words = a phrase.
``exclude_stems``
    Known false matches, same notation: a word that matches one of them is
    never a hit for the code (``förtroendevald*`` keeps ``förtroende*`` off
    *förtroendevalda*; ``medborgardialog*``, ``kommungräns*``, ...).
``case_sensitive_stems``
    Stems matched with their case as written. Used for acronyms that are
    ordinary words in lower case: ``LOV`` (*lagen om valfrihetssystem*) is
    a hit for ``LAW.LOU``, but *fick lov att* ("was allowed to") is not.

Within a code, phrases are tried before single words (more words first), so
that the longest stem is the one reported as the match.

:func:`load_codebook` reads and validates a codebook YAML file and returns a
:class:`Codebook` whose ``themes`` and ``codes`` are DataFrames.
:func:`codebook_to_qdc` and :func:`read_qdc` exchange it with QDA tools as a
REFI-QDA codebook (``.qdc``, ``urn:QDA-XML:codebook:1.0``).

Examples
--------
>>> cb = load_codebook()
>>> len(cb.themes), len(cb.codes)
(5, 20)
>>> bool(cb.compile("LAW.LOU").search("enligt LOV"))
True
>>> bool(cb.compile("LAW.LOU").search("vi fick lov att börja"))
False
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iopstudy.errors import InputError
from iopstudy.text import WORD_CHAR as _WORD
from iopstudy.text import exclusion_lookahead, nfc, stem_to_regex

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Codebook",
    "CODE_COLUMNS",
    "THEME_COLUMNS",
    "IOPSTUDY_NAMESPACE",
    "code_guid",
    "load_codebook",
    "codebook_from_dict",
    "stem_regex",
    "code_regex",
]


#: Columns of :attr:`Codebook.codes`.
CODE_COLUMNS = (
    "code_id",
    "theme_id",
    "label_sv",
    "label_en",
    "definition",
    "include",
    "exclude",
    "stems",
    "exclude_stems",
    "case_sensitive_stems",
    "color",
)


#: Columns of :attr:`Codebook.themes`.
THEME_COLUMNS = ("theme_id", "label_sv", "label_en", "definition", "color")


#: Fixed namespace of every GUID iopstudy writes (uuid5 of this and a stable
#: name), so that re-exports are byte-identical. Equal to
#: ``uuid.uuid5(uuid.NAMESPACE_URL, "urn:iopstudy")``.
IOPSTUDY_NAMESPACE = uuid.UUID("a04b24b3-0303-5bdc-96eb-3ccff03a07a7")


#: Default theme colours (Okabe–Ito, colour-blind safe), in theme order.
_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#999999")


_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?$")


_STEM_WORD = re.compile(r"^[^\W_][\w\-]*\*?$")


COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


_DEFAULT_FILE = "codebook_iop.yml"


def code_fields(c: Any) -> dict[str, Any]:
    """A code's labels, notes and stems as written in the YAML and in a .qdc description."""
    return {
        "sv": c.label_sv,
        "en": c.label_en,
        "definition": c.definition,
        "include": c.include,
        "exclude": c.exclude,
        "stems": list(c.stems),
        "exclude_stems": list(c.exclude_stems),
        "case_sensitive_stems": list(c.case_sensitive_stems),
    }


def code_guid(code_id: str) -> str:
    """The deterministic GUID of a theme or code id (uuid5, fixed namespace).

    Examples
    --------
    >>> code_guid("LAW.LOU")
    '22ecede5-d2ae-5769-8f06-0daa1f3b5d4e'
    >>> code_guid("LAW.LOU") == str(uuid.uuid5(IOPSTUDY_NAMESPACE, "LAW.LOU"))
    True
    """
    return str(uuid.uuid5(IOPSTUDY_NAMESPACE, code_id))


def _case_sensitive_fragment(stem: str) -> str:
    """Like :func:`iopstudy.text.stem_to_regex` but keeping the stem's case.

    The fragment is wrapped in ``(?-i:...)`` so it stays case-sensitive
    inside a pattern compiled with ``re.IGNORECASE``.
    """
    words = nfc(stem.strip()).split()
    if not words or words == ["*"]:
        raise ValueError(f"empty stem: {stem!r}")
    if len(words) == 1:
        w = words[0]
        core = re.escape(w.rstrip("*"))
        if w.endswith("*"):
            frag = rf"(?<!{_WORD}){_WORD}*{core}{_WORD}*"
        else:
            frag = rf"(?<!{_WORD}){core}(?!{_WORD})"
    else:
        parts = []
        for i, w in enumerate(words):
            core = re.escape(w.rstrip("*"))
            head = rf"(?<!{_WORD})" if i == 0 else ""
            tail = rf"{_WORD}*" if w.endswith("*") else rf"(?!{_WORD})"
            parts.append(head + core + tail)
        frag = r"\s+".join(parts)
    return f"(?-i:{frag})"


def stem_regex(stem: str, *, case_sensitive: bool = False) -> str:
    """Regular-expression fragment (no groups) for one stem.

    Parameters
    ----------
    stem
        A stem in the notation of :mod:`iopstudy.text`.
    case_sensitive
        Keep the stem's case (for acronyms such as ``LOV``); otherwise the
        fragment is the one of :func:`iopstudy.text.stem_to_regex`.

    Examples
    --------
    >>> bool(re.search(stem_regex("upphandl*"), "direktupphandlingen", re.IGNORECASE))
    True
    >>> lov = stem_regex("LOV", case_sensitive=True)
    >>> bool(re.search(lov, "enligt LOV", re.IGNORECASE)), bool(re.search(lov, "fick lov att", re.IGNORECASE))
    (True, False)
    """
    return _case_sensitive_fragment(stem) if case_sensitive else stem_to_regex(stem)


def _ordered(stems: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
    # phrases before single words, more words first; stable otherwise
    return sorted(stems, key=lambda sc: -len(sc[0].split()))


def code_regex(
    stems: Sequence[str],
    exclude_stems: Sequence[str] = (),
    case_sensitive_stems: Sequence[str] = (),
) -> tuple[re.Pattern[str], list[str]]:
    """Compile one code's stems into a pattern with one named group per stem.

    Parameters
    ----------
    stems, exclude_stems, case_sensitive_stems
        The code's stem lists (see the module docstring).

    Returns
    -------
    pattern : re.Pattern
        Case-insensitive pattern (case-sensitive stems excepted). Group
        ``s<j>`` matched when stem ``order[j]`` matched, so
        ``order[int(m.lastgroup[1:])]`` is the stem behind match ``m``.
        Semantics are those of :func:`iopstudy.text.compile_stems`, except
        that phrases are tried before single words.
    order : list of str
        The stems in the order of their groups.

    Examples
    --------
    >>> pattern, order = code_regex(["förtroende*", "tillit*"], ["förtroendevald*"], ["LOV"])
    >>> order
    ['förtroende*', 'tillit*', 'LOV']
    >>> m = pattern.search("Tilliten växer")
    >>> m.group(0), order[int(m.lastgroup[1:])]
    ('Tilliten', 'tillit*')
    >>> pattern.search("en förtroendevald") is None
    True
    """
    pairs = _ordered([(s, False) for s in stems] + [(s, True) for s in case_sensitive_stems])
    if not pairs:
        return re.compile(r"(?!x)x"), []
    alts = [f"(?P<s{j}>{stem_regex(s, case_sensitive=cs)})" for j, (s, cs) in enumerate(pairs)]
    look = exclusion_lookahead(exclude_stems)
    pattern = rf"(?<!{_WORD}){look}(?:{'|'.join(alts)})"
    return re.compile(pattern, re.IGNORECASE), [s for s, _ in pairs]


@dataclass(frozen=True, eq=False)
class Codebook:
    """A two-level codebook (theme > code).

    Attributes
    ----------
    themes : pandas.DataFrame
        One row per theme: ``theme_id, label_sv, label_en, definition, color``.
    codes : pandas.DataFrame
        One row per code: ``code_id, theme_id, label_sv, label_en,
        definition, include, exclude, stems, exclude_stems,
        case_sensitive_stems, color``; the three stem columns hold lists of
        str, ``color`` is the theme's unless the code sets its own.
    name, version : str
        From the file's ``codebook`` and ``version`` keys.
    source : str or None
        The file it was read from.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.theme_ids
    ['GOV', 'HYB', 'PRIN', 'LAW', 'PRAC']
    >>> cb.code_ids[:3], cb.code("LAW.LOU")["theme_id"]
    (['GOV.NPM', 'GOV.NPG', 'GOV.TRUST'], 'LAW')
    >>> list(cb.codes.columns) == list(CODE_COLUMNS), len(cb.fingerprint())
    (True, 40)
    """

    themes: "pd.DataFrame"
    codes: "pd.DataFrame"
    name: str = "iopstudy"
    version: str = ""
    source: str | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False, init=False)

    @property
    def code_ids(self) -> list[str]:
        """Code ids in codebook order."""
        return self.codes["code_id"].tolist()

    @property
    def theme_ids(self) -> list[str]:
        """Theme ids in codebook order."""
        return self.themes["theme_id"].tolist()

    def code(self, code_id: str) -> dict[str, Any]:
        """One code as a dict (raises ``KeyError`` for an unknown id)."""
        hit = self.codes.loc[self.codes["code_id"] == code_id]
        if hit.empty:
            raise KeyError(f"no code {code_id!r} in codebook {self.name!r}")
        return hit.iloc[0].to_dict()

    def compile(self, code_id: str) -> re.Pattern[str]:
        """The reference pattern of one code (see :func:`code_regex`)."""
        key = ("compile", code_id)
        if key not in self._cache:
            c = self.code(code_id)
            self._cache[key] = code_regex(c["stems"], c["exclude_stems"], c["case_sensitive_stems"])[0]
        return self._cache[key]

    def fingerprint(self) -> str:
        """SHA-1 of the codebook's content (stable across processes)."""
        if "fingerprint" not in self._cache:
            payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
            self._cache["fingerprint"] = hashlib.sha1(payload.encode("utf-8")).hexdigest()
        return self._cache["fingerprint"]

    def to_dict(self) -> dict[str, Any]:
        """The codebook in the structure of the YAML file."""
        themes = []
        for t in self.themes.itertuples(index=False):
            codes = []
            for c in self.codes.loc[self.codes["theme_id"] == t.theme_id].itertuples(index=False):
                d = {"id": c.code_id, **code_fields(c)}
                if c.color != t.color:
                    d["color"] = c.color
                codes.append(d)
            themes.append(
                {
                    "id": t.theme_id,
                    "sv": t.label_sv,
                    "en": t.label_en,
                    "definition": t.definition,
                    "color": t.color,
                    "codes": codes,
                }
            )
        return {"codebook": self.name, "version": self.version, "themes": themes}

    def equals(self, other: object) -> bool:
        """True when both codebooks have the same name, version, themes and codes."""
        if not isinstance(other, Codebook):
            return False
        return self.to_dict() == other.to_dict()

    def __getstate__(self) -> dict[str, Any]:  # pickle without compiled caches
        return {
            "themes": self.themes,
            "codes": self.codes,
            "name": self.name,
            "version": self.version,
            "source": self.source,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_cache", {})


class _Lines:
    """Line numbers of nodes in a YAML text (for error messages); composed when first asked."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self._root: Any = None
        self._composed = text is None

    @property
    def root(self) -> Any:
        if not self._composed:
            import yaml

            self._composed = True
            try:
                self._root = yaml.compose(self.text, Loader=yaml.SafeLoader)
            except Exception:  # pragma: no cover - load already succeeded
                self._root = None
        return self._root

    def line(self, *path: str | int) -> int | None:
        import yaml

        node = self.root
        found = None
        for key in path:
            if node is None:
                break
            if isinstance(node, yaml.MappingNode) and isinstance(key, str):
                nxt = None
                for k, v in node.value:
                    if getattr(k, "value", None) == key:
                        nxt = v
                        break
                node = nxt
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                node = node.value[key] if 0 <= key < len(node.value) else None
            else:
                node = None
            if node is not None:
                found = node
        return None if found is None else found.start_mark.line + 1


def _text(value: Any) -> str:
    if value is None:
        return ""
    return nfc(str(value)).strip()


def _check_stems(
    value: Any,
    key: str,
    code_id: str,
    file: str | None,
    lines: _Lines,
    path: tuple[str | int, ...],
    *,
    lower: bool,
) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list):
        raise InputError(
            f"code {code_id}: {key!r} must be a list of stems (write it as [a*, b*])",
            file=file,
            row=lines.line(*path, key),
            column=key,
            value=value,
        )
    out: list[str] = []
    for k, stem in enumerate(value):
        if not isinstance(stem, str):
            raise InputError(
                f"code {code_id}: {key} item {k + 1} is not a string "
                "(quote it, e.g. \"2008\" or \"ja\")",
                file=file,
                row=lines.line(*path, key, k),
                column=key,
                value=stem,
            )
        s = " ".join(nfc(stem).split())
        bad = [w for w in s.split() if not _STEM_WORD.match(w)] + [w for w in s.split()[:-1] if w.endswith("*")]
        if not s or bad:
            raise InputError(
                f"code {code_id}: bad pattern in {key}: each word must be letters, digits or "
                "hyphens, starting with a letter or digit; a '*' may only end the stem",
                file=file,
                row=lines.line(*path, key, k),
                column=key,
                value=stem,
            )
        if lower and s != s.casefold():
            raise InputError(
                f"code {code_id}: {key} must be lower case (they match case-insensitively); "
                "put case-sensitive acronyms such as 'LOV' under case_sensitive_stems",
                file=file,
                row=lines.line(*path, key, k),
                column=key,
                value=stem,
            )
        try:
            re.compile(stem_regex(s, case_sensitive=not lower))
        except (ValueError, re.error) as exc:  # pragma: no cover - guarded above
            raise InputError(
                f"code {code_id}: bad pattern in {key}: {exc}", file=file, row=lines.line(*path, key, k), column=key, value=stem
            ) from exc
        if s not in out:
            out.append(s)
    return out


def codebook_from_dict(data: Any, *, source: str | os.PathLike[str] | None = None, _yaml_text: str | None = None) -> Codebook:
    """Validate a codebook given as a dict (the YAML structure) and build it.

    Parameters
    ----------
    data
        ``{"codebook": name, "version": ..., "themes": [{"id", "sv", "en",
        "definition"?, "color"?, "codes": [{"id", "sv", "en", "definition",
        "include", "exclude", "stems", "exclude_stems"?,
        "case_sensitive_stems"?, "color"?}, ...]}, ...]}``.
    source
        File name for error messages.

    Returns
    -------
    Codebook

    Raises
    ------
    InputError
        Naming the file, the line (when read from YAML) and the code id:
        a duplicate id, a code outside a theme or with an id that does not
        start with its theme's id, a stem that is not a string, a bad stem
        pattern, an upper-case stem outside ``case_sensitive_stems``, a bad
        colour.

    Examples
    --------
    >>> cb = codebook_from_dict({"codebook": "demo", "version": "1", "themes": [
    ...     {"id": "LAW", "sv": "Juridik", "en": "Law", "codes": [
    ...         {"id": "LAW.LOU", "sv": "Upphandling", "en": "Procurement",
    ...          "stems": ["upphandl*"], "case_sensitive_stems": ["LOU"]}]}]})
    >>> cb.name, cb.code_ids, cb.codes.loc[0, "color"]
    ('demo', ['LAW.LOU'], '#E69F00')
    >>> bool(cb.compile("LAW.LOU").search("direktupphandlingen"))
    True
    >>> try:
    ...     codebook_from_dict({"themes": [{"id": "LAW", "codes": [{"id": "GOV.X"}]}]})
    ... except InputError as err:
    ...     print(err)
    column 'id': code GOV.X is listed under theme LAW: a code id must start with its theme's id
    and a dot (LAW.NAME); move the code or rename it (value: 'GOV.X')
    """
    import pandas as pd

    file = None if source is None else str(source)
    lines = _Lines(_yaml_text)
    if not isinstance(data, dict):
        raise InputError("a codebook must be a mapping with a 'themes' list", file=file, row=1)
    if "codes" in data:
        raise InputError(
            "code outside a theme: codes must be listed under a theme's 'codes' key",
            file=file,
            row=lines.line("codes"),
            column="codes",
        )
    themes_in = data.get("themes")
    if not isinstance(themes_in, list) or not themes_in:
        raise InputError("the codebook has no 'themes' list", file=file, row=lines.line("themes"))

    seen: dict[str, str] = {}
    theme_rows: list[dict[str, Any]] = []
    code_rows: list[dict[str, Any]] = []
    for i, theme in enumerate(themes_in):
        tpath: tuple[str | int, ...] = ("themes", i)
        if not isinstance(theme, dict):
            raise InputError(f"theme {i + 1} is not a mapping", file=file, row=lines.line(*tpath))
        tid = theme.get("id")
        if not isinstance(tid, str) or not _ID.match(tid) or "." in tid:
            raise InputError(
                "a theme needs an 'id' of letters/digits without a dot (e.g. GOV)",
                file=file,
                row=lines.line(*tpath),
                column="id",
                value=tid,
            )
        if tid in seen:
            raise InputError(
                f"duplicate id {tid} (already used by a {seen[tid]})", file=file, row=lines.line(*tpath, "id"), value=tid
            )
        seen[tid] = "theme"
        tcolor = theme.get("color") or _PALETTE[i % len(_PALETTE)]
        if not isinstance(tcolor, str) or not COLOR.match(tcolor):
            raise InputError(
                f"theme {tid}: colour must be '#RRGGBB'", file=file, row=lines.line(*tpath, "color"), value=tcolor
            )
        theme_rows.append(
            {
                "theme_id": tid,
                "label_sv": _text(theme.get("sv")) or tid,
                "label_en": _text(theme.get("en")) or _text(theme.get("sv")) or tid,
                "definition": _text(theme.get("definition")),
                "color": tcolor.upper(),
            }
        )
        codes_in = theme.get("codes") or []
        if not isinstance(codes_in, list):
            raise InputError(f"theme {tid}: 'codes' must be a list", file=file, row=lines.line(*tpath, "codes"))
        for j, code in enumerate(codes_in):
            cpath = (*tpath, "codes", j)
            if not isinstance(code, dict):
                raise InputError(f"theme {tid}: code {j + 1} is not a mapping", file=file, row=lines.line(*cpath))
            cid = code.get("id")
            if not isinstance(cid, str) or not _ID.match(cid):
                raise InputError(
                    f"theme {tid}: code {j + 1} needs an 'id' such as {tid}.NAME",
                    file=file,
                    row=lines.line(*cpath),
                    column="id",
                    value=cid,
                )
            if cid in seen:
                raise InputError(
                    f"duplicate id {cid} (already used by a {seen[cid]})",
                    file=file,
                    row=lines.line(*cpath, "id"),
                    column="id",
                    value=cid,
                )
            if cid.split(".")[0] != tid or "." not in cid:
                raise InputError(
                    f"code {cid} is listed under theme {tid}: a code id must start with its theme's id "
                    f"and a dot ({tid}.NAME); move the code or rename it",
                    file=file,
                    row=lines.line(*cpath, "id"),
                    column="id",
                    value=cid,
                )
            seen[cid] = "code"
            stems = _check_stems(code.get("stems"), "stems", cid, file, lines, cpath, lower=True)
            excl = _check_stems(code.get("exclude_stems"), "exclude_stems", cid, file, lines, cpath, lower=True)
            cs = _check_stems(
                code.get("case_sensitive_stems"), "case_sensitive_stems", cid, file, lines, cpath, lower=False
            )
            ccolor = code.get("color") or tcolor
            if not isinstance(ccolor, str) or not COLOR.match(ccolor):
                raise InputError(
                    f"code {cid}: colour must be '#RRGGBB'", file=file, row=lines.line(*cpath, "color"), value=ccolor
                )
            code_rows.append(
                {
                    "code_id": cid,
                    "theme_id": tid,
                    "label_sv": _text(code.get("sv")) or cid,
                    "label_en": _text(code.get("en")) or _text(code.get("sv")) or cid,
                    "definition": _text(code.get("definition")),
                    "include": _text(code.get("include")),
                    "exclude": _text(code.get("exclude")),
                    "stems": stems,
                    "exclude_stems": excl,
                    "case_sensitive_stems": cs,
                    "color": ccolor.upper(),
                }
            )
    if not code_rows:
        raise InputError("the codebook has no codes", file=file)
    themes = pd.DataFrame(theme_rows, columns=list(THEME_COLUMNS))
    codes = pd.DataFrame(code_rows, columns=list(CODE_COLUMNS))
    return Codebook(
        themes=themes,
        codes=codes,
        name=_text(data.get("codebook")) or "iopstudy",
        version=_text(data.get("version")),
        source=file,
    )


def load_codebook(path: str | os.PathLike[str] | None = None) -> Codebook:
    """Read and validate a codebook YAML file.

    Parameters
    ----------
    path
        A YAML file in the structure of ``iopstudy/data/codebook_iop.yml``;
        ``None`` (default) loads that packaged codebook.

    Returns
    -------
    Codebook
        ``.themes`` and ``.codes`` DataFrames (see :class:`Codebook`); a new one on every
        call, so changing it changes no other. The parsed YAML is cached by the text's
        content: reading the same codebook again is cheap, an edited file is read anew.

    Raises
    ------
    InputError
        With the file, the line and the code id of the problem (see
        :func:`codebook_from_dict`), or a YAML syntax error with its line.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.codes.loc[cb.codes.code_id == "GOV.TRUST", "exclude_stems"].iloc[0][:2]
    ['förtroendevald*', 'förtroendeuppdrag*']
    """
    if path is None:
        res = resources.files("iopstudy") / "data" / _DEFAULT_FILE
        text = res.read_text(encoding="utf-8")
        file = f"iopstudy/data/{_DEFAULT_FILE}"
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError("codebook file not found", file=str(p))
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"codebook is not UTF-8 ({exc.reason})", file=str(p)) from exc
        file = str(p)
    return codebook_from_dict(_parse_yaml(text, file), source=file, _yaml_text=text)


#: Parsed YAML of the last codebook texts read, keyed by the SHA-1 of the text (so an edited
#: file is parsed again); :func:`load_codebook` builds a fresh :class:`Codebook` from a copy.
_PARSED: dict[str, Any] = {}
_PARSED_MAX = 8


def _parse_yaml(text: str, file: str) -> Any:
    """``yaml.safe_load(text)``, cached by content; a deep copy, so callers cannot change the cache."""
    import copy

    import yaml

    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if key not in _PARSED:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(
                f"YAML syntax error: {getattr(exc, 'problem', exc)}",
                file=file,
                row=None if mark is None else mark.line + 1,
            ) from exc
        while len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = data
    return copy.deepcopy(_PARSED[key])
