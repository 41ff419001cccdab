"""Probabilistic ("buy 'til you die") customer-base models and the CLV built on them.

The BTYD family, fitted to a calibration summary of each customer's repeat
purchases (the seeds' *fitting method*, 拟合法, see lessons/07_probabilistic_clv.md):

* :func:`summarize` turns a transaction log into the recency-frequency summary
  (calibration period, optional holdout period).
* :func:`fit_bgnbd` (Fader, Hardie & Lee 2005a), :func:`fit_mbgnbd`
  (Batislam, Denizel & Filiztekin 2007) and :func:`fit_pareto_nbd`
  (Schmittlein, Morrison & Colombo 1987) fit the transaction process by
  maximum likelihood; :func:`fit_gamma_gamma` (Fader, Hardie & Lee 2005b) fits
  spend per transaction.
* A :class:`BTYDFit` gives P(alive), expected transactions in ``(0, t]``,
  conditional expected transactions, expected spend; :func:`clv` and
  :func:`dert` combine them into customer value (:func:`clv` is also the
  potential-value axis of chapter 3's CLV classification).
* :func:`tracking`, :func:`conditional_by_frequency` and
  :func:`holdout_errors` validate a fit on a holdout period;
  :func:`plot_tracking` and :func:`plot_conditional` draw the literature's plots.

Conventions
-----------
* A *purchase* is an occasion: rows of one customer on the same calendar day
  are merged by :func:`crmlab.summary.to_occasions`.
* ``frequency`` = number of **repeat** occasions in the calibration period
  (occasions minus one); ``recency`` = time from the first to the last
  occasion; ``T_cal`` = time from the first occasion to the end of the
  calibration period. Time is measured in whole days between dates and
  expressed in ``unit`` (``"D"`` days, ``"W"`` weeks = 7 days).
* The column is called ``T_cal``, not ``T``: ``df.T`` is the transpose of a
  DataFrame, so ``summary.T`` silently returns the wrong thing. Functions
  that read a summary accept a column named ``"T"`` as well (read it as
  ``df["T"]``, never ``df.T``).
* Every estimate is a plain maximum-likelihood estimate: there is no
  penaliser and no prior. A fit that does not converge raises
  :class:`~crmlab.errors.ConvergenceError` instead of returning numbers.

Examples
--------
>>> import crmlab
>>> log = crmlab.datasets.load_cdnow("sample")
>>> summ = summarize(log, "1997-09-30", "1998-06-30", unit="W", purchase_rule="any_occasion")
>>> len(summ), int(summ["frequency"].sum()), int(summ["frequency_holdout"].sum())
(2357, 2457, 1882)
>>> fit = fit_bgnbd(summ)
>>> fit.params.round(3).tolist(), round(fit.loglik, 1)
([0.243, 4.414, 0.793, 2.426], -9582.4)
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from crmlab.errors import ConvergenceError, DataError, ParameterError, warn
from crmlab.finance import _series_index, discount_factor
from crmlab.mle import _compress, _log_start, _LogScaleFit, maximize, positive_params
from crmlab.summary import _UNITS, customer_summary, to_occasions
from crmlab.validation import (
    as_float_array,
    check_choice,
    check_date,
    check_discount,
    check_number,
    check_numeric_column,
    require_columns,
)

__all__ = [
    "MAX_CLV_CELLS",
    "PARAM_NAMES",
    "summarize",
    "validate_summary",
    "BTYDFit",
    "fit_bgnbd",
    "fit_mbgnbd",
    "fit_pareto_nbd",
    "fit_gamma_gamma",
    "loglik",
    "clv",
    "dert",
    "expected_transactions_interval",
    "p_alive_interval",
    "conditional_expected_interval",
    "clv_interval",
    "tracking",
    "conditional_by_frequency",
    "holdout_errors",
    "rank_agreement",
    "simulate_summary",
    "plot_tracking",
    "plot_conditional",
]

#: Parameter names of each model, in the order used everywhere.
PARAM_NAMES: dict[str, tuple[str, ...]] = {
    "bgnbd": ("r", "alpha", "a", "b"),
    "mbgnbd": ("r", "alpha", "a", "b"),
    "pareto_nbd": ("r", "alpha", "s", "beta"),
    "gamma_gamma": ("p", "q", "gamma"),
    "nbd": ("r", "alpha"),
}

_MODEL_LABEL = {
    "bgnbd": "BG/NBD",
    "mbgnbd": "MBG/NBD",
    "pareto_nbd": "Pareto/NBD",
    "gamma_gamma": "Gamma-Gamma",
    "nbd": "NBD (no dropout)",
}
_TRANSACTION_MODELS = ("bgnbd", "mbgnbd", "pareto_nbd", "nbd")
_DROPOUT_MODELS = _TRANSACTION_MODELS[:3]  # the ones with intervals

#: Most customer-periods :func:`clv` evaluates, per model: distinct ``(frequency, T)``
#: patterns x discounting periods (``ceil(horizon / period)``). The BG/NBD and MBG/NBD
#: need a quadrature per cell, so their cap is lower; each cap keeps a call within
#: seconds (CDNOW sample: 464 patterns x 520 monthly periods, about 5 s for the BG/NBD).
#: A longer horizon needs a longer ``period``.
MAX_CLV_CELLS: dict[str, int] = {
    "nbd": 5_000_000, "pareto_nbd": 5_000_000, "bgnbd": 250_000, "mbgnbd": 250_000,
}

# customer-period cells per vectorised evaluation of the conditional expectation
_CLV_CHUNK = 20_000


# =========================================================================== summary
def summarize(
    transactions: pd.DataFrame,
    calibration_end: Any,
    observation_end: Any = None,
    unit: str = "W",
    *,
    calibration_start: Any = None,
    purchase_rule: str = "net_positive",
) -> pd.DataFrame:
    """Recency-frequency summary of a transaction log for the BTYD models.

    The BTYD view of the one customer summary
    (:func:`crmlab.summary.customer_summary` with ``view="btyd"``).

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema (``customer_id``, ``date``, ``amount``). Rows of one
        customer on the same day are merged into one purchase occasion
        (:func:`crmlab.summary.to_occasions`), so a basket split over several
        rows is one purchase.
    calibration_end : date-like
        Last day of the calibration period (inclusive). Customers whose first
        purchase is after it are not in the cohort; their number is warned
        about and stored in ``attrs["excluded_after_calibration"]``.
    observation_end : date-like, optional
        Last day of the holdout period (inclusive). If given, holdout columns
        are added.
    unit : {"W", "D"}
        Time unit of ``recency``, ``T_cal`` and ``duration_holdout``: weeks
        (7 days) or days.
    calibration_start : date-like, optional
        Only customers whose first purchase is on or after this day are in the
        cohort (e.g. a quarter's acquisition cohort); the count left out is
        warned about.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``frequency`` (repeat occasions in the
        calibration period), ``recency`` (first to last occasion), ``T_cal``
        (first occasion to ``calibration_end``), ``monetary_value`` (mean
        amount of the repeat occasions, 0 if none: the Gamma-Gamma input),
        ``first_purchase`` (date), ``first_amount``; with ``observation_end``
        also ``frequency_holdout`` (occasions after ``calibration_end`` up to
        ``observation_end``), ``monetary_holdout`` (their mean amount, 0 if
        none) and ``duration_holdout``. ``attrs`` records the unit, the dates,
        the customers left out and ``rows_after_window`` (rows of the log dated
        after the last day summarised, which no column counts).

    Raises
    ------
    DataError
        Invalid log, or no customer bought by ``calibration_end``.
    ParameterError
        ``unit`` not "W"/"D", unparseable dates, ``observation_end`` not after
        ``calibration_end``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"]),
    ...     "amount": [5.0, 5.0, 20.0, 7.0]})
    >>> s = summarize(log, "2024-01-29", unit="W")
    >>> s[["frequency", "recency", "T_cal", "monetary_value"]].values.tolist()
    [[1.0, 2.0, 4.0, 20.0], [0.0, 0.0, 3.0, 0.0]]
    """
    if calibration_end is None:
        raise ParameterError("calibration_end is needed: the last day of the calibration period")
    cal = check_date(calibration_end, "calibration_end")
    if observation_end is not None:
        obs = check_date(observation_end, "observation_end")
        if obs <= cal:
            raise ParameterError(
                f"observation_end ({obs.date()}) must be after calibration_end ({cal.date()})"
            )
    return customer_summary(transactions, calibration_end, holdout_end=observation_end,
                            cohort_start=calibration_start, view="btyd", unit=unit,
                            purchase_rule=purchase_rule)


def _row_label(df: pd.DataFrame, pos: int) -> str:
    label = df.index[pos]
    if isinstance(label, np.generic):
        label = label.item()
    return f"row {pos} (customer {label!r})"


def _t_column(summary: pd.DataFrame) -> str:
    if "T_cal" in summary.columns:
        return "T_cal"
    if "T" in summary.columns:
        return "T"
    raise DataError(
        "summary is missing column 'T_cal' (time from first purchase to the end of the "
        f"calibration period; a column named 'T' is accepted too); it has {list(summary.columns)}"
    )


def validate_summary(summary: Any, *, what: str = "summary") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check a recency-frequency summary and return ``(x, t_x, T)`` as arrays.

    Rules: ``frequency`` a whole number >= 0; ``recency`` >= 0 and 0 when
    ``frequency`` is 0, > 0 when ``frequency`` > 0 (a repeat purchase takes
    time); ``T_cal`` (or ``T``) >= ``recency`` and > 0; no NaN. The first
    violation is reported with its row and customer.

    Examples
    --------
    >>> df = pd.DataFrame({"frequency": [2, 0], "recency": [5.0, 0.0], "T_cal": [9.0, 3.0]})
    >>> [a.tolist() for a in validate_summary(df)]
    [[2.0, 0.0], [5.0, 0.0], [9.0, 3.0]]
    >>> bad = pd.DataFrame({"frequency": [1], "recency": [0.0], "T_cal": [3.0]})
    >>> validate_summary(bad)
    Traceback (most recent call last):
    ...
    crmlab.errors.DataError: summary: row 0 (customer 0): frequency is 1 but recency is 0; ...
    """
    df = require_columns(summary, ["frequency", "recency"], what=what)
    tcol = _t_column(df)
    if len(df) == 0:
        raise DataError(f"{what} is empty: at least one customer is needed")
    x = check_numeric_column(df, "frequency", what=what, min_value=0.0).to_numpy()
    t_x = check_numeric_column(df, "recency", what=what, min_value=0.0).to_numpy()
    T = check_numeric_column(df, tcol, what=what, min_value=0.0).to_numpy()
    checks = [
        (x != np.round(x), lambda i: f"frequency {x[i]} is not a whole number of repeat purchases"),
        ((x > 0) & (t_x <= 0), lambda i: f"frequency is {x[i]:g} but recency is 0; a customer with "
         "repeat purchases must have recency > 0 (same-day purchases are one occasion)"),
        ((x == 0) & (t_x > 0), lambda i: f"frequency is 0 but recency is {t_x[i]:g}; recency must "
         "be 0 for customers without repeat purchases"),
        (t_x > T * (1 + 1e-12), lambda i: f"recency {t_x[i]:g} is greater than {tcol} {T[i]:g}; "
         "the last purchase cannot be after the end of the calibration period"),
        (T <= 0, lambda i: f"{tcol} is {T[i]:g}; the calibration period must be longer than 0"),
    ]
    for mask, msg in checks:
        if mask.any():
            i = int(np.argmax(mask))
            raise DataError(f"{what}: {_row_label(df, i)}: {msg(i)}")
    return x.astype("float64"), t_x.astype("float64"), T.astype("float64")


# =========================================================================== likelihoods
def _bg_parts(theta: np.ndarray, x, t_x, T, k: int):
    """Per-row pieces of the BG/NBD (k=0) or MBG/NBD (k=1) log-likelihood."""
    r, alpha, a, b = theta
    c = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    lab = special.betaln(a, b)
    u1 = special.betaln(a, b + x + k) - lab - (r + x) * np.log(alpha + T)
    has2 = (x + k) > 0
    xs = np.where(has2, x, 1.0)  # avoid b + x - 1 <= 0 on rows without the term
    u2 = np.where(
        has2,
        special.betaln(a + 1, b + xs + k - 1) - lab - (r + xs) * np.log(alpha + t_x),
        -np.inf,
    )
    return c, u1, u2, has2, xs


def _bg_loglik(theta, x, t_x, T, k: int = 0) -> np.ndarray:
    c, u1, u2, *_ = _bg_parts(theta, x, t_x, T, k)
    return c + np.logaddexp(u1, u2)


def _bg_grad(theta, x, t_x, T, w, k: int = 0) -> tuple[float, np.ndarray]:
    """Weighted log-likelihood and its gradient with respect to log-parameters."""
    r, alpha, a, b = theta
    c, u1, u2, has2, xs = _bg_parts(theta, x, t_x, T, k)
    lse = np.logaddexp(u1, u2)
    w2 = np.exp(u2 - lse)
    w1 = 1.0 - w2
    psi = special.digamma
    d_r = psi(r + x) - psi(r) + np.log(alpha) - w1 * np.log(alpha + T) - w2 * np.log(alpha + t_x)
    d_alpha = r / alpha - w1 * (r + x) / (alpha + T) - w2 * (r + x) / (alpha + t_x)
    pab = psi(a + b)
    pb = psi(b)
    d1a = pab - psi(a + b + x + k)
    d1b = psi(b + x + k) - psi(a + b + x + k) - pb + pab
    d2a = np.where(has2, psi(a + 1) - psi(a + b + xs + k) - psi(a) + pab, 0.0)
    d2b = np.where(has2, psi(b + xs + k - 1) - psi(a + b + xs + k) - pb + pab, 0.0)
    d_a = w1 * d1a + w2 * d2a
    d_b = w1 * d1b + w2 * d2b
    grad = np.array([w @ d_r, w @ d_alpha, w @ d_a, w @ d_b]) * theta
    return float(w @ (c + lse)), grad


def _log_hyp2f1_1bc(b: np.ndarray, c: np.ndarray, z: np.ndarray, zmax: float = 0.99) -> np.ndarray:
    """log 2F1(1, b; c; z) for 0 < b < c and 0 <= z <= zmax, by its power series (:func:`_hyp2f1_1bc_grad`).

    Every term is positive and the ratio of consecutive terms is
    (b+j)/(c+j) z < z, so the sum has no cancellation and the tail is bounded.
    Entries with z < 0 or z > zmax are returned as NaN (the Pareto/NBD integrates them
    by Gauss-Legendre, :func:`_pnbd_integral_gl_grad`). scipy.special.hyp2f1 is not used: it returns wrong values
    for some arguments of this form (e.g. 2F1(1, 20.05; 121.05; -4) = 1.2e16
    instead of 0.605 in scipy 1.17).
    """
    b, c, z = np.broadcast_arrays(np.asarray(b, float), np.asarray(c, float), np.asarray(z, float))
    out = np.full(b.shape, np.nan)
    ok = (z >= 0) & (z <= zmax)
    out[ok] = _hyp2f1_1bc_grad(b[ok], c[ok], z[ok])[0]
    return out


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


def _hyp2f1_1bc_grad(b: np.ndarray, c: np.ndarray, z: np.ndarray):
    """log 2F1(1, b; c; z) and its derivatives in b, c and z, for 0 < b < c, 0 <= z < 1.

    The all-positive power series of :func:`_log_hyp2f1_1bc`, summed without a
    Python loop over terms: each row gets the number of terms its tail bound
    needs (``z^J / (1 - z) < 1e-17``), rows are bucketed by that number, and
    the terms are cumulative products of the ratios ``(b+j)/(c+j) z``. The
    derivatives of a term are running sums: ``d log t_j/db = sum_{i<j} 1/(b+i)``,
    ``d log t_j/dc = -sum_{i<j} 1/(c+i)``, ``d log t_j/dz = j/z``. Returns
    ``(log H, dlogH/db, dlogH/dc, dlogH/dz)``.
    """
    b, c, z = (np.asarray(v, dtype=float) for v in np.broadcast_arrays(b, c, z))
    logH = np.zeros(b.shape)
    gb, gc, gz = np.zeros(b.shape), np.zeros(b.shape), b / c
    with np.errstate(divide="ignore"):
        need = np.where(z > 0, np.ceil(np.log(1e-17 * (1 - z)) / np.log(np.where(z > 0, z, 0.5))), 0)
    need = np.clip(need, 0, None)
    edges = [0, 16, 48, 128, 256, 512, 1024, 1536, 2304, 3456, 5184, 7776, 11664, 17496, 26244,
             39366, 59049]  # the last covers z = 1/1.001 (sbg.MIN_DISCOUNT)
    if np.any(need > edges[-1]):
        raise ParameterError(f"the 2F1(1, b; c; z) series at z = {float(np.max(z)):.6g} would need more "
                             f"than {edges[-1]} terms; discount rates below 0.001 per period are not summed")
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = np.flatnonzero((need > lo) & (need <= hi)) if lo else np.flatnonzero((need > 0) & (need <= hi))
        step = max(1, (1 << 17) // hi)  # rows per chunk: keep the work arrays in cache
        jj = np.arange(hi, dtype=float)
        for start in range(0, len(sel), step):
            _series_chunk(sel[start:start + step], jj, b, c, z, logH, gb, gc, gz)
    return logH, gb, gc, gz


def _series_chunk(idx, jj, b, c, z, logH, gb, gc, gz) -> None:
    """One chunk of rows of :func:`_hyp2f1_1bc_grad` (terms j = 1..len(jj)), in place."""
    bb, cc, zz = b[idx, None], c[idx, None], z[idx, None]
    ratio = (bb + jj) / (cc + jj) * zz
    tau = np.cumprod(ratio, axis=1)               # terms j = 1..hi
    sb = np.cumsum(1.0 / (bb + jj), axis=1)
    sc = np.cumsum(1.0 / (cc + jj), axis=1)
    H = 1.0 + tau.sum(axis=1)
    logH[idx] = np.log(H)
    gb[idx] = (tau * sb).sum(axis=1) / H
    gc[idx] = -(tau * sc).sum(axis=1) / H
    gz[idx] = (tau * (jj + 1.0)).sum(axis=1) / (zz[:, 0] * H)


def _pnbd_integral_gl_grad(r, alpha, s, beta, x, t_x, T):
    """log of s * int_{t_x}^{T} (alpha+u)^-(r+x) (beta+u)^-(s+1) du and its gradient in (r, alpha, s, beta).

    Used where one of alpha, beta dwarfs the other (the 2F1 argument is close to
    1); x, t_x, T are 1-d arrays of one length. With m = min(alpha, beta) and
    its exponent e_m, the substitution v = ((m+t_x)/(m+u))^(e_m-1) integrates
    the dominant power law exactly (or y = log(m+u) when e_m <= 1.05); the
    remaining factor ((M+u)/(M+t_x))^-e_M is smooth and bounded by 1, so
    64-point Gauss-Legendre suffices. Checked against adaptive quadrature in
    the tests. The derivatives of
    ``log(s I)`` are the node-weighted means of the integrand's log-derivatives
    (``-log(alpha+u)``, ``-(r+x)/(alpha+u)``, ``1/s - log(beta+u)``,
    ``-(s+1)/(beta+u)``): the quadrature of the derivative of the integrand.
    """
    m, e_m = (alpha, r + x) if alpha <= beta else (beta, np.full(x.shape, s + 1.0))
    k = e_m - 1.0
    g = (_GL_NODES + 1.0) / 2.0
    lw = np.log(_GL_WEIGHTS / 2.0)
    U = np.empty((len(x), len(g)))
    logc = np.empty(U.shape)
    big = k > 0.05
    if big.any():
        kb, tb, Tb = k[big], t_x[big], T[big]
        log_rho = kb * (np.log(m + tb) - np.log(m + Tb))
        rho = np.exp(log_rho)
        nu = rho[:, None] + (1.0 - rho)[:, None] * g[None, :]
        u = (m + tb)[:, None] * np.exp(-np.log(nu) / kb[:, None]) - m
        U[big] = u
        # dv = k (m+t_x)^k (m+u)^-(k+1) du: the integrand times (m+u)^(k+1) / (k (m+t_x)^k)
        logc[big] = (lw[None, :] + (np.log(-np.expm1(log_rho)) - np.log(kb)
                                    - kb * np.log(m + tb))[:, None]
                     + e_m[big][:, None] * np.log(m + u))
    small = ~big
    if small.any():
        tb, Tb = t_x[small], T[small]
        y0, y1 = np.log(m + tb), np.log(m + Tb)
        y = y0[:, None] + (y1 - y0)[:, None] * g[None, :]
        u = np.exp(y) - m
        U[small] = u
        logc[small] = lw[None, :] + np.log(y1 - y0)[:, None] + y
    la, lb = np.log(alpha + U), np.log(beta + U)
    a1 = (r + x)[:, None]
    logc += -a1 * la - (s + 1.0) * lb
    peak = logc.max(axis=1)
    cj = np.exp(logc - peak[:, None])
    tot = cj.sum(axis=1)
    q = cj / tot[:, None]
    grad = np.array([-(q * la).sum(axis=1), -(r + x) * (q / (alpha + U)).sum(axis=1),
                     1.0 / s - (q * lb).sum(axis=1), -(s + 1.0) * (q / (beta + U)).sum(axis=1)])
    return np.log(s) + peak + np.log(tot), grad


#: Largest 2F1 argument summed as a series (beyond: quadrature).
_PNBD_ZMAX_FIT = 0.99


def _pnbd_parts(theta, x, t_x, T):
    """Per-row Pareto/NBD log-likelihood ``c0 + logaddexp(l1, l2)`` (Fader & Hardie 2005 note).

    Returns ``(c0, l1, l2, g2)``: the constant, the log of the term alive through
    T, the log of the dropout integral and the gradient (4, rows) of ``l2`` in
    (r, alpha, s, beta). The integral is the closed form with the Fader-Hardie
    branch and Pfaff transformation, log F(t) = log[2F1(A, B; A+1; z_t) /
    base_t^A] rewritten with 2F1(A, B; A+1; z) = (1-z)^(1-B) 2F1(1, A+1-B; A+1; z);
    its gradient comes from the derivatives of the 2F1(1, b; c; z) series
    (:func:`_hyp2f1_1bc_grad`) by the chain rule, so one evaluation replaces the
    9 of a numerical gradient. Rows whose 2F1 argument exceeds ``_PNBD_ZMAX_FIT``
    (one of alpha, beta dwarfs the other), or whose closed form is not finite,
    use the Gauss-Legendre integral :func:`_pnbd_integral_gl_grad`. Checked
    against adaptive quadrature and the numerical gradient in the tests.
    """
    x, t_x, T = (np.atleast_1d(v).astype(float) for v in np.broadcast_arrays(x, t_x, T))
    r, alpha, s, beta = theta
    A = r + s + x
    c0 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    l1 = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)

    has = T > t_x
    if alpha >= beta:
        zx, zT = (alpha - beta) / (alpha + t_x), (alpha - beta) / (alpha + T)
    else:
        zx, zT = (beta - alpha) / (beta + t_x), (beta - alpha) / (beta + T)
    far = has & ((zx > _PNBD_ZMAX_FIT) | (zT > _PNBD_ZMAX_FIT))
    # the series only where its value is used: rows with T = t_x have no second term, and
    # far rows are integrated by quadrature (near the s, beta -> infinity ridge that is
    # almost every row, and the series at z = 0.99 would need ~4,000 terms per row)
    use = has & ~far

    def series(bb, t, z):
        """The 2F1 series once per distinct (x, t) among the rows used: many share them (e.g. t_x = 0)."""
        out = [np.zeros(len(x)) for _ in range(4)]
        rows = np.flatnonzero(use)
        if rows.size:
            keys, inv = np.unique(np.c_[x[rows], t[rows]], axis=0, return_inverse=True)
            first = np.zeros(len(keys), dtype=int)
            first[inv.ravel()] = rows
            vals = _hyp2f1_1bc_grad(bb[first], (A + 1)[first], np.minimum(z[first], _PNBD_ZMAX_FIT))
            for o, v in zip(out, vals):
                o[rows] = v[inv.ravel()]
        return out

    def logF(t):
        """log F(t) and its gradient (4, rows) for the closed-form branch."""
        at, bt = alpha + t, beta + t
        if alpha >= beta:
            z = (alpha - beta) / at
            lh, hb, hc, hz = series(r + x, t, z)
            val = -s * np.log(bt) - (r + x) * np.log(at) + lh
            g = np.array([-np.log(at) + hb + hc, -(r + x) / at + hz * bt / at**2,
                          -np.log(bt) + hc, -s / bt - hz / at])
        else:
            z = (beta - alpha) / bt
            lh, hb, hc, hz = series(np.full(x.shape, s + 1.0), t, z)
            val = -(r + x - 1) * np.log(at) - (s + 1) * np.log(bt) + lh
            g = np.array([-np.log(at) + hc, -(r + x - 1) / at - hz / bt,
                          -np.log(bt) + hb + hc, -(s + 1) / bt + hz * at / bt**2])
        return val, g, z

    fx, gx, _ = logF(t_x)
    fT, gT, _ = logF(T)
    d = np.where(use, fT - fx, -1.0)
    with np.errstate(all="ignore"):
        l2 = np.where(has, np.log(s) - np.log(A) + fx + np.log(-np.expm1(d)), -np.inf)
        q = 1.0 / np.expm1(-d)  # e^d / (1 - e^d)
        g2 = (1.0 + q) * gx - q * gT
    g2[0] -= 1.0 / A
    g2[2] += 1.0 / s - 1.0 / A
    far |= has & ~np.isfinite(l2)
    if far.any():
        l2[far], g2[:, far] = _pnbd_integral_gl_grad(r, alpha, s, beta, x[far], t_x[far], T[far])
    g2[:, ~has] = 0.0
    return c0, l1, l2, g2


def _pnbd_value_grad(theta, x, t_x, T, w) -> tuple[float, np.ndarray]:
    """Weighted Pareto/NBD log-likelihood and its analytic gradient in log-parameters
    (the fitting path of :func:`fit_pareto_nbd`; the pieces come from :func:`_pnbd_parts`)."""
    r, alpha, s, beta = theta
    c0, l1, l2, g2 = _pnbd_parts(theta, x, t_x, T)
    lgA_T, lgB_T = np.log(alpha + T), np.log(beta + T)
    lse = np.logaddexp(l1, l2)
    w1 = np.exp(l1 - lse)
    w2 = 1.0 - w1
    psi = special.digamma
    g = np.array([
        psi(r + x) - psi(r) + np.log(alpha) - w1 * lgA_T + w2 * g2[0],
        r / alpha - w1 * (r + x) / (alpha + T) + w2 * g2[1],
        np.log(beta) - w1 * lgB_T + w2 * g2[2],
        s / beta - w1 * s / (beta + T) + w2 * g2[3],
    ])
    return float(w @ (c0 + lse)), (g @ w) * theta


def _pnbd_loglik(theta, x, t_x, T) -> np.ndarray:
    c, l1, l2, _ = _pnbd_parts(theta, x, t_x, T)
    return c + np.logaddexp(l1, l2)


def _gg_loglik(theta, x, m) -> np.ndarray:
    p, q, g = theta
    px = p * x
    return (
        special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(g)
        + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(g + m * x)
    )


def _gg_grad(theta, x, m, w) -> tuple[float, np.ndarray]:
    p, q, g = theta
    px = p * x
    psi = special.digamma
    lg = np.log(g + m * x)
    d_p = x * (psi(px + q) - psi(px) + np.log(m) + np.log(x) - lg)
    d_q = psi(px + q) - psi(q) + np.log(g) - lg
    d_g = q / g - (px + q) / (g + m * x)
    grad = np.array([w @ d_p, w @ d_q, w @ d_g]) * theta
    return float(w @ _gg_loglik(theta, x, m)), grad


# =========================================================================== fitting
@dataclass(frozen=True)
class BTYDFit(_LogScaleFit):
    """A converged maximum-likelihood fit of one BTYD or spend model.

    Attributes
    ----------
    model : str
        ``"bgnbd"``, ``"mbgnbd"``, ``"pareto_nbd"`` or ``"gamma_gamma"``.
    params : Series
        MLE on the natural scale (no penaliser, no prior).
    se : Series
        Standard errors from the inverse observed information (numerical
        Hessian of the log-likelihood in log-parameters, delta method back to
        the natural scale).
    cov : DataFrame
        Covariance matrix of ``params``.
    cov_log : ndarray
        Covariance of the log-parameters: the input of the ``*_interval`` functions.
    loglik : float
        Maximised log-likelihood.
    n : int
        Customers used.
    iterations : int
        Optimiser iterations.
    unit : str or None
        Time unit of the summary the model was fitted to.
    boundary : bool
        True when the likelihood of the requested model (``requested``) is
        maximised at the no-dropout edge; the fit is then the nested NBD model
        (``model == "nbd"``: no customer drops out, P(alive) = 1) and ``note``
        says why. See :func:`fit_bgnbd`.
    requested : str or None
        The model asked for, when it differs from ``model``.
    note : str
        What the fitter found at the boundary ("" otherwise).
    """

    model: str
    params: pd.Series
    cov_log: np.ndarray = field(repr=False)
    loglik: float
    n: int
    iterations: int
    unit: str | None = None
    boundary: bool = False
    requested: str | None = None
    note: str = ""

    # ---------------------------------------------------------------- reporting
    @property
    def label(self) -> str:
        return _MODEL_LABEL[self.model]

    def _require(self, *models: str) -> None:
        if self.model not in models:
            raise ParameterError(
                f"this is a {self.label} fit; the method needs one of "
                f"{[_MODEL_LABEL[m] for m in models]}"
            )

    # ---------------------------------------------------------------- transaction models
    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        """Probability that each customer is still active at the end of calibration.

        Under BG/NBD a customer without repeat purchases gets exactly 1: the model
        lets customers drop out only right *after* a purchase, and the first
        purchase is not a dropout opportunity. MBG/NBD and Pareto/NBD do not
        have this artefact.
        """
        self._require(*_TRANSACTION_MODELS)
        x, t_x, T = validate_summary(summary)
        return pd.Series(_p_alive(self.model, self._theta(), x, t_x, T), index=summary.index, name="p_alive")

    def expected_transactions(self, t: Any) -> np.ndarray | float:
        """E[X(t)]: expected repeat transactions in ``(0, t]`` of a new customer
        (``t`` in the fit's unit, scalar or array)."""
        self._require(*_TRANSACTION_MODELS)
        tt = _times(t)
        out = _expected(self.model, self._theta(), tt)
        return float(out) if out.ndim == 0 else out

    def conditional_expected_transactions(self, summary: pd.DataFrame, t: Any) -> pd.Series:
        """E[Y(t) | x, t_x, T]: expected transactions in the next ``t`` units
        (scalar, or one value per customer) given each customer's history."""
        self._require(*_TRANSACTION_MODELS)
        x, t_x, T = validate_summary(summary)
        tt = _customer_times(t, summary)
        out = _conditional(self.model, self._theta(), x, t_x, T, tt)
        return pd.Series(out, index=summary.index, name="expected_transactions")

    # ---------------------------------------------------------------- spend model
    def conditional_expected_spend(self, summary: pd.DataFrame) -> pd.Series:
        """E[M | m_x, x]: expected spend per transaction of each customer
        (Gamma-Gamma); customers without repeat purchases get the population
        mean p*gamma/(q-1)."""
        self._require("gamma_gamma")
        p, q, g = self._theta()
        if q <= 1:
            raise ParameterError(f"the mean spend is infinite for q = {q:.3g} <= 1")
        x, m = _spend_columns(summary, check_numeric_column(summary, "frequency", what="summary",
                                                            min_value=0).to_numpy())
        with np.errstate(invalid="ignore"):
            out = np.where(x > 0, p * (g + m * x) / (p * x + q - 1), p * g / (q - 1))
        return pd.Series(out, index=summary.index, name="expected_spend")

    def population_mean_spend(self) -> float:
        """Mean spend per transaction across customers, p*gamma/(q-1)."""
        self._require("gamma_gamma")
        p, q, g = self._theta()
        return float(p * g / (q - 1)) if q > 1 else math.inf


def _spend_columns(summary: pd.DataFrame, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``frequency`` (given) and ``monetary_value``, which must be known for every repeat buyer."""
    m = check_numeric_column(summary, "monetary_value", what="summary", allow_nan=True,
                             min_value=0.0).to_numpy()
    bad = (x > 0) & np.isnan(m)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(f"summary: {_row_label(summary, i)}: monetary_value is missing (NaN) for a "
                        f"customer with {x[i]:g} repeat purchases")
    return x, m


def _p_alive(model, theta, x, t_x, T) -> np.ndarray:
    if model == "nbd":
        return np.ones(len(np.atleast_1d(x)))
    if model in ("bgnbd", "mbgnbd"):
        r, alpha, a, b = theta
        k = 1 if model == "mbgnbd" else 0
        has = (x + k) > 0
        with np.errstate(all="ignore"):
            lr = np.log(a) - np.log(np.where(has, b + x + k - 1, 1.0)) + (r + x) * (
                np.log(alpha + T) - np.log(alpha + t_x))
        return np.where(has, special.expit(-lr), 1.0)
    c, l1, l2, _ = _pnbd_parts(theta, x, t_x, T)
    return np.exp(l1 - np.logaddexp(l1, l2))


@functools.lru_cache(maxsize=256)
def _gauss_beta(a: float, b: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and normalised weights of n-point Gauss quadrature for the Beta(a, b) density.

    Golub-Welsch on the Jacobi recurrence, mapped to [0, 1]; the weights are the squared
    first components of the eigenvectors, so they sum to 1 and never overflow (scipy's
    roots_jacobi returns unnormalised weights that overflow for large b).
    """
    from scipy.linalg import eigh_tridiagonal

    al, be = b - 1.0, a - 1.0  # Jacobi weight (1-y)^al (1+y)^be, y = 2p - 1
    k = np.arange(n, dtype=float)
    s2 = 2 * k + al + be
    with np.errstate(divide="ignore", invalid="ignore"):
        diag = (be**2 - al**2) / (s2 * (s2 + 2))
    diag[0] = (be - al) / (al + be + 2)
    k1 = k[1:]
    s1 = 2 * k1 + al + be
    off2 = 4 * k1 * (k1 + al) * (k1 + be) * (k1 + al + be) / (s1**2 * (s1 + 1) * (s1 - 1))
    y, vec = eigh_tridiagonal(diag, np.sqrt(off2))
    w = vec[0] ** 2
    p, w = (1.0 + y) / 2.0, w / w.sum()
    p.flags.writeable = False
    w.flags.writeable = False
    return p, w


def _beta_expect(a: float, b: np.ndarray, r: np.ndarray, alpha: np.ndarray, t: np.ndarray,
                 t_nodes: float | None = None) -> np.ndarray:
    """E[(1 - (1 + p t/alpha)^-r) / p] for p ~ Beta(a, b): the expected number of
    transactions in (0, t] of a BG/NBD customer with lambda ~ Gamma(r, alpha) who
    drops out after each purchase with probability p.

    This replaces the usual closed form with 2F1(r, b; a+b-1; t/(alpha+t)): scipy's
    hyp2f1 returns inf/NaN or wrong digits for some of its arguments (e.g. many repeat
    purchases, small a). The integrand is smooth once the Beta weight is taken out,
    so Gauss-Jacobi quadrature converges fast; the number of nodes grows with
    sqrt(max(r, 1) t / alpha), the sharpness of its only feature near p = 0.
    Checked against mpmath (40 digits): relative error < 1e-11 for
    max(r, 1) t / alpha <= 45,000 (the expected purchases of an active customer
    over the horizon), about 3e-5 at 1e6. ``t_nodes`` (default: the largest ``t``)
    sets the node count, so that many calls over one horizon share their nodes.
    """
    b, r, alpha, t = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (b, r, alpha, t)))
    out = np.empty(b.shape)
    kk = t / alpha
    for bv in np.unique(b):
        idx = b == bv
        kn = kk[idx] if t_nodes is None else t_nodes / alpha[idx]
        n = int(np.clip(np.ceil(7 * np.sqrt(np.max(np.maximum(r[idx], 1.0) * kn))) + 24, 24, 1500))
        p, w = _gauss_beta(a, float(bv), n)
        pk = np.multiply.outer(kk[idx], p)
        g = -np.expm1(-r[idx][:, None] * np.log1p(pk)) / p
        out[idx] = g @ w
    return out


def _expected(model, theta, t) -> np.ndarray:
    """E[X(t)] of a new customer: the expectation of :func:`_conditional_core` at x = 0, T = 0."""
    core = _conditional_core(model, theta, 0.0, 0.0, np.asarray(t, dtype=float))
    if model == "mbgnbd":  # E[(1-p)/p (...)] = b/(a+b) E_{Beta(a, b+1)}[(...)/p]: she survived time 0
        a, b = theta[2], theta[3]
        return b / (a + b) * core
    return core


def _conditional(model, theta, x, t_x, T, t) -> np.ndarray:
    return _conditional_core(model, theta, x, T, t) * _p_alive(model, theta, x, t_x, T)


def _conditional_core(model, theta, x, T, t, t_nodes: float | None = None) -> np.ndarray:
    """Expected transactions in (T, T + t] of a customer alive at T (depends on x and T only)."""
    if model == "nbd":
        r, alpha = theta
        return (r + x) / (alpha + T) * t
    if model == "pareto_nbd":
        r, alpha, s, beta = theta
        if abs(s - 1) < 1e-9:
            core = (r + x) * (beta + T) / (alpha + T) * np.log1p(t / (beta + T))
        else:
            core = (r + x) * (beta + T) / ((alpha + T) * (s - 1)) * (
                -np.expm1((s - 1) * np.log((beta + T) / (beta + T + t))))
        return core
    r, alpha, a, b = theta
    # alive at T: lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x) (BG/NBD) or
    # Beta(a, b+x+1) (MBG/NBD, which also survived the dropout chance at time 0)
    k = 1.0 if model == "mbgnbd" else 0.0
    return _beta_expect(a, b + x + k, r + x, alpha + T, t, t_nodes)


def _optimize(model: str, value_grad: Callable[[np.ndarray], tuple[float, np.ndarray]], z0: np.ndarray,
              n: int, unit: str | None, maxiter: int, gtol: float) -> BTYDFit:
    """Maximise a log-likelihood and its gradient over log-parameters (:func:`crmlab.mle.maximize`)."""
    names = PARAM_NAMES[model]

    def drift(z):
        drifting = [f"{names[j]} = {math.exp(z[j]):.3g}" for j in range(len(z)) if abs(z[j]) > 6]
        if not drifting:
            return ""
        return (f" Parameters drifting to a boundary ({', '.join(drifting)}): the likelihood is "
                "nearly flat in that direction (e.g. s and beta growing together means the data "
                "show no heterogeneity in dropout rates); try a simpler model or more data.")

    def ridge(z):
        # Pareto/NBD: s and beta growing together (both beyond e**12) is the edge where every
        # customer has one dropout rate mu = s/beta; BFGS would follow it for many slow steps
        if model == "pareto_nbd" and z[2] > 12 and z[3] > 12:
            return (f"parameter s runs off to infinity together with beta (s = {math.exp(z[2]):.3g}, "
                    f"beta = {math.exp(z[3]):.3g}, mu = s/beta = {math.exp(z[2] - z[3]):.3g}): the "
                    "data show no heterogeneity in dropout rates")
        return None

    fit = maximize(value_grad, z0, names, n=n, label=_MODEL_LABEL[model], gtol=gtol, maxiter=maxiter,
                   gradient=True, polish=8, per="customer", hint=drift, stop=ridge)
    return BTYDFit(model=model, params=fit.params, cov_log=fit.cov_log, loglik=fit.loglik, n=n,
                   iterations=fit.iterations, unit=unit)


def _nbd_loglik(theta, x, t_x, T) -> np.ndarray:
    """Per-row log-likelihood of the NBD: Poisson purchases, Gamma(r, alpha) rates, no dropout.

    The limit of BG/NBD as a -> 0 and of Pareto/NBD as s -> 0.
    """
    r, alpha = theta
    return special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + T)


def _nbd_grad(theta, x, t_x, T, w) -> tuple[float, np.ndarray]:
    """Weighted NBD log-likelihood and its gradient with respect to log-parameters."""
    r, alpha = theta
    v = float(w @ _nbd_loglik((r, alpha), x, t_x, T))
    dr = w @ (special.digamma(r + x) - special.digamma(r) + np.log(alpha) - np.log(alpha + T))
    da = w @ (r / alpha - (r + x) / (alpha + T))
    return v, np.array([dr * r, da * alpha])


#: Weighted log-likelihood and gradient ``(theta, x, t_x, T, w)`` of each transaction model.
_VALUE_GRAD: dict[str, Callable[..., tuple[float, np.ndarray]]] = {
    "bgnbd": _bg_grad, "mbgnbd": functools.partial(_bg_grad, k=1), "pareto_nbd": _pnbd_value_grad,
    "nbd": _nbd_grad,
}


def _fit_arrays(model: str, x, t_x, T, unit, maxiter: int, gtol: float, init: Any = None) -> BTYDFit:
    """Fit a transaction model to checked ``(x, t_x, T)``, once per distinct pattern."""
    (xu, tu, Tu), w = _compress(x, t_x, T)
    sc = _start(xu, tu, Tu, w)
    default = {"nbd": [1.0, sc], "pareto_nbd": [1.0, sc, 1.0, sc]}.get(model, [1.0, sc, 1.0, 1.0])
    return _optimize(model, lambda z: _VALUE_GRAD[model](np.exp(z), xu, tu, Tu, w),
                     _log_start(init, default, PARAM_NAMES[model]), len(x), unit, maxiter, gtol)


#: Failures of an optimiser that point at the edge of the parameter space.
_EDGE_SIGNS = ("runs off to", "drifting to a boundary", "not positive definite")


def _fit_transactions(model: str, summary: pd.DataFrame, maxiter: int, gtol: float, init: Any,
                      at_boundary: str) -> BTYDFit:
    """Fit ``model``; if its maximum lies at the no-dropout edge, return the NBD, flagged.

    The edge is declared when (a) the full fit fails because a parameter runs
    off to 0/infinity or the Hessian is singular, and the NBD fits; or (b) the
    full fit converges but its dropout parameters are not identified (a 95 %
    interval spanning more than four orders of magnitude) and it is not
    significantly better than the NBD (likelihood-ratio statistic < 3.84).
    ``at_boundary``: ``"nbd"`` returns the NBD fit flagged ``boundary=True``;
    ``"keep"`` returns the converged full fit, flagged (its dropout intervals are
    not meaningful); ``"raise"`` raises :class:`ConvergenceError` with the finding.
    """
    x, t_x, T = validate_summary(summary)
    unit = summary.attrs.get("unit")
    check_choice(at_boundary, "at_boundary", ["nbd", "keep", "raise"])
    label = _MODEL_LABEL[model]
    try:
        full, err = _fit_arrays(model, x, t_x, T, unit, maxiter, gtol, init), None
    except ConvergenceError as exc:
        full, err = None, exc
        if not any(sign in str(exc) for sign in _EDGE_SIGNS):
            raise
    try:
        nbd = _fit_arrays("nbd", x, t_x, T, unit, maxiter, gtol)
    except ConvergenceError:
        if err is not None:
            raise err from None
        return full  # type: ignore[return-value]
    if full is not None:
        lr = 2.0 * (full.loglik - nbd.loglik)
        tab = full.table()
        spread = (tab["ci_high"] / tab["ci_low"]).iloc[2:]
        if not (spread > 1e4).any() or not np.isfinite(lr):
            return full
        edge = lr < 3.84  # else dropout is there, but its heterogeneity is not identified: another edge
        if not edge:
            names = list(full.params.index[2:])
            rate = full.params.iloc[2] / (full.params.iloc[2] + full.params.iloc[3]) if model != "pareto_nbd" \
                else full.params.iloc[2] / full.params.iloc[3]
            what = "p = a/(a+b)" if model != "pareto_nbd" else "mu = s/beta"
            note = (f"{label}: {names[0]} and {names[1]} ({full.params.iloc[2]:.3g}, {full.params.iloc[3]:.3g}) "
                    f"have 95% intervals spanning {spread.max():.1e}-fold: the likelihood is flat along "
                    f"the edge where they grow together, i.e. every customer has the same dropout "
                    f"{what} = {rate:.3g}. Dropout is real (likelihood-ratio statistic {lr:.2f} against "
                    "the no-dropout NBD) but its spread across customers is not identified, so the "
                    f"intervals of {names[0]} and {names[1]} are not meaningful; predictions are.")
        else:
            why = (f"{label} converged to {', '.join(f'{k} = {v:.3g}' for k, v in full.params.iloc[2:].items())} "
                   f"with 95% intervals spanning {spread.max():.1e}-fold, and is no better than the "
                   f"no-dropout NBD (likelihood-ratio statistic {lr:.2f} < 3.84)")
    else:
        edge, why = True, f"the {label} fit failed at the edge of its parameter space ({err})"
    if edge:
        note = (f"{label}: the likelihood is maximised at the no-dropout edge: {why}. Within this "
                "calibration period the data show no sign of customers dropping out, so the dropout "
                "parameters are not identified. Returned: the nested NBD model (r, alpha), in which "
                "every customer stays active (P(alive) = 1); its estimates and intervals are "
                "meaningful. A longer calibration period, or a cohort observed for longer, may "
                "identify dropout.")
    if at_boundary == "raise":
        raise ConvergenceError(note)
    warn(note)
    if full is not None and (at_boundary == "keep" or not edge):
        return dataclasses.replace(full, boundary=True, note=note)
    return dataclasses.replace(nbd, boundary=True, requested=model, note=note)


def _start(x, t_x, T, w) -> float:
    """A scale start for alpha/beta: mean T over (mean repeat count + 1)."""
    return max(float(np.average(T, weights=w) / (np.average(x, weights=w) + 1.0)), 1e-3)


def fit_bgnbd(summary: pd.DataFrame, *, maxiter: int = 500, gtol: float = 1e-6,
              init: Any = None, at_boundary: str = "nbd") -> BTYDFit:
    """Fit the BG/NBD model (Fader, Hardie & Lee 2005a) by maximum likelihood.

    While active, a customer buys as a Poisson process with rate lambda ~
    Gamma(r, alpha); after each *repeat* purchase she drops out with
    probability p ~ Beta(a, b). The log-likelihood of ``(x, t_x, T)``

    .. math::
        \\ell = \\ln\\frac{\\Gamma(r+x)\\alpha^r}{\\Gamma(r)} + \\ln\\Big[
        \\frac{B(a,b+x)}{B(a,b)}(\\alpha+T)^{-(r+x)} + \\delta_{x>0}
        \\frac{B(a+1,b+x-1)}{B(a,b)}(\\alpha+t_x)^{-(r+x)}\\Big]

    is summed with ``gammaln``/``betaln`` and ``logaddexp`` over the distinct
    ``(x, t_x, T)`` patterns, maximised over log-parameters by BFGS with the
    analytic gradient and polished by Newton steps; SEs come from the
    numerical Hessian. No penaliser.

    Parameters
    ----------
    summary : DataFrame
        From :func:`summarize` (``frequency``, ``recency``, ``T_cal`` or ``T``).
    maxiter : int
        Iteration limit of the optimiser.
    gtol : float
        Convergence criterion: largest gradient of the mean log-likelihood
        with respect to the log-parameters.
    init : sequence of 4 floats, optional
        Starting values (r, alpha, a, b).
    at_boundary : {"nbd", "keep", "raise"}
        When the likelihood is maximised at the no-dropout edge (a -> 0; the
        data show no dropout): ``"nbd"`` (default) returns the nested NBD fit
        flagged ``boundary=True`` with a :class:`~crmlab.errors.CrmlabWarning`
        saying what was found; ``"keep"`` returns the full fit, flagged, whose
        dropout intervals are not meaningful; ``"raise"`` raises
        :class:`~crmlab.errors.ConvergenceError`. Never a silent fit.

    Raises
    ------
    DataError
        Invalid summary (see :func:`validate_summary`).
    ConvergenceError
        The optimiser did not reach a maximum with a positive-definite Hessian.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    >>> fit_bgnbd(s).params.round(3).to_dict()
    {'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
    """
    return _fit_transactions("bgnbd", summary, maxiter, gtol, init, at_boundary)


def fit_mbgnbd(summary: pd.DataFrame, *, maxiter: int = 500, gtol: float = 1e-6,
               init: Any = None, at_boundary: str = "nbd") -> BTYDFit:
    """Fit the MBG/NBD model (Batislam, Denizel & Filiztekin 2007).

    As BG/NBD, but the customer may also drop out right after the *first*
    purchase (at time 0), so customers without repeat purchases get a
    P(alive) below 1:

    .. math::
        L = \\frac{\\Gamma(r+x)\\alpha^r}{\\Gamma(r)} \\Big[
        \\frac{B(a,b+x+1)}{B(a,b)}(\\alpha+T)^{-(r+x)} +
        \\frac{B(a+1,b+x)}{B(a,b)}(\\alpha+t_x)^{-(r+x)}\\Big]

    Same fitting and errors as :func:`fit_bgnbd`.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    >>> fit = fit_mbgnbd(s)
    >>> bool(fit.p_alive(s)[s["frequency"] == 0].max() < 1)
    True
    """
    return _fit_transactions("mbgnbd", summary, maxiter, gtol, init, at_boundary)


def fit_pareto_nbd(summary: pd.DataFrame, *, maxiter: int = 500, gtol: float = 1e-6,
                   init: Any = None, at_boundary: str = "nbd") -> BTYDFit:
    """Fit the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).

    Purchases are Poisson(lambda) while alive, lambda ~ Gamma(r, alpha); the
    unobserved lifetime is exponential(mu), mu ~ Gamma(s, beta). The
    likelihood (Fader & Hardie 2005, "A note on implementing the Pareto/NBD")

    .. math::
        L = \\frac{\\Gamma(r+x)\\alpha^r\\beta^s}{\\Gamma(r)}\\Big[
        \\frac{1}{(\\alpha+T)^{r+x}(\\beta+T)^s} + s\\int_{t_x}^{T}
        \\frac{du}{(\\alpha+u)^{r+x}(\\beta+u)^{s+1}}\\Big]

    The integral is evaluated in closed form with the Gaussian hypergeometric
    function, written as ``2F1(A, B; A+1; z)`` with ``z`` in [0, 1) (the
    alpha >= beta / alpha < beta switch of the note) and Pfaff-transformed so
    that the large powers are carried in logs and the remaining 2F1 factor
    lies in (0, 1]; the two end-point terms are differenced with ``expm1``.
    Where the series would converge too slowly (one of alpha, beta dwarfs the
    other) the integral is computed by Gauss-Legendre quadrature after a
    substitution that absorbs the dominant power law. Both are tested against
    adaptive quadrature for extreme parameters.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    >>> fit = fit_pareto_nbd(s)
    >>> fit.params.round(3).to_dict(), round(fit.loglik, 1)
    ({'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.669}, -9595.0)
    """
    return _fit_transactions("pareto_nbd", summary, maxiter, gtol, init, at_boundary)


def fit_gamma_gamma(summary: pd.DataFrame, *, maxiter: int = 500, gtol: float = 1e-6,
                    init: Any = None) -> BTYDFit:
    """Fit the Gamma-Gamma spend model (Fader, Hardie & Lee 2005b) to repeat buyers.

    A customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q,
    gamma) across customers; the mean ``m_x`` of her ``x`` repeat
    transactions has the likelihood

    .. math::
        f(m_x\\mid x) = \\frac{\\Gamma(px+q)}{\\Gamma(px)\\Gamma(q)}
        \\frac{\\gamma^q\\, x^{px} m_x^{px-1}}{(\\gamma+m_x x)^{px+q}}

    Only customers with ``frequency`` > 0 enter (their ``monetary_value`` must
    be > 0: a customer whose repeat purchases are all free raises DataError,
    as the model needs positive spend). The model assumes spend is
    independent of the purchase process; check it with the correlation of
    ``frequency`` and ``monetary_value``.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    >>> fit_gamma_gamma(s).params.round(2).to_dict()
    {'p': 6.25, 'q': 3.74, 'gamma': 15.44}
    """
    x, m = _spend_columns(summary, validate_summary(summary)[0])
    rep = x > 0
    if not rep.any():
        raise DataError("summary has no customer with repeat purchases: the Gamma-Gamma model "
                        "is fitted to the mean spend of repeat transactions")
    bad = rep & (m <= 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(
            f"summary: {_row_label(summary, i)}: monetary_value is {m[i]:g} with frequency "
            f"{x[i]:g}; the Gamma-Gamma model needs positive spend ({int(bad.sum())} such rows: "
            "drop or fix them first)")
    (xu, mu), w = _compress(x[rep], m[rep])
    z0 = _log_start(init, [1.0, 2.0, float(np.average(mu, weights=w))], PARAM_NAMES["gamma_gamma"])
    return _optimize("gamma_gamma", lambda z: _gg_grad(np.exp(z), xu, mu, w), z0, int(rep.sum()),
                     summary.attrs.get("unit"), maxiter, gtol)


def loglik(model: str, params: Any, summary: pd.DataFrame, *, per_customer: bool = False) -> Any:
    """Log-likelihood of a summary under given parameter values.

    Use it to check a published solution: the published BG/NBD estimates for
    CDNOW give -9582.4.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    >>> round(loglik("bgnbd", [0.243, 4.414, 0.793, 2.426], s), 1)
    -9582.4
    """
    check_choice(model, "model", list(PARAM_NAMES))
    theta = positive_params(params, PARAM_NAMES[model])
    if model == "gamma_gamma":
        x, m = _spend_columns(summary, validate_summary(summary)[0])
        rep = x > 0
        ll = np.full(len(x), np.nan)
        ll[rep] = _gg_loglik(theta, x[rep], m[rep])
        return pd.Series(ll, index=summary.index) if per_customer else float(np.nansum(ll))
    x, t_x, T = validate_summary(summary)
    if model == "pareto_nbd":
        ll = _pnbd_loglik(theta, x, t_x, T)
    elif model == "nbd":
        ll = _nbd_loglik(theta, x, t_x, T)
    else:
        ll = _bg_loglik(theta, x, t_x, T, 1 if model == "mbgnbd" else 0)
    return pd.Series(ll, index=summary.index) if per_customer else float(ll.sum())


# =========================================================================== value
def clv(
    transaction_fit: BTYDFit,
    spend_fit: BTYDFit | None,
    summary: pd.DataFrame,
    *,
    horizon: float,
    period: float,
    discount: float,
    margin: float = 1.0,
) -> pd.DataFrame:
    """Expected discounted future value of each customer (discrete discounting).

    With ``E[Y(t)]`` the conditional expected transactions of the transaction
    model and ``E[M]`` the Gamma-Gamma expected spend per transaction,

    .. math::
        \\mathrm{CLV}_i = \\text{margin}\\cdot E[M_i]\\sum_{k=1}^{K}
        \\frac{E[Y_i(k\\Delta)] - E[Y_i((k-1)\\Delta)]}{(1+d)^k}

    with period length ``Delta = period``, ``K = ceil(horizon / period)`` and
    the discount rate ``d`` per period: the transactions expected during
    period k are valued at its end. Times are in the summary's unit (weeks
    for ``unit="W"``: a month is 52/12 weeks). Customers with the same
    ``(frequency, T)`` share one time path; distinct patterns x ``K`` may be at
    most :data:`MAX_CLV_CELLS` for the model (250,000 for the BG/NBD and
    MBG/NBD, 5,000,000 for the Pareto/NBD and NBD); more raises a
    ParameterError naming the cap (use a longer ``period``).

    Parameters
    ----------
    transaction_fit : BTYDFit
        BG/NBD, MBG/NBD or Pareto/NBD fit.
    spend_fit : BTYDFit or None
        Gamma-Gamma fit; ``None`` values transactions at 1 (returns the
        discounted expected number of transactions).
    summary : DataFrame
        The customers to value (from :func:`summarize`).
    horizon, period : float
        Horizon and discounting period in the summary's unit.
    discount : float
        Discount rate per period, in [0, 1) (:func:`crmlab.validation.check_discount`).
    margin : float
        Profit margin applied to spend (1 = revenue).

    Returns
    -------
    DataFrame
        ``expected_transactions`` (undiscounted, over the horizon),
        ``expected_spend``, ``clv``.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    >>> v = clv(fit_bgnbd(s), fit_gamma_gamma(s), s, horizon=52, period=52/12, discount=0.01)
    >>> bool((v["clv"] >= 0).all()), round(float(v["clv"].sum()), -3)
    (True, 71000.0)
    """
    transaction_fit._require(*_TRANSACTION_MODELS)
    check_number(horizon, "horizon", low=0, low_inclusive=False)
    check_number(period, "period", low=0, low_inclusive=False)
    discount = check_discount(check_number(discount, "discount"))  # one rate, not an array
    check_number(margin, "margin")
    model = transaction_fit.model
    cap = MAX_CLV_CELLS[model]
    steps = horizon / period

    def too_many(u: int) -> ParameterError:
        return ParameterError(
            f"horizon / period = {horizon:g} / {period:g} makes {steps:.4g} discounting periods "
            f"for {u} distinct (frequency, T) customer pattern(s); the {_MODEL_LABEL[model]} "
            f"evaluates at most MAX_CLV_CELLS = {cap:,} pattern-periods: use a longer period "
            "(e.g. 52/12 weeks for months) or a shorter horizon"
        )

    if not steps <= cap:
        raise too_many(1)
    K = max(int(math.ceil(steps - 1e-9)), 1)
    x, t_x, T = validate_summary(summary)
    # E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) * core(x, T, t): the time path
    # is computed once per distinct (x, T), every period in vectorised chunks
    patterns, inverse = np.unique(np.column_stack([x, T]), axis=0, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    u = len(patterns)
    if u * K > cap:
        raise too_many(u)
    theta = transaction_fit._theta()
    times = np.minimum(np.arange(1, K + 1) * period, horizon)
    factors = discount_factor(np.arange(1, K + 1, dtype=float), discount)
    cum = np.empty((u, K))
    chunk = max(1, _CLV_CHUNK // u)  # periods per vectorised evaluation
    for start in range(0, K, chunk):
        tk = times[start:start + chunk]
        px, pT = (np.repeat(col, tk.size) for col in patterns.T)
        cum[:, start:start + tk.size] = _conditional_core(
            model, theta, px, pT, np.tile(tk, u), t_nodes=float(horizon)).reshape(u, tk.size)
    alive = _p_alive(model, theta, x, t_x, T)
    increments = np.diff(cum, axis=1, prepend=0.0)
    value = (increments @ factors)[inverse] * alive
    total = cum[:, -1][inverse] * alive
    if spend_fit is None:
        spend = pd.Series(1.0, index=summary.index)
    else:
        spend = spend_fit.conditional_expected_spend(summary)
    out = pd.DataFrame(
        {
            "expected_transactions": total,
            "expected_spend": spend.to_numpy(),
            "clv": margin * spend.to_numpy() * value,
        },
        index=summary.index,
    )
    return out


def dert(pareto_fit: BTYDFit, summary: pd.DataFrame, delta: float) -> pd.Series:
    """Discounted expected residual transactions of the Pareto/NBD (continuous discounting).

    Fader, Hardie & Lee (2005b), eq. 2:

    .. math::
        \\mathrm{DERT} = \\frac{\\alpha^r\\beta^s\\delta^{s-1}\\Gamma(r+x+1)
        \\Psi(s, s; \\delta(\\beta+T))}{\\Gamma(r)(\\alpha+T)^{r+x+1}L(r,\\alpha,s,\\beta\\mid x,t_x,T)}

    with ``Psi`` the confluent hypergeometric function of the second kind and
    ``delta`` the continuously compounded discount rate per unit of time
    (15 % a year in weeks: ``log(1.15)/52``). Multiply by the expected spend
    for the customer's residual value.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30", purchase_rule="any_occasion")
    >>> d = dert(fit_pareto_nbd(s), s, 0.0027)
    >>> bool(d.between(0, 100).all())
    True
    """
    pareto_fit._require("pareto_nbd")
    check_number(delta, "delta", low=0, low_inclusive=False)
    x, t_x, T = validate_summary(summary)
    theta = pareto_fit._theta()
    r, alpha, s, beta = theta
    ll = _pnbd_loglik(theta, x, t_x, T)
    with np.errstate(all="ignore"):
        logu = np.log(special.hyperu(s, s, delta * (beta + T)))
    out = np.exp(
        r * np.log(alpha) + s * np.log(beta) + (s - 1) * np.log(delta) + special.gammaln(r + x + 1)
        + logu - special.gammaln(r) - (r + x + 1) * np.log(alpha + T) - ll
    )
    if not np.all(np.isfinite(out)):
        i = int(np.argmax(~np.isfinite(out)))
        raise ConvergenceError(f"DERT is not finite for {_row_label(summary, i)} "
                               f"(U(s, s, {delta * (beta + T[i]):.3g}) overflowed)")
    return pd.Series(out, index=summary.index, name="dert")


# =========================================================================== intervals
def _times(t: Any) -> np.ndarray:
    return as_float_array(t, "t", low=0)


def _customer_times(t: Any, summary: pd.DataFrame) -> np.ndarray:
    """``t`` for each customer of a validated summary: one time, or one per row (a Series on its index)."""
    _series_index({"summary": summary["frequency"], "t": t})
    tt = _times(t)
    if tt.ndim and tt.shape != (len(summary),):
        raise ParameterError(f"t has {tt.size} values but the summary has {len(summary)} customers; "
                             "give one t, or one per customer")
    return np.broadcast_to(tt, (len(summary),))


def _at(fit: BTYDFit, theta: np.ndarray) -> BTYDFit:
    """The same fit with its parameters replaced by ``theta`` (all other fields kept)."""
    return dataclasses.replace(fit, params=pd.Series(theta, index=fit.params.index, name=fit.params.name))


def expected_transactions_interval(fit: BTYDFit, t: Any, *, level: float = 0.95) -> pd.DataFrame:
    """E[X(t)] of a new customer with a delta-method interval (log scale), one row per ``t``.

    All ``*_interval`` functions use :func:`crmlab.mle.delta_interval` on the
    fit's covariance of the log-parameters: the interval reflects how precisely
    the data pin down the parameters, not the randomness of one customer's
    future purchases.

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30")
    >>> iv = expected_transactions_interval(fit_bgnbd(s), [39.0, 78.0])
    >>> bool((iv["ci_low"] < iv["estimate"]).all() and (iv["estimate"] < iv["ci_high"]).all())
    True
    """
    tt = np.atleast_1d(_times(t))
    fit._require(*_DROPOUT_MODELS)
    return fit._interval(lambda th: _expected(fit.model, th, tt), "log", level, pd.Index(tt, name="t"))


def p_alive_interval(fit: BTYDFit, summary: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """:meth:`BTYDFit.p_alive` with delta-method intervals built on the logit scale.

    A P(alive) of exactly 1 (BG/NBD customers without repeat purchases) gets
    the interval [1, 1].
    """
    fit._require(*_DROPOUT_MODELS)
    x, t_x, T = validate_summary(summary)
    return fit._interval(lambda th: _p_alive(fit.model, th, x, t_x, T), "logit", level, summary.index)


def conditional_expected_interval(fit: BTYDFit, summary: pd.DataFrame, t: Any, *,
                                  level: float = 0.95) -> pd.DataFrame:
    """:meth:`BTYDFit.conditional_expected_transactions` with delta-method intervals (log scale)."""
    fit._require(*_DROPOUT_MODELS)
    x, t_x, T = validate_summary(summary)
    tt = _customer_times(t, summary)
    return fit._interval(lambda th: _conditional(fit.model, th, x, t_x, T, tt), "log", level, summary.index)


def clv_interval(
    transaction_fit: BTYDFit,
    spend_fit: BTYDFit | None,
    summary: pd.DataFrame,
    *,
    horizon: float,
    period: float,
    discount: float,
    margin: float = 1.0,
    total: bool = False,
    level: float = 0.95,
) -> pd.DataFrame:
    """:func:`clv` per customer (or its ``total``) with delta-method intervals (log scale).

    The transaction and spend models are fitted separately, so their
    log-parameters are independent: the joint covariance is block-diagonal.
    With ``total=True`` the result is one row, ``total``: the interval of the
    sum comes from the gradient of the sum (the customers' values are
    correlated through the shared parameters, so adding up their intervals
    would be wrong).

    Examples
    --------
    >>> import crmlab
    >>> s = summarize(crmlab.datasets.load_cdnow("sample"), "1997-09-30")
    >>> iv = clv_interval(fit_pareto_nbd(s), fit_gamma_gamma(s), s, horizon=52, period=52/12,
    ...                   discount=0.01, total=True)
    >>> round(float(iv.loc["total", "estimate"]), -3), bool(iv.loc["total", "se"] > 0)
    (72000.0, True)
    """
    transaction_fit._require(*_DROPOUT_MODELS)
    if spend_fit is not None:
        spend_fit._require("gamma_gamma")
    k = len(transaction_fit.params)
    kw = dict(horizon=horizon, period=period, discount=discount, margin=margin)

    def fun(th):
        sf = None if spend_fit is None else _at(spend_fit, th[k:])
        v = clv(_at(transaction_fit, th[:k]), sf, summary, **kw)["clv"].to_numpy()
        return float(v.sum()) if total else v

    return transaction_fit._interval(fun, "log", level, pd.Index(["total"]) if total else summary.index,
                                     joint=[] if spend_fit is None else [spend_fit])


# =========================================================================== validation
def tracking(
    transactions: pd.DataFrame,
    fit: BTYDFit,
    summary: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Weekly (or daily) cumulative repeat transactions: actual vs model.

    Period k (k = 1, 2, ...) covers ``[start + (k-1) u, start + k u)`` for the
    summary's unit u. The model's cumulative count at the end of period k is
    the sum over the cohort of E[X(t_k - t_i)], with t_k the last day of the
    period and t_i each customer's first purchase day (the convention of
    :func:`summarize`, so at the period ending on the calibration end the sum
    is exactly sum_i E[X(T_i)]); actual = repeat occasions (after the first)
    of the cohort customers dated on or before the last day of period k.

    Parameters
    ----------
    transactions : DataFrame
        The log ``summary`` was made from.
    fit : BTYDFit
        A transaction model fitted to ``summary``.
    summary : DataFrame
        From :func:`summarize`; defines the cohort and the unit.
    start, end : date-like, optional
        First day of period 1 (default: first purchase in the cohort) and last
        day to cover (default: ``observation_end`` of the summary, else the last
        transaction).

    Returns
    -------
    DataFrame
        Index ``period``; ``period_end`` (date, exclusive), ``actual``,
        ``expected`` (repeat transactions in the period), ``actual_cum``,
        ``expected_cum``, ``calibration`` (bool: period ends on or before the
        calibration end).
    """
    fit._require(*_TRANSACTION_MODELS)
    unit = summary.attrs.get("unit", fit.unit) or "W"
    days = _UNITS[unit]
    occ = to_occasions(transactions, purchases_only=True)  # validates the log
    occ = occ[occ["customer_id"].isin(summary.index)]
    first = require_columns(summary, ["first_purchase"], what="summary")["first_purchase"]
    t0 = first.min() if start is None else check_date(start, "start")
    if end is None:
        end = summary.attrs.get("observation_end") or occ["date"].max()
    t_end = check_date(end, "end")
    if t_end < t0:
        raise ParameterError(f"end ({t_end.date()}) is before start ({t0.date()}): nothing to track")
    n_per = int(math.ceil(((t_end - t0).days + 1) / days))
    edges = np.arange(1, n_per + 1) * days  # in days since t0, exclusive
    rep = occ[occ["date"] > occ["customer_id"].map(first)]
    rep_day = (rep["date"] - t0).dt.days.to_numpy()
    actual_cum = np.searchsorted(np.sort(rep_day), edges, side="left").astype(float)
    fday, counts = np.unique((first - t0).dt.days.to_numpy(), return_counts=True)
    theta = fit._theta()
    expected_cum = np.zeros(n_per)
    for d, c in zip(fday, counts):
        # purchases are dated by day; a purchase on day e happens at time e, and the
        # summary measures T as (last day - first day), so the count up to the last
        # day of period k is E[X((edge_k - 1 - d) / unit)]
        t = np.clip(edges - 1 - d, 0, None) / days
        expected_cum += c * _expected(fit.model, theta, t)
    cal_end = summary.attrs.get("calibration_end")
    period_end = t0 + pd.to_timedelta(edges, unit="D")
    out = pd.DataFrame(
        {
            "period_end": period_end,
            "actual": np.diff(actual_cum, prepend=0.0),
            "expected": np.diff(expected_cum, prepend=0.0),
            "actual_cum": actual_cum,
            "expected_cum": expected_cum,
            "calibration": (period_end <= pd.Timestamp(cal_end) + pd.Timedelta(days=1))
            if cal_end else True,
        },
        index=pd.RangeIndex(1, n_per + 1, name="period"),
    )
    return out


def _holdout(fit: BTYDFit, summary: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each customer's holdout transactions, actual and expected over ``duration_holdout``, checked."""
    fit._require(*_TRANSACTION_MODELS)
    require_columns(summary, ["frequency_holdout", "duration_holdout"], what="summary")
    act = check_numeric_column(summary, "frequency_holdout", what="summary", min_value=0.0)
    duration = check_numeric_column(summary, "duration_holdout", what="summary", min_value=0.0)
    return act, fit.conditional_expected_transactions(summary, duration.to_numpy())


def conditional_by_frequency(fit: BTYDFit, summary: pd.DataFrame, *, max_frequency: int = 7) -> pd.DataFrame:
    """Mean holdout transactions by calibration frequency: actual vs model.

    The literature's second validation plot: customers are grouped by
    ``frequency`` (the last group is ``max_frequency`` and more) and the
    average ``frequency_holdout`` is compared with the average conditional
    expectation over ``duration_holdout``.

    Returns
    -------
    DataFrame
        Index ``frequency`` (label, e.g. ``"7+"``): ``customers``, ``actual``,
        ``expected``.
    """
    check_number(max_frequency, "max_frequency", low=1, integer=True)
    act, ce = _holdout(fit, summary)
    x = summary["frequency"].clip(upper=max_frequency).astype(int)
    df = pd.DataFrame({"group": x, "actual": act, "expected": ce})
    out = df.groupby("group").agg(customers=("actual", "size"), actual=("actual", "mean"),
                                  expected=("expected", "mean"))
    out.index = [f"{i}+" if i == max_frequency else str(i) for i in out.index]
    out.index.name = "frequency"
    return out


def holdout_errors(fit: BTYDFit, summary: pd.DataFrame) -> pd.Series:
    """Holdout accuracy of a transaction model at the customer and aggregate level.

    Returns a Series: ``actual_total``, ``expected_total``, ``total_error_pct``
    (aggregate error in %), ``mae`` and ``rmse`` (per customer), and
    ``correlation`` (Pearson, per customer).
    """
    act, pred = (col.to_numpy() for col in _holdout(fit, summary))
    return pd.Series(
        {
            "actual_total": act.sum(),
            "expected_total": pred.sum(),
            "total_error_pct": 100 * (pred.sum() - act.sum()) / act.sum() if act.sum() else np.nan,
            "mae": float(np.mean(np.abs(pred - act))),
            "rmse": float(np.sqrt(np.mean((pred - act) ** 2))),
            "correlation": float(np.corrcoef(pred, act)[0, 1]),
        },
        name=fit.label,
    )


def rank_agreement(a: pd.Series, b: pd.Series, *, top: float = 0.1) -> pd.Series:
    """Do two customer scores agree? Spearman rank correlation and top-group overlap.

    ``top_overlap`` is the share of the top ``top`` fraction by ``a`` that is
    also in the top fraction by ``b`` (ties broken by customer order).

    Examples
    --------
    >>> a = pd.Series([5.0, 4, 3, 2, 1, 0, 0, 0, 0, 0])
    >>> rank_agreement(a, a * 2, top=0.2).round(3).tolist()
    [1.0, 1.0, 2.0]
    """
    check_number(top, "top", low=0, high=1, low_inclusive=False)
    if not isinstance(a, pd.Series) or not isinstance(b, pd.Series):
        raise ParameterError("a and b must be pandas Series indexed by customer")
    for name, score in (("a", a), ("b", b)):
        if score.index.has_duplicates:
            raise DataError(f"{name} has duplicate customer labels, e.g. "
                            f"{score.index[score.index.duplicated()][0]!r}; one score per customer is needed")
    common = a.index.intersection(b.index)
    if len(common) < 2:
        raise DataError("the two scores share fewer than 2 customers; check their indexes")
    a = pd.Series(as_float_array(a.loc[common], "a"), index=common)
    b = pd.Series(as_float_array(b.loc[common], "b"), index=common)
    k = max(1, int(round(top * len(common))))
    ta = set(a.sort_values(ascending=False, kind="stable").index[:k])
    tb = set(b.sort_values(ascending=False, kind="stable").index[:k])
    rho = stats.spearmanr(a.to_numpy(), b.to_numpy()).statistic
    return pd.Series({"spearman": float(rho), "top_overlap": len(ta & tb) / k, "top_n": float(k)})


def simulate_summary(
    model: str,
    params: Any,
    n: int,
    *,
    T_cal: float | Any = 39.0,
    duration_holdout: float = 39.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate customers from a BTYD model: a summary with known parameters.

    Each customer makes a first purchase at time 0 and is observed for
    ``T_cal`` (scalar or one value per customer) and then ``duration_holdout``
    more time units. Times are continuous.

    * ``"bgnbd"``: Poisson(lambda) purchases, lambda ~ Gamma(r, rate alpha);
      after each repeat purchase the customer dies with probability
      p ~ Beta(a, b).
    * ``"mbgnbd"``: the same, and she may also die right after the first purchase.
    * ``"pareto_nbd"``: Poisson(lambda) purchases during an exponential(mu)
      lifetime, mu ~ Gamma(s, rate beta).

    Returns
    -------
    DataFrame
        ``frequency``, ``recency``, ``T_cal``, ``frequency_holdout``,
        ``duration_holdout`` and the truth: ``lam``, ``alive_at_T`` (bool).

    Examples
    --------
    >>> sim = simulate_summary("bgnbd", [0.25, 4.0, 0.8, 2.5], 500, seed=1)
    >>> fit = fit_bgnbd(sim)
    >>> len(sim), fit.model
    (500, 'bgnbd')
    """
    check_choice(model, "model", ["bgnbd", "mbgnbd", "pareto_nbd"])
    n = check_number(n, "n", low=1, integer=True)
    check_number(duration_holdout, "duration_holdout", low=0)
    theta = positive_params(params, PARAM_NAMES[model])
    rng = np.random.default_rng(check_number(seed, "seed", low=0, integer=True))
    Tc = as_float_array(T_cal, "T_cal", low=0, low_inclusive=False)
    if Tc.ndim and Tc.shape != (n,):
        raise ParameterError(f"T_cal has {Tc.size} values for n = {n} customers; give one T_cal, or one per customer")
    Tc = np.broadcast_to(Tc, (n,)).copy()
    end = Tc + duration_holdout
    lam = rng.gamma(theta[0], 1.0 / theta[1], n)
    if model == "pareto_nbd":
        mu = rng.gamma(theta[2], 1.0 / theta[3], n)
        death = rng.exponential(1.0, n) / mu
        alive_flag = np.ones(n, bool)
    else:
        p = rng.beta(theta[2], theta[3], n)
        death = np.full(n, np.inf)
        alive_flag = np.ones(n, bool) if model == "bgnbd" else rng.uniform(size=n) >= p
        death[~alive_flag] = 0.0
    x = np.zeros(n)
    t_x = np.zeros(n)
    hold = np.zeros(n)
    t = np.zeros(n)
    active = alive_flag.copy()
    while active.any():
        idx = np.flatnonzero(active)
        t[idx] += rng.exponential(1.0, len(idx)) / lam[idx]
        stop = (t[idx] > end[idx]) | (t[idx] > death[idx])
        active[idx[stop]] = False
        buy = idx[~stop]
        in_cal = t[buy] <= Tc[buy]
        x[buy[in_cal]] += 1
        t_x[buy[in_cal]] = t[buy[in_cal]]
        hold[buy[~in_cal]] += 1
        if model != "pareto_nbd":
            dies = rng.uniform(size=len(buy)) < p[buy]
            death[buy[dies]] = t[buy[dies]]
            active[buy[dies]] = False
    return pd.DataFrame(
        {
            "frequency": x,
            "recency": t_x,
            "T_cal": Tc,
            "frequency_holdout": hold,
            "duration_holdout": float(duration_holdout),
            "lam": lam,
            "alive_at_T": death > Tc,
        },
        index=pd.RangeIndex(n, name="customer_id"),
    )


# =========================================================================== plots
def plot_tracking(table: pd.DataFrame, *, ax=None, cumulative: bool = True, unit: str = "week",
                  title: str | None = None):
    """Plot :func:`tracking` output: actual vs model repeat transactions over time.

    Returns the Axes; a dashed line marks the end of the calibration period.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    a, e = ("actual_cum", "expected_cum") if cumulative else ("actual", "expected")
    ax.plot(table.index, table[a], color="black", lw=1.8, label="actual")
    ax.plot(table.index, table[e], color="tab:red", ls="--", lw=1.8, label="model")
    if "calibration" in table and table["calibration"].any() and not table["calibration"].all():
        ax.axvline(table.index[table["calibration"]].max(), color="grey", ls=":", lw=1)
        ax.text(table.index[table["calibration"]].max(), ax.get_ylim()[1] * 0.95,
                " end of calibration", va="top", fontsize=9, color="grey")
    ax.set_xlabel(f"{unit} since the cohort's first purchase")
    ax.set_ylabel(("cumulative " if cumulative else "") + "repeat transactions")
    ax.set_title(title or ("Cumulative repeat transactions" if cumulative else "Repeat transactions"))
    ax.legend()
    return ax


def plot_conditional(table: pd.DataFrame, *, ax=None, title: str | None = None):
    """Plot :func:`conditional_by_frequency`: mean holdout transactions by calibration frequency."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    pos = np.arange(len(table))
    ax.plot(pos, table["actual"], "o-", color="black", label="actual")
    ax.plot(pos, table["expected"], "s--", color="tab:red", label="model")
    ax.set_xticks(pos, table.index)
    ax.set_xlabel("repeat transactions in the calibration period")
    ax.set_ylabel("mean transactions in the holdout period")
    ax.set_title(title or "Conditional expectations")
    ax.legend()
    return ax
