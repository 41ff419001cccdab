"""Loaders and seed tables (generator: tests/test_simulate.py; pseudonymisation: tests/test_privacy.py)."""

from __future__ import annotations

import hashlib
import io
import warnings
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab.datasets import (
    load_cdnow,
    load_report,
    load_seed_table,
    load_transactions,
    to_occasions,
)
from crmlab.errors import CrmlabWarning, DataError, ParameterError

DATA = Path(__file__).resolve().parents[1] / "datasets"


def _csv(text: str, **kw) -> pd.DataFrame:
    kw.setdefault("as_of", "2030-01-01")
    return load_transactions(io.StringIO(text), **kw)


# ----------------------------------------------------------------- CDNOW
def test_cdnow_master_counts_and_total_match_the_raw_file():
    log = load_cdnow("master")
    assert len(log) == 69_659
    assert log["customer_id"].nunique() == 23_570
    raw_total = sum(
        Decimal(line.split()[-1]) for line in (DATA / "CDNOW_master.txt").read_text().splitlines()[1:]
    )
    assert round(Decimal(str(float(log["amount"].sum()))), 2) == raw_total == Decimal("2500315.63")
    assert list(log.columns) == ["customer_id", "date", "amount", "quantity"]
    assert log["date"].dtype == "datetime64[ns]" and log["amount"].dtype == "float64"
    assert log["date"].min() == pd.Timestamp("1997-01-01")
    assert log["date"].max() == pd.Timestamp("1998-06-30")
    first = log.groupby("customer_id")["date"].min()
    assert first.max() <= pd.Timestamp("1997-03-31"), "all customers were acquired in Q1 1997"


def test_cdnow_keeps_real_duplicates_and_zero_amounts():
    log = load_cdnow("master")
    assert int(log.duplicated(["customer_id", "date"]).sum()) == 2_068
    assert int(log.duplicated().sum()) == 255
    assert int((log["amount"] == 0).sum()) == 80


def test_cdnow_sample_counts_and_ids():
    log = load_cdnow("sample")
    assert len(log) == 6_919
    assert log["customer_id"].nunique() == 2_357
    assert sorted(log["sample_id"].unique()) == list(range(1, 2358))
    master = load_cdnow("master")
    assert set(log["customer_id"]) <= set(master["customer_id"])


def test_cdnow_files_match_recorded_checksums():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in ["CDNOW_master.txt", "CDNOW_sample.txt"]:
        digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert digest in readme, f"{name}: sha256 {digest} not recorded in datasets/README.md"


def test_cdnow_rejects_unknown_kind_and_missing_folder(tmp_path):
    with pytest.raises(ParameterError, match="kind must be one of"):
        load_cdnow("full")
    with pytest.raises(DataError, match="CDNOW_master.txt"):
        load_cdnow("master", path=tmp_path)


# ----------------------------------------------------------------- own CSV
GOOD = "customer_id,date,amount\na,2024-01-02,10.00\nb,2024-01-03,5.25\na,2024-02-01,12.50\n"


def test_load_transactions_reads_the_schema():
    log = _csv(GOOD)
    assert list(log.columns) == ["customer_id", "date", "amount"]
    assert log["amount"].tolist() == [10.0, 5.25, 12.5]
    assert log["date"].dtype == "datetime64[ns]"
    rep = load_report(log)
    assert rep["rows_read"] == 3 and rep["rows_returned"] == 3 and rep["rows_dropped"] == 0


def test_load_transactions_renames_columns_and_sniffs_delimiter():
    log = _csv("cust;day;spend;qty\nx;05/01/2024;3,5;2\n", customer="cust", date="day",
               amount="spend", quantity="qty", decimal=",", date_format="%d/%m/%Y")
    assert log.loc[0, "amount"] == 3.5 and log.loc[0, "date"] == pd.Timestamp("2024-01-05")
    assert log.loc[0, "quantity"] == 2.0


@pytest.mark.parametrize(
    ("text", "kwargs", "pattern"),
    [
        ("customer_id,date\na,2024-01-01\n", {}, r"missing column\(s\) 'amount'"),
        ("customer_id,date,amout\na,2024-01-01,1\n", {}, r"did you mean 'amout'"),
        ("customer_id;date;amount\na;2024-01-01;1\n", {"sep": ","}, "delimiter"),
        ("customer_id,date,amount\na,2024-01-01,1\nb,2024-13-45,2\n", {}, r"column 'date', row 2 \(line 3.*'2024-13-45'"),
        ("customer_id,date,amount\na,2024-01-01,1\nb,01/02/2024,2\n", {}, "mix date formats"),
        ("customer_id,date,amount\na,2024-01-01,abc\n", {}, r"column 'amount', row 1 \(line 2.*'abc' is not a number"),
        ("customer_id,date,amount\na,2024-01-01,$12.00\n", {}, "currency_symbols=True"),
        ("customer_id,date,amount\na,2024-01-01,\"1,200.00\"\n", {}, "thousands"),
        ("customer_id,date,amount\na,2024-01-01,nan\n", {}, "not a number"),
        ("customer_id,date,amount\na,2024-01-01,inf\n", {}, "finite"),
        ("customer_id,date,amount\n,2024-01-01,1\n", {}, "customer id is missing"),
        ("customer_id,date,amount\na,,1\n", {}, "date is missing"),
        ("customer_id,date,amount\na,2024-01-01,-5\n", {}, r"-5.0 is not positive"),
        ("customer_id,date,amount\na,2024-01-01,0\n", {}, "not positive"),
        ("customer_id,date,amount\na,2031-01-01,1\n", {}, "after 2030-01-01"),
        ("customer_id,date,amount\na,2024-01-01,1\na,2024-01-01,1\n", {"duplicates": "error"}, "repeats an earlier row"),
        ("customer_id,date,amount\n", {}, "no data rows"),
        ("", {}, "empty"),
    ],
)
def test_load_transactions_errors_name_column_row_and_value(text, kwargs, pattern):
    with pytest.raises(DataError, match=pattern):
        _csv(text, **kwargs)


def test_non_utf8_file_gives_an_encoding_hint(tmp_path):
    p = tmp_path / "gbk.csv"
    p.write_bytes("customer_id,date,amount\n张三,2024-01-01,1\n".encode("gbk"))
    with pytest.raises(DataError, match="encoding='gbk'"):
        load_transactions(p, as_of="2030-01-01")
    log = load_transactions(p, encoding="gbk", as_of="2030-01-01")
    assert log.loc[0, "customer_id"] == "张三"


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_transactions(tmp_path / "nope.csv")


def test_options_handle_rows_and_count_them():
    text = (
        "customer_id,date,amount\n"
        "a,2024-01-01,¥1,200.00\n".replace("¥1,200.00", '"¥1,200.00"')
        + "a,2024-01-01,\"¥1,200.00\"\n"
        + "b,2024-01-02,-3\n"
        + "\n"
        + "c,2031-01-02,4\n"
    )
    with pytest.warns(CrmlabWarning, match="dropped 1 rows with zero or negative"):
        log = _csv(text, currency_symbols=True, thousands=",", nonpositive="drop",
                   future="drop", duplicates="drop")
    rep = load_report(log)
    assert log["amount"].tolist() == [1200.0]
    assert rep["rows_read"] == 5 and rep["blank_lines_skipped"] == 1
    assert rep["duplicate_rows"] == 1 and rep["nonpositive_amounts"] == 1 and rep["future_dates"] == 1
    assert rep["rows_dropped"] == 3 and rep["rows_returned"] == 1
    assert rep["amounts_currency_stripped"] == 2


def test_duplicates_are_kept_by_default_with_a_count():
    with pytest.warns(CrmlabWarning, match="kept 1 rows that exactly repeat"):
        log = _csv("customer_id,date,amount\na,2024-01-01,1\na,2024-01-01,1\n")
    assert len(log) == 2 and load_report(log)["duplicate_rows"] == 1


def test_clean_file_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _csv(GOOD)


def test_bad_option_value_is_a_parameter_error():
    with pytest.raises(ParameterError, match="nonpositive must be one of"):
        _csv(GOOD, nonpositive="ignore")


# ----------------------------------------------------------------- occasions
def test_to_occasions_merges_same_day_rows_and_keeps_every_amount():
    log = load_cdnow("master")
    occ = to_occasions(log)
    assert len(occ) == 69_659 - 2_068
    assert occ["n_rows"].sum() == 69_659
    assert np.isclose(occ["amount"].sum(), log["amount"].sum())


def test_to_occasions_monthly():
    log = pd.DataFrame({"customer_id": [1, 1, 1], "amount": [1.0, 2.0, 4.0],
                        "date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-02-01"])})
    occ = to_occasions(log, freq="M")
    assert occ["amount"].tolist() == [3.0, 4.0]
    assert occ["date"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]


def test_validate_transactions_rejects_a_log_without_dates():
    with pytest.raises(DataError, match="missing column"):
        to_occasions(pd.DataFrame({"customer_id": [1], "amount": [1.0]}))


# ----------------------------------------------------------------- seeds
def test_seed_tables_hold_the_digest_numbers():
    acc = load_seed_table("accumulation")
    assert acc["b_customers"].tolist() == [100, 101, 102, 110, 125, 150]
    assert acc["ratio"].tolist() == [1.00, 1.02, 1.04, 1.22, 1.67, 3.00]
    buyers = load_seed_table("two_buyers").groupby("buyer")["amount"].sum()
    assert buyers["A"] == 185_000 and buyers["B"] == 45_000
    case = load_seed_table("software_case")
    a_direct = case.query("party == 'A' and year >= 2")["amount"].sum()
    referrals = case.query("category == 'referral'")["amount"].sum()
    assert (a_direct, referrals) == (5_150, 8_100)
    w = load_seed_table("ahp_weights").dropna(subset=["global_weight"])
    assert len(w) == 12 and abs(w["global_weight"].sum() - 1) < 2e-3
    assert len(load_seed_table("airline_rfm")) == 15


def test_unknown_seed_table():
    with pytest.raises(ParameterError, match="name must be one of"):
        load_seed_table("nope")


def test_lazy_submodules_and_error_hierarchy():
    assert crmlab.datasets is not None
    assert issubclass(crmlab.DataError, ValueError)
    assert issubclass(crmlab.ParameterError, crmlab.CrmlabError)
    with pytest.raises(AttributeError):
        crmlab.not_a_module  # noqa: B018


def test_timezone_aware_dates_keep_the_local_purchase_day():
    from crmlab.validation import validate_transactions

    log = pd.DataFrame({"customer_id": [1], "amount": [1.0],
                        "date": pd.to_datetime(["2024-03-01 00:30"]).tz_localize("Asia/Shanghai")})
    assert validate_transactions(log)["date"].iloc[0] == pd.Timestamp("2024-03-01 00:30")


# ----------------------------------------------------------------- messy real-world exports
@pytest.mark.parametrize(
    ("text", "kwargs", "dates", "amounts"),
    [
        ("customer_id,date,amount\na,2024年1月5日,10\nb,2024年12月25日,1\n", {},
         ["2024-01-05", "2024-12-25"], [10.0, 1.0]),
        ("customer_id,date,amount\na,05/02/2024,10\nb,25/01/2024,3\n", {},
         ["2024-02-05", "2024-01-25"], [10.0, 3.0]),  # a later row (25/01) settles day-first
        ("customer_id,date,amount\na,01/05/2024,10\nb,03/04/2024,3\n", {"dayfirst": True},
         ["2024-05-01", "2024-04-03"], [10.0, 3.0]),
        ("customer_id,date,amount\na,2024-01-05,１０．５\n", {}, ["2024-01-05"], [10.5]),
        ("customer_id,date,amount\na,2024-01-05,−5\n", {"nonpositive": "keep"}, ["2024-01-05"], [-5.0]),
        ("customer_id,date,amount\na,2024-01-05,(10.00)\n", {"nonpositive": "keep"}, ["2024-01-05"], [-10.0]),
        ("customer_id,date,amount\na,45296,10\n", {"date_format": "excel"}, ["2024-01-05"], [10.0]),
        ("customer_id,date,amount\na,2024-01-05,\"￥１，２００\"\n", {"currency_symbols": True, "thousands": ","},
         ["2024-01-05"], [1200.0]),
        ("\ufeffcustomer_id,date,amount\r\na,2024-01-05 13:45:00,10\r\n", {}, ["2024-01-05 13:45"], [10.0]),
    ],
)
def test_messy_exports_are_read_correctly(text, kwargs, dates, amounts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        out = _csv(text, **kwargs)
    assert out["date"].tolist() == [pd.Timestamp(d) for d in dates]
    assert out["amount"].tolist() == amounts


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("customer_id,date,amount\na,01/05/2024,10\nb,03/04/2024,3\n", "dayfirst=True or dayfirst=False"),
        ("customer_id,date,amount\na,45296,10\n", "date_format='excel'"),
        ("customer_id,date,amount\na,2024-01-05,10\nb,2024-01-06,10,extra\n", r"row 2 \(line 3.*4 fields"),
        ("customer_id,date,amount\na,2024-01-05,10,extra\n", r"row 1 \(line 2.*4 fields"),
        ("customer_id;date;amount\na;2024-01-05;10,5\n", "decimal=','"),
    ],
)
def test_ambiguous_or_broken_exports_are_named(text, pattern):
    with pytest.raises(DataError, match=pattern):
        _csv(text)


def test_accounting_negatives_are_counted():
    with pytest.warns(CrmlabWarning, match="accounting negatives"):
        out = _csv("customer_id,date,amount\na,2024-01-05,(10.00)\na,2024-01-06,4\n", nonpositive="keep")
    assert load_report(out)["amounts_parenthesised_negative"] == 1
