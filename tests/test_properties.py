"""Property-based tests (hypothesis) of the collection's invariants across modules.

Each property is stated in the test name; hypothesis searches for a counterexample.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def transaction_logs(draw, max_rows: int = 40):
    n = draw(st.integers(1, max_rows))
    customers = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 400), min_size=n, max_size=n))
    cents = draw(st.lists(st.integers(1, 100_000), min_size=n, max_size=n))
    return pd.DataFrame({
        "customer_id": customers,
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D"),
        "amount": np.array(cents) / 100.0,
    })


# ------------------------------------------------------------------ RFM
@SETTINGS
@given(transaction_logs())
def test_rfm_frequency_at_most_transactions_and_recency_nonnegative(log):
    from crmlab.rfm import rfm_table

    rfm = rfm_table(log)
    rows = log.groupby("customer_id").size()
    assert (rfm["frequency"] <= rows.reindex(rfm.index)).all()
    assert (rfm["frequency"] >= 1).all()
    assert (rfm["recency"] >= 0).all()
    assert rfm.index.nunique() == log["customer_id"].nunique()
    # money is conserved to the cent
    assert round(rfm["monetary"].sum(), 2) == round(log["amount"].sum(), 2)


# ------------------------------------------------------------------ retention CLV
rates = st.floats(0.0, 0.95)
discounts = st.floats(0.0, 0.5)
margins = st.floats(1.0, 1000.0)


@SETTINGS
@given(margins, rates, rates, discounts, st.sampled_from([0, 1]), st.one_of(st.none(), st.integers(1, 50)))
def test_retention_clv_increases_with_retention(m, r1, r2, d, first, horizon):
    from crmlab.finance import retention_clv

    assume(abs(r1 - r2) > 1e-6)
    lo, hi = sorted([r1, r2])
    assert retention_clv(m, hi, d, horizon=horizon, first_margin_at=first) >= \
        retention_clv(m, lo, d, horizon=horizon, first_margin_at=first) - 1e-9


@SETTINGS
@given(margins, margins, rates, discounts, st.sampled_from([0, 1]))
def test_retention_clv_increases_with_margin(m1, m2, r, d, first):
    from crmlab.finance import retention_clv

    lo, hi = sorted([m1, m2])
    assert retention_clv(hi, r, d, first_margin_at=first) >= retention_clv(lo, r, d, first_margin_at=first)


@SETTINGS
@given(margins, rates, discounts, discounts, st.sampled_from([0, 1]))
def test_retention_clv_decreases_with_discount(m, r, d1, d2, first):
    from crmlab.finance import retention_clv

    lo, hi = sorted([d1, d2])
    assert retention_clv(m, r, hi, first_margin_at=first) <= retention_clv(m, r, lo, first_margin_at=first) + 1e-9


@SETTINGS
@given(margins, rates, discounts, st.integers(1, 400))
def test_finite_horizon_clv_approaches_the_infinite_one_from_below(m, r, d, horizon):
    from crmlab.finance import retention_clv

    finite = retention_clv(m, r, d, horizon=horizon)
    infinite = retention_clv(m, r, d)
    assert finite <= infinite + 1e-9 * max(1.0, infinite)


# ------------------------------------------------------------------ AHP
@st.composite
def weight_vectors(draw):
    n = draw(st.integers(3, 9))
    w = np.array(draw(st.lists(st.floats(0.05, 10.0), min_size=n, max_size=n)))
    return w / w.sum()


@SETTINGS
@given(weight_vectors(), st.sampled_from(["eigenvector", "geometric_mean", "column_average"]))
def test_ahp_consistent_matrix_has_cr_zero_and_recovers_weights(w, method):
    from crmlab.ahp import analyze

    matrix = np.outer(w, 1.0 / w)
    res = analyze(matrix, method=method)
    weights = np.asarray(res.weights, dtype=float)
    assert np.all(weights > 0) and np.isclose(weights.sum(), 1.0)
    assert np.allclose(weights, w, atol=1e-8)
    assert abs(res.cr) < 1e-8 and res.consistent


@SETTINGS
@given(st.integers(3, 8), st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_ahp_weights_are_permutation_equivariant(n, seed, rnd):
    from crmlab.ahp import analyze

    rng = np.random.default_rng(seed)
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9])
    a = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    a[iu] = rng.choice(scale, size=len(iu[0]))
    a[(iu[1], iu[0])] = 1 / a[iu]
    perm = list(range(n))
    rnd.shuffle(perm)
    res = analyze(a)
    res_p = analyze(a[np.ix_(perm, perm)])
    assert np.allclose(np.asarray(res_p.weights, float), np.asarray(res.weights, float)[perm], atol=1e-9)
    assert np.isclose(res_p.cr, res.cr, atol=1e-9)
    assert np.all(np.asarray(res.weights, float) > 0)


# ------------------------------------------------------------------ cohorts
@SETTINGS
@given(transaction_logs(max_rows=60))
def test_cohort_rates_are_within_zero_and_one(log):
    from crmlab.retention import cohort_matrix

    rates = cohort_matrix(log, period="M", value="rate")
    values = rates.to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    assert ((values >= 0) & (values <= 1 + 1e-12)).all()
    assert np.allclose(rates.iloc[:, 0].to_numpy(dtype=float), 1.0)
