"""BTYD additions of issue 17: intervals for derived quantities, the Pareto/NBD fitting path."""

from __future__ import annotations

import numpy as np
import pytest

import crmlab
from crmlab import btyd
from crmlab.errors import CrmlabWarning, ParameterError


@pytest.fixture(scope="module")
def summ():
    return btyd.summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", unit="W",
                          purchase_rule="any_occasion")


@pytest.fixture(scope="module")
def bg(summ):
    return btyd.fit_bgnbd(summ)


@pytest.fixture(scope="module")
def pn(summ):
    return btyd.fit_pareto_nbd(summ)


@pytest.fixture(scope="module")
def gg(summ):
    return btyd.fit_gamma_gamma(summ)


@pytest.mark.parametrize("theta", [
    [0.553, 10.578, 0.606, 11.669],   # CDNOW optimum
    [0.05, 1e-3, 100.0, 1.0],
    [30.0, 1e4, 0.05, 1e-3],
    [300.0, 1.0, 3.0, 1e4],
    [1.0, 50.0, 1.0, 50.0],
    [2.0, 5.0, 100.0, 400.0],
    [0.76, 17.6, 0.032, 0.125],       # near the no-dropout edge: most mu ~ 0
    [0.5, 11.0, 1973.0, 2.5e6],       # s and beta running off together
])
def test_pareto_fitting_path_value_and_gradient(summ, theta):
    x, tx, T = btyd.validate_summary(summ)
    (xu, tu, Tu), w = btyd._compress(x, tx, T)
    th = np.array(theta)
    val, grad = btyd._pnbd_value_grad(th, xu, tu, Tu, w)
    exact = float(w @ btyd._pnbd_loglik(th, xu, tu, Tu))
    assert val == pytest.approx(exact, rel=1e-12)
    num = btyd._num_grad(lambda z: float(w @ btyd._pnbd_loglik(np.exp(z), xu, tu, Tu)),
                         np.log(th), h=1e-5)
    np.testing.assert_allclose(grad, num, rtol=1e-4, atol=1e-3)


def test_series_with_derivatives_matches_the_loop_version():
    b = np.array([0.5, 3.0, 20.0, 1.2])
    c = np.array([1.7, 5.0, 121.0, 1.3])
    z = np.array([0.0, 0.5, 0.9, 0.989])
    lh, gb, gc, gz = btyd._hyp2f1_1bc_grad(b, c, z)
    np.testing.assert_allclose(lh, btyd._log_hyp2f1_1bc(b, c, z), rtol=1e-13, atol=1e-15)
    h = 1e-6
    for arr, g in [(0, gb), (1, gc), (2, gz)]:
        up = [b.copy(), c.copy(), z.copy()]
        dn = [b.copy(), c.copy(), z.copy()]
        up[arr] = up[arr] + h
        dn[arr] = dn[arr] - h
        num = (btyd._log_hyp2f1_1bc(*up) - btyd._log_hyp2f1_1bc(*dn)) / (2 * h)
        np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-8)


def test_pareto_published_still_reproduced(pn):
    assert pn.params.round(3).tolist() == [0.553, 10.578, 0.606, 11.669]
    assert round(pn.loglik, 1) == -9595.0


def test_near_boundary_cohort_fits_at_its_maximum():
    """A simulated cohort whose maximum has a small s (most customers never drop out)."""
    rng = np.random.default_rng(7)
    T = rng.integers(70, 546, 600) / 7.0
    sim = btyd.simulate_summary("pareto_nbd", [0.6, 15.0, 0.03, 2.0], 600, T_cal=T, seed=7)
    with pytest.warns(CrmlabWarning, match="no-dropout edge"):
        fit = btyd.fit_pareto_nbd(sim, at_boundary="keep")   # flagged, but the full maximum is kept
    assert fit.boundary and fit.model == "pareto_nbd"
    assert fit.params["s"] < 0.5
    ll = fit.loglik
    # every direction away from the optimum lowers the log-likelihood
    for j in range(4):
        for step in (0.05, -0.05):
            p = fit.params.to_numpy().copy()
            p[j] *= np.exp(step)
            assert btyd.loglik("pareto_nbd", p, sim) < ll


def test_interval_functions(bg, pn, gg, summ):
    for fit in (bg, pn):
        pa = btyd.p_alive_interval(fit, summ)
        np.testing.assert_allclose(pa["estimate"], fit.p_alive(summ))
        assert (pa["ci_low"] <= pa["estimate"]).all() and (pa["estimate"] <= pa["ci_high"]).all()
        assert (pa["ci_high"] <= 1).all()
        ce = btyd.conditional_expected_interval(fit, summ.iloc[:200], 39.0)
        np.testing.assert_allclose(ce["estimate"], fit.conditional_expected_transactions(summ.iloc[:200], 39.0))
        assert (ce["ci_low"] < ce["estimate"]).all()
        ex = btyd.expected_transactions_interval(fit, [10.0, 39.0])
        assert ex.index.tolist() == [10.0, 39.0]
        assert (ex["ci_high"] > ex["estimate"]).all()
    # BG/NBD customers without repeat purchases: P(alive) = 1 exactly, degenerate interval
    pa = btyd.p_alive_interval(bg, summ)
    zero = summ["frequency"] == 0
    assert (pa.loc[zero, "ci_low"] == 1).all()


def test_clv_interval_total_and_rows(pn, gg, summ):
    sub = summ.iloc[:300]
    kw = dict(horizon=52, period=52 / 12, discount_rate=0.01)
    rows = btyd.clv_interval(pn, gg, sub, **kw)
    tot = btyd.clv_interval(pn, gg, sub, total=True, **kw)
    plain = btyd.clv(pn, gg, sub, **kw)["clv"]
    np.testing.assert_allclose(rows["estimate"], plain)
    assert tot.loc["total", "estimate"] == pytest.approx(plain.sum())
    assert 0 < tot.loc["total", "se"] <= rows["se"].sum() * (1 + 1e-9)
    # without a spend model the interval is that of discounted transactions only
    only = btyd.clv_interval(pn, None, sub, total=True, **kw)
    assert only.loc["total", "se"] / only.loc["total", "estimate"] < (
        tot.loc["total", "se"] / tot.loc["total", "estimate"])


def test_interval_needs_a_covariance(bg, summ):
    import dataclasses

    bare = dataclasses.replace(bg, cov_log=None)
    with pytest.raises(ParameterError, match="no covariance"):
        btyd.p_alive_interval(bare, summ)
