"""Random junk into the loader and the summaries: a crmlab error, or money that reconciles.

Hypothesis writes CSV text (headers among the expected names plus junk, cells
from a junk alphabet: separators, quotes, unicode, numbers and dates in many
formats) and DataFrames of random dtypes, and feeds them to
:func:`crmlab.datasets.load_transactions`, :func:`crmlab.summary.customer_summary`
(every view), :func:`crmlab.rfm.rfm_table` and :func:`crmlab.btyd.summarize`.
Every call must end in one of two ways:

* a :class:`crmlab.CrmlabError` (never a raw pandas/numpy traceback), or
* a result whose money reconciles: the customers' ``total_spend`` plus the
  money the summary reports as left out equals the log's net total, to the
  cent, and the counts agree (rows read = returned + dropped + blank lines;
  customers summarised + customers without a purchase = distinct ids).

Deterministic (``derandomize=True``), offline, no files written.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmlab import btyd, rfm
from crmlab.datasets import load_report, load_transactions
from crmlab.errors import CrmlabError, CrmlabWarning
from crmlab.summary import customer_summary, reconcile

AS_OF = "2030-01-01"
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CENT = 0.005 + 1e-9

# ------------------------------------------------------------------ cells
# Each file draws one date format and one number style (with the options that read them), then
# every cell is either well formed or, now and then, junk: so both outcomes are explored.
JUNK = st.text(alphabet=st.sampled_from(list(",;\t|\"' \n\r.-+()€¥$e0123456789aZ\u00a0\u200b年１é\x00\x01")),
               max_size=8)
BAD_IDS = st.sampled_from(["", " ", "nan", "NULL", "#N/A", "\u200b", "a\x01", "17850.0", " 17850 ", "a\u00a0"])
GOOD_IDS = st.one_of(st.sampled_from(["a", "b", "C7", "17850", "007", "7", "x y", "张三"]),
                     st.integers(0, 40).map(str))
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S+08:00",
                "%Y-%m-%dT%H:%M:%SZ", "%Y年%m月%d日", "%d.%m.%Y", "%b %d %Y"]
BAD_DATES = st.sampled_from(["9999-12-31", "1677-09-21", "0000-01-01", "2262-04-12", "", "NaT", "2024-02-30",
                             "45000", "-5", "soon"])
DAYS = st.datetimes(min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
                    max_value=pd.Timestamp("2029-12-31").to_pydatetime())
#: number style -> (format of a value in cents, loader options that read it)
STYLES = {
    "plain": (lambda c: f"{c / 100:.2f}", {}),
    "integer": (lambda c: str(c // 100), {}),
    "decimal comma": (lambda c: f"{c / 100:.2f}".replace(".", ","), {"decimal": ","}),
    "grouped": (lambda c: f"{c / 100:,.2f}", {"thousands": ","}),
    "european": (lambda c: f"{c / 100:,.2f}".replace(",", "_").replace(".", ",").replace("_", "."),
                 {"thousands": ".", "decimal": ","}),
    "currency": (lambda c: f"€{c / 100:.2f}", {"currency_symbols": True}),
    "accounting": (lambda c: f"({-c / 100:.2f})" if c < 0 else f"{c / 100:.2f}", {}),
}
BAD_NUMBERS = st.one_of(
    st.sampled_from(["1,2,3", "12.50-", "1e400", "nan", "inf", "-inf", "1e15", "9e14", "0", "-0", "0.001",
                     "１２", "1_000", "", "(-5)", "1.234,50", "¥1,200"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-10**17, 10**17).map(str), JUNK)
NAMES = ["customer_id", "date", "amount"]


@st.composite
def csv_texts(draw):
    """CSV text, the loader options its number style needs, and the net money written (None if junk)."""
    junk_names = draw(st.lists(st.sampled_from(["note", "note", "Amount", "as_of", "amount ", "date", "customer_id",
                                                "\ufeffcustomer_id", "", "x,y"]), max_size=2))
    if draw(st.integers(0, 3)):
        junk_names = [n for n in junk_names if n in ("note", "Amount", "as_of")][:1]
    header = draw(st.permutations(NAMES + junk_names))
    if draw(st.integers(0, 9)) == 0:
        header = header[: draw(st.integers(1, len(header)))]
    sep = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    fmt = draw(st.sampled_from(DATE_FORMATS))
    style = draw(st.sampled_from(sorted(STYLES)))
    write, options = STYLES[style]
    junk_rate = draw(st.sampled_from([0, 0, 0, 20, 5]))  # 1 in junk_rate cells is junk (0: none)

    def cell(name):
        def pick(good, bad):
            if junk_rate and draw(st.integers(1, junk_rate)) == 1:
                return draw(bad)
            return draw(good)
        if name == "customer_id":
            return pick(GOOD_IDS, BAD_IDS)
        if name == "date":
            return pick(DAYS.map(lambda d: d.strftime(fmt)), BAD_DATES)
        return pick(st.sampled_from(["gift", "B2B", "", "ok"]), JUNK)

    cents = []

    def amount_cell() -> str:
        if junk_rate and draw(st.integers(1, junk_rate)) == 1:
            cents.append(None)
            return draw(BAD_NUMBERS)
        c = draw(st.integers(-100_000, 500_000))
        cents.append(c - c % 100 if style == "integer" else c)
        return write(c)

    rows = [[amount_cell() if h == "amount" else cell(h.strip("\ufeff ")) for h in header]
            for _ in range(draw(st.integers(0, 12)))]
    expected = None if None in cents else sum(cents) / 100
    out = io.StringIO()
    if draw(st.booleans()):
        import csv

        w = csv.writer(out, delimiter=sep, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    else:
        out.write(sep.join(header) + "\n" + "".join(sep.join(r) + "\n" for r in rows))
    return out.getvalue(), options, expected


OPTIONS = st.fixed_dictionaries({}, optional={
    "nonpositive": st.sampled_from(["error", "net", "net", "net", "drop"]),
    "missing_customer": st.sampled_from(["error", "drop"]),
    "duplicates": st.sampled_from(["keep", "drop", "error"]),
    "future": st.sampled_from(["error", "keep", "drop"]),
    "dayfirst": st.booleans(),
    "timezone": st.sampled_from(["local", "UTC", "Asia/Shanghai", "Europe/Berlin"]),
}).map(lambda o: {"nonpositive": "net", "timezone": "local", **o})


# ------------------------------------------------------------------ the property
def _attempt(fn):
    """fn() or None when it raises a crmlab error; any other exception fails the test."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CrmlabWarning)
            return fn()
    except CrmlabError:
        return None


def _check_summaries(log: pd.DataFrame, net: float) -> None:
    """Every summary of an accepted log: an error, or money and counts that reconcile."""
    full = _attempt(lambda: customer_summary(log))
    if full is None:
        return
    rep = full.attrs["summary"]
    explained = full["total_spend"].sum() + rep["spend_without_purchase"] + rep["spend_before_cohort_start"]
    assert abs(explained - net) < CENT, (explained, net)
    assert reconcile(full) == 0.0
    assert rep["rows_after_as_of"] == 0 and rep["rows_used"] == len(log)
    assert len(full) + rep["customers_without_purchase"] == log["customer_id"].nunique()
    assert (full["purchases"] >= 1).all() and (full["purchases"] <= full["n_rows"]).all()
    assert full["n_rows"].sum() <= len(log)
    table = _attempt(lambda: rfm.rfm_table(log))
    assert table is not None, "the rfm view failed where the full summary did not"
    assert table["frequency"].equals(full["purchases"]) and np.allclose(table["monetary"], full["total_spend"])
    cal = _attempt(lambda: btyd.summarize(log, str(rep["as_of"].date())))
    if cal is not None:
        assert (cal["frequency"] == full.loc[cal.index, "repeat_purchases"]).all()


@SETTINGS
@given(data=csv_texts(), options=OPTIONS)
def test_csv_junk_gives_a_crmlab_error_or_money_that_reconciles(data, options):
    text, style_options, expected = data
    log = _attempt(lambda: load_transactions(io.StringIO(text), as_of=AS_OF, **{**options, **style_options}))
    if log is None:
        return
    rep = load_report(log)
    assert rep["rows_returned"] == len(log) > 0
    assert rep["rows_read"] == rep["rows_returned"] + rep["rows_dropped"] + rep["blank_lines_skipped"]
    assert list(log.columns[:3]) == NAMES and log["amount"].dtype == "float64"
    assert np.isfinite(log["amount"]).all() and log["date"].notna().all()
    assert log["customer_id"].map(lambda v: isinstance(v, str) and v == v.strip() and v != "").all()
    net = float(np.round(log["amount"].sum(), 2))
    assert abs(rep["net_amount"] - net) < CENT
    if expected is not None and rep["rows_dropped"] == 0:  # every amount as written, none junk
        assert abs(net - expected) < CENT, (net, expected)
    _check_summaries(log, net)


# ------------------------------------------------------------------ DataFrames of random dtypes
def _column(draw, n: int, kind: str):
    choice = draw(st.sampled_from([0, 0, 0, 5, 5, 1, 2, 3, 4]))  # the first and last pools are well formed
    if kind == "customer_id":
        pools = [st.integers(0, 5), st.floats(0, 5).map(lambda v: round(v * 2) / 2),
                 st.sampled_from(["a", "b", " a", "nan", ""]), st.booleans(), st.sampled_from([1, "1", 2.0, None, "b", b"a", ("a",)]),
                 st.sampled_from(["a", "b", "c", "17850"])]
    elif kind == "date":
        pools = [st.datetimes(min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
                              max_value=pd.Timestamp("2029-01-01").to_pydatetime()).map(pd.Timestamp),
                 st.sampled_from(["2024-01-05", "2024-02-30", "05/01/2024", "9999-12-31", "", None]),
                 st.integers(0, 2 * 10**9), st.one_of(st.floats(allow_nan=True), st.booleans(), st.just(pd.NaT)),
                 st.dates(min_value=pd.Timestamp("2000-01-01").date(), max_value=pd.Timestamp("2029-01-01").date()),
                 st.sampled_from(["2024-03-01", "2024-03-02 10:00", "2024-03-09"])]
    else:
        pools = [st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                 st.decimals(-1000, 1000, places=2, allow_nan=False).map(str), st.booleans(),
                 st.sampled_from([1e308, -1e308, 1e20, 0.0, -0.0, "1,5", "12", None]),
                 st.floats(-1000, 1000).map(lambda v: round(v, 2))]
    values = draw(st.lists(pools[choice], min_size=n, max_size=n))
    dtype = draw(st.sampled_from([None, object, "category"]))
    try:
        return pd.Series(values, dtype=dtype)
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object)


@st.composite
def frames(draw):
    n = draw(st.integers(0, 8))
    return pd.DataFrame({k: _column(draw, n, k) for k in NAMES})


@SETTINGS
@given(df=frames())
def test_dataframe_junk_gives_a_crmlab_error_or_money_that_reconciles(df):
    log = _attempt(lambda: load_transactions(df, as_of=AS_OF, nonpositive="net", future="drop"))
    if log is not None:
        rep = load_report(log)
        assert rep["rows_read"] == len(df) == rep["rows_returned"] + rep["rows_dropped"]
        _check_summaries(log, float(np.round(log["amount"].sum(), 2)))
    # the same frame straight into the summaries, bypassing the loader
    full = _attempt(lambda: customer_summary(df))
    if full is not None:
        net = float(np.round(pd.to_numeric(df["amount"].astype(object)).astype(float).sum(), 2))
        rep = full.attrs["summary"]
        explained = full["total_spend"].sum() + rep["spend_without_purchase"]
        assert abs(explained - net) < CENT, (explained, net)
        assert len(full) + rep["customers_without_purchase"] == df["customer_id"].nunique()


def test_the_property_can_fail(monkeypatch):
    """A summary that loses a cent is caught: the check above is not vacuous."""
    import crmlab.summary as summary

    real = summary._full_summary

    def broken(*args, **kwargs):
        out = real(*args, **kwargs)
        out["total_spend"] = out["total_spend"] + 0.01
        return out

    monkeypatch.setattr(summary, "_full_summary", broken)
    log = load_transactions(io.StringIO("customer_id,date,amount\na,2024-01-02,5\n"), as_of=AS_OF)
    with pytest.raises(AssertionError):
        _check_summaries(log, 5.0)


@pytest.mark.parametrize("value", [np.arange(5000.0).reshape(50, 100), "x" * 500, list(range(1000))])
def test_a_huge_bad_parameter_is_quoted_as_one_short_line(value):
    """Every validator quotes a bad value through validation.excerpt: one line, never the whole value."""
    from crmlab.errors import ParameterError
    from crmlab.validation import check_date, check_number

    for check in (lambda: check_number(value, "n"), lambda: check_date(value, "as_of")):
        with pytest.raises(ParameterError) as info:
            check()
        message = str(info.value)
        assert "\n" not in message and len(message) < 160, message
