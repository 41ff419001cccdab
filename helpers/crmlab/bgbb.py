"""Discrete-time non-contractual customers: the BG/BB model (Fader, Hardie & Shang 2010).

The beta-geometric/beta-Bernoulli model for ``n`` discrete transaction
opportunities, the discrete-time counterpart of :mod:`crmlab.btyd`:

* while alive, a customer buys at each opportunity with probability ``p``
  (Bernoulli), ``p ~ Beta(alpha, beta)`` across customers;
* before each opportunity after the first she becomes inactive for good with
  probability ``theta`` (geometric lifetime), ``theta ~ Beta(gamma, delta)``.

A customer is summarised by ``x`` (``frequency``, repeat transactions in
opportunities 1..n), ``t_x`` (``recency``, the opportunity of her last
transaction, 0 if none) and ``n``; customers with the same ``(x, t_x, n)`` are
pooled into one row with a count. The likelihood is (FHS 2010, eq. 5)

.. math::
    L = \\frac{B(\\alpha+x,\\beta+n-x)}{B(\\alpha,\\beta)}\\frac{B(\\gamma,\\delta+n)}{B(\\gamma,\\delta)}
    + \\sum_{i=0}^{n-t_x-1}\\frac{B(\\alpha+x,\\beta+t_x-x+i)}{B(\\alpha,\\beta)}
      \\frac{B(\\gamma+1,\\delta+t_x+i)}{B(\\gamma,\\delta)}.

:class:`BGBBFit` gives P(alive), expected transactions of a new customer,
conditional expected transactions over the next opportunities, discounted
expected residual transactions (DERT) and CLV, each also with delta-method
intervals (:func:`crmlab.mle.delta_interval`). The published donations data
(:func:`load_donations`) reproduce the paper's estimates. When a discrete-time
model is the right one is taught in lessons/07_probabilistic_clv.md.

Examples
--------
>>> don = load_donations()
>>> fit = fit_bgbb(don, weights="n_custs")
>>> fit.params.round(3).tolist(), round(fit.loglik, 1)
([1.204, 0.75, 0.657, 2.783], -33225.6)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from crmlab.btyd import _log_hyp2f1_1bc
from crmlab.errors import DataError, ParameterError
from crmlab.mle import _compress, _log_start, _LogScaleFit, maximize, positive_params
from crmlab.sbg import _SERIES_ZMAX, MIN_DISCOUNT  # the smallest rate the DERL/DERT series sums
from crmlab.validation import (
    as_float_array,
    check_discount,
    check_number,
    check_numeric_column,
    describe_row,
    require_columns,
)

__all__ = [
    "MAX_OPPORTUNITIES",
    "MAX_DROPOUT_TERMS",
    "PARAM_NAMES",
    "load_donations",
    "validate_bgbb_summary",
    "fit_bgbb",
    "BGBBFit",
    "bgbb_loglik",
]

#: Parameter names of the BG/BB model.
PARAM_NAMES: tuple[str, ...] = ("alpha", "beta", "gamma", "delta")

#: Most transaction opportunities ``n`` a summary row may have. The likelihood sums
#: over every opportunity at which a customer could have dropped out, so the work
#: grows with ``n``; 1,000 (e.g. 19 years of weekly offers) keeps a fit within
#: seconds. A larger ``n`` raises a DataError (aggregate to longer opportunities).
MAX_OPPORTUNITIES = 1000

#: Most dropout terms a fit evaluates: the sum of ``n - recency`` over the distinct
#: ``(frequency, recency, n)`` rows. Each likelihood evaluation costs that many
#: terms and a fit needs hundreds of evaluations; 50,000 keeps a fit within seconds.
MAX_DROPOUT_TERMS = 50_000


def load_donations(path: Any = None) -> pd.DataFrame:
    """The 1995 donations cohort of Fader, Hardie & Shang (2010): 11,104 donors, 6 opportunities.

    One row per ``(frequency, recency, n)`` pattern with its number of donors
    ``n_custs`` (``datasets/donations.csv``, from the lifetimes package, MIT).

    >>> d = load_donations()
    >>> len(d), int(d["n_custs"].sum()), int(d["n"].max())
    (22, 11104, 6)
    """
    from crmlab.datasets import data_dir

    return pd.read_csv(data_dir(path) / "donations.csv")


def validate_bgbb_summary(summary: Any, *, weights: str | None = None,
                          what: str = "summary") -> tuple[np.ndarray, ...]:
    """Check a ``(frequency, recency, n)`` table and return ``(x, t_x, n, w)`` arrays.

    Rules: whole numbers; 1 <= ``n`` <= :data:`MAX_OPPORTUNITIES`
    (opportunities after the first transaction); 0 <= ``frequency`` <= ``recency`` <= ``n`` (each
    opportunity holds at most one transaction, the last one at ``recency``);
    ``recency`` is 0 exactly when ``frequency`` is 0; ``weights`` (a column of
    customer counts; default 1 per row) >= 0 with a positive total. The first
    violation is named with its row and value.

    Examples
    --------
    >>> df = pd.DataFrame({"frequency": [2], "recency": [5], "n": [4]})
    >>> validate_bgbb_summary(df)
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: summary: row 0: n is 4 but recency is 5; ...
    """
    cols = ["frequency", "recency", "n"] + ([weights] if weights is not None else [])
    df = require_columns(summary, cols, what=what)
    if len(df) == 0:
        raise DataError(f"{what} is empty: at least one row is needed")
    x = check_numeric_column(df, "frequency", what=what, min_value=0).to_numpy()
    tx = check_numeric_column(df, "recency", what=what, min_value=0).to_numpy()
    n = check_numeric_column(df, "n", what=what).to_numpy()
    w = np.ones(len(df)) if weights is None else check_numeric_column(
        df, weights, what=what, min_value=0).to_numpy()
    wname = weights or "weights"
    checks = [
        ((x != np.round(x)) | (tx != np.round(tx)) | (n != np.round(n)),
         lambda i: f"frequency {x[i]:g}, recency {tx[i]:g}, n {n[i]:g}: the BG/BB model counts "
                   "whole transaction opportunities"),
        (n < 1, lambda i: f"n is {n[i]:g}; at least one transaction opportunity is needed"),
        (n > MAX_OPPORTUNITIES, lambda i: f"n is {n[i]:g}; at most MAX_OPPORTUNITIES = "
         f"{MAX_OPPORTUNITIES} transaction opportunities per customer are fitted (aggregate "
         "to longer opportunities, e.g. months instead of days)"),
        (n < tx, lambda i: f"n is {n[i]:g} but recency is {tx[i]:g}; the last transaction "
                           "cannot come after the last opportunity (n >= recency)"),
        (x > tx, lambda i: f"frequency is {x[i]:g} but recency is {tx[i]:g}; at most one "
                           "transaction per opportunity, so frequency <= recency"),
        ((x == 0) & (tx > 0), lambda i: f"frequency is 0 but recency is {tx[i]:g}; recency must "
                                        "be 0 for customers without repeat transactions"),
        ((x > 0) & (tx == 0), lambda i: f"frequency is {x[i]:g} but recency is 0"),
    ]
    for mask, msg in checks:
        if mask.any():
            i = int(np.argmax(mask))
            raise DataError(f"{what}: {describe_row(df, i)}: {msg(i)}")
    if w.sum() <= 0:
        raise DataError(f"{what}: the {wname} add up to 0; no customer to fit")
    return x, tx, n, w


# --------------------------------------------------------------------------- likelihood pieces
def _log_parts(theta, x, tx, n) -> tuple[np.ndarray, np.ndarray]:
    """log of the 'alive through n' term and of the sum over dropout times."""
    a, b, g, d = theta
    lab, lgd = special.betaln(a, b), special.betaln(g, d)
    l1 = special.betaln(a + x, b + n - x) - lab + special.betaln(g, d + n) - lgd
    m = (n - tx).astype(int)
    l2 = np.full(x.shape, -np.inf)
    M = int(m.max()) if m.size else 0
    if M == 0:
        return l1, l2
    # term_i = B(a+x, b+tx-x+i) B(g+1, d+tx+i) / (B(a, b) B(g, d)), i = 0..m-1, by the
    # recursion B(p, q+1) = B(p, q) q / (p+q): one cumulative sum of log ratios per row,
    # vectorised over the opportunities (no Python loop over n)
    term0 = special.betaln(a + x, b + tx - x) - lab + special.betaln(g + 1, d + tx) - lgd
    j = np.arange(M - 1, dtype=float)
    step = max(1, 2_000_000 // M)  # rows per chunk: bounded memory
    for lo in range(0, len(x), step):
        sl = slice(lo, lo + step)
        q1 = (b + tx[sl] - x[sl])[:, None] + j
        q2 = (d + tx[sl])[:, None] + j
        inc = np.log(q1) - np.log(q1 + (a + x[sl])[:, None]) + np.log(q2) - np.log(q2 + g + 1)
        terms = np.empty((len(q1), M))
        terms[:, 0] = term0[sl]
        terms[:, 1:] = term0[sl][:, None] + np.cumsum(inc, axis=1)
        terms[np.arange(M)[None, :] >= m[sl][:, None]] = -np.inf
        peak = terms.max(axis=1)
        ok = np.isfinite(peak)
        with np.errstate(divide="ignore"):
            part = np.full(len(q1), -np.inf)
            part[ok] = peak[ok] + np.log(np.exp(terms[ok] - peak[ok, None]).sum(axis=1))
        l2[sl] = part
    return l1, l2


def _loglik(theta, x, tx, n) -> np.ndarray:
    l1, l2 = _log_parts(theta, x, tx, n)
    return np.logaddexp(l1, l2)


def bgbb_loglik(params: Any, summary: pd.DataFrame, *, weights: str | None = None) -> float:
    """Total log-likelihood of a summary at given ``(alpha, beta, gamma, delta)``.

    >>> round(bgbb_loglik([1.204, 0.750, 0.657, 2.783], load_donations(), weights="n_custs"), 1)
    -33225.6
    """
    theta = positive_params(params, PARAM_NAMES)
    x, tx, n, w = validate_bgbb_summary(summary, weights=weights)
    return float(w @ _loglik(theta, x, tx, n))


def _alive_sum(g: float, d: float, n: np.ndarray, k0: int, K: np.ndarray | float,
               disc: float = 0.0) -> np.ndarray:
    """sum_{k=k0}^{K} B(g, d+n+k)/B(g, d) / (1+disc)^k (K may be inf when disc > 0)."""
    n = np.asarray(n, float)
    if np.ndim(K) == 0 and math.isinf(K):
        z = 1.0 / (1.0 + disc)
        # sum_{k>=k0} ... = B(g, d+n+k0)/B(g, d) z^k0 2F1(1, d+n+k0; g+d+n+k0; z)
        lead = special.betaln(g, d + n + k0) - special.betaln(g, d) + k0 * math.log(z)
        return np.exp(lead + _log_hyp2f1_1bc(d + n + k0, g + d + n + k0, z, _SERIES_ZMAX))
    Kmax = int(np.max(K))
    k = np.arange(k0, Kmax + 1, dtype=float)
    terms = np.exp(special.betaln(g, d + n[:, None] + k[None, :]) - special.betaln(g, d)
                   - k[None, :] * math.log1p(disc))
    terms = np.where(k[None, :] <= np.broadcast_to(np.asarray(K, float), n.shape)[:, None], terms, 0.0)
    return terms.sum(axis=1)


# --------------------------------------------------------------------------- fit
@dataclass(frozen=True)
class BGBBFit(_LogScaleFit):
    """A maximum-likelihood fit of the BG/BB model.

    Attributes
    ----------
    params : Series
        ``alpha``, ``beta`` (transaction probability ~ Beta), ``gamma``,
        ``delta`` (dropout probability ~ Beta).
    se, cov, cov_log, loglik, n, iterations
        Standard errors, covariance (natural and log scale), maximised
        log-likelihood, customers (sum of weights) and optimiser iterations.
    """

    params: pd.Series
    cov_log: np.ndarray
    loglik: float
    n: float
    iterations: int

    # ------------------------------------------------------------ quantities at any theta
    @staticmethod
    def _p_alive(theta, x, tx, n, ahead: int) -> np.ndarray:
        a, b, g, d = theta
        l1 = (special.betaln(a + x, b + n - x) - special.betaln(a, b)
              + special.betaln(g, d + n + ahead) - special.betaln(g, d))
        return np.exp(l1 - _loglik(theta, x, tx, n))

    @staticmethod
    def _numer(theta, x, tx, n) -> np.ndarray:
        """B(a+x+1, b+n-x)/B(a, b) / L: the p-part of E[p * 1{alive later} | data]."""
        a, b, g, d = theta
        return np.exp(special.betaln(a + x + 1, b + n - x) - special.betaln(a, b)
                      - _loglik(theta, x, tx, n))

    @classmethod
    def _clv(cls, theta, x, tx, n, discount, horizon) -> np.ndarray:
        """Discounted expected transactions in opportunities n+1..n+horizon (discount 0: eq. 13)."""
        a, b, g, d = theta
        K = math.inf if horizon is None else horizon
        return cls._numer(theta, x, tx, n) * _alive_sum(g, d, n, 1, K, discount)

    # ------------------------------------------------------------ public
    def _data(self, summary):
        return validate_bgbb_summary(summary)[:3]

    def p_alive(self, summary: pd.DataFrame, *, periods_ahead: int = 0) -> pd.Series:
        """P(alive) at opportunity ``n + periods_ahead`` given ``(x, t_x, n)``.

        ``periods_ahead=0``: still active at the last opportunity observed (as
        :meth:`crmlab.btyd.BTYDFit.p_alive`); ``periods_ahead=1`` is FHS's
        eq. 11, the probability of being alive for the next opportunity. A
        customer who bought at the last opportunity (``recency == n``) is alive
        there for sure: P = 1 at ``periods_ahead=0``.
        """
        k = int(check_number(periods_ahead, "periods_ahead", low=0, integer=True))
        x, tx, n = self._data(summary)
        return pd.Series(self._p_alive(self._theta(), x, tx, n, k), index=summary.index,
                         name="p_alive")

    def expected_transactions(self, n: Any) -> Any:
        """E[X(n)]: expected transactions of a new customer over ``n`` opportunities.

        ``alpha/(alpha+beta) * sum_{k=1}^{n} B(gamma, delta+k)/B(gamma, delta)``.
        """
        nn = as_float_array(n, "n", low=0, integer=True)  # whole numbers of opportunities
        a, b, g, d = self._theta()
        flat = np.atleast_1d(nn).ravel()
        out = a / (a + b) * _alive_sum(g, d, np.zeros_like(flat), 1, flat)
        out = np.where(flat == 0, 0.0, out).reshape(nn.shape)
        return float(out) if out.ndim == 0 else out

    def frequency_distribution(self, n: int) -> pd.Series:
        """P(X(n) = x), x = 0..n: the model's histogram of transactions over n opportunities.

        FHS 2010 eq. 8. Multiply by the cohort size to compare with the
        observed numbers of customers by frequency.
        """
        nn = int(check_number(n, "n", low=1, high=MAX_OPPORTUNITIES, integer=True))
        a, b, g, d = self._theta()
        lab, lgd = special.betaln(a, b), special.betaln(g, d)
        xs = np.arange(nn + 1, dtype=float)
        lc = lambda N, k: special.gammaln(N + 1) - special.gammaln(k + 1) - special.gammaln(N - k + 1)  # noqa: E731
        p = np.exp(lc(nn, xs) + special.betaln(a + xs, b + nn - xs) - lab
                   + special.betaln(g, d + nn) - lgd)
        for i in range(nn):
            sel = xs <= i
            p[sel] += np.exp(lc(i, xs[sel]) + special.betaln(a + xs[sel], b + i - xs[sel]) - lab
                             + special.betaln(g + 1, d + i) - lgd)
        return pd.Series(p, index=pd.Index(xs.astype(int), name="frequency"), name="probability")

    def conditional_expected_transactions(self, summary: pd.DataFrame, periods: int) -> pd.Series:
        """E[X(n, n+periods) | x, t_x, n]: expected transactions in the next ``periods`` opportunities (eq. 13)."""
        k = int(check_number(periods, "periods", low=1, integer=True))
        x, tx, n = self._data(summary)
        return pd.Series(self._clv(self._theta(), x, tx, n, 0.0, k), index=summary.index,
                         name="expected_transactions")

    def dert(self, summary: pd.DataFrame, discount: float) -> pd.Series:
        """Discounted expected residual transactions (FHS 2010 eq. 14): transactions at
        opportunity n+k discounted by (1+d)^k, k >= 1, over an infinite horizon."""
        return self.clv(summary, value_per_transaction=1.0, discount=discount).rename("dert")

    def clv(self, summary: pd.DataFrame, *, value_per_transaction: float, discount: float,
            horizon: int | None = None) -> pd.Series:
        """Expected discounted value of each row's customer: value x discounted expected
        transactions over ``horizon`` future opportunities (None: infinite, = DERT)."""
        v = check_number(value_per_transaction, "value_per_transaction")
        dd, H = self._clv_args(discount, horizon)
        x, tx, n = self._data(summary)
        return pd.Series(v * self._clv(self._theta(), x, tx, n, dd, H), index=summary.index,
                         name="clv")

    @staticmethod
    def _clv_args(discount, horizon):
        d = check_discount(check_number(discount, "discount"))  # one rate
        if horizon is None:
            if d < MIN_DISCOUNT:
                raise ParameterError(f"discount must be >= {MIN_DISCOUNT} per period for an infinite "
                                     f"horizon (the series needs d > 0), got {d!r}")
            return d, None
        return d, int(check_number(horizon, "horizon", low=1, integer=True))

    # ------------------------------------------------------------ intervals
    def p_alive_interval(self, summary: pd.DataFrame, *, periods_ahead: int = 0,
                         level: float = 0.95) -> pd.DataFrame:
        """:meth:`p_alive` with delta-method intervals (logit scale), one row per summary row."""
        k = int(check_number(periods_ahead, "periods_ahead", low=0, integer=True))
        x, tx, n = self._data(summary)
        return self._interval(lambda th: self._p_alive(th, x, tx, n, k), "logit", level, summary.index)

    def conditional_expected_interval(self, summary: pd.DataFrame, periods: int, *,
                                      level: float = 0.95) -> pd.DataFrame:
        """:meth:`conditional_expected_transactions` with delta-method intervals (log scale)."""
        k = int(check_number(periods, "periods", low=1, integer=True))
        x, tx, n = self._data(summary)
        return self._interval(lambda th: self._clv(th, x, tx, n, 0.0, k), "log", level, summary.index)

    def clv_interval(self, summary: pd.DataFrame, *, value_per_transaction: float,
                     discount: float, horizon: int | None = None, weights: str | None = None,
                     total: bool = False, level: float = 0.95) -> pd.DataFrame:
        """:meth:`clv` with delta-method intervals (log scale).

        With ``total=True`` one row, ``total``, for the whole base: the sum of
        the rows' CLVs weighted by ``weights`` (a column of customer counts).
        Its interval comes from the gradient of the total, not from adding up
        the rows' intervals (they are correlated through the parameters).
        """
        v = check_number(value_per_transaction, "value_per_transaction")
        dd, H = self._clv_args(discount, horizon)
        x, tx, n, w = validate_bgbb_summary(summary, weights=weights)
        if total:
            return self._interval(lambda th: v * float(w @ self._clv(th, x, tx, n, dd, H)), "log", level,
                            pd.Index(["total"]))
        return self._interval(lambda th: v * self._clv(th, x, tx, n, dd, H), "log", level, summary.index)


def fit_bgbb(summary: pd.DataFrame, *, weights: str | None = None, init: Any = None,
             gtol: float = 1e-7) -> BGBBFit:
    """Fit the BG/BB model by maximum likelihood.

    Parameters
    ----------
    summary : DataFrame
        ``frequency`` (x), ``recency`` (t_x), ``n``; one row per customer or,
        with ``weights``, per pattern.
    weights : str, optional
        Column holding the number of customers of each row (``"n_custs"`` in
        the donations data).
    init : 4 floats, optional
        Starting ``(alpha, beta, gamma, delta)`` (default all 1).

    Raises
    ------
    DataError
        Invalid table (see :func:`validate_bgbb_summary`), or more than
        :data:`MAX_DROPOUT_TERMS` dropout terms (fits would take minutes).
    ConvergenceError
        No interior maximum with a positive-definite Hessian.

    Examples
    --------
    >>> fit_bgbb(load_donations(), weights="n_custs").se.round(3).tolist()
    [0.069, 0.029, 0.051, 0.321]
    """
    x, tx, n, w = validate_bgbb_summary(summary, weights=weights)
    keep = w > 0
    (xu, tu, nu), wu = _compress(x[keep], tx[keep], n[keep], weights=w[keep])
    work = int((nu - tu).sum())
    if work > MAX_DROPOUT_TERMS:
        raise DataError(
            f"summary has {len(xu)} distinct (frequency, recency, n) rows with {work:,} dropout "
            f"terms in all (the sum of n - recency); at most MAX_DROPOUT_TERMS = "
            f"{MAX_DROPOUT_TERMS:,} are fitted: aggregate to fewer, longer opportunities"
        )
    total = float(w.sum())
    z0 = _log_start(init, [1.0] * 4, PARAM_NAMES)
    res = maximize(lambda z: float(wu @ _loglik(np.exp(z), xu, tu, nu)), z0, PARAM_NAMES,
                   label="BG/BB", n=total, gtol=gtol)
    return BGBBFit(params=res.params, cov_log=res.cov_log, loglik=res.loglik, n=total,
                   iterations=res.iterations)
