"""crmlab.mle: the shared MLE and the delta-method intervals (checked against a bootstrap)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from crmlab import mle, sbg
from crmlab.errors import ConvergenceError, ParameterError


def test_delta_method_by_hand():
    # g = a * b with log-params; Var(log g) = Var(z1) + Var(z2) + 2 Cov
    C = np.array([[0.01, 0.002], [0.002, 0.04]])
    z = np.log([2.0, 3.0])
    t = mle.delta_interval(lambda zz: np.exp(zz[0] + zz[1]), z, C, scale="log")
    se_log = np.sqrt(0.01 + 0.04 + 2 * 0.002)
    assert t.loc[0, "estimate"] == pytest.approx(6.0)
    assert t.loc[0, "se"] == pytest.approx(6.0 * se_log, rel=1e-6)
    assert t.loc[0, "ci_low"] == pytest.approx(6.0 * np.exp(-1.959964 * se_log), rel=1e-5)


def test_boundary_values_get_degenerate_intervals():
    t = mle.delta_interval(lambda z: np.array([1.0, 0.0, np.exp(z[0]) / 2]), np.zeros(1),
                           np.array([[0.1]]), scale="logit")
    assert t["ci_low"].tolist()[:2] == [1.0, 0.0] and t["ci_high"].tolist()[:2] == [1.0, 0.0]
    assert 0 < t.loc[2, "ci_low"] < 0.5 < t.loc[2, "ci_high"] < 1


def test_bad_arguments():
    with pytest.raises(ParameterError, match="scale"):
        mle.delta_interval(lambda z: z, np.zeros(1), np.eye(1), scale="sqrt")
    with pytest.raises(ParameterError, match="cov_log must be 2 x 2"):
        mle.delta_interval(lambda z: z, np.zeros(2), np.eye(3))


def test_maximize_raises_when_a_parameter_runs_off():
    with pytest.raises(ConvergenceError, match="toy fit did not converge: parameter a runs off"):
        mle.maximize(lambda z: float(z[0]), [0.0], ["a"], label="toy")


def test_analytic_and_numerical_gradients_reach_one_optimum():
    # the one optimiser, both paths: log-likelihood of a Poisson mean 3 (n = 10 observations)
    def ll(z):
        return 10 * (3.0 * z[0] - np.exp(z[0]))

    num = mle.maximize(ll, [0.0], ["mu"], n=10)
    ana = mle.maximize(lambda z: (ll(z), np.array([10 * (3.0 - np.exp(z[0]))])), [0.0], ["mu"], n=10,
                       gradient=True)
    assert num.params["mu"] == pytest.approx(3.0, rel=1e-8) and ana.params["mu"] == pytest.approx(3.0, rel=1e-8)
    assert ana.se["mu"] == pytest.approx(np.sqrt(3.0 / 10), rel=1e-6)  # Poisson: Var = mu / n
    assert num.se["mu"] == pytest.approx(ana.se["mu"], rel=1e-5)


def test_compress_pools_rows_and_sums_their_weights():
    (a, b), w = mle._compress(np.array([1.0, 0.0, 1.0, 1.0]), np.array([2.0, 5.0, 2.0, 3.0]),
                              weights=np.array([1.0, 2.0, 4.0, 8.0]))
    assert a.tolist() == [0.0, 1.0, 1.0] and b.tolist() == [5.0, 2.0, 3.0] and w.tolist() == [2.0, 5.0, 8.0]
    assert mle._compress(np.array([1.0, 1.0, 0.0]))[1].tolist() == [1.0, 2.0]


def test_delta_method_agrees_with_parametric_bootstrap():
    """The documented choice: delta method; a bootstrap from the same covariance agrees."""
    fit = sbg.fit_sbg(sbg.load_cohorts()["regular"].loc[0:7])
    z = np.log(fit.params.to_numpy())
    rng = np.random.default_rng(17)
    draws = rng.multivariate_normal(z, fit.cov_log, size=4000)
    a, b = np.exp(draws[:, :1]), np.exp(draws[:, 1:])
    k = np.arange(1, 500)[None, :]  # DERL as the discounted sum of S(7+k)/S(7), vectorised
    val = (np.exp(special.betaln(a, b + 7 + k) - special.betaln(a, b + 7)) / 1.1**k).sum(axis=1)
    lo, hi = np.quantile(val, [0.025, 0.975])
    dm = fit.derl_interval(0.10).iloc[0]
    assert dm["ci_low"] == pytest.approx(lo, rel=0.03)
    assert dm["ci_high"] == pytest.approx(hi, rel=0.03)
    assert dm["se"] == pytest.approx(val.std(), rel=0.08)


def test_hostile_arguments_named():
    with pytest.raises(ParameterError, match="h must be > 0"):
        mle.num_jacobian(lambda z: z ** 2, np.array([1.0]), h=0)
    with pytest.raises(ParameterError, match=r"z0 has shape \(2,\); expected one start per name \('a',\)"):
        mle.maximize(lambda z: -(z ** 2).sum(), [1.0, 2.0], ["a"])
    with pytest.raises(ParameterError, match="index has 2 labels for 3 estimates"):
        mle.delta_interval(lambda z: np.exp(z) * np.ones(3), [0.0], [[0.01]], index=[1, 2])


def test_positive_params_series_by_label():
    import pandas as pd
    assert mle.positive_params(pd.Series({"alpha": 2.0, "r": 1.0}), ("r", "alpha")).tolist() == [1.0, 2.0]
    assert mle.positive_params(pd.Series([1.0, 2.0]), ("r", "alpha")).tolist() == [1.0, 2.0]
    with pytest.raises(ParameterError, match=r"labelled \['x', 'y'\]"):
        mle.positive_params(pd.Series({"x": 1.0, "y": 2.0}), ("r", "alpha"))


def test_delta_interval_refuses_a_matrix_that_is_not_a_covariance():
    f = lambda z: np.exp(z)  # noqa: E731
    with pytest.raises(ParameterError, match="negative eigenvalue"):
        mle.delta_interval(f, np.log([1.0, 2.0]), np.array([[0.04, 0.1], [0.1, 0.04]]))
    with pytest.raises(ParameterError, match="finite symmetric"):
        mle.delta_interval(f, np.log([1.0, 2.0]), np.array([[0.04, 0.01], [0.0, 0.04]]))
    ok = mle.delta_interval(f, np.log([1.0, 2.0]), np.array([[0.04, 0.0], [0.0, 0.0]]))
    assert ok["se"].iloc[1] == 0.0  # a zero variance is a covariance (a fixed parameter)
