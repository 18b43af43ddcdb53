"""Write manual_codings.csv: FICTIONAL manual codings by two fictional coders.

Two invented coders, ``kodare_A`` and ``kodare_B``, coded the respondent
segments of six fictional interviews (IP02, IP03, IP05, IP07, IP08, IP12) with
the code ids of the draft codebook (GOV.*, HYB.*, PRIN.*, LAW.*, PRAC.*). The
decisions below were made by hand, segment by segment, after reading the
text: the coders mostly agree, sometimes differ (a code only one of them
saw, or two neighbouring codes such as HYB.BLUR and HYB.LOGIC), and a few
segments were coded by only one coder. Segments that neither coder coded
(greetings, contact details) are absent, as usual in a long coding table.

Nothing here is random. The output is sorted, so re-running gives the same
bytes. Run from anywhere::

    .venv/bin/python data/raw/interviews/make_codings.py

If iopstudy is importable, the segment ids are checked against what
``iopstudy.interviews.read_corpus`` produces for this folder.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "manual_codings.csv"
CODERS = ("kodare_A", "kodare_B")

#: The 20 codes of the draft codebook (iopstudy-draft-0.1).
CODES = frozenset(
    """
    GOV.NPM GOV.NPG GOV.TRUST GOV.POL
    HYB.BLUR HYB.LOGIC HYB.PROF HYB.ROLE
    PRIN.INDEP PRIN.DIALOG PRIN.QUAL PRIN.LONG PRIN.OPEN PRIN.DIV
    LAW.LOU LAW.AID LAW.UNC
    PRAC.COPROD PRAC.RES PRAC.EXIT
    """.split()
)

# segment_id: (codes of kodare_A, codes of kodare_B); "" = the coder coded nothing there.
DECISIONS: dict[str, tuple[str, str]] = {
    # IP02 — verksamhetsledare, idéburen, storstad
    "IP02-002-01": ("PRAC.COPROD", ""),
    "IP02-004-01": ("PRIN.LONG PRAC.RES", "PRIN.LONG"),
    "IP02-004-02": ("HYB.PROF", "HYB.PROF PRIN.LONG"),
    "IP02-006-01": ("PRIN.LONG PRIN.QUAL", "PRIN.LONG PRIN.QUAL"),
    "IP02-008-01": ("PRIN.DIALOG GOV.NPG", "PRIN.DIALOG GOV.NPG GOV.NPM"),
    "IP02-010-01": ("LAW.LOU LAW.UNC LAW.AID", "LAW.LOU LAW.AID"),
    "IP02-012-01": ("PRIN.OPEN PRIN.DIALOG", "PRIN.OPEN"),
    "IP02-014-01": ("HYB.ROLE", "HYB.ROLE"),
    "IP02-016-01": ("HYB.PROF", "HYB.PROF"),
    "IP02-018-01": ("PRAC.COPROD PRIN.INDEP", "PRAC.COPROD PRIN.INDEP"),
    "IP02-022-01": ("GOV.POL PRIN.LONG", "GOV.POL GOV.NPM"),
    "IP02-024-01": ("LAW.LOU GOV.NPM", "LAW.LOU"),
    # IP03 — politiker, offentlig, större stad
    "IP03-002-01": ("GOV.POL", "GOV.POL"),
    "IP03-004-01": ("GOV.POL PRIN.DIV", "GOV.POL"),
    "IP03-006-01": ("GOV.POL PRIN.OPEN", "GOV.POL PRIN.OPEN PRIN.DIV"),
    "IP03-008-01": ("GOV.POL", "GOV.POL PRIN.LONG"),
    "IP03-010-01": ("GOV.TRUST GOV.POL", "GOV.TRUST"),
    "IP03-012-01": ("LAW.LOU LAW.UNC", "LAW.LOU LAW.UNC"),
    "IP03-014-01": ("PRAC.COPROD", "PRAC.COPROD"),
    "IP03-016-01": ("PRIN.INDEP HYB.ROLE", "PRIN.INDEP HYB.ROLE"),
    "IP03-018-01": ("HYB.ROLE", "HYB.ROLE"),
    "IP03-020-01": ("PRIN.DIV", "PRIN.DIV HYB.PROF"),
    "IP03-022-01": ("GOV.POL PRAC.RES", "GOV.POL PRIN.LONG PRAC.RES"),
    "IP03-024-01": ("PRIN.DIALOG LAW.UNC", "PRIN.DIALOG"),
    # IP05 — enhetschef, offentlig, liten landsbygdskommun
    "IP05-004-01": ("PRIN.LONG", "PRIN.LONG"),
    "IP05-006-01": ("LAW.LOU LAW.AID", "LAW.LOU"),
    "IP05-006-02": ("LAW.UNC LAW.LOU", "LAW.UNC LAW.AID LAW.LOU"),
    "IP05-008-01": ("PRAC.COPROD PRAC.RES", "PRAC.COPROD PRAC.RES GOV.TRUST"),
    "IP05-010-01": ("GOV.TRUST PRIN.DIALOG", "GOV.TRUST"),
    "IP05-012-01": ("PRIN.OPEN GOV.TRUST", "PRIN.OPEN GOV.TRUST"),
    "IP05-014-01": ("PRIN.DIV", "PRIN.DIV"),
    "IP05-016-01": ("PRIN.LONG HYB.BLUR", "PRIN.LONG HYB.LOGIC"),
    "IP05-018-01": ("PRAC.EXIT", "PRAC.EXIT"),
    "IP05-020-01": ("PRAC.RES GOV.POL", "PRAC.RES GOV.POL"),
    # IP07 — jurist (tjänsteperson), offentlig, storstad
    "IP07-002-01": ("LAW.LOU LAW.AID", "LAW.LOU LAW.AID"),
    "IP07-004-01": ("LAW.LOU GOV.NPM", "LAW.LOU"),
    "IP07-006-01": ("LAW.LOU", "LAW.LOU"),
    "IP07-006-02": ("LAW.LOU LAW.AID", "LAW.LOU LAW.AID"),
    "IP07-008-01": ("LAW.AID LAW.LOU PRAC.COPROD", "LAW.AID PRAC.COPROD"),
    "IP07-010-01": ("LAW.AID", "LAW.AID"),
    "IP07-012-01": ("LAW.AID LAW.UNC", "LAW.AID"),
    "IP07-014-01": ("LAW.UNC", "LAW.UNC"),
    "IP07-016-01": ("LAW.UNC LAW.LOU", "LAW.UNC LAW.LOU HYB.BLUR"),
    "IP07-018-01": ("LAW.LOU", "LAW.LOU"),
    "IP07-020-01": ("GOV.NPM LAW.LOU", "GOV.NPM"),
    "IP07-022-01": ("GOV.TRUST LAW.LOU", "GOV.TRUST GOV.NPM LAW.LOU"),
    "IP07-024-01": ("LAW.UNC", ""),
    # IP08 — verksamhetsledare, idéburen (stiftelse), storstad
    "IP08-002-01": ("PRAC.COPROD", "PRAC.COPROD HYB.LOGIC"),
    "IP08-004-01": ("PRIN.LONG", "PRIN.LONG PRAC.RES"),
    "IP08-006-01": ("PRAC.COPROD LAW.AID", "PRAC.COPROD GOV.TRUST"),
    "IP08-008-01": ("GOV.NPG", "GOV.NPG PRIN.DIALOG"),
    "IP08-010-01": ("HYB.LOGIC HYB.PROF", "HYB.PROF"),
    "IP08-010-02": ("HYB.LOGIC", "HYB.LOGIC"),
    "IP08-012-01": ("PRIN.OPEN", "PRIN.OPEN"),
    "IP08-014-01": ("HYB.ROLE PRIN.DIALOG", "HYB.ROLE"),
    "IP08-016-01": ("HYB.PROF", "HYB.PROF"),
    "IP08-018-01": ("PRAC.RES PRIN.LONG", "PRAC.RES PRIN.LONG"),
    "IP08-020-01": ("PRIN.LONG", "PRIN.LONG PRAC.EXIT"),
    # IP12 — ordförande, idéburen, liten landsbygdskommun
    "IP12-002-01": ("", "PRAC.COPROD"),
    "IP12-004-01": ("PRAC.RES", "PRAC.RES"),
    "IP12-006-01": ("GOV.TRUST HYB.LOGIC", "GOV.TRUST HYB.LOGIC PRIN.DIALOG"),
    "IP12-008-01": ("HYB.PROF", "HYB.PROF"),
    "IP12-010-01": ("HYB.PROF HYB.BLUR", "HYB.BLUR"),
    "IP12-012-01": ("PRIN.INDEP", "PRIN.INDEP"),
    "IP12-014-01": ("PRAC.COPROD", "HYB.BLUR PRAC.COPROD"),
    "IP12-016-01": ("PRAC.EXIT", "PRAC.EXIT"),
    "IP12-018-01": ("PRIN.DIALOG", "PRIN.DIALOG"),
    "IP12-020-01": ("HYB.PROF PRAC.COPROD", "HYB.PROF"),
    "IP12-022-01": ("PRAC.RES", "PRAC.RES"),
}


def rows() -> list[tuple[str, str, str]]:
    out = set()
    for seg, per_coder in DECISIONS.items():
        for coder, codes in zip(CODERS, per_coder):
            for code in codes.split():
                if code not in CODES:
                    raise ValueError(f"{seg}: unknown code {code!r}")
                out.add((seg, code, coder))
    return sorted(out)


def check_segments() -> None:
    try:
        from iopstudy.interviews import read_corpus
    except ImportError:  # pragma: no cover - run without the package
        print("iopstudy not importable: segment ids not checked")
        return
    corpus = read_corpus(HERE).segments
    respondent = set(corpus.loc[corpus["speaker_role"] == "respondent", "segment_id"])
    unknown = sorted(set(DECISIONS) - respondent)
    if unknown:
        raise SystemExit(f"segment ids that are not respondent segments of the corpus: {unknown}")


def main() -> None:
    check_segments()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["segment_id", "code", "coder"])
    writer.writerows(rows())
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {OUT} ({len(rows())} codings)")


if __name__ == "__main__":
    main()
