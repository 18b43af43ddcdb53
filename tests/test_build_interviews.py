"""Tests of iopstudy.interviews.build_interviews: the processed, pseudonymised interview tables."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from iopstudy.errors import InputError
from iopstudy.interviews import (
    INTERVIEW_TABLES,
    InterviewBuildResult,
    InterviewTables,
    Pseudonymised,
    build_interviews,
    read_corpus,
)
from iopstudy.interviews.coding import read_manual_codings
from iopstudy.interviews.privacy import (
    DEMO_SALT,
    SALT_ENV,
    MissingSaltError,
    find_pii,
    load_names,
    pseudonym,
    scan_pii,
)
from iopstudy.interviews.qdpx import read_qdpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "raw" / "interviews"
SECRET = "a-test-salt-that-is-long-enough-0123456789"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, InterviewBuildResult]:
    out = tmp_path_factory.mktemp("processed")
    result = build_interviews(CORPUS, out)
    return out, result


@pytest.fixture(scope="module")
def names() -> list[str]:
    return load_names(CORPUS / "names.txt")


def _output_texts(folder: Path) -> dict[str, str]:
    """Every text the outputs hold: CSV files, string cells of Parquet files, QDPX members."""
    out: dict[str, str] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix == ".csv":
            out[p.name] = p.read_text(encoding="utf-8")
        elif p.suffix == ".parquet":
            df = pd.read_parquet(p)
            cells = [str(v) for c in df.columns for v in df[c].astype(object) if isinstance(v, str)]
            out[p.name] = "\n".join(cells)
        elif p.suffix == ".qdpx":
            with zipfile.ZipFile(p) as zf:
                for m in zf.namelist():
                    out[f"{p.name}[{m}]"] = zf.read(m).decode("utf-8")
    return out


def _real_corpus(tmp_path: Path, flag: str = "false", *, only: str | None = None) -> Path:
    """A copy of the shipped corpus whose interviews are marked not illustrative."""
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst, ignore=shutil.ignore_patterns("*.py", "private"))
    meta = dst / "interviews.csv"
    lines = meta.read_text(encoding="utf-8").split("\n")
    new = [lines[0]]
    for line in lines[1:]:
        if line and (only is None or line.startswith(only + ",")):
            line = line.replace(",true,", f",{flag},", 1)
        new.append(line)
    meta.write_text("\n".join(new), encoding="utf-8")
    return dst


# --------------------------------------------------------------------------- outputs
def test_outputs_exist_and_summary(built):
    out, result = built
    for name in INTERVIEW_TABLES:
        assert (out / f"{name}.parquet").is_file()
        assert (out / f"{name}.csv").is_file()
    assert (out / "interviews.qdpx").is_file()
    summary = str(result)
    assert summary == result.summary()
    assert "14 interviews" in summary and "7 offentlig, 7 idéburen" in summary
    assert "demo salt" in summary and "\n" not in summary
    assert summary.endswith(f"4 tables (parquet+csv) and interviews.qdpx in {out}")


def test_build_result_fields(built):
    out, result = built
    assert isinstance(result, InterviewBuildResult) and isinstance(result.tables, InterviewTables)
    assert result.out_dir == out
    assert [p.name for p in result.files] == [
        f"{name}.{ext}" for name in INTERVIEW_TABLES for ext in ("parquet", "csv")
    ] + ["interviews.qdpx"]
    assert sorted(result.files) == sorted(out.iterdir())
    for name, df in zip(INTERVIEW_TABLES, result.tables):
        assert result.rows[name] == len(df) == len(pd.read_parquet(out / f"{name}.parquet"))
    c = result.corpus
    assert c["interviews"] == 14 and c["interviews_by_sector"] == {"offentlig": 7, "idéburen": 7}
    assert c["segments"] == result.rows["interview_segments"]
    assert c["respondent_segments"] == int((result.tables.segments["speaker_role"] == "respondent").sum())
    assert c["dictionary_proposals"] == result.rows["interview_precodes"]
    assert c["manual_codings"] == result.rows["interview_codings"] and c["coders"] == 2
    assert result.salt_kind == "public demo salt (illustrative corpus)"
    assert repr(result).startswith("<InterviewBuildResult: 14 interviews")


def test_tables_content(built):
    out, _ = built
    seg = pd.read_parquet(out / "interview_segments.parquet")
    corpus = read_corpus(CORPUS).segments
    assert len(seg) == len(corpus)
    assert seg["segment_id"].tolist() == corpus["segment_id"].tolist()
    assert list(seg.columns) == list(corpus.columns)
    assert str(seg["size_class"].dtype) == "category" and str(seg["speaker_role"].dtype) == "category"

    pre = pd.read_parquet(out / "interview_precodes.parquet")
    roles = seg.set_index("segment_id")["speaker_role"].astype(str)
    assert set(roles[pre["segment_id"]]) == {"respondent"}
    assert (pre["source"] == "dictionary").all()
    texts = seg.set_index("segment_id")["text"]
    assert all(texts[s][a:b] == m for s, a, b, m in zip(pre["segment_id"], pre["start"], pre["end"], pre["matched"]))

    cod = pd.read_parquet(out / "interview_codings.parquet")
    assert list(cod.columns) == ["segment_id", "code", "coder"]
    raw = read_manual_codings(CORPUS / "manual_codings.csv").codings
    assert len(cod) == len(raw)
    assert set(map(tuple, cod.to_numpy().tolist())) == set(map(tuple, raw.to_numpy().tolist()))

    iv = pd.read_parquet(out / "interviews.parquet")
    assert iv["interview_id"].tolist() == sorted(iv["interview_id"])
    assert len(iv) == 14 and iv["interview_id"].is_unique
    assert iv["n_segments"].sum() == len(seg)
    assert iv["n_respondent_segments"].sum() == int((seg["speaker_role"] == "respondent").sum())
    assert iv["illustrative"].all()


def test_csv_is_deterministic_text(built):
    out, _ = built
    for name in INTERVIEW_TABLES:
        data = (out / f"{name}.csv").read_bytes()
        assert b"\r\n" not in data
        assert data.endswith(b"\n")
    iv = (out / "interviews.csv").read_text(encoding="utf-8").split("\n")
    assert iv[1].startswith("IP01,2024-09-12,")  # dates without a time part


def test_attrs_not_stored(built):
    out, _ = built
    for name in INTERVIEW_TABLES:
        meta = pq.read_schema(out / f"{name}.parquet").metadata or {}
        assert not any(b"attrs" in k.lower() for k in meta)
        assert pd.read_parquet(out / f"{name}.parquet").attrs == {}


def test_scan_pii_is_empty(built, names):
    out, _ = built
    assert scan_pii(out).matches.empty
    found = scan_pii(out, names=names).matches
    assert found.empty, found.to_string()


def test_planted_pii_absent(built, names):
    out, _ = built
    corpus = read_corpus(CORPUS)
    planted = {m for doc in corpus.documents.values() for _, _, _, m in find_pii(doc)}
    # the planted data of the README: e-mail, phones, personnummer, samordningsnummer
    assert {"121212-1212", "121272-1219", "0701740623", "070-174 06 12", "+46 70 174 06 47"} <= planted
    assert any("@" in p for p in planted)
    texts = _output_texts(out)
    assert any(k.startswith("interviews.qdpx[sources/") for k in texts)
    for where, text in texts.items():
        for p in planted:
            assert p not in text, f"{p!r} in {where}"
            assert re.sub(r"\D", "", p) not in re.sub(r"[ \-]", "", text) or "@" in p, f"{p!r} in {where}"
        for name in names:
            for part in name.split():
                assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text), f"{part!r} in {where}"
    # the pseudonyms are those of the public demo salt
    seg = (out / "interview_segments.csv").read_text(encoding="utf-8")
    assert pseudonym("PNR", "121212-1212", DEMO_SALT) in seg
    assert "[PERSON-" in seg and "[EMAIL-" in seg and "[TELEFON-" in seg


def test_qdpx_matches_segments(built):
    out, _ = built
    project = read_qdpx(out / "interviews.qdpx")
    seg = pd.read_parquet(out / "interview_segments.parquet")
    cod = pd.read_parquet(out / "interview_codings.parquet")
    assert sorted(project.sources["name"]) == sorted(seg["interview_id"].unique())
    docs = dict(zip(project.sources["name"], project.sources["text"]))
    for iid, s, e, t in zip(seg["interview_id"], seg["start"], seg["end"], seg["text"]):
        assert docs[iid][s:e] == t
    assert sorted(project.users["name"]) == ["kodare_A", "kodare_B"]
    assert len(project.codings) == len(cod.dropna(subset=["code"]))
    assert set(project.codings["code"]) <= set(cod["code"])


def test_two_builds_are_byte_identical(built, tmp_path):
    out, _ = built
    again = tmp_path / "again"
    build_interviews(CORPUS, again)
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(p.name for p in again.iterdir())
    for name in files:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


# --------------------------------------------------------------------------- salt
def test_real_corpus_without_salt_fails(tmp_path, monkeypatch):
    corpus = _real_corpus(tmp_path)
    monkeypatch.delenv(SALT_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    out = tmp_path / "out"
    with pytest.raises(MissingSaltError) as err:
        build_interviews(corpus, out)
    assert "no salt found" in str(err.value) and SALT_ENV in str(err.value)
    assert not out.exists() or not any(out.iterdir())


def test_one_real_interview_is_enough_to_need_a_salt(tmp_path, monkeypatch):
    corpus = _real_corpus(tmp_path, only="IP05")
    monkeypatch.delenv(SALT_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with pytest.raises(MissingSaltError):
        build_interviews(corpus, tmp_path / "out")
    with pytest.raises(MissingSaltError, match="DEMO_SALT"):
        build_interviews(corpus, tmp_path / "out", salt=DEMO_SALT)


def test_real_corpus_with_salt(tmp_path, monkeypatch):
    corpus = _real_corpus(tmp_path)
    monkeypatch.setenv(SALT_ENV, SECRET)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    out = tmp_path / "out"
    result = build_interviews(corpus, out)
    assert "secret salt" in str(result) and result.salt_kind == "secret salt"
    seg = (out / "interview_segments.csv").read_text(encoding="utf-8")
    assert pseudonym("PNR", "121212-1212", SECRET) in seg
    assert pseudonym("PNR", "121212-1212", DEMO_SALT) not in seg
    assert scan_pii(out, names=load_names(corpus / "names.txt")).matches.empty


# --------------------------------------------------------------------------- input errors
def test_missing_names_list(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.py", "names.txt"))
    with pytest.raises(InputError, match="names"):
        build_interviews(corpus, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_coding_of_unknown_segment(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.py"))
    with open(corpus / "manual_codings.csv", "a", encoding="utf-8") as fh:
        fh.write("IP02-999-01,LAW.LOU,kodare_A\n")
    with pytest.raises(InputError, match="segment ids not in the corpus"):
        build_interviews(corpus, tmp_path / "out")


def test_without_manual_codings(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.py", "manual_codings.csv"))
    out = tmp_path / "out"
    result = build_interviews(corpus, out)
    assert "0 manual codings" in str(result) and result.rows["interview_codings"] == 0
    cod = pd.read_parquet(out / "interview_codings.parquet")
    assert cod.empty and list(cod.columns) == ["segment_id", "code", "coder"]
    assert read_qdpx(out / "interviews.qdpx").codings.empty


def test_free_text_metadata_is_pseudonymised(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.py"))
    meta = corpus / "interviews.csv"
    text = meta.read_text(encoding="utf-8").replace(
        "FIKTIV intervju (illustrationsdata); kommunkoden är bara miljö",
        "FIKTIV intervju; kontakt kim@exempel.example och Elin Markström",
        1,
    )
    meta.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build_interviews(corpus, out)
    iv = (out / "interviews.csv").read_text(encoding="utf-8")
    assert "kim@exempel.example" not in iv and "Markström" not in iv
    assert "[EMAIL-" in iv and "[PERSON-" in iv
    assert scan_pii(out).matches.empty


def test_personal_data_in_outputs_is_refused(tmp_path, monkeypatch):
    # if pseudonymisation failed, the final scan catches it and deletes what was written
    import iopstudy.interviews.privacy as privacy

    def no_op(df, text_col="text", *, names=(), salt, other_cols=("speaker",), documents=None):
        return Pseudonymised(df.copy(), documents)

    monkeypatch.setattr(privacy, "pseudonymise_frame", no_op)
    out = tmp_path / "out"
    with pytest.raises(InputError, match="personal data found"):
        build_interviews(CORPUS, out)
    assert not any(out.iterdir())
