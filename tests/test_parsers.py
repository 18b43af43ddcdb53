"""Tests of iopstudy.parsers: every form the register uses, general forms, and properties."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iopstudy.register.amounts import parse_amounts
from iopstudy.register.fields import check_period, parse_dates, parse_period
from iopstudy.register.organisations import (
    ORG_TYPE_LABELS,
    ORG_TYPES,
    classify_org_type,
    normalise_org_name,
    split_partners,
)

NaT = None  # expected "no date" in the tables below


def _day(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- dates

# text, role, expected date, precision, open_ended, problem
DATE_CASES = [
    # forms in the register
    ("2015", "start", "2015-01-01", "year", False, ""),
    ("2024", "end", "2024-12-31", "year", False, ""),
    ("1 januari 2022", "start", "2022-01-01", "day", False, ""),
    ("1 februari 2023", "start", "2023-02-01", "day", False, ""),
    ("1 september 2023", "start", "2023-09-01", "day", False, ""),
    ("31 december 2023", "end", "2023-12-31", "day", False, ""),
    ("30 juni 2025", "end", "2025-06-30", "day", False, ""),
    ("31 maj 2024", "end", "2024-05-31", "day", False, ""),
    ("maj 2017", "start", "2017-05-01", "month", False, ""),
    ("maj 2017", "end", "2017-05-31", "month", False, ""),
    ("våren 2016", "start", "2016-03-01", "season", False, ""),
    ("våren 2016", "end", "2016-05-31", "season", False, ""),
    ("årsskiftet 18/19", "start", "2019-01-01", "month", False, ""),
    ("årsskiftet 18/19", "end", "2018-12-31", "month", False, ""),
    ("sista december 2019", "end", "2019-12-31", "day", False, ""),
    ("sista december 2019", "start", "2019-12-31", "day", False, ""),
    ("2025-06-01", "end", "2025-06-01", "day", False, ""),
    # general forms
    ("2019-05", "start", "2019-05-01", "month", False, ""),
    ("2019-05", "end", "2019-05-31", "month", False, ""),
    ("jan 2020", "start", "2020-01-01", "month", False, ""),
    ("Jan. 2020", "end", "2020-01-31", "month", False, ""),
    ("feb 2024", "end", "2024-02-29", "month", False, ""),
    ("sept 2021", "start", "2021-09-01", "month", False, ""),
    ("okt 2021", "start", "2021-10-01", "month", False, ""),
    ("DECEMBER 2020", "start", "2020-12-01", "month", False, ""),
    ("1 Juli 2021", "start", "2021-07-01", "day", False, ""),
    ("1 jan. 2022", "start", "2022-01-01", "day", False, ""),
    ("den 1:a maj 2022", "start", "2022-05-01", "day", False, ""),
    ("första maj 2020", "start", "2020-05-01", "day", False, ""),
    ("1/6 2025", "start", "2025-06-01", "day", False, ""),
    ("20250601", "start", "2025-06-01", "day", False, ""),
    ("fr.o.m. 1 januari 2022", "start", "2022-01-01", "day", False, ""),
    ("t.o.m. 2023", "end", "2023-12-31", "year", False, ""),
    ("år 2015", "start", "2015-01-01", "year", False, ""),
    ("VÅREN 2016", "start", "2016-03-01", "season", False, ""),
    ("varen 2016", "start", "2016-03-01", "season", False, ""),  # without diacritics
    ("va\u030aren 2016", "start", "2016-03-01", "season", False, ""),  # decomposed å
    ("sommaren 2020", "end", "2020-08-31", "season", False, ""),
    ("hösten 2020", "start", "2020-09-01", "season", False, ""),
    ("hosten 2020", "end", "2020-11-30", "season", False, ""),
    ("vintern 2016", "start", "2016-01-01", "season", False, ""),
    ("vintern 2016", "end", "2016-02-29", "season", False, ""),
    ("vintern 16/17", "start", "2016-12-01", "season", False, ""),
    ("vintern 16/17", "end", "2017-02-28", "season", False, ""),
    ("arsskiftet 2018/2019", "start", "2019-01-01", "month", False, ""),
    ("årsskiftet 2018-2019", "end", "2018-12-31", "month", False, ""),
    ("1\u00a0januari\u20092022", "start", "2022-01-01", "day", False, ""),  # odd spaces
    ("  2015.  ", "start", "2015-01-01", "year", False, ""),
    # open-ended
    ("tills vidare", "end", NaT, "none", True, ""),
    ("tillsvidare", "end", NaT, "none", True, ""),
    ("Tills vidare.", "end", NaT, "none", True, ""),
    ("ej tidsbegränsad", "end", NaT, "none", True, ""),
    ("inte tidsbegränsat", "end", NaT, "none", True, ""),
    ("löpande", "end", NaT, "none", True, ""),
    ("pågående", "end", NaT, "none", True, ""),
    ("utan slutdatum", "end", NaT, "none", True, ""),
    ("fr.o.m. 2020 tills vidare", "start", "2020-01-01", "year", True, ""),
    ("31 december 2024, därefter tills vidare", "end", "2024-12-31", "day", True, ""),
    # impossible
    ("31 februari 2022", "start", NaT, "none", False, "impossible date"),
    ("29 februari 2023", "end", NaT, "none", False, "impossible date"),
    ("2022-13-01", "start", NaT, "none", False, "impossible date"),
    ("2022-02-30", "start", NaT, "none", False, "impossible date"),
    ("1850", "start", NaT, "none", False, "impossible date"),
    ("2101", "end", NaT, "none", False, "impossible date"),
    ("maj 1850", "end", NaT, "none", False, "impossible date"),
    ("årsskiftet 18/20", "start", NaT, "none", False, "impossible date"),
    # unrecognised
    ("från och med årsskiftet", "start", NaT, "none", False, "unrecognised date"),
    ("förra vintern", "start", NaT, "none", False, "unrecognised date"),
    ("snart", "start", NaT, "none", False, "unrecognised date"),
    ("2019-2021", "start", NaT, "none", False, "unrecognised date"),
    ("12345", "start", NaT, "none", False, "unrecognised date"),
    # a day, month, season or half-year with no year: never completed with a guessed year
    ("maj", "start", NaT, "none", False, "no year given (none is guessed)"),
    ("1 december", "start", NaT, "none", False, "no year given (none is guessed)"),
    ("31 mars", "end", NaT, "none", False, "no year given (none is guessed)"),
    ("sista december", "end", NaT, "none", False, "no year given (none is guessed)"),
    ("1/3", "start", NaT, "none", False, "no year given (none is guessed)"),
    ("andra halvåret", "start", NaT, "none", False, "no year given (none is guessed)"),
    # second compilation of the register (IOP-0081 to IOP-0146)
    ("1/3 2022", "start", "2022-03-01", "day", False, ""),
    ("28/2 2023", "end", "2023-02-28", "day", False, ""),
    ("sista december 2021", "end", "2021-12-31", "day", False, ""),
    ("andra halvåret 2018", "start", "2018-07-01", "season", False, ""),
    ("andra halvåret 2018", "end", "2018-12-31", "season", False, ""),
    ("första halvåret 2019", "start", "2019-01-01", "season", False, ""),
    ("första halvåret 2019", "end", "2019-06-30", "season", False, ""),
    # empty
    ("", "start", NaT, "none", False, ""),
    ("   ", "end", NaT, "none", False, ""),
]


@pytest.mark.parametrize("text,role,date,precision,open_ended,problem", DATE_CASES)
def test_parse_dates_forms(text, role, date, precision, open_ended, problem):
    out = parse_dates([text], role=role)
    row = out.iloc[0]
    assert _day(row["date"]) == date
    assert row["precision"] == precision
    assert bool(row["open_ended"]) is open_ended
    assert row["problem"] == problem
    expected_year = None if date is None else int(date[:4])
    assert (None if pd.isna(row["year"]) else int(row["year"])) == expected_year
    assert row["text"] == text


def test_parse_dates_ambiguous_turn_of_year_is_a_problem():
    row = parse_dates(["årsskiftet 2018"]).iloc[0]
    assert pd.isna(row["date"])
    assert "ambiguous" in row["problem"]


def test_parse_dates_types_and_missing():
    out = parse_dates(["2015", None, np.nan, pd.NA, 2016, 2017.0, ""], role="start")
    assert list(out.columns) == ["text", "date", "year", "precision", "open_ended", "problem"]
    assert isinstance(out.index, pd.RangeIndex)
    assert out["date"].dtype == "datetime64[ns]"
    assert out["year"].dtype == "Int64"
    assert out["open_ended"].dtype == bool
    assert out["text"].tolist() == ["2015", "", "", "", "2016", "2017", ""]
    assert out["precision"].tolist() == ["year", "none", "none", "none", "year", "year", "none"]
    assert (out["problem"] == "").all()


def test_parse_dates_series_index_is_reset_and_scalar_is_one_value():
    s = pd.Series(["2015", "maj 2017"], index=[10, 3])
    out = parse_dates(s)
    assert out.index.tolist() == [0, 1]
    assert _day(out.loc[1, "date"]) == "2017-05-01"
    assert len(parse_dates("2015")) == 1


def test_parse_dates_role_must_be_known():
    with pytest.raises(ValueError, match="role"):
        parse_dates(["2015"], role="middle")


def test_parse_dates_register_column(raw_register):
    reg = pd.read_csv(raw_register, dtype=str, keep_default_na=False)
    # the second compilation has four dates with a day and a month but no year on the page:
    # they stay empty, with a problem, and nothing else does
    no_year = {("start", "IOP-0089"), ("start", "IOP-0123"), ("end", "IOP-0123"), ("start", "IOP-0141")}
    for column, role in (("start", "start"), ("end", "end")):
        out = parse_dates(reg[column], role=role)
        assert len(out) == len(reg)
        bad = set(zip([column] * int((out["problem"] != "").sum()), reg.loc[(out["problem"] != "").to_numpy(), "record_id"]))
        assert bad == {x for x in no_year if x[0] == column}, out.loc[out["problem"] != "", ["text", "problem"]]
        assert (out.loc[out["problem"] != "", "problem"] == "no year given (none is guessed)").all()
        expect_date = (reg[column] != "").to_numpy() & (out["problem"] == "").to_numpy()
        assert (out["date"].notna().to_numpy() == expect_date).all()
    ends = parse_dates(reg["end"], role="end")
    starts = parse_dates(reg["start"], role="start")
    assert (check_period(starts["date"], ends["date"]) == "").all()


# --------------------------------------------------------------------------- periods

# text, start, start precision, end, end precision, open_ended, problem
PERIOD_CASES = [
    ("2019–2021", "2019-01-01", "year", "2021-12-31", "year", False, ""),
    ("2019-2021", "2019-01-01", "year", "2021-12-31", "year", False, ""),
    ("2019 - 2021", "2019-01-01", "year", "2021-12-31", "year", False, ""),
    ("2019 till 2021", "2019-01-01", "year", "2021-12-31", "year", False, ""),
    ("2015–2018", "2015-01-01", "year", "2018-12-31", "year", False, ""),
    ("2015—2018", "2015-01-01", "year", "2018-12-31", "year", False, ""),
    ("mellan 2019 och 2021", "2019-01-01", "year", "2021-12-31", "year", False, ""),
    ("2019–21", "2019-01-01", "year", "2021-12-31", "year", False, ""),
    ("2019/2020", "2019-01-01", "year", "2020-12-31", "year", False, ""),
    ("1 jan 2022 – 31 dec 2023", "2022-01-01", "day", "2023-12-31", "day", False, ""),
    ("1 januari 2022 t.o.m. 31 december 2023", "2022-01-01", "day", "2023-12-31", "day", False, ""),
    ("1 jan – 31 dec 2023", "2023-01-01", "day", "2023-12-31", "day", False, ""),
    ("maj–juni 2022", "2022-05-01", "month", "2022-06-30", "month", False, ""),
    ("2025-06-01–2026-05-31", "2025-06-01", "day", "2026-05-31", "day", False, ""),
    ("2025-06-01 - 2026-05-31", "2025-06-01", "day", "2026-05-31", "day", False, ""),
    ("våren 2016 – hösten 2017", "2016-03-01", "season", "2017-11-30", "season", False, ""),
    ("fr.o.m. 2020 tills vidare", "2020-01-01", "year", None, "none", True, ""),
    ("från och med 1 juli 2021 och tills vidare", "2021-07-01", "day", None, "none", True, ""),
    ("2020–", "2020-01-01", "year", None, "none", True, ""),
    ("2020 -", "2020-01-01", "year", None, "none", True, ""),
    ("fr.o.m. 2020", "2020-01-01", "year", None, "none", False, ""),
    ("t.o.m. 2021", None, "none", "2021-12-31", "year", False, ""),
    ("tills vidare", None, "none", None, "none", True, ""),
    # a single date covers itself
    ("2019", "2019-01-01", "year", "2019-12-31", "year", False, ""),
    ("maj 2017", "2017-05-01", "month", "2017-05-31", "month", False, ""),
    ("2019-05", "2019-05-01", "month", "2019-05-31", "month", False, ""),
    # problems
    ("2021–2019", "2021-01-01", "year", "2019-12-31", "year", False, "end before start"),
    ("31 februari 2022 – 2023", None, "none", "2023-12-31", "year", False, "start: impossible date"),
    ("2022-02-30", None, "none", None, "none", False, "impossible date"),
    ("någon gång", None, "none", None, "none", False, "unrecognised period"),
    ("", None, "none", None, "none", False, ""),
]


@pytest.mark.parametrize("text,start,sp,end,ep,open_ended,problem", PERIOD_CASES)
def test_parse_period_forms(text, start, sp, end, ep, open_ended, problem):
    row = parse_period([text]).iloc[0]
    assert _day(row["start_date"]) == start
    assert row["start_precision"] == sp
    assert _day(row["end_date"]) == end
    assert row["end_precision"] == ep
    assert bool(row["open_ended"]) is open_ended
    assert row["problem"] == problem


def test_parse_period_columns_and_types():
    out = parse_period(["2019–2021", None])
    assert list(out.columns) == [
        "start_date", "start_year", "start_precision",
        "end_date", "end_year", "end_precision", "open_ended", "problem",
    ]  # fmt: skip
    assert out["start_date"].dtype == "datetime64[ns]"
    assert out["end_year"].dtype == "Int64"
    assert out["open_ended"].dtype == bool
    assert out["start_year"].tolist()[0] == 2019 and out["end_year"].tolist()[0] == 2021
    assert out.loc[1, "problem"] == ""


def test_check_period():
    starts = pd.Series(pd.to_datetime(["2021-01-01", "2021-01-01", None, "2020-01-01"]), index=[5, 6, 7, 8])
    ends = pd.Series(pd.to_datetime(["2020-12-31", "2021-01-01", "2020-01-01", None]), index=[5, 6, 7, 8])
    out = check_period(starts, ends)
    assert out.tolist() == ["end before start", "", "", ""]
    assert out.index.tolist() == [5, 6, 7, 8]
    assert check_period(["2021-01-01"], ["2020-01-01"]).tolist() == ["end before start"]
    with pytest.raises(ValueError, match="same length"):
        check_period(["2021-01-01"], [])


# --------------------------------------------------------------------------- amounts

# text, amount, period, approx, amount_year, problem
AMOUNT_CASES = [
    # every form in the register
    ("upp till fyra miljoner kronor", 4_000_000, "unknown", True, None, ""),
    ("6,7 miljoner till insatser nästa år", 6_700_000, "one_year", False, None, ""),
    ("totalt 2.797.000 kronor för ytterligare insatser", 2_797_000, "total", False, None, ""),
    ("340 000 kronor varje år", 340_000, "per_year", False, None, ""),
    ("en miljon kronor årligen", 1_000_000, "per_year", False, None, ""),
    ("400 000 kronor per år", 400_000, "per_year", False, None, ""),
    ("3,5 miljoner kronor per år", 3_500_000, "per_year", False, None, ""),
    ("650 000 kr per år", 650_000, "per_year", False, None, ""),
    ("575 000 kronor per år", 575_000, "per_year", False, None, ""),
    ("150 000 kronor per år", 150_000, "per_year", False, None, ""),
    ("500 000 kronor per år under en treårsperiod", 500_000, "per_year", False, None, ""),
    ("drygt 5,2 miljoner kronor (år 2021)", 5_200_000, "one_year", True, 2021, ""),
    ("974 000 kronor (år 2021)", 974_000, "one_year", False, 2021, ""),
    ("två miljoner kronor årligen", 2_000_000, "per_year", False, None, ""),
    ("1,3 mnkr årligen", 1_300_000, "per_year", False, None, ""),
    # general forms
    ("1,2 mnkr per år", 1_200_000, "per_year", False, None, ""),
    ("500 tkr", 500_000, "unknown", False, None, ""),
    ("1 200 000 kr", 1_200_000, "unknown", False, None, ""),
    ("1 200 000:-", 1_200_000, "unknown", False, None, ""),
    ("2 msek", 2_000_000, "unknown", False, None, ""),
    ("1.5 MSEK", 1_500_000, "unknown", False, None, ""),
    ("1\u00a0200\u00a0000 kr", 1_200_000, "unknown", False, None, ""),  # no-break spaces
    ("1\u2009200\u2009000 kr", 1_200_000, "unknown", False, None, ""),  # thin spaces
    ("1\u202f200\u202f000 kr", 1_200_000, "unknown", False, None, ""),  # narrow no-break
    ("1,200,000 kr", 1_200_000, "unknown", False, None, ""),
    ("1.500 kr", 1_500, "unknown", False, None, ""),
    ("2 mkr", 2_000_000, "unknown", False, None, ""),
    ("3 miljarder kronor", 3_000_000_000, "unknown", False, None, ""),
    ("tio miljoner kronor", 10_000_000, "unknown", False, None, ""),
    ("tre miljoner kronor", 3_000_000, "unknown", False, None, ""),
    ("en halv miljon kronor per år", 500_000, "per_year", False, None, ""),
    ("en och en halv miljon kronor", 1_500_000, "unknown", False, None, ""),
    ("femhundra tusen kronor", 500_000, "unknown", False, None, ""),
    ("ca 300 000 kr om året", 300_000, "per_year", True, None, ""),
    ("cirka 300 000 kr i året", 300_000, "per_year", True, None, ""),
    ("omkring 2 mnkr", 2_000_000, "unknown", True, None, ""),
    ("ungefär 2 mnkr per annum", 2_000_000, "per_year", True, None, ""),
    ("knappt 1 mnkr", 1_000_000, "unknown", True, None, ""),
    ("200 000 kr/år", 200_000, "per_year", False, None, ""),
    ("sammanlagt 3 mnkr", 3_000_000, "total", False, None, ""),
    ("3 mnkr under perioden", 3_000_000, "total", False, None, ""),
    ("3 mnkr för hela perioden", 3_000_000, "total", False, None, ""),
    ("5 mnkr 2021–2023", 5_000_000, "total", False, None, ""),
    ("2 mnkr för 2022", 2_000_000, "one_year", False, 2022, ""),
    ("500 000 kr i år", 500_000, "one_year", False, None, ""),
    ("totalt 3 mnkr för 2021", 3_000_000, "total", False, 2021, ""),
    ("3 år, 500 000 kr per år", 500_000, "per_year", False, None, ""),
    ("för 2000 kr", 2_000, "unknown", False, None, ""),
    ("500 000", 500_000, "unknown", False, None, ""),
    # problems
    ("-500 000 kr", -500_000, "unknown", False, None, "negative amount"),
    ("\u2212500 000 kr", -500_000, "unknown", False, None, "negative amount"),
    ("minus 500 000 kr", -500_000, "unknown", False, None, "negative amount"),
    ("500 000–600 000 kr", 500_000, "unknown", True, None, "amount range; lower bound used"),
    ("1-2 miljoner kronor", 1_000_000, "unknown", True, None, "amount range; lower bound used"),
    ("ingen summa angiven", None, "unknown", False, None, "no amount found"),
    ("2021", None, "unknown", False, None, "no amount found"),
    ("", None, "unknown", False, None, ""),
]


@pytest.mark.parametrize("text,amount,period,approx,year,problem", AMOUNT_CASES)
def test_parse_amounts_forms(text, amount, period, approx, year, problem):
    row = parse_amounts([text]).iloc[0]
    if amount is None:
        assert np.isnan(row["amount_sek"])
    else:
        assert row["amount_sek"] == pytest.approx(amount, rel=0, abs=1e-6)
    assert row["period"] == period
    assert bool(row["approx"]) is approx
    assert (None if pd.isna(row["amount_year"]) else int(row["amount_year"])) == year
    assert row["problem"] == problem
    assert row["text"] == text


def test_parse_amounts_columns_and_types(raw_register):
    reg = pd.read_csv(raw_register, dtype=str, keep_default_na=False)
    out = parse_amounts(reg["amount_text"])
    assert list(out.columns) == ["text", "amount_sek", "period", "approx", "amount_year", "problem"]
    assert out["amount_sek"].dtype == "float64"
    assert out["amount_year"].dtype == "Int64"
    assert out["approx"].dtype == bool
    stated = (reg["amount_text"] != "").to_numpy()
    # "fem kronor per invånare" (IOP-0137) is a rate per inhabitant, not a sum: no amount
    rate = (reg["record_id"] == "IOP-0137").to_numpy()
    assert out.loc[stated & ~rate, "amount_sek"].notna().all()
    assert (out.loc[~rate, "problem"] == "").all()
    assert out.loc[rate, "problem"].tolist() == ["no amount found"]
    assert out["amount_sek"].min() > 0


# --------------------------------------------------------------------------- partners


def test_split_partners_register_forms():
    out = split_partners(
        [
            "Bräcke diakoni ; Frälsningsarmén ; Stadsmissionen",
            "",
            None,
            "Kvinnojouren Nacka/Värmdö",
            " ; Röda  Korset ;; ",
            "Skyddsvärnet, Göteborg ; ABF",
        ]
    )
    assert list(out.columns) == ["row", "partner_index", "partner_name"]
    assert out.values.tolist() == [
        [0, 1, "Bräcke diakoni"],
        [0, 2, "Frälsningsarmén"],
        [0, 3, "Stadsmissionen"],
        [3, 1, "Kvinnojouren Nacka/Värmdö"],
        [4, 1, "Röda Korset"],
        [5, 1, "Skyddsvärnet, Göteborg"],
        [5, 2, "ABF"],
    ]
    assert out["row"].dtype == "int64" and out["partner_index"].dtype == "int64"


def test_split_partners_nfc_and_custom_separator():
    out = split_partners(["Fra\u0308lsningsarme\u0301n | Ro\u0308da Korset"], sep="|")
    assert out["partner_name"].tolist() == ["Frälsningsarmén", "Röda Korset"]
    assert all(unicodedata.is_normalized("NFC", n) for n in out["partner_name"])


def test_split_partners_empty_input():
    out = split_partners([])
    assert len(out) == 0 and list(out.columns) == ["row", "partner_index", "partner_name"]


def test_split_partners_register(raw_register):
    reg = pd.read_csv(raw_register, dtype=str, keep_default_na=False)
    out = split_partners(reg["civil_partners"])
    assert set(out["row"]) == set(range(len(reg)))  # every row names a partner
    assert out.groupby("row").size().max() == 9  # IOP-0004
    assert not out["partner_name"].str.contains(";").any()


# --------------------------------------------------------------------------- organisations

ORG_CASES = [
    ("Stadsmissionen", "stadsmission"),
    ("Göteborgs Kyrkliga Stadsmission", "stadsmission"),
    ("Sörmlands Stadsmission", "stadsmission"),
    ("Stiftelsen Stockholms Stadsmission", "stadsmission"),
    ("Kvinnojouren Lund", "kvinno_tjejjour"),
    ("Sigtuna kvinnojour", "kvinno_tjejjour"),
    ("Tjejouren Meja", "kvinno_tjejjour"),
    ("Tjejjouren Ronja", "kvinno_tjejjour"),
    ("Kvinno- och tjejjouren i Umeå", "kvinno_tjejjour"),
    ("Kramfors Kvinnoforum", "kvinno_tjejjour"),
    ("Ungdomsjouren X", "kvinno_tjejjour"),
    ("Stiftelsen Tryggare Sverige", "stiftelse"),
    ("Grönsöö kulturstiftelse", "stiftelse"),
    ("Diakonistiftelsen Samariterhemmet", "stiftelse"),
    ("stiftelsen Fontänhuset", "stiftelse"),
    ("Stiftelsen Bräcke Diakoni", "stiftelse"),
    ("Kooperativet Fjället", "ekonomisk_forening"),
    ("Arbetskooperativet X ekonomisk förening", "ekonomisk_forening"),
    ("Umeå pastorat", "trossamfund"),
    ("Uddevalla pastorat", "trossamfund"),
    ("Pingstkyrkan", "trossamfund"),
    ("Svenska kyrkan i Linköping", "trossamfund"),
    ("Frälsningsarmén", "trossamfund"),
    ("Räddningsmissionen", "trossamfund"),
    ("Göteborgs Räddningsmission", "trossamfund"),
    ("Finspångs Ekumeniska LP-förening", "trossamfund"),
    ("Equmeniaförsamlingen X", "trossamfund"),
    ("Malmö FF", "ideell_forening"),
    ("Södra Trögds IK", "ideell_forening"),
    ("Fanna BK", "ideell_forening"),
    ("Ok Enen", "ideell_forening"),
    ("Röda korset", "ideell_forening"),
    ("Röda Korset i Växjö", "ideell_forening"),
    ("Rädda Barnen", "ideell_forening"),
    ("Brottsofferjouren i Linköping", "ideell_forening"),
    ("Fritidsbanken ideell förening", "ideell_forening"),
    ("Sensus studieförbund", "ideell_forening"),
    ("ABF Västerås", "ideell_forening"),
    ("RF-SISU Uppland", "ideell_forening"),
    ("Hyresgästföreningen i Västerås", "ideell_forening"),
    ("Psoriasisförbundet", "ideell_forening"),
    ("J.P. Johansson sällskapet", "ideell_forening"),
    ("Villberga hembygdsförening", "ideell_forening"),
    ("Enköpings konstförening", "ideell_forening"),
    ("Enköpings kammarkör", "ideell_forening"),
    ("Enköpings blåsorkester", "ideell_forening"),
    ("Fontänhuset Lund", "ideell_forening"),
    ("Falkenbergs Fontänhus", "ideell_forening"),
    ("Internationella kvinnoföreningen i Malmö", "ideell_forening"),
    ("Bräcke diakoni", "other"),
    ("Hela människan", "other"),
    ("Skyddsvärnet i Göteborg", "other"),
    ("Fryshuset", "other"),
    ("Yalla Trappan", "other"),
    ("ESK Fotboll", "other"),
    ("Nattvandring.nu", "other"),
    ("Locker room-talk", "other"),
    ("Journalistgruppen", "other"),  # "jour" only as a word ending
    ("Körsbärsgården", "other"),  # "kör" only as a word ending
]


@pytest.mark.parametrize("name,kind", ORG_CASES)
def test_classify_org_type(name, kind):
    assert classify_org_type([name]).iloc[0] == kind


def test_classify_org_type_dtype_and_missing():
    out = classify_org_type(pd.Series(["Umeå pastorat", None, ""], index=[4, 5, 6]))
    assert isinstance(out.dtype, pd.CategoricalDtype)
    assert list(out.cat.categories) == list(ORG_TYPES) == [
        "ideell_forening", "stiftelse", "trossamfund", "stadsmission",
        "kvinno_tjejjour", "ekonomisk_forening", "other",
    ]  # fmt: skip
    assert not out.cat.ordered
    assert out.index.tolist() == [4, 5, 6]
    assert out.iloc[0] == "trossamfund" and out.iloc[1:].isna().all()
    for lang in ("sv", "en"):
        assert set(ORG_TYPE_LABELS[lang]) == set(ORG_TYPES)


def test_classify_org_type_register(raw_register):
    reg = pd.read_csv(raw_register, dtype=str, keep_default_na=False)
    names = split_partners(reg["civil_partners"])["partner_name"]
    out = classify_org_type(names)
    assert out.notna().all()
    counts = out.value_counts()
    assert counts["stadsmission"] >= 15 and counts["kvinno_tjejjour"] >= 10


def test_normalise_org_name_keeps_words_that_are_not_legal_forms():
    out = normalise_org_name(["Sandvikens IF", "Kooperativet Fjället, ek. för.", "Stiftelsen"])
    assert out.tolist() == ["sandvikens if", "kooperativet fjället", "stiftelsen"]
    s = normalise_org_name(pd.Series(["A"], index=[7]))
    assert s.index.tolist() == [7]


def test_normalise_org_name():
    out = normalise_org_name(
        ["Bräcke diakoni", "Bräcke Diakoni", "Stiftelsen Bräcke Diakoni", "Röda korset",
         "Röda  Korset", "Fritidsbanken ideell förening", "Fritidsbanken, ideell förening",
         "Bra\u0308cke diakoni", None]
    )  # fmt: skip
    assert out.tolist() == [
        "bräcke diakoni", "bräcke diakoni", "bräcke diakoni", "röda korset", "röda korset",
        "fritidsbanken", "fritidsbanken", "bräcke diakoni", "",
    ]  # fmt: skip


# --------------------------------------------------------------------------- speed


def test_parsers_resolve_each_distinct_value_once(raw_register):
    """100 000 rows, about 150 distinct texts: each text is parsed once, not once per row (the
    speed itself is measured by benchmarks/run.py, not here)."""
    from iopstudy.register import amounts, fields, organisations

    reg = pd.read_csv(raw_register, dtype=str, keep_default_na=False)
    big = reg.sample(100_000, replace=True, random_state=1).reset_index(drop=True)
    parsers = {"date": fields._parse_date_text, "amount": amounts._parse_amount_text,
               "split": organisations._split_one, "org_type": organisations._org_type_one,
               "org_key": organisations._org_key_one}
    for f in parsers.values():
        f.cache_clear()
    parse_dates(big["start"])
    parse_dates(big["end"], role="end")
    parse_amounts(big["amount_text"])
    parts = split_partners(big["civil_partners"])
    classify_org_type(parts["partner_name"])
    normalise_org_name(parts["partner_name"])
    distinct = {"date": big["start"].nunique() + big["end"].nunique(), "amount": big["amount_text"].nunique(),
                "split": big["civil_partners"].nunique(), "org_type": parts["partner_name"].nunique(),
                "org_key": parts["partner_name"].nunique()}
    for name, f in parsers.items():
        info = f.cache_info()
        assert 0 < info.hits + info.misses <= distinct[name], (name, info, distinct[name])


# --------------------------------------------------------------------------- properties

SWEDISH = "abcdefghijklmnopqrstuvwxyzåäöÅÄÖéü0123456789 .,:;-–—/()\u00a0\u2009"
TOKENS = [
    "1", "31", "2015", "2019", "2100", "1899", "18/19", "-", "–", "till", "t.o.m.", "fr.o.m.",
    "januari", "maj", "sept.", "december", "våren", "vintern", "årsskiftet", "sista", "tills",
    "vidare", "löpande", "kr", "kronor", "mnkr", "tkr", "miljoner", "en", "fyra", "halv", "och",
    "per", "år", "årligen", "totalt", "drygt", "(år", "2021)", "minus", "1 200", "2.797.000",
    "3,5", ":-", ";", ",", "Stiftelsen", "förening", "jour",
]  # fmt: skip
texts = st.one_of(
    st.text(),
    st.text(alphabet=SWEDISH),
    st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join),
)
values = st.lists(st.one_of(texts, st.none()), max_size=8)


@settings(max_examples=200, deadline=None)
@given(values)
def test_date_and_period_parsers_never_raise(vals):
    for role in ("start", "end"):
        out = parse_dates(vals, role=role)
        assert len(out) == len(vals)
        assert out.index.equals(pd.RangeIndex(len(vals)))
        assert out["precision"].isin(["day", "month", "season", "year", "none"]).all()
        assert (out["date"].isna() == (out["precision"] == "none")).all()
        assert (out["problem"].map(type) == str).all()
    per = parse_period(vals)
    assert len(per) == len(vals)
    assert per.index.equals(pd.RangeIndex(len(vals)))


@settings(max_examples=200, deadline=None)
@given(values)
def test_amount_parser_never_raises(vals):
    out = parse_amounts(vals)
    assert len(out) == len(vals)
    assert out["text"].tolist() == ["" if v is None else v for v in vals]
    assert out["period"].isin(["per_year", "total", "one_year", "unknown"]).all()
    neg = out["amount_sek"] < 0
    assert out.loc[neg, "problem"].str.contains("negative amount").all()


@settings(max_examples=200, deadline=None)
@given(values)
def test_org_functions_never_raise(vals):
    kinds = classify_org_type(vals)
    keys = normalise_org_name(vals)
    assert len(kinds) == len(keys) == len(vals)
    assert kinds.dropna().isin(ORG_TYPES).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(texts, st.none()), max_size=8), st.sampled_from([";", "|", " ; "]))
def test_split_partners_keeps_every_nonempty_piece(vals, sep):
    out = split_partners(vals, sep=sep)
    for i, v in enumerate(vals):
        text = unicodedata.normalize("NFC", v or "")
        expected = [" ".join(p.split()) for p in text.split(sep)]
        expected = [p for p in expected if p]
        got = out.loc[out["row"] == i].sort_values("partner_index")
        assert got["partner_name"].tolist() == expected
        assert got["partner_index"].tolist() == list(range(1, len(expected) + 1))
    # nothing but separators and white space is lost
    kept = "".join("".join(n.split()) for n in out["partner_name"])
    given_ = "".join(
        "".join(unicodedata.normalize("NFC", v or "").replace(sep, "").split()) for v in vals
    )
    assert kept == given_
    assert (out["row"].diff().dropna() >= 0).all()
