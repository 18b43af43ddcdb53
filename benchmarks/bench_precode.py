"""Benchmark: dictionary pre-coding of a large synthetic corpus — SYNTHETIC DATA.

Times :func:`iopstudy.interviews.coding.precode` against a naive baseline in the same
run, on the same seeded corpus and codebook:

* ``precode`` — words are factorised once and each distinct word is
  classified once (see :mod:`iopstudy.coding`);
* naive — a Python loop over codes, each calling
  ``segments.text.str.contains(pattern)`` with the code's compiled pattern
  (:meth:`iopstudy.interviews.codebook.Codebook.compile`), i.e. one full regex pass per
  code. It only answers "is the code present", so it does less than
  ``precode`` (no offsets, no matched words, no stem).

The codebook is the packaged one (20 codes), topped up with synthetic codes
(theme ``SYN``: pseudo-word stems, one phrase and one exclusion each) to
``n_codes``. Texts mix common Swedish words, a vocabulary of seeded
pseudo-words (Zipf-distributed) and instances of the codebook's stems.

Usage::

    python benchmarks/bench_precode.py                 # 100 000 segments, 40 codes
    python benchmarks/bench_precode.py --segments 20000 --codes 40
    python benchmarks/bench_precode.py --naive-sample 10000   # naive timed on 10 000, scaled

``run()`` returns ``{"precode_s", "naive_s", "precode_ratio", ...}`` for a
combined benchmark runner.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from typing import Any

import numpy as np

from iopstudy.interviews.codebook import Codebook, codebook_from_dict, load_codebook
from iopstudy.interviews.coding import precode

__all__ = ["synthetic_codebook", "synthetic_corpus", "naive_precode", "run"]

_FILLER = (
    "och att det är som för på med till av den inte vi har de om så men kan man eller hade "
    "kommunen föreningen verksamheten personalen målgruppen avtalet året mötet arbetet stödet "
    "barn unga familjer boende kvinnor jouren insatser socialtjänsten förvaltningen också "
    "mycket sedan alltså liksom faktiskt ju väl nog där här när vad hur varför vilka många "
    "ganska egentligen tror tycker säger gjorde började fungerar blev skulle måste kunna "
    "frågan personer ideella organisationen staden regionen projektet avdelningen chefen"
).split()
_ONSETS = ["b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "st", "sk", "tr", "fr", "gr", "kl", "sn"]
_VOWELS = ["a", "e", "i", "o", "u", "y", "å", "ä", "ö"]
_CODAS = ["", "", "n", "r", "l", "s", "t", "ng", "rd", "ll", "nn", "st"]


def _pseudo(rng: np.random.Generator, syllables: int) -> str:
    return "".join(
        _ONSETS[rng.integers(len(_ONSETS))] + _VOWELS[rng.integers(len(_VOWELS))] + _CODAS[rng.integers(len(_CODAS))]
        for _ in range(syllables)
    )


def synthetic_codebook(n_codes: int = 40, seed: int = 0) -> Codebook:
    """The packaged codebook, cut or topped up with synthetic codes to ``n_codes``."""
    data = copy.deepcopy(load_codebook().to_dict())
    codes = [(t, c) for t in data["themes"] for c in t["codes"]]
    if n_codes <= len(codes):
        keep = {c["id"] for _, c in codes[:n_codes]}
        for t in data["themes"]:
            t["codes"] = [c for c in t["codes"] if c["id"] in keep]
        data["themes"] = [t for t in data["themes"] if t["codes"]]
    else:
        rng = np.random.default_rng(seed + 1)
        extra = []
        for i in range(n_codes - len(codes)):
            stems = sorted({_pseudo(rng, 2) + "*" for _ in range(7)}) + [_pseudo(rng, 2)]
            stems.append(f"{_pseudo(rng, 1)} {_pseudo(rng, 2)}*")
            extra.append(
                {
                    "id": f"SYN.C{i + 1:02d}",
                    "sv": f"Syntetisk kod {i + 1}",
                    "en": f"Synthetic code {i + 1}",
                    "definition": "SYNTHETIC: benchmark code, not part of the study.",
                    "stems": stems,
                    "exclude_stems": [stems[0].rstrip("*") + "x*"],
                }
            )
        data["themes"].append({"id": "SYN", "sv": "Syntetiskt", "en": "Synthetic", "codes": extra})
    data["codebook"] = "synthetic-benchmark"
    return codebook_from_dict(data, source="<synthetic>")


def synthetic_corpus(n_segments: int = 100_000, codebook: Codebook | None = None, seed: int = 0) -> Any:
    """A seeded corpus of Swedish-like segments with codebook words — SYNTHETIC.

    Returns a DataFrame ``segment_id, text`` (``attrs["synthetic"] = True``).
    """
    import pandas as pd

    cb = codebook if codebook is not None else synthetic_codebook(40, seed)
    rng = np.random.default_rng(seed)
    pseudo = sorted({_pseudo(rng, int(rng.integers(1, 4))) for _ in range(8000)})
    zipf = 1.0 / np.arange(1, len(pseudo) + 1)
    zipf /= zipf.sum()
    suffixes = ["", "en", "et", "er", "erna", "ar", "ande", "ade", "ning", "s"]
    stem_forms = []
    for row in cb.codes.itertuples(index=False):
        for s in [*row.stems, *row.case_sensitive_stems, *row.exclude_stems]:
            if s.endswith("*"):
                stem_forms += [s[:-1] + suf for suf in suffixes[:4]]
                stem_forms.append(pseudo[rng.integers(len(pseudo))] + s[:-1] + "en")  # compound
            else:
                stem_forms.append(s)
    stem_forms = np.array(stem_forms, dtype=object)
    filler = np.array(_FILLER, dtype=object)
    pseudo_arr = np.array(pseudo, dtype=object)
    n_words = rng.integers(15, 60, n_segments)
    total = int(n_words.sum())
    kind = rng.random(total)
    words = np.where(
        kind < 0.55,
        filler[rng.integers(len(filler), size=total)],
        pseudo_arr[rng.choice(len(pseudo_arr), size=total, p=zipf)],
    )
    stem_at = kind > 0.97
    words[stem_at] = stem_forms[rng.integers(len(stem_forms), size=int(stem_at.sum()))]
    cuts = np.cumsum(n_words)[:-1]
    punct = np.array([" ", " ", " ", " ", ", ", ". "], dtype=object)
    seps = punct[rng.integers(len(punct), size=total)]
    tokens = (words + seps).tolist()
    texts = []
    start = 0
    for stop in [*cuts.tolist(), total]:
        t = "".join(tokens[start:stop]).strip()
        texts.append(t[:1].upper() + t[1:] + ".")
        start = stop
    df = pd.DataFrame({"segment_id": [f"syn{i:07d}" for i in range(n_segments)], "text": texts})
    df.attrs["synthetic"] = True
    return df


def naive_precode(segments: Any, codebook: Codebook) -> dict[str, Any]:
    """The baseline: one ``str.contains`` pass per code."""
    import re

    out = {}
    for code in codebook.code_ids:
        plain = re.sub(r"\(\?P<s\d+>", "(?:", codebook.compile(code).pattern)  # no groups, same pattern
        out[code] = segments["text"].str.contains(re.compile(plain, re.IGNORECASE))
    return out


def run(
    n_segments: int = 100_000,
    n_codes: int = 40,
    seed: int = 0,
    verbose: bool = False,
    naive_sample: int | None = None,
) -> dict[str, Any]:
    """Time ``precode`` and the naive baseline side by side.

    Parameters
    ----------
    n_segments, n_codes
        Corpus size and number of codes.
    seed
        Seed of the synthetic corpus and codebook.
    verbose
        Print progress.
    naive_sample
        Run the naive baseline on only the first ``naive_sample`` segments and
        scale its time linearly to ``n_segments`` (it is linear in the number
        of segments; at 100 000 segments it takes minutes). Default: all
        segments, no scaling.

    Returns
    -------
    dict
        ``precode_s`` and ``naive_s`` (seconds, wall clock), ``precode_ratio``
        (naive / precode), ``n_segments``, ``n_codes``, ``n_chars``,
        ``n_hits``, ``presence_agrees`` (both give the same segment × code
        presence), ``naive_segments_measured``.
    """
    import pandas as pd

    t0 = time.perf_counter()
    cb = synthetic_codebook(n_codes, seed)
    seg = synthetic_corpus(n_segments, cb, seed)
    if verbose:
        print(f"corpus: {n_segments} segments, {int(seg.text.str.len().sum()):,} characters, "
              f"{len(cb.codes)} codes ({time.perf_counter() - t0:.1f} s to build)", flush=True)
    from iopstudy.interviews import coding

    coding._MATCHERS.clear()  # time the compilation too
    t = time.perf_counter()
    hits = precode(seg, cb)
    precode_s = time.perf_counter() - t
    if verbose:
        print(f"precode: {precode_s:.2f} s ({len(hits):,} hits)", flush=True)
    n_naive = n_segments if naive_sample is None else max(1, min(int(naive_sample), n_segments))
    sample = seg.iloc[:n_naive]
    t = time.perf_counter()
    naive = naive_precode(sample, cb)
    naive_measured = time.perf_counter() - t
    naive_s = naive_measured * n_segments / n_naive
    if verbose:
        extra = "" if n_naive == n_segments else f" (measured {naive_measured:.2f} s on {n_naive} segments, scaled)"
        print(f"naive:   {naive_s:.2f} s{extra}", flush=True)
    present = pd.DataFrame(naive)
    ours = np.zeros(present.shape, dtype=bool)
    mine = hits[hits["segment_id"].isin(set(sample["segment_id"]))]
    if len(mine):
        r = pd.Index(sample["segment_id"]).get_indexer(mine["segment_id"])
        c = pd.Index(cb.code_ids).get_indexer(mine["code"])
        ours[r, c] = True
    return {
        "precode_s": round(precode_s, 3),
        "naive_s": round(naive_s, 3),
        "precode_ratio": round(naive_s / precode_s, 1),
        "n_segments": n_segments,
        "n_codes": len(cb.codes),
        "n_chars": int(seg["text"].str.len().sum()),
        "n_hits": int(len(hits)),
        "presence_agrees": bool((ours == present.to_numpy()).all()),
        "naive_segments_measured": n_naive,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--codes", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--naive-sample", type=int, default=None, help="time the naive loop on this many segments and scale")
    args = ap.parse_args(argv)
    res = run(args.segments, args.codes, args.seed, verbose=True, naive_sample=args.naive_sample)
    print(json.dumps(res, indent=2))
    print(f"precode is {res['precode_ratio']}x faster than the naive loop (goal: >= 10x)")
    return 0 if res["presence_agrees"] else 1


if __name__ == "__main__":
    sys.exit(main())
