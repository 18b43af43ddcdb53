"""Tests of iopstudy.interviews: transcript parsing, metadata, corpus, shipped illustrative data."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
import pytest

from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.interviews import (
    METADATA_COLUMNS,
    SEGMENT_COLUMNS,
    Corpus,
    Metadata,
    Transcript,
    read_corpus,
    read_interview_metadata,
    read_transcript,
    transcript_files,
    transcript_text,
)

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).resolve().parent / "data" / "interviews"
CORPUS = ROOT / "data" / "raw" / "interviews"


def assert_offsets(df: pd.DataFrame, doc: str) -> None:
    for s, e, t in zip(df["start"], df["end"], df["text"]):
        assert doc[s:e] == t


@pytest.fixture(scope="module")
def shipped() -> Corpus:
    return read_corpus(CORPUS)


@pytest.fixture(scope="module")
def corpus(shipped) -> pd.DataFrame:
    return shipped.segments


# --------------------------------------------------------------------------- conventions
def test_labels_i_ip_with_timestamps_before_mark():
    t = read_transcript(FIX / "labels_i_ip.md")
    assert isinstance(t, Transcript) and t.file == FIX / "labels_i_ip.md" and t.interview_id == "labels_i_ip"
    df = t.segments
    assert list(df.columns) == list(SEGMENT_COLUMNS)
    assert df["speaker"].tolist() == ["I", "IP", "IP", "I", "IP", "I2", "R"]
    assert df["speaker_role"].astype(str).tolist() == [
        "interviewer", "respondent", "respondent", "interviewer", "respondent",
        "interviewer", "respondent",
    ]
    assert df["timestamp"].tolist()[:5] == ["00:00:05", "00:00:09", "00:00:09", "00:01:10", "00:01:12"]
    assert df["timestamp"].iloc[-1] == ""
    # the turn of IP is split into two paragraphs at the blank line; a paragraph keeps its line break
    first = df[df["turn"] == 2]
    assert first["paragraph"].tolist() == [1, 2]
    assert first["text"].tolist() == [
        "Det började med ett samtal på biblioteket.\nVi var tre stycken.",
        "Sedan kom kommunen in.",
    ]
    assert df["segment_id"].tolist()[:3] == ["labels_i_ip-001-01", "labels_i_ip-002-01", "labels_i_ip-002-02"]
    assert t.front_matter == {"intervju": "T1", "fiktiv": "ja"}
    assert t.header[0] == "# FIKTIV testintervju"
    assert df["turn"].dtype == "int64" and df["start"].dtype == "int64"
    assert_offsets(df, t.text)
    assert df.attrs == {}  # nothing travels in attrs


def test_long_labels_and_timestamps_after_mark():
    t = read_transcript(FIX / "intervjuare_respondent.txt", interview_id="T2")
    df = t.segments
    assert t.interview_id == "T2" and t.documents == {"T2": t.text}
    assert df["speaker"].tolist() == [
        "Intervjuare", "Respondent", "Intervjuare", "Respondent", "Informant", "Interviewer",
    ]
    assert df["speaker_role"].astype(str).tolist() == [
        "interviewer", "respondent", "interviewer", "respondent", "respondent", "interviewer",
    ]
    assert df["timestamp"].tolist() == ["00:12", "00:15", "00:40", "00:41", "", ""]
    assert df["text"].iloc[1] == "Vi är en liten förening med fjorton medlemmar."
    assert df["segment_id"].iloc[0] == "T2-001-01"
    assert_offsets(df, t.text)


def test_bold_names_default_first_speaker_is_interviewer():
    t = read_transcript(FIX / "bold_names.md")
    df = t.segments
    assert df["speaker"].tolist() == ["Elsa", "Birger", "Birger", "Elsa", "Birger", "Tolk"]
    assert df["speaker_role"].astype(str).tolist() == [
        "interviewer", "respondent", "respondent", "interviewer", "respondent", "respondent",
    ]
    assert df["timestamp"].tolist() == ["", "", "", "00:02:00", "00:02:05", ""]
    assert df["text"].iloc[-1] == "(tolkens kommentar)"  # not a timestamp
    assert_offsets(df, t.text)


def test_bold_names_configurable_roles():
    df = read_transcript(FIX / "bold_names.md", interviewers={"birger"}).segments
    assert df.set_index("speaker")["speaker_role"].astype(str).to_dict() == {
        "Elsa": "respondent", "Birger": "interviewer", "Tolk": "respondent",
    }
    df = read_transcript(FIX / "bold_names.md", interviewers=["Elsa"], respondents=["Birger"]).segments
    assert df.set_index("speaker")["speaker_role"].astype(str).to_dict() == {
        "Elsa": "interviewer", "Birger": "respondent", "Tolk": "other",
    }


def test_bom_crlf_and_nfd_are_normalised(tmp_path):
    text = "# FIKTIV\r\n\r\nI: Hur gick det i Linko\u0308ping?\r\nIP: Det gick bra.\r\n\r\nSa\u030a var det.\r\n"
    p = tmp_path / "X1.md"
    p.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    t = read_transcript(p)
    df = t.segments
    doc = transcript_text(p)
    assert doc == t.text
    assert "\r" not in doc and not doc.startswith("\ufeff")
    assert doc == unicodedata.normalize("NFC", doc)
    assert df["text"].tolist() == ["Hur gick det i Linköping?", "Det gick bra.", "Så var det."]
    assert_offsets(df, doc)


def test_docx_transcript(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("FIKTIV testintervju", level=0)
    d.add_paragraph("I: [00:00:03] Hur började det?")
    d.add_paragraph("IP: [00:00:07] Med en fika.")
    d.add_paragraph("")
    d.add_paragraph("Och ett samtal.")
    d.add_paragraph("**Eva:** Fetstil i Word-text fungerar också.")
    p = tmp_path / "W1.docx"
    d.save(p)
    t = read_transcript(p)
    df = t.segments
    assert df["text"].tolist() == ["Hur började det?", "Med en fika.", "Och ett samtal.",
                                   "Fetstil i Word-text fungerar också."]
    assert df["timestamp"].tolist()[:2] == ["00:00:03", "00:00:07"]
    assert t.header == ("# FIKTIV testintervju",)
    assert_offsets(df, transcript_text(p))


def test_empty_turn_keeps_its_number(tmp_path):
    p = tmp_path / "E1.md"
    p.write_text("I: Fråga?\nIP:\nI: Ny fråga?\n", encoding="utf-8")
    df = read_transcript(p).segments
    assert df["turn"].tolist() == [1, 3]


# --------------------------------------------------------------------------- malformed transcripts
def test_no_speaker_marks_is_an_error():
    with pytest.raises(InputError) as err:
        read_transcript(FIX / "no_speakers.md")
    msg = str(err.value)
    assert "no_speakers.md" in msg and "no speaker marks" in msg
    assert "'IP:'" in msg and "Intervjuare:" in msg and "**Anna:**" in msg


def test_latin1_file_is_read_with_a_warning_naming_file_and_line():
    # the one decoding policy (iopstudy.text): Windows-1252 is read, with a warning
    with pytest.warns(IopStudyWarning) as rec:
        segs = read_transcript(FIX / "latin1.txt").segments
    msg = str(rec[0].message)
    assert "latin1.txt" in msg and "line 2" in msg  # "började" on line 2
    assert "Windows-1252" in msg and "UTF-8" in msg
    assert segs["text"].str.contains("började").any()


def test_undecodable_file_is_named(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"I: Hej\nIP: \x81\x8d\x8f\x90\x9d\n")  # bytes undefined in cp1252
    with pytest.raises(InputError) as err:
        read_transcript(p)
    assert err.value.file.endswith("bad.txt") and err.value.row == 2


def test_utf16_file_with_bom_is_decoded(tmp_path):
    p = tmp_path / "U1.txt"
    p.write_bytes("I: Hej\nIP: Hej då\n".encode("utf-16"))
    segs = read_transcript(p).segments
    assert segs["text"].tolist()[-1] == "Hej då"


def test_text_before_first_mark_names_file_and_line():
    with pytest.raises(InputError) as err:
        read_transcript(FIX / "text_before_mark.md")
    e = err.value
    assert e.file.endswith("text_before_mark.md") and e.row == 3
    assert "before the first speaker mark" in str(e)


def test_unclosed_front_matter():
    with pytest.raises(InputError) as err:
        read_transcript(FIX / "unclosed_front_matter.md")
    assert err.value.row == 1 and "never closed" in str(err.value)


def test_unsupported_format(tmp_path):
    p = tmp_path / "x.rtf"
    p.write_text("{\\rtf1 I: hej}")
    with pytest.raises(InputError, match="unsupported transcript format"):
        read_transcript(p)


def test_broken_docx(tmp_path):
    p = tmp_path / "B1.docx"
    p.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable .docx"):
        read_transcript(p)


# --------------------------------------------------------------------------- metadata
def test_metadata_ok_joins_reference():
    meta = read_interview_metadata(FIX / "meta_ok.csv")
    assert isinstance(meta, Metadata) and meta.file == FIX / "meta_ok.csv"
    m = meta.table
    assert list(m.columns[: len(METADATA_COLUMNS)]) == list(METADATA_COLUMNS)
    for col in ["level", "kommun_name", "county_code", "county_name", "size_class", "skr_group"]:
        assert col in m.columns
    assert m["public_body_code"].tolist() == ["0180", "2021", "14"]
    assert m["level"].tolist() == ["kommun", "kommun", "region"]
    assert m["sector"].tolist() == ["offentlig", "idéburen", "offentlig"]
    assert m["illustrative"].tolist() == [True, True, False]
    assert m["date"].dtype.kind == "M"
    row = m.set_index("interview_id")
    assert row.loc["T1", "kommun_name"] == "Stockholm" and row.loc["T1", "county_code"] == "01"
    assert row.loc["T2", "skr_group"] == "C8" and row.loc["T2", "size_class"] == "<10k"
    assert pd.isna(row.loc["T3", "kommun_name"]) and pd.isna(row.loc["T3", "skr_group"])
    assert row.loc["T3", "county_name"] == "Västra Götalands län"
    assert m["size_class"].cat.ordered and m["skr_group"].cat.ordered
    assert meta.lines == {"T1": 3, "T2": 4, "T3": 5}  # a comment line comes first
    assert m.attrs == {}


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "words"),
    [
        ("meta_bad_sector.csv", 3, "sector", "privat", "unknown sector"),
        ("meta_unknown_code.csv", 3, "public_body_code", "0199", "not a known"),
        ("meta_lost_zero.csv", 2, "public_body_code", "180", "'0180'"),
        ("meta_bad_date.csv", 3, "date", "2024-02-30", "YYYY-MM-DD"),
        ("meta_duplicate.csv", 3, "interview_id", "T1", "duplicate interview_id"),
        ("meta_missing_column.csv", 1, "sector", None, "missing column"),
    ],
)
def test_metadata_errors(name, row, column, value, words):
    with pytest.raises(InputError) as err:
        read_interview_metadata(FIX / name)
    e = err.value
    assert e.file.endswith(name)
    assert e.row == row and e.column == column and e.value == value
    assert words in str(e)


# --------------------------------------------------------------------------- corpus
def test_read_corpus_small():
    c = read_corpus(FIX / "corpus_ok")
    df = c.segments
    assert df["interview_id"].unique().tolist() == ["T1", "T2"]
    assert {"sector", "kommun_name", "size_class"} <= set(df.columns)
    assert set(c.documents) == {"T1", "T2"} and set(c.files) == {"T1", "T2"}
    assert c.metadata.file == FIX / "corpus_ok" / "interviews.csv" and c.metadata.lines["T2"] == 3
    assert df.attrs == {}


def test_read_corpus_unknown_interview_id():
    with pytest.raises(InputError) as err:
        read_corpus(FIX / "corpus_unknown_id")
    assert err.value.file.endswith("T7.md") and "unknown interview id 'T7'" in str(err.value)


def test_read_corpus_metadata_row_without_transcript():
    with pytest.raises(InputError) as err:
        read_corpus(FIX / "corpus_missing_transcript")
    e = err.value
    assert e.file.endswith("interviews.csv") and e.row == 3 and e.value == "T2"


def test_read_corpus_metadata_frame_and_flat_folder(tmp_path):
    meta = read_interview_metadata(FIX / "corpus_ok" / "interviews.csv")
    for f in (FIX / "corpus_ok" / "transcripts").iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "README.md").write_text("# not a transcript\n")
    df = read_corpus(tmp_path, metadata=meta).segments
    assert sorted(df["interview_id"].unique()) == ["T1", "T2"]
    # a bare metadata table works too; errors then name no file
    assert read_corpus(tmp_path, metadata=meta.table).metadata.file is None
    with pytest.raises(InputError) as err:
        read_corpus(tmp_path, metadata=meta.table.iloc[:1])
    assert "T2" in str(err.value)


# --------------------------------------------------------------------------- shipped corpus
def test_shipped_corpus_size_and_sectors(corpus, shipped):
    per = corpus.drop_duplicates("interview_id")
    assert len(per) >= 12
    assert set(per["sector"]) == {"offentlig", "idéburen"}
    assert per["illustrative"].all()
    assert set(per["level"]) == {"kommun", "region"}
    assert per["size_class"].nunique() >= 3
    assert {"tjänsteperson", "politiker", "enhetschef", "verksamhetsledare", "ordförande",
            "volontärsamordnare"} <= set(per["respondent_role"])
    assert corpus["segment_id"].is_unique
    turns = corpus.groupby("interview_id")["turn"].max()
    assert turns.between(20, 40).all()
    assert {".md", ".txt", ".docx"} == {Path(f).suffix for f in shipped.files.values()}


def test_shipped_corpus_offsets_and_roles(corpus, shipped):
    for iid, doc in shipped.documents.items():
        assert_offsets(corpus[corpus["interview_id"] == iid], doc)
    roles = corpus.groupby("interview_id")["speaker_role"].agg(lambda s: set(s.astype(str)))
    assert all(r == {"interviewer", "respondent"} for r in roles)


def test_shipped_transcripts_say_they_are_fictional():
    for f in transcript_files(CORPUS):
        head = transcript_text(f)[:600]
        assert "FIKTIV INTERVJU" in head and "inga verkliga personer eller organisationer" in head, f
        df = read_transcript(f).segments
        assert not df["text"].str.contains("FIKTIV INTERVJU").any()  # header is not a segment


def test_shipped_corpus_has_the_known_false_positives(corpus):
    text = " ".join(corpus["text"]).casefold()
    for word in ["förtroendevald", "medborgardialog", "kommungräns", "be om lov", "kulturtolkar",
                 "alingsås", "direktupphandling", "statsstöd", "projektpengar", "avveckl"]:
        assert word in text, word


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, CORPUS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_docx_is_deterministic(tmp_path):
    make_docx = _load_script("make_docx")
    a, b = make_docx.build(), make_docx.build()
    assert a == b
    p = tmp_path / "IP09.docx"
    p.write_bytes(a)
    assert transcript_text(p) == transcript_text(CORPUS / "transcripts" / "IP09.docx")


def test_manual_codings_match_corpus(corpus):
    codings = pd.read_csv(CORPUS / "manual_codings.csv", dtype=str)
    assert list(codings.columns) == ["segment_id", "code", "coder"]
    assert set(codings["coder"]) == {"kodare_A", "kodare_B"}
    assert codings["code"].str.fullmatch(r"(GOV|HYB|PRIN|LAW|PRAC)\.[A-Z]+").all()
    assert not codings.duplicated().any()
    respondent = corpus[corpus["speaker_role"] == "respondent"].set_index("segment_id")
    assert set(codings["segment_id"]) <= set(respondent.index)
    assert codings["segment_id"].str[:4].nunique() == 6
    # mostly agreement, some disagreement, some segments coded by one coder only
    wide = codings.assign(v=1).pivot_table(index=["segment_id", "code"], columns="coder",
                                           values="v", fill_value=0)
    both = ((wide["kodare_A"] == 1) & (wide["kodare_B"] == 1)).mean()
    assert 0.6 < both < 0.95
    by_seg = codings.groupby("segment_id")["coder"].nunique()
    assert (by_seg == 1).any()
    # the CSV is what make_codings.py writes
    make_codings = _load_script("make_codings")
    rows = make_codings.rows()
    assert [tuple(r) for r in codings.itertuples(index=False)] == rows


def test_interview_ids_match_file_names():
    ids = pd.read_csv(CORPUS / "interviews.csv", dtype=str)["interview_id"]
    assert sorted(ids) == sorted(f.stem for f in transcript_files(CORPUS))
    assert all(re.fullmatch(r"IP\d{2}", i) for i in ids)


# --------------------------------------------------------------------------- result objects
def test_results_keep_the_old_frame_behaviour_for_one_release():
    t = read_transcript(FIX / "labels_i_ip.md")
    with pytest.warns(DeprecationWarning, match=r"use \.segments"):
        assert t["speaker"].tolist() == t.segments["speaker"].tolist()
    with pytest.warns(DeprecationWarning):
        assert len(t) == len(t.segments) and t.columns.tolist() == list(SEGMENT_COLUMNS)
    with pytest.warns(DeprecationWarning, match="attrs is deprecated"):
        old = t.attrs
    assert old["document_text"] == t.text and old["header"] == list(t.header)
    meta = read_interview_metadata(FIX / "meta_ok.csv")
    with pytest.warns(DeprecationWarning):
        assert meta.attrs["lines"] == dict(meta.lines)
    assert "Transcript(segments=<DataFrame 7×10>" in repr(t)
    assert bool(read_corpus(FIX / "corpus_ok"))  # truthy, never ambiguous
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="no_such"):
            t.no_such_column_or_method  # noqa: B018


def test_documents_survive_what_drops_attrs(corpus, shipped):
    # the reason for the result objects: merge and concat lose DataFrame.attrs
    merged = corpus.merge(corpus[["segment_id"]].assign(x=1), on="segment_id")
    assert merged.attrs == {} and set(shipped.documents) == set(corpus["interview_id"])
    sub = pd.concat([corpus.iloc[:3], corpus.iloc[3:6]])
    for r in sub.itertuples():
        assert shipped.documents[r.interview_id][r.start : r.end] == r.text
