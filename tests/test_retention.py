"""Tests for crmlab.retention: hand-computed logs, seed numbers, errors, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import retention as R
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
    assert s["days_since_last"].tolist() == [57.0, 81.0, 22.0, 16.0]
    assert s["churned"].tolist() == [True, True, False, False]
    assert R.churn_rate(log4, 30, "2024-03-31") == 0.5
    # exactly at the threshold is not churned (strictly greater)
    assert R.churn_rate(log4, 81, "2024-03-31") == 0.0
    # purchases after as_of are ignored
    assert R.churn_status(log4, 30, "2024-02-10")["last"].max() == pd.Timestamp("2024-02-03")


@pytest.mark.parametrize("bad", [0, -30, 0.0, float("nan"), True, "90", None])
def test_nonpositive_or_bad_threshold(log4, bad):
    with pytest.raises(ParameterError, match="threshold_days must be a positive number"):
        R.churn_status(log4, bad, "2024-03-31")
    with pytest.raises(ParameterError, match="threshold_days"):
        R.survival_table(log4, bad, "2024-03-31")


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
    from crmlab.datasets import load_cdnow, simulate_transactions

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
    with pytest.raises(DataError, match="no purchases on or before"):
        R.cohort_matrix(log4, as_of="2020-01-01")
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


# --------------------------------------------------------------------------- survival
def test_survival_table_hand_computed():
    log = make_log(
        [
            (1, "2024-01-01", 1.0),  # gaps 10, then 142 > 30 -> churn at day 10
            (1, "2024-01-11", 1.0),
            (1, "2024-06-01", 1.0),
            (2, "2024-02-20", 1.0),  # gaps 19, open 21 -> censored at 40 - 30 = 10
            (2, "2024-03-10", 1.0),
            (3, "2024-03-01", 1.0),  # one-time buyer, open gap 30: not > 30 -> censored at 0
        ]
    )
    t = R.survival_table(log, 30, "2024-03-31", cohort_period="M")
    assert t["duration"].tolist() == [10.0, 10.0, 0.0]
    assert t["event"].tolist() == [1, 0, 0]
    assert t["n_purchases"].tolist() == [2, 2, 1]  # purchases up to as_of only
    assert t["cohort"].astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    w = R.survival_table(log, 30, "2024-03-31", unit="W", cohort_period=None)
    assert w["duration"].iloc[0] == pytest.approx(10 / 7)


def test_survival_table_drops_unassessable_with_warning():
    log = make_log([(1, "2024-01-01", 1.0), (2, "2024-03-20", 1.0)])
    with pytest.warns(CrmlabWarning, match="1 of 2 customers"):
        t = R.survival_table(log, 30, "2024-03-31")
    assert t.index.tolist() == [1]
    with pytest.raises(DataError, match="no customer was acquired"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CrmlabWarning)
            R.survival_table(log, 300, "2024-03-31")


def test_kaplan_meier_hand_computed():
    km = R.kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
    assert km.table["time"].tolist() == [1.0, 2.0, 3.0]
    assert km.table["at_risk"].tolist() == [5, 4, 2]
    np.testing.assert_allclose(km.table["survival"], [0.8, 0.6, 0.3])
    # Greenwood: var S(1) = 0.8^2 * 1/(5*4)
    assert km.table["se"].iloc[0] == pytest.approx(0.8 * np.sqrt(1 / 20))
    assert (km.table["lower"] <= km.table["survival"]).all()
    assert (km.table["upper"] >= km.table["survival"]).all()
    assert km.median == 3.0
    assert km.n == 5 and km.n_events == 3
    assert km.survival_at(0.5) == 1.0 and km.survival_at(2.5) == pytest.approx(0.6)
    assert R.restricted_mean_lifetime(km, 4) == pytest.approx(1 + 0.8 + 0.6 + 0.3)


def test_kaplan_meier_and_logrank_match_published_freireich_results():
    # Freireich et al. (1963) leukaemia remission data (Gehan 1965); R survival's
    # survfit(conf.type = "log-log") gives S(6) = 0.857 [0.620, 0.952], median 23 [13, NA];
    # survdiff gives chi-square 16.8 on 1 df.
    t = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    e = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    km = R.kaplan_meier(t, e)
    first = km.table.iloc[0]
    assert (first["survival"], first["se"]) == pytest.approx((0.8571, 0.0764), abs=1e-4)
    assert (first["lower"], first["upper"]) == pytest.approx((0.6197, 0.9516), abs=1e-4)
    assert km.table["survival"].iloc[-1] == pytest.approx(0.4482, abs=1e-4)
    assert km.median == 23 and km.median_lower == 13 and np.isinf(km.median_upper)
    placebo = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
    lr = R.logrank_test(t + placebo, e + [1] * 21, ["6-MP"] * 21 + ["placebo"] * 21)
    assert lr.statistic == pytest.approx(16.79, abs=0.01)
    assert lr.p_value == pytest.approx(4.17e-5, rel=0.01)


def test_kaplan_meier_accepts_bool_flags_and_unreached_median():
    km = R.kaplan_meier(np.array([1.0, 2.0, 3.0]), pd.Series([True, False, False]))
    assert np.isnan(km.median)
    assert km.table["survival"].tolist() == pytest.approx([2 / 3])


@pytest.mark.parametrize(
    "events, match",
    [
        (["yes", "no", "yes"], r"events\[0\] = 'yes'"),
        ([1, 2, 0], r"events\[1\] = 2"),
        ([1.0, np.nan, 0.0], r"events\[1\] = nan"),
        ([1, None, 0], r"events\[1\] = None"),
        ("101", "1-D sequence"),
        ([1, 0], "events has 2 entries but durations has 3"),
    ],
)
def test_wrongly_typed_censoring_flags(events, match):
    with pytest.raises(DataError, match=match):
        R.kaplan_meier([1, 2, 3], events)
    with pytest.raises(DataError):
        R.logrank_test([1, 2, 3], events, ["a", "b", "b"])


def test_bad_durations():
    with pytest.raises(DataError, match="negative"):
        R.kaplan_meier([1, -2], [1, 1])
    with pytest.raises(DataError, match="durations"):
        R.kaplan_meier(["a", 1], [1, 1])
    with pytest.raises(DataError, match="empty"):
        R.kaplan_meier([], [])


def test_logrank_hand_computed():
    # O_a = 3, E_a = 0.5 + 0.4 + 0.25 = 1.15, V = 0.25 + 0.24 + 0.1875 = 0.6775
    r = R.logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1], ["a"] * 3 + ["b"] * 3)
    assert r.statistic == pytest.approx(1.85**2 / 0.6775)
    assert r.df == 1 and r.groups == ("a", "b")
    from scipy.stats import chi2

    assert r.p_value == pytest.approx(chi2.sf(r.statistic, 1))
    with pytest.raises(DataError, match="at least two groups"):
        R.logrank_test([1, 2], [1, 1], ["a", "a"])


def test_survival_on_synthetic_truth_is_sensible():
    from crmlab.datasets import simulate_transactions

    tx, truth = simulate_transactions(800, seed=11)
    t = R.survival_table(tx, 120, "2023-12-31")
    km = R.kaplan_meier(t["duration"], t["event"])
    pat = truth.set_index("customer_id").loc[t.index, "pattern"]
    # long-lasting customers (IV) survive longer than early aborts (I)
    iv = R.kaplan_meier(t["duration"][pat == "IV"], t["event"][pat == "IV"])
    one = R.kaplan_meier(t["duration"][pat == "I"], t["event"][pat == "I"])
    assert iv.survival_at(365) > one.survival_at(365) + 0.3
    assert R.logrank_test(t["duration"], t["event"], pat).p_value < 1e-6
    assert 0 < km.n_events < km.n


# --------------------------------------------------------------------------- churn model
def test_auc_rank_formula_and_roc():
    assert R.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert R.auc([0, 1], [0.5, 0.5]) == 0.5
    assert R.auc([1, 1, 0], [3, 2, 1]) == 1.0
    roc = R.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert roc["fpr"].tolist() == [0, 0, 0.5, 0.5, 1]
    assert roc["tpr"].tolist() == [0, 0.5, 0.5, 1, 1]
    # trapezoid area of the ROC equals the rank AUC
    assert np.trapezoid(roc["tpr"], roc["fpr"]) == pytest.approx(0.75)
    with pytest.raises(DataError, match="only one class"):
        R.auc([1, 1], [0.2, 0.3])


def test_auc_matches_trapezoid_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.normal(y, 1.0), 1)  # many ties
    roc = R.roc_curve(y, s)
    assert R.auc(y, s) == pytest.approx(np.trapezoid(roc["tpr"], roc["fpr"]))


def test_churn_features_and_logit():
    from crmlab.datasets import simulate_transactions

    tx, _ = simulate_transactions(600, seed=2)
    f = R.churn_features(tx, "2022-06-30", "2023-06-30")
    assert set(f["churn"].unique()) <= {0.0, 1.0}
    assert (f["recency_days"] >= 0).all() and (f["frequency"] >= 0).all()
    assert (f["recency_days"] <= f["tenure_days"]).all()
    res = R.fit_churn_logit(f, ["recency_days", "frequency"])
    ort = R.odds_ratio_table(res)
    assert ort.loc["recency_days", "odds_ratio"] > 1  # longer silence, more churn
    assert (ort["or_lower_95"] <= ort["odds_ratio"]).all()
    p = res.predict()
    assert 0.6 < R.auc(f["churn"], p) <= 1
    cal = R.calibration_table(f["churn"], p, bins=5)
    assert cal["n"].sum() == len(f)
    # logit is calibrated in the large: mean prediction = churn rate
    assert (cal["n"] * cal["predicted"]).sum() / len(f) == pytest.approx(f["churn"].mean(), abs=1e-6)
    with pytest.raises(DataError, match="missing column"):
        R.fit_churn_logit(f, ["recency"])
    with pytest.raises(ParameterError, match="holdout_end"):
        R.churn_features(tx, "2022-06-30", "2022-01-01")


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
    g = R.uplift_grid([0.5, 0.9], [0.0, 0.1])
    assert g.shape == (2, 2) and g.loc[0.1, 0.9] == pytest.approx(0.2 / 0.15 - 1)


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


def test_breakeven_and_funnel():
    b = R.retention_spend_breakeven(500, 100, 0.25)
    assert b["breakeven_ratio"] == 4.0 and b["pays"] is True
    assert R.retention_spend_breakeven(500, 100, 0.2)["pays"] is False  # 5x == 1/0.2: no gain
    f40 = R.funnel_economics(1000, 0.4, share_three_plus=0.5)
    f80 = R.funnel_economics(1000, 0.8, share_three_plus=0.5)
    # 1000*150 + 1000*5 + 400*5 + 200*30 = 163,000
    assert f40["total_cost"] == 163000.0
    assert f80["total_cost"] == 150000 + 5000 + 4000 + 12000
    assert f40["cost_per_buyer"] == pytest.approx(163000 / 400)
    assert f80["cost_per_buyer"] < f40["cost_per_buyer"]
    with pytest.raises(ParameterError, match="conversion"):
        R.funnel_economics(1000, 1.4, share_three_plus=0.5)


def test_retention_levels_and_indicators(log4):
    t = R.retention_levels()
    assert t["level"].tolist() == [1, 2, 3]
    assert t["bond"].tolist() == ["financial", "social", "structural"]
    ind = R.retention_indicators(log4, "M")
    assert ind.index.astype(str).tolist() == ["2024-02", "2024-03"]
    assert ind["retention_rate"].tolist() == pytest.approx([1 / 3, 1 / 2])
    assert ind["won_back_share"].tolist() == pytest.approx([0.0, 0.5])
    assert ind["repeat_rate"].tolist() == [0.0, 0.0]
    assert ind["revenue_per_active"].tolist() == pytest.approx([14.0, 7.5])
