"""Customer lifetime value (客户终身价值): the standard models.

The seeds' worked cases (the software vendor, the two buyers) and one-line
formulas (continuous value, CPV, PPV) are computed in notebook 03 itself, in a
few visible lines of pandas.

The finance core (discounting, present value, the constant-retention CLV and
its two timing conventions ``first_margin_at``, expected lifetime) lives in
:mod:`crmlab.finance`; this module builds the chapter's models on it, with the
same conventions: whole periods, "now" is ``t = 0``, a cash flow at ``t`` is
discounted by ``(1 + d)**t``; :func:`lost_for_good` and :func:`migration_clv`
count the current period's margin (``first_margin_at=0``; see each function).

Examples
--------
>>> round(float(margin_multiplier_table().loc[0.8, 0.12]), 6)                     # 0.8 / 0.32
2.5
>>> round(float(margin_multiplier_table(first_margin_at=0).loc[0.8, 0.12]), 6)    # 1.12 / 0.32
3.5
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from crmlab.ahp import standardize
from crmlab.errors import ConvergenceError, DataError, ParameterError, warn
from crmlab.finance import (
    DAYS_PER_YEAR,
    _series_index,
    discount_factor,
    present_value,
    retention_clv,
)
from crmlab.summary import _no_purchase_error, _purchases_until, to_occasions
from crmlab.validation import (
    MAX_DAYS,
    as_float_array,
    check_choice,
    check_date,
    check_date_column,
    check_discount,
    check_number,
    check_numeric_column,
    check_rate,
    first_bad,
    require_columns,
    validate_transactions,
)

__all__ = [
    "break_even_discount",
    "margin_multiplier_table",
    "lost_for_good",
    "migration_clv",
    "recency_transition_matrix",
    "recency_states",
    "transition_matrix",
    "state_rewards",
    "forecast_events",
    "discount_events",
    "CurveFit",
    "cohort_profit_curve",
    "fit_profit_curve",
    "indicator_value",
    "historical_value",
    "migration_potential_value",
    "CLV_CLASSES",
    "classify_clv",
    "clv_class_table",
    "plot_clv_classes",
]


# --------------------------------------------------------------------------- two buyers
def break_even_discount(
    stream_a: Any,
    stream_b: Any,
    *,
    interval_a: float = 1.0,
    interval_b: float = 1.0,
    high: float = 100.0,
) -> float:
    """Discount rate at which two purchase streams have the same present value.

    Searched on ``[0, high]`` with Brent's method; ``nan`` when the PVs do
    not cross there (one stream is worth more at every rate).

    Examples
    --------
    >>> a = [10000, 12000, 15000, 17000, 20000, 22000, 25000, 23000, 21000, 20000]
    >>> round(break_even_discount(a, [15000] * 3, interval_a=3, interval_b=3), 4)
    0.2268
    """
    check_number(high, "high", low=0, low_inclusive=False)
    check_number(interval_a, "interval_a", low=0, low_inclusive=False)
    check_number(interval_b, "interval_b", low=0, low_inclusive=False)
    a = as_float_array(stream_a, "stream_a").ravel()
    b = as_float_array(stream_b, "stream_b").ravel()
    ta, tb = interval_a * np.arange(a.size), interval_b * np.arange(b.size)

    def gap(d: float) -> float:  # a break-even rate may exceed 100%: no percent check here
        return present_value(a, ta, d, max_rate=np.inf) - present_value(b, tb, d, max_rate=np.inf)

    grid = np.concatenate([[0.0], np.geomspace(1e-3, high, 200)])
    vals = np.array([gap(d) for d in grid])
    sign = np.sign(vals)
    change = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    if vals[0] == 0:
        return 0.0
    if not change.size:
        return float("nan")
    i = change[0]
    return float(optimize.brentq(gap, grid[i], grid[i + 1], xtol=1e-12))


# --------------------------------------------------------------------------- retention CLV
def margin_multiplier_table(
    retentions: Sequence[float] = (0.6, 0.7, 0.8, 0.9),
    discounts: Sequence[float] = (0.10, 0.12, 0.14, 0.16),
    *,
    horizon: int | None = None,
    first_margin_at: int = 1,
) -> pd.DataFrame:
    """Margin multipliers (CLV per unit of margin: :func:`crmlab.finance.retention_clv`
    with margin 1) over retention (rows) x discount (columns).

    The defaults reproduce the layout of Gupta & Lehmann's (2003, 2005) table
    (``first_margin_at=1``: ``r / (1 + d - r)``).

    Examples
    --------
    >>> margin_multiplier_table().loc[0.8, 0.12].round(2)
    np.float64(2.5)
    """
    r = as_float_array(list(retentions), "retentions")
    d = as_float_array(list(discounts), "discounts")
    vals = retention_clv(1.0, r[:, None], d[None, :], horizon, first_margin_at)
    return pd.DataFrame(
        vals,
        index=pd.Index(r, name="retention"),
        columns=pd.Index(d, name="discount"),
    )


# --------------------------------------------------------------------------- Dwyer
def lost_for_good(
    margins: Any,
    retention: Any,
    discount: float,
    *,
    customers: float = 1.0,
    acquisition_cost: float = 0.0,
) -> pd.DataFrame:
    """Dwyer's lost-for-good (customer retention) model as a cohort table.

    A cohort of ``customers`` is acquired at period 0. ``retention[t-1]`` is
    the share of the customers active at ``t-1`` still active at ``t`` (a
    scalar repeats); customers who leave never return. ``margins[t]`` is the
    margin per active customer at period ``t = 0, 1, ...`` (the number of
    periods is ``len(margins)``). Period 0 is undiscounted.

    Returns
    -------
    DataFrame
        ``period, retention, active, margin, profit, discount_factor, pv,
        cum_pv, clv_per_customer`` (``cum_pv`` minus the acquisition cost, per
        acquired customer).

    Examples
    --------
    >>> t = lost_for_good([100, 100, 100], 0.5, 0.0)
    >>> t["active"].tolist(), float(t["clv_per_customer"].iloc[-1])
    ([1.0, 0.5, 0.25], 175.0)
    """
    m = as_float_array(margins, "margins").ravel()
    if m.size == 0:
        raise ParameterError("margins must hold at least one period")
    r = np.asarray(check_rate(retention, "retention", allow_one=True))
    r = np.repeat(r, m.size - 1) if r.ndim == 0 else r.ravel()  # a scalar rate repeats
    if r.size != m.size - 1:
        raise ParameterError(
            f"retention needs one rate per transition: {m.size - 1} for {m.size} margins, got {r.size}"
        )
    d = check_discount(check_number(discount, "discount"))  # one rate
    n = check_number(customers, "customers", low=0, low_inclusive=False)
    c = check_number(acquisition_cost, "acquisition_cost")
    active = n * np.concatenate([[1.0], np.cumprod(r)])
    t = np.arange(m.size)
    out = pd.DataFrame({
        "period": t,
        "retention": np.concatenate([[np.nan], r]),
        "active": active,
        "margin": m,
        "profit": active * m,
        "discount_factor": discount_factor(t, d),
    })
    out["pv"] = out["profit"] * out["discount_factor"]
    out["cum_pv"] = out["pv"].cumsum()
    out["clv_per_customer"] = out["cum_pv"] / n - c
    return out


def _check_transition(P: Any) -> np.ndarray:
    p = as_float_array(P.to_numpy() if isinstance(P, pd.DataFrame) else P, "P")
    if p.ndim != 2 or p.shape[0] != p.shape[1]:
        raise ParameterError(f"P must be a square transition matrix, got shape {p.shape}")
    if (p < 0).any():
        raise ParameterError("P has negative entries; transition probabilities are >= 0")
    rows = p.sum(axis=1)
    if not np.allclose(rows, 1.0, atol=1e-8):
        i = int(np.argmax(np.abs(rows - 1)))
        raise ParameterError(f"row {i} of P sums to {rows[i]:.6g}; every row must sum to 1")
    return p


def migration_clv(
    P: Any,
    R: Any,
    discount: float,
    *,
    horizon: int | None = None,
    include_current: bool = True,
) -> Any:
    """Expected discounted value per state of a Markov migration model.

    ``V = sum_{t=0}^{T-1} (P / (1+d))^t R`` for ``horizon = T`` periods, and
    ``V = (I - P / (1+d))^{-1} R`` for an infinite horizon (needs ``d > 0``).
    ``R[i]`` is the expected net reward of a period spent in state ``i``;
    ``include_current=False`` drops the current period (``V - R``).

    Parameters
    ----------
    P : (k, k) array or DataFrame
        Row-stochastic transition matrix (row = from, column = to).
    R : (k,) array or Series
        Reward per state. With a DataFrame ``P``, a Series ``R`` (and ``P``'s
        columns) are matched to ``P``'s rows by label; other labels are refused.
    discount : float
        Rate per period (> -1; > 0 for an infinite horizon).

    Returns
    -------
    Series (if ``P`` is a DataFrame, indexed by its rows) or ndarray.

    Examples
    --------
    >>> P = [[0.8, 0.2], [0.0, 1.0]]            # active / lost for good
    >>> migration_clv(P, [100, 0], 0.12).round(6).tolist()
    [350.0, 0.0]
    """
    p = _check_transition(P)
    if isinstance(P, pd.DataFrame):  # labelled states are matched by label, never by position
        if not P.columns.equals(P.index) and set(P.columns) == set(P.index):
            p = P[P.index].to_numpy(dtype=float)
        if isinstance(R, pd.Series) and set(R.index) == set(P.index):
            R = R.reindex(P.index)
        elif isinstance(R, pd.Series) and not R.index.equals(pd.RangeIndex(len(R))):  # a default index is unlabelled
            _series_index({"rows of P": P.iloc[:, 0], "R": R})
    r = as_float_array(R.to_numpy() if isinstance(R, pd.Series) else R, "R").ravel()
    if r.size != p.shape[0]:
        raise ParameterError(f"R has {r.size} rewards but P has {p.shape[0]} states (mismatched lengths)")
    d = check_discount(check_number(discount, "discount"))  # one rate
    k = p.shape[0]
    a = p / (1.0 + d)
    if horizon is None:
        if d <= 0:
            raise ParameterError("an infinite horizon needs discount > 0 (the sum diverges otherwise)")
        v = np.linalg.solve(np.eye(k) - a, r)
    else:
        hz = check_number(horizon, "horizon", low=0, integer=True, high=MAX_DAYS)  # 1e300 would loop for ever
        v = np.zeros(k)
        term = r.copy()
        for _ in range(hz):
            v += term
            term = a @ term
    if not include_current:
        v = v - r if (horizon is None or horizon > 0) else v
    if isinstance(P, pd.DataFrame):
        return pd.Series(v, index=P.index, name="value")
    return v


def recency_transition_matrix(purchase_probabilities: Any) -> pd.DataFrame:
    """Transition matrix of a recency chain from each state's purchase probability.

    From state ``i`` the customer buys with probability ``p_i`` (back to state
    1) or moves to state ``i + 1``; the last state stays put when there is no
    purchase. ``p = 0`` in the last state makes it absorbing (a lost customer).

    Examples
    --------
    >>> recency_transition_matrix([0.3, 0.2, 0.0]).to_numpy().tolist()
    [[0.3, 0.7, 0.0], [0.2, 0.0, 0.8], [0.0, 0.0, 1.0]]
    """
    p = as_float_array(purchase_probabilities, "purchase_probabilities").ravel()
    if p.size < 2:
        raise ParameterError("a recency chain needs at least 2 states")
    check_rate(p, "purchase_probabilities", allow_one=True)
    k = p.size
    P = np.zeros((k, k))
    P[:, 0] = p
    for i in range(k):
        P[i, min(i + 1, k - 1)] += 1 - p[i]
    return _by_state(P)


def _by_state(P: np.ndarray) -> pd.DataFrame:
    """A k×k matrix of a chain labelled by state 1..k (rows: from, columns: to)."""
    states = range(1, P.shape[0] + 1)
    return pd.DataFrame(P, index=pd.Index(states, name="from"), columns=pd.Index(states, name="to"))


def _offsets(counts: np.ndarray) -> np.ndarray:
    """``0, 1, ..., n_i - 1`` for each group ``i`` of ``counts = [n_1, n_2, ...]``, concatenated."""
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def recency_states(
    transactions: pd.DataFrame,
    *,
    freq: str = "Q",
    n_states: int = 5,
    end: Any = None,
    margin: float = 1.0,
) -> pd.DataFrame:
    """Panel of recency states per customer and period (always-a-share model).

    State 1 = bought in the period; state ``k`` = last purchase ``k - 1``
    periods ago; the last state ``n_states`` collects "``n_states - 1`` or more
    periods ago". A customer enters the panel in the period of their first
    purchase and stays to the period holding ``end`` (default: the last date).

    Returns
    -------
    DataFrame
        ``customer_id, period`` (pandas Period), ``t`` (periods since the
        first), ``state``, ``value`` (margin of the period's purchases =
        ``margin`` x amount).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1], "amount": [10.0, 20.0],
    ...                     "date": pd.to_datetime(["2024-01-05", "2024-07-01"])})
    >>> recency_states(log, n_states=3, end="2024-12-31")["state"].tolist()
    [1, 2, 1, 2]
    """
    check_choice(freq, "freq", ["M", "Q", "Y"])
    ns = check_number(n_states, "n_states", low=2, integer=True)
    mg = check_number(margin, "margin", low=0)
    tx = validate_transactions(transactions)
    per = tx["date"].dt.to_period(freq)
    last = check_date(end, "end").to_period(freq) if end is not None else per.max()
    tx = tx.assign(period=per)
    tx = tx[tx["period"] <= last]
    if tx.empty:
        raise DataError(f"no transactions on or before end={end!r}")
    base = tx["period"].min()
    tx = tx.assign(p=tx["period"].array.asi8 - base.ordinal)
    buy = tx.groupby(["customer_id", "p"], sort=True)["amount"].sum()
    first = buy.reset_index().groupby("customer_id")["p"].min()
    n_last = last.ordinal - base.ordinal
    lengths = (n_last - first + 1).to_numpy()
    cust = np.repeat(first.index.to_numpy(), lengths)
    start = np.repeat(first.to_numpy(), lengths)
    offs = _offsets(lengths)
    grid = pd.DataFrame({"customer_id": cust, "p": start + offs, "t": offs})
    grid = grid.merge(buy.rename("amount").reset_index(), on=["customer_id", "p"], how="left")
    bought = grid["amount"].notna()
    lastbuy = grid["p"].where(bought).groupby(grid["customer_id"]).ffill()
    rec = (grid["p"] - lastbuy).astype(int)
    out = pd.DataFrame({
        "customer_id": grid["customer_id"],
        "period": pd.PeriodIndex.from_ordinals(grid["p"].to_numpy() + base.ordinal, freq=base.freq),
        "t": grid["t"].astype(int),
        "state": np.minimum(rec + 1, ns).astype(int),
        "value": grid["amount"].fillna(0.0) * mg,
    })
    return out.reset_index(drop=True)


def transition_matrix(states: pd.DataFrame, *, n_states: int | None = None, counts: bool = False) -> pd.DataFrame:
    """Estimate a transition matrix from consecutive periods of a state panel.

    ``states`` holds ``customer_id``, ``t`` (consecutive integers per customer)
    and ``state`` (1..k), e.g. from :func:`recency_states`. The estimate is
    the row-normalised count of ``state(t) -> state(t + 1)`` moves (maximum
    likelihood for a homogeneous chain).

    Raises
    ------
    DataError
        A ``state`` that is not a whole number in 1..k (k = ``n_states`` or the
        largest state), or a state never observed as a starting state (its row
        cannot be estimated).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2], "t": [0, 1, 2, 0, 1],
    ...                   "state": [1, 2, 1, 1, 1]})
    >>> transition_matrix(s, n_states=2).to_numpy().tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    st, k = _states(states, n_states, ["customer_id", "t", "state"])
    s = states.assign(state=st, t=check_numeric_column(states, "t", what="states")).sort_values(["customer_id", "t"])
    nxt = s.groupby("customer_id")["state"].shift(-1)
    nt = s.groupby("customer_id")["t"].shift(-1)
    ok = nxt.notna() & (nt == s["t"] + 1)
    c = np.zeros((k, k))
    np.add.at(c, (s.loc[ok, "state"].to_numpy() - 1, nxt[ok].astype(int).to_numpy() - 1), 1)
    if counts:
        return _by_state(c)
    rows = c.sum(axis=1)
    if (rows == 0).any():
        i = int(np.argmax(rows == 0)) + 1
        raise DataError(
            f"state {i} is never observed before another period, so its row of P cannot be "
            "estimated; use fewer states or a longer panel"
        )
    return _by_state(c / rows[:, None])


def _states(states: pd.DataFrame, n_states: int | None, columns: list[str]) -> tuple[pd.Series, int]:
    """The ``state`` column of a state panel as whole numbers 1..k, and k (``n_states`` or the largest)."""
    require_columns(states, columns, what="states")
    if len(states) == 0:
        raise DataError("states is empty: at least one customer-period is needed")
    st = check_numeric_column(states, "state", what="states", min_value=1)
    pos = first_bad(st != np.round(st))
    if pos is not None:
        raise DataError(f"states: column 'state', row {pos}: {st.iloc[pos]} is not a whole number")
    k = int(st.max()) if n_states is None else check_number(n_states, "n_states", low=1, integer=True)
    pos = first_bad(st > k)
    if pos is not None:
        raise DataError(
            f"states: column 'state', row {pos}: {int(st.iloc[pos])} is above n_states={k}"
        )
    return st.astype(int), k


def state_rewards(states: pd.DataFrame, *, cost_per_period: float = 0.0, n_states: int | None = None) -> pd.Series:
    """Mean ``value`` per state minus a marketing/service cost per customer-period.

    Examples
    --------
    >>> s = pd.DataFrame({"state": [1, 1, 2], "value": [10.0, 20.0, 0.0]})
    >>> state_rewards(s, cost_per_period=1.0).tolist()
    [14.0, -1.0]
    """
    st, k = _states(states, n_states, ["state", "value"])
    c = check_number(cost_per_period, "cost_per_period")
    value = check_numeric_column(states, "value", what="states")
    r = value.groupby(st).mean()
    unseen = [i for i in range(1, k + 1) if i not in r.index]
    if unseen:
        raise DataError(
            f"state(s) {unseen} never occur in states, so their mean value is unknown (not 0); "
            "use fewer states or a longer panel"
        )
    r = r.reindex(range(1, k + 1))
    return (r - c).rename("reward").rename_axis("state")


# --------------------------------------------------------------------------- customer events
def forecast_events(
    transactions: pd.DataFrame,
    as_of: Any,
    *,
    horizon_years: float = 1.0,
    margin: float = 1.0,
    annual_retention: float = 0.6,
    service_cost_per_year: float = 0.0,
    referral_value_per_year: float = 0.0,
    one_time_gap: str = "elapsed",
    min_gap_days: float = 30.0,
) -> pd.DataFrame:
    """Customer event method: lay each customer's future events on a timeline.

    Stated model (deliberately simple, every rule visible):

    * purchases recur at the customer's own mean gap between purchase
      occasions (never shorter than ``min_gap_days``), continuing the rhythm
      from the last purchase; each is worth ``margin`` x the customer's mean
      occasion amount. One-time buyers: with ``one_time_gap="elapsed"``
      (default) the time from their purchase to ``as_of`` (no repeat was
      seen, so their gap is at least that long) or the median gap of repeat
      buyers if larger; with ``"median"`` the median gap;
    * a yearly service cost (negative) and a yearly referral value fall at
      ``as_of + 1, 2, ...`` years;
    * every event at time ``tau`` years after the last purchase happens with
      probability ``annual_retention ** tau`` (a customer who has been silent
      for long is less likely to still be a customer).

    Returns
    -------
    DataFrame
        ``customer_id, date, kind ("purchase"|"service_cost"|"referral"),
        value, probability``; ``value x probability`` is the expected cash flow.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1], "amount": [10.0, 10.0],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-07-01"])})
    >>> ev = forecast_events(log, "2024-07-01", horizon_years=1, annual_retention=1.0)
    >>> ev["date"].dt.strftime("%Y-%m").tolist()
    ['2024-12', '2025-06']
    """
    ref = check_date(as_of, "as_of")
    hz = check_number(horizon_years, "horizon_years", low=0, low_inclusive=False)
    mg = check_number(margin, "margin", low=0)
    ret = check_number(annual_retention, "annual_retention", low=0, high=1)
    check_choice(one_time_gap, "one_time_gap", ["median", "elapsed"])
    min_gap_days = check_number(min_gap_days, "min_gap_days", low=1, high=MAX_DAYS)
    sc = check_number(service_cost_per_year, "service_cost_per_year")
    rv = check_number(referral_value_per_year, "referral_value_per_year")
    occ, _ = _purchases_until(transactions, ref)
    g = occ.groupby("customer_id")
    first, last, n = g["date"].min(), g["date"].max(), g.size()
    mean_amt = g["amount"].mean()
    gap = ((last - first).dt.days / (n - 1).where(n > 1)).astype(float)
    typical = float(gap.median()) if gap.notna().any() else DAYS_PER_YEAR
    if one_time_gap == "elapsed":  # no repeat seen since the first purchase: the gap is at least that long
        elapsed = (ref - first).dt.days.astype(float)
        gap = gap.fillna(np.maximum(elapsed, typical))
    gap = gap.fillna(typical).clip(lower=min_gap_days)
    end = ref + pd.Timedelta(days=hz * DAYS_PER_YEAR)
    since_last = (ref - last).dt.days.astype(float)
    k0 = np.floor(since_last / gap) + 1  # first multiple of the gap after as_of
    kmax = np.floor((end - last).dt.days.astype(float) / gap)
    cnt = np.maximum(kmax - k0 + 1, 0).astype(int).to_numpy()  # purchase events per customer

    def rep(per_customer: Any) -> np.ndarray:  # one entry per purchase event
        return np.repeat(np.asarray(per_customer), cnt)

    ks = rep(k0) + _offsets(cnt)  # k0, k0 + 1, ... per customer
    days = ks * rep(gap)
    parts = [pd.DataFrame({
        "customer_id": rep(last.index),
        "date": rep(last) + pd.to_timedelta(np.round(days), unit="D").to_numpy(),
        "kind": "purchase", "value": mg * rep(mean_amt), "tau": days / DAYS_PER_YEAR,
    })]
    years = np.arange(1, int(np.floor(hz)) + 1)
    for kind, v in [("service_cost", -sc), ("referral", rv)]:
        if v != 0 and years.size:
            cid = np.repeat(last.index.to_numpy(), years.size)
            yy = np.tile(years, len(last))
            dts = ref + pd.to_timedelta(yy * DAYS_PER_YEAR, unit="D")
            tau = (dts - np.repeat(last.to_numpy(), years.size)).days / DAYS_PER_YEAR
            parts.append(pd.DataFrame({"customer_id": cid, "date": dts, "kind": kind,
                                       "value": v, "tau": np.asarray(tau, float)}))
    ev = pd.concat(parts, ignore_index=True)
    ev["probability"] = ret ** ev["tau"]
    ev["date"] = ev["date"].astype("datetime64[ns]")
    return ev.drop(columns="tau").sort_values(["customer_id", "date"]).reset_index(drop=True)


def discount_events(events: pd.DataFrame, as_of: Any, discount: float, *, customers: Any = None) -> pd.Series:
    """Expected present value per customer of an event timeline.

    ``sum value x probability / (1 + d) ** years(date - as_of)`` (``probability``
    defaults to 1, else a number in [0, 1]). Customers listed in ``customers``
    without events get 0 (their count is in ``.attrs["without_events"]``); an
    event of a customer not listed in ``customers`` is refused (it would be
    dropped), as are unreadable dates and non-finite values.

    Examples
    --------
    >>> ev = pd.DataFrame({"customer_id": [1], "date": pd.to_datetime(["2025-01-01"]),
    ...                    "value": [110.0]})
    >>> discount_events(ev, "2024-01-01", 0.1).round(1).tolist()
    [100.0]
    """
    require_columns(events, ["customer_id", "date", "value"], what="events")
    d = check_discount(check_number(discount, "discount"))  # one rate
    ref = check_date(as_of, "as_of")
    val = check_numeric_column(events, "value", what="events")
    prob = 1.0
    if "probability" in events:
        prob = check_numeric_column(events, "probability", what="events", min_value=0)
        pos = first_bad(prob > 1)
        if pos is not None:
            raise DataError(
                f"events: column 'probability', row {pos}: {prob.iloc[pos]} is above 1"
            )
    dates = check_date_column(events, "events")
    pos = first_bad(events["customer_id"].isna())
    if pos is not None:
        raise DataError(f"events: column 'customer_id', row {pos}: customer id is missing")
    yrs = (dates - ref).dt.days / DAYS_PER_YEAR
    pv = (val * prob * discount_factor(yrs.to_numpy(), d)).groupby(events["customer_id"]).sum()
    without = 0
    if customers is not None:
        wanted = pd.Index(customers)
        if wanted.has_duplicates:
            raise DataError(
                f"customers lists {wanted[wanted.duplicated()][0]!r} more than once"
            )
        extra = pv.index.difference(wanted)
        if len(extra):
            raise DataError(
                f"events hold {len(extra)} customer(s) not in customers (e.g. "
                f"{list(extra[:3])!r}); their value would be dropped"
            )
        without = int((~wanted.isin(pv.index)).sum())
        pv = pv.reindex(wanted, fill_value=0.0)
    out = pv.rename("event_value").rename_axis("customer_id")
    out.attrs["without_events"] = without
    return out


# --------------------------------------------------------------------------- fitting method
@dataclass(frozen=True)
class CurveFit:
    """A profit-per-period curve ``f(t)`` fitted by a log-link GLM (statsmodels)."""

    form: str
    params: np.ndarray
    t: np.ndarray
    y: np.ndarray
    fitted: np.ndarray
    result: Any = field(repr=False)

    def predict(self, t: Any) -> np.ndarray:
        """Curve value at periods ``t``."""
        return np.exp(_design(self.form, as_float_array(t, "t")) @ self.params)

    def value(self, start: int, n_periods: int, discount: float) -> float:
        """``sum_{k=0}^{n-1} f(start + k) / (1+d)^(k+1)``: the extrapolated
        future value at the start of period ``start`` (end-of-period flows)."""
        check_number(n_periods, "n_periods", low=0, integer=True)
        d = check_discount(check_number(discount, "discount"))  # one rate
        k = np.arange(n_periods)
        return float(np.sum(self.predict(start + k) * discount_factor(k + 1, d)))


_FORMS = ("exponential", "power", "quadratic")


def _design(form: str, t: np.ndarray) -> np.ndarray:
    t = np.asarray(t, float)
    if form == "exponential":
        return np.column_stack([np.ones_like(t), t])
    if form == "power":
        if (t <= 0).any():
            raise ParameterError("the power curve needs periods t > 0")
        return np.column_stack([np.ones_like(t), np.log(t)])
    return np.column_stack([np.ones_like(t), t, t * t])


def cohort_profit_curve(
    transactions: pd.DataFrame,
    *,
    freq: str = "M",
    margin: float = 1.0,
    end: Any = None,
) -> pd.DataFrame:
    """Mean profit per customer in each period since acquisition (``t = 0`` is
    the acquisition period), over the customers observed at that age.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 4.0, 6.0],
    ...                     "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-01-20"])})
    >>> cohort_profit_curve(log, end="2024-02-29")["profit"].tolist()
    [8.0, 2.0]
    """
    s = recency_states(transactions, freq=freq, n_states=2, end=end, margin=margin)
    g = s.groupby("t")["value"]
    return pd.DataFrame({"t": g.mean().index, "profit": g.mean().to_numpy(),
                         "customers": g.size().to_numpy()})


def fit_profit_curve(t: Any, profit: Any, *, form: str = "exponential", weights: Any = None) -> CurveFit:
    """Fit ``profit(t)`` with a Gaussian GLM and log link (statsmodels).

    Forms: ``exponential`` ``a e^{b t}``, ``power`` ``a t^b`` and ``quadratic``
    ``exp(a + b t + c t^2)`` (a lifecycle hump). The log link keeps the curve
    positive and tolerates zeros, unlike OLS on ``log(profit)``.

    Examples
    --------
    >>> t = np.arange(1, 8)
    >>> fit = fit_profit_curve(t, 10 * np.exp(-0.3 * t))
    >>> np.round(fit.params, 6).tolist()
    [2.302585, -0.3]
    >>> round(float(fit.predict(8)[0]), 4)
    0.9072
    """
    import statsmodels.api as sm

    check_choice(form, "form", list(_FORMS))
    tt = as_float_array(t, "t").ravel()
    y = as_float_array(profit, "profit").ravel()
    if tt.size != y.size:
        raise ParameterError(f"t ({tt.size}) and profit ({y.size}) must have the same length")
    X = _design(form, tt)
    if tt.size < X.shape[1] + 1:
        raise ParameterError(f"the {form} curve needs at least {X.shape[1] + 1} periods, got {tt.size}")
    if (y < 0).any():
        raise ParameterError("profit must be >= 0 for a log-link curve; shift or drop negative periods")
    w = None if weights is None else as_float_array(weights, "weights").ravel()
    if w is not None and (w.size != tt.size or (w < 0).any()):
        raise ParameterError(f"weights must be {tt.size} numbers >= 0 (one per period), got "
                             f"{w.size} with minimum {w.min() if w.size else 'none'}")
    start = np.linalg.lstsq(X, np.log(np.maximum(y, y[y > 0].min() / 10 if (y > 0).any() else 1e-9)), rcond=None)[0]
    model = sm.GLM(y, X, family=sm.families.Gaussian(sm.families.links.Log()), var_weights=w)
    try:
        with warnings.catch_warnings():
            # statsmodels flags a (near) perfect fit as "perfect separation"; irrelevant here
            warnings.filterwarnings("ignore", message=".*[Pp]erfect separation.*")
            res = model.fit(start_params=start, maxiter=200)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
        raise ConvergenceError(f"the {form} profit curve did not converge: {exc}") from None
    exact = np.allclose(res.fittedvalues, y, rtol=1e-9, atol=1e-12)
    if not (res.converged or exact) or not np.all(np.isfinite(res.params)):
        raise ConvergenceError(f"the {form} profit curve did not converge")
    return CurveFit(form, np.asarray(res.params), tt, y, np.asarray(res.fittedvalues), res)


# --------------------------------------------------------------------------- indicators
def indicator_value(
    data: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    groups: Mapping[str, Sequence[str]],
    cost_indicators: Sequence[str] = ("service_cost",),
    scale: str = "minmax",
) -> pd.DataFrame:
    """Indicator-based (指标综合评价法) CLV score: standardise, weight, sum.

    Each indicator is scaled to 0-100 (``minmax``: worst customer 0, best 100;
    ``zscore``: 50 + 10 z) with cost-type indicators reversed (less is better),
    multiplied by its *global* weight (weights sum to 1, e.g. the products of
    chapter 4's AHP local weights) and summed within each group. The scaling is
    :func:`crmlab.ahp.standardize`, so a constant indicator scores 0 (with a warning).

    Parameters
    ----------
    data : DataFrame
        One row per customer, one column per indicator.
    weights : mapping indicator -> global weight
    groups : mapping group -> indicators
        E.g. seed 000's system (lesson 03): ``{"current": [...], "potential": [...]}``.

    Returns
    -------
    DataFrame
        One column per group plus ``total`` (on the 0-100 scale when weights sum to 1).

    Examples
    --------
    >>> df = pd.DataFrame({"profit": [1.0, 3.0], "cost": [5.0, 1.0]})
    >>> indicator_value(df, {"profit": 0.5, "cost": 0.5}, groups={"current": ["profit", "cost"]},
    ...                 cost_indicators=["cost"])["total"].tolist()
    [0.0, 100.0]
    """
    check_choice(scale, "scale", ["minmax", "zscore"])
    grp = {k: list(v) for k, v in groups.items()}
    names = [i for v in grp.values() for i in v]
    require_columns(data, names, what="data")
    unknown = [k for k in weights if k not in names]
    missing = [i for i in names if i not in weights]
    if unknown or missing:
        raise ParameterError(f"weights must cover exactly the indicators; unknown {unknown}, missing {missing}")
    w = pd.Series({k: check_number(v, f"weights[{k!r}]", low=0) for k, v in weights.items()})
    if not np.isclose(w.sum(), 1.0, atol=1e-4):
        raise ParameterError(f"weights must sum to 1 (global weights), they sum to {w.sum():.6g}")
    # one standardisation rule (crmlab.ahp.standardize), put on the 0-100 scale of the lecture
    direction = {i: "cost" for i in names if i in cost_indicators}
    scores = standardize(data[names], scale, direction=direction)
    scores = scores * 100 if scale == "minmax" else 50 + 10 * scores
    out = pd.DataFrame({g: (scores[members] * w[members]).sum(axis=1) for g, members in grp.items()},
                       index=data.index)
    out["total"] = out[list(grp)].sum(axis=1)
    return out


# --------------------------------------------------------------------------- historical / potential
def historical_value(
    transactions: pd.DataFrame,
    as_of: Any = None,
    margin: float | str = 1.0,
    *,
    discount: float = 0.0,
    cost_per_order: float = 0.0,
    acquisition_cost: float = 0.0,
) -> pd.Series:
    """Each customer's historical (current) value: profit to date, valued at ``as_of``.

    ``sum over occasions (margin x amount - cost_per_order x is_purchase)
    x (1 + d)^{years(as_of - date)} - acquisition_cost x (1 + d)^{years(as_of - first)}``.
    Past profit is compounded forward to ``as_of`` (seed 004: "historical
    profit = total present value of the profit created to date"); ``d = 0``
    gives plain profit to date. Occasions follow :func:`crmlab.summary.to_occasions`:
    every customer-day counts with its net money, and an order (``cost_per_order``)
    is a purchase day (net amount > 0, read from ``amount`` also when ``margin``
    is a column). ``first`` is the customer's first day in the log, as in
    :func:`migration_potential_value`, so a customer whose days so far are zero or
    returns is in the result. Rows dated after ``as_of`` are not part of the
    history and are ignored; customers first seen after ``as_of`` are not in the result.

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema.
    as_of : date-like, optional
        Valuation date (default: the last date in the log).
    margin : float or str
        Margin rate applied to ``amount`` (0-1), or the name of a column
        holding each row's absolute margin.
    discount : float
        Annual rate used to compound past profit.
    cost_per_order, acquisition_cost : float
        Cost to serve one purchase occasion; one-off cost of acquiring the customer.

    Returns
    -------
    Series named ``historical_value`` indexed by ``customer_id``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [100.0, 50.0, 10.0],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-03-01"])})
    >>> historical_value(log, margin=0.3, cost_per_order=2.0, acquisition_cost=5.0).tolist()
    [38.0, -4.0]
    """
    tx = validate_transactions(transactions)
    if isinstance(margin, str):
        require_columns(tx, [margin], what="transactions")
        money = tx.assign(amount=check_numeric_column(tx, margin, what="transactions"))
        rate = 1.0
    else:
        money = tx
        rate = check_number(margin, "margin", low=0, high=1)
    d = check_discount(check_number(discount, "discount"))  # one rate
    c = check_number(cost_per_order, "cost_per_order")
    a = check_number(acquisition_cost, "acquisition_cost")
    ref = tx["date"].max() if as_of is None else check_date(as_of, "as_of")
    # a purchase is a day with net amount > 0 (also when margin is a column); its money is margin
    occ = to_occasions(tx[["customer_id", "date", "amount"]])
    if money is not tx:  # the margin column's money on the same customer-days
        occ["amount"] = to_occasions(money[["customer_id", "date", "amount"]])["amount"].to_numpy()
    if not (occ["date"] <= ref).any():
        raise _no_purchase_error(ref, None, occ["date"].min(), occ["date"].max())
    occ = occ[occ["date"] <= ref]
    # past profit compounded forward: a discount factor for the (negative) time from as_of back;
    # a return or zero day counts with its money but is not an order (no cost_per_order)
    grow = discount_factor(-(ref - occ["date"]).dt.days / DAYS_PER_YEAR, d)
    profit = (rate * occ["amount"] - c * occ["is_purchase"]) * grow
    val = profit.groupby(occ["customer_id"]).sum()
    if a:
        first = occ.groupby("customer_id")["date"].min()
        val = val - a * discount_factor(-(ref - first).dt.days / DAYS_PER_YEAR, d)
    return val.rename("historical_value").rename_axis("customer_id")


def migration_potential_value(
    transactions: pd.DataFrame,
    as_of: Any,
    *,
    margin: float = 1.0,
    discount: float = 0.1,
    freq: str = "M",
    n_states: int = 6,
    horizon: int | None = None,
    cost_per_period: float = 0.0,
) -> pd.Series:
    """A simple stated potential-value model built on the migration model.

    1. Recency states per ``freq`` period up to ``as_of`` and the transition
       matrix ``P`` estimated from them (:func:`recency_states`,
       :func:`transition_matrix`); rewards ``R`` = mean margin per state.
    2. ``V = migration_clv(P, R, d_period, horizon, include_current=False)``:
       the expected discounted future margin of an average customer in each
       state (``d_period`` converts the annual ``discount`` to the period; an
       infinite ``horizon`` needs ``discount > 0``; ``horizon`` counts the
       current period, so ``horizon=37`` means the next 36 periods), and
       ``C`` the same for a cost of ``cost_per_period`` in every period.
    3. A customer's potential value = ``V[state at as_of]`` x (their mean
       margin per purchase period / everyone's) - ``C[state]``: big spenders
       keep their level, the cost of serving does not scale with spend.

    Chapter 7's BG/NBD + Gamma-Gamma model is the modern replacement; any
    Series indexed by customer works in :func:`classify_clv`.

    Examples
    --------
    >>> from crmlab.datasets import load_cdnow
    >>> pv = migration_potential_value(load_cdnow("sample"), "1997-12-31", margin=0.3)
    >>> len(pv), bool((pv >= 0).all())
    (2357, True)
    """
    ref = check_date(as_of, "as_of")
    d = check_discount(check_number(discount, "discount"))  # one rate
    per_year = {"M": 12, "Q": 4, "Y": 1}[check_choice(freq, "freq", ["M", "Q", "Y"])]
    dp = (1 + d) ** (1 / per_year) - 1
    tx = validate_transactions(transactions)
    s = recency_states(tx[tx["date"] <= ref], freq=freq, n_states=n_states, end=ref, margin=margin)
    P = transition_matrix(s, n_states=n_states)
    R = state_rewards(s, n_states=n_states)
    gross = migration_clv(P, R, dp, horizon=horizon, include_current=False)
    cost = migration_clv(P, pd.Series(float(cost_per_period), index=R.index), dp,
                         horizon=horizon, include_current=False)
    now = s.loc[s.groupby("customer_id")["t"].idxmax()].set_index("customer_id")["state"]
    bought = s[s["state"] == 1]
    mean_value = bought["value"].mean()
    level = bought.groupby("customer_id")["value"].mean() / (mean_value if mean_value > 0 else 1.0)
    out = gross.reindex(now).to_numpy() * level.reindex(now.index) - cost.reindex(now).to_numpy()
    return out.rename("potential_value")


# --------------------------------------------------------------------------- classification
#: CLV classes of seed 004 (English key -> Chinese name).
CLV_CLASSES: dict[str, str] = {
    "MVC": "贵宾型客户 (最有价值客户)",
    "MGC": "改进型客户 (最具成长性客户)",
    "maintenance": "维持型客户 (普通客户)",
    "below-zero": "放弃型客户 (负值客户)",
}


def _threshold(x: pd.Series, thr: Any, name: str) -> float:
    if thr is None or isinstance(thr, str):
        check_choice("median" if thr is None else thr, name, ["median", "mean"])
        return float(x.median()) if thr in (None, "median") else float(x.mean())
    return check_number(thr, name)


def classify_clv(
    current: pd.Series,
    potential: pd.Series,
    *,
    current_threshold: float | str = "median",
    potential_threshold: float | str = "median",
    below_zero: str = "negative",
    missing: str = "raise",
) -> pd.DataFrame:
    """Seed 004's CLV classes from current (historical) and potential value.

    Rules (thresholds default to each value's median; ``"mean"`` or a number also work):

    * ``MVC`` (most valuable): current >= threshold and potential >= threshold;
    * ``MGC`` (most growable): current < threshold, potential >= threshold;
    * ``maintenance``: potential < threshold;
    * ``below-zero``: with ``below_zero="negative"`` (default, the seed's
      definition "cannot cover the cost of serving them") every customer whose
      current + potential value is < 0, whatever the quadrant; with
      ``below_zero="quadrant"`` the low-current, low-potential quadrant.

    Parameters
    ----------
    current, potential : Series
        Indexed by customer; any models (e.g. :func:`historical_value` and
        :func:`migration_potential_value` or chapter 7's BG/NBD). Each
        customer id appears once; values are finite numbers (NaN is refused,
        never read as 0).
    missing : {"raise", "zero"}
        A customer in one Series but not the other: ``"raise"`` (default)
        refuses with a :class:`~crmlab.errors.DataError` naming the count and
        the first ids; ``"zero"`` counts the absent value as 0, reports the
        counts in ``.attrs["filled"]`` and in a
        :class:`~crmlab.errors.CrmlabWarning`. Series that share no customer
        id at all (e.g. one indexed 0..n-1, the other by id) are always refused.

    Returns
    -------
    DataFrame with ``current, potential, total, clv_class``, the thresholds
    in ``.attrs["thresholds"]`` and the zero-filled counts in
    ``.attrs["filled"]`` (``{"current": 0, "potential": 0}`` when none).

    Raises
    ------
    DataError
        NaN or a non-number (naming the Series, customer and value), a
        duplicated customer id, empty input, customers in only one Series
        (with ``missing="raise"``), or no shared customer id.

    Examples
    --------
    >>> cur = pd.Series([10.0, 1.0, 8.0, -5.0], index=list("abcd"))
    >>> pot = pd.Series([9.0, 9.0, 1.0, 1.0], index=list("abcd"))
    >>> classify_clv(cur, pot, current_threshold=5, potential_threshold=5)["clv_class"].tolist()
    ['MVC', 'MGC', 'maintenance', 'below-zero']
    """
    check_choice(below_zero, "below_zero", ["negative", "quadrant"])
    check_choice(missing, "missing", ["raise", "zero"])
    values = {"current": _finite_by_customer(current, "current"),
              "potential": _finite_by_customer(potential, "potential")}
    if len(current.index.intersection(potential.index)) == 0:
        raise DataError(
            "current and potential share no customer id (current e.g. "
            f"{list(current.index[:3])!r}, potential e.g. {list(potential.index[:3])!r}); index both "
            "Series by the same customer ids"
        )
    # customers with no potential value / with no current value
    absent = {"potential": current.index.difference(potential.index),
              "current": potential.index.difference(current.index)}
    if missing == "raise" and any(len(ids) for ids in absent.values()):
        raise DataError(
            "; ".join(f"{len(ids)} customer(s) have no {n} value (e.g. {list(ids[:3])!r})"
                      for n, ids in absent.items() if len(ids))
            + "; align the two Series, or pass missing='zero' to count the "
            "absent value as 0 (the counts are reported)"
        )
    df = pd.concat(values, axis=1)
    filled = {"current": len(absent["current"]), "potential": len(absent["potential"])}
    if filled["current"] or filled["potential"]:
        df = df.fillna(0.0)
        warn(f"classify_clv: missing='zero' counted {filled['potential']} absent potential "
            f"value(s) and {filled['current']} absent current value(s) as 0")
    ct = _threshold(df["current"], current_threshold, "current_threshold")
    pt = _threshold(df["potential"], potential_threshold, "potential_threshold")
    df["total"] = df["current"] + df["potential"]
    pos = first_bad(~np.isfinite(df["total"].to_numpy()))
    if pos is not None:
        raise DataError(
            f"customer {df.index[pos]!r}: current {df['current'].iloc[pos]!r} + potential "
            f"{df['potential'].iloc[pos]!r} overflows to {df['total'].iloc[pos]}; values must "
            "sum to a finite number"
        )
    hi_c = df["current"] >= ct
    hi_p = df["potential"] >= pt
    cls = np.select([hi_c & hi_p, ~hi_c & hi_p], ["MVC", "MGC"], "maintenance")
    if below_zero == "negative":
        cls = np.where(df["total"] < 0, "below-zero", cls)
    else:
        cls = np.where(~hi_c & ~hi_p, "below-zero", cls)
    df["clv_class"] = pd.Categorical(cls, categories=list(CLV_CLASSES))
    df.index.name = current.index.name or "customer_id"
    df.attrs["thresholds"] = {"current": ct, "potential": pt}
    df.attrs["filled"] = filled
    return df


def _finite_by_customer(s: pd.Series, name: str) -> pd.Series:
    """``s`` as float, or a DataError naming the customer and value (or the duplicated id)."""
    if not isinstance(s, pd.Series):
        raise ParameterError(f"{name} must be a pandas Series indexed by customer, got {type(s).__name__}")
    if len(s) == 0:
        raise DataError(f"{name} is empty: at least one customer is needed")
    dup = s.index.duplicated()
    if dup.any():
        pos = int(np.argmax(dup))
        raise DataError(
            f"{name}: customer {s.index[pos]!r} appears {int((s.index == s.index[pos]).sum())} "
            f"times ({int(dup.sum())} duplicated ids); each customer needs one value"
        )
    if pd.api.types.is_bool_dtype(s):
        raise DataError(f"{name} holds booleans; expected numbers")
    vals = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = ~np.isfinite(vals.to_numpy())
    if bad.any():
        pos = int(np.argmax(bad))
        shown = s.iloc[pos]
        what = "is missing (NaN)" if pd.isna(shown) else (
            "is not finite" if isinstance(shown, (int, float, np.number)) else "is not a number")
        text = f"{float(shown):g}" if isinstance(shown, (int, float, np.number)) else repr(shown)[:40]
        raise DataError(
            f"{name}: customer {s.index[pos]!r}: value {text} {what} "
            f"({int(bad.sum())} such value(s)); expected a finite number"
        )
    return vals


def clv_class_table(classified: pd.DataFrame) -> pd.DataFrame:
    """Count, share and value of each CLV class (from :func:`classify_clv`).

    Examples
    --------
    >>> cur = pd.Series([10.0, 1.0, 8.0, -5.0]); pot = pd.Series([9.0, 9.0, 1.0, 1.0])
    >>> clv_class_table(classify_clv(cur, pot, current_threshold=5, potential_threshold=5))["customers"].tolist()
    [1, 1, 1, 1]
    """
    require_columns(classified, ["current", "potential", "total", "clv_class"], what="classified")
    g = classified.groupby("clv_class", observed=False)
    out = pd.DataFrame({
        "customers": g.size(),
        "current_value": g["current"].sum(),
        "potential_value": g["potential"].sum(),
        "total_value": g["total"].sum(),
    })
    out.insert(1, "share_customers", out["customers"] / out["customers"].sum())
    tot = out["total_value"].sum()
    out["share_total_value"] = out["total_value"] / tot if tot else np.nan
    out["chinese"] = [CLV_CLASSES[str(k)] for k in out.index]
    return out


def plot_clv_classes(
    classified: pd.DataFrame,
    ax: Any = None,
    *,
    log: bool = False,
    currency: str = "US$",
    title: str = "CLV classes: current x potential value",
    colors: Mapping[str, str] | None = None,
) -> Any:
    """Scatter of current vs potential value coloured by class, with the quadrant lines.

    ``log=True`` uses a symmetric-log scale (values may be negative). Returns the Axes.
    """
    import matplotlib.pyplot as plt

    require_columns(classified, ["current", "potential", "clv_class"], what="classified")
    pal = dict(colors or {"MVC": "tab:green", "MGC": "tab:blue", "maintenance": "tab:gray",
                          "below-zero": "tab:red"})
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    for k in CLV_CLASSES:
        sub = classified[classified["clv_class"] == k]
        ax.scatter(sub["current"], sub["potential"], s=10, alpha=0.6, color=pal.get(k),
                   label=f"{k} ({len(sub)})")
    thr = classified.attrs.get("thresholds", {})
    if "current" in thr:
        ax.axvline(thr["current"], color="k", lw=1, ls="--")
    if "potential" in thr:
        ax.axhline(thr["potential"], color="k", lw=1, ls="--")
    if log:
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("symlog", linthresh=1)
    ax.set_xlabel(f"current (historical) value ({currency})")
    ax.set_ylabel(f"potential (future) value ({currency})")
    ax.set_title(title)
    ax.legend(title="class (customers)")
    return ax

