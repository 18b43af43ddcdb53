"""Build the .qdpx test fixtures in this folder from hand-written XML.

FICTIONAL DATA: the interview snippets are invented for the tests.

The fixtures imitate what QDA tools write, without copying any tool's files:

``qualcoder_style.qdpx``
    Two coders, a nested code tree with colours, selections whose ``name``
    is the selected passage (as QualCoder writes it), one selection with two
    codings. Source 1 is UTF-8 *with a BOM and CRLF line endings*; source 2
    has a decomposed "å" (``a`` + U+030A COMBINING RING ABOVE) and LF.
    Positions count characters of the text as stored (CRLF = 2).
``nvivo_style.qdpx``
    Flat code list with three-digit colours, truncated selection names
    ending in "…", an upper-case ``Sources/`` folder in the archive, an
    inline ``PlainTextContent`` source, and a coding of a whole source.

Run ``python tests/data/qdpx/make_fixtures.py`` to rebuild them;
``tests/test_qdpx.py`` checks that the committed files match this script.
The zip entries have fixed timestamps, so the output is byte-stable.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- texts (raw)
BOM = "\ufeff"
QC_SRC1_GUID = "A1F0C9D2-6B1E-4C55-9E0B-1D2C3B4A5F60"
QC_SRC2_GUID = "B2E1D0C3-7C2F-4D66-8F1C-2E3D4C5B6A71"
QC_SRC1 = (
    "I: Hur började samarbetet med kommunen?\r\n"
    "\r\n"
    "IP: Vi hade förtroende för förvaltningen från början.\r\n"
    "Sedan kom frågan om upphandling och LOU.\r\n"
    "\r\n"
    "I: Och idag?\r\n"
    "\r\n"
    "IP: Det är en gemensam styrgrupp, på lika villkor.\r\n"
)
# decomposed "ä" (a + U+0308) and "å" (a + U+030A), as some editors on macOS write them
QC_SRC2 = "IP: Vi fick va\u0308nta pa\u030a beslutet i ett år.\nSedan blev det ett treårigt avtal.\n"

NV_SRC1_GUID = "C3D2E1F0-8D3A-4E77-9A2D-3F4E5D6C7B82"
NV_SRC2_GUID = "D4E3F2A1-9E4B-4F88-8B3E-4A5F6E7D8C93"
NV_SRC1 = "Intervju 2\n\nIP: Kulturen i kommunen är en annan än i föreningen. Vi pratar olika språk.\n"
NV_SRC2 = "Anteckning: ingen kodning här, hela källan kodas som bakgrund."


def _pos(raw: str, passage: str, nth: int = 0) -> tuple[int, int]:
    """Start and end (exclusive) of ``passage`` in ``raw`` (characters)."""
    start = -1
    for _ in range(nth + 1):
        start = raw.index(passage, start + 1)
    return start, start + len(passage)


def qualcoder_style() -> dict[str, bytes]:
    s1 = _pos(QC_SRC1, "Vi hade förtroende för förvaltningen från början.")
    s2 = _pos(QC_SRC1, "upphandling och LOU")
    s3 = _pos(QC_SRC1, "Det är en gemensam styrgrupp, på lika villkor.")
    s4 = _pos(QC_SRC2, "va\u0308nta pa\u030a beslutet i ett år")  # raw (decomposed) characters
    s5 = _pos(QC_SRC1, "Vi hade förtroende för förvaltningen från början.\r\nSedan kom frågan")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="IOP pilot" origin="HandCrafted 1.0 (QualCoder-like)"
         creatingUserGUID="11111111-2222-4333-8444-555555555555" creationDateTime="2024-05-02T10:00:00Z">
  <Users>
    <User guid="11111111-2222-4333-8444-555555555555" name="Anna"/>
    <User guid="66666666-7777-4888-9999-AAAAAAAAAAAA" name="Björn"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="0A000000-0000-4000-8000-000000000001" name="GOV" isCodable="false" color="#E69F00">
        <Description>Styrning</Description>
        <Code guid="0A000000-0000-4000-8000-000000000002" name="GOV.TRUST" isCodable="true" color="#E69F00">
          <Description>Tillit och förtroende</Description>
        </Code>
        <Code guid="0A000000-0000-4000-8000-000000000003" name="GOV.NPG" isCodable="true"/>
      </Code>
      <Code guid="0A000000-0000-4000-8000-000000000004" name="LAW" isCodable="false" color="#CC79A7">
        <Code guid="0A000000-0000-4000-8000-000000000005" name="LAW.LOU" isCodable="true" color="#CC79A7"/>
      </Code>
      <Code guid="0A000000-0000-4000-8000-000000000006" name="PRIN.DIALOG" isCodable="true" color="#009E73"/>
      <Code guid="0A000000-0000-4000-8000-000000000007" name="PRIN.LONG" isCodable="true"/>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="{QC_SRC1_GUID}" name="int01 föreningen" plainTextPath="internal://{QC_SRC1_GUID}.txt"
                creatingUser="11111111-2222-4333-8444-555555555555" creationDateTime="2024-05-02T10:00:00Z">
      <PlainTextSelection guid="5E100000-0000-4000-8000-000000000001" name={quoteattr(QC_SRC1[s1[0]:s1[1]])}
                          startPosition="{s1[0]}" endPosition="{s1[1]}" creatingUser="11111111-2222-4333-8444-555555555555"
                          creationDateTime="2024-05-02T10:05:00Z">
        <Coding guid="C0D00000-0000-4000-8000-000000000001" creatingUser="11111111-2222-4333-8444-555555555555">
          <CodeRef targetGUID="0A000000-0000-4000-8000-000000000002"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5E100000-0000-4000-8000-000000000002" name={quoteattr(QC_SRC1[s2[0]:s2[1]])}
                          startPosition="{s2[0]}" endPosition="{s2[1]}" creatingUser="66666666-7777-4888-9999-AAAAAAAAAAAA">
        <Coding guid="C0D00000-0000-4000-8000-000000000002" creatingUser="66666666-7777-4888-9999-AAAAAAAAAAAA">
          <CodeRef targetGUID="0A000000-0000-4000-8000-000000000005"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5E100000-0000-4000-8000-000000000003" name={quoteattr(QC_SRC1[s3[0]:s3[1]])}
                          startPosition="{s3[0]}" endPosition="{s3[1]}" creatingUser="11111111-2222-4333-8444-555555555555">
        <Coding guid="C0D00000-0000-4000-8000-000000000003" creatingUser="11111111-2222-4333-8444-555555555555">
          <CodeRef targetGUID="0A000000-0000-4000-8000-000000000003"/>
        </Coding>
        <Coding guid="C0D00000-0000-4000-8000-000000000004" creatingUser="11111111-2222-4333-8444-555555555555">
          <CodeRef targetGUID="0A000000-0000-4000-8000-000000000006"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5E100000-0000-4000-8000-000000000005" name={quoteattr(QC_SRC1[s5[0]:s5[1]])}
                          startPosition="{s5[0]}" endPosition="{s5[1]}" creatingUser="66666666-7777-4888-9999-AAAAAAAAAAAA">
        <Coding guid="C0D00000-0000-4000-8000-000000000005" creatingUser="66666666-7777-4888-9999-AAAAAAAAAAAA">
          <CodeRef targetGUID="0A000000-0000-4000-8000-000000000002"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{QC_SRC2_GUID}" name="int02 kommunen" plainTextPath="internal://{QC_SRC2_GUID}.txt">
      <PlainTextSelection guid="5E100000-0000-4000-8000-000000000004" name={quoteattr(QC_SRC2[s4[0]:s4[1]])}
                          startPosition="{s4[0]}" endPosition="{s4[1]}" creatingUser="66666666-7777-4888-9999-AAAAAAAAAAAA">
        <Coding guid="C0D00000-0000-4000-8000-000000000006" creatingUser="66666666-7777-4888-9999-AAAAAAAAAAAA">
          <CodeRef targetGUID="0A000000-0000-4000-8000-000000000007"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""
    return {
        "project.qde": qde.encode("utf-8"),
        f"sources/{QC_SRC1_GUID}.txt": (BOM + QC_SRC1).encode("utf-8"),
        f"sources/{QC_SRC2_GUID}.txt": QC_SRC2.encode("utf-8"),
    }


def nvivo_style() -> dict[str, bytes]:
    s1 = _pos(NV_SRC1, "Kulturen i kommunen är en annan än i föreningen.")
    s2 = _pos(NV_SRC1, "Vi pratar olika språk.")
    qde = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="IOP NVivo-like" origin="HandCrafted 2.0 (NVivo-like)">
  <Users>
    <User guid="{{ABCDEF01-2345-4678-9ABC-DEF012345678}}" name="Cecilia" id="CC"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="0B000000-0000-4000-8000-000000000001" name="HYB.LOGIC" isCodable="true" color="#f0a">
        <Description>Logiker och kulturer</Description>
      </Code>
      <Code guid="0B000000-0000-4000-8000-000000000002" name="Bakgrund" isCodable="1" color="#123"/>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="{NV_SRC1_GUID}" name="Intervju 2" plainTextPath="internal://{NV_SRC1_GUID}.txt">
      <Description>Transkriberad intervju</Description>
      <PlainTextSelection guid="5E200000-0000-4000-8000-000000000001" name="Kulturen i kommunen är en an…"
                          startPosition="{s1[0]}" endPosition="{s1[1]}" creatingUser="{{ABCDEF01-2345-4678-9ABC-DEF012345678}}">
        <Coding guid="C0D20000-0000-4000-8000-000000000001" creatingUser="{{ABCDEF01-2345-4678-9ABC-DEF012345678}}">
          <CodeRef targetGUID="0B000000-0000-4000-8000-000000000001"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5E200000-0000-4000-8000-000000000002" startPosition="{s2[0]}" endPosition="{s2[1]}">
        <Coding guid="C0D20000-0000-4000-8000-000000000002" creatingUser="{{ABCDEF01-2345-4678-9ABC-DEF012345678}}">
          <CodeRef targetGUID="0B000000-0000-4000-8000-000000000001"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{NV_SRC2_GUID}" name="Anteckning">
      <PlainTextContent>{NV_SRC2}</PlainTextContent>
      <Coding guid="C0D20000-0000-4000-8000-000000000003" creatingUser="{{ABCDEF01-2345-4678-9ABC-DEF012345678}}">
        <CodeRef targetGUID="0B000000-0000-4000-8000-000000000002"/>
      </Coding>
    </TextSource>
    <PDFSource guid="E5F4A3B2-0F5C-4A99-9C4F-5B6A7F8E9DA4" name="Avtal.pdf" path="internal://avtal.pdf"/>
  </Sources>
</Project>
"""
    return {
        "project.qde": qde.encode("utf-8"),
        f"Sources/{NV_SRC1_GUID}.txt": NV_SRC1.encode("utf-8"),
    }


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip with fixed timestamps, in the given entry order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, payload in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 2, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, payload)
    return buf.getvalue()


FIXTURES = {"qualcoder_style.qdpx": qualcoder_style, "nvivo_style.qdpx": nvivo_style}


def build(folder: Path = HERE) -> list[Path]:
    """Write every fixture into ``folder``."""
    out = []
    for name, make in FIXTURES.items():
        p = folder / name
        p.write_bytes(zip_bytes(make()))
        out.append(p)
    return out


if __name__ == "__main__":
    for p in build():
        print(p)
    sys.exit(0)
