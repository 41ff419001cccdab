"""Tests for crmlab.survival: hand-computed cases, published results, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from crmlab import survival as S
from crmlab.errors import CrmlabWarning, DataError


def make_log(rows):
    cid, dates, amounts = zip(*rows, strict=True)
    return pd.DataFrame(
        {"customer_id": list(cid), "date": pd.to_datetime(list(dates)), "amount": list(amounts)}
    )


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
    t = S.survival_table(log, 30, "2024-03-31", cohort_period="M")
    assert t["duration"].tolist() == [10.0, 10.0, 0.0]
    assert t["event"].tolist() == [1, 0, 0]
    assert t["purchases"].tolist() == [2, 2, 1]  # purchases up to as_of only
    assert list(t.columns) == ["first_purchase", "duration", "event", "purchases", "cohort"]  # the summary's names
    assert t["cohort"].astype(str).tolist() == ["2024-01", "2024-02", "2024-03"]
    w = S.survival_table(log, 30, "2024-03-31", unit="W", cohort_period=None)
    assert w["duration"].iloc[0] == pytest.approx(10 / 7)


def test_survival_table_drops_unassessable_with_warning():
    log = make_log([(1, "2024-01-01", 1.0), (2, "2024-03-20", 1.0)])
    with pytest.warns(CrmlabWarning, match="1 of 2 customers"):
        t = S.survival_table(log, 30, "2024-03-31")
    assert t.index.tolist() == [1]
    with pytest.raises(DataError, match="no customer was acquired"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CrmlabWarning)
            S.survival_table(log, 300, "2024-03-31")


def test_kaplan_meier_hand_computed():
    km = S.kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
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
    assert S.restricted_mean_lifetime(km, 4) == pytest.approx(1 + 0.8 + 0.6 + 0.3)


def test_kaplan_meier_and_logrank_match_published_freireich_results():
    # Freireich et al. (1963) leukaemia remission data (Gehan 1965); R survival's
    # survfit(conf.type = "log-log") gives S(6) = 0.857 [0.620, 0.952], median 23 [13, NA];
    # survdiff gives chi-square 16.8 on 1 df.
    t = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    e = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    km = S.kaplan_meier(t, e)
    first = km.table.iloc[0]
    assert (first["survival"], first["se"]) == pytest.approx((0.8571, 0.0764), abs=1e-4)
    assert (first["lower"], first["upper"]) == pytest.approx((0.6197, 0.9516), abs=1e-4)
    assert km.table["survival"].iloc[-1] == pytest.approx(0.4482, abs=1e-4)
    assert km.median == 23 and km.median_lower == 13 and np.isinf(km.median_upper)
    placebo = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
    lr = S.logrank_test(t + placebo, e + [1] * 21, ["6-MP"] * 21 + ["placebo"] * 21)
    assert lr.statistic == pytest.approx(16.79, abs=0.01)
    assert lr.p_value == pytest.approx(4.17e-5, rel=0.01)


def test_kaplan_meier_accepts_bool_flags_and_unreached_median():
    km = S.kaplan_meier(np.array([1.0, 2.0, 3.0]), pd.Series([True, False, False]))
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
        S.kaplan_meier([1, 2, 3], events)
    with pytest.raises(DataError):
        S.logrank_test([1, 2, 3], events, ["a", "b", "b"])


def test_bad_durations():
    with pytest.raises(DataError, match=r"durations\[1\] must be >= 0, got -2"):
        S.kaplan_meier([1, -2], [1, 1])
    with pytest.raises(DataError, match="durations"):
        S.kaplan_meier(["a", 1], [1, 1])
    with pytest.raises(DataError, match="empty"):
        S.kaplan_meier([], [])


def test_logrank_hand_computed():
    # O_a = 3, E_a = 0.5 + 0.4 + 0.25 = 1.15, V = 0.25 + 0.24 + 0.1875 = 0.6775
    r = S.logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1], ["a"] * 3 + ["b"] * 3)
    assert r.statistic == pytest.approx(1.85**2 / 0.6775)
    assert r.df == 1 and r.groups == ("a", "b")
    from scipy.stats import chi2

    assert r.p_value == pytest.approx(chi2.sf(r.statistic, 1))
    with pytest.raises(DataError, match="at least two groups"):
        S.logrank_test([1, 2], [1, 1], ["a", "a"])


def test_survival_on_synthetic_truth_is_sensible():
    from crmlab.simulate import simulate_transactions

    tx, truth = simulate_transactions(800, seed=11)
    t = S.survival_table(tx, 120, "2023-12-31")
    km = S.kaplan_meier(t["duration"], t["event"])
    pat = truth.set_index("customer_id").loc[t.index, "pattern"]
    # long-lasting customers (IV) survive longer than early aborts (I)
    iv = S.kaplan_meier(t["duration"][pat == "IV"], t["event"][pat == "IV"])
    one = S.kaplan_meier(t["duration"][pat == "I"], t["event"][pat == "I"])
    assert iv.survival_at(365) > one.survival_at(365) + 0.3
    assert S.logrank_test(t["duration"], t["event"], pat).p_value < 1e-6
    assert 0 < km.n_events < km.n


def test_survival_and_churn_names_live_only_in_their_modules():
    # one home: moved out of crmlab.retention with no alias left behind
    import crmlab

    moved = {
        "survival": ["DAYS_PER_UNIT", "survival_table", "KaplanMeier", "kaplan_meier",
                     "restricted_mean_lifetime", "LogRankResult", "logrank_test", "plot_survival",
                     "_check_durations", "_check_events"],
        "churn": ["churn_features", "fit_churn_logit", "odds_ratio_table", "roc_curve", "auc",
                  "calibration_table", "plot_roc", "plot_calibration", "_check_scores"],
    }
    for module, names in moved.items():
        for name in names:
            assert not hasattr(crmlab.retention, name), f"retention.{name} still defined"
            assert hasattr(getattr(crmlab, module), name), f"{module}.{name} missing"
    assert {"survival", "churn"} <= set(crmlab.__all__)


def test_durations_and_events_on_different_indexes_are_refused():
    d = pd.Series([1.0, 5.0, 9.0], index=["a", "b", "c"])
    e = pd.Series([1, 0, 1], index=["c", "b", "a"])
    with pytest.raises(DataError, match="durations and events are Series with different indexes"):
        S.kaplan_meier(d, e)
    with pytest.raises(DataError, match="durations and groups are Series"):
        S.logrank_test(d, e.reindex(d.index), pd.Series(["x", "y", "y"]))
    assert S.kaplan_meier(d, e.reindex(d.index)).n_events == 2
