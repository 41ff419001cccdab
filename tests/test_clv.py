"""Tests for crmlab.clv: seed numbers, hand-computed cases, conventions, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import clv, finance
from crmlab.datasets import load_seed_table
from crmlab.errors import CrmlabWarning, DataError, ParameterError


# --------------------------------------------------------------------------- software case
def test_software_case_data_hold_the_seed_sums():
    # the tidy file behind notebook 03's year table: the seed's purchases and costs, once each
    case = load_seed_table("software_case")
    by = case.pivot_table(index="year", columns="category", values="amount", aggfunc="sum", fill_value=0)
    direct = by[["first_purchase", "up_sell", "cross_sell"]].sum(axis=1)
    assert direct.tolist() == [800, 750, 700, 500, 3200]
    assert by["referral"].tolist() == [0, 800, 1550, 3050, 2700]
    assert by["development_cost"].tolist() == [850, 100, 100, 100, 100]
    assert direct.loc[2:5].sum() + by["referral"].loc[2:5].sum() == 13250  # the seed prints 13,200
    assert (direct + by["referral"] - by["development_cost"]).sum() == 12800


# --------------------------------------------------------------------------- two buyers
def test_two_buyers_present_value():
    # purchase k at period k x interval: the two-buyers case with crmlab.finance.present_value
    b = load_seed_table("two_buyers")
    a_amt, b_amt = b.query("buyer == 'A'")["amount"], b.query("buyer == 'B'")["amount"]
    assert finance.present_value(a_amt, np.arange(len(a_amt)), 0.0) == 185000
    assert finance.present_value(b_amt, 2 * np.arange(len(b_amt)), 0.1) == pytest.approx(
        15000 * (1 + 1.1**-2 + 1.1**-4))


def test_break_even_discount():
    a = load_seed_table("two_buyers").query("buyer == 'A'")["amount"].to_numpy()
    b = [15000] * 3
    d = clv.break_even_discount(a, b, interval_a=3, interval_b=3)
    assert 0 < d < 1
    assert finance.present_value(a, 3 * np.arange(len(a)), d) == pytest.approx(
        finance.present_value(b, 3 * np.arange(len(b)), d), rel=1e-9)
    # longer intervals push A's later purchases further away: lower break-even rate
    assert clv.break_even_discount(a, b, interval_a=5, interval_b=5) < d
    # a stream that dominates at every rate never breaks even
    assert np.isnan(clv.break_even_discount([2, 2], [1, 1]))


# --------------------------------------------------------------------------- retention CLV
def test_margin_multiplier_table_matches_gupta_lehmann():
    # Gupta & Lehmann (2003, 2005): margin multiple r/(1+i-r)
    published = {
        0.10: [1.20, 1.75, 2.67, 4.50],
        0.12: [1.15, 1.67, 2.50, 4.09],
        0.14: [1.11, 1.59, 2.35, 3.75],
        0.16: [1.07, 1.52, 2.22, 3.46],
    }
    tab = clv.margin_multiplier_table()
    for d, col in published.items():
        np.testing.assert_allclose(tab[d].round(2).to_numpy(), col)
    assert tab.loc[0.8, 0.12] == pytest.approx(2.5)
    t0 = clv.margin_multiplier_table(first_margin_at=0)
    np.testing.assert_allclose(t0.to_numpy(), tab.to_numpy() * (1 + tab.columns.to_numpy()) / tab.index.to_numpy()[:, None])


# --------------------------------------------------------------------------- Dwyer
def test_lost_for_good_hand_table():
    t = clv.lost_for_good([100, 120, 150], [0.5, 0.8], 0.1, customers=1000, acquisition_cost=30)
    assert t["active"].tolist() == [1000, 500, 400]
    assert t["profit"].tolist() == [100000, 60000, 60000]
    total = 100000 + 60000 / 1.1 + 60000 / 1.21
    assert t["cum_pv"].iloc[-1] == pytest.approx(total)
    assert t["clv_per_customer"].iloc[-1] == pytest.approx(total / 1000 - 30)


def test_lost_for_good_equals_retention_clv_with_constant_rate():
    t = clv.lost_for_good([100] * 40, 0.8, 0.12)
    assert t["clv_per_customer"].iloc[-1] == pytest.approx(
        finance.retention_clv(100, 0.8, 0.12, horizon=40, first_margin_at=0), rel=1e-12)


def test_lost_for_good_errors():
    with pytest.raises(ParameterError, match="one rate per transition"):
        clv.lost_for_good([1, 2, 3], [0.5], 0.1)
    with pytest.raises(ParameterError, match=r"\[0, 1\]"):
        clv.lost_for_good([1, 2], [1.5], 0.1)


def test_migration_clv_two_state_equals_retention_model():
    P = [[0.8, 0.2], [0.0, 1.0]]
    v = clv.migration_clv(P, [100, 0], 0.12)
    assert v[0] == pytest.approx(finance.retention_clv(100, 0.8, 0.12, first_margin_at=0), rel=1e-12)
    v5 = clv.migration_clv(P, [100, 0], 0.12, horizon=5)
    assert v5[0] == pytest.approx(finance.retention_clv(100, 0.8, 0.12, horizon=5, first_margin_at=0))
    fut = clv.migration_clv(P, [100, 0], 0.12, include_current=False)
    assert fut[0] == pytest.approx(finance.retention_clv(100, 0.8, 0.12), rel=1e-12)


def test_migration_clv_three_state_hand_computed():
    P = np.array([[0.5, 0.5, 0.0], [0.3, 0.0, 0.7], [0.1, 0.0, 0.9]])
    R = np.array([40.0, -2.0, -1.0])
    d = 0.2
    # horizon 2: R + P R / (1+d)
    np.testing.assert_allclose(clv.migration_clv(P, R, d, horizon=2), R + P @ R / 1.2)
    inf = clv.migration_clv(P, R, d)
    np.testing.assert_allclose(inf, np.linalg.inv(np.eye(3) - P / 1.2) @ R)
    np.testing.assert_allclose(clv.migration_clv(P, R, d, horizon=400), inf, rtol=1e-9)
    df = pd.DataFrame(P, index=[1, 2, 3], columns=[1, 2, 3])
    s = clv.migration_clv(df, pd.Series(R), d)
    assert isinstance(s, pd.Series) and s.index.tolist() == [1, 2, 3]


def test_recency_transition_matrix_structure():
    P = clv.recency_transition_matrix([0.3, 0.2, 0.15, 0.05, 0.0])
    assert P.shape == (5, 5)
    np.testing.assert_allclose(P.sum(axis=1), 1)
    assert P.loc[1, 1] == 0.3 and P.loc[1, 2] == 0.7 and P.loc[4, 5] == 0.95 and P.loc[5, 5] == 1
    # with an absorbing last state and reward only in state 1, the chain value equals a hand sum
    R = np.array([40.0, 0, 0, 0, 0])
    v = clv.migration_clv(P, R, 0.2, horizon=3)
    P2 = P.to_numpy()
    np.testing.assert_allclose(v.to_numpy(), R + P2 @ R / 1.2 + P2 @ P2 @ R / 1.44)
    with pytest.raises(ParameterError, match="at least 2"):
        clv.recency_transition_matrix([0.5])
    with pytest.raises(ParameterError, match=r"\[0, 1\]"):
        clv.recency_transition_matrix([0.5, 1.5])


def test_migration_clv_errors():
    with pytest.raises(ParameterError, match="square"):
        clv.migration_clv([[1.0, 0.0]], [1, 2], 0.1)
    with pytest.raises(ParameterError, match="sums to"):
        clv.migration_clv([[0.5, 0.4], [0, 1]], [1, 2], 0.1)
    with pytest.raises(ParameterError, match="mismatched"):
        clv.migration_clv([[0.5, 0.5], [0, 1]], [1, 2, 3], 0.1)
    with pytest.raises(ParameterError, match="discount > 0"):
        clv.migration_clv([[0.5, 0.5], [0, 1]], [1, 2], 0.0)
    with pytest.raises(ParameterError, match="negative"):
        clv.migration_clv([[1.5, -0.5], [0, 1]], [1, 2], 0.1)


def log_of(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(
        date=lambda d: pd.to_datetime(d["date"]))


def test_recency_states_and_transition_matrix():
    log = log_of([
        (1, "2024-01-10", 10.0), (1, "2024-01-20", 5.0), (1, "2024-12-01", 20.0),
        (2, "2024-04-01", 8.0),
    ])
    s = clv.recency_states(log, freq="Q", n_states=3, end="2024-12-31", margin=0.5)
    c1 = s[s["customer_id"] == 1]
    assert c1["state"].tolist() == [1, 2, 3, 1]
    assert c1["value"].tolist() == [7.5, 0, 0, 10]
    c2 = s[s["customer_id"] == 2]
    assert c2["state"].tolist() == [1, 2, 3] and c2["t"].tolist() == [0, 1, 2]
    counts = clv.transition_matrix(s, n_states=3, counts=True)
    assert counts.to_numpy().tolist() == [[0, 2, 0], [0, 0, 2], [1, 0, 0]]
    P = clv.transition_matrix(s, n_states=3)
    assert P.to_numpy().tolist() == [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    r = clv.state_rewards(s, cost_per_period=1.0, n_states=3)
    assert r.tolist() == [pytest.approx((7.5 + 10 + 4) / 3 - 1), -1, -1]


def test_transition_matrix_unobserved_state():
    s = pd.DataFrame({"customer_id": [1, 1], "t": [0, 1], "state": [1, 2]})
    with pytest.raises(DataError, match="state 2 is never observed"):
        clv.transition_matrix(s, n_states=2)


# --------------------------------------------------------------------------- events / fitting
def test_forecast_and_discount_events():
    log = log_of([(1, "2023-01-01", 100.0), (1, "2024-01-01", 300.0), (2, "2023-06-01", 50.0)])
    ev = clv.forecast_events(log, "2024-01-01", horizon_years=2, margin=0.5, annual_retention=0.5,
                             service_cost_per_year=10, one_time_gap="median")
    p1 = ev[(ev["customer_id"] == 1) & (ev["kind"] == "purchase")]
    assert p1["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-12-31", "2025-12-31"]
    assert p1["value"].tolist() == [100, 100]  # 0.5 x mean occasion 200
    assert p1["probability"].iloc[0] == pytest.approx(0.5 ** (365 / 365.25))
    # customer 2 (one purchase) uses the repeat buyers' median gap (365 days)
    p2 = ev[(ev["customer_id"] == 2) & (ev["kind"] == "purchase")]
    assert p2["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-05-31", "2025-05-31"]
    sc = ev[ev["kind"] == "service_cost"]
    assert len(sc) == 4 and (sc["value"] == -10).all()
    pv = clv.discount_events(ev, "2024-01-01", 0.0, customers=[1, 2, 3])
    exp1 = (ev[ev["customer_id"] == 1]["value"] * ev[ev["customer_id"] == 1]["probability"]).sum()
    assert pv[1] == pytest.approx(exp1)
    assert pv[3] == 0


def test_discount_events_hand():
    ev = pd.DataFrame({"customer_id": ["a", "a"], "value": [121.0, -11.0], "probability": [1, 0.5],
                       "date": pd.to_datetime(["2026-01-01", "2025-01-01"])})
    pv = clv.discount_events(ev, "2024-01-01", 0.1)
    yrs = np.array([731, 366]) / 365.25
    assert pv["a"] == pytest.approx(121 / 1.1 ** yrs[0] - 5.5 / 1.1 ** yrs[1])
    # as_of is a day (validation.check_date), as in rfm, retention, btyd and lifecycle
    assert clv.discount_events(ev, "2024-01-01 18:00", 0.1)["a"] == pv["a"]


def test_fit_profit_curve_recovers_and_extrapolates():
    t = np.arange(1, 13)
    fit = clv.fit_profit_curve(t, 5 * np.exp(-0.1 * t))
    np.testing.assert_allclose(fit.params, [np.log(5), -0.1], rtol=1e-6)
    assert fit.value(13, 2, 0.0) == pytest.approx(5 * np.exp(-1.3) + 5 * np.exp(-1.4), rel=1e-6)
    assert fit.value(13, 1, 0.1) == pytest.approx(5 * np.exp(-1.3) / 1.1, rel=1e-6)
    pw = clv.fit_profit_curve(t, 3 * t**-0.5, form="power")
    np.testing.assert_allclose(pw.params, [np.log(3), -0.5], rtol=1e-6)
    q = clv.fit_profit_curve(t, np.exp(1 + 0.5 * t - 0.05 * t**2), form="quadratic")
    np.testing.assert_allclose(q.params, [1, 0.5, -0.05], rtol=1e-6)
    # zeros are fine with the log link
    y = 5 * np.exp(-0.1 * t)
    y[3] = 0
    assert np.isfinite(clv.fit_profit_curve(t, y).params).all()


def test_fit_profit_curve_errors():
    with pytest.raises(ParameterError, match=">= 0"):
        clv.fit_profit_curve([1, 2, 3, 4], [1, -1, 1, 1])
    with pytest.raises(ParameterError, match="at least 3"):
        clv.fit_profit_curve([1, 2], [1, 1])
    with pytest.raises(ParameterError, match="same length"):
        clv.fit_profit_curve([1, 2, 3], [1, 1])
    with pytest.raises(ParameterError, match="form"):
        clv.fit_profit_curve([1, 2, 3], [1, 1, 1], form="cubic")


def test_cohort_profit_curve():
    log = log_of([(1, "2024-01-05", 10.0), (1, "2024-03-01", 4.0), (2, "2024-02-20", 6.0)])
    c = clv.cohort_profit_curve(log, freq="M", end="2024-03-31", margin=0.5)
    # t=0: (5 + 3)/2; t=1: customer 1 nothing in Feb, customer 2 nothing in Mar; t=2: customer 1 2.0
    assert c["profit"].tolist() == [4.0, 0.0, 2.0]
    assert c["customers"].tolist() == [2, 2, 1]


# --------------------------------------------------------------------------- indicators
def test_indicator_value_hand():
    df = pd.DataFrame({"unit_gross_profit": [10, 20, 30], "purchase_volume": [5, 5, 10],
                       "service_cost": [3, 1, 2], "satisfaction": [1, 2, 3],
                       "loyalty_emotional": [3, 2, 1], "loyalty_behavioural": [1, 1, 1],
                       "trust_credibility": [2, 4, 6], "trust_benevolence": [1, 3, 2]})
    w = {"unit_gross_profit": 0.3, "purchase_volume": 0.2, "service_cost": 0.1, "satisfaction": 0.1,
         "loyalty_emotional": 0.1, "loyalty_behavioural": 0.1, "trust_credibility": 0.05,
         "trust_benevolence": 0.05}
    groups = {"current": ["unit_gross_profit", "purchase_volume", "service_cost"],
              "potential": ["satisfaction", "loyalty_emotional", "loyalty_behavioural",
                            "trust_credibility", "trust_benevolence"]}
    with pytest.warns(CrmlabWarning, match="constant indicator"):
        out = clv.indicator_value(df, w, groups=groups)
    # customer 0: ugp 0, vol 0, cost 0 (worst) -> current 0
    assert out.loc[0, "current"] == 0
    # customer 2: ugp 100, vol 100, cost 50 -> 30 + 20 + 5
    assert out.loc[2, "current"] == pytest.approx(55)
    # customer 1 potential: sat 50, emo 50, beh 0 (constant: no information, as in ahp.standardize),
    # cred 50, ben 100
    assert out.loc[1, "potential"] == pytest.approx(5 + 5 + 0 + 2.5 + 5)
    np.testing.assert_allclose(out["total"], out["current"] + out["potential"])
    with pytest.warns(CrmlabWarning, match="constant indicator"):
        z = clv.indicator_value(df, w, groups=groups, scale="zscore")
    assert z["total"].mean() == pytest.approx(50)


def test_indicator_value_errors():
    df = pd.DataFrame({"a": [1, 2], "b": [2, 1]})
    with pytest.raises(ParameterError, match="sum to 1"):
        clv.indicator_value(df, {"a": 0.5, "b": 0.6}, groups={"g": ["a", "b"]})
    with pytest.raises(ParameterError, match="missing \\['b'\\]"):
        clv.indicator_value(df, {"a": 1.0}, groups={"g": ["a", "b"]})
    with pytest.raises(DataError, match="missing column"):
        clv.indicator_value(df, {"a": 0.5, "c": 0.5}, groups={"g": ["a", "c"]})


# --------------------------------------------------------------------------- historical / classes
def test_historical_value_hand():
    log = log_of([(1, "2023-01-01", 100.0), (1, "2023-01-01", 50.0), (1, "2024-01-01", 10.0),
                  (2, "2024-01-01", 20.0), (3, "2025-01-01", 99.0)])
    hv = clv.historical_value(log, "2024-01-01", 0.3, cost_per_order=2.0, acquisition_cost=5.0)
    assert hv.index.tolist() == [1, 2]  # customer 3 has no history yet
    assert hv[1] == pytest.approx((45 - 2) + (3 - 2) - 5)
    assert hv[2] == pytest.approx(6 - 2 - 5)
    g = 1.1 ** (365 / 365.25)
    hv = clv.historical_value(log, "2024-01-01", 0.3, discount=0.1)
    assert hv[1] == pytest.approx(45 * g + 3)
    marg = log.assign(m=[10.0, 5.0, 1.0, 2.0, 9.0])
    assert clv.historical_value(marg, None, "m").tolist() == [16, 2, 9]
    with pytest.raises(ParameterError, match="margin"):
        clv.historical_value(log, None, 30)
    with pytest.raises(DataError, match="no customer made a first purchase .* up to "):
        clv.historical_value(log, "2020-01-01")


def test_historical_value_charges_orders_on_purchase_days_only():
    # customer 1: a zero day, a purchase, a return day; customer 2 only returns; 3 buys at a loss
    log = log_of([(1, "2024-01-01", 0.0), (1, "2024-01-05", 100.0), (1, "2024-01-09", -40.0),
                  (2, "2024-01-02", -10.0), (3, "2024-01-03", 10.0)])
    hv = clv.historical_value(log, "2024-02-01", 0.5, cost_per_order=3.0, acquisition_cost=7.0)
    assert hv.index.tolist() == [1, 2, 3]  # every customer seen, as in migration_potential_value
    assert hv[1] == pytest.approx(0.5 * (100 - 40) - 3 - 7)  # one order, the return nets its money
    assert hv[2] == pytest.approx(-5 - 7)  # a return is not an order
    assert hv[3] == pytest.approx(5 - 3 - 7)
    # a margin column: the purchase rule still reads the amounts (a loss-making purchase is an order)
    marg = log.assign(m=[0.0, 30.0, -12.0, -3.0, -1.0])
    hv = clv.historical_value(marg, "2024-02-01", "m", cost_per_order=3.0)
    assert hv.tolist() == pytest.approx([30 - 12 - 3, -3, -1 - 3])


def test_migration_potential_value_on_cdnow_sample():
    from crmlab.datasets import load_cdnow

    log = load_cdnow("sample")
    pv = clv.migration_potential_value(log, "1997-09-30", margin=0.3, freq="M", n_states=4)
    assert set(pv.index) == set(log.loc[log["date"] <= "1997-09-30", "customer_id"])
    assert (pv >= 0).all() and pv.notna().all()
    # a recent big spender is worth more than a lapsed small spender
    hv = clv.historical_value(log, "1997-09-30", 0.3)
    assert pv.corr(hv) > 0
    # a serving cost per period lowers every customer's value by the same state-wise annuity
    pc = clv.migration_potential_value(log, "1997-09-30", margin=0.3, freq="M", n_states=4,
                                       cost_per_period=1.0, discount=0.0, horizon=4)
    p0 = clv.migration_potential_value(log, "1997-09-30", margin=0.3, freq="M", n_states=4,
                                       discount=0.0, horizon=4)
    np.testing.assert_allclose(p0 - pc, 3.0)


def test_forecast_events_one_time_gap():
    log = log_of([(1, "2023-01-01", 10.0), (1, "2023-02-01", 10.0), (2, "2023-06-01", 50.0)])
    ev = clv.forecast_events(log, "2024-01-01", horizon_years=1, annual_retention=1.0,
                             one_time_gap="elapsed")
    # customer 2: no repeat in 214 days, so the gap is 214 days and the next event is 428 days after
    assert (ev.loc[ev["customer_id"] == 2, "date"] > "2024-01-01").all()
    assert len(ev[ev["customer_id"] == 2]) == 1
    with pytest.raises(ParameterError, match="one_time_gap"):
        clv.forecast_events(log, "2024-01-01", one_time_gap="mean")
    # the minimum gap stops a same-week repeat from becoming a weekly rhythm
    quick = log_of([(1, "2023-12-20", 10.0), (1, "2023-12-23", 10.0)])
    ev = clv.forecast_events(quick, "2024-01-01", horizon_years=1, annual_retention=1.0)
    assert len(ev) == 12  # every 30 days from 23 Dec: 22 Jan ... 17 Dec 2024
    assert len(clv.forecast_events(quick, "2024-01-01", horizon_years=1, min_gap_days=60)) == 6


def test_classify_clv_rules():
    cur = pd.Series([10.0, 1.0, 8.0, 1.0, -30.0], index=list("abcde"))
    pot = pd.Series([9.0, 9.0, 1.0, 1.0, 9.0], index=list("abcde"))
    c = clv.classify_clv(cur, pot, current_threshold=5, potential_threshold=5)
    assert c["clv_class"].tolist() == ["MVC", "MGC", "maintenance", "maintenance", "below-zero"]
    q = clv.classify_clv(cur, pot, current_threshold=5, potential_threshold=5, below_zero="quadrant")
    assert q["clv_class"].tolist() == ["MVC", "MGC", "maintenance", "below-zero", "MGC"]
    m = clv.classify_clv(cur, pot)
    assert m.attrs["thresholds"] == {"current": 1.0, "potential": 9.0}
    # a customer missing from one Series is refused, or counted as 0 on request (and reported)
    with pytest.raises(DataError, match=r"1 customer\(s\) have no potential value \(e.g. \['a'\]\)"):
        clv.classify_clv(cur, pot.drop("a"), current_threshold=5, potential_threshold=5)
    with pytest.warns(CrmlabWarning, match="counted 1 absent potential value"):
        c2 = clv.classify_clv(cur, pot.drop("a"), current_threshold=5, potential_threshold=5,
                              missing="zero")
    assert c2.loc["a", "potential"] == 0
    assert c2.attrs["filled"] == {"current": 0, "potential": 1}
    assert c.attrs["filled"] == {"current": 0, "potential": 0}
    tab = clv.clv_class_table(c)
    assert tab["customers"].tolist() == [1, 1, 2, 1]
    assert tab.loc["maintenance", "total_value"] == 11
    assert tab["share_customers"].sum() == pytest.approx(1)
    with pytest.raises(ParameterError, match="Series"):
        clv.classify_clv([1, 2], pot)
    with pytest.raises(ParameterError, match="below_zero"):
        clv.classify_clv(cur, pot, below_zero="sign")


def test_plots_return_axes():
    import matplotlib

    matplotlib.use("Agg")
    cur = pd.Series([10.0, 1.0, 8.0, -5.0])
    pot = pd.Series([9.0, 9.0, 1.0, 1.0])
    ax = clv.plot_clv_classes(clv.classify_clv(cur, pot), log=True)
    assert "potential" in ax.get_ylabel()
    import matplotlib.pyplot as plt

    plt.close("all")


def test_migration_clv_matches_labelled_states_by_label_not_position():
    P = pd.DataFrame([[0.8, 0.2], [0.0, 1.0]], index=["active", "lost"], columns=["active", "lost"])
    R = pd.Series([0.0, 100.0], index=["lost", "active"])  # reordered: was paired by position (583.33)
    assert clv.migration_clv(P, R, 0.12).round(6).tolist() == [350.0, 0.0]
    # columns in another order than the rows: was read by position (544.44)
    assert clv.migration_clv(P[["lost", "active"]], [100, 0], 0.12).round(6).tolist() == [350.0, 0.0]
    with pytest.raises(ParameterError, match="rows of P and R are Series with different indexes"):
        clv.migration_clv(P, pd.Series([100.0, 0.0], index=["x", "y"]), 0.12)


def test_migration_clv_refuses_a_horizon_beyond_the_date_range():
    with pytest.raises(ParameterError, match="horizon must be <="):  # 1e300 looped for ever
        clv.migration_clv([[0.8, 0.2], [0, 1]], [100, 0], 0.1, horizon=1e300)


def test_transition_matrix_names_a_bad_period_column():
    s = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2], "t": [0, 1, np.nan, 0, 1], "state": [1, 2, 1, 1, 1]})
    # a missing t was dropped silently and reported as "state 2 is never observed"
    with pytest.raises(DataError, match="column 't', row 2"):
        clv.transition_matrix(s, n_states=2)
