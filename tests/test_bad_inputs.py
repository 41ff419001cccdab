"""Catalogue of malformed inputs across the loaders and public crmlab functions.

Every case must end in a ``crmlab.CrmlabError`` (``DataError`` for data,
``ParameterError`` for arguments) whose message names the problem — the
column, row and value where there is one — and never in a raw pandas/numpy
traceback or a silent drop. Cases that crmlab handles on request (returns,
duplicates, future dates, blank lines, currency signs) are in the second
half, each with the count it reports.
"""

from __future__ import annotations

import gzip
import io
import warnings

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import ahp, btyd, clv, finance, lifecycle, retention, rfm, segmentation, survival, value
from crmlab.datasets import load_report, load_transactions, to_occasions
from crmlab.errors import CrmlabError, CrmlabWarning, DataError, ParameterError

AS_OF = "2030-01-01"


def csv(text: str, **kw):
    kw.setdefault("as_of", AS_OF)
    return lambda: load_transactions(io.StringIO(text), **kw)


def log(**overrides) -> pd.DataFrame:
    base = {
        "customer_id": [1, 1, 2, 3],
        "date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-10", "2024-04-01"]),
        "amount": [10.0, 20.0, 5.0, 7.5],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def summary(**overrides) -> pd.DataFrame:
    base = {"frequency": [0, 2, 1], "recency": [0.0, 10.0, 3.0], "T": [20.0, 30.0, 12.0]}
    base.update(overrides)
    return pd.DataFrame(base)


H = "customer_id,date,amount\n"
CONSISTENT = np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])

# (id, call, expected error class, fragment the message must contain)
CASES = [
    # ---- loaders: structure
    ("empty file", csv(""), DataError, "empty"),
    ("header only", csv(H), DataError, "no data rows"),
    ("missing column", csv("customer_id,date\na,2024-01-01\n"), DataError, "'amount'"),
    ("misspelled column", csv("customer_id,date,amout\na,2024-01-01,1\n"), DataError, "did you mean"),
    ("wrong delimiter", csv("customer_id;date;amount\na;2024-01-01;1\n", sep=","), DataError, "delimiter"),
    ("missing file", lambda: load_transactions("/nonexistent/x.csv"), DataError, "file not found"),
    ("not UTF-8 (GBK bytes)", lambda: load_transactions(
        io.BytesIO((H + "张三,2024-01-01,1\n").encode("gbk")), as_of=AS_OF), DataError, "encoding="),
    # ---- loaders: values
    ("unparseable date", csv(H + "a,2024-02-30,1\n"), DataError, "'2024-02-30'"),
    ("mixed date formats", csv(H + "a,2024-01-01,1\nb,03/01/2024,1\n"), DataError, "row 2"),
    ("missing date", csv(H + "a,,1\n"), DataError, "date is missing"),
    ("missing customer id", csv(H + ",2024-01-01,1\n"), DataError, "customer id is missing"),
    ("text in amount", csv(H + "a,2024-01-01,twelve\n"), DataError, "'twelve' is not a number"),
    ("currency symbol", csv(H + "a,2024-01-01,¥12\n"), DataError, "currency_symbols=True"),
    ("thousands separator", csv(H + 'a,2024-01-01,"1,234.50"\n'), DataError, "thousands"),
    ("NaN amount", csv(H + "a,2024-01-01,NaN\n"), DataError, "missing"),
    ("infinite amount", csv(H + "a,2024-01-01,inf\n"), DataError, "finite"),
    ("negative amount (return)", csv(H + "a,2024-01-01,-9.99\n"), DataError, "nonpositive="),
    ("zero amount", csv(H + "a,2024-01-01,0\n"), DataError, "not positive"),
    ("future date", csv(H + "a,2031-05-01,1\n"), DataError, "future="),
    ("duplicate rows refused", csv(H + "a,2024-01-01,1\na,2024-01-01,1\n", duplicates="error"),
     DataError, "repeats an earlier row"),
    ("bad option value", csv(H + "a,2024-01-01,1\n", duplicates="maybe"), ParameterError, "duplicates"),
    # ---- in-memory logs
    ("log is not a DataFrame", lambda: to_occasions([1, 2, 3]), DataError, "DataFrame"),
    ("log without dates", lambda: to_occasions(log().drop(columns="date")), DataError, "'date'"),
    ("empty log", lambda: to_occasions(log().iloc[:0]), DataError, "empty"),
    ("NaN amount in a log", lambda: to_occasions(log(amount=[1.0, np.nan, 2.0, 3.0])), DataError, "row 1"),
    ("infinite amount in a log", lambda: to_occasions(log(amount=[1.0, 2.0, np.inf, 3.0])), DataError, "infinite"),
    ("text date in a log", lambda: to_occasions(log(date=["2024-01-01", "soon", "2024-01-02", "2024-01-03"])),
     DataError, "'soon'"),
    # ---- RFM / segmentation
    ("RFM on an empty log", lambda: rfm.rfm_table(log().iloc[:0]), DataError, "empty"),
    ("RFM as_of before every purchase", lambda: rfm.rfm_table(log(), as_of="2000-01-01"), DataError, "2000-01-01"),
    ("RFM missing column", lambda: rfm.rfm_table(log().drop(columns="amount")), DataError, "amount"),
    ("quantile scores q < 2", lambda: rfm.quantile_scores([1, 2, 3], q=1), ParameterError, "q"),
    ("Gini of negative values", lambda: segmentation.gini([5.0, -1.0]), DataError, "-1"),
    ("ABC thresholds out of order", lambda: segmentation.abc_analysis([3.0, 2.0, 1.0], thresholds=(0.9, 0.5)),
     ParameterError, "threshold"),
    # ---- AHP
    ("AHP non-reciprocal", lambda: ahp.analyze([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1, 1]]), DataError, "recipro"),
    ("AHP zero judgment", lambda: ahp.analyze([[1, 0], [0, 1]]), DataError, "positive"),
    ("AHP negative judgment", lambda: ahp.analyze([[1, -2], [-0.5, 1]]), DataError, "positive"),
    ("AHP non-square", lambda: ahp.analyze([[1, 2, 3], [0.5, 1, 2]]), DataError, "square"),
    ("AHP NaN", lambda: ahp.analyze([[1, np.nan], [np.nan, 1]]), DataError, "NaN"),
    ("AHP diagonal not 1", lambda: ahp.analyze([[2, 2], [0.5, 1]]), DataError, "diagonal"),
    ("AHP unknown method", lambda: ahp.analyze(CONSISTENT, method="magic"), ParameterError, "method"),
    # ---- CLV / retention
    ("retention of 1, no discounting", lambda: finance.retention_clv(100, 1.0, 0.0), ParameterError, "diverges"),
    ("retention above 1", lambda: finance.retention_clv(100, 1.2, 0.1), ParameterError, "retention"),
    ("retention typed in percent", lambda: finance.retention_clv(100, 80, 0.1), ParameterError, "percentage"),
    ("negative retention", lambda: finance.retention_clv(100, -0.1, 0.1), ParameterError, "retention"),
    ("discount of -100%", lambda: finance.retention_clv(100, 0.8, -1.0), ParameterError, "discount"),
    ("discount typed in percent", lambda: finance.retention_clv(100, 0.8, 10), ParameterError,
     "10 means 1000%; write 0.1"),
    ("discount of 100%", lambda: finance.npv([1, 2], 1.0), ParameterError, "percentage"),
    ("negative horizon", lambda: finance.retention_clv(100, 0.8, 0.1, horizon=-3), ParameterError, "horizon"),
    ("mismatched arrays", lambda: finance.retention_clv([100, 200], [0.8, 0.7, 0.6], 0.1), ParameterError, ""),
    ("non-positive churn threshold", lambda: retention.churn_status(log(), 0), ParameterError, "threshold"),
    ("text churn threshold", lambda: retention.churn_status(log(), "90"), ParameterError, "threshold"),
    ("censoring flags as text", lambda: survival.kaplan_meier([1, 2, 3], ["yes", "no", "yes"]), DataError, "yes"),
    ("censoring flags of 2", lambda: survival.kaplan_meier([1, 2, 3], [1, 2, 0]), DataError, "2"),
    ("negative durations", lambda: survival.kaplan_meier([1, -2, 3], [1, 0, 1]), DataError, "-2"),
    # ---- BTYD summaries
    ("BTYD negative frequency", lambda: btyd.validate_summary(summary(frequency=[0, -1, 1])), DataError, "row 1"),
    ("BTYD frequency>0 with recency 0", lambda: btyd.validate_summary(summary(recency=[0.0, 0.0, 3.0])),
     DataError, "row 1"),
    ("BTYD recency > T", lambda: btyd.validate_summary(summary(recency=[0.0, 40.0, 3.0])), DataError, "row 1"),
    ("BTYD NaN in T", lambda: btyd.validate_summary(summary(T=[20.0, np.nan, 12.0])), DataError, "row 1"),
    ("BTYD non-integer frequency", lambda: btyd.validate_summary(summary(frequency=[0, 1.5, 1])), DataError, "1.5"),
    ("BTYD summary missing column", lambda: btyd.fit_bgnbd(summary().drop(columns="recency")), DataError, "recency"),
    # ---- date parameters (one parser, crmlab.validation.check_date, behind every as_of)
    ("unparseable as_of (CLV)", lambda: clv.historical_value(log(), as_of="soon"), ParameterError, "'soon'"),
    ("unparseable as_of (RFM)", lambda: rfm.rfm_table(log(), as_of="31/02/2024"), ParameterError, "as_of"),
    ("unparseable calibration end (BTYD)", lambda: btyd.summarize(log(), "next year"), ParameterError,
     "calibration_end"),
    ("unparseable simulation start", lambda: crmlab.simulate.simulate_transactions(5, start="bad"),
     ParameterError, "start"),
    # ---- lifecycle / value
    ("stages of a log without dates", lambda: lifecycle.assign_stages(log().drop(columns="date"), "2024-06-01"),
     DataError, "date"),
    ("stages before any purchase", lambda: lifecycle.assign_stages(log(), "2000-01-01"), DataError, ""),
    ("delivered value negative cost", lambda: value.delivered_value(
        {"product": 10, "service": 1, "personnel": 1, "image": 1},
        {"monetary": -5, "time": 1, "energy": 1, "physical": 1}), DataError, "-5"),
    ("delivered value zero total cost (relative)", lambda: value.delivered_value(
        {"product": 10, "service": 1, "personnel": 1, "image": 1},
        {"monetary": 0, "time": 0, "energy": 0, "physical": 0}, form="relative"), DataError, "0"),
    ("delivered value missing component", lambda: value.delivered_value(
        {"product": 10, "service": 1, "personnel": 1},
        {"monetary": 5, "time": 1, "energy": 1, "physical": 1}), DataError, "image"),
]


@pytest.mark.parametrize(("case", "call", "error", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_crmlab_error(case, call, error, fragment):
    _raises_named(call, error, fragment)


def _raises_named(call, error, fragment) -> None:
    """``call()`` raises ``error`` (a CrmlabError) whose message says what is wrong and holds
    ``fragment``; warnings on the way are ignored."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        with pytest.raises(error) as info:
            call()
    assert isinstance(info.value, CrmlabError)
    assert fragment.lower() in str(info.value).lower(), str(info.value)
    assert len(str(info.value)) > 15, "the message should say what is wrong"


def test_the_catalogue_is_large_and_distinct():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)) and len(names) >= 30


# ================================================================== round two (issue 19)
# Whole classes of hostile input, each case naming the column/row/value it must report.
# The raw-frame cases pass a DataFrame straight to a summary, bypassing the loader: what the
# loader refuses, they refuse too (crmlab.validation.validate_transactions).
def frame(n: int = 4, **overrides) -> pd.DataFrame:
    return log(**overrides).iloc[:n]


def cols(*names: str, row=("a", "2024-01-02", 5.0, 6.0)) -> pd.DataFrame:
    return pd.DataFrame([list(row[: len(names)])], columns=list(names))


S9999 = np.array(["2024-01-01", "9999-12-31", "2024-01-03", "2024-01-04"], dtype="datetime64[s]")
LINE_ITEMS = {"customer": "c", "date": "d", "quantity": "q", "price": "p"}

# --- round two: dates
R2_DATES = [
    ("date placeholder 9999-12-31", csv(H + "a,2024-01-02,1\nb,9999-12-31,2\n"), DataError,
     "row 2 (line 3 of the file): '9999-12-31' is outside the supported years 1678-2261"),
    ("date 1677-09-21 below the range", csv(H + "a,1677-09-21,1\n"), DataError, "'1677-09-21' is outside"),
    ("date year 0", csv(H + "a,2024-01-02,1\nb,0000-01-01,1\n"), DataError, "'0000-01-01' is outside"),
    ("date 2262-04-12 above the range", csv(H + "a,2262-04-12,1\n"), DataError, "'2262-04-12' is outside"),
    ("date year 10000", csv(H + "a,2024-01-02,1\nb,10000-01-01,1\n"), DataError, "'10000-01-01'"),
    ("Excel serial negative", csv(H + "a,-5,1\n", date_format="excel"), DataError, "'-5' is not an Excel serial"),
    ("Excel serial beyond 2190", csv(H + "a,3000000,1\n", date_format="excel"), DataError, "'3000000'"),
    ("offset 'Z' without timezone=", csv(H + "a,2024-01-05T23:30:00Z,1\n"), DataError, "timezone="),
    ("offset on some rows only", csv(H + "a,2024-01-05T10:00:00+01:00,1\nb,2024-01-05T10:00:00,1\n",
                                     timezone="UTC"), DataError, "row 2 (line 3 of the file)"),
    ("DataFrame source datetime64[s] 9999", lambda: load_transactions(frame(date=S9999), as_of=AS_OF),
     DataError, "row 1 (index 1): '9999-12-31 00:00:00' is outside"),
    ("raw frame dates as seconds", lambda: crmlab.summary.customer_summary(frame(date=[1.7e9, 1.7e9, 1.8e9, 1.8e9])),
     DataError, "is a number, not a date"),
    ("raw frame dates mixing text and numbers", lambda: rfm.rfm_table(
        frame(date=["2024-01-05", 20240105, "2024-01-07", "2024-01-08"])), DataError, "row 1: 20240105 is a number"),
    ("raw frame datetime64[s] 9999", lambda: crmlab.summary.customer_summary(frame(date=S9999)), DataError,
     "row 1: '9999-12-31 00:00:00' is outside"),
    ("raw frame text 9999-12-31", lambda: rfm.rfm_table(frame(date=["2024-01-01", "2024-01-02", "9999-12-31", "2024-01-03"])),
     DataError, "row 2: '9999-12-31 00:00:00' is outside"),
    ("summary as_of 9999-12-31", lambda: crmlab.summary.customer_summary(log(), as_of="9999-12-31"), ParameterError,
     "as_of 9999-12-31 is outside the supported years"),
    ("summary holdout_end in year 1000", lambda: crmlab.summary.customer_summary(
        log(), as_of="2024-03-01", holdout_end="1000-01-01"), ParameterError, "holdout_end 1000-01-01"),
    ("unknown time zone", csv(H + "a,2024-01-02,1\n", timezone="Mars/Base"), ParameterError, "'Mars/Base'"),
    ("date_format with a bad directive", csv(H + "a,2024-01-02,1\n", date_format="%Q"), ParameterError, "'%Q'"),
    ("dayfirst as text", csv(H + "a,02/01/2024,1\n", dayfirst="yes"), ParameterError, "dayfirst"),
]
# --- round two: numbers
R2_NUMBERS = [
    ("quantity × price beyond 2**53 cents", csv("c,d,q,p\na,2024-01-02,1e14,1e14\n", **LINE_ITEMS), DataError,
     "'q × p', row 1 (line 2 of the file): 1e+28"),
    ("amounts whose sum passes 2**53 cents", csv(H + "a,2024-01-02,9e12\n" * 12), DataError,
     "row 11 (line 12 of the file): 9e+12 takes the sum of absolute amounts beyond"),
    ("quantity inf", csv("c,d,q,p\na,2024-01-02,inf,2\n", **LINE_ITEMS), DataError, "'q', row 1 (line 2 of the file): 'inf'"),
    ("negative quantity at a negative price", csv("c,d,q,p\na,2024-01-02,2,3\na,2024-01-03,-2,-3\n", **LINE_ITEMS),
     DataError, "row 2 (line 3 of the file): quantity -2 at a negative price -3"),
    ("price 1e400 (overflows to inf)", csv("c,d,q,p\na,2024-01-02,1,1e400\n", **LINE_ITEMS), DataError, "'1e400'"),
    ("thousands equal to decimal", csv(H + "a,2024-01-02,12.50\n", thousands="."), ParameterError, "same mark"),
    ("digit groups of 1,2,3", csv(H + 'a,2024-01-02,"1,2,3"\n', thousands=","), DataError,
     "'1,2,3' does not group digits in threes"),
    ("trailing minus 12.50-", csv(H + "a,2024-01-02,12.50-\n"), DataError, "'12.50-' is not a number"),
    ("amount 1.000,5 without options", csv(H + 'a,2024-01-02,"1.000,5"\n'), DataError, "'1.000,5'"),
    ("raw frame amounts near 1e308", lambda: crmlab.summary.customer_summary(frame(amount=[1e308, 1e308, 1.0, 1.0])),
     DataError, "row 0: 1e+308 takes the sum"),
    ("raw frame complex amounts", lambda: rfm.rfm_table(frame(amount=[1 + 1j, 2, 3, 4])), DataError, "complex"),
    ("DataFrame source complex amounts", lambda: load_transactions(frame(amount=[1 + 1j, 2, 3, 4]), as_of=AS_OF),
     DataError, "complex"),
    ("raw frame amount 1e20", lambda: btyd.summarize(frame(amount=[1e20, 1.0, 1.0, 1.0]), "2024-03-01"), DataError,
     "1e+20"),
]
# --- round two: columns
R2_COLUMNS = [
    ("raw frame with two 'amount' columns", lambda: crmlab.summary.customer_summary(
        cols("customer_id", "date", "amount", "amount")), DataError, "two columns named 'amount'"),
    ("raw frame with two 'amount' columns (rfm)", lambda: rfm.rfm_table(
        cols("customer_id", "date", "amount", "amount")), DataError, "two columns named 'amount'"),
    ("DataFrame source 'amount' and 'amount '", lambda: load_transactions(
        cols("customer_id", "date", "amount", "amount "), as_of=AS_OF), DataError, "two columns named 'amount'"),
    ("DataFrame source MultiIndex columns", lambda: load_transactions(pd.DataFrame(
        [["a", "2024-01-02", 5.0]], columns=pd.MultiIndex.from_tuples([("customer_id", ""), ("date", ""),
                                                                        ("amount", "")])), as_of=AS_OF),
     DataError, "MultiIndex"),
    ("header with 'amount' and ' amount'", csv("customer_id,date,amount, amount\na,2024-01-02,5,6\n"), DataError,
     "'amount' more than once"),
    ("column parameter not text", lambda: load_transactions(pd.DataFrame([["a", "2024-01-02", 5.0]]), customer=0,
                                                             as_of=AS_OF), ParameterError, "customer="),
]
# --- round two: ids
R2_IDS = [
    ("file id #N/A", csv(H + "#N/A,2024-01-02,1\n"), DataError, "customer id is missing"),
    ("file id of a zero-width space", csv(H + "\u200b,2024-01-02,1\n"), DataError, "customer id is missing"),
    ("file id with a line break", csv(H + '"a\nb",2024-01-02,1\n'), DataError, "'a\\nb' contains a control character"),
    ("file id with a control byte", csv(H + "a\x01b,2024-01-02,1\n"), DataError, "control character"),
    ("DataFrame source boolean ids", lambda: load_transactions(frame(customer_id=[True, False, True, False]),
                                                                as_of=AS_OF), DataError, "booleans"),
    ("DataFrame source tuple ids", lambda: load_transactions(frame(customer_id=[("a",), ("b",), ("a",), ("b",)]),
                                                              as_of=AS_OF), DataError, "('a',) is a tuple"),
    ("DataFrame source bytes ids", lambda: load_transactions(frame(customer_id=[b"a", b"b", b"a", b"b"]),
                                                              as_of=AS_OF), DataError, "b'a' is bytes"),
    ("DataFrame source float id beyond 2**53", lambda: load_transactions(
        frame(customer_id=[2.0**60, 1.0, 2.0, 3.0]), as_of=AS_OF), DataError, "beyond 2**53"),
    ("raw frame empty-text id", lambda: crmlab.summary.customer_summary(frame(customer_id=["", "b", "c", "d"])),
     DataError, "row 0: customer id '' is missing"),
    ("raw frame 'nan' text id", lambda: rfm.rfm_table(frame(customer_id=["a", "nan", "c", "d"])), DataError,
     "row 1: customer id 'nan' is missing"),
    ("raw frame id with spaces", lambda: crmlab.summary.customer_summary(frame(customer_id=["a", "a ", "b", "c"])),
     DataError, "'a ' has spaces around it"),
    ("raw frame ids mixing 1 and '1'", lambda: rfm.rfm_table(frame(customer_id=[1, "1", 2, 3])), DataError,
     "row 1: '1' is text while the same id is also a number"),
    ("raw frame boolean ids", lambda: crmlab.summary.customer_summary(frame(customer_id=[True, False, True, True])),
     DataError, "booleans"),
    ("raw frame fractional float id", lambda: rfm.rfm_table(frame(customer_id=[1.0, 1.5, 2.0, 3.0])), DataError,
     "row 1: customer id 1.5 is a fractional number"),
    ("raw frame float id beyond 2**53", lambda: rfm.rfm_table(frame(customer_id=[1.0, 2.0**63, 2.0, 3.0])),
     DataError, "beyond 2**53"),
    ("raw frame bytes ids", lambda: crmlab.summary.customer_summary(frame(customer_id=[b"a", b"a", b"b", b"c"])),
     DataError, "is bytes"),
    ("raw frame id with a line break", lambda: rfm.rfm_table(frame(customer_id=["a", "a\nb", "c", "d"])),
     DataError, "row 1: customer id 'a\\nb' contains a control character"),
]
# --- round two: sources
GZ = gzip.compress((H + "a,2024-01-02,5\n").encode())
SECRET = "root:x:0:0:" + "TOPSECRET" * 20 + ":/root:/bin/bash\n"
R2_SOURCES = [
    ("gzip bytes", lambda: load_transactions(io.BytesIO(GZ), as_of=AS_OF), DataError, "gzip"),
    ("PNG bytes", lambda: load_transactions(io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)), as_of=AS_OF), DataError, "PNG"),
    ("xlsx (zip) bytes", lambda: load_transactions(io.BytesIO(b"PK\x03\x04" + bytes(64)), as_of=AS_OF), DataError, ".xlsx"),
    ("UTF-16 bytes", lambda: load_transactions(io.BytesIO((H + "a,2024-01-02,5\n").encode("utf-16")), as_of=AS_OF),
     DataError, "encoding='utf-16'"),
    ("a system file's lines", lambda: load_transactions(io.StringIO(SECRET * 3), as_of=AS_OF), DataError,
     "does not look like a CSV transaction log: no column named 'customer_id', 'date', 'amount'"),
    ("empty path", lambda: load_transactions(""), ParameterError, "path is empty"),
    ("a device", lambda: load_transactions("/dev/null"), DataError, "not a regular file"),
    ("bytes instead of a path", lambda: load_transactions(b"customer_id,date,amount"), ParameterError, "got bytes"),
    ("None instead of a path", lambda: load_transactions(None), ParameterError, "got NoneType"),
    ("DATA_PATH as bytes", lambda: crmlab.datasets.load_log(b"x.csv"), ParameterError, "DATA_PATH"),
]
# --- round two: raw frames
R2_RAW = [
    ("btyd.summarize on numeric dates", lambda: btyd.summarize(frame(date=[1.7e9, 1.7e9, 1.8e9, 1.9e9]), "2024-01-03"),
     DataError, "is a number"),
    ("churn_status on a 'nan' id", lambda: retention.churn_status(frame(customer_id=["a", "b", "nan", "d"]), 30),
     DataError, "row 2: customer id 'nan' is missing"),
    ("assign_stages on an id with spaces", lambda: lifecycle.assign_stages(
        frame(customer_id=[" a", "b", "c", "d"]), "2024-06-01"), DataError, "spaces"),
    ("to_occasions on complex amounts", lambda: to_occasions(frame(amount=[1j, 1, 2, 3])), DataError, "complex"),
    ("historical_value on a 9999 date", lambda: clv.historical_value(frame(date=S9999)), DataError, "1678-2261"),
    ("reconcile on a frame that is not a summary", lambda: crmlab.summary.reconcile(log()), DataError, "full view"),
    ("reconcile on None", lambda: crmlab.summary.reconcile(None), DataError, "full view"),
    ("DataFrame source with a missing cell among object dates", lambda: load_transactions(
        frame(date=pd.Series([pd.NaT, "2024-01-02", None, "2024-01-03"], dtype=object)), as_of=AS_OF),
     DataError, "row 0 (index 0): date is missing"),
]
R2_CASES = R2_DATES + R2_NUMBERS + R2_COLUMNS + R2_IDS + R2_SOURCES + R2_RAW


@pytest.mark.parametrize(("case", "call", "error", "fragment"), R2_CASES, ids=[c[0] for c in R2_CASES])
def test_round_two_hostile_input_raises_a_named_crmlab_error(case, call, error, fragment):
    _raises_named(call, error, fragment)


def test_round_two_catalogue_covers_every_class():
    names = [c[0] for c in R2_CASES]
    assert len(names) == len(set(names)) and len(names) >= 30
    assert min(map(len, [R2_DATES, R2_NUMBERS, R2_COLUMNS, R2_IDS, R2_SOURCES, R2_RAW])) >= 5


def test_a_file_that_is_not_a_log_is_not_quoted_at_all():
    with pytest.raises(DataError) as info:
        load_transactions(io.StringIO(SECRET * 3), as_of=AS_OF)
    message = str(info.value)
    assert "TOPSECRET" not in message and "root:x" not in message, message
    assert "its content is not shown" in message and "field(s) separated by" in message


def test_the_duckdb_engine_reads_ids_and_foreign_files_by_the_same_rules(tmp_path):
    pytest.importorskip("duckdb")
    path = tmp_path / "log.csv"
    path.write_text(H + "17850,2024-01-02,5\n17850.0,2024-01-03,6\n 17850 ,2024-01-04,7\nb,2024-01-05,1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        duck = crmlab.summary.customer_summary(str(path), engine="duckdb", as_of="2024-12-31")
        pandas = crmlab.summary.customer_summary(csv(path.read_text())(), as_of="2024-12-31")
    assert list(duck.index) == list(pandas.index) == ["17850", "b"]
    assert duck["total_spend"].tolist() == pandas["total_spend"].tolist() == [18.0, 1.0]
    nan_id = tmp_path / "nan_id.csv"
    nan_id.write_text(H + "#N/A,2024-01-02,5\nb,2024-01-03,6\n")
    with pytest.raises(DataError, match="customer id is missing"):
        crmlab.summary.customer_summary(str(nan_id), engine="duckdb")
    placeholder = tmp_path / "placeholder.csv"
    placeholder.write_text(H + "a,2024-01-02,5\nb,9999-12-31,6\n")
    with pytest.raises(DataError, match="9999-12-31 is outside the supported years 1678-2261"):
        crmlab.summary.customer_summary(str(placeholder), engine="duckdb")  # (was: as of year 9999)
    foreign = tmp_path / "passwd"
    foreign.write_text(SECRET * 3)
    with pytest.raises(DataError, match="does not look like a CSV transaction log") as info:
        crmlab.summary.customer_summary(str(foreign), engine="duckdb")
    assert "TOPSECRET" not in str(info.value) and "root:x" not in str(info.value)


def test_ids_are_canonicalised_by_a_stated_rule_and_counted():
    out = csv(H + "17850,2024-01-02,5\n17850.0,2024-01-03,6\n 17850 ,2024-01-04,7\nb,2024-01-05,1\n")()
    rep = load_report(out)
    assert out["customer_id"].tolist() == ["17850", "17850", "17850", "b"]
    assert rep["customer_ids_trailing_zero_removed"] == 1 and rep["customer_ids_spaces_stripped"] == 1
    summ = crmlab.summary.customer_summary(out)
    assert summ.loc["17850", "purchases"] == 3 and summ.loc["17850", "total_spend"] == 18.0


def test_a_timezone_without_offsets_is_recorded_not_applied():
    out = csv(H + "a,2024-10-27 02:30:00,1\n", timezone="Europe/Berlin")()
    assert out["date"].iloc[0] == pd.Timestamp("2024-10-27 02:30")
    assert "no timestamp carries an offset" in load_report(out)["timezone"]


def test_mixed_offsets_are_converted_to_one_zone_and_day_changes_counted():
    out = csv(H + "a,2024-01-05T23:30:00+01:00,1\nb,2024-01-05T20:00:00-05:00,2\n", timezone="UTC")()
    assert out["date"].tolist() == [pd.Timestamp("2024-01-05 22:30"), pd.Timestamp("2024-01-06 01:00")]
    assert load_report(out)["dates_moved_to_another_day_by_timezone"] == 1


def test_raw_frames_count_refund_and_zero_days_as_no_purchase_everywhere():
    raw = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
                        "date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-03", "2024-01-04", "2024-01-09"]),
                        "amount": [10.0, -3.0, 0.0, 5.0, 4.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)
        table = rfm.rfm_table(raw)
        full = crmlab.summary.customer_summary(raw)
        cal = btyd.summarize(raw, "2024-01-09")
    assert table["frequency"].to_dict() == {1: 1, 3: 2} and table.loc[1, "monetary"] == 7.0
    assert full.attrs["summary"]["customers_without_purchase"] == 1 and crmlab.summary.reconcile(full) == 0.0
    assert cal.loc[1, "frequency"] == 0 and cal.loc[3, "frequency"] == 1
    assert retention.churn_status(raw, 30)["purchases"].to_dict() == {1: 1, 3: 2}


# ------------------------------------------------------------------ handled on request, counted
HANDLED = (H + 'a,2024-01-01,"¥1,200.00"\n' + 'a,2024-01-01,"¥1,200.00"\n' + "b,2024-01-02,-3\n"
           + "\n" + "c,2031-01-02,4\n" + "d,2024-01-03,5\n")


def test_handled_cases_are_counted_and_announced():
    with pytest.warns(CrmlabWarning) as record:
        out = csv(HANDLED, currency_symbols=True, thousands=",", nonpositive="drop",
                  future="drop", duplicates="drop")()
    rep = load_report(out)
    assert rep["rows_read"] == 6 and rep["rows_returned"] == 2 and rep["rows_dropped"] == 3
    assert rep["blank_lines_skipped"] == 1 and rep["duplicate_rows"] == 1
    assert rep["nonpositive_amounts"] == 1 and rep["future_dates"] == 1
    message = str(record[0].message)
    for word in ["zero or negative", "dated after", "duplicate", "blank", "currency"]:
        assert word in message


def test_returns_can_be_kept_and_are_counted():
    out = csv(H + "a,2024-01-01,10\na,2024-01-05,-4\n", nonpositive="keep")()
    assert out["amount"].sum() == 6.0 and load_report(out)["nonpositive_amounts"] == 1


def test_single_customer_single_purchase_works_everywhere_it_should():
    one = log().iloc[:1]
    table = rfm.rfm_table(one)
    assert table.loc[1, "frequency"] == 1 and table.loc[1, "recency"] == 0
    assert len(to_occasions(one)) == 1
    assert clv.historical_value(one).iloc[0] == pytest.approx(10.0)


def test_a_large_file_loads_every_row():
    n = 200_000
    rng = np.random.default_rng(0)
    text = H + "".join(
        f"c{c},2024-{m:02d}-{d:02d},{a:.2f}\n"
        for c, m, d, a in zip(rng.integers(0, 20_000, n), rng.integers(1, 13, n),
                              rng.integers(1, 29, n), rng.uniform(1, 500, n))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CrmlabWarning)  # random rows may repeat exactly
        out = csv(text)()
    assert len(out) == n and load_report(out)["rows_returned"] == n
    assert np.isclose(out["amount"].sum(), round(out["amount"].sum(), 2))


def test_errors_are_value_errors_for_callers_that_catch_those():
    assert issubclass(crmlab.DataError, ValueError) and issubclass(crmlab.ParameterError, ValueError)


# --- round two: models, finance and validators
# Issue 19: hostile values for the shared validators, the CLV classes, AHP and BTYD CLV.
from fractions import Fraction  # noqa: E402

from crmlab.validation import (  # noqa: E402
    as_finite_vector,
    as_float_array,
    check_date,
    check_number,
    check_probability,
)

_HOSTILE_NUMBERS = [
    ("NaN", float("nan"), "finite"),
    ("inf", float("inf"), "finite"),
    ("-inf", -float("inf"), "finite"),
    ("numpy NaN", np.float64("nan"), "finite"),
    ("0-d array NaN", np.array(np.nan), "finite"),
    ("None", None, "NoneType"),
    ("bool", True, "bool"),
    ("numpy bool", np.True_, "bool"),
    ("text", "3", "str"),
    ("huge int", 10**400, "1.8e308"),
    ("huge negative int", -(10**400), "1.8e308"),
    ("complex", 1 + 2j, "complex"),
    ("1-d array", np.array([1.0, 2.0]), "ndarray"),
]


@pytest.mark.parametrize("label, value, fragment", _HOSTILE_NUMBERS, ids=[c[0] for c in _HOSTILE_NUMBERS])
def test_check_number_refuses_hostile_values_naming_the_parameter(label, value, fragment):
    with pytest.raises(ParameterError, match=fr"^SEED must be .*{fragment}"):
        check_number(value, "SEED")
    with pytest.raises(ParameterError, match="^RETENTION"):
        check_probability(value, "RETENTION")


@pytest.mark.parametrize("value, expected", [
    (np.float32(0.5), 0.5), (np.array(2.0), 2.0), (np.int64(3), 3.0), (Fraction(1, 4), 0.25), (1e300, 1e300),
], ids=["float32", "0-d array", "numpy int", "Fraction", "1e300"])
def test_check_number_documented_values(value, expected):
    out = check_number(value, "x")
    assert out == expected and type(out) is float


def test_check_number_whole_numbers_stay_exact():
    assert check_number(np.int64(2**62), "n", integer=True) == 2**62
    assert check_number(np.array(7), "n", integer=True) == 7
    with pytest.raises(ParameterError, match="n must be a whole number, got 2.5"):
        check_number(2.5, "n", integer=True)


@pytest.mark.parametrize("call, error, fragment", [
    (lambda: as_float_array([1, True], "amounts"), ParameterError, r"amounts\[1\] = True is a boolean"),
    (lambda: as_float_array(np.array([True, False]), "amounts"), ParameterError, "boolean"),
    (lambda: as_float_array([1.0, 10**400], "amounts"), ParameterError, r"amounts\[1\] = 1000.* is too large"),
    (lambda: as_float_array([1.0, 1 + 1j], "amounts"), ParameterError, r"amounts\[1\] = \(1\+1j\) is complex"),
    (lambda: as_float_array([1.0, float("nan")], "amounts"), ParameterError, r"amounts\[1\] = nan is missing \(NaN\)"),
    (lambda: as_finite_vector([1.0, 10**400], "values"), DataError, r"values\[1\] = 1000.* is too large"),
    (lambda: as_finite_vector(np.array([True, False]), "values"), DataError, "boolean"),
    (lambda: as_finite_vector([1.0, True], "values"), DataError, r"values\[1\] = True is a boolean"),
    (lambda: as_finite_vector(["1", "2"], "values"), DataError, r"values\[0\] = '1' is text"),
    (lambda: as_float_array(["0.1"], "rates"), ParameterError, r"rates\[0\] = '0.1' is text"),
    (lambda: as_float_array([2, 2.5], "t", low=0, integer=True), ParameterError,
     r"t\[1\] must be a whole number, got 2.5"),
    (lambda: as_float_array([[1.0], [0.0]], "t", low=0, low_inclusive=False), ParameterError,
     r"t\[1\] must be > 0, got 0.0"),
    (lambda: check_date("soon", "CAL_END"), ParameterError, "CAL_END must be a date such as"),
    (lambda: check_date(1997, "CAL_END"), ParameterError, "a number is not read as a date"),
    (lambda: check_date(np.int64(3), "AS_OF"), ParameterError, "AS_OF .* a number is not read"),
    (lambda: check_date(True, "AS_OF"), ParameterError, "AS_OF must be a date"),
    (lambda: check_date(float("nan"), "AS_OF"), ParameterError, "AS_OF must be a date"),
], ids=["list bool", "bool array", "huge int", "complex", "NaN", "vector huge int", "vector bool",
        "vector list bool", "vector text", "array text", "array whole", "array low exclusive",
        "date soon", "date as year number", "date numpy int", "date bool", "date NaN"])
def test_array_and_date_validators_name_the_bad_entry(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


# hand-rolled checks replaced by the validators: text and booleans no longer pass as numbers
@pytest.mark.parametrize("call, fragment", [
    (lambda: crmlab.sbg.survival(1.0, 2.0, ["3"]), r"t\[0\] = '3' is text"),
    (lambda: finance.revenue_identity(20, 100, 0.8, [-3, 1], 10), r"usage\[0\] must be >= 0, got -3.0"),
    (lambda: finance.retention_clv(100, 0.8, 0.1, 2.5), "horizon must be a whole number, got 2.5"),
    (lambda: ahp.composite_score(pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0]}), ["x", 1]),
     r"weights\[0\] = 'x' is text"),
    (lambda: clv.recency_transition_matrix([0.5, 1.2]), r"purchase_probabilities must be a share in \[0, 1\], got 1.2"),
], ids=["sbg t text", "revenue_identity negative", "horizon fraction", "ahp weights text",
        "recency chain probability"])
def test_hand_rolled_checks_now_call_the_validators(call, fragment):
    with pytest.raises(ParameterError, match=fragment):
        call()


# classify_clv: never a silent 0
_CUR = pd.Series([10.0, 1.0, 8.0, -5.0], index=list("abcd"))
_POT = pd.Series([9.0, 9.0, 1.0, 1.0], index=list("abcd"))


@pytest.mark.parametrize("current, potential, fragment", [
    (_CUR.where(_CUR.index != "b"), _POT, r"current: customer 'b': value nan is missing \(NaN\)"),
    (_CUR, _POT.where(_POT.index != "c"), r"potential: customer 'c': value nan is missing"),
    (_CUR, pd.Series([9.0, 9.0, 1.0, 1.0]), "share no customer id"),
    (_CUR, _POT.drop(["a", "d"]), r"2 customer\(s\) have no potential value \(e.g. \['a', 'd'\]\)"),
    (_CUR.drop("c"), _POT, r"1 customer\(s\) have no current value \(e.g. \['c'\]\)"),
    (pd.Series([1.0, 2.0], index=["a", "a"]), _POT, "customer 'a' appears 2 times"),
    (_CUR.iloc[:0], _POT, "current is empty"),
    (pd.Series([1e308, 1.0], index=list("ab")), pd.Series([1e308, 1.0], index=list("ab")), "overflows"),
    (_CUR.astype(object).where(_CUR.index != "a", "ten"), _POT, r"customer 'a': value 'ten' is not a number"),
    (_CUR.replace(10.0, np.inf), _POT, r"customer 'a': value inf is not finite"),
], ids=["NaN current", "NaN potential", "disjoint index", "missing potential", "missing current",
        "duplicate id", "empty", "overflow", "text value", "infinite"])
def test_classify_clv_refuses_instead_of_zero_filling(current, potential, fragment):
    with pytest.raises(DataError, match=fragment):
        clv.classify_clv(current, potential)


def test_classify_clv_zero_fill_only_on_request_and_counted():
    with pytest.warns(CrmlabWarning, match="counted 2 absent potential value"):
        out = clv.classify_clv(_CUR, _POT.drop(["a", "d"]), missing="zero")
    assert out.attrs["filled"] == {"current": 0, "potential": 2}
    assert out.loc[["a", "d"], "potential"].tolist() == [0.0, 0.0]
    with pytest.raises(DataError, match="share no customer id"):  # even with missing="zero"
        clv.classify_clv(_CUR, pd.Series([1.0], index=["z"]), missing="zero")
    with pytest.raises(ParameterError, match="missing must be one of"):
        clv.classify_clv(_CUR, _POT, missing="drop")
    with pytest.raises(ParameterError, match="current_threshold must be one of"):
        clv.classify_clv(_CUR, _POT, current_threshold="average")


def test_state_rewards_and_discount_events_do_not_fill_or_drop_silently():
    s = pd.DataFrame({"state": [1, 1, 3], "value": [10.0, 20.0, 0.0]})
    with pytest.raises(DataError, match=r"state\(s\) \[2\] never occur"):
        clv.state_rewards(s)
    with pytest.raises(DataError, match="row 2: 3 is above n_states=2"):
        clv.state_rewards(s, n_states=2)
    ev = pd.DataFrame({"customer_id": [1, 2], "date": pd.to_datetime(["2025-01-01"] * 2), "value": [110.0, 5.0]})
    with pytest.raises(DataError, match=r"events hold 1 customer\(s\) not in customers \(e.g. \[2\]\)"):
        clv.discount_events(ev, "2024-01-01", 0.1, customers=[1, 3])
    out = clv.discount_events(ev, "2024-01-01", 0.1, customers=[1, 2, 3])
    assert out.attrs["without_events"] == 1 and out.loc[3] == 0.0
    with pytest.raises(DataError, match="column 'date', row 1: 'soon' is not a date"):
        clv.discount_events(ev.assign(date=["2025-01-01", "soon"]), "2024-01-01", 0.1)
    # the log's date rule (check_date_column): 20250101 was read as nanoseconds after 1970
    with pytest.raises(DataError, match=r"column 'date', row 0: .*20250101.* is a number, not a date"):
        clv.discount_events(ev.assign(date=[20250101, 20250102]), "2024-01-01", 0.1)
    with pytest.raises(DataError, match="column 'date', row 1: date is missing"):
        clv.discount_events(ev.assign(date=["2025-01-01", None]), "2024-01-01", 0.1)


# AHP: a documented judgment range and λmax ≥ n on everything accepted
@pytest.mark.parametrize("entry, fragment", [
    (1e200, r"entry \[0, 1\] = 1e\+200 is outside the accepted judgments 1e-06..1e\+06"),
    (1e-200, r"entry \[0, 1\] = 1e-200 is outside"),
    (1e7, r"entry \[0, 1\] = 1e\+07 is outside"),
    (np.inf, r"entry \[0, 1\] = inf is infinite"),
    (np.nan, r"entry \[0, 1\] = nan is missing"),
    (0.0, r"entry \[0, 1\] = 0 is not positive"),
    (-3.0, r"entry \[0, 1\] = -3 is not positive"),
], ids=["1e200", "1e-200", "1e7", "inf", "nan", "zero", "negative"])
def test_ahp_extreme_judgments_are_refused_naming_the_cell(entry, fragment):
    other = 1 / entry if np.isfinite(entry) and entry > 0 else 0.5
    m = [[1.0, entry, 2.0], [other, 1.0, 3.0], [0.5, 1 / 3, 1.0]]
    with pytest.raises(DataError, match=fragment):
        ahp.analyze(m)
    with pytest.raises(DataError, match="matrix 0 of the stack"):
        ahp.batch_analyze([m])


@pytest.mark.parametrize("call, error, fragment", [
    (lambda: ahp.from_upper_triangle([1e9]), DataError, "outside the accepted judgments"),
    (lambda: ahp.analyze([[1, 3], [3, 1]]), DataError, "not reciprocal"),
    (lambda: ahp.analyze([[1, 3], [1 / 3, 1]], rtol=10), ParameterError, "rtol must be <= 0.1"),
], ids=["builder 1e9", "non-reciprocal", "huge rtol"])
def test_ahp_builders_and_tolerance(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


@pytest.mark.parametrize("big", [9.0, 1e3, 1e6])
def test_ahp_lambda_max_at_least_n_at_the_edges_of_the_range(big):
    rng = np.random.default_rng(int(big))
    for n in (3, 5, 9, 15):
        logs = rng.uniform(-np.log(big), np.log(big), size=(n, n))
        a = np.exp(np.triu(logs, 1) - np.triu(logs, 1).T)
        r = ahp.analyze(a)
        assert r.lambda_max >= n and r.ci >= 0, (n, r.lambda_max)
        np.testing.assert_allclose(a @ r.weights, r.lambda_max * r.weights, rtol=1e-7)
        assert (ahp.batch_analyze([a]).lambda_max >= n).all()
    # hand-typed reciprocals within rtol: λmax is n, not just below it
    assert ahp.lambda_max([[1, 3], [0.3336, 1]]) == 2.0


# BTYD CLV: a cap on the discounting periods instead of a minutes-long loop
@pytest.fixture(scope="module")
def _bg_fit():
    s = btyd.summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    return s, btyd.fit_bgnbd(s)


@pytest.mark.parametrize("horizon, period, fragment", [
    (5200.0, 0.01, r"makes 5.2e\+05 discounting periods for 1 distinct .* at most MAX_CLV_CELLS = 250,000"),
    (1e308, 1e-308, "at most MAX_CLV_CELLS"),
    (52 * 520 / 12, 52 / 12 / 4, r"for \d+ distinct \(frequency, T\) customer pattern\(s\); the BG/NBD"),
    (float("nan"), 1.0, "horizon must be a finite number"),
    (52.0, 0.0, "period must be > 0"),
], ids=["tiny period", "overflowing ratio", "many patterns x periods", "NaN horizon", "zero period"])
def test_btyd_clv_refuses_too_many_periods(_bg_fit, horizon, period, fragment):
    s, fit = _bg_fit
    with pytest.raises(ParameterError, match=fragment):
        btyd.clv(fit, None, s, horizon=horizon, period=period, discount=0.01)


def test_btyd_clv_vectorised_path_is_the_step_by_step_sum(_bg_fit):
    s, fit = _bg_fit
    s = s.iloc[:100]
    K, period, d = 30, 0.5, 0.01
    v = btyd.clv(fit, None, s, horizon=K * period, period=period, discount=d)
    x, t_x, T = btyd.validate_summary(s)
    prev, val = np.zeros(len(s)), np.zeros(len(s))
    for k in range(1, K + 1):  # the definition, one period at a time
        cum = btyd._conditional("bgnbd", fit._theta(), x, t_x, T, np.full(len(s), k * period))
        val += (cum - prev) / (1 + d) ** k
        prev = cum
    np.testing.assert_allclose(v["expected_transactions"], prev, rtol=1e-9)
    np.testing.assert_allclose(v["clv"], val, rtol=1e-9)


@pytest.mark.parametrize("rows, n, fragment", [
    ({"frequency": [0, 3], "recency": [0, 10**6], "n": [10**6, 10**6]}, None, "at most MAX_OPPORTUNITIES = 1000"),
    (None, 1000, r"dropout terms in all .* at most MAX_DROPOUT_TERMS = 50,000"),
], ids=["n of a million", "many long rows"])
def test_bgbb_refuses_work_that_would_run_for_minutes(rows, n, fragment):
    from crmlab import bgbb

    if rows is None:
        tx = np.arange(0, n, 5)
        rows = {"frequency": np.minimum(tx, 1), "recency": tx, "n": np.full(tx.size, n)}
    with pytest.raises(DataError, match=fragment):
        bgbb.fit_bgbb(pd.DataFrame(rows))


@pytest.mark.parametrize("call, error, fragment", [
    (lambda: crmlab.validation.check_choice(np.array(["M", "W"]), "freq", ["M", "W"]), ParameterError,
     "freq must be one of"),
    (lambda: crmlab.validation.check_choice(True, "n_states", [1, 2]), ParameterError, "got True"),
    (lambda: crmlab.validation.check_numeric_column(pd.DataFrame({"x": [1, 10**400]}), "x"), DataError,
     "column 'x', row 1: 1000.* is too large"),
    (lambda: crmlab.validation.check_numeric_column(pd.DataFrame({"x": [1, True]}, dtype=object), "x"),
     DataError, "column 'x', row 1: True is a boolean"),
    (lambda: crmlab.validation.check_numeric_column(pd.DataFrame({"x": [1 + 1j]}), "x"), DataError, "complex"),
    (lambda: crmlab.validation.check_numeric_column(pd.DataFrame({"x": [1]}), "y"), DataError, "missing column"),
    (lambda: crmlab.validation.check_numeric_column(pd.DataFrame([[1, 2]], columns=["x", "x"]), "x"),
     DataError, "2 columns are named 'x'"),
], ids=["choice array", "choice bool for 1", "column huge int", "column boolean", "column complex",
        "column missing", "column twice"])
def test_choice_and_column_validators_never_raise_raw(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_day_counts_beyond_the_supported_date_range_are_refused():
    from crmlab import lifecycle, retention, rfm, survival
    from crmlab.churn import churn_features
    from crmlab.validation import MAX_DAYS, customer_id_problem

    tx = log()
    for call in (lambda: retention.purchases_in_first(tx, 1e300),
                 lambda: retention.churn_status(tx, MAX_DAYS + 1),
                 lambda: rfm.airline_scores(tx, window_months=10**12),
                 lambda: lifecycle.StageRules(window_days=1e300).validate()):
        with pytest.raises(ParameterError, match=f"must be <= {MAX_DAYS}|must be <= {MAX_DAYS // 31}"):
            call()
    with pytest.raises(ParameterError, match="km must be the result of kaplan_meier"):
        survival.restricted_mean_lifetime("x", 10)
    assert customer_id_problem(float("inf"))[1].startswith("is infinite")
    with pytest.raises(DataError, match="calibration_end 1990-01-01 is before every purchase"):
        churn_features(tx, "1990-01-01", "2030-01-01")
