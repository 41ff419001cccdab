"""Finance core (财务基础): discounting, present value, retention CLV, expected lifetime and the
revenue identity. Every crmlab module that discounts or values a retained customer calls this
module; nothing here is written twice.

Conventions (state them when you quote a number): time is counted in whole periods, "now" is
``t = 0`` and a cash flow at period ``t`` is discounted by ``(1 + d)**t``; a discount rate is a
rate per period in [0, 1) (:func:`crmlab.validation.check_discount`: write 0.10 for 10%). The
constant-retention CLV has two timing conventions, chosen with ``first_margin_at``
(:func:`retention_clv`): 1, the default (Gupta & Lehmann's margin multiple ``r / (1 + d - r)``),
counts margins from next period on; 0 counts this period's certain, undiscounted margin too,
``(1 + d) / (1 + d - r)`` per unit of margin. A third convention in the literature,
``m / (1 + d - r)`` (margin at the end of a period, paid by everyone alive at its start), is
``retention_clv(..., first_margin_at=0) / (1 + d)``. The revenue identity is seed 000 §9.4's
sales = (new + existing × retention) × usage × price.

Examples
--------
>>> round(retention_clv(100, 0.8, 0.1), 2), round(retention_clv(100, 0.8, 0.1, first_margin_at=0), 2)
(266.67, 366.67)
>>> expected_lifetime(0.8)
5.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import ParameterError
from crmlab.validation import (
    as_float_array,
    check_broadcast,
    check_choice,
    check_discount,
    check_number,
    check_rate,
)

__all__ = [
    "DAYS_PER_YEAR",
    "discount_factor",
    "present_value",
    "npv",
    "retention_clv",
    "expected_lifetime",
    "revenue_identity",
    "project_revenue",
]

#: Days in a year of the calendar on average (leap years included): annual rates and
#: horizons in years convert day counts with it.
DAYS_PER_YEAR: float = 365.25


def _out(arr: np.ndarray) -> Any:
    return float(arr) if np.ndim(arr) == 0 else arr


def _series_index(args: dict[str, Any], error: type[Exception] = ParameterError) -> pd.Index | None:
    """The index of the Series among ``args`` (None without one), or ``error`` naming two that differ.

    crmlab combines arrays by position, so Series on different indexes (one
    customer's margin with another's retention; one's churn flag with
    another's score) would silently pair the wrong values.
    """
    series = [(k, v) for k, v in args.items() if isinstance(v, pd.Series)]
    for k, v in series[1:]:
        if not v.index.equals(series[0][1].index):
            raise error(f"{series[0][0]} and {k} are Series with different indexes; values are "
                        "combined by position, so align them first (Series.reindex)")
    return series[0][1].index if series else None


def _as_series(result: Any, args: dict[str, Any], name: str) -> Any:
    """Keep a customer (or scenario) index: a Series when a Series argument has the result's length."""
    index = _series_index(args)
    if index is not None and np.shape(result) == (len(index),):
        return pd.Series(result, index=index, name=name)
    return _out(result)


# --------------------------------------------------------------------------- discounting
def discount_factor(times: Any, discount: Any, *, max_rate: float = 1.0) -> Any:
    """Discount factors ``1 / (1 + d)**t`` (times in periods; arguments broadcast).

    Parameters
    ----------
    times : float or array
        Periods from now (0 = now, undiscounted); fractions are allowed.
    discount : float or array
        Rate per period in [0, ``max_rate``) (see :func:`crmlab.validation.check_discount`).
    max_rate : float
        Upper bound of the accepted rates; 1 (100%) unless rates above 100% are meant.

    Examples
    --------
    >>> discount_factor([0, 1, 2], 0.25).tolist()
    [1.0, 0.8, 0.64]
    """
    t = as_float_array(times, "times")
    d = check_discount(discount, high=max_rate)
    t, d = check_broadcast(["times", "discount"], t, np.asarray(d))
    return _out((1.0 + d) ** (-t))


def present_value(amounts: Any, times: Any, discount: Any, *, max_rate: float = 1.0) -> Any:
    """Present value ``sum_j amounts_j / (1 + d)**times_j`` (times in periods).

    ``discount`` may be an array: the result then has its shape (one PV per rate).
    ``max_rate`` as in :func:`discount_factor`.

    Examples
    --------
    >>> round(present_value([110, 121], [1, 2], 0.1), 9)
    200.0
    >>> present_value([100, 100], [0, 1], [0.0, 0.25]).tolist()
    [200.0, 180.0]
    """
    a = as_float_array(amounts, "amounts").ravel()
    t = as_float_array(times, "times").ravel()
    if a.size == 0:
        raise ParameterError("amounts is empty: at least one cash flow is needed")
    if a.shape != t.shape:
        raise ParameterError(f"amounts ({a.size}) and times ({t.size}) must have the same length")
    d = np.asarray(check_discount(discount, high=max_rate))
    factors = discount_factor(t, d[..., None], max_rate=max_rate)  # one rate per row
    return _out((factors * a).sum(axis=-1))


def npv(cash_flows: Any, discount: Any, *, first_period_at: int = 1) -> Any:
    """Net present value of one cash flow per period.

    The ``k``-th flow (0-based) is at period ``first_period_at + k``: with the
    default 1 the first flow is discounted once (end-of-year convention, as
    Excel's ``NPV``); with 0 it is taken at face value.

    Examples
    --------
    >>> round(npv([-100, 60, 60], 0.1, first_period_at=0), 4)
    4.1322
    """
    cf = as_float_array(cash_flows, "cash_flows").ravel()
    check_number(first_period_at, "first_period_at", low=0, integer=True)
    return present_value(cf, first_period_at + np.arange(cf.size), discount)


# --------------------------------------------------------------------------- retention
def retention_clv(
    margin: Any,
    retention: Any,
    discount: Any,
    horizon: Any = None,
    first_margin_at: int = 1,
    *,
    margin_growth: float = 0.0,
) -> Any:
    """CLV of a customer with constant retention (closed forms; the module docstring has the conventions).

    Parameters
    ----------
    margin : float, array or Series
        This period's margin ``m`` (may be negative).
    retention : float, array or Series
        Probability ``r`` in [0, 1] that an active customer is still active next period.
    discount : float, array or Series
        Discount rate per period ``d`` in [0, 1).
    horizon : int, array of int or None
        Number of margins ``T`` counted (None: infinite horizon).
    first_margin_at : {1, 0}
        The timing convention. 1 (default): the first margin counted is next
        period's, ``sum_{t=1}^{T} m g_t r^t/(1+d)^t`` (infinite horizon
        ``m r/(1+d-r)``); 0: this period's margin is counted too, certain and
        undiscounted, ``sum_{t=0}^{T-1} m g_t r^t/(1+d)^t`` (``m(1+d)/(1+d-r)``).
    margin_growth : float
        Growth ``g`` of the margin per period (> -1): period ``t`` earns ``m (1+g)^t``.

    Returns
    -------
    float, ndarray or Series
        Broadcast over all array arguments; a Series (named ``clv``) when an
        argument is a Series of the result's length, e.g. one margin per customer.

    Raises
    ------
    ParameterError
        Retention outside [0, 1] or discount outside [0, 1) (both with a hint when
        the value looks like a percentage), a negative or fractional horizon,
        arrays that cannot be broadcast, or an infinite horizon with
        ``r (1+g) >= 1 + d`` (the sum diverges).

    Examples
    --------
    >>> round(retention_clv(100, 0.8, 0.1), 4)                      # 100 * 0.8 / 0.3
    266.6667
    >>> round(retention_clv(100, 0.8, 0.1, first_margin_at=0), 4)   # 100 * 1.1 / 0.3
    366.6667
    >>> retention_clv([100, 200], 0.9, 0.1, horizon=2).round(4).tolist()
    [148.7603, 297.5207]
    """
    check_choice(first_margin_at, "first_margin_at", [0, 1])
    g = check_number(margin_growth, "margin_growth", low=-1, low_inclusive=False)
    m = as_float_array(margin, "margin")
    r = np.asarray(check_rate(retention, "retention", allow_one=True))
    d = np.asarray(check_discount(discount))
    arrays = [m, r, d]
    names = ["margin", "retention", "discount"]
    if horizon is not None:
        if any(isinstance(v, (float, np.floating)) and np.isinf(v)
               for v in np.ravel(np.asarray(horizon, dtype=object))):
            raise ParameterError("horizon must be a whole number of periods; "
                                 "use horizon=None for an infinite horizon")
        h = as_float_array(horizon, "horizon", low=0, integer=True)  # whole periods
        arrays.append(h)
        names.append("horizon")
    b = check_broadcast(names, *arrays)
    m, r, d = b[0], b[1], b[2]
    q = r * (1.0 + g) / (1.0 + d)
    lead = q if first_margin_at == 1 else np.ones_like(q)
    if horizon is None:
        if (q >= 1).any():
            raise ParameterError(
                "infinite-horizon CLV diverges when retention x (1 + margin_growth) >= 1 + discount; "
                "give a finite horizon or a larger discount rate"
            )
        res = m * lead / (1.0 - q)
    else:
        h = b[3]
        with np.errstate(divide="ignore", invalid="ignore"):
            # (1 - q^T)/(1 - q), computed stably; q = 0 gives 1 for T >= 1
            qt = np.where(q > 0, -np.expm1(h * np.log(np.where(q > 0, q, 1.0))), np.where(h > 0, 1.0, 0.0))
            geo = np.where(np.isclose(q, 1.0, rtol=0, atol=1e-15), h, qt / (1.0 - q))
        res = m * lead * geo
    args = dict(margin=margin, retention=retention, discount=discount, horizon=horizon)
    return _as_series(res, args, "clv")


def expected_lifetime(retention: Any, *, count_first: bool = True) -> Any:
    """Expected number of periods a customer active now stays active, with constant retention ``r``.

    With the current period counted (``count_first=True``) the number of periods is
    geometric on 1, 2, ... with mean ``1 / (1 - r)``; otherwise the expected number of
    *further* periods is ``r / (1 - r)``. Results are rounded to 12 decimals so that
    ``r = 0.8`` gives exactly 5.

    Examples
    --------
    >>> expected_lifetime(0.8)
    5.0
    >>> expected_lifetime([0.5, 0.75], count_first=False).tolist()
    [1.0, 3.0]
    """
    r = np.asarray(check_rate(retention, "retention"))
    res = (1.0 if count_first else r) / (1.0 - r)
    return _out(np.round(res, 12))


# --------------------------------------------------------------------------- revenue
def revenue_identity(
    new_customers: Any, existing_customers: Any, retention: Any, usage: Any, price: Any
) -> Any:
    """Sales = (new + existing × retention) × usage × price (seed 000 §9.4).

    销售收入 = 使用人数量 × 每人的使用量 × 单价
             = (新客户 + 既有客户 × 客户维系率) × 每人的使用量 × 单价.
    Every argument broadcasts (scalars, arrays, Series), so one call evaluates
    a grid of scenarios.

    Parameters
    ----------
    new_customers, existing_customers : array-like
        Customers won this period and customers at the start of it (>= 0).
    retention : array-like
        Share of existing customers kept, in [0, 1].
    usage, price : array-like
        Units per customer per period and price per unit (>= 0).

    Returns
    -------
    float or ndarray (a Series named ``revenue`` when an input is a Series of the result's length)

    Examples
    --------
    >>> revenue_identity(new_customers=20, existing_customers=100, retention=0.8, usage=3, price=10)
    3000.0
    >>> revenue_identity(20, 100, [0.7, 0.8, 0.9], 3, 10).tolist()
    [2700.0, 3000.0, 3300.0]
    """
    args = dict(new_customers=new_customers, existing_customers=existing_customers, retention=retention,
                usage=usage, price=price)
    arrays = [np.asarray(check_rate(v, k, allow_one=True) if k == "retention"
                         else as_float_array(v, k, low=0)) for k, v in args.items()]
    new, existing, r, use, price_ = check_broadcast(list(args), *arrays)
    return _as_series((new + existing * r) * use * price_, args, "revenue")


def project_revenue(
    periods: int,
    *,
    initial_customers: float,
    new_customers: Any,
    retention: Any,
    usage: Any = 1.0,
    price: Any = 1.0,
    margin_share: float | None = None,
    discount: float = 0.0,
) -> pd.DataFrame:
    """Multi-period projection of the revenue identity.

    Period ``t`` (1..``periods``) starts with ``existing_t`` customers (the
    active customers of period ``t-1``; ``initial_customers`` for t = 1),
    keeps ``existing_t × retention_t`` of them, wins ``new_t`` and earns
    ``(new_t + existing_t × retention_t) × usage_t × price_t``. Each of
    ``new_customers``, ``retention``, ``usage`` and ``price`` is a scalar or
    one value per period, so growth paths and retention programmes can be
    compared. With constant inputs the customer base tends to ``new / (1 - r)``.

    Parameters
    ----------
    margin_share : float or array, optional
        Share of revenue kept as profit, in [0, 1] (a scalar or one value per
        period, like ``usage``). When given, the columns
        ``profit`` and ``discounted_profit`` (period ``t`` divided by
        ``(1 + discount)**t``) are added.
    discount : float
        Discount rate per period in [0, 1) for ``discounted_profit`` (one rate).

    Returns
    -------
    DataFrame indexed by ``period``
        ``existing``, ``retained``, ``new``, ``active``, ``retention``,
        ``usage``, ``price``, ``revenue``, ``cumulative_revenue`` (and
        ``profit``, ``discounted_profit`` with ``margin_share``).

    Examples
    --------
    >>> p = project_revenue(3, initial_customers=100, new_customers=10, retention=0.5)
    >>> p["active"].tolist()
    [60.0, 40.0, 30.0]
    >>> p = project_revenue(2, initial_customers=100, new_customers=0, retention=0.5,
    ...                     margin_share=0.5, discount=0.25)
    >>> p["discounted_profit"].tolist()
    [20.0, 8.0]
    """
    T = check_number(periods, "periods", low=1, integer=True)
    check_number(initial_customers, "initial_customers", low=0.0)
    d = check_discount(check_number(discount, "discount"))  # one rate: (1 + d_t)**-t is no discount factor

    def per_period(v: Any, name: str) -> np.ndarray:
        a = as_float_array(v, name, low=0).ravel()
        if a.size == 1:
            a = np.full(T, a[0])
        if a.size != T:
            raise ParameterError(f"{name} must be a scalar or {T} values (one per period), got {a.size}")
        return a

    new = per_period(new_customers, "new_customers")
    ret = per_period(check_rate(retention, "retention", allow_one=True), "retention")
    use = per_period(usage, "usage")
    pr = per_period(price, "price")
    existing = np.empty(T)
    active = np.empty(T)
    prev = float(initial_customers)
    for i in range(T):
        existing[i] = prev
        active[i] = new[i] + prev * ret[i]
        prev = active[i]
    out = pd.DataFrame(
        {
            "existing": existing,
            "retained": existing * ret,
            "new": new,
            "active": active,
            "retention": ret,
            "usage": use,
            "price": pr,
            "revenue": revenue_identity(new, existing, ret, use, pr),
        },
        index=pd.RangeIndex(1, T + 1, name="period"),
    )
    out["cumulative_revenue"] = out["revenue"].cumsum()
    if margin_share is not None:
        share = per_period(check_rate(margin_share, "margin_share", allow_one=True), "margin_share")
        out["profit"] = out["revenue"] * share
        out["discounted_profit"] = out["profit"] * discount_factor(out.index.to_numpy(), d)
    return out
