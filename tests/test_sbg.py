"""Shifted-beta-geometric model (crmlab.sbg): published fits, projections, DERL, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import finance, sbg
from crmlab.errors import DataError, ParameterError


@pytest.fixture(scope="module")
def cohorts():
    return sbg.load_cohorts()


@pytest.fixture(scope="module")
def regular(cohorts):
    return sbg.fit_sbg(cohorts["regular"].loc[0:7])


@pytest.fixture(scope="module")
def high_end(cohorts):
    return sbg.fit_sbg(cohorts["high_end"].loc[0:7])


def test_bundled_cohorts_as_published(cohorts):
    assert cohorts.index.tolist() == list(range(13))
    assert cohorts["regular"].tolist() == [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207,
                                           194, 183, 173]
    assert cohorts["high_end"].tolist() == [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445,
                                            427, 409, 394]


def test_published_estimates_reproduced(regular, high_end):
    # Fader & Hardie (2007): regular alpha = 0.704, beta = 1.182; high end 0.668, 3.806
    assert regular.params.round(3).tolist() == [0.704, 1.182]
    assert high_end.params.round(3).tolist() == [0.668, 3.806]
    assert round(regular.loglik, 1) == -1680.3
    assert round(high_end.loglik, 1) == -1611.2
    assert (regular.se > 0).all() and regular.periods == 7 and regular.cohort_size == 1000


def test_loglik_by_hand(regular):
    a, b = regular.params
    n = regular.survivors
    t = np.arange(1, 8)
    p = sbg.churn_probability(a, b, t)
    ll = float(np.sum((n[:-1] - n[1:]) * np.log(p)) + n[-1] * np.log(sbg.survival(a, b, 7)))
    assert ll == pytest.approx(regular.loglik, rel=1e-12)


def test_survival_recursion_and_retention():
    a, b = 0.7, 1.2
    t = np.arange(0, 20)
    S = sbg.survival(a, b, t)
    P = sbg.churn_probability(a, b, t[1:])
    np.testing.assert_allclose(S[:-1] - S[1:], P, rtol=1e-12)
    np.testing.assert_allclose(S[1:] / S[:-1], sbg.retention_curve(a, b, t[1:]), rtol=1e-12)
    assert np.all(np.diff(sbg.retention_curve(a, b, t[1:])) > 0)  # the "paradox": rises


def test_projection_tracks_holdout_years(regular, high_end, cohorts):
    for fit, col in [(regular, "regular"), (high_end, "high_end")]:
        p = fit.projection(12, observed=cohorts[col])
        hold = p.loc[8:12]
        assert not hold["fitted"].any() and p.loc[0:7, "fitted"].all()
        err = (hold["expected_active"] - hold["observed"]).abs() / hold["observed"]
        assert err.max() < 0.05  # within 5 % of what happened in years 8-12
        assert (hold["active_low"] < hold["expected_active"]).all()
        assert (hold["expected_active"] < hold["active_high"]).all()
        assert (p["survival_low"] <= p["survival"]).all() and (p["survival"] <= p["survival_high"]).all()
    p = regular.projection(12, observed=cohorts["regular"])
    assert p.loc[12, "expected_active"] == pytest.approx(170.0, abs=0.1)


def test_relative_intervals_widen_beyond_the_data(regular):
    p = regular.projection(30)
    rel = (p["active_high"] - p["active_low"]) / p["expected_active"]
    assert rel.loc[30] > rel.loc[20] > rel.loc[8] > 0
    assert p.loc[0, "survival_low"] == p.loc[0, "survival_high"] == 1.0


def test_derl_equals_brute_force_sum():
    a, b, d, n = 0.704, 1.182, 0.10, 7
    k = np.arange(0, 3000)
    s = sbg.survival(a, b, n + k) / sbg.survival(a, b, n)
    assert sbg.derl(a, b, d, tenure=n) == pytest.approx(np.sum(s[1:] / 1.1 ** k[1:]), rel=1e-12)
    assert sbg.derl(a, b, d, tenure=n, first_margin_at=0) == pytest.approx(
        np.sum(s / 1.1 ** k), rel=1e-12)


def test_derl_no_heterogeneity_is_the_constant_retention_closed_form():
    for r, d, fm in [(0.8, 0.1, 1), (0.6, 0.12, 0), (0.9, 0.05, 1)]:
        big = 1e8
        got = sbg.derl(big * (1 - r), big * r, d, first_margin_at=fm)
        assert got == pytest.approx(finance.retention_clv(1.0, r, d, first_margin_at=fm), rel=1e-6)


def test_derl_undiscounted_closed_form():
    assert sbg.derl(2.5, 1.0, 0.0, tenure=3) == pytest.approx((1.0 + 3) / 1.5)
    with pytest.raises(ParameterError, match="infinite"):
        sbg.derl(0.7, 1.2, 0.0)
    with pytest.raises(ParameterError, match="discount"):
        sbg.derl(0.7, 1.2, 1e-5)


def test_constant_retention_under_values_the_cohort(regular):
    t = sbg.constant_retention_comparison(regular, 100.0, 0.10)
    sbg_val = t.loc["sBG", "value"]
    assert sbg_val == pytest.approx(100 * regular.derl(0.10))
    assert (t["vs_sbg_pct"].iloc[1:] < 0).all()
    rate = t.loc["constant: latest retention", "retention"]
    assert rate == pytest.approx(241 / 262)
    assert t.loc["constant: latest retention", "value"] == pytest.approx(
        finance.retention_clv(100.0, rate, 0.10))
    finite = sbg.constant_retention_comparison(regular, 100.0, 0.10, horizon=5)
    assert finite.loc["sBG", "value"] < sbg_val


def test_cohort_value_and_interval(regular):
    v = regular.cohort_value(100.0, 0.10)
    assert v["active"] == 241
    assert v["value"] == pytest.approx(241 * 100 * regular.derl(0.10))
    assert v["value_low"] < v["value"] < v["value_high"]
    at0 = regular.cohort_value(100.0, 0.10, tenure=0, active=1000, first_margin_at=0)
    assert at0["derl"] == pytest.approx(sbg.derl(*regular.params, 0.10, first_margin_at=0))


@pytest.mark.parametrize("counts, match", [
    ([1000, 631, 640, 500], "increase from 631 at period 1 to 640 at period 2"),
    ([0, 0, 0], "cohort at period 0 has 0 customers"),
    ([1000, -5, -6], "period 1 is -5"),
    ([1000, 600.5, 400], "600.5, not a whole number"),
    ([1000, 600], "needs the cohort at t = 0 and at least two more"),
    ([1000, np.nan, 400], "period 1 is nan"),
])
def test_invalid_survivors_named(counts, match):
    with pytest.raises(DataError, match=match):
        sbg.fit_sbg(counts)


def test_invalid_survivors_series_label_named():
    s = pd.Series([500, 400, 410], index=[2019, 2020, 2021])
    with pytest.raises(DataError, match="400 at period 2020 to 410 at period 2021"):
        sbg.fit_sbg(s)


def test_nobody_churns_is_not_estimable():
    with pytest.raises(DataError, match="nobody churned"):
        sbg.fit_sbg([100, 100, 100])


def test_bad_starting_values_are_named():
    with pytest.raises(ParameterError, match=r"init must be 2 positive numbers \('alpha', 'beta'\)"):
        sbg.fit_sbg([1000, 631, 468], init=[0.0, 1.0])


def test_everyone_churns_at_once_is_not_estimable():
    with pytest.raises(DataError, match="all 100 customers churned in period 1"):
        sbg.fit_sbg([100, 0, 0, 0])


def test_plot_returns_axes(regular, cohorts):
    import matplotlib

    matplotlib.use("Agg")
    ax = sbg.plot_retention_paradox(regular, 12, observed=cohorts["regular"])
    assert ax.get_ylabel() == "retention rate"
    assert len(ax.lines) >= 3


def test_two_curves_are_not_flattened_into_one():
    with pytest.raises(DataError, match=r"one curve of counts, got an array of shape \(2, 2\)"):
        sbg.fit_sbg([[1000, 900], [800, 700]])
    assert sbg.validate_survivors([[1000, 631, 468]]).tolist() == [1000.0, 631.0, 468.0]
