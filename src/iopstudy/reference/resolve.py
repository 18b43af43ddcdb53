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
    The name becomes an official form by a documented rewrite (the ``note``
    says which):

    * a committee or an administration written before or after its body
      becomes the body: "Social resursförvaltning i Göteborgs Stad",
      "Kulturförvaltningen, Uppsala kommun", "Västerås socialförvaltning",
      "Örebro kommun Förvaltningen för funktionsstöd", "Göteborgs Stads
      socialförvaltning", "Region Skåne, Regional utveckling". A unit is a
      head word (``…nämnd``, ``…förvaltning``, ``kommunstyrelse``,
      ``socialtjänst``; the weaker ``…kontor``, ``…enhet``, ``…avdelning``
      only after modifiers such as "vård- och") or an area ("Kultur och
      fritid"); after a comma or a dash any text may follow the body, unless
      it names another body. "Kvinnojouren i Lund" or "Göteborgs
      Stadsmission" name no unit and are not read as the municipality;
    * a trailing parenthesis is dropped ("Lunds kommun (socialnämnden)");
    * county councils and regions by their older or short names ("Stockholms
      läns landsting", "Landstinget i Kalmar län", "Landstinget Västmanland",
      "Landstinget Sörmland", "Region Jönköping", the county councils merged in
      1997–1999 such as "Malmöhus läns landsting"), by the county's or the
      province's name alone ("Värmland", "Sörmland", "Uppsala län"; a name that
      is also a municipality's, such as "Uppsala", is the kommun);
    * English forms ("City of Malmö", "Örebro Municipality", "Umeå City
      Council", "City of Gothenburg", "Region Halland County Council",
      "Stockholm County Council", "Region Örebro County");
    * a non-standard genitive ("Falun kommun"), a known abbreviation ("VGR",
      "SLL"), a hyphen or slash for a space, or a state authority
      ("Länsstyrelsen i Skåne län", "Kriminalvården", level ``stat``).
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
    never guessed: a committee name ("Socialnämnden", the district committee
    "Rinkeby-Kista stadsdelsnämnd"), "kommunen" or a company stays ``none``
    unless the context settles it, and so does any name that fits two bodies
    equally well or names two ("Region Skåne och Malmö stad").

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

# English names of municipalities that are not the Swedish name (Göteborgs Stad
# calls itself "City of Gothenburg" in English).
_EXONYMS = {"Göteborg": ("Gothenburg",)}

# Abbreviations in common use for regions (county code).
_REGION_ABBREVIATIONS = {"vgr": "14", "sll": "01"}  # Västra Götalandsregionen, Stockholms läns landsting

# Names of a province (landskap) that a region carries in its own name although its county
# is named otherwise: Region Jämtland Härjedalen (Jämtlands län). "Sörmland" (Region Sörmland,
# Södermanlands län) and "Jämtland" come from the reference tables themselves.
_PROVINCE_WORDS = {"härjedalen": "23"}

# County councils of the counties merged or renamed in 1997–1999, by the county code of
# today's region: Region Skåne (1999: Malmöhus and Kristianstads län), Västra
# Götalandsregionen (1999: Göteborgs och Bohus, Älvsborgs and Skaraborgs län), and
# Dalarna (Kopparbergs län until 1997).
_HISTORIC_COUNTY_COUNCILS = {
    "malmöhus läns landsting": "12", "kristianstads läns landsting": "12",
    "göteborgs och bohus läns landsting": "14", "älvsborgs läns landsting": "14",
    "skaraborgs läns landsting": "14", "kopparbergs läns landsting": "20",
}  # fmt: skip

# State authorities that can be a public party (level "stat"). The list is
# not exhaustive; unknown authorities stay unresolved.
_STATE_AUTHORITIES = {
    "kriminalvården": "Kriminalvården", "arbetsförmedlingen": "Arbetsförmedlingen",
    "försäkringskassan": "Försäkringskassan", "migrationsverket": "Migrationsverket",
    "polismyndigheten": "Polismyndigheten", "polisen": "Polismyndigheten",
    "socialstyrelsen": "Socialstyrelsen", "statens institutionsstyrelse": "Statens institutionsstyrelse",
    "sis": "Statens institutionsstyrelse", "myndigheten för ungdoms- och civilsamhällesfrågor": "MUCF",
    "mucf": "MUCF", "jämställdhetsmyndigheten": "Jämställdhetsmyndigheten",
}  # fmt: skip

# Words that name a unit inside a public body; a name that is only such a
# unit (after dropping these) cannot be resolved from the string alone.
_UNIT_WORDS = re.compile(
    r"(nämnd|nämnden|förvaltning|förvaltningen|styrelse|styrelsen|kontor|kontoret|"
    r"avdelning|avdelningen|enhet|enheten|stadsdel|stadsdelen|stadsdelsnämnd|"
    r"resursförvaltning|socialtjänst|socialtjänsten|kommunen|staden|regionen)$"
)

# The head word of a committee or an administration, alone or in a compound
# ("socialnämnden", "kulturförvaltningen", "kommunstyrelsen"). Only public bodies have
# these, so a few words of any kind may stand before one ("Rinkeby-Kista
# stadsdelsnämnd"). Church committees (kyrkonämnd) and property managers
# (fastighetsförvaltning) are not units of a kommun or region.
_STRONG_HEAD = re.compile(
    r"^(?!kyrko|fastighets|kapital|egendoms|förmögenhets)[\w-]*(?:"
    r"nämnd|nämnden|nämndens|nämnder|förvaltning|förvaltningen|förvaltningens|förvaltningar"
    r"|kommunstyrelse|kommunstyrelsen|regionstyrelse|regionstyrelsen|landstingsstyrelse"
    r"|landstingsstyrelsen|fullmäktige|socialtjänst|socialtjänsten|stadsdelsområde"
    r"|stadsdelsområdet)$"
)

# Head words that other organisations use too ("kontor", "avdelning", "enhet" …): they
# count as a public unit only after the modifiers below ("stadsbyggnadskontoret",
# "Mark- och exploateringskontoret", "Regional utveckling"), never after other words.
_WEAK_HEAD = re.compile(
    r"^[\w-]*(?:kontor|kontoret|avdelning|avdelningen|enhet|enheten|sektor|sektorn"
    r"|sekretariat|sekretariatet|stab|staben|omsorg|omsorgen|hemtjänst|hemtjänsten"
    r"|utveckling|utvecklingen)$"
)

# Words that may stand before a head word: the first part of a split compound
# ("vård-", "kultur-"), connectors and a few adjectives of administrations.
_MODIFIER = re.compile(
    r"^(?:[\w]+-|och|&|samt|för|social|sociala|kommunal|kommunala|regional|regionala"
    r"|central|centrala|gemensam|gemensamma|teknisk|tekniska|östra|västra|norra|södra|nya)$"
)

# Words that mark an organisation, not a district or an area of responsibility,
# after a head word ("Socialnämnden och Kvinnojouren …" is not a unit).
_ORG_WORD = re.compile(
    r"(jour|jouren|förening|föreningen|förbund|förbundet|mission|missionen|kyrka|kyrkan"
    r"|stiftelse|korset|barnen|klubb|^if$|^ik$|^ff$|^bk$|^ab$|huset$)"
)

# Areas that administrations are named by without a head word ("Kultur och fritid, Umeå
# kommun", "Sektor vård och omsorg").
_AREA_UNITS = {
    "kultur och fritid", "kultur- och fritid", "vård och omsorg", "vård- och omsorg",
    "individ och familj", "individ- och familjeomsorg", "individ- och familjeomsorgen",
    "individ och familjeomsorg", "stöd och omsorg", "social omsorg", "arbete och välfärd",
    "arbetsmarknad", "arbetsmarknad och vuxenutbildning", "kultur och bildning", "utbildning",
    "samhällsbyggnad", "regional utveckling", "hälso- och sjukvård", "kultur", "fritid",
}  # fmt: skip

# Tokens that separate a body from its unit ("Uppsala kommun, Kulturförvaltningen").
_SEPARATORS = {",", ";", ":", "-", "/", "|"}
# Words that join a unit to the body it belongs to ("Socialnämnden i Lund").
_JOINERS = {"i", "inom", "hos", "vid", "på"}
# Words that belong to a body's name, never to a district after a unit.
_BODY_WORDS = {"kommun", "kommunen", "stad", "staden", "region", "regionen", "landsting", "landstinget"}

# Municipality names that are also ordinary words (or common in URLs): they
# count in free text and URL paths only when written as a proper name.
_COMMON_WORD_NAMES = {"ale", "are", "åre", "mark", "vara", "berg", "kil", "heby", "sala", "nora", "mora", "orsa", "lund", "eda", "hjo", "bjuv", "flen", "ydre", "osby", "tidaholm"}


def genitive(name: str) -> str:
    """The genitive of a municipality's name, as in its official "X kommun".

    Examples
    --------
    >>> [genitive(n) for n in ("Lund", "Falun", "Västerås", "Mora")]
    ['Lunds', 'Falu', 'Västerås', 'Mora']
    """
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
    rule_notes: dict[str, str]
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
    rule_notes: dict[str, str] = {}
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
        # common non-official variants, Swedish and English
        alt_gen = name if gen != name else name + "s"
        for key in (f"{name} kommun", f"{name} stad", f"{alt_gen} kommun", f"{alt_gen} stad",
                    f"{gen} kommun och stad", f"kommunen {name}"):
            put(rule, clean(key), body)
        for en in (name, *_EXONYMS.get(name, ())):
            for key in (f"city of {en}", f"{en} city", f"{en} city council", f"{en} municipality",
                        f"municipality of {en}", f"{en} municipal council"):
                put(rule, clean(key), body)
                rule_notes[clean(key)] = "English form"
            if en != name:
                put(rule, clean(en), body)
                rule_notes[clean(en)] = f"English name of {name}"
        slug = _slug(name)
        put(slugs, slug, body)
        put(slugs, _slug(gen) + "kommun", body)
        put(slugs, _slug(gen) + "stad", body)
        put(text_names, name, body)
        if gen != name:
            put(text_names, gen, body)

    region_by_county_word: dict[str, _Body] = {}
    by_code: dict[str, _Body] = {}
    for code, cname, rname in zip(
        counties["county_code"], counties["county_name"], counties["region_name"]
    ):
        if code == "09":  # Gotland: the kommun carries the region's tasks
            body = exact[clean("Gotland")]
        else:
            body = _Body("region", code, rname)
        by_code[code] = body
        put(exact, clean(rname), body)
        # "Stockholms län" -> "Stockholm"; "Västra Götalands län" -> "Västra Götaland"
        base = re.sub(r"s? län$", "", cname)
        base_gen = cname.removesuffix(" län")
        region_by_county_word[clean(base)] = body
        region_by_county_word[clean(base_gen)] = body
        # the place words a region is called by: the county's base name, the region's
        # own name without "Region" ("Sörmland", "Jämtland Härjedalen", "Kalmar län"),
        # and the provinces of _PROVINCE_WORDS
        words = {clean(base)}
        if rname.startswith("Region "):
            words.add(clean(rname.removeprefix("Region ")))
        words |= {w for w, c in _PROVINCE_WORDS.items() if c == code}
        for w in words:
            region_by_county_word.setdefault(w, body)
        keys = [f"{base_gen} läns landsting", f"{base_gen} läns landsting och region", f"{base_gen} landsting",
                f"landstinget i {cname}", f"region {cname}", f"region {base_gen} län", f"regionen i {cname}",
                f"{rname} county council"]
        for w in sorted(words):
            keys += [f"landstinget i {w}", f"landstinget {w}", f"{w} landsting", f"region {w}", f"regionen {w}",
                     f"{w} region", f"{w} county council", f"county council of {w}", f"{w} regional council",
                     f"regional council of {w}", f"region {w} county"]
        for key in keys:
            put(rule, clean(key), body)
            if "landsting" in key:
                rule_notes[clean(key)] = "a county council's name (landsting), now the region"
            elif "county" in key or "council" in key:
                rule_notes[clean(key)] = "English form"
        # a county's or province's name alone ("Värmland", "Uppsala län"), unless it is
        # also a municipality's name ("Uppsala", "Kalmar" are the kommuner)
        for w in sorted(words | {clean(cname)}):
            if w not in exact:
                put(rule, w, body)
                rule_notes[w] = "a county's or province's name alone, read as its region"
        put(slugs, "region" + _slug(base), body)
        put(slugs, "region" + _slug(rname.removeprefix("Region ")), body)
        put(slugs, _slug(rname), body)
        put(text_names, rname, body)
    put(slugs, "vgregion", region_by_county_word[clean("Västra Götaland")])
    put(slugs, "sll", region_by_county_word[clean("Stockholm")])
    for abbr, ccode in _REGION_ABBREVIATIONS.items():
        put(rule, abbr, by_code[ccode])
    for key, ccode in _HISTORIC_COUNTY_COUNCILS.items():
        put(rule, key, by_code[ccode])
        put(rule, "landstinget i " + key.removesuffix(" läns landsting") + " län", by_code[ccode])
        rule_notes[key] = "a county council before the mergers of 1997–1999"
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
        rule_notes=rule_notes,
        folded=folded,
        folded_keys=list(folded),
        kommun_by_name=kommun_by_name,
        region_by_county_word=region_by_county_word,
        slugs=slugs,
        text_names=text_names,
        county_names=dict(zip(counties["county_code"], counties["county_name"])),
    )


_PAREN = re.compile(r"\s*\([^)]*\)\s*")
_LANSSTYRELSE = re.compile(r"^länsstyrelsen(?:\s+i)?\s+(.+?)(?:s)?(?:\s+län)?$")
_TOKEN_RE = re.compile(r"[,;:/|]|\s-\s|[^\s,;:/|]+")


def _result(inp: str, body: _Body | None, match: str, score: float, note: str = "") -> tuple:
    if body is None:
        return (inp, "unknown", None, None, "none", score, note)
    notes = "; ".join(x for x in (body.note, note) if x)
    return (inp, body.level, body.code or None, body.name, match, float(score), notes)


def _lookup(key: str, idx: _Index) -> tuple[_Body, str, str] | None:
    """``(body, match, note)`` when ``key`` is an official or rule form, else None."""
    if key in idx.exact:
        return idx.exact[key], "exact", ""
    if key in idx.rule:
        return idx.rule[key], "rule", idx.rule_notes.get(key, "")
    return None


def _tokens(s: str) -> list[str]:
    return [t.strip() for t in _TOKEN_RE.findall(f" {s} ") if t.strip()]


def _body_of(tokens: list[str], idx: _Index, genitive_ok: bool) -> tuple[_Body, str] | None:
    """The body that ``tokens`` name exactly (or without diacritics), with how."""
    if not tokens or tokens[0] in _SEPARATORS or tokens[-1] in _SEPARATORS:
        return None
    cand = " ".join(tokens)
    forms = [cand]
    if genitive_ok and cand.endswith("s") and len(cand) > 3:
        forms.append(cand[:-1])  # "göteborgs stads socialförvaltning", "uppsala kommuns"
    for f in forms:
        hit = _lookup(f, idx)
        if hit is not None:
            return hit[0], "rule"
    for f in forms:
        body = idx.folded.get(fold(f))
        if body is not None:
            return body, "fuzzy"
    return None


def _is_head(word: str) -> str:
    """"strong", "weak" or "" for a word that heads a committee or administration."""
    if _STRONG_HEAD.match(word):
        return "strong"
    if _WEAK_HEAD.match(word):
        return "weak"
    return ""


def _unit_phrase(tokens: list[str], free_lead: bool) -> bool:
    """Is ``tokens`` the name of a committee or an administration?

    A head word (:data:`_STRONG_HEAD`, :data:`_WEAK_HEAD`), after modifiers (or after up to
    three words of any kind before a strong head, or before any head when ``free_lead``),
    and then nothing, a "för …" phrase or up to two words that are not an organisation's.
    """
    words = list(tokens)
    if not words or any(t in _SEPARATORS for t in words):
        return False
    if " ".join(words) in _AREA_UNITS:
        return True
    for i, w in enumerate(words):
        kind = _is_head(w)
        if not kind:
            continue
        lead = words[:i]
        if not (all(_MODIFIER.match(x) for x in lead) or free_lead or (kind == "strong" and len(lead) <= 3)):
            return False
        if any(_ORG_WORD.search(x) for x in lead):
            return False
        tail = words[i + 1 :]
        if not tail or tail[0] == "för" or _is_head(tail[-1]) or " ".join(tail) in _AREA_UNITS:
            return True
        return len(tail) <= 2 and not any(
            _ORG_WORD.search(x) or x in _JOINERS or x in _BODY_WORDS for x in tail
        )
    return False


def _split_unit(s: str, idx: _Index) -> tuple[list, list[str]]:
    """Read a body and a unit written together, before or after each other.

    Returns ``(matches, body_parts)``: ``matches`` holds ``(body, match, note, words in
    the body)`` for every way the string splits into a body and a unit (or a body, a
    separator and any text), and ``body_parts`` the strings that stand where a body should, for fuzzy
    matching when none of them is an official form.
    """
    toks = _tokens(s)
    n = len(toks)
    matches: list = []
    parts: list[str] = []
    if n < 2:
        return matches, parts
    for k in range(1, n):
        head, rest = toks[:k], toks[k:]
        # (a) the body first: "Västerås socialförvaltning", "Uppsala kommun, Kulturförvaltningen"
        if rest[0] in _SEPARATORS or _unit_phrase(rest, free_lead=rest[-1].startswith("stadsdel")):
            found = _body_of(head, idx, genitive_ok=True)
            after = [t for t in rest if t not in _SEPARATORS]
            if found is None:
                if _unit_phrase(rest, free_lead=True):
                    parts.append(" ".join(head))
            elif rest[0] in _SEPARATORS and not _unit_phrase(rest[1:], free_lead=True):
                if _bodies_named(after, idx) - {found[0]}:
                    matches.append((None, "none", "names several public bodies", k))
                else:
                    matches.append((found[0], found[1], f"text after the body ignored: {' '.join(after)!r}", k))
            else:
                matches.append((found[0], found[1], f"unit after the body: {' '.join(after)!r}", k))
        # (b) the unit first: "Kulturförvaltningen, Uppsala kommun", "Socialnämnden i Lund"
        unit = [t for t in head if t not in _SEPARATORS]
        body_toks = list(rest)
        while body_toks and (body_toks[0] in _SEPARATORS or body_toks[0] in _JOINERS):
            body_toks = body_toks[1:]
        if unit and body_toks and _unit_phrase(head, free_lead=False):
            found = _body_of(body_toks, idx, genitive_ok=False)
            if found is not None:
                matches.append((found[0], found[1], f"unit before the body: {' '.join(unit)!r}", len(body_toks)))
            else:
                parts.append(" ".join(body_toks))
    return matches, parts


def _bodies_named(tokens: list[str], idx: _Index) -> set:
    """The bodies that runs of up to four of ``tokens`` name exactly."""
    n = len(tokens)
    found = set()
    for i in range(n):
        for j in range(i + 1, min(n, i + 4) + 1):
            hit = _lookup(" ".join(tokens[i:j]), idx)
            if hit is not None:
                found.add(hit[0])
    return found


def _resolve_string(raw: str, idx: _Index, threshold: float) -> tuple:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return _result("", None, "none", 0.0, "empty name")
    inp = str(raw)
    s = clean(inp).strip(" .,;:\"'")
    if not s:
        return _result(inp, None, "none", 0.0, "empty name")
    hit = _lookup(s, idx)
    if hit is not None:
        return _result(inp, hit[0], hit[1], 100.0, hit[2])

    # documented rewrites, each retried against the official forms
    no_paren = _PAREN.sub(" ", s).strip(" .,;:\"'")
    rewrites = []
    if no_paren != s:
        rewrites.append((no_paren, "parenthesis dropped"))
    if no_paren.startswith("the "):
        rewrites.append((no_paren[4:], "English article dropped"))
    if "-" in no_paren or "/" in no_paren:
        rewrites.append((re.sub(r"(?<=\w)[-/](?=\w)", " ", no_paren), "hyphen or slash read as a space"))
    for cand, why in rewrites:
        hit = _lookup(cand, idx)
        if hit is not None:
            return _result(inp, hit[0], "rule", 100.0, "; ".join(x for x in (why, hit[2]) if x))
    m = _LANSSTYRELSE.match(no_paren)
    if m:
        place = m.group(1)
        for key in (place, place.removesuffix("s")):
            body = idx.region_by_county_word.get(key)
            if body is not None:
                ccode = body.code if body.level == "region" else "09"
                cbody = _Body("stat", ccode, f"Länsstyrelsen i {idx.county_names[ccode]}")
                return _result(inp, cbody, "rule", 100.0, "state authority (länsstyrelse)")

    # a body and one of its committees or administrations, in either order
    base = no_paren.removeprefix("the ") if no_paren.startswith("the ") else no_paren
    matches, parts = _split_unit(base, idx)
    bodies = {mt[0] for mt in matches}
    if None in bodies or len(bodies) > 1:
        return _result(inp, None, "none", 0.0, "ambiguous: names several public bodies")
    if matches:
        # prefer an exact reading of the body over one without diacritics, then the
        # reading with the longest body ("Örebro kommun" + "Förvaltningen för …")
        best = max(matches, key=lambda mt: (mt[1] == "rule", mt[3]))
        return _result(inp, best[0], best[1], 100.0, best[2])

    # committee-only names, "kommunen" and the like: never fuzzy-guessed
    words = [w for w in _tokens(no_paren) if w not in _SEPARATORS]
    if all(_UNIT_WORDS.search(w) or _is_head(w) or _MODIFIER.match(w) or w in {"i", "-"} for w in words):
        return _result(inp, None, "none", 0.0, "names only a unit, not a public body")

    # fuzzy, in the folded space (handles missing diacritics and small typos)
    from rapidfuzz import fuzz, process

    best_score, best_body = 0.0, None
    for cand in [s] + [c for c, _ in rewrites] + parts:
        fc = fold(cand)
        if fc in idx.folded and idx.folded[fc] is not None:
            return _result(inp, idx.folded[fc], "fuzzy", 100.0, "matched without diacritics")
        hits = process.extract(
            fc, idx.folded_keys, scorer=fuzz.ratio, limit=5, score_cutoff=threshold - 3
        )
        if not hits:
            continue
        scored: dict = {}
        for key, score, _ in hits:
            # an ambiguous folded form (Habo/Håbo) competes as its own candidate
            body = idx.folded[key] if idx.folded[key] is not None else ("ambiguous", key)
            scored[body] = max(scored.get(body, 0.0), score)
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
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
    if any(_is_head(w) == "strong" for w in words):
        return _result(inp, None, "none", best_score, "names a committee or an administration, not its public body")
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
    >>> r[["code", "level", "match"]].fillna("-").values.tolist()
    [['2080', 'kommun', 'exact'], ['14', 'region', 'rule'], ['1480', 'kommun', 'fuzzy'], ['-', 'unknown', 'none']]
    >>> resolve_public_party(["upplevelsenämnden"],
    ...     context=["https://enkoping.se/fritid-och-kultur/"])[["name", "match"]].values.tolist()
    [['Enköping', 'context']]
    """
    import numpy as np
    import pandas as pd

    from iopstudy.reference.municipalities import reference_dir

    if isinstance(names, str):
        names = [names]
    if not isinstance(names, pd.Series):
        names = pd.Series(np.asarray(list(names), dtype=object), dtype=object)
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

    # each distinct (name, context) pair is resolved once; factorised as the column is stored
    # (pandas 3's text columns in Arrow, without a million Python strings)
    name_codes, name_uniques = pd.factorize(names, use_na_sentinel=False)
    name_uniques = np.asarray(name_uniques, dtype=object)
    name_uniques[pd.isna(name_uniques)] = None  # NaN, pd.NA: one missing name
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
    # one value per distinct (name, context) pair, spread to every row with ``take``: on pandas 3
    # the text dtype is built from the few distinct values, not from a million rows
    cols = {
        col: (pd.Series(np.asarray(table[j], dtype="float64")) if col == "score"
              else pd.Series(np.asarray(table[j], dtype=object))).take(pair_codes).reset_index(drop=True)
        for j, col in enumerate(RESOLVE_COLUMNS)
    }
    shown = name_uniques.copy()
    shown[pd.isna(shown)] = ""
    cols["input"] = pd.Series(shown).take(name_codes).reset_index(drop=True)
    return pd.DataFrame(cols, copy=False)
