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
from crmlab import ahp, btyd, clv, lifecycle, retention, rfm, segmentation, value
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
    ("retention of 1", lambda: clv.retention_clv(100, 1.0, 0.1), ParameterError, "retention"),
    ("retention above 1", lambda: clv.retention_clv(100, 1.2, 0.1), ParameterError, "retention"),
    ("negative retention", lambda: clv.retention_clv(100, -0.1, 0.1), ParameterError, "retention"),
    ("discount of -100%", lambda: clv.retention_clv(100, 0.8, -1.0), ParameterError, "discount"),
    ("negative horizon", lambda: clv.retention_clv(100, 0.8, 0.1, horizon=-3), ParameterError, "horizon"),
    ("mismatched arrays", lambda: clv.retention_clv([100, 200], [0.8, 0.7, 0.6], 0.1), ParameterError, ""),
    ("non-positive churn threshold", lambda: retention.churn_status(log(), 0), ParameterError, "threshold"),
    ("text churn threshold", lambda: retention.churn_status(log(), "90"), ParameterError, "threshold"),
    ("censoring flags as text", lambda: retention.kaplan_meier([1, 2, 3], ["yes", "no", "yes"]), DataError, "yes"),
    ("censoring flags of 2", lambda: retention.kaplan_meier([1, 2, 3], [1, 2, 0]), DataError, "2"),
    ("negative durations", lambda: retention.kaplan_meier([1, -2, 3], [1, 0, 1]), DataError, "-2"),
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
    ("unparseable simulation start", lambda: crmlab.datasets.simulate_transactions(5, start="bad"),
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
    (lambda: as_float_array([1.0, float("nan")], "amounts"), ParameterError, r"amounts\[1\] is NaN"),
    (lambda: as_finite_vector([1.0, 10**400], "values"), DataError, "values must be numbers"),
    (lambda: as_finite_vector(np.array([True, False]), "values"), DataError, "booleans"),
    (lambda: check_date("soon", "CAL_END"), ParameterError, "CAL_END must be a date such as"),
    (lambda: check_date(1997, "CAL_END"), ParameterError, "a number is not read as a date"),
    (lambda: check_date(np.int64(3), "AS_OF"), ParameterError, "AS_OF .* a number is not read"),
    (lambda: check_date(True, "AS_OF"), ParameterError, "AS_OF must be a date"),
    (lambda: check_date(float("nan"), "AS_OF"), ParameterError, "AS_OF must be a date"),
], ids=["list bool", "bool array", "huge int", "complex", "NaN", "vector huge int", "vector bool",
        "date soon", "date as year number", "date numpy int", "date bool", "date NaN"])
def test_array_and_date_validators_name_the_bad_entry(call, error, fragment):
    with pytest.raises(error, match=fragment):
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
        btyd.clv(fit, None, s, horizon=horizon, period=period, discount_rate=0.01)


def test_btyd_clv_vectorised_path_is_the_step_by_step_sum(_bg_fit):
    s, fit = _bg_fit
    s = s.iloc[:100]
    K, period, d = 30, 0.5, 0.01
    v = btyd.clv(fit, None, s, horizon=K * period, period=period, discount_rate=d)
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
