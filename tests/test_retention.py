"""Tests for crmlab.retention: hand-computed logs, seed numbers, errors, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import retention as R
from crmlab import survival as S
from crmlab.errors import CrmlabWarning, DataError, ParameterError


def make_log(rows):
    cid, dates, amounts = zip(*rows, strict=True)
    return pd.DataFrame(
        {"customer_id": list(cid), "date": pd.to_datetime(list(dates)), "amount": list(amounts)}
    )


@pytest.fixture
def log4():
    # Jan active {1,2,4}; Feb {1,3}; Mar {3,4}; customer 4 skips Feb (won back in Mar)
    return make_log(
        [
            (1, "2024-01-05", 10.0),
            (1, "2024-02-03", 20.0),
            (2, "2024-01-10", 5.0),
            (3, "2024-02-01", 8.0),
            (3, "2024-03-09", 9.0),
            (4, "2024-01-20", 4.0),
            (4, "2024-03-15", 6.0),
        ]
    )


# --------------------------------------------------------------------------- period metrics
def test_retention_by_period_hand_computed(log4):
    t = R.retention_by_period(log4, "M")
    assert t["active"].tolist() == [3, 2, 2]
    assert t["new"].tolist() == [3, 1, 0]
    assert t["retained"].tolist() == [0, 1, 1]
    assert t["won_back"].tolist() == [0, 0, 1]
    assert np.isnan(t["retention_rate"].iloc[0])
    assert t["retention_rate"].iloc[1:].tolist() == pytest.approx([1 / 3, 1 / 2])
    assert t["churn_rate"].iloc[1:].tolist() == pytest.approx([2 / 3, 1 / 2])
    assert t["revenue"].tolist() == pytest.approx([19.0, 28.0, 15.0])
    # the seed's identity, extended with won-back customers
    lhs = t["active"].iloc[1:].to_numpy()
    rhs = (t["new"] + t["retention_rate"] * t["active"].shift() + t["won_back"]).iloc[1:]
    assert lhs == pytest.approx(rhs.to_numpy())


def test_retention_rate_scalar(log4):
    assert R.retention_rate(log4, "2024-02-15") == pytest.approx(1 / 3)
    assert R.retention_rate(log4, "2024-03-01") == pytest.approx(0.5)


def test_retention_rate_period_without_customers(log4):
    with pytest.raises(DataError, match="2023-12 has no active customers"):
        R.retention_rate(log4, "2024-01-15")
    gap = make_log([(1, "2024-01-05", 1.0), (1, "2024-03-05", 1.0)])
    with pytest.raises(DataError, match="no active customers"):
        R.retention_rate(gap, "2024-03-10")
    t = R.retention_by_period(gap)
    assert t["active"].tolist() == [1, 0, 1]
    assert np.isnan(t["retention_rate"].iloc[2])  # undefined, not 0


def test_repeat_purchase_rate(log4):
    assert R.repeat_purchase_rate(log4) == pytest.approx(0.75)
    # from Feb: customers 1, 3, 4 buy; only 3 twice
    assert R.repeat_purchase_rate(log4, start="2024-02-01") == pytest.approx(1 / 3)
    with pytest.raises(DataError, match="no purchases"):
        R.repeat_purchase_rate(log4, start="2025-01-01")


def test_repeat_purchase_counts_occasions_not_rows():
    log = make_log([(1, "2024-01-01", 1.0), (1, "2024-01-01", 2.0), (2, "2024-01-02", 1.0)])
    assert R.repeat_purchase_rate(log) == 0.0


def test_churn_status_and_rate(log4):
    s = R.churn_status(log4, 30, "2024-03-31")
    assert s["recency_days"].tolist() == [57, 81, 22, 16]
    assert s["purchases"].tolist() == [2, 1, 2, 2]
    assert s["churned"].tolist() == [True, True, False, False]
    assert R.churn_rate(log4, 30, "2024-03-31") == 0.5
    # exactly at the threshold is not churned (strictly greater)
    assert R.churn_rate(log4, 81, "2024-03-31") == 0.0
    # purchases after as_of are ignored
    assert R.churn_status(log4, 30, "2024-02-10")["last_purchase"].max() == pd.Timestamp("2024-02-03")


@pytest.mark.parametrize("bad", [0, -30, 0.0, float("nan"), True, "90", None])
def test_nonpositive_or_bad_threshold(log4, bad):
    with pytest.raises(ParameterError, match=r"threshold_days \(the days of inactivity that count as churn\) must be"):
        R.churn_status(log4, bad, "2024-03-31")
    with pytest.raises(ParameterError, match="threshold_days"):
        S.survival_table(log4, bad, "2024-03-31")  # the same validator guards both


def test_win_back_rate(log4):
    # lapsed at 02-29 (>30 days): customers 2 and 4; only 4 buys in the next 30 days
    assert R.win_back_rate(log4, 30, "2024-02-29", 30) == 0.5
    assert R.win_back_rate(log4, 30, "2024-02-29", 5) == 0.0
    with pytest.raises(DataError, match="no customer is lapsed"):
        R.win_back_rate(log4, 300, "2024-02-29", 30)


def test_threshold_effect(log4):
    t = R.threshold_effect(log4, [20, 45], "2024-02-15")
    # at 02-15: days since last = 1:12, 2:36, 3:14, 4:26; later buyers = {3, 4}
    assert t["churn_rate"].tolist() == [0.5, 0.0]
    assert t["false_churn"].iloc[0] == 0.5  # of {2, 4} churned at 20 days, 4 came back
    assert t["missed_churn"].tolist() == [0.5, 0.5]


# --------------------------------------------------------------------------- cohorts
def test_cohort_matrix_hand_computed(log4):
    counts = R.cohort_matrix(log4, value="count")
    assert counts.index.astype(str).tolist() == ["2024-01", "2024-02"]
    np.testing.assert_array_equal(counts.to_numpy(), [[3, 1, 1], [1, 1, np.nan]])
    rates = R.cohort_matrix(log4)
    np.testing.assert_allclose(rates.to_numpy(), [[1, 1 / 3, 1 / 3], [1, 1, np.nan]])
    rev = R.cohort_matrix(log4, value="revenue")
    np.testing.assert_allclose(rev.to_numpy(), [[19, 20, 6], [8, 9, np.nan]])
    rpc = R.cohort_matrix(log4, value="revenue_per_customer")
    np.testing.assert_allclose(rpc.iloc[0].to_numpy(), [19 / 3, 20 / 3, 2])
    assert rates.attrs["cohort_size"] == {"2024-01": 3, "2024-02": 1}


def test_cohort_matrix_first_column_is_one_on_real_and_synthetic_data():
    from crmlab.datasets import load_cdnow
    from crmlab.simulate import simulate_transactions

    for log in (load_cdnow("sample"), simulate_transactions(300, seed=4)[0]):
        for period in ("W", "M", "Q"):
            m = R.cohort_matrix(log, period=period)
            assert (m[0] == 1.0).all()
            vals = m.to_numpy()
            assert np.nanmin(vals) >= 0 and np.nanmax(vals) <= 1


def test_cohort_matrix_as_of_and_unobserved_cells(log4):
    m = R.cohort_matrix(log4, as_of="2024-02-28")
    np.testing.assert_allclose(m.to_numpy(), [[1, 1 / 3], [1, np.nan]])
    q = R.cohort_matrix(log4, period="Q", value="count")
    assert q.to_numpy().tolist() == [[4.0]]


def test_cohort_matrix_bad_arguments(log4):
    with pytest.raises(ParameterError, match="value must be one of"):
        R.cohort_matrix(log4, value="share")
    with pytest.raises(ParameterError, match="period must be one of"):
        R.cohort_matrix(log4, period="month")
    with pytest.raises(DataError, match="no customer made a first purchase .* up to 2020-01-01"):
        R.cohort_matrix(log4, as_of="2020-01-01")
    with pytest.raises(DataError, match="no customer made a first purchase"):  # returns only
        R.churn_status(log4.assign(amount=-1.0), 30)
    with pytest.raises(DataError, match="column 'amount'"):
        R.cohort_matrix(log4.assign(amount=["x"] * len(log4)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 8), st.integers(0, 400), st.floats(0.01, 500)),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(["W", "M", "Q"]),
)
def test_cohort_rates_in_unit_interval(rows, period):
    log = pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta([r[1] for r in rows], unit="D"),
            "amount": [r[2] for r in rows],
        }
    )
    m = R.cohort_matrix(log, period=period)
    vals = m.to_numpy()
    finite = vals[~np.isnan(vals)]
    assert ((finite >= 0) & (finite <= 1)).all()
    assert (m[0] == 1.0).all()
    counts = R.cohort_matrix(log, period=period, value="count")
    assert counts[0].sum() == log["customer_id"].nunique()


# --------------------------------------------------------------------------- seed claims
def test_churn_cut_uplift():
    # Reichheld-style: 5 points more retention, r=0.9, d=0.1: CLV 1.1/0.2 -> 1.1/0.15
    assert R.churn_cut_profit_uplift(1, 0.9, 0.1) == pytest.approx(0.2 / 0.15 - 1)
    # margin cancels without acquisition cost
    assert R.churn_cut_profit_uplift(5, 0.7, 0.1) == pytest.approx(R.churn_cut_profit_uplift(500, 0.7, 0.1))
    # acquisition cost makes the relative gain larger
    assert R.churn_cut_profit_uplift(100, 0.7, 0.1, acquisition_cost=200) > R.churn_cut_profit_uplift(100, 0.7, 0.1)
    rel = R.churn_cut_profit_uplift(1, 0.8, 0.1, mode="relative")  # churn 0.2 -> 0.19
    assert rel == pytest.approx((1.1 / 0.29) / (1.1 / 0.3) - 1)
    assert np.isnan(R.churn_cut_profit_uplift(100, 0.5, 0.1, acquisition_cost=1000))
    grid = R.churn_cut_profit_uplift(100, np.array([[0.5, 0.9]]), np.array([[0.0], [0.1]]))
    assert grid.shape == (2, 2) and grid[1, 1] == pytest.approx(0.2 / 0.15 - 1)


def test_repeat_revenue_share_and_concentration(log4):
    # first occasions: 10 + 5 + 8 + 4 = 27 of 62
    assert R.repeat_revenue_share(log4) == pytest.approx(35 / 62)
    c = R.revenue_concentration(log4, [0.25, 0.5])
    # totals 30, 17, 10, 5: top 1 of 4 -> 30/62, 30 / mean(17, 10, 5)
    assert c["n_top"].tolist() == [1, 2]
    assert c["revenue_share"].tolist() == pytest.approx([30 / 62, 47 / 62])
    assert c["best_to_rest"].tolist() == pytest.approx([30 / (32 / 3), 23.5 / 7.5])
    with pytest.raises(DataError, match="empty group"):
        R.revenue_concentration(log4, [0.05])


def test_retention_indicators(log4):
    ind = R.retention_indicators(log4, "M")
    assert ind.index.astype(str).tolist() == ["2024-02", "2024-03"]
    assert ind["retention_rate"].tolist() == pytest.approx([1 / 3, 1 / 2])
    assert ind["won_back_share"].tolist() == pytest.approx([0.0, 0.5])
    assert ind["repeat_rate"].tolist() == [0.0, 0.0]
    assert ind["revenue_per_active"].tolist() == pytest.approx([14.0, 7.5])


def test_repeat_revenue_counts_purchase_days_only(log4):
    # a zero-amount day (customer 1) and a return (customer 3) before the first purchase are not
    # purchases: the next purchase is the first one, not a repeat (the old code counted every
    # customer-day and gave (10 + 10 + 15) / 50 = 0.7)
    log = make_log([(1, "2024-01-01", 0.0), (1, "2024-01-05", 10.0), (2, "2024-01-02", 20.0),
                    (2, "2024-01-09", 10.0), (3, "2024-01-01", -5.0), (3, "2024-01-03", 15.0)])
    assert R.repeat_revenue_share(log) == pytest.approx(10 / 55)
    # a customer with only a zero-amount day is not a customer of the concentration table
    # (the old code counted 5 customers: 30 / mean(17, 10, 5, 0) = 3.75)
    c = R.revenue_concentration(pd.concat([log4, make_log([(5, "2024-01-02", 0.0)])]), [0.25])
    assert c["n_top"].tolist() == [1]
    assert c["best_to_rest"].tolist() == pytest.approx([30 / (32 / 3)])


# --------------------------------------------------------------------------- hostile inputs
def test_retention_rate_after_the_log_is_not_observed(log4):
    # the log ends in March: April's rate was returned as 0.0 before (nobody seen buying)
    with pytest.raises(DataError, match="period 2024-04 is after the log"):
        R.retention_rate(log4, "2024-04-15")


def test_windows_past_the_log_are_announced(log4):
    # lapsed at Feb 29 (threshold 30): {2, 4}; 4 returns on Mar 1. The window reaches past the log.
    with pytest.warns(UserWarning, match=r"window_days reaches 2025-02-28, after the log ends \(2024-03-"):
        assert R.win_back_rate(log4, 30, "2024-02-29", 365) == 0.5
    with pytest.warns(UserWarning, match="horizon_days reaches"):
        R.threshold_effect(log4, [20], "2024-02-15", horizon_days=1000)
    with pytest.raises(ParameterError, match="window_days must be > 0"):
        R.win_back_rate(log4, 30, "2024-02-29", 0)


def test_one_threshold_or_share_as_a_scalar(log4):
    assert R.threshold_effect(log4, 20, "2024-02-15").equals(R.threshold_effect(log4, [20], "2024-02-15"))
    assert R.revenue_concentration(log4, 0.5).equals(R.revenue_concentration(log4, [0.5]))


def test_log_without_purchases_gets_the_summary_error():
    returns = make_log([(1, "2024-01-01", 0.0), (2, "2024-02-01", -3.0)])
    for f in (R.active_matrix, R.retention_by_period, R.retention_indicators,
              lambda log: R.purchases_in_first(log, 30)):
        with pytest.raises(DataError, match="no customer made a first purchase"):
            f(returns)


def test_as_of_outside_the_supported_years(log4):
    # was a 3,300-column cohort matrix and a raw OutOfBoundsDatetime from survival_table
    with pytest.raises(ParameterError, match="as_of 2300-01-01 is outside the supported years"):
        R.cohort_matrix(log4, as_of="2300-01-01")
    with pytest.raises(ParameterError, match="as_of 2300-01-01 is outside the supported years"):
        S.survival_table(log4, 10, "2300-01-01")


def test_default_as_of_is_the_last_day_in_the_log_everywhere():
    # the log runs to a return on Apr 10: cohort_matrix and survival_table stopped at the last
    # purchase (Feb 1) while the summary and the SQL engines observe up to Apr 10
    log = make_log([(1, "2024-01-05", 10.0), (1, "2024-02-01", 5.0), (2, "2024-02-01", 7.0),
                    (2, "2024-04-10", -7.0)])
    cm = R.cohort_matrix(log)
    assert cm.columns.tolist() == [0, 1, 2, 3]
    assert cm.fillna(-1).to_numpy().tolist() == [[1, 1, 0, 0], [1, 0, 0, -1]]
    t = S.survival_table(log, 20, cohort_period=None)
    assert t[["duration", "event"]].to_numpy().tolist() == [[0.0, 1.0], [0.0, 1.0]]  # 2 was "too new"
    pytest.importorskip("duckdb")
    from crmlab.engines import engine_cohort_matrix

    pd.testing.assert_frame_equal(cm, engine_cohort_matrix(log, engine="duckdb"), check_dtype=False)


@pytest.mark.parametrize("name", ["customer_id", "date"])
def test_an_index_named_like_a_column(log4, name):
    # log.set_index("customer_id", drop=False): a raw 'both an index level and a column label' error
    log = log4.set_index(log4["customer_id"].rename(name))
    assert R.cohort_matrix(log).equals(R.cohort_matrix(log4))
    assert R.retention_by_period(log).equals(R.retention_by_period(log4))
    assert S.survival_table(log, 10).equals(S.survival_table(log4, 10))


def test_a_partial_last_period_is_announced():
    log = pd.DataFrame({"customer_id": [1, 2, 1, 2], "amount": [1.0, 1.0, 1.0, -1.0],
                        "date": pd.to_datetime(["2024-01-05", "2024-01-06", "2024-02-03", "2024-02-10"])})
    with pytest.warns(CrmlabWarning, match=r"ends 2024-02-10, inside period 2024-02 \(10 of 29 days observed\)"):
        t = R.retention_by_period(log, "M")
    assert t["retention_rate"].iloc[-1] == 0.5  # the number is kept; the note says what it covers
    with pytest.warns(CrmlabWarning, match="retention_rate: the log ends 2024-02-10"):
        assert R.retention_rate(log, "2024-02-01") == 0.5
    full = log.assign(date=pd.to_datetime(["2024-01-05", "2024-01-06", "2024-02-03", "2024-02-29"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", CrmlabWarning)
        R.retention_by_period(full, "M")  # February observed to its last day: no note
        march = log.assign(date=pd.to_datetime(["2024-01-05", "2024-01-06", "2024-02-03", "2024-03-10"]))
        assert R.retention_rate(march, "2024-02-15") == 0.5  # February is complete: no note
