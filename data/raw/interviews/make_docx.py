"""Write the FICTIONAL interview IP09 as a Word file: transcripts/IP09.docx.

The illustrative corpus needs one .docx transcript to exercise the .docx
reader. This script is its source: the text below is fictional (no real
person or organisation), written for iopstudy. The output is byte-stable:
the core properties (author, dates, revision) are fixed and the zip members
are rewritten with a fixed timestamp, so re-running the script with the same
python-docx version gives an identical file.

Run from anywhere::

    .venv/bin/python data/raw/interviews/make_docx.py
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx

OUT = Path(__file__).resolve().parent / "transcripts" / "IP09.docx"
FIXED = dt.datetime(2024, 11, 20, 12, 0, 0)
ZIP_TIME = (2024, 11, 20, 12, 0, 0)

TITLE = (
    "FIKTIV INTERVJU — skriven för iopstudy som illustrationsdata; "
    "inga verkliga personer eller organisationer"
)
SUBTITLE = (
    "Intervju IP09 (fiktiv). Miljö: en region. Respondent: tjänsteperson, folkhälsostrateg. "
    "Konvention: I:/IP: med tidsstämpel efter talarmarkeringen."
)

#: (speaker mark, timestamp, paragraphs of the turn)
TURNS: list[tuple[str, str, list[str]]] = [
    ("I", "00:00:05", ["Kan du berätta om din roll på regionen?"]),
    ("IP", "00:00:10", [
        "Jag är folkhälsostrateg och samordnar regionens arbete med civilsamhället inom "
        "folkhälsa. Det handlar om allt från stöd till patientföreningar till de partnerskap vi "
        "har med organisationer som arbetar med psykisk hälsa och anhörigstöd."
    ]),
    ("I", "00:00:52", ["Hur skiljer sig IOP på regional nivå från kommunal?"]),
    ("IP", "00:00:58", [
        "Skalan är en skillnad. Vi har en stor region med många kommuner, och de organisationer "
        "vi samarbetar med är ofta länsövergripande. Det betyder att det oftare är större, "
        "etablerade organisationer som blir våra partner. De små lokala föreningarna har sin "
        "relation med kommunen, inte med oss."
    ]),
    ("I", "00:01:48", ["Ser du det som ett problem?"]),
    ("IP", "00:01:53", [
        "Det är en utmaning för mångfalden. Vi vill ju också nå nya aktörer, till exempel "
        "föreningar som bildats av människor med utländsk bakgrund. Men de har sällan kapacitet "
        "att vara länsövergripande. Vi har funderat på att stödja nätverk av små föreningar i "
        "stället för enskilda organisationer."
    ]),
    ("I", "00:02:45", ["Vilka partnerskap har ni i dag?"]),
    ("IP", "00:02:50", [
        "Vi har fem. Det största är med Anhörignätet Västkust, som ger stöd till anhöriga till "
        "personer med psykisk ohälsa. Sedan har vi ett par partnerskap kring suicidprevention "
        "och ett kring hälsofrämjande insatser för nyanlända, där kulturtolkar är en viktig del."
    ]),
    ("I", "00:03:40", ["Hur har ni hanterat juridiken?"]),
    ("IP", "00:03:45", [
        "Vi har haft en ganska lång process med våra jurister. Hälso- och sjukvård är ju ett "
        "område där det finns en marknad, så vi har varit noga med att partnerskapen handlar om "
        "stöd och främjande och inte om vård. Om det skulle bli vård så ska det upphandlas "
        "eller gå via vårdval.",
        "",
        "Statsstödsfrågan har också varit uppe. Vi har landat i att verksamheten inte är "
        "ekonomisk, men det är ingen självklarhet, och vi har dokumenterat resonemanget noga.",
    ]),
    ("I", "00:04:55", ["Hur ser styrningen ut?"]),
    ("IP", "00:05:00", [
        "Vi har en gemensam styrgrupp för varje partnerskap och ett årligt dialogforum där alla "
        "partner och representanter från regionen träffas. Där pratar vi om vilka behov vi ser "
        "framåt. Det är ett sätt att få en dialog på lika villkor och inte bara en relation där "
        "vi beställer."
    ]),
    ("I", "00:05:48", ["Är det verkligen på lika villkor?"]),
    ("IP", "00:05:53", [
        "Ärligt talat, inte helt. Det är vi som har pengarna, och det påverkar relationen hur "
        "mycket vi än pratar om ögonhöjd. Men jag tycker att vi har kommit en bit. "
        "Organisationerna säger emot oss, och vi har ändrat upplägget efter deras synpunkter "
        "flera gånger."
    ]),
    ("I", "00:06:40", ["Hur ser politiken på partnerskapen?"]),
    ("IP", "00:06:45", [
        "De förtroendevalda i regionen är i grunden positiva. Det finns ett beslut i "
        "regionfullmäktige om att regionen ska utveckla samverkan med civilsamhället. Men "
        "folkhälsoarbetet konkurrerar om pengarna med vården, och när vården har underskott är "
        "det lätt att folkhälsan får stå tillbaka."
    ]),
    ("I", "00:07:35", ["Har det påverkat partnerskapen?"]),
    ("IP", "00:07:40", [
        "Ja, förra året gjordes en besparing där vi fick minska ersättningen till två av "
        "partnerskapen med tio procent. Vi försökte vara öppna med det tidigt och förde en "
        "dialog om vad det skulle betyda, men det skadade förtroendet en del."
    ]),
    ("I", "00:08:30", ["Hur följer ni upp?"]),
    ("IP", "00:08:35", [
        "Vi har en gemensam uppföljningsmodell som vi tog fram tillsammans med organisationerna. "
        "Den bygger på några indikatorer, men framför allt på berättelser och på vad deltagarna "
        "själva säger. Vi vill undvika att organisationerna lägger mer tid på rapporter än på "
        "verksamheten."
    ]),
    ("I", "00:09:20", ["Vad skulle du vilja förändra?"]),
    ("IP", "00:09:25", [
        "Längre avtal. Vi skriver i dag avtal på tre år, men de flesta av de här frågorna kräver "
        "tio års arbete. Och så skulle jag vilja att regionen och kommunerna samordnade sig "
        "bättre, så att en organisation inte behöver ha tjugo olika partnerskap med olika krav."
    ]),
    ("I", "00:10:15", ["Tack för att du tog dig tid."]),
    ("IP", "00:10:18", ["Tack."]),
]


def build() -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.author = "iopstudy (fiktiv illustrationsdata)"
    props.last_modified_by = "iopstudy"
    props.title = "IP09 — fiktiv intervju"
    props.subject = "Illustrationsdata för iopstudy; inga verkliga personer eller organisationer"
    props.comments = "Genererad av data/raw/interviews/make_docx.py"
    props.keywords = "fiktiv; IOP; illustrationsdata"
    props.created = FIXED
    props.modified = FIXED
    props.last_printed = FIXED
    props.revision = 1
    document.add_heading(TITLE, level=0)  # style "Title"
    document.add_heading(SUBTITLE, level=1)
    document.add_paragraph("")
    for mark, stamp, paragraphs in TURNS:
        first, *rest = paragraphs
        document.add_paragraph(f"{mark}: [{stamp}] {first}")
        for par in rest:
            document.add_paragraph(par)
    raw = io.BytesIO()
    document.save(raw)
    # rewrite the zip with fixed member timestamps so the bytes are stable
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    data = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
