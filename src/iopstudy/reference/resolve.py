"""Resolve names of public parties, as sources write them, to official codes.

A register of IOP agreements names the public party in many ways: "Göteborgs
Stad", "Goteborg", "VGR", "Stockholms läns landsting", "Lunds kommun
(socialnämnden)", "City of Malmö" — or only by a committee ("Socialnämnden
Nordost"), as "kommunen" or by a company ("SL"). :func:`resolve_public_party`
maps each name to a level (kommun / region / stat), an official code and an
official short name, and says *how* it got there, so that nothing is guessed
silently.

How a name is matched (the ``match`` column), tried in this order:

``exact``
    The name, ignoring case and spacing, is an official form: a kommun's
    short name ("Borås"), its name with the genitive and "kommun" or "stad"
    ("Falu kommun", "Västerås stad", "Göteborgs Stad"), or a region's name
    ("Region Skåne", "Västra Götalandsregionen").
``rule``
    The name becomes an official form by a documented rewrite: a trailing
    parenthesis is dropped ("Lunds kommun (socialnämnden)"), a unit in a
    body is reduced to the body ("Social resursförvaltning i Göteborgs
    Stad"), an old county-council name becomes its region ("Stockholms läns
    landsting", "Landstinget i Uppsala län"), English forms ("City of
    Malmö"), a non-standard genitive ("Falun kommun"), a known abbreviation
    ("VGR", "SLL") or a state authority ("Länsstyrelsen i Skåne län",
    "Kriminalvården", level ``stat``).
``fuzzy``
    Only after folding away diacritics and case, the name is within
    ``threshold`` (rapidfuzz ``ratio``, 0–100) of exactly one official form
    ("Goteborg", "Götebrogs stad"). Always check these.
``context``
    The name alone is not enough ("Socialnämnden", "upplevelsenämnden",
    "kommunen"), but the row's ``context`` — usually its source address,
    whose web domain names the municipality (``enkoping.se``), optionally
    followed by free text — names exactly one public body.
``none``
    Not resolved: ``level`` is "unknown" and ``code`` is missing. A name is
    never guessed: a committee name, "kommunen" or a company stays ``none``
    unless the context settles it, and so does any name that fits two bodies
    equally well.

Gotland is a kommun with a region's tasks: "Region Gotland" resolves to the
kommun 0980 (level ``kommun``) with a note, so that it counts as a
municipality in adoption analyses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

from iopstudy.text import clean, fold

__all__ = ["resolve_public_party", "RESOLVE_COLUMNS", "fold"]

#: Columns of the table returned by :func:`resolve_public_party`.
RESOLVE_COLUMNS = ["input", "level", "code", "name", "match", "score", "note"]

# Irregular genitives of official municipality names (all others: add "s"
# unless the name ends in a vowel, s, x or z).
_IRREGULAR_GENITIVE = {"Falun": "Falu", "Kalmar": "Kalmar"}

# Abbreviations in common use for regions (county code).
_REGION_ABBREVIATIONS = {
    "vgr": "14",  # Västra Götalandsregionen
    "sll": "01",  # Stockholms läns landsting (now Region Stockholm)
}

# State authorities that can be a public party (level "stat"). The list is
# not exhaustive; unknown authorities stay unresolved.
_STATE_AUTHORITIES = {
    "kriminalvården": "Kriminalvården",
    "arbetsförmedlingen": "Arbetsförmedlingen",
    "försäkringskassan": "Försäkringskassan",
    "migrationsverket": "Migrationsverket",
    "polismyndigheten": "Polismyndigheten",
    "polisen": "Polismyndigheten",
    "socialstyrelsen": "Socialstyrelsen",
    "statens institutionsstyrelse": "Statens institutionsstyrelse",
    "sis": "Statens institutionsstyrelse",
    "myndigheten för ungdoms- och civilsamhällesfrågor": "MUCF",
    "mucf": "MUCF",
    "jämställdhetsmyndigheten": "Jämställdhetsmyndigheten",
}

# Words that name a unit inside a public body; a name that is only such a
# unit (after dropping these) cannot be resolved from the string alone.
_UNIT_WORDS = re.compile(
    r"(nämnd|nämnden|förvaltning|förvaltningen|styrelse|styrelsen|kontor|kontoret|"
    r"avdelning|avdelningen|enhet|enheten|stadsdel|stadsdelen|stadsdelsnämnd|"
    r"resursförvaltning|socialtjänst|socialtjänsten|kommunen|staden|regionen)$"
)

# Municipality names that are also ordinary words (or common in URLs): they
# count in free text and URL paths only when written as a proper name.
_COMMON_WORD_NAMES = {"ale", "are", "åre", "mark", "vara", "berg", "kil", "heby", "sala", "nora", "mora", "orsa", "lund", "eda", "hjo", "bjuv", "flen", "ydre", "osby", "tidaholm"}


def genitive(name: str) -> str:
    if name in _IRREGULAR_GENITIVE:
        return _IRREGULAR_GENITIVE[name]
    if name[-1].lower() in "aeiouyåäösxz":
        return name
    return name + "s"


@dataclass(frozen=True)
class _Body:
    level: str
    code: str
    name: str
    note: str = ""


@dataclass
class _Index:
    exact: dict[str, _Body]
    rule: dict[str, _Body]
    folded: dict[str, _Body | None]  # None marks an ambiguous folded form
    folded_keys: list[str]
    kommun_by_name: dict[str, _Body]
    region_by_county_word: dict[str, _Body]
    slugs: dict[str, _Body | None]
    text_names: dict[str, _Body | None]
    county_names: dict[str, str]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


@lru_cache(maxsize=4)
def _build_index(ref_key: str | None) -> _Index:
    from iopstudy.reference.municipalities import load_counties, load_municipalities

    munis = load_municipalities(ref_key)
    counties = load_counties(ref_key)

    exact: dict[str, _Body] = {}
    rule: dict[str, _Body] = {}
    kommun_by_name: dict[str, _Body] = {}
    slugs: dict[str, _Body | None] = {}
    text_names: dict[str, _Body | None] = {}

    def put(d: dict, key: str, body: _Body) -> None:
        # a key that two different bodies claim is dropped (never guess)
        if key in d and d[key] is not None and d[key] != body:
            d[key] = None
        elif key not in d:
            d[key] = body

    for code, name in zip(munis["kommun_code"], munis["kommun_name"]):
        body = _Body("kommun", code, name)
        if code == "0980":
            body = _Body("kommun", code, name, "Gotland: a kommun with a region's tasks")
        kommun_by_name[clean(name)] = body
        gen = genitive(name)
        for key in (name, f"{gen} kommun", f"{gen} stad"):
            put(exact, clean(key), body)
        # common non-official variants
        alt_gen = name if gen != name else name + "s"
        for key in (
            f"{name} kommun",
            f"{name} stad",
            f"{alt_gen} kommun",
            f"{alt_gen} stad",
            f"{gen} kommun och stad",
            f"kommunen {name}",
            f"city of {name}",
            f"{name} municipality",
            f"municipality of {name}",
        ):
            put(rule, clean(key), body)
        slug = _slug(name)
        put(slugs, slug, body)
        put(slugs, _slug(gen) + "kommun", body)
        put(slugs, _slug(gen) + "stad", body)
        put(text_names, name, body)
        if gen != name:
            put(text_names, gen, body)

    region_by_county_word: dict[str, _Body] = {}
    for code, cname, rname in zip(
        counties["county_code"], counties["county_name"], counties["region_name"]
    ):
        if code == "09":  # Gotland: the kommun carries the region's tasks
            body = exact[clean("Gotland")]
        else:
            body = _Body("region", code, rname)
        put(exact, clean(rname), body)
        # "Stockholms län" -> "Stockholm"; "Västra Götalands län" -> "Västra Götaland"
        base = re.sub(r"s? län$", "", cname)
        base_gen = cname.removesuffix(" län")
        region_by_county_word[clean(base)] = body
        region_by_county_word[clean(base_gen)] = body
        for key in (
            f"{base_gen} läns landsting",
            f"landstinget i {cname}",
            f"landstinget i {base}",
            f"landstinget {base}",
            f"{base_gen} landsting",
            f"{base} landsting",
            f"region {base}",
            f"region {cname}",
            f"regionen i {cname}",
            f"{base} region",
            f"{base_gen} läns landsting och region",
            f"region {base_gen} län",
        ):
            put(rule, clean(key), body)
        put(slugs, "region" + _slug(base), body)
        put(slugs, "region" + _slug(rname.removeprefix("Region ")), body)
        put(slugs, _slug(rname), body)
        put(text_names, rname, body)
    put(slugs, "vgregion", region_by_county_word[clean("Västra Götaland")])
    put(slugs, "sll", region_by_county_word[clean("Stockholm")])
    for abbr, ccode in _REGION_ABBREVIATIONS.items():
        rbody = next(b for b in region_by_county_word.values() if b.code == ccode)
        put(rule, abbr, rbody)
    for key, aname in _STATE_AUTHORITIES.items():
        put(rule, key, _Body("stat", "", aname))

    # official and rule forms side by side, folded, for fuzzy matching
    folded: dict[str, _Body | None] = {}
    for d in (exact, rule):
        for key, body in d.items():
            if body is None:
                continue
            fk = fold(key)
            if fk in folded and folded[fk] != body:
                folded[fk] = None
            else:
                folded.setdefault(fk, body)
    return _Index(
        exact={k: v for k, v in exact.items() if v is not None},
        rule={k: v for k, v in rule.items() if v is not None},
        folded=folded,
        folded_keys=list(folded),
        kommun_by_name=kommun_by_name,
        region_by_county_word=region_by_county_word,
        slugs=slugs,
        text_names=text_names,
        county_names=dict(zip(counties["county_code"], counties["county_name"])),
    )


_PAREN = re.compile(r"\s*\([^)]*\)\s*")
_IN_BODY = re.compile(r"^.*?\bi\s+(.+)$")  # "Socialförvaltningen i Lunds kommun"
_LANSSTYRELSE = re.compile(r"^länsstyrelsen(?:\s+i)?\s+(.+?)(?:s)?(?:\s+län)?$")


def _result(inp: str, body: _Body | None, match: str, score: float, note: str = "") -> tuple:
    if body is None:
        return (inp, "unknown", None, None, "none", score, note)
    notes = "; ".join(x for x in (body.note, note) if x)
    return (inp, body.level, body.code or None, body.name, match, float(score), notes)


def _resolve_string(raw: str, idx: _Index, threshold: float) -> tuple:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return _result("", None, "none", 0.0, "empty name")
    inp = str(raw)
    s = clean(inp).strip(" .,;:\"'")
    if not s:
        return _result(inp, None, "none", 0.0, "empty name")
    if s in idx.exact:
        return _result(inp, idx.exact[s], "exact", 100.0)
    if s in idx.rule:
        return _result(inp, idx.rule[s], "rule", 100.0)

    # documented rewrites, each retried against the official forms
    candidates = []
    no_paren = _PAREN.sub(" ", s).strip()
    if no_paren != s:
        candidates.append((no_paren, "parenthesis dropped"))
    m = _IN_BODY.match(no_paren)
    if m:
        candidates.append((m.group(1).strip(), "unit within a body"))
    m = _LANSSTYRELSE.match(no_paren)
    if m:
        place = m.group(1)
        for key in (place, place.removesuffix("s")):
            body = idx.region_by_county_word.get(key)
            if body is not None:
                ccode = body.code if body.level == "region" else "09"
                cbody = _Body("stat", ccode, f"Länsstyrelsen i {idx.county_names[ccode]}")
                return _result(inp, cbody, "rule", 100.0, "state authority (länsstyrelse)")
    words = no_paren.split()
    # drop trailing unit words: "Göteborgs stad socialförvaltningen"
    while len(words) > 1 and _UNIT_WORDS.search(words[-1]):
        words = words[:-1]
        candidates.append((" ".join(words), "trailing unit dropped"))
    # drop leading unit words: "Socialnämnden Lund" / "stadsdelsnämnden i Malmö"
    lead = list(no_paren.split())
    while len(lead) > 1 and (_UNIT_WORDS.search(lead[0]) or lead[0] in {"i", "och"}):
        lead = lead[1:]
        candidates.append((" ".join(lead), "leading unit dropped"))
    for cand, why in candidates:
        if cand in idx.exact:
            return _result(inp, idx.exact[cand], "rule", 100.0, why)
        if cand in idx.rule:
            return _result(inp, idx.rule[cand], "rule", 100.0, why)

    # committee-only names, "kommunen" and the like: never fuzzy-guessed
    if all(_UNIT_WORDS.search(w) or w in {"och", "i", "för", "-"} or w.endswith("-") for w in no_paren.split()):
        return _result(inp, None, "none", 0.0, "names only a unit, not a public body")

    # fuzzy, in the folded space (handles missing diacritics and small typos)
    from rapidfuzz import fuzz, process

    best_score, best_body = 0.0, None
    for cand in [s] + [c for c, _ in candidates]:
        fc = fold(cand)
        if fc in idx.folded and idx.folded[fc] is not None:
            return _result(inp, idx.folded[fc], "fuzzy", 100.0, "matched without diacritics")
        hits = process.extract(
            fc, idx.folded_keys, scorer=fuzz.ratio, limit=5, score_cutoff=threshold - 3
        )
        if not hits:
            continue
        bodies: dict = {}
        for key, score, _ in hits:
            # an ambiguous folded form (Habo/Håbo) competes as its own candidate
            body = idx.folded[key] if idx.folded[key] is not None else ("ambiguous", key)
            bodies[body] = max(bodies.get(body, 0.0), score)
        ranked = sorted(bodies.items(), key=lambda kv: -kv[1])
        top_body, top = ranked[0]
        if isinstance(top_body, tuple) and top >= threshold:
            return _result(inp, None, "none", top, f"ambiguous: {top_body[1]!r} fits several bodies")
        if top < threshold:
            best_score = max(best_score, top)
            continue
        # two different bodies within 3 points of each other: ambiguous
        if len(ranked) > 1 and ranked[1][1] >= top - 3:
            return _result(inp, None, "none", top, "ambiguous: close to several public bodies")
        if top > best_score:
            best_score, best_body = top, top_body
    if best_body is not None:
        return _result(inp, best_body, "fuzzy", best_score, "check: fuzzy match")
    return _result(inp, None, "none", best_score, "no public body matches")


_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def _bodies_in_url(url: str, idx: _Index) -> tuple[set, set]:
    """Public bodies named by a URL's host (first set) and by its path/query (second set)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return set(), set()
    host = fold(parts.netloc.split("@")[-1].split(":")[0])
    host_tokens = [t for t in re.split(r"[.]", host) if t]
    found_host: set = set()
    for tok in host_tokens:
        pieces = tok.split("-")
        for cand in {tok.replace("-", ""), pieces[0], "".join(pieces[:2])}:
            body = idx.slugs.get(cand)
            if body is not None:
                found_host.add(body)
    found_path: set = set()
    rest = fold(unquote(parts.path + " " + parts.query))
    for seg in re.split(r"[/?&=#\s]+", rest):
        if not seg:
            continue
        words = [w for w in _TOKEN_SPLIT.split(seg) if w]
        for i, w in enumerate(words):
            for cand in (w, w + (words[i + 1] if i + 1 < len(words) else "")):
                body = idx.slugs.get(cand)
                if body is None or cand in _COMMON_WORD_NAMES:
                    continue
                found_path.add(body)
            # genitive in slugs: "linkopings-kommun"
            if w.endswith("s"):
                body = idx.slugs.get(w[:-1])
                if body is not None and w[:-1] not in _COMMON_WORD_NAMES and (
                    i + 1 < len(words) and words[i + 1] in {"kommun", "stad"}
                ):
                    found_path.add(body)
    return found_host, found_path


_WORD_RE = re.compile(r"[A-ZÅÄÖÉÜ][\wåäöéü\-]+(?:\s+[A-ZÅÄÖÉÜ][\wåäöéü\-]+)?")


def _bodies_in_text(text: str, idx: _Index) -> set:
    found = set()
    for m in _WORD_RE.finditer(text):
        phrase = m.group(0)
        for cand in (phrase, phrase.split()[0]):
            body = idx.text_names.get(cand)
            if body is not None and fold(cand) not in _COMMON_WORD_NAMES:
                found.add(body)
    return found


def _resolve_context(context: str, idx: _Index) -> tuple[_Body | None, str]:
    url_match = re.search(r"(https?://\S+|www\.\S+)", context)
    tiers = []
    if url_match:
        url = url_match.group(1)
        if url.startswith("www."):
            url = "http://" + url
        host, path = _bodies_in_url(url, idx)
        tiers += [(host, "web domain"), (path, "source address")]
        context = context.replace(url_match.group(1), " ")
    tiers.append((_bodies_in_text(context, idx), "context text"))
    for bodies, why in tiers:
        if len(bodies) == 1:
            return next(iter(bodies)), why
        if len(bodies) > 1:
            return None, f"context names several bodies ({why})"
    return None, "context names no public body"


def resolve_public_party(
    names: Iterable[str] | str,
    context: Iterable[str | None] | str | None = None,
    *,
    data_dir=None,
    threshold: float = 90.0,
) -> "pd.DataFrame":
    """Resolve public-party names to level, official code and name.

    Each distinct (name, context) pair is resolved once, so a column of a
    million rows with a few hundred distinct names is fast.

    Parameters
    ----------
    names
        Names as the sources write them (a single string is treated as one
        name).
    context
        Optional, aligned with ``names`` (or one string for all): text that
        may name the public body when the name alone does not, typically the
        row's source address, optionally followed by other text. Used only
        when the name resolves to ``none``.
    data_dir
        Reference data folder; defaults to the project's ``data/raw/reference``.
    threshold
        Minimum rapidfuzz ``ratio`` (0–100) for a fuzzy match, computed after
        folding case and diacritics.

    Returns
    -------
    pandas.DataFrame
        One row per input, in order: ``input`` (as given), ``level``
        ("kommun", "region", "stat" or "unknown"), ``code`` (4-digit kommun
        code, 2-digit county code for a region or a länsstyrelse, missing
        otherwise), ``name`` (official short name), ``match`` ("exact",
        "rule", "fuzzy", "context" or "none"), ``score`` (0–100; 100 for
        exact, rule and context matches) and ``note`` (why, in words).

    See Also
    --------
    iopstudy.reference.load_municipalities : the reference data used.

    Examples
    --------
    >>> r = resolve_public_party(["Falu kommun", "VGR", "Goteborg", "Socialnämnden"])
    >>> r[["code", "level", "match"]].values.tolist()
    [['2080', 'kommun', 'exact'], ['14', 'region', 'rule'], ['1480', 'kommun', 'fuzzy'], [None, 'unknown', 'none']]
    >>> resolve_public_party(["upplevelsenämnden"],
    ...     context=["https://enkoping.se/fritid-och-kultur/"])[["name", "match"]].values.tolist()
    [['Enköping', 'context']]
    """
    import numpy as np
    import pandas as pd

    from iopstudy.reference.municipalities import reference_dir

    if isinstance(names, str):
        names = [names]
    names = np.asarray(names.to_numpy(dtype=object) if isinstance(names, pd.Series) else list(names), dtype=object)
    contexts = None
    if isinstance(context, str):
        contexts = [context] * len(names)
    elif context is not None:
        contexts = list(context)
        if len(contexts) != len(names):
            raise ValueError(
                f"context has {len(contexts)} entries but names has {len(names)}: align them"
            )
    ref_key = str(reference_dir(data_dir).resolve())
    idx = _build_index(ref_key)

    # each distinct (name, context) pair is resolved once
    name_codes, name_uniques = pd.factorize(names, use_na_sentinel=False)
    if contexts is None:
        pair_codes, pairs = name_codes, [(n, None) for n in name_uniques]
    else:
        ctx_codes, ctx_uniques = pd.factorize(pd.Series(contexts, dtype=object), use_na_sentinel=False)
        combined = name_codes.astype("int64") * (len(ctx_uniques) + 1) + ctx_codes
        pair_codes, pair_keys = pd.factorize(combined)
        pairs = [
            (name_uniques[k // (len(ctx_uniques) + 1)], ctx_uniques[k % (len(ctx_uniques) + 1)])
            for k in pair_keys
        ]
    resolved = []
    by_name: dict = {}
    for name, ctx in pairs:
        if isinstance(name, float) and name != name:
            name = None
        if isinstance(ctx, float) and ctx != ctx:
            ctx = None
        if name not in by_name:
            by_name[name] = _resolve_string(name, idx, threshold)
        res = by_name[name]
        if res[4] == "none" and ctx:
            body, why = _resolve_context(str(ctx), idx)
            if body is not None:
                res = _result(res[0], body, "context", 100.0, f"resolved from {why}")
            else:
                res = res[:6] + (f"{res[6]}; {why}" if res[6] else why,)
        resolved.append(res)
    table = list(zip(*resolved))
    cols = {
        col: np.asarray(table[j], dtype=object if col != "score" else "float64")[pair_codes]
        for j, col in enumerate(RESOLVE_COLUMNS)
    }
    inputs = names.copy()
    inputs[pd.isna(inputs)] = ""
    cols["input"] = inputs
    return pd.DataFrame(cols, copy=False)
