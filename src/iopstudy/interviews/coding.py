"""Dictionary pre-coding: the codebook's stems proposed as codes for interview segments.

What a machine proposed and what a coder decided never mix:

* **Pre-coding** (here) — :func:`precode` runs the codebook's stems over interview
  segments and returns *proposals* (``source="dictionary"``), one row per
  hit, with the word as written, the stem behind it and its offsets;
  :func:`precode_presence` turns them into a segment × code table and
  :func:`precode_partitions` runs the same function over a Dask DataFrame.
* **Manual codings** — :mod:`iopstudy.interviews.manual`: :func:`read_manual_codings`
  reads and validates a coders' table (``segment_id, code, coder``); :func:`compare_codings`
  sets the dictionary beside a coder or the coders' consensus (precision and recall per
  code). Both are importable from this module too.
* **Agreement** between coders — :mod:`iopstudy.interviews.reliability`
  (percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha).

REFI-QDA exchange is in :mod:`iopstudy.interviews.qdpx`.

How pre-coding is fast
----------------------
Regular expressions with hundreds of alternatives are slow in Python's
``re`` (every alternative is tried at every position), so :func:`precode`
never runs the code patterns over the corpus. It

1. splits all texts into words in one pass (``re.split`` on ``[\\w-]+``)
   and factorises them into a vocabulary;
2. classifies each *distinct* word once: a trie of the stems' literal cores
   picks the candidate words, and each code's compiled pattern (one named
   group per stem, see :func:`iopstudy.interviews.codebook.code_regex`) is run over the
   candidates only;
3. checks phrases and multi-word exclusions only where their first two
   words occur (vectorised with NumPy), by matching the code's pattern at
   that position.

The result is the same as running each code's pattern with ``finditer``
over every segment (tested against that reference), at a small fraction of
the cost: no Python loop runs over segments × codes.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.interviews.codebook import Codebook, code_regex, load_codebook
from iopstudy.interviews.manual import (
    MANUAL_COLUMNS,
    ManualCodings,
    compare_codings,
    read_manual_codings,
)
from iopstudy.text import WORD_CHAR as _WORD
from iopstudy.text import normalise_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

from iopstudy.errors import require_columns

__all__ = [
    "PRECODE_COLUMNS",
    "MANUAL_COLUMNS",
    "precode",
    "precode_reference",
    "precode_presence",
    "precode_partitions",
    "read_manual_codings",
    "compare_codings",
]


#: Columns of :func:`precode`'s result.
PRECODE_COLUMNS = ("segment_id", "code", "theme", "matched", "pattern", "start", "end", "source")


_SPLIT = re.compile(rf"({_WORD}+)")


_SEP = "\x00"  # joins texts: neither a word character nor white space


_CHUNK_CHARS = 4_000_000  # texts are scanned in chunks of about this many characters


_VOCAB_LIMIT = 2_000_000  # distinct words cached per codebook


def _trie_pattern(cores: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``cores`` (literal strings), built as a trie."""
    trie: dict[str, Any] = {}
    for core in sorted(set(cores), key=len):
        node = trie
        for ch in core:
            if node.get("") is True:  # a shorter core already ends here
                break
            node = node.setdefault(ch, {})
        else:
            node.clear()
            node[""] = True

    def emit(node: dict[str, Any]) -> str:
        if node.get("") is True:
            return ""
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    if not trie:
        return re.compile(r"(?!x)x")
    return re.compile(emit(trie))


def _core(word: str) -> str:
    return normalise_text(word.rstrip("*"))


class _Matcher:
    """A codebook compiled for fast pre-coding (built once per codebook)."""

    def __init__(self, codebook: Codebook) -> None:
        codes = codebook.codes
        self.code_ids: list[str] = codes["code_id"].tolist()
        self.theme_ids: list[str] = codes["theme_id"].tolist()
        self.patterns: list[re.Pattern[str]] = []
        self.stem_offset: list[int] = []
        self.stems: list[str] = []  # all stems, code by code, in group order
        single_cores: list[str] = []
        items: list[tuple[int, str, str]] = []  # (code, first-word core, second-word core)
        for c, row in enumerate(codes.itertuples(index=False)):
            pattern, order = code_regex(row.stems, row.exclude_stems, row.case_sensitive_stems)
            self.patterns.append(pattern)
            self.stem_offset.append(len(self.stems))
            self.stems.extend(order)
            for stem in [*row.stems, *row.case_sensitive_stems]:
                words = stem.split()
                if len(words) == 1:
                    single_cores.append(_core(words[0]))
                else:
                    items.append((c, _core(words[0]), _core(words[1])))
            for stem in row.exclude_stems:  # single-word exclusions depend on the word only
                words = stem.split()
                if len(words) > 1:
                    items.append((c, _core(words[0]), _core(words[1])))
        self.trie = _trie_pattern(single_cores)
        self.items = items
        self.item_code = np.array([c for c, _, _ in items], dtype=np.int64)
        self.first_cores = sorted({f for _, f, _ in items})
        self.second_cores = sorted({s for _, _, s in items})
        self.item_first = np.array([self.first_cores.index(f) for _, f, _ in items], dtype=np.int64)
        self.item_second = np.array([self.second_cores.index(s) for _, _, s in items], dtype=np.int64)
        self.first_index = {c: i for i, c in enumerate(self.first_cores)}
        self.second_index = {c: i for i, c in enumerate(self.second_cores)}
        self.first_lengths = sorted({len(c) for c in self.first_cores})
        self.second_lengths = sorted({len(c) for c in self.second_cores})
        # vocabulary cache: word as written -> (hits, first-core mask, second-core mask)
        self.vocab: dict[str, tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]] = {}

    # -- vocabulary -------------------------------------------------------
    def _classify(self, words: list[str]) -> None:
        """Fill the cache for words not seen before."""
        new = [w for w in words if w not in self.vocab]
        if not new:
            return
        if len(self.vocab) + len(new) > _VOCAB_LIMIT:  # bound the memory of long sessions
            keep = set(words)
            self.vocab = {w: v for w, v in self.vocab.items() if w in keep}
        folded = [w.casefold() for w in new]
        # 1. candidates for single-word stems: the word contains a stem core
        starts = np.cumsum([0] + [len(f) + 1 for f in folded[:-1]])
        joined = _SEP.join(folded)
        cand_idx = np.unique(
            np.searchsorted(starts, [m.start() for m in self.trie.finditer(joined)], side="right") - 1
        )
        hits: dict[int, list[tuple[int, int]]] = {}
        if len(cand_idx):
            cands = [new[i] for i in cand_idx]
            cstarts = np.cumsum([0] + [len(w) + 1 for w in cands[:-1]])
            cjoined = _SEP.join(cands)
            for c, pattern in enumerate(self.patterns):
                for m in pattern.finditer(cjoined):
                    k = int(np.searchsorted(cstarts, m.start(), side="right") - 1)
                    j = self.stem_offset[c] + int(m.lastgroup[1:])  # type: ignore[index]
                    hits.setdefault(int(cand_idx[k]), []).append((c, j))
        # 2. first/second words of phrases and multi-word exclusions: which
        #    cores each word starts with (a dict lookup per distinct core length)
        firsts = [self._prefixes(f, self.first_index, self.first_lengths) for f in folded]
        seconds = [self._prefixes(f, self.second_index, self.second_lengths) for f in folded]
        for i, w in enumerate(new):
            self.vocab[w] = (tuple(hits.get(i, ())), firsts[i], seconds[i])

    @staticmethod
    def _prefixes(folded: str, index: dict[str, int], lengths: list[int]) -> tuple[int, ...]:
        out = []
        for n in lengths:
            if n > len(folded):
                break
            b = index.get(folded[:n])
            if b is not None:
                out.append(b)
        return tuple(out)

    # -- one chunk of texts -----------------------------------------------
    def scan(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Hits in ``texts``: arrays seg, start, end (within the text), code, stem, matched."""
        import pandas as pd

        empty = {
            "seg": np.zeros(0, np.int64),
            "start": np.zeros(0, np.int64),
            "end": np.zeros(0, np.int64),
            "code": np.zeros(0, np.int64),
            "stem": np.zeros(0, np.int64),
            "matched": np.zeros(0, object),
        }
        if not texts:
            return empty
        big = _SEP.join(texts)
        seg_start = np.zeros(len(texts), np.int64)
        seg_start[1:] = np.cumsum([len(t) + 1 for t in texts[:-1]])
        pieces = _SPLIT.split(big)
        if len(pieces) < 2:
            return empty
        lens = np.fromiter(map(len, pieces), np.int64, len(pieces))
        pos = np.zeros(len(pieces), np.int64)
        pos[1:] = np.cumsum(lens[:-1])
        tok_start = pos[1::2]
        tok_end = tok_start + lens[1::2]
        words = np.array(pieces[1::2], dtype=object)
        del pieces
        tok_word, uniq = pd.factorize(words)
        uniq = list(uniq)
        self._classify(uniq)
        info = [self.vocab[w] for w in uniq]
        n_tok = len(tok_word)
        n_codes = len(self.code_ids)

        # -- context-free hits of single-word stems
        n_hits = np.array([len(h) for h, _, _ in info], dtype=np.int64)
        first_hit = np.zeros(len(uniq) + 1, np.int64)
        first_hit[1:] = np.cumsum(n_hits)
        flat = [hc for h, _, _ in info for hc in h]
        flat_code = np.array([c for c, _ in flat], dtype=np.int64)
        flat_stem = np.array([j for _, j in flat], dtype=np.int64)
        P = np.flatnonzero(n_hits[tok_word] > 0)
        cnt = n_hits[tok_word[P]]
        rows_tok = np.repeat(P, cnt)
        within = np.arange(len(rows_tok)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        flat_idx = np.repeat(first_hit[tok_word[P]], cnt) + within
        h_tok = rows_tok
        h_code = flat_code[flat_idx] if len(flat_idx) else np.zeros(0, np.int64)
        h_stem = flat_stem[flat_idx] if len(flat_idx) else np.zeros(0, np.int64)
        h_start = tok_start[h_tok]
        h_end = tok_end[h_tok]

        # -- positions where a phrase or a multi-word exclusion may apply
        multi = None
        if len(self.items):
            fm = np.zeros((len(uniq), len(self.first_cores)), dtype=bool)
            sm = np.zeros((len(uniq), len(self.second_cores)), dtype=bool)
            for i, (_, f, s2) in enumerate(info):
                if f:
                    fm[i, list(f)] = True
                if s2:
                    sm[i, list(s2)] = True
            Pc = np.flatnonzero(fm.any(axis=1)[tok_word])
            Pc = Pc[Pc + 1 < n_tok]
            pairs_tok: list[np.ndarray] = []
            pairs_code: list[np.ndarray] = []
            if len(Pc):
                ok = fm[tok_word[Pc]][:, self.item_first] & sm[tok_word[Pc + 1]][:, self.item_second]
                r, k = np.nonzero(ok)
                if len(r):
                    pairs_tok.append(Pc[r])
                    pairs_code.append(self.item_code[k])
            if pairs_tok:
                key = np.unique(np.concatenate(pairs_tok) * n_codes + np.concatenate(pairs_code))
                v_tok, v_code = key // n_codes, key % n_codes
                # verified matches replace context-free results at these (token, code)
                keep = ~np.isin(h_tok * n_codes + h_code, key)
                h_tok, h_code, h_stem, h_start, h_end = (
                    h_tok[keep], h_code[keep], h_stem[keep], h_start[keep], h_end[keep]
                )
                m_tok, m_code, m_stem, m_start, m_end = [], [], [], [], []
                for t, c in zip(v_tok.tolist(), v_code.tolist()):
                    m = self.patterns[c].match(big, int(tok_start[t]))
                    if m is not None:
                        m_tok.append(t)
                        m_code.append(c)
                        m_stem.append(self.stem_offset[c] + int(m.lastgroup[1:]))  # type: ignore[index]
                        m_start.append(m.start())
                        m_end.append(m.end())
                if m_tok:
                    multi = np.array(m_end, np.int64) > tok_end[np.array(m_tok, np.int64)]
                    h_tok = np.concatenate([h_tok, np.array(m_tok, np.int64)])
                    h_code = np.concatenate([h_code, np.array(m_code, np.int64)])
                    h_stem = np.concatenate([h_stem, np.array(m_stem, np.int64)])
                    h_start = np.concatenate([h_start, np.array(m_start, np.int64)])
                    h_end = np.concatenate([h_end, np.array(m_end, np.int64)])
                    multi = np.concatenate([np.zeros(len(h_tok) - len(m_tok), bool), multi])

        # -- within a code, a phrase hides hits inside it (finditer semantics)
        order = np.lexsort((h_start, h_code))
        h_tok, h_code, h_stem, h_start, h_end = (a[order] for a in (h_tok, h_code, h_stem, h_start, h_end))
        if multi is not None and multi.any():
            multi = multi[order]
            drop = np.zeros(len(h_start), bool)
            for i in np.flatnonzero(multi):
                if drop[i]:
                    continue
                c = h_code[i]
                lo = np.searchsorted(h_code, c, side="left")
                hi = np.searchsorted(h_code, c, side="right")
                a = lo + np.searchsorted(h_start[lo:hi], h_start[i], side="right")
                b = lo + np.searchsorted(h_start[lo:hi], h_end[i], side="left")
                drop[a:b] = True
            keep = ~drop
            h_tok, h_code, h_stem, h_start, h_end = (a[keep] for a in (h_tok, h_code, h_stem, h_start, h_end))

        seg = np.searchsorted(seg_start, h_start, side="right") - 1
        order = np.lexsort((h_code, h_start, seg))
        seg, h_code, h_stem, h_start, h_end = (a[order] for a in (seg, h_code, h_stem, h_start, h_end))
        matched = np.array([big[a:b] for a, b in zip(h_start.tolist(), h_end.tolist())], dtype=object)
        return {
            "seg": seg,
            "start": h_start - seg_start[seg],
            "end": h_end - seg_start[seg],
            "code": h_code,
            "stem": h_stem,
            "matched": matched,
        }


_MATCHERS: dict[str, _Matcher] = {}


def _matcher_for(codebook: Codebook) -> _Matcher:
    key = codebook.fingerprint()
    if key not in _MATCHERS:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        _MATCHERS[key] = _Matcher(codebook)
    return _MATCHERS[key]


def _texts(series: "pd.Series") -> list[str]:
    """Texts as a list of str (missing -> ""), NFC-normalised, without NUL."""
    import pandas as pd

    texts = [t if isinstance(t, str) else ("" if pd.isna(t) else str(t)) for t in series.tolist()]
    joined = _SEP.join(texts)
    if joined.count(_SEP) != max(len(texts) - 1, 0):
        texts = [t.replace(_SEP, "\x01") for t in texts]  # same length, keeps offsets
        joined = _SEP.join(texts)
    if not unicodedata.is_normalized("NFC", joined):
        bad = [i for i, t in enumerate(texts) if not unicodedata.is_normalized("NFC", t)]
        warnings.warn(
            f"{len(bad)} segment text(s) are not in Unicode NFC (e.g. decomposed å/ä/ö); they were "
            "normalised before matching, so their offsets refer to the NFC text. "
            "iopstudy.interviews normalises transcripts on import.",
            IopStudyWarning,
            stacklevel=3,
        )
        for i in bad:
            texts[i] = unicodedata.normalize("NFC", texts[i])
    return texts


def _empty_precode(id_dtype: Any = object) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(
        {
            "segment_id": pd.Series([], dtype=id_dtype),
            "code": pd.Series([], dtype=object),
            "theme": pd.Series([], dtype=object),
            "matched": pd.Series([], dtype=object),
            "pattern": pd.Series([], dtype=object),
            "start": pd.Series([], dtype="int64"),
            "end": pd.Series([], dtype="int64"),
            "source": pd.Series([], dtype=object),
        }
    )


def precode(
    segments: "pd.DataFrame",
    codebook: Codebook | None = None,
    text: str = "text",
    id: str = "segment_id",  # noqa: A002 - the brief's name
) -> "pd.DataFrame":
    """Propose codes for segments from the codebook's dictionary stems.

    Parameters
    ----------
    segments
        Any DataFrame with a text column and a unique id column (e.g. the
        segments of :func:`iopstudy.interviews.read_corpus`).
    codebook
        A :class:`~iopstudy.interviews.codebook.Codebook`; default: the packaged one.
    text, id
        Names of the text and id columns.

    Returns
    -------
    pandas.DataFrame
        One row per hit, ordered by segment, position and code:

        ==========  =========================================================
        segment_id  the segment's id (dtype of the id column)
        code        code id (``GOV.TRUST``)
        theme       theme id (``GOV``)
        matched     the word or phrase as written in the text
        pattern     the stem that matched (``förtroende*``)
        start, end  int64 offsets of ``matched`` in the segment's text
        source      ``"dictionary"`` (these are proposals, not codings)
        ==========  =========================================================

        A word can be a hit for several codes (``samskap*`` is a stem of
        ``GOV.NPG`` and ``PRAC.COPROD``); within one code, hits do not
        overlap (a phrase hides the words inside it).

    Raises
    ------
    InputError
        If a column is missing or the ids are not unique.

    Notes
    -----
    Equivalent to running each code's pattern (see
    :meth:`~iopstudy.interviews.codebook.Codebook.compile`) with ``finditer`` over every
    text (:func:`precode_reference` does exactly that, slowly), but the
    patterns only ever see distinct words and phrase positions; see the
    module docstring. Texts that are not NFC-normalised are normalised with
    a warning.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": ["s1"], "text": ["Förtroendet växer, sa förtroendevalda."]})
    >>> precode(seg)[["code", "matched", "pattern", "start", "end"]].values.tolist()
    [['GOV.TRUST', 'Förtroendet', 'förtroende*', 0, 11]]
    """
    import pandas as pd

    require_columns(segments, [text, id], "segments")
    cb = load_codebook() if codebook is None else codebook
    ids = segments[id]
    if ids.isna().any():
        pos = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise InputError("a segment has no id", row=pos, column=id)
    dup = ids.duplicated()
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError("segment ids are not unique", row=pos, column=id, value=ids.iloc[pos])
    if len(segments) == 0:
        return _empty_precode(ids.dtype)
    matcher = _matcher_for(cb)
    texts = _texts(segments[text])
    # chunks of about _CHUNK_CHARS characters bound the memory of the word split
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    cum = np.cumsum(lengths + 1)
    bounds = [0]
    while bounds[-1] < len(texts):
        base = cum[bounds[-1] - 1] if bounds[-1] > 0 else 0
        nxt = int(np.searchsorted(cum, base + _CHUNK_CHARS, side="right"))
        bounds.append(min(max(nxt, bounds[-1] + 1), len(texts)))
    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        r = matcher.scan(texts[lo:hi])
        r["seg"] = r["seg"] + lo
        parts.append(r)
    res = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    code_ids = np.array(matcher.code_ids, dtype=object)
    theme_ids = np.array(matcher.theme_ids, dtype=object)
    stems = np.array(matcher.stems, dtype=object)
    out = pd.DataFrame(
        {
            "segment_id": ids.iloc[res["seg"]].reset_index(drop=True),
            "code": code_ids[res["code"]],
            "theme": theme_ids[res["code"]],
            "matched": res["matched"],
            "pattern": stems[res["stem"]],
            "start": res["start"].astype("int64"),
            "end": res["end"].astype("int64"),
            "source": "dictionary",
        }
    )
    if len(out) == 0:
        return _empty_precode(ids.dtype)
    return out


def precode_reference(
    segments: "pd.DataFrame",
    codebook: Codebook | None = None,
    text: str = "text",
    id: str = "segment_id",  # noqa: A002
) -> "pd.DataFrame":
    """Slow reference for :func:`precode`: each code's pattern over each text.

    A Python loop over segments × codes; use it to check :func:`precode` or
    on a handful of segments. Same columns and order as :func:`precode`.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": ["s1"], "text": ["Förtroendet växer, sa förtroendevalda."]})
    >>> cb = load_codebook()
    >>> ref = precode_reference(seg, cb)
    >>> ref[["code", "matched", "start", "end"]].values.tolist()
    [['GOV.TRUST', 'Förtroendet', 0, 11]]
    >>> ref.equals(precode(seg, cb))
    True
    """
    import pandas as pd

    require_columns(segments, [text, id], "segments")
    cb = load_codebook() if codebook is None else codebook
    texts = _texts(segments[text])
    compiled = [
        (row.code_id, row.theme_id, *code_regex(row.stems, row.exclude_stems, row.case_sensitive_stems))
        for row in cb.codes.itertuples(index=False)
    ]
    rows = []
    for sid, t in zip(segments[id].tolist(), texts):
        for k, (code_id, theme_id, pattern, order) in enumerate(compiled):
            for m in pattern.finditer(t):
                rows.append((sid, k, code_id, theme_id, m.group(0), order[int(m.lastgroup[1:])], m.start(), m.end()))
    if not rows:
        return _empty_precode(segments[id].dtype)
    df = pd.DataFrame(rows, columns=["segment_id", "_k", "code", "theme", "matched", "pattern", "start", "end"])
    df["_s"] = df["segment_id"].map({s: i for i, s in enumerate(segments[id].tolist())})
    df = df.sort_values(["_s", "start", "_k"], kind="stable").drop(columns=["_s", "_k"]).reset_index(drop=True)
    df["source"] = "dictionary"
    df["segment_id"] = df["segment_id"].astype(segments[id].dtype)
    df[["start", "end"]] = df[["start", "end"]].astype("int64")
    return df[list(PRECODE_COLUMNS)]


def precode_presence(
    segments: "pd.DataFrame",
    codebook: Codebook | None = None,
    text: str = "text",
    id: str = "segment_id",  # noqa: A002
    *,
    long: bool = False,
) -> "pd.DataFrame":
    """Segment × code presence of dictionary proposals.

    Parameters
    ----------
    segments, codebook, text, id
        As for :func:`precode`.
    long
        Return a long table instead of a wide one.

    Returns
    -------
    pandas.DataFrame
        Wide (default): index = segment ids (all segments, in input order,
        named after ``id``), one bool column per code in codebook order.
        Long: columns ``segment_id, code, present`` (every segment × code).

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": ["s1", "s2", "s3"],
    ...                     "text": ["Vi följer LOU.", "Tilliten växer.", "Vi fick lov att börja."]})
    >>> cb = load_codebook()
    >>> wide = precode_presence(seg, cb)
    >>> wide.shape, wide.index.name, wide.columns[wide.loc["s1"]].tolist()
    ((3, 20), 'segment_id', ['LAW.LOU'])
    >>> long = precode_presence(seg, cb, long=True)
    >>> len(long), long.loc[long["present"], ["segment_id", "code"]].values.tolist()
    (60, [['s1', 'LAW.LOU'], ['s2', 'GOV.TRUST']])
    """
    import pandas as pd

    cb = load_codebook() if codebook is None else codebook
    hits = precode(segments, cb, text=text, id=id)
    ids = segments[id]
    codes = cb.code_ids
    mat = np.zeros((len(ids), len(codes)), dtype=bool)
    if len(hits):
        r = pd.Index(ids).get_indexer(hits["segment_id"])
        c = pd.Index(codes).get_indexer(hits["code"])
        mat[r, c] = True
    wide = pd.DataFrame(mat, index=pd.Index(ids.to_numpy(), name=id), columns=codes)
    if not long:
        return wide
    return pd.DataFrame(
        {
            "segment_id": np.repeat(ids.to_numpy(), len(codes)),
            "code": np.tile(np.array(codes, dtype=object), len(ids)),
            "present": mat.ravel(),
        }
    )


def precode_partitions(
    ddf: Any,
    codebook: Codebook | None = None,
    text: str = "text",
    id: str = "segment_id",  # noqa: A002
) -> Any:
    """Run :func:`precode` on every partition of a Dask DataFrame.

    Parameters
    ----------
    ddf
        A ``dask.dataframe.DataFrame`` with the text and id columns; ids
        must be unique within each partition (and should be overall).
    codebook, text, id
        As for :func:`precode`; the codebook is loaded here once and shipped
        to the workers, each of which compiles it once.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; ``.compute()`` gives the rows :func:`precode` gives on the whole
        table (index per partition; sort and reset it to compare).

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> dd = pytest.importorskip("dask.dataframe")  # the optional [dask] extra
    >>> seg = pd.DataFrame({"segment_id": ["s1", "s2", "s3"],
    ...                     "text": ["Vi följer LOU.", "Tilliten växer.", "Inget att koda."]})
    >>> lazy = precode_partitions(dd.from_pandas(seg, npartitions=2))
    >>> lazy.compute(scheduler="synchronous")[["segment_id", "code", "matched"]].values.tolist()
    [['s1', 'LAW.LOU', 'LOU'], ['s2', 'GOV.TRUST', 'Tilliten']]
    """
    cb = load_codebook() if codebook is None else codebook
    meta = _empty_precode(ddf._meta[id].dtype)
    return ddf.map_partitions(precode, codebook=cb, text=text, id=id, meta=meta)
