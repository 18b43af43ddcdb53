"""Partner organisations: split the partner lists, key the names, infer the organisation type.

:func:`split_partners` turns ``"A ; B"`` into one row per organisation (long form with a ``row``
column), :func:`normalise_org_name` gives the key that groups spellings, and
:func:`classify_org_type` infers the type (:data:`ORG_TYPES`) from the name alone — a name that
says nothing about the legal form is ``other``. Labels of the types are in
:data:`iopstudy.labels.LABELS` (``org_type.<type>``).

:func:`partner_identity` gives every partner one identity (``partner_id``): known spellings
fold together through the alias table (:func:`load_partner_aliases`,
``data/raw/register/partner_aliases.csv``), and a generic name ("Stadsmissionen",
"Brottsofferjouren", "Röda Korset" …, :data:`GENERIC_PARTNER_NAMES`) is qualified by the
place of the agreement unless it names its own. :func:`identity_org_type` gives one
organisation type per identity.
"""

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
    "GENERIC_PARTNER_NAMES",
    "ALIAS_COLUMNS",
    "IDENTITY_RULES",
    "default_partner_aliases_path",
    "load_partner_aliases",
    "partner_identity",
    "identity_org_type",
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
            # (not the municipality Botkyrka: "Brottsofferjouren Huddinge-Botkyrka")
            r"(?<!bot)kyrk(?:a|an|ans|or|orna|ornas)(?![\w-])",
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


# --------------------------------------------------------------------------- identities
#: Generic partner names: ``{stem: forms}``. Each form, alone or with a place, names the
#: *local* organisation of a federation or a kind of body whose members share a name
#: (every town's Stadsmission, Brottsofferjour, Kvinnojour, Röda Korset's local branch, a
#: study association's local or regional body …). Such a name gets the place of the
#: agreement ("Stadsmissionen" in a Linköping agreement is ``stadsmission@0580``) unless it
#: names its own place ("Stadsmissionen i Linköping", "Göteborgs stadsmission", "Fontänhuset
#: Lund", "RF-SISU Västmanland"). Forms are casefolded keys (:func:`normalise_org_name`).
GENERIC_PARTNER_NAMES: dict[str, tuple[str, ...]] = {
    "stadsmission": ("stadsmission", "stadsmissionen"),
    "brottsofferjour": ("brottsofferjour", "brottsofferjouren"),
    "kvinnojour": ("kvinnojour", "kvinnojouren"),
    "tjejjour": ("tjejjour", "tjejjouren", "tjejour", "tjejouren"),
    "kvinno- och tjejjour": ("kvinno- och tjejjour", "kvinno- och tjejjouren"),
    "ungdomsjour": ("ungdomsjour", "ungdomsjouren"),
    "mansjour": ("mansjour", "mansjouren"),
    "röda korset": ("röda korset", "svenska röda korset", "röda korsets lokalavdelning", "röda korsets krets"),
    "rädda barnen": ("rädda barnen", "rädda barnens lokalförening"),
    "fontänhus": ("fontänhus", "fontänhuset"),
    "hela människan": ("hela människan",),
    "skyddsvärnet": ("skyddsvärnet",),
    "frivilligcentral": ("frivilligcentrum", "frivilligcentralen"),
    "fritidsbanken": ("fritidsbanken",),
    "svenska kyrkan": ("svenska kyrkan",),
    "abf": ("abf", "arbetarnas bildningsförbund", "arbetarnas bildningsförbund (abf)",
            "abf (arbetarnas bildningsförbund)"),
    "studiefrämjandet": ("studiefrämjandet",),
    "sensus": ("sensus", "sensus studieförbund", "studieförbundet sensus"),
    "bilda": ("bilda", "studieförbundet bilda"),
    "studieförbundet vuxenskolan": ("studieförbundet vuxenskolan", "vuxenskolan"),
    "medborgarskolan": ("medborgarskolan",),
    "folkuniversitetet": ("folkuniversitetet",),
    "rf-sisu": ("rf-sisu", "rf/sisu", "rf sisu"),
    "kfum": ("kfum",),
    "pro": ("pro",),
    "spf seniorerna": ("spf seniorerna", "spf"),
    "iogt-nto": ("iogt-nto",),
    "unga örnar": ("unga örnar",),
    "hyresgästföreningen": ("hyresgästföreningen",),
}  # fmt: skip

#: Columns of the alias table (``data/raw/register/partner_aliases.csv``).
ALIAS_COLUMNS = ("alias", "place_code", "canonical", "records", "evidence")

#: How a partner's identity was found (the ``partner_id_rule`` column).
IDENTITY_RULES = ("name", "alias", "agreement place", "named place", "generic, no place")

_GENERIC_FORMS: tuple[tuple[str, str], ...] = tuple(
    sorted(((f, stem) for stem, forms in GENERIC_PARTNER_NAMES.items() for f in forms), key=lambda x: -len(x[0]))
)


def default_partner_aliases_path():
    """The alias table shipped with iopstudy (a copy of ``data/raw/register/partner_aliases.csv``).

    Examples
    --------
    >>> default_partner_aliases_path().name
    'partner_aliases.csv'
    """
    from iopstudy.paths import packaged_data

    return packaged_data("raw/register/partner_aliases.csv")


def load_partner_aliases(path=None) -> pd.DataFrame:
    """Read and check an alias table of partner names.

    Parameters
    ----------
    path
        A CSV with the columns of :data:`ALIAS_COLUMNS`: ``alias`` (a spelling as a register
        writes it), ``place_code`` (empty: everywhere; a 4-digit kommun code or a 2-digit
        county code: only in agreements of that place), ``canonical`` (the name it is a
        spelling of), ``records`` and ``evidence`` (where the register shows it). Default:
        the table shipped with iopstudy.

    Returns
    -------
    pandas.DataFrame
        The table with ``alias_key`` and ``canonical_key`` (:func:`normalise_org_name`)
        added, one row per alias and place.

    Raises
    ------
    InputError
        A missing column, an empty alias or canonical name, a bad place code, or an alias
        given two canonical names for one place (naming file, row and column).

    Examples
    --------
    >>> a = load_partner_aliases()
    >>> a.loc[a.alias == "Göteborgs Kyrkliga Stadsmission", "canonical"].tolist()
    ['Göteborgs stadsmission']
    """
    from iopstudy.errors import InputError

    p = default_partner_aliases_path() if path is None else path
    name = str(p)
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError("alias table not found", file=name) from None
    missing = [c for c in ALIAS_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; found {list(df.columns)}", file=name, row=1)
    for c in ALIAS_COLUMNS:
        df[c] = df[c].astype(str).str.strip()
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        for c in ("alias", "canonical"):
            if not getattr(rec, c):
                raise InputError(f"empty {c}", file=name, row=i, column=c)
        if rec.place_code and not re.fullmatch(r"\d{2}|\d{4}", rec.place_code):
            raise InputError(
                "place_code must be empty, a 4-digit kommun code or a 2-digit county code",
                file=name, row=i, column="place_code", value=rec.place_code,
            )
    df["alias_key"] = normalise_org_name(df["alias"]).to_numpy()
    df["canonical_key"] = normalise_org_name(df["canonical"]).to_numpy()
    clash = df.groupby(["alias_key", "place_code"])["canonical_key"].nunique()
    if (clash > 1).any():
        key, place = clash[clash > 1].index[0]
        row = int(np.flatnonzero((df["alias_key"] == key).to_numpy())[-1]) + 2
        raise InputError(
            f"alias {key!r} has two canonical names for place {place or '(everywhere)'!r}",
            file=name, row=row, column="canonical",
        )
    return df.reset_index(drop=True)


@lru_cache(maxsize=4)
def _place_words(ref_key: str | None) -> dict[str, str]:
    """Casefolded place names (and genitives) → kommun code or county code."""
    from iopstudy.reference.municipalities import load_counties, load_municipalities
    from iopstudy.reference.resolve import genitive

    words: dict[str, str] = {}
    for code, cname, rname in zip(*[load_counties(ref_key)[c] for c in ("county_code", "county_name", "region_name")]):
        base_gen = cname.removesuffix(" län")
        base = re.sub(r"s$", "", base_gen) if cname.endswith("s län") else base_gen
        forms = {base, base_gen, cname, rname}
        if rname.startswith("Region "):
            forms.add(rname.removeprefix("Region "))
        for f in list(forms):
            forms.add(f + "s" if not f.endswith("s") else f)
        for f in forms:
            words[_org_key_one(f)] = code
    munis = load_municipalities(ref_key)
    for code, kname in zip(munis["kommun_code"], munis["kommun_name"]):
        for f in {kname, genitive(kname)}:  # a municipality's name wins over a county's
            words[_org_key_one(f)] = code
    return words


_FORM_STEM = dict(_GENERIC_FORMS)
_FORM_WORDS = max(len(f.split(" ")) for f in _FORM_STEM)


def _generic(key: str, places: dict[str, str]) -> tuple[str, str | None] | None:
    """``(stem, own place code or None)`` when ``key`` is a generic name, else None."""
    if key in _FORM_STEM:
        return _FORM_STEM[key], None
    words = key.split(" ")
    for i in range(min(_FORM_WORDS, len(words) - 1), 0, -1):  # the longest form first
        head, tail = " ".join(words[:i]), " ".join(words[-i:])
        if head in _FORM_STEM:  # "Stadsmissionen i Linköping", "Kvinnojouren Lund"
            rest = " ".join(words[i:]).removeprefix("i ").strip()
            if rest in places:
                return _FORM_STEM[head], places[rest]
        if tail in _FORM_STEM:  # "Göteborgs stadsmission", "Falkenbergs Fontänhus"
            pre = " ".join(words[:-i]).strip()
            if pre in places:
                return _FORM_STEM[tail], places[pre]
    return None


def partner_identity(
    names: Iterable[str | None],
    places: Iterable[str | None] | None = None,
    *,
    aliases: pd.DataFrame | None = None,
    data_dir=None,
) -> pd.DataFrame:
    """One identity per partner organisation: spellings folded, generic names placed.

    Parameters
    ----------
    names
        Partner names as written (e.g. ``split_partners(...)["partner_name"]``).
    places
        Aligned with ``names``: the place of each name's agreement, a 4-digit kommun code
        for a kommun's agreement or a 2-digit county code for a region's (None: unknown).
    aliases
        An alias table from :func:`load_partner_aliases`; None uses no aliases.
    data_dir
        Reference data folder (municipality and county names); defaults to the shipped one.

    Returns
    -------
    pandas.DataFrame
        One row per input (index of ``names`` when it is a Series): ``partner_key``
        (:func:`normalise_org_name`), ``partner_id`` (the identity) and ``partner_id_rule``
        (one of :data:`IDENTITY_RULES`).

    Notes
    -----
    In this order:

    1. **Alias.** A name whose key is an ``alias`` of the table (for the agreement's place,
       or everywhere) is read as its ``canonical`` name ("Göteborgs Kyrkliga Stadsmission"
       → "Göteborgs stadsmission").
    2. **Generic names** (:data:`GENERIC_PARTNER_NAMES`) become ``stem@place``: the place the
       name itself names when it names exactly one kommun, county or region ("Stadsmissionen
       i Linköping" → ``stadsmission@0580``, "Sörmlands Stadsmission" → ``stadsmission@04``),
       else the agreement's place ("Stadsmissionen" in a Göteborg agreement →
       ``stadsmission@1480``, the same identity as "Göteborgs stadsmission"). A generic
       name with a place that is not a kommun or county ("Brottsofferjouren Söderslätt",
       "Kvinnojouren Nacka/Värmdö") is its own identity, by its key.
    3. Any other name is identified by its key, so "Bräcke diakoni", "Bräcke Diakoni" and
       "Stiftelsen Bräcke Diakoni" are one identity wherever they appear.

    Examples
    --------
    >>> out = partner_identity(
    ...     ["Stadsmissionen", "Stadsmissionen", "Stadsmissionen i Linköping", "Göteborgs stadsmission",
    ...      "Stiftelsen Bräcke Diakoni"],
    ...     ["1480", "0580", "05", "1480", "1480"])
    >>> out["partner_id"].tolist()
    ['stadsmission@1480', 'stadsmission@0580', 'stadsmission@0580', 'stadsmission@1480', 'bräcke diakoni']
    >>> out["partner_id_rule"].tolist()
    ['agreement place', 'agreement place', 'named place', 'named place', 'name']
    """
    from iopstudy.reference.municipalities import reference_dir

    keys = normalise_org_name(names)
    n = len(keys)
    place_arr = np.full(n, None, dtype=object) if places is None else np.asarray(list(places), dtype=object)
    if len(place_arr) != n:
        raise ValueError(f"places has {len(place_arr)} entries but names has {n}: align them")
    words = _place_words(str(reference_dir(data_dir).resolve()))
    table: dict[tuple[str, str], str] = {}
    if aliases is not None and len(aliases):
        for a_key, a_place, c_key in zip(aliases["alias_key"], aliases["place_code"], aliases["canonical_key"]):
            table[(a_key, a_place)] = c_key
    memo: dict[tuple[str, str], tuple[str, str]] = {}
    generic: dict[str, tuple[str, str | None] | None] = {}
    ids = np.empty(n, dtype=object)
    rules = np.empty(n, dtype=object)
    for i, (key, place) in enumerate(zip(keys.to_numpy(), place_arr)):
        place = "" if place is None or (isinstance(place, float) and place != place) else str(place)
        hit = memo.get((key, place))
        if hit is None:
            rule = "name"
            canon = table.get((key, place)) or table.get((key, place[:2])) or table.get((key, ""))
            if canon is not None and canon != key:
                key2, rule = canon, "alias"
            else:
                key2 = key
            if key2 not in generic:
                generic[key2] = _generic(key2, words)
            gen = generic[key2]
            if gen is None:
                hit = (key2, rule)
            elif gen[1] is not None:
                hit = (f"{gen[0]}@{gen[1]}", "alias" if rule == "alias" else "named place")
            elif place:
                hit = (f"{gen[0]}@{place}", "alias" if rule == "alias" else "agreement place")
            else:
                hit = (gen[0], "generic, no place")
            memo[(key, place)] = hit
        ids[i], rules[i] = hit
    return pd.DataFrame(
        {"partner_key": keys.to_numpy(dtype=object), "partner_id": ids, "partner_id_rule": rules},
        index=keys.index,
    )


def identity_org_type(partner_id: Iterable[str], org_type: Iterable[str | None]) -> pd.Series:
    """One organisation type per identity, from the types its spellings show.

    Parameters
    ----------
    partner_id
        Identities (:func:`partner_identity`).
    org_type
        Aligned types from :func:`classify_org_type` (the name only).

    Returns
    -------
    pandas.Series
        Categorical (:data:`ORG_TYPES`), aligned with the input: for each identity the type
        shown most often by its names other than ``other`` (ties: the order of
        :data:`ORG_TYPES`), or ``other`` when no name shows a type. "Stiftelsen Bräcke
        Diakoni" makes every "Bräcke diakoni" a ``stiftelse``.

    Examples
    --------
    >>> identity_org_type(["bräcke diakoni"] * 3 + ["x"], ["other", "stiftelse", "other", "other"]).tolist()
    ['stiftelse', 'stiftelse', 'stiftelse', 'other']
    """
    ids = np.asarray(list(partner_id), dtype=object)
    types = np.asarray([("other" if t is None or (isinstance(t, float) and t != t) else str(t)) for t in org_type], dtype=object)
    if len(ids) != len(types):
        raise ValueError(f"org_type has {len(types)} entries but partner_id has {len(ids)}")
    rank = {t: i for i, t in enumerate(ORG_TYPES)}
    counts: dict[str, dict[str, int]] = {}
    for pid, t in zip(ids, types):
        if t != "other":
            c = counts.setdefault(pid, {})
            c[t] = c.get(t, 0) + 1
    best = {pid: min(c, key=lambda t: (-c[t], rank.get(t, 99))) for pid, c in counts.items()}
    out = [best.get(pid, "other") for pid in ids]
    index = partner_id.index if isinstance(partner_id, pd.Series) else pd.RangeIndex(len(ids))
    return pd.Series(pd.Categorical(out, categories=list(ORG_TYPES)), index=index, name="org_type")
