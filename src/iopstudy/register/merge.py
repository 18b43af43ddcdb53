"""Combine registers from several sources and flag the same agreement found twice.

:func:`merge_registers` reads any number of registers (CSV or .xlsx, as
:func:`~iopstudy.register.read.read_register` does) and returns a
:class:`MergeResult`. Its ``combined`` table keeps **every** input row, in file order, with
``source_file`` and ``source_line`` (its line in that file) and four link columns; no row is
ever dropped or changed, so the merge can be checked and undone by hand:

=================  ==========================================================================
``link_to``        the ``record_id`` of the row this one is linked to ("" when none), and
``link_to_file``   that row's file (record ids can repeat across files)
``link``           ``duplicate`` (the same agreement found twice), ``renewal`` (the same
                   parties in a later period: this row is the later agreement) or ""
``link_score``     0–1, how strongly the evidence supports the link (NaN when no link)
``link_reason``    the evidence in words: public body, shared partners, periods, titles
=================  ==========================================================================

How two rows are compared
-------------------------
Only rows of the **same public body** are compared (resolved as the build resolves it,
:func:`~iopstudy.register.process.resolve_register_parties`; an unresolved name is compared
by its folded spelling). Then:

* **partners** — the share of the smaller partner list found in the other, by partner
  *identity* (:func:`~iopstudy.register.organisations.partner_identity`: "Röda korset",
  "Röda Korset" and "Svenska Röda Korset" in one municipality's agreements are one
  organisation; spellings in the alias table fold together), with a fuzzy match (rapidfuzz
  ``ratio`` ≥ 90 on the folded names) for small misspellings. At least half must be shared;
* **periods** — ``same`` (equal known dates), ``overlap``, ``later``/``earlier`` (one
  agreement follows the other: it starts at or after the other's end, or both ends or both
  starts are known and at least six months apart without a large overlap), or ``unknown``
  (a row has no date to compare);
* **text** — rapidfuzz ``token_set_ratio`` of the folded title and policy-area text;
* **source** — the same source address.

``link_score = 0.5 × partners + 0.25 × period + 0.15 × text + 0.1 × source`` (period: same 1,
overlap 0.8, unknown 0.5, later 1 for a renewal; text 0.5 when either row has none). A pair
is a ``duplicate`` when its periods are ``same``, ``overlap`` or (for rows from different
files only, since one compiler registers one agreement once, and with texts at least 75 %
similar) ``unknown``, and its score is at least 0.7; a ``renewal`` when one period is later and the score is at least 0.6. Each row shows its
best link, a duplicate before a renewal; the later row of a duplicate pair (in file order)
points to the earlier, the later agreement of a renewal to the earlier one; a candidate as
good as the one shown is named in ``link_reason`` ("equally likely: …"). ``links`` lists
every pair found, with its parts.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.csv").write_text(
...     "record_id,public_party,civil_partners,start,end\\n"
...     "A1,Göteborgs Stad,Röda korset,2019,2021\\n", encoding="utf-8")
>>> _ = (d / "b.csv").write_text(
...     "record_id,public_party,civil_partners,start,end\\n"
...     "B1,Göteborgs stad,Svenska Röda Korset,2019,2021\\n"
...     "B2,Göteborgs stad,Röda Korset,2022,2024\\n", encoding="utf-8")
>>> m = merge_registers([d / "a.csv", d / "b.csv"])
>>> m.combined[["record_id", "link_to", "link"]].values.tolist()
[['A1', '', ''], ['B1', 'A1', 'duplicate'], ['B2', 'A1', 'renewal']]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["LINK_COLUMNS", "MergeResult", "merge_registers"]

#: Columns that :func:`merge_registers` adds to every input row, after the register's own.
LINK_COLUMNS = ("source_file", "source_line", "link_to", "link_to_file", "link", "link_score", "link_reason")

DUPLICATE_MIN = 0.7
RENEWAL_MIN = 0.6
_FUZZY_PARTNER = 90.0
_BLOCK_ALL_PAIRS = 300  # bodies with more rows compare only rows that share a partner
_PERIOD_SCORE = {"same": 1.0, "overlap": 0.8, "unknown": 0.5, "later": 1.0, "earlier": 1.0}


@dataclass
class MergeResult:
    """What :func:`merge_registers` found.

    ``combined``: every input row with :data:`LINK_COLUMNS`; ``links``: one row per linked
    pair (``record_id``, ``source_file``, ``source_line``, ``link_to``, ``link_to_file``,
    ``link_to_line``, ``link``, ``link_score``, ``partner_share``, ``period``,
    ``text_similarity``, ``same_source``, ``link_reason``, ``shown``: the link is the row's
    own in ``combined``); ``collisions``: record ids used more than once (``record_id``,
    ``source_file``, ``source_line``, ``n_files``, ``kind``: ``across files`` or ``within
    a file``); ``problems``: what could not be read as it stands (``file``, ``row``,
    ``column``, ``value``, ``message``): formulas in Excel cells and public parties that
    resolve to no body (those rows are compared by spelling only).

    Examples
    --------
    Two illustrative registers that hold the same agreement under the same id:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("a.csv", "b.csv"):
    ...         _ = (Path(tmp) / name).write_text(
    ...             "record_id,public_party,civil_partners,start,end\\n"
    ...             "EX-1,Lunds kommun,Föreningen Exempel,2019,2021\\n", encoding="utf-8")
    ...     m = merge_registers([Path(tmp) / "a.csv", Path(tmp) / "b.csv"])
    >>> [Path(f).name for f in m.files], m.combined[["record_id", "link", "link_to"]].values.tolist()
    (['a.csv', 'b.csv'], [['EX-1', '', ''], ['EX-1', 'duplicate', 'EX-1']])
    >>> m.collisions[["record_id", "kind"]].drop_duplicates().values.tolist()
    [['EX-1', 'across files']]
    >>> print(m.summary())
    2 rows from 2 file(s) (a.csv 1, b.csv 1); 1 likely duplicate(s), 0 renewal(s) flagged; 1 record id(s) used in more than one file
    """

    combined: "pd.DataFrame"
    links: "pd.DataFrame"
    collisions: "pd.DataFrame"
    problems: "pd.DataFrame"
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One paragraph: rows per file, links by kind, colliding ids."""
        n = self.combined.groupby("source_file", sort=False).size()
        kinds = self.combined["link"].value_counts()
        parts = [
            f"{len(self.combined)} rows from {len(self.files)} file(s) ("
            + ", ".join(f"{Path(f).name} {k}" for f, k in n.items()) + ")",
            f"{int(kinds.get('duplicate', 0))} likely duplicate(s), {int(kinds.get('renewal', 0))} renewal(s) flagged",
        ]
        ids = self.collisions.loc[self.collisions["kind"] == "across files", "record_id"].nunique()
        if ids:
            parts.append(f"{ids} record id(s) used in more than one file")
        return "; ".join(parts)

    def write_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write ``combined`` as UTF-8 CSV; text that a spreadsheet would run as a formula
        gets a leading ``'`` (:func:`iopstudy.text.neutralise_formulas`)."""
        from iopstudy.text import neutralise_formulas

        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = neutralise_formulas(self.combined).to_csv(index=False, lineterminator="\n", float_format="%.3f")
        out.write_bytes(text.encode("utf-8"))
        return out


def _read_all(paths, data_dir, aliases):
    """Each file read, resolved, dated and its partners identified; one frame for all."""
    import numpy as np
    import pandas as pd

    from iopstudy.register.fields import parse_dates, parse_period
    from iopstudy.register.organisations import load_partner_aliases, partner_identity, split_partners
    from iopstudy.register.process import resolve_register_parties
    from iopstudy.register.read import FORMULA_COLUMN, read_register
    from iopstudy.text import as_text, fold

    if aliases is None or not isinstance(aliases, pd.DataFrame):
        aliases = load_partner_aliases(aliases)
    frames, problems, parts = [], [], []
    for path in paths:
        raw = read_register(path)
        name = str(path)
        res = resolve_register_parties(raw, data_dir)
        f = raw.drop(columns=["source_row", FORMULA_COLUMN], errors="ignore").copy()
        f.insert(0, "_file", name)
        f.insert(1, "_line", raw["source_row"].to_numpy())
        f["_body"] = np.where(
            res["level"].to_numpy(dtype=object) != "unknown",
            res["level"].astype(str).to_numpy(dtype=object) + " " + as_text(res["code"]).to_numpy(dtype=object),
            "name " + raw["public_party"].map(fold).to_numpy(dtype=object),
        )
        f["_body_name"] = res["name"].fillna(raw["public_party"]).astype(str).to_numpy()
        f["_place"] = np.where(res["level"].to_numpy(dtype=object) != "unknown", as_text(res["code"]), "")
        unresolved = res["match"].to_numpy(dtype=object) == "none"
        for i in np.flatnonzero(unresolved):
            problems.append((name, int(raw["source_row"].iloc[i]), "public_party", raw["public_party"].iloc[i],
                             "resolves to no public body: compared with other rows by its spelling only"))
        if FORMULA_COLUMN in raw.columns:
            for i, cols in enumerate(raw[FORMULA_COLUMN]):
                for c in [c for c in cols.split(";") if c]:
                    problems.append((name, int(raw["source_row"].iloc[i]), c, raw[c].iloc[i] if c in raw else "",
                                     "the Excel cell holds a formula, which is not evaluated"))
        # dates: start/end, else a period field
        st = parse_dates(raw["start"].tolist(), role="start")
        en = parse_dates(raw["end"].tolist(), role="end")
        sd, ed = st["date"].to_numpy(), en["date"].to_numpy()
        if (raw["period"] != "").any():
            per = parse_period(raw["period"].tolist())
            use = ((raw["period"] != "") & (raw["start"] == "") & (raw["end"] == "")).to_numpy()
            sd = np.where(use, per["start_date"].to_numpy(), sd)
            ed = np.where(use, per["end_date"].to_numpy(), ed)
        f["_start"], f["_end"] = sd, ed
        f["_text"] = (raw["title"] + " " + raw["policy_area_text"]).map(fold).str.strip().to_numpy()
        f["_url"] = raw["source_url"].str.strip().to_numpy()
        frames.append(f)
        sp = split_partners(raw["civil_partners"].tolist())
        ident = partner_identity(sp["partner_name"], f["_place"].to_numpy()[sp["row"].to_numpy()],
                                 aliases=aliases, data_dir=data_dir)
        sp["_pos"] = sp["row"] + sum(len(x) for x in frames[:-1])
        sp["partner_id"] = ident["partner_id"].to_numpy()
        sp["folded"] = sp["partner_name"].map(fold).to_numpy()
        parts.append(sp)
    allrows = pd.concat(frames, ignore_index=True, sort=False)
    for c in allrows.columns:  # a column that only some files have is empty in the others
        if c not in ("_start", "_end"):
            allrows[c] = allrows[c].astype(object).where(allrows[c].notna(), "")
    partners = pd.concat(parts, ignore_index=True)
    return allrows, partners, problems


def _period(sa, ea, sb, eb) -> str:
    """The relation of period b to period a (``later``: b follows a)."""
    import pandas as pd

    sa, ea, sb, eb = (pd.Timestamp(x) if x is not None and not pd.isna(x) else None for x in (sa, ea, sb, eb))
    kn = [x is not None for x in (sa, ea, sb, eb)]
    if not (kn[0] or kn[1]) or not (kn[2] or kn[3]):
        return "unknown"
    day = pd.Timedelta(days=1)
    if (kn[0] == kn[2]) and (kn[1] == kn[3]) and (not kn[0] or sa == sb) and (not kn[1] or ea == eb):
        return "same"
    half_year = 182 * day
    for (s1, e1, s2, e2, k1s, k1e, k2s, k2e, word) in (
        (sa, ea, sb, eb, kn[0], kn[1], kn[2], kn[3], "later"),
        (sb, eb, sa, ea, kn[2], kn[3], kn[0], kn[1], "earlier"),
    ):
        # the second period starts at (or within a month of) the first one's end, or after it
        if k1e and k2s and s2 >= e1 - 31 * day:
            return word
        if k1s and k1e and k2s and k2e:
            overlap = min(e1, e2) - max(s1, s2)
            shorter = min(e1 - s1, e2 - s2)
            if s2 > s1 and e2 > e1 and overlap <= 0.5 * shorter:
                return word
            continue
        if k1e and k2e and e2 - e1 >= half_year and (not (k1s and k2s) or s2 > s1):
            return word
        if k1s and k2s and s2 - s1 >= half_year and (not (k1e and k2e) or e2 > e1):
            return word
    return "overlap"


def _partner_share(pa: list[tuple[str, str]], pb: list[tuple[str, str]]) -> tuple[float, int, int]:
    """Share of the smaller list found in the other: by identity, else a close spelling."""
    from rapidfuzz import fuzz

    if not pa or not pb:
        return 0.0, 0, min(len(pa), len(pb))
    small, big = (pa, pb) if len(pa) <= len(pb) else (pb, pa)
    ids_big = {i for i, _ in big}
    found = 0
    used: set[int] = set()
    for pid, name in small:
        if pid in ids_big:
            found += 1
            continue
        for j, (_, other) in enumerate(big):
            if j not in used and fuzz.ratio(name, other) >= _FUZZY_PARTNER:
                used.add(j)
                found += 1
                break
    return found / len(small), found, len(small)


def merge_registers(
    paths,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    aliases=None,
) -> MergeResult:
    """Combine registers and flag likely duplicates and renewals, keeping every row.

    Parameters
    ----------
    paths
        Register files (CSV or .xlsx), in the order their rows are combined.
    data_dir
        Reference data folder (default: the shipped one).
    aliases
        Partner alias table: a path or a frame from
        :func:`~iopstudy.register.organisations.load_partner_aliases` (default: the table
        shipped with iopstudy).

    Returns
    -------
    MergeResult
        ``combined`` (every input row, its columns as read, then :data:`LINK_COLUMNS`),
        ``links``, ``collisions`` and ``problems``; see the module docstring for the rules.

    Raises
    ------
    InputError
        A file cannot be read (naming the file), or no file is given.

    Examples
    --------
    >>> from iopstudy.register.process import default_register_path
    >>> m = merge_registers([default_register_path()])
    >>> m.combined.set_index("record_id").loc["IOP-0078", ["link", "link_to"]].tolist()
    ['renewal', 'IOP-0077']
    """
    import numpy as np
    import pandas as pd
    from rapidfuzz import fuzz

    from iopstudy.errors import InputError
    from iopstudy.text import as_text

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not paths:
        raise InputError("no register given to merge")
    rows, partners, problems = _read_all(paths, data_dir, aliases)
    n = len(rows)
    plist: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    for pos, pid, name in zip(partners["_pos"], partners["partner_id"], partners["folded"]):
        plist[int(pos)].append((pid, name))
    files = rows["_file"].to_numpy(dtype=object)
    ids = rows["record_id"].astype(str).to_numpy(dtype=object)
    starts = pd.to_datetime(rows["_start"]).to_numpy()
    ends = pd.to_datetime(rows["_end"]).to_numpy()
    texts = rows["_text"].to_numpy(dtype=object)
    urls = rows["_url"].to_numpy(dtype=object)

    found = []
    for _, block in rows.groupby("_body", sort=False).groups.items():
        members = list(block)
        if len(members) < 2:
            continue
        if len(members) <= _BLOCK_ALL_PAIRS:
            pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        else:
            by_id: dict[str, list[int]] = {}
            for r in members:
                for pid, _ in plist[r]:
                    by_id.setdefault(pid, []).append(r)
            pairs = sorted({(a, b) for rs in by_id.values() for i, a in enumerate(rs) for b in rs[i + 1 :] if a != b})
        for a, b in pairs:  # a comes before b in the combined order
            share, k, m = _partner_share(plist[a], plist[b])
            if share < 0.5:
                continue
            rel = _period(starts[a], ends[a], starts[b], ends[b])
            text = fuzz.token_set_ratio(texts[a], texts[b]) / 100 if texts[a] and texts[b] else None
            same_src = bool(urls[a]) and urls[a] == urls[b]
            score = 0.5 * share + 0.25 * _PERIOD_SCORE[rel] + 0.15 * (0.5 if text is None else text) + 0.1 * same_src
            if rel in ("later", "earlier"):
                kind = "renewal" if score >= RENEWAL_MIN and (text is None or text >= 0.5) else ""
                src, dst = (b, a) if rel == "later" else (a, b)
            else:
                # with no dates to compare, only rows of different files whose texts agree
                ok_rel = rel in ("same", "overlap") or (
                    rel == "unknown" and files[a] != files[b] and (text is None or text >= 0.75)
                )
                kind = "duplicate" if ok_rel and score >= DUPLICATE_MIN else ""
                src, dst = b, a
            if not kind:
                continue
            reason = (
                f"same public body ({rows['_body_name'].iat[a]}); partners {k}/{m} shared; "
                f"periods {rel}"
                + ("" if text is None else f"; title/area text {text:.0%} similar")
                + ("; same source address" if same_src else "")
            )
            found.append((src, dst, kind, round(score, 3), round(share, 3), rel,
                          None if text is None else round(text, 3), same_src, reason))

    links = pd.DataFrame(found, columns=["_src", "_dst", "link", "link_score", "partner_share", "period",
                                         "text_similarity", "same_source", "link_reason"])
    # the link each row shows: its best duplicate, else its best renewal
    links["_rank"] = (links["link"] == "duplicate").astype(int)
    links = links.sort_values(["_src", "_rank", "link_score", "_dst"], ascending=[True, False, False, True], kind="stable")
    links["shown"] = ~links["_src"].duplicated()
    # a tie is said, not hidden: "equally likely: IOP-0031"
    best = links[links["shown"]].set_index("_src")[["link", "link_score"]].add_suffix("_best")
    tie = links[~links["shown"]].join(best, on="_src")
    tie = tie[(tie["link"] == tie["link_best"]) & ((tie["link_score_best"] - tie["link_score"]).abs() < 0.005)]
    ties = {src: ", ".join(ids[list(d)]) for src, d in tie.groupby("_src")["_dst"]}
    on = (links["shown"] & links["_src"].isin(list(ties))).to_numpy(dtype=bool)
    if on.any():
        links.loc[on, "link_reason"] = [
            f"{r}; equally likely: {ties[s]}" for r, s in zip(links.loc[on, "link_reason"], links.loc[on, "_src"])
        ]
    shown = links[links["shown"]].set_index("_src")

    combined = rows.drop(columns=[c for c in rows.columns if c.startswith("_")]).copy()
    combined["source_file"] = files
    combined["source_line"] = rows["_line"].astype("int64").to_numpy()
    pos = np.arange(n)
    has = pd.Series(pos).isin(shown.index).to_numpy()
    dst = pd.Series(pos).map(shown["_dst"]).to_numpy()
    combined["link_to"] = np.where(has, ids[np.where(has, dst, 0).astype(int)], "")
    combined["link_to_file"] = np.where(has, files[np.where(has, dst, 0).astype(int)], "")
    combined["link"] = as_text(pd.Series(pos).map(shown["link"])).to_numpy()
    combined["link_score"] = pd.Series(pos).map(shown["link_score"]).astype("float64").to_numpy()
    combined["link_reason"] = as_text(pd.Series(pos).map(shown["link_reason"])).to_numpy()
    for c in combined.columns:
        if c not in ("source_line", "link_score"):
            combined[c] = combined[c].astype(str)

    src, dsts = links["_src"].to_numpy(dtype=int), links["_dst"].to_numpy(dtype=int)
    tidy = pd.DataFrame(
        {
            "record_id": ids[src], "source_file": files[src],
            "source_line": rows["_line"].to_numpy()[src].astype("int64"),
            "link_to": ids[dsts], "link_to_file": files[dsts],
            "link_to_line": rows["_line"].to_numpy()[dsts].astype("int64"),
        }
    )
    for c in ("link", "link_score", "partner_share", "period", "text_similarity", "same_source", "link_reason", "shown"):
        tidy[c] = links[c].to_numpy()
    tidy["same_source"] = tidy["same_source"].astype(bool)
    tidy["shown"] = tidy["shown"].astype(bool)

    # record ids used more than once
    occ = pd.DataFrame({"record_id": ids, "source_file": files, "source_line": combined["source_line"]})
    n_files = occ.groupby("record_id")["source_file"].transform("nunique")
    n_all = occ.groupby("record_id")["record_id"].transform("size")
    coll = occ[n_all > 1].copy()
    coll["n_files"] = n_files[n_all > 1].astype("int64")
    coll["kind"] = np.where(coll["n_files"] > 1, "across files", "within a file")
    coll = coll.sort_values(["record_id", "source_file", "source_line"], ignore_index=True)

    prob = pd.DataFrame(problems, columns=["file", "row", "column", "value", "message"])
    prob["row"] = prob["row"].astype("int64")
    return MergeResult(combined.reset_index(drop=True), tidy.reset_index(drop=True), coll, prob,
                       [str(p) for p in paths])
