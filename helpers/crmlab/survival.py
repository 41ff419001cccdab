"""Survival analysis of customer lifetimes (客户生存分析): Kaplan–Meier, log-rank, restricted mean.

Definitions (stated once, used by every function):

* A **purchase** is a purchase occasion from :func:`crmlab.summary.to_occasions`
  (same customer, same day = one purchase).
* **Lifetime**: from the first purchase to the purchase that starts the first
  gap longer than ``threshold_days``. It is observed only when that gap is
  complete before ``as_of``; otherwise it is right-censored at
  ``as_of - threshold_days - first`` (see :func:`survival_table` for why this
  censoring time, not the last purchase).

The period metrics and cohorts are in :mod:`crmlab.retention`; the churn
classifier (logit, ROC, AUC, calibration) is in :mod:`crmlab.churn`.

Examples
--------
>>> km = kaplan_meier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
>>> km.median, round(restricted_mean_lifetime(km, 4), 2)
(3.0, 2.7)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import DataError, ParameterError, warn
from crmlab.finance import DAYS_PER_YEAR, _series_index
from crmlab.retention import PERIODS, _threshold
from crmlab.summary import _purchases_until
from crmlab.validation import as_finite_vector, check_choice, check_number

__all__ = [
    "DAYS_PER_UNIT",
    "survival_table",
    "KaplanMeier",
    "kaplan_meier",
    "restricted_mean_lifetime",
    "LogRankResult",
    "logrank_test",
    "plot_survival",
]

#: Days per unit for durations (``"D"`` days, ``"W"`` weeks, ``"M"`` average months).
DAYS_PER_UNIT: dict[str, float] = {"D": 1.0, "W": 7.0, "M": DAYS_PER_YEAR / 12}

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
        End of observation (default: the last day in the log, as in
        :func:`crmlab.summary.customer_summary`).
    unit : {"D", "W", "M"}
        Unit of ``duration``: days, weeks or average months (30.44 days).
    cohort_period : {"W", "M", "Q", "Y"} or None
        Adds a ``cohort`` column (acquisition period) for group comparisons.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``first_purchase``, ``duration``, ``event``
        (int 0/1), ``purchases`` (purchase days up to ``as_of``; the customer
        summary's names) and optionally ``cohort``.

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
    occ, ref = _purchases_until(transactions, as_of)  # sorted by customer and date (to_occasions)
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
            "first_purchase": occ["date"].to_numpy()[starts],
            "duration": duration / DAYS_PER_UNIT[unit],
            "event": event.astype(int),
            "purchases": np.diff(np.r_[starts, len(days)]),
        },
        index=pd.Index(ids, name="customer_id"),
    )
    if cohort_period is not None:
        out["cohort"] = out["first_purchase"].dt.to_period(cohort_period)
    too_new = censor < 0
    if too_new.any():
        warn(f"{int(too_new.sum())} of {len(out)} customers were acquired less than "
            f"{thr:g} days before as_of={ref.date()} and cannot be assessed; they are left out")
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
    if raw.dtype == bool or (raw.dtype.kind in "iuf" and np.isin(raw, (0, 1)).all()):
        return raw.astype(float)
    for i, v in enumerate(raw.astype(object)):  # name the first entry that is not a flag (NaN is not)
        if not (isinstance(v, (numbers.Real, np.bool_)) and v in (0, 1)):
            raise DataError(
                f"events[{i}] = {v!r} ({type(v).__name__}) is not a censoring flag: "
                "expected 1/True (churn observed) or 0/False (censored)"
            )
    return raw.astype(float)


def _check_durations(durations: Any) -> np.ndarray:
    d = as_finite_vector(durations, "durations", empty_hint="at least one customer is needed")
    if (d < 0).any():
        i = int(np.argmax(d < 0))
        raise DataError(f"durations[{i}] must be >= 0, got {d[i]}")
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
    _series_index(dict(durations=durations, events=events), DataError)
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
    if not isinstance(km, KaplanMeier):
        raise ParameterError(f"km must be the result of kaplan_meier, got {type(km).__name__}")
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

    _series_index(dict(durations=durations, events=events, groups=groups), DataError)
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
