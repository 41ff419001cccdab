"""The SQL engines (DuckDB, Spark) agree with the pandas customer summary.

Integers (counts, days, dates) must be identical, money identical to the cent, on CDNOW,
on random logs (returns, zero lines, times of day, string ids) and on every kind of
source (DataFrame, CSV, Parquet file, Parquet directory). DuckDB runs in ``make test``;
the Spark tests are in ``test_engines_spark.py`` (a separate file, so that pytest-xdist
runs them on the other worker).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmlab import engines
from crmlab.datasets import load_cdnow, load_transactions, to_occasions
from crmlab.errors import CrmlabWarning, DataError, ParameterError
from crmlab.retention import cohort_matrix
from crmlab.summary import customer_summary

pytestmark = pytest.mark.filterwarnings("ignore::crmlab.errors.CrmlabWarning")

MONEY = ["total_spend", "purchase_spend", "first_amount", "holdout_purchase_spend",
         "holdout_spend", "spend_without_purchase", "spend_before_cohort_start", "net_amount"]
CDNOW_CASES = [
    {},
    {"as_of": "1997-09-30", "holdout_end": "1998-06-30"},
    {"as_of": "1997-12-31", "cohort_start": "1997-02-01"},
]


# ------------------------------------------------------------------ helpers
def pandas_full(log: pd.DataFrame, **kw) -> tuple[pd.DataFrame, dict]:
    """The reference: crmlab.summary.customer_summary, full view, pandas engine."""
    out = customer_summary(log, view="full", engine="pandas", **kw)
    return out, dict(out.attrs["summary"])


def assert_agree(got: tuple[pd.DataFrame, dict], want: tuple[pd.DataFrame, dict]) -> None:
    """Same index, columns and dtypes; integers exact; money to the cent."""
    (g, ga), (w, wa) = got, want
    assert list(g.columns) == list(w.columns)
    assert g.index.name == w.index.name == "customer_id"
    assert g.index.tolist() == w.index.tolist()
    assert dict(g.dtypes) == dict(w.dtypes)
    for col in g.columns:
        if col in MONEY:
            assert np.array_equal(np.round(g[col].to_numpy() * 100),
                                  np.round(w[col].to_numpy() * 100)), col
        else:
            assert np.array_equal(g[col].to_numpy(), w[col].to_numpy()), col
    assert set(ga) == set(wa), set(ga) ^ set(wa)
    for key in wa:
        if key in MONEY:
            assert round(ga[key] * 100) == round(wa[key] * 100), key
        else:
            assert ga[key] == wa[key], key
    assert isinstance(ga["as_of"], pd.Timestamp)


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return load_cdnow("master")


@pytest.fixture(scope="module")
def cdnow_files(cdnow, tmp_path_factory) -> dict[str, str]:
    """CDNOW as a CSV file, a Parquet file and a directory of 8 Parquet files."""
    d = tmp_path_factory.mktemp("cdnow")
    csv = d / "cdnow.csv"
    cdnow.assign(date=cdnow["date"].dt.strftime("%Y%m%d")).to_csv(csv, index=False)
    return {
        "csv": str(csv),
        "parquet": str(engines.save_parquet(cdnow, d / "cdnow.parquet")),
        "parquet_dir": str(engines.save_parquet(cdnow, d / "parts", rows_per_file=9_000)),
    }


@st.composite
def messy_logs(draw, max_rows: int = 40):
    """Logs with returns, zero lines, several rows a day, times of day and string ids."""
    n = draw(st.integers(1, max_rows))
    ids = draw(st.lists(st.sampled_from(["a", "b", "B", "10", "9", "é", "客户7"]),
                        min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 90), min_size=n, max_size=n))
    seconds = draw(st.lists(st.integers(0, 86_399), min_size=n, max_size=n))
    cents = draw(st.lists(st.one_of(st.integers(-5_000, 20_000), st.just(0),
                                    st.sampled_from([1, -1, 10, 333])),
                          min_size=n, max_size=n))
    log = pd.DataFrame({
        "customer_id": ids,
        "date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")
                 + pd.to_timedelta(seconds, unit="s")).astype("datetime64[ns]"),
        "amount": np.array(cents, dtype="int64") / 100.0,
    })
    first, last = min(days), max(days)
    as_of = pd.Timestamp("2024-01-01") + pd.Timedelta(days=draw(st.integers(first, last + 3)))
    kw: dict = {"as_of": as_of}
    if draw(st.booleans()):
        kw["holdout_end"] = as_of + pd.Timedelta(days=draw(st.integers(1, 40)))
    if draw(st.booleans()):
        kw["cohort_start"] = pd.Timestamp("2024-01-01") + pd.Timedelta(days=draw(st.integers(0, 60)))
    return log, kw


# ------------------------------------------------------------------ DuckDB: agreement
@pytest.mark.parametrize("kw", CDNOW_CASES, ids=["default", "holdout", "cohort"])
def test_duckdb_matches_pandas_on_cdnow(cdnow, kw):
    assert_agree(engines.engine_summary(cdnow, **kw), pandas_full(cdnow, **kw))


@pytest.mark.parametrize("kind", ["parquet", "parquet_dir"])
def test_duckdb_reads_parquet_where_it_lies_and_agrees(cdnow, cdnow_files, kind):
    kw = CDNOW_CASES[1]
    assert_agree(engines.engine_summary(cdnow_files[kind], **kw), pandas_full(cdnow, **kw))


def test_duckdb_reads_csv_with_text_ids_and_compact_dates(cdnow, cdnow_files):
    # a CSV has no types: ids come back as text (as load_transactions reads them)
    got = engines.engine_summary(cdnow_files["csv"])
    as_text = cdnow.assign(customer_id=cdnow["customer_id"].astype(str))
    assert_agree(got, pandas_full(as_text))


def test_cdnow_numbers_and_money_reconcile(cdnow):
    full, attrs = engines.engine_summary(cdnow)
    # 23,570 customers; 68 of them have one zero-dollar row and nothing else
    assert len(full) == 23_570 - 68 and attrs["customers_without_purchase"] == 68
    assert full["n_rows"].sum() == 69_659 - 68
    assert round(full["total_spend"].sum() + attrs["spend_without_purchase"], 2) == \
        round(cdnow["amount"].sum(), 2) == 2_500_315.63
    assert (full["purchases"] == full["repeat_purchases"] + 1).all()
    assert (full["tenure_days"] == full["recency_days"] + full["span_days"]).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_logs())
def test_duckdb_matches_pandas_on_random_logs(case):
    log, kw = case
    try:
        want = pandas_full(log, **kw)
    except DataError:  # e.g. no purchase on or before as_of: the engine refuses it too
        with pytest.raises(DataError):
            engines.engine_summary(log, **kw)
        return
    got = engines.engine_summary(log, **kw)
    assert_agree(got, want)
    full, attrs = got
    # money reconciles exactly: summary + left out == all rows up to as_of
    upto = log.loc[log["date"].dt.normalize() <= kw["as_of"], "amount"]
    left_out = attrs["spend_without_purchase"] + attrs["spend_before_cohort_start"]
    assert round((full["total_spend"].sum() + left_out) * 100) == round(upto.sum() * 100)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_logs())
def test_duckdb_occasions_match_to_occasions(case):
    log, _ = case
    got = engines.engine_occasions(log)
    want = to_occasions(log)
    assert got["customer_id"].tolist() == want["customer_id"].tolist()
    assert got["date"].tolist() == want["date"].tolist()
    assert got["n_rows"].tolist() == want["n_rows"].tolist()
    assert np.array_equal(np.round(got["amount"] * 100), np.round(want["amount"] * 100))


def _purchase_log(log: pd.DataFrame, as_of) -> pd.DataFrame:
    """Purchase occasions as a log: what the engine's cohort matrix counts."""
    occ = to_occasions(log)
    occ = occ[(occ["amount"] > 0) & (occ["date"] <= as_of)]
    return occ[["customer_id", "date", "amount"]].reset_index(drop=True)


@pytest.mark.parametrize("period", ["W", "M", "Q", "Y"])
@pytest.mark.parametrize("value", ["rate", "count", "revenue", "revenue_per_customer"])
def test_duckdb_cohort_matrix_matches_retention_on_cdnow(cdnow, period, value):
    as_of = pd.Timestamp("1998-06-30")
    got = engines.engine_cohort_matrix(cdnow, period, value, as_of=as_of)
    want = cohort_matrix(_purchase_log(cdnow, as_of), period, value, as_of=as_of)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=0, atol=1e-9)
    assert got.attrs["cohort_size"] == want.attrs["cohort_size"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_logs(), st.sampled_from(["W", "M"]))
def test_duckdb_cohort_matrix_matches_retention_on_random_logs(case, period):
    log, kw = case
    plog = _purchase_log(log, kw["as_of"])
    if plog.empty:
        return
    got = engines.engine_cohort_matrix(log, period, "count", as_of=kw["as_of"], max_periods=6)
    want = cohort_matrix(plog, period, "count", as_of=kw["as_of"], max_periods=6)
    pd.testing.assert_frame_equal(got, want)


def test_cohort_matrix_before_every_purchase_is_one_error_on_both_engines():
    log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 5.0, 7.0],
                        "date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-01"])})
    messages = []
    for run in (engines.engine_cohort_matrix, cohort_matrix):
        with pytest.raises(DataError) as err:
            run(log, as_of="2023-01-01")
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "up to 2023-01-01" in messages[0] and "from 2024-01-05 to 2024-03-01" in messages[0]


def test_customer_summary_dispatches_to_the_engine_for_every_view(cdnow_files, cdnow):
    kw = {"as_of": "1997-09-30", "holdout_end": "1998-06-30"}
    for view in ["rfm", "btyd"]:
        got = customer_summary(cdnow_files["parquet"], view=view, engine="duckdb", **kw)
        want = customer_summary(cdnow, view=view, **kw)
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=0, atol=0.005)
        assert got.attrs.keys() == want.attrs.keys()


def test_customers_left_out_are_announced_as_on_the_pandas_path():
    log = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [5.0, -2.0, 3.0],
                        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-02-01"])})
    with pytest.warns(CrmlabWarning) as got:
        full, attrs = engines.engine_summary(log, as_of="2024-01-31")
    with pytest.warns(CrmlabWarning) as want:
        customer_summary(log, as_of="2024-01-31")
    assert [str(w.message) for w in got] == [str(w.message) for w in want]
    assert attrs["customers_without_purchase"] == 1 and attrs["customers_after_as_of"] == 1
    assert attrs["rows_after_as_of"] == 1 and attrs["net_amount"] == 3.0


def test_as_of_before_the_log_and_no_purchase_are_refused_as_in_pandas():
    log = pd.DataFrame({"customer_id": ["a", "b"], "amount": [0.0, -2.0],
                        "date": pd.to_datetime(["2024-01-05", "2024-01-06"])})
    for kw in [{"as_of": "2024-01-01"}, {}]:
        with pytest.raises(DataError) as want:
            customer_summary(log, **kw)
        with pytest.raises(DataError) as got:
            engines.engine_summary(log, **kw)
        assert str(got.value) == str(want.value)
    with pytest.raises(ParameterError, match="holdout_end= needs as_of="):
        engines.engine_summary(log, holdout_end="2024-02-01")
    for kw in [{"as_of": "2300-01-01"}, {"as_of": "2024-01-06", "cohort_start": "1600-01-01"}]:
        with pytest.raises(ParameterError) as want:  # one date rule (crmlab.summary._dates)
            customer_summary(log, **kw)
        with pytest.raises(ParameterError) as got:
            engines.engine_summary(log, **kw)
        assert str(got.value) == str(want.value) and "outside the supported years" in str(got.value)


@pytest.fixture(scope="module")
def messy_log():
    """The messy line-item export of crmlab.simulate, loaded by the loader (guests dropped)."""
    from crmlab.simulate import MESSY_COLUMNS, messy_export

    export, truth = messy_export(300, seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        log = load_transactions(export, **MESSY_COLUMNS, missing_customer="drop",
                                nonpositive="net", as_of=truth["last_day"])
    return log, truth


def test_duckdb_matches_pandas_on_the_messy_export(messy_log, tmp_path):
    log, truth = messy_log
    as_of = pd.Timestamp(truth["last_day"]) - pd.Timedelta(days=120)
    kw = {"as_of": as_of, "holdout_end": truth["last_day"]}
    want = pandas_full(log, **kw)
    assert_agree(engines.engine_summary(log, **kw), want)
    parquet = engines.save_parquet(log, tmp_path / "messy.parquet")
    assert_agree(engines.engine_summary(parquet, **kw), want)
    full, attrs = engines.engine_summary(log)
    assert round(full["total_spend"].sum() + attrs["spend_without_purchase"], 2) == \
        round(truth["net_amount"], 2)


# ------------------------------------------------------------------ bad input through SQL
def _write(tmp_path, text: str, name: str = "log.csv") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_missing_column_is_named_with_a_hint(tmp_path):
    path = _write(tmp_path, "customer_id,date,amonut\na,2024-01-02,10\n")
    with pytest.raises(DataError, match=r"missing column\(s\) 'amount' \(did you mean 'amonut'\?\)"):
        engines.engine_summary(path)


def test_missing_column_in_parquet_is_named(tmp_path, cdnow):
    path = engines.save_parquet(cdnow.head(10), tmp_path / "x.parquet")
    with pytest.raises(DataError, match=r"'amt' \(did you mean 'amount'\?\)"):
        engines.engine_summary(path, amount="amt")


def test_renamed_columns_are_read(tmp_path):
    path = _write(tmp_path, "会员号;下单日期;金额\nA1;2024-01-02 10:00;10.5\nA1;2024-01-09;-0.5\n")
    full, attrs = engines.engine_summary(path, customer="会员号", date="下单日期", amount="金额")
    assert full.loc["A1", "purchases"] == 1 and full.loc["A1", "nonpurchase_days"] == 1
    assert full.loc["A1", "total_spend"] == 10.0 and attrs["as_of"] == pd.Timestamp("2024-01-09")


@pytest.mark.parametrize(("text", "says"), [
    pytest.param("customer_id,date,amount\na,2024-01-02,10\nb,2024-01-03,abc\n",
                 r"column 'amount': 'abc' is not a number \(1 such rows\)", id="non_numeric_amount_names_column_and_value"),
    pytest.param("customer_id,date,amount\na,2024-01-02,$10.00\n",
                 r"'\$10.00' is not a number.*currency_symbols=True", id="amount_with_currency_sign_gets_a_hint"),
    pytest.param("customer_id,date,amount\na,2024-01-02,\n",
                 r"column 'amount': '' is not a number.*value is missing", id="missing_amount_is_named"),
    pytest.param("customer_id,date,amount\na,2024-01-02,10\nb,2024-13-45,5\n",
                 r"column 'date': '2024-13-45' is not", id="unparseable_date_names_column_and_value"),
    pytest.param("customer_id,date,amount\na,20240102,10\nb,2024-01-03,5\n",
                 r"'2024-01-03' is not in the date format '20240131'", id="mixed_date_formats_are_reported"),
    pytest.param("customer_id,date,amount\na,2024年1月2日,10\n",
                 r"'2024年1月2日' is not a date format .*load_transactions", id="unknown_date_format_says_what_is_read"),
    pytest.param("customer_id,date,amount\n ,2024-01-02,10\n",
                 r"column 'customer_id': customer id is missing", id="missing_customer_id_is_named"),
])
def test_bad_values_name_the_column_and_the_value(tmp_path, text, says):
    with pytest.raises(DataError, match=says):
        engines.engine_summary(_write(tmp_path, text))


def test_bad_source_and_parameters():
    with pytest.raises(DataError, match="file not found"):
        engines.engine_summary("no/such/file.csv")
    with pytest.raises(DataError, match="source must be"):
        engines.engine_summary(42)
    log = pd.DataFrame({"customer_id": [1], "date": pd.to_datetime(["2024-01-01"]),
                        "amount": [1.0]})
    with pytest.raises(ParameterError, match="engine must be one of"):
        engines.engine_summary(log, engine="sqlite")
    with pytest.raises(ParameterError, match=r"holdout_end \(2024-01-05\) must be after as_of"):
        engines.engine_summary(log, as_of="2024-01-05", holdout_end="2024-01-05")
    with pytest.raises(ParameterError, match="as_of must be a date"):
        engines.engine_summary(log, as_of="soon")
    with pytest.raises(DataError, match="column 'amount'"):
        engines.engine_summary(log.assign(amount=["x"]))


def test_a_duckdb_connection_can_be_passed_and_is_left_clean(cdnow):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 1")
    got = engines.engine_summary(cdnow.head(500), engine=con)
    assert_agree(got, pandas_full(cdnow.head(500)))
    left = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    assert left == []


def test_the_sql_text_is_shared_by_both_engines():
    sql = engines.summary_sql(10_000, holdout_end_day=10_100, cohort_start_day=9_900)
    for text in sql.values():
        assert "duckdb" not in text.lower() and "unix_date" not in text
    assert "first_purchase >= 9900" in sql["summary"]


# ----------------------------------------------------------------------------- reading a CSV like the loader
@pytest.mark.parametrize("cut", [1, 2])
def test_a_character_cut_by_the_64k_sample_is_not_an_encoding_error(tmp_path, cut):
    """Valid UTF-8 over 64 KiB whose byte 65,536 falls inside a character ('客', 3 bytes) is read."""
    lines = ["customer_id,date,amount,note"]
    lines += [f"{i % 40},2024-01-{i % 28 + 1:02d},10.5,客户备注" for i in range(3000)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    start = data.index("客".encode(), 65_536 - 40)     # a character near the sample's end
    pad = 65_536 - start - cut                                # move it so the sample ends inside it
    data = data.replace(b"note\n", b"note" + b"x" * pad + b"\n", 1)
    with pytest.raises(UnicodeDecodeError):
        data[:65_536].decode("utf-8")
    f = tmp_path / "notes.csv"
    f.write_bytes(data)
    full, _ = engines.engine_summary(f)
    with pytest.warns(CrmlabWarning, match="exactly repeat"):
        log = load_transactions(f)
    assert full["purchases"].sum() == customer_summary(log)["purchases"].sum() == 280  # lcm(40, 28) days


def test_the_engines_and_the_loader_agree_on_the_delimiter(tmp_path):
    """A header with commas in a quoted name but ';' between fields: one rule for both readers."""
    f = tmp_path / "semi.csv"
    f.write_text('customer_id;date;amount;"note, free, text, here"\n1;2024-01-02;5;a\n2;2024-01-03;7;b, c\n'
                 '1;2024-01-09;3;d\n', encoding="utf-8")
    full, _ = engines.engine_summary(f)
    ref = customer_summary(load_transactions(f))
    assert full["purchases"].tolist() == ref["purchases"].tolist() == [2, 1]
    assert full["total_spend"].tolist() == ref["total_spend"].tolist() == [8.0, 7.0]


def test_the_engines_and_the_loader_check_columns_and_paths_alike(tmp_path):
    """One missing-column message and one path check for both readers (crmlab.datasets)."""
    typo = tmp_path / "typo.csv"
    typo.write_text("customer_id,date,amonut\na,2024-01-02,10\n", encoding="utf-8")
    messages = []
    for read in (engines.engine_summary, load_transactions):
        with pytest.raises(DataError) as info:
            read(typo)
        messages.append(str(info.value))
    head = f"{typo} is missing column(s) 'amount' (did you mean 'amonut'?); its header has "
    assert all(m.startswith(head) for m in messages), messages
    assert messages[0].endswith("Name your columns with customer=, date=, amount=")
    assert messages[1].endswith("Name your columns with customer=, date=, amount= (or quantity= and price=)")
    # a DataFrame is not a CSV file: its header is shown, never 'does not look like a CSV ...'
    with pytest.raises(DataError, match=r"the DataFrame is missing column\(s\) 'customer_id', 'date', "
                                        r"'amount'; its header has \[\"'x'\"\]"):
        engines.engine_summary(pd.DataFrame({"x": [1]}))
    # an empty path is not the working directory (it was scanned as a Parquet folder)
    for read in (engines.engine_summary, load_transactions):
        with pytest.raises(ParameterError, match="the file path is empty"):
            read("")
        with pytest.raises(DataError, match=r"file not found: .*nothere\.csv$"):
            read(tmp_path / "nothere.csv")


def test_a_partial_last_period_is_announced_by_both_engines():
    log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 5.0, 7.0],
                        "date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-01"])})
    notes = []
    for run, name in ((engines.engine_cohort_matrix, "engine_cohort_matrix"), (cohort_matrix, "cohort_matrix")):
        with pytest.warns(CrmlabWarning, match=rf"{name}: observation ends 2024-03-01, inside period "
                                               r"2024-03 \(1 of 31 days observed\)") as got:
            run(log)
        notes.append(str(got[0].message).split(": ", 1)[1])
    assert notes[0] == notes[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", CrmlabWarning)
        for run in (engines.engine_cohort_matrix, cohort_matrix):
            run(log, as_of="2024-03-31")  # March observed to its last day: no note
