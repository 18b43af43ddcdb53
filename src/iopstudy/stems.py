"""Swedish word stems as regular expressions.

One convention is shared by the policy-area vocabulary and the interview
codebook (see ``data/raw/register/policy_areas.yml`` and the codebook YAML):

* stems are lower case and matched case-insensitively after Unicode NFC
  normalisation;
* a single-word stem ending in ``*`` is a prefix that may start anywhere
  inside a word, because Swedish compounds are written as one word
  (``upphandl*`` matches *direktupphandlingen*);
* a stem without ``*`` matches a whole word only (``pris`` does not match
  *prisvärd*);
* a multi-word stem is a phrase: its words start at word boundaries, any
  amount of white space separates them, and a final ``*`` lets the last
  word continue (``våld i nära relation*``);
* exclusions are stems in the same notation; a word that matches an
  exclusion is never a hit (``förtroendevald*`` stops ``förtroende*`` from
  matching *förtroendevalda*).

Examples
--------
>>> rx = compile_stems(["förtroende*"], exclude=["förtroendevald*"])
>>> [m.group(0) for m in rx.finditer("Förtroendet växer, sa förtroendevalda.")]
['Förtroendet']
>>> bool(compile_stems(["lou"]).search("enligt LOU"))
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["normalise_text", "stem_to_regex", "compile_stems", "exclusion_lookahead"]

_WORD = r"[\w\-]"  # hyphens join Swedish compounds ("EU-migranter")


def normalise_text(text: str) -> str:
    """NFC-normalise and lower-case ``text`` (the form stems are matched on)."""
    return unicodedata.normalize("NFC", text).casefold()


def _word_to_regex(word: str, *, first: bool, single: bool) -> str:
    star = word.endswith("*")
    core = re.escape(normalise_text(word.rstrip("*")))
    if single and star:
        # prefix anywhere inside a compound word
        return rf"{_WORD}*{core}{_WORD}*"
    if single:
        return rf"(?<!{_WORD}){core}(?!{_WORD})"
    head = rf"(?<!{_WORD})" if first else ""
    tail = rf"{_WORD}*" if star else rf"(?!{_WORD})"
    return head + core + tail


def stem_to_regex(stem: str) -> str:
    """Translate one stem into a regular-expression fragment (no groups).

    The fragment matches the whole word (or phrase) that contains the stem,
    so ``match.group(0)`` is the word as written in the text.
    """
    stem = stem.strip()
    if not stem or stem == "*":
        raise ValueError(f"empty stem: {stem!r}")
    words = stem.split()
    if len(words) == 1:
        frag = _word_to_regex(words[0], first=True, single=True)
        # anchor a prefix-anywhere stem to the start of its word
        if words[0].endswith("*"):
            frag = rf"(?<!{_WORD})" + frag
        return frag
    parts = [
        _word_to_regex(w, first=(i == 0), single=False) for i, w in enumerate(words)
    ]
    return r"\s+".join(parts)


def exclusion_lookahead(exclude: Iterable[str]) -> str:
    """A negative look-ahead, placed at the start of a word, for excluded stems."""
    alts = []
    for stem in exclude:
        stem = stem.strip()
        if not stem:
            continue
        words = [re.escape(normalise_text(w.rstrip("*"))) for w in stem.split()]
        body = r"\s+".join(words)
        star = stem.endswith("*")
        infix = f"{_WORD}*" if len(stem.split()) == 1 else ""
        alts.append(infix + body + ("" if star else rf"(?!{_WORD})"))
    return f"(?!{'|'.join(alts)})" if alts else ""


def compile_stems(stems: Iterable[str], exclude: Iterable[str] = ()) -> re.Pattern[str]:
    """Compile stems into one case-insensitive pattern.

    Parameters
    ----------
    stems
        Stems in the notation described in the module docstring.
    exclude
        Stems whose words must never count as a match.

    Returns
    -------
    re.Pattern
        Matches each word or phrase that contains one of ``stems``. Apply it
        to text normalised with :func:`normalise_text` or to raw text (the
        pattern is compiled with ``re.IGNORECASE``; NFC normalisation is the
        caller's job for decomposed input).
    """
    stems = [s for s in stems if s and s.strip()]
    if not stems:
        return re.compile(r"(?!x)x")  # matches nothing
    look = exclusion_lookahead(exclude)
    alts = [stem_to_regex(s) for s in stems]
    # the look-ahead must sit at the start of the word the hit belongs to
    body = "|".join(f"(?:{a})" for a in alts)
    pattern = rf"(?<!{_WORD}){look}(?:{body})" if look else f"(?:{body})"
    return re.compile(pattern, re.IGNORECASE)
