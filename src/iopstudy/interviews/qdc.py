"""REFI-QDA codebook exchange: write and read ``.qdc`` files (``urn:QDA-XML:codebook:1.0``).

Themes become parent codes and codes their children; descriptions carry the Swedish and English
labels and the definition, and GUIDs are stable (uuid5 of the code id), so a re-export is
byte-identical. NVivo, ATLAS.ti, MAXQDA and QualCoder read and write this format.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iopstudy.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    pass
from iopstudy.interviews.codebook import (
    COLOR,
    Codebook,
    code_fields,
    code_guid,
    codebook_from_dict,
)

__all__ = [
    "QDC_NAMESPACE",
    "codebook_to_qdc",
    "read_qdc",
]


#: XML namespace of a REFI-QDA codebook (``.qdc``).
QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"


def _q(tag: str) -> str:
    return f"{{{QDC_NAMESPACE}}}{tag}"


def description_text(d: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(d, allow_unicode=True, sort_keys=False, width=1_000_000).strip()


def xml_bytes(root: ET.Element) -> bytes:
    """Indented XML with a double-quoted UTF-8 declaration and a final newline."""
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def codebook_to_qdc(codebook: Codebook, path: str | os.PathLike[str]) -> Path:
    """Write a codebook as a REFI-QDA codebook file (``.qdc``).

    Themes become top-level ``Code`` elements (``isCodable="false"``) and
    codes nest inside them; every ``Code`` has a deterministic GUID
    (:func:`code_guid`), the theme's or code's colour, and a ``Description``
    holding labels, definition, include/exclude notes and the stems as YAML,
    so that :func:`read_qdc` restores the codebook exactly. The file is
    byte-identical for an identical codebook.

    Parameters
    ----------
    codebook
        The codebook.
    path
        Output file (conventionally ``*.qdc``).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from iopstudy.interviews.codebook import load_codebook
    >>> cb = load_codebook()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = codebook_to_qdc(cb, Path(d) / "codebook.qdc")
    ...     xml = path.read_text(encoding="utf-8")
    ...     same = read_qdc(path).equals(cb)
    >>> xml.splitlines()[0], xml.count("<Code "), same  # 5 themes and 20 codes
    ('<?xml version="1.0" encoding="utf-8"?>', 25, True)
    """
    out = Path(path)
    ET.register_namespace("", QDC_NAMESPACE)
    origin = f"iopstudy codebook {codebook.name}" + (f" {codebook.version}" if codebook.version else "")
    root = ET.Element(_q("CodeBook"), {"origin": origin})
    codes_el = ET.SubElement(root, _q("Codes"))
    for t in codebook.themes.itertuples(index=False):
        tel = ET.SubElement(
            codes_el,
            _q("Code"),
            {"guid": code_guid(t.theme_id), "name": t.theme_id, "isCodable": "false", "color": t.color},
        )
        ET.SubElement(tel, _q("Description")).text = description_text(
            {"sv": t.label_sv, "en": t.label_en, "definition": t.definition}
        )
        for c in codebook.codes.loc[codebook.codes["theme_id"] == t.theme_id].itertuples(index=False):
            cel = ET.SubElement(
                tel,
                _q("Code"),
                {"guid": code_guid(c.code_id), "name": c.code_id, "isCodable": "true", "color": c.color},
            )
            ET.SubElement(cel, _q("Description")).text = description_text(code_fields(c))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(xml_bytes(root))
    return out


def _norm_color(value: str | None) -> str | None:
    """``#RGB``/``#RRGGBB`` -> ``#RRGGBB`` (upper case); anything else -> None."""
    if not value:
        return None
    v = value.strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", v):
        v = "#" + "".join(ch * 2 for ch in v[1:])
    return v.upper() if COLOR.match(v) else None


def _parse_description(text: str | None) -> dict[str, Any]:
    import yaml

    if not text or not text.strip():
        return {}
    try:
        d = yaml.safe_load(text)
    except yaml.YAMLError:
        d = None
    if isinstance(d, dict) and ({"sv", "en", "definition"} & set(d)):
        return d
    return {"definition": text.strip()}


def read_qdc(path: str | os.PathLike[str]) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) into a :class:`Codebook`.

    Top-level codes are themes and their children are codes. A
    ``Description`` written by :func:`codebook_to_qdc` (YAML) restores
    labels, notes and stems; any other description is taken as the
    definition, and the code's ``name`` as its id and labels.

    Parameters
    ----------
    path
        A ``.qdc`` file.

    Returns
    -------
    Codebook

    Raises
    ------
    InputError
        If the file is missing, is not XML in the ``urn:QDA-XML:codebook:1.0``
        namespace, nests codes deeper than theme > code, or fails the checks
        of :func:`codebook_from_dict`.

    Examples
    --------
    A codebook written by another tool (here a plain description and a lower-case colour):

    >>> import tempfile
    >>> qdc = '''<?xml version="1.0" encoding="utf-8"?>
    ... <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
    ...   <Codes>
    ...     <Code guid="b1" name="LAW" isCodable="false">
    ...       <Code guid="b2" name="LAW.LOU" isCodable="true" color="#e69f00">
    ...         <Description>Procurement law</Description>
    ...       </Code>
    ...     </Code>
    ...   </Codes>
    ... </CodeBook>'''
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "from_qualcoder.qdc"
    ...     _ = p.write_text(qdc, encoding="utf-8")
    ...     cb = read_qdc(p)
    >>> cb.name, cb.theme_ids, cb.code_ids, cb.codes.loc[0, ["definition", "color"]].tolist()
    ('qdc', ['LAW'], ['LAW.LOU'], ['Procurement law', '#E69F00'])
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("codebook file not found", file=str(p))
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise InputError(f"not well-formed XML: {exc}", file=str(p), row=exc.position[0]) from exc
    if root.tag != _q("CodeBook"):
        raise InputError(
            f"not a REFI-QDA codebook: root element is {root.tag!r}, expected CodeBook in {QDC_NAMESPACE}",
            file=str(p),
        )
    codes_el = root.find(_q("Codes"))
    if codes_el is None:
        raise InputError("the codebook has no <Codes> element", file=str(p))
    origin = root.get("origin", "")
    m = re.match(r"^iopstudy codebook (\S+)(?: (\S+))?$", origin)
    name, version = (m.group(1), m.group(2) or "") if m else ("qdc", "")
    themes = []
    for t in codes_el.findall(_q("Code")):
        td = _parse_description(t.findtext(_q("Description")))
        tid = t.get("name", "")
        codes = []
        for c in t.findall(_q("Code")):
            if c.find(_q("Code")) is not None:
                raise InputError(
                    "codes nest deeper than theme > code; iopstudy codebooks have two levels",
                    file=str(p),
                    value=c.get("name"),
                )
            cd = _parse_description(c.findtext(_q("Description")))
            codes.append(
                {
                    "id": c.get("name", ""),
                    "sv": cd.get("sv") or c.get("name", ""),
                    "en": cd.get("en") or cd.get("sv") or c.get("name", ""),
                    "definition": cd.get("definition", ""),
                    "include": cd.get("include", ""),
                    "exclude": cd.get("exclude", ""),
                    "stems": cd.get("stems") or [],
                    "exclude_stems": cd.get("exclude_stems") or [],
                    "case_sensitive_stems": cd.get("case_sensitive_stems") or [],
                    "color": _norm_color(c.get("color")),
                }
            )
        themes.append(
            {
                "id": tid,
                "sv": td.get("sv") or tid,
                "en": td.get("en") or td.get("sv") or tid,
                "definition": td.get("definition", ""),
                "color": _norm_color(t.get("color")),
                "codes": codes,
            }
        )
    return codebook_from_dict({"codebook": name, "version": version, "themes": themes}, source=p)
