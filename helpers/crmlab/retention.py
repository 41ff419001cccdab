"""Retention metrics (客户保持): period rates, cohorts and the seeds' claims.

Lifetimes and Kaplan–Meier are in :mod:`crmlab.survival`; the churn
classifier (logit, ROC, AUC, calibration) is in :mod:`crmlab.churn`.

Definitions used throughout (stated once, used by every function):

* A **purchase** is a purchase occasion from :func:`crmlab.summary.to_occasions`
  (same customer, same day = one purchase).
* A customer is **active in a period** (``period="M"``: calendar month, ``"W"``,
  ``"Q"``, ``"Y"``) if they made at least one purchase in it.
* **Period retention rate** r_t = customers active in both t-1 and t / customers
  active in t-1; **churn rate** = 1 - r_t. This is the contractual reading
  applied to activity; customers who skip a period and come back are counted
  as **won back** (reactivated), so
  ``active_t = new_t + r_t * active_{t-1} + won_back_t`` holds exactly.
* **Non-contractual churn** (CDNOW): nobody cancels, so a customer counts as
  churned at ``as_of`` when their last purchase is more than
  ``threshold_days`` before it (``as_of - last > threshold_days``).
* **Retention CLV**, expected lifetime and the revenue identity live in
  :mod:`crmlab.finance` (:func:`churn_cut_profit_uplift` states its timing).

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
...     "date": pd.to_datetime(["2024-01-05", "2024-02-03", "2024-01-10",
...                             "2024-02-01", "2024-03-09"]),
...     "amount": [10.0, 20.0, 5.0, 8.0, 9.0]})
>>> cohort_matrix(log, value="count").to_numpy().tolist()
[[2.0, 1.0, 0.0], [1.0, 1.0, nan]]
>>> round(repeat_purchase_rate(log), 4)
0.6667
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import CrmlabWarning, DataError, ParameterError, warn
from crmlab.finance import retention_clv
from crmlab.segmentation import top_share
from crmlab.summary import _purchases_until, customer_summary, to_occasions
from crmlab.validation import (
    MAX_DAYS,
    as_float_array,
    check_choice,
    check_date,
    check_number,
    check_rate,
    validate_transactions,
)

__all__ = [
    "PERIODS",
    "active_matrix",
    "retention_by_period",
    "retention_rate",
    "churn_status",
    "churn_rate",
    "threshold_effect",
    "repeat_purchase_rate",
    "win_back_rate",
    "purchases_in_first",
    "cohort_matrix",
    "cohort_frame",
    "plot_cohort_heatmap",
    "repeat_revenue_share",
    "revenue_concentration",
    "churn_cut_profit_uplift",
    "retention_indicators",
]

#: Period aliases accepted by the period-based functions.
PERIODS: tuple[str, ...] = ("W", "M", "Q", "Y")


# --------------------------------------------------------------------------- helpers
def _quiet_summary(transactions: Any, as_of: Any = None, **options: Any) -> pd.DataFrame:
    """The full customer summary on ``as_of`` without its notes (also used by :mod:`crmlab.lifecycle`).

    The notes say what a summary on a date leaves out (rows after it, customers
    not yet acquired, customers without a purchase day). Here that is the
    definition (a metric at ``as_of`` counts the purchases up to it), and the
    callers ask for summaries at many dates, so the notes would only repeat.
    The counts stay in ``attrs["summary"]``; errors are raised as usual.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="customer_summary: ", category=CrmlabWarning)
        return customer_summary(transactions, as_of, **options)


def _threshold(value: Any) -> float:
    """``threshold_days`` of :func:`churn_status` and :func:`crmlab.survival.survival_table`."""
    return check_number(value, "threshold_days (the days of inactivity that count as churn)",
                        low=0, low_inclusive=False, high=MAX_DAYS)


def _buyers_after(transactions: Any, ref: pd.Timestamp, days: float | None, name: str) -> set[Any]:
    """Customers with a purchase in ``(ref, ref + days]`` (``days=None``: to the end of the log).

    A window that ends after the log is announced: purchases there are not
    seen, so customers are counted as not buying in a part that was not observed.
    """
    occ = to_occasions(transactions)
    log_end = occ["date"].max()
    if days is not None:
        days = check_number(days, name, low=0, low_inclusive=False, high=MAX_DAYS)
    end = log_end if days is None else ref + pd.Timedelta(days=days)
    if end <= ref:
        raise ParameterError(f"as_of={ref.date()} leaves no later purchases to check against: the log "
                             f"ends {log_end.date()}")
    if end > log_end:
        warn(f"{name} reaches {end.date()}, after the log ends ({log_end.date()}): purchases after "
             "it are not seen, so more customers count as not buying again")
    return set(occ.loc[occ["is_purchase"] & (occ["date"] > ref) & (occ["date"] <= end), "customer_id"])


def _period_ordinal(dates: pd.Series, period: str) -> np.ndarray:
    return np.asarray(dates.dt.to_period(period).array.asi8, dtype="int64")


def _ordinal_to_period(ordinal: np.ndarray | Sequence[int], period: str) -> pd.PeriodIndex:
    return pd.PeriodIndex.from_ordinals(np.asarray(ordinal, dtype="int64"), freq=period)


# --------------------------------------------------------------------------- period metrics
def active_matrix(transactions: Any, period: str = "M") -> pd.DataFrame:
    """Customer × period table of True/False: did the customer buy in the period?

    Every period from the first to the last in the log is a column (periods
    nobody bought in are kept, all False).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1], "amount": [1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-05", "2024-03-01"])})
    >>> active_matrix(log).to_numpy().tolist()
    [[True, False, True]]
    """
    check_choice(period, "period", PERIODS)
    occ = _purchases_until(transactions)[0]
    ordv = _period_ordinal(occ["date"], period)
    lo, hi = int(ordv.min()), int(ordv.max())
    codes, uniq = pd.factorize(occ["customer_id"], sort=True)
    mat = np.zeros((len(uniq), hi - lo + 1), dtype=bool)
    mat[codes, ordv - lo] = True
    return pd.DataFrame(
        mat,
        index=pd.Index(uniq, name="customer_id"),
        columns=_ordinal_to_period(np.arange(lo, hi + 1), period).rename("period"),
    )


def retention_by_period(transactions: Any, period: str = "M") -> pd.DataFrame:
    """Active, new, retained and won-back customers and revenue per period.

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema.
    period : {"W", "M", "Q", "Y"}
        Length of a period.

    Returns
    -------
    DataFrame
        Indexed by period: ``active`` (customers who bought), ``new`` (first
        purchase in this period), ``retained`` (also active in the previous
        period), ``won_back`` (active now, not in the previous period, bought
        before), ``retention_rate`` = retained / active in the previous period
        (NaN for the first period or when nobody was active before),
        ``churn_rate`` = 1 - retention_rate, ``revenue`` and
        ``revenue_per_active``. The identity
        ``active = new + retention_rate * active.shift() + won_back``
        holds in every row with a rate. When the log ends inside its last
        period, a :class:`~crmlab.errors.CrmlabWarning` says how many of that
        period's days are observed (its counts and rate cover only those).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 2, 1, 3, 2],
    ...     "date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-02-01",
    ...                             "2024-02-05", "2024-03-07"]),
    ...     "amount": [1.0, 1.0, 1.0, 1.0, 1.0]})
    >>> t = retention_by_period(log)
    >>> t[["active", "new", "retained", "won_back"]].to_numpy().tolist()
    [[2, 2, 0, 0], [2, 1, 1, 0], [1, 0, 0, 1]]
    >>> t["retention_rate"].tolist()
    [nan, 0.5, 0.0]
    """
    t = _by_period(transactions, period)
    note = _partial_last_period(transactions, t.index[-1], period)
    if note:
        warn(f"retention_by_period: {note}")
    return t


def _partial_last_period(transactions: Any, last: pd.Period, period: str) -> str | None:
    """Say so when the log ends inside its last period (that period is not fully observed)."""
    return _partial_period(to_occasions(transactions)["date"].max(), last, "the log ends")


def _partial_period(end: pd.Timestamp, last: pd.Period, what: str) -> str | None:
    """The note for a period ``last`` observed only up to the day ``end`` (None if it is whole)."""
    if end.to_period(last.freqstr) != last or end >= last.end_time.normalize():
        return None
    seen = (end - last.start_time).days + 1
    full = (last.end_time.normalize() - last.start_time).days + 1
    return (f"{what} {end.date()}, inside period {last} ({seen} of {full} days observed): "
            "that period's counts, rates and revenue cover only those days, so they can be lower "
            "than a full period's would be")


def _by_period(transactions: Any, period: str) -> pd.DataFrame:
    """:func:`retention_by_period` without its note on a partial last period."""
    act = active_matrix(transactions, period)  # checks period
    occ = _purchases_until(transactions)[0]
    m = act.to_numpy()
    first_col = m.argmax(axis=1)
    n_per = m.shape[1]
    active = m.sum(axis=0)
    new = np.bincount(first_col, minlength=n_per)
    retained = np.zeros(n_per, dtype=int)
    retained[1:] = (m[:, 1:] & m[:, :-1]).sum(axis=0)
    won_back = active - new - retained
    prev = np.concatenate([[0], active[:-1]]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(prev > 0, retained / np.where(prev > 0, prev, 1.0), np.nan)
    revenue = occ.groupby(occ["date"].dt.to_period(period))["amount"].sum()
    revenue = revenue.reindex(act.columns, fill_value=0.0).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        per_active = np.where(active > 0, revenue / np.maximum(active, 1), np.nan)
    return pd.DataFrame(
        {
            "active": active.astype(int),
            "new": new.astype(int),
            "retained": retained,
            "won_back": won_back.astype(int),
            "retention_rate": rate,
            "churn_rate": 1.0 - rate,
            "revenue": revenue,
            "revenue_per_active": per_active,
        },
        index=act.columns,
    )


def retention_rate(transactions: Any, at: Any, *, period: str = "M") -> float:
    """Share of the customers active in the period before ``at`` who are active in ``at``'s period.

    Raises
    ------
    DataError
        If nobody bought in the previous period (the rate is undefined there).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 2, 1], "amount": [1.0, 1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-02-01"])})
    >>> retention_rate(log, "2024-02-15")
    0.5
    """
    ts = check_date(at, "at")
    t = _by_period(transactions, period)  # the one definition of the rate
    p = ts.to_period(period)
    days = to_occasions(transactions)["date"]
    span = f"the log covers {days.min().date()} to {days.max().date()}"
    if p > days.max().to_period(period):
        raise DataError(f"period {p} is after the log, so its retention rate is not observed; {span}")
    if p - 1 not in t.index or t.loc[p - 1, "active"] == 0:
        raise DataError(
            f"period {p - 1} has no active customers, so the retention rate into {p} is undefined; {span}"
        )
    note = _partial_last_period(transactions, p, period) if p == t.index[-1] else None
    if note:
        warn(f"retention_rate: {note}")
    return float(t.loc[p, "retention_rate"]) if p in t.index else 0.0


def churn_status(transactions: Any, threshold_days: float, as_of: Any = None) -> pd.DataFrame:
    """Non-contractual churn flag per customer: no purchase in the last ``threshold_days``.

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema; purchases after ``as_of`` are ignored.
    threshold_days : float
        Inactivity gap (days, > 0) after which a customer counts as churned.
    as_of : date-like, optional
        Reference date, inclusive (default: the last day in the log, as in
        :func:`crmlab.summary.customer_summary`).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (customers with a purchase up to ``as_of``):
        the customer summary's ``first_purchase``, ``last_purchase``,
        ``purchases``, ``recency_days`` (``as_of`` - last purchase, days) and
        ``churned`` (``recency_days > threshold_days``).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 2], "amount": [1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    >>> churn_status(log, 30, "2024-03-10")["churned"].tolist()
    [True, False]
    """
    thr = _threshold(threshold_days)
    summary = _quiet_summary(transactions, as_of)
    out = summary[["first_purchase", "last_purchase", "purchases", "recency_days"]].copy()
    out["churned"] = out["recency_days"] > thr
    return out


def churn_rate(transactions: Any, threshold_days: float, as_of: Any = None) -> float:
    """Share of customers (acquired by ``as_of``) who are churned at ``as_of``.

    >>> log = pd.DataFrame({"customer_id": [1, 2], "amount": [1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    >>> churn_rate(log, 30, "2024-03-10")
    0.5
    """
    return float(churn_status(transactions, threshold_days, as_of)["churned"].mean())


def threshold_effect(
    transactions: Any, thresholds: Sequence[float], as_of: Any, *, horizon_days: float | None = None
) -> pd.DataFrame:
    """How the inactivity threshold changes the churn rate and how often it is wrong.

    For each threshold: the churn rate at ``as_of`` and, using the purchases
    in ``(as_of, as_of + horizon_days]`` (default: to the end of the log; a
    warning says when the window passes it), the
    share of "churned" customers who nevertheless bought again
    (``false_churn``) and the share of "active" customers who did not buy
    again (``missed_churn``).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 2, 2], "amount": [1.0, 1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-06-01"])})
    >>> threshold_effect(log, [30], "2024-03-01")["false_churn"].tolist()
    [0.5]
    """
    tx = validate_transactions(transactions)
    ref = check_date(as_of, "as_of")
    later = _buyers_after(tx, ref, horizon_days, "horizon_days")
    rows = []
    for thr in [thresholds] if np.ndim(thresholds) == 0 else thresholds:
        st = churn_status(tx, thr, ref)
        came_back = st.index.isin(list(later))
        ch = st["churned"].to_numpy()
        rows.append(
            {
                "threshold_days": float(thr),
                "churn_rate": float(ch.mean()),
                "false_churn": float(came_back[ch].mean()) if ch.any() else np.nan,
                "missed_churn": float((~came_back[~ch]).mean()) if (~ch).any() else np.nan,
                "n_customers": len(st),
            }
        )
    return pd.DataFrame(rows)


def repeat_purchase_rate(transactions: Any, start: Any = None, end: Any = None) -> float:
    """Share of the customers who bought in ``[start, end]`` who bought on 2+ occasions in it.

    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [1.0, 1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02"])})
    >>> repeat_purchase_rate(log)   # customer 1's two rows are one occasion
    0.0
    """
    occ = _purchases_until(transactions)[0]
    if start is not None:
        occ = occ[occ["date"] >= check_date(start, "start")]
    if end is not None:
        occ = occ[occ["date"] <= check_date(end, "end")]
    if occ.empty:
        raise DataError(f"no purchases between start={start} and end={end}")
    n = occ.groupby("customer_id").size()
    return float((n >= 2).mean())


def win_back_rate(
    transactions: Any, threshold_days: float, as_of: Any, window_days: float
) -> float:
    """Share of the customers lapsed at ``as_of`` who buy again within ``window_days``.

    Lapsed = churned by :func:`churn_status` (no purchase in the last
    ``threshold_days``). The window ``(as_of, as_of + window_days]`` should lie
    inside the log; a warning says when it does not.

    Raises
    ------
    DataError
        If no customer is lapsed at ``as_of``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 2, 2], "amount": [1.0, 1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-04-01"])})
    >>> win_back_rate(log, 30, "2024-03-01", 60)
    0.5
    """
    st = churn_status(transactions, threshold_days, as_of)
    ref = st.attrs["summary"]["as_of"]
    lapsed = st.index[st["churned"]]
    if len(lapsed) == 0:
        raise DataError(
            f"no customer is lapsed (inactive > {threshold_days} days) at {ref.date()}: "
            "the win-back rate is undefined"
        )
    back = _buyers_after(transactions, ref, window_days, "window_days")
    return float(np.mean([c in back for c in lapsed]))


def purchases_in_first(transactions: Any, days: float) -> pd.Series:
    """Purchase occasions of each customer within ``days`` of their first purchase (first included).

    Customers acquired less than ``days`` before the end of the log are
    counted on a shorter window; a :class:`~crmlab.errors.CrmlabWarning` says how many.

    >>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2], "amount": [1.0] * 4,
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-01", "2024-01-05"])})
    >>> purchases_in_first(log, 30).tolist()
    [2, 1]
    """
    w = check_number(days, "days", low=0, low_inclusive=False, high=MAX_DAYS)
    occ, log_end = _purchases_until(transactions)
    first = occ.groupby("customer_id")["date"].transform("min")
    inside = occ["date"] <= first + pd.Timedelta(days=w)
    short = occ.groupby("customer_id")["date"].min() + pd.Timedelta(days=w) > log_end
    if short.any():
        warn(f"{int(short.sum())} customers were acquired less than {w:g} days before the log "
            "ends; their window is cut short")
    return occ[inside].groupby("customer_id").size().rename("purchases")


# --------------------------------------------------------------------------- cohorts
def cohort_matrix(
    transactions: Any,
    period: str = "M",
    value: str = "rate",
    *,
    as_of: Any = None,
    max_periods: int | None = None,
) -> pd.DataFrame:
    """Acquisition cohort × periods since first purchase.

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema.
    period : {"W", "M", "Q", "Y"}
        Cohorts are the period of each customer's first purchase; column k
        is the k-th period after it (column 0 = the acquisition period).
    value : {"rate", "count", "revenue", "revenue_per_customer"}
        ``count``: customers of the cohort who bought in that period;
        ``rate``: count / cohort size (column 0 is 1.0 by construction);
        ``revenue``: money spent by the cohort in that period;
        ``revenue_per_customer``: revenue / cohort size.
    as_of : date-like, optional
        End of observation (default: the last day in the log, as in
        :func:`crmlab.summary.customer_summary`). Purchases after it are
        ignored; cells whose period starts after it are NaN (not observed),
        not 0. When it falls inside a period, the last observed column of each
        cohort is a partial period and a :class:`~crmlab.errors.CrmlabWarning`
        says how many of its days are observed.
    max_periods : int, optional
        Keep columns 0..max_periods-1.

    Returns
    -------
    DataFrame
        Index ``cohort`` (Period), columns ``0, 1, ...`` (name
        ``periods_since_first``); ``attrs["cohort_size"]`` holds the sizes.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 5.0, 7.0],
    ...     "date": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-02-01"])})
    >>> cohort_matrix(log).to_numpy().tolist()
    [[1.0, 0.0, 1.0], [1.0, 0.0, nan]]
    >>> cohort_matrix(log, value="revenue").iloc[0].tolist()
    [10.0, 0.0, 5.0]
    """
    _cohort_options(period, value, max_periods)
    occ, ref = _purchases_until(transactions, as_of)
    ordv = _period_ordinal(occ["date"], period)
    occ = occ.assign(_p=ordv)
    first = occ.groupby("customer_id")["_p"].transform("min").to_numpy()
    occ["_c"] = first
    occ["_k"] = ordv - first
    size = occ.groupby("_c")["customer_id"].nunique()
    if value in ("rate", "count"):
        cell = occ.groupby(["_c", "_k"])["customer_id"].nunique()
    else:
        cell = occ.groupby(["_c", "_k"])["amount"].sum()
    last = pd.Timestamp(ref).to_period(period)
    note = _partial_period(pd.Timestamp(ref).normalize(), last, "observation ends")
    if note:
        warn(f"cohort_matrix: {note} (the last observed column of each cohort)")
    return cohort_frame(cell, size, int(last.ordinal), period, value, max_periods)


def _cohort_options(period: str, value: str, max_periods: int | None) -> None:
    """The options of a cohort matrix, checked (pandas and the SQL engines)."""
    check_choice(period, "period", PERIODS)
    check_choice(value, "value", ["rate", "count", "revenue", "revenue_per_customer"])
    if max_periods is not None:
        check_number(max_periods, "max_periods", low=1, integer=True)


def cohort_frame(cells: pd.Series, sizes: pd.Series, last_period: int, period: str, value: str,
                 max_periods: int | None = None) -> pd.DataFrame:
    """The layout of :func:`cohort_matrix`, from its cells (also used by the SQL engines).

    ``cells`` holds the customers (``value`` "rate"/"count") or the revenue of
    each (cohort, k) pair, indexed by Period ordinals of ``period`` and k;
    ``sizes`` the cohort sizes by cohort ordinal; ``last_period`` is the ordinal
    of ``as_of``'s period: later cells are NaN (not observed), missing earlier
    ones 0.

    >>> cells = pd.Series([2.0, 1.0, 1.0], index=pd.MultiIndex.from_tuples([(648, 0), (648, 1), (649, 0)]))
    >>> cohort_frame(cells, pd.Series([2, 1], index=[648, 649]), 649, "M", "rate").to_numpy().tolist()
    [[1.0, 0.5], [1.0, nan]]
    """
    n_k = int(last_period - sizes.index.min()) + 1
    mat = cells.unstack().reindex(index=sizes.index, columns=range(n_k)).fillna(0.0).astype(float)
    cohorts = sizes.index.to_numpy()
    values = mat.to_numpy()
    if value in ("rate", "revenue_per_customer"):
        values = values / sizes.to_numpy()[:, None]
    observed = (cohorts[:, None] + np.arange(n_k)[None, :]) <= last_period
    out = pd.DataFrame(
        np.where(observed, values, np.nan),
        index=_ordinal_to_period(cohorts, period).rename("cohort"),
        columns=pd.RangeIndex(n_k, name="periods_since_first"),
    )
    if max_periods is not None:
        out = out.iloc[:, : int(max_periods)]
    out.attrs["cohort_size"] = dict(zip(out.index.astype(str), sizes.astype("int64").tolist(), strict=True))
    out.attrs["value"] = value
    return out


def plot_cohort_heatmap(
    matrix: pd.DataFrame,
    *,
    ax: Any = None,
    title: str | None = None,
    fmt: str = ".0f",
    annot: bool | None = None,
    cmap: str = "viridis",
    **heatmap_kws: Any,
) -> Any:
    """Seaborn heatmap of a :func:`cohort_matrix`; returns the Axes.

    Rates are shown as percentages; unobserved cells stay blank. Extra
    keywords go to :func:`seaborn.heatmap` (e.g. ``vmax=20`` to spread the
    colours over the later columns when column 0 is 100%).
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=(10, max(3.0, 0.35 * len(matrix) + 1.5)))
    kind = matrix.attrs.get("value", "rate")
    data = matrix * 100 if kind == "rate" else matrix
    if annot is None:
        annot = matrix.shape[0] * matrix.shape[1] <= 400
    label = {
        "rate": "active customers, % of cohort",
        "count": "active customers",
        "revenue": "revenue",
        "revenue_per_customer": "revenue per cohort customer",
    }.get(kind, kind)
    sns.heatmap(
        data, ax=ax, annot=annot, fmt=fmt, cmap=cmap, cbar_kws={"label": label},
        annot_kws={"fontsize": 7}, **heatmap_kws,
    )
    ax.grid(False)
    freq = getattr(matrix.index, "freqstr", None)
    ax.set_xlabel(f"periods since first purchase ({freq})" if freq else "periods since first purchase")
    ax.set_ylabel("acquisition cohort")
    ax.set_title(title or f"Cohort matrix: {label}")
    return ax


# --------------------------------------------------------------------------- seed claims
def repeat_revenue_share(transactions: Any) -> float:
    """Share of the purchase revenue that comes from repeat purchases.

    A purchase is a customer-day with a net amount > 0
    (:func:`crmlab.summary.to_occasions` with ``purchases_only=True``); a repeat
    purchase is a purchase day after the customer's first purchase day, so a
    zero-amount or return-only day neither is a first purchase nor makes the
    next purchase a repeat. The share is taken of the money of the purchase
    days (the customer summary's ``purchase_spend``: first plus repeat
    purchases); returns netted on days without a purchase are in neither part.

    Tests the seed's "returning customers bring 25%–85% of profit" (000 §9.4) on
    revenue; with equal margins on first and repeat purchases it is the
    profit share too.

    Raises
    ------
    DataError
        Invalid log, or no purchase in it (the customer summary's errors).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3], "amount": [10.0, 30.0, 20.0, 0.0, 40.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05", "2024-01-02", "2024-01-09"])})
    >>> repeat_revenue_share(log)   # customer 3's first purchase is on 2024-01-09
    0.3
    """
    summary = _quiet_summary(transactions)
    repeat = summary["purchase_spend"] - summary["first_amount"]
    return float(repeat.sum() / summary["purchase_spend"].sum())


def revenue_concentration(
    transactions: Any, top_shares: Sequence[float] = (0.05, 0.10, 0.20)
) -> pd.DataFrame:
    """Share of revenue from the top customers and their best-to-rest spend ratio.

    The customers are those with a purchase (a day with a net amount > 0), each
    with the customer summary's ``total_spend`` (net money of all their rows);
    a customer with only zero-amount or return days is not a customer here.
    For each share q, the top ``round(q × n)`` customers by total
    spend: ``revenue_share`` (their share of revenue) and
    ``best_to_rest`` (their mean spend / the mean spend of the others) — the
    seed's "best customers spend 16:1 (retail) … 5:1 (hotels)" (003 No. 16).
    ``revenue_share`` is :func:`crmlab.segmentation.top_share` at the share
    ``n_top / n``, so a customer whose net spend is negative is refused there.

    >>> log = pd.DataFrame({"customer_id": [1, 2, 3, 4, 5], "amount": [70.0, 10.0, 10.0, 10.0, 0.0],
    ...     "date": pd.to_datetime(["2024-01-01"] * 5)})
    >>> revenue_concentration(log, [0.25]).to_numpy().tolist()   # customer 5 bought nothing
    [[0.25, 1.0, 0.7, 7.0]]
    """
    tot = _quiet_summary(transactions)["total_spend"].sort_values(ascending=False).to_numpy()
    n = len(tot)
    rows = []
    for q in [top_shares] if np.ndim(top_shares) == 0 else top_shares:
        q = check_number(q, "top_shares[i]", low=0, high=1, low_inclusive=False, high_inclusive=False)
        k = int(round(q * n))
        if k < 1 or k >= n:
            raise DataError(f"top share {q} of {n} customers leaves an empty group; use more customers")
        rest = tot[k:].mean()
        rows.append({
            "top_share": q,
            "n_top": k,
            "revenue_share": top_share(tot, k / n),
            "best_to_rest": float(tot[:k].mean() / rest) if rest > 0 else np.inf,
        })
    return pd.DataFrame(rows)


def churn_cut_profit_uplift(
    margin: float | np.ndarray,
    retention: float | np.ndarray,
    discount: float | np.ndarray,
    *,
    cut: float = 0.05,
    mode: str = "points",
    acquisition_cost: float | np.ndarray = 0.0,
    horizon: int | None = None,
    margin_growth: float = 0.0,
    first_margin_at: int = 0,
) -> Any:
    """Relative profit gain per customer from cutting churn, (π' - π) / π.

    π = retention CLV (:func:`crmlab.finance.retention_clv`, by default with this
    period's margin counted, ``first_margin_at=0``) - acquisition cost.
    ``mode="points"`` raises retention by ``cut`` (Reichheld & Sasser's "5
    percentage points"); ``"relative"`` multiplies churn by ``1 - cut`` ("5% less
    churn" read literally). With no acquisition cost and constant margins the
    margin cancels out; it matters through ``acquisition_cost`` and
    ``margin_growth``. NaN where π <= 0.

    >>> round(churn_cut_profit_uplift(100, 0.8, 0.1), 4)   # CLV 366.67 -> 440
    0.2
    """
    check_choice(mode, "mode", ["points", "relative"])
    c = check_number(cut, "cut", low=0, high=1)
    r = np.asarray(check_rate(retention, "retention", allow_one=True))
    r_new = np.minimum(r + c, 1.0) if mode == "points" else 1 - (1 - r) * (1 - c)
    kw = dict(horizon=horizon, first_margin_at=first_margin_at, margin_growth=margin_growth)
    cost = as_float_array(acquisition_cost, "acquisition_cost")
    base = retention_clv(margin, r, discount, **kw) - cost
    new = retention_clv(margin, r_new, discount, **kw) - cost
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(base > 0, (new - base) / np.where(base > 0, base, 1.0), np.nan)
    return float(out) if np.ndim(out) == 0 else out


def retention_indicators(transactions: Any, period: str = "Q") -> pd.DataFrame:
    """Quantitative retention indicators per period, ready for a weighted composite score.

    Seed 000 §9.4 ends with "firms choose quantitative indicators, weight them
    and sum to a composite score; the list starts with the repeat purchase
    rate". The weighting itself is :func:`crmlab.ahp.composite_score` with
    AHP weights (chapter 4). Columns (first period dropped: no retention rate):

    ``retention_rate``
        active in the previous and this period / active in the previous one;
    ``repeat_rate``
        share of this period's active customers with 2+ purchase occasions in it;
    ``won_back_share``
        won-back customers / active customers;
    ``revenue_per_active``
        revenue / active customers.

    >>> log = pd.DataFrame({"customer_id": [1, 1, 2, 1, 2],
    ...     "date": pd.to_datetime(["2024-01-02", "2024-01-09", "2024-01-03",
    ...                             "2024-04-01", "2024-10-01"]),
    ...     "amount": [10.0, 10.0, 10.0, 20.0, 30.0]})
    >>> retention_indicators(log).round(2).to_numpy().tolist()
    [[0.5, 0.0, 0.0, 20.0], [0.0, nan, nan, nan], [nan, 0.0, 1.0, 30.0]]
    """
    t = retention_by_period(transactions, period)
    occ = _purchases_until(transactions)[0]
    per_cust = occ.groupby([occ["date"].dt.to_period(period), "customer_id"]).size()
    repeat = (per_cust >= 2).groupby(level=0).mean().reindex(t.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        won = t["won_back"] / t["active"].where(t["active"] > 0)
    out = pd.DataFrame(
        {
            "retention_rate": t["retention_rate"],
            "repeat_rate": repeat,
            "won_back_share": won,
            "revenue_per_active": t["revenue_per_active"],
        }
    )
    return out.iloc[1:]
