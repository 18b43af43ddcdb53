""""""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.labels import LANGS, category_labels
from iopstudy.text import factorize_texts, take

__all__ = [
    "split_partners",
    "classify_org_type",
    "normalise_org_name",
    "ORG_TYPES",
    "ORG_TYPE_LABELS",
]


def _tidy_name(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def _split_one(text: str, sep: str) -> tuple[str, ...]:
    t = unicodedata.normalize("NFC", text)
    pieces = t.split(sep) if sep else [t]
    return tuple(p for p in (_tidy_name(x) for x in pieces) if p)


def split_partners(values: Iterable[str | None], sep: str = ";") -> pd.DataFrame:
    """Split the ``civil_partners`` field into one row per organisation.

    Parameters
    ----------
    values
        One string per agreement, names separated by ``sep`` (the register
        writes ``" ; "``). Missing values allowed.
    sep
        The literal separator. Commas are never split on: they occur inside
        names.

    Returns
    -------
    pandas.DataFrame
        Long form, ``RangeIndex``: ``row`` (int64, the input position),
        ``partner_index`` (int64, 1-based within the row) and
        ``partner_name`` (NFC, internal white space collapsed to one space,
        stripped). Empty pieces are dropped, so a row with no partner gives
        no output row; the caller records that.

    Notes
    -----
    The text is NFC-normalised *before* it is split, so a character whose
    normal form is the separator (U+037E GREEK QUESTION MARK is canonically
    ``;``) also separates.

    Examples
    --------
    >>> split_partners(["Bräcke diakoni ; Frälsningsarmén", "", "Röda Korset"]).values.tolist()
    [[0, 1, 'Bräcke diakoni'], [0, 2, 'Frälsningsarmén'], [2, 1, 'Röda Korset']]
    """
    codes, texts = factorize_texts(values)
    lists = [_split_one(t, sep) for t in texts]
    lengths = np.array([len(x) for x in lists], dtype=np.int64)[codes]
    n = int(lengths.sum())
    rows = np.repeat(np.arange(len(codes), dtype=np.int64), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    index = np.arange(n, dtype=np.int64) - starts + 1
    names = np.empty(n, dtype=object)
    names[:] = [name for c in codes[lengths > 0] for name in lists[c]]
    return pd.DataFrame({"row": rows, "partner_index": index, "partner_name": names})


#: The organisation types, in this order (the categories of :func:`classify_org_type`).
ORG_TYPES: tuple[str, ...] = (
    "ideell_forening",
    "stiftelse",
    "trossamfund",
    "stadsmission",
    "kvinno_tjejjour",
    "ekonomisk_forening",
    "other",
)


#: Labels of the organisation types, ``{lang: {type: label}}`` (from :data:`iopstudy.labels.LABELS`).
ORG_TYPE_LABELS: dict[str, dict[str, str]] = {lang: category_labels("org_type", ORG_TYPES, lang) for lang in LANGS}


# (type, regular expressions searched in the NFC-casefolded name). First match wins.
_ORG_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # A city mission: the word "stadsmission" in any form, also "Kyrkliga Stadsmission".
    ("stadsmission", (r"stadsmission",)),
    # Women's and girls' shelters, named as such: kvinnojour, tjejjour (also the spelling
    # "tjejour"), ungdomsjour, "Kvinno- och tjejjouren". "kvinnoforum" is here because the
    # register's only instance (Kramfors Kvinnoforum, IOP-0033) is called a women's shelter
    # ("kvinnojour") by its source, Kramfors kommun's news of 2023-05-23; the name alone would
    # not say so, and another "Kvinnoforum" elsewhere may be something else.
    (
        "kvinno_tjejjour",
        (
            r"kvinnojour",
            r"tjejj?our",
            r"ungdomsjour",
            r"(?<![\w-])kvinnoforum(?![\w-])",
        ),
    ),
    # A foundation: "stiftelse" anywhere in a word (Stiftelsen X, X kulturstiftelse,
    # Diakonistiftelsen X). The legal form is in the name, so it wins over the rules below.
    ("stiftelse", (r"stiftelse",)),
    # An economic association: the legal form written out or abbreviated, a cooperative
    # ("kooperativ*": Swedish cooperatives are usually economic associations, though a
    # social cooperative can be a non-profit one), a housing cooperative (brf).
    (
        "ekonomisk_forening",
        (
            r"(?<![\w-])ekonomisk[a]?\s+förening\w*",
            r"(?<![\w-])ek\.?\s?för\.?(?![\w-])",
            r"kooperativ",
            r"bostadsrättsförening",
            r"(?<![\w-])brf(?![\w-])",
        ),
    ),
    # Faith communities and church bodies: pastorat, församling, Svenska kyrkan and other
    # churches (a word ending in kyrka/kyrkan/kyrkor…), stift (the word alone), the
    # Salvation Army, Räddningsmissionen (a free-church mission), "Ekumenisk*"
    # (ecumenical, e.g. an ecumenical association), equmenia, mosques and other named faiths,
    # "trossamfund". Not "samfund" alone: it also means a learned or literary society.
    (
        "trossamfund",
        (
            r"pastorat",
            r"församling",
            r"kyrk(?:a|an|ans|or|orna|ornas)(?![\w-])",
            r"(?<![\w-])svenska\s+kyrkan\w*",
            r"(?<![\w-])stift(?![\w-])",
            r"frälsningsarmé",
            r"räddningsmission",
            r"(?<![\w-])ekumenisk",
            r"(?<![\w-])equmenia",
            r"moské",
            r"(?<![\w-])(?:islamisk|muslimsk|katolsk|ortodox|judisk)[\w-]*\s+"
            r"(?:förening|församling|förbund|samfund)",
            r"trossamfund",
        ),
    ),
    # Non-profit associations, from words and abbreviations that name the form or a kind
    # of club: förening, förbund (incl. studieförbund, ABF = Arbetarnas bildningsförbund,
    # RF-SISU = Riksidrottsförbundet's district bodies), klubb, sällskap, "ideell förening",
    # sports-club abbreviations as separate words (IK, IF, BK, FF, FK, SK, OK, GIF, IBK, HK),
    # jour (e.g. brottsofferjour, mansjour; after the shelter rule above), a choir or
    # orchestra (a word ending in kör/kören, orkester), Fontänhus (clubhouses), scouts, and
    # the national associations Röda Korset and Rädda Barnen.
    (
        "ideell_forening",
        (
            r"förening",
            r"förbund",
            r"klubb",
            r"sällskap",
            r"(?<![\w-])(?:abf|rf-sisu|sisu)(?![\w])",
            r"(?<![\w-])(?:ik|if|bk|ff|fk|sk|ok|gif|ibk|hk|aik)(?![\w-])",
            r"jour(?:en|er|erna|ernas|ens)?(?![\w-])",
            r"(?:kör|kören|körer|orkester|orkestern|orkestrar)(?![\w-])",
            r"fontänhus",
            r"(?<![\w-])scout",
            r"(?<![\w-])röda\s+korset\w*",
            r"(?<![\w-])rädda\s+barnen\w*",
        ),
    ),
)


_ORG_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile("|".join(f"(?:{p})" for p in pats))) for kind, pats in _ORG_RULES
)


@lru_cache(maxsize=65536)
def _org_type_one(name: str) -> str | None:
    key = _tidy_name(unicodedata.normalize("NFC", name).casefold())
    if not key:
        return None
    for kind, rx in _ORG_COMPILED:
        if rx.search(key):
            return kind
    return "other"


def _series_index(values: Any, n: int) -> pd.Index:
    return values.index if isinstance(values, pd.Series) else pd.RangeIndex(n)


def classify_org_type(names: Iterable[str | None]) -> pd.Series:
    """Classify civil-society partners by the type their *name* shows.

    Parameters
    ----------
    names
        Organisation names (e.g. ``split_partners(...)["partner_name"]``).

    Returns
    -------
    pandas.Series
        Unordered categorical with the categories of :data:`ORG_TYPES`
        (labels in :data:`ORG_TYPE_LABELS`); NaN for a missing or empty
        name. The index is that of ``names`` when it is a Series, else a
        RangeIndex.

    Notes
    -----
    The rules read only the name; nothing is looked up about the
    organisation. They are tried in this order, and the first that matches
    wins (each rule is commented in the source, ``_ORG_RULES``):

    1. ``stadsmission`` — "stadsmission" in any form (``Göteborgs Kyrkliga
       Stadsmission``, ``Stadsmissionen``);
    2. ``kvinno_tjejjour`` — kvinnojour, tjejjour/tjejour, ungdomsjour, and
       ``kvinnoforum`` (the register's Kramfors Kvinnoforum, IOP-0033, is a
       women's shelter according to its source; this one rule rests on the
       register, not on the name);
    3. ``stiftelse`` — "stiftelse" anywhere in a word (``Stiftelsen X``,
       ``Grönsöö kulturstiftelse``, ``Diakonistiftelsen X``);
    4. ``ekonomisk_forening`` — "ekonomisk förening", "ek. för.", kooperativ*
       (a cooperative is presumed to be an economic association), brf;
    5. ``trossamfund`` — pastorat, församling, a church (``Svenska kyrkan``,
       ``Pingstkyrkan``), Frälsningsarmén, Räddningsmissionen (a free-church
       mission), "Ekumenisk*" and named faiths: faith communities and
       church-based bodies, whatever their legal form;
    6. ``ideell_forening`` — förening, förbund (studieförbund, ABF,
       RF-SISU), klubb, sällskap, sports-club abbreviations (IK, IF, BK, FF,
       OK …), jour (brottsofferjour), kör, orkester, Fontänhus, scouts,
       Röda Korset, Rädda Barnen;
    7. ``other`` — everything else, including names that say nothing of the
       form (``Hela människan``, ``Skyddsvärnet``, ``Bräcke diakoni``) and
       ambiguous ones (``ESK Fotboll`` may be a club or a company).

    Because only the name is read, the same organisation can get different
    types from different spellings: ``Stiftelsen Bräcke Diakoni`` is a
    ``stiftelse`` but ``Bräcke diakoni`` is ``other``. Group by
    :func:`normalise_org_name` (the build's ``partner_key``) and reconcile
    there rather than trusting one spelling.

    Examples
    --------
    >>> classify_org_type(["Kvinnojouren Lund", "Grönsöö kulturstiftelse", "Umeå pastorat",
    ...                    "Malmö FF", "Hela människan"]).tolist()
    ['kvinno_tjejjour', 'stiftelse', 'trossamfund', 'ideell_forening', 'other']
    """
    codes, texts = factorize_texts(names)
    kinds = take([_org_type_one(t) for t in texts], codes)
    cat = pd.Categorical(kinds, categories=list(ORG_TYPES), ordered=False)
    return pd.Series(cat, index=_series_index(names, len(codes)), name="org_type")


_LEAD_RE = re.compile(r"^(?:stiftelsen)\s+")


_TRAIL_RE = re.compile(
    r"(?:\s*,\s*|\s+)\(?(?:ideell\s+förening|ekonomisk\s+förening|ek\.\s?för\.?|ek\s+för)\)?$"
)


@lru_cache(maxsize=65536)
def _org_key_one(name: str) -> str:
    key = _tidy_name(unicodedata.normalize("NFC", name).casefold())
    key = key.strip(" ,;:.\"'“”«»")
    for _ in range(2):
        key = _LEAD_RE.sub("", key)
        key = _TRAIL_RE.sub("", key).strip(" ,;:.\"'“”«»")
    return key


def normalise_org_name(names: Iterable[str | None]) -> pd.Series:
    """A grouping key for organisation names written in different ways.

    Parameters
    ----------
    names
        Organisation names.

    Returns
    -------
    pandas.Series of str
        NFC, casefolded, white space collapsed, surrounding quotes and
        punctuation removed, a leading ``"stiftelsen "`` and a trailing
        ``" ideell förening"`` / ``" ekonomisk förening"`` / ``"ek. för."``
        (with or without a comma or brackets) removed. ``""`` for a missing
        name. The index is that of ``names`` when it is a Series, else a
        RangeIndex.

    Notes
    -----
    The key is for grouping spellings of one organisation; it is not a
    display name and does not try to merge different organisations
    (``Stadsmissionen i Linköping`` and ``Stadsmissionen`` keep different
    keys).

    Examples
    --------
    >>> normalise_org_name(["Bräcke diakoni", "Stiftelsen Bräcke Diakoni", "Röda  Korset"]).tolist()
    ['bräcke diakoni', 'bräcke diakoni', 'röda korset']
    """
    codes, texts = factorize_texts(names)
    keys = take([_org_key_one(t) for t in texts], codes)
    return pd.Series(keys, index=_series_index(names, len(codes)), name="org_key", dtype=object)
