"""Labels in Swedish and English, and number formatting in each language.

One dictionary, :data:`LABELS`, holds every text that figures and tables
show (axis and legend titles, group names, notes); :func:`label` looks a key
up in a language. Codes of categories are looked up as ``"<kind>.<code>"``
(``"skr_group.A1"``, ``"size_class.<10k"``, ``"level.kommun"``);
:func:`category_labels` maps many codes at once. Labels of things defined
elsewhere (e.g. policy areas) are passed in with ``extra=``.

:func:`format_number` writes numbers the way each language does: Swedish
uses a no-break space between thousands and a decimal comma (``"1 200"``,
``"0,5"``), English a comma and a point (``"1,200"``, ``"0.5"``).

Examples
--------
>>> label("year", "sv")
'År'
>>> format_number(1234.5, "sv", decimals=1) == "1\\u00a0234,5"
True
>>> format_number(1234.5, "en", decimals=1)
'1,234.5'
"""

from __future__ import annotations

import difflib
import math
import string
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "LANGS",
    "LABELS",
    "NBSP",
    "label",
    "category_labels",
    "format_number",
    "format_percent",
    "format_p",
    "check_lang",
    "partial_data_note",
]

#: Supported languages.
LANGS = ("en", "sv")

#: The no-break space used between thousands (and before % ) in Swedish.
NBSP = "\u00a0"

_BASE: dict[str, tuple[str, str]] = {
    # key: (en, sv)
    # axes and legends
    "year": ("Year", "År"),
    "period": ("Period", "Period"),
    "group": ("Group", "Grupp"),
    "share_adopted": ("Share of municipalities with a found and dated IOP", "Andel kommuner med funnet och daterat IOP"),
    "share_in_operation": ("Share of municipalities, in operation", "Andel kommuner, i drift"),
    "share_units": ("Share of units", "Andel enheter"),
    "share": ("Share", "Andel"),
    "share_agreements": ("Share of agreements", "Andel avtal"),
    "n_municipalities": ("Number of municipalities", "Antal kommuner"),
    "n_agreements": ("Number of agreements", "Antal avtal"),
    "count": ("Count", "Antal"),
    "published_count": ("Published number of IOPs", "Publicerat antal IOP"),
    "source": ("Source", "Källa"),
    "scope": ("Scope", "Omfattning"),
    "survival": ("Share without a found and dated IOP", "Andel utan funnet och daterat IOP"),
    "survival_generic": ("Survival probability", "Överlevnadssannolikhet"),
    "time": ("Time", "Tid"),
    "years_at_risk": ("Years since start of observation", "År sedan observationens början"),
    "policy_area": ("Policy area", "Verksamhetsområde"),
    "size_class": ("Population size", "Folkmängd"),
    "skr_group": ("SKR municipality group", "SKR:s kommungrupp"),
    "skr_main_group": ("SKR main group", "SKR:s huvudgrupp"),
    "county": ("County", "Län"),
    "level": ("Public body", "Offentlig part"),
    "term": ("Term", "Term"),
    "estimate": ("Estimate", "Skattning"),
    "ratio": ("Ratio", "Kvot"),
    "odds_ratio": ("Odds ratio", "Oddskvot"),
    "hazard_ratio": ("Hazard ratio", "Hasardkvot"),
    "incidence_rate_ratio": ("Incidence rate ratio", "Incidenskvot"),
    "ci": ("{level}% confidence interval", "{level}\u00a0% konfidensintervall"),
    "ci_band": ("{level}% CI (Wilson)", "{level}\u00a0% KI (Wilson)"),
    "p_value": ("p-value", "p-värde"),
    "n": ("n", "n"),
    # values
    "all": ("All", "Samtliga"),
    "other": ("Other", "Övrigt"),
    "undated": ("Undated", "Odaterat"),
    "yes": ("Yes", "Ja"),
    "no": ("No", "Nej"),
    "adopted": ("IOP found", "IOP funnet"),
    "not_adopted": ("No IOP found", "Inget IOP funnet"),
    "level.kommun": ("Municipality", "Kommun"),
    "level.region": ("Region", "Region"),
    "level.stat": ("State", "Stat"),
    "skr_main_group.A": (
        "Large cities and municipalities near large cities",
        "Storstäder och storstadsnära kommuner",
    ),
    "skr_main_group.B": (
        "Large towns and municipalities near large towns",
        "Större städer och kommuner nära större stad",
    ),
    "skr_main_group.C": (
        "Small towns/urban areas and rural municipalities",
        "Mindre städer/tätorter och landsbygdskommuner",
    ),
    # notes
    "note_partial_register": (
        "Partial register: {n} agreements found in public sources, not a census",
        "Ofullständigt register: {n} avtal funna i offentliga källor, inte en totalräkning",
    ),
    "note_partial_data": (
        "Partial data: agreements found in public sources, not a census",
        "Ofullständiga data: avtal funna i offentliga källor, inte en totalräkning",
    ),
    "note_illustrative": ("Illustrative data", "Illustrativa data"),
    "note_published_counts": (
        "Published counts differ in definition (identified, started, active, ongoing) and method; "
        "they are not one time series",
        "De publicerade antalen skiljer sig i definition (identifierade, startade, aktiva, "
        "pågående) och metod; de är ingen tidsserie",
    ),
    "note_ci": (
        "Shaded bands: {level}% confidence intervals",
        "Skuggade band: {level}\u00a0% konfidensintervall",
    ),
    "note_wilson": (
        "Bands: {level}% Wilson confidence intervals",
        "Band: {level}\u00a0% Wilson-konfidensintervall",
    ),
    "note_km": (
        "Kaplan–Meier estimate with {level}% log-log confidence intervals",
        "Kaplan–Meier-skattning med {level}\u00a0% log-log-konfidensintervall",
    ),
    "note_forest": (
        "Points: estimates; lines: {level}% confidence intervals; log scale",
        "Punkter: skattningar; linjer: {level}\u00a0% konfidensintervall; logaritmisk skala",
    ),
    "note_forest_linear": (
        "Points: estimates; lines: {level}% confidence intervals",
        "Punkter: skattningar; linjer: {level}\u00a0% konfidensintervall",
    ),
    "note_lov": (
        "LOV (Act on System of Choice) in operation; source: SKR",
        "LOV (lagen om valfrihetssystem) i drift; källa: SKR",
    ),
    "source_skr": ("Source: SKR", "Källa: SKR"),
    # SKR municipality groups (2017) and population size classes (reference/municipalities.py)
    "skr_group.A1": ("Large cities", "Storstäder"),
    "skr_group.A2": ("Commuter municipality near a large city", "Pendlingskommun nära storstad"),
    "skr_group.B3": ("Large town", "Större stad"),
    "skr_group.B4": ("Commuter municipality near a large town", "Pendlingskommun nära större stad"),
    "skr_group.B5": ("Low-commuting municipality near a large town", "Lågpendlingskommun nära större stad"),
    "skr_group.C6": ("Small town", "Mindre stad/tätort"),
    "skr_group.C7": ("Commuter municipality near a small town", "Pendlingskommun nära mindre stad/tätort"),
    "skr_group.C8": ("Rural municipality", "Landsbygdskommun"),
    "skr_group.C9": ("Rural municipality with a visitor industry", "Landsbygdskommun med besöksnäring"),
    "size_class.<10k": ("under 10,000", "under 10 000"),
    "size_class.10–25k": ("10,000–24,999", "10 000–24 999"),
    "size_class.25–50k": ("25,000–49,999", "25 000–49 999"),
    "size_class.50–100k": ("50,000–99,999", "50 000–99 999"),
    "size_class.100–200k": ("100,000–199,999", "100 000–199 999"),
    "size_class.≥200k": ("200,000 and more", "200 000 och fler"),
    # the register notebooks
    "source_kind.kommun webbplats": ("Municipal website", "Kommunens webbplats"),
    "source_kind.region webbplats": ("Regional website", "Regionens webbplats"),
    "source_kind.rapport": ("Report", "Rapport"),
    "source_kind.nyhet": ("News", "Nyhet"),
    "source_kind.organisation": ("Organisation's website", "Organisationens webbplats"),
    "source_kind.annat": ("Other", "Annat"),
    "source_kind.": ("Not stated", "Ej angivet"),
    "org_type.ideell_forening": ("Non-profit association", "Ideell förening"),
    "org_type.stiftelse": ("Foundation", "Stiftelse"),
    "org_type.trossamfund": ("Faith community", "Trossamfund"),
    "org_type.stadsmission": ("City mission", "Stadsmission"),
    "org_type.kvinno_tjejjour": ("Women's or girls' shelter", "Kvinno- eller tjejjour"),
    "org_type.ekonomisk_forening": ("Economic association", "Ekonomisk förening"),
    "org_type.other": ("Other (type not evident from the name)", "Annan (typen framgår inte av namnet)"),
    "role.primary": ("Primary area", "Huvudområde"),
    "role.secondary": ("Secondary area", "Sidoområde"),
    "n_partners": ("Number of partner organisations", "Antal partnerorganisationer"),
    "source_kind": ("Kind of source", "Typ av källa"),
    "org_type": ("Organisation type", "Organisationstyp"),
    "public_body": ("Public body", "Offentlig part"),
    "municipalities_all": ("All municipalities", "Samtliga kommuner"),
    "municipalities_found": ("With a found agreement", "Med funnet avtal"),
    "region_found": ("Region-level agreement found", "Avtal på regionnivå funnet"),
    "share_municipalities": ("Share of municipalities", "Andel kommuner"),
    "share_found": ("Share of municipalities with a found IOP", "Andel kommuner med funnet IOP"),
    "undated_not_shown": (
        "{n} of {total} agreements have no start year and are not shown",
        "{n} av {total} avtal saknar startår och visas inte",
    ),
    "curve.iop_start": (
        "IOP: first dated start found (register)",
        "IOP: första daterade start funnen (registret)",
    ),
    "curve.iop_evidence": (
        "IOP: first dated start or end found (register)",
        "IOP: första daterade start eller slut funnen (registret)",
    ),
    "curve.lov": ("LOV in operation (SKR, all 290)", "LOV i drift (SKR, alla 290)"),
    "register_source": (
        "This register: dated agreements active in the year",
        "Detta register: daterade avtal aktiva under året",
    ),
    "note_iop_found_only": (
        "The IOP curve counts only agreements found and dated in public sources; "
        "{n_undated} of {n_found} municipalities with a found agreement have no dated start",
        "IOP-kurvan räknar bara avtal som hittats och daterats i offentliga källor; "
        "{n_undated} av {n_found} kommuner med funnet avtal saknar daterad start",
    ),
    "note_first_dated": (
        "Adoption year = first dated start; {n_undated} of {n_found} municipalities with a found "
        "agreement have no dated start and count as not adopted here",
        "Införandeår = första daterade start; {n_undated} av {n_found} kommuner med funnet avtal "
        "saknar daterad start och räknas här som utan IOP",
    ),
    "note_km_by_size": ("Time from 2010 to the first found and dated IOP; municipalities without one censored at {end}", "Tid från 2010 till första funna och daterade IOP; kommuner utan ett sådant censurerade vid {end}"),
    "note_register_points": (
        "Register points: agreements whose dated period covers the year; {n} agreements found in "
        "all, {n_dated} of them with a start or end year",
        "Registrets punkter: avtal vars daterade period täcker året; {n} avtal funna totalt, "
        "varav {n_dated} med start- eller slutår",
    ),
    "note_sensitivity": ("Each row: the ratio for log(population) (per unit of log(population), i.e. per factor e ≈ 2.7 in population) in one model or dating variant; every variant codes the municipalities without a found agreement as non-adopters", "Varje rad: kvoten för log(folkmängd) (per enhet log(folkmängd), dvs. per faktor e ≈ 2,7 i folkmängd) i en modell- eller dateringsvariant; varje variant räknar kommunerna utan funnet avtal som kommuner utan IOP"),
    "note_undated_group": (
        "“Undated”: agreements without a start year ({n}); the test leaves them out",
        "”Odaterat”: avtal utan startår ({n}); testet utelämnar dem",
    ),
    "note_regions_left_out": (
        "Region-level agreements ({n}) have no municipality and are left out",
        "Avtal på regionnivå ({n}) har ingen kommun och utelämnas",
    ),
    "note_wilson_lines": (
        "Points: shares; lines: {level}% Wilson confidence intervals",
        "Punkter: andelar; linjer: {level}\u00a0% Wilson-konfidensintervall",
    ),
    "ever_found_share": ("Share with a found agreement", "Andel med funnet avtal"),
    "log_population": ("Log population", "log(folkmängd)"),
    "n_partner_rows": (
        "Partner organisations (agreement × organisation)",
        "Partnerorganisationer (avtal × organisation)",
    ),
    "note_org_type": (
        "Organisation type inferred from the name only",
        "Organisationstyp härledd enbart ur namnet",
    ),
    "dating.dated": ("With a start year", "Med startår"),
    "dating.undated": ("Without a start year", "Utan startår"),
    "variant.logit_all": ("Logit, all municipalities (main)", "Logit, alla kommuner (huvudmodell)"),
    "variant.logit_county": ("Logit + county (Firth, Wald CI)", "Logit + län (Firth, Wald-KI)"),
    "variant.interval": ("Interval-censored hazard, stated first years (main)", "Intervallcensurerad hasard, angivna första år (huvudmodell)"),
    "variant.interval_county": ("Interval-censored hazard, county-clustered SEs", "Intervallcensurerad hasard, länsklustrade SE"),
    "variant.interval_periods": ("Interval-censored hazard, period dummies", "Intervallcensurerad hasard, periodindikatorer"),
    "variant.interval_log_duration": ("Interval-censored hazard, log duration", "Intervallcensurerad hasard, log(tid)"),
    "variant.hazard_start": ("Hazard (cloglog), first dated start, undated censored", "Hasard (cloglog), första daterade start, odaterade censurerade"),
    "variant.firth_start": ("Firth hazard, first dated start (profile CI)", "Firth-hasard, första daterade start (profil-KI)"),
    "variant.hazard_evidence": ("Hazard (cloglog), first dated start or end", "Hasard (cloglog), första daterade start eller slut"),
    "variant.hazard_no_undated": ("Hazard (cloglog), undated adopters left out", "Hasard (cloglog), kommuner med odaterat införande utelämnade"),
    "variant.cox_start": ("Cox (Efron ties), first dated start", "Cox (Efron), första daterade start"),
    "variant.cox_no_undated": ("Cox (Efron ties), undated adopters left out", "Cox (Efron), kommuner med odaterat införande utelämnade"),
    "note_top_bodies": (
        "The {n} public bodies with most agreements (of {total} with any)",
        "De {n} offentliga parterna med flest avtal (av {total} med något)",
    ),
    "agreements_per_body": ("Agreements per public body", "Avtal per offentlig part"),
    # the interviews
    'note_fictional_interviews': ('Illustrative data: fictional interviews', 'Illustrativa data: fiktiva intervjuer'),
    'code': ('Code', 'Kod'),
    'share_interviews': ('Share of interviews with the code', 'Andel intervjuer med koden'),
    'share_segments': ('Share of segments with the code', 'Andel segment med koden'),
    'jaccard': ('Jaccard index', 'Jaccardindex'),
    'n_both': ('Units with both codes', 'Enheter med båda koderna'),
    'sector': ('Sector', 'Sektor'),
    'respondent_role': ("Respondent's role", 'Respondentens roll'),
    'county_name': ('County', 'Län'),
    'sector.offentlig': ('Public sector (offentlig)', 'Offentlig sektor'),
    'sector.idéburen': ('Non-profit (idéburen)', 'Idéburen sektor'),
    'size_class.region': ('Region (no size class)', 'Region (ingen storleksklass)'),
    'skr_group.region': ('Region (no SKR group)', 'Region (ingen kommungrupp)'),
    'note_consensus': ('Manual codings; a code counts when a majority of coders applied it', 'Manuell kodning; en kod räknas när en majoritet av kodarna satt den'),
    'note_dictionary': ("Dictionary pre-coding of respondent segments (proposals, not coders' decisions)", 'Ordlistebaserad förkodning av respondentsegment (förslag, inte kodarnas beslut)'),
    'note_cooc_segment': ('Unit: segment. Jaccard index = segments with both codes / segments with either', 'Enhet: segment. Jaccardindex = segment med båda koderna / segment med någon av dem'),
    # bounds, detection and regression tables (iopstudy.spread.bounds, .detection, .report_tables)
    "bounds.logit_ratio": (
        "odds ratio per unit of log(population)",
        "oddskvoten per enhet log(folkmängd)",
    ),
    "bounds.hazard_ratio": (
        "hazard ratio per unit of log(population)",
        "hasardkvoten per enhet log(folkmängd)",
    ),
    "bounds.sign_positive": (
        "With {k} undetected adopters placed anywhere among the {n_zero} municipalities without a "
        "found agreement, the {what} lies between {low} and {high} (found adopters only: {found}): "
        "above 1 whatever the placement, so the sign of the size effect is identified.",
        "Med {k} oupptäckta införare placerade var som helst bland de {n_zero} kommunerna utan funnet "
        "avtal ligger {what} mellan {low} och {high} (bara funna införare: {found}): över 1 hur de än "
        "placeras, så storlekseffektens tecken är identifierat.",
    ),
    "bounds.sign_negative": (
        "With {k} undetected adopters placed anywhere among the {n_zero} municipalities without a "
        "found agreement, the {what} lies between {low} and {high} (found adopters only: {found}): "
        "below 1 whatever the placement, so the sign of the size effect is identified.",
        "Med {k} oupptäckta införare placerade var som helst bland de {n_zero} kommunerna utan funnet "
        "avtal ligger {what} mellan {low} och {high} (bara funna införare: {found}): under 1 hur de än "
        "placeras, så storlekseffektens tecken är identifierat.",
    ),
    "bounds.sign_not_identified": (
        "With {k} undetected adopters placed anywhere among the {n_zero} municipalities without a "
        "found agreement, the {what} can lie anywhere between {low} and {high} (found adopters only: "
        "{found}): the data do not identify the sign of the size effect.",
        "Med {k} oupptäckta införare placerade var som helst bland de {n_zero} kommunerna utan funnet "
        "avtal kan {what} ligga var som helst mellan {low} och {high} (bara funna införare: {found}): "
        "data identifierar inte storlekseffektens tecken.",
    ),
    "bounds.breakdown": (
        "{k} undetected adopters, placed on the wrong municipalities, are enough to make the sign of "
        "the {what} unidentified.",
        "Det räcker med {k} oupptäckta införare, placerade i fel kommuner, för att tecknet på {what} "
        "inte längre ska vara identifierat.",
    ),
    "bounds.no_breakdown": (
        "The sign of the {what} stays identified up to {k_max} undetected adopters.",
        "Tecknet på {what} förblir identifierat upp till {k_max} oupptäckta införare.",
    ),
    "bounds.not_sharp": (
        "(The range is over the placements tried, the smallest and largest municipalities and {n} "
        "random sets, and is not proven to be the whole identified set.)",
        "(Intervallet gäller de placeringar som prövats, de minsta och största kommunerna och {n} "
        "slumpvisa urval, och är inte bevisat att vara hela den identifierade mängden.)",
    ),
    "detection": ("Detection probability", "Upptäcktssannolikhet"),
    "undetected_adopters": ("Undetected adopters", "Oupptäckta införare"),
    "intercept": ("Intercept", "Intercept"),
    "year_centred": ("Year (centred at {centre})", "År (centrerat kring {centre})"),
    "year_linear": ("Year (linear)", "År (linjärt)"),
    "log_duration": ("Log years since {start}", "Log år sedan {start}"),
    "log_duration_plain": ("Log years at risk", "Log år i riskmängden"),
    "period_term": ("Period {period}", "Period {period}"),
    "reg.n": ("N", "N"),
    "reg.events": ("Events (adopters)", "Händelser (införare)"),
    "reg.aic": ("AIC", "AIC"),
    "reg.method": ("Method", "Metod"),
    "reg.se_type": ("Standard errors", "Standardfel"),
    "reg.se_model": ("model-based", "modellbaserade"),
    "reg.se_cluster": ("clustered by {by} ({n})", "klustrade per {by} ({n})"),
    "reg.cell_note": (
        "Cells: {stat} (95% CI); p-value below. {se}",
        "Celler: {stat} (95\u00a0% KI); p-värde nedanför. {se}",
    ),
    "reg.model.logit": ("Logit, ever found", "Logit, någonsin funnet"),
    "reg.model.logit_county": ("Logit + county (Firth)", "Logit + län (Firth)"),
    "reg.model.interval": ("Hazard, interval-censored", "Hasard, intervallcensurerad"),
    "reg.model.interval_county": ("Hazard, interval-censored, county-clustered SEs", "Hasard, intervallcensurerad, länsklustrade SE"),
    "reg.model.firth": ("Firth hazard, dated starts", "Firth-hasard, daterade starter"),
    "note_regression": ("Cells: odds ratios (logits) or hazard ratios (hazard models) with 95% intervals, p-values below. The models take the municipalities without a found agreement as non-adopters. County dummies of model (2) are not shown", "Celler: oddskvoter (logit) eller hasardkvoter (hasardmodeller) med 95\u00a0% intervall, p-värden nedanför. Modellerna räknar kommunerna utan funnet avtal som kommuner utan IOP. Länsindikatorerna i modell (2) visas inte"),
    "predicted_probability": ("Predicted probability", "Predicerad sannolikhet"),
    "cumulative_incidence": ("Cumulative incidence", "Kumulativ incidens"),
    "population": ("Population", "Folkmängd"),
    # claims computed from the results (iopstudy.spread.claims)
    "claims.size.headline_not": ("The data do not identify the sign of the size effect.", "Data identifierar inte storlekseffektens tecken."),
    "claims.size.published": ("The register finds {n_found} adopting municipalities; the published counts imply at least {n_published}, so at least {k} of the {n_zero} municipalities without a found agreement are adopters the search missed.", "Registret hittar {n_found} kommuner med IOP; de publicerade antalen innebär minst {n_published}, så minst {k} av de {n_zero} kommunerna utan funnet avtal har IOP som sökningen missade."),
    "claims.size.not_identified": ("Depending on where those {k} sit, the {what} can be anything from {low} (the missed adopters are the smallest municipalities: larger ones are then less likely to have an IOP) to {high} (they are the largest).", "Beroende på var dessa {k} finns kan {what} vara allt från {low} (de missade är de minsta kommunerna: större kommuner har då mer sällan IOP) till {high} (de är de största)."),
    "claims.size.positive": ("Wherever those {k} sit, the {what} stays between {low} and {high}: above 1 for every placement, so larger municipalities are more likely to have an IOP whatever the search missed.", "Var dessa {k} än finns ligger {what} mellan {low} och {high}: över 1 för varje placering, så större kommuner har oftare IOP vad sökningen än missade."),
    "claims.size.negative": ("Wherever those {k} sit, the {what} stays between {low} and {high}: below 1 for every placement, so larger municipalities are less likely to have an IOP whatever the search missed.", "Var dessa {k} än finns ligger {what} mellan {low} och {high}: under 1 för varje placering, så större kommuner har mer sällan IOP vad sökningen än missade."),
    "claims.size.no_missing": ("The published counts imply no adopter beyond the {n_found} the register finds; if the found adopters are all adopters, the {what} is {found}.", "De publicerade antalen innebär inga fler kommuner med IOP än de {n_found} registret hittar; om de funna är alla är {what} {found}."),
    "claims.size.breakdown": ("Already {kb} missed adopters, placed on the wrong municipalities, would be enough to make the sign unknown.", "Redan {kb} missade kommuner med IOP, placerade i fel kommuner, skulle räcka för att göra tecknet okänt."),
    "claims.size.breakdown_beyond": ("The sign would be lost only with {kb} or more missed adopters, more than the {k} the published counts imply.", "Tecknet skulle gå förlorat först med {kb} eller fler missade kommuner med IOP, fler än de {k} som de publicerade antalen innebär."),
    "claims.size.no_breakdown": ("The sign stays identified however many adopters the search missed.", "Tecknet förblir identifierat hur många kommuner med IOP sökningen än missade."),
    "claims.size.found_only": ("The found adopters alone give {found}; that number describes where the search found agreements, not where IOPs are.", "Enbart de funna ger {found}; den siffran beskriver var sökningen hittade avtal, inte var IOP finns."),
    "claims.scenarios": ("If the {k} missed adopters were spread evenly over the size ranks of the municipalities without a found agreement, the odds ratio would be {even}; if they were a random set of them, {random}. Both are assumptions; under them {verdict}. Put on the smallest municipalities they give {smallest}, on the largest {largest}.", "Om de {k} missade vore jämnt spridda över storleksrangen bland kommunerna utan funnet avtal vore oddskvoten {even}; om de vore ett slumpmässigt urval av dem, {random}. Båda är antaganden; under dem {verdict}. Placerade i de minsta kommunerna ger de {smallest}, i de största {largest}."),
    "claims.scenarios.above": ("the interval stays above 1", "ligger intervallet över 1"),
    "claims.scenarios.below": ("the interval stays below 1", "ligger intervallet under 1"),
    "claims.scenarios.includes": ("the interval includes 1", "innehåller intervallet 1"),
    "claims.sensitivity": ("Across the {n} model and dating variants ({ranges}) the 95% interval excludes 1 in {m} of {n}. Every variant codes the municipalities without a found agreement as non-adopters: the variants test the model and the dating, not where the missed adopters are, so they cannot settle the sign of the size effect; the bounds of notebook 06 are about that.", "I de {n} modell- och dateringsvarianterna ({ranges}) utesluter 95\u00a0%-intervallet 1 i {m} av {n}. Varje variant räknar kommunerna utan funnet avtal som kommuner utan IOP: varianterna prövar modellen och dateringen, inte var de missade finns, och kan därför inte avgöra storlekseffektens tecken; det är vad gränserna i notebook 06 handlar om."),
    "claims.sensitivity.range_odds": ("odds ratios {lo}–{hi} in {n} logit variants", "oddskvoter {lo}–{hi} i {n} logitvarianter"),
    "claims.sensitivity.range_hazard": ("hazard ratios {lo}–{hi} in {n} hazard and Cox variants", "hasardkvoter {lo}–{hi} i {n} hasard- och Coxvarianter"),
    "claims.detection.common_steeper": ("If every adopter had the same chance of being found, a lower chance makes the found gradient steeper, not flatter: the odds ratio goes from {r1} (detection {d1}) to {r2} (detection {d2}).", "Om varje kommun med IOP hade samma chans att hittas gör en lägre chans den funna gradienten brantare, inte flackare: oddskvoten går från {r1} (upptäckt {d1}) till {r2} (upptäckt {d2})."),
    "claims.detection.common_flatter": ("If every adopter had the same chance of being found, a lower chance makes the found gradient flatter: the odds ratio goes from {r1} (detection {d1}) to {r2} (detection {d2}).", "Om varje kommun med IOP hade samma chans att hittas gör en lägre chans den funna gradienten flackare: oddskvoten går från {r1} (upptäckt {d1}) till {r2} (upptäckt {d2})."),
    "claims.detection.diverged": ("At a common detection of {d} or below the model breaks down: more is found among the largest municipalities than such a detection allows, so detection cannot be the same everywhere.", "Vid en gemensam upptäcktssannolikhet på {d} eller lägre bryter modellen samman: bland de största kommunerna hittas fler än en sådan sannolikhet tillåter, så upptäckten kan inte vara densamma överallt."),
    "claims.detection.calibrated": ("The common detection at which the model implies the published {target} adopters is {d}; there the odds ratio is {r} ({lo}–{hi}).", "Den gemensamma upptäcktssannolikhet vid vilken modellen ger de publicerade {target} kommunerna med IOP är {d}; där är oddskvoten {r} ({lo}–{hi})."),
    "claims.detection.differential": ("With a detection that differs between places ({scenario}) the odds ratio is {r} ({lo}–{hi}).", "Med en upptäcktssannolikhet som skiljer mellan orter ({scenario}) är oddskvoten {r} ({lo}–{hi})."),
    "claims.detection.design": ("Detection is a parameter here, not an estimate. A stratified audit (a random sample of municipalities by size and SKR group, searched exhaustively: minutes, diaries, a question to the municipality) would estimate it by stratum; capture–recapture across independent kinds of sources (municipal pages, organisations' pages, news, national mappings) would estimate how many agreements exist.", "Upptäcktssannolikheten är här en parameter, inte en skattning. En stratifierad granskning (ett slumpmässigt urval kommuner efter storlek och SKR-grupp, genomsökt uttömmande: protokoll, diarier, en fråga till kommunen) skulle skatta den per stratum; fångst–återfångst mellan oberoende slags källor (kommunernas sidor, organisationernas sidor, nyheter, nationella kartläggningar) skulle skatta hur många avtal som finns."),
    "claims.detection.scenario_named": ("named in the search {dn}, others {do}", "namngivna i sökningen {dn}, övriga {do}"),
    "claims.prediction": ("Predicted probability of a found agreement: {at}. Doubling the population adds {d} percentage points on average ({lo} to {hi}). Both describe where the search found agreements; what they can mean for adoption is what the bounds of notebook 06 say.", "Predicerad sannolikhet för ett funnet avtal: {at}. En fördubblad folkmängd ger i genomsnitt {d} procentenheter mer ({lo} till {hi}). Båda beskriver var sökningen hittade avtal; vad de kan betyda för införandet säger gränserna i notebook 06."),
    "claims.prediction.at": ("{p} ({lo}–{hi}) at {n} inhabitants", "{p} ({lo}–{hi}) vid {n} invånare"),
    "claims.crosstab": ("{what}: {test}, {p}{adj}, Cramér's V = {v}: {verdict}.", "{what}: {test}, {p}{adj}, Cramérs V = {v}: {verdict}."),
    "claims.crosstab.adjusted": (" (Holm-adjusted {p})", " (Holm-justerat {p})"),
    "claims.crosstab.chance": ("not distinguishable from chance with these counts", "går inte att skilja från slumpen med dessa antal"),
    "claims.crosstab.differs": ("the groups differ beyond chance among the found agreements", "grupperna skiljer sig mer än slumpen bland de funna avtalen"),
    "claims.correction": ("The {m} tests of this notebook form one family: {raw} have p < {alpha} unadjusted, {holm} after Holm's correction (family-wise error rate; smallest adjusted {p}) and {bh} after Benjamini–Hochberg (false discovery rate).", "De {m} testen i denna notebook bildar en familj: {raw} har p < {alpha} utan justering, {holm} efter Holms korrektion (familjevis felrisk; minsta justerade {p}) och {bh} efter Benjamini–Hochberg (andel falska upptäckter)."),
    "claims.cluster.between": ("{what}, with the groups permuted between the {n} public bodies (each body's agreements move together, so one body's list counts once): {p}; treating agreements as independent: {naive}.", "{what}, med grupperna permuterade mellan de {n} offentliga parterna (varje parts avtal flyttas tillsammans, så en parts lista räknas en gång): {p}; om avtalen behandlas som oberoende: {naive}."),
    "claims.cluster.within": ("{what}, with the groups permuted within each of the {n} public bodies (a test of the association that remains inside bodies): {p}; treating agreements as independent: {naive}.", "{what}, med grupperna permuterade inom var och en av de {n} offentliga parterna (ett test av sambandet som finns kvar inom parterna): {p}; om avtalen behandlas som oberoende: {naive}."),
    "claims.cluster.naive_only": ("The agreement-level result thus rests on counting one body's agreements as independent observations.", "Resultatet på avtalsnivå vilar alltså på att en parts avtal räknas som oberoende observationer."),
    "claims.cluster.stable": ("No single public body moves the agreement-level test: without any one of the {n} largest it gives {lo} to {hi}.", "Ingen enskild offentlig part flyttar testet på avtalsnivå: utan någon av de {n} största ger det {lo} till {hi}."),
    "claims.cluster.influence": ("Leaving out {body} ({n} agreements) moves the agreement-level p-value from {p0} to {p1}.", "Utan {body} ({n} avtal) går p-värdet på avtalsnivå från {p0} till {p1}."),
    "claims.cluster.crosses": ("One public body thus decides whether the test is below {alpha}.", "En enda offentlig part avgör alltså om testet hamnar under {alpha}."),
    "claims.pairs": ("{n} pairs of interviews (a public and a non-profit respondent of the same partnership); the exact McNemar test uses only the discordant pairs. {m} codes had a discordant pair; the smallest p-value is {p} ({code}: {a} pairs where only the public side raised it, {b} where only the non-profit side did; Benjamini–Hochberg adjusted {padj}). With {n} pairs no p-value can be below {pmin}; {sig} codes have an adjusted p below 0.05.", "{n} par av intervjuer (en offentlig och en idéburen respondent i samma partnerskap); McNemars exakta test använder bara de oeniga paren. {m} koder hade ett oenigt par; minsta p-värdet är {p} ({code}: {a} par där bara den offentliga sidan tog upp den, {b} där bara den idéburna gjorde det; Benjamini–Hochberg-justerat {padj}). Med {n} par kan inget p-värde bli lägre än {pmin}; {sig} koder har ett justerat p under 0,05."),
    "claims.pairs.none": ("{n} pairs of interviews, but no code with a discordant pair: nothing to test.", "{n} par av intervjuer, men ingen kod med ett oenigt par: inget att testa."),
    "claims.published_share": ("Published: at least {n} municipalities ({count} IOPs)", "Publicerat: minst {n} kommuner ({count} IOP)"),
    "claims.published_share_undated": ("Published, undated (about this time): at least {n} municipalities ({count} IOPs)", "Publicerat, odaterat (ungefär vid denna tid): minst {n} kommuner ({count} IOP)"),
    # figures of the inference (iopstudy.figures.inference, .spread)
    "fig.undated_count": ("undated, approximate date", "odaterat, ungefärligt datum"),
    "note_undated_placed": ("Hollow marker with a band: an undated count, placed at the period its source points to", "Ofylld markör med band: ett odaterat antal, placerat vid den period källan pekar på"),
    "note_published_share": ("Diamond: the smallest share of municipalities a published count implies (a lower bound; hollow and with a band when the count is undated)", "Romb: den minsta andel kommuner som ett publicerat antal innebär (en nedre gräns; ofylld och med band när antalet är odaterat)"),
    "n_at_risk": ("At risk", "I riskmängden"),
    "note_undated_not_shown": ("{n} undated count(s) not shown", "{n} odaterade antal visas inte"),
    "note_panels": ("One panel per group; grey line: all municipalities", "En panel per grupp; grå linje: samtliga kommuner"),
    "note_km_calendar": ("Kaplan–Meier estimate on calendar years with {level}% log-log confidence intervals; numbers at risk at the start of each year below the axis", "Kaplan–Meier-skattning över kalenderår med {level}\u00a0% log-log-konfidensintervall; antal i riskmängden vid varje års början under axeln"),
    "fig.share_found": ("Found (register)", "Funnet (registret)"),
    "fig.share_axis": ("Share of municipalities with an IOP", "Andel kommuner med IOP"),
    "fig.share_bounds": ("Possible with {k} missed adopters (bounds)", "Möjligt med {k} missade kommuner med IOP (gränser)"),
    "fig.share_even": ("Missed adopters spread evenly by size", "Missade jämnt spridda efter storlek"),
    "fig.bounds_k": ("Missed adopters (k)", "Missade kommuner med IOP (k)"),
    "fig.identified_set": ("Possible odds ratios (identified set)", "Möjliga oddskvoter (identifierad mängd)"),
    "fig.found_estimate": ("Found adopters only", "Endast funna"),
    "fig.k_published": ("k implied by published counts ({k})", "k enligt publicerade antal ({k})"),
    "fig.k_breakdown": ("sign lost from k = {k}", "tecknet förloras från k = {k}"),
    "note_bounds": ("Left: share of municipalities with a found IOP by size class, and the range it can take when {k} of the municipalities without a found agreement are adopters the search missed (sharp bounds). Right: the odds ratio per unit of log(population) over all placements of k missed adopters; log scale", "Vänster: andel kommuner med funnet IOP per storleksklass, och det intervall den kan ha när {k} av kommunerna utan funnet avtal har IOP som sökningen missade (skarpa gränser). Höger: oddskvoten per enhet log(folkmängd) över alla placeringar av k missade; logaritmisk skala"),
    "note_bounds_zero": ("Left: share of municipalities with a found IOP by size class; the published counts imply no adopter the search missed. Right: the odds ratio per unit of log(population) over all placements of k missed adopters, had there been any; log scale", "Vänster: andel kommuner med funnet IOP per storleksklass; de publicerade antalen innebär inga kommuner med IOP som sökningen missade. Höger: oddskvoten per enhet log(folkmängd) över alla placeringar av k missade, om det fanns några; logaritmisk skala"),
    "odds_ratio_log_population": ("Odds ratio, log(population)", "Oddskvot, log(folkmängd)"),
    "hazard_ratio_log_population": ("Hazard ratio, log(population)", "Hasardkvot, log(folkmängd)"),
    "note_cumulative_incidence": ("Predicted share with an IOP by the end of each year, from the interval-censored hazard model, for municipalities of {sizes} inhabitants (SKR main group {group}); bands: {level}% intervals from {n_sim} draws of the coefficients. It takes the municipalities without a found agreement as non-adopters", "Predicerad andel med IOP vid varje års slut, från den intervallcensurerade hasardmodellen, för kommuner med {sizes} invånare (SKR:s huvudgrupp {group}); band: {level}\u00a0% intervall från {n_sim} dragningar av koefficienterna. Kommunerna utan funnet avtal räknas som utan IOP"),
    "fig.inhabitants": ("{n} inhabitants", "{n} invånare"),
    "note_single_page": ("Hatched: every agreement of this body comes from one web page", "Skrafferat: alla avtal för denna part kommer från en enda webbsida"),
    "single_page": ("All rows from one page", "Alla rader från en sida"),
    # counties (län) by code: English names without the genitive
    "county.01": ("Stockholm County", "Stockholms län"),
    "county.03": ("Uppsala County", "Uppsala län"),
    "county.04": ("Södermanland County", "Södermanlands län"),
    "county.05": ("Östergötland County", "Östergötlands län"),
    "county.06": ("Jönköping County", "Jönköpings län"),
    "county.07": ("Kronoberg County", "Kronobergs län"),
    "county.08": ("Kalmar County", "Kalmar län"),
    "county.09": ("Gotland County", "Gotlands län"),
    "county.10": ("Blekinge County", "Blekinge län"),
    "county.12": ("Skåne County", "Skåne län"),
    "county.13": ("Halland County", "Hallands län"),
    "county.14": ("Västra Götaland County", "Västra Götalands län"),
    "county.17": ("Värmland County", "Värmlands län"),
    "county.18": ("Örebro County", "Örebro län"),
    "county.19": ("Västmanland County", "Västmanlands län"),
    "county.20": ("Dalarna County", "Dalarnas län"),
    "county.21": ("Gävleborg County", "Gävleborgs län"),
    "county.22": ("Västernorrland County", "Västernorrlands län"),
    "county.23": ("Jämtland County", "Jämtlands län"),
    "county.24": ("Västerbotten County", "Västerbottens län"),
    "county.25": ("Norrbotten County", "Norrbottens län"),
    # geography and diffusion (iopstudy.figures.maps, iopstudy.spread.diffusion, notebook 05)
    "map.status": ("Found kommun-level agreements", "Funna avtal på kommunnivå"),
    "map.status.dated": ("Found, with a dated start", "Funnet, med daterad start"),
    "map.status.undated": ("Found, no start year", "Funnet, utan startår"),
    "map.status.none": ("No agreement found", "Inget avtal funnet"),
    "map.region_agreement": (
        "County whose region has a found agreement (hatched)",
        "Län vars region har ett funnet avtal (skrafferat)",
    ),
    "map.first_year": ("Year of the first dated IOP", "År för första daterade IOP"),
    "map.lisa": (
        "Local clusters of agreements per 10,000 inhabitants",
        "Lokala kluster av avtal per 10\u00a0000 invånare",
    ),
    "map.lisa.HH": ("High, neighbours high", "Högt, grannar höga"),
    "map.lisa.LL": ("Low, neighbours low", "Lågt, grannar låga"),
    "map.lisa.HL": ("High, neighbours low", "Högt, grannar låga"),
    "map.lisa.LH": ("Low, neighbours high", "Lågt, grannar höga"),
    "map.lisa.ns": ("Not significant", "Inte signifikant"),
    "note_insets": (
        "Insets: {names}, each with the municipalities bordering it",
        "Infällda kartor: {names}, var och en med kommunerna som gränsar till den",
    ),
    "note_lisa": (
        "Local Moran's I (LISA); a cluster has a pseudo p-value below {alpha} from {permutations} "
        "permutations, not corrected for multiple tests. Found agreements cluster where sources "
        "were searched, too",
        "Lokalt Morans I (LISA); ett kluster har ett pseudo-p-värde under {alpha} från {permutations} "
        "permutationer, utan korrektion för multipla test. Funna avtal klustrar också där källor har sökts",
    ),
    "series.register_dated": (
        "Register: municipalities with a dated first IOP by the end of the year",
        "Registret: kommuner med daterad första IOP vid årets slut",
    ),
    "series.register_found": (
        "Register: municipalities with any found agreement, dated or not",
        "Registret: kommuner med något funnet avtal, daterat eller inte",
    ),
    "series.published": (
        "Published count of municipalities with one kind of IOP (a lower bound)",
        "Publicerat antal kommuner med ett slags IOP (en nedre gräns)",
    ),
    "note_published_municipal": (
        "Published count: {what} ({date}); it counts one kind of IOP only, so it is a lower bound "
        "for municipalities with any IOP",
        "Publicerat antal: {what} ({date}); det räknar bara ett slags IOP och är därför en nedre "
        "gräns för kommuner med någon IOP",
    ),
    "log_population_lag": ("Log population (t−1)", "Log folkmängd (t−1)"),
    "log_density_lag": ("Log inhabitants per km² (t−1)", "Log invånare per km² (t−1)"),
    "neighbour_share_lag": (
        "Share of neighbours with a dated IOP (t−1), per 10 points",
        "Andel grannkommuner med daterad IOP (t−1), per 10 procentenheter",
    ),
    "region_iop_lag": ("Region-level IOP found in the county (t−1)", "IOP på regionnivå funnen i länet (t−1)"),
    "left_share": (
        "S+V+MP share, latest Riksdag election, per 10 points",
        "Andel S+V+MP, senaste riksdagsvalet, per 10 procentenheter",
    ),
    "diffusion_variant.firth_start": (
        "Firth, first dated start (main)",
        "Firth, första daterade start (huvudmodell)",
    ),
    "diffusion_variant.firth_evidence": ("Firth, first dated start or end", "Firth, första daterade start eller slut"),
    "diffusion_variant.firth_no_undated": (
        "Firth, undated adopters left out",
        "Firth, odaterade införare utelämnade",
    ),
    "diffusion_variant.ml_start": (
        "ML (clustered SEs), first dated start",
        "ML (klustrade SE), första daterade start",
    ),
    "diffusion_variant.ml_evidence": (
        "ML (clustered SEs), first dated start or end",
        "ML (klustrade SE), första daterade start eller slut",
    ),
    "diffusion_variant.ml_no_undated": (
        "ML (clustered SEs), undated adopters left out",
        "ML (klustrade SE), odaterade införare utelämnade",
    ),
    "note_diffusion_variants": (
        "Each row: the hazard ratio per 10 percentage points more neighbours with a dated IOP in "
        "the year before, in one model or data variant",
        "Varje rad: hasardkvoten per 10 procentenheter fler grannkommuner med daterad IOP året "
        "innan, i en modell- eller datavariant",
    ),
}


def _build() -> dict[str, dict[str, str]]:
    out = {k: {"en": en, "sv": sv} for k, (en, sv) in _BASE.items()}
    return out


#: All labels: ``LABELS[key] == {"en": ..., "sv": ...}``.
LABELS: dict[str, dict[str, str]] = _build()


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"en"`` or ``"sv"``, else raise ValueError.

    Examples
    --------
    >>> check_lang("sv")
    'sv'
    >>> check_lang("de")
    Traceback (most recent call last):
        ...
    ValueError: lang must be 'en' or 'sv', not 'de'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'sv', not {lang!r}")
    return lang


def _lookup(key: str, lang: str, extra: Mapping[str, Any] | None) -> str | None:
    for source in (extra, LABELS):
        if not source or key not in source:
            continue
        v = source[key]
        if isinstance(v, Mapping):
            if lang in v:
                return str(v[lang])
            continue
        return str(v)
    return None


def label(
    key: str,
    lang: str = "en",
    *,
    extra: Mapping[str, Any] | None = None,
    default: str | None = None,
    **fields: Any,
) -> str:
    """The label of ``key`` in ``lang``.

    Parameters
    ----------
    key
        A key of :data:`LABELS`, or of ``extra``.
    lang
        ``"en"`` or ``"sv"``.
    extra
        More labels, looked up first: ``{key: {"en": ..., "sv": ...}}`` or
        ``{key: text}`` (one text for both languages), e.g. policy areas.
    default
        Returned when the key is unknown; without it an unknown key raises
        KeyError (with close matches).
    **fields
        Values for placeholders such as ``{n}``; numbers are formatted with
        :func:`format_number` in ``lang``. ``{level}`` defaults to 95.

    Examples
    --------
    >>> label("note_partial_register", "en", n=80)
    'Partial register: 80 agreements found in public sources, not a census'
    >>> label("violence", "sv", extra={"violence": {"en": "Violence", "sv": "Våld"}})
    'Våld'
    """
    check_lang(lang)
    text = _lookup(key, lang, extra)
    if text is None:
        if default is not None:
            return default
        known = list(LABELS) + list(extra or {})
        close = difflib.get_close_matches(key, known, n=3)
        hint = f"; did you mean {close}?" if close else ""
        raise KeyError(f"no label {key!r}{hint}")
    names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    if not names:
        return text
    values = {"level": 95, **fields}
    missing = names - set(values)
    if missing:
        raise KeyError(f"label {key!r} needs value(s) for {sorted(missing)}")
    shown = {
        k: (format_number(v, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
        for k, v in values.items()
    }
    return text.format(**shown)


def category_labels(
    kind: str,
    codes: Iterable[Any],
    lang: str = "en",
    *,
    extra: Mapping[str, Any] | None = None,
) -> dict[Any, str]:
    """Map category codes to labels: ``{code: label(f"{kind}.{code}", lang)}``.

    Codes without a label keep their code as text (``extra`` may be keyed by
    ``code`` or ``"kind.code"``).

    Examples
    --------
    >>> category_labels("skr_main_group", ["A", "Z"], "en")["Z"]
    'Z'
    """
    out = {}
    for c in codes:
        key = f"{kind}.{c}"
        text = _lookup(key, lang, extra)
        if text is None and extra is not None:
            text = _lookup(str(c), lang, extra)
        out[c] = text if text is not None else str(c)
    return out


def _group_thousands(digits: str, sep: str) -> str:
    rev = digits[::-1]
    return sep.join(rev[i : i + 3] for i in range(0, len(rev), 3))[::-1]


def format_number(
    x: Any,
    lang: str = "en",
    decimals: int = 0,
    *,
    thousands_sep: str | None = None,
    minus: str = "-",
    na: str = "",
) -> str:
    """Format a number in the language's convention.

    Parameters
    ----------
    x
        The number (int, float, numpy number). Missing values give ``na``.
    lang
        ``"sv"``: no-break space (U+00A0) between thousands, decimal comma
        (``"1 200"``, ``"0,5"``). ``"en"``: ``"1,200"``, ``"0.5"``.
    decimals
        Digits after the decimal sign (rounding half to even, as Python's
        ``format``).
    thousands_sep
        Override the thousands separator (e.g. ``""`` for years, ``"\\u202f"``
        for a narrow no-break space).
    minus
        Minus sign (``"\\u2212"`` for typeset output).
    na
        Text for missing values.

    Examples
    --------
    >>> format_number(1200, "en")
    '1,200'
    >>> format_number(0.5, "sv", 1)
    '0,5'
    >>> format_number(-1234567.891, "en", 2)
    '-1,234,567.89'
    """
    check_lang(lang)
    if x is None:
        return na
    try:
        if x != x:  # NaN, pd.NA raises TypeError
            return na
    except TypeError:
        return na
    v = float(x)
    if math.isinf(v):
        return ("" if v > 0 else minus) + "∞"
    sep = thousands_sep if thousands_sep is not None else (NBSP if lang == "sv" else ",")
    dec = "," if lang == "sv" else "."
    s = f"{abs(v):.{int(decimals)}f}"
    if "." in s:
        whole, frac = s.split(".")
    else:
        whole, frac = s, ""
    negative = v < 0 and any(ch not in "0." for ch in s)
    body = _group_thousands(whole, sep) + (dec + frac if frac else "")
    return (minus if negative else "") + body


def format_p(
    p: Any,
    lang: str = "en",
    decimals: int = 3,
    *,
    floor: float = 1e-24,
    prefix: bool = False,
    na: str = "",
) -> str:
    """Format a p-value: fixed decimals, scientific below 10^-decimals, ``"< 1e-24"`` at the floor.

    Parameters
    ----------
    p
        The p-value (0–1). Missing values give ``na``.
    lang
        ``"en"`` or ``"sv"`` (decimal comma).
    decimals
        Decimals of p-values at or above ``10**-decimals``.
    floor
        Below this (and at 0, where a computed p-value has underflowed) the
        text is ``"< 1e-24"``: a double-precision tail probability that
        small says only that it is very small.
    prefix
        Start with ``"p = "`` / ``"p < "``.
    na
        Text for missing values.

    Examples
    --------
    >>> format_p(0.0123)
    '0.012'
    >>> format_p(0.0123, "sv")
    '0,012'
    >>> format_p(3.2e-7)
    '3.2e-07'
    >>> format_p(0.0, prefix=True)
    'p < 1e-24'
    >>> format_p(float("nan"))
    ''
    """
    check_lang(lang)
    if p is None:
        return na
    try:
        if p != p:
            return na
    except TypeError:
        return na
    v = float(p)
    if v < 0 or v > 1 + 1e-12:
        raise ValueError(f"format_p: {v} is not a probability")
    if v < floor:
        text = f"< {floor:.0e}".replace("e-0", "e-")
        return ("p " if prefix else "") + text
    if v < 10 ** (-decimals):
        text = f"{v:.1e}"
        if lang == "sv":
            text = text.replace(".", ",")
    else:
        text = format_number(min(v, 1.0), lang, decimals)
    return ("p = " if prefix else "") + text


def format_percent(x: Any, lang: str = "en", decimals: int = 0, **kw: Any) -> str:
    """Format a share (0–1) as a percentage: en ``"25%"``, sv ``"25 %"`` (no-break space).

    Examples
    --------
    >>> format_percent(0.255, "en", 1)
    '25.5%'
    """
    check_lang(lang)
    if x is None:
        return kw.get("na", "")
    try:
        if x != x:
            return kw.get("na", "")
    except TypeError:
        return kw.get("na", "")
    num = format_number(float(x) * 100, lang, decimals, **kw)
    return num + (NBSP + "%" if lang == "sv" else "%")


def partial_data_note(lang: str = "en", n: int | None = None) -> str:
    """The note every register figure and table carries.

    Examples
    --------
    >>> partial_data_note("en", 80)
    'Partial register: 80 agreements found in public sources, not a census'
    >>> partial_data_note("en")
    'Partial data: agreements found in public sources, not a census'
    """
    if n is None:
        return label("note_partial_data", lang)
    return label("note_partial_register", lang, n=int(n))
