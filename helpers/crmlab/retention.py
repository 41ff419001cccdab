"""Retention metrics (客户保持): rates, cohorts, survival, churn models and the seeds' claims.

Definitions used throughout (stated once, used by every function):

* A **purchase** is a purchase occasion from :func:`crmlab.datasets.to_occasions`
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
* **Lifetime** (survival analysis): from the first purchase to the purchase
  that starts the first gap longer than ``threshold_days``. It is observed
  only when that gap is complete before ``as_of``; otherwise it is
  right-censored at ``as_of - threshold_days - first`` (see
  :func:`survival_table` for why this censoring time, not the last purchase).
* **Retention CLV**, expected lifetime and the revenue identity live in
  :mod:`crmlab.finance`; :func:`churn_cut_profit_uplift` values a customer with
  :func:`crmlab.finance.retention_clv` and, by default, counts the margin of
  period 0 (``first_margin_at=0``: ``m (1+d) / (1+d-r)``).

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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmlab.datasets import to_occasions
from crmlab.errors import ConvergenceError, CrmlabWarning, DataError, ParameterError
from crmlab.finance import retention_clv
from crmlab.validation import (
    as_float_array,
    check_choice,
    check_date,
    check_number,
    check_probability,
    check_rate,
    validate_transactions,
)

__all__ = [
    "PERIODS",
    "DAYS_PER_UNIT",
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
    "plot_cohort_heatmap",
    "survival_table",
    "KaplanMeier",
    "kaplan_meier",
    "restricted_mean_lifetime",
    "LogRankResult",
    "logrank_test",
    "plot_survival",
    "churn_features",
    "fit_churn_logit",
    "odds_ratio_table",
    "roc_curve",
    "auc",
    "calibration_table",
    "plot_roc",
    "plot_calibration",
    "repeat_revenue_share",
    "revenue_concentration",
    "churn_cut_profit_uplift",
    "uplift_grid",
    "retention_spend_breakeven",
    "funnel_economics",
    "retention_levels",
    "retention_indicators",
]

#: Period aliases accepted by the period-based functions.
PERIODS: tuple[str, ...] = ("W", "M", "Q", "Y")
#: Days per unit for durations (``"D"`` days, ``"W"`` weeks, ``"M"`` average months).
DAYS_PER_UNIT: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}


# --------------------------------------------------------------------------- helpers
def _occasions(transactions: Any, as_of: Any = None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Purchase occasions up to ``as_of`` (inclusive) and the effective as_of."""
    occ = to_occasions(transactions, purchases_only=True)
    if as_of is None:
        ref = occ["date"].max()
    else:
        ref = check_date(as_of, "as_of")
        occ = occ[occ["date"] <= ref]
        if occ.empty:
            raise DataError(
                f"no purchases on or before as_of={ref.date()}; the log starts "
                f"{to_occasions(transactions, purchases_only=True)['date'].min().date()}"
            )
    return occ.reset_index(drop=True), ref




def _threshold(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(
            f"threshold_days must be a positive number of days, got {value!r} ({type(value).__name__})"
        )
    if not np.isfinite(value) or value <= 0:
        raise ParameterError(
            f"threshold_days must be a positive number of days (the inactivity gap that "
            f"counts as churn), got {value!r}"
        )
    return float(value)


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
    occ = to_occasions(transactions, purchases_only=True)
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
        holds in every row with a rate.

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
    check_choice(period, "period", PERIODS)
    act = active_matrix(transactions, period)
    occ = to_occasions(transactions, purchases_only=True)
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
    check_choice(period, "period", PERIODS)
    ts = check_date(at, "at")
    occ = to_occasions(transactions, purchases_only=True)
    p = ts.to_period(period)
    ordv = _period_ordinal(occ["date"], period)
    base = set(occ.loc[ordv == p.ordinal - 1, "customer_id"])
    if not base:
        raise DataError(
            f"period {p - 1} has no active customers, so the retention rate into {p} is "
            f"undefined; the log covers {occ['date'].min().date()} to {occ['date'].max().date()}"
        )
    now = set(occ.loc[ordv == p.ordinal, "customer_id"])
    return len(base & now) / len(base)


def churn_status(transactions: Any, threshold_days: float, as_of: Any = None) -> pd.DataFrame:
    """Non-contractual churn flag per customer: no purchase in the last ``threshold_days``.

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema; purchases after ``as_of`` are ignored.
    threshold_days : float
        Inactivity gap (days, > 0) after which a customer counts as churned.
    as_of : date-like, optional
        Reference date (default: the last purchase date in the log).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``first``, ``last``, ``n_purchases``,
        ``days_since_last`` and ``churned`` (``days_since_last > threshold_days``).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 2], "amount": [1.0, 1.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-03-01"])})
    >>> churn_status(log, 30, "2024-03-10")["churned"].tolist()
    [True, False]
    """
    thr = _threshold(threshold_days)
    occ, ref = _occasions(transactions, as_of)
    g = occ.groupby("customer_id")["date"]
    out = pd.DataFrame({"first": g.min(), "last": g.max(), "n_purchases": g.size()})
    out["days_since_last"] = (ref - out["last"]).dt.days.astype(float)
    out["churned"] = out["days_since_last"] > thr
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
    in ``(as_of, as_of + horizon_days]`` (default: to the end of the log), the
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
    occ = to_occasions(tx, purchases_only=True)
    end = occ["date"].max()
    if horizon_days is not None:
        check_number(horizon_days, "horizon_days", low=0, low_inclusive=False)
        end = ref + pd.Timedelta(days=float(horizon_days))
    if end <= ref:
        raise ParameterError(
            f"as_of={ref.date()} leaves no later purchases to check against: the log ends "
            f"{occ['date'].max().date()}"
        )
    later = set(occ.loc[(occ["date"] > ref) & (occ["date"] <= end), "customer_id"])
    rows = []
    for thr in thresholds:
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
    occ = to_occasions(transactions, purchases_only=True)
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
    inside the log.

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
    check_number(window_days, "window_days", low=0, low_inclusive=False)
    st = churn_status(transactions, threshold_days, as_of)
    ref = check_date(as_of, "as_of")
    lapsed = st.index[st["churned"]]
    if len(lapsed) == 0:
        raise DataError(
            f"no customer is lapsed (inactive > {threshold_days} days) at {ref.date()}: "
            "the win-back rate is undefined"
        )
    occ = to_occasions(transactions, purchases_only=True)
    end = ref + pd.Timedelta(days=float(window_days))
    back = set(occ.loc[(occ["date"] > ref) & (occ["date"] <= end), "customer_id"])
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
    w = check_number(days, "days", low=0, low_inclusive=False)
    occ = to_occasions(transactions, purchases_only=True)
    first = occ.groupby("customer_id")["date"].transform("min")
    inside = occ["date"] <= first + pd.Timedelta(days=w)
    short = occ.groupby("customer_id")["date"].min() + pd.Timedelta(days=w) > occ["date"].max()
    if short.any():
        warnings.warn(
            f"{int(short.sum())} customers were acquired less than {w:g} days before the log "
            "ends; their window is cut short",
            CrmlabWarning,
            stacklevel=2,
        )
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
        End of observation (default: last purchase). Purchases after it are
        ignored; cells whose period starts after it are NaN (not observed),
        not 0. The last observed column of each cohort may be a partial period.
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
    check_choice(period, "period", PERIODS)
    check_choice(value, "value", ["rate", "count", "revenue", "revenue_per_customer"])
    if max_periods is not None:
        check_number(max_periods, "max_periods", low=1, integer=True)
    occ, ref = _occasions(transactions, as_of)
    ordv = _period_ordinal(occ["date"], period)
    occ = occ.assign(_p=ordv)
    first = occ.groupby("customer_id")["_p"].transform("min").to_numpy()
    occ["_c"] = first
    occ["_k"] = ordv - first
    last_p = int(pd.Timestamp(ref).to_period(period).ordinal)
    size = occ.groupby("_c")["customer_id"].nunique()
    n_k = int(last_p - size.index.min()) + 1
    if value in ("rate", "count"):
        cell = occ.groupby(["_c", "_k"])["customer_id"].nunique()
    else:
        cell = occ.groupby(["_c", "_k"])["amount"].sum()
    mat = cell.unstack("_k").reindex(columns=range(n_k)).fillna(0.0).astype(float)
    mat = mat.reindex(size.index).fillna(0.0)
    cohorts = mat.index.to_numpy()
    observed = (cohorts[:, None] + np.arange(n_k)[None, :]) <= last_p
    values = mat.to_numpy()
    if value in ("rate", "revenue_per_customer"):
        values = values / size.to_numpy()[:, None]
    values = np.where(observed, values, np.nan)
    out = pd.DataFrame(
        values,
        index=_ordinal_to_period(cohorts, period).rename("cohort"),
        columns=pd.RangeIndex(n_k, name="periods_since_first"),
    )
    if max_periods is not None:
        out = out.iloc[:, : int(max_periods)]
    out.attrs["cohort_size"] = dict(zip(out.index.astype(str), size.to_numpy().tolist(), strict=True))
    out.attrs["value"] = value
    return out


def plot_cohort_heatmap(
    matrix: pd.DataFrame,
    *,
    ax: Any = None,
    title: str | None = None,
    fmt: str | None = None,
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
    if fmt is None:
        fmt = ".0f"
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


# --------------------------------------------------------------------------- survival
def survival_table(
    transactions: Any,
    threshold_days: float,
    as_of: Any = None,
    *,
    unit: str = "D",
    cohort_period: str | None = "Q",
) -> pd.DataFrame:
    """Time-to-churn per customer with right censoring: the (duration, event) table.

    Lifetime = days from the first purchase to the purchase that starts the
    first gap longer than ``threshold_days`` (a closed gap between purchases,
    or the open gap up to ``as_of``). ``event = 1`` when that gap is complete
    before ``as_of``; otherwise ``event = 0`` and the duration is censored at
    ``as_of - threshold_days - first``: that is the last moment at which a
    churn could have been seen, and it depends only on the acquisition date,
    so censoring is independent of behaviour. (Censoring at the last
    purchase instead keeps customers in the risk set *because* they are known
    to survive and biases the hazard down.) Customers acquired less than
    ``threshold_days`` before ``as_of`` cannot be assessed; they are left out
    with a :class:`~crmlab.errors.CrmlabWarning` giving the count.

    Parameters
    ----------
    transactions : DataFrame
        crmlab schema; purchases after ``as_of`` are ignored.
    threshold_days : float
        Inactivity gap (days, > 0) that defines churn.
    as_of : date-like, optional
        End of observation (default: last purchase in the log).
    unit : {"D", "W", "M"}
        Unit of ``duration``: days, weeks or average months (30.44 days).
    cohort_period : {"W", "M", "Q", "Y"} or None
        Adds a ``cohort`` column (acquisition period) for group comparisons.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``first``, ``duration``, ``event`` (int 0/1),
        ``n_purchases`` and optionally ``cohort``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-06-01",
    ...                             "2024-01-01", "2024-01-21"]),
    ...     "amount": [1.0] * 5})
    >>> survival_table(log, 30, "2024-12-31", cohort_period=None)[["duration", "event"]].to_numpy().tolist()
    [[10.0, 1.0], [20.0, 1.0]]
    """
    thr = _threshold(threshold_days)
    check_choice(unit, "unit", list(DAYS_PER_UNIT))
    if cohort_period is not None:
        check_choice(cohort_period, "cohort_period", PERIODS)
    occ, ref = _occasions(transactions, as_of)
    occ = occ.sort_values(["customer_id", "date"])
    days = ((occ["date"] - occ["date"].min()).dt.days).to_numpy(dtype=float)
    cust = occ["customer_id"].to_numpy()
    ref_days = float((ref - occ["date"].min()).days)
    new_cust = np.r_[True, cust[1:] != cust[:-1]]
    last_of = np.r_[cust[1:] != cust[:-1], True]
    # gap after each purchase: to the next purchase of the same customer, or to as_of
    nxt = np.r_[days[1:], np.nan]
    gap = np.where(last_of, ref_days - days, nxt - days)
    long_gap = gap > thr
    starts = np.flatnonzero(new_cust)
    first_day = days[starts]
    # first purchase followed by a long gap, per customer
    idx = np.where(long_gap, np.arange(len(days)), len(days))
    first_long = np.minimum.reduceat(idx, starts)
    event = first_long < len(days)
    churn_day = np.where(event, days[np.minimum(first_long, len(days) - 1)], np.nan)
    censor = ref_days - thr - first_day
    duration = np.where(event, churn_day - first_day, censor)
    ids = cust[starts]
    out = pd.DataFrame(
        {
            "first": occ["date"].to_numpy()[starts],
            "duration": duration / DAYS_PER_UNIT[unit],
            "event": event.astype(int),
            "n_purchases": np.diff(np.r_[starts, len(days)]),
        },
        index=pd.Index(ids, name="customer_id"),
    )
    if cohort_period is not None:
        out["cohort"] = out["first"].dt.to_period(cohort_period)
    too_new = censor < 0
    if too_new.any():
        warnings.warn(
            f"{int(too_new.sum())} of {len(out)} customers were acquired less than "
            f"{thr:g} days before as_of={ref.date()} and cannot be assessed; they are left out",
            CrmlabWarning,
            stacklevel=2,
        )
        out = out[~too_new]
    if out.empty:
        raise DataError(
            f"no customer was acquired more than {thr:g} days before as_of={ref.date()}: "
            "nothing to analyse; lower threshold_days or move as_of later"
        )
    return out


def _check_events(events: Any, n: int | None = None) -> np.ndarray:
    """Censoring flags: bool or 0/1 numbers (1 = event/churned, 0 = censored)."""
    if isinstance(events, (str, bytes)) or np.ndim(events) != 1:
        raise DataError(
            f"events must be a 1-D sequence of 0/1 or True/False flags (1 = churned, "
            f"0 = censored), got {type(events).__name__}"
        )
    raw = np.asarray(events.to_numpy() if isinstance(events, pd.Series) else events)
    if n is not None and len(raw) != n:
        raise DataError(f"events has {len(raw)} entries but durations has {n}")
    if raw.dtype == bool:
        return raw.astype(float)
    if raw.dtype.kind in "iuf":
        fast = raw.astype(float)
        if np.isin(fast, (0.0, 1.0)).all():
            return fast
    arr = raw.astype(object)
    out = np.empty(len(arr), dtype=float)
    for i, v in enumerate(arr):
        if isinstance(v, (bool, np.bool_)):
            out[i] = float(v)
        elif isinstance(v, (int, float, np.integer, np.floating)) and not (
            isinstance(v, (float, np.floating)) and np.isnan(v)
        ) and float(v) in (0.0, 1.0):
            out[i] = float(v)
        else:
            raise DataError(
                f"events[{i}] = {v!r} ({type(v).__name__}) is not a censoring flag: "
                "expected 1/True (churn observed) or 0/False (censored)"
            )
    return out


def _check_durations(durations: Any) -> np.ndarray:
    if isinstance(durations, (str, bytes)) or np.ndim(durations) != 1:
        raise DataError("durations must be a 1-D sequence of non-negative numbers")
    raw = durations.to_numpy() if isinstance(durations, pd.Series) else durations
    try:
        d = as_float_array(raw, "durations")
    except ParameterError as exc:
        raise DataError(str(exc)) from None
    if len(d) == 0:
        raise DataError("durations is empty: at least one customer is needed")
    if (d < 0).any():
        i = int(np.flatnonzero(d < 0)[0])
        raise DataError(f"durations[{i}] = {d[i]} is negative; expected a duration >= 0")
    return d


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """A Kaplan–Meier estimate with pointwise confidence bands and the median.

    ``table`` has ``time``, ``at_risk``, ``events``, ``survival``, ``se``
    (Greenwood), ``lower``, ``upper`` (log–log transformed pointwise band),
    one row per distinct event time. ``median`` is the first time with
    survival <= 0.5 (NaN if never reached); its interval inverts the pointwise
    bands, as R's ``survfit`` does: the lower limit is the first time the lower
    band reaches 0.5, the upper limit the first time the upper band does
    (``inf``: the upper band never gets there, so the interval is unbounded;
    NaN lower limit: not even the lower band reaches 0.5). Unlike
    statsmodels' ``quantile_ci`` this is defined when the curve jumps over 0.5
    on discrete (e.g. monthly) data.
    """

    table: pd.DataFrame
    median: float
    median_lower: float
    median_upper: float
    n: int
    n_events: int
    alpha: float
    label: str = ""
    durations: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))
    events: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))

    def survival_at(self, t: float) -> float:
        """S(t): the step function evaluated at ``t`` (1 before the first event)."""
        times = self.table["time"].to_numpy()
        i = np.searchsorted(times, t, side="right") - 1
        return 1.0 if i < 0 else float(self.table["survival"].iloc[i])


def kaplan_meier(durations: Any, events: Any, *, alpha: float = 0.05, label: str = "") -> KaplanMeier:
    """Kaplan–Meier survival curve via statsmodels ``SurvfuncRight``.

    Parameters
    ----------
    durations : array-like
        Non-negative times (e.g. ``survival_table(...)["duration"]``).
    events : array-like of bool or 0/1
        1/True = churn observed, 0/False = right-censored. Anything else
        (strings, NaN, 2, ...) raises :class:`~crmlab.errors.DataError`.
    alpha : float
        1 - confidence level of the bands and of the median's interval.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
    >>> km.table["survival"].round(3).tolist()
    [0.8, 0.6, 0.3]
    >>> km.median
    3.0
    """
    from scipy.stats import norm
    from statsmodels.duration.survfunc import SurvfuncRight

    check_number(alpha, "alpha", low=0, high=0.5, low_inclusive=False, high_inclusive=False)
    d = _check_durations(durations)
    e = _check_events(events, len(d))
    sf = SurvfuncRight(d, e)
    s = np.asarray(sf.surv_prob, dtype=float)
    se = np.asarray(sf.surv_prob_se, dtype=float)
    z = norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        lls = np.log(-np.log(s))
        se_ll = se / np.abs(s * np.log(s))
        lower = np.exp(-np.exp(lls + z * se_ll))
        upper = np.exp(-np.exp(lls - z * se_ll))
    lower = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, lower))
    upper = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, upper))
    table = pd.DataFrame(
        {
            "time": np.asarray(sf.surv_times, dtype=float),
            "at_risk": np.asarray(sf.n_risk, dtype=int),
            "events": np.asarray(sf.n_events, dtype=int),
            "survival": s,
            "se": se,
            "lower": np.nan_to_num(lower, nan=0.0),
            "upper": np.nan_to_num(upper, nan=1.0),
        }
    )
    if len(table) and (s <= 0.5).any():
        med = float(table["time"].iloc[int(np.argmax(s <= 0.5))])
    else:
        med = np.nan
    # median interval by inverting the pointwise bands (R survival's convention):
    # lower limit = first time the lower band reaches 0.5, upper = first time the upper band does
    low_hit = table["lower"].to_numpy() <= 0.5
    up_hit = table["upper"].to_numpy() <= 0.5
    lo = float(table["time"].iloc[int(np.argmax(low_hit))]) if low_hit.any() else np.nan
    hi = float(table["time"].iloc[int(np.argmax(up_hit))]) if up_hit.any() else np.inf
    return KaplanMeier(
        table=table, median=med, median_lower=lo, median_upper=hi, n=len(d),
        n_events=int(e.sum()), alpha=float(alpha), label=label, durations=d, events=e,
    )


def restricted_mean_lifetime(km: KaplanMeier, tau: float) -> float:
    """Expected lifetime up to ``tau`` (area under the KM curve on [0, tau]).

    >>> km = kaplan_meier([1, 2], [1, 1])
    >>> restricted_mean_lifetime(km, 3)
    1.5
    """
    check_number(tau, "tau", low=0)
    t = km.table["time"].to_numpy()
    s = km.table["survival"].to_numpy()
    keep = t < tau
    knots = np.r_[0.0, t[keep], tau]
    levels = np.r_[1.0, s[keep]]
    return float(np.sum(np.diff(knots) * levels))


@dataclass(frozen=True)
class LogRankResult:
    """Log-rank test of equal survival curves across groups."""

    statistic: float
    df: int
    p_value: float
    groups: tuple[Any, ...]


def logrank_test(durations: Any, events: Any, groups: Any) -> LogRankResult:
    """Log-rank test (statsmodels ``survdiff``) that all groups share one survival curve.

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1], ["a"] * 3 + ["b"] * 3)
    >>> round(r.statistic, 3), r.df
    (5.052, 1)
    """
    from statsmodels.duration.survfunc import survdiff

    d = _check_durations(durations)
    e = _check_events(events, len(d))
    g = np.asarray(groups.to_numpy() if isinstance(groups, pd.Series) else groups, dtype=object)
    if g.ndim != 1 or len(g) != len(d):
        raise DataError(f"groups must have one label per duration ({len(d)}), got {len(g)}")
    if pd.isna(g).any():
        raise DataError(f"groups[{int(np.flatnonzero(pd.isna(g))[0])}] is missing")
    labels = pd.unique(g)
    if len(labels) < 2:
        raise DataError("the log-rank test needs at least two groups")
    codes = pd.Categorical(g, categories=labels).codes
    chisq, p = survdiff(d, e, codes)
    return LogRankResult(float(chisq), len(labels) - 1, float(p), tuple(labels))


def plot_survival(
    curves: Sequence[KaplanMeier] | KaplanMeier, *, ax: Any = None, unit: str = "days",
    title: str = "Kaplan–Meier survival", bands: bool = True,
) -> Any:
    """Step plot of one or more :class:`KaplanMeier` curves with their bands; returns the Axes."""
    import matplotlib.pyplot as plt

    if isinstance(curves, KaplanMeier):
        curves = [curves]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    for km in curves:
        t = np.r_[0.0, km.table["time"].to_numpy()]
        s = np.r_[1.0, km.table["survival"].to_numpy()]
        lab = f"{km.label} (n={km.n})" if km.label else f"n={km.n}"
        (line,) = ax.step(t, s, where="post", label=lab)
        if bands:
            lo = np.r_[1.0, km.table["lower"].to_numpy()]
            hi = np.r_[1.0, km.table["upper"].to_numpy()]
            ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=line.get_color())
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"time since first purchase ({unit})")
    ax.set_ylabel("share not yet churned S(t)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


# --------------------------------------------------------------------------- churn model
def churn_features(transactions: Any, calibration_end: Any, holdout_end: Any) -> pd.DataFrame:
    """RFM-type features from the calibration period and the churn target from the holdout.

    Customers with a purchase on or before ``calibration_end`` are included.
    Features (occasions, see :func:`crmlab.datasets.to_occasions`):
    ``recency_days`` (calibration_end - last purchase), ``frequency`` (repeat
    purchases = occasions - 1), ``monetary`` (mean spend per occasion),
    ``tenure_days`` (calibration_end - first purchase), ``total_spend``.
    Target ``churn`` = 1 if no purchase in ``(calibration_end, holdout_end]``.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2, 1], "amount": [10.0, 20.0, 5.0, 9.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-01-15", "2024-03-31"])})
    >>> f = churn_features(log, "2024-01-31", "2024-03-31")
    >>> f[["recency_days", "frequency", "monetary", "churn"]].to_numpy().tolist()
    [[0.0, 1.0, 15.0, 0.0], [16.0, 0.0, 5.0, 1.0]]
    """
    c_end = check_date(calibration_end, "calibration_end")
    h_end = check_date(holdout_end, "holdout_end")
    if h_end <= c_end:
        raise ParameterError(
            f"holdout_end ({h_end.date()}) must be after calibration_end ({c_end.date()})"
        )
    occ = to_occasions(transactions, purchases_only=True)
    cal = occ[occ["date"] <= c_end]
    if cal.empty:
        raise DataError(f"no purchases on or before calibration_end={c_end.date()}")
    if occ["date"].max() < h_end:
        warnings.warn(
            f"the log ends {occ['date'].max().date()}, before holdout_end={h_end.date()}: "
            "churn is judged on a shorter holdout",
            CrmlabWarning,
            stacklevel=2,
        )
    g = cal.groupby("customer_id")
    out = pd.DataFrame(
        {
            "recency_days": (c_end - g["date"].max()).dt.days.astype(float),
            "frequency": (g.size() - 1).astype(float),
            "monetary": g["amount"].mean(),
            "tenure_days": (c_end - g["date"].min()).dt.days.astype(float),
            "total_spend": g["amount"].sum(),
        }
    )
    hold = occ[(occ["date"] > c_end) & (occ["date"] <= h_end)]
    out["churn"] = (~out.index.isin(hold["customer_id"].unique())).astype(float)
    return out


def fit_churn_logit(
    features: pd.DataFrame, columns: Sequence[str], *, target: str = "churn"
) -> Any:
    """Logistic regression (statsmodels ``Logit``) of ``target`` on ``columns`` plus a constant.

    Returns the fitted statsmodels results object (``.params``, ``.conf_int()``,
    ``.predict(exog)``, ``.summary()``).

    Raises
    ------
    DataError
        Missing columns, non-numeric or missing values, a target that is not 0/1.
    ConvergenceError
        The fit did not converge or the data are perfectly separated.
    """
    import statsmodels.api as sm

    if not isinstance(features, pd.DataFrame):
        raise DataError(f"features must be a DataFrame, got {type(features).__name__}")
    cols = list(columns)
    missing = [c for c in [*cols, target] if c not in features.columns]
    if missing:
        raise DataError(f"features is missing column(s) {missing}; it has {list(features.columns)}")
    y = _check_events(features[target]).astype(float)
    if y.min() == y.max():
        raise DataError(f"target {target!r} has only one class; a logistic model needs both")
    X = features[cols].apply(pd.to_numeric, errors="coerce")
    if X.isna().any().any():
        col = X.columns[X.isna().any()][0]
        raise DataError(f"features column {col!r} has missing or non-numeric values")
    X = sm.add_constant(X.astype(float), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=RuntimeWarning)
        try:
            warnings.simplefilter("ignore", category=FutureWarning)
            res = sm.Logit(y, X).fit(disp=0, maxiter=200)
        except Exception as exc:  # statsmodels raises several types here
            raise ConvergenceError(f"logistic regression failed: {exc}") from None
    if not res.mle_retvals.get("converged", True):
        raise ConvergenceError("logistic regression did not converge in 200 iterations")
    return res


def odds_ratio_table(result: Any, *, alpha: float = 0.05) -> pd.DataFrame:
    """Odds ratios exp(beta) with their confidence intervals and p-values.

    An odds ratio of 1.2 for ``recency_days`` means each extra day since the
    last purchase multiplies the odds of churning by 1.2.
    """
    check_number(alpha, "alpha", low=0, high=0.5, low_inclusive=False, high_inclusive=False)
    ci = np.exp(result.conf_int(alpha=alpha))
    lvl = int(round(100 * (1 - alpha)))
    return pd.DataFrame(
        {
            "coef": result.params,
            "odds_ratio": np.exp(result.params),
            f"or_lower_{lvl}": ci.iloc[:, 0],
            f"or_upper_{lvl}": ci.iloc[:, 1],
            "p_value": result.pvalues,
        }
    )


def _check_scores(y: Any, score: Any) -> tuple[np.ndarray, np.ndarray]:
    yy = _check_events(y)
    try:
        s = as_float_array(score.to_numpy() if isinstance(score, pd.Series) else score, "score")
    except ParameterError as exc:
        raise DataError(str(exc)) from None
    if s.shape != yy.shape:
        raise DataError(f"score has {len(s)} entries but y has {len(yy)}")
    if yy.min() == yy.max():
        raise DataError("y has only one class: ROC/AUC need both positives and negatives")
    return yy, s


def auc(y: Any, score: Any) -> float:
    """Area under the ROC curve by the rank (Mann–Whitney) formula, ties counted 1/2.

    AUC = (R+ - n+(n+ + 1)/2) / (n+ n-), R+ = sum of the mid-ranks of the positives:
    the probability that a random positive scores above a random negative.

    >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    from scipy.stats import rankdata

    yy, s = _check_scores(y, score)
    ranks = rankdata(s)
    n_pos = yy.sum()
    n_neg = len(yy) - n_pos
    return float((ranks[yy == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_curve(y: Any, score: Any) -> pd.DataFrame:
    """ROC curve: false- and true-positive rate at each score threshold (score >= threshold = positive).

    >>> roc_curve([0, 1], [0.2, 0.9])[["fpr", "tpr"]].to_numpy().tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    """
    yy, s = _check_scores(y, score)
    order = np.argsort(-s, kind="mergesort")
    s_sorted, y_sorted = s[order], yy[order]
    distinct = np.r_[np.flatnonzero(np.diff(s_sorted)), len(s_sorted) - 1]
    tp = np.cumsum(y_sorted)[distinct]
    fp = (distinct + 1) - tp
    return pd.DataFrame(
        {
            "threshold": np.r_[np.inf, s_sorted[distinct]],
            "fpr": np.r_[0.0, fp / (len(yy) - yy.sum())],
            "tpr": np.r_[0.0, tp / yy.sum()],
        }
    )


def calibration_table(y: Any, prob: Any, *, bins: int = 10) -> pd.DataFrame:
    """Observed churn rate against mean predicted probability in quantile bins.

    Returns ``n``, ``predicted`` (mean probability), ``observed`` (share of
    events) and a 95% Wilson interval ``lower``/``upper`` per bin.

    >>> t = calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], bins=2)
    >>> t[["n", "observed"]].to_numpy().tolist()
    [[2.0, 0.0], [2.0, 1.0]]
    """
    check_number(bins, "bins", low=1, integer=True)
    yy = _check_events(y)
    try:
        p = as_float_array(prob.to_numpy() if isinstance(prob, pd.Series) else prob, "prob")
    except ParameterError as exc:
        raise DataError(str(exc)) from None
    if p.shape != yy.shape:
        raise DataError(f"prob has {len(p)} entries but y has {len(yy)}")
    if ((p < 0) | (p > 1)).any():
        raise DataError("prob must hold probabilities in [0, 1]")
    q = pd.qcut(pd.Series(p).rank(method="first"), q=min(int(bins), len(p)), labels=False)
    df = pd.DataFrame({"bin": q.to_numpy(), "y": yy, "p": p})
    g = df.groupby("bin")
    n = g.size().astype(float)
    obs = g["y"].mean()
    z = 1.959963984540054
    centre = (obs + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(obs * (1 - obs) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return pd.DataFrame(
        {"n": n, "predicted": g["p"].mean(), "observed": obs, "lower": centre - half, "upper": centre + half}
    )


def plot_roc(y: Any, score: Any, *, ax: Any = None, label: str = "model") -> Any:
    """ROC curve with the diagonal and the AUC in the legend; returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    r = roc_curve(y, score)
    ax.plot(r["fpr"], r["tpr"], label=f"{label} (AUC = {auc(y, score):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="chance (AUC = 0.5)")
    ax.set_xlabel("false-positive rate (stayers flagged as churners)")
    ax.set_ylabel("true-positive rate (churners caught)")
    ax.set_title("ROC curve")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_aspect("equal")
    return ax


def plot_calibration(y: Any, prob: Any, *, bins: int = 10, ax: Any = None) -> Any:
    """Calibration plot: observed against predicted churn per bin with Wilson intervals."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    t = calibration_table(y, prob, bins=bins)
    ax.errorbar(
        t["predicted"], t["observed"],
        yerr=[t["observed"] - t["lower"], t["upper"] - t["observed"]],
        fmt="o-", capsize=3, label="bins (95% Wilson CI)",
    )
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="perfect calibration")
    ax.set_xlabel("mean predicted churn probability")
    ax.set_ylabel("observed churn rate")
    ax.set_title("Calibration")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize=8)
    return ax


# --------------------------------------------------------------------------- seed claims
def repeat_revenue_share(transactions: Any) -> float:
    """Share of revenue from repeat purchases (every occasion after a customer's first).

    Tests the seed's "returning customers bring 25%–85% of profit" (000 §9.4) on
    revenue; with equal margins on first and repeat purchases it is the
    profit share too.

    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 30.0, 20.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05"])})
    >>> repeat_revenue_share(log)
    0.5
    """
    occ = to_occasions(transactions)
    total = float(occ["amount"].sum())
    if total <= 0:
        raise DataError("total revenue is not positive: the repeat share is undefined")
    repeat = occ.groupby("customer_id").cumcount() > 0
    return float(occ.loc[repeat, "amount"].sum()) / total


def revenue_concentration(
    transactions: Any, top_shares: Sequence[float] = (0.05, 0.10, 0.20)
) -> pd.DataFrame:
    """Share of revenue from the top customers and their best-to-rest spend ratio.

    For each share q, the top ``round(q × n)`` customers by total
    spend: ``revenue_share`` (their share of revenue) and
    ``best_to_rest`` (their mean spend / the mean spend of the others) — the
    seed's "best customers spend 16:1 (retail) … 5:1 (hotels)" (003 No. 16).

    >>> log = pd.DataFrame({"customer_id": [1, 2, 3, 4], "amount": [70.0, 10.0, 10.0, 10.0],
    ...     "date": pd.to_datetime(["2024-01-01"] * 4)})
    >>> revenue_concentration(log, [0.25]).to_numpy().tolist()
    [[0.25, 1.0, 0.7, 7.0]]
    """
    occ = to_occasions(transactions)
    tot = occ.groupby("customer_id")["amount"].sum().sort_values(ascending=False).to_numpy()
    n = len(tot)
    rows = []
    for q in top_shares:
        q = check_number(q, "top_shares[i]", low=0, high=1, low_inclusive=False, high_inclusive=False)
        k = int(round(q * n))
        if k < 1 or k >= n:
            raise DataError(f"top share {q} of {n} customers leaves an empty group; use more customers")
        rest = tot[k:].mean()
        rows.append({
            "top_share": q,
            "n_top": k,
            "revenue_share": float(tot[:k].sum() / tot.sum()),
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


def uplift_grid(
    retentions: Sequence[float],
    discounts: Sequence[float],
    *,
    margin: float = 100.0,
    acquisition_cost: float = 0.0,
    cut: float = 0.05,
    mode: str = "points",
    horizon: int | None = None,
    margin_growth: float = 0.0,
    first_margin_at: int = 0,
) -> pd.DataFrame:
    """:func:`churn_cut_profit_uplift` on a discount × retention grid (rows × columns)."""
    r = as_float_array(retentions, "retentions")
    d = as_float_array(discounts, "discounts")
    R, D = np.meshgrid(r, d)
    vals = churn_cut_profit_uplift(
        margin, R, D, cut=cut, mode=mode, acquisition_cost=acquisition_cost,
        horizon=horizon, margin_growth=margin_growth, first_margin_at=first_margin_at,
    )
    return pd.DataFrame(vals, index=pd.Index(d, name="discount"), columns=pd.Index(r, name="retention"))


def retention_spend_breakeven(
    acquisition_cost: float, retention_cost: float, retention_lift: float
) -> dict[str, float]:
    """Does spending on retention beat acquiring replacements?

    Spending ``retention_cost`` per customer per period lifts retention by
    ``retention_lift`` (share of the base kept that would otherwise leave).
    Keeping the base the same size by acquisition instead costs
    ``acquisition_cost × retention_lift`` per customer. Retention pays iff
    ``acquisition_cost / retention_cost > 1 / retention_lift``.

    >>> retention_spend_breakeven(500, 100, 0.1)["pays"]
    False
    """
    a = check_number(acquisition_cost, "acquisition_cost", low=0)
    c = check_number(retention_cost, "retention_cost", low=0, low_inclusive=False)
    lift = check_number(retention_lift, "retention_lift", low=0, high=1, low_inclusive=False)
    return {
        "cost_ratio": a / c,
        "breakeven_ratio": 1.0 / lift,
        "retention_cost_per_saved": c / lift,
        "pays": bool(a / c > 1.0 / lift),
    }


def funnel_economics(
    members: float,
    conversion: float,
    *,
    share_three_plus: float,
    budget_per_member: float = 150.0,
    incentive_new: float = 5.0,
    incentive_first: float = 5.0,
    incentive_three: float = 30.0,
) -> pd.Series:
    """Yearly cost of a membership funnel (seed 003 No. 2, Kidswant 孩子王).

    ``members`` join (awareness/intention layers); a share ``conversion`` buys
    (the seed: 40% typical, 80% at Kidswant); a share ``share_three_plus`` of
    the buyers buys three times or more. Costs: the member budget for every
    member (150 CNY/yr), staff incentives 5 CNY per new member, 5 per first
    purchase and 30 per member reaching three purchases.

    >>> f = funnel_economics(1000, 0.8, share_three_plus=0.5)
    >>> float(f["buyers"]), float(f["total_cost"]), round(float(f["cost_per_buyer"]), 2)
    (800.0, 171000.0, 213.75)
    """
    n = check_number(members, "members", low=0, low_inclusive=False)
    c = check_probability(conversion, "conversion")
    q = check_probability(share_three_plus, "share_three_plus")
    for v, name in [(budget_per_member, "budget_per_member"), (incentive_new, "incentive_new"),
                    (incentive_first, "incentive_first"), (incentive_three, "incentive_three")]:
        check_number(v, name, low=0)
    buyers = n * c
    loyal = buyers * q
    budget = n * budget_per_member
    incent = n * incentive_new + buyers * incentive_first + loyal * incentive_three
    total = budget + incent
    return pd.Series(
        {
            "members": n,
            "buyers": buyers,
            "three_plus_buyers": loyal,
            "member_budget": budget,
            "staff_incentives": incent,
            "total_cost": total,
            "cost_per_buyer": total / buyers if buyers > 0 else np.nan,
            "cost_per_three_plus_buyer": total / loyal if loyal > 0 else np.nan,
        }
    )


def retention_levels() -> pd.DataFrame:
    """Berry & Parasuraman's three levels of retention strategy (seed 000 §9.4) as a table.

    >>> retention_levels()["bond"].tolist()
    ['financial', 'social', 'structural']
    """
    return pd.DataFrame(
        {
            "level": [1, 2, 3],
            "bond": ["financial", "social", "structural"],
            "bond_zh": ["财务联系 (增加财务利益)", "社会联系 (优先增加社会利益)", "结构性联系 (附加深层次结构性联系)"],
            "main_tool": [
                "price incentives: discounts, points, rebates",
                "personalised, personal service; social ties before financial ones",
                "technology-based customised service that raises the customer's efficiency and output",
            ],
            "customisation": ["low", "medium", "high"],
            "easy_to_copy": ["yes", "partly", "hard"],
            "competitive_advantage": ["short-lived", "medium", "sustainable"],
            "example": [
                "airline miles, supermarket loyalty card",
                "named account manager, member events (Kidswant parenting classes)",
                "EDI / vendor-managed inventory, shared planning software",
            ],
        }
    )


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
    occ = to_occasions(transactions, purchases_only=True)
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
