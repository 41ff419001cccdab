"""Catalogue of malformed inputs across the loaders and public crmlab functions.

Every case must end in a ``crmlab.CrmlabError`` (``DataError`` for data,
``ParameterError`` for arguments) whose message names the problem — the
column, row and value where there is one — and never in a raw pandas/numpy
traceback or a silent drop. Cases that crmlab handles on request (returns,
duplicates, future dates, blank lines, currency signs) are in the second
half, each with the count it reports.
"""

from __future__ import annotations

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
